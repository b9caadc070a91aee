// One anonymised record as one row of cells (strings), following an export layout.
import type { InterviewRecordWire } from '../protocol/index.ts';
import { incomeBandAmounts, incomeBandLabels } from '../protocol/index.ts';
import type { Answer, Choice, Coarsen, LocalizedText } from '../questionnaire/index.ts';
import { isNonResponse } from '../questionnaire/index.ts';
import type { FormulaMode } from './formulas.ts';
import { startsFormula } from './formulas.ts';
import type { Column, ColumnSource, ExportLayout, ParadataColumn } from './layout.ts';

export interface ExportOptions {
  /** Choice codes (the default) or their labels in `language`. Flags and alerts stay 0/1. */
  readonly values?: 'codes' | 'labels';
  /** Language of labels; default: the questionnaire's default language. */
  readonly language?: string;
  /** Write decimals with a comma (French spreadsheets, R's read.csv2). Default: a dot. */
  readonly decimalComma?: boolean;
  /**
   * `escaped` (the default): a text cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR)
   * gets a `'` first; numbers and the codes the questionnaire declares never do. `raw`: as typed.
   */
  readonly formulas?: FormulaMode;
  /**
   * Each site's IANA time zone, for `started_at_local`, `ended_at_local` and `time_zone`: empty
   * for a site it does not name.
   */
  readonly timeZones?: ReadonlyMap<string, string>;
  /**
   * `space`: a line break typed in a text answer or a pick-up point is written as a space, on one
   * line, for tools that end a row at every line break even inside quotes (SPSS, PSPP). Default:
   * `keep`.
   */
  readonly lineBreaks?: 'keep' | 'space';
  /** The record's weight (`weight` column, with `LayoutOptions.quotaVariables`); empty when undefined. */
  readonly weightOf?: (record: InterviewRecordWire) => number | undefined;
}

/** The separator between the codes of a multiple choice in its raw column. */
export const CODE_LIST_SEPARATOR = ' ';
/** The separator between the labels of a multiple choice in labels mode. */
export const LABEL_LIST_SEPARATOR = ' | ';

export function exportHeader(layout: ExportLayout): string[] {
  return layout.columns.map((column) => column.name);
}

function text(value: LocalizedText | undefined, language: string, fallback: string): string {
  if (value === undefined) return fallback;
  return value[language] ?? Object.values(value)[0] ?? fallback;
}

function number(value: number, options: ExportOptions): string {
  const written = String(value);
  return options.decimalComma === true ? written.replace('.', ',') : written;
}

function codeLabel(
  code: string,
  choices: readonly Choice[] | undefined,
  coarsen: Coarsen | undefined,
  language: string,
): string {
  const choice = choices?.find((candidate) => candidate.code === code);
  if (choice !== undefined) return text(choice.label, language, code);
  if (coarsen?.kind === 'bands') {
    const band = coarsen.bands.find((candidate) => candidate.code === code);
    if (band !== undefined) return text(band.label, language, code);
  }
  return code;
}

interface Context {
  readonly layout: ExportLayout;
  readonly options: ExportOptions;
  readonly labels: boolean;
  readonly language: string;
  /** Whether text cells are neutralised (`formulas` is not `raw`). */
  readonly escape: boolean;
}

/**
 * A cell made from a string: text (typed by someone, or a label of the questionnaire), with a
 * `'` in front when it starts like a formula. Cells made from numbers never come here.
 */
function textCell(cell: string, context: Context): string {
  return context.escape && startsFormula(cell) ? `'${cell}` : cell;
}

function isDeclaredCode(code: string, source: ColumnSource): boolean {
  if (source.choices?.some((choice) => choice.code === code) === true) return true;
  return source.coarsen?.kind === 'bands' && source.coarsen.bands.some((b) => b.code === code);
}

/**
 * A cell made from a stored string that may be a code: a code the questionnaire declares for the
 * column (`-1`, `+2`: the codebook lists it, and the code pattern leaves no room for a function)
 * is written as it is; any other string is text. The lookup is made only for the rare string
 * that starts like a formula.
 */
