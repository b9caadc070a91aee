// The tablet with the central server, end to end: the server (SQLite in memory) serves the built
// app; the tablet enrols with a one-time code and receives the site's pick-up points, turns a
// respondent away on the site-wide counts (another tablet already filled the cell), sends its
// interviews, and sends the one finished offline once the network is back. The server then holds
// each record once, with the pick-up point chosen.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { anonymise } from '../../src/core/record/index.ts';
import type { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  choosePickupPoint,
  completeInterview,
  currentScreen,
  launchBrowser,
  pickupOption,
  interviewIdOf,
  questionnaireFile,
  runAxe,
} from './harness.ts';

describe('enrolment and sync with the central server', () => {
  let server: CentralServer;
  let store: SqliteStore;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let baseUrl: string;
  let coordinator: string;

  const api: CentralServer['api'] = (...args) => server.api(...args);

  beforeAll(async () => {
    server = await startCentralServer();
    ({ store, baseUrl, coordinator } = server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('enrols, decides on the site counts, sends, and sends again after the network is back', async () => {
    // Another tablet of the site already sent two interviews of the 18-49 cell (its limit is 2).
    const other = await api('POST', '/api/v1/devices/enrol', undefined, {
      code: String((await api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator))['code']),
      label: 'other tablet',
    });
    const demo = questionnaireFile('demo', '1');
    const endedAt = new Date().toISOString();
    const records = [31, 32].map((age) =>
      anonymise(
        demo,
        {
          id: crypto.randomUUID(),
          site: 'lille',
          interviewer: 'ENQ-99',
          deviceId: String(other['deviceId']),
          status: 'completed',
          language: 'fr',
          appVersion: 'test',
          startedAt: new Date(Date.now() - 1_800_000).toISOString(),
          endedAt,
          quotaCategories: { age: 'young' },
        },
        runInterview(demo, { ...DEMO_CALM, age }, { today: endedAt.slice(0, 10) }).state.answers,
        { today: () => endedAt.slice(0, 10) },
      ),
    );
    const sent = await api('POST', '/api/v1/records', String(other['token']), { records });
    expect(sent['results']).toEqual(records.map(({ id }) => ({ id, status: 'accepted' })));
    // The coordinator lists the site's pick-up points before the tablet is enrolled.
    const places = ['Marché de Wazemmes', 'Gare Lille-Flandres'];
    await api('PUT', '/api/v1/sites/lille/pickup-points', coordinator, { pickupPoints: places });

    // Enrolment: the server address is the page's, the code may be typed in lower case.
    const { page, context } = browser;
    // Every upload goes gzipped: its coding and its body as the browser sent them.
    const uploads: { encoding: string | undefined; body: Buffer | null }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/records'))
        uploads.push({
          encoding: request.headers()['content-encoding'],
          body: request.postDataBuffer(),
        });
    });
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.getByLabel(TEXT.serverUrl).inputValue()).toBe(baseUrl);
    const code = String(
      (await api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator))['code'],
    );
    await page.getByLabel(TEXT.enrolCode).fill(code.toLowerCase());
    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    expect(await page.locator('.home-header').textContent()).toContain('Lille');
    // The first sync runs right after enrolment: it brings the plan and the site's counts.
    await expect
      .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 10_000 })
      .not.toBe(TEXT.syncNever);
    await page.getByText(TEXT.syncNoServer).waitFor({ state: 'detached' });

    // Starting an interview asks where: the site's places, none selected on a new tablet.
    const demoSelected = () =>
      page
        .getByRole('combobox', { name: new RegExp(`^${TEXT.questionnaire}\\b`) })
        .selectOption('demo');
    await demoSelected();
    await page.getByRole('button', { name: TEXT.newInterview }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.pickupTitle }).waitFor();
    await expect
      .poll(() =>
        page
          .locator('input[name="pickup-point"]')
          .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)),
      )
      .toEqual([...places, '']);
    expect(await page.locator('input[name="pickup-point"]:checked').count()).toBe(0);
    expect(await runAxe(page, 'pick-up point chooser')).toEqual([]);
    await choosePickupPoint(page, 'Gare Lille-Flandres');
    await page.waitForURL(/#\/interview\/[0-9a-f-]{36}$/);
    await currentScreen(page);

    // This tablet has done no interview, yet the 18-49 cell is full site-wide.
    const turnedAway = interviewIdOf(page);
    const refused = await answerUntil(page, { ...DEMO_CALM, age: 30 });
    expect(refused.stoppedOn).toEqual({ kind: 'end', title: TEXT.quotaFullTitle });
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await page
      .locator(`[data-interview-id="${turnedAway}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 10_000 });

    expect(await page.locator(`[data-interview-id="${turnedAway}"]`).textContent()).toContain(
      'Gare Lille-Flandres',
    );

    // A respondent of 70 interviewed with the network cut: the upload fails and waits. The place
    // of the last interview is selected already: one tap.
    await context.setOffline(true);
    await demoSelected();
    await page.getByRole('button', { name: TEXT.newInterview }).click();
    await expect.poll(() => pickupOption(page, 'Gare Lille-Flandres').isChecked()).toBe(true);
    await page.getByRole('button', { name: TEXT.pickupStart }).click();
    await page.waitForURL(/#\/interview\/[0-9a-f-]{36}$/);
    const offline = interviewIdOf(page);
    const run = await answerUntil(page, { ...DEMO_CALM, age: 70 });
    expect(run.stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await page.getByTestId('sync-error').waitFor({ timeout: 10_000 });
    // Said in words the interviewer can act on; the browser's own error stays behind "Détails".
    const problem = page.getByTestId('sync-error');
    expect(await problem.getAttribute('data-problem')).toBe('offline');
    expect(await problem.textContent()).toContain(TEXT.syncProblems.offline);
    expect(await page.getByTestId('sync-error-detail').isVisible()).toBe(false);
    expect(
      await page.locator(`[data-interview-id="${offline}"]`).getAttribute('data-sync-state'),
    ).toBe('waiting');
    expect(await page.getByTestId('sync-pending').textContent()).toBe('1');

    // Back online: it goes without anyone pressing anything.
    await context.setOffline(false);
    await page
      .locator(`[data-interview-id="${offline}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('0');
    expect(await runAxe(page, 'home, enrolled, after sync')).toEqual([]);

    const stored = await store.listRecords({ site: 'lille' }, null, 100);
    expect(stored.map((row) => row.id).sort()).toEqual(
      [...records.map(({ id }) => id), turnedAway, offline].sort(),
    );
    expect(stored.find((row) => row.id === turnedAway)).toMatchObject({
      status: 'screened_out',
      screenOutId: 'quota_full',
    });
    for (const id of [turnedAway, offline]) {
      const body = JSON.parse(stored.find((row) => row.id === id)?.body ?? '{}') as object;
      expect(body).toMatchObject({ pickupPoint: 'Gare Lille-Flandres' });
    }
    expect(stored.find((row) => row.id === offline)).toMatchObject({
      status: 'completed',
      interviewer: 'ENQ-07',
    });
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    for (const { encoding, body } of uploads) {
      expect(encoding).toBe('gzip');
      const sent = JSON.parse(gunzipSync(body ?? Buffer.alloc(0)).toString('utf8')) as {
        records: { id: string }[];
      };
      expect(sent.records.length).toBeGreaterThan(0);
    }
  });
});
