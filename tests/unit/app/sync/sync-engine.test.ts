// The sync engine against the real server in process: what is sent (and what never is), the
// server's answer recorded per interview, batches, failures and backoff, a revoked token, and the
// downloads (questionnaires, quota plan and counts) after a successful run.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DexieInterviewStore, SmpgDatabase } from '../../../../src/app/storage/index.ts';
import type { InterviewStore } from '../../../../src/app/storage/index.ts';
import { buildRecord, runSync, waitingInterviews } from '../../../../src/app/sync/sync-engine.ts';
import { buildApp } from '../../../../src/server/app.ts';
import type { SyncDeps } from '../../../../src/app/sync/sync-engine.ts';
import type { Transport } from '../../../../src/app/sync/api.ts';
import type { SiteSettings } from '../../../../src/core/protocol/index.ts';
import type { Seen, TestServer } from './fixture.ts';
import {
  DEMO_V2_DEFINITION,
  addInterview,
  demoScript,
  enrolledTablet,
  injectTransport,
  manualClock,
  startServer,
  withoutServer,
} from './fixture.ts';
import { plain } from '../storage/plain-tables.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    sites: ['lille', 'roubaix', 'tourcoing', 'lens', 'douai', 'arras', 'bethune', 'hazebrouck'],
  });
});
afterAll(async () => {
  await server.close();
});

const opened: SmpgDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function tablet(site = 'lille', store?: InterviewStore) {
  const net = injectTransport(server.app);
  const device = await enrolledTablet(server, net.transport, site, store);
  const clock = manualClock();
  const deps: SyncDeps = {
    store: device.store,
    cache: device.cache,
    transport: net.transport,
    now: clock.now,
    random: () => 0.5,
  };
  return { ...device, net, clock, deps };
}

/** A site's settings as its coordinator set them. */
const ARRAS: SiteSettings = {
  name: 'Arras (centre-ville)',
  timeZone: 'Europe/Paris',
  helpline: '3114',
  protocolContacts: [
    { name: 'Dr Dupont', role: 'psychologue référente', phone: '03 21 00 00 01' },
    { name: 'CMP d’Arras', role: 'accueil', phone: '+33 3 21 00 00 02' },
  ],
  shortInterviewSeconds: 900,
  languages: ['fr'],
  sampleSize: 900,
  tolerance: 0.05,
};

/** The questionnaire requests a tablet made (index and versions), in order. */
const questionnaireRequests = (seen: readonly Seen[]) =>
  seen
    .filter(
      (request) => request.method === 'GET' && request.path.startsWith('/api/v1/questionnaires'),
    )
    .map((request) => request.path);

const uploads = (seen: readonly Seen[]) =>
  seen.filter((request) => request.method === 'POST' && request.path === '/api/v1/records');

