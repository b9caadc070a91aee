// Checking a record on the server: its answers against its questionnaire version (`checkRecord`),
// then everything else it says against what the server computes itself (`reviewRecord`).
import type { Answer, Clock, InterviewState, Questionnaire } from '../questionnaire/index.ts';
import { isNonResponse } from '../questionnaire/index.ts';
import type { Value } from '../expression/index.ts';
import { createStateInto, validateAnswerAt } from '../questionnaire/internal.ts';
import type { Unknown } from '../questionnaire/unknowns.ts';
import { computeUnknowns } from '../questionnaire/unknowns.ts';
import type { AnswerWalk, ComputedWire, InterviewRecordWire } from '../protocol/index.ts';
import {
  incomeBandAmounts,
  fitsIncomeItem,
  incomeBandCount,
  normalisePickupPoint,
  pickupPointKey,
} from '../protocol/index.ts';
import type { QuotaPlan } from '../quota/index.ts';
import { classify, QUOTA_FULL_SCREEN_OUT } from '../quota/index.ts';
import type { FigureCounts, RecordFigures } from './quality.ts';
import { countAnswer, noFigures, positiveScreenCodes } from './quality.ts';
import type { RecordProblem } from './problems.ts';
import { recordProblem } from './problems.ts';
import type { NodeRules } from './rules.ts';
import { calculationValue, endDayClock, rulesOf } from './rules.ts';

/** Checks a record against its questionnaire version; returns the problems (empty when valid). */
export function checkRecord(q: Questionnaire, record: InterviewRecordWire, clock: Clock): string[] {
  return checkAnswers(q, record, clock).problems.map((each) => each.message);
}

/**
 * The arrays a version's records are reviewed in, one record after the other: the state's and the
 * non-response pass's, each as long as the version has nodes. No state of a review outlives it
 * (`reviewRecord` returns none; `checkRecord` only problems), and a review never waits in between,
 * so the next record may write over them; new arrays for each record were a large part of what
 * the server's checks allocate.
 */
interface Scratch {
  readonly relevant: boolean[];
  readonly values: Value[];
  readonly unknown: (Unknown | undefined)[];
}

const scratches = new WeakMap<Questionnaire, Scratch>();

function scratchOf(q: Questionnaire): Scratch {
  let scratch = scratches.get(q);
  if (scratch === undefined) {
    scratch = { relevant: [], values: [], unknown: [] };
    scratches.set(q, scratch);
  }
  return scratch;
}

/**
 * `checkRecord`, the state its answers make (undefined for a record of another version), and the
 * record's `recordFigures`, counted on the way.
 */
