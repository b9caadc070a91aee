// A site's own household-income bands end to end on SQLite and PostgreSQL: a coordinator sets
// them (checked against the published questionnaires), tablets receive them, records carry the
// bands they showed and are refused an answer above them, and records without bands hash as before.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomeBands, InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import { EnrolResponseSchema, SiteDetailSchema } from '../../../src/core/protocol/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { canonicalJson } from '../../../src/server/auth.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { definition, load, single } from '../../helpers/builder.ts';
import { makeRecord } from '../../helpers/records.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-06-20T10:00:00.000Z';
const CODES = ['1', '2', '3', '4', '5', '6', '7'];
const DEFINITION = definition([single('income', CODES), single('work', ['1', '2'])], {
  id: 'inc',
});
const q = load(DEFINITION);
const BANDS: IncomeBands = {
  item: 'income',
  currency: 'EUR',
  upperBounds: [840, 1200, 1500, 2000],
};

let serial = 0;
function interview(income: string, incomeBands?: IncomeBands): InterviewRecordWire {
  serial += 1;
  return makeRecord(q, { income, work: '1' }, 'skip', {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    site: 'cayenne',
    ...(incomeBands === undefined ? {} : { incomeBands }),
  }).record;
}

/** The record's hash as the server defines it: its canonical JSON without the site's categories. */
function expectedHash(body: string): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  delete parsed['quotaCategories'];
  return createHash('sha256').update(canonicalJson(parsed)).digest('hex');
}

