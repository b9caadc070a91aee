// The tablet at rest, end to end in Chromium with the central server: the PIN made at first start,
// the lock at every start and after minutes without a touch, the database read raw (no answer,
// place or token in clear), wrong PINs that erase only what the server holds, and the recovery
// code the coordinator reads out. The PIN is typed here by the test, not by the harness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_TEXT } from '../../src/app/lock-text.ts';
import { MAX_PIN_FAILURES } from '../../src/app/storage/vault.ts';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { TABLET_PIN } from './tablet-pin.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  interviewIdOf,
  launchBrowser,
  readIndexedDb,
  startInterview,
} from './harness.ts';

const LOCK = LOCK_TEXT.fr;
/** The harness's PIN: its reads of the database open the sealed rows with it. */
const PIN = TABLET_PIN;
/** Answers only this respondent gave: found in the raw database, they would be in clear. */
const WISH = 'Zanzibar au mois de mai';
const PLACE = 'Impasse des Tisserands';

type Page = Awaited<ReturnType<typeof launchBrowser>>['page'];

async function typePin(page: Page, pin: string, again = false): Promise<void> {
  await page.getByLabel(LOCK.pin, { exact: true }).fill(pin);
  if (again) await page.getByLabel(LOCK.pinAgain).fill(pin);
  await page.locator('main[data-lock] button[type="submit"]').click();
}

/** Every table of the database as IndexedDB holds it, bytes as text (what a copy would show). */
async function rawDatabase(page: Page): Promise<string> {
  const tables = [
    'interviews',
    'answers',
    'finishedAnswers',
    'anonymisedAnswers',
    'paradata',
    'settings',
  ] as const;
  const rows = await Promise.all(
    tables.map((table) =>
      readIndexedDb<Record<string, unknown>>(page, table, undefined, { raw: true }),
    ),
  );
  return JSON.stringify(rows, (_key, value: unknown) =>
    Array.isArray(value) && value.every((byte) => typeof byte === 'number')
      ? String.fromCharCode(...(value as number[]))
      : value,
  );
}

