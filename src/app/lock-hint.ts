// What the lock screen shows before the database is open: whether the tablet has a key (a PIN to
// type, or one to choose) and in which language, kept in localStorage, which is read at once; and
// the salt and iteration count the PIN's key is derived under, so that deriving it starts as the
// PIN is sent, not once the database is open. It says nothing of the interviews nor of the PIN
// (the salt is in clear in the database too); the database has the last word once it is open.
import type { KeySalt } from './storage/vault.ts';

const KEY = 'smpg-lock-hint';

export interface LockHint {
  /** The tablet's key has been made: the lock asks for the PIN. */
  readonly hasKey: boolean;
  readonly language: 'fr' | 'en';
  /** What the key ring's PIN key was derived under when last read (a guess, like the rest). */
  readonly pin?: KeySalt;
}

/** No hint yet (a first start, or storage cleared): a PIN to choose, in French. */
export const FIRST_START: LockHint = { hasKey: false, language: 'fr' };

/** The part of `localStorage` used here. */
type HintStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** A salt as the hint keeps it (bytes in a JSON array), or undefined if it is not one. */
function saltOf(value: unknown): KeySalt | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { salt, iterations } = value as Record<string, unknown>;
  if (!Array.isArray(salt) || salt.length === 0 || salt.length > 64) return undefined;
  if (!salt.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) return undefined;
  if (!Number.isSafeInteger(iterations) || (iterations as number) < 1) return undefined;
  return { salt: Uint8Array.from(salt as number[]), iterations: iterations as number };
}

export function readLockHint(storage: HintStorage): LockHint {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return FIRST_START;
    const { hasKey, language, pin } = value as Record<string, unknown>;
    const salt = hasKey === true ? saltOf(pin) : undefined;
    return {
      hasKey: hasKey === true,
      language: language === 'en' ? 'en' : 'fr',
      ...(salt === undefined ? {} : { pin: salt }),
    };
  } catch {
    return FIRST_START;
  }
}

/** Quiet on failure (storage full or refused): the next start guesses until its database opens. */
export function writeLockHint(storage: HintStorage, hint: LockHint): void {
  const { hasKey, language, pin } = hint;
  const kept =
    pin === undefined
      ? { hasKey, language }
      : { hasKey, language, pin: { salt: [...pin.salt], iterations: pin.iterations } };
  try {
    storage.setItem(KEY, JSON.stringify(kept));
  } catch {
    // Nothing to do: the hint only saves time.
  }
}
