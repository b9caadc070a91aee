// The tablet's own export: the completed, non-practice interviews of one questionnaire, anonymised
// as the sync sends them, written as the server writes them; the codebook; the screen-outs with
// the site plan's variables; interviews whose questionnaire no longer loads are listed, not lost;
// a text that starts like a formula is neutralised unless the request asks for it raw.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runDeviceExport } from '../../../../src/app/export/device-export.ts';
import type { DeviceExportRequest } from '../../../../src/app/export/device-export.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/index.ts';
import { buildRecord } from '../../../../src/app/sync/sync-engine.ts';
import {
  CODEBOOK_HEADER,
  codebookRows,
  exportHeader,
  exportLayout,
  exportRow,
  screenOutHeader,
} from '../../../../src/core/export/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { load } from '../../../helpers/builder.ts';
import { demoInterview, uuid } from './fixture.ts';
import { tinyDemoPlan } from '../../../helpers/plans.ts';
import { DEMO_CALM, DEMO_DISTRESS } from '../../../e2e/demo-answers.ts';
import { runInterview } from '../../../helpers/interview-runner.ts';

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const demo1 = load(json('questionnaires/demo/1.json'));
const demo2 = load(json('questionnaires/demo/2.json'));

async function tablet() {
  const store = new MemoryInterviewStore();
  for (const version of ['1', '2']) {
    await store.putQuestionnaire({
      questionnaireId: 'demo',
      version,
      definition: json(`questionnaires/demo/${version}.json`),
      labelPacks: [],
      installedAt: '2026-11-23T08:00:00.000Z',
    });
  }
  await store.putSettings({
    deviceId: 'tablet-1',
    site: 'lille',
    interviewer: 'ENQ-01',
    uiLanguage: 'fr',
    practiceMode: false,
    quotaPlan: tinyDemoPlan('lille'),
  });
  const add = async (
    n: number,
    version: '1' | '2',
    status: InterviewRecord['status'],
    script: Readonly<Record<string, Answer>>,
    extra: Partial<InterviewRecord> = {},
  ) => {
    const q = version === '1' ? demo1 : demo2;
    const run = runInterview(q, script);
    await store.createInterview(
      demoInterview(n, `0${n}`, {
        questionnaireVersion: version,
        status,
        quota: { categories: { age: 'young' }, status: 'accepted', at: '2026-11-23T09:00:00.000Z' },
        ...extra,
      }),
    );
    for (const [id, value] of run.state.answers) {
      await store.saveAnswer(uuid(n), id, value, '2026-11-23T09:00:00.000Z');
    }
  };
  await add(1, '1', 'completed', DEMO_CALM);
  await add(2, '2', 'completed', DEMO_DISTRESS, {
    pickupPoint: 'Gare',
  } as Partial<InterviewRecord>);
  await add(3, '1', 'completed', DEMO_CALM, { practice: true });
  await add(4, '2', 'in_progress', DEMO_CALM);
  await add(5, '1', 'screened_out', { consent: '2' }, { screenOutId: 'no_consent' });
  await add(6, '2', 'screened_out', { ...DEMO_CALM, age: 30 }, { screenOutId: 'quota_full' });
  return { store, cache: new QuestionnaireCache(store) };
}

const request = (kind: DeviceExportRequest['kind']): DeviceExportRequest => ({
  kind,
  questionnaireId: 'demo',
  separator: ';',
  bom: true,
  options: { decimalComma: true },
});

