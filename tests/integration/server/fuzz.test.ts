// Every POST/PUT route of docs/api.md, fuzzed with fast-check by a caller it lets in (so the
// body is what is tested): no 5xx, every 4xx an { error, message }, no stack trace, the server still
// answering, and nothing stored that an invalid body asked for.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorResponseSchema,
  InterviewRecordSchema,
  PickupPointsRequestSchema,
} from '../../../src/core/protocol/index.ts';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import { loadQuotaPlan, QUOTA_FULL_SCREEN_OUT } from '../../../src/core/quota/index.ts';
import { checkRecord, deviceOnly } from '../../../src/core/record/index.ts';
import type { Answer, Caller, Counts, Request, World } from '../../helpers/api-world.ts';
import { AT, demo, nextUuid, openWorld, SITE_A } from '../../helpers/api-world.ts';
import type { DocumentedRoute, Member } from '../../helpers/route-table.ts';
import { allowedCallers, documentedRoutes } from '../../helpers/route-table.ts';

/** Change it (FUZZ_SEED=…) to explore; a failure prints the seed and the body that failed. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 19);
/** Bodies per route: routes that read no body need fewer; a login costs a password hash. */
const RUNS: Readonly<Record<string, number>> = {
  'POST /api/v1/records': 1000,
  'POST /api/v1/auth/login': 150,
  // Each body that passes the schema costs a password hash, or two.
  'POST /api/v1/auth/password': 100,
  'POST /api/v1/auth/link': 150,
};
const RUNS_WITH_BODY = 400;
const RUNS_WITHOUT_BODY = 150;
/** The upload route again, with its records checked in worker threads as `npm start` does. */
const RUNS_THREADED = 500;

const routes = documentedRoutes().filter(
  (route) => route.method === 'POST' || route.method === 'PUT',
);
const takesBody = (route: DocumentedRoute) => route.body !== '—' && route.body !== '';

// ---------------------------------------------------------------------------------------------
// Bodies

/** What a generated case sends: raw bytes or text, with a content type (undefined: none). */
interface Body {
  readonly kind: string;
  readonly raw: string | Buffer | undefined;
  readonly contentType: string | undefined;
  /** For mutated bodies: the path changed, to judge what the server kept. */
  readonly path?: readonly (string | number)[];
}

type Path = readonly (string | number)[];
const DELETE = Symbol('delete');

