// The device's database: the Dexie schema with its whole version history, and the
// InterviewStore the app runs on. Nothing outside src/app/storage imports dexie.
import Dexie from 'dexie';
import type { DexieOptions, EntityTable, Table, Transaction } from 'dexie';
import type { Answer } from '../../core/questionnaire/index.ts';
import { InterviewNotFoundError, ParadataMismatchError } from './errors.ts';
import { anonymisedOf, answersOfCopy, finishedAnswersOf, isFinished } from './finished-answers.ts';
import type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  CompiledQuestionnaire,
  DeviceSettings,
  FinishedAnswers,
  FinishedAnswersRecord,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStatus,
  InterviewStore,
  ParadataEvent,
  Seal,
  WriteOptions,
} from './types.ts';

export const DEFAULT_DATABASE_NAME = 'smpg-collect';

// Dexie turns its debug mode on by itself on pages served from localhost or 127.0.0.1 (one
// `npm start` on one machine is such a deployment): a console task for every operation, which
// slows each answer's save. Debug stays on for the development server only.
Dexie.debug = import.meta.env?.DEV === true;

/** A paradata row: the event and the key IndexedDB numbers it with, in the order logged. */
export type ParadataRow = ParadataEvent & { readonly seq: number };

/** The settings table holds one row, under the key `'device'`. */
export interface SettingsRow extends DeviceSettings {
  readonly key: 'device';
}

/* ----------------------------------------------------------------------------------------------
 * Version 1: the first release. Devices in the field may still hold a database at this version,
 * so these shapes and SCHEMA_V1 never change; only the version 2 upgrade reads them.
 * -------------------------------------------------------------------------------------------- */

/** An interview as version 1 wrote it: `state` (renamed `status`), no practice flag, no alerts. */
export interface InterviewRowV1 {
  readonly id: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: string;
  readonly site: string;
  readonly interviewer: string;
  readonly deviceId: string;
  readonly state: InterviewStatus;
  readonly position: string | null;
  readonly language: string;
  readonly appVersion: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly endedAt?: string;
  readonly screenOutId?: string;
  readonly abandonReason?: string;
}

/** An answer as version 1 wrote it: no `answeredAt`. */
export interface AnswerRowV1 {
  readonly interviewId: string;
  readonly itemId: string;
  readonly value: Answer;
}

/** A paradata row as version 1 wrote it: the time on an item was `ms` (now `durationMs`). */
export interface ParadataRowV1 {
  readonly seq: number;
  readonly interviewId: string;
  readonly at: string;
  readonly type: ParadataEvent['type'];
  readonly itemId?: string;
  readonly ms?: number;
  readonly detail?: string;
}

/** An installed questionnaire as version 1 wrote it: no label packs (one language, built in). */
export interface QuestionnaireRowV1 {
  readonly questionnaireId: string;
  readonly version: string;
  readonly definition: unknown;
  readonly installedAt: string;
}

/** The settings row as version 1 wrote it: no practice mode, no helpline. */
export interface SettingsRowV1 {
  readonly key: 'device';
  readonly deviceId: string;
  readonly site: string;
  readonly interviewer: string;
  readonly uiLanguage: 'fr' | 'en';
}

/**
 * Version 1 keys and indexes. Why each exists:
 * - interviews `id`: the UUID made on the device, stable for life (the upload key);
 *   `updatedAt`: the interview list, most recent first; `state`: "unfinished interviews".
 * - answers `[interviewId+itemId]`: one answer is one small `put` on its own key, and an
 *   interview's answers are one range on the key prefix; no other index is needed.
 * - paradata `++seq`: events are only ever appended, numbered in the order they happened;
 *   `interviewId`: an interview's events, in `seq` order.
 * - questionnaires `[questionnaireId+version]`: an interview is pinned to the version it started
 *   with, so several versions of one questionnaire live side by side.
 * - settings `key`: one row per kind of setting (only `'device'` so far).
 */
export const SCHEMA_V1 = {
  interviews: 'id, updatedAt, state',
  answers: '[interviewId+itemId]',
  paradata: '++seq, interviewId',
  questionnaires: '[questionnaireId+version]',
  settings: 'key',
} as const;

/**
 * Version 2: the interview index follows the field renamed `state` -> `status`
 * (sync and the list still ask for interviews by status). The other keys are unchanged; the
 * upgrade only fills and renames fields.
 */
export const SCHEMA_V2 = {
  interviews: 'id, updatedAt, status',
  answers: '[interviewId+itemId]',
  paradata: '++seq, interviewId',
  questionnaires: '[questionnaireId+version]',
  settings: 'key',
} as const;

