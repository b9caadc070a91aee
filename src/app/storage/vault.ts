// The tablet's key: what encrypts the interviews at rest (AES-GCM, WebCrypto), and the key ring
// that keeps it wrapped under the interviewer's PIN and under the coordinator's recovery code.
// Neither the PIN nor a key derived from it is ever stored: a copy of the database without the
// PIN gives ciphertext, salts and wrapped keys, nothing else.

/**
 * PBKDF2-HMAC-SHA256 iterations for a PIN: OWASP's 2023 figure. A 6-digit PIN still falls to an
 * offline search of a copied database in days on one core (faster on a GPU): the PIN and the
 * wrong-PIN erasure hold off someone holding the tablet, the encryption someone reading its disk.
 * A longer passphrase is accepted and is the answer for sites that need more.
 */
export const PIN_ITERATIONS = 600_000;

/** Wrong PINs in a row after which the interviews the server holds are erased from the tablet. */
export const MAX_PIN_FAILURES = 5;

/** Shortest PIN accepted (digits or any characters). */
export const MIN_PIN_LENGTH = 6;

/** The key ring as the database keeps it, in clear: nothing in it reveals an answer. */
export interface KeyRing {
  readonly key: 'keyring';
  readonly version: 1;
  /** The data key wrapped under the PIN: salt, IV and wrapped bytes. */
  readonly pin: WrappedKey;
  /** The data key wrapped under the recovery code (absent on rings made without one). */
  readonly recovery?: WrappedKey;
  /** The recovery code itself, sealed by the data key, until the server has it. */
  readonly recoveryCode?: Uint8Array;
  /** When the server acknowledged the recovery code. */
  readonly recoverySentAt?: string;
  /** Wrong PINs in a row since the last right one. */
  readonly failures: number;
  /** When the wrong PINs erased what the server holds (once per run of failures). */
  readonly erasedAt?: string;
  /** Past the erasure, no try before this time. */
  readonly notBefore?: string;
}

export interface WrappedKey {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly iv: Uint8Array;
  readonly wrapped: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A value's JSON, refusing what IndexedDB's structured clone refuses too (a function), so that a
 * sealed write fails where a plain one would rather than dropping part of the value.
 */
function json(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (typeof member === 'function' || typeof member === 'symbol')
      throw new DOMException(`a ${typeof member} cannot be stored`, 'DataCloneError');
    return member;
  });
}

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}

function random(bytes: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(bytes));
}

