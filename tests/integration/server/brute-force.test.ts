// Guessing passwords and enrolment codes is slowed, then stopped, and what the database keeps of
// a secret gives nothing away: rate limits by address (X-Forwarded-For only from a configured
// proxy), by account and overall; the lockout; unknown users costing a hash; keyed enrolment
// codes; password hashes at today's cost; device tokens that expire and are renewed; logout
// everywhere; expired sessions purged. On a real SQLite file, and PostgreSQL where the store acts.
import { createHmac, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../../src/server/app.ts';
import { buildApp } from '../../../src/server/app.ts';
import { hashPassword, scryptCallCount, sha256 } from '../../../src/server/auth.ts';
import { bootstrap, serverSecret, trustedProxies } from '../../../src/server/main.ts';
import { PostgresStore } from '../../../src/server/store/postgres-store.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { freshDatabase, startPostgres } from '../../helpers/postgres.ts';
import type { PostgresServer } from '../../helpers/postgres.ts';

const SECRET = 'the test server secret, longer than 32 characters';
const AT = '2026-05-04T08:00:00.000Z';
const PASSWORD = 'right-password';
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

/** One hash at today's cost, given to every user: tests create many users, each costs nothing. */
let passwordHash = '';

let postgres: PostgresServer | undefined;
const folders: string[] = [];

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
  postgres = await startPostgres();
}, 180_000);

