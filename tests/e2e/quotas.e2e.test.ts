// Quotas end to end, offline: with a tiny plan (2 interviews per age cell), completed interviews
// fill a cell; the next respondent of that cell is turned away politely and counted, and a
// respondent of another cell goes on.
import type { Locator } from 'playwright-core';
import { tinyDemoPlan } from '../helpers/plans.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecord } from '../../src/app/storage/index.ts';
import { DEMO_CALM } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  firstRun,
  readIndexedDb,
  runAxe,
  startApp,
  startInterview,
  waitForServiceWorkerControl,
} from './harness.ts';

/** Waits for an element and returns its text. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().textContent()) ?? '';
}

const PLAN = tinyDemoPlan('LILLE-01');

describe('quotas on the device', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('fills a cell, then turns away the next respondent of that cell, offline', async () => {
    const { page, context, baseUrl } = app;
    await page.goto(baseUrl);
    await firstRun(page);
    await waitForServiceWorkerControl(page);
    await page.getByLabel(TEXT.importPlan).setInputFiles({
      name: 'plan.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(PLAN)),
    });
    expect(await textOf(page.getByRole('status').filter({ hasText: 'LILLE-01' }))).toContain('4');

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();

    // Two respondents of 18-49 complete their interviews; the second is warned the cell is nearly full.
    for (const round of [1, 2]) {
      await startInterview(page, 'demo');
      const { stoppedOn } = await answerUntil(
        page,
        { ...DEMO_CALM, age: 30 + round },
        {
          onScreen: async (itemId) => {
            if (round === 2 && itemId === 'moved_in') {
              expect(
                await textOf(page.getByRole('status').filter({ hasText: TEXT.quotaNearlyFull })),
              ).toContain('18-49 ans');
            }
          },
        },
      );
      expect(stoppedOn).toEqual({ kind: 'review' });
      await completeInterview(page);
      await page.getByRole('button', { name: TEXT.backHome }).click();
    }

    // The third respondent of 18-49 is turned away right after the quota question.
    const refusedId = await startInterview(page, 'demo');
    const { visited, stoppedOn } = await answerUntil(page, { ...DEMO_CALM, age: 25 });
    expect(visited).toEqual(['intro', 'consent', 'age']);
    expect(stoppedOn).toEqual({ kind: 'end', title: TEXT.quotaFullTitle });
    const end = await textOf(page.locator('main.end-screen'));
    expect(end).toContain(TEXT.quotaFullText);
    expect(end).toContain('18-49 ans');
    expect(await runAxe(page, 'quota full')).toEqual([]);
    const rows = await readIndexedDb<InterviewRecord>(page, 'interviews');
    expect(rows.find((row) => row.id === refusedId)).toMatchObject({
      status: 'screened_out',
      screenOutId: 'quota_full',
      quota: { categories: { age: 'young' }, status: 'full', fullCells: ['age/young'] },
    });
    await page.getByRole('button', { name: TEXT.backHome }).click();

    // A respondent of 50 and over goes on past the quota question.
    await startInterview(page, 'demo');
    await answerUntil(page, { ...DEMO_CALM, age: 70 }, { stopAt: 'moved_in' });
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'moved_in' });
    await page.getByRole('button', { name: TEXT.abandon }).click();
    await page.getByRole('button', { name: TEXT.confirmAbandon }).click();
    await page.getByRole('button', { name: TEXT.backHome }).click();

    // The board counts 2 done of 2 for 18-49 with 1 turned away, nothing yet for 50+.
    await page.getByRole('button', { name: TEXT.quotaBoard }).click();
    const young = await textOf(page.locator('[data-cell="age/young"]'));
    expect(young).toContain('2 / 2');
    expect(young).toContain(`${TEXT.quotaScreenedOut} 1`);
    expect(await textOf(page.locator('[data-cell="age/old"]'))).toContain('0 / 2');
    expect(await runAxe(page, 'quota board')).toEqual([]);
  });
});
