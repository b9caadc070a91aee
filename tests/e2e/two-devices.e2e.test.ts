// Two tablets of one site, end to end: the real server (SQLite in memory) serves the built app;
// two Chromium profiles are two tablets enrolled with their own one-time codes and interviewer
// codes. Both cut off from the network, each completes one interview of the 18-49 cell (2 to do,
// no allocations: offline, each alone could still take it). Back online they send; the server
// holds both, the coordinator's dashboard shows the sum, each tablet receives the site's counts,
// and the cell the two filled together is full on both: a third 18-49 respondent is turned away
// on either tablet, while a respondent of 50 and over goes on.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import type { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  launchBrowser,
  startInterview,
  waitForServiceWorkerControl,
} from './harness.ts';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const BOARD_SITE_COUNTS = TEXT.quotaSiteCounts.split('{time}')[0] ?? '';

describe('two tablets of one site', () => {
  let server: CentralServer;
  let store: SqliteStore;
  let baseUrl: string;
  let coordinator: string;
  const browsers: Browser[] = [];

  const api: CentralServer['api'] = (...args) => server.api(...args);

  const serverRecords = () => store.listRecords({ site: 'lille' }, null, 100);

  beforeAll(async () => {
    server = await startCentralServer();
    ({ store, baseUrl, coordinator } = server);
    for (let i = 0; i < 3; i++) browsers.push(await launchBrowser());
  });
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await server?.close();
  });

  /** Enrols the tablet with a fresh one-time code; waits for the first sync (plan and counts). */
  async function enrol(page: Page, interviewer: string): Promise<void> {
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.getByLabel(TEXT.serverUrl).inputValue()).toBe(baseUrl);
    const code = String(
      (await api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator))['code'],
    );
    await page.getByLabel(TEXT.enrolCode).fill(code);
    await page.getByLabel(TEXT.interviewer).fill(interviewer);
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    await expect
      .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 10_000 })
      .not.toBe(TEXT.syncNever);
    // Offline, the app runs from the service worker's cache.
    await waitForServiceWorkerControl(page);
    await page.getByRole('button', { name: TEXT.quotaBoard }).waitFor();
  }

  /** The quota board's cell, as text (waits for it). */
  async function boardCell(page: Page, cell: string): Promise<string> {
    const locator = page.locator(`[data-cell="${cell}"]`).first();
    await locator.waitFor();
    return (await locator.textContent()) ?? '';
  }

  it('both work offline, sync, and see the cell they filled together as full', async () => {
    const [tabletA, tabletB, coordination] = browsers as [Browser, Browser, Browser];
    const tablets = [
      { ...tabletA, interviewer: 'ENQ-01', age: 30 },
      { ...tabletB, interviewer: 'ENQ-02', age: 35 },
    ];
    for (const { page, interviewer } of tablets) await enrol(page, interviewer);
    expect((await store.listDevices('lille')).map((device) => device.label).sort()).toEqual([
      'Tablette ENQ-01',
      'Tablette ENQ-02',
    ]);

    // Both cut off: each completes one 18-49 interview; nothing reaches the server.
    const done: string[] = [];
    for (const { page, context } of tablets) {
      await context.setOffline(true);
      await page.waitForFunction(() => !navigator.onLine);
    }
    for (const { page, age } of tablets) {
      const id = await startInterview(page, 'demo');
      const run = await answerUntil(page, { ...DEMO_CALM, age });
      expect(run.stoppedOn).toEqual({ kind: 'review' });
      await completeInterview(page);
      await page.getByRole('button', { name: TEXT.backHome }).click();
      await page.locator(`[data-interview-id="${id}"][data-sync-state="waiting"]`).waitFor();
      await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('1');
      done.push(id);
    }
    expect(await serverRecords()).toEqual([]);

    // Back online: the `online` event sends each tablet's interview, nobody presses anything.
    for (const { context } of tablets) await context.setOffline(false);
    for (const [i, { page }] of tablets.entries()) {
      await page
        .locator(`[data-interview-id="${done[i]}"][data-sync-state="sent"]`)
        .waitFor({ timeout: 20_000 });
    }
    await expect
      .poll(async () => (await serverRecords()).map((row) => row.id).sort(), { timeout: 10_000 })
      .toEqual([...done].sort());
    const stored = await serverRecords();
    expect(stored.map((row) => [row.id, row.interviewer, row.status])).toEqual(
      expect.arrayContaining([
        [done[0], 'ENQ-01', 'completed'],
        [done[1], 'ENQ-02', 'completed'],
      ]),
    );
    expect(new Set(stored.map((row) => row.deviceId)).size).toBe(2);

    // The coordinator's dashboard shows the sum of the two tablets.
    const DASH = DASHBOARD_TEXT.fr;
    const dashboard = coordination.page;
    await dashboard.goto(`${baseUrl}/dashboard/`);
    await dashboard.getByLabel(DASH.username).fill('coord');
    await dashboard.getByLabel(DASH.password).fill('secret-password');
    await dashboard.getByRole('button', { name: DASH.logIn }).click();
    // The coordinator has one site: its page opens at once.
    await dashboard.getByRole('heading', { name: 'Lille', level: 1 }).waitFor();
    const quotas = dashboard.locator('#quotas');
    await quotas
      .getByText(fill(DASH.quotasIntro, { completed: 2, size: 4, tolerance: 0, screenedOut: 0 }))
      .waitFor();
    expect(await quotas.locator('[data-cell="age/young"]').first().textContent()).toContain(
      '2 / 2',
    );
    expect(await quotas.locator('[data-cell="age/old"]').first().textContent()).toContain('0 / 2');

    // Each tablet syncs again and receives the site's counts: 2 of 2 in 18-49, though it made one.
    for (const { page } of tablets) {
      await page.getByRole('button', { name: TEXT.syncNow }).click();
      await page.getByRole('button', { name: TEXT.quotaBoard }).click();
      await page.getByText(BOARD_SITE_COUNTS).waitFor();
      await expect.poll(() => boardCell(page, 'age/young'), { timeout: 10_000 }).toContain('2 / 2');
      expect(await boardCell(page, 'age/old')).toContain('0 / 2');
      await page.getByRole('button', { name: TEXT.backHome }).click();
      // This tablet itself made one of them.
      await expect.poll(() => page.getByTestId('completed-total').textContent()).toBe('1');
    }

    // On either tablet, a third 18-49 respondent is turned away right after the age question,
    // while a respondent of 50 and over goes on.
    for (const { page } of tablets) {
      await startInterview(page, 'demo');
      const refused = await answerUntil(page, { ...DEMO_CALM, age: 28 });
      expect(refused.visited).toEqual(['intro', 'consent', 'age']);
      expect(refused.stoppedOn).toEqual({ kind: 'end', title: TEXT.quotaFullTitle });
      await page.getByRole('button', { name: TEXT.backHome }).click();

      await startInterview(page, 'demo');
      await answerUntil(page, { ...DEMO_CALM, age: 70 }, { stopAt: 'moved_in' });
      expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'moved_in' });
      await page.getByRole('button', { name: TEXT.abandon }).click();
      await page.getByRole('button', { name: TEXT.confirmAbandon }).click();
      await page.getByRole('button', { name: TEXT.backHome }).click();
    }
  });
});