/** Every path of a JSON value, the root first. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value))
    value.forEach((entry, index) => paths.push(...pathsOf(entry, [...prefix, index])));
  else if (typeof value === 'object' && value !== null)
    for (const [key, entry] of Object.entries(value))
      paths.push(...pathsOf(entry, [...prefix, key]));
  return paths;
}

/** Sets an own property, even `__proto__` (a plain assignment would change the prototype). */
function define(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A copy of `base` with the value at `path` replaced (or removed), or a key added there. */
function mutate(base: unknown, path: Path, value: unknown, addKey?: string): unknown {
  const root = structuredClone(base);
  if (path.length === 0 && addKey === undefined) return value === DELETE ? undefined : value;
  let parent: unknown = root;
  const last = addKey === undefined ? path.length - 1 : path.length;
  for (const segment of path.slice(0, last))
    parent = (parent as Record<string | number, unknown>)[segment];
  const key = addKey ?? path[path.length - 1] ?? '';
  if (typeof parent !== 'object' || parent === null) return root;
  if (value === DELETE) {
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else Reflect.deleteProperty(parent, key);
  } else define(parent, key, value);
  return root;
}

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

const protoObjects = [
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":{"isAdmin":true},"role":"admin"}',
].map((text) => JSON.parse(text) as unknown);

/** Values that do not belong where they are put: wrong types, edge cases, huge, deep, hostile. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      -0.5,
      1e308,
      -1e308,
      2 ** 53 + 1,
      '',
      ' ',
      '0',
      '1',
      [],
      {},
      [null],
      { '': '' },
      'lyon',
      'lille',
      'une autre tablette',
      '=HYPERLINK("http://x","y")',
      '2026-13-45T99:99:99Z',
      '2026-02-30T10:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-11-23T09:00:00+25:00',
      '2026-11-23T08:00:00.000Z',
      'screened_out',
      'completed',
      'minor',
      'no_consent',
      'distress',
      'young',
      'old',
      999,
      -8,
      -9,
      { nonResponse: 'refused' },
      { nonResponse: 'dont_know' },
      ['shop'],
      ['shop', 'shop'],
      'Jean Dupont, 06 12 34 56 78',
      '\u0000',
      '\ud800',
      '\u202e',
      '__proto__',
      'constructor',
      'demo',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('x', 'é', '\u{1F600}', '"\\'),
        fc.integer({ min: 1_000, max: 1_200_000 }),
      )
      .map(([unit, length]) => unit.repeat(length)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 20, max: 3_000 }),
        fc.constantFrom('array' as const, 'object' as const),
      )
      .map(([depth, kind]) => nested(depth, kind)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...protoObjects) },
  { weight: 2, arbitrary: fc.constant(DELETE) },
);

const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x', ''),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 1_000, max: 1_100_000 }).map((length) => 'k'.repeat(length)),
);

const JSON_TYPE = 'application/json';
const json = (kind: string, value: unknown, path?: Path): Body => ({
  kind,
  raw: value === undefined ? undefined : JSON.stringify(value),
  contentType: JSON_TYPE,
  ...(path === undefined ? {} : { path }),
});

/** Invalid UTF-8: a lone continuation byte, a truncated sequence, an encoded surrogate, an overlong form. */
const badBytes = fc.oneof(
  fc.constantFrom(
    [0xff],
    [0x80],
    [0xc3, 0x28],
    [0xe2, 0x82],
    [0xed, 0xa0, 0x80],
    [0xc0, 0xaf],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ),
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 6 }),
);

/** Where a character can go between JSON tokens without breaking a string (crudely: after `{[:,`). */
function tokenGaps(text: string): number[] {
  const gaps: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && inString) i += 1;
    else if (char === '"') inString = !inString;
    else if (!inString && (char === '{' || char === '[' || char === ':' || char === ','))
      gaps.push(i + 1);
  }
  return gaps.length > 0 ? gaps : [0];
}

