// `npm run admin`: making an admin and giving a new one-time link from the command line, on the
// database `npm start` opens, including the way back in when the last admin lost their password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { ADMIN_USAGE, runAdminCommand } from '../../../src/server/admin-command.ts';
import { openStore } from '../../../src/server/store/index.ts';

const AT = '2026-11-23T10:00:00.000Z';

describe('npm run admin', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A database file, and the command run on it (as `npm start` would open it) with its output. */
  function setup(extra: NodeJS.ProcessEnv = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'smpg-admin-'));
    dirs.push(dir);
    const env: NodeJS.ProcessEnv = { SQLITE_PATH: join(dir, 'smpg.sqlite'), ...extra };
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runAdminCommand(args, {
        env,
        now: () => new Date(AT),
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const open = () => openStore({ sqlitePath: env['SQLITE_PATH'] ?? '' });
    return { env, run, open };
  }

  /** The token of the link printed by the command. */
  const tokenIn = (text: string) => /#link=(lnk_[A-Za-z0-9_-]+)/.exec(text)?.[1];

  it('says how to use it, and exits 2 on wrong usage', async () => {
    const { run } = setup();
    for (const args of [[], ['make-admin', 'x'], ['create-admin'], ['reset-password', 'a', 'b']]) {
      const answer = await run(...args);
      expect(answer.code, args.join(' ')).toBe(2);
      expect(answer.err).toContain(ADMIN_USAGE);
      expect(answer.out).toBe('');
    }
    const bad = await run('create-admin', 'a b');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('not a user name');
    expect(await run('--help')).toMatchObject({ code: 0, out: ADMIN_USAGE });
  });

  it('creates an admin whose printed link sets their password, at PUBLIC_URL', async () => {
    const { run, open } = setup({ PUBLIC_URL: 'https://smpg.example.org/' });
    const answer = await run('create-admin', 'claire');
    expect(answer.code).toBe(0);
    expect(answer.out).toContain('Admin claire created.');
    expect(answer.out).toMatch(/https:\/\/smpg\.example\.org\/dashboard\/#link=lnk_/);
    const token = tokenIn(answer.out);
    const store = await open();
    try {
      expect(await store.getUser('claire')).toMatchObject({
        admin: true,
        grants: [],
        passwordHash: null,
      });
      const app = await buildApp({ store, now: () => new Date(AT) });
      const set = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/link',
        payload: { token, password: 'le mot de passe de Claire' },
      });
      expect(set.statusCode).toBe(204);
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'claire', password: 'le mot de passe de Claire' },
      });
      expect(login.json()).toMatchObject({ username: 'claire', admin: true });
      await app.close();
    } finally {
      await store.close();
    }
  });

  it('makes an existing user admin, keeping their roles', async () => {
    const { run, open } = setup({ HOST: '0.0.0.0', PORT: '9000' });
    const store = await open();
    const grants = [{ site: 'lille', role: 'coordinator' as const }];
    await createUser(store, 'coord', 'a password', { admin: false, grants }, AT);
    await store.close();
    const answer = await run('create-admin', 'coord');
    expect(answer.code).toBe(0);
    expect(answer.out).toContain('coord is now an admin');
    // Without PUBLIC_URL: the address `npm start` listens on.
    expect(answer.out).toContain('http://0.0.0.0:9000/dashboard/#link=lnk_');
    const reopened = await open();
    try {
      expect(await reopened.getUser('coord')).toMatchObject({ admin: true, grants });
      // Their password still works until the link is used.
      expect((await reopened.getUser('coord'))?.passwordHash).toMatch(/^scrypt\$/);
    } finally {
      await reopened.close();
    }
  });

  it('gives the last admin, who lost their password, a new link; the older one stops working', async () => {
    const { run, open } = setup();
    const store = await open();
    await createUser(store, 'admin', 'a forgotten password', { admin: true, grants: [] }, AT);
    await store.close();
    expect(await run('reset-password', 'nobody')).toMatchObject({ code: 1 });
    const first = tokenIn((await run('reset-password', 'admin')).out);
    const second = await run('reset-password', 'admin');
    expect(second.code).toBe(0);
    expect(second.out).toContain('http://127.0.0.1:8080/dashboard/#link=lnk_');
    const token = tokenIn(second.out);
    expect(token).not.toBe(first);
    const reopened = await open();
    try {
      const app = await buildApp({ store: reopened, now: () => new Date(AT) });
      const info = async (value: string | undefined) =>
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/link/info',
            payload: { token: value },
          })
        ).statusCode;
      expect(await info(first)).toBe(401);
      expect(await info(token)).toBe(200);
      await app.close();
    } finally {
      await reopened.close();
    }
  });
});
