// Why the server refuses a record, field by field: each problem a machine code with its values
// and an English message made from one template. The server keeps the messages joined ("field:
// message; field: message"); `readRecordReason` reads such a reason back into codes, from the
// same templates, so that a client can word the reasons already stored too.
import type { ValidationCode } from '../questionnaire/index.ts';
import { describeRange, validationMessage } from '../questionnaire/internal.ts';

/**
 * Each problem's English words after its field (`answers.q1: ...`), `{name}` where a value goes.
 * The first three have no field: the whole record is meant.
 */
export const RECORD_PROBLEM_TEMPLATES = {
  record_version:
    'the record is for {questionnaire} {version}, not {expectedQuestionnaire} {expectedVersion}',
  invalid_record: 'invalid record: {detail}',
  wrong_site: 'wrong site: this tablet is enrolled for {site}, the record says {recordSite}',
  unknown_version: 'unknown questionnaire version {questionnaire} {version}',
  no_such_question: 'no such question in {questionnaire} {version}',
  identifying: 'identifying data must never leave the device',
  not_asked: 'the question was not asked given the other answers',
  coarsened_form: 'expected the coarsened form ({form})',
  /** The engine's validation message (`validation` names its code when it is the engine's own). */
  answer: '{detail}',
  not_a_date: '{value} is not a real date and time',
  ended_before_started: '{value} is before startedAt',
  before_earliest: '{value} is before {earliest}',
  too_long: 'the interview would have lasted more than 31 days',
  after_server_time: "{value} is more than a day after the server's time",
  duration_differs: 'the tablet says {sent}, its dates give {computed}',
  not_a_language: '{value} is not a language of this version',
  calculation_implausible: '{value} is not a value this calculation can take',
  calculation_missing: 'missing; the questionnaire gives {expected}',
  calculation_differs: 'the tablet says {sent}, the questionnaire gives {expected}',
  not_a_calculation: 'not a calculation this record can have',
  not_an_alert: '{value} is not an alert of this version',
  listed_twice: '{value} is listed twice',
  alert_missing: '{alert} holds given the answers but is missing',
  screen_out_unexpected: 'a {status} interview has no screen-out',
  screen_out_holds: '{status}, but the screen-out {screenOut} holds given the answers',
  screen_out_missing: 'a screened-out interview says why',
  not_a_screen_out: '{value} is not a screen-out of this version',
  screen_out_not_holding: '{screenOut} does not hold given the answers',
  not_within: '{value} is not between startedAt and endedAt',
  break_off_unexpected: 'only a broken-off interview has one',
  break_off_missing: 'a broken-off interview says where and why it stopped',
  not_an_item_of: '{value} is not an item of {questionnaire} {version}',
  raised_not_listed: '{alert} was raised but is not in alerts',
  raised_out_of_order: 'before the alert listed before it',
  acknowledged_before_raised: 'before the alert was raised',
  action_twice: 'an action is listed twice',
  never_raised: '{alert} is in alerts but was never raised',
  paradata_not_an_item: 'not an item of this version',
  paradata_device_only: 'its time would tell of an answer that never leaves the device',
  income_bands_item: 'not a single choice of this version with the codes 1 to {count}',
  income_band_above: '{value} is not one of the {count} income bands the record shows',
  unknown_label_pack:
    'revision {revision} of a {language} pack of this site and version is unknown',
} as const;

export type RecordProblemCode = keyof typeof RECORD_PROBLEM_TEMPLATES;

/** Every code a record's problem may have, for clients that word each one. */
export const RECORD_PROBLEM_CODES = Object.keys(RECORD_PROBLEM_TEMPLATES) as RecordProblemCode[];

/** The problems about the whole record, said without a field. */
const WHOLE_RECORD: ReadonlySet<RecordProblemCode> = new Set([
  'record_version',
  'invalid_record',
  'wrong_site',
  'unknown_version',
]);

/**
 * A problem of a record: the field at fault (`answers.q1`, `endedAt`; `''` for the whole record),
 * a machine `code` with the values it names, and the English `message` the server keeps.
 * `unknown` is a reason none of the templates reads (an older or newer server's words).
 */
export interface RecordProblem {
  readonly field: string;
  readonly code: RecordProblemCode | 'unknown';
  readonly params: Readonly<Record<string, string>>;
  readonly message: string;
}

function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);
}

/**
 * A problem with its English message (`field: words`, or the words alone for the record). An
 * `answer` gets the engine's validation code (`validation`) and values when the words are its own.
 */
export function recordProblem(
  field: string,
  code: RecordProblemCode,
  params: Readonly<Record<string, string>> = {},
): RecordProblem {
  const words = fill(RECORD_PROBLEM_TEMPLATES[code], params);
  // An engine's own validation message names its code and values, as a reason read back does.
  const all = code === 'answer' ? { ...params, ...validationOf(words) } : params;
  return {
    field,
    code,
    params: all,
    message: WHOLE_RECORD.has(code) ? words : `${field}: ${words}`,
  };
}

