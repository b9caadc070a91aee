// Runs the InterviewStore contract on both stores: the Dexie one on a fresh fake IndexedDB per
// test (no global state shared between tests), and the in-memory one.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DexieInterviewStore,
  MemoryInterviewStore,
  SmpgDatabase,
  openDeviceStore,
} from '../../../../src/app/storage/index.ts';
import { describeInterviewStore, interview } from './store-contract.ts';

const opened: SmpgDatabase[] = [];

afterEach(() => {
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

describeInterviewStore('in memory', () => Promise.resolve(new MemoryInterviewStore()));

describe('Dexie store specifics', () => {
  it('opens the current schema, version 3, with strict durability', async () => {
    const { db, store } = await openDeviceStore('smpg-open-test', {
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    opened.push(db);
    expect(db.isOpen()).toBe(true);
    expect(db.verno).toBe(3);
    expect(db.name).toBe('smpg-open-test');
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'answers',
      'compiled',
      'interviews',
      'paradata',
      'questionnaires',
      'settings',
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
    const rows = await db.paradata.toArray();
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
      helpline: '',
    } as const;
    await store.putSettings(settings);
    await store.putSettings({ ...settings, site: 'paris' });
    expect(await db.settings.toArray()).toEqual([{ ...settings, site: 'paris', key: 'device' }]);
  });
});
