// Open drafts over real HTTP (SQLite file, then PostgreSQL): a tablet reports the interviews it has
// under way with its quota state request, through the app's own API client; the server checks the
// report, keeps it per tablet (in memory), counts it as done when re-pooling, and forgets a draft
// the next report omits.
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, Transport } from '../../../src/app/sync/api.ts';
import { apiClient } from '../../../src/app/sync/api.ts';
import type { InterviewRecordWire, OpenDraft } from '../../../src/core/protocol/index.ts';
import { QuotaStateSchema } from '../../../src/core/protocol/index.ts';
import type { Answer } from '../../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import { anonymise } from '../../../src/core/record/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-24T10:00:00.000Z';
const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;
const loaded = loadQuestionnaire(definition);
if (loaded.status === 'failure') throw new Error('demo questionnaire does not load');
const demo = loaded.questionnaire;

/** Ten interviews per age cell, no tolerance, five each for A and B. */
const PLAN: QuotaPlan = {
  ...tinyDemoPlan('lille'),
  sampleSize: 20,
  tables: [
    {
      id: 'age',
      variables: ['age'],
      cells: [
        { key: ['young'], target: 10 },
        { key: ['old'], target: 10 },
      ],
    },
  ],
  allocations: [
    { interviewer: 'A', targets: { age: { young: 5, old: 5 } } },
    { interviewer: 'B', targets: { age: { young: 5, old: 5 } } },
  ],
};

let serial = 0;
/** A completed interview of a young respondent, as a tablet builds it. */
function record(interviewer: string): InterviewRecordWire {
  serial += 1;
  const answers = new Map<string, Answer>([
    ['consent', '1'],
    ['age', 30],
    ['activities', ['shop']],
    ['feel_tired', '0'],
    ['feel_sad', '1'],
  ]);
  return anonymise(
    demo,
    {
      id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
      site: 'lille',
      interviewer,
      deviceId: 'tablet',
      status: 'completed',
      language: 'fr',
      appVersion: 'test',
      startedAt: '2026-11-24T09:00:00.000Z',
      endedAt: '2026-11-24T09:30:00.000Z',
      quotaCategories: { age: 'young' },
    },
    answers,
    { today: () => '2026-11-24' },
  );
}

