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
 * Asks for persistent storage (the browser may grant it silently, prompt, or refuse), then
 * reports the status. Call it once the interviewer has interacted with the app: some browsers
 * only grant it then.
 */
export async function requestPersistentStorage(
  storage: StorageManagerLike | undefined = browserStorage(),
): Promise<StorageStatus> {
  if (storage === undefined) return { persisted: null, usage: null, quota: null };
  const persisted = await ask(storage.persist?.bind(storage));
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
