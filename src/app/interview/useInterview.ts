// Runs one interview on the device: the engine's state in memory, every answer written to the
// store the moment it is given, moves and paradata logged, alerts and screen-outs handled.
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { references } from '../../core/expression/index.ts';
import { parseExpression } from '../../core/expression/index.ts';
import type {
  Alert,
  Answer,
  InterviewState,
  Questionnaire,
  Validation,
} from '../../core/questionnaire/index.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import { classify } from '../../core/quota/index.ts';
import { QUOTA_FULL, decideRespondent, quotaCheckpoint } from '../quota/quota-session.ts';
import {
  activeAlerts,
  activeScreenOut,
  completion,
  createState,
  nextItem,
  previousItem,
  relevantAnswers,
  setAnswer,
  validateAnswer,
} from '../../core/questionnaire/index.ts';
import type * as RecordCodeModule from '../../core/record/index.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type {
  InterviewRecord,
  InterviewStore,
  ParadataEvent,
  SiteCounts,
} from '../storage/index.ts';

/** The last position of an item that a screen-out condition reads: eligibility ends after it. */
export function screeningEnd(q: Questionnaire): number {
  let end = -1;
  for (const { screenOut } of q.screenOuts) {
    const parsed = parseExpression(screenOut.when);
    if (!parsed.ok) continue;
    for (const name of references(parsed.expr)) {
      const node = q.nodes[q.nodeById.get(name) ?? -1];
      const position = node?.entry?.position ?? -1;
      if (position > end) end = position;
    }
  }
  return end;
}

export const REVIEW = 'review';

export interface InterviewView {
  readonly record: InterviewRecord;
  readonly q: Questionnaire;
  readonly state: InterviewState;
}

export interface InterviewControls {
  readonly view: InterviewView | undefined;
  readonly error: string | undefined;
  /** Validation messages of the current screen, by item or row id. */
  readonly errors: ReadonlyMap<string, string>;
  readonly pendingAlert: Alert | undefined;
  readonly saveFailed: boolean;
  /** Cells (`table/key`) that were nearly full when the respondent was accepted. */
  readonly quotaNotice: readonly string[];
  /**
   * Validates and saves one answer. Invalid values are not stored (the last valid answer stays)
   * and their message is kept for the screen; `quiet` (while typing) does not show it yet.
   */
  answer(id: string, value: Answer | undefined, options?: { quiet?: boolean }): Promise<Validation>;
  next(): Promise<void>;
  back(): Promise<void>;
  goTo(itemId: string): Promise<void>;
  setLanguage(language: string): Promise<void>;
  acknowledgeAlert(): void;
  complete(): Promise<boolean>;
  abandon(reason: string): Promise<void>;
}

/** Ids answered on a screen: the item itself, or a grid's relevant rows. */
export function screenIds(q: Questionnaire, state: InterviewState, itemId: string): string[] {
  const entry = q.itemById.get(itemId);
  if (entry === undefined) return [];
  if (entry.item.type === 'grid') {
    return entry.item.rows
      .map((row) => row.id)
      .filter((id) => state.relevant[q.nodeById.get(id) ?? -1] === true);
  }
  if (entry.item.type === 'note' || entry.item.type === 'calculate') return [];
  return [itemId];
}

// One function for the app's life: a default made anew on each render would be a new effect
// dependency each time, and the interview would reload (and log a 'resume') after every render.
const systemNow = (): Date => new Date();

/**
 * How long a tap waits at most to be shown when its write is slow (ms). Shown when the write
 * commits (1-3 ms as a rule), the tap reaches the next frame all the same, unless that frame
 * starts during the commit: rendering it then would hold the commit back, and waiting for the
 * commit shows the tap one frame later. A stuck disk must not freeze the screen: a frame or so.
 */
export const SHOW_AT_LATEST_MS = 16;

/** Statuses of an interview under way: only its screen writes it. */
const UNDER_WAY: ReadonlySet<InterviewRecord['status']> = new Set(['screening', 'in_progress']);

/** Statuses that end an interview: its screen then shows how it ended. */
const ENDED: ReadonlySet<InterviewRecord['status']> = new Set([
  'screened_out',
  'completed',
  'abandoned',
]);

