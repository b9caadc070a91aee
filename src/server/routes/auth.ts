// How callers prove who they are: login and logout (rate-limited, with a lockout after repeated
// failures), who is logged in, a password set through a one-time link or changed, a tablet's
// enrolment with a one-time code (rate-limited), and the renewal of device tokens, which expire.
// app.ts's `caller` checks device tokens through the service returned here.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  API_PREFIX,
  ChangePasswordRequestSchema,
  EnrolRequestSchema,
  LinkInfoRequestSchema,
  LoginRequestSchema,
  LogoutRequestSchema,
  SetPasswordRequestSchema,
  TOKEN_RENEWAL_HEADER,
} from '../../core/protocol/index.ts';
import type {
  DeviceTokenResponse,
  EnrolResponse,
  LinkInfo,
  LoginResponse,
  Me,
} from '../../core/protocol/index.ts';
import { logAct } from '../audit-log.ts';
import { settingsOf } from '../site-settings.ts';
import {
  PasswordHashBusy,
  dummyPasswordHash,
  enrolmentCodeHash,
  hashPassword,
  needsRehash,
  newToken,
  sha256,
  verifyPassword,
} from '../auth.ts';
import type { Device, LockoutPolicy, User } from '../store/types.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

const SESSION_HOURS = 12;
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

/** Limits on guessing; every count is per minute unless said otherwise. */
export interface AuthLimits {
  /** Login attempts from one client address. */
  readonly loginsPerAddress: number;
  /** Login attempts for one user name, from anywhere. */
  readonly loginsPerAccount: number;
  /** Failed logins of one user name within `lockMinutes` that lock it... */
  readonly lockAfterFailures: number;
  /** ...for this many minutes. */
  readonly lockMinutes: number;
  /** Enrolment attempts from one client address. */
  readonly enrolmentsPerAddress: number;
  /**
   * Enrolment attempts from all addresses together: a guesser never tries the same code twice,
   * so a limit per code would stop nothing; this one bounds guessing spread over many addresses.
   */
  readonly enrolmentsOverall: number;
  /** Attempts at a one-time link (reading or using one) from one client address... */
  readonly linksPerAddress: number;
  /** ...and from all addresses together, as for enrolment codes. */
  readonly linksOverall: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginsPerAddress: 20,
  loginsPerAccount: 10,
  lockAfterFailures: 5,
  lockMinutes: 15,
  enrolmentsPerAddress: 20,
  enrolmentsOverall: 60,
  linksPerAddress: 20,
  linksOverall: 60,
};

/** Who a user is and what they may do: `GET /auth/me`, and the login's answer with a token. */
export function meOf(user: User): Me {
  return {
    username: user.username,
    admin: user.admin,
    grants: user.grants.map((grant) => ({ ...grant })),
  };
}

/** A device token lasts this long unless configured (AppOptions.deviceTokenDays). */
export const DEFAULT_DEVICE_TOKEN_DAYS = 180;

/** What the auth routes need beyond the shared context. */
export interface AuthOptions {
  /** The key of the enrolment codes' HMAC, kept outside the database. */
  readonly serverSecret: string;
  readonly deviceTokenDays: number;
  readonly limits: AuthLimits;
}

export interface AuthService {
  /**
   * The enrolled, unrevoked device a token belongs to, its token unexpired; the first use of a
   * renewed token makes it the device's token. Else a 401 error. Marks the answer with
   * `Device-Token-Renewal: due` when the token should be renewed.
   */
  device(request: FastifyRequest, token: string): Promise<Device>;
  /** What is stored of an enrolment code. */
  codeHash(code: string): string;
}

