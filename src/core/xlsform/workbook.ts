// A spreadsheet as the XLSForm conversion sees it: sheets of text cells, the first row of each the
// column headers. Reading and writing .xlsx bytes is the callers' (scripts, dashboard): the core
// stays free of file formats and runs in the browser and in Node alike.

/** Sheets by name; each a list of rows of cells, row 0 the headers. Empty cells are ''. */
export type Workbook = Readonly<Record<string, readonly (readonly string[])[]>>;

/** Something wrong in a sheet: where (sheet, spreadsheet row from 1, column header) and why. */
export interface SheetIssue {
  readonly severity: 'error' | 'warning';
  readonly sheet: string;
  /** The row as the spreadsheet numbers it (the headers are row 1); absent for a whole sheet. */
  readonly row?: number;
  /** The column's header, e.g. `relevant` or `label::Français (fr)`. */
  readonly column?: string;
  /** The column's letter (A, B, … AA), when the column exists in the sheet. */
  readonly columnLetter?: string;
  readonly message: string;
}

/** "survey, row 12, column relevant (F): …", the way tools print an issue. */
export function formatSheetIssue(issue: SheetIssue): string {
  const where = [issue.sheet];
  if (issue.row !== undefined) where.push(`row ${issue.row}`);
  if (issue.column !== undefined) {
    where.push(
      `column ${issue.column}${issue.columnLetter === undefined ? '' : ` (${issue.columnLetter})`}`,
    );
  }
  return `${where.join(', ')}: ${issue.message}`;
}

/** A column's letter from its index from 0: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let out = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  }
  return out;
}

/** A header split into its base and language: `label::Français (fr)` -> label, fr. */
export interface Header {
  readonly base: string;
  /** The language's code, from the parentheses; undefined for a column of no language. */
  readonly language?: string;
  /** The language as written (`Français (fr)`), when the header has one. */
  readonly languageText?: string;
}

const LANGUAGE_IN_HEADER = /^(.*?)\s*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)\s*$/;

/** Splits a header; the language text without a code in parentheses has `language` undefined. */
export function parseHeader(header: string): Header {
  const trimmed = header.trim();
  let at = trimmed.indexOf('::');
  let width = 2;
  // pyxform also reads a single colon after a column of texts: `label:English (en)`.
  const single = /^(label|hint|constraint_message|form_title):/i.exec(trimmed);
  if (at < 0 && single !== null) {
    at = single[1]?.length ?? -1;
    width = 1;
  }
  if (at < 0) return { base: trimmed.toLowerCase() };
  const base = trimmed.slice(0, at).trim().toLowerCase();
  const languageText = trimmed.slice(at + width).trim();
  const match = LANGUAGE_IN_HEADER.exec(languageText);
  return match?.[2] === undefined
    ? { base, languageText }
    : { base, language: match[2], languageText };
}

/** A language's own name with its code, as XLSForm headers write it: `Français (fr)`. */
export function languageName(code: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
  } catch {
    name = undefined;
  }
  if (name === undefined || name === code) return `${code} (${code})`;
  return `${name.charAt(0).toLocaleUpperCase(code)}${name.slice(1)} (${code})`;
}

/** A sheet's rows as records keyed by header, with their spreadsheet row number. */
export interface SheetRow {
  /** The row as the spreadsheet numbers it (headers are row 1). */
  readonly row: number;
  /** Cells by header as written (trimmed); only non-empty cells. */
  readonly cells: ReadonlyMap<string, string>;
}

export interface ReadSheet {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly SheetRow[];
}

/** The sheet named `name` (case-insensitive), its rows past the headers, blank rows dropped. */
export function readSheet(workbook: Workbook, name: string): ReadSheet | undefined {
  const actual = Object.keys(workbook).find((key) => key.trim().toLowerCase() === name);
  if (actual === undefined) return undefined;
  const table = workbook[actual] ?? [];
  const headers = (table[0] ?? []).map((cell) => cell.trim());
  const rows: SheetRow[] = [];
  table.slice(1).forEach((cells, i) => {
    const map = new Map<string, string>();
    headers.forEach((header, column) => {
      const value = (cells[column] ?? '').trim();
      if (header !== '' && value !== '') map.set(header, value);
    });
    if (map.size > 0) rows.push({ row: i + 2, cells: map });
  });
  return { name: actual, headers, rows };
}

/** Builds a sheet: the headers, then one row per record (missing cells empty). */
export function sheetOf(
  headers: readonly string[],
  records: readonly ReadonlyMap<string, string>[],
): string[][] {
  return [[...headers], ...records.map((record) => headers.map((h) => record.get(h) ?? ''))];
}
