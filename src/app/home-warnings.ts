// What the home screen warns about before anything is lost, as pure rules with the clock passed in:
// interviews waiting unsent for more than a day, storage nearly full, and (in Safari, not
// installed) data the browser deletes when the app goes unused; and the note of the app's last use.
import type { InterviewRecord, StorageStatus } from './storage/index.ts';
import { bytesLeft, isNearlyFull } from './storage/index.ts';
import { isWaiting } from './sync/outbox.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** An interview waiting longer than this after its end is worth a warning. */
export const UNSENT_WARNING_MS = DAY;
/**
 * A previous use longer ago than this, in Safari not installed, is a tablet left unused: Safari
 * deletes after 7 days of use of the browser without a visit, a count the app cannot see (it is
 * not told how the browser was used meanwhile), so warn well before.
 */
export const IDLE_WARNING_DAYS = 3;

export type HomeWarning =
  /** `count` interviews ended more than a day ago and still wait to be sent. */
  | { readonly kind: 'unsent'; readonly count: number; readonly oldestEndedAt: string }
  /** Storage nearly full; `left` bytes before the quota. */
  | { readonly kind: 'storage_full'; readonly left: number }
  /**
   * Safari (or iOS), not installed: the browser may delete everything after days unused. Always
   * said there; `idleDays`, when the app had not been opened for more than IDLE_WARNING_DAYS.
   */
  | { readonly kind: 'unused_deletion'; readonly idleDays: number | undefined };

export interface HomeWarningInput {
  readonly now: Date;
  /** Enrolled with a server: without one, nothing is ever sent, so nothing "waits". */
  readonly enrolled: boolean;
  readonly interviews: readonly InterviewRecord[];
  readonly storage: StorageStatus | undefined;
  /** The browser deletes the data of an app left unused (`evictsUnusedData`). */
  readonly evictsUnused: boolean;
  /** The app's use before this one (`recordUse`), ISO; undefined on the first. */
  readonly previousUse: string | undefined;
}

/** The warnings to show, most pressing first. */
export function homeWarnings(input: HomeWarningInput): HomeWarning[] {
  const warnings: HomeWarning[] = [];
  const now = input.now.getTime();
  if (input.storage !== undefined && isNearlyFull(input.storage)) {
    warnings.push({ kind: 'storage_full', left: bytesLeft(input.storage) ?? 0 });
  }
  if (input.enrolled) {
    const late = input.interviews
      .filter((record) => isWaiting(record) && record.endedAt !== undefined)
      .map((record) => record.endedAt ?? '')
      .filter((endedAt) => now - Date.parse(endedAt) > UNSENT_WARNING_MS)
      .sort();
    const oldest = late[0];
    if (oldest !== undefined) {
      warnings.push({ kind: 'unsent', count: late.length, oldestEndedAt: oldest });
    }
  }
  if (input.evictsUnused) {
    const since = input.previousUse === undefined ? undefined : now - Date.parse(input.previousUse);
    const idleDays =
      since !== undefined && since > IDLE_WARNING_DAYS * DAY ? Math.floor(since / DAY) : undefined;
    warnings.push({ kind: 'unused_deletion', idleDays });
  }
  return warnings;
}

/** The part of `localStorage` and `sessionStorage` used here. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The time of the app's last use, kept on the device (deleted with the rest by Safari). */
export const LAST_USE_KEY = 'smpg-last-use';
/** In this session: the last use before it began ('' for none), read once at its start. */
export const PREVIOUS_USE_KEY = 'smpg-previous-use';

/**
 * Notes that the app is used now and returns its use before this session (a tab or an installed
 * app's run: a reload or a return home keeps the same answer), undefined on the first use. Storage
 * that throws (private browsing, full) reads as no previous use and keeps nothing.
 */
export function recordUse(
  local: KeyValueStore,
  session: KeyValueStore,
  now: Date,
): string | undefined {
  try {
    let previous = session.getItem(PREVIOUS_USE_KEY);
    if (previous === null) {
      previous = local.getItem(LAST_USE_KEY) ?? '';
      session.setItem(PREVIOUS_USE_KEY, previous);
    }
    local.setItem(LAST_USE_KEY, now.toISOString());
    return previous === '' || Number.isNaN(Date.parse(previous)) ? undefined : previous;
  } catch {
    return undefined;
  }
}