/** "42 s" or "15 min": how long to wait, in a message. */
function waitText(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** A refusal to retry later: the status, `Retry-After` in seconds and the house error body. */
function retryLater(
  reply: FastifyReply,
  status: 429 | 503,
  code: string,
  seconds: number,
  message: string,
): FastifyReply {
  return reply.status(status).header('Retry-After', String(seconds)).send({ error: code, message });
}

export async function registerAuthRoutes(
  app: FastifyInstance,
  { store, now, caller, user: loggedIn }: RouteContext,
  options: AuthOptions,
): Promise<AuthService> {
  const { limits } = options;
  const tokenLifetime = options.deviceTokenDays * DAY;
  const codeHash = (code: string) => enrolmentCodeHash(code, options.serverSecret);

  // Counters in memory, per process, in fixed windows of a minute (@fastify/rate-limit's LRU);
  // the lockout, which must outlive a restart, is in the database.
  await app.register(rateLimit, { global: false });
  const perMinute = (max: number, key: (request: FastifyRequest) => string) =>
    app.createRateLimit({ max, timeWindow: MINUTE, keyGenerator: key });
  const loginsByAddress = perMinute(limits.loginsPerAddress, (request) => request.ip);
  // Read once the body is parsed and checked (the login handler).
  const loginsByAccount = perMinute(
    limits.loginsPerAccount,
    (request) => (request.body as { username: string }).username,
  );
  const enrolmentsByAddress = perMinute(limits.enrolmentsPerAddress, (request) => request.ip);
  const enrolmentsOverall = perMinute(limits.enrolmentsOverall, () => 'all');
  const linksByAddress = perMinute(limits.linksPerAddress, (request) => request.ip);
  const linksOverall = perMinute(limits.linksOverall, () => 'all');

  /** Counts the request against each limiter: seconds to wait if it is over any, else 0. */
  async function overLimit(
    request: FastifyRequest,
    limiters: readonly ((request: FastifyRequest) => ReturnType<typeof loginsByAddress>)[],
  ): Promise<number> {
    let wait = 0;
    for (const limiter of limiters) {
      const limit = await limiter(request);
      if (!limit.isAllowed && limit.isExceeded) wait = Math.max(wait, limit.ttlInSeconds, 1);
    }
    return wait;
  }

  /** An onRequest hook (before the body is read) that refuses requests over the limiters. */
  const limitedBy =
    (what: string, ...limiters: Parameters<typeof overLimit>[1]) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const wait = await overLimit(request, limiters);
      if (wait > 0)
        return retryLater(
          reply,
          429,
          'rate_limited',
          wait,
          `too many ${what}: retry in ${waitText(wait)}`,
        );
      return undefined;
    };

  // Checking an unknown user against this costs what a wrong password costs.
  const dummyHash = dummyPasswordHash();

  /** Whether the password matches, or `busy` when too many hashes wait. */
  const verifyOrBusy = async (password: string, stored: string): Promise<boolean | 'busy'> => {
    try {
      return await verifyPassword(password, stored);
    } catch (failure) {
      if (failure instanceof PasswordHashBusy) return 'busy';
      throw failure;
    }
  };
  const busy = (reply: FastifyReply) =>
    retryLater(reply, 503, 'busy', 5, 'the server is busy with other logins: retry in 5 s');
  /** The lockout a failure at `at` counts towards. */
  const lockout = (at: Date, windowStart: string): LockoutPolicy => ({
    windowStart,
    maxFailures: limits.lockAfterFailures,
    lockUntil: new Date(at.getTime() + limits.lockMinutes * MINUTE).toISOString(),
  });

  /** The lock on a user name, answered with how long it has left. */
  const locked = (reply: FastifyReply, lockedUntil: string, at: Date) => {
    const seconds = Math.max(1, Math.ceil((Date.parse(lockedUntil) - at.getTime()) / 1000));
    return retryLater(
      reply,
      429,
      'locked',
      seconds,
      `too many failed logins: this account is locked for ${waitText(seconds)}`,
    );
  };

  const renewalDue = new WeakSet<FastifyRequest>();
  app.addHook('onSend', (request, reply, payload, done) => {
    if (renewalDue.has(request)) reply.header(TOKEN_RENEWAL_HEADER, 'due');
    done(null, payload);
  });

  app.post(
    `${API_PREFIX}/auth/login`,
    { bodyLimit: 4096, onRequest: limitedBy('login attempts from this address', loginsByAddress) },
    async (request, reply): Promise<LoginResponse | FastifyReply> => {
      const { username, password } = parse(LoginRequestSchema, request.body);
      const wait = await overLimit(request, [loginsByAccount]);
      if (wait > 0)
        return retryLater(
          reply,
          429,
          'rate_limited',
          wait,
          `too many login attempts for this account: retry in ${waitText(wait)}`,
        );
      const at = now();
      const atIso = at.toISOString();
      const windowStart = new Date(at.getTime() - limits.lockMinutes * MINUTE).toISOString();
      await store.purgeExpired(atIso, windowStart);
      const failures = await store.getLoginFailures(username);
      if (failures?.lockedUntil != null && failures.lockedUntil > atIso)
        return locked(reply, failures.lockedUntil, at);
      const user = await store.getUser(username);
      // A user without a password yet (waiting for their link) fails as a wrong password does,
      // at the same cost.
      const stored = user?.passwordHash ?? null;
      const matches = await verifyOrBusy(password, stored ?? dummyHash);
      if (matches === 'busy') return busy(reply);
      if (user === undefined || stored === null || !matches) {
        const noted = await store.noteLoginFailure(username, atIso, lockout(at, windowStart));
        if (noted.lockedUntil !== null && noted.lockedUntil > atIso)
          return locked(reply, noted.lockedUntil, at);
        throw new HttpError(401, 'unauthorized', 'wrong user name or password');
      }
      if (failures !== undefined) await store.clearLoginFailures(username);
      if (needsRehash(stored)) await store.setPasswordHash(username, await hashPassword(password));
      const token = newToken('ses');
      const expiresAt = new Date(at.getTime() + SESSION_HOURS * 3600_000).toISOString();
      await store.createSession({
        tokenHash: sha256(token),
        username,
        createdAt: atIso,
        expiresAt,
      });
      return { token, ...meOf(user) };
    },
  );

  app.get(`${API_PREFIX}/auth/me`, async (request): Promise<Me> => {
    const { user } = await loggedIn(request);
    return meOf(user);
  });

  const badLink = () =>
    new HttpError(
      401,
      'bad_link',
      'this link is unknown, already used or expired: ask an admin for a new one',
    );
  const limitedLinks = limitedBy('attempts with a link', linksByAddress, linksOverall);

  app.post(
    `${API_PREFIX}/auth/link/info`,
    { bodyLimit: 4096, onRequest: limitedLinks },
    async (request): Promise<LinkInfo> => {
      const { token } = parse(LinkInfoRequestSchema, request.body);
      const link = await store.getUserLink(sha256(token), now().toISOString());
      if (link === undefined) throw badLink();
      return { username: link.username, expiresAt: link.expiresAt };
    },
  );

  app.post(
    `${API_PREFIX}/auth/link`,
    { bodyLimit: 4096, onRequest: limitedLinks },
    async (request, reply) => {
      const { token, password } = parse(SetPasswordRequestSchema, request.body);
      const hash = sha256(token);
      // Checked before the password is hashed: a guessed token costs no hash.
      if ((await store.getUserLink(hash, now().toISOString())) === undefined) throw badLink();
      let passwordHash: string;
      try {
        passwordHash = await hashPassword(password);
      } catch (failure) {
        if (!(failure instanceof PasswordHashBusy)) throw failure;
        return busy(reply);
      }
      // Atomic: of two uses at once, one sets the password and the other finds the link used.
      const username = await store.useUserLink(hash, now().toISOString(), passwordHash);
      if (username === undefined) throw badLink();
      await store.clearLoginFailures(username);
      logAct(request, 'password_set_by_link', username, { username });
      return reply.status(204).send();
    },
  );

  app.post(
    `${API_PREFIX}/auth/password`,
    { bodyLimit: 4096, onRequest: limitedBy('attempts from this address', loginsByAddress) },
    async (request, reply) => {
      const { user, tokenHash } = await loggedIn(request);
      const { current, next } = parse(ChangePasswordRequestSchema, request.body);
      const at = now();
      const atIso = at.toISOString();
      const windowStart = new Date(at.getTime() - limits.lockMinutes * MINUTE).toISOString();
      // A stolen session must not make a password guesser: the same lockout as the login's.
      const failures = await store.getLoginFailures(user.username);
      if (failures?.lockedUntil != null && failures.lockedUntil > atIso)
        return locked(reply, failures.lockedUntil, at);
      const matches = await verifyOrBusy(current, user.passwordHash ?? dummyHash);
      if (matches === 'busy') return busy(reply);
      if (user.passwordHash === null || !matches) {
        const noted = await store.noteLoginFailure(user.username, atIso, lockout(at, windowStart));
        if (noted.lockedUntil !== null && noted.lockedUntil > atIso)
          return locked(reply, noted.lockedUntil, at);
        throw new HttpError(403, 'wrong_password', 'the current password is wrong');
      }
      let passwordHash: string;
      try {
        passwordHash = await hashPassword(next);
      } catch (failure) {
        if (!(failure instanceof PasswordHashBusy)) throw failure;
        return busy(reply);
      }
      await store.setPasswordHash(user.username, passwordHash);
      await store.deleteUserSessions(user.username, tokenHash);
      if (failures !== undefined) await store.clearLoginFailures(user.username);
      logAct(request, 'password_changed', user.username, { username: user.username });
      return reply.status(204).send();
    },
  );

  app.post(`${API_PREFIX}/auth/logout`, { bodyLimit: 1024 }, async (request, reply) => {
    const who = await caller(request);
    if (who.kind !== 'user')
      throw new HttpError(
        403,
        'forbidden',
        'a tablet has no session: only a logged-in user logs out',
      );
    const { all } =
      request.body === undefined || request.body === null
        ? { all: false }
        : parse(LogoutRequestSchema, request.body);
    if (all === true) await store.deleteUserSessions(who.user.username);
    else await store.deleteSession(who.tokenHash);
    return reply.status(204).send();
  });

  app.post(
    `${API_PREFIX}/devices/enrol`,
    {
      bodyLimit: 4096,
      onRequest: limitedBy('enrolment attempts', enrolmentsByAddress, enrolmentsOverall),
    },
    async (request): Promise<EnrolResponse> => {
      const { code, label } = parse(EnrolRequestSchema, request.body);
      const token = newToken('dev');
      const at = now();
      const device = await store.enrolDevice(
        codeHash(code),
        {
          id: crypto.randomUUID(),
          label: label ?? 'tablette',
          tokenHash: sha256(token),
          tokenExpiresAt: new Date(at.getTime() + tokenLifetime).toISOString(),
          enrolledAt: at.toISOString(),
          revokedAt: null,
          lastSyncAt: null,
          lastPending: null,
        },
        at.toISOString(),
      );
      if (device === undefined)
        throw new HttpError(
          401,
          'bad_code',
          'this enrolment code is unknown, already used or expired, or its site is closed: ask the coordinator for a new one',
        );
      const site = await store.getSite(device.site);
      return {
        token,
        deviceId: device.id,
        site: device.site,
        ...(site === undefined ? {} : { settings: settingsOf(site) }),
      };
    },
  );

  app.post(`${API_PREFIX}/devices/token`, async (request): Promise<DeviceTokenResponse> => {
    const who = await caller(request);
    if (who.kind !== 'device')
      throw new HttpError(403, 'forbidden', 'only an enrolled tablet renews its token');
    const token = newToken('dev');
    const expiresAt = new Date(now().getTime() + tokenLifetime).toISOString();
    await store.setNextDeviceToken(who.device.id, sha256(token), expiresAt);
    return { token, expiresAt };
  });

  return {
    codeHash,
    async device(request, token) {
      const hash = sha256(token);
      const device = (await store.getDeviceByToken(hash)) ?? (await store.useNextDeviceToken(hash));
      if (device === undefined)
        throw new HttpError(401, 'unauthorized', 'unknown device token: enrol the tablet again');
      if (device.revokedAt !== null)
        throw new HttpError(
          401,
          'revoked',
          'this tablet was revoked by the coordinator: enrol it again',
        );
      const at = now().getTime();
      if (device.tokenExpiresAt !== null && Date.parse(device.tokenExpiresAt) <= at)
        throw new HttpError(
          401,
          'token_expired',
          'this tablet’s token has expired: enrol it again with a new code',
        );
      // Due once a sixth of its life has passed (30 days of 180): a tablet that syncs rarely
      // still renews long before the end, and one enrolled before tokens expired at once.
      if (
        device.tokenExpiresAt === null ||
        Date.parse(device.tokenExpiresAt) - at < (tokenLifetime * 5) / 6
      )
        renewalDue.add(request);
      return device;
    },
  };
}
