// Reads an XLSForm workbook into a questionnaire definition, then checks it with the loader the
// app and the server use. Every refusal names its sheet, row and column. What the engine cannot
// run (repeats, media, geopoints…) is refused with its reason, never dropped: a question lost in
// conversion would be a question never asked. What only changes the look (an appearance, a
// media column) is a warning.
import type { Definition, LoadIssue } from '../questionnaire/index.ts';
import { loadQuestionnaire } from '../questionnaire/index.ts';
import { FUNCTION_NAMES } from '../expression/index.ts';
import {
  CHOICE_RELEVANT,
  GRID_APPEARANCE,
  INLINE,
  LOCALIZED_COLUMNS,
  SURVEY_COLUMNS,
} from './to-xlsform.ts';
import type { ReadSheet, SheetIssue, SheetRow, Workbook } from './workbook.ts';
import { columnLetter, parseHeader, readSheet } from './workbook.ts';

export interface FromXlsFormResult {
  /** The checked definition, when nothing is an error. */
  readonly definition?: Definition;
  readonly issues: readonly SheetIssue[];
}

export interface FromXlsFormOptions {
  /** The questionnaire id when the settings sheet gives no form_id (e.g. from the file name). */
  readonly id?: string;
  /** The version when the settings sheet gives none. */
  readonly version?: string;
}

/** XLSForm types the engine has no place for, and why. */
const UNSUPPORTED_TYPES: Readonly<Record<string, string>> = {
  begin_repeat: 'repeats are not supported: ask each person or event as questions of its own',
  end_repeat: 'repeats are not supported',
  begin_loop: 'loops are not supported: ask each case as questions of its own',
  end_loop: 'loops are not supported',
  geopoint: 'locations are not recorded: the survey is anonymous',
  geotrace: 'locations are not recorded: the survey is anonymous',
  geoshape: 'locations are not recorded: the survey is anonymous',
  'start-geopoint': 'locations are not recorded: the survey is anonymous',
  image: 'media answers are not supported',
  audio: 'media answers are not supported',
  video: 'media answers are not supported',
  file: 'file answers are not supported',
  'background-audio': 'recording the interview is not supported',
  barcode: 'barcodes are not supported',
  range: 'range questions are not supported: use an integer with smpg_min and smpg_max',
  rank: 'ranking questions are not supported',
  time: 'time answers are not supported: use a text or two integers',
  datetime: 'date and time answers are not supported: use a date',
  hidden: 'hidden fields are not supported: use a calculate',
  'xml-external': 'external instances are not supported',
  'csv-external': 'external instances are not supported',
  select_one_from_file: 'choices from a file are not supported: put them in the choices sheet',
  select_multiple_from_file: 'choices from a file are not supported: put them in the choices sheet',
  select_one_external: 'external choices are not supported: put them in the choices sheet',
};

/** Metadata the app records itself (paradata, device, interviewer): skipped with a warning. */
const METADATA_TYPES = new Set([
  'start',
  'end',
  'today',
  'deviceid',
  'subscriberid',
  'simserial',
  'phonenumber',
  'username',
  'email',
  'audit',
]);

/** Survey columns of XLSForm that would change the data if ignored: refused when filled. */
const REFUSED_COLUMNS: Readonly<Record<string, string>> = {
  default: 'default answers are not supported: the interviewer asks every question',
  read_only: 'read-only questions are not supported: use a note or a calculate',
  repeat_count: 'repeats are not supported',
  trigger: 'triggers are not supported: use a calculate',
  parameters: 'type parameters are not supported',
};

const DEFAULT_NON_RESPONSE = {
  dontKnow: { code: 98, label: { fr: 'Ne sait pas', en: 'Don’t know' } },
  refused: { code: 99, label: { fr: 'Refus', en: 'Refused' } },
} as const;

const OTHER_LABEL: Readonly<Record<string, string>> = { fr: 'Autre', en: 'Other' };
const OTHER_TEXT_LABEL: Readonly<Record<string, string>> = { fr: 'Précisez', en: 'Specify' };

interface Place {
  readonly sheet: string;
  readonly row?: number;
  readonly column?: string;
}

type Texts = Record<string, string>;
type Draft = Record<string, unknown>;

interface GroupFrame {
  readonly kind: 'section' | 'grid' | 'flat';
  readonly row: number;
  readonly name: string;
  readonly relevant?: string;
  /** A grid's item under construction. */
  readonly item?: Draft;
  readonly rows?: Draft[];
  /** Each grid row's `required`, to be said once for the grid. */
  readonly required?: { row: number; column: string; value: boolean | string }[];
  readonly path?: string;
}

class Reader {
  readonly issues: SheetIssue[] = [];
  /** Where each part of the definition came from, by its loader path. */
  readonly places = new Map<string, Place>();
  readonly sheets = new Map<string, ReadSheet>();
  languages: string[] = [];
  defaultLanguage = 'en';
  /** The language of columns without one (`label`). */
  plainLanguage = 'en';
  readonly #warned = new Set<string>();

  constructor(readonly workbook: Workbook) {}

  sheet(name: string): ReadSheet | undefined {
    if (!this.sheets.has(name)) {
      const sheet = readSheet(this.workbook, name);
      if (sheet !== undefined) this.sheets.set(name, sheet);
    }
    return this.sheets.get(name);
  }

  issue(
    severity: SheetIssue['severity'],
    sheet: string,
    row: number | undefined,
    column: string | undefined,
    message: string,
  ): void {
    const read = this.sheets.get(sheet);
    const index = column === undefined ? -1 : (read?.headers.indexOf(column) ?? -1);
    this.issues.push({
      severity,
      sheet: read?.name ?? sheet,
      ...(row === undefined ? {} : { row }),
      ...(column === undefined ? {} : { column }),
      ...(index < 0 ? {} : { columnLetter: columnLetter(index) }),
      message,
    });
  }

  error(sheet: string, row: number | undefined, column: string | undefined, message: string): void {
    this.issue('error', sheet, row, column, message);
  }

