// Issue #21's safety protocol in real Chromium: an alert raised stays on screen across a reload
// until the interviewer acknowledges it, saying what they did; an interview stopped after that,
// with its reason, waits in the outbox (IndexedDB) as a broken-off record with its alert events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecord } from '../../src/app/storage/index.ts';
import { DEMO_DISTRESS } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  TEXT,
  answerUntil,
  currentScreen,
  firstRun,
  giveAnswer,
  readIndexedDb,
  startApp,
  startInterview,
} from './harness.ts';

describe('an alert that reaches the team', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('survives a reload until acknowledged, and leaves with the broken-off interview', async () => {
    const { page, baseUrl } = app;
    await page.goto(baseUrl);
    await firstRun(page);
    const id = await startInterview(page, 'demo');
    const row = async () =>
      (await readIndexedDb<InterviewRecord>(page, 'interviews', id))[0] as InterviewRecord;

    // The grid's answers raise the distress alert; it is in the database at once.
    await answerUntil(page, DEMO_DISTRESS, { stopAt: 'feelings' });
    await giveAnswer(page, 'feelings', 'feel_tired', '2');
    await giveAnswer(page, 'feelings', 'feel_sad', '2');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await expect
      .poll(async () => (await row()).alertEvents)
      .toMatchObject([{ id: 'distress', acknowledgedAt: null, actions: [] }]);

    // Reloaded before "J’ai appliqué le protocole": the alert is back.
    await page.reload();
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Détresse importante',
    );

    // Acknowledged with what was done: two of the actions.
    await dialog.getByRole('checkbox', { name: TEXT.alertActions.helpline_given }).check();
    await dialog.getByRole('checkbox', { name: TEXT.alertActions.supervisor_told }).check();
    await dialog.getByRole('button', { name: TEXT.alertAcknowledge }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'feelings' });
    await expect
      .poll(async () => (await row()).alertEvents?.[0]?.actions)
      .toEqual(['helpline_given', 'supervisor_told']);

    // Acknowledged, it does not come back.
    await page.reload();
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'feelings' });
    expect(await dialog.count()).toBe(0);

    // The respondent does not feel well: the interview stops here, with the reason.
    await page.getByRole('button', { name: TEXT.abandon }).click();
    const stop = page.getByRole('dialog');
    await stop.getByRole('heading', { name: TEXT.breakOffTitle }).waitFor();
    await stop.getByRole('radio', { name: TEXT.breakOffReasons.respondent_unwell }).check();
    await stop.getByRole('button', { name: TEXT.confirmAbandon }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.brokenOffTitle }).waitFor();

    // In the outbox: a broken-off interview, waiting to be sent, with its alert events.
    const stored = await row();
    expect(stored).toMatchObject({
      status: 'broken_off',
      breakOff: { reason: 'respondent_unwell', itemId: 'feelings' },
      languages: ['fr'],
    });
    expect(stored.sync).toBeUndefined();
    expect(stored.alertEvents).toHaveLength(1);
    const [event] = stored.alertEvents ?? [];
    expect(event).toMatchObject({ id: 'distress', actions: ['helpline_given', 'supervisor_told'] });
    expect(event?.acknowledgedAt).not.toBeNull();
    expect(event !== undefined && event.raisedAt <= (event.acknowledgedAt ?? '')).toBe(true);
    expect(Object.keys(stored.itemMs ?? {})).toEqual(
      expect.arrayContaining(['consent', 'age', 'feelings']),
    );

    // The home screen lists it among today's interviews, waiting to be sent.
    await page.getByRole('button', { name: TEXT.backHome }).click();
    const listed = page.locator(`[data-interview-id="${id}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute('data-sync-state')).toBe('waiting');
    expect(await listed.textContent()).toContain(TEXT.statusBrokenOff);
  });
});
