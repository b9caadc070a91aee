// The admin publishes a questionnaire from an XLSForm workbook in the dashboard, in Chromium
// against the real server: the workbooks are the repository's demo questionnaires written by the
// scripts' .xlsx writer at test time. One mistake is shown with its sheet, row and column and
// nothing can be published; a correct workbook of a new version is summed up, published and
// listed (and the API lists it); a version already published is refused in French; the page's
// Content-Security-Policy is never broken (the workbook is read in the page, not in a blob worker),
// and a workbook too large for that says so.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../scripts/lib/xlsx.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import type { Definition } from '../../src/core/questionnaire/index.ts';
import type { Workbook } from '../../src/core/xlsform/index.ts';
import { fromXlsForm, toXlsForm } from '../../src/core/xlsform/index.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import { createUser } from '../../src/server/app.ts';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { TABLET, runAxe } from './harness.ts';

const TEXT = DASHBOARD_TEXT.fr;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function demo(version: string): Definition {
  const json = JSON.parse(
    readFileSync(`questionnaires/demo/${version}.json`, 'utf8'),
  ) as Definition & { $schema?: string };
  delete json.$schema;
  return json;
}

/** `sheet` with one cell set: under `header`, on the first row or the row `find` names. */
function setCell(
  workbook: Workbook,
  sheet: string,
  find: { readonly header: string; readonly value: string } | 'first',
  header: string,
  value: string,
): { workbook: Workbook; row: number; column: number } {
  const table = workbook[sheet] ?? [];
  const headers = table[0] ?? [];
  const column = headers.indexOf(header);
  const row =
    find === 'first'
      ? 1
      : table.findIndex((cells) => cells[headers.indexOf(find.header)] === find.value);
  expect(column).toBeGreaterThanOrEqual(0);
  expect(row).toBeGreaterThan(0);
  return {
    workbook: {
      ...workbook,
      [sheet]: table.map((cells, i) =>
        i === row ? cells.map((cell, j) => (j === column ? value : cell)) : cells,
      ),
    },
    row,
    column,
  };
}

