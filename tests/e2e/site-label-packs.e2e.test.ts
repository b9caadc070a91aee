// A language for one site, end to end in Chromium against the real server: a translation sheet of
// the demo questionnaire filled for a new language (`gcr`, words of our own) becomes a pack sent
// for site Cayenne; a tablet of Cayenne offers the language and runs an interview in it (its record
// names the pack's revision, and the server keeps it); a tablet of Lille does not offer it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Definition } from '../../src/core/questionnaire/index.ts';
import {
  packFromTranslationSheet,
  translationRows,
  translationSheet,
} from '../../src/core/xlsform/translation-sheet.ts';
import { createUser } from '../../src/server/app.ts';
import { tinyDemoPlan } from '../helpers/plans.ts';
import { readWorkbook, writeWorkbook } from '../../scripts/lib/xlsx.ts';
import type { CentralServer } from './central-server.ts';
import { enrolTablet, startCentralServer } from './central-server.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  launchBrowser,
  startInterview,
} from './harness.ts';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const SITE = 'cayenne';
const LANGUAGE = 'gcr';
/** Our own words for the test: the French text, marked, so each text is told apart. */
const kreyol = (french: string) => `Kréyòl — ${french}`;

/** The language choices the interview screen offers. */
async function offeredLanguages(page: Page): Promise<string[]> {
  const select = page.getByLabel(TEXT.interviewLanguage);
  await select.waitFor();
  return select
    .locator('option')
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
}

describe('a language for one site', () => {
  let server: CentralServer;
  let coordinator: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    server = await startCentralServer();
    const at = new Date().toISOString();
    await server.store.createSite({
      id: SITE,
      name: 'Cayenne',
      plan: tinyDemoPlan(SITE),
      shortInterviewSeconds: 600,
      createdAt: at,
    });
    await createUser(
      server.store,
      'coord-cayenne',
      'secret-cayenne',
      { admin: false, grants: [{ site: SITE, role: 'coordinator' }] },
      at,
    );
    const login = await server.api('POST', '/api/v1/auth/login', undefined, {
      username: 'coord-cayenne',
      password: 'secret-cayenne',
    });
    coordinator = String(login['token']);
    for (let i = 0; i < 2; i++) browsers.push(await launchBrowser());
  });
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await server?.close();
  });

  /** Enrols the tablet with a one-time code of Cayenne; waits for its first sync. */
  async function enrolAtCayenne(page: Page): Promise<void> {
    await page.goto(`${server.baseUrl}/`);
    await expect.poll(() => page.getByLabel(TEXT.serverUrl).inputValue()).toBe(server.baseUrl);
    const code = String(
      (await server.api('POST', `/api/v1/sites/${SITE}/enrolment-codes`, coordinator))['code'],
    );
    await page.getByLabel(TEXT.enrolCode).fill(code);
    await page.getByLabel(TEXT.interviewer).fill('ENQ-12');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    await expect
      .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 10_000 })
      .not.toBe(TEXT.syncNever);
  }

  it('a sheet filled for gcr reaches Cayenne’s tablet, which runs an interview in it; Lille’s does not offer it', async () => {
    // The translator's sheet of every published demo version, its gcr column filled for the
    // respondent's texts only: the interviewer's instructions stay in French.
    const versions = (await server.store.listQuestionnaires()).filter(
      (row) => row.questionnaireId === 'demo',
    );
    expect(versions.length).toBeGreaterThan(0);
    for (const row of versions) {
      const definition = JSON.parse(row.definition) as Definition;
      const respondent = new Set(
        translationRows(definition)
          .filter((text) => text.reader === 'respondent')
          .map((text) => text.key),
      );
      const [header = [], ...rows] = translationSheet(definition, LANGUAGE)['translation'] ?? [];
      const target = header.length - 1;
      const filled = rows.map((cells) => {
        const french = cells[3] ?? '';
        const copy = [...cells];
        copy[target] = respondent.has(cells[0] ?? '') && french !== '' ? kreyol(french) : '';
        return copy;
      });
      const bytes = await writeWorkbook({ translation: [header, ...filled] });
      const read = packFromTranslationSheet(definition, await readWorkbook(bytes), LANGUAGE);
      expect(read.issues).toEqual([]);
      expect(read.report?.missing).toEqual([]);
      expect(read.report?.fallback).toBeGreaterThan(0);
      const sent = await server.api(
        'PUT',
        `/api/v1/sites/${SITE}/label-packs/demo/${row.version}/${LANGUAGE}`,
        coordinator,
        { pack: read.pack },
      );
      expect(sent).toMatchObject({ revision: 1, coverage: { missingRespondent: 0 } });
    }

    // Cayenne's tablet: the language is offered, and the interview runs in it.
    const [cayenne, lille] = browsers as [Browser, Browser];
    await enrolAtCayenne(cayenne.page);
    const id = await startInterview(cayenne.page, 'demo');
    expect(await offeredLanguages(cayenne.page)).toContain(LANGUAGE);
    await cayenne.page.getByLabel(TEXT.interviewLanguage).selectOption(LANGUAGE);
    const screen = await currentScreen(cayenne.page);
    expect(screen.kind).toBe('item');
    await expect.poll(() => cayenne.page.locator('main').textContent()).toContain('Kréyòl — ');
    const run = await answerUntil(cayenne.page, DEMO_CALM);
    expect(run.stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(cayenne.page);
    await cayenne.page.getByRole('button', { name: TEXT.backHome }).click();
    await cayenne.page.getByRole('button', { name: TEXT.syncNow }).click();
    await cayenne.page
      .locator(`[data-interview-id="${id}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 30_000 });
    const stored = await server.store.getRecord(id);
    expect(stored?.site).toBe(SITE);
    expect(JSON.parse(stored?.body ?? '{}')).toMatchObject({
      language: LANGUAGE,
      labelPacks: { [LANGUAGE]: 1 },
      paradata: { languages: ['fr', LANGUAGE] },
    });

    // Lille's tablet has the same versions, without Cayenne's language.
    await lille.page.goto(`${server.baseUrl}/`);
    await enrolTablet(lille.page, server);
    await startInterview(lille.page, 'demo');
    const offered = await offeredLanguages(lille.page);
    expect(offered).toContain('fr');
    expect(offered).not.toContain(LANGUAGE);
  });
});
