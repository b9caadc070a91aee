// One interview's life on the device, with no React and no DOM: the engine's state in memory,
// every answer written the moment it is given, moves, paradata, alerts and their acknowledgement,
// the quota decision, screen-outs and the ends (a break-off among them). The store, the clock and
// the site's quota state are passed in.
import { parseExpression, references } from '../../core/expression/index.ts';
// Types only: the protocol's schemas stay out of the app's first screen (see `loadRecordCode`).
import type { AlertEvent, BreakOff } from '../../core/protocol/index.ts';
import type {
  Alert,
  Answer,
  Clock,
  InterviewState,
  Questionnaire,
  ScreenOut,
  Validation,
} from '../../core/questionnaire/index.ts';
import {
  activeAlerts,
  activeScreenOut,
  completion,
  createState,
  getAnswer,
  isNonResponse,
  isRelevant,
  nextItem,
  previousItem,
  setAnswer,
  validateAnswer,
} from '../../core/questionnaire/index.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import { classify } from '../../core/quota/index.ts';
import type * as RecordCodeModule from '../../core/record/index.ts';
import { QUOTA_FULL, decideRespondent, quotaCheckpoint } from '../quota/quota-session.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type {
  InterviewRecord,
  InterviewStore,
  ParadataEvent,
  Seal,
  SiteCounts,
  WriteOptions,
} from '../storage/types.ts';

/** The position of the review screen, after the last item. */
export const REVIEW = 'review';

/** What an interviewer did when an alert was raised (`ALERT_ACTIONS` of src/core/protocol). */
export type AlertAction = AlertEvent['actions'][number];
/** Why an interview stopped after consent (`BREAK_OFF_REASONS` of src/core/protocol). */
export type BreakOffReason = BreakOff['reason'];

/** An interview as it runs: its record, its questionnaire version, the engine's state. */
export interface InterviewView {
  readonly record: InterviewRecord;
  readonly q: Questionnaire;
  readonly state: InterviewState;
}

/** What the screen shows of a session. A new object after every change, the same one until then. */
export interface SessionSnapshot {
  /** The interview as shown: an end shows once it is stored. */
  readonly view: InterviewView;
  /** Validation messages of the current screen, by item or row id. */
  readonly errors: ReadonlyMap<string, string>;
  /** The alert whose protocol the interviewer must read now, until acknowledged. */
  readonly pendingAlert: Alert | undefined;
  /** A write failed and what it carried is not stored yet: `unsaved` says what. */
  readonly saveFailed: boolean;
  /** What failed to be stored and is not yet (retried until it is); undefined: all is stored. */
  readonly unsaved: UnsavedWork | undefined;
  /** Cells (`table/key`) that were nearly full when the respondent was accepted. */
  readonly quotaNotice: readonly string[];
  /** The write that ends the interview is under way: the end shows once it is stored. */
  readonly ending: boolean;
}

/**
 * What the session holds that the store does not, after a write failed: kept in memory and
 * written again until it is stored. While there is any, Next and Complete refuse to go on.
 */
export interface UnsavedWork {
  /** A failure said the device's storage is full (`storageIsFull`). */
  readonly storageFull: boolean;
  /** Answers (item or grid row ids) whose latest value is not stored. */
  readonly answers: readonly string[];
  /** Where the interview stands (its row: position, language, alerts) or its paradata. */
  readonly progress: boolean;
  /** The end asked for: the interview has not ended in the store yet. */
  readonly end: boolean;
  /** A retry is under way. */
  readonly retrying: boolean;
  /** Next or Complete was asked for and refused because of it. */
  readonly refused: boolean;
}

/** Time for a session: the wall clock for timestamps, a monotonic one for durations. */
export interface SessionClock {
  /** Now, for timestamps and the engine's `today()` (the UTC day). */
  now(): Date;
  /** Milliseconds from any fixed origin, never going back: the time spent on each item. */
  elapsed(): number;
}

export const SYSTEM_CLOCK: SessionClock = {
  now: () => new Date(),
  elapsed: () => performance.now(),
};

