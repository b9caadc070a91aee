// A site's own income bands end to end in Chromium against the real server: the tablet shows the
// site's bands at SMPG 2026.2's income question, the records sent carry them and the export gives
// their amounts; bands changed on the server reach new interviews only, a draft keeps its own, and
// the export keeps the amount columns after the site clears its bands.
import type { Page } from 'playwright-core';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomeBands, InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { demoPlan } from '../../src/server/main.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { PERSONAS } from '../helpers/smpg-personas-2026.2.ts';
import { POLICIES } from '../helpers/smpg-personas.ts';
import type { CentralServer } from './central-server.ts';
import { enrolTablet, startCentralServer } from './central-server.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  itemSection,
  launchBrowser,
  questionnaireFile,
  readIndexedDb,
  startInterview,
  storedInterview,
  unlockIfLocked,
} from './harness.ts';

const INCOME = 'sd_income';
const FIRST: IncomeBands = { item: INCOME, currency: 'EUR', upperBounds: [840, 1200, 2000] };
const SECOND: IncomeBands = { item: INCOME, currency: 'EUR', upperBounds: [900, 1500, 2500, 4000] };

/** Intl's no-break spaces, read as plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

/**
 * Every answer of the persona who answers "no" to every health question (the engine's own walk
 * of it), with `income` for the income question.
 */
function script(income: string): Record<string, Answer> {
  const persona = PERSONAS.find((candidate) => candidate.id === 'no_disorder');
  if (persona === undefined) throw new Error('persona no_disorder is missing');
  const walked = runInterview(
    questionnaireFile('smpg', '2026.2'),
    { ...persona.script, [INCOME]: income },
    { policy: POLICIES[persona.policy] },
  );
  expect(walked.step.kind).toBe('end');
  expect(walked.state.answers.get(INCOME)).toBe(income);
  return Object.fromEntries(walked.state.answers);
}

/** The income question's choices as the interviewer reads them. */
async function incomeChoices(page: Page): Promise<string[]> {
  const section = itemSection(page, INCOME);
  const inputs = await section.locator(`input[name="${INCOME}"]`).all();
  const labels: string[] = [];
  for (const input of inputs) {
    const id = await input.getAttribute('id');
    const label =
      id === null
        ? input.locator('xpath=ancestor::label[1]')
        : section.locator(`label[for="${id}"]`).or(input.locator('xpath=ancestor::label[1]'));
    labels.push(plain(await label.first().textContent()));
  }
  return labels;
}

/** Back to the home screen from an interview left open. */
async function home(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/#/`);
  await unlockIfLocked(page);
  await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
}

/** The site's settings now, with `incomeBands` (null: the questionnaire's own). */
async function setBands(server: CentralServer, incomeBands: IncomeBands | null): Promise<void> {
  const site = await server.api('GET', '/api/v1/sites/lille', server.coordinator);
  await server.api('PUT', '/api/v1/sites/lille/settings', server.coordinator, {
    ...(site['settings'] as Record<string, unknown>),
    incomeBands,
  });
}

/** The bands the tablet holds in its settings, from its last sync. */
async function tabletBands(page: Page): Promise<unknown> {
  const rows = await readIndexedDb<{ siteSettings?: { incomeBands?: unknown } }>(page, 'settings');
  return rows.find((row) => row.siteSettings !== undefined)?.siteSettings?.incomeBands;
}

/** The interviews' CSV of `lille` through the API, parsed: its header and rows by interview id. */
async function exported(server: CentralServer) {
  const response = await server.app.inject({
    method: 'GET',
    url: '/api/v1/sites/lille/export/interviews.csv?questionnaire=smpg&formulas=raw',
    headers: { authorization: `Bearer ${server.coordinator}` },
  });
  expect(response.statusCode, response.body).toBe(200);
  const [header = [], ...rows] = Papa.parse<string[]>(response.body.trim()).data;
  const at = (name: string) => header.indexOf(name);
  const byId = new Map(rows.map((row) => [row[at('interview_id')], row]));
  return {
    header,
    cells: (id: string, names: readonly string[]) => names.map((name) => byId.get(id)?.[at(name)]),
  };
}