function checkAnswers(
  q: Questionnaire,
  record: InterviewRecordWire,
  clock: Clock,
  walk?: AnswerWalk,
): {
  readonly problems: RecordProblem[];
  readonly state: InterviewState | undefined;
  readonly figures: FigureCounts;
} {
  const problems: RecordProblem[] = [];
  const figures = noFigures();
  if (
    record.questionnaireId !== q.definition.id ||
    record.questionnaireVersion !== q.definition.version
  ) {
    return {
      problems: [
        recordProblem('', 'record_version', {
          questionnaire: record.questionnaireId,
          version: record.questionnaireVersion,
          expectedQuestionnaire: q.definition.id,
          expectedVersion: q.definition.version,
        }),
      ],
      state: undefined,
      figures,
    };
  }
  const rules = rulesOf(q);
  const positives = positiveScreenCodes(q);
  const answers = new Map<string, Answer>();
  // Keys and values in one go each (the same order): no keyed load per answer, which costs more
  // than the rest of the walk on the records of a hundred or more answers; read once for the
  // upload's fast path and this walk when the fast path passes them on (`walk`).
  const ids = walk?.ids ?? Object.keys(record.answers);
  const values =
    (walk?.values as InterviewRecordWire['answers'][string][] | undefined) ??
    Object.values(record.answers);
  /**
   * By answer (as `ids`): its node, or -1 for an answer not kept. A plain array: a typed array's
   * buffer costs more to make than the few writes it would save.
   */
  const nodes: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    const answer = values[i];
    nodes.push(-1);
    if (answer === undefined) continue;
    const node = q.nodeById.get(id) ?? -1;
    countAnswer(figures, answer, node < 0 ? undefined : positives[node]);
    if (rules.answerable[node] !== true) {
      problems.push(
        recordProblem(`answers.${id}`, 'no_such_question', {
          questionnaire: q.definition.id,
          version: q.definition.version,
        }),
      );
      continue;
    }
    if (rules.identifying[node] === true) {
      problems.push(recordProblem(`answers.${id}`, 'identifying'));
      continue;
    }
    answers.set(id, answer);
    nodes[i] = node;
  }
  const scratch = scratchOf(q);
  const state = createStateInto(q, answers, clock, scratch.relevant, scratch.values);
  for (let i = 0; i < ids.length; i++) {
    const node = nodes[i] ?? -1;
    if (node < 0) continue;
    const id = ids[i] as string;
    const answer = values[i] as Answer;
    if (state.relevant[node] !== true) {
      problems.push(recordProblem(`answers.${id}`, 'not_asked'));
      continue;
    }
    const rule = rules.coarsen[node];
    if (rule !== undefined) {
      if (isNonResponse(answer)) continue;
      const ok =
        rule.kind === 'bands'
          ? typeof answer === 'string' && rule.bands.some((band) => band.code === answer)
          : typeof answer === 'string' &&
            (rule.precision === 'year' ? /^\d{4}$/ : /^\d{4}-\d{2}$/).test(answer);
      if (!ok)
        problems.push(
          recordProblem(`answers.${id}`, 'coarsened_form', {
            form: rule.kind === 'bands' ? 'a band code' : rule.precision,
          }),
        );
      continue;
    }
    const result = validateAnswerAt(q, state, node, answer, 'en');
    if (!result.valid) problems.push(answerProblem(id, result));
  }
  if (record.status === 'completed') {
    // The answers present were validated above; what is left is a required answer missing.
    // Required items that were coarsened or are identifying are absent on purpose: not a problem.
    for (const node of rules.mayBeRequired) {
      if (state.relevant[node] !== true) continue;
      // The answers kept are exactly the map's (every node here is answerable and kept if sent).
      const id = q.nodes[node]?.key ?? '';
      if (answers.has(id)) continue;
      const result = validateAnswerAt(q, state, node, undefined, 'en');
      if (!result.valid) problems.push(answerProblem(id, result));
    }
  }
  return { problems, state, figures };
}

/** What the server knows of an upload besides the record: from the token and the site. */
export interface ReviewContext {
  /** The device the upload's token belongs to: the record's `deviceId` is replaced by it. */
  readonly deviceId: string;
  /** When the server received the record (ISO): no date of the record may be later than a day after. */
  readonly receivedAt: string;
  /** The site's quota plan, or null: the record's quota categories are the server's, by it. */
  readonly plan: QuotaPlan | null;
  /** The site's pick-up points: a record's point not among them is marked as typed in. */
  readonly pickupPoints: readonly string[];
}

/** A record as the server stores it: what it computed in place of what the tablet said. */
export type ReviewedRecord = InterviewRecordWire & {
  /** The pick-up point is not one of the site's (typed in on the tablet, or since removed). */
  readonly pickupPointTyped?: true;
};

export type Review =
  | {
      readonly ok: true;
      readonly record: ReviewedRecord;
      /** `recordFigures` of the record, counted while its answers were checked. */
      readonly figures: RecordFigures;
    }
  | {
      readonly ok: false;
      /** Each problem's English message, `field: words`. */
      readonly problems: readonly string[];
      /** The same problems with their codes and values, for clients to word. */
      readonly issues: readonly RecordProblem[];
    };

