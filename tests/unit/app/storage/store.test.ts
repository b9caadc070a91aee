// Runs the InterviewStore contract on both stores: the Dexie one on a fresh fake IndexedDB per
// test (no global state shared between tests), and the in-memory one.
import { IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { DONT_KNOW } from '../../../../src/core/questionnaire/index.ts';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import {
  DexieInterviewStore,
  MemoryInterviewStore,
  SmpgDatabase,
  openDeviceStore,
} from '../../../../src/app/storage/index.ts';
import { describeInterviewStore, interview } from './store-contract.ts';
import { testVault } from './test-vault.ts';
import { plain } from './plain-tables.ts';

const opened: SmpgDatabase[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

function freshDatabase(name = 'smpg-collect-test'): SmpgDatabase {
  const db = new SmpgDatabase(name, { indexedDB: new IDBFactory(), IDBKeyRange });
  opened.push(db);
  return db;
}

describeInterviewStore('Dexie on fake-indexeddb', () =>
  Promise.resolve(new DexieInterviewStore(freshDatabase())),
);

// Answers and interview updates go straight to IndexedDB once Dexie has the database open (as in
// the app, which opens it at start); before that, through Dexie. Both ways keep the contract.
describeInterviewStore('Dexie on fake-indexeddb, opened first', async () => {
  const db = freshDatabase();
  await db.open();
  return new DexieInterviewStore(db);
});

// As the app runs it: every record sealed by the tablet's key.
describeInterviewStore('Dexie on fake-indexeddb, sealed', async () => {
  const db = freshDatabase();
  await db.open();
  return new DexieInterviewStore(db, await testVault());
});

describeInterviewStore('in memory', () => Promise.resolve(new MemoryInterviewStore()));

describe('Dexie store specifics', () => {
  it('opens the current schema, version 6, with strict durability', async () => {
    const { db, store } = await openDeviceStore('smpg-open-test', {
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    opened.push(db);
    expect(db.isOpen()).toBe(true);
    expect(db.verno).toBe(6);
    expect(db.name).toBe('smpg-open-test');
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'anonymisedAnswers',
      'answers',
      'compiled',
      'finishedAnswers',
      'interviews',
      'paradata',
      'questionnaires',
      'settings',
      'vault',
    ]);
    expect(db.interviews.schema.indexes.map((index) => index.name).sort()).toEqual([
      'status',
      'updatedAt',
    ]);
    await store.createInterview(interview('i-1'));
    expect(await store.getInterview('i-1')).toEqual(interview('i-1'));
  });

  it('stores an answer as one row with its time, under its own key', async () => {
    const db = freshDatabase();
    const store = new DexieInterviewStore(db);
    await store.saveAnswer('i-1', 'q1', ['1', '3'], '2026-03-02T09:05:00.000Z');
    expect(await db.answers.toArray()).toEqual([
      {
        interviewId: 'i-1',
        itemId: 'q1',
        value: ['1', '3'],
        answeredAt: '2026-03-02T09:05:00.000Z',
      },
    ]);
    expect(await db.answers.get(['i-1', 'q1'])).toBeDefined();
    expect(await db.interviews.count()).toBe(0);
    expect(await db.paradata.count()).toBe(0);
  });

  it('numbers paradata rows in the order they were logged', async () => {
    const db = freshDatabase();
    const store = new DexieInterviewStore(db);
    await store.createInterview(interview('i-1'));
    await store.updateInterview('i-1', {}, [
      { interviewId: 'i-1', at: '2026-03-02T09:00:00.000Z', type: 'enter', itemId: 'q1' },
      { interviewId: 'i-1', at: '2026-03-02T09:00:05.000Z', type: 'leave', itemId: 'q1' },
    ]);
    const rows = await plain(db).paradata.toArray();
    expect(rows.map((row) => row.type)).toEqual(['enter', 'leave']);
    const [first, second] = rows;
    expect(first !== undefined && second !== undefined && first.seq < second.seq).toBe(true);
  });

  it('keeps the settings in one row keyed "device"', async () => {
    const db = freshDatabase();
    const store = new DexieInterviewStore(db);
    const settings = {
      deviceId: 'device-1',
      site: 'lille',
      interviewer: 'INT07',
      uiLanguage: 'fr',
      practiceMode: false,
    } as const;
    await store.putSettings(settings);
    await store.putSettings({ ...settings, site: 'paris' });
    expect(await db.settings.toArray()).toEqual([{ ...settings, site: 'paris', key: 'device' }]);
  });
});

describe('Dexie store: a finished interview’s answers in one row', () => {
  const AT = '2026-03-02T09:30:00.000Z';
  const given: [string, Answer][] = [
    ['q2', ['1', '4']],
    ['q1', 'oui'],
    ['q10', DONT_KNOW],
  ];
  /** The row the end must write: the answers in key order (item ids as IndexedDB sorts them). */
  const row = (interviewId: string) => ({
    interviewId,
    itemIds: ['q1', 'q10', 'q2'],
    values: ['oui', DONT_KNOW, ['1', '4']],
  });

  /** A store on a fresh database (opened first, as in the app, or left for Dexie to open). */
  async function deviceWith(
    openFirst: boolean,
  ): Promise<{ db: SmpgDatabase; store: DexieInterviewStore; record: InterviewRecord }> {
    const db = freshDatabase();
    if (openFirst) await db.open();
    const store = new DexieInterviewStore(db);
    const record = interview('i-1', { status: 'in_progress', position: 'q10' });
    await store.createInterview(record);
    for (const [itemId, value] of given) await store.saveAnswer('i-1', itemId, value, AT);
    return { db, store, record };
  }

  /** The transactions each object store was written in, while `run` runs. */
  async function writesOf(run: () => Promise<void>): Promise<Map<string, Set<unknown>>> {
    const seen = new Map<string, Set<unknown>>();
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const transactions = seen.get(this.name) ?? new Set<unknown>();
      transactions.add(this.transaction);
      seen.set(this.name, transactions);
      return put.apply(this, args);
    });
    await run();
    vi.restoreAllMocks();
    return seen;
  }

  for (const openFirst of [true, false]) {
    const how = openFirst ? 'straight to IndexedDB' : 'through Dexie';
    it(`writeInterview ending the interview writes the row in its own transaction (${how})`, async () => {
      const { db, store, record } = await deviceWith(openFirst);
      // A move writes no row.
      await store.writeInterview({ ...record, position: 'q2' }, [], { relaxed: true });
      expect(await db.finishedAnswers.count()).toBe(0);
      const writes = await writesOf(() =>
        store.writeInterview({ ...record, status: 'completed', endedAt: AT }, [
          { interviewId: 'i-1', at: AT, type: 'status', detail: 'completed' },
        ]),
      );
      const [end, ...others] = writes.get('interviews') ?? [];
      expect(end).toBeDefined();
      expect(others).toEqual([]);
      expect([...(writes.get('finishedAnswers') ?? [])]).toEqual([end]);
      expect(await db.finishedAnswers.toArray()).toEqual([row('i-1')]);
      // The answer rows are left as they were: the row is a copy.
      expect(await db.answers.count()).toBe(given.length);
    });

    it(`updateInterview with a status keeps the row in step in its own transaction (${how})`, async () => {
      const { db, store } = await deviceWith(openFirst);
      const writes = await writesOf(() =>
        store.updateInterview('i-1', { status: 'screened_out', screenOutId: 'under_18' }),
      );
      expect([...(writes.get('finishedAnswers') ?? [])]).toEqual([
        ...(writes.get('interviews') ?? []),
      ]);
      expect(await db.finishedAnswers.get('i-1')).toEqual(row('i-1'));
      // A change without a status (sync's) leaves the row alone.
      await plain(db).finishedAnswers.put({ ...row('i-1'), values: ['changed', DONT_KNOW, []] });
      await store.updateInterview('i-1', { sync: { state: 'sent', attempts: 1 } });
      expect((await plain(db).finishedAnswers.get('i-1'))?.values[0]).toBe('changed');
      await store.updateInterview('i-1', { status: 'abandoned', abandonReason: 'test' });
      expect(await db.finishedAnswers.count()).toBe(0);
    });

    it(`writes neither the end nor the row when the row cannot be written (${how})`, async () => {
      const { db, store, record } = await deviceWith(openFirst);
      const put = IDBObjectStore.prototype.put;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
        this: IDBObjectStore,
        ...args: Parameters<IDBObjectStore['put']>
      ) {
        if (this.name === 'finishedAnswers')
          throw new DOMException('disk full', 'QuotaExceededError');
        return put.apply(this, args);
      });
      await expect(
        store.writeInterview({ ...record, status: 'completed', endedAt: AT }, [
          { interviewId: 'i-1', at: AT, type: 'status', detail: 'completed' },
        ]),
      ).rejects.toThrow();
      await expect(store.updateInterview('i-1', { status: 'screened_out' })).rejects.toThrow();
      vi.restoreAllMocks();
      expect(await store.getInterview('i-1')).toEqual(record);
      expect(await store.listParadata('i-1')).toEqual([]);
      expect(await db.finishedAnswers.count()).toBe(0);
    });
  }

  it('bulk reads take the row, and the answer rows of an interview without one', async () => {
    const { db, store, record } = await deviceWith(true);
    await store.writeInterview({ ...record, status: 'completed', endedAt: AT });
    await store.createInterview(interview('i-2', { status: 'completed' }));
    await store.saveAnswer('i-2', 'q1', 'non', AT);
    // Proof that the row is what is read: a row changed behind the store's back is what comes.
    await plain(db).finishedAnswers.put({
      interviewId: 'i-1',
      itemIds: ['q1'],
      values: ['from the row'],
    });
    const read = await store.getAnswersOfMany(['i-1', 'i-2']);
    expect(read.get('i-1')).toEqual(new Map([['q1', 'from the row']]));
    expect(read.get('i-2')).toEqual(new Map([['q1', 'non']]));
    // getAnswers (one interview, under way or not) reads the answer rows.
    expect(await store.getAnswers('i-1')).toEqual(new Map(given));
    // Without its row (it should not happen after the upgrade), nothing is lost: the rows.
    await db.finishedAnswers.delete('i-1');
    expect((await store.getAnswersOfMany(['i-1'])).get('i-1')).toEqual(new Map(given));
  });
});
