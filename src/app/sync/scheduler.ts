// When sync runs: at start, when the browser comes back online, on "Synchroniser maintenant",
// and every few minutes (sooner while backing off), never two runs at once. Its status is an
// external store React reads with useSyncExternalStore; it holds no DOM handle (main.tsx wires
// the `online` event and the timers are injected).
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

  const run = (force: boolean): Promise<SyncOutcome | undefined> => {
    if (inFlight !== undefined) {
      again = { force: force || (again?.force ?? false) };
      return inFlight;
    }
    publish({ ...status, running: true });
    inFlight = (async () => {
      let outcome: SyncOutcome | undefined;
      let pass: { force: boolean } | undefined = { force };
      try {
        while (pass !== undefined) {
          again = undefined;
          try {
            outcome = await (await loadEngine()).runSync(options, { force: pass.force });
          } catch (error) {
            // A storage failure, not the network's: reported, and tried again later.
            const message = error instanceof Error ? error.message : String(error);
            publish({ ...status, lastError: message, lastErrorKind: 'storage' });
          }
          pass = again;
        }
      } finally {
        inFlight = undefined;
        publish(
          await readStatus(store, {
            running: false,
            runs: status.runs + 1,
            ...(outcome === undefined ? {} : { lastOutcome: outcome }),
          }).catch(() => ({ ...status, running: false, runs: status.runs + 1 })),
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