/**
 * Version 3: adds `compiled [questionnaireId+version]`, the questionnaire of an installed
 * version as the engine runs it, kept so that a start (a resumed interview) skips checking and
 * compiling the definition again. A cache: each row says which build of the app made it, and is
 * made again when missing or made by another build. Nothing to move, so no upgrade function.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  compiled: '[questionnaireId+version]',
} as const;

/**
 * Version 4 (current): adds `finishedAnswers interviewId`, the answers of each completed or
 * screened-out interview in one row (FinishedAnswersRecord), written in the transaction that ends
 * the interview. An export reads one row per interview there instead of ~100 answer rows (bench
 * figure 6). The key is the interview's id because the row is only ever read whole, by interview;
 * no index. The answer rows stay the source: the row is a copy, read in their place when present.
 * The upgrade makes the row of every interview that ended before (upgradeToV4). Also
 * `anonymisedAnswers interviewId`: the same answers anonymised by the app in that write
 * (AnonymisedAnswersRecord), which the export takes instead of anonymising again; none for the
 * interviews that ended before (the export anonymises theirs).
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  finishedAnswers: 'interviewId',
  anonymisedAnswers: 'interviewId',
} as const;

/** Interviews whose answers one step of the version 4 upgrade reads and copies. */
export const UPGRADE_V4_CHUNK = 100;

/** The durability of every write transaction of the device's database (see SmpgDatabase). */
const DURABILITY = 'strict' satisfies IDBTransactionDurability;

/**
 * What a change of an interview writes. One that gives it a status also keeps the one-row copy of
 * its answers in step (made when it ends completed or screened out), so it reads `answers` too.
 */
const CHANGE_STORES = ['interviews', 'paradata'];
const END_STORES = ['interviews', 'paradata', 'answers', 'finishedAnswers', 'anonymisedAnswers'];

/** Options passed on to Dexie (tests pass a fake `indexedDB` and `IDBKeyRange`). */
export type SmpgDatabaseOptions = Omit<DexieOptions, 'chromeTransactionDurability'>;

export class SmpgDatabase extends Dexie {
  // Declared, not initialised: Dexie defines one property per table from the schema below.
  declare readonly interviews: EntityTable<InterviewRecord, 'id'>;
  declare readonly answers: Table<AnswerRecord, [string, string]>;
  declare readonly paradata: EntityTable<ParadataRow, 'seq'>;
  declare readonly questionnaires: Table<InstalledQuestionnaire, [string, string]>;
  declare readonly settings: EntityTable<SettingsRow, 'key'>;
  declare readonly compiled: Table<CompiledQuestionnaire, [string, string]>;
  declare readonly finishedAnswers: EntityTable<FinishedAnswersRecord, 'interviewId'>;
  declare readonly anonymisedAnswers: EntityTable<AnonymisedAnswersRecord, 'interviewId'>;
  /** The IDBKeyRange this database was given (fake-indexeddb's in tests), for raw range reads. */
  readonly keyRange: typeof IDBKeyRange;

  constructor(name: string = DEFAULT_DATABASE_NAME, options: SmpgDatabaseOptions = {}) {
    // Durability 'strict': an answer must never be lost, so a write resolves only once the
    // browser has flushed it to disk, not when it has merely handed it to the operating system.
    // Without this option Dexie 4 passes no hint and the browser uses its 'default' durability,
    // which has been 'relaxed' since Chrome 121 (developer.chrome.com/blog/indexeddb-durability-
    // mode-now-defaults-to-relaxed), as in Firefox and Safari: the write may still sit in the OS
    // buffer for a second or two, and a power cut or a crashed tablet then loses the last answers. Strict costs ~0.6 ms per put at p50 (STACK.md), far
    // below what a tap can notice. Dexie sets durability per database, not per transaction, so
    // every write through Dexie is strict; only writeInterview may be asked for 'relaxed'
    // (WriteOptions), for what an interview under way writes besides its answers.
    super(name, { ...options, chromeTransactionDurability: DURABILITY });
    this.keyRange =
      (options.IDBKeyRange as typeof IDBKeyRange | undefined) ?? globalThis.IDBKeyRange;

    this.version(1).stores(SCHEMA_V1);

    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);

    this.version(3).stores(SCHEMA_V3);

