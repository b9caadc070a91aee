// The people of a wave, as an admin manages them: users, their roles per site, one-time links to
// set a password, and sessions (which a user may also list and end for themself). The routes a
// user calls with a link or to change their password are in auth.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  API_PREFIX,
  AccessRequestSchema,
  CreateUserRequestSchema,
} from '../../core/protocol/index.ts';
import type {
  Access,
  Grant,
  OneTimeLink,
  SessionInfo,
  UserInfo,
} from '../../core/protocol/index.ts';
import { logAct } from '../audit-log.ts';
import { issueUserLink } from '../user-links.ts';
import type { Session, User } from '../store/types.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

/** The short handle a session is listed and ended by: never its token, nor its whole hash. */
export function sessionId(session: Pick<Session, 'tokenHash'>): string {
  return session.tokenHash.slice(0, 16);
}

export function registerUserRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, iso, userWith } = context;

  async function userOf(username: string): Promise<User> {
    const user = await store.getUser(username);
    if (user === undefined)
      throw new HttpError(404, 'not_found', `unknown user ${username}`, {
        what: 'user',
        user: username,
      });
    return user;
  }

  /**
   * The grants as stored: each once, naming sites that exist; `*` (every site) for analysts
   * only, since a coordinator manages sites one by one. Else a 400 naming the grant.
   */
  async function checkedGrants(grants: readonly Grant[]): Promise<Grant[]> {
    const sites = new Set((await store.listSites()).map((site) => site.id));
    const kept: Grant[] = [];
    for (const [i, grant] of grants.entries()) {
      if (grant.site === '*' && grant.role !== 'analyst')
        throw new HttpError(
          400,
          'bad_request',
          `grants.${i}: only an analyst may be given every site (*); name the coordinator's sites`,
          { reason: 'every_site_analyst_only', field: `grants.${i}` },
        );
      if (grant.site !== '*' && !sites.has(grant.site))
        throw new HttpError(400, 'bad_request', `grants.${i}: unknown site ${grant.site}`, {
          reason: 'unknown_site',
          field: `grants.${i}`,
          site: grant.site,
        });
      if (!kept.some((seen) => seen.site === grant.site && seen.role === grant.role))
        kept.push({ site: grant.site, role: grant.role });
    }
    return kept;
  }

  /** The user the path names, if the caller is an admin or that user; else a 403 or 404. */
  async function selfOrAdmin(request: FastifyRequest, username: string) {
    const who = await context.user(request);
    if (!who.user.admin && who.user.username !== username)
      throw new HttpError(403, 'forbidden', 'only an admin sees and ends other users’ sessions', {
        roles: ['admin'],
      });
    return { who, user: await userOf(username) };
  }

  app.get(`${API_PREFIX}/users`, async (request): Promise<UserInfo[]> => {
    await userWith(request, ['admin']);
    const counts = new Map<string, number>();
    for (const session of await store.listSessions(iso()))
      counts.set(session.username, (counts.get(session.username) ?? 0) + 1);
    return (await store.listUsers()).map((user) => ({
      username: user.username,
      admin: user.admin,
      grants: user.grants.map((grant) => ({ ...grant })),
      hasPassword: user.passwordHash !== null,
      createdAt: user.createdAt,
      sessions: counts.get(user.username) ?? 0,
    }));
  });

  app.post(`${API_PREFIX}/users`, async (request, reply) => {
    const admin = await userWith(request, ['admin']);
    const { username, admin: isAdmin, grants } = parse(CreateUserRequestSchema, request.body);
    const kept = await checkedGrants(grants);
    if ((await store.getUser(username)) !== undefined)
      throw new HttpError(409, 'exists', `user ${username} already exists: choose another name`, {
        what: 'user',
        user: username,
      });
    // No password until the user sets one through the link: nobody, the admin included, knows it.
    await store.createUser({
      username,
      passwordHash: null,
      admin: isAdmin,
      grants: kept,
      createdAt: iso(),
    });
    const link: OneTimeLink = await issueUserLink(store, username, admin.username, now());
    logAct(request, 'user_created', admin.username, { username, admin: isAdmin, grants: kept });
    return reply.status(201).send(link);
  });

  app.put(`${API_PREFIX}/users/:username/access`, async (request, reply) => {
    const { username } = request.params as { username: string };
    const admin = await userWith(request, ['admin']);
    await userOf(username);
    const body: Access = parse(AccessRequestSchema, request.body);
    const access = { admin: body.admin, grants: await checkedGrants(body.grants) };
    const change = await store.setUserAccess(username, access);
    if (change === 'unknown')
      throw new HttpError(404, 'not_found', `unknown user ${username}`, {
        what: 'user',
        user: username,
      });
    if (change === 'last_admin')
      throw new HttpError(
        409,
        'last_admin',
        `${username} is the last admin: make another user admin first`,
        { user: username },
      );
    logAct(request, 'user_access_changed', admin.username, { username, ...access });
    return reply.status(204).send();
  });

  app.post(`${API_PREFIX}/users/:username/reset`, async (request): Promise<OneTimeLink> => {
    const { username } = request.params as { username: string };
    const admin = await userWith(request, ['admin']);
    await userOf(username);
    const link = await issueUserLink(store, username, admin.username, now());
    logAct(request, 'user_link_issued', admin.username, { username });
    return link;
  });

  app.delete(`${API_PREFIX}/users/:username`, async (request, reply) => {
    const { username } = request.params as { username: string };
    const admin = await userWith(request, ['admin']);
    if (username === admin.username)
      throw new HttpError(409, 'self', 'an admin cannot delete themself: ask another admin');
    const change = await store.deleteUser(username);
    if (change === 'unknown')
      throw new HttpError(404, 'not_found', `unknown user ${username}`, {
        what: 'user',
        user: username,
      });
    if (change === 'last_admin')
      throw new HttpError(409, 'last_admin', `${username} is the last admin`, { user: username });
    logAct(request, 'user_deleted', admin.username, { username });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/users/:username/sessions`, async (request): Promise<SessionInfo[]> => {
    const { username } = request.params as { username: string };
    const { who } = await selfOrAdmin(request, username);
    return (await store.listSessions(iso(), username)).map((session) => ({
      id: sessionId(session),
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      current: session.tokenHash === who.tokenHash,
    }));
  });

  app.delete(`${API_PREFIX}/users/:username/sessions`, async (request, reply) => {
    const { username } = request.params as { username: string };
    const { who } = await selfOrAdmin(request, username);
    const ended = await store.deleteUserSessions(username);
    if (who.user.username !== username)
      logAct(request, 'user_sessions_ended', who.user.username, { username, ended });
    return reply.status(204).send();
  });

  app.delete(`${API_PREFIX}/users/:username/sessions/:id`, async (request, reply) => {
    const { username, id } = request.params as { username: string; id: string };
    const { who } = await selfOrAdmin(request, username);
    const session = (await store.listSessions(iso(), username)).find(
      (entry) => sessionId(entry) === id,
    );
    if (session === undefined)
      throw new HttpError(404, 'not_found', `no session ${id} of ${username}`, {
        what: 'session',
        user: username,
      });
    await store.deleteSession(session.tokenHash);
    if (who.user.username !== username)
      logAct(request, 'user_session_ended', who.user.username, { username, session: id });
    return reply.status(204).send();
  });
}
