// One JSON grammar for uploads: the same bytes get the same answer whether the server checks
// records on its main thread (CHECK_THREADS=0, Fastify's parser) or in worker threads (the body cut
// between records by `splitBatch` and parsed slice by slice). Property test over random whitespace
// (bodies written back to back, as tablets write them, half the time: those are the ones cut),
// byte order marks and damaged bodies, on two real SQLite files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { makeRecord } from '../../helpers/records.ts';

const AT = '2026-11-23T10:00:00.000Z';
const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;
const loaded = loadQuestionnaire(definition);
if (loaded.status === 'failure') throw new Error('demo questionnaire does not load');
const demo = loaded.questionnaire;

interface Server {
  readonly app: FastifyInstance;
  readonly store: SqliteStore;
  readonly dir: string;
  readonly token: string;
  readonly deviceId: string;
}

async function startServer(checkThreads: number): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'smpg-grammar-'));
  const store = new SqliteStore(join(dir, 'smpg.sqlite'));
  await store.migrate();
  await store.createSite({
    id: 'lille',
    name: 'Lille',
    plan: null,
    shortInterviewSeconds: 600,
    createdAt: AT,
  });
  await store.publishQuestionnaire({
    questionnaireId: 'demo',
    version: demo.definition.version,
    definition: JSON.stringify(definition),
    labelPacks: '[]',
    publishedAt: AT,
  });
  await createUser(store, 'admin', 'admin-password', { admin: true, grants: [] }, AT);
  const app = await buildApp({
    store,
    now: () => new Date(AT),
    uploadsPerMinute: 100_000,
    checkThreads,
  });
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: 'admin-password' },
  });
  const session = (login.json() as { token: string }).token;
  const code = await app.inject({
    method: 'POST',
    url: '/api/v1/sites/lille/enrolment-codes',
    headers: { authorization: `Bearer ${session}` },
  });
  const enrol = await app.inject({
    method: 'POST',
    url: '/api/v1/devices/enrol',
    payload: { code: (code.json() as { code: string }).code },
  });
  const { token, deviceId } = enrol.json() as { token: string; deviceId: string };
  return { app, store, dir, token, deviceId };
}

/** What an upload's answer says, with what may differ between the two servers left out. */
async function upload(server: Server, body: string): Promise<unknown> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/records',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    payload: body,
  });
  const answer = response.json() as { error?: string; results?: unknown };
  return response.statusCode === 200
    ? { status: 200, results: answer.results }
    : { status: response.statusCode, error: answer.error };
}

const base = makeRecord(
  demo,
  // The grid's rows are required: a tablet cannot complete the interview without them.
  { consent: '1', age: 34, activities: ['shop'], feel_tired: '0', feel_sad: '0' },
  'skip',
  { id: '00000000-0000-4000-8000-000000000000' },
).record;
let serial = 0;

/** A valid record with a fresh id (both servers store it: a resend would be a duplicate). */
function freshRecord(): InterviewRecordWire {
  serial += 1;
  const id = `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`;
  return { ...base, id };
}

// JSON's whitespace, and characters JavaScript's `\s` takes that JSON does not.
const JSON_SPACE = [' ', '\t', '\n', '\r'];
const NOT_JSON_SPACE = ['\v', '\f', '\u00a0', '\ufeff', '\u2028', '\u3000'];
const space = fc
  .array(
    fc.oneof(
      { weight: 80, arbitrary: fc.constantFrom(...JSON_SPACE) },
      { weight: 1, arbitrary: fc.constantFrom(...NOT_JSON_SPACE) },
    ),
    { maxLength: 3 },
  )
  .map((chars) => chars.join(''));

