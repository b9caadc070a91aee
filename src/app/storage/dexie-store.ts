// The InterviewStore the app runs on, over the device's database (its schema and upgrades are in
// dexie-schema.ts). Nothing outside src/app/storage imports dexie.
import type { Answer } from '../../core/questionnaire/index.ts';
import type { ParadataRow, SettingsRow, SmpgDatabaseOptions } from './dexie-schema.ts';
import { DEFAULT_DATABASE_NAME, DURABILITY, SmpgDatabase, answerRows } from './dexie-schema.ts';
import { InterviewNotFoundError, ParadataMismatchError } from './errors.ts';
import { anonymisedOf, answersOfCopy, finishedAnswersOf, isFinished } from './finished-answers.ts';
import type {
  AnswerRecord,
  CompiledQuestionnaire,
  DeviceSettings,
  FinishedAnswers,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStore,
  ParadataEvent,
  Seal,
  WriteOptions,
} from './types.ts';

/**
 * What a change of an interview writes. One that gives it a status also keeps the one-row copy of
 * its answers in step (made when it ends completed or screened out), so it reads `answers` too.
 */
const CHANGE_STORES = ['interviews', 'paradata'];
const END_STORES = ['interviews', 'paradata', 'answers', 'finishedAnswers', 'anonymisedAnswers'];

function toEvent(row: ParadataRow): ParadataEvent {
  const { seq, ...event } = row;
  void seq;
  return event;
}

/**
 * In a raw transaction over `answers`, `finishedAnswers` and `anonymisedAnswers`: reads the
 * interview's answer rows and puts their one-row copy, with what `seal` makes of them (or, without
 * a seal, drops what one made before), then calls `then` (which commits). What it reads includes
 * every answer written before in this transaction or in one begun before it over `answers`
 * (IndexedDB runs read-write transactions over the same store in the order they were made): the
 * answers being saved when the interview ended are in its copy.
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
    // more than reading the interview's answers. The copies first, one row per finished interview;
    // the answer rows only of those without one.
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
