// What the lock screen shows before the database is open: whether the tablet has a key (a PIN to
// type, or one to choose) and in which language, kept in localStorage, which is read at once. It
// says nothing of the interviews; the database has the last word once it is open.

const KEY = 'smpg-lock-hint';

export interface LockHint {
  /** The tablet's key has been made: the lock asks for the PIN. */
  readonly hasKey: boolean;
  readonly language: 'fr' | 'en';
}

/** No hint yet (a first start, or storage cleared): a PIN to choose, in French. */
export const FIRST_START: LockHint = { hasKey: false, language: 'fr' };

/** The part of `localStorage` used here. */
type HintStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function readLockHint(storage: HintStorage): LockHint {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return FIRST_START;
    const { hasKey, language } = value as Record<string, unknown>;
    return {
      hasKey: hasKey === true,
      language: language === 'en' ? 'en' : 'fr',
    };
  } catch {
    return FIRST_START;
  }
}

/** Quiet on failure (storage full or refused): the next start guesses until its database opens. */
export function writeLockHint(storage: HintStorage, hint: LockHint): void {
  try {
    storage.setItem(KEY, JSON.stringify(hint));
  } catch {
    // Nothing to do: the hint only saves time.
  }
}
