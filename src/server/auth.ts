// Secrets on the server: passwords hashed with scrypt, bearer tokens and one-time codes stored
// only as SHA-256 hashes, compared in constant time.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: 16384, r: 8, p: 1 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$<salt hex>$<hash hex>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || saltHex === undefined || hashHex === undefined) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A random bearer token with a prefix saying what it is for (`dev_`, `ses_`). */
export function newToken(prefix: 'dev' | 'ses'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time enrolment code easy to type on a tablet: `ABCD-2345` (no 0/O, 1/I). */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length] ?? 'A');
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/**
 * Whether `JSON.stringify(value)` is already the canonical form of `value`: every object's keys
 * come in sorted order (JSON.stringify writes them in `Object.keys` order), every object is a
 * plain one (no `toJSON`), and nothing is written differently by the two (no undefined in an
 * array, no function, symbol or bigint).
 */
function isInCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const entry: unknown = value[i];
          if (entry === undefined || !isInCanonicalOrder(entry)) return false;
        }
        return true;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return false;
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        if (i > 0 && !((keys[i - 1] as string) < key)) return false;
        const entry = object[key];
        if (entry !== undefined && !isInCanonicalOrder(entry)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** JSON with object keys sorted at every level: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  // Written as loops over strings: it runs on every uploaded record (figure 7 of the benchmark).
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? '';
  if (Array.isArray(value)) {
    // A multiple choice's codes: nothing inside to sort.
    if (value.every((entry) => typeof entry === 'string')) return JSON.stringify(value);
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // A record's answers, as tablets write them (ids sorted): the native writer does it all.
  if (isInCanonicalOrder(object)) return JSON.stringify(object);
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const entry = object[key];
    if (entry === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(entry)}`;
  }
  return `${out}}`;
}
