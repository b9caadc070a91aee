// The server believes a tablet's answers and nothing else, end to end on real stores: forged
// computed values, alerts, screen-outs, dates and free text are refused naming the field, quota
// categories and the device are the server's; a refused record is kept apart (never exported or
// counted), listed for the site's coordinator, and can be accepted with the server's values or
// dismissed.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire, RefusedRecordInfo } from '../../../src/core/protocol/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { makeRecord } from '../../helpers/records.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-06-20T10:00:00.000Z';
const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;
const loaded = loadQuestionnaire(definition);
if (loaded.status === 'failure') throw new Error('demo questionnaire does not load');
const demo = loaded.questionnaire;

let serial = 0;
/** A demo interview run through the engine, as a tablet sends it; `distressed` raises the alert. */
function interview(options: { distressed?: boolean; age?: number } = {}): InterviewRecordWire {
  serial += 1;
  const level = options.distressed === true ? '2' : '0';
  return makeRecord(
    demo,
    {
      consent: '1',
      age: options.age ?? 30,
      activities: ['shop'],
      feel_tired: level,
      feel_sad: level,
    },
    'skip',
    {
      id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
      site: 'lille',
      deviceId: 'my-own-idea',
      quotaCategories: { age: 'young' },
      startedAt: '2026-06-15T09:00:00.000Z',
      endedAt: '2026-06-15T09:41:30.000Z',
    },
  ).record;
}

