// The behaviour every ServerStore must have, as one suite run on SQLite and on PostgreSQL
// (store.test.ts), so the two databases answer the server identically: a deployment picks either
// and gets the same server.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS } from '../../../src/core/protocol/wave.ts';
import type {
  Device,
  EnrolmentCode,
  RecordBody,
  RecordFilter,
  ServerStore,
  Site,
  StoredRecord,
  User,
  UserLink,
} from '../../../src/server/store/types.ts';

export interface OpenedStore {
  /** A store on fresh, empty storage, not yet migrated. */
  readonly store: ServerStore;
  /** Another store on the same storage (the same file or database). */
  reopen(): Promise<ServerStore>;
  /** Closes every store opened here and removes the storage. */
  cleanup(): Promise<void>;
}

const AT = '2026-03-02T09:00:00.000Z';
const LATER = '2026-03-05T09:00:00.000Z';

const PLAN = {
  site: 'lille',
  questionnaire: 'smpg',
  sampleSize: 900,
  tolerance: 0.05,
  variables: [{ id: 'sex', categories: [{ code: 'f' }, { code: 'm' }] }],
  tables: [{ id: 'sex', variables: ['sex'], cells: [{ key: ['f'], target: 450 }] }],
};

function site(id: string, overrides: Partial<Site> = {}): Site {
  return {
    id,
    name: `Site ${id}`,
    plan: null,
    pickupPoints: [],
    createdAt: AT,
    ...DEFAULT_SITE_SETTINGS,
    shortInterviewSeconds: 600,
    closedAt: null,
    ...overrides,
  };
}

function user(username: string, overrides: Partial<User> = {}): User {
  return {
    username,
    passwordHash: `scrypt$00ff$${username}`,
    admin: false,
    grants: [{ site: 'lille', role: 'coordinator' }],
    createdAt: AT,
    ...overrides,
  };
}

function link(
  tokenHash: string,
  username: string,
  overrides: Partial<Omit<UserLink, 'usedAt'>> = {},
): Omit<UserLink, 'usedAt'> {
  return {
    tokenHash,
    username,
    createdBy: 'boss',
    createdAt: '2026-03-01T09:00:00.000Z',
    expiresAt: LATER,
    ...overrides,
  };
}

function code(codeHash: string, overrides: Partial<EnrolmentCode> = {}): EnrolmentCode {
  return {
    codeHash,
    site: 'lille',
    createdBy: 'coord',
    expiresAt: LATER,
    createdAt: AT,
    ...overrides,
  };
}

function device(id: string, overrides: Partial<Omit<Device, 'site'>> = {}): Omit<Device, 'site'> {
  return {
    id,
    label: `Tablet ${id}`,
    tokenHash: `token-${id}`,
    enrolledAt: AT,
    revokedAt: null,
    lastSyncAt: null,
    lastPending: null,
    tokenExpiresAt: null,
    ...overrides,
  };
}

/** A record whose body and hash follow from `content`: same content, same hash. */
function record(id: string, overrides: Partial<StoredRecord> = {}, content = 'v1'): StoredRecord {
  return {
    id,
    site: 'lille',
    questionnaireId: 'smpg',
    questionnaireVersion: '2026.1',
    deviceId: 'device-1',
    interviewer: 'INT07',
    status: 'completed',
    screenOutId: null,
    quotaCategories: '{"sex":"f"}',
    startedAt: '2026-03-02T08:30:00.000Z',
    durationSeconds: 1800,
    contentHash: `hash-${id}-${content}`,
    body: JSON.stringify({ id, content }),
    receivedAt: AT,
    figures: null,
    alertEvents: 0,
    ...overrides,
  };
}

const byReceivedThenId = (a: StoredRecord, b: StoredRecord): number =>
  a.receivedAt < b.receivedAt
    ? -1
    : a.receivedAt > b.receivedAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;

/** Reads every page of `filter`, `limit` at a time, following the keyset. */
async function readAllPages(
  store: ServerStore,
  filter: RecordFilter,
  limit: number,
): Promise<{ records: StoredRecord[]; pages: number }> {
  const records: StoredRecord[] = [];
  let after: { receivedAt: string; id: string } | null = null;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page: StoredRecord[] = await store.listRecords(filter, after, limit);
    expect(page.length).toBeLessThanOrEqual(limit);
    records.push(...page);
    const last = page.at(-1);
    if (page.length < limit || last === undefined) return { records, pages: pages + 1 };
    after = { receivedAt: last.receivedAt, id: last.id };
  }
  throw new Error('listRecords never ran out of pages');
}