/** A clock that always says `at` and where no time passes: scripts and tests. */
export function fixedClock(at: string): SessionClock {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${at}`);
  return { now: () => new Date(date), elapsed: () => 0 };
}

/** The engine's clock for a session's clock. */
export function engineClock(clock: SessionClock): Clock {
  return { today: () => clock.now().toISOString().slice(0, 10) };
}

/** The site's quota state a decision reads. */
export interface QuotaState {
  readonly plan: QuotaPlan;
  /** The site's counts from the server, when the device has them: the site limits apply too. */
  readonly siteCounts?: SiteCounts | undefined;
  /**
   * The interviews counted for the decision (the session's own is left out). Absent: those of the
   * store, read when a decision is due, so that they are the latest.
   */
  readonly interviews?: readonly InterviewRecord[] | undefined;
}

export interface SessionDeps {
  /** Where the interview is written. */
  readonly store: InterviewStore;
  /** Default: the system's clock. */
  readonly clock?: SessionClock | undefined;
  /** The site's quota state; none: no quota decision. `setQuotas` changes it. */
  readonly quotas?: QuotaState | undefined;
  /** Default: RETRY_DELAYS_MS. */
  readonly retryDelaysMs?: readonly number[] | undefined;
}

/** What a new interview is, besides what the session makes of it. */
export type NewInterview = Pick<
  InterviewRecord,
  | 'id'
  | 'questionnaireId'
  | 'questionnaireVersion'
  | 'site'
  | 'interviewer'
  | 'deviceId'
  | 'pickupPoint'
  | 'practice'
  | 'language'
  | 'appVersion'
  | 'incomeBands'
  | 'labelPacks'
>;

/** The record of an interview that starts now: eligibility and quota questions first. */
export function newInterview(init: NewInterview, now: Date): InterviewRecord {
  const at = now.toISOString();
  const { pickupPoint, ...rest } = init;
  return {
    ...rest,
    ...(pickupPoint === undefined ? {} : { pickupPoint }),
    status: 'screening',
    position: null,
    startedAt: at,
    updatedAt: at,
    alertEvents: [],
    itemMs: {},
    languages: [init.language],
  };
}

/**
 * Whether stopping the interview now is a break-off (sent as a partial record, with its reason)
 * rather than an abandon (kept on the device): once past eligibility and consent, it is.
 */
export function breaksOff(record: InterviewRecord): boolean {
  return record.status === 'in_progress';
}

/** The first alert raised and not acknowledged yet, as the questionnaire declares it. */
export function pendingAlertOf(q: Questionnaire, record: InterviewRecord): Alert | undefined {
  if (!UNDER_WAY.has(record.status)) return undefined;
  const event = (record.alertEvents ?? []).find((candidate) => candidate.acknowledgedAt === null);
  if (event === undefined) return undefined;
  return q.alerts.find(({ alert }) => alert.id === event.id)?.alert;
}

/**
 * An interview under way started before the app kept alert events and time per item: its alerts
 * become events not yet acknowledged (shown once more: better twice than lost), and its time per
 * item and languages are read from its paradata. Anything else is returned as it is.
 */
function tracked(record: InterviewRecord, events?: readonly ParadataEvent[]): InterviewRecord {
  if (!UNDER_WAY.has(record.status)) return record;
  let patched = record;
  if (record.alertEvents === undefined) {
    patched = {
      ...patched,
      alertEvents: (record.alerts ?? []).map((alert) => ({
        id: alert.id,
        raisedAt: alert.at,
        acknowledgedAt: null,
        actions: [],
      })),
    };
  }
  if (record.itemMs === undefined) {
    const itemMs: Record<string, number> = {};
    // Its first language is not known when it was switched: those it was switched to, in order.
    const languages: string[] = [];
    for (const event of events ?? []) {
      if (event.type === 'leave' && event.itemId !== undefined && event.durationMs !== undefined)
        itemMs[event.itemId] = (itemMs[event.itemId] ?? 0) + event.durationMs;
      if (event.type === 'language' && event.detail !== undefined) languages.push(event.detail);
    }
    if (languages.length === 0) languages.push(record.language);
    patched = { ...patched, itemMs, languages: [...new Set(languages)] };
  }
  return patched;
}

/** What an answer led to. */
export interface Answered {
  readonly validation: Validation;
  /**
   * The answer's write, issued before anything else was done; settles once it is stored or it
   * failed (the snapshot's `unsaved` says which: a failed one is retried), never rejects. Absent:
   * nothing was written (an invalid value, or the interview has ended).
   */
  readonly saved?: Promise<void> | undefined;
  /** Settles once every write the answer led to (an alert's too) has settled; never rejects. */
  readonly settled: Promise<Validation>;
}

/** Ids answered on a screen: the item itself, or a grid's relevant rows. */
export function screenIds(q: Questionnaire, state: InterviewState, itemId: string): string[] {
  const entry = q.itemById.get(itemId);
  if (entry === undefined) return [];
  if (entry.item.type === 'grid') {
    return entry.item.rows.map((row) => row.id).filter((id) => isRelevant(q, state, id));
  }
  if (entry.item.type === 'note' || entry.item.type === 'calculate') return [];
  return [itemId];
}

/** The position of an item, or of the grid a row belongs to; -1 for anything else. */
function positionOf(q: Questionnaire, id: string): number {
  const entry = q.itemById.get(id);
  if (entry !== undefined) return entry.position;
  const grid = q.items.find(
    ({ item }) => item.type === 'grid' && item.rows.some((row) => row.id === id),
  );
  return grid?.position ?? -1;
}

/** The items and grid rows that screen-out conditions read: eligibility. */
export function screeningIds(q: Questionnaire): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const { screenOut } of q.screenOuts) {
    const parsed = parseExpression(screenOut.when);
    if (parsed.ok) for (const name of references(parsed.expr)) ids.add(name);
  }
  return ids;
}

/** The last position of an item that a screen-out condition reads: eligibility ends after it. */
export function screeningEnd(q: Questionnaire): number {
  let end = -1;
  for (const id of screeningIds(q)) end = Math.max(end, positionOf(q, id));
  return end;
}

/** The screen-out a record ended on, if the questionnaire declares it (not a full quota cell). */
export function screenOutOf(q: Questionnaire, record: InterviewRecord): ScreenOut | undefined {
  return q.screenOuts.find(({ screenOut }) => screenOut.id === record.screenOutId)?.screenOut;
}

/**
 * Reads an interview and its answers and compiles its questionnaire: what its screen shows, on
 * the item it was left at (the first one for a new interview). Writes nothing. Resolves to
 * `'not_found'` or `'questionnaire'` (not installed, or fails to load) when it cannot be shown.
 */
export async function loadInterview(
  store: InterviewStore,
  cache: QuestionnaireCache,
  interviewId: string,
  clock: SessionClock = SYSTEM_CLOCK,
): Promise<InterviewView | 'not_found' | 'questionnaire'> {
  const [stored, answers] = await Promise.all([
    store.getInterview(interviewId),
    store.getAnswers(interviewId),
  ]);
  if (stored === undefined) return 'not_found';
  const q = await cache.get(stored.questionnaireId, stored.questionnaireVersion);
  if (q === undefined || !('definition' in q)) return 'questionnaire';
  const older = UNDER_WAY.has(stored.status) && stored.itemMs === undefined;
  const record = tracked(stored, older ? await store.listParadata(interviewId) : undefined);
  return viewOf(q, record, answers, clock);
}

/** An interview on its item (the first one when it has none yet). */
function viewOf(
  q: Questionnaire,
  record: InterviewRecord,
  answers: ReadonlyMap<string, Answer>,
  clock: SessionClock,
): InterviewView {
  const state = createState(q, answers, engineClock(clock));
  let position = record.position;
  if (position === null) {
    const first = nextItem(q, state, null);
    position = first.kind === 'item' ? first.id : REVIEW;
  }
  return { record: { ...tracked(record), position }, q, state };
}

/** Statuses of an interview under way: only its session writes it. */
const UNDER_WAY: ReadonlySet<InterviewRecord['status']> = new Set(['screening', 'in_progress']);

/** Statuses that end an interview. */
const ENDED: ReadonlySet<InterviewRecord['status']> = new Set([
  'screened_out',
  'completed',
  'abandoned',
  'broken_off',
]);

const NO_ERRORS: ReadonlyMap<string, string> = new Map();
const VALID: Validation = { valid: true };

type RecordPatch = Partial<Omit<InterviewRecord, 'id'>>;

/**
 * The anonymising code, loaded once an interview is shown rather than with the app's first
 * screen (it brings the protocol's schemas, which the initial JavaScript does without).
 */
let recordCode: typeof RecordCodeModule | undefined;
let recordCodeAsked = false;

/**
 * Asked for once the page is idle (at the latest after a second), not in the task that shows the
 * interview: importing it (and its share of the protocol's schemas) is main-thread work that would
 * hold back the screen's first frame. An end before it is loaded does without it (see `#seal`).
 */
function loadRecordCodeWhenIdle(): void {
  if (recordCodeAsked) return;
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(loadRecordCode, { timeout: 1_000 });
  else setTimeout(loadRecordCode, 0);
}

function loadRecordCode(): void {
  if (recordCodeAsked) return;
  recordCodeAsked = true;
  import('../../core/record/index.ts').then(
    (code) => {
      recordCode = code;
    },
    () => {
      recordCodeAsked = false;
    },
  );
}

/** The relevant answers a plan's variables read: all `classify` needs of an interview. */
function quotaAnswers(
  q: Questionnaire,
  state: InterviewState,
  plan: QuotaPlan,
): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  for (const { source } of plan.variables) {
    const answer = getAnswer(state, source.item);
    if (answer !== undefined && isRelevant(q, state, source.item)) answers.set(source.item, answer);
  }
  return answers;
}

