// A translation sheet for a new language, filled and read back, makes a label pack that the loader
// merges; what is missing, left in French, or has lost a placeholder is reported where it is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Definition } from '../../../../src/core/questionnaire/index.ts';
import { loadQuestionnaire, textEntries } from '../../../../src/core/questionnaire/index.ts';
import {
  TRANSLATION_SHEET,
  formatSheetIssue,
  packFromTranslationSheet,
  translationRows,
  translationSheet,
} from '../../../../src/core/xlsform/index.ts';
import type { Workbook } from '../../../../src/core/xlsform/index.ts';
import { readWorkbook, writeWorkbook } from '../../../../scripts/lib/xlsx.ts';

const smpg = JSON.parse(readFileSync('questionnaires/smpg/2026.2.json', 'utf8')) as Definition;

/** The sheet with the target column (the last) filled by `translate`, or left empty. */
function filled(
  workbook: Workbook,
  translate: (key: string, french: string) => string | undefined,
): Workbook {
  const [header = [], ...rows] = workbook[TRANSLATION_SHEET] ?? [];
  return {
    [TRANSLATION_SHEET]: [
      header,
      ...rows.map((row) => {
        const copy = [...row];
        copy[copy.length - 1] = translate(row[0] ?? '', row[3] ?? '') ?? '';
        return copy;
      }),
    ],
  };
}

describe('translation sheet', () => {
  const sheet = translationSheet(smpg, 'gcr');
  const table = sheet[TRANSLATION_SHEET] ?? [];

  it('has a row per text, with where it appears and who reads it', () => {
    expect(table[0]).toEqual([
      'key',
      'where',
      'read by',
      'Français (fr)',
      'English (en)',
      'gcr (gcr)',
    ]);
    expect(table.length - 1).toBe(textEntries(structuredClone(smpg)).length);
    const rows = new Map(translationRows(smpg).map((row) => [row.key, row]));
    const question = smpg.sections[1]?.items.find((item) => item.type === 'single');
    expect(question).toBeDefined();
    expect(rows.get(`items.${question?.id ?? ''}.label`)?.reader).toBe('respondent');
    const hinted = smpg.sections.flatMap((s) => s.items).find((item) => item.hint !== undefined);
    expect(rows.get(`items.${hinted?.id ?? ''}.hint`)?.reader).toBe('interviewer');
    const alert = smpg.alerts?.[0];
    expect(rows.get(`alerts.${alert?.id ?? ''}.protocol`)?.reader).toBe('interviewer');
    const calculated = smpg.sections
      .flatMap((s) => s.items)
      .find((item) => item.type === 'calculate' && item.label !== undefined);
    expect(rows.get(`items.${calculated?.id ?? ''}.label`)?.reader).toBe('interviewer');
  });

  it('read back filled, through .xlsx bytes, makes a pack the loader merges', async () => {
    const workbook = await readWorkbook(
      await writeWorkbook(filled(sheet, (_key, french) => `[gcr] ${french}`)),
    );
    const result = packFromTranslationSheet(smpg, workbook, 'gcr');
    expect(result.issues.map(formatSheetIssue)).toEqual([]);
    expect(result.report).toMatchObject({ missing: [], unchanged: [], placeholdersLost: [] });
    const loaded = loadQuestionnaire(smpg, {
      labelPacks: [{ source: 'gcr', pack: result.pack }],
    });
    expect(loaded.status).not.toBe('failure');
    if (loaded.status === 'failure') return;
    expect(loaded.definition.languages).toContain('gcr');
    expect(loaded.definition.title['gcr']).toBe(`[gcr] ${smpg.title['fr'] ?? ''}`);
  });

  it('reports what is missing, left in French, a lost placeholder, an unknown key', () => {
    const protocolKey = `alerts.${smpg.alerts?.[0]?.id ?? ''}.protocol`;
    const question = `items.${smpg.sections[1]?.items[0]?.id ?? ''}.label`;
    const workbook = filled(sheet, (key, french) => {
      if (key === 'title' || key === question) return undefined;
      if (key === 'nonResponse.refused') return french;
      if (key === protocolKey) return 'Rélé lanméro-a';
      return `[gcr] ${french}`;
    });
    const rows = workbook[TRANSLATION_SHEET] ?? [];
    const withUnknown: Workbook = {
      [TRANSLATION_SHEET]: [...rows, ['items.nope.label', '', '', '', '', 'x']],
    };
    const result = packFromTranslationSheet(smpg, withUnknown, 'gcr');
    // The respondent's texts are missing; the interviewer's fall back to French.
    expect(result.report?.missing).toEqual([question]);
    expect(result.report?.fallback).toBe(1);
    expect(result.report?.unchanged).toEqual(['nonResponse.refused']);
    expect(result.report?.placeholdersLost).toEqual([{ key: protocolKey, lost: ['helpline'] }]);
    const protocolRow = rows.findIndex((row) => row[0] === protocolKey) + 1;
    expect(result.issues.map(formatSheetIssue)).toEqual([
      `translation, row ${protocolRow}, column gcr (gcr) (F): the translation lost {{helpline}}: the app puts the site's value there`,
      `translation, row ${rows.length + 1}, column key (A): no text "items.nope.label" in smpg 2026.2: keep the key column as it was written`,
    ]);
  });

  it('starts from an existing pack', () => {
    const existing = {
      questionnaire: 'smpg',
      version: '2026.2',
      language: 'gcr',
      texts: { title: 'Santé mantal' },
    };
    const rows = translationSheet(smpg, 'gcr', existing)[TRANSLATION_SHEET] ?? [];
    expect(rows.find((row) => row[0] === 'title')?.[5]).toBe('Santé mantal');
  });
});
