// A translation sheet: every text of a questionnaire version on a row of its own (its key, where it
// appears, who reads it, the French and English texts, and a column for the new language), for a
// site's translator working in a spreadsheet. Read back, it makes a label pack, with a report of
// what is missing, what was left as in French and which placeholders (`{{helpline}}`) were lost.
import type {
  Definition,
  Item,
  LabelPack,
  LocalizedText,
  TextReader,
} from '../questionnaire/index.ts';
import { textEntries } from '../questionnaire/index.ts';
import type { SheetIssue, Workbook } from './workbook.ts';
import { columnLetter, languageName, parseHeader, readSheet } from './workbook.ts';

/** The sheet's name in the workbook. */
export const TRANSLATION_SHEET = 'translation';

export interface TranslationRow {
  readonly key: string;
  /** Where it appears, for the translator: `section › item (question)`. */
  readonly where: string;
  readonly reader: TextReader;
  /** Must be translated for a new language: what the respondent hears or sees (the loader's rule). */
  readonly required: boolean;
  readonly text: LocalizedText;
}

function itemsOf(definition: Definition): Map<string, { item: Item; section: string }> {
  const out = new Map<string, { item: Item; section: string }>();
  for (const section of definition.sections) {
    for (const item of section.items) out.set(item.id, { item, section: section.id });
  }
  return out;
}

/** Each text of the definition with where it appears and who reads it, in document order. */
export function translationRows(definition: Definition): TranslationRow[] {
  const items = itemsOf(definition);
  const gridOfRow = new Map<string, string>();
  for (const { item } of items.values()) {
    if (item.type === 'grid') for (const row of item.rows) gridOfRow.set(row.id, item.id);
  }
  return textEntries(definition).map((entry) => {
    const parts = entry.key.split('.');
    const [kind = '', id = '', field = ''] = parts;
    let where = entry.key;
    if (kind === 'items') {
      const found = items.get(id);
      const type = found?.item.type;
      where = `${found?.section ?? '?'} › ${id}`;
      if (field === 'label') {
        where += type === 'note' ? ' (note)' : type === 'calculate' ? ' (computed)' : ' (question)';
      } else if (field === 'choices') {
        where += ` (choice ${parts.slice(3).join('.')})`;
      } else {
        const names: Readonly<Record<string, string>> = {
          hint: 'instruction',
          constraintMessage: 'error message',
          unit: 'unit',
          bands: 'band',
        };
        where += ` (${names[field] ?? field})`;
      }
    } else if (kind === 'rows') {
      const grid = gridOfRow.get(id) ?? '?';
      where = `${items.get(grid)?.section ?? '?'} › ${grid} › ${id} (row)`;
    } else if (kind === 'choices') {
      where = `list ${id} (choice ${parts.slice(2).join('.')})`;
    } else if (kind === 'sections') {
      where = `${id} (section title)`;
    } else if (kind === 'alerts') {
      where = `alert ${id} (${field})`;
    } else if (kind === 'screenOuts') {
      where = `screen-out ${id}`;
    } else if (kind === 'nonResponse') {
      where = `${id === 'dontKnow' ? "don't know" : 'refused'} (button)`;
    } else if (kind === 'title') {
      where = 'questionnaire title';
    }
    return {
      key: entry.key,
      where,
      reader: entry.reader,
      required: entry.required && entry.reader === 'respondent',
      text: entry.text,
    };
  });
}

const HEADERS = { key: 'key', where: 'where', reader: 'read by' } as const;

/**
 * The translation sheet of `definition` for `target`: French and English first (the definition's
 * languages, its default first), the target column filled with what `existing` (the definition's
 * own texts in that language, or a pack) already gives.
 */
export function translationSheet(
  definition: Definition,
  target: string,
  existing?: LabelPack,
): Workbook {
  const sources = [
    definition.defaultLanguage,
    ...definition.languages.filter((l) => l !== definition.defaultLanguage && l !== target),
  ];
  const header = [
    HEADERS.key,
    HEADERS.where,
    HEADERS.reader,
    ...sources.map(languageName),
    languageName(target),
  ];
  const rows = translationRows(definition).map((row) => [
    row.key,
    row.where,
    row.reader,
    ...sources.map((language) => row.text[language] ?? ''),
    existing?.texts[row.key] ?? row.text[target] ?? '',
  ]);
  return { [TRANSLATION_SHEET]: [header, ...rows] };
}