function sameCategories(
  a: Readonly<Record<string, string | undefined>>,
  b: Readonly<Record<string, string | undefined>>,
): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

const cellNames = (cells: readonly { table: string; key: string }[]): string[] =>
  cells.map((cell) => `${cell.table}/${cell.key}`);

/**
 * What Chromium says when its disk is full, besides a quota: the database closed with
 * "FILE_ERROR_NO_SPACE"; an auto-increment write refused as "Maximum key generator value
 * reached" (the generator's own write failed: no tablet reaches 2^53 rows); the database that
 * Dexie then reopens failing as "Internal error opening backing store" (the store was open a
 * moment before: its files cannot be written). All seen with the browser's profile on a full disk.
 */
const DISK_FULL =
  /quota|no_space|no space|disk is full|maximum key generator value|opening backing store/i;

/**
 * Whether a write failed because the device's storage is full: a `QuotaExceededError` (its name,
 * or that of the error it wraps, as Dexie's `inner` or a `cause`), or a message that says so.
 */
export function storageIsFull(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let at: unknown = error; typeof at === 'object' && at !== null && !seen.has(at);) {
    seen.add(at);
    const { name, message, inner, cause } = at as Record<string, unknown>;
    if (typeof name === 'string' && /quota/i.test(name)) return true;
    if (typeof message === 'string' && DISK_FULL.test(message)) return true;
    at = inner ?? cause;
  }
  return false;
}

/** Whether two answers are the same (a multiple choice: the same codes in the same order). */
function sameAnswer(a: Answer | undefined, b: Answer | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    const codes: readonly string[] = b;
    return a.length === codes.length && a.every((code, i) => code === codes[i]);
  }
  return isNonResponse(a) && isNonResponse(b) && a.nonResponse === b.nonResponse;
}

/** The ids whose answer differs between `given` and `stored` (missing on one side included). */
function differing(given: ReadonlyMap<string, Answer>, stored: ReadonlyMap<string, Answer>) {
  const ids = new Set([...given.keys(), ...stored.keys()]);
  return [...ids].filter((id) => !sameAnswer(given.get(id), stored.get(id)));
}

/**
 * The delays (ms) before each automatic retry of a failed write, the last one repeated for as
 * long as something is not stored: a few quick tries, then one every few seconds, so that what
 * was given is written as soon as the storage takes it again.
 */
export const RETRY_DELAYS_MS: readonly number[] = [250, 1_000, 3_000, 10_000];

/** An answer given whose write has not succeeded yet. */
interface AnswerWrite {
  readonly value: Answer | undefined;
  /** When it was given (kept by every attempt). */
  readonly at: string;
  /** The attempt under way, or the last one; resolves to whether it stored the answer. */
  readonly attempt: Promise<boolean>;
  /**
   * `pending`: its first attempt is under way; `failed`: an attempt failed, the answer is only in
   * memory; `retrying`: it failed, and another attempt is under way.
   */
  readonly state: 'pending' | 'failed' | 'retrying';
}

/**
 * One interview, from its first screen to its end. Every command takes effect at once: `current`
 * (what the next command builds on) changes before it returns, and its write is issued before it
 * returns, in the order the commands came; the promise it returns settles once that write has.
 * The exceptions: a quota decision that reads the store's interviews (`QuotaState.interviews`
 * absent) moves on once they are read, and an end is written once every answer is stored (see
 * `complete`). Subscribers hear of every change of the snapshot.
 *
 * A write that fails is never passed over: what it carried stays in memory, the snapshot says
 * what is not stored (`unsaved`), it is written again (after RETRY_DELAYS_MS, on `retry()`, and
 * when the same answer is given again), and Next and Complete refuse to go on until it is stored.
 */
export class InterviewSession {
  readonly #store: InterviewStore;
  readonly #clock: SessionClock;
  readonly #retryDelaysMs: readonly number[];
  #quotas: QuotaState | undefined;
  #current: InterviewView;
  #snapshot: SessionSnapshot;
  readonly #listeners = new Set<() => void>();
  /** When the item on screen was entered (`SessionClock.elapsed`). */
  #enteredAt: number;
  /** Messages of values typed but not stored because invalid, by item or row id. */
  readonly #drafts = new Map<string, string>();
  readonly #screeningEnd: number;