/** Every kind of body the fuzz sends to a route whose valid body is `base`. */
function bodies(base: unknown): fc.Arbitrary<Body> {
  const text = JSON.stringify(base ?? {});
  const paths = pathsOf(base ?? {});
  const objectPaths = paths.filter((path) => {
    let node: unknown = base ?? {};
    for (const segment of path) node = (node as Record<string | number, unknown>)[segment];
    return typeof node === 'object' && node !== null && !Array.isArray(node);
  });
  const gaps = tokenGaps(text);
  const quotes = [...text.matchAll(/"/g)].map((match) => (match.index ?? 0) + 1);
  // Invalid bytes go inside a string where there is one, else anywhere.
  const byteGaps = quotes.length > 0 ? quotes : [0, text.length];
  return fc.oneof(
    { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((value) => json('any JSON', value)) },
    {
      weight: 14,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), oddValue)
        .map(([path, value]) =>
          json(`${String(path.join('.'))} changed`, mutate(base, path, value), path),
        ),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...objectPaths), oddKey, oddValue)
        .map(([path, key, value]) =>
          json(
            `key added at ${path.join('.')}`,
            mutate(base, path, value === DELETE ? 1 : value, key),
            [...path, key],
          ),
        ),
    },
    {
      // Deep nesting beyond what JSON.stringify could write: raw text.
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.boolean())
        .map(([depth, arrays]) => ({
          kind: `nested ${depth} deep`,
          raw: arrays
            ? `${'['.repeat(depth)}${']'.repeat(depth)}`
            : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
          contentType: JSON_TYPE,
        })),
    },
    {
      // Prototype keys as raw text, also spelled with escapes.
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            '"__proto__":{"polluted":1}',
            '"\\u005f_proto__":{"polluted":1}',
            '"__pr\\u006fto__":{"polluted":1}',
            '"constructor":{"prototype":{"polluted":1}}',
            '"\\u0063onstructor":{"prototype":{"polluted":1}}',
          ),
          fc.constantFrom(...gaps),
        )
        .map(([entry, at]) => {
          const before = text.slice(0, at);
          const comma = before.endsWith('{') && !text.slice(at).startsWith('}') ? ',' : '';
          return {
            kind: 'prototype key',
            raw: before.endsWith('{') ? `${before}${entry}${comma}${text.slice(at)}` : `{${entry}}`,
            contentType: JSON_TYPE,
          };
        }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...byteGaps), badBytes).map(([at, bytes]) => ({
        kind: 'invalid UTF-8',
        raw: Buffer.concat([
          Buffer.from(text.slice(0, at)),
          Buffer.from(bytes),
          Buffer.from(text.slice(at)),
        ]),
        contentType: JSON_TYPE,
      })),
    },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 200 }).map((raw) => ({ kind: 'text', raw, contentType: JSON_TYPE })),
        fc.uint8Array({ maxLength: 200 }).map((bytes) => ({
          kind: 'bytes',
          raw: Buffer.from(bytes),
          contentType: JSON_TYPE,
        })),
        fc.nat().map((cut) => ({
          kind: 'truncated',
          raw: text.slice(0, cut % text.length),
          contentType: JSON_TYPE,
        })),
        fc.string({ minLength: 1, maxLength: 20 }).map((tail) => ({
          kind: 'trailing junk',
          raw: `${text}${tail}`,
          contentType: JSON_TYPE,
        })),
      ),
    },
    {
      // Whitespace JSON allows (tab, CR LF, space) and characters it does not (vertical tab,
      // form feed, no-break space, line separator, NUL).
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...gaps),
          fc.constantFrom('\t', '\r\n', ' ', '\v', '\f', '\u00a0', '\u2028', '\u0000', '\ufeff'),
        )
        .map(([at, space]) => ({
          kind: `${JSON.stringify(space)} between tokens`,
          raw: `${text.slice(0, at)}${space}${text.slice(at)}`,
          contentType: JSON_TYPE,
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          undefined,
          '',
          'text/plain',
          'text/html',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/octet-stream',
          'application/jsonx',
          'application/json; charset=utf-16',
          'APPLICATION/JSON',
        )
        .map((contentType) => ({ kind: `sent as ${String(contentType)}`, raw: text, contentType })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'empty', raw: '', contentType: JSON_TYPE }) },
    {
      weight: 1,
      arbitrary: fc.constant<Body>({ kind: 'none', raw: undefined, contentType: undefined }),
    },
  );
}

/** A body as fast-check prints it in a failure report: its kind and its first bytes, not 4 MB. */
function printable(body: Body): Body {
  const head =
    body.raw === undefined
      ? '(no body)'
      : typeof body.raw === 'string'
        ? JSON.stringify(body.raw.slice(0, 300))
        : `<bytes ${body.raw.subarray(0, 150).toString('hex')}>`;
  const summary = `[${body.kind}, ${String(body.contentType)}, ${body.raw?.length ?? 0} long] ${head}`;
  return Object.assign({ ...body }, { [fc.toStringMethod]: () => summary });
}

// ---------------------------------------------------------------------------------------------
// Judging answers

