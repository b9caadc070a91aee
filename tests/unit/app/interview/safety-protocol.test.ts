// Issue #21's safety protocol and paradata on the tablet, on the Dexie store over a fresh fake
// IndexedDB: an alert stays until acknowledged across a reload (the session made again from the
// database), the acknowledgement and what was done go with the record, an interview stopped after
// consent leaves as a broken-off record (queued, never counted), and time per item and languages
// go with the record.
import { readFileSync } from 'node:fs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import { InterviewRecordSchema } from '../../../../src/core/protocol/index.ts';
import type { Answer, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import { reviewRecord } from '../../../../src/core/record/index.ts';
import type {
  NewInterview,
  SessionClock,
} from '../../../../src/app/interview/interview-session.ts';
import {
  InterviewSession,
  REVIEW,
  breaksOff,
  loadInterview,
  screenIds,
} from '../../../../src/app/interview/interview-session.ts';
import {
  decideRespondent,
  ownCounts,
  quotaRecords,
} from '../../../../src/app/quota/quota-session.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { DexieInterviewStore, SmpgDatabase } from '../../../../src/app/storage/index.ts';
import { isWaiting } from '../../../../src/app/sync/outbox.ts';
import type { Transport } from '../../../../src/app/sync/api.ts';
import { buildRecord, runSync, waitingInterviews } from '../../../../src/app/sync/sync-engine.ts';
import { definition, load, single } from '../../../helpers/builder.ts';
import { tinyDemoPlan } from '../../../helpers/plans.ts';

const DEMO: unknown = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8'));
const demo = load(DEMO);
const plan = tinyDemoPlan('lille');

/** A clock the test moves by hand: the wall clock and the elapsed time together. */
function handClock(start = '2026-06-15T09:00:00.000Z') {
  let now = Date.parse(start);
  let elapsed = 0;
  return {
    now: () => new Date(now),
    elapsed: () => elapsed,
    tick(ms: number) {
      now += ms;
      elapsed += ms;
    },
  } satisfies SessionClock & { tick(ms: number): void };
}

const opened: SmpgDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A tablet's database, which a reload closes and opens again (the same IndexedDB). */
class Tablet {
  readonly #factory = new IDBFactory();
  db!: SmpgDatabase;
  store!: DexieInterviewStore;
  cache!: QuestionnaireCache;

  constructor() {
    this.#open();
  }

  #open(): void {
    this.db = new SmpgDatabase('smpg-safety-test', { indexedDB: this.#factory, IDBKeyRange });
    opened.push(this.db);
    this.store = new DexieInterviewStore(this.db);
    this.cache = new QuestionnaireCache(this.store);
  }

  /** The page reloads (or the tablet restarts): nothing in memory survives. */
  reload(): void {
    this.db.close();
    this.#open();
  }

  async install(definitionJson: unknown, id: string, version: string): Promise<void> {
    await this.store.putQuestionnaire({
      questionnaireId: id,
      version,
      definition: definitionJson,
      labelPacks: [],
      installedAt: '2026-06-01T00:00:00.000Z',
    });
  }

  /** The interview opened again from the database, as the screen does on its address. */
  async reopen(id: string, clock: SessionClock): Promise<InterviewSession> {
    const view = await loadInterview(this.store, this.cache, id, clock);
    if (typeof view === 'string') throw new Error(view);
    const session = new InterviewSession(view, { store: this.store, clock });
    await session.open();
    return session;
  }
}

let serial = 0;
function respondent(patch: Partial<NewInterview> = {}): NewInterview {
  serial += 1;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    questionnaireId: 'demo',
    questionnaireVersion: '1',
    site: 'lille',
    interviewer: 'ENQ01',
    deviceId: 'tablet-1',
    practice: false,
    language: 'fr',
    appVersion: '0.1.0',
    ...patch,
  };
}

/** A 70-year-old who agrees; the distress alert fires in the "feelings" grid. */
const DISTRESSED: Readonly<Record<string, Answer>> = {
  consent: '1',
  age: 70,
  moved_in: '2015-03-01',
  activities: ['shop'],
  feel_tired: '2',
  feel_sad: '2',
  postcode: '59000',
  safety: '1',
  rating: 7,
};

/** Answers each screen from the script and taps Next until `until`, review or the end. */
async function interview(
  session: InterviewSession,
  script: Readonly<Record<string, Answer>>,
  until?: string,
  clock?: ReturnType<typeof handClock>,
): Promise<void> {
  for (;;) {
    const { q, record, state } = session.current;
    const here = record.position;
    if (here === null || here === REVIEW || here === until) return;
    if (record.status !== 'screening' && record.status !== 'in_progress') return;
    for (const id of screenIds(q, state, here)) {
      const answer = script[id];
      if (answer !== undefined) await session.answer(id, answer).settled;
    }
    if (session.getSnapshot().pendingAlert !== undefined) await session.acknowledgeAlert([]);
    clock?.tick(5_000);
    await session.next();
    if (session.current.record.position === here) throw new Error(`Next refused on ${here}`);
  }
}

/** Starts a demo interview and raises the distress alert, leaving it unacknowledged. */
async function raiseDistress(tablet: Tablet, clock: ReturnType<typeof handClock>) {
  const { session, started } = InterviewSession.start(demo, respondent(), {
    store: tablet.store,
    clock,
  });
  await started;
  await interview(session, DISTRESSED, 'feelings', clock);
  await session.answer('feel_tired', '2').settled;
  await session.answer('feel_sad', '2').settled;
  expect(session.getSnapshot().pendingAlert?.id).toBe('distress');
  return session;
}

/** The record sync sends for an interview: it fits the wire schema and the server's review. */
async function recordOf(tablet: Tablet, id: string): Promise<InterviewRecordWire> {
  const stored = await tablet.store.getInterview(id);
  if (stored === undefined) throw new Error(`no interview ${id}`);
  const built = await buildRecord(tablet.store, tablet.cache, stored);
  if ('problem' in built) throw new Error(built.problem);
  const parsed = InterviewRecordSchema.safeParse(built.record);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  const q = await tablet.cache.get(stored.questionnaireId, stored.questionnaireVersion);
  if (q === undefined || !('definition' in q)) throw new Error('no questionnaire');
  const review = reviewRecord(q, built.record, {
    deviceId: stored.deviceId,
    receivedAt: built.record.endedAt,
    plan: null,
    pickupPoints: [],
  });
  expect(review.ok ? [] : review.problems).toEqual([]);
  return built.record;
}

describe('an alert on the tablet', () => {
  it('stays on screen across a reload until the interviewer acknowledges it', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const first = await raiseDistress(tablet, clock);
    const id = first.current.record.id;

    // Reloaded before "J'ai appliqué le protocole": the alert is back, before and after opening.
    tablet.reload();
    const view = await loadInterview(tablet.store, tablet.cache, id, clock);
    if (typeof view === 'string') throw new Error(view);
    const again = new InterviewSession(view, { store: tablet.store, clock });
    expect(again.getSnapshot().pendingAlert?.id).toBe('distress');
    await again.open();
    expect(again.getSnapshot().pendingAlert?.id).toBe('distress');
    // Raised once: opening again does not raise it a second time.
    expect((await tablet.store.getInterview(id))?.alertEvents).toHaveLength(1);

    clock.tick(90_000);
    await again.acknowledgeAlert(['helpline_given', 'supervisor_told']);
    expect(again.getSnapshot().pendingAlert).toBeUndefined();
    expect((await tablet.store.getInterview(id))?.alertEvents).toEqual([
      {
        id: 'distress',
        raisedAt: '2026-06-15T09:00:25.000Z',
        acknowledgedAt: '2026-06-15T09:01:55.000Z',
        actions: ['helpline_given', 'supervisor_told'],
      },
    ]);

    // Acknowledged, it does not come back.
    tablet.reload();
    expect((await tablet.reopen(id, clock)).getSnapshot().pendingAlert).toBeUndefined();
  });

  it('is raised on opening when its condition holds but the store lost it (a crash)', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const { session, started } = InterviewSession.start(demo, respondent(), {
      store: tablet.store,
      clock,
    });
    await started;
    await interview(session, DISTRESSED, 'feelings');
    const id = session.current.record.id;
    // The answers were stored; the tablet died before the alert's write.
    await tablet.store.saveAnswer(id, 'feel_tired', '2', clock.now().toISOString());
    await tablet.store.saveAnswer(id, 'feel_sad', '2', clock.now().toISOString());
    tablet.reload();
    const again = await tablet.reopen(id, clock);
    expect(again.getSnapshot().pendingAlert?.id).toBe('distress');
    expect((await tablet.store.getInterview(id))?.alertEvents).toMatchObject([
      { id: 'distress', acknowledgedAt: null, actions: [] },
    ]);
  });

  it('shows several alerts in turn, each with its own text', async () => {
    const twoLevels = definition([single('mood', ['0', '1', '2']), single('after', ['1', '2'])], {
      id: 'levels',
      alerts: [
        {
          id: 'risk_high',
          when: "${mood} = '2'",
          title: { fr: 'Risque élevé', en: 'High risk' },
          protocol: { fr: 'Appelez tout de suite.', en: 'Call now.' },
        },
        {
          id: 'risk_moderate',
          when: "${mood} = '1' or ${mood} = '2'",
          title: { fr: 'Risque modéré', en: 'Moderate risk' },
          protocol: { fr: 'Donnez le numéro d’aide.', en: 'Give the helpline.' },
        },
      ],
    });
    const q: Questionnaire = load(twoLevels);
    const tablet = new Tablet();
    await tablet.install(twoLevels, 'levels', '1');
    const clock = handClock();
    const { session, started } = InterviewSession.start(
      q,
      respondent({ questionnaireId: 'levels' }),
      { store: tablet.store, clock },
    );
    await started;
    await session.answer('mood', '2').settled;
    expect(session.getSnapshot().pendingAlert?.title['fr']).toBe('Risque élevé');
    const id = session.current.record.id;
    await session.acknowledgeAlert(['emergency_called']);
    expect(session.getSnapshot().pendingAlert?.title['fr']).toBe('Risque modéré');

    // The second one waits across a reload too.
    tablet.reload();
    const again = await tablet.reopen(id, clock);
    expect(again.getSnapshot().pendingAlert?.id).toBe('risk_moderate');
    await again.acknowledgeAlert(['helpline_given']);
    expect(again.getSnapshot().pendingAlert).toBeUndefined();
    expect((await tablet.store.getInterview(id))?.alertEvents).toMatchObject([
      { id: 'risk_high', actions: ['emergency_called'] },
      { id: 'risk_moderate', actions: ['helpline_given'] },
    ]);
  });

  it('goes with the completed record: raised, acknowledged, and what the interviewer did', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const session = await raiseDistress(tablet, clock);
    clock.tick(30_000);
    await session.acknowledgeAlert(['contact_called', 'respondent_declined_help']);
    await interview(session, DISTRESSED);
    expect(await session.complete()).toBe(true);
    const record = await recordOf(tablet, session.current.record.id);
    expect(record.status).toBe('completed');
    expect(record.alerts).toEqual(['distress']);
    expect(record.alertEvents).toEqual([
      {
        id: 'distress',
        raisedAt: '2026-06-15T09:00:25.000Z',
        acknowledgedAt: '2026-06-15T09:00:55.000Z',
        actions: ['contact_called', 'respondent_declined_help'],
      },
    ]);
  });
});

