/**
 * The anonymised record: what leaves the device for an interview, and how the server checks it.
 * The same code runs on both sides (DESIGN.md section 2).
 *
 * `anonymise` keeps the answers of relevant items only, drops every `identifying` item, and
 * coarsens what the definition says (`bands`: a number becomes its band's code; `date`: a date
 * keeps its month `YYYY-MM` or year `YYYY`). Calculated values go in `computed`, except
 * identifying ones. `checkRecord` verifies a record against the questionnaire version it names:
 * every answer belongs to a known, non-identifying item or row that is relevant given the
 * record's own answers, has the right shape (or the right coarsened form), and the interview
 * could be completed (for a completed record).
 *
 * The pick-up point (lieu d'enquête) goes with the record as paradata: a public place, not
 * identifying, but typed in freely, so it is cleaned and cut to 100 characters like any label.
 */
import type { Answer, Clock, Questionnaire } from '../questionnaire/index.ts';
import {
  createState,
  createStateTaking,
  isNonResponse,
  validateAnswerAt,
} from '../questionnaire/index.ts';
import type { Coarsen } from '../questionnaire/index.ts';
import type { InterviewRecordWire } from '../protocol/index.ts';
import { normalisePickupPoint } from '../protocol/index.ts';

export type { InterviewRecordWire } from '../protocol/index.ts';
export { interviewId } from './interview-id.ts';

/** What the device knows of an interview besides its answers. */
export interface InterviewMeta {
  readonly id: string;
  readonly site: string;
  readonly interviewer: string;
  readonly deviceId: string;
  /** Where the interviewer stood (lieu d'enquête), as chosen or typed when the interview started. */
  readonly pickupPoint?: string | undefined;
  readonly status: 'completed' | 'screened_out';
  readonly screenOutId?: string | undefined;
  readonly language: string;
  readonly appVersion: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly quotaCategories?: Readonly<Record<string, string | undefined>> | undefined;
  readonly alerts?: readonly string[] | undefined;
}

function coarsen(value: Answer, rule: Coarsen): Answer {
  if (isNonResponse(value)) return value;
  if (rule.kind === 'date') {
    if (typeof value !== 'string') return value;
    return rule.precision === 'year' ? value.slice(0, 4) : value.slice(0, 7);
  }
  const number = typeof value === 'number' ? value : Number(value);
  const band = rule.bands.find(
    (candidate) =>
      (candidate.min === undefined || number >= candidate.min) &&
      (candidate.max === undefined || number <= candidate.max),
  );
  return band?.code ?? '';
}

/** What records need to know of each node of a questionnaire, read once per questionnaire. */
interface NodeRules {
  /** By node: an item or grid row that holds an answer (not a calculation). */
  readonly answerable: readonly boolean[];
  readonly identifying: readonly boolean[];
  /** By node: its coarsening rule, if any. */
  readonly coarsen: readonly (Coarsen | undefined)[];
  /**
   * The nodes a completed record may not leave unanswered when relevant: answerable, required
   * (always or by a condition), neither identifying nor coarsened (those are absent on purpose).
   */
  readonly mayBeRequired: readonly number[];
}

const nodeRules = new WeakMap<Questionnaire, NodeRules>();

function rulesOf(q: Questionnaire): NodeRules {
  let rules = nodeRules.get(q);
  if (rules === undefined) {
    const answerable = q.nodes.map(
      (node) => node.variable !== undefined && node.variable !== 'calculate',
    );
    const identifying = q.nodes.map((node) => node.entry?.item.identifying === true);
    const coarsen = q.nodes.map((node) => {
      const item = node.entry?.item;
      return item !== undefined && 'coarsen' in item ? item.coarsen : undefined;
    });
    const mayBeRequired = q.nodes
      .filter(
        (node) =>
          answerable[node.index] === true &&
          identifying[node.index] !== true &&
          coarsen[node.index] === undefined &&
          node.entry?.required !== false,
      )
      .map((node) => node.index);
    rules = { answerable, identifying, coarsen, mayBeRequired };
    nodeRules.set(q, rules);
  }
  return rules;
}

/** The clock a record is made and checked with: the day of its interview's end (`at`, ISO). */
export function endDayClock(at: string): Clock {
  return { today: () => at.slice(0, 10) };
}

