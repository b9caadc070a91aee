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
  SiteCounts,
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
  /** A write failed: the answer, move or end it carried is not stored. */
  readonly saveFailed: boolean;
  /** Cells (`table/key`) that were nearly full when the respondent was accepted. */
  readonly quotaNotice: readonly string[];
  /** The write that ends the interview is under way: the end shows once it is stored. */
  readonly ending: boolean;
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
   * failed (the snapshot's `saveFailed` says which), never rejects. Absent: nothing was written
   * (an invalid value, or the interview has ended).
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
 * One interview, from its first screen to its end. Every command takes effect at once: `current`
 * (what the next command builds on) changes before it returns, and its write is issued before it
 * returns, in the order the commands came; the promise it returns settles once that write has.
 * The one exception: a quota decision that reads the store's interviews (`QuotaState.interviews`
 * absent) moves on once they are read. Subscribers hear of every change of the snapshot.
 */
export class InterviewSession {
  readonly #store: InterviewStore;
  readonly #clock: SessionClock;
  #quotas: QuotaState | undefined;
  #current: InterviewView;
  #snapshot: SessionSnapshot;
  readonly #listeners = new Set<() => void>();
  /** When the item on screen was entered (`SessionClock.elapsed`). */
  #enteredAt: number;
  /** Messages of values typed but not stored because invalid, by item or row id. */
  readonly #drafts = new Map<string, string>();
  /**
   * Whether the last write meant to end the interview failed: `current` says it ended, the store
   * still has it under way, and its answers may still change until it ends for good.
   */
  #endFailed = false;
  readonly #screeningEnd: number;

