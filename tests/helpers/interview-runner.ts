// Walks a whole interview through the app's InterviewSession as an interviewer would, from
// scripted answers, for unit tests, end-to-end tests and benchmarks alike (no test framework
// inside: it throws). The session runs over the in-memory store with a fixed clock.
import type {
  Answer,
  InterviewState,
  ItemEntry,
  Questionnaire,
  Step,
} from '../../src/core/questionnaire/index.ts';
import { QUOTA_FULL_SCREEN_OUT } from '../../src/core/quota/index.ts';
import type { QuotaState } from '../../src/app/interview/interview-session.ts';
import {
  InterviewSession,
  REVIEW,
  fixedClock,
  screenIds,
  screenOutOf,
} from '../../src/app/interview/interview-session.ts';
import { MemoryInterviewStore } from '../../src/app/storage/memory-store.ts';
import type { InterviewRecord } from '../../src/app/storage/types.ts';

/**
 * What to answer where the script says nothing: `'skip'` leaves the item unanswered; a function
 * gets the item, the grid row id (for a grid row, else `undefined`) and the state so far, and
 * returns an answer or `undefined` (unanswered).
 */
export type DefaultPolicy =
  | 'skip'
  | ((entry: ItemEntry, rowId: string | undefined, state: InterviewState) => Answer | undefined);

export interface RunOptions {
  /** For items the script does not answer. Default: `'skip'`. */
  readonly policy?: DefaultPolicy;
  /** `today()` of the fixed clock, `YYYY-MM-DD`. Default: `2026-06-15`. */
  readonly today?: string;
  /** The interview's language (validation messages too). Default: the definition's default. */
  readonly language?: string;
  /**
   * The site's quota state: the respondent is then checked against it, as on a tablet. Its
   * `interviews` (those counted) default to none.
   */
  readonly quotas?: QuotaState;
  /** The interviewer (their allocation, in a plan that has them). Default: `ENQ-01`. */
  readonly interviewer?: string;
}

/** How a walk ends: the questionnaire's end, one of its screen-outs, or a full quota cell. */
export type RunEnd =
  | Exclude<Step, { kind: 'item' }>
  | {
      readonly kind: 'screened_out';
      readonly screenOut: { readonly id: typeof QUOTA_FULL_SCREEN_OUT };
    };

export interface InterviewRun {
  readonly state: InterviewState;
  /** Ids of the items shown, in order (notes included, a grid once). */
  readonly asked: readonly string[];
  /** Ids of the grid rows shown (relevant when their grid was asked), in order. */
  readonly rowsShown: readonly string[];
  /** How the walk ended. */
  readonly step: RunEnd;
  /** Alert ids raised during the walk, in order of first firing. */
  readonly alertsRaised: readonly string[];
  /** Scripted answers never used because their item or row was never shown, in script order. */
  readonly unusedScript: readonly string[];
  /**
   * The interview as the session left it: completed (at the end, when it could be), screened out,
   * or still under way on the review screen; its quota decision and alerts as recorded.
   */
  readonly record: InterviewRecord;
}

export const DEFAULT_TODAY = '2026-06-15';

/**
 * Runs an interview: starts it with an InterviewSession; on each item (for a grid, each of its
 * rows relevant when it is shown) gives the scripted answer if there is one, else the policy's,
 * and throws (item id and message) if the session finds it invalid; then Next, which throws if the
 * session does not move on (a required item left empty). At the review screen it completes the
 * interview if it can be; a screen-out (the questionnaire's, or a full quota cell) ends the walk.
 */
export function runInterview(
  q: Questionnaire,
  script: Readonly<Record<string, Answer>>,
  options: RunOptions = {},
): InterviewRun {
  const policy = options.policy ?? 'skip';
  const { session } = InterviewSession.start(
    q,
    {
      id: '00000000-0000-4000-8000-000000000000',
      questionnaireId: q.definition.id,
      questionnaireVersion: q.definition.version,
      site: 'test',
      interviewer: options.interviewer ?? 'ENQ-01',
      deviceId: 'test',
      practice: false,
      language: options.language ?? q.definition.defaultLanguage,
      appVersion: 'test',
    },
    {
      store: new MemoryInterviewStore(),
      clock: fixedClock(`${options.today ?? DEFAULT_TODAY}T09:00:00.000Z`),
      quotas: options.quotas && { ...options.quotas, interviews: options.quotas.interviews ?? [] },
    },
  );
  const used = new Set<string>();
  const asked: string[] = [];
  const rowsShown: string[] = [];
  // Each Next moves forward in interview order, so a walk shows each item at most once.
  for (let guard = 0; ; guard++) {
    const { record, state } = session.current;
    const here = record.position;
    if (record.status === 'screened_out' || here === null || here === REVIEW) break;
    if (guard > q.items.length) throw new Error(`${q.definition.id}: the walk does not end`);
    const entry = q.itemById.get(here);
    if (entry === undefined) throw new Error(`${q.definition.id}: no item "${here}"`);
    asked.push(here);
    // A row is asked only if it is relevant when its grid is shown (its condition can only read
    // earlier items, so the answers given to the grid's other rows never change it).
    for (const id of screenIds(q, state, here)) {
      const rowId = entry.item.type === 'grid' ? id : undefined;
      if (rowId !== undefined) rowsShown.push(rowId);
      const scripted = Object.hasOwn(script, id);
      const answer = scripted
        ? script[id]
        : policy === 'skip'
          ? undefined
          : policy(entry, rowId, session.current.state);
      if (scripted) used.add(id);
      if (answer === undefined) continue;
      const { validation } = session.answer(id, answer);
      if (!validation.valid) {
        throw new Error(
          `${q.definition.id}: invalid ${scripted ? 'scripted' : 'default'} answer for "${id}" ` +
            `(${JSON.stringify(answer)}): ${validation.code}: ${validation.message}`,
        );
      }
    }
    void session.next();
    const { errors } = session.getSnapshot();
    if (errors.size > 0) {
      const [[id, message] = ['?', '?']] = errors;
      throw new Error(`${q.definition.id}: Next refused on "${here}": "${id}": ${message}`);
    }
  }
  if (session.current.record.position === REVIEW) void session.complete();
  const { record, state } = session.current;
  return {
    state,
    asked,
    rowsShown,
    step: endOf(q, record),
    alertsRaised: (record.alerts ?? []).map((alert) => alert.id),
    unusedScript: Object.keys(script).filter((id) => !used.has(id)),
    record,
  };
}

function endOf(q: Questionnaire, record: InterviewRecord): RunEnd {
  if (record.status !== 'screened_out') return { kind: 'end' };
  const screenOut = screenOutOf(q, record);
  if (screenOut !== undefined) return { kind: 'screened_out', screenOut };
  if (record.screenOutId === QUOTA_FULL_SCREEN_OUT)
    return { kind: 'screened_out', screenOut: { id: QUOTA_FULL_SCREEN_OUT } };
  throw new Error(`${q.definition.id}: unknown screen-out "${record.screenOutId ?? ''}"`);
}