function codeCell(value: string, source: ColumnSource, context: Context): string {
  if (!context.escape || !startsFormula(value) || isDeclaredCode(value, source)) return value;
  return `'${value}`;
}

function nonResponseCell(answer: Answer, context: Context): string {
  const declared =
    isNonResponse(answer) && answer.nonResponse === 'dont_know'
      ? context.layout.nonResponse.dontKnow
      : context.layout.nonResponse.refused;
  return context.labels
    ? textCell(text(declared.label, context.language, ''), context)
    : String(declared.code);
}

function answerCell(
  column: Column,
  source: ColumnSource,
  answer: Answer | undefined,
  context: Context,
): string {
  if (answer === undefined) return '';
  if (column.kind === 'choice_flag') {
    if (isNonResponse(answer)) {
      const kind = answer.nonResponse === 'dont_know' ? 'dontKnow' : 'refused';
      return String(context.layout.nonResponse[kind].code);
    }
    return Array.isArray(answer) && answer.includes(column.code ?? '') ? '1' : '0';
  }
  if (isNonResponse(answer)) return nonResponseCell(answer, context);
  if (Array.isArray(answer)) {
    const codes = answer as readonly string[];
    if (!context.labels) {
      const list = codes.join(CODE_LIST_SEPARATOR);
      return context.escape &&
        startsFormula(list) &&
        !codes.every((code) => isDeclaredCode(code, source))
        ? `'${list}`
        : list;
    }
    const labels = codes
      .map((code) => codeLabel(code, source.choices, source.coarsen, context.language))
      .join(LABEL_LIST_SEPARATOR);
    return textCell(labels, context);
  }
  if (typeof answer === 'number') return number(answer, context.options);
  const value = answer as string;
  if (!context.labels && column.numbers !== undefined) {
    const numbered = column.numbers.get(value);
    if (numbered !== undefined) return String(numbered);
  }
  if (column.kind === 'text' && context.options.lineBreaks === 'space')
    return codeCell(oneLine(value), source, context);
  if (context.labels && (column.kind === 'single' || source.coarsen?.kind === 'bands')) {
    return codeCell(
      codeLabel(value, source.choices, source.coarsen, context.language),
      source,
      context,
    );
  }
  return codeCell(value, source, context);
}

function computedCell(
  column: Column,
  source: ColumnSource,
  value: InterviewRecordWire['computed'][string] | undefined,
  context: Context,
): string {
  if (value === undefined) return '';
  if (typeof value === 'object') return nonResponseCell(value, context);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    const choice = context.labels
      ? source.choices?.find((candidate) => candidate.code === String(value))
      : undefined;
    return choice === undefined
      ? number(value, context.options)
      : textCell(text(choice.label, context.language, String(value)), context);
  }
  if (context.labels)
    return codeCell(
      codeLabel(value, source.choices, source.coarsen, context.language),
      source,
      context,
    );
  const numbered = column.numbers?.get(value);
  return numbered === undefined ? codeCell(value, source, context) : String(numbered);
}

