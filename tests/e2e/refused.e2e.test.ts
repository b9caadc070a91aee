// Refused is not lost, end to end: the real server (API + built pages) on a SQLite file, a tablet
// that uploads one honest interview and two forged ones, and Chromium doing what a coordinator
// does with the two the server refused: read their reasons and the records as sent, accept the
// one whose values the server can recompute (then counted and exported), see the other still
// refused, and dismiss it.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import type {
  InterviewRecordWire,
  RefusedRecordInfo,
  SiteSummary,
} from '../../src/core/protocol/index.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import { buildApp, createUser } from '../../src/server/app.ts';
import { publishShipped, serveApp } from '../../src/server/main.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { tinyDemoPlan } from '../helpers/plans.ts';
import { makeRecord } from '../helpers/records.ts';
import { DIST, TABLET, questionnaireFile, runAxe } from './harness.ts';

const TEXT = DASHBOARD_TEXT.fr;
const demo = questionnaireFile('demo', '1');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** The server's clock: the day after the interviews (2026-06-15), running from there. */
const CLOCK_START = Date.parse('2026-06-16T08:00:00.000Z');

/** A completed demo interview of ENQ01 (18-49), as a tablet sends it. */
function interview(n: number): InterviewRecordWire {
  return makeRecord(
    demo,
    { consent: '1', age: 34, activities: ['shop'], feel_tired: '0', feel_sad: '1' },
    'skip',
    { id: uuid(n), site: 'lille', interviewer: 'ENQ01' },
  ).record;
}

