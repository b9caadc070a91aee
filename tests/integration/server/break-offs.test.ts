// Issue #21's safety protocol and paradata through the API, on a real store (SQLite file, then
// PostgreSQL): broken-off interviews accepted, stored and never counted in quotas, exported apart;
// forged break-offs, alert events and paradata refused with the reason; the alerts of a site
// listed newest first; each interviewer's quality figures, computed here by hand.
import type { FastifyInstance } from 'fastify';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AlertEventInfo,
  InterviewRecordWire,
  SiteSummary,
} from '../../../src/core/protocol/index.ts';
import {
  AlertEventListSchema,
  QuotaStateSchema,
  SiteSummarySchema,
} from '../../../src/core/protocol/index.ts';
import type { Answer, Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../../src/core/questionnaire/index.ts';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import { anonymise } from '../../../src/core/record/index.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { loadScreening, screeningDefinition } from '../../helpers/screening.ts';
import { injectCaller, signInAndEnrol } from '../../helpers/inject.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-24T10:00:00.000Z';
/** With a text item kept on the tablet and an alert when both screens are positive. */
const definition = screeningDefinition({
  consent: { nonResponse: false },
  start: [
    {
      id: 'name',
      type: 'text',
      label: { fr: 'Prénom', en: 'First name' },
      identifying: true,
      nonResponse: false,
    },
  ],
  alerts: [
    {
      id: 'low_mood',
      when: "${dep_screen1} = '1' and ${dep_screen2} = '1'",
      title: { fr: 'Humeur basse', en: 'Low mood' },
      protocol: { fr: 'Donnez le {{helpline}}.', en: 'Give {{helpline}}.' },
    },
  ],
});
const q: Questionnaire = loadScreening(definition);

/** Every consenting respondent falls in the one cell: what counts in it is what quotas count. */
const PLAN: QuotaPlan = {
  site: 'lille',
  questionnaire: 'screening',
  sampleSize: 10,
  tolerance: 0,
  variables: [{ id: 'consent', source: { item: 'consent' }, categories: [{ code: '1' }] }],
  tables: [{ id: 'all', variables: ['consent'], cells: [{ key: ['1'], target: 10 }] }],
};

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (minutes: number) =>
  new Date(Date.parse('2026-11-23T09:00:00.000Z') + minutes * 60_000).toISOString();

/** A record as the tablet sends it: anonymised answers, then the tablet's account of the interview. */
function record(
  n: number,
  options: {
    readonly interviewer: string;
    readonly start: number;
    readonly minutes: number;
    readonly answers: Readonly<Record<string, Answer>>;
    readonly status?: InterviewRecordWire['status'];
    readonly more?: Partial<InterviewRecordWire>;
  },
): InterviewRecordWire {
  const status = options.status ?? 'completed';
  const startedAt = at(options.start);
  const endedAt = at(options.start + options.minutes);
  const made = anonymise(
    q,
    {
      id: uuid(n),
      site: 'lille',
      interviewer: options.interviewer,
      deviceId: 'tablet',
      status,
      ...(status === 'screened_out' ? { screenOutId: 'no_consent' } : {}),
      language: 'fr',
      appVersion: 'test',
      startedAt,
      endedAt,
      quotaCategories: {},
      alerts:
        options.answers['dep_screen1'] === '1' && options.answers['dep_screen2'] === '1'
          ? ['low_mood']
          : [],
    },
    new Map(Object.entries({ name: 'Jeanne', ...options.answers })),
    { today: () => endedAt.slice(0, 10) },
  );
  // Seconds on each item asked (the identifying one never leaves the tablet).
  const itemSeconds = Object.fromEntries(Object.keys(made.answers).map((id, i) => [id, 10 + i]));
  return {
    ...made,
    status,
    paradata: { itemSeconds, languages: ['fr'] },
    ...options.more,
  };
}

// ENQ01: two completed interviews (one raising the alert) and one broken off after the alert.
const r1 = record(1, {
  interviewer: 'ENQ01',
  start: 0,
  minutes: 20,
  answers: { consent: '1', dep_screen1: '1', dep_screen2: '1', dep_sleep: DONT_KNOW, mood: '2' },
  more: {
    alertEvents: [
      { id: 'low_mood', raisedAt: at(5), acknowledgedAt: at(6), actions: ['helpline_given'] },
    ],
  },
});
const r2 = record(2, {
  interviewer: 'ENQ01',
  start: 60,
  minutes: 30,
  answers: { consent: '1', dep_screen1: '2', dep_screen2: REFUSED, mood: DONT_KNOW },
});
const r3 = record(3, {
  interviewer: 'ENQ01',
  start: 120,
  minutes: 8,
  status: 'broken_off',
  answers: { consent: '1', dep_screen1: '1', dep_screen2: '1' },
  more: {
    breakOff: { reason: 'respondent_unwell', itemId: 'dep_sleep', at: at(128) },
    alertEvents: [{ id: 'low_mood', raisedAt: at(126), acknowledgedAt: null, actions: [] }],
  },
});
// ENQ02: one completed interview, one screened out.
const r4 = record(4, {
  interviewer: 'ENQ02',
  start: 180,
  minutes: 10,
  answers: { consent: '1', dep_screen1: '2', dep_screen2: '2', mood: '1' },
});
const r5 = record(5, {
  interviewer: 'ENQ02',
  start: 200,
  minutes: 1,
  status: 'screened_out',
  answers: { consent: '2' },
});
const RECORDS = [r1, r2, r3, r4, r5];

function describeBreakOffs(name: string, open: (typeof STORE_BACKENDS)[number]['open']) {
  describe(`break-offs, alerts and paradata on ${name}`, () => {
    let app: FastifyInstance;
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    const tokens: Record<string, string> = {};

    const call = injectCaller(() => app);
    const upload = async (records: readonly unknown[]) => {
      const response = await call('POST', '/api/v1/records', tokens['device'], { records });
      expect(response.status).toBe(200);
      return (response.json() as { results: { id: string; status: string; reason?: string }[] })
        .results;
    };
    const csv = async (url: string, token = tokens['analyst']): Promise<string[][]> => {
      const response = await call('GET', url, token);
      expect(response.status).toBe(200);
      return Papa.parse<string[]>(response.text, { skipEmptyLines: true }).data;
    };

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      await store.createSite({
        id: 'lille',
        name: 'Lille',
        plan: PLAN,
        shortInterviewSeconds: 300,
        createdAt: AT,
        timeZone: 'UTC',
      });
      await store.createSite({
        id: 'lyon',
        name: 'Lyon',
        plan: null,
        shortInterviewSeconds: 300,
        createdAt: AT,
      });
      const users: [string, boolean, { site: string; role: 'coordinator' | 'analyst' }[]][] = [
        ['admin', true, []],
        ['coord', false, [{ site: 'lille', role: 'coordinator' }]],
        ['analyst', false, [{ site: 'lille', role: 'analyst' }]],
        ['coordlyon', false, [{ site: 'lyon', role: 'coordinator' }]],
      ];
      for (const [username, admin, grants] of users)
        await createUser(store, username, `secret-${username}`, { admin, grants }, AT);
      app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
      await signInAndEnrol(
        call,
        users.map(([username]) => username),
        definition,
        tokens,
      );
    });

    afterAll(async () => {
      await app.close();
      await cleanup();
    });

    it('accepts a broken-off record with the others, and a record sent again is a duplicate', async () => {
      expect((await upload(RECORDS)).map((result) => result.status)).toEqual(
        RECORDS.map(() => 'accepted'),
      );
      expect((await upload(RECORDS)).map((result) => result.status)).toEqual(
        RECORDS.map(() => 'duplicate'),
      );
      const stored = await store.getRecord(r3.id);
      expect(stored?.status).toBe('broken_off');
      const body = JSON.parse(stored?.body ?? '{}') as InterviewRecordWire;
      expect(body.breakOff).toEqual(r3.breakOff);
      expect(body.alertEvents).toEqual(r3.alertEvents);
      expect(body.paradata).toEqual(r3.paradata);
    });

    it('never counts a broken-off interview in the quotas', async () => {
      const response = await call('GET', '/api/v1/sites/lille/quota', tokens['coord']);
      const state = QuotaStateSchema.parse(response.json());
      // r1, r2 and r4 consented and completed; r3 consented too, but broke off.
      expect(state.counts.completed).toEqual({ all: { '1': 3 } });
    });

    it('refuses a forged break-off, alert event or paradata with the reason, and keeps it apart', async () => {
      const forged = [
        { ...r4, id: uuid(11), breakOff: { reason: 'other', itemId: 'mood', at: r4.endedAt } },
        { ...r3, id: uuid(12), breakOff: { reason: 'other', itemId: 'nowhere', at: r3.endedAt } },
        {
          ...r1,
          id: uuid(13),
          alertEvents: [{ id: 'made_up', raisedAt: at(5), acknowledgedAt: null, actions: [] }],
        },
        { ...r2, id: uuid(14), paradata: { itemSeconds: { name: 12 }, languages: ['fr'] } },
      ];
      const results = await upload(forged);
      expect(results.map((result) => result.status)).toEqual(forged.map(() => 'rejected'));
      expect(results.map((result) => result.reason)).toEqual([
        'breakOff: only a broken-off interview has one',
        'breakOff.itemId: "nowhere" is not an item of screening 1',
        'alertEvents[0].id: "made_up" is not an alert of this version; ' +
          'alertEvents: low_mood is in alerts but was never raised',
        'paradata.itemSeconds.name: its time would tell of an answer that never leaves the device',
      ]);
      const refused = await call('GET', '/api/v1/sites/lille/refused-records', tokens['coord']);
      expect(
        (refused.json() as { recordId: string }[]).map((entry) => entry.recordId).sort(),
      ).toEqual(forged.map((entry) => entry.id));
    });

    it('lists the site’s alerts, newest first, for its coordinators and analysts only', async () => {
      const response = await call('GET', '/api/v1/sites/lille/alerts', tokens['analyst']);
      expect(response.status).toBe(200);
      const alerts: AlertEventInfo[] = AlertEventListSchema.parse(response.json());
      const deviceId = (await store.getRecord(r1.id))?.deviceId ?? '';
      expect(alerts).toEqual([
        {
          recordId: r3.id,
          interviewer: 'ENQ01',
          deviceId,
          status: 'broken_off',
          alertId: 'low_mood',
          raisedAt: at(126),
          acknowledgedAt: null,
          actions: [],
        },
        {
          recordId: r1.id,
          interviewer: 'ENQ01',
          deviceId,
          status: 'completed',
          alertId: 'low_mood',
          raisedAt: at(5),
          acknowledgedAt: at(6),
          actions: ['helpline_given'],
        },
      ]);
      expect((await call('GET', '/api/v1/sites/lille/alerts', tokens['coordlyon'])).status).toBe(
        403,
      );
      expect((await call('GET', '/api/v1/sites/lille/alerts', tokens['device'])).status).toBe(403);
      expect((await call('GET', '/api/v1/sites/lyon/alerts', tokens['admin'])).json()).toEqual([]);
      expect((await call('GET', '/api/v1/sites/nowhere/alerts', tokens['admin'])).status).toBe(404);
    });

    it('counts break-offs and each interviewer’s quality figures, as computed by hand', async () => {
      const response = await call('GET', '/api/v1/sites/lille/summary', tokens['coord']);
      const summary: SiteSummary = SiteSummarySchema.parse(response.json());
      expect(summary.totals).toEqual({ completed: 3, screenedOut: 1, short: 0 });
      expect(summary.brokenOff).toBe(1);
      // Asked = answers held. ENQ01: r1 5 (1 don't know, 2 screens both yes), r2 4 (1 don't
      // know, 1 refused, 2 screens none yes). ENQ02: r4 4 (2 screens none yes).
      expect(summary.quality).toEqual([
        {
          interviewer: 'ENQ01',
          completed: 2,
          brokenOff: 1,
          medianSeconds: 1500,
          dontKnowShare: 2 / 9,
          refusedShare: 1 / 9,
          positiveScreenShare: 2 / 4,
        },
        {
          interviewer: 'ENQ02',
          completed: 1,
          brokenOff: 0,
          medianSeconds: 600,
          dontKnowShare: 0,
          refusedShare: 0,
          positiveScreenShare: 0,
        },
      ]);
      expect(summary.siteQuality).toEqual({
        completed: 3,
        brokenOff: 1,
        medianSeconds: 1200,
        dontKnowShare: 2 / 13,
        refusedShare: 1 / 13,
        positiveScreenShare: 2 / 6,
      });
    });

    it('exports the break-offs apart from the interviews', async () => {
      const [header, ...interviews] = await csv(
        '/api/v1/sites/lille/export/interviews.csv?questionnaire=screening',
      );
      const id = header?.indexOf('interview_id') ?? -1;
      expect(interviews.map((row) => row[id])).toEqual([r1.id, r2.id, r4.id]);
      const [breakHeader, ...breakOffs] = await csv(
        '/api/v1/sites/lille/export/break-offs.csv?questionnaire=screening',
      );
      expect(breakHeader).toEqual([
        ...(header ?? []),
        'break_off_reason',
        'break_off_item',
        'break_off_at',
      ]);
      expect(breakOffs).toHaveLength(1);
      expect(breakOffs[0]?.[id]).toBe(r3.id);
      expect(breakOffs[0]?.slice(-3)).toEqual(['respondent_unwell', 'dep_sleep', at(128)]);
      // For the user's sites: the same row; labels on request.
      const all = await csv(
        '/api/v1/export/break-offs.csv?questionnaire=screening&values=labels&language=en',
        tokens['coord'],
      );
      expect(all.slice(1).map((row) => row.at(-3))).toEqual(['The respondent felt unwell']);
      expect(
        (
          await call(
            'GET',
            '/api/v1/sites/lille/export/break-offs.csv?questionnaire=screening',
            tokens['coordlyon'],
          )
        ).status,
      ).toBe(403);
    });

    it('exports one paradata row per item asked in every record, and the codebook describes both files', async () => {
      const [header, ...rows] = await csv(
        '/api/v1/sites/lille/export/paradata.csv?questionnaire=screening&separator=semicolon',
      );
      expect(header).toEqual([
        'interview_id',
        'interviewer',
        'status',
        'item',
        'seconds',
        'languages',
      ]);
      const expected = RECORDS.flatMap((sent) =>
        Object.entries(sent.paradata?.itemSeconds ?? {})
          .sort(
            ([a], [b]) => (q.itemById.get(a)?.position ?? 0) - (q.itemById.get(b)?.position ?? 0),
          )
          .map(([item, seconds]) => [
            sent.id,
            sent.interviewer,
            sent.status,
            item,
            String(seconds),
            'fr',
          ]),
      );
      expect(rows).toEqual(expected);
      expect(rows.filter((row) => row[2] === 'broken_off').map((row) => row[3])).toEqual([
        'consent',
        'dep_screen1',
        'dep_screen2',
      ]);
      const mine = await csv(
        '/api/v1/export/paradata.csv?questionnaire=screening',
        tokens['analyst'],
      );
      expect(mine.slice(1)).toEqual(expected);
      const codebook = await csv('/api/v1/export/codebook.csv?questionnaire=screening&language=en');
      const described = codebook.map((row) => row[0]);
      for (const column of [
        'break_off_reason',
        'break_off_item',
        'break_off_at',
        'status',
        'item',
        'seconds',
        'languages',
      ])
        expect(described).toContain(column);
    });

    it('stores a refused broken-off record a coordinator accepts, with its figures', async () => {
      const hidden = { ...r3, id: uuid(21), interviewer: 'ENQ02', alerts: [], alertEvents: [] };
      const [result] = await upload([hidden]);
      expect(result?.reason).toMatch(/alerts: low_mood holds given the answers but is missing/);
      const refused = await call('GET', '/api/v1/sites/lille/refused-records', tokens['coord']);
      const key = (refused.json() as { key: string; recordId: string }[]).find(
        (entry) => entry.recordId === hidden.id,
      )?.key;
      const accepted = await call(
        'POST',
        `/api/v1/sites/lille/refused-records/${key ?? ''}/accept`,
        tokens['coord'],
      );
      expect(accepted.status).toBe(200);
      const stored = await store.getRecord(hidden.id);
      expect(stored?.status).toBe('broken_off');
      expect(stored?.figures).toEqual({
        asked: 3,
        dontKnow: 0,
        refused: 0,
        screens: 2,
        positiveScreens: 2,
      });
      const summary = SiteSummarySchema.parse(
        (await call('GET', '/api/v1/sites/lille/summary', tokens['coord'])).json(),
      );
      expect(summary.brokenOff).toBe(2);
      expect(summary.totals.completed).toBe(3);
    });
  });
}

for (const backend of STORE_BACKENDS) describeBreakOffs(backend.name, backend.open);
