// The HTTP API on a real store (SQLite file, then PostgreSQL): enrolment, uploads answered record
// by record, quota state, pick-up points, publishing, and the refusals: every protected route refuses a missing,
// wrong or revoked token, every bad request is a 4xx with a message and stores nothing.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import { QuotaStateSchema } from '../../../src/core/protocol/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import type { Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { anonymise } from '../../../src/core/record/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { demoPlan } from '../../../src/server/main.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-23T10:00:00.000Z';
const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;
const loaded = loadQuestionnaire(definition);
if (loaded.status === 'failure') throw new Error('demo questionnaire does not load');
const demo: Questionnaire = loaded.questionnaire;

function record(
  id: string,
  site: string,
  age: number,
  extra: Partial<InterviewRecordWire> = {},
): InterviewRecordWire {
  const answers = new Map<string, string | number | string[]>([
    ['consent', '1'],
    ['age', age],
    ['activities', ['shop']],
    ['feel_tired', '0'],
    ['feel_sad', '1'],
    ['interviewer_note', 'never leaves the tablet'],
  ]);
  const wire = anonymise(
    demo,
    {
      id,
      site,
      interviewer: 'ENQ01',
      deviceId: 'tablet',
      status: 'completed',
      language: 'fr',
      appVersion: 'test',
      startedAt: '2026-11-23T09:00:00.000Z',
      endedAt: '2026-11-23T09:40:00.000Z',
      quotaCategories: { age: age < 50 ? 'young' : 'old' },
    },
    answers,
    { today: () => '2026-11-23' },
  );
  return { ...wire, ...extra };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function describeApi(
  name: string,
  open: () => Promise<{ store: ServerStore; cleanup: () => Promise<void> }>,
  checkThreads = 0,
) {
  describe(`HTTP API on ${name}`, () => {
    let app: FastifyInstance;
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    let coordinator: string;
    let admin: string;
    let deviceToken: string;

    const call = async (
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      token?: string,
      payload?: unknown,
    ) => {
      const response = await app.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
      return {
        status: response.statusCode,
        body: response.body === '' ? undefined : (response.json() as unknown),
      };
    };

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      await store.createSite({
        id: 'lille',
        name: 'Lille',
        plan: tinyDemoPlan('lille'),
        shortInterviewSeconds: 600,
        createdAt: AT,
      });
      await store.createSite({
        id: 'lyon',
        name: 'Lyon',
        plan: null,
        shortInterviewSeconds: 600,
        createdAt: AT,
      });
      await createUser(
        store,
        'coord',
        'secret-lille',
        { admin: false, grants: [{ site: 'lille', role: 'coordinator' }] },
        AT,
      );
      await createUser(
        store,
        'coordlyon',
        'secret-lyon',
        { admin: false, grants: [{ site: 'lyon', role: 'coordinator' }] },
        AT,
      );
      await createUser(store, 'study', 'secret-study', { admin: true, grants: [] }, AT);
      app = await buildApp({
        store,
        now: () => new Date(AT),
        uploadsPerMinute: 1000,
        checkThreads,
      });
      const login = await call('POST', '/api/v1/auth/login', undefined, {
        username: 'coord',
        password: 'secret-lille',
      });
      expect(login.status).toBe(200);
      coordinator = (login.body as { token: string }).token;
      const adminLogin = await call('POST', '/api/v1/auth/login', undefined, {
        username: 'study',
        password: 'secret-study',
      });
      admin = (adminLogin.body as { token: string }).token;
      const published = await call('POST', '/api/v1/questionnaires', admin, {
        definition,
        labelPacks: [],
      });
      expect(published.status).toBe(201);
      const code = await call('POST', '/api/v1/sites/lille/enrolment-codes', coordinator);
      expect(code.status).toBe(200);
      const enrol = await call('POST', '/api/v1/devices/enrol', undefined, {
        code: (code.body as { code: string }).code,
        label: 'T1',
      });
      expect(enrol.status).toBe(200);
      expect(enrol.body).toMatchObject({ site: 'lille' });
      deviceToken = (enrol.body as { token: string }).token;
      // The same code never works twice.
      const again = await call('POST', '/api/v1/devices/enrol', undefined, {
        code: (code.body as { code: string }).code,
      });
      expect(again.status).toBe(401);
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await cleanup();
    });

    it('refuses a wrong password and a malformed login', async () => {
      expect(
        (
          await call('POST', '/api/v1/auth/login', undefined, {
            username: 'coord',
            password: 'nope',
          })
        ).status,
      ).toBe(401);
      const bad = await call('POST', '/api/v1/auth/login', undefined, { username: '' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'bad_request' });
    });

    it('answers each record on its own: accepted, duplicate, conflict, rejected', async () => {
      const first = record(uuid(1), 'lille', 30);
      const response = await call('POST', '/api/v1/records', deviceToken, {
        records: [
          first,
          first,
          { ...record(uuid(1), 'lille', 31) },
          record(uuid(2), 'lyon', 30),
          { ...record(uuid(3), 'lille', 30), questionnaireVersion: '9' },
          { ...record(uuid(4), 'lille', 30), answers: { ...first.answers, nope: '1' } },
          {
            ...record(uuid(5), 'lille', 30),
            answers: { ...first.answers, interviewer_note: 'leak' },
          },
          { id: 'not-a-uuid' },
        ],
        pending: 3,
      });
      expect(response.status).toBe(200);
      const results = (
        response.body as { results: { id: string; status: string; reason?: string }[] }
      ).results;
      expect(results.map((result) => result.status)).toEqual([
        'accepted',
        'duplicate',
        'conflict',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
      ]);
      expect(results[3]?.reason).toContain('wrong site');
      expect(results[4]?.reason).toContain('unknown questionnaire version');
      expect(results[5]?.reason).toContain('answers.nope');
      expect(results[6]?.reason).toContain('identifying');
      expect(first.answers['interviewer_note']).toBeUndefined();
      const stored = await store.listRecords({ site: 'lille' }, null, 100);
      expect(stored.map((row) => row.id)).toEqual([uuid(1)]);
      const again = await call('POST', '/api/v1/records', deviceToken, {
        records: [first],
        pending: 0,
      });
      expect(again.body).toEqual({ results: [{ id: uuid(1), status: 'duplicate' }] });
      const device = (await store.listDevices('lille'))[0];
      expect(device?.lastPending).toBe(0);
    });

    it('names a record without an id by its place in the batch, wherever the batch is cut', async () => {
      // With worker threads, a batch is cut between records near its middle (here before the
      // second valid record) ... The valid records are the one stored above, sent again (records
      // accepted here would change the quota counts of the tests below).
      await call('POST', '/api/v1/records', deviceToken, {
        records: [record(uuid(1), 'lille', 30)],
      });
      const cut = await call('POST', '/api/v1/records', deviceToken, {
        records: [
          { padding: 1 },
          record(uuid(1), 'lille', 30),
          record(uuid(1), 'lille', 30),
          { padding: 2 },
          { padding: 3 },
        ],
        pending: 0,
      });
      expect(cut.status).toBe(200);
      const named = (cut.body as { results: { id: string; status: string }[] }).results;
      expect(named.map((result) => [result.id, result.status])).toEqual([
        ['#0', 'rejected'],
        [uuid(1), 'duplicate'],
        [uuid(1), 'duplicate'],
        ['#3', 'rejected'],
        ['#4', 'rejected'],
      ]);
      // ... or, when the middle falls inside a record (a cut there leaves slices that are not
      // JSON arrays), sent whole.
      const whole = await call('POST', '/api/v1/records', deviceToken, {
        records: [
          { padding: 1 },
          record(uuid(1), 'lille', 30),
          {
            ...record(uuid(43), 'lille', 30),
            alerts: Array.from({ length: 500 }, (_, i) => ({ i })),
          },
          { padding: 2 },
        ],
      });
      expect(whole.status).toBe(200);
      const results = (whole.body as { results: { id: string; status: string; reason?: string }[] })
        .results;
      expect(results.map((result) => [result.id, result.status])).toEqual([
        ['#0', 'rejected'],
        [uuid(1), 'duplicate'],
        [uuid(43), 'rejected'],
        ['#3', 'rejected'],
      ]);
      expect(results[2]?.reason).toMatch(/^invalid record: alerts/);
    });

    it('refuses bad batches with a 4xx and stores nothing', async () => {
      const before = (await store.listRecords({}, null, 1000)).length;
      for (const payload of [
        {},
        { records: [] },
        { records: 'x' },
        { records: Array.from({ length: 501 }, (_, i) => record(uuid(100 + i), 'lille', 30)) },
      ]) {
        const response = await call('POST', '/api/v1/records', deviceToken, payload);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: 'bad_request', message: expect.any(String) });
        expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
      }
      const huge = await app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ records: [{ padding: 'x'.repeat(6 * 1024 * 1024) }] }),
      });
      expect(huge.statusCode).toBe(413);
      // Not JSON, and a key that could poison a prototype (refused by Fastify's parser, which
      // the upload route hands such bodies to when its records are checked in worker threads).
      for (const text of [
        '{"records": [',
        '{"records":[{"__proto__":{"polluted":1}}]}',
        '{"records":[{"\\u005f_pr\\u006fto__":{"polluted":1}},{"id":1}]}',
        '{"records":[{"id":1},{"constructor":{"prototype":{"polluted":1}}}]}',
      ]) {
        const refused = await app.inject({
          method: 'POST',
          url: '/api/v1/records',
          headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
          payload: text,
        });
        expect(refused.statusCode, text).toBe(400);
        expect(refused.json()).toMatchObject({ error: 'bad_request' });
      }
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect((await store.listRecords({}, null, 1000)).length).toBe(before);
    });

    it('gives the site-wide quota counts to the site’s devices and coordinators only', async () => {
      await call('POST', '/api/v1/records', deviceToken, {
        records: [record(uuid(20), 'lille', 70)],
      });
      const quota = await call('GET', '/api/v1/sites/lille/quota', deviceToken);
      expect(quota.status).toBe(200);
      expect(quota.body).toMatchObject({
        site: 'lille',
        counts: { completed: { age: { young: 1, old: 1 } } },
      });
      expect((await call('GET', '/api/v1/sites/lyon/quota', deviceToken)).status).toBe(403);
      const lyon = await call('POST', '/api/v1/auth/login', undefined, {
        username: 'coordlyon',
        password: 'secret-lyon',
      });
      const lyonToken = (lyon.body as { token: string }).token;
      expect((await call('GET', '/api/v1/sites/lille/quota', lyonToken)).status).toBe(403);
      expect(
        (await call('PUT', '/api/v1/sites/lille/quota-plan', lyonToken, tinyDemoPlan('lille')))
          .status,
      ).toBe(403);
    });

    it('publishes a version once, by an admin only, and checks plans before storing them', async () => {
      const twice = await call('POST', '/api/v1/questionnaires', admin, {
        definition,
        labelPacks: [],
      });
      expect(twice.status).toBe(409);
      const broken = await call('POST', '/api/v1/questionnaires', admin, {
        definition: { id: 'x' },
      });
      expect(broken.status).toBe(400);
      // A site's coordinator does not publish for every site.
      const next = { ...(definition as Record<string, unknown>), version: '99' };
      const byCoordinator = await call('POST', '/api/v1/questionnaires', coordinator, {
        definition: next,
      });
      expect(byCoordinator.status).toBe(403);
      for (const bad of [
        { definition: { ...next, id: '__proto__' } },
        { definition: { ...next, id: 'constructor' } },
        { definition: { ...next, id: 'x'.repeat(1_000_000) } },
        { definition: next, labelPacks: [{ source: '../../etc/passwd', pack: {} }] },
        { definition: next, labelPacks: 'none' },
        { definition: next, extra: true },
      ]) {
        const refused = await call('POST', '/api/v1/questionnaires', admin, bad);
        expect(refused.status).toBe(400);
      }
      // The index: versions without definitions, with the revisions of the device's own site's
      // label packs (none here); then one version in full.
      const list = await call('GET', '/api/v1/questionnaires', deviceToken);
      expect(list).toEqual({
        status: 200,
        body: [{ questionnaireId: 'demo', version: '1', publishedAt: AT, sitePacks: [] }],
      });
      const one = await call('GET', '/api/v1/questionnaires/demo/1', deviceToken);
      expect(one).toEqual({
        status: 200,
        body: {
          questionnaireId: 'demo',
          version: '1',
          definition,
          labelPacks: [],
          publishedAt: AT,
          sitePacks: [],
        },
      });
      // Coordinators read them too.
      expect((await call('GET', '/api/v1/questionnaires/demo/1', coordinator)).status).toBe(200);
      for (const missing of ['/api/v1/questionnaires/demo/2', '/api/v1/questionnaires/smpg/1']) {
        const absent = await call('GET', missing, deviceToken);
        expect(absent.status, missing).toBe(404);
        expect(absent.body).toMatchObject({ error: 'not_found' });
      }
      const badPlan = await call('PUT', '/api/v1/sites/lille/quota-plan', coordinator, {
        ...tinyDemoPlan('lille'),
        sampleSize: 5,
      });
      expect(badPlan.status).toBe(400);
      // Codes and values for the dashboard to word, not English sentences.
      expect(badPlan.body).toMatchObject({
        error: 'invalid_plan',
        params: {
          issues: [
            {
              path: 'tables[0]',
              code: 'targets_sum',
              params: { total: 4, size: 5 },
              message: 'targets add up to 4, not the sample size 5',
            },
          ],
        },
      });
      expect(
        (await call('PUT', '/api/v1/sites/lille/quota-plan', coordinator, demoPlan('lille')))
          .status,
      ).toBe(204);
    });

    it('lists the site’s usable enrolment codes to its coordinators, who may cancel one', async () => {
      const made = await call('POST', '/api/v1/sites/lille/enrolment-codes', coordinator);
      const { code, createdAt, expiresAt } = made.body as {
        code: string;
        createdAt: string;
        expiresAt: string;
      };
      expect(createdAt).toBe(AT);
      const listed = await call('GET', '/api/v1/sites/lille/enrolment-codes', coordinator);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([{ createdAt: AT, expiresAt, createdBy: 'coord' }]);
      // Neither the code nor its hash ever comes back.
      expect(JSON.stringify(listed.body)).not.toContain(code);
      expect(JSON.stringify(listed.body)).not.toMatch(/[0-9a-f]{16}/);
      // Only the site's coordinators (and admins) see or cancel them; never a tablet.
      const lyon = await call('POST', '/api/v1/auth/login', undefined, {
        username: 'coordlyon',
        password: 'secret-lyon',
      });
      const lyonToken = (lyon.body as { token: string }).token;
      const url = `/api/v1/sites/lille/enrolment-codes/${encodeURIComponent(createdAt)}`;
      expect((await call('GET', '/api/v1/sites/lille/enrolment-codes', lyonToken)).status).toBe(
        403,
      );
      expect((await call('DELETE', url, lyonToken)).status).toBe(403);
      expect((await call('GET', '/api/v1/sites/lille/enrolment-codes', deviceToken)).status).toBe(
        403,
      );
      expect((await call('DELETE', url, deviceToken)).status).toBe(403);
      expect((await call('GET', '/api/v1/sites/lyon/enrolment-codes', lyonToken)).body).toEqual([]);
      expect((await call('GET', '/api/v1/sites/paris/enrolment-codes', coordinator)).status).toBe(
        403,
      );
      // Cancelled: gone from the list, and it enrols nothing.
      expect((await call('DELETE', url, coordinator)).status).toBe(204);
      expect((await call('DELETE', url, coordinator)).status).toBe(404);
      expect((await call('GET', '/api/v1/sites/lille/enrolment-codes', coordinator)).body).toEqual(
        [],
      );
      const refused = await call('POST', '/api/v1/devices/enrol', undefined, { code });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'bad_code' });
    });

    it('keeps the short label a code was given, to tell codes apart in the list', async () => {
      const made = await call('POST', '/api/v1/sites/lille/enrolment-codes', coordinator, {
        label: '  Tablette 3  ',
      });
      expect(made.status).toBe(200);
      expect(made.body).toMatchObject({ label: 'Tablette 3' });
      const unnamed = await call('POST', '/api/v1/sites/lille/enrolment-codes', coordinator, {});
      expect(unnamed.body).not.toHaveProperty('label');
      const listed = (await call('GET', '/api/v1/sites/lille/enrolment-codes', coordinator))
        .body as { label?: string }[];
      // Made the same millisecond (the tests' clock stands still): listed in either order.
      expect(listed.map((entry) => entry.label ?? '').sort()).toEqual(['', 'Tablette 3']);
      const long = await call('POST', '/api/v1/sites/lille/enrolment-codes', coordinator, {
        label: 'x'.repeat(41),
      });
      expect(long.status).toBe(400);
      expect(long.body).toMatchObject({
        error: 'bad_request',
        params: { reason: 'invalid', field: 'label' },
      });
      // A cancelled code is named in the refusal of a second cancel, for the dashboard's words.
      const createdAt = (made.body as { createdAt: string }).createdAt;
      const url = `/api/v1/sites/lille/enrolment-codes/${encodeURIComponent(createdAt)}`;
      await call('DELETE', url, coordinator);
      expect((await call('DELETE', url, coordinator)).body).toMatchObject({
        error: 'not_found',
        params: { what: 'enrolment_code', site: 'lille', createdAt },
      });
    });

    it('lets the site’s coordinator replace its pick-up points, and gives them to its devices', async () => {
      const url = '/api/v1/sites/lille/pickup-points';
      const lyon = await call('POST', '/api/v1/auth/login', undefined, {
        username: 'coordlyon',
        password: 'secret-lyon',
      });
      const lyonToken = (lyon.body as { token: string }).token;
      const list = { pickupPoints: ['Marché de Wazemmes', 'Gare Lille-Flandres'] };
      // Another site's coordinator, a device, nobody: refused, nothing stored.
      expect((await call('PUT', url, lyonToken, list)).status).toBe(403);
      expect((await call('PUT', url, deviceToken, list)).status).toBe(403);
      expect((await call('PUT', url, undefined, list)).status).toBe(401);
      expect(
        (await call('PUT', '/api/v1/sites/nowhere/pickup-points', coordinator, list)).status,
      ).toBe(403);
      expect((await store.getSite('lille'))?.pickupPoints).toEqual([]);

      // Bad bodies: 400 with the place of the problem, nothing stored.
      for (const [payload, where] of [
        [{}, 'pickupPoints'],
        [{ pickupPoints: 'Gare' }, 'pickupPoints'],
        [{ pickupPoints: ['Gare', 3] }, 'pickupPoints.1'],
        [{ pickupPoints: ['Gare', '   '] }, 'pickupPoints.1: must not be empty'],
        [{ pickupPoints: ['x'.repeat(101)] }, 'pickupPoints.0: must be at most 100'],
        [{ pickupPoints: ['Gare', ' gare  '] }, 'pickupPoints: "gare" is listed twice'],
        [{ pickupPoints: Array.from({ length: 51 }, (_, i) => `Lieu ${i}`) }, 'at most 50'],
        [{ pickupPoints: [], extra: true }, 'body'],
      ] as const) {
        const response = await call('PUT', url, coordinator, payload);
        expect(response.status, JSON.stringify(payload)).toBe(400);
        expect(response.body).toMatchObject({ error: 'bad_request' });
        expect((response.body as { message: string }).message).toContain(where);
      }
      expect((await store.getSite('lille'))?.pickupPoints).toEqual([]);

      // A good list is stored cleaned (trimmed, one space), in order, and the devices receive it.
      const stored = await call('PUT', url, coordinator, {
        pickupPoints: ['  Marché de   Wazemmes ', 'Gare Lille-Flandres', 'x'.repeat(100)],
      });
      expect(stored.status).toBe(204);
      const expected = ['Marché de Wazemmes', 'Gare Lille-Flandres', 'x'.repeat(100)];
      expect((await store.getSite('lille'))?.pickupPoints).toEqual(expected);
      const quota = await call('GET', '/api/v1/sites/lille/quota', deviceToken);
      expect(QuotaStateSchema.parse(quota.body).pickupPoints).toEqual(expected);
      // Lyon has none; an empty list clears Lille's.
      const lyonQuota = await call('GET', '/api/v1/sites/lyon/quota', lyonToken);
      expect(lyonQuota.body).toMatchObject({ site: 'lyon', plan: null, pickupPoints: [] });
      expect((await call('PUT', url, coordinator, { pickupPoints: [] })).status).toBe(204);
      expect((await call('GET', '/api/v1/sites/lille/quota', deviceToken)).body).toMatchObject({
        pickupPoints: [],
      });
    });

    it('stores a large batch run by run, in order: the first of two records with one id wins', async () => {
      // With worker threads a batch this size is cut into several slices per worker, and each
      // run of checked slices is stored while the next are checked (record-checkers.ts).
      const putRecords = vi.spyOn(store, 'putRecords');
      const records: unknown[] = Array.from({ length: 160 }, (_, i) =>
        record(uuid(2000 + i), 'lille', 20 + (i % 60)),
      );
      records[70] = { padding: 70 };
      // The same id as record 10, other content: a conflict, whichever slice each falls in.
      records[150] = record(uuid(2010), 'lille', 81);
      const response = await call('POST', '/api/v1/records', deviceToken, { records });
      expect(response.status).toBe(200);
      const results = (response.body as { results: { id: string; status: string }[] }).results;
      expect(results).toHaveLength(160);
      expect(results.map((result) => result.id)).toEqual(
        records.map((sent, i) => (i === 70 ? '#70' : (sent as { id: string }).id)),
      );
      expect(results[10]?.status).toBe('accepted');
      expect(results[70]?.status).toBe('rejected');
      expect(results[150]?.status).toBe('conflict');
      expect(results.filter((result) => result.status === 'accepted')).toHaveLength(158);
      expect(JSON.parse((await store.getRecord(uuid(2010)))?.body ?? '{}')).toMatchObject({
        answers: { age: 30 },
      });
      if (checkThreads > 0) expect(putRecords.mock.calls.length).toBeGreaterThan(1);
      else expect(putRecords).toHaveBeenCalledTimes(1);
      putRecords.mockRestore();
    });

    it('every protected route refuses a missing, a wrong and a revoked token', async () => {
      const routes: ['GET' | 'POST' | 'PUT' | 'DELETE', string][] = [
        ['POST', '/api/v1/auth/logout'],
        ['GET', '/api/v1/sites'],
        ['POST', '/api/v1/sites/lille/enrolment-codes'],
        ['GET', '/api/v1/sites/lille/enrolment-codes'],
        ['DELETE', `/api/v1/sites/lille/enrolment-codes/${encodeURIComponent(AT)}`],
        ['GET', '/api/v1/sites/lille/devices'],
        ['POST', '/api/v1/sites/lille/devices/x/revoke'],
        ['POST', '/api/v1/records'],
        ['GET', '/api/v1/questionnaires'],
        ['GET', '/api/v1/questionnaires/demo/1'],
        ['POST', '/api/v1/questionnaires'],
        ['GET', '/api/v1/sites/lille/quota'],
        ['PUT', '/api/v1/sites/lille/quota-plan'],
        ['PUT', '/api/v1/sites/lille/pickup-points'],
      ];
      for (const [method, url] of routes) {
        expect((await call(method, url, undefined, {})).status, `${method} ${url}`).toBe(401);
        expect((await call(method, url, 'ses_wrong', {})).status, `${method} ${url}`).toBe(401);
        expect((await call(method, url, 'dev_wrong', {})).status, `${method} ${url}`).toBe(401);
      }
      // A device cannot act as a coordinator.
      expect((await call('POST', '/api/v1/sites/lille/enrolment-codes', deviceToken)).status).toBe(
        403,
      );
      // Revoked: the device is refused everywhere.
      const devices = await call('GET', '/api/v1/sites/lille/devices', coordinator);
      const id = (devices.body as { id: string }[])[0]?.id ?? '';
      expect(JSON.stringify(devices.body)).not.toContain('tokenHash');
      expect(
        (await call('POST', `/api/v1/sites/lille/devices/${id}/revoke`, coordinator)).status,
      ).toBe(204);
      const refused = await call('POST', '/api/v1/records', deviceToken, {
        records: [record(uuid(30), 'lille', 30)],
      });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'revoked' });
      expect((await call('GET', '/api/v1/questionnaires', deviceToken)).status).toBe(401);
      expect((await call('GET', '/api/v1/questionnaires/demo/1', deviceToken)).status).toBe(401);
      // Logged out: the session token no longer works.
      expect((await call('POST', '/api/v1/auth/logout', coordinator)).status).toBe(204);
      expect((await call('GET', '/api/v1/sites', coordinator)).status).toBe(401);
    });
  });
}

for (const { name, open } of STORE_BACKENDS) describeApi(name, open);
// As the started server runs: uploads checked in worker threads, which parse the body themselves.
const sqlite = STORE_BACKENDS.find((backend) => backend.name === 'SQLite');
if (sqlite !== undefined)
  describeApi('SQLite, records checked in 2 worker threads', sqlite.open, 2);