/** Paradata are text (the pick-up point and the interviewer's code are typed), but the duration. */
function paradataCell(
  record: InterviewRecordWire,
  paradata: ParadataColumn,
  context: Context,
): string {
  switch (paradata) {
    case 'duration_seconds':
      return number(record.durationSeconds, context.options);
    case 'started_at_local':
    case 'ended_at_local':
    case 'time_zone': {
      const zone = context.options.timeZones?.get(record.site);
      if (zone === undefined) return '';
      if (paradata === 'time_zone') return textCell(zone, context);
      return localTime(paradata === 'started_at_local' ? record.startedAt : record.endedAt, zone);
    }
    case 'pickup_point': {
      const typed = paradataText(record, paradata);
      return textCell(context.options.lineBreaks === 'space' ? oneLine(typed) : typed, context);
    }
    default:
      return textCell(paradataText(record, paradata), context);
  }
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** A typed text on one line: its line breaks as spaces. */
function oneLine(text: string): string {
  return text.replace(LINE_BREAK, ' ');
}

/** One formatter per time zone: making one costs far more than formatting with it. */
const clocks = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:MM:SS` on the site's wall clock; empty for a time zone the runtime does not know. */
export function localTime(iso: string, zone: string): string {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    try {
      clock = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      return '';
    }
    clocks.set(zone, clock);
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const part: Record<string, string> = {};
  for (const { type, value } of clock.formatToParts(time)) part[type] = value;
  return `${part['year']}-${part['month']}-${part['day']} ${part['hour']}:${part['minute']}:${part['second']}`;
}

function paradataText(
  record: InterviewRecordWire,
  paradata: Exclude<
    ParadataColumn,
    'duration_seconds' | 'started_at_local' | 'ended_at_local' | 'time_zone'
  >,
): string {
  switch (paradata) {
    case 'interview_id':
      return record.id;
    case 'questionnaire_id':
      return record.questionnaireId;
    case 'questionnaire_version':
      return record.questionnaireVersion;
    case 'site':
      return record.site;
    case 'interviewer':
      return record.interviewer;
    case 'device':
      return record.deviceId;
    case 'pickup_point':
      return record.pickupPoint ?? '';
    case 'started_at':
      return record.startedAt;
    case 'ended_at':
      return record.endedAt;
    case 'language':
      return record.language;
    case 'app_version':
      return record.appVersion;
  }
}

/** A cell of a version's row that a record's value fills: where it is and what it reads. */
interface Slot {
  readonly index: number;
  readonly column: Column;
  readonly source: ColumnSource;
}

/**
 * Where the parts of a record of one version go in its row. A record holds a hundred answers of
 * its few hundred columns: going through the record's values, each looked up in a Map, is several
 * times faster than looking every column up in the record's parsed JSON objects, whose shapes
 * differ from record to record.
 */
interface RowPlan {
  /** The row before any value: empty, and 0 under each of the version's alerts. */
  readonly blank: readonly string[];
  /** By answer key: its raw column and, for a multiple choice, its 0/1 columns. */
  readonly answers: ReadonlyMap<string, readonly Slot[]>;
  readonly computed: ReadonlyMap<string, readonly Slot[]>;
  readonly alerts: ReadonlyMap<string, number>;
  readonly paradata: readonly { readonly index: number; readonly paradata: ParadataColumn }[];
  /** The `quota_<id>` columns: index and variable. */
  readonly quota: readonly { readonly index: number; readonly variable: string }[];
  readonly weight: number | undefined;
  /** The income items' amount columns, and each item's own column (for its band's label). */
  readonly incomeBounds: readonly {
    readonly index: number;
    readonly item: string;
    readonly bound: 'lower' | 'upper';
    readonly answerIndex: number | undefined;
  }[];
}

function rowPlan(layout: ExportLayout, version: string): RowPlan {
  const blank: string[] = [];
  const answers = new Map<string, Slot[]>();
  const computed = new Map<string, Slot[]>();
  const alerts = new Map<string, number>();
  const paradata: { index: number; paradata: ParadataColumn }[] = [];
  const quota: { index: number; variable: string }[] = [];
  let weight: number | undefined;
  const incomeBounds: RowPlan['incomeBounds'][number][] = [];
  const add = (slots: Map<string, Slot[]>, key: string, slot: Slot) => {
    const known = slots.get(key);
    if (known === undefined) slots.set(key, [slot]);
    else known.push(slot);
  };
  for (const [index, column] of layout.columns.entries()) {
    blank.push('');
    if (column.paradata !== undefined) {
      paradata.push({ index, paradata: column.paradata });
      continue;
    }
    if (column.kind === 'quota') {
      quota.push({ index, variable: column.key });
      continue;
    }
    if (column.kind === 'weight') {
      weight = index;
      continue;
    }
    if (column.incomeBound !== undefined) {
      const answerIndex = layout.columns.findIndex(
        (candidate) => candidate.name === column.key && candidate.kind === 'single',
      );
      incomeBounds.push({
        index,
        item: column.key,
        bound: column.incomeBound,
        answerIndex: answerIndex < 0 ? undefined : answerIndex,
      });
      continue;
    }
    const source = column.sources.find((candidate) => candidate.version === version);
    if (source === undefined) continue;
    if (column.kind === 'alert') {
      blank[index] = '0';
      alerts.set(column.key, index);
    } else {
      add(column.kind === 'computed' ? computed : answers, column.key, { index, column, source });
    }
  }
  return { blank, answers, computed, alerts, paradata, quota, weight, incomeBounds };
}

/** Row plans by layout, then by version: made on a layout's first row, dropped with the layout. */
const plans = new WeakMap<ExportLayout, Map<string, RowPlan>>();

function planFor(layout: ExportLayout, version: string): RowPlan {
  let byVersion = plans.get(layout);
  if (byVersion === undefined) {
    byVersion = new Map();
    plans.set(layout, byVersion);
  }
  let plan = byVersion.get(version);
  if (plan === undefined) {
    plan = rowPlan(layout, version);
    byVersion.set(version, plan);
  }
  return plan;
}

/**
 * The row of one record. Items of the record's version that were not relevant (or left empty)
 * give an empty cell; columns its version does not have are empty too; a declared non-response
 * gives its code (or label), never an empty cell.
 */
export function exportRow(
  layout: ExportLayout,
  record: InterviewRecordWire,
  options: ExportOptions = {},
): string[] {
  const q = layout.byVersion.get(record.questionnaireVersion);
  const context: Context = {
    layout,
    options,
    labels: options.values === 'labels',
    language: options.language ?? q?.definition.defaultLanguage ?? 'fr',
    escape: options.formulas !== 'raw',
  };
  const plan = planFor(layout, record.questionnaireVersion);
  const cells = plan.blank.slice();
  // Keys and values side by side (the same order): no lookup of a key in the record's object.
  const answerKeys = Object.keys(record.answers);
  const answers = Object.values(record.answers);
  for (let i = 0; i < answerKeys.length; i++) {
    const slots = plan.answers.get(answerKeys[i] ?? '');
    if (slots === undefined) continue;
    for (const { index, column, source } of slots)
      cells[index] = answerCell(column, source, answers[i], context);
  }
  const computedKeys = Object.keys(record.computed);
  const computed = Object.values(record.computed);
  for (let i = 0; i < computedKeys.length; i++) {
    const slots = plan.computed.get(computedKeys[i] ?? '');
    if (slots === undefined) continue;
    for (const { index, column, source } of slots)
      cells[index] = computedCell(column, source, computed[i], context);
  }
  for (const alert of record.alerts) {
    const index = plan.alerts.get(alert);
    if (index !== undefined) cells[index] = '1';
  }
  for (const { index, paradata } of plan.paradata)
    cells[index] = paradataCell(record, paradata, context);
  for (const { index, variable } of plan.quota)
    cells[index] = textCell(
      Object.hasOwn(record.quotaCategories, variable)
        ? (record.quotaCategories[variable] ?? '')
        : '',
      context,
    );
  const bands = record.incomeBands;
  // Without the site's bands (the questionnaire's own) the amounts stay empty (the codebook says).
  for (const { index, item, bound, answerIndex } of bands === undefined ? [] : plan.incomeBounds) {
    if (bands?.item !== item) continue;
    const code = record.answers[item];
    if (typeof code !== 'string') continue;
    const amount = incomeBandAmounts(bands, code)?.[bound];
    if (amount !== undefined) cells[index] = number(amount, options);
    // The label of the band shown, not the questionnaire's own for that code.
    if (context.labels && answerIndex !== undefined && bound === 'lower' && amount !== undefined)
      cells[answerIndex] = textCell(
        incomeBandLabels(bands, context.language)[Number(code) - 1] ?? code,
        context,
      );
  }
  if (plan.weight !== undefined) {
    const weight = options.weightOf?.(record);
    // Twelve significant digits: the raking's last bits of rounding are noise, not information.
    cells[plan.weight] =
      weight === undefined ? '' : number(Number(weight.toPrecision(12)), options);
  }
  return cells;
}
