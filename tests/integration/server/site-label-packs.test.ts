// A site's own label packs on SQLite and PostgreSQL: who may send and list them, the loader's
// check, revisions per site, version and language (an identical pack keeps its revision), the
// tablets of that site alone receiving them, and records naming the revision they were asked with.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import {
  EnrolResponseSchema,
  PublishedQuestionnaireSchema,
  QuestionnaireIndexSchema,
  SitePackListSchema,
  SitePackResponseSchema,
} from '../../../src/core/protocol/index.ts';
import { translationRows } from '../../../src/core/xlsform/translation-sheet.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { definition, load, note, single } from '../../helpers/builder.ts';
import { makeRecord } from '../../helpers/records.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-06-20T10:00:00.000Z';
const DEFINITION = definition(
  [
    note('welcome', { hint: { fr: 'Lire lentement', en: 'Read slowly' } }),
    single('mood', ['1', '2']),
  ],
  { id: 'lp' },
);
const q = load(DEFINITION);
const ROWS = translationRows(DEFINITION);
const RESPONDENT = ROWS.filter((row) => row.reader === 'respondent');
const INTERVIEWER = ROWS.filter((row) => row.reader === 'interviewer');

/** A Creole pack of the respondent's texts (words of our own), `mark` telling revisions apart. */
function creolePack(mark = '', language = 'gcr'): { pack: unknown } {
  const texts = Object.fromEntries(RESPONDENT.map((row) => [row.key, `kreyol ${row.key}${mark}`]));
  return { pack: { questionnaire: 'lp', version: '1', language, texts } };
}
const PACK_URL = '/api/v1/sites/a/label-packs/lp/1/gcr';

let serial = 0;
function creoleRecord(site: string, labelPacks: Record<string, number>): InterviewRecordWire {
  serial += 1;
  return makeRecord(q, { mood: '1' }, 'skip', {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    site,
    language: 'gcr',
    labelPacks,
  }).record;
}