  /** A warning given once per key (a column, an appearance), at its first row. */
  warnOnce(key: string, sheet: string, row: number, column: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.issue('warning', sheet, row, column, message);
  }

  place(path: string, sheet: string, row: number, column?: string): void {
    this.places.set(path, { sheet, row, ...(column === undefined ? {} : { column }) });
  }

  /** The texts of `base` in a row, by language code; their places are noted under `path`. */
  texts(sheet: string, row: SheetRow, base: string, path: string): Texts | undefined {
    const out: Texts = {};
    for (const [header, value] of row.cells) {
      const parsed = parseHeader(header);
      if (parsed.base !== base) continue;
      const language = parsed.languageText === undefined ? this.plainLanguage : parsed.language;
      if (language === undefined) continue; // reported once for the header
      out[language] = value;
      this.place(`${path}.${language}`, sheet, row.row, header);
    }
    if (Object.keys(out).length === 0) return undefined;
    this.place(path, sheet, row.row, this.firstHeader(sheet, base));
    return out;
  }

  firstHeader(sheet: string, base: string): string | undefined {
    return this.sheets.get(sheet)?.headers.find((header) => parseHeader(header).base === base);
  }

  cell(row: SheetRow, column: string): string | undefined {
    for (const [header, value] of row.cells) {
      if (header.toLowerCase() === column) return value;
    }
    return undefined;
  }

  header(row: SheetRow, column: string): string {
    for (const header of row.cells.keys()) if (header.toLowerCase() === column) return header;
    return column;
  }
}

function boolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'yes' || v === 'true' || v === 'true()' || v === '1') return true;
  if (v === 'no' || v === 'false' || v === 'false()' || v === '0') return false;
  return undefined;
}

function normalizeType(raw: string): string {
  return (
    raw
      .trim()
      .replace(/\s+/g, ' ')
      .replace(/^(begin|end) (group|repeat|loop)\b/i, '$1_$2')
      .replace(/^select (one|multiple)\b/i, 'select_$1')
      // pyxform's older spellings: `select one from list`, `select all that apply from list`.
      .replace(/^select all that apply\b/i, 'select_multiple')
      .replace(/^(select_one|select_multiple) from /i, '$1 ')
      .replace(/ or specify other$/i, ' or_other')
      .replace(/^string\b/i, 'text')
      .replace(/^int\b/i, 'integer')
      .replace(/^(select_one|select_multiple)_(from_file|external)\b/i, '$1_$2')
  );
}

function and(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return `(${a}) and (${b})`;
}

/** Languages from the headers of every sheet; a language without its code is refused. */
function readLanguages(reader: Reader): void {
  const found: string[] = [];
  let plain = false;
  for (const name of ['survey', 'choices', 'settings', 'smpg_alerts', 'smpg_screen_outs']) {
    const sheet = reader.sheet(name);
    for (const header of sheet?.headers ?? []) {
      const parsed = parseHeader(header);
      const localized =
        (LOCALIZED_COLUMNS as readonly string[]).includes(parsed.base) ||
        ['form_title', 'smpg_dont_know', 'smpg_refused', 'title', 'protocol'].includes(parsed.base);
      if (!localized && parsed.base !== 'label') continue;
      if (parsed.languageText === undefined) {
        plain = true;
      } else if (parsed.language === undefined) {
        reader.error(
          name,
          1,
          header,
          `the language has no code: write it as "${parsed.base}::${parsed.languageText} (xx)", e.g. "label::Français (fr)"`,
        );
      } else if (!found.includes(parsed.language)) {
        found.push(parsed.language);
      }
    }
  }
  const settings = reader.sheet('settings')?.rows[0];
  const declared = settings === undefined ? undefined : reader.cell(settings, 'default_language');
  let defaultLanguage: string | undefined;
  if (declared !== undefined) {
    const parsed = parseHeader(`x::${declared}`);
    defaultLanguage =
      parsed.language ?? (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(declared) ? declared : undefined);
    if (defaultLanguage === undefined && settings !== undefined) {
      reader.error(
        'settings',
        settings.row,
        reader.header(settings, 'default_language'),
        `"${declared}" is not a language with its code, e.g. "Français (fr)"`,
      );
    }
  }
  if (plain) {
    reader.plainLanguage = defaultLanguage ?? (found.length === 0 ? 'en' : (found[0] ?? 'en'));
    if (defaultLanguage === undefined && found.length === 0) {
      const sheet = reader.sheet('survey');
      reader.issue(
        'warning',
        'survey',
        1,
        sheet?.headers.find((h) => h.toLowerCase() === 'label') ?? 'label',
        'the labels have no language: read as English (en); write "label::Français (fr)" to say which',
      );
    }
    if (!found.includes(reader.plainLanguage)) found.unshift(reader.plainLanguage);
  }
  reader.languages = found.length === 0 ? ['en'] : found;
  reader.defaultLanguage = defaultLanguage ?? reader.languages[0] ?? 'en';
}

interface ChoiceRow {
  readonly row: number;
  readonly code: string;
  readonly label: Texts | undefined;
  /** The choice's own condition (our `smpg_relevant` column). */
  readonly relevant: string | undefined;
  /** Every cell of the row by header, for the choice filters that name its columns. */
  readonly cells: ReadonlyMap<string, string>;
}

/** Warns about the choices sheet's columns that nothing read (not named by any choice filter). */
function warnUnreadChoiceColumns(reader: Reader, used: ReadonlySet<string>): void {
  const sheet = reader.sheets.get('choices');
  for (const header of sheet?.headers ?? []) {
    const base = parseHeader(header).base;
    if (header === '' || used.has(header)) continue;
    if (['list_name', 'list name', 'name', 'label', CHOICE_RELEVANT].includes(base)) continue;
    if (base === 'media' || base === 'image' || base === 'audio' || base === 'video') {
      reader.issue('warning', 'choices', 1, header, 'media are not shown: the column is not read');
    } else {
      reader.issue('warning', 'choices', 1, header, 'this column is not read');
    }
  }
}