describe.each(STORE_BACKENDS)('records under review on $name', ({ open }) => {
  let app: FastifyInstance;
  let store: ServerStore;
  let cleanup: () => Promise<void>;
  let coordinator: string;
  let other: string;
  let device: string;
  let deviceId: string;

  const call = async (method: 'GET' | 'POST', url: string, token?: string, payload?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return {
      status: response.statusCode,
      body: String(response.headers['content-type']).startsWith('application/json')
        ? (JSON.parse(response.body) as unknown)
        : undefined,
      text: response.body,
    };
  };
  const login = async (username: string, password: string) =>
    (
      (await call('POST', '/api/v1/auth/login', undefined, { username, password })).body as {
        token: string;
      }
    ).token;
  const upload = async (...records: unknown[]) =>
    (
      (await call('POST', '/api/v1/records', device, { records })).body as {
        results: { id: string; status: string; reason?: string }[];
      }
    ).results;
  const refused = async () =>
    (await call('GET', '/api/v1/sites/lille/refused-records', coordinator))
      .body as RefusedRecordInfo[];
  const exported = async () =>
    (await call('GET', '/api/v1/sites/lille/export/interviews.csv?formulas=raw', coordinator)).text;

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    await store.migrate();
    for (const id of ['lille', 'lyon'])
      await store.createSite({
        id,
        name: id,
        plan: tinyDemoPlan(id),
        shortInterviewSeconds: 600,
        pickupPoints: ['Marché de Wazemmes'],
        createdAt: AT,
      });
    await store.publishQuestionnaire({
      questionnaireId: 'demo',
      version: '1',
      definition: JSON.stringify(definition),
      labelPacks: '[]',
      publishedAt: AT,
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
    app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
    coordinator = await login('coord', 'secret-lille');
    other = await login('coordlyon', 'secret-lyon');
    const code = (await call('POST', '/api/v1/sites/lille/enrolment-codes', coordinator)).body as {
      code: string;
    };
    const enrolled = (await call('POST', '/api/v1/devices/enrol', undefined, { code: code.code }))
      .body as { token: string; deviceId: string };
    device = enrolled.token;
    deviceId = enrolled.deviceId;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('stores an honest record with the token’s device and the site plan’s categories', async () => {
    const honest = { ...interview({ age: 70 }), quotaCategories: { age: 'young', made_up: 'x' } };
    expect(await upload(honest)).toEqual([{ id: honest.id, status: 'accepted' }]);
    const stored = await store.getRecord(honest.id);
    expect(stored?.deviceId).toBe(deviceId);
    const body = JSON.parse(stored?.body ?? '{}') as InterviewRecordWire;
    expect(body.deviceId).toBe(deviceId);
    expect(body.quotaCategories).toEqual({ age: 'old' });
    // A resend is a duplicate, whatever the server made of it, even after the plan changed.
    expect(await upload(honest)).toEqual([{ id: honest.id, status: 'duplicate' }]);
    const plan = tinyDemoPlan('lille');
    const variable = plan.variables[0];
    if (variable === undefined || !('bands' in variable.source)) throw new Error('no age bands');
    const moved = {
      ...plan,
      variables: [
        {
          ...variable,
          source: {
            item: 'age',
            bands: [
              { code: 'young', min: 18, max: 79 },
              { code: 'old', min: 80 },
            ],
          },
        },
      ],
    };
    await store.setSitePlan('lille', moved);
    expect(await upload(honest)).toEqual([{ id: honest.id, status: 'duplicate' }]);
    await store.setSitePlan('lille', plan);
    const quota = (await call('GET', '/api/v1/sites/lille/quota', device)).body as {
      counts: { completed: Record<string, Record<string, number>> };
    };
    expect(quota.counts.completed).toEqual({ age: { old: 1 } });
  });

  it('refuses each forgery naming the field, and keeps every one apart', async () => {
    const distressed = interview({ distressed: true });
    expect(distressed.alerts).toEqual(['distress']);
    const base = interview();
    const forgeries: [InterviewRecordWire, RegExp][] = [
      [
        { ...distressed, computed: { ...distressed.computed, distress_score: 999 } },
        /^computed\.distress_score: the tablet says 999/,
      ],
      [{ ...distressed, alerts: [] }, /^alerts: distress holds given the answers but is missing/],
      [{ ...base, alerts: ['made_up'] }, /^alerts: "made_up" is not an alert/],
      [
        { ...interview(), startedAt: '2026-13-45T99:99:99Z' },
        /^startedAt: .* not a real date and time/,
      ],
      [
        { ...interview(), status: 'screened_out', screenOutId: 'bored' },
        /screenOutId: "bored" is not a screen-out/,
      ],
      [
        { ...interview(), computed: { ...base.computed, note: 'Jean Dupont, 06 12 34 56 78' } },
        /^computed\.note: not a calculation/,
      ],
    ];
    const before = (await refused()).length;
    const csvBefore = await exported();
    const results = await upload(...forgeries.map(([record]) => record), 'not a record');
    forgeries.forEach(([record, reason], i) => {
      expect(results[i]).toMatchObject({ id: record.id, status: 'rejected' });
      expect(results[i]?.reason).toMatch(reason);
    });
    expect(results[forgeries.length]).toMatchObject({ id: '#6', status: 'rejected' });
    const kept = await refused();
    expect(kept.length - before).toBe(forgeries.length + 1);
    expect(kept.every((entry) => entry.state === 'refused' && entry.deviceId === deviceId)).toBe(
      true,
    );
    expect(kept.map((entry) => entry.recordId)).toEqual(
      expect.arrayContaining(forgeries.map(([record]) => record.id)),
    );
    // Never exported, never counted; sent again, kept once.
    expect(await exported()).toBe(csvBefore);
    for (const [record] of forgeries) expect(await store.getRecord(record.id)).toBeUndefined();
    await upload(forgeries[0]?.[0]);
    expect((await refused()).length).toBe(kept.length);
    // The tablet's free text never hides in a pick-up point beyond its limit; a typed one is marked.
    const typed = { ...interview(), pickupPoint: 'Devant chez Jean' };
    expect((await upload(typed))[0]?.status).toBe('accepted');
    const body = JSON.parse((await store.getRecord(typed.id))?.body ?? '{}') as Record<
      string,
      unknown
    >;
    expect(body['pickupPointTyped']).toBe(true);
    const listed = { ...interview(), pickupPoint: 'marché de wazemmes' };
    await upload(listed);
    const listedBody = JSON.parse((await store.getRecord(listed.id))?.body ?? '{}') as Record<
      string,
      unknown
    >;
    expect(listedBody['pickupPointTyped']).toBeUndefined();
  });

  it('lets the site’s coordinator read, accept with the server’s values, or dismiss', async () => {
    const distressed = interview({ distressed: true });
    const forged = { ...distressed, computed: { ...distressed.computed, distress_score: 999 } };
    const broken = { ...interview(), endedAt: '2026-02-30T10:00:00Z' };
    const junk = { ...interview(), alerts: ['made_up'] };
    await upload(forged, broken, junk);
    const list = await refused();
    const keyOf = (id: string) => list.find((entry) => entry.recordId === id)?.key ?? 'none';

    // Another site's coordinator sees nothing of it; a device cannot act on it.
    expect((await call('GET', '/api/v1/sites/lille/refused-records', other)).status).toBe(403);
    const accept = (key: string, token = coordinator) =>
      call('POST', `/api/v1/sites/lille/refused-records/${key}/accept`, token);
    expect((await accept(keyOf(forged.id), other)).status).toBe(403);
    expect((await accept(keyOf(forged.id), device)).status).toBe(403);

    const detail = await call(
      'GET',
      `/api/v1/sites/lille/refused-records/${keyOf(forged.id)}`,
      coordinator,
    );
    expect(detail.body).toMatchObject({ recordId: forged.id, record: { id: forged.id } });

    expect((await accept(keyOf(forged.id))).body).toEqual({
      key: keyOf(forged.id),
      recordId: forged.id,
      status: 'accepted',
    });
    const stored = JSON.parse(
      (await store.getRecord(forged.id))?.body ?? '{}',
    ) as InterviewRecordWire;
    expect(stored.computed['distress_score']).toBe(distressed.computed['distress_score']);
    expect(stored.deviceId).toBe(deviceId);
    expect(await exported()).toContain(forged.id);
    expect((await accept(keyOf(forged.id))).status).toBe(409);

    const still = await accept(keyOf(broken.id));
    expect(still.status).toBe(409);
    expect(still.body).toMatchObject({ error: 'still_refused' });
    expect((still.body as { message: string }).message).toMatch(/endedAt/);
    expect(await store.getRecord(broken.id)).toBeUndefined();

    const dismiss = (key: string) =>
      call('POST', `/api/v1/sites/lille/refused-records/${key}/dismiss`, coordinator);
    expect((await dismiss(keyOf(junk.id))).status).toBe(204);
    expect((await dismiss(keyOf(junk.id))).status).toBe(409);
    expect(
      (await call('POST', '/api/v1/sites/lille/refused-records/nope/dismiss', coordinator)).status,
    ).toBe(404);
    const after = await refused();
    expect(after.find((entry) => entry.recordId === junk.id)).toMatchObject({
      state: 'dismissed',
      resolvedBy: 'coord',
    });
    expect(after.find((entry) => entry.recordId === forged.id)).toMatchObject({
      state: 'accepted',
    });
  });
});