describe('publishing a questionnaire from an XLSForm workbook', () => {
  let server: CentralServer;
  let browser: Browser;
  let page: Page;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    server = await startCentralServer();
    await createUser(
      server.store,
      'etude',
      'mot-de-passe-etude',
      { admin: true, grants: [] },
      new Date().toISOString(),
    );
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
  });

  /** Chooses the workbook in the panel's file field, as the admin's file dialog would. */
  async function choose(workbook: Workbook, name: string): Promise<void> {
    await page
      .locator('[data-panel="xlsform"]')
      .getByLabel(TEXT.xlsFile)
      .setInputFiles({ name, mimeType: XLSX, buffer: Buffer.from(await writeWorkbook(workbook)) });
  }

  it('shows a mistake with its sheet, row and column, and offers no publishing', async () => {
    await page.goto(`${server.baseUrl}/dashboard/`);
    await page.getByRole('heading', { name: TEXT.loginTitle }).waitFor();
    await page.getByLabel(TEXT.username).fill('etude');
    await page.getByLabel(TEXT.password).fill('mot-de-passe-etude');
    await page.getByRole('button', { name: TEXT.logIn }).click();
    await page.getByRole('link', { name: TEXT.navQuestionnaires }).click();
    await page.getByRole('heading', { name: TEXT.questionnairesTitle, level: 1 }).waitFor();
    // The shipped versions are listed.
    const table = page.locator('table[data-table="questionnaires"]');
    await table.locator('tr[data-questionnaire="demo"][data-version="2"]').waitFor();
    // A title only on its own version's row: demo 1 is not titled as demo 2 is ("… (v2)").
    expect(
      await table.locator('tr[data-version="2"][data-questionnaire="demo"] th').textContent(),
    ).toContain('(v2)');
    expect(
      await table.locator('tr[data-version="1"][data-questionnaire="demo"] th').textContent(),
    ).not.toContain('(v2)');

    // Demo 2 as version 3, with a typing mistake in one `relevant`.
    const next = setCell(toXlsForm(demo('2')), 'settings', 'first', 'version', '3').workbook;
    const mistake = setCell(
      next,
      'survey',
      { header: 'name', value: 'age' },
      'relevant',
      '${agee} >= 18',
    );
    await choose(mistake.workbook, 'demo.xlsx');
    const errors = page.locator('[data-issues="error"] li');
    await errors.first().waitFor();
    const expected = fromXlsForm(mistake.workbook).issues.filter((i) => i.severity === 'error');
    expect(expected).toHaveLength(1);
    const letter = String.fromCharCode(65 + mistake.column);
    // The spreadsheet's own numbering: its headers are row 1.
    expect(await errors.allTextContents()).toEqual([
      `Feuille survey, ligne ${mistake.row + 1}, colonne ${letter} (relevant) : ${expected[0]?.message ?? ''}`,
    ]);
    await page.getByText(fill(TEXT.xlsErrors.one, { count: 1 })).waitFor();
    expect(await page.getByRole('button', { name: TEXT.xlsPublish }).count()).toBe(0);
    expect(await page.getByTestId('xlsform-summary').count()).toBe(0);
    expect(await runAxe(page, 'xlsform errors')).toEqual([]);
  });

  it('publishes a correct workbook of a new version, which is then listed', async () => {
    const next = setCell(toXlsForm(demo('2')), 'settings', 'first', 'version', '3').workbook;
    await choose(next, 'demo.xlsx');
    const summary = page.getByTestId('xlsform-summary');
    await summary.waitFor();
    expect(await page.locator('[data-issues="error"]').count()).toBe(0);
    const text = await summary.textContent();
    expect(text).toContain('demo');
    expect(text).toContain('3 sections, 21 éléments');
    expect(text).toContain('français, anglais');
    expect(await runAxe(page, 'xlsform summary')).toEqual([]);

    await page.getByRole('button', { name: TEXT.xlsPublish }).click();
    await page
      .getByRole('status')
      .filter({ hasText: fill(TEXT.xlsPublished, { id: 'demo', version: '3' }) })
      .waitFor();
    await page
      .locator('table[data-table="questionnaires"] tr[data-questionnaire="demo"][data-version="3"]')
      .waitFor();
    const listed = (await server.api(
      'GET',
      '/api/v1/questionnaires',
      server.coordinator,
    )) as unknown as { questionnaireId: string; version: string }[];
    expect(listed).toContainEqual(
      expect.objectContaining({ questionnaireId: 'demo', version: '3' }),
    );
    const published = await server.api('GET', '/api/v1/questionnaires/demo/3', server.coordinator);
    expect(published['definition']).toEqual({ ...demo('2'), version: '3' });
  });

  it('refuses, in French, a version already published', async () => {
    await choose(toXlsForm(demo('1')), 'demo.xlsx');
    await page.getByTestId('xlsform-summary').waitFor();
    await page.getByRole('button', { name: TEXT.xlsPublish }).click();
    await page
      .getByRole('alert')
      .filter({
        hasText: fill(TEXT.refusals.existsQuestionnaire, { questionnaire: 'demo', version: '1' }),
      })
      .waitFor();
  });

  it('breaks no rule of the page’s Content-Security-Policy', () => {
    expect(cspErrors).toEqual([]);
  });

  it('says when a workbook is too large to read in the page, instead of waiting for ever', async () => {
    // Over 512 KB of shared strings: the unzipper asks for a blob: worker, which the policy refuses.
    const survey = [['type', 'name', 'label::English (en)']];
    for (let i = 0; i < 8000; i += 1)
      survey.push([
        'text',
        `q${i}`,
        `Question ${i}: ${'how often in the last two weeks '.repeat(3)}`,
      ]);
    await choose(
      {
        survey,
        settings: [
          ['form_id', 'version'],
          ['big', '1'],
        ],
      },
      'big.xlsx',
    );
    await page.getByRole('alert').filter({ hasText: TEXT.xlsTooLarge }).waitFor();
    expect(await page.getByText(TEXT.xlsReading).count()).toBe(0);
  });
});
