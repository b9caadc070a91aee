// Uploads sent gzipped (`Content-Encoding: gzip`, as the tablets send them), over real HTTP on a
// real store: stored as the same upload sent plain; a gzip bomb refused 413 before it is inflated,
// the server answering after; broken gzip refused 400; an unknown coding refused 415.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponseSchema, MAX_BATCH_BYTES } from '../../../src/core/protocol/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { demoDefinition, validRecord } from '../../helpers/api-world.ts';
import type { OpenedStore } from '../../helpers/stores.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-23T10:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

function describeCompressed(name: string, open: () => Promise<OpenedStore>, checkThreads = 0) {
  describe(`gzipped request bodies on ${name}`, () => {
    let app: FastifyInstance;
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    let base: string;
    let deviceToken: string;
    let deviceId: string;

    /** A request over the socket: `body` is sent as it is, with `encoding` if given. */
    const send = async (
      method: 'GET' | 'POST',
      path: string,
      options: { token?: string; body?: Buffer | string; encoding?: string } = {},
    ): Promise<Answer> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.encoding === undefined ? {} : { 'content-encoding': options.encoding }),
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
        ...(options.body === undefined
          ? {}
          : {
              body: typeof options.body === 'string' ? options.body : new Uint8Array(options.body),
            }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
    };
    const json = (value: unknown) => JSON.stringify(value);

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      await store.createSite({
        id: 'lille',
        name: 'Lille',
        plan: null,
        shortInterviewSeconds: 600,
        createdAt: AT,
      });
      await createUser(store, 'study', 'secret-study', { admin: true, grants: [] }, AT);
      app = await buildApp({
        store,
        now: () => new Date(AT),
        uploadsPerMinute: 1000,
        checkThreads,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
      // The login itself goes gzipped: every route takes a gzipped body.
      const login = await send('POST', '/auth/login', {
        body: gzipSync(json({ username: 'study', password: 'secret-study' })),
        encoding: 'gzip',
      });
      expect(login.status).toBe(200);
      const admin = (login.body as { token: string }).token;
      const published = await send('POST', '/questionnaires', {
        token: admin,
        body: json({ definition: demoDefinition, labelPacks: [] }),
      });
      expect(published.status).toBe(201);
      const code = await send('POST', '/sites/lille/enrolment-codes', { token: admin });
      const enrol = await send('POST', '/devices/enrol', {
        body: json({ code: (code.body as { code: string }).code, label: 'T1' }),
      });
      expect(enrol.status).toBe(200);
      ({ token: deviceToken, deviceId } = enrol.body as { token: string; deviceId: string });
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await cleanup?.();
    });

    it('stores a gzipped upload as the same upload sent plain', async () => {
      const records = [
        validRecord(uuid(1), 'lille', deviceId),
        validRecord(uuid(2), 'lille', deviceId),
      ];
      const body = json({ records, pending: 0 });
      const gzipped = gzipSync(body);
      expect(gzipped.length).toBeLessThan(body.length / 2);
      const first = await send('POST', '/records', {
        token: deviceToken,
        body: gzipped,
        encoding: 'gzip',
      });
      expect(first).toEqual({
        status: 200,
        body: {
          results: [
            { id: uuid(1), status: 'accepted' },
            { id: uuid(2), status: 'accepted' },
          ],
        },
      });
      // The same bytes sent plain (and as `identity`) are the records the server holds already.
      for (const encoding of [undefined, 'identity']) {
        const again = await send('POST', '/records', {
          token: deviceToken,
          body,
          ...(encoding === undefined ? {} : { encoding }),
        });
        expect(again.body).toEqual({
          results: [
            { id: uuid(1), status: 'duplicate' },
            { id: uuid(2), status: 'duplicate' },
          ],
        });
      }
      const stored = await store.getRecord(uuid(1));
      expect(JSON.parse(stored?.body ?? 'null')).toMatchObject({
        id: uuid(1),
        answers: records[0]?.answers,
      });
    });

    it('refuses a gzip bomb 413 without inflating it, and answers after', async () => {
      // 50 MB of zeros gzip to about 50 KB; 40 such members one after the other (gzip allows
      // it) are 2 GB in 2 MB: under the limit sent, far over it inflated.
      const member = gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 });
      const bomb = Buffer.concat(Array.from({ length: 40 }, () => member));
      expect(bomb.length).toBeLessThan(MAX_BATCH_BYTES);
      const started = performance.now();
      const answer = await send('POST', '/records', {
        token: deviceToken,
        body: bomb,
        encoding: 'gzip',
      });
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ error: 'too_large' });
      expect(performance.now() - started).toBeLessThan(2000);
      // Nothing goes on inflating behind the answer: the server (in this process) stays idle,
      // where going on would cost it most of a processor for seconds (about 1.3 s a GB here).
      const cpu = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const used = process.cpuUsage(cpu);
      expect((used.user + used.system) / 1e6).toBeLessThan(0.2);
      // A small route's own limit (4 KB for a login) holds after inflation too.
      const login = await send('POST', '/auth/login', {
        body: gzipSync(json({ username: 'study', password: 'x'.repeat(64 * 1024) })),
        encoding: 'gzip',
      });
      expect(login.status).toBe(413);
      expect((await send('GET', '/health')).body).toEqual({ ok: true });
      const after = await send('POST', '/records', {
        token: deviceToken,
        body: gzipSync(json({ records: [validRecord(uuid(3), 'lille', deviceId)], pending: 0 })),
        encoding: 'gzip',
      });
      expect(after.body).toEqual({ results: [{ id: uuid(3), status: 'accepted' }] });
    });

    it('refuses 413 a gzipped body whose compressed size is over the limit', async () => {
      // Random bytes do not compress: the body sent is itself over the limit.
      const big = gzipSync(randomBytes(MAX_BATCH_BYTES + 512 * 1024), { level: 1 });
      const answer = await send('POST', '/records', {
        token: deviceToken,
        body: big,
        encoding: 'gzip',
      });
      expect(answer.status).toBe(413);
    });

    it('refuses broken gzip 400 and stores nothing', async () => {
      const good = gzipSync(
        json({ records: [validRecord(uuid(4), 'lille', deviceId)], pending: 0 }),
      );
      const corrupt = Buffer.from(good);
      for (let at = 12; at < corrupt.length - 8; at += 7) corrupt[at] = (corrupt[at] ?? 0) ^ 0xa5;
      const truncated = good.subarray(0, Math.floor(good.length / 2));
      const notGzip = Buffer.from(json({ records: [], pending: 0 }));
      for (const body of [corrupt, truncated, notGzip]) {
        const answer = await send('POST', '/records', {
          token: deviceToken,
          body,
          encoding: 'gzip',
        });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error: 'bad_encoding' });
      }
      expect(await store.getRecord(uuid(4))).toBeUndefined();
    });

    it('refuses 415 a coding it does not know', async () => {
      for (const encoding of ['br', 'deflate', 'gzip, br']) {
        const answer = await send('POST', '/records', {
          token: deviceToken,
          body: json({ records: [validRecord(uuid(5), 'lille', deviceId)], pending: 0 }),
          encoding,
        });
        expect(answer.status).toBe(415);
        expect(answer.body).toMatchObject({
          error: 'unsupported_encoding',
          params: { encodings: ['gzip', 'identity'] },
        });
        // In the protocol's error body, as every refusal is.
        expect(ErrorResponseSchema.safeParse(answer.body).success).toBe(true);
      }
      expect(await store.getRecord(uuid(5))).toBeUndefined();
    });
  });
}

for (const { name, open } of STORE_BACKENDS) describeCompressed(name, open);
// As the started server runs: the upload's bytes parsed in worker threads.
const sqlite = STORE_BACKENDS.find((backend) => backend.name === 'SQLite');
if (sqlite !== undefined)
  describeCompressed('SQLite, records checked in 2 worker threads', sqlite.open, 2);