describe.each(STORE_BACKENDS)('site label packs on $name', ({ open }) => {
  let app: FastifyInstance;
  let store: ServerStore;
  let cleanup: () => Promise<void>;
  const tokens: Record<string, string> = {};

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
    return { status: response.statusCode, body: JSON.parse(response.body) as unknown };
  };
  const as = (who: string) => tokens[who] ?? '';

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    await store.migrate();
    for (const id of ['a', 'b', 'c'])
      await store.createSite({
        id,
        name: id,
        plan: null,
        shortInterviewSeconds: 600,
        createdAt: AT,
      });
    await store.publishQuestionnaire({
      questionnaireId: 'lp',
      version: '1',
      definition: JSON.stringify(DEFINITION),
      labelPacks: '[]',
      publishedAt: AT,
    });
    const users = {
      admin: { admin: true, grants: [] },
      coordA: { admin: false, grants: [{ site: 'a', role: 'coordinator' as const }] },
      coordB: { admin: false, grants: [{ site: 'b', role: 'coordinator' as const }] },
      analystA: { admin: false, grants: [{ site: 'a', role: 'analyst' as const }] },
    };
    for (const [name, access] of Object.entries(users))
      await createUser(store, name, `password of ${name}`, access, AT);
    app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
    for (const name of Object.keys(users)) {
      const login = await call('POST', '/api/v1/auth/login', undefined, {
        username: name,
        password: `password of ${name}`,
      });
      tokens[name] = (login.body as { token: string }).token;
    }
    for (const site of ['a', 'b']) {
      const code = (await call('POST', `/api/v1/sites/${site}/enrolment-codes`, as('admin')))
        .body as { code: string };
      const enrolled = await call('POST', '/api/v1/devices/enrol', undefined, { code: code.code });
      tokens[`device${site.toUpperCase()}`] = EnrolResponseSchema.parse(enrolled.body).token;
    }
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('refuses another site’s coordinator, an analyst and a tablet', async () => {
    for (const who of ['coordB', 'analystA', 'deviceA']) {
      expect((await call('PUT', PACK_URL, as(who), creolePack())).status, who).toBe(403);
      expect((await call('GET', '/api/v1/sites/a/label-packs', as(who))).status, who).toBe(403);
    }
    expect(await store.listSiteLabelPacks('a')).toEqual([]);
  });

  it('refuses a version that is not published, and an unknown site', async () => {
    const unpublished = await call(
      'PUT',
      '/api/v1/sites/a/label-packs/lp/2/gcr',
      as('coordA'),
      creolePack(),
    );
    expect(unpublished.status).toBe(404);
    expect(unpublished.body).toMatchObject({ error: 'not_found', params: { version: '2' } });
    const site = await call('PUT', '/api/v1/sites/zz/label-packs/lp/1/gcr', as('admin'), {
      pack: {},
    });
    expect(site.status).toBe(404);
  });

  it('refuses a pack the loader refuses, with its issues', async () => {
    const { pack } = creolePack() as { pack: { texts: Record<string, string> } };
    const [dropped] = Object.keys(pack.texts);
    const incomplete = {
      ...pack,
      texts: Object.fromEntries(Object.entries(pack.texts).filter(([key]) => key !== dropped)),
    };
    const missing = await call('PUT', PACK_URL, as('coordA'), { pack: incomplete });
    expect(missing.status).toBe(422);
    const issues = (missing.body as { params: { issues: { path: string; message: string }[] } })
      .params.issues;
    expect(missing.body).toMatchObject({ error: 'invalid_pack' });
    expect(issues).toContainEqual({
      path: 'pack.texts',
      message: expect.stringContaining(`missing "${dropped ?? ''}"`) as unknown,
    });
    // The pack says another language than the address.
    const other = await call('PUT', PACK_URL, as('coordA'), creolePack('', 'rcf'));
    expect(other.status).toBe(422);
    expect(
      (other.body as { params: { issues: { path: string }[] } }).params.issues.map((i) => i.path),
    ).toContain('pack.language');
    const unknownKey = await call('PUT', PACK_URL, as('coordA'), {
      pack: { ...pack, texts: { ...pack.texts, 'items.nothing.label': 'x' } },
    });
    expect(unknownKey.status).toBe(422);
    expect(await store.listSiteLabelPacks('a')).toEqual([]);
  });

  it('keeps revisions: 1, the same again, 2 for a change; per site and language', async () => {
    const first = await call('PUT', PACK_URL, as('coordA'), creolePack());
    expect(first.status).toBe(201);
    expect(SitePackResponseSchema.parse(first.body)).toEqual({
      revision: 1,
      coverage: {
        given: RESPONDENT.length,
        missingRespondent: 0,
        missingInterviewer: INTERVIEWER.length,
      },
    });
    expect(INTERVIEWER.length).toBeGreaterThan(0);
    const again = await call('PUT', PACK_URL, as('coordA'), creolePack());
    expect(again.status).toBe(200);
    expect(SitePackResponseSchema.parse(again.body).revision).toBe(1);
    const changed = await call('PUT', PACK_URL, as('admin'), creolePack(' v2'));
    expect(changed.status).toBe(201);
    expect(SitePackResponseSchema.parse(changed.body).revision).toBe(2);
    // Site B's own pack of the same language starts at 1.
    const forB = await call(
      'PUT',
      '/api/v1/sites/b/label-packs/lp/1/gcr',
      as('coordB'),
      creolePack(),
    );
    expect(forB.status).toBe(201);
    expect(SitePackResponseSchema.parse(forB.body).revision).toBe(1);
    const list = await call('GET', '/api/v1/sites/a/label-packs', as('coordA'));
    expect(list.status).toBe(200);
    expect(SitePackListSchema.parse(list.body)).toEqual([
      {
        questionnaireId: 'lp',
        version: '1',
        language: 'gcr',
        revision: 2,
        uploadedAt: AT,
        uploadedBy: 'admin',
      },
    ]);
    // The latest pack itself, for the dashboard's translator's sheet.
    const latest = await call('GET', PACK_URL, as('coordA'));
    expect(latest).toEqual({
      status: 200,
      body: { language: 'gcr', revision: 2, pack: (creolePack(' v2') as { pack: unknown }).pack },
    });
    expect((await call('GET', PACK_URL, as('coordB'))).status).toBe(403);
    expect((await call('GET', '/api/v1/sites/a/label-packs/lp/1/rcf', as('coordA'))).status).toBe(
      404,
    );
  });

  it('gives a tablet its own site’s latest packs, never another site’s', async () => {
    const index = QuestionnaireIndexSchema.parse(
      (await call('GET', '/api/v1/questionnaires', as('deviceA'))).body,
    );
    expect(index.find((entry) => entry.questionnaireId === 'lp')?.sitePacks).toEqual([
      { language: 'gcr', revision: 2 },
    ]);
    const version = PublishedQuestionnaireSchema.parse(
      (await call('GET', '/api/v1/questionnaires/lp/1', as('deviceA'))).body,
    );
    expect(version.sitePacks).toEqual([
      { language: 'gcr', revision: 2, pack: (creolePack(' v2') as { pack: unknown }).pack },
    ]);
    const forB = PublishedQuestionnaireSchema.parse(
      (await call('GET', '/api/v1/questionnaires/lp/1', as('deviceB'))).body,
    );
    expect(forB.sitePacks).toEqual([
      { language: 'gcr', revision: 1, pack: (creolePack() as { pack: unknown }).pack },
    ]);
    // A user (the dashboard) gets the version as published.
    const dashboard = PublishedQuestionnaireSchema.parse(
      (await call('GET', '/api/v1/questionnaires/lp/1', as('coordA'))).body,
    );
    expect(dashboard.sitePacks).toBeUndefined();
  });

  it('stores a record that names a revision its site has, and refuses one it has not', async () => {
    const good = creoleRecord('a', { gcr: 2 });
    expect(good.labelPacks).toEqual({ gcr: 2 });
    const older = creoleRecord('a', { gcr: 1 });
    const unknown = creoleRecord('a', { gcr: 3 });
    const { body } = await call('POST', '/api/v1/records', as('deviceA'), {
      records: [good, older, unknown],
    });
    const results = (body as { results: { id: string; status: string; reason?: string }[] })
      .results;
    expect(results.map((result) => result.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(results[2]?.reason).toContain('revision 3 of a gcr pack');
    // Kept apart, and a coordinator cannot accept it while the site has no such revision.
    const refused = (await call('GET', '/api/v1/sites/a/refused-records', as('coordA'))).body as {
      key: string;
      recordId: string | null;
    }[];
    const key = refused.find((entry) => entry.recordId === unknown.id)?.key ?? '';
    const accept = await call(
      'POST',
      `/api/v1/sites/a/refused-records/${key}/accept`,
      as('coordA'),
    );
    expect(accept.status).toBe(409);
    expect(accept.body).toMatchObject({ error: 'still_refused' });
    const stored = await store.getRecord(good.id);
    expect(JSON.parse(stored?.body ?? '{}')).toMatchObject({
      language: 'gcr',
      labelPacks: { gcr: 2 },
    });
    // Site C has no pack: the same language is refused there.
    const code = (await call('POST', '/api/v1/sites/c/enrolment-codes', as('admin'))).body as {
      code: string;
    };
    const deviceC = EnrolResponseSchema.parse(
      (await call('POST', '/api/v1/devices/enrol', undefined, { code: code.code })).body,
    ).token;
    const elsewhere = await call('POST', '/api/v1/records', deviceC, {
      records: [creoleRecord('c', { gcr: 1 })],
    });
    expect(
      (elsewhere.body as { results: { status: string }[] }).results.map((r) => r.status),
    ).toEqual(['rejected']);
  });

  it('deletes a site’s packs with the site', async () => {
    expect((await store.listSiteLabelPacks('b')).length).toBe(1);
    expect(await store.deleteSite('b')).toBe(true);
    expect(await store.listSiteLabelPacks('b')).toEqual([]);
    expect(await store.siteLabelPacks('b', 'lp', '1')).toEqual([]);
    // Site A's packs stay.
    expect((await store.siteLabelPacks('a', 'lp', '1')).map((p) => p.revision)).toEqual([2]);
  });
});