const STACK_TRACE = /\bat [^\n]*\((?:\/|file:|node:)|node:internal|\.(?:[cm]?js|tsx?):\d+:\d+/;

/** The body as Fastify's JSON parser reads it (invalid bytes as U+FFFD, a leading BOM dropped). */
function parsedBody(body: Body): unknown {
  if (body.raw === undefined) return undefined;
  const text = typeof body.raw === 'string' ? body.raw : body.raw.toString('utf8');
  try {
    return JSON.parse(text.replace(/^\ufeff/, '')) as unknown;
  } catch {
    return undefined;
  }
}

const parsesAsJson = (body: Body) => parsedBody(body) !== undefined;

const sentAsJson = (body: Body) =>
  body.contentType !== undefined && /^application\/json\s*(?:;|$)/i.test(body.contentType);

function describeRequest(route: DocumentedRoute, url: string, body: Body, answer: Answer): string {
  const raw =
    body.raw === undefined
      ? '(no body)'
      : typeof body.raw === 'string'
        ? JSON.stringify(body.raw.slice(0, 400))
        : `bytes ${body.raw.subarray(0, 200).toString('hex')}`;
  const length = body.raw === undefined ? 0 : body.raw.length;
  return (
    `${route.method} ${url} [${body.kind}] content-type ${String(body.contentType)}, ` +
    `${length} long: ${raw}\n  -> ${answer.status} ${answer.text.slice(0, 400)}`
  );
}

/** What every answer must be, whatever the route. */
function generalProblems(route: DocumentedRoute, body: Body, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push('a 5xx');
  if (STACK_TRACE.test(answer.text)) problems.push('a stack trace in the body');
  if (answer.status >= 400 && !ErrorResponseSchema.safeParse(answer.json).success)
    problems.push('an error without the { error, message } shape');
  const noBody = body.raw === undefined || body.raw.length === 0;
  if (answer.status < 400 && takesBody(route) && !(noBody && route.bodyOptional)) {
    if (!sentAsJson(body)) problems.push('a body not sent as JSON was accepted');
    else if (!parsesAsJson(body)) problems.push('a body that is not JSON was accepted');
  }
  if (
    Object.keys(Object.prototype).length > 0 ||
    ({} as Record<string, unknown>)['polluted'] !== undefined
  )
    problems.push('Object.prototype was polluted');
  return problems;
}

/** A real instant in a plausible window: not 2026-13-45, not 1970, not the year 9999. */
function implausibleDate(value: string): boolean {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (match === null) return true;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour, minute, second));
  if (date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute)
    return true;
  const at = Date.parse(value);
  return !(at >= Date.parse('2000-01-01T00:00:00Z') && at <= Date.parse(AT) + 24 * 3600_000);
}

/** What the server works out itself: a record may not choose them (the forgeries). */
const SERVER_FIELDS = [
  'site',
  'deviceId',
  'computed',
  'alerts',
  'quotaCategories',
  'status',
  'screenOutId',
];

/** What of the demo reads what never leaves the tablet: the server cannot recompute it. */
const blind = deviceOnly(demo);

// ---------------------------------------------------------------------------------------------

