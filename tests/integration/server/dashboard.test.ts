// The coordinator dashboard's routes on a real store (SQLite file, then PostgreSQL): the site
// summary (days, interviewers, durations with the too-short ones, screen-outs) computed from
// records uploaded through the API, moving allocations between interviewers, and the refusals.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire, SiteSummary } from '../../../src/core/protocol/index.ts';
import { QuotaStateSchema, SiteSummarySchema } from '../../../src/core/protocol/index.ts';
import type { Answer, Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import type { Allocation, QuotaPlan } from '../../../src/core/quota/index.ts';
import { anonymise } from '../../../src/core/record/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-24T10:00:00.000Z';
const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;
const loaded = loadQuestionnaire(definition);
if (loaded.status === 'failure') throw new Error('demo questionnaire does not load');
const demo: Questionnaire = loaded.questionnaire;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const COMPLETE: ReadonlyArray<[string, Answer]> = [
  ['consent', '1'],
  ['activities', ['shop']],
  ['feel_tired', '0'],
  ['feel_sad', '1'],
];

/** An anonymised record of the demo questionnaire, built as a tablet builds it. */
function record(
  n: number,
  options: {
    interviewer: string;
    startedAt: string;
    minutes: number;
    age?: number;
    screenOut?: 'quota_full' | 'no_consent';
  },
): InterviewRecordWire {
  const age = options.age ?? 30;
  const answers = new Map<string, Answer>(
    options.screenOut === 'no_consent'
      ? [['consent', '2']]
      : options.screenOut === 'quota_full'
        ? [
            ['consent', '1'],
            ['age', age],
          ]
        : [...COMPLETE, ['age', age]],
  );
  const endedAt = new Date(Date.parse(options.startedAt) + options.minutes * 60_000).toISOString();
  return anonymise(
    demo,
    {
      id: uuid(n),
      site: 'lille',
      interviewer: options.interviewer,
      deviceId: 'tablet',
      status: options.screenOut === undefined ? 'completed' : 'screened_out',
      screenOutId: options.screenOut,
      language: 'fr',
      appVersion: 'test',
      startedAt: options.startedAt,
      endedAt,
      quotaCategories:
        options.screenOut === 'no_consent' ? {} : { age: age < 50 ? 'young' : 'old' },
    },
    answers,
    { today: () => endedAt.slice(0, 10) },
  );
}

/** The tiny plan (2 interviews per age cell, no tolerance) shared between ENQ01 and ENQ02. */
function plan(): QuotaPlan {
  return {
    ...tinyDemoPlan('lille'),
    allocations: [
      { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
      { interviewer: 'ENQ02', targets: { age: { young: 1, old: 1 } } },
    ],
  };
}

function describeDashboard(
  name: string,
  open: () => Promise<{ store: ServerStore; cleanup: () => Promise<void> }>,
) {
  describe(`dashboard routes on ${name}`, () => {
    let app: FastifyInstance;
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    const tokens: Record<string, string> = {};
    let deviceId = '';

    const call = async (
      method: 'GET' | 'POST' | 'PUT',
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
    const login = async (username: string, password: string): Promise<string> => {
      const response = await call('POST', '/api/v1/auth/login', undefined, { username, password });
      expect(response.status).toBe(200);
      return (response.body as { token: string }).token;
    };
    const summary = async (query = ''): Promise<SiteSummary> => {
      const response = await call('GET', `/api/v1/sites/lille/summary${query}`, tokens['coord']);
      expect(response.status).toBe(200);
      const parsed = SiteSummarySchema.safeParse(response.body);
      expect(parsed.success).toBe(true);
      if (!parsed.success) throw new Error('the summary does not match its schema');
      return parsed.data;
    };
    const allocations = async (): Promise<Allocation[] | undefined> => {
      const response = await call('GET', '/api/v1/sites/lille/quota', tokens['coord']);
      const parsed = QuotaStateSchema.safeParse(response.body);
      if (!parsed.success) throw new Error('the quota state does not match its schema');
      return parsed.data.plan?.allocations;
    };

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      await store.createSite({
        id: 'lille',
        name: 'Lille',
        plan: plan(),
        shortInterviewSeconds: 10 * 60,
        createdAt: AT,
        // The summary counts days in the site's zone unless asked for another.
        timeZone: 'UTC',
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
        'analyst',
        'secret-analyst',
        { admin: false, grants: [{ site: 'lille', role: 'analyst' }] },
        AT,
      );
      await createUser(
        store,
        'coordlyon',
        'secret-lyon',
        { admin: false, grants: [{ site: 'lyon', role: 'coordinator' }] },
        AT,
      );
      await createUser(store, 'admin', 'secret-admin', { admin: true, grants: [] }, AT);
      app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
      tokens['coord'] = await login('coord', 'secret-lille');
      tokens['analyst'] = await login('analyst', 'secret-analyst');
      tokens['coordlyon'] = await login('coordlyon', 'secret-lyon');
      tokens['admin'] = await login('admin', 'secret-admin');
      expect(
        (await call('POST', '/api/v1/questionnaires', tokens['admin'], { definition })).status,
      ).toBe(201);
      const code = await call('POST', '/api/v1/sites/lille/enrolment-codes', tokens['coord']);
      const enrol = await call('POST', '/api/v1/devices/enrol', undefined, {
        code: (code.body as { code: string }).code,
        label: 'T1',
      });
      tokens['device'] = (enrol.body as { token: string }).token;
      deviceId = (enrol.body as { deviceId: string }).deviceId;
      const upload = await call('POST', '/api/v1/records', tokens['device'], {
        records: [
          // ENQ01: a 40-minute interview on the 22nd, a 5-minute one (too short) on the 23rd.
          record(1, { interviewer: 'ENQ01', startedAt: '2026-11-22T09:00:00.000Z', minutes: 40 }),
          record(2, {
            interviewer: 'ENQ01',
            startedAt: '2026-11-23T09:00:00.000Z',
            minutes: 5,
            age: 60,
          }),
          // ENQ02: 40 minutes ending at 23:10 UTC on the 23rd, 00:10 on the 24th in Paris.
          record(3, { interviewer: 'ENQ02', startedAt: '2026-11-23T22:30:00.000Z', minutes: 40 }),
          record(4, {
            interviewer: 'ENQ02',
            startedAt: '2026-11-23T10:00:00.000Z',
            minutes: 2,
            screenOut: 'quota_full',
          }),
          record(5, {
            interviewer: 'ENQ02',
            startedAt: '2026-11-23T11:00:00.000Z',
            minutes: 1,
            screenOut: 'no_consent',
          }),
          record(6, {
            interviewer: 'ENQ02',
            startedAt: '2026-11-23T12:00:00.000Z',
            minutes: 1,
            screenOut: 'no_consent',
          }),
        ],
        pending: 2,
      });
      expect(
        (upload.body as { results: { status: string }[] }).results.map((r) => r.status),
      ).toEqual(Array.from({ length: 6 }, () => 'accepted'));
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await cleanup();
    });

    it('sums up the site: days, interviewers, durations, screen-outs', async () => {
      const result = await summary();
      expect(result).toMatchObject({
        site: 'lille',
        name: 'Lille',
        at: AT,
        timeZone: 'UTC',
        shortInterviewSeconds: 600,
        totals: { completed: 3, screenedOut: 3, short: 1 },
        perDay: [
          { date: '2026-11-22', completed: 1, screenedOut: 0 },
          { date: '2026-11-23', completed: 2, screenedOut: 3 },
        ],
        screenOuts: [
          { reason: 'no_consent', count: 2 },
          { reason: 'quota_full', count: 1 },
        ],
      });
      expect(result.interviewers).toEqual([
        {
          interviewer: 'ENQ01',
          completed: 2,
          screenedOut: 0,
          short: 1,
          lastEndedAt: '2026-11-23T09:05:00.000Z',
          cells: { age: { young: 1, old: 1 } },
        },
        {
          interviewer: 'ENQ02',
          completed: 1,
          screenedOut: 3,
          short: 0,
          lastEndedAt: '2026-11-23T23:10:00.000Z',
          cells: { age: { young: 1 } },
        },
      ]);
      expect(result.durations.medianSeconds).toBe(40 * 60);
      expect(result.durations.short).toEqual([
        {
          id: uuid(2),
          interviewer: 'ENQ01',
          // The enrolled device that uploaded it, whatever the record says.
          deviceId,
          endedAt: '2026-11-23T09:05:00.000Z',
          date: '2026-11-23',
          durationSeconds: 300,
        },
      ]);
      const bins = result.durations.bins;
      expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
      expect(bins.find((bin) => bin.fromMinutes === 5)).toEqual({
        fromMinutes: 5,
        toMinutes: 10,
        count: 1,
        short: 1,
      });
      expect(bins.find((bin) => bin.fromMinutes === 40)).toMatchObject({ count: 2, short: 0 });
      expect(bins.at(-1)).toMatchObject({ fromMinutes: 90, toMinutes: null });
    });

    it('counts days in the time zone asked for, and refuses an unknown one', async () => {
      const paris = await summary('?timeZone=Europe/Paris');
      expect(paris.timeZone).toBe('Europe/Paris');
      expect(paris.perDay).toEqual([
        { date: '2026-11-22', completed: 1, screenedOut: 0 },
        { date: '2026-11-23', completed: 1, screenedOut: 3 },
        { date: '2026-11-24', completed: 1, screenedOut: 0 },
      ]);
      for (const query of ['?timeZone=Mars/Olympus', '?timeZone=a&timeZone=b', '?timeZone=']) {
        const response = await call('GET', `/api/v1/sites/lille/summary${query}`, tokens['coord']);
        expect(response.status, query).toBe(400);
        expect(response.body).toMatchObject({ error: 'bad_request' });
      }
    });

    it('flags as too short what is under the site’s own threshold', async () => {
      await store.createSite({
        id: 'roubaix',
        name: 'Roubaix',
        plan: null,
        shortInterviewSeconds: 45 * 60,
        createdAt: AT,
      });
      // Another site, whose threshold is 45 minutes: interviews of 10, 20 and 30 are too short.
      const code = await call('POST', '/api/v1/sites/roubaix/enrolment-codes', tokens['admin']);
      const enrol = await call('POST', '/api/v1/devices/enrol', undefined, {
        code: (code.body as { code: string }).code,
      });
      const device = (enrol.body as { token: string }).token;
      const moved = [1, 2, 3].map((n) => ({
        ...record(n, {
          interviewer: 'ENQ09',
          startedAt: '2026-11-23T09:00:00.000Z',
          minutes: 10 * n,
        }),
        id: uuid(100 + n),
        site: 'roubaix',
      }));
      await call('POST', '/api/v1/records', device, { records: moved });
      const response = await call('GET', '/api/v1/sites/roubaix/summary', tokens['admin']);
      expect(response.status).toBe(200);
      const roubaix = response.body as SiteSummary;
      expect(roubaix.totals).toEqual({ completed: 3, screenedOut: 0, short: 3 });
      expect(roubaix.durations.short.map((entry) => entry.durationSeconds)).toEqual([
        600, 1200, 1800,
      ]);
      // Without a plan, interviewers have no cells.
      expect(roubaix.interviewers).toMatchObject([{ interviewer: 'ENQ09', cells: {} }]);
    });

    it('lets the site’s analyst read the summary but not move allocations', async () => {
      const read = await call('GET', '/api/v1/sites/lille/summary', tokens['analyst']);
      expect(read.status).toBe(200);
      const write = await call('PUT', '/api/v1/sites/lille/allocations', tokens['analyst'], {
        allocations: plan().allocations,
      });
      expect(write.status).toBe(403);
      expect(await allocations()).toEqual(plan().allocations);
    });

    it('refuses a missing or wrong token, another site’s coordinator and a device', async () => {
      const routes: ['GET' | 'PUT', string][] = [
        ['GET', '/api/v1/sites/lille/summary'],
        ['PUT', '/api/v1/sites/lille/allocations'],
      ];
      for (const [method, url] of routes) {
        const payload = method === 'PUT' ? { allocations: [] } : undefined;
        expect((await call(method, url, undefined, payload)).status, url).toBe(401);
        expect((await call(method, url, 'ses_wrong', payload)).status, url).toBe(401);
        expect((await call(method, url, 'dev_wrong', payload)).status, url).toBe(401);
        const other = await call(method, url, tokens['coordlyon'], payload);
        expect(other.status, url).toBe(403);
        expect(other.body).toMatchObject({ error: 'forbidden', params: { site: 'lille' } });
        expect((await call(method, url, tokens['device'], payload)).status, url).toBe(403);
      }
      const unknown = await call('GET', '/api/v1/sites/paris/summary', tokens['admin']);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({
        error: 'not_found',
        params: { what: 'site', site: 'paris' },
      });
      // Nothing was changed by the refused calls.
      expect(await allocations()).toEqual(plan().allocations);
    });

    it('refuses allocations that break the plan, with the plan’s words', async () => {
      const put = (body: unknown, token = tokens['coord']) =>
        call('PUT', '/api/v1/sites/lille/allocations', token, body);
      const over = await put({
        allocations: [
          { interviewer: 'ENQ01', targets: { age: { young: 2, old: 1 } } },
          { interviewer: 'ENQ02', targets: { age: { young: 1, old: 1 } } },
        ],
      });
      expect(over.status).toBe(400);
      expect(over.body).toMatchObject({
        error: 'invalid_allocations',
        params: {
          issues: [
            {
              code: 'over_limit',
              params: { table: 'age', cell: 'young', sum: 3, limit: 2 },
              message:
                "age cell young: interviewers are given 3 in all, more than the cell's limit 2",
            },
          ],
        },
      });
      expect((over.body as { message: string }).message).toContain(
        "interviewers are given 3 in all, more than the cell's limit 2",
      );
      const negative = await put({
        allocations: [{ interviewer: 'ENQ01', targets: { age: { young: -1 } } }],
      });
      expect(negative.status).toBe(400);
      expect((negative.body as { message: string }).message).toMatch(
        /allocations\[0\]\.targets\.age\.young: must be at least 0/,
      );
      const unknownCell = await put({
        allocations: [{ interviewer: 'ENQ01', targets: { age: { middle: 1 } } }],
      });
      expect((unknownCell.body as { message: string }).message).toContain(
        '"middle" is not a cell of age',
      );
      const twice = await put({
        allocations: [
          { interviewer: 'ENQ01', targets: { age: { young: 1 } } },
          { interviewer: 'ENQ01', targets: { age: { old: 1 } } },
        ],
      });
      expect(twice.status).toBe(400);
      expect((twice.body as { message: string }).message).toContain('ENQ01 is given two');
      expect(twice.body).toMatchObject({ params: { reason: 'twice', interviewer: 'ENQ01' } });
      for (const body of [null, [], { allocations: 'x' }, { allocations: [], extra: 1 }]) {
        const response = await put(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body).toMatchObject({ error: 'bad_request' });
      }
      const noPlan = await call('PUT', '/api/v1/sites/lyon/allocations', tokens['coordlyon'], {
        allocations: [],
      });
      expect(noPlan.status).toBe(409);
      expect(noPlan.body).toMatchObject({ error: 'no_plan' });
      expect(await allocations()).toEqual(plan().allocations);
    });

    it('refuses to lower a share below what the interviewer has already done', async () => {
      // ENQ02 has done their one 18-49 interview: moving it to ENQ03 would let the cell overfill.
      const response = await call('PUT', '/api/v1/sites/lille/allocations', tokens['coord'], {
        allocations: [
          { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
          { interviewer: 'ENQ02', targets: { age: { young: 0, old: 1 } } },
          { interviewer: 'ENQ03', targets: { age: { young: 1 } } },
        ],
      });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: 'below_done' });
      expect((response.body as { message: string }).message).toContain(
        'ENQ02 has already done 1 interview in age 18-49: their share there cannot go below 1',
      );
      // The cell by its table and key, for the dashboard to name it in its own language.
      expect((response.body as { params: unknown }).params).toEqual({
        cells: [{ interviewer: 'ENQ02', table: 'age', cell: 'young', done: 1 }],
      });
      expect(await allocations()).toEqual(plan().allocations);
    });

    it('moves a share from one interviewer to another, and the summary shows the newcomer', async () => {
      const moved: Allocation[] = [
        { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
        { interviewer: 'ENQ02', targets: { age: { young: 1, old: 0 } } },
        { interviewer: 'ENQ03', targets: { age: { old: 1 } } },
      ];
      const response = await call('PUT', '/api/v1/sites/lille/allocations', tokens['coord'], {
        allocations: moved,
      });
      expect(response.status).toBe(204);
      expect(await allocations()).toEqual(moved);
      // Tablets see the new shares with the quota state.
      const state = await call('GET', '/api/v1/sites/lille/quota', tokens['device']);
      expect(state.body).toMatchObject({ plan: { allocations: moved } });
      const result = await summary();
      expect(result.interviewers.map((entry) => entry.interviewer)).toEqual([
        'ENQ01',
        'ENQ02',
        'ENQ03',
      ]);
      expect(result.interviewers[2]).toMatchObject({ completed: 0, lastEndedAt: null, cells: {} });
      // An admin may move shares too; an empty list removes the allocations altogether.
      expect(
        (
          await call('PUT', '/api/v1/sites/lille/allocations', tokens['admin'], {
            allocations: [],
          })
        ).status,
      ).toBe(204);
      expect(await allocations()).toBeUndefined();
      // Back to shares: from no limit at all, ENQ01's two interviews bound their new share.
      const tooSmall = await call('PUT', '/api/v1/sites/lille/allocations', tokens['coord'], {
        allocations: [{ interviewer: 'ENQ01', targets: { age: { young: 0, old: 1 } } }],
      });
      expect(tooSmall.status).toBe(409);
      expect(
        (
          await call('PUT', '/api/v1/sites/lille/allocations', tokens['coord'], {
            allocations: moved,
          })
        ).status,
      ).toBe(204);
    });
  });
}

for (const { name, open } of STORE_BACKENDS) describeDashboard(name, open);
