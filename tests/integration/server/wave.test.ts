// Setting up a wave through the API (issue #20), on SQLite and PostgreSQL: an admin creates,
// sets up, closes and deletes sites, creates users who set their password through a one-time link,
// gives and takes roles, resets passwords and ends sessions; users change their password; tablets
// receive their site's settings. Who may call each route is also checked by auth-matrix.test.ts.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import {
  EnrolResponseSchema,
  LINK_HOURS,
  LoginResponseSchema,
  OneTimeLinkSchema,
  QuotaStateSchema,
  SessionInfoSchema,
  SiteDetailSchema,
  UserInfoSchema,
} from '../../../src/core/protocol/index.ts';
import type { OneTimeLink, SiteSettings } from '../../../src/core/protocol/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { AppOptions } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { validRecord } from '../../helpers/api-world.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-23T10:00:00.000Z';
const HOUR = 3600_000;
const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;

const CAYENNE: SiteSettings = {
  name: 'Cayenne',
  timeZone: 'America/Cayenne',
  helpline: '0 800 00 31 14',
  protocolContacts: [{ name: 'Dr Anne Martin', role: 'psychologue', phone: '+594 594 00 00 00' }],
  shortInterviewSeconds: 900,
  languages: ['fr', 'en'],
  sampleSize: 450,
  tolerance: 0.1,
};

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

