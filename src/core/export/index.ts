/**
 * The analysts' export (one CSV row per completed interview and a codebook beside it, ready for R,
 * Stata, SPSS or Epi Info), pure: anonymised records in, rows of string cells
 * out, and those rows as CSV text; the device and the server stream that text their own way.
 *
 * - `exportLayout(versions)` merges the versions of one questionnaire into one union of columns,
 *   in definition order: one per answerable item or grid row, named by its id; a multiple choice
 *   (or a grid row of `select: multiple`) gives its raw list of codes plus one 0/1 column per
 *   choice (`q12__b`); computed values (`calculate` items: module results, scores, bands) where
 *   they stand; one 0/1 column per alert (`alert_<id>`); paradata last (`PARADATA_COLUMNS`).
 *   Notes and identifying items have no column (identifying ones never leave the device).
 * - `exportRow(layout, record, options)`: one completed interview. A non-response is its declared
 *   code (or label), never an empty cell, in the raw column and in every 0/1 column of a multiple
 *   choice; an item that was not asked (not relevant) or that the record's version does not have
 *   is empty. Codes by default; labels in any language of the questionnaire on request.
 * - Formulas (`ExportOptions.formulas`, `FormulaMode`): by default a text cell (a typed answer, a
 *   label, a question text, paradata) that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 *   return gets a `'` first (OWASP's advice against CSV injection: a spreadsheet would run it);
 *   a cell made from a number (answers, scores, non-response codes, 0/1 flags, the duration) or a
 *   choice code the questionnaire declares never does. `raw` writes every cell as typed. Decided
 *   where the cell is made, from the value's type: `-3` typed as text is neutralised, -3 is not.
 * - `codebookRows(layout, language, formulas)`: one row per column (`CODEBOOK_HEADER`): question,
 *   type, codes and labels, relevance, versions that have it, free-text flag, what an empty cell
 *   means, notes (a free-text column's says how formulas are written).
 * - `screenOutHeader`/`screenOutRow`: the screen-outs, for the coordinator.
 * - `breakOffHeader`/`breakOffRow`: interviews broken off after consent (never in the interviews'
 *   file): the interviews' columns, then `BREAK_OFF_COLUMNS` (reason, last item shown, time).
 * - `PARADATA_FILE_HEADER`/`paradataRows`: one row per item asked in a record, with the seconds
 *   spent on it and the record's languages. `fileColumnRows` describes both files' own columns
 *   for the codebook.
 * - `csvRows(rows, { delimiter, newline })`, `csvLine(cells, delimiter)`: the CSV text, byte for
 *   byte what papaparse's `unparse` writes with those options (a field is quoted when it holds the
 *   delimiter, a double quote, CR, LF or a byte order mark, or starts or ends with a space; no
 *   line ending after the last row, no byte order mark), several times faster. It writes the cells
 *   it is given: formulas are neutralised before, where each cell's type is known.
 */
export type {
  Column,
  ColumnKind,
  ColumnSource,
  ExportLayout,
  LayoutOptions,
  ParadataColumn,
} from './layout.ts';
export { PARADATA_COLUMNS, exportLayout } from './layout.ts';
export type { FormulaMode } from './formulas.ts';
export { neutralised, startsFormula } from './formulas.ts';
export type { ExportOptions } from './rows.ts';
export { CODE_LIST_SEPARATOR, LABEL_LIST_SEPARATOR, exportHeader, exportRow } from './rows.ts';
export { CODEBOOK_HEADER, codebookRows, fileColumnRows } from './codebook.ts';
export { screenOutHeader, screenOutRow } from './screen-outs.ts';
export {
  BREAK_OFF_COLUMNS,
  BREAK_OFF_REASON_LABELS,
  breakOffHeader,
  breakOffRow,
} from './break-offs.ts';
export { PARADATA_FILE_HEADER, paradataRows } from './paradata-file.ts';
export type { CsvFormat, Dictionary, DictionaryColumn, Storage, ValueLabel } from './dictionary.ts';
export { dictionaryOf } from './dictionary.ts';
export { MARGINS_HEADER, marginsRows, methodNote } from './margins.ts';
export { rScript, spssScript, stataScript } from './scripts/index.ts';
export type { CsvDelimiter, CsvOptions } from './csv.ts';
export { csvLine, csvRows } from './csv.ts';
