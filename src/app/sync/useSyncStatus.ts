// The sync scheduler's status in React: a subscription to its external store.
import { useSyncExternalStore } from 'react';
import type { SyncScheduler, SyncStatus } from './scheduler.ts';

export function useSyncStatus(scheduler: SyncScheduler): SyncStatus {
  return useSyncExternalStore(scheduler.subscribe, scheduler.getStatus);
}
