// The sync tests' world: the real server (buildApp on SQLite in memory) with a site, a
// coordinator, the demo questionnaire published by an admin and enrolment codes from the API; a
// transport into it that can fail on purpose; and tablets (in-memory stores) enrolled through it.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Answer, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../../../src/core/questionnaire/index.ts';
import type { QuotaPlan } from '../../../../src/core/quota/index.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import type {
  DeviceSettings,
  InterviewRecord,
  InterviewStore,
} from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/index.ts';
import type { Transport, TransportRequest } from '../../../../src/app/sync/api.ts';
import { enrol } from '../../../../src/app/sync/api.ts';
import { buildApp, createUser } from '../../../../src/server/app.ts';
import { SqliteStore } from '../../../../src/server/store/sqlite-store.ts';
import type { StoredRecord } from '../../../../src/server/store/types.ts';
import { tinyDemoPlan } from '../../../helpers/plans.ts';
import { runInterview } from '../../../helpers/interview-runner.ts';

export const SERVER_URL = 'http://smpg.test';
export const DEMO_DEFINITION = JSON.parse(
  readFileSync('questionnaires/demo/1.json', 'utf8'),
) as unknown;
export const DEMO_V2_DEFINITION = JSON.parse(
  readFileSync('questionnaires/demo/2.json', 'utf8'),
) as unknown;
const loaded = loadQuestionnaire(DEMO_DEFINITION);
if (loaded.status === 'failure') throw new Error('the demo questionnaire does not load');
export const DEMO: Questionnaire = loaded.questionnaire;

export interface TestServer {
  readonly app: FastifyInstance;
  readonly store: SqliteStore;
  /** A coordinator's session token (or an admin's, with `admin`). */
  readonly token: string;
  call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown>;
  /** Publishes a questionnaire version (without label packs), as an admin: only admins publish. */
  publish(definition: unknown): Promise<void>;
  /** Creates a site (with the tiny demo plan unless told otherwise); only an admin reaches it. */
  addSite(id: string, plan?: QuotaPlan | null): Promise<void>;
  /** A one-time enrolment code for a site, from the API. */
  newCode(site: string): Promise<string>;
  /** Every record the server holds for a site. */
  records(site: string): Promise<StoredRecord[]>;
  close(): Promise<void>;
}

/**
 * The real server on SQLite in memory: the sites (`lille` by default, each with the tiny demo
 * plan), their coordinator (or an admin, who may make codes for sites added later: the property
 * test makes one site per run), and the demo questionnaire published by them.
 */
