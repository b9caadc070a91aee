// Quotas end to end, offline: with a tiny plan (2 interviews per age cell), received from the
// server as a field tablet receives it (coordinators make plans there; the tablet imports none),
// completed interviews fill a cell; the next respondent of that cell is turned away politely and
// counted, and a respondent of another cell goes on.
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecord } from '../../src/app/storage/index.ts';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  launchBrowser,
  readIndexedDb,
  runAxe,
  startInterview,
  unlockIfLocked,
  waitForServiceWorkerControl,
} from './harness.ts';

/** Waits for an element and returns its text. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().textContent()) ?? '';
}

describe('quotas on the device', () => {
  let server: CentralServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    // The site `lille`, its plan the tiny one on the demo questionnaire (tests/helpers/plans.ts).
    server = await startCentralServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('fills a cell, then turns away the next respondent of that cell, offline', async () => {
    const { page, context } = browser;
    const { baseUrl, coordinator } = server;
    await page.goto(`${baseUrl}/`);
    await unlockIfLocked(page);
    await waitForServiceWorkerControl(page);
    await unlockIfLocked(page);
    // Enrolment; its first sync brings the site's plan.
    const code = String(
      (await server.api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator))['code'],
    );
    await expect.poll(() => page.getByLabel(TEXT.serverUrl).inputValue()).toBe(baseUrl);
    await page.getByLabel(TEXT.enrolCode).fill(code);
    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await expect
      .poll(() => page.getByTestId('plan-status').textContent(), { timeout: 10_000 })
      .toMatch(/Lille.*4/);

    await context.setOffline(true);
    await page.reload();
    await unlockIfLocked(page);
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
    // The screen-outs in their own column, headed by the words that name them.
    const turnedAway = page.locator('[data-cell="age/young"] [data-column="screened-out"]');
    expect(await textOf(turnedAway)).toBe('1');
    expect(await textOf(page.locator('table.quota-bars thead'))).toContain(TEXT.quotaScreenedOut);
    expect(await textOf(page.locator('[data-cell="age/old"]'))).toContain('0 / 2');
    expect(await runAxe(page, 'quota board')).toEqual([]);
  });
});
