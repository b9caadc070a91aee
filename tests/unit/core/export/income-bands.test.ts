// The export of a site's own income bands: `<item>_lower` and `<item>_upper` after the income item,
// the amounts of the band a record's answer is in, read from the bands the record carries (empty
// for a record made with the questionnaire's own), named in the codebook and the dictionary, and
// loaded by the Stata script as numbers.
import { describe, expect, it } from 'vitest';
import {
  codebookRows,
  dictionaryOf,
  exportHeader,
  exportLayout,
  exportRow,
} from '../../../../src/core/export/index.ts';
import { stataScript } from '../../../../src/core/export/scripts/index.ts';
import type { IncomeBands, InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { anonymise } from '../../../../src/core/record/index.ts';
import { definition, fixedClock, load, single } from '../../../helpers/builder.ts';
import { COMMA_DOT } from '../../../helpers/script-fixtures.ts';
import { checkStataSyntax } from '../../../helpers/stata-grammar.ts';

const q = load(
  definition([single('income', ['1', '2', '3', '4', '5', '6', '7']), single('work', ['1', '2'])]),
);
const BANDS: IncomeBands = { item: 'income', currency: 'EUR', upperBounds: [840, 1200] };
const layout = exportLayout([q], { incomeItems: ['income'] });

let serial = 0;
function record(income: Answer, incomeBands?: IncomeBands): InterviewRecordWire {
  serial += 1;
  return anonymise(
    q,
    {
      id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
      site: 'cayenne',
      interviewer: 'ENQ-07',
      deviceId: 'tablet-1',
      status: 'completed',
      language: 'fr',
      appVersion: 'test',
      startedAt: '2026-06-15T09:00:00.000Z',
      endedAt: '2026-06-15T09:20:00.000Z',
      ...(incomeBands === undefined ? {} : { incomeBands }),
    },
    new Map<string, Answer>([
      ['income', income],
      ['work', '1'],
    ]),
    fixedClock('2026-06-15'),
  );
}

/** The cells of the income columns of a record's row. */
function incomeCells(wire: InterviewRecordWire, values: 'codes' | 'labels' = 'codes') {
  const header = exportHeader(layout);
  const row = exportRow(layout, wire, { values });
  return Object.fromEntries(
    ['income', 'income_lower', 'income_upper'].map((name) => [name, row[header.indexOf(name)]]),
  );
}

describe('income band amounts in the export', () => {
  it('follow the income item, only for the items sites give bands for', () => {
    const header = exportHeader(layout);
    expect(header.slice(0, 4)).toEqual(['income', 'income_lower', 'income_upper', 'work']);
    expect(exportHeader(exportLayout([q]))).not.toContain('income_lower');
  });

  it('are the amounts of the band answered, from the bands the record carries', () => {
    expect(incomeCells(record('1', BANDS))).toEqual({
      income: '1',
      income_lower: '0',
      income_upper: '839',
    });
    expect(incomeCells(record('2', BANDS))).toEqual({
      income: '2',
      income_lower: '840',
      income_upper: '1199',
    });
    // The last band has no ceiling.
    expect(incomeCells(record('3', BANDS))).toMatchObject({
      income_lower: '1200',
      income_upper: '',
    });
    expect(incomeCells(record({ nonResponse: 'refused' }, BANDS))).toMatchObject({
      income_lower: '',
      income_upper: '',
    });
    // Labels: the band shown, not the questionnaire's label for that code.
    expect(incomeCells(record('2', BANDS), 'labels').income).toBe('De 840 à 1\u202f199\u00a0€');
  });

  it('stay empty for a record made with the questionnaire’s own bands', () => {
    expect(incomeCells(record('6'))).toEqual({ income: '6', income_lower: '', income_upper: '' });
  });

  it('are named in the codebook as per site, and loaded as numbers by the Stata script', () => {
    const rows = codebookRows(layout, 'en');
    const lower = rows.find((row) => row[0] === 'income_lower');
    expect(lower?.[2]).toBe('integer');
    expect(lower?.[8]).toContain('bands and currency differ from site to site');
    expect(lower?.[7]).toContain('questionnaire’s bands');
    const income = rows.find((row) => row[0] === 'income');
    expect(income?.[8]).toContain('income_lower and income_upper');
    const dictionary = dictionaryOf(layout, 'fr');
    const column = dictionary.columns.find((candidate) => candidate.name === 'income_upper');
    expect(column?.storage).toBe('numeric');
    expect(column?.valueLabels).toEqual([]);
    expect(checkStataSyntax(stataScript(dictionary, COMMA_DOT))).toEqual([]);
  });
});