export async function startServer(
  options: { readonly sites?: readonly string[]; readonly admin?: boolean } = {},
): Promise<TestServer> {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const at = new Date().toISOString();
  const sites = options.sites ?? ['lille'];
  for (const id of sites) {
    await store.createSite({
      id,
      name: id,
      plan: tinyDemoPlan(id),
      shortInterviewSeconds: 600,
      createdAt: at,
    });
  }
  const role = options.admin === true ? 'admin' : 'coordinator';
  const grants = sites.map((site) => ({ site, role: 'coordinator' as const }));
  await createUser(
    store,
    'coord',
    'secret-password',
    role === 'admin' ? { admin: true, grants: [] } : { admin: false, grants },
    at,
  );
  // Many tablets enrol from one address here (the property test makes dozens).
  const app = await buildApp({
    store,
    uploadsPerMinute: 100_000,
    authLimits: { enrolmentsPerAddress: 100_000, enrolmentsOverall: 100_000 },
  });
  const request = async (
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    token?: string,
    body?: unknown,
  ) => {
    const response = await app.inject({
      method,
      url: path,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (response.statusCode >= 300) {
      throw new Error(`${method} ${path}: ${response.statusCode} ${response.body}`);
    }
    return response.body === '' ? undefined : (response.json() as unknown);
  };
  const login = (await request('POST', '/api/v1/auth/login', undefined, {
    username: 'coord',
    password: 'secret-password',
  })) as { token: string };
  let adminToken = login.token;
  if (role !== 'admin') {
    await createUser(store, 'admin', 'admin-password', { admin: true, grants: [] }, at);
    const admin = (await request('POST', '/api/v1/auth/login', undefined, {
      username: 'admin',
      password: 'admin-password',
    })) as { token: string };
    adminToken = admin.token;
  }
  const publish = async (definition: unknown) => {
    await request('POST', '/api/v1/questionnaires', adminToken, { definition, labelPacks: [] });
  };
  await publish(DEMO_DEFINITION);
  return {
    app,
    store,
    token: login.token,
    call: (method, path, body) => request(method, path, login.token, body),
    publish,
    async addSite(id, plan) {
      await store.createSite({
        id,
        name: id,
        plan: plan === undefined ? tinyDemoPlan(id) : plan,
        shortInterviewSeconds: 600,
        createdAt: at,
      });
    },
    async newCode(site) {
      const answer = (await request(
        'POST',
        `/api/v1/sites/${site}/enrolment-codes`,
        login.token,
      )) as { code: string };
      return answer.code;
    },
    records: (site) => store.listRecords({ site }, null, 100_000),
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A request as the transport saw it. */
export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
}

/**
 * What the network does to the next request: `before` fails it before the server sees it;
 * `after` lets the server handle it and loses the answer; `twice` delivers it twice (a proxy's
 * retry) and answers the second; `replay` first delivers again an earlier upload (late, its
 * records in reverse order), then this one; `error500` answers 503 without the server.
 */
export type Fault = 'none' | 'before' | 'after' | 'twice' | 'replay' | 'error500';

export interface TestTransport {
  readonly transport: Transport;
  /** Requests that reached the server, in order. */
  readonly seen: Seen[];
  /** Faults for the next requests, in order (then none). */
  readonly faults: Fault[];
}

/** A transport into the in-process server through `app.inject` (no socket), with faults. */
export function injectTransport(app: FastifyInstance): TestTransport {
  const seen: Seen[] = [];
  const faults: Fault[] = [];
  const uploads: string[] = [];
  const deliver = async (url: string, init: TransportRequest) => {
    const { pathname, search } = new URL(url);
    const path = `${pathname}${search}`;
    seen.push({
      method: init.method,
      path,
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    return app.inject({
      method: init.method,
      url: path,
      headers: { ...init.headers },
      ...(init.body === undefined ? {} : { payload: init.body }),
    });
  };
  const transport: Transport = async (url, init) => {
    const fault = faults.shift() ?? 'none';
    if (fault === 'before') throw new TypeError('Failed to fetch');
    if (fault === 'error500') {
      return { status: 503, json: async () => ({ error: 'down', message: 'maintenance' }) };
    }
    if (fault === 'replay' && uploads.length > 0 && init.method === 'POST') {
      const old = JSON.parse(uploads[uploads.length - 1] ?? '{}') as { records: unknown[] };
      await deliver(url, {
        ...init,
        body: JSON.stringify({ records: [...old.records].reverse() }),
      });
    }
    if (fault === 'twice') await deliver(url, init);
    const response = await deliver(url, init);
    if (init.method === 'POST' && init.body !== undefined && url.endsWith('/records')) {
      uploads.push(init.body);
    }
    if (fault === 'after') throw new TypeError('The network connection was lost.');
    return {
      status: response.statusCode,
      json: async () => response.json() as unknown,
      headers: {
        get: (name: string) => {
          const value = response.headers[name.toLowerCase()];
          return value === undefined ? null : String(value);
        },
      },
    };
  };
  return { transport, seen, faults };
}

export interface Tablet {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly settings: DeviceSettings;
}

/** A tablet enrolled through the API, with the demo questionnaire installed (as shipped). */
export async function enrolledTablet(
  server: TestServer,
  transport: Transport,
  site = 'lille',
  store: InterviewStore = new MemoryInterviewStore(),
): Promise<Tablet> {
  const code = await server.newCode(site);
  const answer = await enrol(transport, SERVER_URL, code, 'test tablet');
  const settings: DeviceSettings = {
    deviceId: answer.deviceId,
    site: answer.site,
    interviewer: 'ENQ-07',
    uiLanguage: 'fr',
    practiceMode: false,
    serverUrl: SERVER_URL,
    deviceToken: answer.token,
  };
  await store.putSettings(settings);
  await store.putQuestionnaire({
    questionnaireId: 'demo',
    version: '1',
    definition: DEMO_DEFINITION,
    labelPacks: [],
    installedAt: '2026-06-01T08:00:00.000Z',
  });
  return { store, cache: new QuestionnaireCache(store), settings };
}

/** The same settings as a tablet set up without a server. */
export function withoutServer(settings: DeviceSettings): DeviceSettings {
  const { deviceId, site, interviewer, uiLanguage, practiceMode } = settings;
  return { deviceId, site, interviewer, uiLanguage, practiceMode };
}

/** A respondent of the demo questionnaire: everything answered; under 18 screens out. */
export function demoScript(age: number, variant = 0): Record<string, Answer> {
  return {
    consent: '1',
    age,
    moved_in: '2015-03-01',
    activities: variant % 2 === 0 ? ['shop'] : ['shop', 'work'],
    work_hours: 20 + (variant % 15),
    feel_tired: String(variant % 3),
    feel_sad: String((variant >> 1) % 3),
    feel_stress_work: '1',
    wish: `souhait ${variant}`,
    postcode: '59000',
    safety: variant % 4 === 0 ? '2' : '1',
    noise: '1',
    rating: variant % 11,
    interviewer_note: 'never leaves the tablet',
  };
}

/**
 * Walks a demo interview through the engine and stores it on the tablet as the app would: its
 * answers one by one, then the record, completed (or screened out) at `endedAt`.
 */
export async function addInterview(
  tablet: Tablet,
  options: {
    readonly age?: number;
    readonly variant?: number;
    readonly practice?: boolean;
    readonly endedAt?: string;
    readonly site?: string;
    readonly script?: Record<string, Answer>;
    readonly pickupPoint?: string;
  } = {},
): Promise<InterviewRecord> {
  const endedAt = options.endedAt ?? '2026-06-15T10:30:00.000Z';
  const script = options.script ?? demoScript(options.age ?? 40, options.variant ?? 0);
  const run = runInterview(DEMO, script, { today: endedAt.slice(0, 10) });
  const id = crypto.randomUUID();
  for (const [itemId, value] of run.state.answers) {
    await tablet.store.saveAnswer(id, itemId, value, endedAt);
  }
  const age = typeof script['age'] === 'number' ? script['age'] : 40;
  const screenedOut = run.step.kind === 'screened_out' ? run.step.screenOut.id : undefined;
  const record: InterviewRecord = {
    id,
    questionnaireId: 'demo',
    questionnaireVersion: '1',
    site: options.site ?? tablet.settings.site,
    interviewer: tablet.settings.interviewer,
    deviceId: tablet.settings.deviceId,
    ...(options.pickupPoint === undefined ? {} : { pickupPoint: options.pickupPoint }),
    status: screenedOut === undefined ? 'completed' : 'screened_out',
    practice: options.practice ?? false,
    position: 'review',
    language: 'fr',
    appVersion: 'test',
    startedAt: new Date(Date.parse(endedAt) - 30 * 60_000).toISOString(),
    updatedAt: endedAt,
    endedAt,
    ...(screenedOut === undefined ? {} : { screenOutId: screenedOut }),
    alerts: run.alertsRaised.map((alert) => ({ id: alert, at: endedAt })),
    ...(screenedOut === undefined
      ? {
          quota: {
            categories: { age: age < 50 ? 'young' : 'old' },
            status: 'accepted' as const,
            at: endedAt,
          },
        }
      : {}),
  };
  await tablet.store.createInterview(record);
  return record;
}

/** A clock tests move by hand. */
export function manualClock(start = '2026-06-15T12:00:00.000Z') {
  let time = Date.parse(start);
  return {
    now: () => new Date(time),
    advance(ms: number) {
      time += ms;
    },
  };
}