describe('an interview stopped after consent', () => {
  it('is a broken-off record: answers up to the break, the alert never acknowledged, queued', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const session = await raiseDistress(tablet, clock);
    const id = session.current.record.id;
    expect(breaksOff(session.current.record)).toBe(true);
    clock.tick(10_000);
    await session.breakOff('respondent_unwell');

    const stored = await tablet.store.getInterview(id);
    expect(stored).toMatchObject({
      status: 'broken_off',
      breakOff: { reason: 'respondent_unwell', itemId: 'feelings', at: '2026-06-15T09:00:35.000Z' },
      endedAt: '2026-06-15T09:00:35.000Z',
    });
    expect(session.getSnapshot().pendingAlert).toBeUndefined();
    // In the outbox like any record: it leaves the tablet at the next sync.
    expect(stored !== undefined && isWaiting(stored)).toBe(true);
    expect((await waitingInterviews(tablet.store)).map((waiting) => waiting.id)).toEqual([id]);

    const record = await recordOf(tablet, id);
    expect(record).toMatchObject({
      status: 'broken_off',
      breakOff: { reason: 'respondent_unwell', itemId: 'feelings' },
      alerts: ['distress'],
      alertEvents: [
        {
          id: 'distress',
          raisedAt: '2026-06-15T09:00:25.000Z',
          acknowledgedAt: null,
          actions: [],
        },
      ],
    });
    // The answers given up to the break, and nothing after it.
    expect(Object.keys(record.answers).sort()).toEqual(
      ['activities', 'age', 'consent', 'feel_sad', 'feel_tired', 'moved_in'].sort(),
    );
    // Its answers are final.
    expect(session.answer('postcode', '59000').saved).toBeUndefined();
  });

  it('leaves the tablet at the next sync, as any record does', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    await tablet.store.putSettings({
      deviceId: 'tablet-1',
      site: 'lille',
      interviewer: 'ENQ01',
      uiLanguage: 'fr',
      practiceMode: false,
      serverUrl: 'https://smpg.test',
      deviceToken: 'dev_test',
    });
    const clock = handClock();
    const session = await raiseDistress(tablet, clock);
    await session.breakOff('respondent_stopped');
    // A server that accepts every record, has no version to offer and no plan.
    const uploaded: InterviewRecordWire[] = [];
    const transport: Transport = (url, init) => {
      const answer = (body: unknown) =>
        Promise.resolve({ status: 200, json: () => Promise.resolve(body) });
      if (init.method === 'POST' && url.endsWith('/records')) {
        const { records } = JSON.parse(init.body ?? '{}') as { records: InterviewRecordWire[] };
        uploaded.push(...records);
        return answer({ results: records.map(({ id }) => ({ id, status: 'accepted' })) });
      }
      if (url.endsWith('/questionnaires')) return answer([]);
      if (new URL(url).pathname.endsWith('/sites/lille/quota')) {
        return answer({
          site: 'lille',
          plan: null,
          counts: { completed: {}, screenedOut: {} },
          pickupPoints: [],
          at: clock.now().toISOString(),
        });
      }
      return Promise.resolve({
        status: 404,
        json: () => Promise.resolve({ error: 'not_found', message: url }),
      });
    };
    const outcome = await runSync({ store: tablet.store, cache: tablet.cache, transport });
    expect(outcome).toMatchObject({ kind: 'done', sent: 1, pending: 0 });
    expect(uploaded).toMatchObject([
      {
        id: session.current.record.id,
        status: 'broken_off',
        breakOff: { reason: 'respondent_stopped', itemId: 'feelings' },
        alertEvents: [{ id: 'distress', acknowledgedAt: null }],
      },
    ]);
    expect((await tablet.store.getInterview(session.current.record.id))?.sync?.state).toBe('sent');
  });

  it('never counts in the quotas', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const deps = { store: tablet.store, clock, quotas: { plan } };
    // One young respondent completed (the cell "18-49" holds two), one broken off.
    const done = InterviewSession.start(demo, respondent(), deps);
    await done.started;
    await interview(done.session, { ...DISTRESSED, age: 30 });
    expect(await done.session.complete()).toBe(true);
    const stopped = InterviewSession.start(demo, respondent(), deps);
    await stopped.started;
    await interview(stopped.session, { ...DISTRESSED, age: 31 }, 'activities');
    expect(stopped.session.current.record.quota?.categories).toEqual({ age: 'young' });
    await stopped.session.breakOff('interrupted');

    const all = await tablet.store.listInterviews();
    expect(all.map((record) => record.status).sort()).toEqual(['broken_off', 'completed']);
    expect(quotaRecords(all).map((counted) => counted.outcome)).toEqual(['completed']);
    expect(ownCounts(plan, all, 'ENQ01').completed['age']?.['young']).toBe(1);
    // The next young respondent still finds the cell's second place.
    const next = { ...(all[0] as InterviewRecord), id: 'next' };
    const { decision } = decideRespondent(plan, next, new Map([['age', 25]]), all);
    expect(decision.status).not.toBe('full');
  });

  it('is no break-off before consent, nor while a draft is merely left open', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const { session, started } = InterviewSession.start(demo, respondent(), {
      store: tablet.store,
      clock,
    });
    await started;
    await interview(session, { consent: '1' }, 'consent');
    expect(breaksOff(session.current.record)).toBe(false);
    await session.breakOff('other');
    expect(session.current.record.status).toBe('screening');
    await session.abandon('respondent_stopped');
    const abandoned = await tablet.store.getInterview(session.current.record.id);
    expect(abandoned?.status).toBe('abandoned');
    expect(abandoned !== undefined && isWaiting(abandoned)).toBe(false);

    // A draft past consent, the tablet closed: still a draft, not in the outbox.
    const draft = await raiseDistress(tablet, clock);
    tablet.reload();
    const reopened = await tablet.store.getInterview(draft.current.record.id);
    expect(reopened?.status).toBe('in_progress');
    expect(await waitingInterviews(tablet.store)).toEqual([]);
  });

  it('stays on the tablet when it is a practice interview', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const { session, started } = InterviewSession.start(demo, respondent({ practice: true }), {
      store: tablet.store,
      clock,
    });
    await started;
    await interview(session, DISTRESSED, 'feelings');
    await session.breakOff('respondent_stopped');
    expect(session.current.record.status).toBe('broken_off');
    expect(await waitingInterviews(tablet.store)).toEqual([]);
  });
});

