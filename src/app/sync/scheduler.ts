// When sync runs: at start, when the browser comes back online, on "Synchroniser maintenant",
// and every few minutes (sooner while backing off), never two runs at once, and never one without
// end (each has a deadline). Its status is an external store React reads with
// useSyncExternalStore; it holds no DOM handle (main.tsx wires the `online` event and the timers
// are injected).
import type { InterviewStore, SyncErrorKind } from '../storage/index.ts';
import type { SyncDeps, SyncOutcome } from './sync-engine.ts';

/**
 * The engine (records, wire schemas, HTTP) is loaded on first use, after the first screen is
 * painted: it is not needed to start an interview, and it keeps the initial bundle small.
 */
const loadEngine = () => import('./sync-engine.ts');

export interface SyncStatus {
  /** The tablet has a server and a token. */
  readonly enrolled: boolean;
  readonly running: boolean;
  /** Interviews waiting to be sent. */
  readonly pending: number;
  readonly lastRunAt?: string;
  readonly lastSuccessAt?: string;
  readonly lastError?: string;
  /** The last error's kind (`storage`: the tablet's own database failed) and HTTP status. */
  readonly lastErrorKind?: SyncErrorKind | 'storage';
  readonly lastErrorStatus?: number;
  /** Why the server refused the token: the tablet must be enrolled again. */
  readonly blocked?: string;
  /** No automatic attempt before then (backoff). */
  readonly nextAttemptAt?: string;
  /** Runs finished since the scheduler was made: screens reload what a run may have changed. */
  readonly runs: number;
  readonly lastOutcome?: SyncOutcome;
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface SchedulerOptions extends SyncDeps {
  /** Time between automatic runs when all is well. */
  readonly intervalMs?: number;
  readonly timers?: Timers;
  /** The longest a run may take (DEFAULT_RUN_DEADLINE_MS by default). */
  readonly runDeadlineMs?: number;
}

export interface SyncScheduler {
  /** Reads the stored status, then runs (unless the stored backoff says wait) and keeps running. */
  start(): Promise<void>;
  /** No more automatic runs (a run in flight finishes). */
  stop(): void;
  /** The browser is back online: try at once, backoff or not. */
  online(): Promise<SyncOutcome | undefined>;
  /** "Synchroniser maintenant": try at once, backoff or not. */
  syncNow(): Promise<SyncOutcome | undefined>;
  /** Re-reads the status from the store (after an interview ends, after enrolment). */
  refresh(): Promise<void>;
  getStatus(): SyncStatus;
  subscribe(listener: () => void): () => void;
}

export const DEFAULT_INTERVAL_MS = 3 * 60_000;

/**
 * Each request has its own deadline (api.ts), but a run makes many (batches, downloads): this
 * bounds the whole. It exceeds the longest single request (a full 4 MiB batch on a slow link,
 * about 10 minutes) plus the reads after it, so that it only stops a run that is stuck, never one
 * that moves. What a run had sent before it was stopped stays acknowledged.
 */
export const DEFAULT_RUN_DEADLINE_MS = 15 * 60_000;

/**
 * Once the run's deadline has given up its requests, it ends within moments as after a network
 * failure. If it still has not ended after this, what holds it is the tablet itself (its
 * database): the scheduler stops waiting for it and says so.
 */
export const RUN_GRACE_MS = 15_000;

const defaultTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

async function readStatus(
  store: InterviewStore,
  base: Pick<SyncStatus, 'running' | 'runs'> & { lastOutcome?: SyncOutcome },
): Promise<SyncStatus> {
  const settings = await store.getSettings();
  const sync = settings?.sync;
  return {
    enrolled:
      settings?.serverUrl !== undefined &&
      settings.serverUrl !== '' &&
      settings.deviceToken !== undefined,
    running: base.running,
    pending: await (await loadEngine()).pendingCount(store),
    runs: base.runs,
    ...(sync?.lastRunAt === undefined ? {} : { lastRunAt: sync.lastRunAt }),
    ...(sync?.lastSuccessAt === undefined ? {} : { lastSuccessAt: sync.lastSuccessAt }),
    ...(sync?.lastError === undefined ? {} : { lastError: sync.lastError }),
    ...(sync?.lastErrorKind === undefined ? {} : { lastErrorKind: sync.lastErrorKind }),
    ...(sync?.lastErrorStatus === undefined ? {} : { lastErrorStatus: sync.lastErrorStatus }),
    ...(sync?.blocked === undefined ? {} : { blocked: sync.blocked.reason }),
    ...(sync?.nextAttemptAt === undefined ? {} : { nextAttemptAt: sync.nextAttemptAt }),
    ...(base.lastOutcome === undefined ? {} : { lastOutcome: base.lastOutcome }),
  };
}

export function createSyncScheduler(options: SchedulerOptions): SyncScheduler {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const isOnline = options.isOnline ?? (() => true);
  const timers = options.timers ?? defaultTimers;
  const runDeadlineMs = options.runDeadlineMs ?? DEFAULT_RUN_DEADLINE_MS;
  const listeners = new Set<() => void>();
  let status: SyncStatus = { enrolled: false, running: false, pending: 0, runs: 0 };
  let timer: unknown;
  let started = false;
  let inFlight: Promise<SyncOutcome | undefined> | undefined;
  let again: { force: boolean } | undefined;

  const publish = (next: SyncStatus) => {
    status = next;
    for (const listener of [...listeners]) listener();
  };

  const refresh = async () => {
    const lastOutcome = status.lastOutcome;
    publish(
      await readStatus(store, {
        running: inFlight !== undefined,
        runs: status.runs,
        ...(lastOutcome === undefined ? {} : { lastOutcome }),
      }),
    );
  };

  /** Arms the one timer: at the end of the backoff if there is one, else after the interval. */
  const schedule = (delayMs?: number) => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
    if (!started || !status.enrolled || status.blocked !== undefined) return;
    const until = status.nextAttemptAt === undefined ? NaN : Date.parse(status.nextAttemptAt);
    const wait =
      delayMs ?? (Number.isNaN(until) ? intervalMs : Math.max(0, until - now().getTime()));
    timer = timers.set(
      () => {
        timer = undefined;
        // Offline: look again after the interval (the `online` event usually comes first).
        if (isOnline()) void run(false);
        else schedule(intervalMs);
      },
      Math.min(wait, intervalMs),
    );
  };