function readChoices(reader: Reader): Map<string, ChoiceRow[]> {
  const lists = new Map<string, ChoiceRow[]>();
  const sheet = reader.sheet('choices');
  if (sheet === undefined) return lists;
  for (const row of sheet.rows) {
    const list = reader.cell(row, 'list_name') ?? reader.cell(row, 'list name');
    const code = reader.cell(row, 'name');
    if (list === undefined || code === undefined) {
      reader.error(
        'choices',
        row.row,
        list === undefined ? 'list_name' : 'name',
        list === undefined ? 'a choice needs its list_name' : 'a choice needs its name (its code)',
      );
      continue;
    }
    const choices = lists.get(list) ?? [];
    choices.push({
      row: row.row,
      code,
      label: reader.texts('choices', row, 'label', ''),
      relevant: reader.cell(row, CHOICE_RELEVANT),
      cells: row.cells,
    });
    lists.set(list, choices);
  }
  return lists;
}

/** XPath in a choice filter that has no meaning over one choice at a time. */
const XPATH_PARTS: readonly [RegExp, string][] = [
  [/^(\/|\[|\]|@|\||\.\.)/, 'XPath paths and predicates'],
  [/^\.(?![0-9])/, '"." (the current node)'],
];

/** A cell's value as an expression's text literal, or undefined if it holds both quotes. */
function literal(value: string): string | undefined {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return undefined;
}

/**
 * A choice filter made one condition per choice: each name of a choices sheet's column (`filter`,
 * `region`, `name` for the choice's own code) is replaced by that choice's cell, as text;
 * `${question}`, texts, numbers and our functions are kept. What has no such meaning (a function
 * we lack, `position()`, an XPath path, a name that is no column) is refused at the cell.
 */
export function choiceFilterConditions(
  filter: string,
  headers: readonly string[],
  choices: readonly { readonly code: string; readonly cells: ReadonlyMap<string, string> }[],
): { conditions: string[]; columns: string[] } | { refusals: string[] } {
  type Part = { text: string } | { column: string };
  const parts: Part[] = [];
  const refusals: string[] = [];
  const columns = new Set<string>();
  const refuse = (message: string) => {
    if (!refusals.includes(message)) refusals.push(message);
  };
  let rest = filter;
  while (rest.length > 0) {
    const token =
      /^\$\{[^}]*\}/.exec(rest) ??
      /^'[^']*'/.exec(rest) ??
      /^"[^"]*"/.exec(rest) ??
      /^[0-9]+(\.[0-9]+)?/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*(:[A-Za-z_][A-Za-z0-9_-]*)?/.exec(rest);
    if (token !== null) {
      const word = token[0];
      rest = rest.slice(word.length);
      const isName = /^[A-Za-z_]/.test(word);
      if (!isName || ['and', 'or', 'div', 'mod'].includes(word)) {
        parts.push({ text: word });
      } else if (/^\s*\(/.test(rest)) {
        if (!FUNCTION_NAMES.includes(word)) {
          refuse(
            `the choice filter calls ${word}(), which we do not have (functions: ${FUNCTION_NAMES.join(', ')})`,
          );
        }
        parts.push({ text: word });
      } else if (word === 'label' || word.startsWith('label:')) {
        refuse(
          'the choice filter reads the label, which depends on the language: filter on a column of codes',
        );
      } else {
        const header =
          headers.find((h) => h === word) ??
          headers.find((h) => h.toLowerCase() === word.toLowerCase());
        if (header === undefined) {
          refuse(`the choice filter names "${word}", which is not a column of the choices sheet`);
        } else {
          columns.add(header);
          parts.push({ column: header });
        }
      }
      continue;
    }
    const xpath = XPATH_PARTS.find(([pattern]) => pattern.test(rest));
    if (xpath !== undefined) {
      refuse(
        `the choice filter uses ${xpath[1]}, which we do not read: compare a column with an answer, e.g. filter = \${region}`,
      );
      rest = rest.replace(xpath[0], '');
      continue;
    }
    parts.push({ text: rest.charAt(0) });
    rest = rest.slice(1);
  }
  const conditions: string[] = [];
  for (const choice of choices) {
    let out = '';
    for (const part of parts) {
      if ('text' in part) {
        out += part.text;
        continue;
      }
      const value =
        part.column.toLowerCase() === 'name' ? choice.code : (choice.cells.get(part.column) ?? '');
      const quoted = literal(value);
      if (quoted === undefined) {
        refuse(`the choice "${choice.code}" has both ' and " in its ${part.column}: keep one`);
      }
      out += quoted ?? "''";
    }
    conditions.push(out.trim());
  }
  return refusals.length > 0 ? { refusals } : { conditions, columns: [...columns] };
}

/** The columns of a survey row that are refused, warned about, or not known. */
function checkSurveyColumns(reader: Reader, row: SheetRow): boolean {
  let refused = false;
  for (const header of row.cells.keys()) {
    const { base } = parseHeader(header);
    const reason = REFUSED_COLUMNS[base];
    if (base === 'choice_filter') continue;
    if (reason !== undefined) {
      reader.error('survey', row.row, header, reason);
      refused = true;
    } else if (!(SURVEY_COLUMNS as readonly string[]).includes(base)) {
      const media = ['media', 'image', 'audio', 'video', 'big-image'].includes(base);
      reader.warnOnce(
        `column:${base}`,
        'survey',
        row.row,
        header,
        media
          ? 'media are not shown: the column is not read'
          : base === 'required_message'
            ? 'the app says itself that an answer is required: the column is not read'
            : 'this column is not read',
      );
    }
  }
  return refused;
}

/** An item's own copy of a list: its path, its row, and its choice filter if it has one. */
interface InlineUse {
  readonly path: string;
  readonly row: number;
  readonly filter?: { readonly text: string; readonly header: string };
}

