// The coordinator dashboard end to end: the real server (API + built pages) on a SQLite file, a
// tablet's records uploaded through the API, and Debian's Chromium doing what a coordinator does:
// log in, pick the site, read the quotas, the days (totals and legend), the screen-outs and the
// too-short interviews, create tablet codes told apart by their labels, move a share between
// interviewers (refused in French, then accepted), pick a file through the French file field,
// revoke a tablet, download the exports chosen by title and language name; axe on each, and no
// Content-Security-Policy violation on either page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREAK_OFF_COLUMNS, CODEBOOK_HEADER } from '../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import type { QuotaPlan } from '../../src/core/quota/index.ts';
import { anonymise } from '../../src/core/record/index.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import { buildApp, createUser } from '../../src/server/app.ts';
import { publishShipped, serveApp } from '../../src/server/main.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { tinyDemoPlan } from '../helpers/plans.ts';
import { typePinOnLock } from './tablet-pin.ts';
import { DIST, TABLET, questionnaireFile, runAxe, waitForServiceWorkerControl } from './harness.ts';

const TEXT = DASHBOARD_TEXT.fr;
const demo = questionnaireFile('demo', '1');

const PLAN: QuotaPlan = {
  ...tinyDemoPlan('lille'),
  allocations: [
    { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
    { interviewer: 'ENQ02', targets: { age: { young: 1, old: 1 } } },
  ],
};

/** A demo interview as a tablet sends it: completed, or turned away because its cell is full. */
function record(
  n: number,
  interviewer: string,
  age: number,
  startedAt: string,
  minutes: number,
  quotaFull = false,
): InterviewRecordWire {
  const answers = new Map<string, Answer>([
    ['consent', '1'],
    ['age', age],
    ...(quotaFull
      ? []
      : ([
          ['activities', ['shop']],
          ['feel_tired', '0'],
          ['feel_sad', '1'],
        ] as [string, Answer][])),
  ]);
  const endedAt = new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
  return anonymise(
    demo,
    {
      id: uuid(n),
      site: 'lille',
      interviewer,
      deviceId: 'tablet',
      status: quotaFull ? 'screened_out' : 'completed',
      screenOutId: quotaFull ? 'quota_full' : undefined,
      language: 'fr',
      appVersion: 'e2e',
      startedAt,
      endedAt,
      quotaCategories: { age: age < 50 ? 'young' : 'old' },
    },
    answers,
    { today: () => endedAt.slice(0, 10) },
  );
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function textOf(page: Page, selector: string): Promise<string> {
  const locator = page.locator(selector).first();
  await locator.waitFor({ state: 'attached' });
  return (await locator.textContent()) ?? '';
}

describe('coordinator dashboard', () => {
  let dir: string;
  let store: SqliteStore;
  let server: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  /** What Chromium says the pages' Content-Security-Policy refused. */
  const cspErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpg-dashboard-e2e-'));
    store = new SqliteStore(join(dir, 'smpg.sqlite'));
    await store.migrate();
    const at = new Date().toISOString();
    expect(await publishShipped(store, DIST, at)).toContain('demo@1');
    await store.createSite({
      id: 'lille',
      name: 'Lille Centre',
      plan: PLAN,
      shortInterviewSeconds: 10 * 60,
      createdAt: at,
    });
    await store.createSite({
      id: 'lyon',
      name: 'Lyon',
      plan: null,
      shortInterviewSeconds: 600,
      createdAt: at,
    });
    await createUser(
      store,
      'coordination',
      'mot-de-passe-lille',
      {
        admin: false,
        grants: [
          { site: 'lille', role: 'coordinator' },
          { site: 'lyon', role: 'coordinator' },
        ],
      },
      at,
    );
    server = await buildApp({ store });
    serveApp(server, DIST);
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

    // A tablet enrolled by the coordinator sends four interviews, saying two more are waiting.
    const login = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'coordination', password: 'mot-de-passe-lille' },
    });
    const session = (login.json() as { token: string }).token;
    const code = await server.inject({
      method: 'POST',
      url: '/api/v1/sites/lille/enrolment-codes',
      headers: { authorization: `Bearer ${session}` },
    });
    const enrol = await server.inject({
      method: 'POST',
      url: '/api/v1/devices/enrol',
      payload: { code: (code.json() as { code: string }).code, label: 'Tablette A' },
    });
    const device = (enrol.json() as { token: string }).token;
    const upload = await server.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { authorization: `Bearer ${device}` },
      payload: {
        records: [
          record(1, 'ENQ01', 30, '2025-03-10T09:00:00.000Z', 42),
          record(2, 'ENQ01', 70, '2025-03-11T09:00:00.000Z', 5),
          record(3, 'ENQ02', 25, '2025-03-11T13:00:00.000Z', 38),
          record(4, 'ENQ02', 33, '2025-03-11T15:00:00.000Z', 3, true),
        ],
        pending: 2,
      },
    });
    expect(
      (upload.json() as { results: { status: string }[] }).results.map((r) => r.status),
    ).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);

    // A tablet enrolled long ago that never sent anything.
    await store.createEnrolmentCode({
      codeHash: 'old-code',
      site: 'lille',
      createdBy: 'coordination',
      expiresAt: '2025-03-04T00:00:00.000Z',
      createdAt: '2025-03-01T00:00:00.000Z',
    });
    await store.enrolDevice(
      'old-code',
      {
        id: 'silent-tablet',
        label: 'Tablette C',
        tokenHash: 'never-used',
        enrolledAt: '2025-03-01T08:00:00.000Z',
        revokedAt: null,
        lastSyncAt: null,
        lastPending: null,
      },
      '2025-03-01T08:00:00.000Z',
    );

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const context = await browser.newContext({
      viewport: TABLET,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    // The tablets' app registers its service worker once past its lock.
    await typePinOnLock(context);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspErrors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is never precached for the tablets, while the app is', () => {
    const worker = readFileSync(join(DIST, 'sw.js'), 'utf8');
    expect(worker).toMatch(/"assets\/index-[\w-]+\.js"/);
    expect(worker).toMatch(/"assets\/shared-[\w-]+\.js"/);
    // The precache list as the build injects it (JSON: `"url":"index.html"`).
    const precached = [...worker.matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]);
    expect(precached).toContain('index.html');
    expect(precached.filter((url) => url?.includes('dashboard'))).toEqual([]);
  });

  it('logs in, shows the site’s fieldwork, creates a code, moves a share, revokes a tablet', async () => {
    // A browser that once opened the tablets' app: its service worker leaves /dashboard/ alone.
    await page.goto(`${base}/`);
    await waitForServiceWorkerControl(page);

    // Login: a wrong password is refused in words, then the right one opens the site list.
    await page.goto(`${base}/dashboard/`);
    await page.getByRole('heading', { name: TEXT.loginTitle }).waitFor();
    expect(await runAxe(page, 'login')).toEqual([]);
    await page.getByLabel(TEXT.username).fill('coordination');
    await page.getByLabel(TEXT.password).fill('pas-le-bon');
    await page.getByRole('button', { name: TEXT.logIn }).click();
    await page.getByRole('alert').filter({ hasText: TEXT.wrongLogin }).waitFor();
    await page.getByLabel(TEXT.password).fill('mot-de-passe-lille');
    await page.getByRole('button', { name: TEXT.logIn }).click();
    await page.getByRole('heading', { name: TEXT.sitesTitle }).waitFor();
    // Who is logged in, with the sites by their names.
    await page.getByText(/Connecté·e : coordination \(.*Lille Centre, Lyon\)/).waitFor();
    expect(await runAxe(page, 'site picker')).toEqual([]);
    await page.getByRole('link', { name: /Lille Centre/ }).click();
    await page.getByRole('heading', { name: 'Lille Centre', level: 1 }).waitFor();

    // Quotas, site-wide, with the tablet's screen-out in its cell: a table whose bars share one
    // column, whatever the labels' widths.
    const young = await textOf(page, '#quotas [data-cell="age/young"]');
    expect(young).toContain('2 / 2');
    expect(await textOf(page, '#quotas [data-cell="age/young"] [data-column="screened-out"]')).toBe(
      '1',
    );
    expect(await textOf(page, '#quotas [data-cell="age/old"]')).toContain('1 / 2');
    const bars = await page
      .locator('#quotas table.quota-bars meter')
      .evaluateAll((meters) => meters.map((meter) => meter.getBoundingClientRect().left));
    expect(bars).toHaveLength(2);
    expect(new Set(bars).size).toBe(1);

    // Interviewers against their shares.
    const enq01 = page.locator('table[data-table="interviewers"] tr[data-interviewer="ENQ01"]');
    expect((await enq01.locator('td').allTextContents()).slice(0, 4)).toEqual(['2', '2', '', '1']);
    expect(await textOf(page, '[data-cell="ENQ02/age/young"]')).toBe('1 / 1');

    // Interviews per day: two days, drawn and in figures.
    const chart = page.locator('svg[data-chart="daily"]');
    expect(
      await chart
        .locator('g[data-day]')
        .evaluateAll((days) => days.map((d) => d.getAttribute('data-day'))),
    ).toEqual(['2025-03-10', '2025-03-11']);
    // On 11/03, 2 completed and 1 turned away: the bar reads its total, 3, as the legend says.
    expect(await chart.getAttribute('aria-label')).toContain('10/03 1, 11/03 3');
    expect(await chart.locator('g[data-day="2025-03-11"] text.bar-value').textContent()).toBe('3');
    const legend = page.locator('ul[data-legend="daily"] li');
    expect(await legend.allTextContents()).toEqual([
      ` ${TEXT.legendCompleted}`,
      ` ${TEXT.legendScreenedOut}`,
      TEXT.legendTotal,
    ]);
    const rows = page.locator('table[data-table="daily"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['2', '1', '3']);
    // Screen-outs by reason, in words.
    expect(await textOf(page, 'table[data-table="screen-outs"] tbody th')).toBe(
      TEXT.reasons['quota_full'],
    );

    // Durations: the 5-minute interview of ENQ01 is flagged as too short, the others are not.
    const short = page.locator('table[data-table="short"] tbody tr');
    expect(await short.count()).toBe(1);
    const flagged = (await short.first().textContent()) ?? '';
    expect(flagged).toContain('ENQ01');
    expect(flagged).toContain('Tablette A');
    expect(flagged).toContain(TEXT.shortTag);
    expect(flagged).toContain('5 min 00 s');

    // Tablets: last sync and the two interviews it said were waiting; the silent one is flagged.
    const devices = page.locator('table[data-table="devices"] tbody tr');
    const tablet = devices.filter({ hasText: 'Tablette A' });
    expect(await tablet.locator('td').nth(2).textContent()).toBe('2');
    expect(await tablet.textContent()).not.toContain(TEXT.stale);
    const silent = (await devices.filter({ hasText: 'Tablette C' }).textContent()) ?? '';
    expect(silent).toContain(TEXT.never);
    expect(silent).toContain(TEXT.stale);
    expect(await runAxe(page, 'site page')).toEqual([]);

    // An enrolment code, named, shown big, that a tablet can really use.
    await page.getByLabel(TEXT.enrolLabel).fill('Tablette B');
    await page.getByRole('button', { name: TEXT.enrolCreate }).click();
    const shown = page.locator('.enrolment-code');
    await shown.waitFor();
    const code = (await shown.textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await textOf(page, '.enrolment-result')).toContain('Valable une fois, jusqu’au');
    // The same code as a link and its QR code, for the tablet's camera; listed until it is used.
    expect(await page.getByLabel(TEXT.enrolLink, { exact: true }).inputValue()).toBe(
      `${base}/?enrol=${code}`,
    );
    expect(
      await page.getByRole('img', { name: fill(TEXT.enrolQr, { code }) }).getAttribute('viewBox'),
    ).toMatch(/^0 0 \d+ \d+$/);
    const codes = page.locator('table[data-table="enrolment-codes"] tbody tr');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(1);
    expect(await codes.first().textContent()).toContain(TEXT.codeShown);
    expect(await codes.first().textContent()).toContain('Tablette B');
    expect(await runAxe(page, 'enrolment code')).toEqual([]);
    const enrolled = await server.inject({
      method: 'POST',
      url: '/api/v1/devices/enrol',
      payload: { code, label: 'Tablette B' },
    });
    expect(enrolled.statusCode).toBe(200);

    // Two more codes made the same minute: their cancel buttons have names of their own (the
    // first code is used, so they are the only ones listed); the second one is cancelled.
    await page.getByRole('button', { name: TEXT.enrolCreate }).click();
    await shown.filter({ hasNotText: code }).waitFor();
    const kept = (await shown.textContent()) ?? '';
    await page.getByRole('button', { name: TEXT.enrolCreate }).click();
    await shown.filter({ hasNotText: kept }).waitFor();
    const second = (await shown.textContent()) ?? '';
    await expect.poll(() => codes.count()).toBe(2);
    const cancels = await codes
      .getByRole('button', { name: TEXT.codeCancel })
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    expect(cancels).toHaveLength(2);
    expect(new Set(cancels).size).toBe(2);
    for (const name of cancels) expect(name).toMatch(/\d\d:\d\d:\d\d/);
    const current = codes.filter({ hasText: TEXT.codeShown });
    await current.getByRole('button', { name: TEXT.codeCancel }).click();
    await expect.poll(() => codes.count()).toBe(1);
    expect(await shown.count()).toBe(0);
    await codes.first().getByRole('button', { name: TEXT.codeCancel }).click();
    await page.getByText(TEXT.codesNone).waitFor();
    const cancelled = await server.inject({
      method: 'POST',
      url: '/api/v1/devices/enrol',
      payload: { code: second, label: 'Tablette D' },
    });
    expect(cancelled.statusCode).toBe(401);

    // Moving ENQ01's 18-49 share away is refused: ENQ01 has done that interview already.
    const form = page.getByRole('form', { name: TEXT.moveTitle });
    await form.getByLabel(TEXT.moveCell, { exact: true }).selectOption('age/young');
    await form.getByLabel(TEXT.moveFrom, { exact: true }).selectOption('ENQ01');
    await form.getByLabel(TEXT.moveTo, { exact: true }).fill('ENQ03');
    await form.getByLabel(TEXT.moveCount, { exact: true }).fill('1');
    await form.getByRole('button', { name: TEXT.moveSubmit }).click();
    // In the dashboard's words, the cell named as the plan names it, not the server's English.
    const refusal = form.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      `${TEXT.moveRefused} ENQ01 a déjà fait 1 entretien dans la case « 18-49 ans » : sa part ne peut pas descendre sous 1.`,
    );
    expect(await runAxe(page, 'move refused')).toEqual([]);

    // ENQ02 has not done any 50+ interview yet: their share goes to ENQ03.
    await form.getByLabel(TEXT.moveCell, { exact: true }).selectOption('age/old');
    await form.getByLabel(TEXT.moveFrom, { exact: true }).selectOption('ENQ02');
    await form.getByRole('button', { name: TEXT.moveSubmit }).click();
    await form
      .getByRole('status')
      .filter({
        hasText: fill(TEXT.moveDone.one, {
          count: 1,
          cell: '50 ans et plus',
          from: 'ENQ02',
          to: 'ENQ03',
        }),
      })
      .waitFor();
    await page.locator('[data-cell="ENQ03/age/old"]').waitFor();
    expect(await textOf(page, '[data-cell="ENQ03/age/old"]')).toBe('0 / 1');
    expect(await textOf(page, '[data-cell="ENQ02/age/old"]')).toBe('0 / 0');
    const stored = (await store.getSite('lille'))?.plan as QuotaPlan;
    expect(stored.allocations).toEqual([
      { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
      { interviewer: 'ENQ02', targets: { age: { young: 1, old: 0 } } },
      { interviewer: 'ENQ03', targets: { age: { old: 1 } } },
    ]);

    // The backup file field says, in French, that no file is chosen, then the file's name; the
    // test picks the file through the input, as a keyboard or a screen reader reaches it.
    const backups = page.locator('[data-panel="backup-import"]');
    expect(await backups.locator('.file-chosen').textContent()).toBe(TEXT.fileNone);
    expect(await backups.locator('.file-button').textContent()).toBe(TEXT.fileChoose);
    await backups.getByLabel(TEXT.backupFile).setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"not":"a backup"}'),
    });
    await backups.getByRole('alert').filter({ hasText: TEXT.backupNotAFile }).waitFor();
    expect(await backups.locator('.file-chosen').textContent()).toBe('notes.json');
    // From the keyboard, the focus on the hidden input shows on the label drawn as a button.
    await backups.getByLabel(TEXT.backupFile).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(
      await backups
        .locator('.file-button')
        .evaluate((label) => getComputedStyle(label).outlineStyle),
    ).toBe('solid');
    expect(await runAxe(page, 'file field')).toEqual([]);

    // Revoking a tablet asks for confirmation, then the server refuses its token.
    await page
      .getByRole('button', { name: fill(TEXT.revokeLabel, { label: 'Tablette A' }) })
      .click();
    await page
      .getByRole('button', { name: fill(TEXT.revokeConfirm, { label: 'Tablette A' }) })
      .click();
    await devices.filter({ hasText: 'Tablette A' }).filter({ hasText: 'retirée le' }).waitFor();
    const revoked = (await store.listDevices('lille')).find((d) => d.label === 'Tablette A');
    expect(revoked?.revokedAt).not.toBeNull();
    expect(await runAxe(page, 'after the moves')).toEqual([]);

    // English on request, kept across a reload.
    await page.getByLabel(TEXT.interfaceLanguage).selectOption('en');
    await page.getByRole('heading', { name: DASHBOARD_TEXT.en.dailyTitle }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: DASHBOARD_TEXT.en.durationsTitle }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await runAxe(page, 'site page in English')).toEqual([]);
  });

  it('downloads the interviews, the codebook and the screen-outs as CSV', async () => {
    const EN = DASHBOARD_TEXT.en;
    const panel = page.locator('#export');
    // Questionnaires by their titles, label languages by their own names.
    expect(
      await panel.getByLabel(EN.exportQuestionnaire).locator('option').allTextContents(),
    ).toContain('Demo: life in the neighbourhood (v2)');
    await panel.getByLabel(EN.exportQuestionnaire).selectOption('demo');
    expect(await panel.getByLabel(EN.exportLanguage).locator('option').allTextContents()).toEqual([
      'Français',
      'English',
    ]);
    await panel.getByLabel(EN.exportFormat).selectOption('excel_fr');
    const save = async (button: string): Promise<string> => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: button }).click(),
      ]);
      return readFileSync(await download.path(), 'utf8');
    };
    const parse = (text: string) => {
      expect(text.startsWith('\uFEFF')).toBe(true);
      const result = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
      expect(result.errors).toEqual([]);
      return result.data;
    };

    const [header, ...rows] = parse(await save(EN.exportInterviews));
    expect(header?.[0]).toBe('consent');
    const id = header?.indexOf('interview_id') ?? -1;
    // The three completed interviews of Lille; the one turned away is in the screen-outs.
    expect(rows.map((row) => row[id]).sort()).toEqual([1, 2, 3].map(uuid));
    await panel.getByTestId('export-done').waitFor();
    expect(await panel.getByTestId('export-done').textContent()).toContain('demo_lille_interviews');

    const [bookHeader, ...book] = parse(await save(EN.exportCodebook));
    expect(bookHeader).toEqual([...CODEBOOK_HEADER]);
    // The interviews' columns, then those proper to the break-offs' and paradata files.
    expect(book.map((row) => row[0])).toEqual([
      ...(header ?? []),
      ...BREAK_OFF_COLUMNS,
      'status',
      'item',
      'seconds',
      'languages',
    ]);

    const [outHeader, ...outs] = parse(await save(EN.exportScreenOuts));
    expect(outs.map((row) => row[0])).toEqual([uuid(4)]);
    expect(outs[0]?.[outHeader?.indexOf('reason') ?? -1]).toBe('quota_full');
    expect(await runAxe(page, 'exports')).toEqual([]);
  });

  // Last: the tablets' app and the dashboard have both been through their screens by now.
  it('breaks no rule of the pages’ Content-Security-Policy', () => {
    expect(cspErrors).toEqual([]);
  });
});