  /**
   * One engine run within the run's deadline: at the deadline its requests are given up (it then
   * ends as after a network failure); if it has not ended `RUN_GRACE_MS` later, this rejects. A
   * run left so may still wake up later: its signal is aborted, so it sends nothing more and at
   * most records a network failure.
   */
  const attempt = (force: boolean): Promise<SyncOutcome> => {
    const controller = new AbortController();
    let grace: unknown;
    let giveUp: (error: Error) => void = () => undefined;
    const stuck = new Promise<never>((_, reject) => {
      giveUp = reject;
    });
    stuck.catch(() => undefined);
    const deadline = timers.set(() => {
      controller.abort();
      grace = timers.set(
        () =>
          giveUp(
            new Error(
              `the sync run did not end ${Math.round(runDeadlineMs / 1000)} s after it started, though its requests were given up`,
            ),
          ),
        RUN_GRACE_MS,
      );
    }, runDeadlineMs);
    const engine = loadEngine().then(({ runSync }) =>
      runSync(options, { force, signal: controller.signal }),
    );
    return Promise.race([engine, stuck]).finally(() => {
      timers.clear(deadline);
      if (grace !== undefined) timers.clear(grace);
    });
  };

  const run = (force: boolean): Promise<SyncOutcome | undefined> => {
    if (inFlight !== undefined) {
      again = { force: force || (again?.force ?? false) };
      return inFlight;
    }
    publish({ ...status, running: true });
    inFlight = (async () => {
      let outcome: SyncOutcome | undefined;
      // A failure of the tablet's own (storage, or a run that would not end): not kept in the
      // store, so it is laid over the status read after the run.
      let failure: string | undefined;
      let pass: { force: boolean } | undefined = { force };
      try {
        while (pass !== undefined) {
          again = undefined;
          try {
            outcome = await attempt(pass.force);
            failure = undefined;
          } catch (error) {
            // A storage failure, not the network's: reported, and tried again later.
            failure = error instanceof Error ? error.message : String(error);
            publish({ ...status, lastError: failure, lastErrorKind: 'storage' });
          }
          pass = again;
        }
      } finally {
        inFlight = undefined;
        const withFailure = (next: SyncStatus): SyncStatus => {
          if (failure === undefined) return next;
          // The HTTP status of an earlier failure would be read as this one's.
          const { lastErrorStatus, ...rest } = next;
          const base = lastErrorStatus === undefined ? next : rest;
          return { ...base, lastError: failure, lastErrorKind: 'storage' };
        };
        const ended = withFailure({
          ...status,
          running: false,
          runs: status.runs + 1,
          ...(outcome === undefined ? {} : { lastOutcome: outcome }),
        });
        // Not running any more, at once: the status read below goes through the database, which
        // may be what held the run.
        publish(ended);
        publish(
          withFailure(
            await readStatus(store, {
              running: false,
              runs: ended.runs,
              ...(outcome === undefined ? {} : { lastOutcome: outcome }),
            }).catch(() => ended),
          ),
        );
        schedule();
      }
      return outcome;
    })();
    return inFlight;
  };

  return {
    async start() {
      started = true;
      await refresh();
      const until = status.nextAttemptAt === undefined ? NaN : Date.parse(status.nextAttemptAt);
      if (!Number.isNaN(until) && until > now().getTime()) schedule();
      else await run(false);
    },
    stop() {
      started = false;
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
    },
    online: () => run(true),
    syncNow: () => run(true),
    refresh: async () => {
      await refresh();
      // Arms the timer if none is (after enrolment); never pushes back one already armed.
      if (inFlight === undefined && timer === undefined) schedule();
    },
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