    this.version(4).stores(SCHEMA_V4).upgrade(upgradeToV4);
  }

  /** The keys of one interview's answer rows: `[interviewId, itemId]` for every item id. */
  answerKeys(interviewId: string): IDBKeyRange {
    // A shorter array sorts first, and an array after any string: every item id is in between.
    return this.keyRange.bound([interviewId], [interviewId, []]);
  }
}

/** One interview's answer rows in key order, through Dexie (in its transaction, if any). */
function answerRows(
  answers: Table<AnswerRecord, [string, string]>,
  interviewId: string,
): Promise<AnswerRecord[]> {
  return answers
    .where('[interviewId+itemId]')
    .between([interviewId, Dexie.minKey], [interviewId, Dexie.maxKey])
    .toArray();
}

/**
 * Version 3 -> 4: the one-row copy of the answers of every interview that ended completed or
 * screened out. A step of UPGRADE_V4_CHUNK interviews at a time: their answer rows read, their
 * copies written, before the next step is read (STACK.md trap 10), so that what the upgrade holds
 * stays small whatever the number of interviews.
 */
async function upgradeToV4(tx: Transaction): Promise<void> {
  const ids = await tx
    .table<InterviewRecord, string>('interviews')
    .where('status')
    .anyOf('completed', 'screened_out')
    .primaryKeys();
  const answers = tx.table<AnswerRecord, [string, string]>('answers');
  const copies = tx.table<FinishedAnswersRecord, string>('finishedAnswers');
  for (let from = 0; from < ids.length; from += UPGRADE_V4_CHUNK) {
    const step = ids.slice(from, from + UPGRADE_V4_CHUNK);
    const rows = await Promise.all(step.map((id) => answerRows(answers, id)));
    await copies.bulkPut(step.map((id, i) => finishedAnswersOf(id, rows[i] ?? [])));
  }
}

/**
 * Version 1 -> 2. Each step walks its table with `modify`, which works in chunks (STACK.md
 * trap 10), and leaves rows that already have the new shape alone.
 */
async function upgradeToV2(tx: Transaction): Promise<void> {
  // Interviews: `state` becomes `status`; interviews from before practice mode were real ones.
  const updatedAtById = new Map<string, string>();
  await tx
    .table<InterviewRowV1 | InterviewRecord, string>('interviews')
    .toCollection()
    .modify((row, ctx) => {
      updatedAtById.set(row.id, row.updatedAt);
      if (!('state' in row)) return false;
      const { state, ...rest } = row;
      ctx.value = { ...rest, status: state, practice: false };
      return true;
    });

  // Answers: version 1 did not record when an answer was given. The best bound we have is the
  // interview's last update (the answer was given then or before); an answer whose interview is
  // gone gets the time of the upgrade.
  const upgradedAt = new Date().toISOString();
  await tx
    .table<AnswerRowV1 | AnswerRecord, [string, string]>('answers')
    .toCollection()
    .modify((row, ctx) => {
      if ('answeredAt' in row) return false;
      ctx.value = { ...row, answeredAt: updatedAtById.get(row.interviewId) ?? upgradedAt };
      return true;
    });

  // Paradata: `ms` becomes `durationMs`.
  await tx
    .table<ParadataRowV1 | ParadataRow, number>('paradata')
    .toCollection()
    .modify((row, ctx) => {
      if (!('ms' in row)) return false;
      const { ms, ...rest } = row;
      ctx.value = ms === undefined ? rest : { ...rest, durationMs: ms };
      return true;
    });

  // Questionnaires: installed before label packs existed, so they have none.
  await tx
    .table<QuestionnaireRowV1 | InstalledQuestionnaire, [string, string]>('questionnaires')
    .toCollection()
    .modify((row, ctx) => {
      if ('labelPacks' in row) return false;
      ctx.value = { ...row, labelPacks: [] };
      return true;
    });

  // Settings: practice mode off, no helpline until the supervisor sets one.
  await tx
    .table<SettingsRowV1 | SettingsRow, string>('settings')
    .toCollection()
    .modify((row, ctx) => {
      if ('practiceMode' in row) return false;
      ctx.value = { ...row, practiceMode: false, helpline: '' };
      return true;
    });
}

function toEvent(row: ParadataRow): ParadataEvent {
  const { seq, ...event } = row;
  void seq;
  return event;
}

/**
 * In a raw transaction over `answers`, `finishedAnswers` and `anonymisedAnswers`: reads the
 * interview's answer rows and puts their one-row copy, with what `seal` makes of them (or, without
 * a seal, drops what one made before), then calls `then` (which commits). What it reads includes every answer
 * written before in this transaction or in one begun before it over `answers` (IndexedDB runs
 * read-write transactions over the same store in the order they were made): the answers being
 * saved when the interview ended are in its copy.
 */
