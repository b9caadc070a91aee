// The "done when": a small XLSForm written by hand in LibreOffice
// (tests/fixtures/xlsform/libreoffice-form.fods, saved as .xlsx by LibreOffice itself) is published
// from the dashboard's Questionnaires page against the real server, reaches an enrolled tablet at
// its first sync, and runs there in Chromium (in practice mode: the site's plan is on the demo),
// the towns offered following the region answered before.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import { createUser } from '../../src/server/app.ts';
import type { CentralServer } from './central-server.ts';
import { enrolTablet, startCentralServer } from './central-server.ts';
import {
  TABLET,
  TEXT,
  answerCurrentScreen,
  completeInterview,
  currentScreen,
  itemSection,
  launchBrowser,
  pressBack,
  storedInterview,
  startInterview,
  unlockIfLocked,
} from './harness.ts';

const DASHBOARD = DASHBOARD_TEXT.fr;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FORM = 'tests/fixtures/xlsform/libreoffice-form.xlsx';

/** The codes of the choices offered on the item's screen, in order. */
async function offered(page: Page, itemId: string): Promise<string[]> {
  return itemSection(page, itemId)
    .locator(`input[name="${itemId}"]`)
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
}

describe('an XLSForm written in LibreOffice', () => {
  let server: CentralServer;
  let dashboard: Browser;
  let tablet: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startCentralServer();
    await createUser(
      server.store,
      'etude',
      'mot-de-passe-etude',
      { admin: true, grants: [] },
      new Date().toISOString(),
    );
    dashboard = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    tablet = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await tablet?.close();
    await dashboard?.close();
    await server?.close();
  });

  it('is published from the dashboard', async () => {
    const context = await dashboard.newContext({ viewport: TABLET, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/dashboard/`);
    await page.getByRole('heading', { name: DASHBOARD.loginTitle }).waitFor();
    await page.getByLabel(DASHBOARD.username).fill('etude');
    await page.getByLabel(DASHBOARD.password).fill('mot-de-passe-etude');
    await page.getByRole('button', { name: DASHBOARD.logIn }).click();
    await page.getByRole('link', { name: DASHBOARD.navQuestionnaires }).click();
    await page.getByRole('heading', { name: DASHBOARD.questionnairesTitle, level: 1 }).waitFor();
    await page
      .locator('[data-panel="xlsform"]')
      .getByLabel(DASHBOARD.xlsFile)
      .setInputFiles({ name: 'essai.xlsx', mimeType: XLSX, buffer: readFileSync(FORM) });
    const summary = page.getByTestId('xlsform-summary');
    await summary.waitFor();
    expect(await page.locator('[data-issues="error"]').count()).toBe(0);
    const text = await summary.textContent();
    expect(text).toContain('essai_libreoffice');
    expect(text).toContain('français, anglais');
    await page.getByRole('button', { name: DASHBOARD.xlsPublish }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: fill(DASHBOARD.xlsPublished, { id: 'essai_libreoffice', version: '1' }),
      })
      .waitFor();
    await context.close();
  }, 120_000);

  it('runs on an enrolled tablet, the towns offered following the region', async () => {
    const { page } = tablet;
    await page.goto(`${server.baseUrl}/`);
    await unlockIfLocked(page);
    await enrolTablet(page, server);
    // Outside the site's plan: offered in practice mode, as every installed questionnaire.
    const practice = page.getByRole('checkbox', { name: TEXT.practiceMode });
    await practice.click();
    await expect.poll(() => practice.isChecked()).toBe(true);
    const select = page.getByRole('combobox', { name: new RegExp(`^${TEXT.questionnaire}\\b`) });
    await expect
      .poll(() => select.locator('option[value="essai_libreoffice"]').count(), { timeout: 10_000 })
      .toBe(1);
    const interviewId = await startInterview(page, 'essai_libreoffice');

    await answerCurrentScreen(page, { accord: 'OK' });
    await answerCurrentScreen(page, { region: 'nord' });
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'commune' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Dans quelle commune\u00a0?',
    );
    expect(await offered(page, 'commune')).toEqual(['lille', 'roubaix']);
    expect(
      await itemSection(page, 'commune')
        .locator('label.choice')
        .evaluateAll((labels) => labels.map((label) => label.textContent?.trim())),
    ).toEqual(['Lille', 'Roubaix']);

    // Back to the region: the south's towns replace the north's.
    expect(await pressBack(page)).toEqual({ kind: 'item', id: 'region' });
    await answerCurrentScreen(page, { region: 'sud' });
    expect(await offered(page, 'commune')).toEqual(['marseille', 'nice']);
    await answerCurrentScreen(page, { commune: 'nice' });
    await answerCurrentScreen(page, { age: 34 });
    for (const id of ['taille', 'arrivee', 'metier', 'loisirs', 'note_majeur']) {
      expect(await answerCurrentScreen(page, {})).toMatchObject({ id });
    }
    await answerCurrentScreen(page, { triste: '1', fatigue: '2' });
    expect(await answerCurrentScreen(page, {})).toMatchObject({ id: 'merci' });
    expect(await currentScreen(page)).toEqual({ kind: 'review' });
    await completeInterview(page);

    const stored = await storedInterview(page, interviewId);
    expect(stored.record).toMatchObject({
      questionnaireId: 'essai_libreoffice',
      questionnaireVersion: '1',
      status: 'completed',
    });
    expect(['region', 'commune', 'age'].map((id) => stored.answers.get(id))).toEqual([
      'sud',
      'nice',
      34,
    ]);
  }, 180_000);
});