afterAll(async () => {
  await postgres?.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

type Backend = 'SQLite' | 'PostgreSQL';

async function openStore(backend: Backend): Promise<ServerStore> {
  if (backend === 'PostgreSQL') {
    if (postgres === undefined) throw new Error('PostgreSQL did not start');
    return new PostgresStore(await freshDatabase(postgres));
  }
  const folder = mkdtempSync(join(tmpdir(), 'smpg-brute-'));
  folders.push(folder);
  return new SqliteStore(join(folder, 'smpg.sqlite'));
}

interface Answer {
  readonly status: number;
  readonly body: { error?: string; message?: string; token?: string; [key: string]: unknown };
  readonly headers: Record<string, string | string[] | number | undefined>;
}

interface World {
  readonly app: FastifyInstance;
  readonly store: ServerStore;
  /** Moves the server's clock (the lockout's and the tokens'; rate-limit windows use real time). */
  advance(ms: number): void;
  call(
    method: 'GET' | 'POST',
    url: string,
    options?: {
      readonly token?: string;
      readonly body?: unknown;
      readonly from?: string;
      readonly headers?: Record<string, string>;
    },
  ): Promise<Answer>;
  login(username: string, password: string, from?: string): Promise<Answer>;
  close(): Promise<void>;
}

/** A fresh store (site lille, users coord and victim) and a server on it, its clock at AT. */
async function world(
  backend: Backend,
  options: Partial<Omit<AppOptions, 'store' | 'now'>> = {},
): Promise<World> {
  const store = await openStore(backend);
  await store.migrate();
  await store.createSite({
    id: 'lille',
    name: 'Lille',
    plan: null,
    shortInterviewSeconds: 600,
    createdAt: AT,
  });
  for (const username of ['coord', 'victim'])
    await store.createUser({
      username,
      passwordHash,
      admin: false,
      grants: [{ site: 'lille', role: 'coordinator' }],
      createdAt: AT,
    });
  let time = Date.parse(AT);
  const app = await buildApp({
    store,
    now: () => new Date(time),
    serverSecret: SECRET,
    ...options,
  });
  const call: World['call'] = async (method, url, request = {}) => {
    const response = await app.inject({
      method,
      url,
      remoteAddress: request.from ?? '127.0.0.1',
      headers: {
        ...request.headers,
        ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }),
      },
      ...(request.body === undefined ? {} : { payload: request.body as Record<string, unknown> }),
    });
    return {
      status: response.statusCode,
      body: response.body === '' ? {} : (response.json() as Answer['body']),
      headers: response.headers,
    };
  };
  return {
    app,
    store,
    advance: (ms) => {
      time += ms;
    },
    call,
    login: (username, password, from) =>
      call('POST', '/api/v1/auth/login', {
        body: { username, password },
        ...(from === undefined ? {} : { from }),
      }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** A fresh enrolment code of site lille, from the API, and the coordinator's session. */
async function newCode(w: World): Promise<{ code: string; session: string }> {
  const login = await w.login('coord', PASSWORD);
  expect(login.status).toBe(200);
  const session = login.body.token ?? '';
  const made = await w.call('POST', '/api/v1/sites/lille/enrolment-codes', { token: session });
  expect(made.status).toBe(200);
  return { code: String(made.body['code']), session };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('rate limits on a SQLite file', () => {
  it('answers a login flood from one address with 429 and Retry-After, other addresses not', async () => {
    const w = await world('SQLite', { authLimits: { loginsPerAddress: 3 } });
    try {
      // Malformed bodies count too: the limit is checked before the body is read.
      for (let i = 0; i < 3; i += 1)
        expect((await w.call('POST', '/api/v1/auth/login', { body: {} })).status).toBe(400);
      const limited = await w.login('coord', PASSWORD);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.body).toEqual({
        error: 'rate_limited',
        message: expect.stringMatching(/too many login attempts from this address: retry in \d+ s/),
      });
      // Another address logs in; the flooding one still reaches the rest of the API.
      expect((await w.login('coord', PASSWORD, '198.51.100.7')).status).toBe(200);
      expect((await w.call('GET', '/api/v1/health')).status).toBe(200);
    } finally {
      await w.close();
    }
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const proxied = await world('SQLite', {
      authLimits: { loginsPerAddress: 2 },
      trustProxy: trustedProxies({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }),
    });
    const direct = await world('SQLite', { authLimits: { loginsPerAddress: 2 } });
    try {
      const from = (address: string) => ({ body: {}, headers: { 'x-forwarded-for': address } });
      for (let i = 0; i < 2; i += 1)
        expect((await proxied.call('POST', '/api/v1/auth/login', from('203.0.113.5'))).status).toBe(
          400,
        );
      expect((await proxied.call('POST', '/api/v1/auth/login', from('203.0.113.5'))).status).toBe(
        429,
      );
      // Behind the proxy, another client is another address.
      expect((await proxied.call('POST', '/api/v1/auth/login', from('203.0.113.6'))).status).toBe(
        400,
      );
      // Without TRUST_PROXY the header is ignored: the socket's address is the one limited.
      for (let i = 0; i < 2; i += 1)
        expect(
          (await direct.call('POST', '/api/v1/auth/login', from(`203.0.113.${i}`))).status,
        ).toBe(400);
      expect((await direct.call('POST', '/api/v1/auth/login', from('203.0.113.9'))).status).toBe(
        429,
      );
    } finally {
      await proxied.close();
      await direct.close();
    }
  });

  it('limits the attempts on one account from many addresses, without hashing the refused ones', async () => {
    const w = await world('SQLite', { authLimits: { loginsPerAccount: 2 } });
    try {
      expect((await w.login('victim', 'guess-1', '198.51.100.1')).status).toBe(401);
      expect((await w.login('victim', 'guess-2', '198.51.100.2')).status).toBe(401);
      const hashed = scryptCallCount();
      const third = await w.login('victim', PASSWORD, '198.51.100.3');
      expect(third.status).toBe(429);
      expect(third.body.error).toBe('rate_limited');
      expect(third.body.message).toMatch(/for this account/);
      expect(scryptCallCount()).toBe(hashed);
      // Another account is not held up.
      expect((await w.login('coord', PASSWORD, '198.51.100.3')).status).toBe(200);
    } finally {
      await w.close();
    }
  });

  it('limits enrolment attempts by address and overall', async () => {
    const w = await world('SQLite', {
      authLimits: { enrolmentsPerAddress: 3, enrolmentsOverall: 6 },
    });
    try {
      const guess = (from: string, code = 'ABCD-2345') =>
        w.call('POST', '/api/v1/devices/enrol', { body: { code }, from });
      for (let i = 0; i < 3; i += 1) expect((await guess('198.51.100.1')).status).toBe(401);
      const limited = await guess('198.51.100.1');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.body).toMatchObject({ error: 'rate_limited' });
      expect(limited.body.message).toMatch(/enrolment attempts/);
      // Another address may still try, until the overall limit: spreading guesses over
      // addresses does not multiply them.
      expect((await guess('198.51.100.2')).status).toBe(401);
      expect((await guess('198.51.100.3')).status).toBe(401);
      const overall = await guess('198.51.100.4');
      expect(overall.status).toBe(429);
      expect(overall.body.error).toBe('rate_limited');
    } finally {
      await w.close();
    }
  });
});

describe('a login flood', () => {
  it('leaves libuv threads free for file reads while passwords are hashed', async () => {
    const w = await world('SQLite', {
      authLimits: { loginsPerAddress: 1000, loginsPerAccount: 1000 },
    });
    try {
      // What ends first, in order: a hash takes ~0.2 s, a file read well under a millisecond.
      const ended: string[] = [];
      const flood = Array.from({ length: 8 }, (_, i) =>
        w.login(`flood-${i}`, 'guess').then((answer) => {
          ended.push('login');
          return answer;
        }),
      );
      // Eight hashes: were they all given the pool's four threads, a file read would wait until
      // one of them ends, after the first login's answer; two at a time leave it a thread, so
      // every read ends before any login does, however slow the machine (an order, not a time).
      for (let i = 0; i < 5; i += 1) {
        await readFile('package.json');
        ended.push('read');
      }
      expect((await Promise.all(flood)).map((answer) => answer.status)).toEqual(
        Array.from({ length: 8 }, () => 401),
      );
      expect(ended.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => 'read'));
    } finally {
      await w.close();
    }
  });
});

describe('configuration from the environment', () => {
  it('reads TRUST_PROXY as addresses and ranges, and refuses anything else', () => {
    expect(trustedProxies({})).toEqual([]);
    expect(trustedProxies({ TRUST_PROXY: ' 127.0.0.1 ,::1, 10.0.0.0/8,loopback ' })).toEqual([
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
      'loopback',
    ]);
    for (const wrong of ['true', '*', '10.0.0.0/33', '300.1.1.1', '10.0.0.1/8/2'])
      expect(() => trustedProxies({ TRUST_PROXY: wrong }), wrong).toThrow(/TRUST_PROXY/);
  });

  it('keeps the server secret in a 0600 file beside the SQLite file, or takes SERVER_SECRET', () => {
    const folder = mkdtempSync(join(tmpdir(), 'smpg-secret-'));
    folders.push(folder);
    const env = { SQLITE_PATH: join(folder, 'db', 'smpg.sqlite') };
    const first = serverSecret(env);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = join(folder, 'db', 'server-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The same secret at every start.
    expect(serverSecret(env)).toBe(first);
    expect(serverSecret({ ...env, SERVER_SECRET: SECRET })).toBe(SECRET);
    expect(() => serverSecret({ SERVER_SECRET: 'short' })).toThrow(/32 characters/);
  });
});

describe.each(['SQLite', 'PostgreSQL'] as const)('accounts and tokens on %s', (backend) => {
  it('locks an account after 5 failures from many addresses, says so, and unlocks after 15 min', async () => {
    // The lockout's defaults; the per-account rate limit out of the way.
    const w = await world(backend, { authLimits: { loginsPerAccount: 100 } });
    try {
      for (let i = 1; i <= 4; i += 1) {
        const failed = await w.login('victim', `guess-${i}`, `198.51.100.${i}`);
        expect(failed.status).toBe(401);
        expect(failed.body).toEqual({
          error: 'unauthorized',
          message: 'wrong user name or password',
        });
      }
      const fifth = await w.login('victim', 'guess-5', '198.51.100.5');
      expect(fifth.status).toBe(429);
      expect(fifth.headers['retry-after']).toBe('900');
      expect(fifth.body).toEqual({
        error: 'locked',
        message: 'too many failed logins: this account is locked for 15 min',
      });
      // Locked: even the right password is refused, without a hash computed.
      w.advance(10 * MINUTE);
      const hashed = scryptCallCount();
      const during = await w.login('victim', PASSWORD, '198.51.100.6');
      expect(during.status).toBe(429);
      expect(during.headers['retry-after']).toBe('300');
      expect(during.body.message).toBe('too many failed logins: this account is locked for 5 min');
      expect(scryptCallCount()).toBe(hashed);
      // Other accounts are not locked.
      expect((await w.login('coord', PASSWORD)).status).toBe(200);
      // The lock is in the database: a restarted server keeps it.
      const restarted = await buildApp({
        store: w.store,
        now: () => new Date(Date.parse(AT) + 14 * MINUTE),
        serverSecret: SECRET,
      });
      const afterRestart = await restarted.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'victim', password: PASSWORD },
      });
      expect(afterRestart.statusCode).toBe(429);
      await restarted.close();
      w.advance(5 * MINUTE + 1000);
      expect((await w.login('victim', PASSWORD)).status).toBe(200);
      // A success forgets the failures: four more do not lock.
      for (let i = 1; i <= 4; i += 1)
        expect((await w.login('victim', `again-${i}`, `198.51.100.${i}`)).status).toBe(401);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('stores enrolment codes keyed with the server secret, not as their SHA-256', async () => {
    const w = await world(backend);
    const other = await buildApp({
      store: w.store,
      now: () => new Date(AT),
      serverSecret: 'another secret, also longer than 32 characters',
    });
    try {
      const { code } = await newCode(w);
      const [stored] = await w.store.listEnrolmentCodes('lille', AT);
      expect(stored?.codeHash).not.toBe(sha256(code));
      expect(stored?.codeHash).toBe(
        createHmac('sha256', SECRET).update(`enrolment-code:${code}`).digest('hex'),
      );
      // A server with another secret cannot use the code; the right one can.
      const refused = await other.inject({
        method: 'POST',
        url: '/api/v1/devices/enrol',
        payload: { code },
      });
      expect(refused.statusCode).toBe(401);
      const enrolled = await w.call('POST', '/api/v1/devices/enrol', { body: { code } });
      expect(enrolled.status).toBe(200);
    } finally {
      await other.close();
      await w.close();
    }
  });

  it('verifies an old-format password hash and rehashes it at today’s cost', async () => {
    const w = await world(backend);
    try {
      const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
      const old = scryptSync('old-password', salt, 64, { N: 16384, r: 8, p: 1 });
      await w.store.createUser({
        username: 'legacy',
        passwordHash: `scrypt$${salt.toString('hex')}$${old.toString('hex')}`,
        admin: false,
        grants: [{ site: 'lille', role: 'analyst' }],
        createdAt: AT,
      });
      expect((await w.login('legacy', 'wrong-password')).status).toBe(401);
      expect((await w.store.getUser('legacy'))?.passwordHash).toMatch(/^scrypt\$[0-9a-f]+\$/);
      expect((await w.login('legacy', 'old-password')).status).toBe(200);
      const rehashed = (await w.store.getUser('legacy'))?.passwordHash ?? '';
      expect(rehashed).toMatch(/^scrypt\$N=32768,r=8,p=3\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
      expect((await w.login('legacy', 'old-password')).status).toBe(200);
      // Already at today's cost: not rehashed again.
      expect((await w.store.getUser('legacy'))?.passwordHash).toBe(rehashed);
    } finally {
      await w.close();
    }
  });

  it('renews a device token: the old one works until the new one is used, then stops', async () => {
    const w = await world(backend, { deviceTokenDays: 180 });
    try {
      const { code } = await newCode(w);
      const enrolled = await w.call('POST', '/api/v1/devices/enrol', { body: { code } });
      const first = enrolled.body.token ?? '';
      const fresh = await w.call('GET', '/api/v1/questionnaires', { token: first });
      expect(fresh.status).toBe(200);
      expect(fresh.headers['device-token-renewal']).toBeUndefined();
      // A sixth of its life later, every answer says a renewal is due.
      w.advance(31 * DAY);
      const due = await w.call('GET', '/api/v1/questionnaires', { token: first });
      expect(due.headers['device-token-renewal']).toBe('due');
      // A renewal whose answer is lost: the tablet asks again with the token it still has.
      const lost = await w.call('POST', '/api/v1/devices/token', { token: first });
      expect(lost.status).toBe(200);
      const renewed = await w.call('POST', '/api/v1/devices/token', { token: first });
      expect(renewed.status).toBe(200);
      expect(renewed.body['expiresAt']).toBe(new Date(Date.parse(AT) + 211 * DAY).toISOString());
      const second = renewed.body.token ?? '';
      expect(second).toMatch(/^dev_/);
      expect(second).not.toBe(first);
      // The old token still works, until the new one is first used.
      expect((await w.call('GET', '/api/v1/questionnaires', { token: first })).status).toBe(200);
      const used = await w.call('GET', '/api/v1/questionnaires', { token: second });
      expect(used.status).toBe(200);
      expect(used.headers['device-token-renewal']).toBeUndefined();
      const old = await w.call('GET', '/api/v1/questionnaires', { token: first });
      expect(old.status).toBe(401);
      // The renewal nobody received never works.
      expect(
        (await w.call('GET', '/api/v1/questionnaires', { token: lost.body.token ?? '' })).status,
      ).toBe(401);
      // A user cannot renew a device token.
      const login = await w.login('coord', PASSWORD);
      expect(
        (await w.call('POST', '/api/v1/devices/token', { token: login.body.token ?? '' })).status,
      ).toBe(403);
      // Past its 180 days, a token stops working.
      w.advance(181 * DAY);
      const expired = await w.call('GET', '/api/v1/questionnaires', { token: second });
      expect(expired.status).toBe(401);
      expect(expired.body.error).toBe('token_expired');
    } finally {
      await w.close();
    }
  });

  it('asks a tablet enrolled before tokens expired to renew, and keeps it working', async () => {
    const w = await world(backend);
    try {
      await w.store.createEnrolmentCode({
        codeHash: 'legacy-code',
        site: 'lille',
        createdBy: 'coord',
        expiresAt: '2026-05-05T00:00:00.000Z',
        createdAt: AT,
      });
      const token = 'dev_legacy-token';
      await w.store.enrolDevice(
        'legacy-code',
        {
          id: 'legacy-tablet',
          label: 'old',
          tokenHash: sha256(token),
          enrolledAt: AT,
          revokedAt: null,
          lastSyncAt: null,
          lastPending: null,
        },
        AT,
      );
      w.advance(400 * DAY);
      const answer = await w.call('GET', '/api/v1/sites/lille/quota', { token });
      expect(answer.status).toBe(200);
      expect(answer.headers['device-token-renewal']).toBe('due');
    } finally {
      await w.close();
    }
  });

  it('ends one session at logout, or every session of the user with { all: true }', async () => {
    const w = await world(backend);
    try {
      const sessions: string[] = [];
      for (let i = 0; i < 3; i += 1)
        sessions.push((await w.login('coord', PASSWORD)).body.token ?? '');
      const [one = '', two = '', three = ''] = sessions;
      const alive = async (token: string) =>
        (await w.call('GET', '/api/v1/sites', { token })).status;
      expect(
        (await w.call('POST', '/api/v1/auth/logout', { token: one, body: { all: 'yes' } })).status,
      ).toBe(400);
      expect((await w.call('POST', '/api/v1/auth/logout', { token: one })).status).toBe(204);
      expect(await alive(one)).toBe(401);
      expect(await alive(two)).toBe(200);
      expect(
        (await w.call('POST', '/api/v1/auth/logout', { token: two, body: { all: true } })).status,
      ).toBe(204);
      expect(await alive(two)).toBe(401);
      expect(await alive(three)).toBe(401);
    } finally {
      await w.close();
    }
  });

  it('purges expired sessions and unused expired codes at login', async () => {
    const w = await world(backend);
    try {
      const yesterday = '2026-05-03T08:00:00.000Z';
      await w.store.createSession({ tokenHash: 'gone', username: 'coord', expiresAt: AT });
      await w.store.createSession({
        tokenHash: 'kept',
        username: 'coord',
        expiresAt: '2026-05-04T09:00:00.000Z',
      });
      await w.store.createEnrolmentCode({
        codeHash: 'expired-code',
        site: 'lille',
        createdBy: 'coord',
        expiresAt: AT,
        createdAt: yesterday,
      });
      expect((await w.login('coord', PASSWORD)).status).toBe(200);
      expect(await w.store.getSession('gone')).toBeUndefined();
      expect(await w.store.getSession('kept')).toBeDefined();
      // Nothing left to cancel: the expired code is gone.
      expect(await w.store.deleteEnrolmentCode('lille', yesterday)).toBe(0);
    } finally {
      await w.close();
    }
  });
});

describe('no enumeration of accounts on a SQLite file', () => {
  it('makes an unknown user cost a hash, as a wrong password does', async () => {
    const w = await world('SQLite');
    try {
      const timed = async (username: string, password: string) => {
        const calls = scryptCallCount();
        const start = performance.now();
        const answer = await w.login(username, password);
        const ms = performance.now() - start;
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          error: 'unauthorized',
          message: 'wrong user name or password',
        });
        expect(scryptCallCount() - calls).toBe(1);
        return ms;
      };
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        unknown.push(await timed(`ghost-${i}`, 'guess'));
        wrong.push(await timed('victim', `guess-${i}`));
      }
      // Both pay a full hash; without it an unknown user would answer far sooner than a real one,
      // and the time would tell which user names exist.
      const ratio = median(unknown) / median(wrong);
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    } finally {
      await w.close();
    }
  });

  it('locks an unknown user name as it locks a real one', async () => {
    const w = await world('SQLite');
    try {
      const answers = [];
      for (let i = 1; i <= 5; i += 1) answers.push(await w.login('nobody', `guess-${i}`));
      expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 429]);
      expect(answers[4]?.body.error).toBe('locked');
    } finally {
      await w.close();
    }
  });

  it('stores the first start’s enrolment code keyed too', async () => {
    const store = await openStore('SQLite');
    await store.migrate();
    try {
      const lines = (await bootstrap(store, AT, SECRET)) ?? [];
      const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(lines.join('\n'))?.[1] ?? '';
      const [stored] = await store.listEnrolmentCodes('demo', AT);
      expect(stored?.codeHash).not.toBe(sha256(code));
      expect(stored?.codeHash).toBe(
        createHmac('sha256', SECRET).update(`enrolment-code:${code}`).digest('hex'),
      );
    } finally {
      await store.close();
    }
  });
});
