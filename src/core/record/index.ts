/**
 * The anonymised record: what leaves the device for an interview, and how the server checks it.
 * The same code runs on both sides, so that the device and the server anonymise and check a record
 * by the same rules.
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
 * The time spent per item goes too, in whole tenths of a second, for the items the record may
 * name: never an identifying item, nor one whose value or relevance reads an answer that stays on
 * the device (`deviceOnly`), whose time on screen would tell of that answer.
 */
import type { Answer, Clock, Questionnaire } from '../questionnaire/index.ts';
import { createState } from '../questionnaire/index.ts';
import type {
  AlertEvent,
  BreakOff,
  IncomeBands,
  InterviewRecordWire,
  RecordParadata,
} from '../protocol/index.ts';
import { fitsIncomeItem, normalisePickupPoint } from '../protocol/index.ts';
import { calculationsOf, coarsen, rulesOf } from './rules.ts';

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
  /** `broken_off`: stopped after consent, before its end; its answers are those given by then. */
  readonly status: 'completed' | 'screened_out' | 'broken_off';
  readonly screenOutId?: string | undefined;
  /** Why and where a broken-off interview stopped (kept only with that status). */
  readonly breakOff?: BreakOff | undefined;
  readonly language: string;
  readonly appVersion: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly quotaCategories?: Readonly<Record<string, string | undefined>> | undefined;
  readonly alerts?: readonly string[] | undefined;
  /** Each alert raised, in order, with what the interviewer did (absent: an older app's interview). */
  readonly alertEvents?: readonly AlertEvent[] | undefined;
  /**
   * What the device measured (absent: an older app's interview): milliseconds on each item shown,
   * summed over visits, and the interview's languages in order of first use.
   */
  readonly paradata?:
    | {
        readonly itemMs: Readonly<Record<string, number>>;
        readonly languages: readonly string[];
      }
    | undefined;
  /** The site's income bands the interview showed (kept only when they fit the version's item). */
  readonly incomeBands?: IncomeBands | undefined;
  /**
   * The revision of each site pack the interview had (by language): the record keeps those of the
   * languages it was asked in.
   */
  readonly labelPacks?: Readonly<Record<string, number>> | undefined;
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
  // several times more to list, and the export reads each record's keys.
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
  return {
    questionnaireVersion: q.definition.version,
    day: clock.today(),
    answers: Object.fromEntries(kept.sort(byId)) as InterviewRecordWire['answers'],
    computed: Object.fromEntries(calculationsOf(q, state).sort(byId)),
  };
}

/** Builds the record that leaves the device. Pure: the caller passes the clock. */
export function anonymise(
  q: Questionnaire,
  meta: InterviewMeta,
  answers: ReadonlyMap<string, Answer>,
  clock: Clock,
): InterviewRecordWire {
  return recordOf(q, meta, anonymiseAnswers(q, answers, clock));
}

/**
 * The paradata a record carries: the seconds on each item it may name (see the top of this file),
 * ids in sorted order as the answers are, and the languages as given.
 */
export function recordParadata(
  q: Questionnaire,
  itemMs: Readonly<Record<string, number>>,
  languages: readonly string[],
): RecordParadata {
  const rules = rulesOf(q);
  const kept: [string, number][] = [];
  for (const [id, ms] of Object.entries(itemMs)) {
    const entry = q.itemById.get(id);
    if (entry === undefined || !Number.isFinite(ms) || ms < 0) continue;
    if (rules.identifying[entry.node] === true || rules.deviceOnly[entry.node] === true) continue;
    kept.push([id, Math.round(ms / 100) / 10]);
  }
  return {
    itemSeconds: Object.fromEntries(kept.sort(byId)),
    languages: [...new Set(languages)],
  };
}

/**
 * The record of an interview from its meta and its anonymised answers (`anonymiseAnswers`, made
 * with `q`, the interview's version).
 */
export function recordOf(
  q: Questionnaire,
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
  const breakOff = meta.status === 'broken_off' ? meta.breakOff : undefined;
  return {
    id: meta.id,
    questionnaireId: q.definition.id,
    questionnaireVersion: anonymised.questionnaireVersion,
    site: meta.site,
    interviewer: meta.interviewer,
    deviceId: meta.deviceId,
    ...(pickupPoint === undefined ? {} : { pickupPoint }),
    status: meta.status,
    ...(meta.screenOutId === undefined ? {} : { screenOutId: meta.screenOutId }),
    ...(breakOff === undefined ? {} : { breakOff: { ...breakOff } }),
    language: meta.language,
    appVersion: meta.appVersion,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : 0,
    quotaCategories: categories,
    alerts: [...(meta.alerts ?? [])],
    ...(meta.alertEvents === undefined
      ? {}
      : {
          alertEvents: meta.alertEvents.map((event) => ({
            id: event.id,
            raisedAt: event.raisedAt,
            acknowledgedAt: event.acknowledgedAt,
            actions: [...event.actions],
          })),
        }),
    answers: anonymised.answers,
    computed: anonymised.computed,
    ...(meta.paradata === undefined
      ? {}
      : { paradata: recordParadata(q, meta.paradata.itemMs, meta.paradata.languages) }),
    ...(meta.incomeBands === undefined ||
    !fitsIncomeItem(q.itemById.get(meta.incomeBands.item), meta.incomeBands)
      ? {}
      : {
          incomeBands: {
            item: meta.incomeBands.item,
            currency: meta.incomeBands.currency,
            upperBounds: [...meta.incomeBands.upperBounds],
          },
        }),
    ...recordLabelPacks(meta),
  };
}

/** The site pack revisions of the languages the interview used, by language code, if any. */
function recordLabelPacks(meta: InterviewMeta): { labelPacks?: Record<string, number> } {
  if (meta.labelPacks === undefined) return {};
  const used = new Set([meta.language, ...(meta.paradata?.languages ?? [])]);
  const labelPacks: Record<string, number> = {};
  for (const language of Object.keys(meta.labelPacks).sort()) {
    const revision = meta.labelPacks[language];
    if (revision !== undefined && used.has(language)) labelPacks[language] = revision;
  }
  return Object.keys(labelPacks).length === 0 ? {} : { labelPacks };
}

export type { Review, ReviewContext, ReviewedRecord } from './check.ts';
export { checkRecord, EARLIEST_INTERVIEW, instant, reviewRecord } from './check.ts';
export type { DeviceOnly } from './rules.ts';
export { calculationsOf, coarsen, deviceOnly, endDayClock } from './rules.ts';