describe('paradata in the record', () => {
  it('has the seconds on each item, summed over visits, and the languages in order of first use', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const { session, started } = InterviewSession.start(demo, respondent(), {
      store: tablet.store,
      clock,
    });
    await started;
    await interview(session, DISTRESSED, 'activities', clock);
    await session.setLanguage('en');
    clock.tick(7_250);
    await session.back(); // 7.25 s on "activities", then back to "moved_in"
    clock.tick(2_000);
    await session.next(); // 2 s more on "moved_in" (device-only: never sent)
    clock.tick(3_000);
    await session.setLanguage('fr');
    await session.setLanguage('en');
    await session.breakOff('respondent_stopped'); // 3 s more on "activities"

    const record = await recordOf(tablet, session.current.record.id);
    // 5 s on each screen of the walk (intro, consent, age, moved_in), as the helper ticks.
    expect(record.paradata).toEqual({
      itemSeconds: { activities: 10.3, age: 5, consent: 5, intro: 5 },
      languages: ['fr', 'en'],
    });
    // The coarsened date's item (its time would tell of it) stays on the device, as its
    // exact answer does.
    expect(record.answers['moved_in']).toBe('2015-03');
    const stored = await tablet.store.getInterview(session.current.record.id);
    expect(stored?.itemMs?.['moved_in']).toBe(7_000);
  });

  it('is read from the paradata log of a draft started before the app kept it', async () => {
    const tablet = new Tablet();
    await tablet.install(DEMO, 'demo', '1');
    const clock = handClock();
    const { session, started } = InterviewSession.start(demo, respondent(), {
      store: tablet.store,
      clock,
    });
    await started;
    await interview(session, DISTRESSED, 'activities', clock);
    await session.setLanguage('en');
    const id = session.current.record.id;
    // As an older app left it: no time per item, no languages, alerts without events.
    const stored = (await tablet.store.getInterview(id)) as InterviewRecord;
    const newer = new Set(['itemMs', 'languages', 'alertEvents']);
    const older = Object.fromEntries(
      Object.entries(stored).filter(([key]) => !newer.has(key)),
    ) as unknown as InterviewRecord;
    expect(older.itemMs).toBeUndefined();
    await tablet.store.writeInterview({
      ...older,
      alerts: [{ id: 'distress', at: stored.startedAt }],
    });
    tablet.reload();
    const again = await tablet.reopen(id, clock);
    // The alert of the older app shows again: better twice than lost.
    expect(again.getSnapshot().pendingAlert?.id).toBe('distress');
    const kept = await tablet.store.getInterview(id);
    expect(kept?.itemMs).toEqual({ intro: 5_000, consent: 5_000, age: 5_000, moved_in: 5_000 });
    expect(kept?.languages).toEqual(['en']);
  });
});
