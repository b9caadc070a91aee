// The outbox rules, as pure functions: which interviews leave the device, how they are cut into
// batches the server accepts, and how long to wait after a failed upload.
import type { InterviewRecord, InterviewStatus, InterviewSync } from '../storage/index.ts';

/**
 * The ends that leave the device: completed, screened out, and broken off (stopped after consent:
 * a partial record, so that its answers and alerts reach the team whatever happens next).
 */
export function isOutgoingStatus(status: InterviewStatus): boolean {
  return status === 'completed' || status === 'screened_out' || status === 'broken_off';
}

/** Interviews of those ends leave the device; practice ones never do. */
export function isOutgoing(record: InterviewRecord): boolean {
  return isOutgoingStatus(record.status) && !record.practice;
}

/**
 * Where an interview's upload stands: its sync state, or `local` for what never leaves the
 * device (practice, drafts, abandoned).
 */
export function syncStateOf(record: InterviewRecord): InterviewSync['state'] | 'local' {
  if (!isOutgoing(record)) return 'local';
  return record.sync?.state ?? 'waiting';
}

/** Waiting to be sent: outgoing and not answered for good (sent, refused, conflict). */
export function isWaiting(record: InterviewRecord): boolean {
  return syncStateOf(record) === 'waiting';
}

/**
 * Cuts sized items into batches, in order: at most `maxRecords` per batch, and at most `maxBytes`
 * for the items' sizes plus one separator between two items plus `overhead` (the envelope).
 * An item too big to go even alone is returned apart, in `tooBig`.
 */
export function cutBatches<T>(
  items: readonly { readonly item: T; readonly bytes: number }[],
  limits: { readonly maxRecords: number; readonly maxBytes: number; readonly overhead: number },
): { batches: T[][]; tooBig: T[] } {
  const batches: T[][] = [];
  const tooBig: T[] = [];
  let current: T[] = [];
  let size = limits.overhead;
  for (const { item, bytes } of items) {
    if (limits.overhead + bytes > limits.maxBytes) {
      tooBig.push(item);
      continue;
    }
    const added = (current.length === 0 ? 0 : 1) + bytes;
    if (current.length >= limits.maxRecords || size + added > limits.maxBytes) {
      batches.push(current);
      current = [];
      size = limits.overhead;
    }
    size += (current.length === 0 ? 0 : 1) + bytes;
    current.push(item);
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooBig };
}

export interface BackoffPolicy {
  /** The ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** No delay is ever longer. */
  readonly capMs: number;
}

/** About 5 s after the first failure, doubling, never more than 5 minutes. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 5 * 60_000 };

/**
 * Exponential backoff with full jitter: after the n-th failure in a row (n >= 1), a delay drawn
 * uniformly in [0, min(cap, base x 2^(n-1))). Jitter spreads the tablets of a site that all come
 * back online at once; `random` is injected (Math.random in the app).
 */
export function backoffDelayMs(
  failures: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  if (failures <= 0) return 0;
  // 2^(n-1) overflows to Infinity for huge n; min() then gives the cap, as it should.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (failures - 1));
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(draw * ceiling);
}
