// A device still on an older database (the first release's version 1, version 3 or version 4)
// must find every record after the app updates: build the old database, fill it, close it, reopen
// it with the current code.
import Dexie from 'dexie';
import type { EntityTable, Table } from 'dexie';
import { IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../../../src/core/questionnaire/index.ts';
import type {
  AnswerRecord,
  InterviewRecord,
  InterviewStatus,
} from '../../../../src/app/storage/index.ts';
import { DexieInterviewStore, SmpgDatabase } from '../../../../src/app/storage/index.ts';
import {
  SCHEMA_V1,
  SCHEMA_V3,
  SCHEMA_V4,
  SCHEMA_V5,
  UPGRADE_V4_CHUNK,
} from '../../../../src/app/storage/dexie-schema.ts';
import type {
  AnswerRowV1,
  InterviewRowV1,
  ParadataRowV1,
  QuestionnaireRowV1,
  SettingsRowV1,
  SettingsRowV4,
} from '../../../../src/app/storage/dexie-schema.ts';
import { alertContacts, withSiteSettings } from '../../../../src/app/site-settings.ts';
import { plain } from './plain-tables.ts';

const NAME = 'smpg-collect';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Version 1 exactly as the first release declared it: a copy, so an edit to the real one shows. */
const V1_STORES = {
  interviews: 'id, updatedAt, state',
  answers: '[interviewId+itemId]',
  paradata: '++seq, interviewId',
  questionnaires: '[questionnaireId+version]',
  settings: 'key',
};

class FirstReleaseDatabase extends Dexie {
  declare readonly interviews: EntityTable<InterviewRowV1, 'id'>;
  declare readonly answers: Table<AnswerRowV1, [string, string]>;
  declare readonly paradata: EntityTable<ParadataRowV1, 'seq'>;
  declare readonly questionnaires: Table<QuestionnaireRowV1, [string, string]>;
  declare readonly settings: EntityTable<SettingsRowV1, 'key'>;

  constructor(indexedDB: IDBFactory) {
    super(NAME, { indexedDB, IDBKeyRange });
    this.version(1).stores(V1_STORES);
  }
}

const started: InterviewRowV1 = {
  id: 'i-started',
  questionnaireId: 'smpg',
  questionnaireVersion: '2025.2',
  site: 'lille',
  interviewer: 'INT07',
  deviceId: 'device-1',
  state: 'in_progress',
  position: 'q10',
  language: 'fr',
  appVersion: '0.0.9',
  startedAt: '2025-11-03T09:00:00.000Z',
  updatedAt: '2025-11-03T09:12:00.000Z',
};

const finished: InterviewRowV1 = {
  ...started,
  id: 'i-finished',
  state: 'completed',
  position: 'review',
  language: 'en',
  updatedAt: '2025-11-02T15:40:00.000Z',
  endedAt: '2025-11-02T15:40:00.000Z',
};

const screenedOut: InterviewRowV1 = {
  ...started,
  id: 'i-screened-out',
  state: 'screened_out',
  position: 'q2',
  updatedAt: '2025-11-01T10:03:00.000Z',
  endedAt: '2025-11-01T10:03:00.000Z',
  screenOutId: 'under_18',
};

const v1Answers: AnswerRowV1[] = [
  { interviewId: 'i-started', itemId: 'q1', value: '2' },
  { interviewId: 'i-started', itemId: 'q10', value: 34 },
  { interviewId: 'i-finished', itemId: 'q1', value: ['1', '4'] },
  { interviewId: 'i-finished', itemId: 'q2', value: REFUSED },
  { interviewId: 'i-gone', itemId: 'q1', value: 'orphan' },
];

const v1Paradata: Omit<ParadataRowV1, 'seq'>[] = [
  { interviewId: 'i-started', at: '2025-11-03T09:00:00.000Z', type: 'enter', itemId: 'q1' },
  {
    interviewId: 'i-started',
    at: '2025-11-03T09:00:20.000Z',
    type: 'leave',
    itemId: 'q1',
    ms: 20000,
  },
  { interviewId: 'i-finished', at: '2025-11-02T15:00:00.000Z', type: 'language', detail: 'en' },
  { interviewId: 'i-started', at: '2025-11-03T09:00:20.000Z', type: 'enter', itemId: 'q10' },
];

const v1Questionnaire: QuestionnaireRowV1 = {
  questionnaireId: 'smpg',
  version: '2025.2',
  definition: { id: 'smpg', version: '2025.2', sections: [] },
  installedAt: '2025-10-20T08:00:00.000Z',
};

const v1Settings: SettingsRowV1 = {
  key: 'device',
  deviceId: 'device-1',
  site: 'lille',
  interviewer: 'INT07',
  uiLanguage: 'fr',
};

/** A fake IndexedDB holding a filled version 1 database, closed as the old app leaves it. */
async function firstReleaseDevice(): Promise<IDBFactory> {
  const indexedDB = new IDBFactory();
  const old = new FirstReleaseDatabase(indexedDB);
  await old.transaction(
    'rw',
    [old.interviews, old.answers, old.paradata, old.questionnaires, old.settings],
    async () => {
      await old.interviews.bulkAdd([started, finished, screenedOut]);
      await old.answers.bulkAdd(v1Answers);
      await old.paradata.bulkAdd(v1Paradata);
      await old.questionnaires.add(v1Questionnaire);
      await old.settings.add(v1Settings);
    },
  );
  expect(old.verno).toBe(1);
  old.close();
  return indexedDB;
}

async function upgradedDevice(): Promise<{ db: SmpgDatabase; store: DexieInterviewStore }> {
  const db = new SmpgDatabase(NAME, { indexedDB: await firstReleaseDevice(), IDBKeyRange });
  await db.open();
  return { db, store: new DexieInterviewStore(db) };
}

describe('upgrade from version 1', () => {
  it('the version 1 declared in the app is still the one the first release shipped', () => {
    expect(SCHEMA_V1).toEqual(V1_STORES);
  });

  it('opens at version 6 with the status index in place of the state index', async () => {
    const { db } = await upgradedDevice();
    try {
      expect(db.verno).toBe(6);
      // Version 3 only adds the compiled questionnaires' cache, empty until the app fills it.
      expect(await db.compiled.count()).toBe(0);
      expect(db.interviews.schema.indexes.map((index) => index.name).sort()).toEqual([
        'status',
        'updatedAt',
      ]);
      const inProgress = await db.interviews.where('status').equals('in_progress').primaryKeys();
      expect(inProgress).toEqual(['i-started']);
    } finally {
      db.close();
    }
  });

  it('renames state to status and marks old interviews as real (not practice)', async () => {
    const { db, store } = await upgradedDevice();
    try {
      const { state: startedState, ...startedRest } = started;
      expect(await store.getInterview('i-started')).toEqual({
        ...startedRest,
        status: startedState,
        practice: false,
      });
      const { state: screenedState, ...screenedRest } = screenedOut;
      expect(await store.getInterview('i-screened-out')).toEqual({
        ...screenedRest,
        status: screenedState,
        practice: false,
      });
      expect((await store.listInterviews()).map((record) => [record.id, record.status])).toEqual([
        ['i-started', 'in_progress'],
        ['i-finished', 'completed'],
        ['i-screened-out', 'screened_out'],
      ]);
      const raw = await db.interviews.toArray();
      expect(raw.filter((row) => 'state' in row)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("keeps every answer and dates it at its interview's last update", async () => {
    const before = new Date().toISOString();
    const { db, store } = await upgradedDevice();
    try {
      expect(await store.getAnswers('i-started')).toEqual(
        new Map<string, unknown>([
          ['q1', '2'],
          ['q10', 34],
        ]),
      );
      expect(await store.getAnswers('i-finished')).toEqual(
        new Map<string, unknown>([
          ['q1', ['1', '4']],
          ['q2', REFUSED],
        ]),
      );
      expect(await db.answers.get(['i-started', 'q10'])).toEqual({
        interviewId: 'i-started',
        itemId: 'q10',
        value: 34,
        answeredAt: started.updatedAt,
      });
      expect((await plain(db).answers.get(['i-finished', 'q2']))?.answeredAt).toBe(
        finished.updatedAt,
      );
      // An answer whose interview is gone is kept, dated at the upgrade.
      const orphan = await plain(db).answers.get(['i-gone', 'q1']);
      expect(orphan?.value).toBe('orphan');
      expect((orphan?.answeredAt ?? '') >= before).toBe(true);
      expect(await db.answers.count()).toBe(v1Answers.length);
    } finally {
      db.close();
    }
  });

  it('copies the answers of the finished interviews into one row each (version 4)', async () => {
    const { db, store } = await upgradedDevice();
    try {
      expect(await db.finishedAnswers.toArray()).toEqual([
        { interviewId: 'i-finished', itemIds: ['q1', 'q2'], values: [['1', '4'], REFUSED] },
        { interviewId: 'i-screened-out', itemIds: [], values: [] },
      ]);
      const read = await store.getAnswersOfMany(['i-finished', 'i-screened-out', 'i-started']);
      for (const id of ['i-finished', 'i-screened-out', 'i-started'])
        expect(read.get(id)).toEqual(await store.getAnswers(id));
    } finally {
      db.close();
    }
  });

  it('keeps paradata in order and renames ms to durationMs', async () => {
    const { db, store } = await upgradedDevice();
    try {
      expect(await store.listParadata('i-started')).toEqual([
        { interviewId: 'i-started', at: '2025-11-03T09:00:00.000Z', type: 'enter', itemId: 'q1' },
        {
          interviewId: 'i-started',
          at: '2025-11-03T09:00:20.000Z',
          type: 'leave',
          itemId: 'q1',
          durationMs: 20000,
        },
        { interviewId: 'i-started', at: '2025-11-03T09:00:20.000Z', type: 'enter', itemId: 'q10' },
      ]);
      expect(await store.listParadata('i-finished')).toEqual([
        {
          interviewId: 'i-finished',
          at: '2025-11-02T15:00:00.000Z',
          type: 'language',
          detail: 'en',
        },
      ]);
      const raw = await db.paradata.toArray();
      expect(raw.map((row) => row.seq)).toEqual([1, 2, 3, 4]);
      expect(raw.filter((row) => 'ms' in row)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('gives old questionnaires empty label packs and old settings the new fields', async () => {
    const { db, store } = await upgradedDevice();
    try {
      expect(await store.getQuestionnaire('smpg', '2025.2')).toEqual({
        ...v1Questionnaire,
        labelPacks: [],
      });
      expect(await store.listQuestionnaires()).toHaveLength(1);
      const { key, ...settings } = v1Settings;
      expect(key).toBe('device');
      // Version 2 gave them an empty helpline; version 5 drops it (no server: the national one).
      expect(await store.getSettings()).toEqual({ ...settings, practiceMode: false });
    } finally {
      db.close();
    }
  });

  it('goes on working after the upgrade: new answers and updates land next to the old ones', async () => {
    const { db, store } = await upgradedDevice();
    try {
      await store.saveAnswer('i-started', 'q11', 'oui', '2026-03-02T09:00:00.000Z');
      await store.updateInterview('i-started', { status: 'completed', practice: false }, [
        { interviewId: 'i-started', at: '2026-03-02T09:01:00.000Z', type: 'status' },
      ]);
      expect(await store.getAnswers('i-started')).toEqual(
        new Map<string, unknown>([
          ['q1', '2'],
          ['q10', 34],
          ['q11', 'oui'],
        ]),
      );
      expect((await store.getInterview('i-started'))?.status).toBe('completed');
      expect(await db.finishedAnswers.get('i-started')).toEqual({
        interviewId: 'i-started',
        itemIds: ['q1', 'q10', 'q11'],
        values: ['2', 34, 'oui'],
      });
      expect((await store.listParadata('i-started')).map((event) => event.type)).toEqual([
        'enter',
        'leave',
        'enter',
        'status',
      ]);
    } finally {
      db.close();
    }
  });
});

/** Version 3 exactly as it shipped: a copy, so an edit to the real one shows. */
const V3_STORES = {
  interviews: 'id, updatedAt, status',
  answers: '[interviewId+itemId]',
  paradata: '++seq, interviewId',
  questionnaires: '[questionnaireId+version]',
  settings: 'key',
  compiled: '[questionnaireId+version]',
};

class VersionThreeDatabase extends Dexie {
  declare readonly interviews: EntityTable<InterviewRecord, 'id'>;
  declare readonly answers: Table<AnswerRecord, [string, string]>;

  constructor(indexedDB: IDBFactory) {
    super(NAME, { indexedDB, IDBKeyRange });
    this.version(3).stores(V3_STORES);
  }
}

describe('upgrade from version 3', () => {
  // More finished interviews than one step of the upgrade takes, and the last step not full.
  const FINISHED = UPGRADE_V4_CHUNK * 2 + UPGRADE_V4_CHUNK / 2 + 1;
  const ITEMS = ['q1', 'q10', 'q1_a', 'q2', 'Q3'] as const;
  const VALUES: readonly Answer[] = ['2', 0, ['1', '3'], REFUSED, DONT_KNOW, 'Ça va'];
  const statuses: InterviewStatus[] = ['in_progress', 'screening', 'abandoned'];

  const record = (n: number, status: InterviewStatus): InterviewRecord => ({
    id: `i-${String(n).padStart(4, '0')}`,
    questionnaireId: 'smpg',
    questionnaireVersion: '2026.1',
    site: 'lille',
    interviewer: 'INT07',
    deviceId: 'device-1',
    status,
    // Practice interviews end as the others do: they have their row too.
    practice: n % 7 === 0,
    position: 'review',
    language: 'fr',
    appVersion: '0.2.0',
    startedAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:30:00.000Z',
    ...(status === 'completed' || status === 'screened_out'
      ? { endedAt: '2026-03-02T09:30:00.000Z' }
      : {}),
  });

  /** Some of the items for interview n (none for every ninth), each with some value. */
  const answersOf = (n: number, interviewId: string): AnswerRecord[] =>
    ITEMS.filter((_, i) => n % 9 !== 0 && (n + i) % 3 !== 0).map((itemId, i) => ({
      interviewId,
      itemId,
      value: VALUES[(n + i) % VALUES.length] ?? '',
      answeredAt: '2026-03-02T09:10:00.000Z',
    }));

  const finished = Array.from({ length: FINISHED }, (_, n) =>
    record(n, n % 2 === 0 ? 'completed' : 'screened_out'),
  );
  const unfinished = statuses.map((status, i) => record(FINISHED + i, status));
  const answers = [...finished, ...unfinished].flatMap((interview, n) =>
    answersOf(n, interview.id),
  );

  /** A fake IndexedDB holding a filled version 3 database, closed as the version 3 app leaves it. */
  async function versionThreeDevice(): Promise<IDBFactory> {
    const indexedDB = new IDBFactory();
    const old = new VersionThreeDatabase(indexedDB);
    await old.transaction('rw', [old.interviews, old.answers], async () => {
      await old.interviews.bulkAdd([...finished, ...unfinished]);
      await old.answers.bulkAdd(answers);
      // Answers whose interview is gone get no row.
      await old.answers.add({
        interviewId: 'i-gone',
        itemId: 'q1',
        value: 'orphan',
        answeredAt: '2026-03-02T09:10:00.000Z',
      });
    });
    expect(old.verno).toBe(3);
    old.close();
    return indexedDB;
  }

  it('the version 3 declared in the app is still the one that shipped', () => {
    expect(SCHEMA_V3).toEqual(V3_STORES);
  });

  it('gives every completed or screened-out interview one row with its answers, in steps', async () => {
    const indexedDB = await versionThreeDevice();
    // What the upgrade reads (answer rows) and writes (rows of the new table), in order.
    const steps: string[] = [];
    const note = (what: string) => {
      if (steps.at(-1)?.startsWith(`${what} `) === true) {
        const count = Number(steps.pop()?.split(' ')[1] ?? 0);
        steps.push(`${what} ${count + 1}`);
      } else steps.push(`${what} 1`);
    };
    const { getAll, put } = IDBObjectStore.prototype;
    vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['getAll']>
    ) {
      if (this.name === 'answers') note('read');
      return getAll.apply(this, args);
    });
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'finishedAnswers') note('write');
      return put.apply(this, args);
    });
    const db = new SmpgDatabase(NAME, { indexedDB, IDBKeyRange });
    try {
      await db.open();
      vi.restoreAllMocks();
      expect(db.verno).toBe(6);
      const half = UPGRADE_V4_CHUNK / 2 + 1;
      expect(steps).toEqual([
        `read ${UPGRADE_V4_CHUNK}`,
        `write ${UPGRADE_V4_CHUNK}`,
        `read ${UPGRADE_V4_CHUNK}`,
        `write ${UPGRADE_V4_CHUNK}`,
        `read ${half}`,
        `write ${half}`,
      ]);

      const store = new DexieInterviewStore(db);
      const rows = await plain(db).finishedAnswers.toArray();
      expect(rows.map((row) => row.interviewId)).toEqual(finished.map((interview) => interview.id));
      for (const row of rows) {
        const given = await plain(db)
          .answers.where('[interviewId+itemId]')
          .between([row.interviewId, Dexie.minKey], [row.interviewId, Dexie.maxKey])
          .toArray();
        expect(row).toEqual({
          interviewId: row.interviewId,
          itemIds: given.map((answer) => answer.itemId),
          values: given.map((answer) => answer.value),
        });
      }
      expect(rows.some((row) => row.itemIds.length === 0)).toBe(true);
      expect(rows.some((row) => row.itemIds.length === 4)).toBe(true);
      // What the export reads is what was there: the same answers, from the rows.
      const ids = [...finished, ...unfinished].map((interview) => interview.id);
      const read = await store.getAnswersOfMany(ids);
      for (const id of ids) expect(read.get(id)).toEqual(await store.getAnswers(id));
      // Nothing else changed.
      expect(await db.interviews.toArray()).toEqual([...finished, ...unfinished]);
      expect(await db.answers.count()).toBe(answers.length + 1);
    } finally {
      db.close();
    }
  });
});

/** Version 4 exactly as it shipped: a copy, so an edit to the real one shows. */
const V4_STORES = {
  ...V3_STORES,
  finishedAnswers: 'interviewId',
  anonymisedAnswers: 'interviewId',
};

class VersionFourDatabase extends Dexie {
  declare readonly interviews: EntityTable<InterviewRecord, 'id'>;
  declare readonly settings: EntityTable<SettingsRowV4, 'key'>;

  constructor(indexedDB: IDBFactory) {
    super(NAME, { indexedDB, IDBKeyRange });
    this.version(4).stores(V4_STORES);
  }
}

describe('upgrade from version 4 (the helpline leaves the tablet)', () => {
  const draft: InterviewRecord = {
    id: 'i-draft',
    questionnaireId: 'smpg',
    questionnaireVersion: '2026.1',
    site: 'cayenne',
    interviewer: 'INT07',
    deviceId: 'device-1',
    status: 'in_progress',
    practice: false,
    position: 'q10',
    language: 'fr',
    appVersion: '0.1.0',
    startedAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:10:00.000Z',
  };
  const enrolled: SettingsRowV4 = {
    key: 'device',
    deviceId: 'device-1',
    site: 'cayenne',
    interviewer: 'INT07',
    uiLanguage: 'fr',
    practiceMode: false,
    helpline: ' 05 94 00 00 00 ',
    serverUrl: 'https://collecte.example.org',
    deviceToken: 'dev_abc',
    pickupPoints: ['Marché de Cayenne'],
    sync: { failures: 0, lastSuccessAt: '2026-03-01T18:00:00.000Z' },
  };

  /** Opens, with the current code, a version 4 database whose settings row is `row`. */
  async function upgraded(row: SettingsRowV4): Promise<SmpgDatabase> {
    const indexedDB = new IDBFactory();
    const old = new VersionFourDatabase(indexedDB);
    await old.transaction('rw', [old.interviews, old.settings], async () => {
      await old.interviews.add(draft);
      await old.settings.add(row);
    });
    expect(old.verno).toBe(4);
    old.close();
    const db = new SmpgDatabase(NAME, { indexedDB, IDBKeyRange });
    await db.open();
    return db;
  }

  it('the version 4 declared in the app is still the one that shipped, and 5 keeps its keys', () => {
    expect(SCHEMA_V4).toEqual(V4_STORES);
    expect(SCHEMA_V5).toEqual(V4_STORES);
  });

  it('keeps the number typed on an enrolled tablet until its site’s settings arrive', async () => {
    const db = await upgraded(enrolled);
    try {
      expect(db.verno).toBe(6);
      const store = new DexieInterviewStore(db);
      const { key, helpline, ...rest } = enrolled;
      expect([key, helpline.trim()]).toEqual(['device', '05 94 00 00 00']);
      const settings = await store.getSettings();
      expect(settings).toEqual({ ...rest, typedHelpline: '05 94 00 00 00' });
      expect(settings).not.toHaveProperty('helpline');
      expect(alertContacts(settings)).toEqual({ helpline: '05 94 00 00 00', contacts: [] });
      // Nothing else changed.
      expect(await store.getInterview('i-draft')).toEqual(draft);

      // The first settings from the server replace it, and it is gone for good.
      if (settings === undefined) throw new Error('no settings');
      await store.putSettings(
        withSiteSettings(settings, {
          name: 'Cayenne',
          timeZone: 'America/Cayenne',
          helpline: '3114',
          protocolContacts: [{ name: 'Dr Lebon', role: 'psychiatre', phone: '0594 11 22 33' }],
          shortInterviewSeconds: 1200,
          languages: ['fr'],
          sampleSize: 900,
          tolerance: 0.05,
        }),
      );
      const after = await store.getSettings();
      expect(after).not.toHaveProperty('typedHelpline');
      expect(alertContacts(after)).toEqual({
        helpline: '3114',
        contacts: [{ name: 'Dr Lebon', role: 'psychiatre', phone: '0594 11 22 33' }],
      });
    } finally {
      db.close();
    }
  });

  it('drops the number typed on a tablet without a server (its alert gives 3114)', async () => {
    const { serverUrl, deviceToken, ...withoutServer } = enrolled;
    expect([serverUrl, deviceToken]).toEqual(['https://collecte.example.org', 'dev_abc']);
    const db = await upgraded({ ...withoutServer, helpline: '0 800 000 000' });
    try {
      const settings = await new DexieInterviewStore(db).getSettings();
      const { key, helpline, ...rest } = { ...withoutServer, helpline: '0 800 000 000' };
      expect([key, helpline]).toEqual(['device', '0 800 000 000']);
      expect(settings).toEqual(rest);
      expect(alertContacts(settings)).toEqual({ helpline: '3114', contacts: [] });
    } finally {
      db.close();
    }
  });

  it('keeps no empty number on an enrolled tablet', async () => {
    const db = await upgraded({ ...enrolled, helpline: '  ' });
    try {
      const settings = await new DexieInterviewStore(db).getSettings();
      expect(settings).not.toHaveProperty('typedHelpline');
      expect(settings).not.toHaveProperty('helpline');
      expect(alertContacts(settings).helpline).toBe('3114');
    } finally {
      db.close();
    }
  });
});
