// The service worker, registered as the page starts (main.tsx), before the lock screen: a tablet
// that has just opened the app's address is ready offline whether or not its PIN is typed yet. The
// app's screens read the worker's state (a new version waiting, offline-ready) through a hook.
import { useSyncExternalStore } from 'react';
import { registerSW } from 'virtual:pwa-register';
import type { UpdateState } from './UpdatePrompt.tsx';

interface WorkerState {
  /** A new version of the app is installed and waits for a reload. */
  readonly needRefresh: boolean;
  /** The app is stored for offline use (shown once after the first install). */
  readonly offlineReady: boolean;
}

let state: WorkerState = { needRefresh: false, offlineReady: false };
const listeners = new Set<() => void>();
let updateWorker: ((reloadPage?: boolean) => Promise<void>) | undefined;

function setState(change: Partial<WorkerState>): void {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

/** Registers the worker once; later calls do nothing. */
export function startServiceWorker(): void {
  updateWorker ??= registerSW({
    onNeedRefresh: () => setState({ needRefresh: true }),
    onOfflineReady: () => setState({ offlineReady: true }),
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The worker's state, and what activates the waiting version (then reloads the page). */
export function useServiceWorker(): UpdateState {
  const current = useSyncExternalStore(subscribe, () => state);
  return {
    ...current,
    update: () => void updateWorker?.(true),
    dismissOfflineReady: () => setState({ offlineReady: false }),
  };
}