  /** Answers whose write is under way or failed, by item or row id (the latest value only). */
  readonly #answerWrites = new Map<string, AnswerWrite>();
  /** Writes of the interview's row issued, the last one stored, the last one that failed. */
  #rowIssued = 0;
  #rowStored = 0;
  #rowFailed = 0;
  /** Paradata whose write failed: the next write of the row carries them. */
  #lostEvents: readonly ParadataEvent[] = [];
  /** Writes of the row under way that carry paradata lost before. */
  #carryingLost = 0;
  /** The paradata of the end asked for, until its write takes them. */
  #endEvents: readonly ParadataEvent[] = [];
  /** The end asked for (its status is in `current`) is not stored yet: settles once it is. */
  #ending: { readonly done: Promise<void>; readonly resolve: () => void } | undefined;
  /** An attempt to store the end is under way. */
  #endAttempt: Promise<boolean> | undefined;
  /** The last attempt to store the end failed. */
  #endFailed = false;
  /** The store holds the interview ended: its row is then changed (merged), never replaced. */
  #endStored: boolean;
  /** A failure since the last time everything was stored said the storage is full. */
  #full = false;
  /** Next or Complete was refused because something is not stored. */
  #refused = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Automatic retries since everything was last stored. */
  #autoRetries = 0;
  #retrying: Promise<boolean> | undefined;
  /** No more automatic retries (the screen has gone). */
  #closed = false;

