// The interview protocol on the device, as the InterviewSession runs it over the in-memory store:
// eligibility and quotas first, every answer written as it is given, alerts, screen-outs, drafts
// resumed where they were left, practice interviews that never count, and the paradata kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Answer, Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { validateAnswer } from '../../../src/core/questionnaire/index.ts';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import type {
  NewInterview,
  SessionClock,
  SessionDeps,
} from '../../../src/app/interview/interview-session.ts';
import {
  InterviewSession,
  REVIEW,
  loadInterview,
  screenIds,
} from '../../../src/app/interview/interview-session.ts';
import { QUOTA_FULL, ownCounts } from '../../../src/app/quota/quota-session.ts';
import { QuestionnaireCache } from '../../../src/app/questionnaires/catalogue.ts';
import { MemoryInterviewStore } from '../../../src/app/storage/index.ts';
import { load } from '../../helpers/builder.ts';
import { runInterview } from '../../helpers/interview-runner.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

const DEFINITION: unknown = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8'));
const demo: Questionnaire = load(DEFINITION);
/** Two age cells (18-49 "young", 50+ "old") of two interviews each, no tolerance. */
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
    pickupPoint: 'Place de la République',
    practice: false,
    language: 'fr',
    appVersion: 'test',
    ...patch,
  };
}

/** Someone of `age` who agrees and answers the few questions the demo requires. */
function calm(age: number): Record<string, Answer> {
  return {
    consent: '1',
    age,
    moved_in: '2015-03-01',
    activities: ['shop'],
    feel_tired: '0',
    feel_sad: '0',
    postcode: '59000',
    safety: '1',
    rating: 7,
  };
}

function start(store: MemoryInterviewStore, deps: Partial<SessionDeps> = {}, init = respondent()) {
  return InterviewSession.start(demo, init, { store, clock: handClock(), ...deps }).session;
}

/**
 * Answers each screen from the script and taps Next, as an interviewer does, until the review
 * screen, the end, or the item `until`; throws if Next does not move on.
 */
async function interview(
  session: InterviewSession,
  script: Readonly<Record<string, Answer>>,
  until?: string,
): Promise<void> {
  for (;;) {
    const { q, record, state } = session.current;
    const here = record.position;
    if (here === null || here === REVIEW || here === until) return;
    if (record.status !== 'screening' && record.status !== 'in_progress') return;
    for (const id of screenIds(q, state, here)) {
      const answer = script[id];
      if (answer !== undefined)
        expect(session.answer(id, answer).validation).toEqual({ valid: true });
    }
    await session.next();
    if (session.current.record.position === here && session.current.record.status === record.status)
      throw new Error(
        `Next refused on ${here}: ${[...session.getSnapshot().errors.values()].join()}`,
      );
  }
}

/** A whole interview completed on this tablet. */
async function completed(store: MemoryInterviewStore, age: number, init = respondent()) {
  const session = start(store, { quotas: { plan } }, init);
  await interview(session, calm(age));
  expect(await session.complete()).toBe(true);
  return session;
}

