// A questionnaire definition written as an XLSForm workbook (survey, choices, settings, and our
// own sheets for alerts and screen-outs), so that researchers edit the next version in a
// spreadsheet. `fromXlsForm` reads it back into the same definition; the columns are documented
// in questionnaires/README.md.
import type { Choice, Definition, Item, LocalizedText, Section } from '../questionnaire/index.ts';
import type { Workbook } from './workbook.ts';
import { languageName, sheetOf } from './workbook.ts';

/** Columns that hold one text per language (`label::Français (fr)`). */
export const LOCALIZED_COLUMNS = ['label', 'hint', 'constraint_message', 'smpg_unit'] as const;

/** The survey sheet's columns in the order they are written. */
export const SURVEY_COLUMNS = [
  'type',
  'name',
  'label',
  'hint',
  'required',
  'relevant',
  'constraint',
  'constraint_message',
  'calculation',
  'appearance',
  'smpg_identifying',
  'smpg_non_response',
  'smpg_min',
  'smpg_max',
  'smpg_unit',
  'smpg_max_length',
  'smpg_exclusive',
  'smpg_select',
  'smpg_value_type',
  'smpg_style',
  'smpg_list',
  'smpg_choices',
  'smpg_coarsen',
] as const;

/** The appearance that makes a group one of our grids (XLSForm's own table of questions). */
export const GRID_APPEARANCE = 'table-list';
/**
 * Our choices column of each choice's own condition (`relevant`): what a survey row's
 * choice_filter becomes once read, written back so that the definition comes back the same.
 */
export const CHOICE_RELEVANT = 'smpg_relevant';
/** `smpg_choices` for a list written only for one item (the definition's inline choices). */
export const INLINE = 'inline';

type Row = Map<string, string>;

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

class Writer {
  readonly survey: Row[] = [];
  readonly choices: Row[] = [];
  /** List names taken, shared and inline. */
  readonly #lists: Set<string>;

  constructor(readonly definition: Definition) {
    this.#lists = new Set(Object.keys(definition.choiceLists ?? {}));
  }

  header(base: string, language: string): string {
    return `${base}::${languageName(language)}`;
  }

  texts(row: Row, base: string, text: LocalizedText | undefined): void {
    if (text === undefined) return;
    for (const language of this.definition.languages) {
      const value = text[language];
      if (value !== undefined) row.set(this.header(base, language), value);
    }
    // Languages the definition does not list are kept too (the loader reports them).
    for (const [language, value] of Object.entries(text)) {
      if (!this.definition.languages.includes(language))
        row.set(this.header(base, language), value);
    }
  }

  addChoices(list: string, choices: readonly Choice[]): void {
    for (const choice of choices) {
      const row: Row = new Map([
        ['list_name', list],
        ['name', choice.code],
      ]);
      this.texts(row, 'label', choice.label);
      if (choice.relevant !== undefined) row.set(CHOICE_RELEVANT, choice.relevant);
      this.choices.push(row);
    }
  }

