// Secrets on the server: passwords hashed with scrypt at OWASP's cost, enrolment codes kept as an
// HMAC under a server secret, bearer tokens stored only as SHA-256 hashes, compared in constant time.
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP's Password Storage Cheat Sheet lists N=2^17, r=8, p=1 and rows of the same work with less
 * memory; this is its N=2^15, r=8, p=3 row: 32 MiB a hash instead of 128 MiB, so the hashes that
 * run at once (HASH_SLOTS) cannot take a small server's memory.
 */
export const PASSWORD_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

/** The cost of hashes written as `scrypt$<salt>$<hash>`, before the cost was kept in the string. */
const LEGACY_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

/** scrypt needs 128·N·r bytes (and a little more): room for PASSWORD_COST, refusal of absurd costs. */
const MAX_MEMORY = 64 * 1024 * 1024;

/**
 * scrypt runs in libuv's thread pool (4 threads), which file reads share: at most two hashes run
 * at once, so a flood of logins leaves threads to serve the app's files. Past MAX_WAITING the
 * server refuses at once (PasswordHashBusy) rather than keep every request waiting.
 */
const HASH_SLOTS = 2;
const MAX_WAITING = 64;

/** Thrown when too many passwords wait to be hashed: the caller answers 503 and asks to retry. */
export class PasswordHashBusy extends Error {
  constructor() {
    super('too many logins at once');
  }
}

/** The process-wide queue of password hashes (the thread pool is the process's). */
class HashQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= HASH_SLOTS) {
      if (this.waiting.length >= MAX_WAITING) throw new PasswordHashBusy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // The slot passes to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}

const hashes = new HashQueue();

/** How many scrypt hashes this process has computed (tests check that every login pays one). */
let scryptCalls = 0;
export function scryptCallCount(): number {
  return scryptCalls;
}

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return hashes.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scryptCalls += 1;
        scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: MAX_MEMORY }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

function costText(cost: ScryptCost): string {
  return `N=${cost.N},r=${cost.r},p=${cost.p}`;
}

/** The cost written in a stored hash, or undefined if it is not one this server writes. */
function parseCost(text: string): ScryptCost | undefined {
  const match = /^N=(\d{1,10}),r=(\d{1,3}),p=(\d{1,3})$/.exec(text);
  if (match === null) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // N a power of two above 1; r and p small: anything else was not written here.
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || p > 16) return undefined;
  return { N, r, p };
}

interface StoredHash {
  readonly cost: ScryptCost;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** `scrypt$N=…,r=…,p=…$<salt hex>$<hash hex>`, or the older `scrypt$<salt hex>$<hash hex>`. */
function parseStored(stored: string): StoredHash | undefined {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return undefined;
  const [cost, saltHex, hashHex] =
    parts.length === 3
      ? [LEGACY_COST, parts[1], parts[2]]
      : parts.length === 4
        ? [parseCost(parts[1] ?? ''), parts[2], parts[3]]
        : [undefined, undefined, undefined];
  if (cost === undefined || saltHex === undefined || hashHex === undefined) return undefined;
  const hex = /^(?:[0-9a-f]{2})+$/;
  if (!hex.test(saltHex) || !hex.test(hashHex)) return undefined;
  return { cost, salt: Buffer.from(saltHex, 'hex'), hash: Buffer.from(hashHex, 'hex') };
}

/** `scrypt$N=32768,r=8,p=3$<salt hex>$<hash hex>`: the cost travels with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, PASSWORD_COST);
  return `scrypt$${costText(PASSWORD_COST)}$${salt.toString('hex')}$${key.toString('hex')}`;
}

/**
 * A stored-hash look-alike at today's cost that no password matches (its hash is random bytes):
 * checking a login for an unknown user against it costs what a wrong password costs.
 */
export function dummyPasswordHash(): string {
  const salt = randomBytes(16).toString('hex');
  return `scrypt$${costText(PASSWORD_COST)}$${salt}$${randomBytes(KEY_LENGTH).toString('hex')}`;
}

/** Whether `password` matches `stored`; a stored value of another form never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (parsed === undefined) return false;
  const actual = await scryptAsync(password, parsed.salt, parsed.cost);
  return parsed.hash.length === actual.length && timingSafeEqual(parsed.hash, actual);
}

/** Whether a stored hash was made at another cost than today's (rehashed at the next login). */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  return (
    parsed === undefined ||
    parsed.cost.N !== PASSWORD_COST.N ||
    parsed.cost.r !== PASSWORD_COST.r ||
    parsed.cost.p !== PASSWORD_COST.p
  );
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What is stored of an enrolment code: an HMAC-SHA256 under the server secret. A code holds 40
 * bits; its bare SHA-256 in a copied database would give the code up to a few hours of guessing.
 */
export function enrolmentCodeHash(code: string, serverSecret: string): string {
  return createHmac('sha256', serverSecret).update(`enrolment-code:${code}`).digest('hex');
}

/** A new server secret: 256 random bits as text (the `SERVER_SECRET` file's content). */
export function newServerSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A random token with a prefix saying what it is for (`dev_`, `ses_`, one-time links' `lnk_`). */
export function newToken(prefix: 'dev' | 'ses' | 'lnk'): string {
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
  // Written as loops over strings: it runs on every uploaded record.
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