describe.each(STORE_BACKENDS)('income bands on $name', ({ open }) => {
  let app: FastifyInstance;
  let store: ServerStore;
  let cleanup: () => Promise<void>;
  let coordinator: string;
  let device: string;

  const call = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    token?: string,
    payload?: unknown,
  ) => {
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
  const upload = async (...records: unknown[]) =>
    (
      (await call('POST', '/api/v1/records', device, { records })).body as {
        results: { id: string; status: string; reason?: string }[];
      }
    ).results;
  const settingsNow = async () =>
    SiteDetailSchema.parse((await call('GET', '/api/v1/sites/cayenne', coordinator)).body).settings;

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    await store.migrate();
    await store.createSite({
      id: 'cayenne',
      name: 'Cayenne',
      plan: null,
      shortInterviewSeconds: 600,
      createdAt: AT,
    });
    await store.publishQuestionnaire({
      questionnaireId: 'inc',
      version: '1',
      definition: JSON.stringify(DEFINITION),
      labelPacks: '[]',
      publishedAt: AT,
    });
    await createUser(
      store,
      'coord',
      'secret-cayenne',
      { admin: false, grants: [{ site: 'cayenne', role: 'coordinator' }] },
      AT,
    );
    app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      username: 'coord',
      password: 'secret-cayenne',
    });
    coordinator = (login.body as { token: string }).token;
    const code = (await call('POST', '/api/v1/sites/cayenne/enrolment-codes', coordinator))
      .body as { code: string };
    const enrolled = await call('POST', '/api/v1/devices/enrol', undefined, { code: code.code });
    device = EnrolResponseSchema.parse(enrolled.body).token;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('sets the bands, and the dashboard and tablets receive them', async () => {
    expect((await settingsNow()).incomeBands).toBeUndefined();
    const settings = { ...(await settingsNow()), incomeBands: BANDS };
    const put = await call('PUT', '/api/v1/sites/cayenne/settings', coordinator, settings);
    expect(put.status, put.text).toBe(204);
    expect((await settingsNow()).incomeBands).toEqual(BANDS);
    const code = (await call('POST', '/api/v1/sites/cayenne/enrolment-codes', coordinator))
      .body as { code: string };
    const enrolled = await call('POST', '/api/v1/devices/enrol', undefined, { code: code.code });
    expect(EnrolResponseSchema.parse(enrolled.body).settings?.incomeBands).toEqual(BANDS);
    const quota = await call('GET', '/api/v1/sites/cayenne/quota', device);
    expect((quota.body as { settings: { incomeBands: unknown } }).settings.incomeBands).toEqual(
      BANDS,
    );
    // Null again: the questionnaire's own bands.
    const cleared = { ...settings, incomeBands: null };
    expect((await call('PUT', '/api/v1/sites/cayenne/settings', coordinator, cleared)).status).toBe(
      204,
    );
    expect((await settingsNow()).incomeBands).toBeUndefined();
  });

  it('refuses bands out of order, for an item without their codes, or in an unknown currency', async () => {
    const base = await settingsNow();
    const cases: [IncomeBands, string][] = [
      [{ ...BANDS, upperBounds: [1200, 840] }, 'incomeBands.upperBounds'],
      [{ ...BANDS, upperBounds: [840.5] }, 'incomeBands.upperBounds'],
      [{ ...BANDS, upperBounds: [1, 2, 3, 4, 5, 6, 7] }, 'incomeBands.upperBounds'],
      [{ ...BANDS, item: 'work' }, 'incomeBands.item'],
      [{ ...BANDS, item: 'nowhere' }, 'incomeBands.item'],
      [{ ...BANDS, currency: 'XYZ' }, 'incomeBands.currency'],
    ];
    for (const [incomeBands, field] of cases) {
      const put = await call('PUT', '/api/v1/sites/cayenne/settings', coordinator, {
        ...base,
        incomeBands,
      });
      expect(put.status, put.text).toBe(400);
      expect(put.body).toMatchObject({
        error: 'bad_request',
        params: { reason: 'invalid', field },
      });
    }
    expect((await settingsNow()).incomeBands).toBeUndefined();
  });

  it('stores a record with the bands it showed, and refuses an answer above them', async () => {
    const shown = interview('5', BANDS);
    expect(shown.incomeBands).toEqual(BANDS);
    expect(await upload(shown)).toEqual([{ id: shown.id, status: 'accepted' }]);
    const stored = await store.getRecord(shown.id);
    const body = JSON.parse(stored?.body ?? '{}') as InterviewRecordWire;
    expect(body.incomeBands).toEqual(BANDS);
    expect(stored?.contentHash).toBe(expectedHash(stored?.body ?? '{}'));
    expect(await upload(shown)).toEqual([{ id: shown.id, status: 'duplicate' }]);

    const above = interview('6', BANDS);
    const [result] = await upload(above);
    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain(
      'answers.income: "6" is not one of the 5 income bands the record shows',
    );
    // Other bands are another record: the bands are part of what the hash covers.
    const changed = { ...shown, incomeBands: { ...BANDS, upperBounds: [840, 1200, 1500, 2500] } };
    expect((await upload(changed))[0]?.status).toBe('conflict');
  });

  it('exports the amounts of each record’s band after the income item', async () => {
    const settings = { ...(await settingsNow()), incomeBands: BANDS };
    expect(
      (await call('PUT', '/api/v1/sites/cayenne/settings', coordinator, settings)).status,
    ).toBe(204);
    const csv = (
      await call('GET', '/api/v1/sites/cayenne/export/interviews.csv?formulas=raw', coordinator)
    ).text;
    const [header = '', ...rows] = csv.trim().split(/\r?\n/);
    expect(header.split(',').slice(0, 4)).toEqual([
      'income',
      'income_lower',
      'income_upper',
      'work',
    ]);
    // The record of the test above: band 5 of 5, from 2,000 with no ceiling.
    expect(rows.map((row) => row.split(',').slice(0, 3).join(','))).toContain('5,2000,');
    const codebook = (await call('GET', '/api/v1/export/codebook.csv?language=en', coordinator))
      .text;
    expect(codebook).toContain('income_lower');
  });

  it('keeps records without bands valid, any code of the questionnaire, hashed as before', async () => {
    const plain = interview('7');
    expect(plain).not.toHaveProperty('incomeBands');
    expect(await upload(plain)).toEqual([{ id: plain.id, status: 'accepted' }]);
    const stored = await store.getRecord(plain.id);
    expect(stored?.body).not.toContain('incomeBands');
    expect(stored?.contentHash).toBe(expectedHash(stored?.body ?? '{}'));
  });

  it('keeps the amount columns of records made with bands once the site clears its bands', async () => {
    const cleared = { ...(await settingsNow()), incomeBands: null };
    expect((await call('PUT', '/api/v1/sites/cayenne/settings', coordinator, cleared)).status).toBe(
      204,
    );
    expect((await store.listSites()).some((site) => site.incomeBands != null)).toBe(false);
    expect(await store.incomeBandItems({ sites: ['cayenne'], questionnaireId: 'inc' })).toEqual([
      'income',
    ]);
    expect(await store.incomeBandItems({ sites: ['elsewhere'], questionnaireId: 'inc' })).toEqual(
      [],
    );
    for (const url of [
      '/api/v1/sites/cayenne/export/interviews.csv?formulas=raw',
      '/api/v1/export/interviews.csv?formulas=raw',
    ]) {
      const [header = '', ...rows] = (await call('GET', url, coordinator)).text
        .trim()
        .split(/\r?\n/);
      expect(header.split(',').slice(0, 4)).toEqual([
        'income',
        'income_lower',
        'income_upper',
        'work',
      ]);
      const cells = rows.map((row) => row.split(',').slice(0, 3).join(','));
      // The record with bands keeps its band's amounts; the one without has none.
      expect(cells).toContain('5,2000,');
      expect(cells).toContain('7,,');
    }
    const codebook = (await call('GET', '/api/v1/export/codebook.csv?language=en', coordinator))
      .text;
    expect(codebook).toContain('income_lower');
    expect(codebook).toContain('income bands are set per site');
  });

  it('finds every item records carry bands for, in bodies written otherwise too', async () => {
    const onWork = interview('3', { item: 'work', currency: 'EUR', upperBounds: [500] });
    expect(await upload(onWork)).toEqual([{ id: onWork.id, status: 'accepted' }]);
    const scope = { sites: ['cayenne'], questionnaireId: 'inc' };
    expect(await store.incomeBandItems(scope)).toEqual(['income', 'work']);
    expect(await store.incomeBandItems({ ...scope, questionnaireVersion: '2' })).toEqual([]);
    // A body whose bands' keys are not in the canonical order (an older writer's, a restored
    // backup's): found all the same.
    const stored = await store.getRecord(onWork.id);
    if (stored === undefined) throw new Error('the record is not stored');
    const id = '00000000-0000-4000-8000-999999999999';
    const body = JSON.parse(stored.body) as Record<string, unknown>;
    body['id'] = id;
    body['incomeBands'] = { upperBounds: [500], item: 'odd_item', currency: 'EUR' };
    expect(await store.putRecords([{ ...stored, id, body: JSON.stringify(body) }])).toEqual([
      'accepted',
    ]);
    expect(await store.incomeBandItems(scope)).toEqual(['income', 'odd_item', 'work']);
  });
});