  /** A session over an interview read from the store (`loadInterview`). Writes nothing. */
  constructor(view: InterviewView, deps: SessionDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock ?? SYSTEM_CLOCK;
    this.#retryDelaysMs = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.#quotas = deps.quotas;
    this.#current = view;
    this.#endStored = ENDED.has(view.record.status);
    this.#snapshot = {
      view,
      errors: NO_ERRORS,
      // An alert raised before a reload, a crash or a restart, still waiting to be acknowledged.
      pendingAlert: pendingAlertOf(view.q, view.record),
      saveFailed: false,
      unsaved: undefined,
      quotaNotice: [],
      ending: false,
    };
    this.#enteredAt = this.#clock.elapsed();
    this.#screeningEnd = screeningEnd(view.q);
  }

  /**
   * Starts a new interview: writes its record and opens it on its first item. `started` settles
   * once both writes have (and rejects if the record could not be created).
   */
  static start(
    q: Questionnaire,
    init: NewInterview,
    deps: SessionDeps,
  ): { readonly session: InterviewSession; readonly started: Promise<void> } {
    const clock = deps.clock ?? SYSTEM_CLOCK;
    const record = newInterview(init, clock.now());
    const created = deps.store.createInterview(record);
    const session = new InterviewSession(viewOf(q, record, new Map(), clock), deps);
    const opened = session.open();
    return { session, started: Promise.all([created, opened]).then(() => undefined) };
  }

  /** The interview as the session has it now, a pending end included. */
  get current(): InterviewView {
    return this.#current;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): SessionSnapshot => this.#snapshot;

  /** The site's quota state changed (a sync brought a plan or counts): the next decision reads it. */
  setQuotas(quotas: QuotaState | undefined): void {
    this.#quotas = quotas;
  }

  /**
   * The interview is on screen: its position is written with a `resume` event (a new interview's
   * first item too), and the time on its item starts. Call it once, before any other command (and
   * again after `close`). Never rejects: a failed write is retried like any other.
   */
  open(): Promise<void> {
    this.#closed = false;
    this.#enteredAt = this.#clock.elapsed();
    loadRecordCodeWhenIdle();
    const { record, q, state } = this.#current;
    const at = this.#now();
    const resume: ParadataEvent = {
      interviewId: record.id,
      at,
      type: 'resume',
      itemId: record.position ?? REVIEW,
    };
    // An alert whose condition holds but that the store lacks (its write lost in a crash) is
    // raised now; the record is written whole, with what `loadInterview` made of an older one.
    const raised = UNDER_WAY.has(record.status)
      ? this.#raise(record, activeAlerts(q, state), at)
      : undefined;
    if (raised !== undefined) {
      return this.#update(
        raised.patch,
        [resume, ...raised.events],
        { pendingAlert: raised.pending },
        at,
        {
          durable: true,
        },
      );
    }
    const relaxed = UNDER_WAY.has(record.status);
    return this.#writeRow(record, [resume], { relaxed, patch: { position: record.position } }).then(
      () => undefined,
    );
  }

  /** The screen has gone: no more automatic retries (a write under way still settles). */
  close(): void {
    this.#closed = true;
    this.#clearRetryTimer();
  }

  /**
   * Validates and saves one answer (`undefined` clears it). An invalid value is not stored (the
   * last valid answer stays) and its message is kept for the screen and for Next; `quiet` (while
   * typing) does not show it yet. The write is issued first; the engine and the alerts follow
   * while it commits. The same value again writes nothing, unless its write failed: then it is
   * written again at once (the interviewer taps the choice again). Once the end is asked for, the
   * answers are final (its write copies them for the exports): an answer given then changes nothing.
   */
  answer(id: string, value: Answer | undefined, options: { quiet?: boolean } = {}): Answered {
    const current = this.#current;
    const { q, record } = current;
    if (!UNDER_WAY.has(record.status)) {
      return { validation: VALID, settled: Promise.resolve(VALID) };
    }
    const result = validateAnswer(q, current.state, id, value, record.language);
    if (result.valid || value === undefined) this.#drafts.delete(id);
    else this.#drafts.set(id, result.message);
    if (result.valid || options.quiet !== true) {
      const shown = this.#snapshot.errors;
      if (result.valid ? shown.has(id) : shown.get(id) !== result.message) {
        const errors = new Map(shown);
        if (result.valid) errors.delete(id);
        else errors.set(id, result.message);
        this.#publish({ errors });
      }
    }
    // An empty answer (cleared) is stored as cleared even when the item is required: Next says so.
    if (!result.valid && value !== undefined) {
      return { validation: result, settled: Promise.resolve(result) };
    }
    if (sameAnswer(current.state.answers.get(id), value)) {
      if (this.#answerWrites.get(id)?.state === 'failed') void this.retry();
      const attempt = this.#answerWrites.get(id)?.attempt ?? Promise.resolve(true);
      const saved = attempt.then(() => undefined);
      return { validation: VALID, saved, settled: saved.then(() => VALID) };
    }
    const write = this.#saveAnswer(id, value, this.#now());
    const state = setAnswer(q, current.state, id, value);
    this.#current = { ...current, state };
    this.#publish({ view: this.#current });
    let alerted: Promise<void> = Promise.resolve();
    const at = this.#now();
    const raised = this.#raise(record, activeAlerts(q, state), at);
    if (raised !== undefined) {
      alerted = this.#update(raised.patch, raised.events, { pendingAlert: raised.pending }, at, {
        durable: true,
      });
    }
    const saved = write.attempt.then(() => undefined);
    return {
      validation: VALID,
      saved,
      settled: Promise.all([saved, alerted]).then(() => VALID),
    };
  }

  /**
   * Leaves the item on screen: its answers must be valid (else the screen's messages say why and
   * nothing moves), and every write that failed must have been stored since (else `unsaved` says
   * what is not, and it is retried at once: nothing moves). After the quota questions (and again
   * if those answers change) the respondent is checked against the quota state: a full cell ends
   * the interview politely, as a screen-out `quota_full`. A screen-out whose condition holds ends
   * it too; else the next item, or review.
   */
  next(): Promise<void> {
    const current = this.#current;
    const { q, state, record } = current;
    const here = record.position;
    if (here === null || here === REVIEW || !UNDER_WAY.has(record.status)) {
      return Promise.resolve();
    }
    if (this.#refuse()) return this.retry().then(() => undefined);
    const problems = new Map<string, string>();
    for (const id of screenIds(q, state, here)) {
      const typed = this.#drafts.get(id);
      if (typed !== undefined) {
        problems.set(id, typed);
        continue;
      }
      const result = validateAnswer(q, state, id, getAnswer(state, id), record.language);
      if (!result.valid) problems.set(id, result.message);
    }
    if (problems.size > 0) {
      this.#publish({ errors: problems });
      return Promise.resolve();
    }
    const quotas = this.#quotas;
    const checkpoint = quotas === undefined ? -1 : quotaCheckpoint(q, quotas.plan);
    const position = q.itemById.get(here)?.position ?? -1;
    if (
      quotas !== undefined &&
      checkpoint >= 0 &&
      position >= checkpoint &&
      activeScreenOut(q, state) === undefined
    ) {
      const answers = quotaAnswers(q, state, quotas.plan);
      const categories = classify(quotas.plan, answers);
      if (record.quota === undefined || !sameCategories(record.quota.categories, categories)) {
        const decide = (interviews: readonly InterviewRecord[]) =>
          this.#decide(current, here, quotas, answers, interviews);
        return quotas.interviews !== undefined
          ? decide(quotas.interviews)
          : this.#store.listInterviews().then(decide);
      }
    }
    return this.#forward(current, here, {}, []);
  }

  /** Back to the relevant item before this one (from review: the last one). */
  back(): Promise<void> {
    const { q, state, record } = this.#current;
    const from = record.position === REVIEW ? null : record.position;
    const step = previousItem(q, state, from);
    return step.kind === 'item' ? this.#move(step.id) : Promise.resolve();
  }

  /** To an item (from the review screen), without checking the one on screen. */
  goTo(itemId: string): Promise<void> {
    return this.#move(itemId);
  }

  /** The respondent is now interviewed in `language`. */
  setLanguage(language: string): Promise<void> {
    const at = this.#now();
    const { record } = this.#current;
    const languages = record.languages ?? [];
    return this.#update(
      {
        language,
        ...(languages.includes(language) ? {} : { languages: [...languages, language] }),
      },
      [{ interviewId: record.id, at, type: 'language', detail: language }],
      {},
      at,
    );
  }

  /**
   * The interviewer has applied the protocol of the alert on screen and says what they did: the
   * alert's event gets the time and the actions, written durably, and the next alert waiting (if
   * several were raised) shows. Nothing to acknowledge: nothing is written.
   */
  acknowledgeAlert(actions: readonly AlertAction[] = []): Promise<void> {
    const { record, q } = this.#current;
    const events = record.alertEvents ?? [];
    const index = events.findIndex((event) => event.acknowledgedAt === null);
    const event = events[index];
    if (event === undefined || !UNDER_WAY.has(record.status)) {
      if (this.#snapshot.pendingAlert !== undefined) this.#publish({ pendingAlert: undefined });
      return Promise.resolve();
    }
    const at = this.#now();
    const acknowledged: AlertEvent = {
      ...event,
      acknowledgedAt: at,
      actions: [...new Set(actions)],
    };
    const alertEvents = events.map((candidate, i) => (i === index ? acknowledged : candidate));
    const next = { ...record, alertEvents };
    return this.#update({ alertEvents }, [], { pendingAlert: pendingAlertOf(q, next) }, at, {
      durable: true,
    });
  }

  /**
   * Completes the interview if it can be (`completion`) and nothing failed to be stored: resolves
   * to false, writing nothing, when it cannot (a failed write is then retried at once). What counts
   * in the quotas is the respondent as finally recorded. Resolves to true once the end is stored
   * and checked (see `#storeEnd`), however many retries that takes; never rejects.
   */
  complete(): Promise<boolean> {
    const { q, state, record } = this.#current;
    const completed = () => this.#current.record.status === 'completed';
    if (this.#ending !== undefined) {
      if (this.#endFailed) void this.retry();
      return this.#ending.done.then(completed);
    }
    if (!UNDER_WAY.has(record.status)) return Promise.resolve(completed());
    if (!completion(q, state, record.language).canComplete) return Promise.resolve(false);
    if (this.#refuse()) {
      void this.retry();
      return Promise.resolve(false);
    }
    const at = this.#now();
    const plan = this.#quotas?.plan;
    const quota =
      plan !== undefined && record.quota !== undefined
        ? { quota: { ...record.quota, categories: classify(plan, quotaAnswers(q, state, plan)) } }
        : {};
    return this.#update(
      { status: 'completed', endedAt: at, ...quota },
      [{ interviewId: record.id, at, type: 'status', detail: 'completed' }],
      {},
      at,
    ).then(completed);
  }

  /**
   * Stops the interview after consent (`breaksOff`), for `reason`: it ends `broken_off`, with
   * the last item shown and the time, and leaves the device as a partial record (answers up to
   * here, its alerts, an alert still waiting recorded as never acknowledged); the quotas never
   * count it. Before consent, nothing is done: that is `abandon`. An answer not stored yet is
   * stored before the end is (see `#storeEnd`).
   */
  breakOff(reason: BreakOffReason): Promise<void> {
    const { record, q, state } = this.#current;
    if (!breaksOff(record)) return Promise.resolve();
    const at = this.#now();
    const elapsed = this.#clock.elapsed();
    const here = record.position ?? REVIEW;
    // On the review screen the last item shown is the last one asked.
    const last = previousItem(q, state, null);
    const itemId = here !== REVIEW ? here : last.kind === 'item' ? last.id : REVIEW;
    const durationMs = Math.round(elapsed - this.#enteredAt);
    this.#enteredAt = elapsed;
    return this.#update(
      {
        status: 'broken_off',
        breakOff: { reason, itemId, at },
        endedAt: at,
        ...this.#timed(record, here, durationMs),
      },
      [
        { interviewId: record.id, at, type: 'leave', itemId: here, durationMs },
        { interviewId: record.id, at, type: 'status', detail: `broken_off:${reason}` },
      ],
      { pendingAlert: undefined },
      at,
    );
  }

  /** Ends the interview before its end, for `reason` (kept, never exported). */
  abandon(reason: string): Promise<void> {
    const at = this.#now();
    return this.#update(
      { status: 'abandoned', abandonReason: reason, endedAt: at },
      [{ interviewId: this.#current.record.id, at, type: 'status', detail: `abandoned:${reason}` }],
      {},
      at,
    );
  }

  /**
   * Writes again, now, everything whose write failed: the answers, the interview's row, the end.
   * Resolves to whether everything is stored since; never rejects. Automatic retries call it too.
   */
  retry(): Promise<boolean> {
    this.#clearRetryTimer();
    if (this.#retrying !== undefined) return this.#retrying;
    const retrying = this.#retryAll().then((stored) => {
      this.#retrying = undefined;
      this.#changed();
      return stored;
    });
    this.#retrying = retrying;
    this.#changed();
    return retrying;
  }

  async #retryAll(): Promise<boolean> {
    if (this.#ending !== undefined) return this.#storeEnd();
    const answers = [...this.#answerWrites]
      .filter(([, write]) => write.state === 'failed')
      .map(([id, write]) => this.#saveAnswer(id, write.value, write.at, true).attempt);
    const row = this.#rowUnsaved()
      ? this.#writeRow(this.#current.record, [], { patch: {} })
      : Promise.resolve(true);
    const results = await Promise.all([...answers, row]);
    return results.every(Boolean) && !this.#failing();
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }

  /** The record's time per item with `durationMs` more on `itemId` (an item: not the review). */
  #timed(record: InterviewRecord, itemId: string, durationMs: number): RecordPatch {
    if (!this.#current.q.itemById.has(itemId) || durationMs < 0) return {};
    const itemMs = record.itemMs ?? {};
    return { itemMs: { ...itemMs, [itemId]: (itemMs[itemId] ?? 0) + durationMs } };
  }

  /**
   * What raising the alerts of `active` that `record` has not raised yet changes: both lists of
   * alerts, their paradata, and the alert to show (the first one waiting). Undefined: none new.
   */
  #raise(
    record: InterviewRecord,
    active: readonly Alert[],
    at: string,
  ): { patch: RecordPatch; events: ParadataEvent[]; pending: Alert | undefined } | undefined {
    const known = new Set((record.alerts ?? []).map((alert) => alert.id));
    const fired = active.filter((alert) => !known.has(alert.id));
    if (fired.length === 0) return undefined;
    const alertEvents: AlertEvent[] = [
      ...(record.alertEvents ?? []),
      ...fired.map((alert) => ({ id: alert.id, raisedAt: at, acknowledgedAt: null, actions: [] })),
    ];
    const patch = {
      alerts: [...(record.alerts ?? []), ...fired.map((alert) => ({ id: alert.id, at }))],
      alertEvents,
    };
    return {
      patch,
      events: fired.map((alert) => ({
        interviewId: record.id,
        at,
        type: 'alert' as const,
        detail: alert.id,
      })),
      pending: pendingAlertOf(this.#current.q, { ...record, ...patch }),
    };
  }

  #publish(change: Partial<SessionSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of [...this.#listeners]) listener();
  }

  /** The quota decision for the respondent of `decided`, then the move it leads to. */
  #decide(
    decided: InterviewView,
    here: string,
    quotas: QuotaState,
    answers: ReadonlyMap<string, Answer>,
    interviews: readonly InterviewRecord[],
  ): Promise<void> {
    const at = this.#now();
    const { categories, decision } = decideRespondent(
      quotas.plan,
      decided.record,
      answers,
      interviews,
      quotas.siteCounts,
      new Date(at),
    );
    const fullCells = decision.status === 'full' ? cellNames(decision.full) : [];
    const quota = {
      categories,
      status: decision.status,
      at,
      ...(fullCells.length > 0 ? { fullCells } : {}),
    };
    if (decision.status === 'full') {
      return this.#move(here, {
        status: 'screened_out',
        screenOutId: QUOTA_FULL,
        endedAt: at,
        quota,
      });
    }
    const notice = decision.status === 'nearly_full' ? cellNames(decision.nearlyFull) : [];
    return this.#forward(decided, here, { quota }, notice);
  }

  /** From `here` to the next item, or review, or the screen-out whose condition holds. */
  #forward(
    from: InterviewView,
    here: string,
    extra: RecordPatch,
    notice: readonly string[],
  ): Promise<void> {
    const step = nextItem(from.q, from.state, here);
    if (step.kind === 'item' || step.kind === 'end') {
      return this.#move(step.kind === 'item' ? step.id : REVIEW, extra, notice);
    }
    return this.#move(here, {
      status: 'screened_out',
      screenOutId: step.screenOut.id,
      endedAt: this.#now(),
    });
  }

  /**
   * Shows `to` (an item or review), logging the time spent on the item left. Past the last item a
   * screen-out reads, the interview is no longer screening: it is under way.
   */
  #move(to: string, extra: RecordPatch = {}, notice: readonly string[] = []): Promise<void> {
    const { record, q } = this.#current;
    if (!UNDER_WAY.has(record.status)) return Promise.resolve();
    const at = this.#now();
    const elapsed = this.#clock.elapsed();
    const events: ParadataEvent[] = [];
    let timed: RecordPatch = {};
    if (record.position !== null) {
      const durationMs = Math.round(elapsed - this.#enteredAt);
      events.push({
        interviewId: record.id,
        at,
        type: 'leave',
        itemId: record.position,
        durationMs,
      });
      timed = this.#timed(record, record.position, durationMs);
    }
    events.push({ interviewId: record.id, at, type: 'enter', itemId: to });
    let status = record.status;
    const position = q.itemById.get(to)?.position ?? Infinity;
    if (status === 'screening' && position > this.#screeningEnd) status = 'in_progress';
    this.#enteredAt = elapsed;
    this.#drafts.clear();
    return this.#update(
      { position: to, status, ...timed, ...extra },
      events,
      { errors: NO_ERRORS, quotaNotice: notice },
      at,
    );
  }

  /**
   * Writes a change of the interview under way with its paradata, and shows it with `shown`. A
   * change that ends the interview is shown once it is stored and checked (`#storeEnd`); any other
   * is shown at once, while it is written: the next question does not wait for the disk, and if
   * the write fails the snapshot says so and it is retried. Once an end is asked for, the row
   * changes no more. Resolves once the change is stored (an end) or its write settled; never
   * rejects.
   */
  #update(
    patch: RecordPatch,
    events: readonly ParadataEvent[],
    shown: Partial<SessionSnapshot> = {},
    at = this.#now(),
    options: { durable?: boolean } = {},
  ): Promise<void> {
    const current = this.#current;
    if (!UNDER_WAY.has(current.record.status)) return Promise.resolve();
    const record = { ...current.record, ...patch, updatedAt: at };
    this.#current = { ...current, record };
    if (patch.status !== undefined && ENDED.has(patch.status)) {
      this.#endEvents = events;
      this.#publish({ ...shown, ending: true });
      return this.#end();
    }
    const relaxed = UNDER_WAY.has(record.status) && options.durable !== true;
    const written = this.#writeRow(record, events, { relaxed });
    this.#publish({ ...shown, view: this.#current });
    return written.then(() => undefined);
  }

  /** The end asked for: stored as soon as it can be; settles once it is. */
  #end(): Promise<void> {
    if (this.#ending === undefined) {
      let resolve = (): void => undefined;
      const done = new Promise<void>((settle) => {
        resolve = settle;
      });
      this.#ending = { done, resolve };
      void this.#storeEnd();
    }
    return this.#ending.done;
  }

  /**
   * One attempt to store the end: every answer given stored first (those under way settled, those
   * that failed written again), what the store holds compared with what the review showed (a
   * difference written again), then the end, whole, and what it copied for the exports and the
   * server read back and compared, made again once if it differs. On success the end shows;
   * on a failure it is retried like any write. Resolves to whether the end is stored.
   */
  #storeEnd(): Promise<boolean> {
    if (this.#endAttempt !== undefined) return this.#endAttempt;
    const attempt = this.#storeEndOnce().then((stored) => {
      this.#endAttempt = undefined;
      this.#endFailed = !stored;
      if (stored) {
        this.#endStored = true;
        this.#publish({ view: this.#current, ending: false });
        this.#ending?.resolve();
        this.#ending = undefined;
      }
      this.#changed();
      return stored;
    });
    this.#endAttempt = attempt;
    return attempt;
  }

  async #storeEndOnce(): Promise<boolean> {
    const { id } = this.#current.record;
    const given = this.#current.state.answers;
    try {
      if (!(await this.#storeAnswers())) return false;
      if (!(await this.#rewrite(given, await this.#store.getAnswers(id)))) return false;
      for (let written = 0; ; written++) {
        const record = this.#current.record;
        // Paradata of an attempt that failed are carried by the next one (#lostEvents).
        const events = this.#endEvents;
        this.#endEvents = [];
        if (!(await this.#writeRow(record, events, this.#seal(record)))) return false;
        const kept = (await this.#store.getAnswersOfMany([id])).get(id) ?? new Map();
        if (differing(given, kept).length === 0) return true;
        // The end copied other answers than those given (an answer lost without a word): they are
        // written again and the end with them, once; a second difference is a failure to retry.
        if (written > 0) throw new Error('the answers stored differ from those given');
        if (!(await this.#rewrite(given, kept))) return false;
      }
    } catch (error) {
      this.#failed(error);
      return false;
    }
  }

  /** Writes again the answers of `given` that `stored` lacks or holds otherwise; whether all were. */
  #rewrite(given: ReadonlyMap<string, Answer>, stored: ReadonlyMap<string, Answer>) {
    const at = this.#now();
    for (const id of differing(given, stored)) this.#saveAnswer(id, given.get(id), at, true);
    return this.#storeAnswers();
  }

  /** Waits for the answers' writes under way, writes again those that failed; whether all stored. */
  async #storeAnswers(): Promise<boolean> {
    await Promise.all([...this.#answerWrites.values()].map((write) => write.attempt));
    const failed = [...this.#answerWrites].filter(([, write]) => write.state === 'failed');
    const results = await Promise.all(
      failed.map(([id, write]) => this.#saveAnswer(id, write.value, write.at, true).attempt),
    );
    return results.every(Boolean) && this.#answerWrites.size === 0;
  }

  /**
   * The seal of the end that sends the interview (completed, screened out): its answers anonymised
   * in its transaction, from the answers it copies, so that the exports need not make them (without
   * the code, not loaded yet, they will: nothing waits for it).
   */
  #seal(record: InterviewRecord): Pick<WriteOptions, 'seal'> {
    const records = recordCode;
    if (record.status !== 'completed' && record.status !== 'screened_out') return {};
    if (records === undefined) return {};
    const { q } = this.#current;
    const clock = records.endDayClock(record.endedAt ?? record.updatedAt);
    return { seal: (answers) => records.anonymiseAnswers(q, answers, clock) };
  }

  /**
   * Issues the write of one answer (`retried`: again, after a failure); what it carries stays in
   * `#answerWrites` until stored.
   */
  #saveAnswer(id: string, value: Answer | undefined, at: string, retried = false): AnswerWrite {
    let issued: Promise<void>;
    try {
      issued = this.#store.saveAnswer(this.#current.record.id, id, value, at);
    } catch (error) {
      issued = Promise.reject(error);
    }
    const attempt = issued.then(
      () => {
        if (this.#answerWrites.get(id) === write) this.#answerWrites.delete(id);
        this.#changed();
        return true;
      },
      (error: unknown) => {
        if (this.#answerWrites.get(id) === write)
          this.#answerWrites.set(id, { value, at, attempt, state: 'failed' });
        this.#failed(error);
        return false;
      },
    );
    const write: AnswerWrite = { value, at, attempt, state: retried ? 'retrying' : 'pending' };
    this.#answerWrites.set(id, write);
    return write;
  }

  /**
   * Writes the interview's row with `events` and the paradata lost before. Under way (and for its
   * end) the session holds the stored record (nothing else writes it): written whole, without
   * reading it first, and relaxed if asked (WriteOptions: the answers given next are not held up;
   * an alert raised or acknowledged must outlive a power cut, as an answer does). Once its end is
   * stored, sync may write it too: `patch` is merged into it. Resolves to whether it was stored.
   */
  #writeRow(
    record: InterviewRecord,
    events: readonly ParadataEvent[],
    options: { relaxed?: boolean; patch?: RecordPatch; seal?: Seal } = {},
  ): Promise<boolean> {
    const serial = ++this.#rowIssued;
    const carrying = this.#lostEvents.length > 0;
    const carried = carrying ? [...this.#lostEvents, ...events] : events;
    this.#lostEvents = [];
    if (carrying) this.#carryingLost += 1;
    let issued: Promise<void>;
    try {
      issued = this.#endStored
        ? this.#store.updateInterview(record.id, options.patch ?? {}, carried)
        : this.#store.writeInterview(record, carried, {
            relaxed: options.relaxed === true,
            ...(options.seal === undefined ? {} : { seal: options.seal }),
          });
    } catch (error) {
      issued = Promise.reject(error);
    }
    return issued.then(
      () => {
        if (carrying) this.#carryingLost -= 1;
        this.#rowStored = Math.max(this.#rowStored, serial);
        this.#changed();
        return true;
      },
      (error: unknown) => {
        if (carrying) this.#carryingLost -= 1;
        this.#lostEvents = [...carried, ...this.#lostEvents];
        this.#rowFailed = Math.max(this.#rowFailed, serial);
        this.#failed(error);
        return false;
      },
    );
  }

  /** The interview's row, or paradata, failed to be stored and nothing stored it since. */
  #rowUnsaved(): boolean {
    return (
      this.#rowFailed > this.#rowStored || this.#lostEvents.length > 0 || this.#carryingLost > 0
    );
  }

  /** Something failed to be stored and is not yet (a retry may be under way). */
  #failing(): boolean {
    if (this.#endFailed || this.#rowUnsaved()) return true;
    for (const write of this.#answerWrites.values()) if (write.state !== 'pending') return true;
    return false;
  }

  /** Whether Next and Complete must wait: if so, the screen is told they were refused. */
  #refuse(): boolean {
    if (!this.#failing()) return false;
    this.#refused = true;
    this.#changed();
    return true;
  }

  /** A write failed: the snapshot says so, and a retry is set. */
  #failed(error: unknown): void {
    if (storageIsFull(error)) this.#full = true;
    this.#changed();
  }

  /**
   * Something was stored or failed: `unsaved` follows, and a retry is set while something is not
   * stored (none once everything is).
   */
  #changed(): void {
    const answers = [...this.#answerWrites]
      .filter(([, write]) => write.state !== 'pending')
      .map(([id]) => id);
    const progress = this.#rowUnsaved();
    const end = this.#endFailed;
    let unsaved: UnsavedWork | undefined;
    if (answers.length === 0 && !progress && !end) {
      this.#full = false;
      this.#refused = false;
      this.#autoRetries = 0;
      this.#clearRetryTimer();
    } else {
      unsaved = {
        storageFull: this.#full,
        answers,
        progress,
        end,
        retrying: this.#retrying !== undefined,
        refused: this.#refused,
      };
      this.#scheduleRetry();
    }
    const shown = this.#snapshot.unsaved;
    if (unsaved === undefined ? shown === undefined : sameUnsaved(unsaved, shown)) return;
    this.#publish({ unsaved, saveFailed: unsaved !== undefined });
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retryTimer !== undefined || this.#retrying !== undefined) return;
    const delays = this.#retryDelaysMs;
    const delay = delays[Math.min(this.#autoRetries, delays.length - 1)] ?? 1_000;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#autoRetries += 1;
      void this.retry();
    }, delay);
  }

  #clearRetryTimer(): void {
    if (this.#retryTimer === undefined) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}

function sameUnsaved(a: UnsavedWork, b: UnsavedWork | undefined): boolean {
  return (
    b !== undefined &&
    a.storageFull === b.storageFull &&
    a.progress === b.progress &&
    a.end === b.end &&
    a.retrying === b.retrying &&
    a.refused === b.refused &&
    a.answers.length === b.answers.length &&
    a.answers.every((id, i) => id === b.answers[i])
  );
}
