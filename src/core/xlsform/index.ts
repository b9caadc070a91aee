// XLSForm in and out: a questionnaire definition as the spreadsheet researchers and translators
// work in, and back. The .xlsx bytes are read and written outside the core.
export type { FromXlsFormOptions, FromXlsFormResult } from './from-xlsform.ts';
export { fromXlsForm } from './from-xlsform.ts';
export { toXlsForm } from './to-xlsform.ts';
export type { SheetIssue, Workbook } from './workbook.ts';
export { formatSheetIssue, languageName } from './workbook.ts';
export type { ReadSheetCells } from './sheet-cells.ts';
export { workbookFromSheets } from './sheet-cells.ts';
export type { PackFromSheet, TranslationReport, TranslationRow } from './translation-sheet.ts';
export {
  TRANSLATION_SHEET,
  packFromTranslationSheet,
  translationRows,
  translationSheet,
} from './translation-sheet.ts';
