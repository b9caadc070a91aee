// The export worker's store reads the answers a step of interviews ahead, in one transaction per
// step: the export it feeds is the same, file for file, as from the device's plain store.
import { readFileSync } from 'node:fs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceExportRequest } from '../../../../src/app/export/device-export.ts';
import { runDeviceExport } from '../../../../src/app/export/device-export.ts';
import { ExportStore } from '../../../../src/app/export/export-store.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { DexieInterviewStore, SmpgDatabase } from '../../../../src/app/storage/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { load } from '../../../helpers/builder.ts';
import { runInterview } from '../../../helpers/interview-runner.ts';
import { DEMO_CALM, DEMO_DISTRESS } from '../../../e2e/demo-answers.ts';

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const demo = load(json('questionnaires/demo/1.json'));
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const opened: SmpgDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A tablet's database: completed interviews (one practice), a screen-out, a draft. */
async function tablet(): Promise<SmpgDatabase> {
  const db = new SmpgDatabase('smpg-export-store-test', {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  });
  opened.push(db);
  const store = new DexieInterviewStore(db);
  await store.putQuestionnaire({
    questionnaireId: 'demo',
    version: '1',
    definition: json('questionnaires/demo/1.json'),
    labelPacks: [],
    installedAt: '2026-11-23T08:00:00.000Z',
  });
  const add = async (
    n: number,
    status: InterviewRecord['status'],
    script: Readonly<Record<string, Answer>>,
    extra: Partial<InterviewRecord> = {},
  ) => {
    // Started in another order than created (and than their ids sort), as on a real tablet.
    const hour = String(10 + ((n * 7) % 9)).padStart(2, '0');
    await store.createInterview({
      id: uuid(n),
      questionnaireId: 'demo',
      questionnaireVersion: '1',
      site: 'lille',
      interviewer: 'ENQ-01',
      deviceId: 'tablet-1',
      status,
      practice: false,
      position: 'review',
      language: 'fr',
      appVersion: 'test',
      startedAt: `2026-11-23T${hour}:00:00.000Z`,
      updatedAt: `2026-11-23T${hour}:40:00.000Z`,
      endedAt: `2026-11-23T${hour}:40:00.000Z`,
      ...extra,
    });
    for (const [id, value] of runInterview(demo, script).state.answers)
      await store.saveAnswer(uuid(n), id, value, '2026-11-23T09:00:00.000Z');
  };
  for (let n = 1; n <= 5; n++) await add(n, 'completed', n % 2 === 0 ? DEMO_DISTRESS : DEMO_CALM);
  await add(6, 'completed', DEMO_CALM, { practice: true });
  await add(7, 'screened_out', { consent: '2' }, { screenOutId: 'no_consent' });
  await add(8, 'in_progress', DEMO_CALM);
  return db;
}

const request = (kind: DeviceExportRequest['kind']): DeviceExportRequest => ({
  kind,
  questionnaireId: 'demo',
  separator: ';',
  bom: true,
  options: { decimalComma: true },
});

describe('the export worker’s store', () => {
  it('exports what the plain store exports, reading a step of interviews per transaction', async () => {
    const db = await tablet();
    const plain = new DexieInterviewStore(db);
    for (const kind of ['interviews', 'screen-outs'] as const) {
      const expected = await runDeviceExport(plain, new QuestionnaireCache(plain), request(kind));
      const store = new ExportStore(db, request(kind), 2);
      const reads = vi.spyOn(store, 'getAnswersOfMany');
      const result = await runDeviceExport(store, new QuestionnaireCache(store), request(kind));
      expect(result).toEqual(expected);
      // 5 completed interviews in steps of 2; the one screen-out in one step.
      expect(reads.mock.calls.map(([ids]) => ids.length)).toEqual(
        kind === 'interviews' ? [2, 2, 1] : [1],
      );
    }
  });

  it('reads the answers of an interview the export does not take on their own', async () => {
    const db = await tablet();
    const store = new ExportStore(db, request('interviews'));
    await store.listInterviews();
    const reads = vi.spyOn(store, 'getAnswersOfMany');
    expect(await store.getAnswers(uuid(8))).toEqual(
      await new DexieInterviewStore(db).getAnswers(uuid(8)),
    );
    expect(reads).not.toHaveBeenCalled();
  });
});