function parse(parts: readonly string[]): string[][] {
  const text = parts.join('');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const result = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('the tablet export', () => {
  it('writes the completed, non-practice interviews as the server would', async () => {
    const { store, cache } = await tablet();
    const steps: [number, number][] = [];
    const result = await runDeviceExport(store, cache, request('interviews'), (done, total) =>
      steps.push([done, total]),
    );
    const layout = exportLayout([demo1, demo2]);
    const [header, ...rows] = parse(result.parts);
    expect(header).toEqual(exportHeader(layout));
    expect(result.rows).toBe(2);
    expect(result.skipped).toEqual([]);
    expect(steps).toEqual([[2, 2]]);
    const expected = [];
    for (const n of [1, 2]) {
      const interview = await store.getInterview(uuid(n));
      const built = await buildRecord(store, cache, interview as InterviewRecord);
      if ('problem' in built) throw new Error(built.problem);
      expected.push(exportRow(layout, built.record, { decimalComma: true }));
    }
    expect(rows).toEqual(expected);
  });

  it('gives the amount columns of the bands interviews were made with, whatever the site has now', async () => {
    const { store, cache } = await tablet();
    // Interview 2 (demo 2, which asks `noise`) was made with bands on it; the site has none now.
    const bands = { item: 'noise', currency: 'EUR', upperBounds: [840] };
    await store.updateInterview(uuid(2), { incomeBands: bands });
    expect((await store.getSettings())?.siteSettings?.incomeBands).toBeUndefined();
    const [header = [], ...rows] = parse(
      (await runDeviceExport(store, cache, request('interviews'))).parts,
    );
    const at = header.indexOf('noise');
    expect(header.slice(at, at + 3)).toEqual(['noise', 'noise_lower', 'noise_upper']);
    const id = header.indexOf('interview_id');
    const cells = new Map(rows.map((row) => [row[id], row.slice(at, at + 3)]));
    // DEMO_DISTRESS's noise is 2: the second band, from 840 with no ceiling.
    expect(cells.get(uuid(2))).toEqual(['2', '840', '']);
    expect(cells.get(uuid(1))).toEqual(['', '', '']);
    const codebook = parse((await runDeviceExport(store, cache, request('codebook'))).parts);
    expect(codebook.map((row) => row[0])).toContain('noise_lower');
  });

  it('writes the codebook of every installed version', async () => {
    const { store, cache } = await tablet();
    const result = await runDeviceExport(store, cache, request('codebook'));
    const [header, ...rows] = parse(result.parts);
    expect(header).toEqual([...CODEBOOK_HEADER]);
    expect(rows).toEqual(codebookRows(exportLayout([demo1, demo2]), 'fr'));
  });

  it('writes the screen-outs with the quota plan variables', async () => {
    const { store, cache } = await tablet();
    const result = await runDeviceExport(store, cache, request('screen-outs'));
    const [header, ...rows] = parse(result.parts);
    expect(header).toEqual(screenOutHeader(['age']));
    expect(rows.map((row) => [row[0], row[header?.indexOf('reason') ?? -1]])).toEqual([
      [uuid(5), 'no_consent'],
      [uuid(6), 'quota_full'],
    ]);
    expect(rows[1]?.[header?.indexOf('reason_label') ?? -1]).toBe('Quota plein');
  });

  it("neutralises a text that starts like a formula, unless formulas are 'raw'", async () => {
    const { store, cache } = await tablet();
    const attack = '=HYPERLINK("http://x","y")';
    const run = runInterview(demo2, { ...DEMO_CALM, wish: attack });
    await store.createInterview(demoInterview(7, '07', { questionnaireVersion: '2' }));
    for (const [id, value] of run.state.answers)
      await store.saveAnswer(uuid(7), id, value, '2026-11-23T09:00:00.000Z');
    const wish = (rows: string[][]) => {
      const [header, ...body] = rows;
      const row = body.find((cells) => cells[header?.indexOf('interview_id') ?? -1] === uuid(7));
      return row?.[header?.indexOf('wish') ?? -1];
    };
    const escaped = await runDeviceExport(store, cache, request('interviews'));
    expect(wish(parse(escaped.parts))).toBe(`'${attack}`);
    const raw = await runDeviceExport(store, cache, {
      ...request('interviews'),
      options: { decimalComma: true, formulas: 'raw' },
    });
    expect(wish(parse(raw.parts))).toBe(attack);
    // The codebook says so in the text column's note.
    const book = parse((await runDeviceExport(store, cache, request('codebook'))).parts);
    expect(book.find((row) => row[0] === 'wish')?.[CODEBOOK_HEADER.indexOf('note')]).toContain(
      "précédé de '",
    );
  });

  it('lists the interviews it could not export instead of failing or dropping them silently', async () => {
    const { store, cache } = await tablet();
    // Version 1 disappears from the tablet (it cannot happen in the app, but storage can fail).
    const broken = new MemoryInterviewStore();
    for (const interview of await store.listInterviews()) await broken.createInterview(interview);
    for (const n of [1, 2]) {
      for (const [id, value] of await store.getAnswers(uuid(n)))
        await broken.saveAnswer(uuid(n), id, value, '2026-11-23T09:00:00.000Z');
    }
    const v2 = await store.getQuestionnaire('demo', '2');
    if (v2 !== undefined) await broken.putQuestionnaire(v2);
    const result = await runDeviceExport(
      broken,
      new QuestionnaireCache(broken),
      request('interviews'),
    );
    expect(result.rows).toBe(1);
    expect(result.skipped).toEqual([
      { id: uuid(1), problem: 'questionnaire demo 1 is not usable on this tablet' },
    ]);
    // Nothing installed at all: a clear error.
    await expect(
      runDeviceExport(new MemoryInterviewStore(), cache, request('interviews')),
    ).rejects.toThrow('questionnaire demo is not installed on this tablet');
  });
});