describe('interviews the server refused, on the dashboard', () => {
  let dir: string;
  let store: SqliteStore;
  let server: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let session: string;
  const cspErrors: string[] = [];

  const api = async (url: string) => {
    const response = await server.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${session}` },
    });
    expect(response.statusCode).toBe(200);
    return response.body;
  };
  /** The interviews export's ids and distress scores, by the API. */
  const exported = async (): Promise<Map<string, string>> => {
    const csv = (
      await api('/api/v1/sites/lille/export/interviews.csv?questionnaire=demo&version=1')
    ).replace(/^\uFEFF/, '');
    const [header, ...rows] = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    const id = header?.indexOf('interview_id') ?? -1;
    const score = header?.indexOf('distress_score') ?? -1;
    expect(id).toBeGreaterThanOrEqual(0);
    expect(score).toBeGreaterThanOrEqual(0);
    return new Map(rows.map((row) => [row[id] ?? '', row[score] ?? '']));
  };
  const completed = async () =>
    (JSON.parse(await api('/api/v1/sites/lille/summary?timeZone=UTC')) as SiteSummary).totals
      .completed;
  const card = (n: number): Locator =>
    page.locator('#refused li.refused-card').filter({ hasText: uuid(n) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpg-refused-e2e-'));
    store = new SqliteStore(join(dir, 'smpg.sqlite'));
    await store.migrate();
    const at = new Date(CLOCK_START).toISOString();
    expect(await publishShipped(store, DIST, at)).toContain('demo@1');
    await store.createSite({
      id: 'lille',
      name: 'Lille Centre',
      plan: tinyDemoPlan('lille'),
      shortInterviewSeconds: 10 * 60,
      createdAt: at,
    });
    await createUser(
      store,
      'coordination',
      'mot-de-passe-lille',
      { admin: false, grants: [{ site: 'lille', role: 'coordinator' }] },
      at,
    );
    const startedAt = Date.now();
    server = await buildApp({ store, now: () => new Date(CLOCK_START + Date.now() - startedAt) });
    serveApp(server, DIST);
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

    const login = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'coordination', password: 'mot-de-passe-lille' },
    });
    session = (login.json() as { token: string }).token;
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

    // One honest interview; one whose score was forged; one with a date that does not exist.
    const honest = interview(1);
    const forgedScore = interview(2);
    const forgedDate = interview(3);
    const upload = await server.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { authorization: `Bearer ${device}` },
      payload: {
        records: [
          honest,
          { ...forgedScore, computed: { ...forgedScore.computed, distress_score: 999 } },
          { ...forgedDate, startedAt: '2026-13-45T99:99:99Z' },
        ],
      },
    });
    const results = (upload.json() as { results: { status: string; reason?: string }[] }).results;
    expect(results.map((result) => result.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(results[1]?.reason).toContain('distress_score');
    expect(results[2]?.reason).toContain('startedAt');

    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    const context = await browser.newContext({
      viewport: TABLET,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
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

  it('lists both refused interviews with their reasons and the records as sent', async () => {
    await page.goto(`${base}/dashboard/`);
    await page.getByLabel(TEXT.username).fill('coordination');
    await page.getByLabel(TEXT.password).fill('mot-de-passe-lille');
    await page.getByRole('button', { name: TEXT.logIn }).click();
    await page.getByRole('heading', { name: 'Lille Centre', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: TEXT.sections })
      .getByRole('link', { name: TEXT.refusedTitle })
      .click();
    await page.getByRole('heading', { name: TEXT.refusedTitle, level: 2 }).waitFor();
    await card(2).waitFor();

    const cards = page.locator('#refused li.refused-card');
    expect(await cards.count()).toBe(2);
    expect(await page.locator('#refused').textContent()).not.toContain(uuid(1));
    expect(await page.locator('#refused').textContent()).toContain(
      fill(TEXT.refusedWaiting.other, { count: 2 }),
    );
    const score = (await card(2).textContent()) ?? '';
    // The reason in the dashboard's words, field and values named.
    expect(score).toContain('Calcul distress_score : la tablette indique 999');
    expect(score).toContain('ENQ01');
    // The tablet by its label, the time of receipt as the rest of the dashboard writes it.
    expect(score).toContain('Tablette A');
    expect(score).toMatch(/16\/06\/2026 10:0\d/);
    expect(await card(3).textContent()).toContain(
      'Début : "2026-13-45T99:99:99Z" n’est pas une date',
    );

    // The record as the tablet sent it, on request.
    await card(2).locator('summary').click();
    const sent = card(2).getByLabel(fill(TEXT.refusedSent, { which: uuid(2) }));
    await sent.waitFor();
    const record = JSON.parse((await sent.textContent()) ?? '') as InterviewRecordWire;
    expect(record.id).toBe(uuid(2));
    expect(record.computed['distress_score']).toBe(999);
    expect(await runAxe(page, 'refused interviews')).toEqual([]);
  });

  it('stores the forged score with the server’s value, and counts and exports it', async () => {
    expect(await completed()).toBe(1);
    expect([...(await exported()).keys()]).toEqual([uuid(1)]);
    const young = page.locator('#quotas [data-cell="age/young"]');
    expect(await young.textContent()).toContain('1 / 2');

    await card(2)
      .getByRole('button', { name: fill(TEXT.refusedAcceptLabel, { which: uuid(2) }) })
      .click();
    await card(2).getByRole('status').filter({ hasText: TEXT.refusedStored }).waitFor();
    expect(await card(2).getByRole('status').textContent()).toBe(TEXT.refusedStored);
    expect(
      await card(2)
        .getByRole('button', { name: fill(TEXT.refusedAcceptLabel, { which: uuid(2) }) })
        .count(),
    ).toBe(0);
    // The site's figures are fetched again: the interview counts in its quota cell.
    await young.filter({ hasText: '2 / 2' }).waitFor();

    expect(await completed()).toBe(2);
    const scores = await exported();
    expect([...scores.keys()].sort()).toEqual([uuid(1), uuid(2)]);
    // feel_tired 0 + feel_sad 1: the server's score, not the tablet's 999.
    expect(scores.get(uuid(2))).toBe('1');
  });

  it('says the impossible date is still refused, then dismisses it after confirming', async () => {
    await card(3)
      .getByRole('button', { name: fill(TEXT.refusedAcceptLabel, { which: uuid(3) }) })
      .click();
    const alert = card(3).getByRole('alert');
    await alert.waitFor();
    const words = (await alert.textContent()) ?? '';
    expect(words.startsWith('Toujours refusé : ')).toBe(true);
    expect(words).toContain('Début : "2026-13-45T99:99:99Z"');
    expect(await runAxe(page, 'still refused')).toEqual([]);

    // Dismissing asks for a second click, and can be called off.
    const dismiss = fill(TEXT.refusedDismissLabel, { which: uuid(3) });
    const confirm = fill(TEXT.refusedDismissConfirmLabel, { which: uuid(3) });
    await card(3).getByRole('button', { name: dismiss }).click();
    await card(3)
      .getByRole('button', { name: fill(TEXT.refusedKeepLabel, { which: uuid(3) }) })
      .click();
    expect(await card(3).getByRole('button', { name: confirm }).count()).toBe(0);
    expect(
      (JSON.parse(await api('/api/v1/sites/lille/refused-records')) as RefusedRecordInfo[])
        .filter((item) => item.state === 'refused')
        .map((item) => item.recordId),
    ).toEqual([uuid(3)]);

    await card(3).getByRole('button', { name: dismiss }).click();
    await card(3).getByRole('button', { name: confirm }).click();
    await page
      .locator('#refused')
      .getByRole('status')
      .filter({ hasText: fill(TEXT.refusedDismissedNotice, { which: uuid(3) }) })
      .waitFor();
    await card(3).waitFor({ state: 'detached' });

    // In the list of those already handled: dismissed, by whom.
    const resolved = page.locator('#refused details.refused-resolved');
    await resolved.locator('summary').click();
    const row = resolved.locator('table[data-table="refused-resolved"] tbody tr');
    await row.filter({ hasText: 'coordination' }).waitFor();
    expect(await row.count()).toBe(1);
    const cells = await row.first().locator('th, td').allTextContents();
    expect(cells[0]).toBe(uuid(3));
    expect(cells[4]).toBe(TEXT.refusedDismissed);
    expect(cells[5]).toBe('coordination');
    expect(await runAxe(page, 'refused interview dismissed')).toEqual([]);
    expect([...(await exported()).keys()].sort()).toEqual([uuid(1), uuid(2)]);
  });

  it('says there is none left after a reload, with both in the handled list', async () => {
    await page.reload();
    await page.getByRole('heading', { name: TEXT.refusedTitle, level: 2 }).waitFor();
    await page.locator('#refused').getByText(TEXT.refusedNone, { exact: true }).waitFor();
    const resolved = page.locator('#refused details.refused-resolved');
    expect(await resolved.locator('summary').textContent()).toBe(
      fill(TEXT.refusedResolved, { count: 2 }),
    );
    await resolved.locator('summary').click();
    const decisions = await resolved
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [row.children[0]?.textContent, row.children[4]?.textContent]),
      );
    expect(decisions.sort()).toEqual([
      [uuid(2), TEXT.refusedStored],
      [uuid(3), TEXT.refusedDismissed],
    ]);
    expect(await runAxe(page, 'no refused interview left')).toEqual([]);
  });

  it('breaks no rule of the page’s Content-Security-Policy', () => {
    expect(cspErrors).toEqual([]);
  });
});