  /** A session over an interview read from the store (`loadInterview`). Writes nothing. */
  constructor(view: InterviewView, deps: SessionDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock ?? SYSTEM_CLOCK;
    this.#quotas = deps.quotas;
    this.#current = view;
    this.#snapshot = {
      view,
      errors: NO_ERRORS,
      // An alert raised before a reload, a crash or a restart, still waiting to be acknowledged.
      pendingAlert: pendingAlertOf(view.q, view.record),
      saveFailed: false,
      quotaNotice: [],
      ending: false,
    };
    this.#enteredAt = this.#clock.elapsed();
    this.#screeningEnd = screeningEnd(view.q);
  }

  /**
   * Starts a new interview: writes its record and opens it on its first item. `started` settles
   * once both writes have (and rejects if one failed).
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
   * first item too), and the time on its item starts. Call it once, before any other command.
   */
  open(): Promise<void> {
    this.#enteredAt = this.#clock.elapsed();
    loadRecordCode();
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
    return this.#write(record, record, { position: record.position }, [resume]);
  }

  /**
   * Validates and saves one answer (`undefined` clears it). An invalid value is not stored (the
   * last valid answer stays) and its message is kept for the screen and for Next; `quiet` (while
   * typing) does not show it yet. The write is issued first; the engine and the alerts follow
   * while it commits. Once the write that ends the interview is issued, its answers are final
   * (that write copies them for the exports): an answer given meanwhile changes nothing.
   */
  answer(id: string, value: Answer | undefined, options: { quiet?: boolean } = {}): Answered {
    const current = this.#current;
    const { q, record } = current;
    if (!UNDER_WAY.has(record.status) && !this.#endFailed) {
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
    const write = this.#store.saveAnswer(record.id, id, value, this.#now());
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
    const saved = write.then(
      () => {
        if (this.#snapshot.saveFailed) this.#publish({ saveFailed: false });
      },
      () => this.#publish({ saveFailed: true }),
    );
    return {
      validation: VALID,
      saved,
      settled: Promise.all([saved, alerted]).then(() => VALID),
    };
  }

  /**
   * Leaves the item on screen: its answers must be valid (else the screen's messages say why and
   * nothing moves). After the quota questions (and again if those answers change) the respondent
   * is checked against the quota state: a full cell ends the interview politely, as a screen-out
   * `quota_full`. A screen-out whose condition holds ends it too; else the next item, or review.
   */
  next(): Promise<void> {
    const current = this.#current;
    const { q, state, record } = current;
    const here = record.position;
    if (here === null || here === REVIEW) return Promise.resolve();
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
   * Completes the interview if it can be (`completion`): resolves to false, writing nothing, when
   * it cannot. What counts in the quotas is the respondent as finally recorded.
   */
  complete(): Promise<boolean> {
    const { q, state, record } = this.#current;
    if (!completion(q, state, record.language).canComplete) return Promise.resolve(false);
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
    ).then(() => true);
  }

  /**
   * Stops the interview after consent (`breaksOff`), for `reason`: it ends `broken_off`, with
   * the last item shown and the time, and leaves the device as a partial record (answers up to
   * here, its alerts, an alert still waiting recorded as never acknowledged); the quotas never
   * count it. Before consent, nothing is done: that is `abandon`.
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
    const { categories, decision } = decideRespondent(
      quotas.plan,
      decided.record,
      answers,
      interviews,
      quotas.siteCounts,
    );
    const at = this.#now();
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
   * Writes a change of the record with its paradata, and shows it with `shown`. A change that
   * ends the interview is shown once it is stored (the end screen says it is); any other is shown
   * at once, while it is written: the next question does not wait for the disk, and if the write
   * fails the snapshot says that saving failed. Resolves once the change is stored; only a failed
   * end rejects.
   */
  #update(
    patch: RecordPatch,
    events: readonly ParadataEvent[],
    shown: Partial<SessionSnapshot> = {},
    at = this.#now(),
    options: { durable?: boolean } = {},
  ): Promise<void> {
    const current = this.#current;
    const full = { ...patch, updatedAt: at };
    const record = { ...current.record, ...full };
    const written = this.#write(current.record, record, full, events, options);
    this.#current = { ...current, record };
    if (patch.status === undefined || !ENDED.has(patch.status)) {
      this.#publish({ ...shown, view: this.#current });
      return written.catch(() => this.#publish({ saveFailed: true }));
    }
    this.#publish({ ...shown, ending: true });
    return written.then(
      () => {
        this.#endFailed = false;
        // Changes made while the write was under way (a language switch) are in `current`.
        this.#publish({ view: this.#current, ending: false });
      },
      (error: unknown) => {
        this.#endFailed = true;
        this.#publish({ ending: false, saveFailed: true });
        throw error;
      },
    );
  }

  /**
   * Writes a change of the interview (`before` -> `after`, `patch` being the difference). Under
   * way, the session holds the stored record (nothing else writes it): written whole, without
   * reading it first, and relaxed unless the change ends the interview (WriteOptions: the answers
   * given next are not held up), unless `durable`: an alert raised or acknowledged must outlive a
   * power cut, as an answer does. Ended, sync may write it too: the patch is merged into it.
   */
  #write(
    before: InterviewRecord,
    after: InterviewRecord,
    patch: RecordPatch,
    events: readonly ParadataEvent[],
    options: { durable?: boolean } = {},
  ): Promise<void> {
    if (!UNDER_WAY.has(before.status)) return this.#store.updateInterview(after.id, patch, events);
    // The end that sends the interview (completed, screened out) keeps its answers anonymised,
    // made in its transaction from the answers it copies: the exports then need not make them
    // (without the code, not loaded yet, they will: nothing waits for it).
    const sent = after.status === 'completed' || after.status === 'screened_out';
    const records = recordCode;
    const { q } = this.#current;
    return this.#store.writeInterview(after, events, {
      relaxed: UNDER_WAY.has(after.status) && options.durable !== true,
      ...(sent && records !== undefined
        ? {
            seal: (answers: ReadonlyMap<string, Answer>) =>
              records.anonymiseAnswers(
                q,
                answers,
                records.endDayClock(after.endedAt ?? after.updatedAt),
              ),
          }
        : {}),
    });
  }
}