/**
 * Writes a change of an interview (`before` -> `after`, `patch` being the difference). Under way,
 * the screen holds the stored record (nothing else writes it): written whole, without reading it
 * first, and relaxed unless the change ends the interview (WriteOptions: the answers given next
 * are not held up). Ended, sync may write it too: the patch is merged into the stored record.
 */
function writeChange(
  store: InterviewStore,
  q: Questionnaire,
  before: InterviewRecord,
  after: InterviewRecord,
  patch: Partial<Omit<InterviewRecord, 'id'>>,
  events: readonly ParadataEvent[],
): Promise<void> {
  if (!UNDER_WAY.has(before.status)) return store.updateInterview(after.id, patch, events);
  // The end that sends the interview (completed, screened out) keeps its answers anonymised,
  // made in its transaction from the answers it copies: the exports then need not make them
  // (without the code, not loaded yet, they will: nothing waits for it).
  const sent = after.status === 'completed' || after.status === 'screened_out';
  const records = recordCode;
  return store.writeInterview(after, events, {
    relaxed: UNDER_WAY.has(after.status),
    ...(sent && records !== undefined
      ? {
          seal: (answers) =>
            records.anonymiseAnswers(
              q,
              answers,
              records.endDayClock(after.endedAt ?? after.updatedAt),
            ),
        }
      : {}),
  });
}

/**
 * The anonymising code, loaded once an interview is shown rather than with the first screen (it
 * brings the protocol's schemas: bench figure 3's initial JavaScript).
 */
type RecordCode = typeof RecordCodeModule;
let recordCode: RecordCode | undefined;

function loadRecordCode(): void {
  if (recordCode !== undefined) return;
  import('../../core/record/index.ts').then(
    (code) => {
      recordCode = code;
    },
    () => undefined,
  );
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
  now: () => Date = systemNow,
): Promise<InterviewView | 'not_found' | 'questionnaire'> {
  const [record, answers] = await Promise.all([
    store.getInterview(interviewId),
    store.getAnswers(interviewId),
  ]);
  if (record === undefined) return 'not_found';
  const q = await cache.get(record.questionnaireId, record.questionnaireVersion);
  if (q === undefined || !('definition' in q)) return 'questionnaire';
  const clock = { today: () => now().toISOString().slice(0, 10) };
  const state = createState(q, answers, clock);
  let position = record.position;
  if (position === null) {
    const first = nextItem(q, state, null);
    position = first.kind === 'item' ? first.id : REVIEW;
  }
  return { record: { ...record, position }, q, state };
}

export interface InterviewOptions {
  /** The interview already loaded (`loadInterview`), shown at once; ignored for another id. */
  readonly loaded?: InterviewView | undefined;
  /** The site's quota plan: the respondent is checked against it after the quota questions. */
  readonly plan?: QuotaPlan | undefined;
  /** The site's counts from the server, when known: decisions then check the site limits too. */
  readonly siteCounts?: SiteCounts | undefined;
  /** The clock; must be a stable function (it is an effect dependency). */
  readonly now?: () => Date;
}

function sameCategories(
  a: Readonly<Record<string, string | undefined>>,
  b: Readonly<Record<string, string | undefined>>,
): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