/** A body from its tokens with whitespace drawn between them, as any client could write it. */
const body = fc.record({
  records: fc.integer({ min: 1, max: 4 }),
  pending: fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
  spaces: fc.array(space, { minLength: 40, maxLength: 40 }),
  indent: fc.constantFrom(undefined, 1, '\t'),
  bom: fc.boolean(),
  /**
   * Records back to back (`},{"`), as tablets write them: the threads' server cuts such a body
   * into slices, and a slice starts at a record or right after `[`, where `lead` goes.
   */
  tight: fc.boolean(),
  lead: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('', ' ') },
    { weight: 1, arbitrary: fc.constantFrom('\ufeff', '\v', '\u00a0') },
  ),
  damage: fc.option(fc.tuple(fc.nat(), fc.constantFrom('\v', '}', ',', '"', '\u00e9', '\0')), {
    nil: undefined,
    freq: 6,
  }),
});

type BodyDraw = typeof body extends fc.Arbitrary<infer T> ? T : never;

function write(drawn: BodyDraw): string {
  let next = 0;
  const ws = () => drawn.spaces[next++ % drawn.spaces.length] ?? '';
  const records = Array.from({ length: drawn.records }, () =>
    JSON.stringify(freshRecord(), null, drawn.tight ? undefined : drawn.indent),
  );
  let text =
    `${drawn.bom ? '\ufeff' : ''}${ws()}{${ws()}"records"${ws()}:${ws()}[` +
    (drawn.tight ? drawn.lead : ws()) +
    (drawn.tight ? records.join(',') : records.join(`${ws()},${ws()}`)) +
    `${ws()}]${ws()}` +
    (drawn.pending === undefined ? '' : `,${ws()}"pending"${ws()}:${ws()}${drawn.pending}${ws()}`) +
    `}${ws()}`;
  if (drawn.damage !== undefined) {
    const at = drawn.damage[0] % text.length;
    text = text.slice(0, at) + drawn.damage[1] + text.slice(at + 1);
  }
  return text;
}

describe('uploads: one JSON grammar on every thread', () => {
  let main: Server;
  let threads: Server;

  beforeAll(async () => {
    main = await startServer(0);
    threads = await startServer(2);
  }, 120_000);

  afterAll(async () => {
    for (const server of [main, threads]) {
      await server.app.close();
      await server.store.close();
      rmSync(server.dir, { recursive: true, force: true });
    }
  });

  it('refuses a vertical tab or a form feed between tokens on both', async () => {
    for (const odd of ['\v', '\f']) {
      const records = [freshRecord(), freshRecord()];
      const text = `{"records":${odd}[${records.map((r) => JSON.stringify(r)).join(',')}]}`;
      expect(await upload(main, text)).toEqual({ status: 400, error: 'bad_request' });
      expect(await upload(threads, text)).toEqual({ status: 400, error: 'bad_request' });
    }
  });

  it('accepts a byte order mark on both, as Fastify’s parser does', async () => {
    const text = `\ufeff${JSON.stringify({ records: [freshRecord(), freshRecord()] })}`;
    const one = (await upload(main, text)) as { status: number };
    const other = (await upload(threads, text)) as { status: number };
    expect(one.status).toBe(200);
    expect(other).toEqual(one);
  });

  it('refuses a byte order mark inside the body on both, even where a slice would start', async () => {
    // Right after the array's bracket, a worker's slice begins with it: decoded on its own, a
    // leading mark would be dropped there, as it is only at the very start of the whole body.
    const records = [freshRecord(), freshRecord()].map((r) => JSON.stringify(r));
    for (const text of [
      `{"records":[\ufeff${records.join(',')}]}`,
      `{"records":[${records[0] ?? ''},\ufeff${records[1] ?? ''}]}`,
    ]) {
      expect(await upload(main, text)).toEqual({ status: 400, error: 'bad_request' });
      expect(await upload(threads, text)).toEqual({ status: 400, error: 'bad_request' });
    }
  });

  it('answers the same bytes the same way, whatever the thread count', async () => {
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(body, async (drawn) => {
        const text = write(drawn);
        const one = await upload(main, text);
        const other = await upload(threads, text);
        expect(other).toEqual(one);
        if ((one as { status: number }).status === 200) stored += 1;
      }),
      { numRuns: 400 },
    );
    // The property saw both kinds of bodies, not only refusals.
    expect(stored).toBeGreaterThan(100);
  }, 120_000);
});