class SurveyReader {
  readonly sections: Draft[] = [];
  readonly stack: GroupFrame[] = [];
  /** Lists used by items: inline (one item's own) or shared. */
  readonly inline = new Map<string, InlineUse[]>();
  readonly shared = new Set<string>();
  /** Where each list is referenced first, for an unknown list's message. */
  readonly references = new Map<string, number>();
  #implicit = 0;

  constructor(
    readonly reader: Reader,
    readonly lists: Map<string, ChoiceRow[]>,
    readonly title: Texts | undefined,
  ) {}

  /** Items outside any group go to a section of their own, open until the next group. */
  #implicitOpen = false;

  get section(): Draft | undefined {
    return this.#implicitOpen || this.stack.some((frame) => frame.kind === 'section')
      ? this.sections[this.sections.length - 1]
      : undefined;
  }

  /** The section items go into: the open one, or an implicit one for items outside groups. */
  openSection(row: number): { section: Draft; index: number } {
    let section = this.section;
    if (section === undefined) {
      this.#implicit += 1;
      section = {
        id: this.#implicit === 1 ? 'main' : `main_${this.#implicit}`,
        title: this.title ?? { [this.reader.defaultLanguage]: 'Questionnaire' },
        items: [],
      };
      this.sections.push(section);
      this.#implicitOpen = true;
      void row;
    }
    return { section, index: this.sections.length - 1 };
  }

  /** Relevant of the flattened groups around an item. */
  get inherited(): string | undefined {
    let out: string | undefined;
    for (const frame of this.stack) if (frame.kind === 'flat') out = and(out, frame.relevant);
    return out;
  }

  useList(
    list: string,
    row: SheetRow,
    inline: boolean,
    path: string,
    filter?: InlineUse['filter'],
  ): boolean {
    if (!this.references.has(list)) this.references.set(list, row.row);
    if (!this.lists.has(list)) {
      this.reader.error(
        'survey',
        row.row,
        this.reader.header(row, 'type'),
        `the list "${list}" is not in the choices sheet`,
      );
      return false;
    }
    if (inline) {
      const uses = this.inline.get(list) ?? [];
      uses.push({ path, row: row.row, ...(filter === undefined ? {} : { filter }) });
      this.inline.set(list, uses);
    } else {
      this.shared.add(list);
    }
    return true;
  }

  /** Common fields of a row: label, hint, relevant, identifying… with their places. */
  base(row: SheetRow, path: string, item: Draft): void {
    const r = this.reader;
    const label = r.texts('survey', row, 'label', `${path}.label`);
    if (label !== undefined) item['label'] = label;
    const hint = r.texts('survey', row, 'hint', `${path}.hint`);
    if (hint !== undefined) item['hint'] = hint;
    const relevant = and(this.inherited, r.cell(row, 'relevant'));
    if (relevant !== undefined) {
      item['relevant'] = relevant;
      r.place(`${path}.relevant`, 'survey', row.row, r.header(row, 'relevant'));
    }
    this.flag(row, path, item, 'smpg_identifying', 'identifying');
  }

  flag(row: SheetRow, path: string, item: Draft, column: string, field: string): void {
    const value = this.reader.cell(row, column);
    if (value === undefined) return;
    const parsed = boolean(value);
    if (parsed === undefined) {
      this.reader.error(
        'survey',
        row.row,
        this.reader.header(row, column),
        `"${value}" is not yes or no`,
      );
    } else {
      item[field] = parsed;
      this.reader.place(`${path}.${field}`, 'survey', row.row, this.reader.header(row, column));
    }
  }

  answerable(row: SheetRow, path: string, item: Draft): void {
    const r = this.reader;
    const required = r.cell(row, 'required');
    if (required !== undefined) {
      item['required'] = boolean(required) ?? required;
      r.place(`${path}.required`, 'survey', row.row, r.header(row, 'required'));
    }
    const constraint = r.cell(row, 'constraint');
    if (constraint !== undefined) {
      item['constraint'] = constraint;
      r.place(`${path}.constraint`, 'survey', row.row, r.header(row, 'constraint'));
    }
    const message = r.texts('survey', row, 'constraint_message', `${path}.constraintMessage`);
    if (message !== undefined) item['constraintMessage'] = message;
    this.flag(row, path, item, 'smpg_non_response', 'nonResponse');
    this.coarsen(row, path, item);
  }

  coarsen(row: SheetRow, path: string, item: Draft): void {
    const value = this.reader.cell(row, 'smpg_coarsen');
    if (value === undefined) return;
    try {
      item['coarsen'] = JSON.parse(value) as unknown;
      this.reader.place(
        `${path}.coarsen`,
        'survey',
        row.row,
        this.reader.header(row, 'smpg_coarsen'),
      );
    } catch {
      this.reader.error(
        'survey',
        row.row,
        this.reader.header(row, 'smpg_coarsen'),
        'is not JSON, e.g. {"kind":"date","precision":"year"}',
      );
    }
  }

