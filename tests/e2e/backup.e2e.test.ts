// Issue #23's backup, end to end in Chromium with the central server: an enrolled tablet goes
// offline, completes an interview and taps "Sauvegarde"; the file it downloads says nothing in
// clear, the coordinator imports it on the dashboard's site page (another browser) and reads the
// report, and the server stores the interview; back online, the tablet's sync finds it there
// already: duplicates only, stored once. The coordinator also reads the tablet's recovery code.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupFileSchema } from '../../src/core/protocol/index.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import type { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import type { CentralServer } from './central-server.ts';
import { enrolTablet, startCentralServer } from './central-server.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  launchBrowser,
  runAxe,
  startInterview,
  unlockIfLocked,
} from './harness.ts';

describe('a backup file made offline, imported by the coordinator', () => {
  let server: CentralServer;
  let store: SqliteStore;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  /** The coordinator's own computer, online all along. */
  let office: Awaited<ReturnType<typeof launchBrowser>>;
  const DASH = DASHBOARD_TEXT.fr;

  beforeAll(async () => {
    server = await startCentralServer();
    ({ store } = server);
    browser = await launchBrowser();
    office = await launchBrowser();
  });
  afterAll(async () => {
    await office?.close();
    await browser?.close();
    await server?.close();
  });

  it('is imported on the dashboard, and the tablet’s later sync sends duplicates only', async () => {
    const { page, context } = browser;
    const { baseUrl } = server;
    await page.goto(`${baseUrl}/`);
    await unlockIfLocked(page);
    // Enrolment with a one-time code of the site; the first sync runs right after it.
    await enrolTablet(page, server);

    // No network from here: the interview cannot be sent.
    await context.setOffline(true);
    const id = await startInterview(page, 'demo');
    const run = await answerUntil(page, { ...DEMO_CALM, age: 70 });
    expect(run.stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await page.locator(`[data-interview-id="${id}"][data-sync-state="waiting"]`).waitFor();

    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: TEXT.backupButton, exact: true }).click();
    const download = await downloaded;
    await page.getByTestId('backup-done').waitFor();
    expect(download.suggestedFilename()).toMatch(
      /^smpg-sauvegarde-lille-[0-9a-f-]{36}-\d{4}-\d{2}-\d{2}-\d{4}\.json$/,
    );
    expect(await page.getByTestId('backup-done').textContent()).toContain(
      download.suggestedFilename(),
    );
    expect(await runAxe(page, 'home, after a backup')).toEqual([]);
    const text = readFileSync(await download.path(), 'utf8');
    const file = BackupFileSchema.parse(JSON.parse(text));
    expect(file).toMatchObject({ site: 'lille', count: 1 });
    // Nothing readable: not the interview, not its answers, not the tablet's token.
    expect(text).not.toContain(id);
    expect(text).not.toContain('ENQ-07');
    expect(text).not.toContain('dev_');
    expect(await store.getRecord(id)).toBeUndefined();

    // The coordinator imports it on the site's page of the dashboard.
    const desk = office.page;
    await desk.goto(`${baseUrl}/dashboard/`);
    await desk.getByLabel(DASH.username).fill('coord');
    await desk.getByLabel(DASH.password).fill('secret-password');
    await desk.getByRole('button', { name: DASH.logIn }).click();
    const heading = desk.getByRole('heading', { name: 'Lille', level: 1 });
    const siteLink = desk.getByRole('link', { name: /Lille/ });
    await heading.or(siteLink).first().waitFor();
    if (!(await heading.isVisible())) await siteLink.click();
    const panel = desk.locator('#backups');
    await panel.getByLabel(DASH.backupFile).setInputFiles(await download.path());
    // What the file's labels say, before anything is sent.
    const importButton = panel.getByRole('button', { name: DASH.backupImport });
    await importButton.waitFor();
    expect(await panel.textContent()).toContain(file.deviceId);
    await importButton.click();
    const report = panel.getByTestId('backup-report');
    await report.waitFor();
    expect(await report.textContent()).toContain(
      fill(DASH.backupReport, { device: 'Tablette ENQ-07', added: 1, duplicates: 0, refused: 0 }),
    );
    expect(await runAxe(desk, 'dashboard, backup imported')).toEqual([]);
    const imported = await store.getRecord(id);
    expect(imported).toMatchObject({ site: 'lille', interviewer: 'ENQ-07', status: 'completed' });

    // Back online: the tablet sends what it still holds as waiting, and the server has it all.
    const upload = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/v1/records') && response.request().method() === 'POST',
      { timeout: 30_000 },
    );
    await context.setOffline(false);
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    const answer = (await (await upload).json()) as { results: unknown[] };
    expect(answer.results).toEqual([{ id, status: 'duplicate' }]);
    await page
      .locator(`[data-interview-id="${id}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('0');
    const stored = await store.listRecords({ site: 'lille' }, null, 100);
    expect(stored.filter((row) => row.id === id)).toHaveLength(1);
    expect((await store.getRecord(id))?.receivedAt).toBe(imported?.receivedAt);

    // The tablet's recovery code (sent by the tablet once its PIN is set), read by the coordinator.
    const deviceId = imported?.deviceId ?? '';
    await store.setRecoverySecret(deviceId, 'K7QF-2MZX-P4LA-6WTE-H3NB', new Date().toISOString());
    await desk
      .getByRole('button', { name: fill(DASH.recoveryLabel, { label: 'Tablette ENQ-07' }) })
      .click();
    const shown = desk.getByTestId('recovery-code');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('K7QF-2MZX-P4LA-6WTE-H3NB');
    expect(await shown.textContent()).toContain(DASH.recoveryHelp);
  });
});
