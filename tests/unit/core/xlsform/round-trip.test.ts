// Our definitions written as XLSForm and read back give the same definitions: what a researcher
// edits in the spreadsheet is all there is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSheetIssue, fromXlsForm, toXlsForm } from '../../../../src/core/xlsform/index.ts';

const FILES = [
  'questionnaires/demo/1.json',
  'questionnaires/demo/2.json',
  'questionnaires/smpg/2026.1.json',
  'questionnaires/smpg/2026.2.json',
];

describe('definition -> XLSForm -> definition', () => {
  it.each(FILES)('gives back %s', (file) => {
    const definition = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete definition['$schema'];
    const workbook = toXlsForm(definition as never);
    const result = fromXlsForm(workbook);
    expect(result.issues.filter((i) => i.severity === 'error').map(formatSheetIssue)).toEqual([]);
    expect(result.definition).toEqual(definition);
  });
});