function copyAnswers(
  transaction: IDBTransaction,
  keys: IDBKeyRange,
  interviewId: string,
  then: () => void,
  fail: (reason: unknown) => void,
  seal?: Seal,
): void {
  const read = transaction.objectStore('answers').getAll(keys);
  read.onsuccess = () => {
    try {
      const copy = finishedAnswersOf(interviewId, read.result as AnswerRecord[]);
      transaction.objectStore('finishedAnswers').put(copy);
      const anonymised = seal === undefined ? undefined : anonymisedOf(copy, seal);
      const store = transaction.objectStore('anonymisedAnswers');
      if (anonymised === undefined) store.delete(interviewId);
      else store.put(anonymised);
      then();
    } catch (error) {
      fail(error);
    }
  };
}

function toSettings(row: SettingsRow): DeviceSettings {
  const { key, ...settings } = row;
  void key;
  return settings;
}

/**
 * One read-write transaction straight on the IndexedDB database Dexie opened, for the writes an
 * interview makes at every tap (an answer, a move). `write` issues its requests and calls
 * `commit()` as soon as the last one is issued: the browser then writes to disk at once, instead
 * of waiting until this page has seen each request succeed, which a busy main thread (the screen
 * being drawn) would hold back. Resolves once the transaction has committed, with the
 * durability of every transaction of this database ('strict', see SmpgDatabase) unless told
 * otherwise; rejects and writes nothing if anything fails (`fail` aborts with a reason).
 */
function writeAtOnce(
  db: IDBDatabase,
  stores: string[],
  write: (transaction: IDBTransaction, fail: (reason: unknown) => void) => void,
  durability: IDBTransactionDurability = DURABILITY,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(stores, 'readwrite', { durability });
    let reason: unknown;
    const fail = (why: unknown) => {
      reason = why;
      transaction.abort();
    };
    transaction.oncomplete = () => resolve();
    transaction.onabort = () =>
      reject(reason ?? transaction.error ?? new DOMException('Transaction aborted', 'AbortError'));
    try {
      write(transaction, fail);
    } catch (error) {
      fail(error);
    }
  });
}

export class DexieInterviewStore implements InterviewStore {
  constructor(readonly db: SmpgDatabase) {}

  /** The database behind Dexie, when Dexie has it open. */
  private backend(): IDBDatabase | undefined {
    return this.db.isOpen() ? this.db.backendDB() : undefined;
  }

  async createInterview(record: InterviewRecord): Promise<void> {
    // `add`, not `put`: a second interview with the same UUID is a bug to surface, not to merge.
    await this.db.interviews.add(record);
  }

  getInterview(id: string): Promise<InterviewRecord | undefined> {
    return this.db.interviews.get(id);
  }

  listInterviews(): Promise<InterviewRecord[]> {
    return this.db.interviews.orderBy('updatedAt').reverse().toArray();
  }

  async saveAnswer(
    interviewId: string,
    itemId: string,
    value: Answer | undefined,
    at: string,
  ): Promise<void> {
    // Exactly one write in its own transaction: the answer's own key.
    const backend = this.backend();
    if (backend !== undefined) {
      return writeAtOnce(backend, ['answers'], (transaction) => {
        const answers = transaction.objectStore('answers');
        if (value === undefined) answers.delete([interviewId, itemId]);
        else answers.put({ interviewId, itemId, value, answeredAt: at } satisfies AnswerRecord);
        transaction.commit();
      });
    }
    // Not open yet (or closed by a newer version elsewhere): Dexie opens it, or says why not.
    if (value === undefined) {
      await this.db.answers.delete([interviewId, itemId]);
    } else {
      await this.db.answers.put({ interviewId, itemId, value, answeredAt: at });
    }
  }

  async getAnswers(interviewId: string): Promise<Map<string, Answer>> {
    const rows = await answerRows(this.db.answers, interviewId);
    return new Map(rows.map((row) => [row.itemId, row.value]));
  }

  async getAnswersOfMany(
    interviewIds: readonly string[],
  ): Promise<Map<string, Map<string, Answer>>> {
    // One read-only transaction, its reads issued together: a transaction per interview costs
    // more than reading the interview's answers (bench figure 6, the tablet's export). The copies
    // first, one row per finished interview; the answer rows only of those without one.
    const { answers, finishedAnswers } = this.db;
    const lists = await this.db.transaction('r', finishedAnswers, answers, () =>
      this.answersOfMany(interviewIds),
    );
    return new Map(interviewIds.map((id, i) => [id, lists[i] ?? new Map<string, Answer>()]));
  }