export function describeServerStore(name: string, open: () => Promise<OpenedStore>): void {
  describe(`ServerStore on ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    /** Fresh storage, migrated unless asked not to, with the sites most tests need. */
    async function fresh(
      options: { migrate?: boolean; sites?: boolean } = {},
    ): Promise<OpenedStore> {
      const opened = await open();
      cleanups.push(() => opened.cleanup());
      if (options.migrate !== false) await opened.store.migrate();
      if (options.migrate !== false && options.sites !== false) {
        await opened.store.createSite(site('lille'));
        await opened.store.createSite(site('lyon'));
        await opened.store.createUser(user('coord'));
      }
      return opened;
    }

    describe('migrations', () => {
      it('migrates twice without losing anything', async () => {
        const { store } = await fresh();
        await store.migrate();
        await store.migrate();
        expect((await store.getSite('lille'))?.name).toBe('Site lille');
        expect(await store.putRecords([record('r1')])).toEqual(['accepted']);
      });

      it('lets two stores migrate the same fresh storage at once', async () => {
        const { store, reopen } = await fresh({ migrate: false });
        const other = await reopen();
        await Promise.all([store.migrate(), other.migrate()]);
        await store.createSite(site('paris'));
        expect((await other.getSite('paris'))?.id).toBe('paris');
      });
    });

    describe('sites', () => {
      it('stores a site with its plan and lists sites by id', async () => {
        const { store } = await fresh({ sites: false });
        const lyon = site('lyon', { shortInterviewSeconds: 420.5 });
        const lille = site('lille', { name: 'Lille métropole', plan: PLAN });
        await store.createSite(lyon);
        await store.createSite(lille);
        expect(await store.getSite('lille')).toEqual(lille);
        expect(await store.getSite('lyon')).toEqual(lyon);
        expect(await store.listSites()).toEqual([lille, lyon]);
      });

      it('answers undefined for an unknown site', async () => {
        const { store } = await fresh();
        expect(await store.getSite('nowhere')).toBeUndefined();
      });

      it('replaces and clears a plan', async () => {
        const { store } = await fresh();
        await store.setSitePlan('lille', PLAN);
        expect((await store.getSite('lille'))?.plan).toEqual(PLAN);
        const revised = { ...PLAN, sampleSize: 1000 };
        await store.setSitePlan('lille', revised);
        expect((await store.getSite('lille'))?.plan).toEqual(revised);
        expect((await store.getSite('lyon'))?.plan).toBeNull();
        await store.setSitePlan('lille', null);
        expect((await store.getSite('lille'))?.plan).toBeNull();
      });

      it('stores a site’s pick-up points in order, replaces and clears them', async () => {
        const { store, reopen } = await fresh({ sites: false });
        const lille = site('lille', {
          plan: PLAN,
          pickupPoints: ['Marché de Wazemmes', 'Gare Lille-Flandres'],
        });
        await store.createSite(lille);
        // Created without pick-up points: none.
        await store.createSite({
          id: 'lyon',
          name: 'Site lyon',
          plan: null,
          shortInterviewSeconds: 600,
          createdAt: AT,
        });
        expect(await store.getSite('lille')).toEqual(lille);
        expect((await store.getSite('lyon'))?.pickupPoints).toEqual([]);

        // The longest list the API accepts, with quotes, accents and characters outside the BMP.
        const longest = Array.from({ length: 50 }, (_, i) =>
          `${String(i).padStart(2, '0')} « Place d’Armes » "nord" 🚉 `.padEnd(100, 'é'),
        );
        await store.setSitePickupPoints('lille', longest);
        expect((await store.getSite('lille'))?.pickupPoints).toEqual(longest);
        const revised = ['Place du Théâtre', 'Marché de Wazemmes'];
        await store.setSitePickupPoints('lille', revised);
        const other = await reopen();
        expect(await other.getSite('lille')).toEqual({ ...lille, pickupPoints: revised });
        expect((await other.listSites()).map((entry) => entry.pickupPoints)).toEqual([revised, []]);
        // The plan is not touched by the list, nor the list by the plan.
        await store.setSitePlan('lille', null);
        expect((await store.getSite('lille'))?.pickupPoints).toEqual(revised);
        await store.setSitePickupPoints('lille', []);
        expect(await store.getSite('lille')).toEqual({ ...lille, plan: null, pickupPoints: [] });
        expect((await store.getSite('lyon'))?.pickupPoints).toEqual([]);
      });

      it('refuses a second site with the same id and keeps the first', async () => {
        const { store } = await fresh();
        await expect(store.createSite(site('lille', { name: 'Impostor' }))).rejects.toThrow();
        expect((await store.getSite('lille'))?.name).toBe('Site lille');
      });

      it('gives a new site the default settings unless given, and replaces them as a whole', async () => {
        const { store } = await fresh({ sites: false });
        await store.createSite({
          id: 'cayenne',
          name: 'Cayenne',
          plan: null,
          shortInterviewSeconds: 900,
          createdAt: AT,
          timeZone: 'America/Cayenne',
          languages: ['fr', 'gcf'],
        });
        expect(await store.getSite('cayenne')).toEqual({
          ...site('cayenne', { name: 'Cayenne', shortInterviewSeconds: 900 }),
          timeZone: 'America/Cayenne',
          languages: ['fr', 'gcf'],
        });
        const settings = {
          name: 'Cayenne (Guyane)',
          shortInterviewSeconds: 1200,
          timeZone: 'America/Cayenne',
          helpline: '0 800 00 00 00',
          protocolContacts: [
            {
              name: 'Dr Anne « Martin »',
              role: 'psychologue référente',
              phone: '+594 594 00 00 00',
            },
          ],
          languages: ['gcf', 'fr'],
          sampleSize: 450,
          tolerance: 0.1,
        };
        await store.setSiteSettings('cayenne', settings);
        expect(await store.getSite('cayenne')).toEqual({ ...site('cayenne'), ...settings });
      });

      it('closes a site once (keeping the first time), reopens it, and enrols nothing while closed', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        await store.setSiteClosed('lille', AT);
        await store.setSiteClosed('lille', LATER);
        expect((await store.getSite('lille'))?.closedAt).toBe(AT);
        expect((await store.getSite('lyon'))?.closedAt).toBeNull();
        expect(await store.enrolDevice('c1', device('d1'), AT)).toBeUndefined();
        // The code is still unused: reopened, the site enrols with it.
        await store.setSiteClosed('lille', null);
        expect((await store.getSite('lille'))?.closedAt).toBeNull();
        expect(await store.enrolDevice('c1', device('d1'), AT)).toMatchObject({ site: 'lille' });
      });

      it('deletes a site with all it holds, and the grants naming it', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        await store.createEnrolmentCode(code('c2'));
        await store.createEnrolmentCode(code('c-lyon', { site: 'lyon' }));
        await store.enrolDevice('c1', device('d1'), AT);
        await store.enrolDevice('c-lyon', device('d-lyon'), AT);
        await store.putRecords([record('r1'), record('r-lyon', { site: 'lyon' })]);
        await store.putRefused([
          {
            key: 'k1',
            site: 'lille',
            deviceId: 'd1',
            recordId: null,
            interviewer: null,
            reason: 'bad',
            body: '{}',
            contentHash: 'h1',
            receivedAt: AT,
            state: 'refused',
            resolvedAt: null,
            resolvedBy: null,
          },
        ]);
        await store.createUser(
          user('multi', {
            grants: [
              { site: 'lille', role: 'coordinator' },
              { site: 'lyon', role: 'analyst' },
              { site: '*', role: 'analyst' },
            ],
          }),
        );
        expect(await store.deleteSite('lille')).toBe(true);
        expect(await store.getSite('lille')).toBeUndefined();
        expect((await store.listRecords({}, null, 100)).map((r) => r.id)).toEqual(['r-lyon']);
        expect(await store.listRefused('lille')).toEqual([]);
        expect(await store.listDevices('lille')).toEqual([]);
        expect(await store.getDeviceByToken('token-d1')).toBeUndefined();
        expect(await store.listEnrolmentCodes('lille', AT)).toEqual([]);
        expect((await store.getUser('multi'))?.grants).toEqual([
          { site: 'lyon', role: 'analyst' },
          { site: '*', role: 'analyst' },
        ]);
        expect((await store.getUser('coord'))?.grants).toEqual([]);
        // The other site keeps all it had.
        expect((await store.listDevices('lyon')).map((d) => d.id)).toEqual(['d-lyon']);
        expect(await store.deleteSite('lille')).toBe(false);
        // Its id may be used again, for a new, empty site.
        await store.createSite(site('lille'));
        expect(await store.listRefused('lille')).toEqual([]);
      });
    });

    describe('users and sessions', () => {
      it('stores a user with their grants and refuses the same username twice', async () => {
        const { store } = await fresh();
        const analyst = user('ana', {
          grants: [
            { site: 'lille', role: 'analyst' },
            { site: 'lyon', role: 'coordinator' },
          ],
        });
        await store.createUser(analyst);
        expect(await store.getUser('ana')).toEqual(analyst);
        expect(await store.getUser('nobody')).toBeUndefined();
        await expect(store.createUser(user('ana', { admin: true }))).rejects.toThrow();
        expect((await store.getUser('ana'))?.admin).toBe(false);
        // A user made by an admin has no password until they use their link.
        const waiting = user('new', { passwordHash: null, admin: true, grants: [] });
        await store.createUser(waiting);
        expect(await store.getUser('new')).toEqual(waiting);
        expect((await store.listUsers()).map((entry) => entry.username)).toEqual([
          'ana',
          'coord',
          'new',
        ]);
      });

      it('replaces a user’s access, and never takes the last admin’s away', async () => {
        const { store } = await fresh();
        await store.createUser(user('boss', { admin: true, grants: [] }));
        const grants = [{ site: '*', role: 'analyst' } as const];
        expect(await store.setUserAccess('coord', { admin: false, grants })).toBe('done');
        expect((await store.getUser('coord'))?.grants).toEqual(grants);
        expect(await store.setUserAccess('ghost', { admin: true, grants: [] })).toBe('unknown');
        expect(await store.setUserAccess('boss', { admin: false, grants })).toBe('last_admin');
        expect(await store.deleteUser('boss')).toBe('last_admin');
        expect((await store.getUser('boss'))?.admin).toBe(true);
        // With a second admin, either may go, but not both at once.
        expect(await store.setUserAccess('coord', { admin: true, grants: [] })).toBe('done');
        const both = await Promise.all([
          store.setUserAccess('boss', { admin: false, grants: [] }),
          store.setUserAccess('coord', { admin: false, grants: [] }),
        ]);
        expect([...both].sort()).toEqual(['done', 'last_admin']);
        expect((await store.listUsers()).filter((entry) => entry.admin)).toHaveLength(1);
      });

      it('deletes a user with their sessions and links', async () => {
        const { store } = await fresh();
        await store.createUser(user('ana'));
        await store.createSession({ tokenHash: 's-ana', username: 'ana', expiresAt: LATER });
        await store.createSession({ tokenHash: 's-coord', username: 'coord', expiresAt: LATER });
        await store.createUserLink(link('l-ana', 'ana'));
        expect(await store.deleteUser('ana')).toBe('done');
        expect(await store.getUser('ana')).toBeUndefined();
        expect(await store.getSession('s-ana')).toBeUndefined();
        expect(await store.getUserLink('l-ana', AT)).toBeUndefined();
        expect(await store.getSession('s-coord')).toMatchObject({ username: 'coord' });
        expect(await store.deleteUser('ana')).toBe('unknown');
      });

      it('creates, finds and deletes a session', async () => {
        const { store } = await fresh();
        const session = {
          tokenHash: 'session-1',
          username: 'coord',
          createdAt: AT,
          expiresAt: LATER,
        };
        await store.createSession(session);
        expect(await store.getSession('session-1')).toEqual(session);
        expect(await store.getSession('session-2')).toBeUndefined();
        await store.deleteSession('session-1');
        expect(await store.getSession('session-1')).toBeUndefined();
        await expect(store.deleteSession('session-1')).resolves.toBeUndefined();
      });

      it('refuses a session for an unknown user', async () => {
        const { store } = await fresh();
        await expect(
          store.createSession({ tokenHash: 's', username: 'ghost', expiresAt: LATER }),
        ).rejects.toThrow();
        expect(await store.getSession('s')).toBeUndefined();
      });

      it('lists the sessions not expired, one user’s or everyone’s', async () => {
        const { store } = await fresh();
        await store.createUser(user('ana'));
        const early = '2026-03-02T08:00:00.000Z';
        await store.createSession({
          tokenHash: 'b',
          username: 'coord',
          createdAt: AT,
          expiresAt: LATER,
        });
        await store.createSession({
          tokenHash: 'a',
          username: 'coord',
          createdAt: early,
          expiresAt: LATER,
        });
        await store.createSession({ tokenHash: 'old', username: 'coord', expiresAt: LATER });
        await store.createSession({ tokenHash: 'gone', username: 'coord', expiresAt: AT });
        await store.createSession({
          tokenHash: 'c',
          username: 'ana',
          createdAt: AT,
          expiresAt: LATER,
        });
        const coord = await store.listSessions(AT, 'coord');
        // A session made before created_at was kept has none, and sorts first.
        expect(coord.map((session) => [session.tokenHash, session.createdAt])).toEqual([
          ['old', null],
          ['a', early],
          ['b', AT],
        ]);
        expect((await store.listSessions(AT)).map((session) => session.tokenHash)).toEqual([
          'c',
          'old',
          'a',
          'b',
        ]);
        expect(await store.listSessions(LATER)).toEqual([]);
        // Ending the others' sessions keeps the one named.
        expect(await store.deleteUserSessions('coord', 'a')).toBe(3);
        expect((await store.listSessions(AT, 'coord')).map((session) => session.tokenHash)).toEqual(
          ['a'],
        );
      });
    });

    describe('one-time links', () => {
      it('finds a usable link, and a new one ends the user’s older unused ones', async () => {
        const { store } = await fresh();
        await store.createUser(user('ana'));
        await store.createUserLink(link('l1', 'coord'));
        await store.createUserLink(link('l-ana', 'ana'));
        expect(await store.getUserLink('l1', AT)).toEqual({ ...link('l1', 'coord'), usedAt: null });
        expect(await store.getUserLink('l1', LATER)).toBeUndefined();
        expect(await store.getUserLink('nope', AT)).toBeUndefined();
        await store.createUserLink(link('l2', 'coord'));
        expect(await store.getUserLink('l1', AT)).toBeUndefined();
        expect(await store.getUserLink('l2', AT)).toMatchObject({ username: 'coord' });
        expect(await store.getUserLink('l-ana', AT)).toMatchObject({ username: 'ana' });
        await expect(store.createUserLink(link('l3', 'ghost'))).rejects.toThrow();
      });

      it('uses a link once, before it expires: sets the password and ends the sessions', async () => {
        const { store } = await fresh();
        await store.createUser(user('new', { passwordHash: null }));
        await store.createSession({ tokenHash: 's', username: 'new', expiresAt: LATER });
        await store.createUserLink(link('l1', 'new'));
        expect(await store.useUserLink('l1', LATER, 'scrypt$late')).toBeUndefined();
        expect(await store.useUserLink('l1', AT, 'scrypt$first')).toBe('new');
        expect(await store.useUserLink('l1', AT, 'scrypt$second')).toBeUndefined();
        expect((await store.getUser('new'))?.passwordHash).toBe('scrypt$first');
        expect(await store.getSession('s')).toBeUndefined();
        expect(await store.getUserLink('l1', AT)).toBeUndefined();
        expect(await store.useUserLink('unknown', AT, 'scrypt$x')).toBeUndefined();
      });

      it('lets only one of two simultaneous uses of a link succeed', async () => {
        const { store } = await fresh();
        await store.createUserLink(link('l1', 'coord'));
        const results = await Promise.all([
          store.useUserLink('l1', AT, 'scrypt$one'),
          store.useUserLink('l1', AT, 'scrypt$two'),
        ]);
        expect(results.filter((result) => result === 'coord')).toHaveLength(1);
        expect(results.filter((result) => result === undefined)).toHaveLength(1);
      });

      it('purges expired links', async () => {
        const { store } = await fresh();
        await store.createUser(user('ana'));
        await store.createUserLink(link('l1', 'coord', { expiresAt: AT }));
        await store.createUserLink(link('l-ana', 'ana'));
        const before = '2026-03-01T12:00:00.000Z';
        expect(await store.getUserLink('l1', before)).toMatchObject({ username: 'coord' });
        await store.purgeExpired(AT, AT);
        expect(await store.getUserLink('l1', before)).toBeUndefined();
        expect(await store.getUserLink('l-ana', before)).toMatchObject({ username: 'ana' });
      });
    });

    describe('enrolment', () => {
      it('enrols one device on the code’s site, and the code never works again', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('code-1', { site: 'lyon' }));
        const enrolled = await store.enrolDevice('code-1', device('d1'), AT);
        expect(enrolled).toEqual({ ...device('d1'), site: 'lyon' });
        expect(await store.getDeviceByToken('token-d1')).toEqual(enrolled);
        expect(await store.enrolDevice('code-1', device('d2'), AT)).toBeUndefined();
        expect(await store.getDeviceByToken('token-d2')).toBeUndefined();
        expect((await store.listDevices('lyon')).map((d) => d.id)).toEqual(['d1']);
      });

      it('refuses an expired or unknown code', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('code-1', { expiresAt: AT }));
        expect(await store.enrolDevice('code-1', device('d1'), AT)).toBeUndefined();
        expect(await store.enrolDevice('code-1', device('d1'), LATER)).toBeUndefined();
        expect(await store.enrolDevice('no-such-code', device('d2'), AT)).toBeUndefined();
        expect(await store.listDevices('lille')).toEqual([]);
        // The same code was still good one millisecond before it expired.
        expect(
          await store.enrolDevice('code-1', device('d3'), '2026-03-02T08:59:59.999Z'),
        ).toMatchObject({ id: 'd3', site: 'lille' });
      });

      it('lets only one of two simultaneous uses of a code succeed', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('code-1'));
        const results = await Promise.all([
          store.enrolDevice('code-1', device('d1'), AT),
          store.enrolDevice('code-1', device('d2'), AT),
        ]);
        const winners = results.filter((result) => result !== undefined);
        expect(winners).toHaveLength(1);
        expect((await store.listDevices('lille')).map((d) => d.id)).toEqual(
          winners.map((d) => d.id),
        );
      });

      it('lists a site’s usable codes oldest first, never used, expired or other sites’ ones', async () => {
        const { store } = await fresh();
        const late = code('c-late', { createdAt: '2026-03-02T11:00:00.000Z' });
        const early = code('c-early', { createdAt: '2026-03-02T08:00:00.000Z', createdBy: 'ana' });
        const twin = code('c-twin', { createdAt: '2026-03-02T11:00:00.000Z' });
        await store.createEnrolmentCode(late);
        await store.createEnrolmentCode(early);
        await store.createEnrolmentCode(twin);
        await store.createEnrolmentCode(code('c-used'));
        await store.createEnrolmentCode(code('c-expired', { expiresAt: AT }));
        await store.createEnrolmentCode(code('c-lyon', { site: 'lyon' }));
        await store.enrolDevice('c-used', device('d1'), AT);
        // Hash order breaks the tie between two codes of the same millisecond.
        expect(await store.listEnrolmentCodes('lille', AT)).toEqual([early, late, twin]);
        expect((await store.listEnrolmentCodes('lyon', AT)).map((c) => c.codeHash)).toEqual([
          'c-lyon',
        ]);
        // A code is usable until the millisecond before it expires.
        expect(await store.listEnrolmentCodes('lille', '2026-03-05T08:59:59.999Z')).toHaveLength(3);
        expect(await store.listEnrolmentCodes('lille', LATER)).toEqual([]);
        expect(await store.listEnrolmentCodes('paris', AT)).toEqual([]);
      });

      it('keeps the label a code was given, and none for a code given none', async () => {
        const { store } = await fresh();
        const named = code('c-named', { label: 'Tablette 3 · Marie' });
        await store.createEnrolmentCode(named);
        await store.createEnrolmentCode(code('c-plain', { createdAt: '2026-03-02T09:00:01.000Z' }));
        const listed = await store.listEnrolmentCodes('lille', AT);
        expect(listed).toEqual([named, code('c-plain', { createdAt: '2026-03-02T09:00:01.000Z' })]);
        expect(listed[1]).not.toHaveProperty('label');
      });

      it('cancels unused codes by their creation time, never a used one nor another site’s', async () => {
        const { store } = await fresh();
        const at = '2026-03-02T10:00:00.000Z';
        await store.createEnrolmentCode(code('c1', { createdAt: at }));
        await store.createEnrolmentCode(code('c2'));
        await store.createEnrolmentCode(code('c-lyon', { site: 'lyon', createdAt: at }));
        await store.createEnrolmentCode(code('c-used', { createdAt: '2026-03-02T10:30:00.000Z' }));
        await store.enrolDevice('c-used', device('d1'), AT);
        expect(await store.deleteEnrolmentCode('lille', at)).toBe(1);
        expect(await store.deleteEnrolmentCode('lille', at)).toBe(0);
        expect((await store.listEnrolmentCodes('lille', AT)).map((c) => c.codeHash)).toEqual([
          'c2',
        ]);
        expect(await store.enrolDevice('c1', device('d2'), AT)).toBeUndefined();
        // The used code stays: it is the record of the device it enrolled.
        expect(await store.deleteEnrolmentCode('lille', '2026-03-02T10:30:00.000Z')).toBe(0);
        expect(await store.enrolDevice('c-lyon', device('d3'), AT)).toMatchObject({ site: 'lyon' });
      });

      it('leaves the code unused when the device cannot be stored', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('code-1'));
        await store.createEnrolmentCode(code('code-2'));
        expect(await store.enrolDevice('code-1', device('d1'), AT)).toBeDefined();
        // Same token hash as d1: the insert fails, so the whole enrolment must roll back.
        await expect(
          store.enrolDevice('code-2', device('d2', { tokenHash: 'token-d1' }), AT),
        ).rejects.toThrow();
        expect(await store.enrolDevice('code-2', device('d2'), AT)).toMatchObject({ id: 'd2' });
      });
    });

    describe('devices', () => {
      it('lists a site’s devices in enrolment order, and only that site’s', async () => {
        const { store } = await fresh();
        for (const [hash, codeSite] of [
          ['c1', 'lille'],
          ['c2', 'lyon'],
          ['c3', 'lille'],
        ] as const)
          await store.createEnrolmentCode(code(hash, { site: codeSite }));
        await store.enrolDevice('c1', device('b', { enrolledAt: '2026-03-02T10:00:00.000Z' }), AT);
        await store.enrolDevice('c2', device('c'), AT);
        await store.enrolDevice('c3', device('a', { enrolledAt: '2026-03-02T11:00:00.000Z' }), AT);
        expect((await store.listDevices('lille')).map((d) => d.id)).toEqual(['b', 'a']);
        expect((await store.listDevices('lyon')).map((d) => d.id)).toEqual(['c']);
        expect(await store.listDevices('paris')).toEqual([]);
      });

      it('revokes a device, keeps the first revocation time, and still finds it by token', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        await store.enrolDevice('c1', device('d1'), AT);
        await store.revokeDevice('d1', '2026-03-03T12:00:00.000Z');
        await store.revokeDevice('d1', '2026-03-04T12:00:00.000Z');
        expect(await store.getDeviceByToken('token-d1')).toMatchObject({
          id: 'd1',
          revokedAt: '2026-03-03T12:00:00.000Z',
        });
      });

      it('notes each upload’s time and pending count', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        await store.enrolDevice('c1', device('d1'), AT);
        await store.touchDevice('d1', '2026-03-03T12:00:00.000Z', 12);
        expect(await store.getDeviceByToken('token-d1')).toMatchObject({
          lastSyncAt: '2026-03-03T12:00:00.000Z',
          lastPending: 12,
          revokedAt: null,
        });
        await store.touchDevice('d1', '2026-03-03T13:00:00.000Z', null);
        expect(await store.getDeviceByToken('token-d1')).toMatchObject({
          lastSyncAt: '2026-03-03T13:00:00.000Z',
          lastPending: null,
        });
      });
    });

    describe('sessions, passwords, failed logins and device tokens', () => {
      it('ends every session of one user, and only theirs', async () => {
        const { store } = await fresh();
        await store.createUser(user('ana'));
        await store.createSession({ tokenHash: 's1', username: 'coord', expiresAt: LATER });
        await store.createSession({ tokenHash: 's2', username: 'coord', expiresAt: LATER });
        await store.createSession({ tokenHash: 's3', username: 'ana', expiresAt: LATER });
        expect(await store.deleteUserSessions('coord')).toBe(2);
        expect(await store.getSession('s1')).toBeUndefined();
        expect(await store.getSession('s2')).toBeUndefined();
        expect(await store.getSession('s3')).toMatchObject({ username: 'ana' });
        expect(await store.deleteUserSessions('coord')).toBe(0);
      });

      it('replaces a password hash and nothing else', async () => {
        const { store } = await fresh();
        const hash = 'scrypt$N=32768,r=8,p=3$00ff$abcd';
        await store.setPasswordHash('coord', hash);
        expect(await store.getUser('coord')).toEqual({ ...user('coord'), passwordHash: hash });
      });

      it('purges expired sessions, unused expired codes and failure counts that lock nothing', async () => {
        const { store } = await fresh();
        await store.createSession({ tokenHash: 'expired', username: 'coord', expiresAt: AT });
        await store.createSession({ tokenHash: 'live', username: 'coord', expiresAt: LATER });
        await store.createEnrolmentCode(code('c-expired', { expiresAt: AT }));
        await store.createEnrolmentCode(code('c-used', { createdAt: '2026-03-02T07:00:00.000Z' }));
        await store.createEnrolmentCode(code('c-live', { createdAt: '2026-03-02T08:00:00.000Z' }));
        await store.enrolDevice('c-used', device('d1'), '2026-03-02T08:30:00.000Z');
        const policy = { windowStart: '2026-03-01T00:00:00.000Z', maxFailures: 1 };
        const early = '2026-03-02T08:00:00.000Z';
        await store.noteLoginFailure('stale', early, {
          ...policy,
          lockUntil: '2026-03-02T08:15:00.000Z',
        });
        await store.noteLoginFailure('locked', early, { ...policy, lockUntil: LATER });
        await store.noteLoginFailure('recent', '2026-03-02T08:59:00.000Z', {
          ...policy,
          maxFailures: 5,
          lockUntil: LATER,
        });
        await store.purgeExpired(AT, '2026-03-02T08:45:00.000Z');
        expect(await store.getSession('expired')).toBeUndefined();
        expect(await store.getSession('live')).toBeDefined();
        // Deleting by creation time finds no unused code left at the expired one's time.
        expect(await store.deleteEnrolmentCode('lille', AT)).toBe(0);
        expect(await store.enrolDevice('c-live', device('d2'), early)).toMatchObject({ id: 'd2' });
        expect(await store.getDeviceByToken('token-d1')).toMatchObject({ id: 'd1' });
        expect(await store.getLoginFailures('stale')).toBeUndefined();
        expect(await store.getLoginFailures('locked')).toMatchObject({ lockedUntil: LATER });
        expect(await store.getLoginFailures('recent')).toMatchObject({ failures: 1 });
      });

      it('counts failed logins atomically, locks at the limit and starts again after the window', async () => {
        const { store } = await fresh();
        const policy = {
          windowStart: '2026-03-02T08:45:00.000Z',
          maxFailures: 5,
          lockUntil: '2026-03-02T09:15:00.000Z',
        };
        expect(await store.getLoginFailures('anyone')).toBeUndefined();
        const first = await store.noteLoginFailure('anyone', AT, policy);
        expect(first).toEqual({
          username: 'anyone',
          failures: 1,
          firstFailureAt: AT,
          lockedUntil: null,
        });
        // Four at once: each one counts.
        const later = '2026-03-02T09:01:00.000Z';
        await Promise.all([1, 2, 3, 4].map(() => store.noteLoginFailure('anyone', later, policy)));
        expect(await store.getLoginFailures('anyone')).toEqual({
          username: 'anyone',
          failures: 5,
          firstFailureAt: AT,
          lockedUntil: policy.lockUntil,
        });
        // Once the first failure is older than the window, the count starts again at 1.
        const next = '2026-03-02T09:20:00.000Z';
        const again = await store.noteLoginFailure('anyone', next, {
          windowStart: '2026-03-02T09:05:00.000Z',
          maxFailures: 5,
          lockUntil: '2026-03-02T09:35:00.000Z',
        });
        expect(again).toMatchObject({ failures: 1, firstFailureAt: next });
        expect(await store.getLoginFailures('other')).toBeUndefined();
        await store.clearLoginFailures('anyone');
        expect(await store.getLoginFailures('anyone')).toBeUndefined();
      });

      it('keeps a renewed device token beside the current one until its first use', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        const expires = '2026-08-29T09:00:00.000Z';
        const enrolled = await store.enrolDevice(
          'c1',
          device('d1', { tokenExpiresAt: expires }),
          AT,
        );
        expect(enrolled).toMatchObject({ tokenExpiresAt: expires });
        expect(await store.getDeviceByToken('token-d1')).toEqual(enrolled);
        const renewed = '2026-09-01T09:00:00.000Z';
        await store.setNextDeviceToken('d1', 'lost', renewed);
        // A renewal asked again replaces the one never used.
        await store.setNextDeviceToken('d1', 'next-d1', renewed);
        expect(await store.getDeviceByToken('next-d1')).toBeUndefined();
        expect(await store.getDeviceByToken('token-d1')).toMatchObject({ id: 'd1' });
        expect(await store.useNextDeviceToken('lost')).toBeUndefined();
        const [winner, loser] = await Promise.all([
          store.useNextDeviceToken('next-d1'),
          store.useNextDeviceToken('next-d1'),
        ]);
        expect([winner, loser].filter((d) => d !== undefined)).toHaveLength(1);
        const used = { ...enrolled, tokenHash: 'next-d1', tokenExpiresAt: renewed };
        expect(await store.getDeviceByToken('next-d1')).toEqual(used);
        expect(await store.getDeviceByToken('token-d1')).toBeUndefined();
        expect(await store.useNextDeviceToken('next-d1')).toBeUndefined();
        expect(await store.listDevices('lille')).toEqual([used]);
      });
    });

    describe('records', () => {
      it('answers an empty batch with no outcomes', async () => {
        const { store } = await fresh();
        expect(await store.putRecords([])).toEqual([]);
      });

      it('stores every field exactly as given', async () => {
        const { store } = await fresh();
        const screened = record('r1', {
          status: 'screened_out',
          screenOutId: 'S2',
          durationSeconds: 754.25,
          quotaCategories: '{"age":"18-29","sex":"m"}',
          body: '{"accents":"é ü 中文","id":"r1"}',
          figures: { asked: 12, dontKnow: 2, refused: 1, screens: 0, positiveScreens: 0 },
        });
        const brokenOff = record('r4', { status: 'broken_off', alertEvents: 3 });
        await store.putRecords([screened, record('r2'), brokenOff]);
        expect(await store.getRecord('r1')).toEqual(screened);
        expect(await store.getRecord('r2')).toEqual(record('r2'));
        expect(await store.getRecord('r4')).toEqual(brokenOff);
        expect(await store.getRecord('r3')).toBeUndefined();
      });

      it('stores text that needs escaping exactly, and takes a lone surrogate too', async () => {
        const { store } = await fresh();
        const awkward = record('r1', {
          interviewer: 'ENQ "1" \\ \n\t\u0001 😀',
          body: JSON.stringify({ id: 'r1', note: 'quote " back \\ line \n tab \t 😀 \u0001' }),
        });
        // PostgreSQL's JSON path cannot carry a lone surrogate into text: the other path does.
        const figures = { asked: 5, dontKnow: 1, refused: 2, screens: 3, positiveScreens: 1 };
        const lone = record('r2', { interviewer: 'ENQ \uD800', figures, alertEvents: 2 });
        expect(await store.putRecords([awkward, lone])).toEqual(['accepted', 'accepted']);
        expect(await store.getRecord('r1')).toEqual(awkward);
        expect(await store.getRecord('r2')).toMatchObject({ id: 'r2', figures, alertEvents: 2 });
      });

      it('answers accepted, duplicate and conflict record by record, in order', async () => {
        const { store } = await fresh();
        expect(await store.putRecords([record('a'), record('b')])).toEqual([
          'accepted',
          'accepted',
        ]);
        const outcomes = await store.putRecords([
          record('c'),
          record('a'),
          record('b', {}, 'v2'),
          record('d'),
        ]);
        expect(outcomes).toEqual(['accepted', 'duplicate', 'conflict', 'accepted']);
        // The conflicting upload changed nothing.
        expect(await store.getRecord('b')).toEqual(record('b'));
        expect(await store.getRecord('c')).toEqual(record('c'));
      });

      it('judges the same id twice in one batch against the first occurrence', async () => {
        const { store } = await fresh();
        const outcomes = await store.putRecords([
          record('x'),
          record('y'),
          record('x'),
          record('y', {}, 'v2'),
          record('y'),
        ]);
        expect(outcomes).toEqual(['accepted', 'accepted', 'duplicate', 'conflict', 'duplicate']);
        expect(await store.getRecord('y')).toEqual(record('y'));
        // Twice in a batch after it was already stored: both judged against the stored one.
        expect(await store.putRecords([record('x', {}, 'v2'), record('x')])).toEqual([
          'conflict',
          'duplicate',
        ]);
      });

      it('stores a batch all or nothing', async () => {
        const { store } = await fresh();
        const broken = { ...record('bad'), status: 'lost' } as unknown as StoredRecord;
        await expect(store.putRecords([record('good'), broken])).rejects.toThrow();
        expect(await store.getRecord('good')).toBeUndefined();
        expect(await store.putRecords([record('good')])).toEqual(['accepted']);
      });

      it('lists the items records carry income bands for, by sites, questionnaire and version', async () => {
        const { store } = await fresh();
        // Bodies as the server writes them: canonical JSON, the record's bands after its answers.
        const banded = (id: string, item: string, answers: object = {}, version = '2026.1') =>
          record(id, {
            questionnaireVersion: version,
            body: JSON.stringify({
              answers,
              id,
              incomeBands: { currency: 'EUR', item, upperBounds: [840, 1200] },
            }),
          });
        await store.putRecords([
          record('plain'),
          banded('a', 'sd_income'),
          banded('b', 'sd_income'),
          // `_` is no wildcard: an item one letter apart is another item.
          banded('c', 'sdXincome'),
          banded('d', 'other_income', {}, '2026.2'),
          // An answer to an item named like the key, not the record's bands, read as such.
          banded('e', 'sd_income', { incomeBands: { nonResponse: 'dont_know' } }),
          { ...banded('f', 'elsewhere'), site: 'paris' },
        ]);
        const scope = { sites: ['lille'], questionnaireId: 'smpg' };
        expect(await store.incomeBandItems(scope)).toEqual([
          'other_income',
          'sdXincome',
          'sd_income',
        ]);
        expect(await store.incomeBandItems({ ...scope, questionnaireVersion: '2026.1' })).toEqual([
          'sdXincome',
          'sd_income',
        ]);
        expect(await store.incomeBandItems({ ...scope, sites: ['lille', 'paris'] })).toContain(
          'elsewhere',
        );
        expect(await store.incomeBandItems({ ...scope, questionnaireId: 'demo' })).toEqual([]);
        expect(await store.incomeBandItems({ ...scope, sites: [] })).toEqual([]);
      });

      it('takes a batch of 600 in one call and answers a replay with duplicates', async () => {
        const { store } = await fresh();
        const batch = Array.from({ length: 600 }, (_, i) =>
          record(`bulk-${String(i).padStart(4, '0')}`, { durationSeconds: i }),
        );
        const first = await store.putRecords(batch);
        expect(first).toHaveLength(600);
        expect(first.every((outcome) => outcome === 'accepted')).toBe(true);
        const replay = await store.putRecords(batch);
        expect(replay.every((outcome) => outcome === 'duplicate')).toBe(true);
        expect(await store.getRecord('bulk-0599')).toEqual(batch[599]);
        expect((await readAllPages(store, {}, 1000)).records).toHaveLength(600);
      });

      it('keeps records when the store is closed and opened again', async () => {
        const { store, reopen } = await fresh();
        const kept = record('kept', { screenOutId: 'S1', status: 'screened_out' });
        await store.putRecords([kept]);
        await store.close();
        const again = await reopen();
        await again.migrate();
        expect(await again.getRecord('kept')).toEqual(kept);
        expect(await again.putRecords([kept, record('kept', {}, 'v2')])).toEqual([
          'duplicate',
          'conflict',
        ]);
        expect((await again.getSite('lille'))?.id).toBe('lille');
      });
    });

    describe('listing records', () => {
      const receivedTimes = [
        '2026-03-02T09:00:00.000Z',
        '2026-03-02T09:00:00.001Z',
        '2026-03-02T10:30:00.000Z',
        '2026-03-03T08:00:00.000Z',
        '2026-03-10T17:45:12.345Z',
      ];
      // 53 records over two sites, two questionnaires, two versions and both statuses, many
      // sharing a receivedAt, with ids that do not sort in insertion order.
      const corpus = Array.from({ length: 53 }, (_, i) =>
        record(`${['k', 'B', 'a-', 'Z', 'm_'][i % 5] ?? ''}${(i * 37) % 101}`, {
          site: i % 3 === 0 ? 'lyon' : 'lille',
          questionnaireId: i % 4 === 0 ? 'demo' : 'smpg',
          questionnaireVersion: i % 2 === 0 ? '2026.1' : '2026.2',
          receivedAt: receivedTimes[(i * 7) % receivedTimes.length] ?? AT,
          ...(i % 6 === 1 ? { status: 'screened_out' as const, screenOutId: 'S1' } : {}),
        }),
      );
      const matching = (filter: RecordFilter): StoredRecord[] =>
        corpus
          .filter(
            (r) =>
              (filter.site === undefined || r.site === filter.site) &&
              (filter.questionnaireId === undefined ||
                r.questionnaireId === filter.questionnaireId) &&
              (filter.questionnaireVersion === undefined ||
                r.questionnaireVersion === filter.questionnaireVersion) &&
              (filter.status === undefined || r.status === filter.status),
          )
          .sort(byReceivedThenId);

      async function withCorpus(): Promise<ServerStore> {
        const { store } = await fresh();
        // Uploaded in several batches, out of order.
        for (let start = 0; start < corpus.length; start += 20)
          await store.putRecords([...corpus.slice(start, start + 20)].reverse());
        return store;
      }

      it('pages through every record once, in receivedAt then id order', async () => {
        const store = await withCorpus();
        const { records, pages } = await readAllPages(store, {}, 10);
        expect(pages).toBe(6);
        expect(records.map((r) => r.id)).toEqual(
          [...corpus].sort(byReceivedThenId).map((r) => r.id),
        );
        expect(new Set(records.map((r) => r.id)).size).toBe(corpus.length);
        expect(records).toEqual([...corpus].sort(byReceivedThenId));
      });

      it('filters by site, questionnaire and version, alone and together', async () => {
        const store = await withCorpus();
        const filters: RecordFilter[] = [
          { site: 'lille' },
          { site: 'lyon' },
          { questionnaireId: 'demo' },
          { questionnaireId: 'smpg', questionnaireVersion: '2026.2' },
          { questionnaireVersion: '2026.1' },
          { site: 'lyon', questionnaireId: 'smpg', questionnaireVersion: '2026.1' },
          { site: 'paris' },
          { status: 'screened_out' },
          { site: 'lille', questionnaireId: 'smpg', status: 'completed' },
        ];
        for (const filter of filters) {
          const expected = matching(filter).map((r) => r.id);
          const { records } = await readAllPages(store, filter, 7);
          expect(
            records.map((r) => r.id),
            JSON.stringify(filter),
          ).toEqual(expected);
        }
      });

      it('lists the bodies alone, in the same pages', async () => {
        const store = await withCorpus();
        const filters: RecordFilter[] = [
          {},
          { site: 'lille', questionnaireId: 'smpg', status: 'completed' },
          { site: 'lyon', status: 'screened_out' },
        ];
        for (const filter of filters) {
          const bodies: RecordBody[] = [];
          let after: { receivedAt: string; id: string } | null = null;
          for (;;) {
            const page: RecordBody[] = await store.listRecordBodies(filter, after, 4);
            bodies.push(...page);
            const last = page.at(-1);
            if (page.length < 4 || last === undefined) break;
            after = { receivedAt: last.receivedAt, id: last.id };
          }
          expect(bodies, JSON.stringify(filter)).toEqual(
            matching(filter).map(({ id, receivedAt, body }) => ({ id, receivedAt, body })),
          );
        }
        await expect(store.listRecordBodies({}, null, 0)).rejects.toThrow(RangeError);
      });

      it('answers nothing after the last record and refuses a limit below one', async () => {
        const store = await withCorpus();
        const last = [...corpus].sort(byReceivedThenId).at(-1);
        expect(last).toBeDefined();
        if (last === undefined) return;
        expect(
          await store.listRecords({}, { receivedAt: last.receivedAt, id: last.id }, 5),
        ).toEqual([]);
        await expect(store.listRecords({}, null, 0)).rejects.toThrow(RangeError);
      });
    });

    it('gives the quota rows of one site only', async () => {
      const { store } = await fresh();
      await store.putRecords([
        record('q1', { quotaCategories: '{"sex":"f"}', receivedAt: '2026-03-02T09:00:00.000Z' }),
        record('q2', {
          status: 'screened_out',
          screenOutId: 'S1',
          interviewer: 'INT09',
          quotaCategories: '{}',
          receivedAt: '2026-03-02T09:00:01.000Z',
        }),
        record('q3', { site: 'lyon' }),
        // Stored, never counted in quotas.
        record('q4', { status: 'broken_off', receivedAt: '2026-03-02T09:00:02.000Z' }),
      ]);
      expect(await store.quotaRows('lille')).toEqual([
        {
          interviewer: 'INT07',
          status: 'completed',
          screenOutId: null,
          quotaCategories: '{"sex":"f"}',
        },
        { interviewer: 'INT09', status: 'screened_out', screenOutId: 'S1', quotaCategories: '{}' },
      ]);
      expect(await store.quotaRows('lyon')).toHaveLength(1);
      expect(await store.quotaRows('paris')).toEqual([]);
    });

    it('gives the summary rows of one site only, without bodies, in receivedAt then id order', async () => {
      const { store } = await fresh();
      await store.putRecords([
        record('s2', { receivedAt: '2026-03-02T09:00:01.000Z', durationSeconds: 312.5 }),
        record('s1', {
          status: 'screened_out',
          screenOutId: 'quota_full',
          interviewer: 'INT09',
          deviceId: 'device-2',
          quotaCategories: '{"sex":"m"}',
          startedAt: '2026-03-01T17:00:00.000Z',
          durationSeconds: 95,
          receivedAt: '2026-03-02T09:00:01.000Z',
        }),
        record('s0', { receivedAt: '2026-03-02T09:00:00.000Z' }),
        record('s3', { site: 'lyon' }),
        record('s4', {
          status: 'broken_off',
          receivedAt: '2026-03-02T09:00:02.000Z',
          figures: { asked: 40, dontKnow: 3, refused: 1, screens: 6, positiveScreens: 2 },
        }),
      ]);
      expect(await store.summaryRows('lille')).toEqual([
        {
          id: 's0',
          deviceId: 'device-1',
          interviewer: 'INT07',
          status: 'completed',
          screenOutId: null,
          quotaCategories: '{"sex":"f"}',
          startedAt: '2026-03-02T08:30:00.000Z',
          durationSeconds: 1800,
          figures: null,
        },
        {
          id: 's1',
          deviceId: 'device-2',
          interviewer: 'INT09',
          status: 'screened_out',
          screenOutId: 'quota_full',
          quotaCategories: '{"sex":"m"}',
          startedAt: '2026-03-01T17:00:00.000Z',
          durationSeconds: 95,
          figures: null,
        },
        {
          id: 's2',
          deviceId: 'device-1',
          interviewer: 'INT07',
          status: 'completed',
          screenOutId: null,
          quotaCategories: '{"sex":"f"}',
          startedAt: '2026-03-02T08:30:00.000Z',
          durationSeconds: 312.5,
          figures: null,
        },
        {
          id: 's4',
          deviceId: 'device-1',
          interviewer: 'INT07',
          status: 'broken_off',
          screenOutId: null,
          quotaCategories: '{"sex":"f"}',
          startedAt: '2026-03-02T08:30:00.000Z',
          durationSeconds: 1800,
          figures: { asked: 40, dontKnow: 3, refused: 1, screens: 6, positiveScreens: 2 },
        },
      ]);
      expect((await store.summaryRows('lyon')).map((row) => row.id)).toEqual(['s3']);
      expect(await store.summaryRows('paris')).toEqual([]);
    });

    it('gives the records of one site that hold alert events, with their bodies', async () => {
      const { store } = await fresh();
      await store.putRecords([
        record('a2', { alertEvents: 2, receivedAt: '2026-03-02T09:00:01.000Z' }),
        record('a1', {
          alertEvents: 1,
          status: 'broken_off',
          interviewer: 'INT09',
          deviceId: 'device-2',
          receivedAt: '2026-03-02T09:00:00.000Z',
        }),
        record('a0'),
        record('a3', { site: 'lyon', alertEvents: 1 }),
      ]);
      expect(await store.alertRecords('lille')).toEqual([
        {
          id: 'a1',
          deviceId: 'device-2',
          interviewer: 'INT09',
          status: 'broken_off',
          body: record('a1').body,
        },
        {
          id: 'a2',
          deviceId: 'device-1',
          interviewer: 'INT07',
          status: 'completed',
          body: record('a2').body,
        },
      ]);
      expect((await store.alertRecords('lyon')).map((row) => row.id)).toEqual(['a3']);
      expect(await store.alertRecords('paris')).toEqual([]);
    });

    it('publishes a questionnaire version once and never replaces it', async () => {
      const { store } = await fresh();
      const v1 = {
        questionnaireId: 'smpg',
        version: '2026.1',
        definition: '{"id":"smpg","version":"2026.1"}',
        labelPacks: '[]',
        publishedAt: AT,
      };
      expect(await store.publishQuestionnaire(v1)).toBe('published');
      expect(
        await store.publishQuestionnaire({
          ...v1,
          definition: '{"changed":true}',
          publishedAt: LATER,
        }),
      ).toBe('exists');
      const v2 = { ...v1, version: '2026.2', publishedAt: LATER };
      const demo = { ...v1, questionnaireId: 'demo', version: '1' };
      expect(await store.publishQuestionnaire(v2)).toBe('published');
      expect(await store.publishQuestionnaire(demo)).toBe('published');
      expect(await store.listQuestionnaires()).toEqual([demo, v1, v2]);
      // The index: the same versions in the same order, without definitions.
      expect(await store.listQuestionnaireVersions()).toEqual(
        [demo, v1, v2].map(({ questionnaireId, version, publishedAt }) => ({
          questionnaireId,
          version,
          publishedAt,
        })),
      );
      expect(await store.getQuestionnaire('smpg', '2026.1')).toEqual(v1);
      expect(await store.getQuestionnaire('smpg', '2026.3')).toBeUndefined();
      expect(await store.getQuestionnaire('demo', '2026.1')).toBeUndefined();
    });

    describe('server keys and recovery secrets', () => {
      const key = (keyId: string) => ({
        purpose: 'backup',
        keyId,
        publicKey: `{"n":"${keyId}"}`,
        privateKey: `-----BEGIN PRIVATE KEY-----\n${keyId}\n-----END PRIVATE KEY-----\n`,
        createdAt: AT,
      });

      it('keeps the first key pair of a purpose, for every store on the same storage', async () => {
        const { store, reopen } = await fresh();
        expect(await store.getServerKey('backup')).toBeUndefined();
        expect(await store.addServerKey(key('first'))).toEqual(key('first'));
        // A second server making its own at the same time keeps the first.
        expect(await store.addServerKey(key('second'))).toEqual(key('first'));
        const other = await reopen();
        expect(await other.getServerKey('backup')).toEqual(key('first'));
        expect(await other.getServerKey('other')).toBeUndefined();
      });

      it('finds a device by its current or renewed token without using it, revoked or not', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        await store.enrolDevice('c1', device('d1'), AT);
        await store.setNextDeviceToken('d1', 'renewed-d1', LATER);
        await store.revokeDevice('d1', AT);
        expect(await store.findDeviceByToken('token-d1')).toMatchObject({
          id: 'd1',
          site: 'lille',
        });
        expect(await store.findDeviceByToken('renewed-d1')).toMatchObject({
          id: 'd1',
          tokenHash: 'token-d1',
          revokedAt: AT,
        });
        // Found, not used: the current token is still the device's.
        expect(await store.getDeviceByToken('token-d1')).toMatchObject({ id: 'd1' });
        expect(await store.findDeviceByToken('nobody')).toBeUndefined();
      });

      it('keeps one recovery secret per device, the last one sent', async () => {
        const { store } = await fresh();
        await store.createEnrolmentCode(code('c1'));
        await store.enrolDevice('c1', device('d1'), AT);
        expect(await store.getRecoverySecret('d1')).toBeUndefined();
        expect(await store.setRecoverySecret('d1', 'AAAA-BBBB-CCCC-DDDD', AT)).toBe(true);
        expect(await store.setRecoverySecret('d1', 'EEEE-FFFF-GGGG-HHHH', LATER)).toBe(true);
        expect(await store.getRecoverySecret('d1')).toEqual({
          secret: 'EEEE-FFFF-GGGG-HHHH',
          setAt: LATER,
        });
        expect(await store.setRecoverySecret('nobody', 'AAAA-BBBB-CCCC-DDDD', AT)).toBe(false);
        expect(await store.getRecoverySecret('nobody')).toBeUndefined();
        // Never part of a device as listed.
        expect(JSON.stringify(await store.listDevices('lille'))).not.toContain('EEEE');
      });
    });

    describe('refused records', () => {
      const refused = (key: string, hash: string, at: string, site = 'lille') => ({
        key,
        site,
        deviceId: 'device-1',
        recordId: null,
        interviewer: 'ENQ01',
        reason: `computed.score: the tablet says 999 (${key})`,
        body: `{"n":"${key}"}`,
        contentHash: hash,
        receivedAt: at,
        state: 'refused' as const,
        resolvedAt: null,
        resolvedBy: null,
      });

      it('keeps them apart, once per content, newest first, per site', async () => {
        const { store } = await fresh();
        expect(
          await store.putRefused([
            refused('k1', 'h1', '2026-06-01T10:00:00.000Z'),
            refused('k2', 'h2', '2026-06-02T10:00:00.000Z'),
            refused('k3', 'h1', '2026-06-03T10:00:00.000Z'),
            refused('k4', 'h1', '2026-06-03T10:00:00.000Z', 'lyon'),
          ]),
        ).toBe(3);
        expect((await store.listRefused('lille')).map((r) => r.key)).toEqual(['k2', 'k1']);
        expect(await store.listRefused('lyon')).toHaveLength(1);
        expect(await store.getRefused('k1')).toEqual(
          refused('k1', 'h1', '2026-06-01T10:00:00.000Z'),
        );
        expect(await store.getRefused('nope')).toBeUndefined();
        // Refused records are never records: not listed, not counted.
        expect(await store.quotaRows('lille')).toEqual([]);
        expect(await store.listRecords({ site: 'lille' }, null, 10)).toEqual([]);
      });

      it('resolves a refused record once, as accepted or dismissed', async () => {
        const { store } = await fresh();
        await store.putRefused([refused('k1', 'h1', '2026-06-01T10:00:00.000Z')]);
        expect(
          await store.resolveRefused('k1', 'accepted', '2026-06-05T10:00:00.000Z', 'coord'),
        ).toBe(true);
        expect(await store.resolveRefused('k1', 'dismissed', '2026-06-06T10:00:00.000Z', 'x')).toBe(
          false,
        );
        expect(
          await store.resolveRefused('nope', 'dismissed', '2026-06-06T10:00:00.000Z', 'x'),
        ).toBe(false);
        expect(await store.listRefused('lille')).toEqual([
          {
            key: 'k1',
            site: 'lille',
            deviceId: 'device-1',
            recordId: null,
            interviewer: 'ENQ01',
            reason: 'computed.score: the tablet says 999 (k1)',
            receivedAt: '2026-06-01T10:00:00.000Z',
            state: 'accepted',
            resolvedAt: '2026-06-05T10:00:00.000Z',
            resolvedBy: 'coord',
          },
        ]);
      });
    });
  });
}
