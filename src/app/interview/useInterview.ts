// The interview screen's hold on an InterviewSession (interview-session.ts, where every interview
// rule lives): it loads the session, keeps its quota state current, and decides when a tap shows.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';
import type { Alert, Answer, Validation } from '../../core/questionnaire/index.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type { InterviewStore, SiteCounts } from '../storage/index.ts';
import type {
  AlertAction,
  BreakOffReason,
  InterviewView,
  SessionClock,
  SessionSnapshot,
  UnsavedWork,
} from './interview-session.ts';
import { InterviewSession, SYSTEM_CLOCK, loadInterview } from './interview-session.ts';

/**
 * How long a tap waits at most to be shown when its write is slow (ms). Shown when the write
 * commits (1-3 ms as a rule), the tap reaches the next frame all the same, unless that frame
 * starts during the commit: rendering it then would hold the commit back, and waiting for the
 * commit shows the tap one frame later. A stuck disk must not freeze the screen: a frame or so.
 */
export const SHOW_AT_LATEST_MS = 16;

export interface InterviewControls {
  readonly view: InterviewView | undefined;
  readonly error: string | undefined;
  /** Validation messages of the current screen, by item or row id. */
  readonly errors: ReadonlyMap<string, string>;
  readonly pendingAlert: Alert | undefined;
  /** What failed to be stored and is not yet (InterviewSession's `unsaved`). */
  readonly unsaved: UnsavedWork | undefined;
  /** Cells (`table/key`) that were nearly full when the respondent was accepted. */
  readonly quotaNotice: readonly string[];
  /** InterviewSession.answer; resolves once the answer's writes have settled. */
  answer(id: string, value: Answer | undefined, options?: { quiet?: boolean }): Promise<Validation>;
  next(): Promise<void>;
  back(): Promise<void>;
  goTo(itemId: string): Promise<void>;
  setLanguage(language: string): Promise<void>;
  /** InterviewSession.acknowledgeAlert: the alert on screen, with what the interviewer did. */
  acknowledgeAlert(actions: readonly AlertAction[]): Promise<void>;
  complete(): Promise<boolean>;
  /** Stops the interview after consent (InterviewSession.breakOff). */
  breakOff(reason: BreakOffReason): Promise<void>;
  abandon(reason: string): Promise<void>;
  /** InterviewSession.retry: writes again, now, what failed to be stored. */
  retry(): Promise<boolean>;
}

/**
 * What the screen shows of a session, and when. Everything shows as soon as the session changes,
 * except the answers a tap gives: a tap's handler only issues the write and runs the engine, and
 * renders nothing unless its error message changes or an alert fires; the answers show once the
 * write settles, or SHOW_AT_LATEST_MS after the tap if it is slower (`showLatest`), rendered at
 * once (flushSync: React's scheduler could leave it to after the next paint). As a rule nothing
 * renders while the write commits: on a slow tablet a render then holds the commit back. The input
 * tapped shows its new value with the rest (ItemView's Choices), and taps faster than that build
 * on one another (selection.ts).
 */
class ShownSession {
  readonly session: InterviewSession;
  #shown: SessionSnapshot;
  /** The timer that shows the session's latest answers at the latest, while they wait. */
  #pending: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void) | undefined;

  constructor(session: InterviewSession) {
    this.session = session;
    this.#shown = session.getSnapshot();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (this.#unsubscribe === undefined) {
      this.#unsubscribe = this.session.subscribe(this.#changed);
      // Changes made before the screen listened (none wait to be shown yet).
      if (this.#pending === undefined) this.#shown = this.session.getSnapshot();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0) return;
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
      this.#drop();
    };
  };

  readonly getSnapshot = (): SessionSnapshot => this.#shown;