function byId(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * What anonymising makes of the answers (the costly part of `anonymise`, which depends only on the
 * questionnaire version, the answers and the day): the relevant answers, coarsened, without the
 * identifying ones, and the calculations. The tablet keeps it when an interview ends, so that its
 * exports need not make it again.
 */
export interface AnonymisedAnswers {
  readonly questionnaireVersion: string;
  /** The clock's day it was made with (`YYYY-MM-DD`): the day the interview ended. */
  readonly day: string;
  readonly answers: InterviewRecordWire['answers'];
  readonly computed: InterviewRecordWire['computed'];
}

/** The answers part of `anonymise`. Pure: the caller passes the clock. */
export function anonymiseAnswers(
  q: Questionnaire,
  answers: ReadonlyMap<string, Answer>,
  clock: Clock,
): AnonymisedAnswers {
  const state = createState(q, answers, clock);
  const rules = rulesOf(q);
  // Answers and calculations are written with their ids in sorted order: the server's canonical
  // form (the record's hash) then costs it one native JSON.stringify of each. Built with
  // Object.fromEntries: an object grown key by key turns into a dictionary, whose keys cost
  // several times more to list (the export reads each record's keys, figure 6).
  const kept: [string, InterviewRecordWire['answers'][string]][] = [];
  for (const [id, answer] of state.answers) {
    const node = q.nodeById.get(id) ?? -1;
    if (state.relevant[node] !== true || rules.identifying[node] === true) continue;
    const rule = rules.coarsen[node];
    const value = rule === undefined ? answer : coarsen(answer, rule);
    kept.push([
      id,
      Array.isArray(value)
        ? [...(value as readonly string[])]
        : (value as Exclude<Answer, readonly string[]>),
    ]);
  }
  const calculations: [string, string | number | boolean][] = [];
  for (const entry of q.items) {
    const node = entry.node;
    if (entry.item.type !== 'calculate' || state.relevant[node] !== true) continue;
    if (rules.identifying[node] === true) continue;
    const value = state.values[node] ?? '';
    const rule = rules.coarsen[node];
    calculations.push([
      entry.item.id,
      rule === undefined || value === '' || typeof value === 'boolean'
        ? value
        : String(coarsen(value, rule)),
    ]);
  }
  return {
    questionnaireVersion: q.definition.version,
    day: clock.today(),
    answers: Object.fromEntries(kept.sort(byId)) as InterviewRecordWire['answers'],
    computed: Object.fromEntries(calculations.sort(byId)),
  };
}

/** Builds the record that leaves the device. Pure: the caller passes the clock. */
export function anonymise(
  q: Questionnaire,
  meta: InterviewMeta,
  answers: ReadonlyMap<string, Answer>,
  clock: Clock,
): InterviewRecordWire {
  return recordOf(q.definition.id, meta, anonymiseAnswers(q, answers, clock));
}

/** The record of an interview from its meta and its anonymised answers (`anonymiseAnswers`). */
export function recordOf(
  questionnaireId: string,
  meta: InterviewMeta,
  anonymised: AnonymisedAnswers,
): InterviewRecordWire {
  const categories: Record<string, string> = {};
  const quotaCategories = meta.quotaCategories ?? {};
  for (const key of Object.keys(quotaCategories).sort()) {
    const value = quotaCategories[key];
    if (value !== undefined) categories[key] = value;
  }
  const pickupPoint =
    meta.pickupPoint === undefined ? undefined : normalisePickupPoint(meta.pickupPoint);
  const durationSeconds = Math.max(
    0,
    Math.round((Date.parse(meta.endedAt) - Date.parse(meta.startedAt)) / 1000),
  );
  return {
    id: meta.id,
    questionnaireId,
    questionnaireVersion: anonymised.questionnaireVersion,
    site: meta.site,
    interviewer: meta.interviewer,
    deviceId: meta.deviceId,
    ...(pickupPoint === undefined ? {} : { pickupPoint }),
    status: meta.status,
    ...(meta.screenOutId === undefined ? {} : { screenOutId: meta.screenOutId }),
    language: meta.language,
    appVersion: meta.appVersion,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : 0,
    quotaCategories: categories,
    alerts: [...(meta.alerts ?? [])],
    answers: anonymised.answers,
    computed: anonymised.computed,
  };
}

/** Checks a record against its questionnaire version; returns the problems (empty when valid). */
export function checkRecord(q: Questionnaire, record: InterviewRecordWire, clock: Clock): string[] {
  const problems: string[] = [];
  if (
    record.questionnaireId !== q.definition.id ||
    record.questionnaireVersion !== q.definition.version
  ) {
    return [
      `the record is for ${record.questionnaireId} ${record.questionnaireVersion}, not ${q.definition.id} ${q.definition.version}`,
    ];
  }
  const rules = rulesOf(q);
  const answers = new Map<string, Answer>();
  /** The id, answer and node of each answer kept, in the same order as `answers`. */
  const ids: string[] = [];
  const values: Answer[] = [];
  const nodes: number[] = [];
  const answered = new Uint8Array(q.nodes.length);
  for (const [id, answer] of Object.entries(record.answers)) {
    const node = q.nodeById.get(id) ?? -1;
    if (rules.answerable[node] !== true) {
      problems.push(
        `answers.${id}: no such question in ${q.definition.id} ${q.definition.version}`,
      );
      continue;
    }
    if (rules.identifying[node] === true) {
      problems.push(`answers.${id}: identifying data must never leave the device`);
      continue;
    }
    answers.set(id, answer as Answer);
    ids.push(id);
    values.push(answer as Answer);
    nodes.push(node);
    answered[node] = 1;
  }
  const state = createStateTaking(q, answers, clock);
  for (let i = 0; i < nodes.length; i++) {
    const id = ids[i] ?? '';
    const answer = values[i] as Answer;
    const node = nodes[i] ?? -1;
    if (state.relevant[node] !== true) {
      problems.push(`answers.${id}: the question was not asked given the other answers`);
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
          `answers.${id}: expected the coarsened form (${rule.kind === 'bands' ? 'a band code' : rule.precision})`,
        );
      continue;
    }
    const result = validateAnswerAt(q, state, node, answer, 'en');
    if (!result.valid) problems.push(`answers.${id}: ${result.message}`);
  }
  if (record.status === 'completed') {
    // The answers present were validated above; what is left is a required answer missing.
    // Required items that were coarsened or are identifying are absent on purpose: not a problem.
    for (const node of rules.mayBeRequired) {
      if (state.relevant[node] !== true || answered[node] === 1) continue;
      const id = q.nodes[node]?.key ?? '';
      const result = validateAnswerAt(q, state, node, undefined, 'en');
      if (!result.valid) problems.push(`answers.${id}: ${result.message}`);
    }
  }
  return problems;
}