  number(
    row: SheetRow,
    column: string,
    path: string,
    item: Draft,
    field: string,
    integer: boolean,
  ): void {
    const value = this.reader.cell(row, column);
    if (value === undefined) return;
    const parsed = Number(value.replace(',', '.'));
    if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
      this.reader.error(
        'survey',
        row.row,
        this.reader.header(row, column),
        `"${value}" is not ${integer ? 'a whole number' : 'a number'}`,
      );
      return;
    }
    item[field] = parsed;
    this.reader.place(`${path}.${field}`, 'survey', row.row, this.reader.header(row, column));
  }

  text(
    row: SheetRow,
    column: string,
    path: string,
    item: Draft,
    field: string,
    allowed?: readonly string[],
  ): void {
    const value = this.reader.cell(row, column);
    if (value === undefined) return;
    if (allowed !== undefined && !allowed.includes(value)) {
      this.reader.error(
        'survey',
        row.row,
        this.reader.header(row, column),
        `"${value}" is not one of ${allowed.join(', ')}`,
      );
      return;
    }
    item[field] = value;
    this.reader.place(`${path}.${field}`, 'survey', row.row, this.reader.header(row, column));
  }

  appearance(row: SheetRow, allowed: readonly string[]): string[] {
    const value = this.reader.cell(row, 'appearance');
    if (value === undefined) return [];
    const words = value.split(/\s+/);
    for (const word of words) {
      if (!allowed.includes(word)) {
        this.reader.warnOnce(
          `appearance:${word}`,
          'survey',
          row.row,
          this.reader.header(row, 'appearance'),
          `the appearance "${word}" is not used: the app shows the question its own way`,
        );
      }
    }
    return words;
  }

  row(row: SheetRow): void {
    const r = this.reader;
    const rawType = r.cell(row, 'type');
    const name = r.cell(row, 'name');
    if (rawType === undefined) {
      r.error('survey', row.row, 'type', 'the row has no type');
      return;
    }
    if (checkSurveyColumns(r, row)) return;
    const type = normalizeType(rawType);
    const [keyword = '', list, extra] = type.split(' ');
    const typeHeader = r.header(row, 'type');
    const lower = keyword.toLowerCase();
    const filterText = r.cell(row, 'choice_filter');
    const filter =
      filterText === undefined
        ? undefined
        : { text: filterText, header: r.header(row, 'choice_filter') };
    const notForFilter = () => {
      if (filter === undefined) return false;
      r.error(
        'survey',
        row.row,
        filter.header,
        'a choice filter applies only to select_one and select_multiple questions',
      );
      return true;
    };

    if ((lower === 'end_group' || lower === 'begin_group') && notForFilter()) return;
    if (lower === 'end_group') {
      this.endGroup(row);
      return;
    }
    if (lower === 'begin_group') {
      this.beginGroup(row, name);
      return;
    }
    if (METADATA_TYPES.has(lower)) {
      r.issue(
        'warning',
        'survey',
        row.row,
        typeHeader,
        `"${keyword}" is not read: the app records times, device and interviewer itself`,
      );
      return;
    }
    const unsupported = UNSUPPORTED_TYPES[lower];
    if (unsupported !== undefined) {
      r.error('survey', row.row, typeHeader, unsupported);
      return;
    }
    const inGrid = this.stack[this.stack.length - 1]?.kind === 'grid';
    if (filter !== undefined && inGrid) {
      r.error(
        'survey',
        row.row,
        filter.header,
        'a choice filter is not read in a table-list group (a grid): its rows share one list',
      );
      return;
    }
    if (lower !== 'select_one' && lower !== 'select_multiple' && notForFilter()) return;
    if (name === undefined) {
      r.error('survey', row.row, 'name', 'the question has no name');
      return;
    }
    const grid = this.stack[this.stack.length - 1];
    if (grid?.kind === 'grid') {
      this.gridRow(row, grid, lower, list, name);
      return;
    }
    const { section, index } = this.openSection(row.row);
    const items = section['items'] as Draft[];
    const path = `sections[${index}].items[${items.length}]`;
    const item: Draft = { id: name };
    r.place(path, 'survey', row.row, r.header(row, 'name'));
    r.place(`${path}.id`, 'survey', row.row, r.header(row, 'name'));
    r.place(`${path}.type`, 'survey', row.row, typeHeader);
    this.base(row, path, item);
    const inline = r.cell(row, 'smpg_choices') === INLINE;
    switch (lower) {
      case 'select_one':
      case 'select_multiple': {
        if (list === undefined) {
          r.error(
            'survey',
            row.row,
            typeHeader,
            `"${rawType}" needs its list: "${keyword} yes_no"`,
          );
          return;
        }
        if (extra !== undefined && extra !== 'or_other') {
          r.error(
            'survey',
            row.row,
            typeHeader,
            `"${extra}" is not understood after the list's name`,
          );
          return;
        }
        item['type'] = lower === 'select_one' ? 'single' : 'multiple';
        this.answerable(row, path, item);
        const orOther = extra === 'or_other';
        // A filtered item gets its own copy of the list, each choice with its condition.
        const own = inline || orOther || filter !== undefined;
        if (!this.useList(list, row, own, `${path}.choices`, filter)) return;
        item['choices'] = list;
        if (lower === 'select_multiple') {
          const exclusive = r.cell(row, 'smpg_exclusive');
          if (exclusive !== undefined) {
            item['exclusive'] = exclusive.split(/[\s,]+/).filter((code) => code !== '');
            r.place(`${path}.exclusive`, 'survey', row.row, r.header(row, 'smpg_exclusive'));
          }
        }
        this.appearance(row, []);
        items.push(item);
        if (orOther) this.other(row, items, path, item, name);
        return;
      }
      case 'acknowledge':
      case 'trigger':
        item['type'] = 'single';
        this.answerable(row, path, item);
        item['choices'] = [
          {
            code: 'OK',
            label: Object.fromEntries(r.languages.map((language) => [language, 'OK'])),
          },
        ];
        this.appearance(row, []);
        items.push(item);
        return;
      case 'integer':
      case 'decimal':
        item['type'] = lower;
        this.answerable(row, path, item);
        this.number(row, 'smpg_min', path, item, 'min', lower === 'integer');
        this.number(row, 'smpg_max', path, item, 'max', lower === 'integer');
        {
          const unit = r.texts('survey', row, 'smpg_unit', `${path}.unit`);
          if (unit !== undefined) item['unit'] = unit;
        }
        this.appearance(row, []);
        break;
      case 'text':
        item['type'] = 'text';
        this.answerable(row, path, item);
        this.number(row, 'smpg_max_length', path, item, 'maxLength', true);
        if (this.appearance(row, ['multiline']).includes('multiline')) item['multiline'] = true;
        break;
      case 'date':
        item['type'] = 'date';
        this.answerable(row, path, item);
        this.text(row, 'smpg_min', path, item, 'min');
        this.text(row, 'smpg_max', path, item, 'max');
        this.appearance(row, []);
        break;
      case 'note':
        item['type'] = 'note';
        this.text(row, 'smpg_style', path, item, 'style', ['read_aloud', 'instruction']);
        this.appearance(row, []);
        break;
      case 'calculate': {
        item['type'] = 'calculate';
        const calculation = r.cell(row, 'calculation');
        if (calculation === undefined) {
          r.error('survey', row.row, 'calculation', 'a calculate needs its calculation');
          return;
        }
        item['calculate'] = calculation;
        r.place(`${path}.calculate`, 'survey', row.row, r.header(row, 'calculation'));
        this.text(row, 'smpg_value_type', path, item, 'valueType', ['number', 'string', 'boolean']);
        const calcList = r.cell(row, 'smpg_list');
        if (calcList !== undefined && this.useList(calcList, row, inline, `${path}.choices`)) {
          item['choices'] = calcList;
        }
        this.coarsen(row, path, item);
        break;
      }
      default:
        r.error(
          'survey',
          row.row,
          typeHeader,
          `"${rawType}" is not a question type we read (see questionnaires/README.md)`,
        );
        return;
    }
    items.push(item);
  }

  /** `select_one list or_other`: an "other" choice and a text asked after it. */
  other(row: SheetRow, items: Draft[], path: string, item: Draft, name: string): void {
    const languages = this.reader.languages;
    const label = (texts: Readonly<Record<string, string>>) =>
      Object.fromEntries(languages.map((l) => [l, texts[l] ?? texts['en'] ?? 'Other']));
    item['otherChoice'] = { code: 'other', label: label(OTHER_LABEL) };
    const text: Draft = {
      id: `${name}_other`,
      type: 'text',
      label: label(OTHER_TEXT_LABEL),
      relevant: `selected(\${${name}}, 'other')`,
      required: true,
    };
    this.reader.place(
      `${path.replace(/\.items\[\d+\]$/, '')}.items[${items.length}]`,
      'survey',
      row.row,
      this.reader.header(row, 'type'),
    );
    items.push(text);
  }

  gridRow(
    row: SheetRow,
    grid: GroupFrame,
    keyword: string,
    list: string | undefined,
    name: string,
  ): void {
    const r = this.reader;
    const item = grid.item ?? {};
    const rows = grid.rows ?? [];
    const typeHeader = r.header(row, 'type');
    if ((keyword !== 'select_one' && keyword !== 'select_multiple') || list === undefined) {
      r.error(
        'survey',
        row.row,
        typeHeader,
        `a table-list group (a grid) holds only select_one or select_multiple questions of one list`,
      );
      return;
    }
    const select = keyword === 'select_one' ? 'one' : 'multiple';
    const words = this.appearance(row, ['label', 'list-nolabel', 'list']);
    // ODK's first row of a table shows the choices' labels as column headers: not a question.
    if (words.includes('label')) return;
    if (item['choices'] === undefined) {
      const inline = r.cell(row, 'smpg_choices') === INLINE || item['inlineChoices'] === true;
      if (!this.useList(list, row, inline, `${grid.path ?? ''}.choices`)) return;
      item['choices'] = list;
      item['rowSelect'] = select;
    } else if (item['choices'] !== list || item['rowSelect'] !== select) {
      r.error(
        'survey',
        row.row,
        typeHeader,
        `every row of the grid "${grid.name}" must be "${keyword === 'select_one' ? 'select_one' : 'select_multiple'} ${String(item['choices'])}" as its first row`,
      );
      return;
    }
    const path = `${grid.path ?? ''}.rows[${rows.length}]`;
    const draft: Draft = { id: name };
    r.place(path, 'survey', row.row, r.header(row, 'name'));
    const label = r.texts('survey', row, 'label', `${path}.label`);
    if (label !== undefined) draft['label'] = label;
    const relevant = r.cell(row, 'relevant');
    if (relevant !== undefined) {
      draft['relevant'] = relevant;
      r.place(`${path}.relevant`, 'survey', row.row, r.header(row, 'relevant'));
    }
    const required = r.cell(row, 'required');
    if (required !== undefined) {
      grid.required?.push({
        row: row.row,
        column: r.header(row, 'required'),
        value: boolean(required) ?? required,
      });
    }
    rows.push(draft);
  }

  beginGroup(row: SheetRow, name: string | undefined): void {
    const r = this.reader;
    if (checkSurveyColumns(r, row)) return;
    const words = this.appearance(row, [GRID_APPEARANCE, 'field-list']);
    if (name === undefined) {
      r.error('survey', row.row, 'name', 'the group has no name');
    }
    const groupName = name ?? `group_${row.row}`;
    if (words.includes(GRID_APPEARANCE)) {
      if (this.stack.some((frame) => frame.kind === 'grid')) {
        r.error('survey', row.row, r.header(row, 'appearance'), 'a grid cannot hold another group');
      }
      const { section, index } = this.openSection(row.row);
      const items = section['items'] as Draft[];
      const path = `sections[${index}].items[${items.length}]`;
      const item: Draft = { id: groupName, type: 'grid' };
      r.place(path, 'survey', row.row, r.header(row, 'name'));
      this.base(row, path, item);
      this.answerable(row, path, item);
      this.text(row, 'smpg_select', path, item, 'select', ['one', 'multiple']);
      if (r.cell(row, 'smpg_choices') === INLINE) item['inlineChoices'] = true;
      this.stack.push({
        kind: 'grid',
        row: row.row,
        name: groupName,
        item,
        rows: [],
        required: [],
        path,
      });
      return;
    }
    if (!this.stack.some((frame) => frame.kind === 'section')) {
      this.#implicitOpen = false;
      const path = `sections[${this.sections.length}]`;
      const section: Draft = { id: groupName, items: [] };
      r.place(path, 'survey', row.row, r.header(row, 'name'));
      const title = r.texts('survey', row, 'label', `${path}.title`);
      if (title !== undefined) section['title'] = title;
      const relevant = r.cell(row, 'relevant');
      if (relevant !== undefined) {
        section['relevant'] = relevant;
        r.place(`${path}.relevant`, 'survey', row.row, r.header(row, 'relevant'));
      }
      this.sections.push(section);
      this.stack.push({ kind: 'section', row: row.row, name: groupName });
      return;
    }
    r.issue(
      'warning',
      'survey',
      row.row,
      r.header(row, 'type'),
      `the group "${groupName}" inside a section is read as part of it: its relevant applies to each of its questions`,
    );
    const relevant = r.cell(row, 'relevant');
    this.stack.push({
      kind: 'flat',
      row: row.row,
      name: groupName,
      ...(relevant === undefined ? {} : { relevant }),
    });
  }

  endGroup(row: SheetRow): void {
    const frame = this.stack.pop();
    if (frame === undefined) {
      this.reader.error(
        'survey',
        row.row,
        this.reader.header(row, 'type'),
        'end_group without its begin_group',
      );
      return;
    }
    if (frame.kind === 'grid') {
      const { section } = this.openSection(row.row);
      const { rowSelect, inlineChoices: _inline, ...grid } = frame.item ?? {};
      void _inline;
      // `required` is the grid's: said on its begin_group row, or alike on every row.
      const said = frame.required ?? [];
      const values = new Set(said.map((entry) => String(entry.value)));
      const first = said[0];
      if (grid['required'] !== undefined) {
        for (const entry of said.filter((e) => String(e.value) !== String(grid['required']))) {
          this.reader.error(
            'survey',
            entry.row,
            entry.column,
            `the grid "${frame.name}" is required as its begin_group row says: leave the rows' required empty`,
          );
        }
      } else if (first !== undefined) {
        if (values.size > 1 || said.length !== (frame.rows ?? []).length) {
          this.reader.error(
            'survey',
            first.row,
            first.column,
            `the rows of the grid "${frame.name}" must all be required alike: say it once on its begin_group row`,
          );
        } else {
          grid['required'] = first.value;
        }
      }
      if (grid['select'] === undefined && rowSelect === 'multiple') grid['select'] = 'multiple';
      grid['rows'] = frame.rows ?? [];
      if ((frame.rows ?? []).length === 0) {
        this.reader.error('survey', frame.row, 'type', `the grid "${frame.name}" has no rows`);
      }
      (section['items'] as Draft[]).push(grid);
    }
  }
}

