// A populated server for the tests generated from docs/api.md's route table (auth matrix, fuzz):
// two sites, an admin and a user of each role on each site, enrolled tablets, a published
// questionnaire, an injectable clock, and what each route needs filled in (path parameters, a
// valid body).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import { loadQuestionnaire } from '../../src/core/questionnaire/index.ts';
import type { Questionnaire } from '../../src/core/questionnaire/index.ts';
import { anonymise } from '../../src/core/record/index.ts';
import { translationRows } from '../../src/core/xlsform/translation-sheet.ts';
import type { AppOptions } from '../../src/server/app.ts';
import { buildApp, createUser } from '../../src/server/app.ts';
import { DEFAULT_DEVICE_TOKEN_DAYS } from '../../src/server/routes/auth.ts';
import { newToken, sha256 } from '../../src/server/auth.ts';
import type { Access } from '../../src/core/protocol/index.ts';
import { sessionId } from '../../src/server/routes/users.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { encryptBackup } from '../../src/app/backup/backup-file.ts';
import { ServerKeySchema } from '../../src/core/protocol/index.ts';
import { issueUserLink } from '../../src/server/user-links.ts';
import { tinyDemoPlan } from './plans.ts';
import type { DocumentedRoute, Member } from './route-table.ts';

export const AT = '2026-11-23T10:00:00.000Z';
export const SITE_A = 'lille';
export const SITE_B = 'lyon';
const PASSWORD = 'correct horse battery staple';
const SESSION_HOURS = 12;

export const demoDefinition = JSON.parse(
  readFileSync('questionnaires/demo/1.json', 'utf8'),
) as unknown;
const loaded = loadQuestionnaire(demoDefinition);
if (loaded.status === 'failure') throw new Error('questionnaires/demo/1.json does not load');
export const demo: Questionnaire = loaded.questionnaire;

/** A site label pack of the demo version for a new language: every text, in French words. */
export function demoSitePack(language: string): unknown {
  if (loaded.status === 'failure') throw new Error('questionnaires/demo/1.json does not load');
  const texts: Record<string, string> = {};
  for (const row of translationRows(loaded.definition)) {
    const text = row.text[loaded.definition.defaultLanguage];
    if (text !== undefined) texts[row.key] = text;
  }
  return { questionnaire: 'demo', version: '1', language, texts };
}