/** The key-encryption key of a secret (PIN or recovery code) under a salt. */
async function keyOf(secret: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey(
    'raw',
    encoder.encode(secret.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

async function wrap(dataKey: CryptoKey, secret: string): Promise<WrappedKey> {
  const salt = random(16);
  const iv = random(12);
  const kek = await keyOf(secret, salt, PIN_ITERATIONS);
  const wrapped = await subtle().wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv });
  return { salt, iterations: PIN_ITERATIONS, iv, wrapped: new Uint8Array(wrapped) };
}

/** The salt and iteration count a secret's key is derived under (those of a WrappedKey). */
export type KeySalt = Pick<WrappedKey, 'salt' | 'iterations'>;

/**
 * A PIN whose key-encryption key is being derived already, before the key ring is read (under
 * the salt and count the lock hint remembers of it), so that PBKDF2 runs on WebCrypto's thread
 * while the database opens. The key derived ahead is taken only for a ring with that same salt
 * and count; any other ring derives again. Holds the PIN until its check is over, no longer.
 */
export interface PinKey {
  keyFor(wrapped: KeySalt): Promise<CryptoKey>;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Starts deriving `pin`'s key under `ahead` (see PinKey); without it, derives on demand. */
export function derivePinKey(pin: string, ahead?: KeySalt): PinKey {
  if (ahead === undefined)
    return { keyFor: (wrapped) => keyOf(pin, wrapped.salt, wrapped.iterations) };
  const salt = new Uint8Array(ahead.salt);
  const { iterations } = ahead;
  const early = keyOf(pin, salt, iterations);
  // Awaited only for a ring that matches: a failure is otherwise nobody's to report.
  early.catch(() => undefined);
  return {
    keyFor: (wrapped) =>
      wrapped.iterations === iterations && sameBytes(wrapped.salt, salt)
        ? early
        : keyOf(pin, wrapped.salt, wrapped.iterations),
  };
}

/** The data key under `secret`, or `undefined` when the secret is not the one it was wrapped with. */
async function unwrap(
  key: WrappedKey,
  secret: string | PinKey,
  extractable: boolean,
): Promise<CryptoKey | undefined> {
  const kek =
    typeof secret === 'string'
      ? await keyOf(secret, key.salt, key.iterations)
      : await secret.keyFor(key);
  try {
    return await subtle().unwrapKey(
      'raw',
      new Uint8Array(key.wrapped),
      kek,
      { name: 'AES-GCM', iv: new Uint8Array(key.iv) },
      { name: 'AES-GCM', length: 256 },
      extractable,
      ['encrypt', 'decrypt'],
    );
  } catch (error) {
    // AES-GCM's tag does not match: another secret. Anything else is a real failure.
    if (error instanceof DOMException && error.name === 'OperationError') return undefined;
    throw error;
  }
}

/**
 * A recovery code: 100 random bits in base32 (no 0/1/8/9, no I/L/O confusion), in groups of
 * five, to be read over the phone.
 */
export function newRecoveryCode(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = random(20);
  const chars = [...bytes].map((byte) => alphabet[byte % 32] ?? 'A');
  return chars.map((c, i) => (i > 0 && i % 5 === 0 ? `-${c}` : c)).join('');
}

/** A recovery code as typed: upper case, groups joined by dashes whatever the spacing. */
export function normaliseRecoveryCode(typed: string): string {
  const chars = typed.toUpperCase().replace(/[^A-Z2-7]/g, '');
  return chars.replace(/(.{5})(?=.)/g, '$1-');
}

/**
 * Seals and opens values with the data key. The row's place (table and key) is bound to its
 * ciphertext as additional data: a sealed answer moved to another interview does not open.
 */
export class Vault {
  constructor(private readonly dataKey: CryptoKey) {}

  /** The data key, for a worker of this page (structured clone keeps it non-extractable). */
  get key(): CryptoKey {
    return this.dataKey;
  }

  /** 12 bytes of IV, then the ciphertext of the value's JSON. */
  async seal(place: string, value: unknown): Promise<Uint8Array> {
    const iv = random(12);
    const data = await subtle().encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(place) },
      this.dataKey,
      encoder.encode(json(value)),
    );
    const sealed = new Uint8Array(12 + data.byteLength);
    sealed.set(iv);
    sealed.set(new Uint8Array(data), 12);
    return sealed;
  }

  async open<T>(place: string, sealed: Uint8Array): Promise<T> {
    const data = await subtle().decrypt(
      { name: 'AES-GCM', iv: sealed.slice(0, 12), additionalData: encoder.encode(place) },
      this.dataKey,
      sealed.slice(12),
    );
    return JSON.parse(decoder.decode(data)) as T;
  }
}

export interface NewKeyRing {
  readonly ring: KeyRing;
  readonly vault: Vault;
  readonly recoveryCode: string;
}

/** A new data key, wrapped under the PIN and under a new recovery code. */
export async function createKeyRing(pin: string): Promise<NewKeyRing> {
  const dataKey = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, [
    'encrypt',
    'decrypt',
  ]);
  const recoveryCode = newRecoveryCode();
  const [wrappedPin, wrappedRecovery] = await Promise.all([
    wrap(dataKey, pin),
    wrap(dataKey, recoveryCode),
  ]);
  const vault = new Vault(dataKey);
  const ring: KeyRing = {
    key: 'keyring',
    version: 1,
    pin: wrappedPin,
    recovery: wrappedRecovery,
    recoveryCode: await vault.seal('keyring:recovery', recoveryCode),
    failures: 0,
  };
  return { ring, vault, recoveryCode };
}

/** The vault the PIN opens (typed, or its key derived ahead), or `undefined` for a wrong PIN. */
export async function unlockWithPin(
  ring: KeyRing,
  pin: string | PinKey,
): Promise<Vault | undefined> {
  const dataKey = await unwrap(ring.pin, pin, false);
  return dataKey === undefined ? undefined : new Vault(dataKey);
}

/**
 * With the recovery code the coordinator read out: the ring with the data key wrapped under a new
 * PIN, and the vault; `undefined` for a wrong code.
 */
export async function recoverWithCode(
  ring: KeyRing,
  code: string,
  newPin: string,
): Promise<{ ring: KeyRing; vault: Vault } | undefined> {
  if (ring.recovery === undefined) return undefined;
  const dataKey = await unwrap(ring.recovery, normaliseRecoveryCode(code), true);
  if (dataKey === undefined) return undefined;
  const pin = await wrap(dataKey, newPin);
  const { failures: _failures, erasedAt: _erasedAt, notBefore: _notBefore, ...rest } = ring;
  void _failures;
  void _erasedAt;
  void _notBefore;
  return { ring: { ...rest, pin, failures: 0 }, vault: new Vault(dataKey) };
}

/** The recovery code kept sealed in the ring, until the server has it. */
export async function recoveryCodeOf(ring: KeyRing, vault: Vault): Promise<string | undefined> {
  if (ring.recoveryCode === undefined) return undefined;
  return vault.open<string>('keyring:recovery', ring.recoveryCode);
}
