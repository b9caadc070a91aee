// Our CSV writer against the one it replaces: for random rows of awkward strings (both
// delimiters, quotes, line breaks, spaces at the ends, a byte order mark, formula-like prefixes,
// unicode, empty cells and rows), `csvRows` writes exactly what `Papa.unparse` writes, and
// papaparse reads it back to the same cells.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { CsvDelimiter } from '../../../../src/core/export/csv.ts';
import { csvLine, csvRows } from '../../../../src/core/export/csv.ts';

const PIECES = [
  ',',
  ';',
  '"',
  '""',
  '\r\n',
  '\n',
  '\r',
  ' ',
  '  ',
  '\t',
  '\uFEFF',
  '=',
  '+',
  '-',
  '@',
  "'",
  '=SUM(A1:A2)',
  '-8',
  '1.5',
  '1,5',
  'Gare; quai "B"',
  'é',
  'Ça va',
  '—',
  '😀',
  '\u0000',
  'a',
  'oui',
  '',
];

/** A cell: a few awkward pieces glued together, or any string at all. */
const cell = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', '0', '1', ' ', '"'),
);
const rows = fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 6 });
const DELIMITERS: readonly CsvDelimiter[] = [',', ';'];

describe('csvRows', () => {
  it.each(DELIMITERS)('writes what Papa.unparse writes, delimiter %s', (delimiter) => {
    fc.assert(
      fc.property(rows, fc.constantFrom('\r\n', '\n'), (data, newline) => {
        expect(csvRows(data, { delimiter, newline })).toBe(
          Papa.unparse(data, { delimiter, newline }),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it.each(DELIMITERS)('is read back to the same cells, delimiter %s', (delimiter) => {
    const nonEmptyRows = fc.array(fc.array(cell, { minLength: 2, maxLength: 8 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(nonEmptyRows, (data) => {
        const text = csvRows(data, { delimiter, newline: '\r\n' });
        const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\r\n' });
        expect(parsed.data).toEqual(data);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes only what must be quoted', () => {
    expect(
      csvLine(['', 'a b', ' a', 'a ', 'a,b', 'a;b', 'say "hi"', 'a\nb', '=1+2', '-9'], ','),
    ).toBe(',a b," a","a ","a,b",a;b,"say ""hi""","a\nb",=1+2,-9');
    expect(csvLine(['a,b', 'a;b'], ';')).toBe('a,b;"a;b"');
    expect(csvRows([], { delimiter: ',', newline: '\r\n' })).toBe('');
    expect(csvRows([[], []], { delimiter: ',', newline: '\r\n' })).toBe('\r\n');
  });
});