function readSettings(reader: Reader, options: FromXlsFormOptions): Draft {
  const sheet = reader.sheet('settings');
  const row = sheet?.rows[0];
  const out: Draft = {};
  const id = (row === undefined ? undefined : reader.cell(row, 'form_id')) ?? options.id;
  const version = (row === undefined ? undefined : reader.cell(row, 'version')) ?? options.version;
  if (id === undefined)
    reader.error(
      'settings',
      row?.row,
      'form_id',
      'the questionnaire needs its form_id, e.g. "smpg"',
    );
  if (version === undefined)
    reader.error(
      'settings',
      row?.row,
      'version',
      'the questionnaire needs its version, e.g. "2026.2"',
    );
  out['id'] = id;
  out['version'] = version;
  if (row !== undefined) {
    reader.place('id', 'settings', row.row, reader.header(row, 'form_id'));
    reader.place('version', 'settings', row.row, reader.header(row, 'version'));
    reader.place('defaultLanguage', 'settings', row.row, reader.header(row, 'default_language'));
  }
  const title =
    row === undefined ? undefined : reader.texts('settings', row, 'form_title', 'title');
  out['title'] = Object.fromEntries(
    reader.languages.map((language) => [
      language,
      title?.[language] ?? title?.[reader.plainLanguage] ?? String(id ?? 'Questionnaire'),
    ]),
  );
  const nonResponse = (key: 'dontKnow' | 'refused', column: string): Draft => {
    const fallback = DEFAULT_NON_RESPONSE[key];
    const codeText = row === undefined ? undefined : reader.cell(row, `${column}_code`);
    let code: number = fallback.code;
    if (codeText !== undefined) {
      const parsed = Number(codeText);
      if (Number.isInteger(parsed)) code = parsed;
      else
        reader.error('settings', row?.row, `${column}_code`, `"${codeText}" is not a whole number`);
    }
    const given =
      row === undefined
        ? undefined
        : reader.texts('settings', row, column, `nonResponse.${key}.label`);
    const labels: Record<string, string> = {};
    for (const language of reader.languages) {
      const text =
        given?.[language] ??
        (fallback.label as Readonly<Record<string, string>>)[language] ??
        fallback.label.en;
      labels[language] = text;
    }
    if (row !== undefined)
      reader.place(`nonResponse.${key}.code`, 'settings', row.row, `${column}_code`);
    return { code, label: labels };
  };
  out['nonResponse'] = {
    dontKnow: nonResponse('dontKnow', 'smpg_dont_know'),
    refused: nonResponse('refused', 'smpg_refused'),
  };
  return out;
}