/** A template as a pattern: its literal words, each `{name}` a group of its own. */
interface Pattern {
  readonly code: RecordProblemCode;
  readonly regex: RegExp;
  readonly names: readonly string[];
  /** Literal characters: the more a template has, the sooner it is tried. */
  readonly weight: number;
}

function patternOf(
  template: string,
): Pick<Pattern, 'regex' | 'names' | 'weight'> & { readonly names: string[] } {
  const names: string[] = [];
  let weight = 0;
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name !== undefined) {
        names.push(name);
        return '(.+?)';
      }
      weight += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { regex: new RegExp(`^${source}$`, 's'), names, weight };
}

let patterns: readonly Pattern[] | undefined;

function allPatterns(): readonly Pattern[] {
  patterns ??= RECORD_PROBLEM_CODES.map((code) => ({
    code,
    ...patternOf(RECORD_PROBLEM_TEMPLATES[code]),
  })).sort((a, b) => b.weight - a.weight);
  return patterns;
}

function matched(pattern: Pattern, text: string): Record<string, string> | undefined {
  const found = pattern.regex.exec(text);
  if (found === null) return undefined;
  return Object.fromEntries(pattern.names.map((name, i) => [name, found[i + 1] ?? '']));
}

/** The engine's validation message read back into its code and values, when it is one of its own. */
function validationOf(detail: string): Record<string, string> | undefined {
  const codes: readonly ValidationCode[] = [
    'required',
    'non_response_not_offered',
    'wrong_type',
    'not_integer',
    'out_of_range',
    'unknown_choice',
    'choice_not_offered',
    'duplicate_choice',
    'exclusive_choice',
    'empty_text',
    'too_long',
    'invalid_date',
    'constraint',
    'not_answerable',
    'unknown_item',
  ];
  for (const validation of codes) {
    // The template itself: the engine leaves a `{name}` it is given no value for.
    const template = validationMessage(validation, 'en');
    for (const form of [template, template.replace(/ \{range\}/, '')]) {
      const values = matched({ code: 'answer', ...patternOf(form) }, detail);
      if (values === undefined) continue;
      const range = values['range'];
      if (range === undefined) return { validation, ...values };
      for (const [min, max] of [
        ['{min}', '{max}'],
        ['{min}', undefined],
        [undefined, '{max}'],
      ] as const) {
        const bounds = matched(
          { code: 'answer', ...patternOf(describeRange('en', min, max)) },
          range,
        );
        if (bounds !== undefined) return { validation, ...bounds };
      }
    }
  }
  return undefined;
}

/** Where one problem ends and the next starts in a joined reason: `; ` then a field or a record's words. */
const NEXT =
  /; (?=[A-Za-z_][\w.[\]]*: |the record is for |invalid record: |wrong site: |unknown questionnaire version )/;

/** One problem of a reason read back; `unknown` when no template reads it. */
export function readRecordProblem(message: string): RecordProblem {
  const unknown: RecordProblem = { field: '', code: 'unknown', params: {}, message };
  for (const pattern of allPatterns()) {
    if (!WHOLE_RECORD.has(pattern.code)) continue;
    const params = matched(pattern, message);
    if (params !== undefined) return { field: '', code: pattern.code, params, message };
  }
  const split = /^([A-Za-z_][\w.[\]]*): (.*)$/s.exec(message);
  if (split === null) return unknown;
  const field = split[1] ?? '';
  const words = split[2] ?? '';
  for (const pattern of allPatterns()) {
    if (WHOLE_RECORD.has(pattern.code)) continue;
    if (pattern.code === 'answer' && !field.startsWith('answers.')) continue;
    const params = matched(pattern, words);
    if (params === undefined) continue;
    if (pattern.code === 'answer')
      return { field, code: 'answer', params: { ...params, ...validationOf(words) }, message };
    return { field, code: pattern.code, params, message };
  }
  return { ...unknown, field };
}

/**
 * A refused record's reason as the server keeps it (its problems joined by `; `), read back into
 * problems: each with its code and values, or `unknown` with its words.
 */
export function readRecordReason(reason: string): RecordProblem[] {
  return reason
    .split(NEXT)
    .filter((part) => part !== '')
    .map(readRecordProblem);
}

/**
 * An `answer` problem's words in `language` (`fr`, `en`) when they are the engine's own (its
 * `validation` code and values, as `recordProblem` and `readRecordReason` give them), else undefined.
 */
export function validationWords(
  params: Readonly<Record<string, string>>,
  language: string,
): string | undefined {
  const validation = params['validation'] as ValidationCode | undefined;
  if (validation === undefined) return undefined;
  const min = params['min'];
  const max = params['max'];
  const range =
    min !== undefined || max !== undefined ? describeRange(language, min, max) : undefined;
  return validationMessage(validation, language, {
    ...params,
    ...(range === undefined ? {} : { range }),
  });
}