/** No interview of this app started before this instant (it did not exist). */
export const EARLIEST_INTERVIEW = '2024-01-01T00:00:00.000Z';
const EARLIEST_TIME = Date.parse(EARLIEST_INTERVIEW);
/** How far ahead of the server's clock a tablet's clock may run. */
const CLOCK_SKEW_MS = 24 * 3600_000;
/** The longest an interview can stay open, drafts resumed days later included. */
const LONGEST_INTERVIEW_MS = 31 * 24 * 3600_000;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The time of a real ISO 8601 instant (no 13th month, no 30th of February, no 25th hour), or undefined. */
export function instant(text: string): number | undefined {
  if (!INSTANT.test(text)) return undefined;
  // Date.parse takes the pattern's form but lets through the 30th of February, 24:00 and
  // offsets past 14 hours: those are checked on the digits themselves.
  const time = Date.parse(text);
  if (Number.isNaN(time)) return undefined;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (month < 1 || month > 12 || day < 1) return undefined;
  if (
    day > 28 &&
    day > new Date(Date.UTC(twoDigits(text, 0) * 100 + twoDigits(text, 2), month, 0)).getUTCDate()
  )
    return undefined;
  if (twoDigits(text, 11) > 23 || twoDigits(text, 14) > 59) return undefined;
  if (text.charCodeAt(16) === 58 /* : */ && twoDigits(text, 17) > 59) return undefined;
  const zone = text.length - 6;
  if (
    text.charCodeAt(text.length - 1) !== 90 /* Z */ &&
    (twoDigits(text, zone + 1) > 14 || twoDigits(text, zone + 4) > 59)
  )
    return undefined;
  return time;
}

/** The number written by the two digits at `at`. */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

