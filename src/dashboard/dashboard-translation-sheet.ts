// The translation sheet's code in the dashboard, loaded on demand (its `dashboard-` name keeps the
// chunk out of the tablets' precache): a published version's sheet as .xlsx bytes, and a filled
// sheet read back (with the XLSForm page's reader) into a label pack, judged for the coordinator.
import type { PublishedQuestionnaire } from '../core/protocol/index.ts';
import type { Definition, LabelPack } from '../core/questionnaire/index.ts';
import { LabelPackSchema, loadQuestionnaire } from '../core/questionnaire/index.ts';
import type { Workbook } from '../core/xlsform/index.ts';
import {
  TRANSLATION_SHEET,
  packFromTranslationSheet,
  translationRows,
  translationSheet,
} from '../core/xlsform/index.ts';
import { readSheet } from '../core/xlsform/workbook.ts';
import { WorkbookTooLargeError, readXlsxWorkbook } from './dashboard-xlsform-reader.ts';
import type { SheetCheck, SheetReading, SheetText } from './translation-packs.ts';
import { XLSX_TYPE, xlsxBytes } from './xlsx-write.ts';

/** The published version's definition, as the tablets load it; undefined when it does not load. */
function definitionOf(published: PublishedQuestionnaire): Definition | undefined {
  const loaded = loadQuestionnaire(published.definition);
  return loaded.status === 'failure' ? undefined : loaded.definition;
}

/** `pack` when it is a label pack for this version and language. */
function packFor(pack: unknown, definition: Definition, language: string): LabelPack | undefined {
  const parsed = LabelPackSchema.safeParse(pack);
  return parsed.success &&
    parsed.data.questionnaire === definition.id &&
    parsed.data.version === definition.version &&
    parsed.data.language === language
    ? parsed.data
    : undefined;
}

// Key, where, read by: narrow; the texts: wide, wrapped.
const WIDTHS = [28, 36, 12];
const TEXT_WIDTH = 60;

/**
 * The sheet as an .xlsx file: the site's pack (when given and valid) fills the target column,
 * else a pack published with the version for that language, else the definition's own texts.
 */
export function translationSheetFile(
  published: PublishedQuestionnaire,
  language: string,
  sitePack: unknown,
):
  | { readonly status: 'not_loadable' | 'source_language' }
  | {
      readonly status: 'ready';
      readonly file: Blob;
      readonly total: number;
      readonly filled: number;
      readonly fromSitePack: boolean;
    } {
  const definition = definitionOf(published);
  if (definition === undefined) return { status: 'not_loadable' };
  if (language === definition.defaultLanguage) return { status: 'source_language' };
  const fromSite = packFor(sitePack, definition, language);
  const existing =
    fromSite ??
    published.labelPacks
      .map(({ pack }) => packFor(pack, definition, language))
      .find((pack) => pack !== undefined);
  const workbook = translationSheet(definition, language, existing);
  const rows = (workbook[TRANSLATION_SHEET] ?? []).slice(1);
  const width = (rows[0]?.length ?? WIDTHS.length + 1) - WIDTHS.length;
  const bytes = xlsxBytes(workbook, {
    [TRANSLATION_SHEET]: { widths: [...WIDTHS, ...Array<number>(width).fill(TEXT_WIDTH)] },
  });
  return {
    status: 'ready',
    file: new Blob([bytes], { type: XLSX_TYPE }),
    total: rows.length,
    filled: rows.filter((row) => (row[row.length - 1] ?? '') !== '').length,
    fromSitePack: fromSite !== undefined,
  };
}

/** The checked sheet: the pack, what blocks it, what the coordinator should look at again. */
export function checkSheet(
  definition: Definition,
  workbook: Workbook,
  language: string,
): SheetCheck {
  const result = packFromTranslationSheet(definition, workbook, language);
  const texts = translationRows(definition);
  const where = new Map(texts.map((row) => [row.key, row.where]));
  // Each key's row, as the spreadsheet numbers it: the report points the translator to it.
  const sheet = readSheet(workbook, TRANSLATION_SHEET);
  const keyColumn = sheet?.headers.find((header) => header.toLowerCase() === 'key');
  const rowOf = new Map<string, number>();
  for (const row of sheet?.rows ?? []) {
    const key = keyColumn === undefined ? undefined : row.cells.get(keyColumn);
    if (key !== undefined && !rowOf.has(key)) rowOf.set(key, row.row);
  }
  const text = (key: string): SheetText => ({
    key,
    row: rowOf.get(key),
    where: where.get(key) ?? key,
  });
  const report = result.report;
  const placeholders = (report?.placeholdersLost ?? []).map((entry) => ({
    ...text(entry.key),
    lost: entry.lost,
  }));
  // The reader counts a lost placeholder as an error of the sheet; here it is a warning with its
  // row (the server's loader has the last word on the pack).
  const placeholderRows = new Set(placeholders.map((entry) => entry.row));
  return {
    pack: result.pack,
    errors: result.issues.filter(
      (issue) =>
        issue.severity === 'error' &&
        !(issue.column !== keyColumn && placeholderRows.has(issue.row)),
    ),
    missing: (report?.missing ?? []).map(text),
    fallback: report?.fallback ?? 0,
    unchanged: (report?.unchanged ?? []).map(text),
    placeholders,
    translated: report?.translated ?? 0,
    total: texts.length,
  };
}

/** A filled sheet (the file chosen) read back into a pack for `language`, and judged. */
export async function readTranslationSheet(
  file: Blob,
  published: PublishedQuestionnaire,
  language: string,
): Promise<SheetReading> {
  const definition = definitionOf(published);
  if (definition === undefined) return { status: 'not_loadable' };
  if (language === definition.defaultLanguage) return { status: 'source_language' };
  let workbook: Workbook;
  try {
    workbook = await readXlsxWorkbook(file);
  } catch (error) {
    if (error instanceof WorkbookTooLargeError) return { status: 'too_large' };
    return {
      status: 'unreadable',
      problem: error instanceof Error ? error.message : String(error),
    };
  }
  return { status: 'read', check: checkSheet(definition, workbook, language) };
}