/** `{{name}}` placeholders of a text, which the app fills (the helpline, a contact). */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1] ?? '');
}

export interface TranslationReport {
  /** Keys given a translation. */
  readonly translated: number;
  /** Texts a new language must have (the respondent's), not translated. */
  readonly missing: readonly string[];
  /** The interviewer's texts not translated: shown in the default language, marked as such. */
  readonly fallback: number;
  /** Texts left as in the default language (maybe names, maybe forgotten). */
  readonly unchanged: readonly string[];
  /** Texts whose placeholders are not all in the translation. */
  readonly placeholdersLost: readonly { readonly key: string; readonly lost: readonly string[] }[];
}

export interface PackFromSheet {
  readonly pack?: LabelPack;
  readonly report?: TranslationReport;
  readonly issues: readonly SheetIssue[];
}

/** Reads a filled translation sheet back into a label pack for `target` (the column's code). */
export function packFromTranslationSheet(
  definition: Definition,
  workbook: Workbook,
  target: string,
): PackFromSheet {
  const sheet = readSheet(workbook, TRANSLATION_SHEET);
  if (sheet === undefined) {
    return {
      issues: [
        {
          severity: 'error',
          sheet: TRANSLATION_SHEET,
          message: `the workbook has no "${TRANSLATION_SHEET}" sheet`,
        },
      ],
    };
  }
  const column = sheet.headers.find((h) => parseHeader(`x::${h}`).language === target);
  const keyColumn = sheet.headers.find((h) => h.toLowerCase() === HEADERS.key);
  const issues: SheetIssue[] = [];
  if (column === undefined || keyColumn === undefined) {
    issues.push({
      severity: 'error',
      sheet: sheet.name,
      row: 1,
      message:
        column === undefined
          ? `no column for the language "${target}", e.g. "${languageName(target)}"`
          : 'no "key" column',
    });
    return { issues };
  }
  const letter = columnLetter(sheet.headers.indexOf(column));
  const rows = new Map(translationRows(definition).map((row) => [row.key, row]));
  const texts: Record<string, string> = {};
  const unchanged: string[] = [];
  const placeholdersLost: { key: string; lost: string[] }[] = [];
  for (const row of sheet.rows) {
    const key = row.cells.get(keyColumn);
    const text = row.cells.get(column);
    if (key === undefined) continue;
    const known = rows.get(key);
    if (known === undefined) {
      issues.push({
        severity: 'error',
        sheet: sheet.name,
        row: row.row,
        column: keyColumn,
        columnLetter: columnLetter(sheet.headers.indexOf(keyColumn)),
        message: `no text "${key}" in ${definition.id} ${definition.version}: keep the key column as it was written`,
      });
      continue;
    }
    if (text === undefined) continue;
    texts[key] = text;
    const source = known.text[definition.defaultLanguage] ?? '';
    if (text === source) unchanged.push(key);
    const lost = placeholders(source).filter((name) => !placeholders(text).includes(name));
    if (lost.length > 0) {
      placeholdersLost.push({ key, lost });
      issues.push({
        severity: 'error',
        sheet: sheet.name,
        row: row.row,
        column,
        columnLetter: letter,
        message: `the translation lost ${lost.map((name) => `{{${name}}}`).join(', ')}: the app puts the site's value there`,
      });
    }
  }
  const missing = [...rows.values()]
    .filter((row) => row.required && texts[row.key] === undefined)
    .map((row) => row.key);
  const fallback = [...rows.values()].filter(
    (row) => row.reader === 'interviewer' && texts[row.key] === undefined,
  ).length;
  const report: TranslationReport = {
    translated: Object.keys(texts).length,
    missing,
    fallback,
    unchanged,
    placeholdersLost,
  };
  const pack: LabelPack = {
    questionnaire: definition.id,
    version: definition.version,
    language: target,
    texts,
  };
  return { pack, report, issues };
}