describe('fuzzing every POST/PUT route of the docs/api.md route table', () => {
  let world: World;

  beforeAll(async () => {
    world = await openWorld();
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  it('finds the routes to fuzz', () => {
    expect(routes.map((route) => route.key)).toContain('POST /api/v1/records');
  });

  /** The caller the route is fuzzed as: one it lets in, made for this route alone. */
  async function callerFor(route: DocumentedRoute): Promise<Caller> {
    const allowed = allowedCallers(route);
    if (allowed === 'anyone') return { name: 'nobody', authorization: undefined };
    const order: Member[] = [
      'admin',
      'deviceA',
      'coordinatorA',
      'analystA',
      'coordinatorB',
      'deviceB',
    ];
    const member = order.find((candidate) => allowed.includes(candidate)) ?? allowed[0];
    if (member === undefined) throw new Error(`${route.key}: nobody may call it`);
    return world.freshCaller(member);
  }

  async function fuzz(
    route: DocumentedRoute,
    numRuns: number,
    send: (request: Request) => Promise<Answer>,
  ): Promise<void> {
    const caller = await callerFor(route);
    const { url, payload: base } = await world.prepare(route, caller, 'allowed');
    // A route this file has no valid body for is fuzzed around the keys the API doc names.
    const shape = base ?? Object.fromEntries(route.bodyKeys.map((key) => [key.name, 'x'] as const));
    const isUpload = route.key === 'POST /api/v1/records';
    const original = isUpload
      ? ((shape as { records: InterviewRecordWire[] }).records[0] as InterviewRecordWire)
      : undefined;
    const before = await world.counts();
    const allowedGrowth = {
      records: 0,
      questionnaires: 0,
      users: 0,
      sessions: 0,
      devices: 0,
      sites: 0,
    };

    await fc.assert(
      fc.asyncProperty(bodies(shape).map(printable), async (generated) => {
        let body = generated;
        // Each upload gets an id of its own, so a record that passes is new, not a duplicate.
        if (isUpload && typeof body.raw === 'string' && original !== undefined)
          body = { ...body, raw: body.raw.replaceAll(original.id, nextUuid()) };
        const answer = await send({
          method: route.method,
          url,
          authorization: caller.authorization,
          raw: body.raw,
          contentType: body.contentType,
        });
        const problems = generalProblems(route, body, answer);
        if (answer.status < 300) {
          // A call that ended its own credentials (logout) must not leave the rest of the run
          // answered 401 before its body is read.
          if (await world.keepWorking(caller)) {
            if (caller.username === undefined) allowedGrowth.devices += 1;
            else allowedGrowth.users += 1;
          }
          if (route.key === 'POST /api/v1/auth/login') allowedGrowth.sessions += 1;
          if (route.key === 'POST /api/v1/devices/enrol') allowedGrowth.devices += 1;
          if (route.key === 'POST /api/v1/users') allowedGrowth.users += 1;
          if (route.key === 'POST /api/v1/sites') allowedGrowth.sites += 1;
          // A refused record accepted by its coordinator (the route reads no body).
          if (!isUpload && (answer.json as { status?: unknown } | undefined)?.status === 'accepted')
            allowedGrowth.records += 1;
          if (route.key === 'POST /api/v1/questionnaires') {
            allowedGrowth.questionnaires += 1;
            problems.push(...(await publishedProblems(answer)));
          }
          if (route.method === 'PUT' && route.params.includes('site'))
            problems.push(...(await siteProblems()));
          const deviceId = world.deviceIds.get(caller.authorization ?? '');
          if (isUpload && original !== undefined && deviceId !== undefined) {
            const accepted = await uploadProblems(body, answer, original, deviceId);
            allowedGrowth.records += accepted.accepted;
            problems.push(...accepted.problems);
          }
        }
        if (problems.length > 0)
          throw new Error(`${problems.join('; ')}\n${describeRequest(route, url, body, answer)}`);
      }),
      { seed: SEED, numRuns },
    );

    const health = await send({ method: 'GET', url: '/api/v1/health' });
    expect(health.status, 'the server answers after the fuzz').toBe(200);
    const after = await world.counts();
    const grown = (table: keyof Counts) => after[table] - before[table];
    expect(
      {
        records: grown('records'),
        sites: grown('sites'),
        users: grown('users'),
        questionnaires: grown('questionnaires'),
      },
      'rows added, against what 2xx answers account for',
    ).toEqual({
      records: allowedGrowth.records,
      sites: allowedGrowth.sites,
      users: allowedGrowth.users,
      questionnaires: allowedGrowth.questionnaires,
    });
    expect(grown('sessions'), 'sessions added').toBeLessThanOrEqual(allowedGrowth.sessions);
    expect(grown('devices'), 'tablets added').toBeLessThanOrEqual(allowedGrowth.devices);
  }

  /** A published version has an id and version fit to be a key and a file name, and loads. */
  async function publishedProblems(answer: Answer): Promise<string[]> {
    const published = answer.json as { questionnaireId?: unknown; version?: unknown } | undefined;
    const { questionnaireId: id, version } = published ?? {};
    const problems = [id, version]
      .filter(
        (name) =>
          typeof name !== 'string' ||
          !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) ||
          ['__proto__', 'constructor', 'prototype'].includes(name),
      )
      .map(
        (name) => `published a questionnaire named ${JSON.stringify(String(name).slice(0, 80))}`,
      );
    const row = await world.store.getQuestionnaire(String(id), String(version));
    if (row === undefined)
      problems.push(`${String(id)} ${String(version)} answered 201 but not stored`);
    else if (loadQuestionnaire(JSON.parse(row.definition) as unknown).status === 'failure')
      problems.push('published a definition that does not load');
    return problems;
  }

  /** What a site's settings routes stored still loads. */
  async function siteProblems(): Promise<string[]> {
    const site = await world.store.getSite(SITE_A);
    const problems: string[] = [];
    if (site?.plan !== null) {
      const plan = loadQuotaPlan(site?.plan);
      if (plan.status !== 'success' || plan.plan.site !== SITE_A)
        problems.push('the site now holds a quota plan that does not load');
    }
    if (!PickupPointsRequestSchema.safeParse({ pickupPoints: site?.pickupPoints }).success)
      problems.push('the site now holds pick-up points that do not pass their schema');
    return problems;
  }

  /**
   * An upload answered 200: one result per record, and each record accepted is stored valid (see
   * `storedRecordProblems`).
   */
  async function uploadProblems(
    body: Body,
    answer: Answer,
    original: InterviewRecordWire,
    deviceId: string,
  ): Promise<{ accepted: number; problems: string[] }> {
    const problems: string[] = [];
    const results = (answer.json as { results?: { id: string; status: string }[] }).results ?? [];
    const parsed = parsedBody(body) as { records?: unknown } | undefined;
    const sent: unknown[] = Array.isArray(parsed?.records) ? parsed.records : [];
    if (results.length !== sent.length)
      problems.push(`${results.length} results for ${sent.length} records`);
    let accepted = 0;
    for (const result of results) {
      if (result.status !== 'accepted') continue;
      accepted += 1;
      const row = await world.store.getRecord(result.id);
      if (row === undefined) problems.push(`${result.id} accepted but not stored`);
      else if (row.site !== SITE_A || row.deviceId !== deviceId)
        problems.push(`stored as site ${row.site}, tablet ${row.deviceId}: not the uploader's`);
      else problems.push(...(await storedRecordProblems(row.body, body.path, original, deviceId)));
    }
    return { accepted, problems };
  }

  /**
   * What the server stored of an accepted record: a valid record of the uploader's site and tablet,
   * with real dates, only keys the version declares, no free text outside text answers; and, when
   * only what the server works out was changed (not the answers), the values the server computes
   * from the answers, not the sent ones (a calculation, alert or quota variable that reads what
   * never leaves the tablet is the exception: the server keeps the tablet's if it is plausible).
   */
  async function storedRecordProblems(
    text: string,
    path: Path | undefined,
    original: InterviewRecordWire,
    deviceId: string,
  ): Promise<string[]> {
    const problems: string[] = [];
    const { pickupPointTyped, ...wire } = JSON.parse(text) as Record<string, unknown>;
    const parsed = InterviewRecordSchema.safeParse(wire);
    if (!parsed.success) return [`stored a body its schema refuses: ${text.slice(0, 200)}`];
    const stored = parsed.data;
    problems.push(
      ...checkRecord(demo, stored, { today: () => AT.slice(0, 10) }).map((p) => `stored: ${p}`),
    );
    if (stored.site !== SITE_A || stored.deviceId !== deviceId)
      problems.push(`stored body says site ${stored.site}, tablet ${stored.deviceId}`);
    for (const field of ['startedAt', 'endedAt'] as const)
      if (implausibleDate(stored[field]))
        problems.push(`stored ${field} ${JSON.stringify(stored[field].slice(0, 40))}`);
    if (Date.parse(stored.startedAt) > Date.parse(stored.endedAt))
      problems.push('stored ending before it started');

    const field = path?.[0] === 'records' && path[1] === 0 ? path[2] : undefined;
    const onlyDerived = typeof field === 'string' && SERVER_FIELDS.includes(field);
    for (const [id, value] of Object.entries(stored.computed)) {
      if (demo.itemById.get(id)?.item.type !== 'calculate')
        problems.push(`stored computed.${id}, not a calculation of the version`);
      else if (blind.items.has(id) && typeof value === 'string' && !/^[\w+.-]{0,16}$/.test(value))
        problems.push(`stored free text in computed.${id}: ${JSON.stringify(value.slice(0, 60))}`);
    }
    if (onlyDerived)
      for (const [id, value] of Object.entries(original.computed))
        if (!blind.items.has(id) && stored.computed[id] !== value)
          problems.push(
            `stored computed.${id} ${JSON.stringify(stored.computed[id])}; the answers give ${JSON.stringify(value)}`,
          );
    const declaredAlerts = new Set(demo.alerts.map(({ alert }) => alert.id));
    if (new Set(stored.alerts).size !== stored.alerts.length)
      problems.push('stored an alert twice');
    for (const id of stored.alerts)
      if (!declaredAlerts.has(id)) problems.push(`stored alert ${JSON.stringify(id.slice(0, 60))}`);
    if (onlyDerived)
      for (const id of declaredAlerts)
        if (!blind.alerts.has(id) && stored.alerts.includes(id) !== original.alerts.includes(id))
          problems.push(`stored alert ${id} ${stored.alerts.includes(id) ? 'raised' : 'dropped'}`);
    const site = await world.store.getSite(SITE_A);
    const plan = loadQuotaPlan(site?.plan);
    for (const [variable, category] of Object.entries(stored.quotaCategories)) {
      const known =
        plan.status === 'success'
          ? plan.plan.variables.find((entry) => entry.id === variable)
          : undefined;
      if (known === undefined || !known.categories.some((entry) => entry.code === category))
        problems.push(`stored quota category ${variable}=${JSON.stringify(category.slice(0, 40))}`);
      else if (
        onlyDerived &&
        !blind.items.has(known.source.item) &&
        category !== original.quotaCategories[variable]
      )
        problems.push(`stored quota category ${variable}=${category}, the answers give another`);
    }
    const screenOut = demo.screenOuts.find((entry) => entry.screenOut.id === stored.screenOutId);
    if (stored.status === 'completed' && stored.screenOutId !== undefined)
      problems.push('stored a completed interview with a screen-out');
    if (stored.status === 'screened_out') {
      if (stored.screenOutId !== QUOTA_FULL_SCREEN_OUT && screenOut === undefined)
        problems.push(`stored screen-out ${JSON.stringify(stored.screenOutId?.slice(0, 40))}`);
      else if (
        onlyDerived &&
        screenOut !== undefined &&
        !blind.screenOuts.has(screenOut.screenOut.id)
      )
        problems.push(`stored screen-out ${screenOut.screenOut.id} that the answers do not give`);
    }
    // A pick-up point is one of the site's, or marked as typed in.
    if (pickupPointTyped !== undefined && pickupPointTyped !== true)
      problems.push(`stored pickupPointTyped ${JSON.stringify(pickupPointTyped)}`);
    const listed = (site?.pickupPoints ?? []).some(
      (point) => point.toLowerCase() === stored.pickupPoint?.toLowerCase(),
    );
    if (stored.pickupPoint !== undefined && !listed && pickupPointTyped !== true)
      problems.push(`stored pick-up point ${JSON.stringify(stored.pickupPoint)}, not the site's`);
    return problems;
  }

  for (const route of routes) {
    const numRuns = RUNS[route.key] ?? (takesBody(route) ? RUNS_WITH_BODY : RUNS_WITHOUT_BODY);
    it(`${route.key}: ${numRuns} bodies, only 4xx for bad ones, nothing stored`, async () => {
      await fuzz(route, numRuns, world.send);
    }, 120_000);
  }

  it(`POST /api/v1/records with records checked in worker threads: ${RUNS_THREADED} bodies`, async () => {
    const upload = routes.find((route) => route.key === 'POST /api/v1/records');
    if (upload === undefined) throw new Error('docs/api.md lists no POST /api/v1/records');
    await fuzz(upload, RUNS_THREADED, await world.openApp({ checkThreads: 2 }));
  }, 120_000);
});
