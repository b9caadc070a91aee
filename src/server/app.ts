// The central endpoint's HTTP API (`/api/v1`): enrolment, uploads answered record by record,
// questionnaires and quota state out, coordinator login. Bodies are checked with the zod schemas
// of src/core/protocol, shared with the app. Every error is a 4xx/5xx JSON body with a message,
// never a stack trace. Routes are documented in the README (checked by a test).
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  API_PREFIX,
  MAX_BATCH_BYTES,
  PickupPointsRequestSchema,
  PublishRequestSchema,
} from '../core/protocol/index.ts';
import type {
  EnrolmentCodeInfo,
  EnrolmentCodeResponse,
  PublishedQuestionnaire,
  QuestionnaireVersion,
  QuotaState,
  SiteSummary,
  UploadResult,
} from '../core/protocol/index.ts';
import type { Questionnaire } from '../core/questionnaire/index.ts';
import { loadQuestionnaire } from '../core/questionnaire/index.ts';
import type { QuotaPlan, QuotaRecord } from '../core/quota/index.ts';
import { countQuotas, loadQuotaPlan } from '../core/quota/index.ts';
import type { UploaderInfo, Verdict } from './admit.ts';
import { admitRecords, BadBatch, loadPublished, readBatch } from './admit.ts';
import { hashPassword, newEnrolmentCode, newServerSecret, sha256 } from './auth.ts';
import type { AuthLimits } from './auth-routes.ts';
import {
  DEFAULT_AUTH_LIMITS,
  DEFAULT_DEVICE_TOKEN_DAYS,
  registerAuthRoutes,
} from './auth-routes.ts';
import { allocationProblems, dayIn, quotaRecord, siteSummary } from './dashboard.ts';
import { registerExportRoutes } from './export.ts';
import { refusedRecord, registerRefusedRoutes } from './refused.ts';
import { loggerOptions, registerAuditLog } from './audit-log.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { RecordCheckers } from './record-checkers.ts';
import type {
  Device,
  RefusedRecord,
  Role,
  ServerStore,
  Site,
  StoredRecord,
  User,
} from './store/types.ts';

const ENROLMENT_CODE_HOURS = 72;
/** Most interviewers' allocations in one plan. */
const MAX_ALLOCATIONS = 500;

export interface AppOptions {
  readonly store: ServerStore;
  /** The clock (ISO strings); injected so tests control time. */
  readonly now?: () => Date;
  /** Structured logs (pino, Fastify's logger, see audit-log.ts); off in tests. */
  readonly logger?: boolean;
  /** Logs to this stream instead of standard output (tests read what is logged). */
  readonly logStream?: NodeJS.WritableStream;
  /** Uploads allowed per device per minute. */
  readonly uploadsPerMinute?: number;
  /** Told of every route as it is registered (the README's route table is checked with it). */
  readonly onRoute?: (method: string, url: string) => void;
  /** Serve over HTTPS with this certificate (tablets need a secure origin for the service worker). */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /**
   * Worker threads that check uploaded records (record-checkers.ts); 0, the default, checks them on
   * the main thread. The server started by `npm start` uses one per core (main.ts).
   */
  readonly checkThreads?: number;
  /**
   * Addresses or CIDR ranges of the reverse proxies whose `X-Forwarded-For` is believed
   * (`TRUST_PROXY`, main.ts); none by default, so a client cannot choose its own address.
   */
  readonly trustProxy?: readonly string[];
  /**
   * The key of the enrolment codes' HMAC, kept outside the database (main.ts: `SERVER_SECRET`, or
   * a file beside the SQLite file). Without one, a random key for this process only: codes made
   * then do not survive a restart (tests).
   */
  readonly serverSecret?: string;
  /** Days a device token lasts before the tablet must be enrolled again (180 by default). */
  readonly deviceTokenDays?: number;
  /** Rate limits and lockout of login and enrolment (auth-routes.ts); tests change them. */
  readonly authLimits?: Partial<AuthLimits>;
}

/** An upload's body kept as bytes, for the record checkers to decode and parse in their threads. */
class RawBatch {
  constructor(readonly bytes: Buffer) {}
}