  /** Inside a transaction over `finishedAnswers` and `answers`: see getAnswersOfMany. */
  private async answersOfMany(interviewIds: readonly string[]): Promise<Map<string, Answer>[]> {
    const copies = await this.db.finishedAnswers.bulkGet([...interviewIds]);
    return Promise.all(
      interviewIds.map(async (id, i) => {
        const copy = copies[i];
        if (copy !== undefined) return answersOfCopy(copy);
        const rows = await answerRows(this.db.answers, id);
        return new Map(rows.map((row) => [row.itemId, row.value]));
      }),
    );
  }

  async getFinishedOfMany(interviewIds: readonly string[]): Promise<Map<string, FinishedAnswers>> {
    // The anonymised answers first; the answers only of the interviews without them.
    const { answers, finishedAnswers, anonymisedAnswers } = this.db;
    const tables = [anonymisedAnswers, finishedAnswers, answers];
    return this.db.transaction('r', tables, async () => {
      const kept = await anonymisedAnswers.bulkGet([...interviewIds]);
      const others = interviewIds.filter((_, i) => kept[i] === undefined);
      const lists = await this.answersOfMany(others);
      const found = new Map<string, FinishedAnswers>(
        others.map((id, i) => [id, { answers: lists[i] ?? new Map<string, Answer>() }]),
      );
      interviewIds.forEach((id, i) => {
        const row = kept[i];
        if (row === undefined) return;
        const { interviewId, ...anonymised } = row;
        void interviewId;
        found.set(id, { anonymised });
      });
      return found;
    });
  }

  async updateInterview(
    id: string,
    patch: Partial<Omit<InterviewRecord, 'id'>>,
    events: readonly ParadataEvent[] = [],
  ): Promise<void> {
    const stranger = events.find((event) => event.interviewId !== id);
    if (stranger !== undefined) throw new ParadataMismatchError(id, stranger.interviewId);
    // A new status keeps the copy of the answers in step: made if finished, dropped otherwise.
    const { status } = patch;
    const backend = this.backend();
    if (backend !== undefined) {
      // Read, merge and write in one transaction, committed as soon as the writes are issued.
      const stores = status === undefined ? CHANGE_STORES : END_STORES;
      return writeAtOnce(backend, stores, (transaction, fail) => {
        const interviews = transaction.objectStore('interviews');
        const read = interviews.get(id);
        read.onsuccess = () => {
          const current = read.result as InterviewRecord | undefined;
          if (current === undefined) return fail(new InterviewNotFoundError(id));
          try {
            interviews.put({ ...current, ...patch, id } satisfies InterviewRecord);
            const paradata = transaction.objectStore('paradata');
            for (const event of events) paradata.add(event);
            const commit = () => transaction.commit();
            if (isFinished(status)) {
              copyAnswers(transaction, this.db.answerKeys(id), id, commit, fail);
            } else {
              if (status !== undefined) {
                transaction.objectStore('finishedAnswers').delete(id);
                transaction.objectStore('anonymisedAnswers').delete(id);
              }
              commit();
            }
          } catch (error) {
            // A value that cannot be stored: nothing at all is written.
            fail(error);
          }
        };
      });
    }
    const { interviews, paradata, answers, finishedAnswers, anonymisedAnswers } = this.db;
    const tables =
      status === undefined
        ? [interviews, paradata]
        : [interviews, paradata, answers, finishedAnswers, anonymisedAnswers];
    await this.db.transaction('rw', tables, async () => {
      const current = await interviews.get(id);
      if (current === undefined) throw new InterviewNotFoundError(id);
      await interviews.put({ ...current, ...patch, id });
      // Copies, so that no key Dexie assigns ever lands on the caller's objects.
      if (events.length > 0) await paradata.bulkAdd(events.map((event) => ({ ...event })));
      if (isFinished(status)) await this.copyAnswers(id);
      else if (status !== undefined) {
        await finishedAnswers.delete(id);
        await anonymisedAnswers.delete(id);
      }
    });
  }

