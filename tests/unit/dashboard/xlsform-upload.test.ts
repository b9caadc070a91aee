// The dashboard's XLSForm upload without a browser: real .xlsx bytes written by the scripts'
// writer, read back through the dashboard's reader (read-excel-file's in-page entry and the shared
// cell conversion), give the same definitions; a mistake is named by sheet, row and column in
// French; the summary's words agree with its counts; the server's refusals are worded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../../scripts/lib/xlsx.ts';
import type { Definition } from '../../../src/core/questionnaire/index.ts';
import type { Workbook } from '../../../src/core/xlsform/index.ts';
import { toXlsForm } from '../../../src/core/xlsform/index.ts';
import { ApiError } from '../../../src/dashboard/api.ts';
import {
  readXlsFormFile,
  readXlsxWorkbook,
} from '../../../src/dashboard/dashboard-xlsform-reader.ts';
import { placeOf } from '../../../src/dashboard/navigation.ts';
import { refusalText } from '../../../src/dashboard/refusals.ts';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';
import { contentText, sheetIssueText, summaryOf } from '../../../src/dashboard/xlsform-upload.ts';

const fr = DASHBOARD_TEXT.fr;
const en = DASHBOARD_TEXT.en;

function definitionFile(id: string, version: string): Definition {
  const json = JSON.parse(
    readFileSync(`questionnaires/${id}/${version}.json`, 'utf8'),
  ) as Definition & { $schema?: string };
  delete json.$schema;
  return json;
}

/** The workbook as the admin's file: .xlsx bytes from the scripts' writer, in a Blob. */
async function xlsxFile(workbook: Workbook): Promise<Blob> {
  const bytes = await writeWorkbook(workbook);
  return new Blob([bytes as Uint8Array<ArrayBuffer>], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
}

/** The workbook with one cell changed: `header`'s cell on the survey row whose name is `name`. */
function withSurveyCell(workbook: Workbook, name: string, header: string, value: string): Workbook {
  const survey = workbook['survey'] ?? [];
  const headers = survey[0] ?? [];
  const nameAt = headers.indexOf('name');
  const at = headers.indexOf(header);
  expect(at).toBeGreaterThanOrEqual(0);
  const row = survey.findIndex((cells) => cells[nameAt] === name);
  expect(row).toBeGreaterThan(0);
  return {
    ...workbook,
    survey: survey.map((cells, i) =>
      i === row ? cells.map((cell, j) => (j === at ? value : cell)) : cells,
    ),
  };
}

describe('reading an XLSForm workbook in the dashboard', () => {
  it.each([
    ['demo', '1'],
    ['demo', '2'],
    ['smpg', '2026.2'],
  ])('gives back %s %s from its .xlsx bytes', async (id, version) => {
    const definition = definitionFile(id, version);
    const file = await xlsxFile(toXlsForm(definition));
    const read = await readXlsFormFile(file, `${id}.xlsx`);
    expect(read.status).toBe('read');
    if (read.status !== 'read') return;
    expect(read.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(read.definition).toEqual(definition);
  });

  it('reads the bytes themselves as the writer wrote every sheet', async () => {
    const workbook = toXlsForm(definitionFile('demo', '1'));
    const bytes = await writeWorkbook(workbook);
    const read = await readXlsxWorkbook(bytes.slice().buffer);
    expect(Object.keys(read)).toEqual(Object.keys(workbook));
    expect(read['settings']?.[0]).toEqual(workbook['settings']?.[0]);
    expect(read['survey']?.length).toBe(workbook['survey']?.length);
  });

  it('names a mistake by its sheet, row and column, in French, and gives no definition', async () => {
    const workbook = toXlsForm(definitionFile('demo', '1'));
    const survey = workbook['survey'] ?? [];
    const nameAt = (survey[0] ?? []).indexOf('name');
    const typeAt = (survey[0] ?? []).indexOf('type');
    const ageRow = survey.findIndex((cells) => cells[nameAt] === 'age');
    const file = await xlsxFile(withSurveyCell(workbook, 'age', 'type', 'geopoint'));
    const read = await readXlsFormFile(file, 'demo.xlsx');
    expect(read.status).toBe('read');
    if (read.status !== 'read') return;
    expect(read.definition).toBeUndefined();
    const errors = read.issues.filter((issue) => issue.severity === 'error');
    expect(errors).toHaveLength(1);
    const [error] = errors;
    if (error === undefined) return;
    // The spreadsheet numbers its rows from 1, the headers' row included.
    expect(error).toMatchObject({ sheet: 'survey', row: ageRow + 1, column: 'type' });
    const letter = String.fromCharCode(65 + typeAt);
    expect(sheetIssueText(error, fr)).toBe(
      `Feuille survey, ligne ${ageRow + 1}, colonne ${letter} (type) : ${error.message}`,
    );
    expect(sheetIssueText(error, en)).toBe(
      `Sheet survey, row ${ageRow + 1}, column ${letter} (type): ${error.message}`,
    );
  });

  it('says so when the file is no workbook', async () => {
    const read = await readXlsFormFile(new Blob(['type,name\ntext,q1\n']), 'form.xlsx');
    expect(read.status).toBe('unreadable');
  });

  it('sums the definition up in the interface language, its words agreeing with the counts', () => {
    const summary = summaryOf(definitionFile('demo', '1'), 'fr');
    expect(summary).toMatchObject({ id: 'demo', version: '1', sections: 3, items: 20 });
    expect(summary.languages).toEqual(['français', 'anglais']);
    expect(contentText(summary, fr, 'fr')).toBe(
      '3 sections, 20 éléments (questions, notes et calculs)',
    );
    expect(contentText({ ...summary, sections: 1, items: 1 }, fr, 'fr')).toBe(
      '1 section, 1 élément (questions, notes et calculs)',
    );
    expect(summaryOf(definitionFile('demo', '1'), 'en').languages).toEqual(['French', 'English']);
  });

  it('words the server’s refusals of a publication', () => {
    const exists = new ApiError(409, 'exists', 'demo 1 is already published', undefined, {
      what: 'questionnaire',
      questionnaire: 'demo',
      version: '1',
    });
    expect(refusalText(exists, fr, { language: 'fr' })).toBe(
      'La version 1 du questionnaire demo est déjà publiée, et une version publiée ne change plus : donnez un nouveau numéro de version (feuille settings, colonne version).',
    );
    const invalid = new ApiError(400, 'invalid_questionnaire', 'sections[0].items: too short');
    expect(refusalText(invalid, fr, { language: 'fr' })).toBe(
      'Le serveur juge ce questionnaire non valable (détail technique : sections[0].items: too short).',
    );
  });

  it('has a page of its own in the address', () => {
    expect(placeOf('?page=questionnaires')).toEqual({ page: 'questionnaires', site: undefined });
  });
});