describe('a site’s own income bands on a field tablet', () => {
  let server: CentralServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    server = await startCentralServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows, sends and exports each interview’s own bands, old drafts keeping theirs', async () => {
    const { page } = browser;
    const { baseUrl, coordinator } = server;
    // The site runs SMPG with Cayenne's kind of bands before its tablet is enrolled.
    await server.api('PUT', '/api/v1/sites/lille/quota-plan', coordinator, demoPlan('lille'));
    await setBands(server, FIRST);
    await page.goto(`${baseUrl}/`);
    await unlockIfLocked(page);
    await enrolTablet(page, server);
    await expect.poll(() => tabletBands(page)).toEqual(FIRST);

    // An interview started with the first bands, left open at the income question.
    const before = script('2');
    const draftId = await startInterview(page);
    expect((await answerUntil(page, before, { stopAt: INCOME })).stoppedOn).toEqual({
      kind: 'item',
      id: INCOME,
    });
    expect(await incomeChoices(page)).toEqual([
      'Moins de 840 €',
      'De 840 à 1 199 €',
      'De 1 200 à 1 999 €',
      '2 000 € ou plus',
    ]);
    await home(page, baseUrl);

    // The coordinator changes the bands; the tablet's next sync brings them.
    await setBands(server, SECOND);
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await expect.poll(() => tabletBands(page), { timeout: 10_000 }).toEqual(SECOND);

    // A new interview takes the new bands; the draft keeps those it started with.
    const after = script('5');
    const newId = await startInterview(page);
    expect((await storedInterview(page, newId)).record?.incomeBands).toEqual(SECOND);
    expect((await storedInterview(page, draftId)).record?.incomeBands).toEqual(FIRST);
    await answerUntil(page, after, { stopAt: INCOME });
    expect(await incomeChoices(page)).toEqual([
      'Moins de 900 €',
      'De 900 à 1 499 €',
      'De 1 500 à 2 499 €',
      'De 2 500 à 3 999 €',
      '4 000 € ou plus',
    ]);
    expect((await answerUntil(page, after)).stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();

    // The draft, resumed, still offers its own four bands.
    await page
      .getByRole('region', { name: TEXT.drafts })
      .getByRole('button', { name: new RegExp(`^${TEXT.resume}`) })
      .click();
    await itemSection(page, INCOME).waitFor();
    expect(await incomeChoices(page)).toEqual([
      'Moins de 840 €',
      'De 840 à 1 199 €',
      'De 1 200 à 1 999 €',
      '2 000 € ou plus',
    ]);
    expect((await answerUntil(page, before)).stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();

    // Both are sent, each with the bands it showed.
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    const stored = async () =>
      (await server.store.listRecords({ site: 'lille' }, null, 10)).map(
        (row) => JSON.parse(row.body) as InterviewRecordWire,
      );
    await expect.poll(async () => (await stored()).length, { timeout: 20_000 }).toBe(2);
    const records = new Map((await stored()).map((record) => [record.id, record]));
    expect(records.get(draftId)).toMatchObject({ incomeBands: FIRST, answers: { [INCOME]: '2' } });
    expect(records.get(newId)).toMatchObject({ incomeBands: SECOND, answers: { [INCOME]: '5' } });

    // The export gives each record its own band's amounts, and keeps them once the site clears
    // its bands (the columns come from the records).
    const columns = [INCOME, `${INCOME}_lower`, `${INCOME}_upper`];
    for (const bands of [SECOND, null]) {
      await setBands(server, bands);
      const csv = await exported(server);
      const at = csv.header.indexOf(INCOME);
      expect(csv.header.slice(at, at + 3), String(bands)).toEqual(columns);
      expect(csv.cells(draftId, columns)).toEqual(['2', '840', '1199']);
      expect(csv.cells(newId, columns)).toEqual(['5', '4000', '']);
    }
  }, 900_000);
});
