// The cells of a spreadsheet reader's sheets as the workbook the conversion reads: one function
// for the scripts (Node) and the dashboard (browser), which read .xlsx bytes each their own way.
import type { Workbook } from './workbook.ts';

/** One sheet as read-excel-file gives it: its name and its rows of cell values. */
export interface ReadSheetCells {
  readonly sheet: string;
  readonly data: readonly (readonly unknown[])[];
}

/** A cell as text: numbers as written, dates as YYYY-MM-DD, booleans as yes / no. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every sheet's cells as text, by sheet name. */
export function workbookFromSheets(sheets: readonly ReadSheetCells[]): Workbook {
  return Object.fromEntries(
    sheets.map(({ sheet, data }) => [sheet, data.map((row) => row.map(cellText))]),
  );
}
