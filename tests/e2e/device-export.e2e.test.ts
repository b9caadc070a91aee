// The tablet's own export, end to end and offline: two interviews completed with the network cut,
// then "Exporter les données de la tablette" writes their CSV in a worker (its script came from
// the service worker's cache), the codebook, and each file is what the server would write. The
// worker reads each completed interview's answers from the one row its end wrote: the file is the
// one the answer rows themselves give, byte for byte.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEBOOK_HEADER } from '../../src/core/export/index.ts';
import { runDeviceExport } from '../../src/app/export/device-export.ts';
import { HOME_TEXT } from '../../src/app/home-text.ts';
import { QuestionnaireCache } from '../../src/app/questionnaires/catalogue.ts';
import type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  DeviceSettings,
  FinishedAnswersRecord,
  InstalledQuestionnaire,
  InterviewRecord,
} from '../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../src/app/storage/index.ts';
import { DEMO_CALM, DEMO_DISTRESS } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  DEFAULT_PICKUP_POINT,
  TEXT,
  answerUntil,
  completeInterview,
  firstRun,
  readIndexedDb,
  runAxe,
  startApp,
  startInterview,
  waitForServiceWorkerControl,
} from './harness.ts';

const WORDS = HOME_TEXT.fr;

function parse(download: Download, text: string): string[][] {
  expect(download.suggestedFilename()).toMatch(/^demo_LILLE-01_.*\.csv$/);
  // French Excel by default on a French tablet: BOM, semicolons.
  expect(text.startsWith('\uFEFF')).toBe(true);
  const result = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('the tablet export', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('exports the interviews and the codebook offline, in a worker', async () => {
    const { page, context, baseUrl } = app;
    await page.goto(baseUrl);
    await firstRun(page);
    await waitForServiceWorkerControl(page);
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();

    const ids: string[] = [];
    for (const answers of [DEMO_CALM, DEMO_DISTRESS]) {
      ids.push(await startInterview(page, 'demo'));
      const run = await answerUntil(page, answers);
      expect(run.stoppedOn).toEqual({ kind: 'review' });
      await completeInterview(page);
      await page.getByRole('button', { name: TEXT.backHome }).click();
    }

    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.getByRole('button', { name: WORDS.exportData }).click();
    await page.getByRole('heading', { level: 1, name: WORDS.exportTitle }).waitFor();
    await page.getByLabel(WORDS.exportQuestionnaire).selectOption('demo');
    await page.getByTestId('export-counts').filter({ hasText: '2 entretiens complets' }).waitFor();
    expect(await runAxe(page, 'tablet export')).toEqual([]);

    let text = '';
    const save = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      text = readFileSync(await download.path(), 'utf8');
      return parse(download, text);
    };
    const [header, ...rows] = await save(WORDS.exportInterviews);
    const interviewsFile = text;
    expect(workers.some((url) => url.includes('export.worker'))).toBe(true);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((row) => row[column('interview_id')]).sort()).toEqual([...ids].sort());
    for (const row of rows) {
      expect(row[column('site')]).toBe('LILLE-01');
      expect(row[column('interviewer')]).toBe('ENQ-07');
      expect(row[column('pickup_point')]).toBe(DEFAULT_PICKUP_POINT);
      expect(row[column('consent')]).toBe('1');
    }
    expect(rows.map((row) => row[column('age')]).sort()).toEqual(
      [DEMO_CALM['age'], DEMO_DISTRESS['age']].map(String).sort(),
    );
    await page.getByTestId('export-outcome').filter({ hasText: '2 entretiens' }).waitFor();

    const [bookHeader, ...book] = await save(WORDS.exportCodebook);
    expect(bookHeader).toEqual([...CODEBOOK_HEADER]);
    expect(book.map((row) => row[0])).toEqual(header);

    // Each interview's end wrote its answers in one row, in Chromium's IndexedDB: the same as
    // its answer rows, in their key order.
    const answerRows = await readIndexedDb<AnswerRecord>(page, 'answers');
    const finished = await readIndexedDb<FinishedAnswersRecord>(page, 'finishedAnswers');
    expect(finished.map((row) => row.interviewId)).toEqual([...ids].sort());
    for (const row of finished) {
      const own = answerRows.filter((answer) => answer.interviewId === row.interviewId);
      expect(own.length).toBeGreaterThan(0);
      expect(row).toEqual({
        interviewId: row.interviewId,
        itemIds: own.map((answer) => answer.itemId),
        values: own.map((answer) => answer.value),
      });
    }
    // And their answers anonymised by the end (WriteOptions.seal), which the export takes: the
    // file compared below shows they are what anonymising the answer rows gives.
    const anonymised = await readIndexedDb<AnonymisedAnswersRecord>(page, 'anonymisedAnswers');
    expect(anonymised.map((row) => row.interviewId)).toEqual([...ids].sort());
    for (const row of anonymised) {
      expect(row.questionnaireVersion).toMatch(/^[0-9]+$/);
      expect(Object.keys(row.answers).length).toBeGreaterThan(0);
    }
    // The file the export would write from the answer rows alone (no one-row copies): the
    // tablet's interviews, questionnaires and settings in the in-memory store, exported in Node.
    const rowsOnly = new MemoryInterviewStore();
    for (const installed of await readIndexedDb<InstalledQuestionnaire>(page, 'questionnaires'))
      await rowsOnly.putQuestionnaire(installed);
    const [settings] = await readIndexedDb<DeviceSettings & { key: string }>(page, 'settings');
    if (settings !== undefined) {
      const { key, ...device } = settings;
      void key;
      await rowsOnly.putSettings(device);
    }
    for (const record of await readIndexedDb<InterviewRecord>(page, 'interviews'))
      await rowsOnly.createInterview(record);
    for (const answer of answerRows)
      await rowsOnly.saveAnswer(answer.interviewId, answer.itemId, answer.value, answer.answeredAt);
    const expected = await runDeviceExport(rowsOnly, new QuestionnaireCache(rowsOnly), {
      kind: 'interviews',
      questionnaireId: 'demo',
      separator: ';',
      bom: true,
      options: { values: 'codes', language: 'fr', decimalComma: true },
    });
    expect(interviewsFile).toBe(expected.parts.join(''));
  });
});