function sameValue(a: ComputedWire, b: ComputedWire): boolean {
  if (a === b) return true;
  // An undetermined calculation: the same reason.
  if (typeof a === 'object' && typeof b === 'object') return a.nonResponse === b.nonResponse;
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

/** What the server computes, as a problem shows it: an undetermined value says why. */
function computedShown(value: ComputedWire): string {
  return typeof value === 'object'
    ? `${shown(value)} (undetermined: it reads a non-response and could give more than one value)`
    : shown(value);
}

const sortedVariables = new WeakMap<QuotaPlan, QuotaPlan['variables']>();

/** A plan's variables in the order of their ids: categories are then written in canonical order. */
function variablesById(plan: QuotaPlan): QuotaPlan['variables'] {
  let sorted = sortedVariables.get(plan);
  if (sorted === undefined) {
    sorted = [...plan.variables].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sortedVariables.set(plan, sorted);
  }
  return sorted;
}

function sortedByKey<T>(entries: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** A refusal: the problems' English messages, and the problems themselves. */
function refused(problems: readonly RecordProblem[]): Review {
  return { ok: false, problems: problems.map((each) => each.message), issues: problems };
}

/** An answer the engine refuses, in the engine's English words. */
function answerProblem(id: string, result: { readonly message: string }): RecordProblem {
  return recordProblem(`answers.${id}`, 'answer', { detail: result.message });
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Reviews an uploaded record against what the server computes itself from its answers (the trust
 * boundary: the server believes a tablet's answers and nothing else). On top of `checkRecord`:
 * dates are real instants in a plausible window and `durationSeconds` is their difference; the
 * language is one of the version's; calculations, alerts and the screen-out are replayed with the
 * shared engine and must match (a calculation that reads an identifying or coarsened answer,
 * which the server never sees, is kept as sent if it has the form of a number, a flag, its
 * coarsened code or an undetermined value, `{ nonResponse }`); quota categories and the device are the server's (the site's plan, the
 * token's device), whatever the record says; the pick-up point is cleaned and marked as typed in
 * when it is not one of the site's.
 *
 * With `recompute`, what the server computes replaces what the record says instead of refusing
 * it (a coordinator accepting a refused record): only problems of the answers and of the record's
 * own facts (dates, language, status) remain. `walk`: the record's answers as the upload's fast
 * path read them (`isPlainInterviewRecord`), not read again.
 */
export function reviewRecord(
  q: Questionnaire,
  record: InterviewRecordWire,
  context: ReviewContext,
  options: { readonly recompute?: boolean; readonly walk?: AnswerWalk } = {},
): Review {
  const recompute = options.recompute === true;
  const { problems, state, figures } = checkAnswers(
    q,
    record,
    endDayClock(record.endedAt),
    options.walk,
  );
  if (state === undefined) return refused(problems);
  const rules = rulesOf(q);

  // Dates: real instants, in order, in a plausible window.
  const started = instant(record.startedAt);
  const ended = instant(record.endedAt);
  const received = Date.parse(context.receivedAt);
  let durationSeconds = record.durationSeconds;
  if (started === undefined)
    problems.push(recordProblem('startedAt', 'not_a_date', { value: shown(record.startedAt) }));
  if (ended === undefined)
    problems.push(recordProblem('endedAt', 'not_a_date', { value: shown(record.endedAt) }));
  if (started !== undefined && ended !== undefined) {
    if (started < EARLIEST_TIME)
      problems.push(
        recordProblem('startedAt', 'before_earliest', {
          value: record.startedAt,
          earliest: EARLIEST_INTERVIEW.slice(0, 10),
        }),
      );
    if (ended < started)
      problems.push(recordProblem('endedAt', 'ended_before_started', { value: record.endedAt }));
    else if (ended - started > LONGEST_INTERVIEW_MS)
      problems.push(recordProblem('endedAt', 'too_long'));
    if (ended > received + CLOCK_SKEW_MS)
      problems.push(recordProblem('endedAt', 'after_server_time', { value: record.endedAt }));
    durationSeconds = Math.max(0, Math.round((ended - started) / 1000));
    if (!recompute && durationSeconds !== record.durationSeconds)
      problems.push(
        recordProblem('durationSeconds', 'duration_differs', {
          sent: String(record.durationSeconds),
          computed: String(durationSeconds),
        }),
      );
  }
  // A language of a site pack is one the record names with its revision (admit.ts checks it).
  if (
    !q.definition.languages.includes(record.language) &&
    record.labelPacks?.[record.language] === undefined
  )
    problems.push(recordProblem('language', 'not_a_language', { value: shown(record.language) }));

  // Calculations: recomputed, or (when they read what never leaves the device) plausible. In a
  // record that passes, the tablet's map is the server's: it is kept as it is (sorted already).
  const computed: Record<string, ComputedWire> = {};
  const unknowns = computeUnknowns(q, state, scratchOf(q).unknown);
  let upgraded: Record<string, ComputedWire> | undefined;
  let accounted = 0;
  for (const node of rules.calculations) {
    const id = q.nodes[node]?.key ?? '';
    // Ids are never a name objects already have (the definition's schema), so no own-key check.
    const sent = record.computed[id];
    if (rules.deviceOnly[node] === true) {
      if (sent === undefined) continue;
      accounted += 1;
      const rule = rules.coarsen[node];
      // Undetermined (a non-response read), or of the form the calculation's values take.
      const plausible =
        typeof sent === 'object' ||
        (rule === undefined
          ? typeof sent === 'number' || typeof sent === 'boolean' || sent === ''
          : rule.kind === 'bands'
            ? sent === '' || rule.bands.some((band) => band.code === sent)
            : typeof sent === 'string' &&
              (rule.precision === 'year' ? /^\d{4}$/ : /^\d{4}-\d{2}$/).test(sent));
      if (plausible) {
        if (recompute) computed[id] = sent;
      } else if (!recompute)
        problems.push(
          recordProblem(`computed.${id}`, 'calculation_implausible', { value: shown(sent) }),
        );
      continue;
    }
    if (state.relevant[node] !== true) continue;
    const value = calculationValue(rules, state, node, unknowns);
    if (sent !== undefined) accounted += 1;
    if (recompute) {
      computed[id] = value;
      continue;
    }
    if (sent === undefined)
      problems.push(
        recordProblem(`computed.${id}`, 'calculation_missing', { expected: computedShown(value) }),
      );
    else if (
      typeof value === 'object' &&
      typeof sent !== 'object' &&
      sameValue(sent, calculationValue(rules, state, node, []))
    ) {
      // An app older than undetermined calculations sends the plain value (each non-response
      // read as no answer), which the interview followed: the record keeps the server's.
      upgraded ??= { ...record.computed };
      upgraded[id] = value;
    } else if (!sameValue(sent, value))
      problems.push(
        recordProblem(`computed.${id}`, 'calculation_differs', {
          sent: shown(sent),
          expected: computedShown(value),
        }),
      );
  }
  if (!recompute && accounted !== Object.keys(record.computed).length) {
    // Some key is none of the relevant (or device-only) calculations counted above: name it.
    for (const id of Object.keys(record.computed)) {
      const node = q.nodeById.get(id) ?? -1;
      const counted =
        rules.calculations.includes(node) &&
        (rules.deviceOnly[node] === true || state.relevant[node] === true);
      if (!counted) problems.push(recordProblem(`computed.${id}`, 'not_a_calculation'));
    }
  }

  // Alerts: declared ones only, once each, and every one the answers raise at the end.
  const alerts: string[] = [];
  for (const id of record.alerts) {
    if (!rules.alerts.has(id)) {
      if (!recompute) problems.push(recordProblem('alerts', 'not_an_alert', { value: shown(id) }));
    } else if (alerts.includes(id)) {
      if (!recompute) problems.push(recordProblem('alerts', 'listed_twice', { value: id }));
    } else alerts.push(id);
  }
  for (const { alert, node } of q.alerts) {
    if (rules.deviceOnly[node] === true || state.values[node] !== true || alerts.includes(alert.id))
      continue;
    if (!recompute) problems.push(recordProblem('alerts', 'alert_missing', { alert: alert.id }));
    alerts.push(alert.id);
  }

  // The status and the screen-out: the one the answers give. A broken-off interview has none:
  // had a screen-out held, the interview would have ended there.
  const screenOut = q.screenOuts.find(({ screenOut }) => screenOut.id === record.screenOutId);
  if (record.status === 'completed' || record.status === 'broken_off') {
    const status = record.status === 'completed' ? 'completed' : 'broken-off';
    if (record.screenOutId !== undefined)
      problems.push(recordProblem('screenOutId', 'screen_out_unexpected', { status }));
    const holding = q.screenOuts.find(
      ({ node }) => rules.deviceOnly[node] !== true && state.values[node] === true,
    );
    if (holding !== undefined)
      problems.push(
        recordProblem('status', 'screen_out_holds', {
          status: record.status,
          screenOut: holding.screenOut.id,
        }),
      );
  } else if (record.screenOutId === undefined) {
    problems.push(recordProblem('screenOutId', 'screen_out_missing'));
  } else if (record.screenOutId !== QUOTA_FULL_SCREEN_OUT) {
    if (screenOut === undefined)
      problems.push(
        recordProblem('screenOutId', 'not_a_screen_out', { value: shown(record.screenOutId) }),
      );
    else if (rules.deviceOnly[screenOut.node] !== true && state.values[screenOut.node] !== true)
      problems.push(
        recordProblem('screenOutId', 'screen_out_not_holding', {
          screenOut: screenOut.screenOut.id,
        }),
      );
  }

  breakOffProblems(q, record, started, ended, problems);
  alertEventProblems(record, rules.alerts, started, ended, recompute, problems);
  paradataProblems(q, record, rules, problems);
  incomeBandProblems(q, record, problems);

  if (problems.length > 0) return refused(problems);

  // Quota categories: the site plan's, from the answers (as the tablet classifies them); a variable
  // read from an answer the server does not see keeps the tablet's category if it is one.
  const quotaCategories: Record<string, string> = {};
  const plan = context.plan?.questionnaire === q.definition.id ? context.plan : null;
  if (plan !== null) {
    const classified = classify(plan, state.answers);
    for (const variable of variablesById(plan)) {
      const node = q.nodeById.get(variable.source.item) ?? -1;
      const sent = record.quotaCategories[variable.id];
      const category =
        rules.deviceOnly[node] === true || rules.identifying[node] === true
          ? variable.categories.some((known) => known.code === sent)
            ? sent
            : undefined
          : classified[variable.id];
      if (category !== undefined) quotaCategories[variable.id] = category;
    }
  }
  const pickupPoint =
    record.pickupPoint === undefined ? undefined : normalisePickupPoint(record.pickupPoint);
  const listed =
    pickupPoint === undefined ||
    context.pickupPoints.some((point) => pickupPointKey(point) === pickupPointKey(pickupPoint));
  // Written out field by field rather than spread from the record: this runs for every uploaded
  // record.
  const reviewed: { -readonly [K in keyof ReviewedRecord]: ReviewedRecord[K] } = {
    id: record.id,
    questionnaireId: record.questionnaireId,
    questionnaireVersion: record.questionnaireVersion,
    site: record.site,
    interviewer: record.interviewer,
    deviceId: context.deviceId,
    status: record.status,
    language: record.language,
    appVersion: record.appVersion,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationSeconds,
    quotaCategories,
    alerts: recompute ? alerts : record.alerts,
    answers: record.answers,
    computed: recompute ? sortedByKey(computed) : (upgraded ?? record.computed),
  };
  if (pickupPoint !== undefined) reviewed.pickupPoint = pickupPoint;
  if (!listed) reviewed.pickupPointTyped = true;
  if (record.screenOutId !== undefined) reviewed.screenOutId = record.screenOutId;
  // The tablet's facts, kept as sent once checked above.
  if (record.breakOff !== undefined) reviewed.breakOff = record.breakOff;
  if (record.alertEvents !== undefined) reviewed.alertEvents = record.alertEvents;
  if (record.paradata !== undefined) reviewed.paradata = record.paradata;
  if (record.incomeBands !== undefined) reviewed.incomeBands = record.incomeBands;
  if (record.labelPacks !== undefined) reviewed.labelPacks = record.labelPacks;
  return { ok: true, record: reviewed, figures };
}

/** Whether `at` (a real instant, else a problem) lies within the interview, when its dates do. */
function withinInterview(
  field: string,
  at: string,
  started: number | undefined,
  ended: number | undefined,
  problems: RecordProblem[],
): number | undefined {
  const time = instant(at);
  if (time === undefined) {
    problems.push(recordProblem(field, 'not_a_date', { value: shown(at) }));
    return undefined;
  }
  if (started !== undefined && ended !== undefined && (time < started || time > ended))
    problems.push(recordProblem(field, 'not_within', { value: at }));
  return time;
}

/**
 * A broken-off record says where and why it stopped (an item of its version, shown, and a time
 * within the interview); no other record has a break-off.
 */
function breakOffProblems(
  q: Questionnaire,
  record: InterviewRecordWire,
  started: number | undefined,
  ended: number | undefined,
  problems: RecordProblem[],
): void {
  const { breakOff } = record;
  if (record.status !== 'broken_off') {
    if (breakOff !== undefined) problems.push(recordProblem('breakOff', 'break_off_unexpected'));
    return;
  }
  if (breakOff === undefined) {
    problems.push(recordProblem('breakOff', 'break_off_missing'));
    return;
  }
  const entry = q.itemById.get(breakOff.itemId);
  if (entry === undefined || entry.item.type === 'calculate')
    problems.push(
      recordProblem('breakOff.itemId', 'not_an_item_of', {
        value: shown(breakOff.itemId),
        questionnaire: q.definition.id,
        version: q.definition.version,
      }),
    );
  withinInterview('breakOff.at', breakOff.at, started, ended, problems);
}

/**
 * Alert events are the tablet's account of what happened, kept as sent: each names an alert of
 * the version, raised (in order) and acknowledged within the interview, each action once; and the
 * events and `alerts` name the same alerts (an alert raised twice has two events). A coordinator
 * accepting a refused record (`recompute`) keeps them as sent, unless they name unknown alerts.
 */
function alertEventProblems(
  record: InterviewRecordWire,
  declared: ReadonlySet<string>,
  started: number | undefined,
  ended: number | undefined,
  recompute: boolean,
  problems: RecordProblem[],
): void {
  const events = record.alertEvents;
  if (events === undefined) return;
  let previous = -Infinity;
  for (const [i, event] of events.entries()) {
    const field = `alertEvents[${i}]`;
    if (!declared.has(event.id)) {
      problems.push(recordProblem(`${field}.id`, 'not_an_alert', { value: shown(event.id) }));
      continue;
    }
    if (recompute) continue;
    if (!record.alerts.includes(event.id))
      problems.push(recordProblem(`${field}.id`, 'raised_not_listed', { alert: event.id }));
    const raised = withinInterview(`${field}.raisedAt`, event.raisedAt, started, ended, problems);
    if (raised !== undefined) {
      if (raised < previous)
        problems.push(recordProblem(`${field}.raisedAt`, 'raised_out_of_order'));
      previous = raised;
    }
    if (event.acknowledgedAt !== null) {
      const acknowledged = withinInterview(
        `${field}.acknowledgedAt`,
        event.acknowledgedAt,
        started,
        ended,
        problems,
      );
      if (acknowledged !== undefined && raised !== undefined && acknowledged < raised)
        problems.push(recordProblem(`${field}.acknowledgedAt`, 'acknowledged_before_raised'));
    }
    if (new Set(event.actions).size !== event.actions.length)
      problems.push(recordProblem(`${field}.actions`, 'action_twice'));
  }
  if (recompute) return;
  for (const id of record.alerts)
    if (declared.has(id) && !events.some((event) => event.id === id))
      problems.push(recordProblem('alertEvents', 'never_raised', { alert: id }));
}

/**
 * What the site's income bands (when the record carries them) allow: an item of this version with
 * the bands' codes, answered with one of them or a non-response.
 */
function incomeBandProblems(
  q: Questionnaire,
  record: InterviewRecordWire,
  problems: RecordProblem[],
): void {
  const bands = record.incomeBands;
  if (bands === undefined) return;
  const count = String(incomeBandCount(bands));
  if (!fitsIncomeItem(q.itemById.get(bands.item), bands))
    problems.push(recordProblem('incomeBands.item', 'income_bands_item', { count }));
  const answer = record.answers[bands.item];
  // The tablet offered codes 1 to the count only: a higher one was never shown.
  if (typeof answer === 'string' && incomeBandAmounts(bands, answer) === undefined)
    problems.push(
      recordProblem(`answers.${bands.item}`, 'income_band_above', { value: shown(answer), count }),
    );
}

/**
 * Paradata name only items of the version that are shown (no calculation), never an identifying
 * one nor one whose value or relevance reads an answer that stays on the device (`deviceOnly`):
 * its time would tell of that answer. Languages are the version's, each once.
 */
function paradataProblems(
  q: Questionnaire,
  record: InterviewRecordWire,
  rules: NodeRules,
  problems: RecordProblem[],
): void {
  const { paradata } = record;
  if (paradata === undefined) return;
  for (const id of Object.keys(paradata.itemSeconds)) {
    const entry = q.itemById.get(id);
    if (entry === undefined || entry.item.type === 'calculate')
      problems.push(recordProblem(`paradata.itemSeconds.${id}`, 'paradata_not_an_item'));
    else if (rules.identifying[entry.node] === true || rules.deviceOnly[entry.node] === true)
      problems.push(recordProblem(`paradata.itemSeconds.${id}`, 'paradata_device_only'));
  }
  const seen = new Set<string>();
  for (const language of paradata.languages) {
    if (!q.definition.languages.includes(language) && record.labelPacks?.[language] === undefined)
      problems.push(
        recordProblem('paradata.languages', 'not_a_language', { value: shown(language) }),
      );
    else if (seen.has(language))
      problems.push(recordProblem('paradata.languages', 'listed_twice', { value: language }));
    seen.add(language);
  }
}