for (const backend of STORE_BACKENDS) {
  describe(`setting up a wave through the API on ${backend.name}`, () => {
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    let app: FastifyInstance;
    let offset = 0;
    const now = () => new Date(Date.parse(AT) + offset);
    const apps: FastifyInstance[] = [];

    const callOn =
      (on: () => FastifyInstance) =>
      async (method: string, url: string, token?: string, payload?: unknown): Promise<Reply> => {
        const response = await on().inject({
          method: method as 'GET',
          url,
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
        let body: unknown;
        try {
          body = response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
        } catch {
          body = response.body;
        }
        return { status: response.statusCode, body, text: response.body };
      };
    const call = callOn(() => app);

    const login = async (username: string, password: string): Promise<string> => {
      const answer = await call('POST', '/api/v1/auth/login', undefined, { username, password });
      expect(answer.status, `${username} logs in: ${answer.text}`).toBe(200);
      return LoginResponseSchema.parse(answer.body).token;
    };
    const tokens: Record<string, string> = {};

    /** A new user made by the admin, who sets their password through the link. */
    const invite = async (
      username: string,
      grants: { site: string; role: 'coordinator' | 'analyst' }[],
      admin = false,
    ): Promise<string> => {
      const made = await call('POST', '/api/v1/users', tokens['admin'], {
        username,
        admin,
        grants,
      });
      expect(made.status, made.text).toBe(201);
      const { token } = OneTimeLinkSchema.parse(made.body);
      const password = `mot de passe de ${username}`;
      expect((await call('POST', '/api/v1/auth/link', undefined, { token, password })).status).toBe(
        204,
      );
      return login(username, password);
    };

    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      await store.migrate();
      for (const id of ['lille', 'lyon'])
        await store.createSite({
          id,
          name: id,
          plan: tinyDemoPlan(id),
          shortInterviewSeconds: 600,
          createdAt: AT,
        });
      await createUser(store, 'admin', 'admin password', { admin: true, grants: [] }, AT);
      // Limits of their own in their own test: here many logins come from one address.
      const options: AppOptions = {
        store,
        now,
        uploadsPerMinute: 1000,
        authLimits: { loginsPerAddress: 1000, loginsPerAccount: 1000 },
      };
      app = await buildApp(options);
      apps.push(app);
      tokens['admin'] = await login('admin', 'admin password');
      const published = await call('POST', '/api/v1/questionnaires', tokens['admin'], {
        definition,
      });
      expect(published.status).toBe(201);
      tokens['coord'] = await invite('coord', [{ site: 'lille', role: 'coordinator' }]);
      tokens['analyst'] = await invite('analyst', [{ site: 'lille', role: 'analyst' }]);
      tokens['coordlyon'] = await invite('coordlyon', [{ site: 'lyon', role: 'coordinator' }]);
    }, 120_000);

    afterAll(async () => {
      for (const each of apps) await each.close();
      await cleanup();
    });

    describe('users and one-time links', () => {
      it('creates a user without a password, who sets one through the link and logs in', async () => {
        const made = await call('POST', '/api/v1/users', tokens['admin'], {
          username: 'nadia',
          admin: false,
          grants: [
            { site: '*', role: 'analyst' },
            { site: 'lyon', role: 'coordinator' },
            { site: '*', role: 'analyst' },
          ],
        });
        expect(made.status).toBe(201);
        const link: OneTimeLink = OneTimeLinkSchema.parse(made.body);
        expect(link.username).toBe('nadia');
        expect(link.token).toMatch(/^lnk_[A-Za-z0-9_-]{43}$/);
        expect(Date.parse(link.expiresAt) - now().getTime()).toBe(LINK_HOURS * HOUR);
        // Stored as a hash only.
        expect(JSON.stringify(await store.listUsers())).not.toContain(link.token);

        const listed = await call('GET', '/api/v1/users', tokens['admin']);
        const nadia = z
          .array(UserInfoSchema)
          .parse(listed.body)
          .find((user) => user.username === 'nadia');
        // The same grant given twice is kept once.
        expect(nadia).toEqual({
          username: 'nadia',
          admin: false,
          grants: [
            { site: '*', role: 'analyst' },
            { site: 'lyon', role: 'coordinator' },
          ],
          hasPassword: false,
          createdAt: now().toISOString(),
          sessions: 0,
        });
        // No password yet: no password logs in, not even an empty-looking guess.
        const early = await call('POST', '/api/v1/auth/login', undefined, {
          username: 'nadia',
          password: 'anything at all',
        });
        expect(early.status).toBe(401);

        const info = await call('POST', '/api/v1/auth/link/info', undefined, {
          token: link.token,
        });
        expect(info).toMatchObject({
          status: 200,
          body: { username: 'nadia', expiresAt: link.expiresAt },
        });
        const tooShort = await call('POST', '/api/v1/auth/link', undefined, {
          token: link.token,
          password: 'short',
        });
        expect(tooShort.status).toBe(400);
        expect(
          (
            await call('POST', '/api/v1/auth/link', undefined, {
              token: link.token,
              password: 'le mot de passe de Nadia',
            })
          ).status,
        ).toBe(204);
        // Used once: it works no more.
        for (const [url, payload] of [
          ['/api/v1/auth/link/info', { token: link.token }],
          ['/api/v1/auth/link', { token: link.token, password: 'un autre mot de passe' }],
        ] as const) {
          const again = await call('POST', url, undefined, payload);
          expect(again.status).toBe(401);
          expect(again.body).toMatchObject({ error: 'bad_link' });
        }
        const answer = await call('POST', '/api/v1/auth/login', undefined, {
          username: 'nadia',
          password: 'le mot de passe de Nadia',
        });
        expect(answer.status).toBe(200);
        const session = LoginResponseSchema.parse(answer.body);
        expect(session).toMatchObject({ username: 'nadia', admin: false });
        const me = await call('GET', '/api/v1/auth/me', session.token);
        expect(me.body).toEqual({
          username: 'nadia',
          admin: false,
          grants: [
            { site: '*', role: 'analyst' },
            { site: 'lyon', role: 'coordinator' },
          ],
        });
        // An analyst of every site sees both; a coordinator of lyon manages lyon only.
        const sites = await call('GET', '/api/v1/sites', session.token);
        expect((sites.body as { id: string }[]).map((site) => site.id)).toEqual(['lille', 'lyon']);
        const points = { pickupPoints: ['Place Bellecour'] };
        expect(
          (await call('PUT', '/api/v1/sites/lyon/pickup-points', session.token, points)).status,
        ).toBe(204);
        expect(
          (await call('PUT', '/api/v1/sites/lille/pickup-points', session.token, points)).status,
        ).toBe(403);
      });

      it('refuses a user twice, an unknown site, and every site for a coordinator', async () => {
        const make = (body: unknown) => call('POST', '/api/v1/users', tokens['admin'], body);
        const existing = await make({ username: 'coord', admin: false, grants: [] });
        expect(existing.status).toBe(409);
        expect(existing.body).toMatchObject({ error: 'exists' });
        const unknown = await make({
          username: 'paul',
          admin: false,
          grants: [{ site: 'paris', role: 'analyst' }],
        });
        expect(unknown.status).toBe(400);
        expect(unknown.body).toMatchObject({ message: expect.stringContaining('paris') });
        const everywhere = await make({
          username: 'paul',
          admin: false,
          grants: [{ site: '*', role: 'coordinator' }],
        });
        expect(everywhere.status).toBe(400);
        expect((await make({ username: 'a b', admin: false, grants: [] })).status).toBe(400);
        expect(await store.getUser('paul')).toBeUndefined();
        for (const who of ['coord', 'analyst'])
          expect(
            (
              await call('POST', '/api/v1/users', tokens[who], {
                username: 'paul',
                admin: true,
                grants: [],
              })
            ).status,
          ).toBe(403);
        expect(await store.getUser('paul')).toBeUndefined();
      });

      it('resets a password with a new link: older links stop working, expired ones too', async () => {
        const token = await invite('reset-me', [{ site: 'lille', role: 'analyst' }]);
        const first = OneTimeLinkSchema.parse(
          (await call('POST', '/api/v1/users/reset-me/reset', tokens['admin'])).body,
        );
        const second = OneTimeLinkSchema.parse(
          (await call('POST', '/api/v1/users/reset-me/reset', tokens['admin'])).body,
        );
        expect(
          (await call('POST', '/api/v1/auth/link/info', undefined, { token: first.token })).status,
        ).toBe(401);
        // Until the link is used, the current password and sessions still work.
        expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(200);
        offset += LINK_HOURS * HOUR;
        try {
          const expired = await call('POST', '/api/v1/auth/link', undefined, {
            token: second.token,
            password: 'trop tard, le lien a expiré',
          });
          expect(expired.status).toBe(401);
        } finally {
          offset -= LINK_HOURS * HOUR;
        }
        const third = OneTimeLinkSchema.parse(
          (await call('POST', '/api/v1/users/reset-me/reset', tokens['admin'])).body,
        );
        expect(
          (
            await call('POST', '/api/v1/auth/link', undefined, {
              token: third.token,
              password: 'un tout nouveau mot de passe',
            })
          ).status,
        ).toBe(204);
        // Setting the password ends the user's sessions.
        expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401);
        await login('reset-me', 'un tout nouveau mot de passe');
        expect((await call('POST', '/api/v1/users/nobody/reset', tokens['admin'])).status).toBe(
          404,
        );
        expect((await call('POST', '/api/v1/users/reset-me/reset', tokens['coord'])).status).toBe(
          403,
        );
      });

      it('gives and takes roles, and never leaves the study without an admin', async () => {
        const token = await invite('moving', [{ site: 'lille', role: 'analyst' }]);
        const summary = () => call('GET', '/api/v1/sites/lyon/summary', token);
        expect((await summary()).status).toBe(403);
        const access = (username: string, body: unknown, by = tokens['admin']) =>
          call('PUT', `/api/v1/users/${username}/access`, by, body);
        expect(
          (await access('moving', { admin: false, grants: [{ site: 'lyon', role: 'analyst' }] }))
            .status,
        ).toBe(204);
        // Taken at once: access is read at every request.
        expect((await summary()).status).toBe(200);
        expect((await call('GET', '/api/v1/sites/lille/summary', token)).status).toBe(403);
        expect((await access('moving', { admin: false, grants: [] }, tokens['coord'])).status).toBe(
          403,
        );
        expect((await access('ghost', { admin: false, grants: [] })).status).toBe(404);
        expect(
          (await access('moving', { admin: false, grants: [{ site: 'x', role: 'analyst' }] }))
            .status,
        ).toBe(400);
        // The only admin may not take their own admin away.
        const last = await access('admin', { admin: false, grants: [] });
        expect(last.status).toBe(409);
        expect(last.body).toMatchObject({ error: 'last_admin' });
        expect((await store.getUser('admin'))?.admin).toBe(true);
        // With a second admin, they may.
        const second = await invite('second-admin', [], true);
        expect((await call('GET', '/api/v1/users', second)).status).toBe(200);
        expect((await access('second-admin', { admin: false, grants: [] })).status).toBe(204);
        expect((await call('GET', '/api/v1/users', second)).status).toBe(403);
      });

      it('deletes a user with their sessions, never oneself', async () => {
        const token = await invite('leaving', [{ site: 'lille', role: 'analyst' }]);
        expect((await call('DELETE', '/api/v1/users/leaving', tokens['coord'])).status).toBe(403);
        expect((await call('DELETE', '/api/v1/users/leaving', tokens['admin'])).status).toBe(204);
        expect(await store.getUser('leaving')).toBeUndefined();
        expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401);
        expect((await call('DELETE', '/api/v1/users/leaving', tokens['admin'])).status).toBe(404);
        const self = await call('DELETE', '/api/v1/users/admin', tokens['admin']);
        expect(self.status).toBe(409);
        expect(await store.getUser('admin')).toBeDefined();
      });
    });

    describe('sessions and passwords', () => {
      it('lists and ends a user’s sessions: their own, or anyone’s for an admin', async () => {
        const first = await invite('sam', [{ site: 'lille', role: 'analyst' }]);
        const second = await login('sam', 'mot de passe de sam');
        const third = await login('sam', 'mot de passe de sam');
        const listed = await call('GET', '/api/v1/users/sam/sessions', first);
        const sessions = z.array(SessionInfoSchema).parse(listed.body);
        expect(sessions).toHaveLength(3);
        expect(sessions.filter((session) => session.current)).toHaveLength(1);
        expect(sessions.every((session) => session.createdAt === now().toISOString())).toBe(true);
        expect(listed.text).not.toContain(first);
        // Another user's sessions are an admin's business only.
        expect((await call('GET', '/api/v1/users/sam/sessions', tokens['coord'])).status).toBe(403);
        expect((await call('DELETE', '/api/v1/users/sam/sessions', tokens['coord'])).status).toBe(
          403,
        );
        expect((await call('GET', '/api/v1/users/coord/sessions', first)).status).toBe(403);
        const byAdmin = await call('GET', '/api/v1/users/sam/sessions', tokens['admin']);
        expect(
          z
            .array(SessionInfoSchema)
            .parse(byAdmin.body)
            .some((s) => s.current),
        ).toBe(false);
        const users = z
          .array(UserInfoSchema)
          .parse((await call('GET', '/api/v1/users', tokens['admin'])).body);
        expect(users.find((user) => user.username === 'sam')?.sessions).toBe(3);

        // Ending one session by its id: the one of the call, here.
        const current = sessions.find((session) => session.current);
        expect(
          (await call('DELETE', `/api/v1/users/sam/sessions/${current?.id ?? ''}`, first)).status,
        ).toBe(204);
        expect((await call('GET', '/api/v1/auth/me', first)).status).toBe(401);
        expect((await call('GET', '/api/v1/auth/me', second)).status).toBe(200);
        expect(
          (await call('DELETE', `/api/v1/users/sam/sessions/${current?.id ?? ''}`, second)).status,
        ).toBe(404);
        // An admin ends them all.
        expect((await call('DELETE', '/api/v1/users/sam/sessions', tokens['admin'])).status).toBe(
          204,
        );
        for (const token of [second, third])
          expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401);
        expect((await call('GET', '/api/v1/users/ghost/sessions', tokens['admin'])).status).toBe(
          404,
        );
      });

      it('changes a password with the current one, ending the user’s other sessions', async () => {
        const token = await invite('pat', [{ site: 'lille', role: 'analyst' }]);
        const other = await login('pat', 'mot de passe de pat');
        const change = (body: unknown) => call('POST', '/api/v1/auth/password', token, body);
        const wrong = await change({ current: 'not the password', next: 'a new long password' });
        expect(wrong.status).toBe(403);
        expect(wrong.body).toMatchObject({ error: 'wrong_password' });
        expect((await change({ current: 'mot de passe de pat', next: 'short' })).status).toBe(400);
        expect(
          (await change({ current: 'mot de passe de pat', next: 'a new long password' })).status,
        ).toBe(204);
        expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(200);
        expect((await call('GET', '/api/v1/auth/me', other)).status).toBe(401);
        const old = await call('POST', '/api/v1/auth/login', undefined, {
          username: 'pat',
          password: 'mot de passe de pat',
        });
        expect(old.status).toBe(401);
        await login('pat', 'a new long password');
        // A tablet has no password to change.
        expect(
          (await call('POST', '/api/v1/auth/password', undefined, { current: 'x', next: 'y' }))
            .status,
        ).toBe(401);
      });

      it('limits attempts at links per address', async () => {
        const limited = await buildApp({
          store,
          now,
          authLimits: { linksPerAddress: 2, linksOverall: 100 },
        });
        apps.push(limited);
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const answer = await limited.inject({
            method: 'POST',
            url: '/api/v1/auth/link/info',
            payload: { token: `lnk_guess-${i}` },
          });
          statuses.push(answer.statusCode);
          if (answer.statusCode === 429) expect(answer.headers['retry-after']).toBeDefined();
        }
        expect(statuses).toEqual([401, 401, 429]);
      });
    });

    describe('sites and their settings', () => {
      it('creates a site with defaults where no setting is given', async () => {
        const created = await call('POST', '/api/v1/sites', tokens['admin'], {
          id: 'roubaix',
          settings: { name: 'Roubaix' },
        });
        expect(created.status).toBe(201);
        expect(SiteDetailSchema.parse(created.body)).toEqual({
          id: 'roubaix',
          settings: {
            name: 'Roubaix',
            timeZone: 'Europe/Paris',
            helpline: '3114',
            protocolContacts: [],
            shortInterviewSeconds: 1200,
            languages: ['fr'],
            sampleSize: 900,
            tolerance: 0.05,
          },
          hasPlan: false,
          closedAt: null,
          createdAt: now().toISOString(),
        });
        const again = await call('POST', '/api/v1/sites', tokens['admin'], {
          id: 'roubaix',
          settings: { name: 'Autre' },
        });
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ error: 'exists' });
        for (const body of [
          { id: 'Bad Id', settings: { name: 'x' } },
          { id: 'tz', settings: { name: 'x', timeZone: 'Mars/Olympus' } },
          { id: 'lang', settings: { name: 'x', languages: ['de'] } },
        ])
          expect((await call('POST', '/api/v1/sites', tokens['admin'], body)).status).toBe(400);
        expect(
          (
            await call('POST', '/api/v1/sites', tokens['coord'], {
              id: 'x',
              settings: { name: 'x' },
            })
          ).status,
        ).toBe(403);
        expect(await store.getSite('tz')).toBeUndefined();
      });

      it('sets a site’s settings (admin or its coordinator), checked, and delivers them', async () => {
        const put = (token: string | undefined, body: unknown) =>
          call('PUT', '/api/v1/sites/lille/settings', token, body);
        expect((await put(tokens['analyst'], CAYENNE)).status).toBe(403);
        expect((await put(tokens['coordlyon'], CAYENNE)).status).toBe(403);
        const zone = await put(tokens['coord'], { ...CAYENNE, timeZone: 'Europe/Lile' });
        expect(zone.status).toBe(400);
        expect(zone.body).toMatchObject({ message: expect.stringContaining('Europe/Lile') });
        const language = await put(tokens['coord'], { ...CAYENNE, languages: ['fr', 'gcf'] });
        expect(language.status).toBe(400);
        // The message says which languages exist.
        expect((language.body as { message: string }).message).toMatch(/gcf.*en, fr/);
        expect((await put(tokens['coord'], { ...CAYENNE, helpline: 'call me' })).status).toBe(400);
        expect((await put(tokens['coord'], CAYENNE)).status).toBe(204);

        const detail = await call('GET', '/api/v1/sites/lille', tokens['analyst']);
        expect(SiteDetailSchema.parse(detail.body).settings).toEqual(CAYENNE);
        expect((await call('GET', '/api/v1/sites/lille', tokens['coordlyon'])).status).toBe(403);
        expect((await call('GET', '/api/v1/sites/nowhere', tokens['admin'])).status).toBe(404);
        const sites = await call('GET', '/api/v1/sites', tokens['coord']);
        expect(sites.body).toEqual([
          {
            id: 'lille',
            name: 'Cayenne',
            shortInterviewSeconds: 900,
            hasPlan: true,
            closedAt: null,
            timeZone: 'America/Cayenne',
          },
        ]);
        // The summary counts days in the site's zone unless asked otherwise.
        const summary = await call('GET', '/api/v1/sites/lille/summary', tokens['analyst']);
        expect(summary.body).toMatchObject({ timeZone: 'America/Cayenne' });
        const utc = await call(
          'GET',
          '/api/v1/sites/lille/summary?timeZone=UTC',
          tokens['analyst'],
        );
        expect(utc.body).toMatchObject({ timeZone: 'UTC' });

        // A tablet receives them at enrolment and at every sync.
        const code = await call('POST', '/api/v1/sites/lille/enrolment-codes', tokens['coord']);
        const enrol = await call('POST', '/api/v1/devices/enrol', undefined, {
          code: (code.body as { code: string }).code,
        });
        const enrolled = EnrolResponseSchema.parse(enrol.body);
        expect(enrolled.settings).toEqual(CAYENNE);
        const quota = await call('GET', '/api/v1/sites/lille/quota', enrolled.token);
        expect(QuotaStateSchema.parse(quota.body).settings).toEqual(CAYENNE);
      });

      it('closes a site: no new code, its unused codes enrol nothing, its tablets still upload', async () => {
        const code = async () =>
          call('POST', '/api/v1/sites/lyon/enrolment-codes', tokens['coordlyon']);
        const enrol = (text: string) =>
          call('POST', '/api/v1/devices/enrol', undefined, { code: text });
        const before = (await code()).body as { code: string };
        const kept = (await code()).body as { code: string };
        const tablet = EnrolResponseSchema.parse((await enrol(before.code)).body);
        const close = (token: string | undefined, closed: boolean) =>
          call('PUT', '/api/v1/sites/lyon/closed', token, { closed });
        expect((await close(tokens['coordlyon'], true)).status).toBe(403);
        expect((await close(tokens['admin'], true)).status).toBe(204);
        expect((await store.getSite('lyon'))?.closedAt).toBe(now().toISOString());
        const refused = await code();
        expect(refused.status).toBe(409);
        expect(refused.body).toMatchObject({ error: 'site_closed' });
        expect((await enrol(kept.code)).status).toBe(401);
        const upload = await call('POST', '/api/v1/records', tablet.token, {
          records: [validRecord(crypto.randomUUID(), 'lyon', tablet.deviceId)],
        });
        expect(upload.status).toBe(200);
        expect(upload.body).toMatchObject({ results: [{ status: 'accepted' }] });
        const listed = await call('GET', '/api/v1/sites', tokens['coordlyon']);
        expect(listed.body).toMatchObject([{ id: 'lyon', closedAt: now().toISOString() }]);
        // Reopened, the unused code works again.
        expect((await close(tokens['admin'], false)).status).toBe(204);
        expect((await enrol(kept.code)).status).toBe(200);
      });

      it('deletes a site with all it holds, only when told the site’s id', async () => {
        const created = await call('POST', '/api/v1/sites', tokens['admin'], {
          id: 'demo-like',
          settings: { name: 'À supprimer' },
        });
        expect(created.status).toBe(201);
        const coordToken = await invite('coord-demo', [{ site: 'demo-like', role: 'coordinator' }]);
        const code = await call('POST', '/api/v1/sites/demo-like/enrolment-codes', coordToken);
        const tablet = EnrolResponseSchema.parse(
          (
            await call('POST', '/api/v1/devices/enrol', undefined, {
              code: (code.body as { code: string }).code,
            })
          ).body,
        );
        const record = validRecord(crypto.randomUUID(), 'demo-like', tablet.deviceId);
        await call('POST', '/api/v1/records', tablet.token, { records: [record] });
        expect(await store.getRecord(record.id)).toBeDefined();

        const remove = (token: string | undefined, query: string) =>
          call('DELETE', `/api/v1/sites/demo-like${query}`, token);
        expect((await remove(coordToken, '?confirm=demo-like')).status).toBe(403);
        const unconfirmed = await remove(tokens['admin'], '');
        expect(unconfirmed.status).toBe(400);
        expect(unconfirmed.body).toMatchObject({ message: expect.stringContaining('confirm') });
        expect((await remove(tokens['admin'], '?confirm=lille')).status).toBe(400);
        expect(await store.getSite('demo-like')).toBeDefined();
        expect((await remove(tokens['admin'], '?confirm=demo-like')).status).toBe(204);
        expect((await call('GET', '/api/v1/sites/demo-like', tokens['admin'])).status).toBe(404);
        expect(await store.getRecord(record.id)).toBeUndefined();
        expect((await call('GET', '/api/v1/sites/demo-like/quota', tablet.token)).status).toBe(401);
        expect((await store.getUser('coord-demo'))?.grants).toEqual([]);
        expect((await remove(tokens['admin'], '?confirm=demo-like')).status).toBe(404);
      });
    });
  });
}