/** A valid anonymised demo interview, as a tablet of `site` sends it. */
export function validRecord(id: string, site: string, deviceId: string): InterviewRecordWire {
  const answers = new Map<string, string | number | string[]>([
    ['consent', '1'],
    ['age', 34],
    ['activities', ['shop']],
    ['feel_tired', '0'],
    ['feel_sad', '1'],
  ]);
  return anonymise(
    demo,
    {
      id,
      site,
      interviewer: 'ENQ01',
      deviceId,
      status: 'completed',
      language: 'fr',
      appVersion: 'test',
      startedAt: '2026-11-23T09:00:00.000Z',
      endedAt: '2026-11-23T09:40:00.000Z',
      quotaCategories: { age: 'young' },
    },
    answers,
    { today: () => '2026-11-23' },
  );
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface Request {
  readonly method: string;
  readonly url: string;
  /** The whole header value (`Bearer …`), or undefined for none. */
  readonly authorization?: string | undefined;
  /** A value sent as JSON, or raw bytes / text sent as they are with `contentType`. */
  readonly payload?: unknown;
  readonly raw?: string | Buffer | undefined;
  readonly contentType?: string | undefined;
}

/** A caller the matrix tries: a member (valid credentials) or an outsider (none that work). */
export interface Caller {
  readonly name: string;
  readonly member?: Member;
  /** The user behind a user member's session. */
  readonly username?: string;
  authorization: string | undefined;
}

let uuidCounter = 0;
/** A fresh UUID v4 (sequential: runs are reproducible). */
export function nextUuid(): string {
  uuidCounter += 1;
  return `00000000-0000-4000-8000-${String(uuidCounter).padStart(12, '0')}`;
}

let addressCounter = 0;
/** A client address of its own for each request, as though limits per address were on. */
function nextAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

const ADMIN: Access = { admin: true, grants: [] };

const MEMBER_ROLES: Record<Member, { access: Access } | { site: string }> = {
  admin: { access: ADMIN },
  coordinatorA: { access: { admin: false, grants: [{ site: SITE_A, role: 'coordinator' }] } },
  coordinatorB: { access: { admin: false, grants: [{ site: SITE_B, role: 'coordinator' }] } },
  analystA: { access: { admin: false, grants: [{ site: SITE_A, role: 'analyst' }] } },
  analystB: { access: { admin: false, grants: [{ site: SITE_B, role: 'analyst' }] } },
  deviceA: { site: SITE_A },
  deviceB: { site: SITE_B },
};

/** The standing user the user routes are tried on by refused callers: left as it is. */
const SUBJECT = 'standing-subject';
const SUBJECT_ACCESS: Access = { admin: false, grants: [{ site: SITE_A, role: 'analyst' }] };

export interface World {
  readonly store: SqliteStore;
  /** The members' current credentials (a member's may be replaced: see `keepWorking`). */
  readonly members: Record<Member, Caller>;
  /** Callers no route should let in: nobody, garbage, expired, logged out, revoked, lapsed. */
  readonly outsiders: readonly Caller[];
  /** The device id behind each tablet's Authorization header. */
  readonly deviceIds: Map<string, string>;
  send(request: Request): Promise<Answer>;
  /** Another app on the same store and clock (closed with the world), and how to call it. */
  openApp(options: Partial<AppOptions>): Promise<(request: Request) => Promise<Answer>>;
  /** A new user of the member's role and sites, logged in; or a new tablet of its site. */
  freshCaller(member: Member): Promise<Caller>;
  /**
   * Replaces a member's credentials if the call just made ended them (logout, rotation): with a
   * new session of the same user, else a new user or tablet (then it says true).
   */
  keepWorking(caller: Caller): Promise<boolean>;
  /**
   * The URL and body to call a route with: `refused` calls get the standing fixtures (which no
   * refused call may change), `allowed` ones fresh fixtures of their own, as allowed calls may
   * use them up (revoke, cancel a code, accept a refused record). A route without a body here is called without one.
   * Throws, naming the route, for a path parameter this helper cannot fill.
   */
  prepare(
    route: DocumentedRoute,
    caller: Caller,
    phase: 'refused' | 'allowed',
  ): Promise<{ url: string; payload?: unknown }>;
  /** Whether `prepare` has a valid body for the route. */
  hasBodyFor(route: DocumentedRoute): boolean;
  /** The standing fixtures that refused calls must leave alone: problems found, if any. */
  standingProblems(): Promise<string[]>;
  /** Row counts of the tables that invalid bodies must not touch. */
  counts(): Promise<Counts>;
  close(): Promise<void>;
}

export interface Counts {
  readonly records: number;
  readonly sites: number;
  readonly users: number;
  readonly questionnaires: number;
  readonly sessions: number;
  readonly devices: number;
}

/** Statuses other than 2xx that still prove an allowed caller got past the auth check. */
export const ALLOWED_NON_2XX: Readonly<Record<string, readonly number[]>> = {
  // The fixture republishes the demo version: "already published" is answered after the role check.
  'POST /api/v1/questionnaires': [409],
  // No pack of the site yet when the route is tried before the PUT: "none" comes after the role check.
  'GET /api/v1/sites/:site/label-packs/:questionnaireId/:version/:language': [404],
};

/**
 * No rate limit nor lockout: these tests are about who may call and what is sent, not how often
 * (the limits have tests of their own), and they log in and enrol many times.
 */
const UNLIMITED: Partial<AppOptions> = {
  uploadsPerMinute: 1_000_000,
  authLimits: {
    loginsPerAddress: 1_000_000,
    loginsPerAccount: 1_000_000,
    lockAfterFailures: 1_000_000,
    enrolmentsPerAddress: 1_000_000,
    enrolmentsOverall: 1_000_000,
  },
};

export async function openWorld(options: Partial<AppOptions> = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'smpg-routes-'));
  const file = join(dir, 'smpg.sqlite');
  const store = new SqliteStore(file);
  await store.migrate();
  // Users have no listing in the store's interface: they are counted in the file itself.
  const reader = new Database(file, { readonly: true });
  let offset = 0;
  const now = () => new Date(Date.parse(AT) + offset);
  const app = await buildApp({ ...UNLIMITED, ...options, store, now });

  for (const site of [SITE_A, SITE_B])
    await store.createSite({
      id: site,
      name: site,
      plan: tinyDemoPlan(site),
      shortInterviewSeconds: 600,
      createdAt: AT,
    });

  const apps: FastifyInstance[] = [app];
  const sender =
    (on: FastifyInstance) =>
    async (request: Request): Promise<Answer> => {
      const headers: Record<string, string> = {};
      if (request.authorization !== undefined) headers['authorization'] = request.authorization;
      if (request.contentType !== undefined) headers['content-type'] = request.contentType;
      let payload: string | Buffer | undefined = request.raw;
      if (payload === undefined && request.payload !== undefined) {
        payload = JSON.stringify(request.payload);
        headers['content-type'] ??= 'application/json';
      }
      const response = await on.inject({
        method: request.method as 'GET',
        url: request.url,
        headers,
        remoteAddress: nextAddress(),
        ...(payload === undefined ? {} : { payload }),
      });
      let json: unknown;
      try {
        json = response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, headers: response.headers, text: response.body, json };
    };
  const send = sender(app);

  const expectOk = (what: string, answer: Answer): Record<string, unknown> => {
    if (answer.status >= 300)
      throw new Error(`setting up: ${what} answered ${answer.status} ${answer.text.slice(0, 300)}`);
    return (answer.json ?? {}) as Record<string, unknown>;
  };

  let userCounter = 0;
  const newUser = async (access: Access, prefix: string) => {
    userCounter += 1;
    const username = `${prefix}-${userCounter}`;
    await createUser(store, username, PASSWORD, access, AT);
    return username;
  };
  const login = async (username: string): Promise<string> => {
    const body = expectOk(
      `logging in ${username}`,
      await send({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: PASSWORD },
      }),
    );
    return String(body['token']);
  };

  const bootstrapAdmin = await newUser(ADMIN, 'admin');
  const adminToken = await login(bootstrapAdmin);
  const asAdmin = `Bearer ${adminToken}`;

  const newCode = async (site: string) => {
    // Codes are told apart by when they were made: one millisecond each.
    offset += 1;
    const body = expectOk(
      `making an enrolment code of ${site}`,
      await send({
        method: 'POST',
        url: `/api/v1/sites/${site}/enrolment-codes`,
        authorization: asAdmin,
      }),
    );
    return { code: String(body['code']), createdAt: String(body['createdAt']) };
  };
  const deviceIds = new Map<string, string>();
  const enrol = async (site: string, label: string) => {
    const { code } = await newCode(site);
    const body = expectOk(
      `enrolling a tablet of ${site}`,
      await send({ method: 'POST', url: '/api/v1/devices/enrol', payload: { code, label } }),
    );
    const authorization = `Bearer ${String(body['token'])}`;
    deviceIds.set(authorization, String(body['deviceId']));
    return { authorization, deviceId: String(body['deviceId']) };
  };

  expectOk(
    'publishing the demo questionnaire',
    await send({
      method: 'POST',
      url: '/api/v1/questionnaires',
      authorization: asAdmin,
      payload: { definition: demoDefinition, labelPacks: [] },
    }),
  );

  const freshCaller = async (member: Member): Promise<Caller> => {
    const spec = MEMBER_ROLES[member];
    if ('site' in spec) {
      const { authorization } = await enrol(spec.site, member);
      return { name: member, member, authorization };
    }
    const username = await newUser(spec.access, member);
    return { name: member, member, username, authorization: `Bearer ${await login(username)}` };
  };
  const members = {} as Record<Member, Caller>;
  for (const member of Object.keys(MEMBER_ROLES) as Member[])
    members[member] = await freshCaller(member);

  // Outsiders: an expired admin session (logged in 13 h before the clock's time), a logged-out
  // admin session, a revoked tablet of site A, one whose token expired, and tokens never issued.
  offset -= (SESSION_HOURS + 1) * 3600_000;
  const expired = `Bearer ${await login(await newUser(ADMIN, 'admin-expired'))}`;
  offset += (SESSION_HOURS + 1) * 3600_000;
  const loggedOut = `Bearer ${await login(await newUser(ADMIN, 'admin-logged-out'))}`;
  expectOk(
    'logging out',
    await send({ method: 'POST', url: '/api/v1/auth/logout', authorization: loggedOut }),
  );
  // A tablet of site A whose token lapsed: enrolled longer ago than a token lasts.
  const tokenDays = options.deviceTokenDays ?? DEFAULT_DEVICE_TOKEN_DAYS;
  offset -= (tokenDays + 1) * 24 * 3600_000;
  const lapsed = await enrol(SITE_A, 'lapsed');
  offset += (tokenDays + 1) * 24 * 3600_000;
  const revoked = await enrol(SITE_A, 'revoked');
  expectOk(
    'revoking a tablet',
    await send({
      method: 'POST',
      url: `/api/v1/sites/${SITE_A}/devices/${revoked.deviceId}/revoke`,
      authorization: asAdmin,
    }),
  );
  const outsiders: Caller[] = [
    { name: 'nobody', authorization: undefined },
    { name: 'garbage session token', authorization: 'Bearer ses_garbage' },
    { name: 'garbage device token', authorization: 'Bearer dev_garbage' },
    { name: 'garbage token', authorization: 'Bearer x' },
    { name: 'not a bearer token', authorization: `Basic ${btoa(`${bootstrapAdmin}:${PASSWORD}`)}` },
    { name: 'expired admin session', authorization: expired },
    { name: 'logged-out admin session', authorization: loggedOut },
    { name: 'revoked device of site A', authorization: revoked.authorization },
    { name: 'device of site A with an expired token', authorization: lapsed.authorization },
  ];

  // A record the upload route refuses (its score forged) and keeps apart; accepting it stores it
  // with the score the server computes.
  const uploader = await enrol(SITE_A, 'uploader');
  const newRefused = async (): Promise<string> => {
    const record = validRecord(nextUuid(), SITE_A, uploader.deviceId);
    record.computed = { ...record.computed, distress_score: 999 };
    const upload = expectOk(
      'uploading a forged record',
      await send({
        method: 'POST',
        url: '/api/v1/records',
        authorization: uploader.authorization,
        payload: { records: [record] },
      }),
    );
    const listed = await send({
      method: 'GET',
      url: `/api/v1/sites/${SITE_A}/refused-records`,
      authorization: asAdmin,
    });
    const entry = Array.isArray(listed.json)
      ? (listed.json as { key?: unknown; recordId?: unknown }[]).find(
          (refused) => refused.recordId === record.id,
        )
      : undefined;
    if (typeof entry?.key !== 'string')
      throw new Error(
        `setting up: a forged record was not kept as refused: ${JSON.stringify(upload)}`,
      );
    return entry.key;
  };

  // Standing fixtures for refused calls: a tablet to revoke, a code to cancel, a refused record
  // to accept or dismiss (made when a route first needs it: older servers have none).
  const victim = await enrol(SITE_A, 'victim');
  const standingCode = await newCode(SITE_A);
  // A standing user with a session, for the user routes' refused calls; fresh ones for allowed
  // calls (which change, reset or delete them).
  await createUser(store, SUBJECT, PASSWORD, SUBJECT_ACCESS, AT);
  const newSession = async (username: string) => {
    const tokenHash = sha256(newToken('ses'));
    await store.createSession({
      tokenHash,
      username,
      createdAt: now().toISOString(),
      expiresAt: new Date(now().getTime() + SESSION_HOURS * 3600_000).toISOString(),
    });
    return sessionId({ tokenHash });
  };
  const subjectSession = await newSession(SUBJECT);
  const standingSite = (await store.getSite(SITE_A))?.name;
  let siteCounter = 0;
  const newSite = async () => {
    siteCounter += 1;
    const id = `extra-${siteCounter}`;
    await store.createSite({ id, name: id, plan: null, shortInterviewSeconds: 600, createdAt: AT });
    return id;
  };
  const newLink = async () =>
    (await issueUserLink(store, await newUser({ admin: false, grants: [] }, 'invited'), 'x', now()))
      .token;
  // A tablet of site A that sent its recovery code, for the coordinator to read.
  const recovering = async () => {
    const tablet = await enrol(SITE_A, 'recovering');
    expectOk(
      'sending a recovery code',
      await send({
        method: 'PUT',
        url: '/api/v1/devices/recovery',
        authorization: tablet.authorization,
        payload: { secret: 'ABCD-EFGH-IJKL-MNOP-QRST' },
      }),
    );
    return tablet.deviceId;
  };
  // A backup file of the uploader (site A) holding no record: importing it stores nothing.
  const emptyBackup = async () => {
    const key = ServerKeySchema.parse(
      expectOk('reading the server key', await send({ method: 'GET', url: '/api/v1/server-key' })),
    );
    const token = uploader.authorization.slice('Bearer '.length);
    return encryptBackup({ token, records: [] }, key, {
      createdAt: AT,
      deviceId: uploader.deviceId,
      site: SITE_A,
    });
  };
  let standingRefused: string | undefined;
  const refusedKey = async (phase: 'refused' | 'allowed') => {
    if (phase === 'allowed') return newRefused();
    standingRefused ??= await newRefused();
    return standingRefused;
  };

  const works = async (authorization: string | undefined) =>
    (await send({ method: 'GET', url: '/api/v1/questionnaires', authorization })).status === 200;

  const keepWorking = async (caller: Caller) => {
    if (caller.member === undefined || (await works(caller.authorization))) return false;
    if (caller.username !== undefined) {
      // A session as the login route makes one, without the password hash a login costs
      // (hundreds of milliseconds): the fuzz ends sessions by the dozen.
      const token = newToken('ses');
      await store.createSession({
        tokenHash: sha256(token),
        username: caller.username,
        expiresAt: new Date(now().getTime() + SESSION_HOURS * 3600_000).toISOString(),
      });
      caller.authorization = `Bearer ${token}`;
      if (await works(caller.authorization)) return false;
    }
    caller.authorization = (await freshCaller(caller.member)).authorization;
    return true;
  };

  /** A tablet's site; site A for anyone else. */
  const siteOfCaller = (caller: Caller) => {
    const spec = caller.member === undefined ? undefined : MEMBER_ROLES[caller.member];
    return spec !== undefined && 'site' in spec ? spec.site : SITE_A;
  };

  /**
   * A valid body for each route that takes one (a route not here is called without one); refused
   * calls get one that would change standing fixtures if it got through.
   */
  const bodies: Record<string, (caller: Caller, phase: 'refused' | 'allowed') => Promise<unknown>> =
    {
      'POST /api/v1/auth/login': async () => ({
        username: await newUser(
          { admin: false, grants: [{ site: SITE_A, role: 'analyst' }] },
          'ana',
        ),
        password: PASSWORD,
      }),
      'POST /api/v1/auth/link/info': async () => ({ token: await newLink() }),
      'POST /api/v1/auth/link': async () => ({ token: await newLink(), password: PASSWORD }),
      // The same password again: a member's password never changes under the other tests.
      'POST /api/v1/auth/password': async () => ({ current: PASSWORD, next: PASSWORD }),
      'POST /api/v1/users': async () => {
        userCounter += 1;
        return {
          username: `made-${userCounter}`,
          admin: false,
          grants: [{ site: SITE_A, role: 'analyst' }],
        };
      },
      'PUT /api/v1/users/:username/access': async (_, phase) =>
        phase === 'refused' ? ADMIN : { admin: false, grants: [{ site: '*', role: 'analyst' }] },
      'POST /api/v1/sites': async () => {
        siteCounter += 1;
        return { id: `made-${siteCounter}`, settings: { name: 'Nouveau site' } };
      },
      'PUT /api/v1/sites/:site/settings': async (_, phase) => ({
        name: phase === 'refused' ? 'changed by a refused call' : (standingSite ?? SITE_A),
        timeZone: 'Europe/Paris',
        helpline: '3114',
        protocolContacts: [{ name: 'Dr Martin', role: 'psychologue', phone: '03 20 00 00 00' }],
        shortInterviewSeconds: 600,
        languages: ['fr', 'en'],
        sampleSize: 900,
        tolerance: 0.05,
      }),
      'PUT /api/v1/sites/:site/closed': async (_, phase) => ({ closed: phase === 'refused' }),
      'POST /api/v1/devices/enrol': async () => ({
        code: (await newCode(SITE_A)).code,
        label: 'matrix',
      }),
      'POST /api/v1/records': async (caller) => {
        const deviceId = deviceIds.get(caller.authorization ?? '') ?? 'no-device';
        return { records: [validRecord(nextUuid(), siteOfCaller(caller), deviceId)] };
      },
      'POST /api/v1/questionnaires': async () => ({ definition: demoDefinition, labelPacks: [] }),
      'PUT /api/v1/sites/:site/label-packs/:questionnaireId/:version/:language': async () => ({
        pack: demoSitePack('gcr'),
      }),
      'PUT /api/v1/sites/:site/quota-plan': async () => tinyDemoPlan(SITE_A),
      'PUT /api/v1/sites/:site/pickup-points': async () => ({ pickupPoints: [] }),
      'PUT /api/v1/sites/:site/allocations': async () => ({ allocations: [] }),
      'PUT /api/v1/devices/recovery': async () => ({ secret: 'ABCD-EFGH-IJKL-MNOP-QRST' }),
      'POST /api/v1/sites/:site/backups': emptyBackup,
    };

  const prepare: World['prepare'] = async (route, caller, phase) => {
    const values: Record<string, string> = {};
    // Allowed calls that close or delete a site get a site of their own.
    const ownSite =
      phase === 'allowed' &&
      (route.key === 'DELETE /api/v1/sites/:site' ||
        route.key === 'PUT /api/v1/sites/:site/closed');
    // User routes: refused calls name the standing user; allowed calls the caller themself
    // (the sessions routes, which a user may call for themself) or a fresh user.
    const self = route.path.startsWith('/api/v1/users/:username/sessions');
    for (const param of route.params) {
      const key = `${route.key} :${param}`;
      if (param === 'site') values[param] = ownSite ? await newSite() : SITE_A;
      else if (param === 'username')
        values[param] =
          phase === 'refused'
            ? SUBJECT
            : self && caller.username !== undefined
              ? caller.username
              : await newUser(SUBJECT_ACCESS, 'target');
      else if (key === 'DELETE /api/v1/users/:username/sessions/:id :id')
        values[param] =
          phase === 'refused'
            ? subjectSession
            : await newSession(values['username'] ?? caller.username ?? SUBJECT);
      else if (key === 'POST /api/v1/sites/:site/devices/:id/revoke :id')
        values[param] =
          phase === 'refused' ? victim.deviceId : (await enrol(SITE_A, 'to revoke')).deviceId;
      else if (key === 'POST /api/v1/sites/:site/devices/:id/recovery :id')
        values[param] = phase === 'refused' ? victim.deviceId : await recovering();
      else if (key === 'DELETE /api/v1/sites/:site/enrolment-codes/:createdAt :createdAt')
        values[param] =
          phase === 'refused' ? standingCode.createdAt : (await newCode(SITE_A)).createdAt;
      else if (route.path.startsWith('/api/v1/sites/:site/refused-records/') && param === 'key')
        values[param] = await refusedKey(phase);
      else if (key === 'GET /api/v1/questionnaires/:id/:version :id') values[param] = 'demo';
      else if (key === 'GET /api/v1/questionnaires/:id/:version :version') values[param] = '1';
      else if (route.path.startsWith('/api/v1/sites/:site/label-packs/'))
        values[param] = { questionnaireId: 'demo', version: '1', language: 'gcr' }[param] ?? '';
      else
        throw new Error(
          `${route.key}: the tests do not know what to put in :${param}; add it to prepare() in ` +
            'tests/helpers/api-world.ts (something that exists, so an allowed caller gets in)',
        );
    }
    let url = route.path.replace(/:(\w+)/g, (_, name: string) =>
      encodeURIComponent(values[name] ?? ''),
    );
    if (route.key === 'DELETE /api/v1/sites/:site') url += `?confirm=${values['site'] ?? ''}`;
    const body = bodies[route.key];
    return body === undefined ? { url } : { url, payload: await body(caller, phase) };
  };

  const standingProblems = async () => {
    const problems: string[] = [];
    if (!(await works(victim.authorization)))
      problems.push('the standing tablet of site A no longer works');
    const codes = await send({
      method: 'GET',
      url: `/api/v1/sites/${SITE_A}/enrolment-codes`,
      authorization: asAdmin,
    });
    const listed = Array.isArray(codes.json)
      ? codes.json.some(
          (entry: unknown) =>
            typeof entry === 'object' &&
            entry !== null &&
            (entry as { createdAt?: unknown }).createdAt === standingCode.createdAt,
        )
      : false;
    if (!listed) problems.push('the standing enrolment code of site A is no longer listed');
    const site = await store.getSite(SITE_A);
    if (site === undefined) problems.push('site A is gone');
    else if (site.closedAt !== null) problems.push('site A is closed');
    else if (site.name !== standingSite) problems.push(`site A is now named ${site.name}`);
    const subject = await store.getUser(SUBJECT);
    if (subject === undefined) problems.push('the standing user is gone');
    else if (
      subject.admin ||
      JSON.stringify(subject.grants) !== JSON.stringify(SUBJECT_ACCESS.grants)
    )
      problems.push(`the standing user's access is now ${JSON.stringify(subject)}`);
    const sessions = await store.listSessions(now().toISOString(), SUBJECT);
    if (!sessions.some((session) => sessionId(session) === subjectSession))
      problems.push('the standing user’s session has ended');
    if (standingRefused !== undefined) {
      const refused = await send({
        method: 'GET',
        url: `/api/v1/sites/${SITE_A}/refused-records/${standingRefused}`,
        authorization: asAdmin,
      });
      const state = (refused.json as { state?: unknown } | undefined)?.state;
      if (state !== 'refused')
        problems.push(`the standing refused record of site A is now ${String(state)}`);
    }
    return problems;
  };

  const count = (table: string) =>
    (reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const counts = async (): Promise<Counts> => ({
    records: (await store.listRecords({}, null, 1_000_000)).length,
    sites: (await store.listSites()).length,
    questionnaires: (await store.listQuestionnaires()).length,
    devices: (await store.listDevices(SITE_A)).length + (await store.listDevices(SITE_B)).length,
    users: count('users'),
    sessions: count('sessions'),
  });

  return {
    store,
    members,
    outsiders,
    deviceIds,
    send,
    openApp: async (more) => {
      const another = await buildApp({
        ...UNLIMITED,
        ...options,
        ...more,
        store,
        now,
      });
      apps.push(another);
      return sender(another);
    },
    freshCaller,
    keepWorking,
    prepare,
    hasBodyFor: (route) => route.key in bodies,
    standingProblems,
    counts,
    close: async () => {
      for (const each of apps) await each.close();
      reader.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