function readConditions(
  reader: Reader,
  sheetName: string,
  kind: 'alerts' | 'screenOuts',
): Draft[] | undefined {
  const sheet = reader.sheet(sheetName);
  if (sheet === undefined) return undefined;
  return sheet.rows.map((row, i) => {
    const path = `${kind}[${i}]`;
    reader.place(path, sheetName, row.row, reader.header(row, 'name'));
    reader.place(`${path}.when`, sheetName, row.row, reader.header(row, 'when'));
    const out: Draft = { id: reader.cell(row, 'name'), when: reader.cell(row, 'when') };
    if (kind === 'alerts') {
      out['title'] = reader.texts(sheetName, row, 'title', `${path}.title`);
      out['protocol'] = reader.texts(sheetName, row, 'protocol', `${path}.protocol`);
    } else {
      out['label'] = reader.texts(sheetName, row, 'label', `${path}.label`);
    }
    return out;
  });
}

/** Reads the workbook; the definition is given only when no issue is an error. */
export function fromXlsForm(
  workbook: Workbook,
  options: FromXlsFormOptions = {},
): FromXlsFormResult {
  const reader = new Reader(workbook);
  const survey = reader.sheet('survey');
  if (survey === undefined) {
    return {
      issues: [
        { severity: 'error', sheet: 'survey', message: 'the workbook has no "survey" sheet' },
      ],
    };
  }
  for (const name of Object.keys(workbook)) {
    const lower = name.trim().toLowerCase();
    if (!['survey', 'choices', 'settings', 'smpg_alerts', 'smpg_screen_outs'].includes(lower)) {
      reader.issue('warning', name, undefined, undefined, 'this sheet is not read');
    }
  }
  readLanguages(reader);
  const lists = readChoices(reader);
  const settings = readSettings(reader, options);
  const surveyReader = new SurveyReader(reader, lists, settings['title'] as Texts);
  for (const row of survey.rows) surveyReader.row(row);
  for (const frame of surveyReader.stack) {
    reader.error('survey', frame.row, 'type', `the group "${frame.name}" has no end_group`);
  }

  const choiceLists: Record<string, Draft[]> = {};
  const choicesSheet = reader.sheets.get('choices');
  const ownRelevantHeader = choicesSheet?.headers.find((h) => h.toLowerCase() === CHOICE_RELEVANT);
  const filterColumns = new Set<string>();
  const choicesOf = (
    list: string,
    path: string,
    filtered?: { conditions: readonly string[]; row: number; header: string },
  ): Draft[] =>
    (lists.get(list) ?? []).map((choice, k) => {
      const relevant = and(choice.relevant, filtered?.conditions[k]);
      if (filtered !== undefined) {
        reader.place(`${path}[${k}].relevant`, 'survey', filtered.row, filtered.header);
      } else if (relevant !== undefined) {
        reader.place(`${path}[${k}].relevant`, 'choices', choice.row, ownRelevantHeader);
      }
      reader.place(`${path}[${k}]`, 'choices', choice.row, 'name');
      reader.place(`${path}[${k}].code`, 'choices', choice.row, 'name');
      if (choice.label !== undefined) {
        for (const language of Object.keys(choice.label)) {
          const header = reader.sheets.get('choices')?.headers.find((h) => {
            const parsed = parseHeader(h);
            return (
              parsed.base === 'label' && (parsed.language ?? reader.plainLanguage) === language
            );
          });
          reader.place(`${path}[${k}].label.${language}`, 'choices', choice.row, header);
          reader.place(`${path}[${k}].label`, 'choices', choice.row, header);
        }
      }
      return {
        code: choice.code,
        ...(choice.label === undefined ? {} : { label: choice.label }),
        ...(relevant === undefined ? {} : { relevant }),
      };
    });
  for (const [list] of lists) {
    if (surveyReader.shared.has(list) || !surveyReader.inline.has(list)) {
      choiceLists[list] = choicesOf(list, `choiceLists.${list}`);
    }
  }
  // Inline lists: copied into their items.
  const sections = surveyReader.sections;
  for (const [list, uses] of surveyReader.inline) {
    for (const use of uses) {
      const target = resolve(sections, use.path.replace(/\.choices$/, ''));
      if (target === undefined) continue;
      let filtered: { conditions: string[]; row: number; header: string } | undefined;
      if (use.filter !== undefined) {
        const made = choiceFilterConditions(
          use.filter.text,
          choicesSheet?.headers ?? [],
          lists.get(list) ?? [],
        );
        if ('refusals' in made) {
          for (const message of made.refusals) {
            reader.error('survey', use.row, use.filter.header, message);
          }
          continue;
        }
        for (const column of made.columns) filterColumns.add(column);
        filtered = { conditions: made.conditions, row: use.row, header: use.filter.header };
      }
      const choices = choicesOf(list, use.path, filtered);
      const other = target['otherChoice'];
      delete target['otherChoice'];
      target['choices'] = other === undefined ? choices : [...choices, other];
    }
  }

  warnUnreadChoiceColumns(reader, filterColumns);

  const definition: Draft = {
    ...settings,
    languages: reader.languages,
    defaultLanguage: reader.defaultLanguage,
    ...(Object.keys(choiceLists).length === 0 ? {} : { choiceLists }),
    sections,
  };
  const alerts = readConditions(reader, 'smpg_alerts', 'alerts');
  if (alerts !== undefined) definition['alerts'] = alerts;
  const screenOuts = readConditions(reader, 'smpg_screen_outs', 'screenOuts');
  if (screenOuts !== undefined) definition['screenOuts'] = screenOuts;

  if (reader.issues.some((issue) => issue.severity === 'error')) return { issues: reader.issues };
  const loaded = loadQuestionnaire(definition);
  const loadIssues = loaded.status === 'success' ? [] : loaded.issues;
  const issues = [...reader.issues, ...loadIssues.map((issue) => placeIssue(reader, issue))];
  if (loaded.status === 'failure') return { issues };
  return { definition: loaded.definition, issues };
}

