// What the server logs: every refused request as a warning with its route and address, refused
// records with their reasons; never a password, a token or a query string (an enrolment link's
// one-time code).
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-06-20T10:00:00.000Z';
const sqlite = STORE_BACKENDS.find((backend) => backend.name === 'SQLite');

describe('the server’s log', () => {
  let app: FastifyInstance;
  let store: ServerStore;
  let cleanup: () => Promise<void>;
  const lines: string[] = [];

  beforeAll(async () => {
    if (sqlite === undefined) throw new Error('no SQLite backend');
    ({ store, cleanup } = await sqlite.open());
    await store.migrate();
    await store.createSite({
      id: 'lille',
      name: 'Lille',
      plan: null,
      shortInterviewSeconds: 600,
      createdAt: AT,
    });
    await createUser(
      store,
      'coord',
      'the-right-password',
      { admin: false, grants: [{ site: 'lille', role: 'coordinator' }] },
      AT,
    );
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n')));
    app = await buildApp({ store, now: () => new Date(AT), logStream: stream });
  });

  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  const logged = () =>
    lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

  it('warns of refused requests, without passwords, tokens or query strings', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'coord', password: 'a-wrong-guess' },
    });
    await app.inject({
      method: 'GET',
      url: '/api/v1/sites/lille/devices?enrol=ABCD-2345',
      headers: { authorization: 'Bearer ses_a-stolen-token' },
    });
    const entries = logged();
    const refusals = entries.filter((entry) => entry['event'] === 'refused_request');
    expect(refusals).toEqual([
      expect.objectContaining({ status: 401, method: 'POST', route: '/api/v1/auth/login' }),
      expect.objectContaining({ status: 401, route: '/api/v1/sites/:site/devices' }),
    ]);
    expect(
      refusals.every((entry) => entry['level'] === 40 && typeof entry['ip'] === 'string'),
    ).toBe(true);
    const text = lines.join('\n');
    expect(text).toContain('/api/v1/sites/lille/devices');
    for (const secret of ['a-wrong-guess', 'the-right-password', 'ABCD-2345', 'a-stolen-token'])
      expect(text).not.toContain(secret);
  });

  it('logs what an admin does, and who did it, never the link it made', async () => {
    await createUser(store, 'boss', 'the-admin-password', { admin: true, grants: [] }, AT);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'boss', password: 'the-admin-password' },
    });
    const authorization = `Bearer ${(login.json() as { token: string }).token}`;
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization },
      payload: { username: 'newcomer', admin: false, grants: [{ site: 'lille', role: 'analyst' }] },
    });
    expect(made.statusCode).toBe(201);
    const closed = await app.inject({
      method: 'PUT',
      url: '/api/v1/sites/lille/closed',
      headers: { authorization },
      payload: { closed: true },
    });
    expect(closed.statusCode).toBe(204);
    const acts = logged().filter((entry) => entry['by'] === 'boss');
    expect(acts).toEqual([
      expect.objectContaining({ event: 'user_created', username: 'newcomer', level: 30 }),
      expect.objectContaining({ event: 'site_closed', site: 'lille', level: 30 }),
    ]);
    const text = lines.join('\n');
    expect(text).not.toContain((made.json() as { token: string }).token);
    expect(text).not.toContain('the-admin-password');
  });
});