describe('an interview on the tablet', () => {
  it('starts at the eligibility questions, screening, and stores every answer the moment it is given', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store);
    expect(session.current.record).toMatchObject({ status: 'screening', position: 'intro' });
    await session.next();
    const { saved } = session.answer('consent', '1');
    await saved;
    expect(await store.getAnswers(session.current.record.id)).toEqual(new Map([['consent', '1']]));
    expect(await store.getInterview(session.current.record.id)).toMatchObject({
      status: 'screening',
      position: 'consent',
      pickupPoint: 'Place de la République',
    });
  });

  it('issues the answer’s write before the engine runs, one write per answer', () => {
    const running: { session?: InterviewSession } = {};
    const seen: (Answer | undefined)[] = [];
    const store = new (class extends MemoryInterviewStore {
      override saveAnswer(
        interviewId: string,
        itemId: string,
        value: Answer | undefined,
        at: string,
      ) {
        // What the session held when the write was issued: not the answer yet.
        seen.push(running.session?.current.state.answers.get(itemId));
        return super.saveAnswer(interviewId, itemId, value, at);
      }
    })();
    const session = start(store);
    running.session = session;
    void session.next();
    const result = session.answer('consent', '1');
    expect(seen).toEqual([undefined]);
    expect(result.saved).toBeInstanceOf(Promise);
    expect(session.current.state.answers.get('consent')).toBe('1');
  });

  it('keeps an invalid value out of the store, and Next says why until it is put right', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store);
    await interview(session, { consent: '1' }, 'age');
    const refused = session.answer('age', 130);
    expect(refused.validation.valid).toBe(false);
    expect(refused.saved).toBeUndefined();
    await session.next();
    expect(session.current.record.position).toBe('age');
    expect([...session.getSnapshot().errors.keys()]).toEqual(['age']);
    await session.answer('age', 30).saved;
    expect(session.getSnapshot().errors.size).toBe(0);
    expect((await store.getAnswers(session.current.record.id)).get('age')).toBe(30);
  });

  it('accepts a respondent whose quota cell has room, records the decision, and goes on', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store, { quotas: { plan } });
    await interview(session, calm(30), 'moved_in');
    const { record } = session.current;
    expect(record).toMatchObject({
      status: 'in_progress',
      position: 'moved_in',
      quota: { categories: { age: 'young' }, status: 'accepted' },
    });
    expect(session.getSnapshot().quotaNotice).toEqual([]);
    expect((await store.getInterview(record.id))?.quota?.status).toBe('accepted');
  });

  it('turns away a respondent whose cell is full: a screen-out quota_full, counted per cell, never as data', async () => {
    const store = new MemoryInterviewStore();
    await completed(store, 25);
    await completed(store, 40);
    const session = start(store, { quotas: { plan } });
    await interview(session, calm(33));
    const { record } = session.current;
    expect(record).toMatchObject({
      status: 'screened_out',
      screenOutId: QUOTA_FULL,
      position: 'age',
      quota: { categories: { age: 'young' }, status: 'full', fullCells: ['age/young'] },
    });
    expect(record.endedAt).toBeDefined();
    expect(session.getSnapshot().view.record.status).toBe('screened_out');
    const counts = ownCounts(plan, await store.listInterviews(), 'ENQ01');
    expect(counts).toEqual({
      completed: { age: { young: 2 } },
      screenedOut: { age: { young: 1 } },
    });
    // An older respondent still has room.
    const older = start(store, { quotas: { plan } });
    await interview(older, calm(70), 'moved_in');
    expect(older.current.record.quota?.status).toBe('accepted');
  });

  it('decides on the tablet’s allocation when the plan shares cells between interviewers', async () => {
    const shared: QuotaPlan = {
      ...plan,
      allocations: [
        { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
        { interviewer: 'ENQ02', targets: { age: { young: 1, old: 1 } } },
      ],
    };
    const store = new MemoryInterviewStore();
    const first = start(store, { quotas: { plan: shared } });
    await interview(first, calm(30));
    expect(await first.complete()).toBe(true);
    // ENQ01's share of the young cell is used up, though the site's cell is not.
    const second = start(store, { quotas: { plan: shared } });
    await interview(second, calm(31));
    expect(second.current.record.quota).toMatchObject({
      status: 'full',
      fullCells: ['age/young'],
    });
    const colleague = start(
      store,
      { quotas: { plan: shared } },
      respondent({ interviewer: 'ENQ02' }),
    );
    await interview(colleague, calm(32), 'moved_in');
    expect(colleague.current.record.quota?.status).toBe('nearly_full');
  });

  it('decides on the site-wide counts when the server’s are known', async () => {
    const store = new MemoryInterviewStore();
    const at = '2026-06-15T08:00:00.000Z';
    const siteCounts = {
      completed: { age: { young: 2 } },
      screenedOut: {},
      at,
      receivedAt: at,
    };
    const session = start(store, { quotas: { plan, siteCounts } });
    await interview(session, calm(30));
    expect(session.current.record).toMatchObject({
      status: 'screened_out',
      screenOutId: QUOTA_FULL,
    });
  });

  it('counts a practice interview nowhere', async () => {
    const store = new MemoryInterviewStore();
    const practice = await completed(store, 30, respondent({ practice: true }));
    expect(practice.current.record).toMatchObject({ status: 'completed', practice: true });
    await completed(store, 30);
    expect(ownCounts(plan, await store.listInterviews(), 'ENQ01').completed).toEqual({
      age: { young: 1 },
    });
    // One real interview in a cell of two: the next respondent is accepted, the cell nearly full.
    const next = start(store, { quotas: { plan } });
    await interview(next, calm(30), 'moved_in');
    expect(next.current.record.quota?.status).toBe('nearly_full');
    expect(next.getSnapshot().quotaNotice).toEqual(['age/young']);
  });

  it('ends politely on a screen-out of the definition, with no quota decision', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store, { quotas: { plan } });
    await interview(session, { consent: '2' });
    const { record } = session.current;
    expect(record).toMatchObject({ status: 'screened_out', screenOutId: 'no_consent' });
    expect(record.quota).toBeUndefined();
    expect(await store.getInterview(record.id)).toMatchObject({
      status: 'screened_out',
      screenOutId: 'no_consent',
    });
    // Its answers are final: a tap afterwards writes nothing.
    expect(session.answer('consent', '1').saved).toBeUndefined();
    expect((await store.getAnswers(record.id)).get('consent')).toBe('2');
  });

  it('shows an end once it is stored', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store);
    await interview(session, { consent: '2' }, 'consent');
    session.answer('consent', '2');
    const ended = session.next();
    expect(session.current.record.status).toBe('screened_out');
    expect(session.getSnapshot()).toMatchObject({ ending: true });
    expect(session.getSnapshot().view.record.status).toBe('screening');
    await ended;
    expect(session.getSnapshot()).toMatchObject({ ending: false });
    expect(session.getSnapshot().view.record.status).toBe('screened_out');
  });

  it('raises an alert once: shown until acknowledged, recorded once', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store);
    await interview(session, calm(70), 'feelings');
    session.answer('feel_tired', '2');
    expect(session.getSnapshot().pendingAlert).toBeUndefined();
    await session.answer('feel_sad', '2').settled;
    expect(session.getSnapshot().pendingAlert?.id).toBe('distress');
    session.acknowledgeAlert();
    expect(session.getSnapshot().pendingAlert).toBeUndefined();
    // The score drops, then rises again: the alert is not raised a second time.
    await session.answer('feel_sad', '0').settled;
    await session.answer('feel_sad', '2').settled;
    expect(session.getSnapshot().pendingAlert).toBeUndefined();
    const id = session.current.record.id;
    expect((await store.getInterview(id))?.alerts?.map((alert) => alert.id)).toEqual(['distress']);
    const alerts = (await store.listParadata(id)).filter((event) => event.type === 'alert');
    expect(alerts.map((event) => event.detail)).toEqual(['distress']);
  });

  it('resumes a draft at its item, with every answer', async () => {
    const store = new MemoryInterviewStore();
    const cache = new QuestionnaireCache(store);
    await store.putQuestionnaire({
      questionnaireId: 'demo',
      version: '1',
      definition: DEFINITION,
      labelPacks: [],
      installedAt: '2026-06-01T00:00:00.000Z',
    });
    const first = start(store);
    const script = calm(40);
    await interview(first, script, 'feelings');
    await first.answer('feel_tired', '1').saved;
    const id = first.current.record.id;

    // The tablet restarts: the interview is read back and shown where it was left.
    const view = await loadInterview(store, cache, id);
    if (typeof view === 'string') throw new Error(view);
    expect(view.record).toMatchObject({ status: 'in_progress', position: 'feelings' });
    expect(view.state.answers).toEqual(
      new Map<string, Answer>([
        ['consent', '1'],
        ['age', 40],
        ['moved_in', '2015-03-01'],
        ['activities', ['shop']],
        ['feel_tired', '1'],
      ]),
    );
    const resumed = new InterviewSession(view, { store, clock: handClock() });
    await resumed.open();
    const events = await store.listParadata(id);
    expect(events.at(-1)).toMatchObject({ type: 'resume', itemId: 'feelings' });
    await interview(resumed, script);
    expect(await resumed.complete()).toBe(true);
    expect(await loadInterview(store, cache, '00000000-0000-4000-8000-999999999999')).toBe(
      'not_found',
    );
  });

  it('completes: status, end time and paradata written (time per item, moves, language)', async () => {
    const store = new MemoryInterviewStore();
    const clock = handClock();
    const session = start(store, { clock });
    clock.tick(4_000);
    await session.next();
    clock.tick(2_500);
    session.answer('consent', '1');
    await session.next();
    await session.setLanguage('en');
    // Messages now come in the respondent's language.
    const { state } = session.current;
    session.answer('age', 130);
    const english = validateAnswer(demo, state, 'age', 130, 'en');
    expect(english).not.toEqual(validateAnswer(demo, state, 'age', 130, 'fr'));
    expect(session.getSnapshot().errors.get('age')).toBe(
      english.valid ? undefined : english.message,
    );
    await interview(session, calm(40));
    expect(session.current.record.position).toBe(REVIEW);
    clock.tick(60_000);
    expect(await session.complete()).toBe(true);

    const id = session.current.record.id;
    const stored = await store.getInterview(id);
    expect(stored).toMatchObject({
      status: 'completed',
      language: 'en',
      startedAt: '2026-06-15T09:00:00.000Z',
      endedAt: new Date(Date.parse('2026-06-15T09:00:00.000Z') + 66_500).toISOString(),
    });
    const events = await store.listParadata(id);
    expect(events.slice(0, 5)).toMatchObject([
      { type: 'resume', itemId: 'intro' },
      { type: 'leave', itemId: 'intro', durationMs: 4_000 },
      { type: 'enter', itemId: 'consent' },
      { type: 'leave', itemId: 'consent', durationMs: 2_500 },
      { type: 'enter', itemId: 'age' },
    ]);
    expect(events.filter((event) => event.type === 'language')).toMatchObject([{ detail: 'en' }]);
    expect(events.at(-1)).toMatchObject({ type: 'status', detail: 'completed' });
    // The answers go with it, in the one row the exports read.
    expect((await store.getAnswersOfMany([id])).get(id)?.get('age')).toBe(40);
  });

  it('does not complete an interview that cannot be, and abandons one with its reason', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store);
    await interview(session, calm(40));
    await session.goTo('feelings');
    await session.answer('feel_sad', undefined).saved;
    expect(await session.complete()).toBe(false);
    expect(session.current.record.status).toBe('in_progress');
    await session.abandon('respondent_stopped');
    const stored = await store.getInterview(session.current.record.id);
    expect(stored).toMatchObject({ status: 'abandoned', abandonReason: 'respondent_stopped' });
    const events = await store.listParadata(session.current.record.id);
    expect(events.at(-1)).toMatchObject({ type: 'status', detail: 'abandoned:respondent_stopped' });
  });

  it('says when an answer could not be stored, and no more once one is', async () => {
    const store = new (class extends MemoryInterviewStore {
      failures = 1;
      override saveAnswer(
        interviewId: string,
        itemId: string,
        value: Answer | undefined,
        at: string,
      ) {
        if (this.failures > 0) {
          this.failures -= 1;
          return Promise.reject(new Error('QuotaExceededError'));
        }
        return super.saveAnswer(interviewId, itemId, value, at);
      }
    })();
    const session = start(store);
    await session.next();
    await session.answer('consent', '1').saved;
    expect(session.getSnapshot().saveFailed).toBe(true);
    const id = session.current.record.id;
    expect((await store.getAnswers(id)).has('consent')).toBe(false);
    await session.answer('consent', '1').saved;
    expect(session.getSnapshot().saveFailed).toBe(false);
    expect((await store.getAnswers(id)).get('consent')).toBe('1');
  });

  it('tells its subscribers of every change, with a new snapshot each time', async () => {
    const store = new MemoryInterviewStore();
    const session = start(store);
    const seen: unknown[] = [];
    const unsubscribe = session.subscribe(() => seen.push(session.getSnapshot()));
    const before = session.getSnapshot();
    expect(session.getSnapshot()).toBe(before);
    await session.next();
    session.answer('consent', '1');
    unsubscribe();
    await session.next();
    expect(seen).toHaveLength(2);
    expect(new Set(seen).size).toBe(2);
    expect(seen).not.toContain(before);
  });
});

describe('the tests’ interview runner', () => {
  it('drives the same session, quotas included', () => {
    const at = '2026-06-15T08:00:00.000Z';
    const full = { completed: { age: { young: 2 } }, screenedOut: {}, at, receivedAt: at };
    const accepted = runInterview(demo, calm(30), { quotas: { plan } });
    expect(accepted.step).toEqual({ kind: 'end' });
    expect(accepted.record).toMatchObject({
      status: 'completed',
      quota: { categories: { age: 'young' }, status: 'accepted' },
    });
    const turnedAway = runInterview(demo, calm(30), { quotas: { plan, siteCounts: full } });
    expect(turnedAway.step).toMatchObject({ kind: 'screened_out', screenOut: { id: QUOTA_FULL } });
    expect(turnedAway.asked).toEqual(['intro', 'consent', 'age']);
    expect(turnedAway.unusedScript).toContain('moved_in');
  });
});