describe('sync engine', () => {
  it('sends completed and screened-out interviews once, never practice ones, and deletes nothing', async () => {
    const t = await tablet('roubaix');
    const done = await addInterview(t, { age: 30 });
    const minor = await addInterview(t, { age: 16 });
    const practice = await addInterview(t, { age: 60, practice: true });
    await t.store.createInterview({ ...done, id: crypto.randomUUID(), status: 'in_progress' });
    await t.store.createInterview({ ...done, id: crypto.randomUUID(), status: 'abandoned' });
    expect(minor.status).toBe('screened_out');

    const outcome = await runSync(t.deps);
    expect(outcome).toMatchObject({ kind: 'done', sent: 2, refused: 0, pending: 0 });
    const stored = await server.records('roubaix');
    expect(stored.map((row) => row.id).sort()).toEqual([done.id, minor.id].sort());
    expect(stored.find((row) => row.id === minor.id)?.status).toBe('screened_out');
    // The identifying item never leaves the tablet.
    expect(stored.every((row) => !row.body.includes('never leaves the tablet'))).toBe(true);

    const after = await t.store.listInterviews();
    expect(after).toHaveLength(5);
    expect((await t.store.getInterview(done.id))?.sync).toMatchObject({
      state: 'sent',
      attempts: 0,
    });
    expect((await t.store.getInterview(practice.id))?.sync).toBeUndefined();
    expect(await t.store.getAnswers(done.id)).not.toEqual(new Map());

    // A second run sends nothing: acknowledged interviews are not waiting any more.
    const before = uploads(t.net.seen).length;
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done', sent: 0, pending: 0 });
    expect(uploads(t.net.seen)).toHaveLength(before);
  });

  it('builds the same record every time (a resend is a duplicate, never a conflict)', async () => {
    const t = await tablet();
    const interview = await addInterview(t, { age: 52, variant: 3 });
    const first = await buildRecord(t.store, t.cache, interview);
    const second = await buildRecord(t.store, t.cache, interview);
    expect(first).toEqual(second);
    expect('record' in first && first.record.quotaCategories).toEqual({ age: 'old' });
  });

  it('counts an upload the server stored but whose answer was lost as sent on the retry', async () => {
    const t = await tablet('tourcoing');
    const interview = await addInterview(t, { age: 33 });
    t.net.faults.push('after');
    const failed = await runSync(t.deps);
    expect(failed).toMatchObject({ kind: 'failed', pending: 1 });
    expect(await server.records('tourcoing')).toHaveLength(1);
    expect((await t.store.getInterview(interview.id))?.sync).toMatchObject({
      state: 'waiting',
      attempts: 1,
    });
    const retried = await runSync(t.deps, { force: true });
    expect(retried).toMatchObject({ kind: 'done', sent: 1, pending: 0 });
    expect(await server.records('tourcoing')).toHaveLength(1);
    expect((await t.store.getInterview(interview.id))?.sync?.state).toBe('sent');
  });

  it('marks a rejected record refused with the server’s reason and never retries it', async () => {
    const t = await tablet();
    // Recorded for another site than the tablet's: the server rejects it.
    const stray = await addInterview(t, { age: 30, site: 'paris' });
    const good = await addInterview(t, { age: 31 });
    const outcome = await runSync(t.deps);
    expect(outcome).toMatchObject({ kind: 'done', sent: 1, refused: 1, pending: 0 });
    const refused = await t.store.getInterview(stray.id);
    expect(refused?.sync?.state).toBe('refused');
    expect(refused?.sync?.reason).toMatch(/wrong site/);
    expect((await t.store.getInterview(good.id))?.sync?.state).toBe('sent');
    expect(await waitingInterviews(t.store)).toEqual([]);

    const before = uploads(t.net.seen).length;
    await runSync(t.deps, { force: true });
    expect(uploads(t.net.seen)).toHaveLength(before);
    expect((await t.store.getInterview(stray.id))?.sync?.state).toBe('refused');
  });

  it('marks a conflict (same id, other content on the server) with its reason', async () => {
    const t = await tablet();
    const interview = await addInterview(t, { age: 30 });
    const built = await buildRecord(t.store, t.cache, interview);
    if (!('record' in built)) throw new Error(built.problem);
    // Another body with the same id reached the server first.
    const other = { ...built.record, language: 'en' };
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { authorization: `Bearer ${t.settings.deviceToken ?? ''}` },
      payload: { records: [other] },
    });
    expect(response.json()).toMatchObject({ results: [{ status: 'accepted' }] });
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done', conflicts: 1, pending: 0 });
    const conflict = (await t.store.getInterview(interview.id))?.sync;
    expect(conflict?.state).toBe('conflict');
    expect(conflict?.reason).toMatch(/already stored/);
  });

  it('cuts batches by count and by size, and refuses locally a record too big to ever go', async () => {
    const t = await tablet('lens');
    for (let i = 0; i < 5; i++) await addInterview(t, { age: 20 + i, variant: i });
    const outcome = await runSync({ ...t.deps, limits: { maxRecords: 2, maxBytes: 4_000_000 } });
    expect(outcome).toMatchObject({ kind: 'done', sent: 5 });
    const batches = uploads(t.net.seen).map(
      (request) => JSON.parse(request.body ?? '{}') as { records: unknown[]; pending: number },
    );
    expect(batches.map((batch) => batch.records.length)).toEqual([2, 2, 1]);
    expect(batches.map((batch) => batch.pending)).toEqual([3, 1, 0]);

    const big = await addInterview(t, {
      age: 40,
      script: { ...demoScript(40), wish: 'x'.repeat(300) },
    });
    const small = await addInterview(t, { age: 41 });
    const built = await buildRecord(t.store, t.cache, small);
    if (!('record' in built)) throw new Error(built.problem);
    // Room for the small record and the envelope, not for the big one.
    const maxBytes = JSON.stringify(built.record).length + 100;
    const sized = await runSync({ ...t.deps, limits: { maxRecords: 500, maxBytes } });
    expect(sized).toMatchObject({ kind: 'done', refused: 1 });
    expect((await t.store.getInterview(big.id))?.sync).toMatchObject({ state: 'refused' });
    expect((await t.store.getInterview(small.id))?.sync?.state).toBe('sent');
    const last = uploads(t.net.seen).at(-1)?.body ?? '';
    expect(JSON.parse(last)).toMatchObject({ records: [{ id: small.id }], pending: 0 });
    expect(new TextEncoder().encode(last).length).toBeLessThanOrEqual(maxBytes);
  });

  it('backs off after network failures, 5xx and 429, and keeps the backoff in the settings', async () => {
    const t = await tablet();
    await addInterview(t, { age: 30 });
    t.net.faults.push('before');
    const first = await runSync(t.deps);
    expect(first).toMatchObject({ kind: 'failed', error: 'Failed to fetch' });
    const settings = await t.store.getSettings();
    expect(settings?.sync?.failures).toBe(1);
    // Full jitter with random() = 0.5: half of the 5 s ceiling.
    expect(settings?.sync?.nextAttemptAt).toBe(
      new Date(t.clock.now().getTime() + 2500).toISOString(),
    );
    expect(settings?.sync?.lastError).toBe('Failed to fetch');
    // No answer while online: the server is unreachable (the home screen says so).
    expect(settings?.sync?.lastErrorKind).toBe('network');
    expect(settings?.sync?.lastErrorStatus).toBeUndefined();

    // Automatic runs wait for the end of the backoff, without touching the network.
    const seen = t.net.seen.length;
    expect(await runSync(t.deps)).toMatchObject({ kind: 'waiting' });
    expect(t.net.seen).toHaveLength(seen);

    t.clock.advance(2500);
    t.net.faults.push('error500');
    expect(await runSync(t.deps)).toMatchObject({ kind: 'failed', error: 'maintenance' });
    expect((await t.store.getSettings())?.sync).toMatchObject({
      failures: 2,
      lastErrorKind: 'server',
      lastErrorStatus: 503,
    });
    expect((await t.store.getSettings())?.sync?.nextAttemptAt).toBe(
      new Date(t.clock.now().getTime() + 5000).toISOString(),
    );

    t.clock.advance(5000);
    const done = await runSync(t.deps);
    expect(done).toMatchObject({ kind: 'done', sent: 1, pending: 0 });
    const cleared = (await t.store.getSettings())?.sync;
    expect(cleared?.failures).toBe(0);
    expect(cleared?.nextAttemptAt).toBeUndefined();
    expect(cleared?.lastError).toBeUndefined();
    expect(cleared?.lastErrorKind).toBeUndefined();
    expect(cleared?.lastErrorStatus).toBeUndefined();
    expect(cleared?.lastSuccessAt).toBe(t.clock.now().toISOString());
  });

  it('tells no network (the browser says offline) from an unreachable server', async () => {
    const t = await tablet();
    await addInterview(t, { age: 30 });
    t.net.faults.push('before');
    expect(await runSync({ ...t.deps, isOnline: () => false })).toMatchObject({ kind: 'failed' });
    expect((await t.store.getSettings())?.sync).toMatchObject({
      lastError: 'Failed to fetch',
      lastErrorKind: 'offline',
    });
  });

  it('treats 429 as a reason to wait', async () => {
    // A second server on the same database that allows no upload at all.
    const limited = await buildApp({ store: server.store, uploadsPerMinute: 0 });
    try {
      const t = await tablet();
      await addInterview(t, { age: 30 });
      const outcome = await runSync({
        ...t.deps,
        transport: injectTransport(limited).transport,
        random: () => 1,
      });
      expect(outcome).toMatchObject({ kind: 'failed', pending: 1 });
      expect(outcome.kind === 'failed' && outcome.error).toMatch(/uploads in a minute/);
      // random() = 1: the whole ceiling of the first delay.
      expect((await t.store.getSettings())?.sync?.nextAttemptAt).toBe(
        new Date(t.clock.now().getTime() + 5000).toISOString(),
      );
    } finally {
      await limited.close();
    }
  });

  it('stops on a revoked token and says the tablet must be enrolled again', async () => {
    const t = await tablet('douai');
    await addInterview(t, { age: 30 });
    const devices = (await server.call('GET', '/api/v1/sites/douai/devices')) as { id: string }[];
    expect(devices).toHaveLength(1);
    await server.call('POST', `/api/v1/sites/douai/devices/${devices[0]?.id ?? ''}/revoke`);
    const outcome = await runSync(t.deps);
    expect(outcome).toMatchObject({ kind: 'blocked' });
    expect((await t.store.getSettings())?.sync?.blocked?.reason).toMatch(/revoked/);
    expect((await t.store.getSettings())?.sync).toMatchObject({
      lastErrorKind: 'unauthorized',
      lastErrorStatus: 401,
    });
    expect(await waitingInterviews(t.store)).toHaveLength(1);
    // Nothing is tried any more, forced or not.
    const seen = t.net.seen.length;
    expect(await runSync(t.deps, { force: true })).toMatchObject({ kind: 'blocked' });
    expect(t.net.seen).toHaveLength(seen);
  });

  it('does nothing on a tablet without a server', async () => {
    const t = await tablet();
    await t.store.putSettings(withoutServer(t.settings));
    await addInterview(t, { age: 30 });
    expect(await runSync(t.deps)).toEqual({ kind: 'not_enrolled' });
    expect(t.net.seen.filter((request) => request.path.includes('records'))).toEqual([]);
  });

  it('downloads new questionnaire versions (never replacing one) and the site’s quota state', async () => {
    const t = await tablet('arras');
    const interview = await addInterview(t, { age: 30 });
    const installedBefore = await t.store.getQuestionnaire('demo', '1');
    await server.publish(DEMO_V2_DEFINITION);
    const outcome = await runSync(t.deps);
    expect(outcome).toMatchObject({ kind: 'done', installed: ['demo@2'] });
    // The index, then only the version the tablet lacks: demo 1 is installed, never downloaded.
    expect(questionnaireRequests(t.net.seen)).toEqual([
      '/api/v1/questionnaires',
      '/api/v1/questionnaires/demo/2',
    ]);
    expect(await t.store.getQuestionnaire('demo', '1')).toEqual(installedBefore);
    expect((await t.store.getQuestionnaire('demo', '2'))?.definition).toEqual(DEMO_V2_DEFINITION);
    const settings = await t.store.getSettings();
    expect(settings?.quotaPlan).toMatchObject({ site: 'arras', questionnaire: 'demo' });
    expect(settings?.siteCounts?.completed).toEqual({ age: { young: 1 } });
    expect(settings?.siteCounts?.receivedAt).toBe(t.clock.now().toISOString());
    const sentAt = (await t.store.getInterview(interview.id))?.sync?.sentAt ?? '';
    expect(sentAt <= (settings?.siteCounts?.receivedAt ?? '')).toBe(true);
    // The next run reads the index and downloads no definition at all.
    t.net.seen.length = 0;
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done', installed: [] });
    expect(questionnaireRequests(t.net.seen)).toEqual(['/api/v1/questionnaires']);
  });

  it('keeps the installed versions when a download fails, and fetches the missing one next run', async () => {
    const t = await tablet('lille');
    // demo 2 may or may not be published yet by another test: publish it if not.
    await server.store.publishQuestionnaire({
      questionnaireId: 'demo',
      version: '2',
      definition: JSON.stringify(DEMO_V2_DEFINITION),
      labelPacks: '[]',
      publishedAt: new Date().toISOString(),
    });
    // The index comes through, the definition's request fails.
    t.net.faults.push('none', 'before');
    const failed = await runSync(t.deps);
    expect(failed).toMatchObject({ kind: 'failed', error: 'Failed to fetch' });
    expect(await t.store.getQuestionnaire('demo', '2')).toBeUndefined();
    t.net.seen.length = 0;
    expect(await runSync(t.deps, { force: true })).toMatchObject({
      kind: 'done',
      installed: ['demo@2'],
    });
    expect(questionnaireRequests(t.net.seen)).toEqual([
      '/api/v1/questionnaires',
      '/api/v1/questionnaires/demo/2',
    ]);
  });

  it('sends each interview’s pick-up point and downloads the site’s list, plan or no plan', async () => {
    const t = await tablet('douai');
    const points = ['Marché de Wazemmes', 'Gare Lille-Flandres'];
    await server.call('PUT', '/api/v1/sites/douai/pickup-points', { pickupPoints: points });
    const atMarket = await addInterview(t, { age: 30, pickupPoint: 'Marché de Wazemmes' });
    const before = await addInterview(t, { age: 60 });
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done', sent: 2 });
    const bodies = new Map(
      (await server.records('douai')).map((row) => [row.id, JSON.parse(row.body) as object]),
    );
    expect(bodies.get(atMarket.id)).toMatchObject({ pickupPoint: 'Marché de Wazemmes' });
    // An interview started before the app asked has none.
    expect(bodies.get(before.id)).not.toHaveProperty('pickupPoint');
    const settings = await t.store.getSettings();
    expect(settings?.pickupPoints).toEqual(points);

    // The coordinator changes the list and drops the plan: the list still comes.
    await server.call('PUT', '/api/v1/sites/douai/pickup-points', {
      pickupPoints: ['Place du Théâtre'],
    });
    await server.store.setSitePlan('douai', null);
    await t.store.putSettings({ ...(settings ?? t.settings), lastPickupPoint: 'Gare' });
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done' });
    const next = await t.store.getSettings();
    expect(next?.pickupPoints).toEqual(['Place du Théâtre']);
    // What the tablet chose last is its own: sync leaves it alone.
    expect(next?.lastPickupPoint).toBe('Gare');
    // The plan already received is kept: a site without a plan sends none.
    expect(next?.quotaPlan).toMatchObject({ site: 'douai' });
  });

  it('reports the interviews under way past the quota questions when it asks for the quota state', async () => {
    const t = await tablet('hazebrouck');
    const quotaRequests = () =>
      t.net.seen.filter((request) => request.path.startsWith('/api/v1/sites/hazebrouck/quota'));
    // The first run brings the plan: until then the tablet cannot name cells.
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done' });
    // No drafts to report yet; the interviewer, whom the server may not know, always.
    const first = new URL(quotaRequests().at(-1)?.path ?? '', 'http://x');
    expect(first.pathname).toBe('/api/v1/sites/hazebrouck/quota');
    expect(first.searchParams.get('drafts')).toBeNull();
    expect(first.searchParams.get('interviewer')).toBe(t.settings.interviewer);
    const done = await addInterview(t, { age: 30 });
    const now = t.clock.now().toISOString();
    await t.store.createInterview({
      ...done,
      id: crypto.randomUUID(),
      status: 'in_progress',
      updatedAt: now,
      quota: { categories: { age: 'old' }, status: 'accepted', at: now },
    });
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done', sent: 1 });
    const path = quotaRequests().at(-1)?.path ?? '';
    expect(new URL(path, 'http://x').searchParams.get('drafts')).toBe(
      `${t.settings.interviewer}:age/old`,
    );
  });

  it('keeps the site’s settings each quota state brings, and those it has when none come', async () => {
    const t = await tablet('arras');
    // The server's quota answers as they reach the tablet: with the settings this test gives
    // (`undefined`: without any, as a server older than site settings answers).
    let given: SiteSettings | undefined = ARRAS;
    const transport: Transport = async (url, init) => {
      const response = await t.net.transport(url, init);
      if (!new URL(url).pathname.endsWith('/quota') || response.status !== 200) return response;
      const body = { ...((await response.json()) as Record<string, unknown>) };
      delete body['settings'];
      const answer = given === undefined ? body : { ...body, settings: given };
      return { ...response, json: async () => answer };
    };
    const deps = { ...t.deps, transport };
    // A tablet enrolled before sites had settings: its typed number, until the first ones come.
    await t.store.putSettings({ ...t.settings, typedHelpline: '0 800 000 000' });

    expect(await runSync(deps)).toMatchObject({ kind: 'done' });
    const first = await t.store.getSettings();
    expect(first?.siteSettings).toEqual(ARRAS);
    expect(first).not.toHaveProperty('typedHelpline');

    // An older server's answer (no settings): the tablet keeps what it has.
    given = undefined;
    expect(await runSync(deps)).toMatchObject({ kind: 'done' });
    expect((await t.store.getSettings())?.siteSettings).toEqual(ARRAS);

    // The coordinator changes them: the next sync brings the new ones, whole.
    const changed: SiteSettings = {
      ...ARRAS,
      helpline: '03 21 00 00 00',
      protocolContacts: [ARRAS.protocolContacts[1], ARRAS.protocolContacts[0]].filter(
        (contact) => contact !== undefined,
      ),
      languages: ['en', 'fr'],
    };
    given = changed;
    expect(await runSync(deps)).toMatchObject({ kind: 'done' });
    expect((await t.store.getSettings())?.siteSettings).toEqual(changed);
  });

  it('keeps settings changed during a run', async () => {
    const t = await tablet();
    await addInterview(t, { age: 30 });
    const store = t.store;
    // The interviewer switches practice mode on while the run is reading the interviews.
    const racing = new Proxy(store, {
      get(target, property) {
        if (property === 'listInterviews') {
          return async () => {
            const current = await target.getSettings();
            if (current !== undefined) await target.putSettings({ ...current, practiceMode: true });
            return target.listInterviews();
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await runSync({ ...t.deps, store: racing });
    const settings = await store.getSettings();
    expect(settings?.practiceMode).toBe(true);
    expect(settings?.sync?.lastSuccessAt).toBeDefined();
  });

  it('runs on the Dexie store too (sync state round-trips through IndexedDB)', async () => {
    const db = new SmpgDatabase('sync-test', { indexedDB: new IDBFactory(), IDBKeyRange });
    opened.push(db);
    const t = await tablet('bethune', new DexieInterviewStore(db));
    const interview = await addInterview(t, { age: 64 });
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done', sent: 1 });
    expect((await plain(db).interviews.get(interview.id))?.sync).toMatchObject({ state: 'sent' });
    expect(db.verno).toBe(6);
    expect(await server.records('bethune')).toHaveLength(1);
  });
});

describe('device token renewal', () => {
  const DAY = 24 * 3600_000;

  /** A server on the same database whose clock is `days` ahead: the tablets' tokens are older. */
  async function later(days: number) {
    return buildApp({
      store: server.store,
      now: () => new Date(Date.now() + days * DAY),
      uploadsPerMinute: 100_000,
    });
  }

  /** What the server answers a tablet's token with (GET /questionnaires). */
  async function tokenStatus(app: Awaited<ReturnType<typeof later>>, token: string) {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/questionnaires',
      headers: { authorization: `Bearer ${token}` },
    });
    return response.statusCode;
  }

  it('renews the token when the server says it is due, and the old one stops once the new is used', async () => {
    const t = await tablet('arras');
    const first = t.settings.deviceToken ?? '';
    // A young token: nothing to renew.
    expect(await runSync(t.deps)).toMatchObject({ kind: 'done' });
    expect((await t.store.getSettings())?.deviceToken).toBe(first);
    expect(t.net.seen.some((request) => request.path === '/api/v1/devices/token')).toBe(false);

    const aged = await later(31);
    try {
      const net = injectTransport(aged);
      await addInterview(t, { age: 30 });
      expect(await runSync({ ...t.deps, transport: net.transport })).toMatchObject({
        kind: 'done',
        sent: 1,
      });
      expect(net.seen.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/devices/token' });
      const second = (await t.store.getSettings())?.deviceToken ?? '';
      expect(second).toMatch(/^dev_/);
      expect(second).not.toBe(first);
      // Until the tablet uses the new token, the old one still works.
      expect(await tokenStatus(aged, first)).toBe(200);
      expect(await runSync({ ...t.deps, transport: net.transport })).toMatchObject({
        kind: 'done',
      });
      // The new token is fresh: no renewal asked this time.
      expect(net.seen.filter((r) => r.path === '/api/v1/devices/token')).toHaveLength(1);
      expect((await t.store.getSettings())?.deviceToken).toBe(second);
      expect(await tokenStatus(aged, first)).toBe(401);
      expect(await tokenStatus(aged, second)).toBe(200);
    } finally {
      await aged.close();
    }
  });

  it('keeps the old token when the renewal’s answer is lost, and renews at the next run', async () => {
    const t = await tablet('arras');
    const first = t.settings.deviceToken ?? '';
    const aged = await later(100);
    try {
      const net = injectTransport(aged);
      // The server handles the first renewal, and its answer is lost on the way back.
      let lost = 0;
      const transport: typeof net.transport = async (url, init) => {
        const response = await net.transport(url, init);
        if (url.endsWith('/devices/token') && lost === 0) {
          lost += 1;
          throw new TypeError('The network connection was lost.');
        }
        return response;
      };
      expect(await runSync({ ...t.deps, transport })).toMatchObject({ kind: 'done' });
      expect(lost).toBe(1);
      expect(net.seen.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/devices/token' });
      expect((await t.store.getSettings())?.deviceToken).toBe(first);
      expect((await t.store.getSettings())?.sync?.blocked).toBeUndefined();
      expect(await tokenStatus(aged, first)).toBe(200);
      // The next run asks again and keeps the token it receives.
      expect(await runSync({ ...t.deps, transport })).toMatchObject({
        kind: 'done',
      });
      const second = (await t.store.getSettings())?.deviceToken ?? '';
      expect(second).not.toBe(first);
      expect(await tokenStatus(aged, second)).toBe(200);
      expect(await tokenStatus(aged, first)).toBe(401);
    } finally {
      await aged.close();
    }
  });

  it('does not overwrite the token of a tablet enrolled again during the run', async () => {
    const t = await tablet('arras');
    const aged = await later(31);
    try {
      const net = injectTransport(aged);
      // Enrolled again (new token) while the run was under way, before the renewal landed.
      const transport: typeof net.transport = async (url, init) => {
        if (url.endsWith('/devices/token')) {
          const current = await t.store.getSettings();
          if (current !== undefined)
            await t.store.putSettings({ ...current, deviceToken: 'dev_enrolled-again' });
        }
        return net.transport(url, init);
      };
      expect(await runSync({ ...t.deps, transport })).toMatchObject({ kind: 'done' });
      expect((await t.store.getSettings())?.deviceToken).toBe('dev_enrolled-again');
    } finally {
      await aged.close();
    }
  });
});
