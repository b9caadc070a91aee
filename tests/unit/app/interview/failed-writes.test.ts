// Issue #23's "a write that fails is never passed over", on the in-memory store made to fail on
// demand: each kind of write (answer, move, end) failing once is retried and stored, Next and the
// end wait for it, the same choice tapped again writes it, the end checks what it stored, and a
// full storage blocks the interview until it takes writes again, with every answer kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { Answer, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import type {
  InterviewSession as Session,
  NewInterview,
} from '../../../../src/app/interview/interview-session.ts';
import {
  InterviewSession,
  REVIEW,
  fixedClock,
  loadInterview,
  screenIds,
  storageIsFull,
} from '../../../../src/app/interview/interview-session.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import type {
  InterviewRecord,
  ParadataEvent,
  WriteOptions,
} from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/index.ts';
import { load } from '../../../helpers/builder.ts';

const DEFINITION: unknown = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8'));
const demo: Questionnaire = load(DEFINITION);

/** Someone who agrees and answers the few questions the demo requires. */
const CALM: Readonly<Record<string, Answer>> = {
  consent: '1',
  age: 40,
  moved_in: '2015-03-01',
  activities: ['shop'],
  feel_tired: '0',
  feel_sad: '0',
  postcode: '59000',
  safety: '1',
  rating: 7,
};

type WriteKind = 'answer' | 'move' | 'end';

const ENDED = new Set(['completed', 'screened_out', 'abandoned', 'broken_off']);

const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/**
 * The in-memory store whose writes fail when told: the next `failNext[kind]` writes of a kind
 * reject, every write rejects while `full`, and the next `dropNext` answers are "stored" without
 * being kept (a write lost without a word).
 */
class FailingStore extends MemoryInterviewStore {
  readonly failNext: Record<WriteKind, number> = { answer: 0, move: 0, end: 0 };
  readonly failed: Record<WriteKind, number> = { answer: 0, move: 0, end: 0 };
  full = false;
  dropNext = 0;
  error: () => unknown = quotaExceeded;

