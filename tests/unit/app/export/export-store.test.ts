// The export worker's store reads the answers a step of interviews ahead, in one transaction per
// step: the export it feeds is the same, file for file, as from the device's plain store, and the
// same whether the answers come from the one row each finished interview has or its answer rows.
import { readFileSync } from 'node:fs';
import { IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceExportRequest } from '../../../../src/app/export/device-export.ts';
import { exportedInterviews, runDeviceExport } from '../../../../src/app/export/device-export.ts';
import { ExportStore } from '../../../../src/app/export/export-store.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { DexieInterviewStore, SmpgDatabase } from '../../../../src/app/storage/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { anonymiseAnswers, endDayClock } from '../../../../src/core/record/index.ts';
import { load } from '../../../helpers/builder.ts';
import { demoInterview, uuid } from './fixture.ts';
import { runInterview } from '../../../helpers/interview-runner.ts';
import { DEMO_CALM, DEMO_DISTRESS } from '../../../e2e/demo-answers.ts';
import { plain } from '../storage/plain-tables.ts';

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const demo = load(json('questionnaires/demo/1.json'));

const opened: SmpgDatabase[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

/**
 * A tablet's database: completed interviews (one practice), a screen-out, a draft. Each finished
 * one either ends as in the app (under way, its answers saved, then the write that ends it, which
 * keeps its answers in one row too), or is created ended and its answers saved afterwards (no row).
 */
async function tablet(
  ending: 'as in the app' | 'created ended' = 'created ended',
): Promise<SmpgDatabase> {
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
    const record = demoInterview(n, hour, { status, ...extra });
    const inApp = ending === 'as in the app' && status !== 'in_progress';
    await store.createInterview(inApp ? { ...record, status: 'in_progress' } : record);
    for (const [id, value] of runInterview(demo, script).state.answers)
      await store.saveAnswer(uuid(n), id, value, '2026-11-23T09:00:00.000Z');
    // The app's end keeps the answers anonymised too (useInterview's writeChange).
    const seal = (answers: ReadonlyMap<string, Answer>) =>
      anonymiseAnswers(demo, answers, endDayClock(record.endedAt ?? record.updatedAt));
    if (inApp) await store.writeInterview(record, [], status === 'abandoned' ? {} : { seal });
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
      const reads = vi.spyOn(store, 'getFinishedOfMany');
      const result = await runDeviceExport(store, new QuestionnaireCache(store), request(kind));
      expect(result).toEqual(expected);
      // 5 completed interviews in steps of 2; the one screen-out in one step.
      expect(reads.mock.calls.map(([ids]) => ids.length)).toEqual(
        kind === 'interviews' ? [2, 2, 1] : [1],
      );
    }
  });

  it('exports the same files from the finished interviews’ rows as from their answer rows', async () => {
    const inApp = await tablet('as in the app');
    const created = await tablet('created ended');
    // Six completed (one practice) and one screen-out: a row each; none for the draft.
    expect(await inApp.finishedAnswers.count()).toBe(7);
    expect(await created.finishedAnswers.count()).toBe(0);
    let answerReads = 0;
    const { getAll } = IDBObjectStore.prototype;
    vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['getAll']>
    ) {
      if (this.name === 'answers') answerReads++;
      return getAll.apply(this, args);
    });
    const exportOf = async (db: SmpgDatabase, kind: DeviceExportRequest['kind']) => {
      const store = new ExportStore(db, request(kind));
      return runDeviceExport(store, new QuestionnaireCache(store), request(kind));
    };
    for (const kind of ['interviews', 'screen-outs', 'codebook'] as const) {
      answerReads = 0;
      const fromRows = await exportOf(created, kind);
      // The codebook reads no answers; the other files, without rows, read the answer rows.
      expect(answerReads > 0).toBe(kind !== 'codebook');
      answerReads = 0;
      const fromOneRow = await exportOf(inApp, kind);
      // Not one answer row read: every interview exported has its row.
      expect(answerReads).toBe(0);
      expect(fromOneRow).toEqual(fromRows);
      expect(fromOneRow.rows).toBe({ interviews: 5, 'screen-outs': 1, codebook: 0 }[kind]);
      expect(fromOneRow.skipped).toEqual([]);
    }
    // Each end kept the answers anonymised too, and the export takes them: changed there, the
    // file changes; made with another day than the interview's end, they are made again.
    expect(await inApp.anonymisedAnswers.count()).toBe(7);
    const sealed = await plain(inApp).anonymisedAnswers.get(uuid(1));
    if (sealed === undefined) throw new Error('no anonymised answers kept');
    const [first] = Object.keys(sealed.answers);
    const forged = {
      ...sealed,
      answers: { ...sealed.answers, [first ?? '']: { nonResponse: 'refused' as const } },
    };
    await plain(inApp).anonymisedAnswers.put(forged);
    const withForged = await exportOf(inApp, 'interviews');
    expect(withForged).not.toEqual(await exportOf(created, 'interviews'));
    await plain(inApp).anonymisedAnswers.put({ ...forged, day: '2026-11-24' });
    expect(await exportOf(inApp, 'interviews')).toEqual(await exportOf(created, 'interviews'));
    // Without them, the answers are read and anonymised: the same files.
    await inApp.anonymisedAnswers.clear();
    // Interviews without their row (it should not happen after the upgrade) lose nothing.
    await inApp.finishedAnswers.bulkDelete([uuid(2), uuid(5), uuid(7)]);
    for (const kind of ['interviews', 'screen-outs'] as const)
      expect(await exportOf(inApp, kind)).toEqual(await exportOf(created, kind));
    vi.restoreAllMocks();
  });

  it('asks for the next step as soon as one is taken, and for each step once', async () => {
    const db = await tablet('as in the app');
    const store = new ExportStore(db, request('interviews'), 2);
    const order = exportedInterviews(await store.listInterviews(), 'interviews', 'demo');
    const reads = vi.spyOn(store, 'getFinishedOfMany');
    const plain = new DexieInterviewStore(db);
    const asked = async (place: number) => {
      const id = order[place]?.id ?? '';
      expect(await store.getAnswers(id)).toEqual(await plain.getAnswers(id));
      return reads.mock.calls.map(([ids]) => ids);
    };
    const ids = order.map(({ id }) => id);
    expect(await asked(0)).toEqual([ids.slice(0, 2), ids.slice(2, 4)]);
    expect(await asked(1)).toHaveLength(2);
    expect(await asked(2)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(await asked(3)).toHaveLength(3);
    expect(await asked(4)).toHaveLength(3);
  });

  it('reads the answers of an interview the export does not take on their own', async () => {
    const db = await tablet();
    const store = new ExportStore(db, request('interviews'));
    await store.listInterviews();
    const reads = vi.spyOn(store, 'getFinishedOfMany');
    expect(await store.getAnswers(uuid(8))).toEqual(
      await new DexieInterviewStore(db).getAnswers(uuid(8)),
    );
    expect(reads).not.toHaveBeenCalled();
  });
});