  /** Through Dexie, in its transaction over the three tables: see copyAnswers. */
  private async copyAnswers(interviewId: string, seal?: Seal): Promise<void> {
    const copy = finishedAnswersOf(interviewId, await answerRows(this.db.answers, interviewId));
    await this.db.finishedAnswers.put(copy);
    const anonymised = seal === undefined ? undefined : anonymisedOf(copy, seal);
    if (anonymised === undefined) await this.db.anonymisedAnswers.delete(interviewId);
    else await this.db.anonymisedAnswers.put(anonymised);
  }

  async writeInterview(
    record: InterviewRecord,
    events: readonly ParadataEvent[] = [],
    options: WriteOptions = {},
  ): Promise<void> {
    const stranger = events.find((event) => event.interviewId !== record.id);
    if (stranger !== undefined) throw new ParadataMismatchError(record.id, stranger.interviewId);
    // The write that ends the interview copies its answers, in the same transaction.
    const ends = isFinished(record.status);
    const backend = this.backend();
    if (backend !== undefined) {
      return writeAtOnce(
        backend,
        ends ? END_STORES : CHANGE_STORES,
        (transaction, fail) => {
          transaction.objectStore('interviews').put(record);
          const paradata = transaction.objectStore('paradata');
          for (const event of events) paradata.add(event);
          const commit = () => transaction.commit();
          if (ends)
            copyAnswers(
              transaction,
              this.db.answerKeys(record.id),
              record.id,
              commit,
              fail,
              options.seal,
            );
          else commit();
        },
        options.relaxed === true ? 'relaxed' : DURABILITY,
      );
    }
    // Through Dexie (database not open yet): its durability, strict, for every transaction.
    const { interviews, paradata, answers, finishedAnswers, anonymisedAnswers } = this.db;
    const tables = ends
      ? [interviews, paradata, answers, finishedAnswers, anonymisedAnswers]
      : [interviews, paradata];
    await this.db.transaction('rw', tables, async () => {
      await interviews.put(record);
      if (events.length > 0) await paradata.bulkAdd(events.map((event) => ({ ...event })));
      if (ends) await this.copyAnswers(record.id, options.seal);
    });
  }

  async listParadata(interviewId: string): Promise<ParadataEvent[]> {
    // The index orders equal keys by primary key, so events come back in the order logged.
    const rows = await this.db.paradata.where('interviewId').equals(interviewId).toArray();
    return rows.map(toEvent);
  }

  async putQuestionnaire(questionnaire: InstalledQuestionnaire): Promise<void> {
    // A version installed again (never in the field) is compiled again from what it holds now.
    const key: [string, string] = [questionnaire.questionnaireId, questionnaire.version];
    await this.db.transaction('rw', this.db.questionnaires, this.db.compiled, async () => {
      await this.db.questionnaires.put(questionnaire);
      await this.db.compiled.delete(key);
    });
  }

  getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<InstalledQuestionnaire | undefined> {
    return this.db.questionnaires.get([questionnaireId, version]);
  }

  listQuestionnaires(): Promise<InstalledQuestionnaire[]> {
    return this.db.questionnaires.toArray();
  }

  getCompiled(
    questionnaireId: string,
    version: string,
  ): Promise<CompiledQuestionnaire | undefined> {
    return this.db.compiled.get([questionnaireId, version]);
  }

  async putCompiled(compiled: CompiledQuestionnaire): Promise<void> {
    // A cache, made again if lost: relaxed, so that it never holds up an answer's write.
    const backend = this.backend();
    if (backend === undefined) {
      await this.db.compiled.put(compiled);
      return;
    }
    return writeAtOnce(
      backend,
      ['compiled'],
      (transaction) => {
        transaction.objectStore('compiled').put(compiled);
        transaction.commit();
      },
      'relaxed',
    );
  }

  async getSettings(): Promise<DeviceSettings | undefined> {
    const row = await this.db.settings.get('device');
    return row === undefined ? undefined : toSettings(row);
  }

  async putSettings(settings: DeviceSettings): Promise<void> {
    await this.db.settings.put({ ...settings, key: 'device' });
  }
}

/** What the app holds once the device's database is open. */
export interface DeviceStore {
  readonly db: SmpgDatabase;
  readonly store: DexieInterviewStore;
}

/**
 * Opens (creating or upgrading) the device's database. Opening eagerly surfaces a failure
 * (private mode, a newer schema from another tab, a full disk) at start-up, not at the first answer.
 */
export async function openDeviceStore(
  name: string = DEFAULT_DATABASE_NAME,
  options: SmpgDatabaseOptions = {},
): Promise<DeviceStore> {
  const db = new SmpgDatabase(name, options);
  await db.open();
  return { db, store: new DexieInterviewStore(db) };
}