/**
 * Keys that could poison a prototype, spelled as secure-json-parse (Fastify's JSON parser) looks
 * for them: a body that has one is parsed by Fastify's parser, which refuses it. Every spelling
 * holds `proto` or `constructor` as such, or an escape `\u`: bytes without any of the three are
 * not decoded to look (`mayHaveSuspectKey`).
 */
const SUSPECT_KEY =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:|"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

function mayHaveSuspectKey(bytes: Buffer): boolean {
  return bytes.includes('proto') || bytes.includes('constructor') || bytes.includes('\\u');
}

/** An error a client can act on: status, short code, message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Caller =
  | { readonly kind: 'device'; readonly device: Device }
  | { readonly kind: 'user'; readonly user: User; readonly tokenHash: string };

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function parse<T>(
  schema: {
    safeParse(data: unknown):
      | { success: true; data: T }
      | {
          success: false;
          error: { issues: readonly { path: PropertyKey[]; message: string; code: string }[] };
        };
  },
  body: unknown,
): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where =
    first === undefined || first.path.length === 0 ? 'body' : first.path.map(String).join('.');
  throw new HttpError(
    400,
    'bad_request',
    `${where}: ${first?.message === 'Invalid input' ? `invalid (${first.code})` : (first?.message ?? 'invalid')}`,
  );
}

/** What an answer given before the hooks run must still say (security-headers.ts says why). */
const FRAMEWORK_ERROR_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const app = Fastify({
    logger:
      options.logger === true || options.logStream !== undefined
        ? loggerOptions(options.logStream)
        : false,
    bodyLimit: MAX_BATCH_BYTES + 256 * 1024,
    trustProxy:
      options.trustProxy !== undefined && options.trustProxy.length > 0
        ? [...options.trustProxy]
        : false,
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    // A path the router cannot decode (`/%E0%A4%A`) is answered before any hook runs: in the house
    // format, with the headers every other answer gets from security-headers.ts written by hand.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply)
        .status(error.statusCode === 414 ? 414 : 400)
        .headers(FRAMEWORK_ERROR_HEADERS)
        .send({ error: 'bad_request', message: 'this address cannot be read: check it' });
    },
  }) as unknown as FastifyInstance;
  await registerSecurityHeaders(app, { tls: options.https !== undefined });
  registerAuditLog(app);
  const { onRoute } = options;
  if (onRoute !== undefined) {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if (method !== 'HEAD') onRoute(method, route.url);
    });
  }
  const checkThreads = options.checkThreads ?? 0;
  const checkers =
    checkThreads > 0
      ? new RecordCheckers(checkThreads, (id, version) => store.getQuestionnaire(id, version))
      : undefined;
  if (checkers !== undefined) {
    app.addHook('onClose', () => checkers.close());
    // The upload route's body stays bytes, decoded and parsed in the checkers' threads (the main
    // thread neither decodes ~1 MB of UTF-8 nor copies it as text to each thread); every other
    // body, and an upload with a suspect key, goes through Fastify's own parser.
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const bytes = body as Buffer;
      if (request.routeOptions.url === `${API_PREFIX}/records`) {
        const suspect = mayHaveSuspectKey(bytes) && SUSPECT_KEY.test(bytes.toString('utf8'));
        if (!suspect) {
          done(null, new RawBatch(bytes));
          return;
        }
      }
      json(request, bytes.toString('utf8'), done);
    });
  }
  const questionnaires = new Map<string, Questionnaire | null>();
  const uploads = new Map<string, { windowStart: number; count: number }>();
  const uploadsPerMinute = options.uploadsPerMinute ?? 120;

  async function questionnaire(id: string, version: string): Promise<Questionnaire | undefined> {
    const key = `${id}@${version}`;
    if (!questionnaires.has(key)) {
      const row = await store.getQuestionnaire(id, version);
      if (row === undefined) return undefined;
      questionnaires.set(key, loadPublished(row) ?? null);
    }
    return questionnaires.get(key) ?? undefined;
  }

  async function caller(request: FastifyRequest): Promise<Caller> {
    const token = bearer(request);
    if (token === undefined)
      throw new HttpError(401, 'unauthorized', 'an Authorization: Bearer token is required');
    if (token.startsWith('dev_'))
      return { kind: 'device', device: await auth.device(request, token) };
    const hash = sha256(token);
    const session = await store.getSession(hash);
    if (session === undefined || session.expiresAt <= iso())
      throw new HttpError(401, 'unauthorized', 'unknown or expired session: log in again');
    const user = await store.getUser(session.username);
    if (user === undefined)
      throw new HttpError(401, 'unauthorized', 'this account no longer exists');
    return { kind: 'user', user, tokenHash: hash };
  }

  async function userWith(
    request: FastifyRequest,
    roles: readonly Role[],
    site?: string,
  ): Promise<User> {
    const who = await caller(request);
    if (who.kind !== 'user')
      throw new HttpError(403, 'forbidden', 'a coordinator, analyst or admin login is required');
    if (!roles.includes(who.user.role))
      throw new HttpError(403, 'forbidden', `this needs one of the roles ${roles.join(', ')}`);
    if (site !== undefined && who.user.role !== 'admin' && !who.user.sites.includes(site)) {
      throw new HttpError(403, 'forbidden', `no access to site ${site}`);
    }
    return who.user;
  }

  async function siteOf(id: string) {
    const site = await store.getSite(id);
    if (site === undefined) throw new HttpError(404, 'not_found', `unknown site ${id}`);
    return site;
  }

  /** The site's plan if it has a valid one. */
  function validPlan(site: Site): QuotaPlan | null {
    const checked = site.plan === null ? undefined : loadQuotaPlan(site.plan);
    return checked?.status === 'success' ? checked.plan : null;
  }

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.status).send({ error: error.code, message: error.message });
    }
    const status =
      typeof error === 'object' && error !== null && 'statusCode' in error
        ? Number(error.statusCode)
        : 500;
    if (status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'bad request';
      return reply
        .status(status)
        .send({ error: status === 413 ? 'too_large' : 'bad_request', message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: 'internal', message: 'the server could not complete the request' });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    });
  });

  app.get(`${API_PREFIX}/health`, async () => ({ ok: true }));

  const auth = await registerAuthRoutes(app, {
    store,
    now,
    serverSecret: options.serverSecret ?? newServerSecret(),
    deviceTokenDays: options.deviceTokenDays ?? DEFAULT_DEVICE_TOKEN_DAYS,
    limits: { ...DEFAULT_AUTH_LIMITS, ...options.authLimits },
    caller,
    parse,
    error: (status, code, message) => new HttpError(status, code, message),
  });

  app.get(`${API_PREFIX}/sites`, async (request) => {
    const user = await userWith(request, ['admin', 'coordinator', 'analyst']);
    const sites = await store.listSites();
    return sites
      .filter((site) => user.role === 'admin' || user.sites.includes(site.id))
      .map((site) => ({
        id: site.id,
        name: site.name,
        shortInterviewSeconds: site.shortInterviewSeconds,
        hasPlan: site.plan !== null,
      }));
  });

  app.post(
    `${API_PREFIX}/sites/:site/enrolment-codes`,
    async (request): Promise<EnrolmentCodeResponse> => {
      const { site } = request.params as { site: string };
      const user = await userWith(request, ['admin', 'coordinator'], site);
      await siteOf(site);
      const code = newEnrolmentCode();
      const createdAt = iso();
      const expiresAt = new Date(now().getTime() + ENROLMENT_CODE_HOURS * 3600_000).toISOString();
      await store.createEnrolmentCode({
        codeHash: auth.codeHash(code),
        site,
        createdBy: user.username,
        expiresAt,
        createdAt,
      });
      return { code, site, createdAt, expiresAt };
    },
  );

  app.get(
    `${API_PREFIX}/sites/:site/enrolment-codes`,
    async (request): Promise<EnrolmentCodeInfo[]> => {
      const { site } = request.params as { site: string };
      await userWith(request, ['admin', 'coordinator'], site);
      await siteOf(site);
      // Never the hash: a code holds 40 bits, so its hash would let whoever reads it test guesses.
      return (await store.listEnrolmentCodes(site, iso())).map((code) => ({
        createdAt: code.createdAt,
        expiresAt: code.expiresAt,
        createdBy: code.createdBy,
      }));
    },
  );

  app.delete(`${API_PREFIX}/sites/:site/enrolment-codes/:createdAt`, async (request, reply) => {
    const { site, createdAt } = request.params as { site: string; createdAt: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    if ((await store.deleteEnrolmentCode(site, createdAt)) === 0)
      throw new HttpError(
        404,
        'not_found',
        `no unused enrolment code of site ${site} made at ${createdAt}`,
      );
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/sites/:site/devices`, async (request) => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    return (await store.listDevices(site)).map((device) => ({
      id: device.id,
      site: device.site,
      label: device.label,
      enrolledAt: device.enrolledAt,
      revokedAt: device.revokedAt,
      lastSyncAt: device.lastSyncAt,
      lastPending: device.lastPending,
    }));
  });

  app.post(`${API_PREFIX}/sites/:site/devices/:id/revoke`, async (request, reply) => {
    const { site, id } = request.params as { site: string; id: string };
    await userWith(request, ['admin', 'coordinator'], site);
    const device = (await store.listDevices(site)).find((entry) => entry.id === id);
    if (device === undefined)
      throw new HttpError(404, 'not_found', `no device ${id} in site ${site}`);
    await store.revokeDevice(id, iso());
    return reply.status(204).send();
  });

  app.post(`${API_PREFIX}/records`, async (request) => {
    const who = await caller(request);
    if (who.kind !== 'device')
      throw new HttpError(403, 'forbidden', 'only an enrolled tablet uploads records');
    const { device } = who;
    const minute = Math.floor(now().getTime() / 60_000);
    const used = uploads.get(device.id);
    const count = used !== undefined && used.windowStart === minute ? used.count + 1 : 1;
    uploads.set(device.id, { windowStart: minute, count });
    if (count > uploadsPerMinute)
      throw new HttpError(
        429,
        'rate_limited',
        `more than ${uploadsPerMinute} uploads in a minute: wait and retry`,
      );
    const receivedAt = iso();
    // The site and the device are the token's; the plan and the pick-up points the site's now.
    const site = await siteOf(device.site);
    const info: UploaderInfo = {
      site: device.site,
      deviceId: device.id,
      receivedAt,
      plan: validPlan(site),
      pickupPoints: site.pickupPoints,
    };
    let batch: { readonly verdicts: readonly Verdict[]; readonly pending: number | null };
    try {
      if (request.body instanceof RawBatch && checkers !== undefined) {
        batch = await checkers.check(request.body.bytes, info);
      } else {
        const { records, pending } = readBatch(request.body);
        const uploader = { ...info, questionnaire };
        batch = { verdicts: await admitRecords(records, 0, records.length, uploader), pending };
      }
    } catch (error) {
      if (error instanceof BadBatch) throw new HttpError(400, 'bad_request', error.message);
      throw error;
    }
    const results: (UploadResult | undefined)[] = [];
    const toStore: { index: number; row: StoredRecord }[] = [];
    const refusals: RefusedRecord[] = [];
    const refuse = (reason: string, sent: string) =>
      refusals.push(
        refusedRecord({ site: device.site, deviceId: device.id, receivedAt, reason, sent }),
      );
    batch.verdicts.forEach((verdict, index) => {
      if ('rejected' in verdict) {
        results.push(verdict.rejected);
        refuse(verdict.rejected.reason ?? 'refused', verdict.sent);
        return;
      }
      results.push(undefined);
      toStore.push({ index, row: verdict.row });
    });
    const outcomes =
      toStore.length === 0 ? [] : await store.putRecords(toStore.map((entry) => entry.row));
    toStore.forEach((entry, i) => {
      const outcome = outcomes[i] ?? 'conflict';
      const reason = 'another record with this id is already stored, with other content';
      if (outcome === 'conflict') refuse(`conflict: ${reason}`, entry.row.body);
      results[entry.index] = {
        id: entry.row.id,
        status: outcome,
        ...(outcome === 'conflict' ? { reason } : {}),
      };
    });
    // Refused is not lost: kept apart for the coordinator before the tablet hears of it.
    if (refusals.length > 0) {
      await store.putRefused(refusals);
      request.log.warn(
        {
          event: 'records_refused',
          site: device.site,
          device: device.id,
          count: refusals.length,
          reasons: refusals.slice(0, 3).map((refusal) => refusal.reason.slice(0, 200)),
        },
        'records refused',
      );
    }
    await store.touchDevice(device.id, receivedAt, batch.pending);
    return {
      results: results.map(
        (result, index) =>
          result ?? { id: `#${index}`, status: 'rejected' as const, reason: 'not processed' },
      ),
    };
  });

  app.get(`${API_PREFIX}/questionnaires`, async (request): Promise<QuestionnaireVersion[]> => {
    await caller(request);
    return store.listQuestionnaireVersions();
  });

  app.get(
    `${API_PREFIX}/questionnaires/:id/:version`,
    async (request): Promise<PublishedQuestionnaire> => {
      await caller(request);
      const { id, version } = request.params as { id: string; version: string };
      const row = await store.getQuestionnaire(id, version);
      if (row === undefined)
        throw new HttpError(404, 'not_found', `questionnaire ${id} ${version} is not published`);
      return {
        questionnaireId: row.questionnaireId,
        version: row.version,
        definition: JSON.parse(row.definition) as unknown,
        labelPacks: JSON.parse(row.labelPacks) as PublishedQuestionnaire['labelPacks'],
        publishedAt: row.publishedAt,
      };
    },
  );

  app.post(`${API_PREFIX}/questionnaires`, async (request, reply) => {
    // A version reaches every site's tablets: publishing is the study's act, not a site's.
    await userWith(request, ['admin']);
    const { definition, labelPacks } = parse(PublishRequestSchema, request.body);
    const result = loadQuestionnaire(definition, { labelPacks });
    if (result.status === 'failure') {
      throw new HttpError(
        400,
        'invalid_questionnaire',
        result.issues
          .slice(0, 10)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
      );
    }
    const { id, version } = result.definition;
    const outcome = await store.publishQuestionnaire({
      questionnaireId: id,
      version,
      definition: JSON.stringify(definition),
      labelPacks: JSON.stringify(labelPacks),
      publishedAt: iso(),
    });
    if (outcome === 'exists')
      throw new HttpError(
        409,
        'exists',
        `${id} ${version} is already published; a change needs a new version`,
      );
    return reply.status(201).send({ questionnaireId: id, version });
  });

  app.get(`${API_PREFIX}/sites/:site/quota`, async (request): Promise<QuotaState> => {
    const { site: siteId } = request.params as { site: string };
    const who = await caller(request);
    if (who.kind === 'device' && who.device.site !== siteId)
      throw new HttpError(403, 'forbidden', `this tablet belongs to site ${who.device.site}`);
    if (who.kind === 'user' && who.user.role !== 'admin' && !who.user.sites.includes(siteId))
      throw new HttpError(403, 'forbidden', `no access to site ${siteId}`);
    const site = await siteOf(siteId);
    const checked = site.plan === null ? undefined : loadQuotaPlan(site.plan);
    const plan = checked?.status === 'success' ? checked.plan : null;
    const records: QuotaRecord[] = [];
    if (plan !== null) {
      for (const row of await store.quotaRows(siteId)) {
        const record = quotaRecord(row);
        if (record !== undefined) records.push(record);
      }
    }
    const counts = plan === null ? { completed: {}, screenedOut: {} } : countQuotas(plan, records);
    return {
      site: siteId,
      plan,
      counts: JSON.parse(JSON.stringify(counts)) as QuotaState['counts'],
      pickupPoints: [...site.pickupPoints],
      at: iso(),
    };
  });

  app.put(`${API_PREFIX}/sites/:site/pickup-points`, async (request, reply) => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const { pickupPoints } = parse(PickupPointsRequestSchema, request.body);
    await store.setSitePickupPoints(site, pickupPoints);
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/sites/:site/quota-plan`, async (request, reply) => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const checked = loadQuotaPlan(request.body);
    if (checked.status === 'failure') {
      throw new HttpError(
        400,
        'invalid_plan',
        checked.issues
          .slice(0, 10)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
      );
    }
    if (checked.plan.site !== site)
      throw new HttpError(
        400,
        'invalid_plan',
        `the plan is for site ${checked.plan.site}, not ${site}`,
      );
    await store.setSitePlan(site, checked.plan);
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/sites/:site/summary`, async (request): Promise<SiteSummary> => {
    const { site: siteId } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator', 'analyst'], siteId);
    const site = await siteOf(siteId);
    const { timeZone = 'UTC' } = request.query as { timeZone?: unknown };
    const day = typeof timeZone === 'string' && timeZone.length <= 64 ? dayIn(timeZone) : undefined;
    if (typeof timeZone !== 'string' || day === undefined)
      throw new HttpError(
        400,
        'bad_request',
        'timeZone: unknown time zone; give an IANA name such as Europe/Paris',
      );
    return siteSummary({
      site,
      plan: validPlan(site),
      rows: await store.summaryRows(siteId),
      day,
      timeZone,
      at: iso(),
    });
  });

  app.put(`${API_PREFIX}/sites/:site/allocations`, async (request, reply) => {
    const { site: siteId } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], siteId);
    const site = await siteOf(siteId);
    const plan = validPlan(site);
    if (plan === null)
      throw new HttpError(
        409,
        'no_plan',
        `site ${siteId} has no quota plan: set one first (PUT ${API_PREFIX}/sites/${siteId}/quota-plan)`,
      );
    const body = request.body as { allocations?: unknown } | null;
    if (
      body === null ||
      typeof body !== 'object' ||
      !Array.isArray(body.allocations) ||
      Object.keys(body).some((key) => key !== 'allocations')
    )
      throw new HttpError(400, 'bad_request', 'body: expected { "allocations": [...] }');
    if (body.allocations.length > MAX_ALLOCATIONS)
      throw new HttpError(
        400,
        'bad_request',
        `allocations: at most ${MAX_ALLOCATIONS} interviewers`,
      );
    // The plan's own checks: shapes, known tables and cells, every cell's shares within its limit.
    const proposed: Record<string, unknown> = { ...plan, allocations: body.allocations };
    // An empty list means "no allocations", not "nobody may interview".
    if (body.allocations.length === 0) delete proposed['allocations'];
    const checked = loadQuotaPlan(proposed);
    if (checked.status === 'failure')
      throw new HttpError(
        400,
        'invalid_allocations',
        checked.issues
          .slice(0, 10)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
      );
    const next = checked.plan;
    const seen = new Set<string>();
    for (const allocation of next.allocations ?? []) {
      if (seen.has(allocation.interviewer))
        throw new HttpError(
          400,
          'invalid_allocations',
          `${allocation.interviewer} is given two allocations: give each interviewer one`,
        );
      seen.add(allocation.interviewer);
    }
    // What each interviewer has already done, cell by cell, as far as the server knows.
    const byInterviewer = new Map<string, QuotaRecord[]>();
    for (const row of await store.quotaRows(siteId)) {
      if (row.status !== 'completed') continue;
      const records = byInterviewer.get(row.interviewer) ?? [];
      records.push({
        interviewer: row.interviewer,
        outcome: 'completed',
        practice: false,
        categories: JSON.parse(row.quotaCategories) as Record<string, string>,
      });
      byInterviewer.set(row.interviewer, records);
    }
    const done = new Map(
      [...byInterviewer].map(([interviewer, records]) => [
        interviewer,
        countQuotas(plan, records).completed,
      ]),
    );
    const problems = allocationProblems(plan, next, done);
    if (problems.length > 0)
      throw new HttpError(409, 'below_done', problems.slice(0, 10).join('; '));
    await store.setSitePlan(siteId, next);
    return reply.status(204).send();
  });

  registerRefusedRoutes(app, {
    store,
    userWith,
    error: (status, code, message) => new HttpError(status, code, message),
    questionnaire,
    siteOf,
    validPlan,
    now: iso,
  });

  registerExportRoutes(app, {
    store,
    userWith,
    error: (status, code, message) => new HttpError(status, code, message),
    questionnaire,
    now: iso,
  });

  return app;
}

/** Creates a user with a hashed password (bootstrap and tests). */
export async function createUser(
  store: ServerStore,
  username: string,
  password: string,
  role: Role,
  sites: readonly string[],
  at: string,
): Promise<void> {
  await store.createUser({
    username,
    passwordHash: await hashPassword(password),
    role,
    sites,
    createdAt: at,
  });
}