function describeOpenDrafts(
  name: string,
  open: () => Promise<{ store: ServerStore; cleanup: () => Promise<void> }>,
) {
  describe(`open drafts over HTTP on ${name}`, () => {
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let base = '';
    let coordinator = '';
    const tablets: Record<string, ApiClient> = {};
    const tokens: Record<string, string> = {};
    const transport: Transport = async (url, init) => {
      const response = await fetch(url, init);
      return { status: response.status, json: () => response.json(), headers: response.headers };
    };
    const get = async (path: string, token: string) => {
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const post = async (path: string, token: string | undefined, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const enrol = async (site: string, label: string) => {
      const code = await post(`/api/v1/sites/${site}/enrolment-codes`, coordinator, {});
      const enrolled = await post('/api/v1/devices/enrol', undefined, {
        code: (code.body as { code: string }).code,
        label,
      });
      return (enrolled.body as { token: string }).token;
    };
    const youngShare = async (tablet: string, drafts?: readonly OpenDraft[]) => {
      const state = await (tablets[tablet] as ApiClient).quota('lille', drafts);
      return state.plan?.allocations?.find((entry) => entry.interviewer === 'A')?.targets['age']?.[
        'young'
      ];
    };

    beforeAll(async () => {
      let store: ServerStore;
      ({ store, cleanup } = await open());
      await store.migrate();
      await store.createSite({
        id: 'lille',
        name: 'Lille',
        plan: PLAN,
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
      await createUser(store, 'admin', 'secret-admin', { admin: true, grants: [] }, AT);
      app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const login = await post('/api/v1/auth/login', undefined, {
        username: 'admin',
        password: 'secret-admin',
      });
      coordinator = (login.body as { token: string }).token;
      expect((await post('/api/v1/questionnaires', coordinator, { definition })).status).toBe(201);
      for (const [tablet, site] of [
        ['t1', 'lille'],
        ['t2', 'lille'],
        ['lyon', 'lyon'],
      ] as const) {
        tokens[tablet] = await enrol(site, tablet);
        tablets[tablet] = apiClient(transport, base, tokens[tablet]);
      }
      // A did 1 young interview on t1, B did 5 on t2; each tablet has sent everything.
      const t1 = tablets['t1'] as ApiClient;
      const t2 = tablets['t2'] as ApiClient;
      await t1.upload({ records: [record('A')], pending: 0 });
      await t2.upload({ records: [1, 2, 3, 4, 5].map(() => record('B')), pending: 0 });
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await cleanup();
    });

    it('refuses a report it cannot read, and a report from anyone but a tablet', async () => {
      for (const drafts of [
        'A',
        'Jean Dupont:age/young',
        'A:age/young,age/old',
        Array.from({ length: 21 }, () => 'A:age/young').join(';'),
      ]) {
        const answer = await get(
          `/api/v1/sites/lille/quota?drafts=${encodeURIComponent(drafts)}`,
          tokens['t1'] ?? '',
        );
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error: 'bad_request' });
        expect((answer.body as { message: string }).message).toMatch(/^drafts/);
      }
      const twice = await get(
        '/api/v1/sites/lille/quota?drafts=A:age/young&drafts=A:age/old',
        tokens['t1'] ?? '',
      );
      expect(twice.status).toBe(400);
      const fromUser = await get(
        `/api/v1/sites/lille/quota?drafts=${encodeURIComponent('A:age/young')}`,
        coordinator,
      );
      expect(fromUser.status).toBe(400);
      // The interviewer a tablet says it is used by: a code, or nothing.
      const badInterviewer = await get(
        `/api/v1/sites/lille/quota?interviewer=${encodeURIComponent('Jean Dupont')}`,
        tokens['t1'] ?? '',
      );
      expect(badInterviewer.status).toBe(400);
      expect((badInterviewer.body as { message: string }).message).toMatch(/^interviewer/);
      // Another site's tablet reports nothing here.
      expect(
        (await get('/api/v1/sites/lille/quota?drafts=A:age/young', tokens['lyon'] ?? '')).status,
      ).toBe(403);
    });

    it('keeps the share of the drafts a tablet has open, and frees it once they end', async () => {
      // t1 has two young interviews of A's open: A keeps 1 done + 2 open + a fair part of the
      // 2 left (1). Cells the plan does not have are left out, not refused.
      const open: OpenDraft[] = [
        { interviewer: 'A', cells: ['age/young'] },
        { interviewer: 'A', cells: ['age/young', 'sex/F'] },
      ];
      expect(await youngShare('t1', open)).toBe(4);
      // A dashboard's read changes nothing, and t2's sync keeps t1's drafts.
      const read = QuotaStateSchema.parse(
        (await get('/api/v1/sites/lille/quota', coordinator)).body,
      );
      expect(read.plan?.allocations?.[0]?.targets['age']?.['young']).toBe(4);
      expect(await youngShare('t2')).toBe(4);
      // t1's next report omits them (the interviews were left): A keeps 1 done + one of room,
      // and takes a fair part of what is left (1) from the 2 free (B took one at t2's sync).
      expect(await youngShare('t1', [])).toBe(3);
    });

    it('gives a share to a newcomer whose tablet says who uses it', async () => {
      // C has sent nothing yet: without their code the server would not know them, and every
      // respondent of theirs would be turned away as over quota.
      tokens['t3'] = await enrol('lille', 't3');
      const t3 = apiClient(transport, base, tokens['t3']);
      const state = await t3.quota('lille', [], 'C');
      const c = state.plan?.allocations?.find((entry) => entry.interviewer === 'C');
      expect(c?.targets['age']?.['young']).toBeGreaterThan(0);
    });
  });
}

for (const backend of STORE_BACKENDS) describeOpenDrafts(backend.name, backend.open);