  /** The list name of an item's choices: a shared list's own, or a new one for inline choices. */
  listOf(row: Row, itemId: string, choices: string | readonly Choice[]): string {
    if (typeof choices === 'string') return choices;
    let name = itemId;
    for (let n = 2; this.#lists.has(name); n++) name = `${itemId}_${n}`;
    this.#lists.add(name);
    this.addChoices(name, choices);
    row.set('smpg_choices', INLINE);
    return name;
  }

  item(item: Item): void {
    const row: Row = new Map([['name', item.id]]);
    this.texts(row, 'label', item.label);
    this.texts(row, 'hint', item.hint);
    if (item.relevant !== undefined) row.set('relevant', item.relevant);
    if (item.identifying !== undefined) row.set('smpg_identifying', yesNo(item.identifying));
    if (item.type !== 'note' && item.type !== 'calculate') {
      if (item.required !== undefined) {
        row.set(
          'required',
          typeof item.required === 'boolean' ? yesNo(item.required) : item.required,
        );
      }
      if (item.constraint !== undefined) row.set('constraint', item.constraint);
      this.texts(row, 'constraint_message', item.constraintMessage);
      if (item.nonResponse !== undefined) row.set('smpg_non_response', yesNo(item.nonResponse));
    }
    if (item.type !== 'note' && item.type !== 'grid' && item.coarsen !== undefined) {
      row.set('smpg_coarsen', JSON.stringify(item.coarsen));
    }
    switch (item.type) {
      case 'single':
        row.set('type', `select_one ${this.listOf(row, item.id, item.choices)}`);
        break;
      case 'multiple':
        row.set('type', `select_multiple ${this.listOf(row, item.id, item.choices)}`);
        if (item.exclusive !== undefined) row.set('smpg_exclusive', item.exclusive.join(' '));
        break;
      case 'integer':
      case 'decimal':
        row.set('type', item.type);
        if (item.min !== undefined) row.set('smpg_min', String(item.min));
        if (item.max !== undefined) row.set('smpg_max', String(item.max));
        this.texts(row, 'smpg_unit', item.unit);
        break;
      case 'text':
        row.set('type', 'text');
        if (item.maxLength !== undefined) row.set('smpg_max_length', String(item.maxLength));
        if (item.multiline === true) row.set('appearance', 'multiline');
        break;
      case 'date':
        row.set('type', 'date');
        if (item.min !== undefined) row.set('smpg_min', item.min);
        if (item.max !== undefined) row.set('smpg_max', item.max);
        break;
      case 'note':
        row.set('type', 'note');
        if (item.style !== undefined) row.set('smpg_style', item.style);
        break;
      case 'calculate':
        row.set('type', 'calculate');
        row.set('calculation', item.calculate);
        if (item.valueType !== undefined) row.set('smpg_value_type', item.valueType);
        if (item.choices !== undefined) {
          row.set('smpg_list', this.listOf(row, item.id, item.choices));
        }
        break;
      case 'grid': {
        row.set('type', 'begin_group');
        row.set('appearance', GRID_APPEARANCE);
        if (item.select !== undefined) row.set('smpg_select', item.select);
        const list = this.listOf(row, item.id, item.choices);
        this.survey.push(row);
        const type = item.select === 'multiple' ? 'select_multiple' : 'select_one';
        for (const gridRow of item.rows) {
          const line: Row = new Map([
            ['type', `${type} ${list}`],
            ['name', gridRow.id],
          ]);
          this.texts(line, 'label', gridRow.label);
          if (gridRow.relevant !== undefined) line.set('relevant', gridRow.relevant);
          this.survey.push(line);
        }
        this.survey.push(new Map([['type', 'end_group']]));
        return;
      }
    }
    this.survey.push(row);
  }

  section(section: Section): void {
    const row: Row = new Map([
      ['type', 'begin_group'],
      ['name', section.id],
    ]);
    this.texts(row, 'label', section.title);
    if (section.relevant !== undefined) row.set('relevant', section.relevant);
    this.survey.push(row);
    for (const item of section.items) this.item(item);
    this.survey.push(new Map([['type', 'end_group']]));
  }

  /** The headers of `rows` in the order of `columns`, localized ones once per language. */
  headers(columns: readonly string[], rows: readonly Row[], always: readonly string[]): string[] {
    const used = new Set(rows.flatMap((row) => [...row.keys()]));
    const out: string[] = [];
    for (const column of columns) {
      if ((LOCALIZED_COLUMNS as readonly string[]).includes(column)) {
        const localized = [...used].filter((header) => header.startsWith(`${column}::`));
        // The definition's languages first, in its order, then any other.
        const ordered = [
          ...this.definition.languages
            .map((language) => this.header(column, language))
            .filter((header) => localized.includes(header) || always.includes(column)),
          ...localized.filter(
            (header) =>
              !this.definition.languages.some(
                (language) => this.header(column, language) === header,
              ),
          ),
        ];
        out.push(...ordered);
      } else if (used.has(column) || always.includes(column)) {
        out.push(column);
      }
    }
    return out;
  }
}

/** The definition as an XLSForm workbook: sheets survey, choices, settings, smpg_alerts… */
export function toXlsForm(definition: Definition): Workbook {
  const writer = new Writer(definition);
  for (const [list, choices] of Object.entries(definition.choiceLists ?? {})) {
    writer.addChoices(list, choices);
  }
  for (const section of definition.sections) writer.section(section);

  const settings: Row = new Map([
    ['form_id', definition.id],
    ['version', definition.version],
    ['default_language', languageName(definition.defaultLanguage)],
  ]);
  writer.texts(settings, 'form_title', definition.title);
  const { dontKnow, refused } = definition.nonResponse;
  settings.set('smpg_dont_know_code', String(dontKnow.code));
  writer.texts(settings, 'smpg_dont_know', dontKnow.label);
  settings.set('smpg_refused_code', String(refused.code));
  writer.texts(settings, 'smpg_refused', refused.label);

  const sheets: Record<string, string[][]> = {
    survey: sheetOf(
      writer.headers(SURVEY_COLUMNS, writer.survey, ['type', 'name', 'label']),
      writer.survey,
    ),
    choices: sheetOf(
      writer.headers(['list_name', 'name', 'label', CHOICE_RELEVANT], writer.choices, [
        'list_name',
        'name',
        'label',
      ]),
      writer.choices,
    ),
    settings: sheetOf([...settings.keys()], [settings]),
  };
  if (definition.alerts !== undefined) {
    const rows = definition.alerts.map((alert) => {
      const row: Row = new Map([
        ['name', alert.id],
        ['when', alert.when],
      ]);
      writer.texts(row, 'title', alert.title);
      writer.texts(row, 'protocol', alert.protocol);
      return row;
    });
    sheets['smpg_alerts'] = sheetOf(
      [
        'name',
        'when',
        ...localizedHeaders(writer, 'title'),
        ...localizedHeaders(writer, 'protocol'),
      ],
      rows,
    );
  }
  if (definition.screenOuts !== undefined) {
    const rows = definition.screenOuts.map((screenOut) => {
      const row: Row = new Map([
        ['name', screenOut.id],
        ['when', screenOut.when],
      ]);
      writer.texts(row, 'label', screenOut.label);
      return row;
    });
    sheets['smpg_screen_outs'] = sheetOf(
      ['name', 'when', ...localizedHeaders(writer, 'label')],
      rows,
    );
  }
  return sheets;
}

function localizedHeaders(writer: Writer, base: string): string[] {
  return writer.definition.languages.map((language) => writer.header(base, language));
}