  /** Shows the latest answers if they wait: called when a write settles. */
  readonly showLatest = (): void => {
    if (!this.#drop()) return;
    flushSync(() => this.#show(this.session.getSnapshot()));
  };

  /** Cancels the timer set, if any; whether there was one. */
  #drop(): boolean {
    if (this.#pending === undefined) return false;
    clearTimeout(this.#pending);
    this.#pending = undefined;
    return true;
  }

  #show(next: SessionSnapshot): void {
    this.#shown = next;
    for (const listener of [...this.#listeners]) listener();
  }

  readonly #changed = (): void => {
    const latest = this.session.getSnapshot();
    const shown = this.#shown;
    const answersOnly =
      latest.view !== shown.view &&
      latest.view.record === shown.view.record &&
      latest.view.q === shown.view.q;
    if (answersOnly || (this.#pending !== undefined && latest.view.record === shown.view.record)) {
      // A tap's answers (or a change beside answers that wait): they wait for the write.
      if (answersOnly) this.#pending ??= setTimeout(this.showLatest, SHOW_AT_LATEST_MS);
      // A write settled (saving failed, or works again), or the end's write is issued: the
      // answers given before show now.
      if (latest.unsaved !== shown.unsaved || (latest.ending && !shown.ending)) {
        this.showLatest();
        return;
      }
      const held = { ...latest, view: shown.view };
      const same =
        held.errors === shown.errors &&
        held.pendingAlert === shown.pendingAlert &&
        held.quotaNotice === shown.quotaNotice &&
        held.ending === shown.ending;
      if (!same) this.#show(held);
      return;
    }
    // A change of the interview itself (a move, an alert, the language, the end stored) shows
    // whole, with the answers given before it.
    this.#drop();
    this.#show(latest);
  };
}

export interface InterviewOptions {
  /** The interview already loaded (`loadInterview`), shown at once; ignored for another id. */
  readonly loaded?: InterviewView | undefined;
  /** The site's quota plan: the respondent is checked against it after the quota questions. */
  readonly plan?: QuotaPlan | undefined;
  /** The site's counts from the server, when known: decisions then check the site limits too. */
  readonly siteCounts?: SiteCounts | undefined;
  /** The clock; must be a stable object (it is an effect dependency). */
  readonly clock?: SessionClock;
}

const noSubscribe = () => () => undefined;
const noSnapshot = () => undefined;
const NO_ERRORS: ReadonlyMap<string, string> = new Map();

export function useInterview(
  store: InterviewStore,
  cache: QuestionnaireCache,
  interviewId: string,
  options: InterviewOptions = {},
): InterviewControls {
  const { plan, siteCounts } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  // An interview that came loaded (main.tsx reads it before the first render) is shown at once.
  const [loaded] = useState(options.loaded?.record.id === interviewId ? options.loaded : undefined);
  const quotas = plan === undefined ? undefined : { plan, siteCounts };
  const [screen, setScreen] = useState(() =>
    loaded === undefined
      ? undefined
      : new ShownSession(new InterviewSession(loaded, { store, clock, quotas })),
  );
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    let opened: InterviewSession | undefined;
    void (async () => {
      // Awaited even when it came loaded: a cancelled run (StrictMode's) stops here, unwritten.
      const view = await (screen?.session.current ??
        loadInterview(store, cache, interviewId, clock));
      if (cancelled) return;
      if (typeof view === 'string') return setError(view);
      // Shown first (at once when it came loaded), then the position and the 'resume' logged: a
      // tap cannot come in between, and its own write would queue behind this one.
      const session = screen?.session ?? new InterviewSession(view, { store, clock, quotas });
      if (screen === undefined) setScreen(new ShownSession(session));
      opened = session;
      await session.open();
    })().catch((caught: unknown) =>
      setError(caught instanceof Error ? caught.message : String(caught)),
    );
    return () => {
      cancelled = true;
      opened?.close();
    };
    // Not on `screen`: the effect sets it (when it came unloaded), once per interview.
  }, [store, cache, interviewId, clock]);

  // A sync run may bring a plan or new counts while the interview runs: the next decision reads them.
  useEffect(() => {
    screen?.session.setQuotas(plan === undefined ? undefined : { plan, siteCounts });
  }, [screen, plan, siteCounts]);

  const snapshot = useSyncExternalStore(
    screen?.subscribe ?? noSubscribe,
    screen?.getSnapshot ?? noSnapshot,
    // The same snapshot when rendered to a string (the screen's unit tests).
    screen?.getSnapshot ?? noSnapshot,
  );

  // What failed to be stored lives only in this page until a retry stores it: closing or reloading
  // the page would lose it, so the browser asks first.
  const unsaved = snapshot?.unsaved !== undefined;
  useEffect(() => {
    if (!unsaved) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  const commands = useMemo(() => {
    if (screen === undefined) return undefined;
    const { session, showLatest } = screen;
    return {
      answer(id: string, value: Answer | undefined, answerOptions?: { quiet?: boolean }) {
        const { saved, settled } = session.answer(id, value, answerOptions);
        if (saved === undefined) return settled;
        // Shown before the caller hears it settled: its taps then build on what is shown.
        return saved.then(() => {
          showLatest();
          return settled;
        });
      },
      next: () => session.next(),
      back: () => session.back(),
      goTo: (itemId: string) => session.goTo(itemId),
      setLanguage: (language: string) => session.setLanguage(language),
      acknowledgeAlert: (actions: readonly AlertAction[]) => session.acknowledgeAlert(actions),
      complete: () => session.complete(),
      breakOff: (reason: BreakOffReason) => session.breakOff(reason),
      abandon: (reason: string) => session.abandon(reason),
      retry: () => session.retry(),
    };
  }, [screen]);

  return {
    view: snapshot?.view,
    error,
    errors: snapshot?.errors ?? NO_ERRORS,
    pendingAlert: snapshot?.pendingAlert,
    unsaved: snapshot?.unsaved,
    quotaNotice: snapshot?.quotaNotice ?? [],
    answer: commands?.answer ?? (() => Promise.resolve({ valid: true })),
    next: commands?.next ?? (() => Promise.resolve()),
    back: commands?.back ?? (() => Promise.resolve()),
    goTo: commands?.goTo ?? (() => Promise.resolve()),
    setLanguage: commands?.setLanguage ?? (() => Promise.resolve()),
    acknowledgeAlert: commands?.acknowledgeAlert ?? (() => Promise.resolve()),
    complete: commands?.complete ?? (() => Promise.resolve(false)),
    breakOff: commands?.breakOff ?? (() => Promise.resolve()),
    abandon: commands?.abandon ?? (() => Promise.resolve()),
    retry: commands?.retry ?? (() => Promise.resolve(true)),
  };
}