describe('the tablet locked and encrypted at rest', () => {
  let server: CentralServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startCentralServer();
    browser = await launchBrowser({ typePin: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows nothing without the PIN, keeps nothing in clear, erases only what the server holds', async () => {
    const { page, context } = browser;
    const { baseUrl, coordinator } = server;
    await page.goto(`${baseUrl}/`);

    // First start: a PIN is chosen twice, at least 6 characters.
    await page.getByRole('heading', { level: 1, name: LOCK.createTitle }).waitFor();
    await page.getByLabel(LOCK.pin, { exact: true }).fill('1234');
    await page.getByLabel(LOCK.pinAgain).fill('1234');
    await page.getByRole('button', { name: LOCK.create }).click();
    await page.getByRole('alert').getByText(LOCK.tooShort).waitFor();
    await page.getByLabel(LOCK.pin, { exact: true }).fill(PIN);
    await page.getByLabel(LOCK.pinAgain).fill('739155');
    await page.getByRole('button', { name: LOCK.create }).click();
    await page.getByRole('alert').getByText(LOCK.mismatch).waitFor();
    await typePin(page, PIN, true);

    // Enrolment, then one interview sent and one left waiting (network cut).
    const code = String(
      (await server.api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator))['code'],
    );
    await page.getByLabel(TEXT.enrolCode).fill(code);
    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    const deviceId = String((await server.store.listDevices('lille'))[0]?.id);
    // The recovery code reaches the server once the tablet is enrolled.
    await expect
      .poll(async () => (await server.store.getRecoverySecret(deviceId))?.secret, {
        timeout: 15_000,
      })
      .toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);

    const selectDemo = () =>
      page
        .getByRole('combobox', { name: new RegExp(`^${TEXT.questionnaire}\\b`) })
        .selectOption('demo');
    await selectDemo();
    const sent = await startInterview(page, undefined, PLACE);
    await answerUntil(page, { ...DEMO_CALM, wish: WISH });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await page
      .locator(`[data-interview-id="${sent}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 15_000 });
    await context.setOffline(true);
    await selectDemo();
    const waiting = await startInterview(page, undefined, PLACE);
    expect(interviewIdOf(page)).toBe(waiting);
    await answerUntil(page, { ...DEMO_CALM, wish: WISH, age: 52 });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();

    // The database read raw: neither the answers, nor the place, nor the token in clear.
    const raw = await rawDatabase(page);
    expect(raw).not.toContain(WISH);
    expect(raw).not.toContain(PLACE);
    expect(raw).not.toContain('dev_');
    const answerRows = await readIndexedDb<Record<string, unknown>>(page, 'answers', undefined, {
      raw: true,
    });
    expect(answerRows.length).toBeGreaterThan(20);
    expect(answerRows.filter((row) => 'value' in row)).toEqual([]);
    // Opened with the PIN (as the app does), the same rows hold the answers.
    const opened = await readIndexedDb<{ value: unknown }>(page, 'answers', [sent, 'wish']);
    expect(opened.map((row) => row.value)).toEqual([WISH]);

    // Every start is locked, and the locked screen shows nothing of the tablet's work.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: LOCK.lockedTitle }).waitFor();
    const locked = await page.locator('body').innerText();
    for (const hidden of [PLACE, TEXT.newInterview, 'ENQ-07']) expect(locked).not.toContain(hidden);

    // Wrong PINs: a warning with the tries left; the last erases what the server holds.
    for (let i = 1; i <= MAX_PIN_FAILURES; i++) {
      await typePin(page, '000000');
      const left = MAX_PIN_FAILURES - i;
      await page
        .getByRole('alert')
        .getByText(left > 0 ? `Encore ${left} essai${left === 1 ? '' : 's'} ;` : LOCK.erased, {
          exact: false,
        })
        .waitFor();
    }
    const kept = await readIndexedDb<{ id: string }>(page, 'interviews', undefined, { raw: true });
    expect(kept.map((row) => row.id)).toEqual([waiting]);
    const answersLeft = await readIndexedDb<{ interviewId: string }>(page, 'answers', undefined, {
      raw: true,
    });
    expect(new Set(answersLeft.map((row) => row.interviewId))).toEqual(new Set([waiting]));

    // The right PIN opens what is left: the interview still waiting to be sent.
    await typePin(page, PIN);
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    await page.locator(`[data-interview-id="${waiting}"]`).waitFor();
    expect(await page.locator(`[data-interview-id="${sent}"]`).count()).toBe(0);

    // A forgotten PIN: the coordinator reads the recovery code out; a new PIN is chosen.
    await page.reload();
    await page.getByRole('button', { name: LOCK.forgot }).click();
    expect(await page.locator('main[data-lock]').innerText()).toContain(deviceId);
    const { secret } = (await server.api(
      'POST',
      `/api/v1/sites/lille/devices/${deviceId}/recovery`,
      coordinator,
    )) as { secret: string };
    await page.getByLabel(LOCK.recoveryCode).fill('AAAAA-BBBBB-CCCCC-DDDDD');
    await page.getByLabel(LOCK.newPin).fill('864209');
    await page.getByLabel(LOCK.pinAgain).fill('864209');
    await page.getByRole('button', { name: LOCK.recover }).click();
    await page.getByRole('alert').getByText(LOCK.wrongRecovery).waitFor();
    await page.getByLabel(LOCK.recoveryCode).fill(secret.toLowerCase().replaceAll('-', ' '));
    await page.getByLabel(LOCK.newPin).fill('864209');
    await page.getByLabel(LOCK.pinAgain).fill('864209');
    await page.getByRole('button', { name: LOCK.recover }).click();
    await page.locator(`[data-interview-id="${waiting}"]`).waitFor();

    // The old PIN no longer opens it; the new one does. Then, back online, it is sent.
    await page.reload();
    await typePin(page, PIN);
    await page.getByRole('alert').getByText(LOCK.wrong, { exact: false }).waitFor();
    await typePin(page, '864209');
    await context.setOffline(false);
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await page
      .locator(`[data-interview-id="${waiting}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 15_000 });
  });

  it('locks by itself after five minutes without a touch', async () => {
    const { page } = browser;
    await page.clock.install();
    await page.reload();
    await typePin(page, '864209');
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    await page.clock.runFor(4 * 60_000);
    expect(await page.locator('main[data-lock]').count()).toBe(0);
    await page.clock.runFor(90_000);
    await page.getByRole('heading', { level: 1, name: LOCK.lockedTitle }).waitFor();
  });

  it('is ready offline before its PIN is chosen', async () => {
    const fresh = await launchBrowser({ typePin: false });
    try {
      const { page, context } = fresh;
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('heading', { level: 1, name: LOCK.createTitle }).waitFor();
      // The worker is installed from the lock screen, before any PIN opens the app.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await context.setOffline(true);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: LOCK.createTitle }).waitFor();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