/** The draft at a loader path such as `sections[2].items[5]`. */
function resolve(sections: Draft[], path: string): Draft | undefined {
  const match = /^sections\[(\d+)\]\.items\[(\d+)\]$/.exec(path);
  if (match === null) return undefined;
  const section = sections[Number(match[1])];
  const items = section?.['items'] as Draft[] | undefined;
  return items?.[Number(match[2])];
}

/** A loader issue at the cell its path came from (the nearest part of the path known). */
function placeIssue(reader: Reader, issue: LoadIssue): SheetIssue {
  let path = issue.path;
  for (;;) {
    const place = reader.places.get(path);
    if (place !== undefined) {
      const read = reader.sheets.get(place.sheet);
      const index = place.column === undefined ? -1 : (read?.headers.indexOf(place.column) ?? -1);
      return {
        severity: issue.severity,
        sheet: read?.name ?? place.sheet,
        ...(place.row === undefined ? {} : { row: place.row }),
        ...(place.column === undefined ? {} : { column: place.column }),
        ...(index < 0 ? {} : { columnLetter: columnLetter(index) }),
        message: issue.message,
      };
    }
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) break;
    path = path.slice(0, cut);
  }
  return { severity: issue.severity, sheet: 'survey', message: `${issue.path}: ${issue.message}` };
}
