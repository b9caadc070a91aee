// Asks the browser to keep the device's data (so that it does not evict answers that exist nowhere
// else when space runs short) and reports how much space is used and left, for the interviewer to
// see. Every call is guarded: an API the browser lacks reads as `null`, never throws.

/** The part of `navigator.storage` used here; each method may be missing in an older browser. */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

export interface StorageStatus {
  /** Whether the browser will keep the data under storage pressure; `null` when it cannot say. */
  readonly persisted: boolean | null;
  /** Bytes used by this origin, `null` when unknown. */
  readonly usage: number | null;
  /** Bytes this origin may use, `null` when unknown. */
  readonly quota: number | null;
}

/** Above this share of the quota used, storage is nearly full. */
export const NEARLY_FULL_SHARE = 0.8;
/** Below this many bytes left, storage is nearly full whatever the quota (a few days of work). */
export const NEARLY_FULL_LEFT_BYTES = 50 * 1024 * 1024;

function browserStorage(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

async function ask<T>(call: (() => Promise<T>) | undefined): Promise<T | null> {
  if (call === undefined) return null;
  try {
    return await call();
  } catch {
    return null;
  }
}

async function estimate(
  storage: StorageManagerLike,
): Promise<Pick<StorageStatus, 'usage' | 'quota'>> {
  const result = await ask(storage.estimate?.bind(storage));
  return { usage: result?.usage ?? null, quota: result?.quota ?? null };
}

/**
 * Asks for persistent storage unless the browser keeps the data already, then reports the status.
 * Call it from a user gesture (enrolling, starting an interview, the home screen's button), and at
 * every such gesture until it is granted: some browsers only grant it then (Firefox asks the
 * person, Chrome and Safari decide from how the site is used, an installed app most of all), and a
 * refusal today may be a grant tomorrow.
 */
export async function requestPersistentStorage(
  storage: StorageManagerLike | undefined = browserStorage(),
): Promise<StorageStatus> {
  if (storage === undefined) return { persisted: null, usage: null, quota: null };
  const already = await ask(storage.persisted?.bind(storage));
  const persisted = already === true ? true : await ask(storage.persist?.bind(storage));
  return { persisted, ...(await estimate(storage)) };
}

/** Reports whether storage is persistent and how much is used and available, without asking. */
export async function storageStatus(
  storage: StorageManagerLike | undefined = browserStorage(),
): Promise<StorageStatus> {
  if (storage === undefined) return { persisted: null, usage: null, quota: null };
  const persisted = await ask(storage.persisted?.bind(storage));
  return { persisted, ...(await estimate(storage)) };
}

/** Bytes left before the quota, `null` when usage or quota is unknown. */
export function bytesLeft(status: StorageStatus): number | null {
  return status.usage === null || status.quota === null
    ? null
    : Math.max(0, status.quota - status.usage);
}

/**
 * Nearly full: more than 80 % of the quota used, or less than 50 MB left. Unknown figures are not
 * a warning (a browser that does not say cannot be second-guessed).
 */
export function isNearlyFull(status: StorageStatus): boolean {
  const left = bytesLeft(status);
  if (left === null || status.usage === null || status.quota === null) return false;
  return status.usage > status.quota * NEARLY_FULL_SHARE || left < NEARLY_FULL_LEFT_BYTES;
}