export function useInterview(
  store: InterviewStore,
  cache: QuestionnaireCache,
  interviewId: string,
  options: InterviewOptions = {},
): InterviewControls {
  const plan = options.plan;
  const siteCounts = options.siteCounts;
  const now = options.now ?? systemNow;
  // An interview that came loaded (main.tsx reads it before the first render) is shown at once.
  const [shown] = useState(options.loaded?.record.id === interviewId ? options.loaded : undefined);
  const [view, setView] = useState<InterviewView | undefined>(shown);
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  // The errors shown, read by a tap's handler: a tap that changes none renders nothing (a state
  // update, even one that changes nothing, may have React render the screen in the handler).
  const errorsShown = useRef<ReadonlyMap<string, string>>(errors);
  const showErrors = useCallback((next: ReadonlyMap<string, string>) => {
    errorsShown.current = next;
    setErrors(next);
  }, []);
  const [pendingAlert, setPendingAlert] = useState<Alert>();
  const [saveFailed, setSaveFailed] = useState(false);
  const [quotaNotice, setQuotaNotice] = useState<readonly string[]>([]);
  // The latest view, for handlers that run between renders (fast taps).
  const latest = useRef<InterviewView | undefined>(shown);
  // Whether the "not saved" message is up, so that a save that works takes it down only then.
  const saveFailedShown = useRef(false);
  const enteredAt = useRef(performance.now());
  // Messages of values typed but not stored because invalid, by item or row id.
  const draftErrors = useRef(new Map<string, string>());
  // Whether the last write meant to end the interview failed: the latest view says it ended, but
  // the store still has it under way, and its answers may still change until it ends for good.
  const endFailed = useRef(false);

  // The timer that shows the latest view at the latest, while it waits to be shown (showLatest).
  const pendingShow = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Cancels the timer set, if any; whether there was one. */
  const dropPending = useCallback((): boolean => {
    if (pendingShow.current === undefined) return false;
    clearTimeout(pendingShow.current);
    pendingShow.current = undefined;
    return true;
  }, []);

  const publish = useCallback(
    (next: InterviewView) => {
      latest.current = next;
      dropPending();
      setView(next);
    },
    [dropPending],
  );

  /**
   * Shows the latest view if it waits (answers given, useInterview.answer): called when an
   * answer's write settles, or SHOW_AT_LATEST_MS after the tap if the write is slower, and
   * rendered at once (flushSync: React's scheduler could leave it to after the next paint). The
   * tap's handler thus only issues the write and runs the engine, and renders nothing unless its
   * error message changes or an alert fires; the input tapped shows its new value with the rest
   * (ItemView's Choices). As a rule nothing renders while the write commits: on two cores, a
   * render then holds the commit back (bench figure 4).
   */
  const showLatest = useCallback(() => {
    if (!dropPending()) return;
    const current = latest.current;
    if (current !== undefined) flushSync(() => setView(current));
  }, [dropPending]);

  // A timer still set when the screen goes: nothing to show any more.
  useEffect(
    () => () => {
      dropPending();
    },
    [dropPending],
  );

  const failed = useCallback(() => {
    saveFailedShown.current = true;
    setSaveFailed(true);
  }, []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      // Awaited even when it came loaded: a cancelled run (StrictMode's) stops here, unwritten.
      const loaded = await (shown ?? loadInterview(store, cache, interviewId, now));
      if (cancelled) return;
      if (typeof loaded === 'string') return setError(loaded);
      const { record } = loaded;
      // Shown first (at once when it came loaded), then the position and the 'resume' logged: a
      // tap cannot come in between, and its own write would queue behind this one.
      enteredAt.current = performance.now();
      if (shown === undefined) publish(loaded);
      loadRecordCode();
      const at = now().toISOString();
      await writeChange(store, loaded.q, record, record, { position: record.position }, [
        { interviewId, at, type: 'resume', itemId: record.position ?? REVIEW },
      ]);
    })().catch((caught: unknown) =>
      setError(caught instanceof Error ? caught.message : String(caught)),
    );
    return () => {
      cancelled = true;
    };
  }, [store, cache, interviewId, now, publish, shown]);

  /**
   * Writes a record change with its paradata, and shows it. A change that ends the interview is
   * shown once it is stored (the end screen says so); any other one is shown at once, while it
   * is written: the next question does not wait for the disk, and if the write fails the screen
   * says that saving failed. Resolves once the change is stored.
   */
  const update = useCallback(
    async (patch: Partial<Omit<InterviewRecord, 'id'>>, events: ParadataEvent[]) => {
      const current = latest.current;
      if (current === undefined) return;
      const at = now().toISOString();
      const full = { ...patch, updatedAt: at };
      const record = { ...current.record, ...full };
      const written = writeChange(store, current.q, current.record, record, full, events);
      if (patch.status === undefined || !ENDED.has(patch.status)) {
        // Issued first, then shown: `current` is still the latest view, nothing ran in between.
        publish({ ...current, record });
        return written.catch(failed);
      }
      // Answers given just before are shown now, without the end, which shows once stored.
      showLatest();
      // Writes that follow build on this change at once, even before it is shown.
      latest.current = { ...current, record };
      try {
        await written;
        endFailed.current = false;
      } catch (error) {
        endFailed.current = true;
        failed();
        throw error;
      }
      // Changes made while the write was under way (a language switch) are in the latest view, not
      // in `current`: show that one (the change is in it), or they would vanish from the screen.
      publish(latest.current);
    },
    [store, now, publish, showLatest, failed],
  );

  const move = useCallback(
    (
      to: string,
      extra: Partial<Omit<InterviewRecord, 'id'>> = {},
      notice: readonly string[] = [],
    ): Promise<void> => {
      const current = latest.current;
      if (current === undefined) return Promise.resolve();
      const { record, q } = current;
      const at = now().toISOString();
      const durationMs = Math.round(performance.now() - enteredAt.current);
      const events: ParadataEvent[] = [];
      if (record.position !== null) {
        events.push({
          interviewId: record.id,
          at,
          type: 'leave',
          itemId: record.position,
          durationMs,
        });
      }
      events.push({ interviewId: record.id, at, type: 'enter', itemId: to });
      let status = record.status;
      const position = q.itemById.get(to)?.position ?? Infinity;
      if (status === 'screening' && position > screeningEnd(q)) status = 'in_progress';
      enteredAt.current = performance.now();
      draftErrors.current.clear();
      showErrors(new Map());
      setQuotaNotice(notice);
      return update({ position: to, status, ...extra }, events);
    },
    [now, update, showErrors],
  );

  const answer = useCallback(
    async (
      id: string,
      value: Answer | undefined,
      options: { quiet?: boolean } = {},
    ): Promise<Validation> => {
      const current = latest.current;
      if (current === undefined) return { valid: true };
      const { q, record } = current;
      // Once the write that ends the interview is issued, its answers are final (that write copies
      // them for the exports, InterviewStore.saveAnswer): a tap landing meanwhile changes nothing.
      if (!UNDER_WAY.has(record.status) && !endFailed.current) return { valid: true };
      const result = validateAnswer(q, current.state, id, value, record.language);
      if (result.valid || value === undefined) draftErrors.current.delete(id);
      else draftErrors.current.set(id, result.message);
      if (result.valid || !options.quiet) {
        const previous = errorsShown.current;
        if (result.valid ? previous.has(id) : previous.get(id) !== result.message) {
          const next = new Map(previous);
          if (result.valid) next.delete(id);
          else next.set(id, result.message);
          showErrors(next);
        }
      }
      // An invalid answer is not stored: the previous valid one (if any) stays. An empty one
      // (cleared) is stored as cleared even when the item is required: Next will say so.
      if (!result.valid && value !== undefined) return result;
      // The write is issued first; the engine and the alerts follow while it commits, the screen
      // once it is committed, or SHOW_AT_LATEST_MS later if it is slow (showLatest). Handlers
      // that run before then (fast taps, Next) read the latest view.
      const saved = store.saveAnswer(record.id, id, value, now().toISOString());
      const state = setAnswer(q, current.state, id, value);
      latest.current = { ...current, state };
      pendingShow.current ??= setTimeout(showLatest, SHOW_AT_LATEST_MS);
      const known = new Set((current.record.alerts ?? []).map((alert) => alert.id));
      const fired = activeAlerts(q, state).filter((alert) => !known.has(alert.id));
      const first = fired[0];
      let alerted: Promise<void> | undefined;
      if (first !== undefined) {
        const at = now().toISOString();
        setPendingAlert(first);
        alerted = update(
          {
            alerts: [
              ...(current.record.alerts ?? []),
              ...fired.map((alert) => ({ id: alert.id, at })),
            ],
          },
          fired.map((alert) => ({
            interviewId: record.id,
            at,
            type: 'alert' as const,
            detail: alert.id,
          })),
        );
      }
      try {
        await saved.finally(showLatest);
        if (saveFailedShown.current) {
          saveFailedShown.current = false;
          setSaveFailed(false);
        }
      } catch {
        failed();
      }
      await alerted;
      return { valid: true };
    },
    [store, now, showLatest, update, failed, showErrors],
  );

  const next = useCallback(async () => {
    const current = latest.current;
    if (current === undefined) return;
    const { q, state, record } = current;
    const here = record.position;
    if (here === null || here === REVIEW) return;
    const problems = new Map<string, string>();
    for (const id of screenIds(q, state, here)) {
      const typed = draftErrors.current.get(id);
      if (typed !== undefined) {
        problems.set(id, typed);
        continue;
      }
      const result = validateAnswer(q, state, id, state.answers.get(id), record.language);
      if (!result.valid) problems.set(id, result.message);
    }
    if (problems.size > 0) {
      showErrors(problems);
      return;
    }
    // Quotas: once the quota questions are answered (and again if those answers change), the
    // respondent is checked against the plan; a full cell ends the interview politely.
    let quotaPatch: Partial<Omit<InterviewRecord, 'id'>> = {};
    let notice: readonly string[] = [];
    const checkpoint = plan === undefined ? -1 : quotaCheckpoint(q, plan);
    const position = q.itemById.get(here)?.position ?? -1;
    if (
      plan !== undefined &&
      checkpoint >= 0 &&
      position >= checkpoint &&
      activeScreenOut(q, state) === undefined
    ) {
      const answers = relevantAnswers(q, state);
      const categories = classify(plan, answers);
      if (record.quota === undefined || !sameCategories(record.quota.categories, categories)) {
        const { decision } = decideRespondent(
          plan,
          record,
          answers,
          await store.listInterviews(),
          siteCounts,
        );
        const at = now().toISOString();
        const fullCells =
          decision.status === 'full'
            ? decision.full.map((cell) => `${cell.table}/${cell.key}`)
            : [];
        const quota = {
          categories,
          status: decision.status,
          at,
          ...(fullCells.length > 0 ? { fullCells } : {}),
        };
        if (decision.status === 'full') {
          await move(here, { status: 'screened_out', screenOutId: QUOTA_FULL, endedAt: at, quota });
          return;
        }
        notice =
          decision.status === 'nearly_full'
            ? decision.nearlyFull.map((cell) => `${cell.table}/${cell.key}`)
            : [];
        quotaPatch = { quota };
      }
    }
    const step = nextItem(q, state, here);
    if (step.kind === 'item' || step.kind === 'end') {
      await move(step.kind === 'item' ? step.id : REVIEW, quotaPatch, notice);
      return;
    }
    await move(here, {
      status: 'screened_out',
      screenOutId: step.screenOut.id,
      endedAt: now().toISOString(),
    });
  }, [move, now, plan, siteCounts, store, showErrors]);

  const back = useCallback(async () => {
    const current = latest.current;
    if (current === undefined) return;
    const { q, state, record } = current;
    const from = record.position === REVIEW ? null : record.position;
    const step = previousItem(q, state, from);
    if (step.kind === 'item') await move(step.id);
  }, [move]);

  const goTo = useCallback((itemId: string) => move(itemId), [move]);

  const setLanguage = useCallback(
    async (language: string) => {
      const current = latest.current;
      if (current === undefined) return;
      const at = now().toISOString();
      await update({ language }, [
        { interviewId: current.record.id, at, type: 'language', detail: language },
      ]);
    },
    [now, update],
  );

  const complete = useCallback(async () => {
    const current = latest.current;
    if (current === undefined) return false;
    if (!completion(current.q, current.state, current.record.language).canComplete) return false;
    const at = now().toISOString();
    // What counts in the quotas is the respondent as finally recorded.
    const { record, q, state } = current;
    const quota =
      plan !== undefined && record.quota !== undefined
        ? { quota: { ...record.quota, categories: classify(plan, relevantAnswers(q, state)) } }
        : {};
    await update({ status: 'completed', endedAt: at, ...quota }, [
      { interviewId: current.record.id, at, type: 'status', detail: 'completed' },
    ]);
    return true;
  }, [now, update, plan]);

  const abandon = useCallback(
    async (reason: string) => {
      const current = latest.current;
      if (current === undefined) return;
      const at = now().toISOString();
      await update({ status: 'abandoned', abandonReason: reason, endedAt: at }, [
        { interviewId: current.record.id, at, type: 'status', detail: `abandoned:${reason}` },
      ]);
    },
    [now, update],
  );

  return {
    view,
    error,
    errors,
    pendingAlert,
    saveFailed,
    quotaNotice,
    answer,
    next,
    back,
    goTo,
    setLanguage,
    acknowledgeAlert: () => setPendingAlert(undefined),
    complete,
    abandon,
  };
}
