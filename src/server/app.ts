// The central endpoint's HTTP API (`/api/v1`): the Fastify instance (limits, TLS, proxies,
// security headers, logs, error answers), the checks every route shares, and the route modules of
// routes/, one per concern. Every error is a 4xx/5xx JSON body with a message, never a stack trace.
// Routes are documented in docs/api.md (checked by a test).
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, MAX_BATCH_BYTES, allows } from '../core/protocol/index.ts';
import type { Access } from '../core/protocol/index.ts';
import type { Questionnaire } from '../core/questionnaire/index.ts';
import type { QuotaPlan } from '../core/quota/index.ts';
import { loadQuotaPlan } from '../core/quota/index.ts';
import { loadPublished } from './admit.ts';
import { registerFiguresBackfill } from './figures-backfill.ts';
import { hashPassword, newServerSecret, sha256 } from './auth.ts';
import { loggerOptions, registerAuditLog } from './audit-log.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { RecordCheckers } from './record-checkers.ts';
import { registerRequestDecoding } from './request-encoding.ts';
import type { AuthLimits } from './routes/auth.ts';
import {
  DEFAULT_AUTH_LIMITS,
  DEFAULT_DEVICE_TOKEN_DAYS,
  registerAuthRoutes,
} from './routes/auth.ts';
import type { Caller, Role, RouteContext } from './routes/context.ts';
import { HttpError } from './routes/context.ts';
import { registerAlertRoutes } from './routes/alerts.ts';
import { registerBackupRoutes } from './routes/backups.ts';
import { registerEnrolmentRoutes } from './routes/enrolment.ts';
import { registerExportRoutes } from './routes/exports.ts';
import { registerLabelPackRoutes } from './routes/label-packs.ts';
import { registerQuestionnaireRoutes } from './routes/questionnaires.ts';
import { RawBatch, registerRecordRoutes } from './routes/records.ts';
import { registerRecoveryRoutes } from './routes/recovery.ts';
import { registerRefusedRoutes } from './routes/refused.ts';
import { registerSiteRoutes } from './routes/sites.ts';
import { registerUserRoutes } from './routes/users.ts';
import type { ServerStore, Site, User } from './store/types.ts';

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
  /** Told of every route as it is registered (docs/api.md's route table is checked with it). */
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
  /** Rate limits and lockout of login and enrolment (routes/auth.ts); tests change them. */
  readonly authLimits?: Partial<AuthLimits>;
  /**
   * Once ready, give the records stored before quality figures were kept their figures, in the
   * background (figures-backfill.ts); `npm start` does (main.ts), off by default so that a test
   * or a benchmark storing records without figures finds them as it stored them.
   */
  readonly backfillFigures?: boolean | { readonly pageSize: number };
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

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
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
  // Before any parser: a gzipped body is inflated, and held to the route's limit once inflated.
  registerRequestDecoding(app);
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
    // thread neither decodes megabytes of UTF-8 nor copies them as text to each thread); every
    // other body, and an upload with a suspect key, goes through Fastify's own parser.
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

  async function loggedIn(request: FastifyRequest): Promise<{ user: User; tokenHash: string }> {
    const who = await caller(request);
    if (who.kind !== 'user')
      throw new HttpError(403, 'forbidden', 'a coordinator, analyst or admin login is required');
    return who;
  }

  async function userWith(
    request: FastifyRequest,
    roles: readonly Role[],
    site?: string,
  ): Promise<User> {
    const { user } = await loggedIn(request);
    if (user.admin && roles.includes('admin')) return user;
    // Grants only: an admin asked for a site role alone is let in by `allows` as well, but every
    // route names `admin` when it means it.
    const granted: Access = { admin: false, grants: [...user.grants] };
    const siteRoles = roles.filter((role) => role !== 'admin');
    const ok = siteRoles.some((role) =>
      site === undefined
        ? user.grants.some((grant) => grant.role === role)
        : allows(granted, role, site),
    );
    if (ok) return user;
    if (siteRoles.length === 0)
      throw new HttpError(403, 'forbidden', 'this needs an admin of the study', {
        roles: ['admin'],
      });
    const needs = roles.map((role) => (role === 'admin' ? 'an admin' : `a ${role}`)).join(' or ');
    throw new HttpError(
      403,
      'forbidden',
      site === undefined ? `this needs ${needs}` : `this needs ${needs} of site ${site}`,
      { roles: [...roles], ...(site === undefined ? {} : { site }) },
    );
  }

  async function siteOf(id: string) {
    const site = await store.getSite(id);
    if (site === undefined)
      throw new HttpError(404, 'not_found', `unknown site ${id}`, { what: 'site', site: id });
    return site;
  }

  /** The site's plan if it has a valid one. */
  function validPlan(site: Site): QuotaPlan | null {
    const checked = site.plan === null ? undefined : loadQuotaPlan(site.plan);
    return checked?.status === 'success' ? checked.plan : null;
  }

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.status).send({
        error: error.code,
        message: error.message,
        ...(error.params === undefined ? {} : { params: error.params }),
      });
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

  const context: RouteContext = {
    store,
    now,
    iso,
    caller,
    userWith,
    user: loggedIn,
    siteOf,
    validPlan,
    questionnaire,
  };
  const auth = await registerAuthRoutes(app, context, {
    serverSecret: options.serverSecret ?? newServerSecret(),
    deviceTokenDays: options.deviceTokenDays ?? DEFAULT_DEVICE_TOKEN_DAYS,
    limits: { ...DEFAULT_AUTH_LIMITS, ...options.authLimits },
  });
  registerEnrolmentRoutes(app, context, { codeHash: auth.codeHash });
  registerSiteRoutes(app, context);
  registerUserRoutes(app, context);
  registerRecordRoutes(app, context, {
    checkers,
    uploadsPerMinute: options.uploadsPerMinute ?? 120,
  });
  registerBackupRoutes(app, context, { checkers });
  registerRecoveryRoutes(app, context);
  registerQuestionnaireRoutes(app, context);
  registerLabelPackRoutes(app, context);
  registerRefusedRoutes(app, context);
  registerAlertRoutes(app, context);
  registerExportRoutes(app, context);
  const { backfillFigures } = options;
  if (backfillFigures !== undefined && backfillFigures !== false)
    registerFiguresBackfill(app, {
      store,
      questionnaire,
      ...(backfillFigures === true ? {} : { pageSize: backfillFigures.pageSize }),
    });

  return app;
}

/** Creates a user with a hashed password and their access (bootstrap and tests). */
export async function createUser(
  store: ServerStore,
  username: string,
  password: string,
  access: Access,
  at: string,
): Promise<void> {
  await store.createUser({
    username,
    passwordHash: await hashPassword(password),
    admin: access.admin,
    grants: access.grants,
    createdAt: at,
  });
}