  #fails(kind: WriteKind): boolean {
    if (!this.full && this.failNext[kind] === 0) return false;
    if (!this.full) this.failNext[kind] -= 1;
    this.failed[kind] += 1;
    return true;
  }

  override saveAnswer(
    interviewId: string,
    itemId: string,
    value: Answer | undefined,
    at: string,
  ): Promise<void> {
    if (this.#fails('answer')) return Promise.reject(this.error());
    if (this.dropNext > 0) {
      this.dropNext -= 1;
      return Promise.resolve();
    }
    return super.saveAnswer(interviewId, itemId, value, at);
  }

  override writeInterview(
    record: InterviewRecord,
    events?: readonly ParadataEvent[],
    options?: WriteOptions,
  ): Promise<void> {
    if (this.#fails(ENDED.has(record.status) ? 'end' : 'move')) return Promise.reject(this.error());
    return super.writeInterview(record, events, options);
  }

  override updateInterview(
    id: string,
    patch: Partial<Omit<InterviewRecord, 'id'>>,
    events?: readonly ParadataEvent[],
  ): Promise<void> {
    if (this.#fails('move')) return Promise.reject(this.error());
    return super.updateInterview(id, patch, events);
  }
}

let serial = 0;
function respondent(): NewInterview {
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
    appVersion: 'test',
  };
}

/** A session over `store` whose automatic retries come after `retryDelaysMs`. */
async function started(store: FailingStore, retryDelaysMs: readonly number[] = [1]) {
  await store.putQuestionnaire({
    questionnaireId: 'demo',
    version: '1',
    definition: DEFINITION,
    labelPacks: [],
    installedAt: '2026-06-01T00:00:00.000Z',
  });
  const start = InterviewSession.start(demo, respondent(), {
    store,
    clock: fixedClock('2026-06-15T09:00:00.000Z'),
    retryDelaysMs,
  });
  await start.started;
  return start.session;
}

/** Answers each screen from CALM and taps Next until `until` (or the review). */
async function walk(session: Session, until: string = REVIEW): Promise<void> {
  for (let guard = 0; guard < 50; guard++) {
    const { q, record, state } = session.current;
    const here = record.position;
    if (here === null || here === REVIEW || here === until) return;
    for (const id of screenIds(q, state, here)) {
      const answer = CALM[id];
      if (answer !== undefined) await session.answer(id, answer).saved;
    }
    await session.next();
    if (session.current.record.position === here) throw new Error(`Next refused on ${here}`);
  }
  throw new Error('the walk does not end');
}

/** Waits until nothing is left unsaved. */
async function allStored(session: Session): Promise<void> {
  await vi.waitFor(() => expect(session.getSnapshot().unsaved).toBeUndefined());
}

const idOf = (session: Session) => session.current.record.id;

describe('a write that fails', () => {
  it('says when an answer is not stored, refuses Next until it is, and retries it by itself', async () => {
    const store = new FailingStore();
    const session = await started(store, [20]);
    await walk(session, 'consent');
    store.failNext.answer = 1;
    await session.answer('consent', '1').saved;
    // The choice is the session's (the screen shows it ticked), not the store's.
    expect(session.current.state.answers.get('consent')).toBe('1');
    expect(session.getSnapshot().unsaved).toMatchObject({
      storageFull: true,
      answers: ['consent'],
      progress: false,
      end: false,
      refused: false,
    });
    expect(session.getSnapshot().saveFailed).toBe(true);
    expect((await store.getAnswers(idOf(session))).has('consent')).toBe(false);
    // Next does not pass over it: it stays, says why, and writes the answer again at once.
    const refused = session.next();
    expect(session.current.record.position).toBe('consent');
    expect(session.getSnapshot().unsaved?.refused).toBe(true);
    await refused;
    expect(session.current.record.position).toBe('consent');
    expect((await store.getAnswers(idOf(session))).get('consent')).toBe('1');
    expect(session.getSnapshot().unsaved).toBeUndefined();
    await session.next();
    expect(session.current.record.position).toBe('age');
  });

  it('is retried automatically, with a backoff, until it is stored', async () => {
    const store = new FailingStore();
    store.error = () => new Error('disk I/O error');
    const session = await started(store, [1, 5]);
    await walk(session, 'consent');
    store.failNext.answer = 3;
    await session.answer('consent', '1').saved;
    expect(session.getSnapshot().unsaved).toMatchObject({ storageFull: false });
    await allStored(session);
    expect(store.failed.answer).toBe(3);
    expect((await store.getAnswers(idOf(session))).get('consent')).toBe('1');
    expect(session.getSnapshot().saveFailed).toBe(false);
  });

  it('is written again when the same choice is tapped again', async () => {
    const store = new FailingStore();
    // No automatic retry during the test: only the tap writes it.
    const session = await started(store, [60_000]);
    await walk(session, 'consent');
    store.failNext.answer = 1;
    await session.answer('consent', '1').saved;
    expect(session.getSnapshot().unsaved?.answers).toEqual(['consent']);
    const again = session.answer('consent', '1');
    expect(again.saved).toBeInstanceOf(Promise);
    await again.saved;
    expect((await store.getAnswers(idOf(session))).get('consent')).toBe('1');
    expect(session.getSnapshot().unsaved).toBeUndefined();
    // Stored, the same choice again writes nothing.
    const writes = vi.spyOn(store, 'saveAnswer');
    await session.answer('consent', '1').saved;
    expect(writes).not.toHaveBeenCalled();
  });

  it('of a move is retried, and blocks moving on until the position is stored', async () => {
    const store = new FailingStore();
    const session = await started(store, [60_000]);
    await walk(session, 'consent');
    await session.answer('consent', '1').saved;
    store.failNext.move = 1;
    await session.next();
    // The next question shows at once; its position is not stored.
    expect(session.current.record.position).toBe('age');
    expect(session.getSnapshot().unsaved).toMatchObject({ progress: true, answers: [] });
    expect((await store.getInterview(idOf(session)))?.position).toBe('consent');
    await session.answer('age', 40).saved;
    await session.next();
    expect(session.current.record.position).toBe('age');
    expect(session.getSnapshot().unsaved).toBeUndefined();
    const stored = await store.getInterview(idOf(session));
    expect(stored?.position).toBe('age');
    // The move's paradata went with the retry.
    const moves = (await store.listParadata(idOf(session))).filter(
      (event) => event.type === 'enter' && event.itemId === 'age',
    );
    expect(moves).toHaveLength(1);
    await session.next();
    expect(session.current.record.position).not.toBe('age');
  });

  it('of the end is retried: the interview ends once the end is stored, with every answer', async () => {
    const store = new FailingStore();
    const session = await started(store, [300]);
    await walk(session);
    store.failNext.end = 1;
    const ended = session.complete();
    await vi.waitFor(() => expect(session.getSnapshot().unsaved?.end).toBe(true), {
      interval: 5,
    });
    expect(store.failed.end).toBe(1);
    // Not shown ended while the store has it under way.
    expect(session.getSnapshot().view.record.status).toBe('in_progress');
    expect(session.getSnapshot().ending).toBe(true);
    expect((await store.getInterview(idOf(session)))?.status).toBe('in_progress');
    expect(await ended).toBe(true);
    expect(session.getSnapshot().view.record.status).toBe('completed');
    expect(session.getSnapshot().unsaved).toBeUndefined();
    expect((await store.getInterview(idOf(session)))?.status).toBe('completed');
    const kept = (await store.getAnswersOfMany([idOf(session)])).get(idOf(session));
    expect(kept).toEqual(session.current.state.answers);
    const statuses = (await store.listParadata(idOf(session))).filter(
      (event) => event.type === 'status',
    );
    expect(statuses.map((event) => event.detail)).toEqual(['completed']);
  });

  it('refuses the end while an answer is not stored', async () => {
    const store = new FailingStore();
    const session = await started(store, [60_000]);
    await walk(session);
    store.failNext.answer = 1;
    await session.answer('rating', 8).saved;
    const refused = session.complete();
    expect(session.getSnapshot().unsaved).toMatchObject({ answers: ['rating'], refused: true });
    expect(await refused).toBe(false);
    expect(session.current.record.status).toBe('in_progress');
    await allStored(session);
    expect(await session.complete()).toBe(true);
    const kept = (await store.getAnswersOfMany([idOf(session)])).get(idOf(session));
    expect(kept?.get('rating')).toBe(8);
  });

  it('checks at the end that what is stored is what the review showed', async () => {
    const store = new FailingStore();
    const session = await started(store);
    await walk(session, 'rating');
    // The store says it kept the answer, and did not.
    store.dropNext = 1;
    await session.answer('rating', 9).saved;
    expect(session.getSnapshot().unsaved).toBeUndefined();
    await session.next();
    await walk(session);
    expect(session.current.record.position).toBe(REVIEW);
    expect((await store.getAnswers(idOf(session))).has('rating')).toBe(false);
    expect(await session.complete()).toBe(true);
    const kept = (await store.getAnswersOfMany([idOf(session)])).get(idOf(session));
    expect(kept?.get('rating')).toBe(9);
    expect(kept).toEqual(session.current.state.answers);
  });

  it('keeps what is given while the storage is full, blocks the interview, and stores it all once there is room', async () => {
    const store = new FailingStore();
    const session = await started(store, [1, 2, 5]);
    await walk(session, 'moved_in');
    store.full = true;
    await session.answer('moved_in', '2015-03-01').saved;
    await session.answer('moved_in', '2016-04-02').saved;
    expect(session.getSnapshot().unsaved).toMatchObject({
      storageFull: true,
      answers: ['moved_in'],
    });
    await session.next();
    expect(session.current.record.position).toBe('moved_in');
    // Going back is no move past anything: the answers given there are kept too.
    await session.back();
    expect(session.current.record.position).toBe('age');
    await session.answer('age', 41).saved;
    expect(session.getSnapshot().unsaved).toMatchObject({
      storageFull: true,
      answers: ['moved_in', 'age'],
      progress: true,
    });
    await session.next();
    expect(session.current.record.position).toBe('age');
    // It keeps trying while full.
    const tries = store.failed.answer;
    await vi.waitFor(() => expect(store.failed.answer).toBeGreaterThan(tries + 2));
    expect(session.getSnapshot().unsaved?.storageFull).toBe(true);

    // Room again: everything given is written by the next automatic retry.
    store.full = false;
    await allStored(session);
    const answers = await store.getAnswers(idOf(session));
    expect(answers.get('age')).toBe(41);
    expect(answers.get('moved_in')).toBe('2016-04-02');
    expect((await store.getInterview(idOf(session)))?.position).toBe('age');
    // A reload now finds them all.
    const view = await loadInterview(store, new QuestionnaireCache(store), idOf(session));
    if (typeof view === 'string') throw new Error(view);
    expect(view.state.answers).toEqual(session.current.state.answers);
    await session.next();
    expect(session.current.record.position).toBe('moved_in');
  });

  it('stores the answers left unsaved before a break-off ends the interview', async () => {
    const store = new FailingStore();
    const session = await started(store, [5]);
    await walk(session, 'activities');
    store.failNext.answer = 2;
    await session.answer('activities', ['shop']).saved;
    await session.breakOff('respondent_stopped');
    expect((await store.getInterview(idOf(session)))?.status).toBe('broken_off');
    expect((await store.getAnswers(idOf(session))).get('activities')).toEqual(['shop']);
    expect(session.getSnapshot().unsaved).toBeUndefined();
  });
});

describe('storageIsFull', () => {
  it('knows a full storage by its name, its inner error or its message', () => {
    expect(storageIsFull(quotaExceeded())).toBe(true);
    // Dexie wraps the browser's error.
    expect(storageIsFull({ name: 'AbortError', message: 'aborted', inner: quotaExceeded() })).toBe(
      true,
    );
    expect(storageIsFull(new Error('write failed', { cause: quotaExceeded() }))).toBe(true);
    // Chromium, the disk itself full.
    expect(
      storageIsFull(
        new DOMException(
          'Connection is closing because of: IO error: 000003.log: FILE_ERROR_NO_SPACE',
          'UnknownError',
        ),
      ),
    ).toBe(true);
    // Chromium again, seen with the profile on a full disk: a row's key refused, then the database
    // Dexie reopens refused.
    expect(
      storageIsFull(new DOMException('Maximum key generator value reached.', 'ConstraintError')),
    ).toBe(true);
    expect(
      storageIsFull(
        new DOMException(
          'Internal error opening backing store for indexedDB.open.',
          'UnknownError',
        ),
      ),
    ).toBe(true);
    expect(storageIsFull(new DOMException('Key already exists', 'ConstraintError'))).toBe(false);
    expect(storageIsFull(new Error('disk I/O error'))).toBe(false);
    expect(storageIsFull(new DOMException('closing', 'InvalidStateError'))).toBe(false);
    expect(storageIsFull(undefined)).toBe(false);
  });
});
