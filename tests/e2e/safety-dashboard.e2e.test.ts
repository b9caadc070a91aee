// Issue #21's "done when": the alert of an abandoned interview reaches the dashboard, end to end.
// An enrolled tablet raises the distress alert, the interviewer acknowledges it saying what they
// did, the respondent stops; the tablet sends the broken-off interview, and the coordinator's
// dashboard lists the alert with its time, interviewer, actions and the interview's status, and
// counts the break-off, which no quota counts.
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolmentLink } from '../../src/core/protocol/index.ts';
import type { InterviewRecord } from '../../src/app/storage/index.ts';
import { DASHBOARD_TEXT } from '../../src/dashboard/text.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { DEMO_DISTRESS } from './demo-answers.ts';
import {
  TABLET,
  TEXT,
  answerUntil,
  giveAnswer,
  launchBrowser,
  readIndexedDb,
  startInterview,
} from './harness.ts';

const BOARD = DASHBOARD_TEXT.fr;

describe('the alert of an abandoned interview', () => {
  let server: CentralServer;
  let tablet: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startCentralServer();
    tablet = await launchBrowser();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  });
  afterAll(async () => {
    await browser?.close();
    await tablet?.close();
    await server?.close();
  });

  it('reaches the coordinator’s dashboard with what the interviewer did', async () => {
    const { baseUrl, coordinator } = server;
    const { code } = (await server.api(
      'POST',
      '/api/v1/sites/lille/enrolment-codes',
      coordinator,
    )) as { code: string };

    // The tablet enrols from the dashboard's link.
    const { page } = tablet;
    await page.goto(enrolmentLink(baseUrl, code));
    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();

    // The distress alert, acknowledged with two actions; then the respondent feels unwell.
    const id = await startInterview(page, 'demo');
    await answerUntil(page, DEMO_DISTRESS, { stopAt: 'feelings' });
    await giveAnswer(page, 'feelings', 'feel_tired', '2');
    await giveAnswer(page, 'feelings', 'feel_sad', '2');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await dialog.getByRole('checkbox', { name: TEXT.alertActions.helpline_given }).check();
    await dialog.getByRole('checkbox', { name: TEXT.alertActions.contact_called }).check();
    await dialog.getByRole('button', { name: TEXT.alertAcknowledge }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: TEXT.abandon }).click();
    const stop = page.getByRole('dialog');
    await stop.getByRole('radio', { name: TEXT.breakOffReasons.respondent_unwell }).check();
    await stop.getByRole('button', { name: TEXT.confirmAbandon }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.brokenOffTitle }).waitFor();

    // Sent: stored on the server as a broken-off interview, counted in no quota.
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await expect
      .poll(async () => (await server.store.getRecord(id))?.status, { timeout: 20_000 })
      .toBe('broken_off');
    // The server stores the record before the tablet hears back and marks its copy sent.
    await expect
      .poll(async () => (await readIndexedDb<InterviewRecord>(page, 'interviews', id))[0]?.sync, {
        timeout: 20_000,
      })
      .toBeDefined();
    expect(await server.store.quotaRows('lille')).toEqual([]);
    expect(await server.store.listRefused('lille')).toEqual([]);

    // The coordinator sees it.
    const context = await browser.newContext({
      viewport: TABLET,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const board = await context.newPage();
    await board.goto(`${baseUrl}/dashboard/`);
    await board.getByLabel(BOARD.username).fill('coord');
    await board.getByLabel(BOARD.password).fill('secret-password');
    await board.getByRole('button', { name: BOARD.logIn }).click();
    await board.getByRole('heading', { name: 'Lille', level: 1 }).waitFor();
    const row = board.locator(`table[data-table="alerts"] tr[data-record="${id}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('ENQ-07');
    expect(text).toContain(BOARD.recordStatus['broken_off']);
    expect(text).toContain(BOARD.alertActions['helpline_given']);
    expect(text).toContain(BOARD.alertActions['contact_called']);
    expect(text).not.toContain(BOARD.alertUnacknowledged);
    await board.getByText('1 alerte reçue, dont 0 non acquittée.').waitFor();
    await context.close();
  });
});
