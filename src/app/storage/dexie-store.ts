// The InterviewStore the app runs on, over the device's database (its schema and upgrades are in
// dexie-schema.ts), sealing every record by the tablet's key when it has one (sealed-rows.ts).
// Nothing outside src/app/storage imports dexie.
import type { Answer } from '../../core/questionnaire/index.ts';
import type {
  AnonymisedAnswersRow,
  FinishedAnswersRow,
  SmpgDatabaseOptions,
} from './dexie-schema.ts';
import { DEFAULT_DATABASE_NAME, DURABILITY, SmpgDatabase, answerRows } from './dexie-schema.ts';
import { InterviewNotFoundError, ParadataMismatchError } from './errors.ts';
import { anonymisedOf, answersOfCopy, finishedAnswersOf, isFinished } from './finished-answers.ts';
import { RowCodec } from './sealed-rows.ts';
import type {
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
import type { Vault } from './vault.ts';

/** What a change of an interview writes; one that gives it a status also drops its copies. */
const CHANGE_STORES = ['interviews', 'paradata'];
const STATUS_STORES = ['interviews', 'paradata', 'finishedAnswers', 'anonymisedAnswers'];

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

/**
 * A promise awaited later (once the writes before are begun): marked handled now, so that a seal
 * that fails early is not reported as an unhandled rejection; the write still rejects with it.
 */
function sealedEarly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export class DexieInterviewStore implements InterviewStore {
  readonly #codec: RowCodec;
  /**
   * The writes in the order they were asked for: each one's records are sealed as soon as it is
   * called, all at once, but its transaction is begun only after those of the writes called
   * before it. IndexedDB then runs them in that order, as without sealing: the end of an
   * interview reads every answer whose save was called before it.
   */
  #issued: Promise<unknown> = Promise.resolve();
  /** Changes of one interview (read, merge, write) run one after the other. */
  readonly #changing = new Map<string, Promise<unknown>>();

  /** Without a vault, records are stored plain (tests and tools); the app always has one. */
  constructor(
    readonly db: SmpgDatabase,
    vault?: Vault,
  ) {
    this.#codec = new RowCodec(vault);
  }

  /** The key records are sealed with (the export's worker opens the database with it too). */
  get vaultKey(): CryptoKey | undefined {
    return this.#codec.vault?.key;
  }

  /** The database behind Dexie, opened by Dexie if it is not open yet (or says why not). */
  private async backend(): Promise<IDBDatabase> {
    if (!this.db.isOpen()) await this.db.open();
    return this.db.backendDB();
  }

  /**
   * Begins a write in call order (see #issued) with the rows `prepare` gives, called once the writes
   * before are begun, and resolves once it has committed. Callers seal their rows before calling
   * (`() => sealed`), beside the writes before; what must read the database first reads in
   * `prepare`. A failure rejects this write only.
   */
  private issue<T>(
    prepare: () => Promise<T>,
    stores: string[],
    write: (transaction: IDBTransaction, rows: T, fail: (reason: unknown) => void) => void,
    durability: IDBTransactionDurability = DURABILITY,
  ): Promise<void> {
    let begun: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      begun = resolve;
    });
    const done = this.#issued.then(async () => {
      try {
        const rows = await prepare();
        const db = await this.backend();
        return writeAtOnce(
          db,
          stores,
          (transaction, fail) => write(transaction, rows, fail),
          durability,
        );
      } finally {
        begun();
      }
    });
    // The next write waits until this one is begun (or failed to begin), not until it commits.
    this.#issued = started;
    return done;
  }

  /** Runs `change` after the changes of the same interview called before it. */
  private changing<T>(id: string, change: () => Promise<T>): Promise<T> {
    const before = this.#changing.get(id) ?? Promise.resolve();
    const run = before.then(change, change);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#changing.set(id, settled);
    void settled.then(() => {
      if (this.#changing.get(id) === settled) this.#changing.delete(id);
    });
    return run;
  }

  async createInterview(record: InterviewRecord): Promise<void> {
    // `add`, not `put`: a second interview with the same UUID is a bug to surface, not to merge.
    const sealed = sealedEarly(this.#codec.interviewRow(record));
    return this.issue(
      () => sealed,
      ['interviews'],
      (transaction, row) => {
        transaction.objectStore('interviews').add(row);
        transaction.commit();
      },
    );
  }

  async getInterview(id: string): Promise<InterviewRecord | undefined> {
    const row = await this.db.interviews.get(id);
    return row === undefined ? undefined : this.#codec.interview(row);
  }

  async listInterviews(): Promise<InterviewRecord[]> {
    const rows = await this.db.interviews.orderBy('updatedAt').reverse().toArray();
    return Promise.all(rows.map((row) => this.#codec.interview(row)));
  }

  async saveAnswer(
    interviewId: string,
    itemId: string,
    value: Answer | undefined,
    at: string,
  ): Promise<void> {
    // Exactly one write in its own transaction: the answer's own key.
    const row = sealedEarly(
      value === undefined
        ? Promise.resolve(undefined)
        : this.#codec.answerRow({ interviewId, itemId, value, answeredAt: at }),
    );
    return this.issue(
      () => row,
      ['answers'],
      (transaction, sealed) => {
        const answers = transaction.objectStore('answers');
        if (sealed === undefined) answers.delete([interviewId, itemId]);
        else answers.put(sealed);
        transaction.commit();
      },
    );
  }

  async getAnswers(interviewId: string): Promise<Map<string, Answer>> {
    const rows = await answerRows(this.db.answers, interviewId);
    const records = await Promise.all(rows.map((row) => this.#codec.answer(row)));
    return new Map(records.map((row) => [row.itemId, row.value]));
  }

  async getAnswersOfMany(
    interviewIds: readonly string[],
  ): Promise<Map<string, Map<string, Answer>>> {
    const lists = await this.answersOfMany(interviewIds);
    return new Map(interviewIds.map((id, i) => [id, lists[i] ?? new Map<string, Answer>()]));
  }

  /**
   * The answers of each interview: from its one-row copy when it has one, else from its answer
   * rows. One read-only transaction, its reads issued together (a transaction per interview
   * costs more than reading the interview's answers); opened once it has read.
   */
  private async answersOfMany(interviewIds: readonly string[]): Promise<Map<string, Answer>[]> {
    const { answers, finishedAnswers } = this.db;
    const read = await this.db.transaction('r', finishedAnswers, answers, async () => {
      const copies = await finishedAnswers.bulkGet([...interviewIds]);
      return Promise.all(
        interviewIds.map(async (id, i) => {
          const copy = copies[i];
          return copy !== undefined ? { copy } : { rows: await answerRows(answers, id) };
        }),
      );
    });
    return Promise.all(
      read.map(async (found) => {
        if (found.copy !== undefined) return answersOfCopy(await this.#codec.finished(found.copy));
        const records = await Promise.all(found.rows.map((row) => this.#codec.answer(row)));
        return new Map(records.map((row) => [row.itemId, row.value]));
      }),
    );
  }

  async getFinishedOfMany(interviewIds: readonly string[]): Promise<Map<string, FinishedAnswers>> {
    // The anonymised answers first; the answers only of the interviews without them.
    const kept = await this.db.anonymisedAnswers.bulkGet([...interviewIds]);
    const others = interviewIds.filter((_, i) => kept[i] === undefined);
    const [lists, anonymised] = await Promise.all([
      this.answersOfMany(others),
      Promise.all(kept.map((row) => (row === undefined ? undefined : this.#codec.anonymised(row)))),
    ]);
    const found = new Map<string, FinishedAnswers>(
      others.map((id, i) => [id, { answers: lists[i] ?? new Map<string, Answer>() }]),
    );
    interviewIds.forEach((id, i) => {
      const record = anonymised[i];
      if (record === undefined) return;
      const { interviewId, ...rest } = record;
      void interviewId;
      found.set(id, { anonymised: rest });
    });
    return found;
  }

  async updateInterview(
    id: string,
    patch: Partial<Omit<InterviewRecord, 'id'>>,
    events: readonly ParadataEvent[] = [],
  ): Promise<void> {
    const stranger = events.find((event) => event.interviewId !== id);
    if (stranger !== undefined) throw new ParadataMismatchError(id, stranger.interviewId);
    // Read, merge and write, after any change of this interview called before (the record is
    // sealed, so the merge cannot run inside the write's transaction).
    return this.changing(id, async () => {
      const current = await this.getInterview(id);
      if (current === undefined) throw new InterviewNotFoundError(id);
      await this.write({ ...current, ...patch, id }, events, {}, patch.status !== undefined);
    });
  }

  async writeInterview(
    record: InterviewRecord,
    events: readonly ParadataEvent[] = [],
    options: WriteOptions = {},
  ): Promise<void> {
    const stranger = events.find((event) => event.interviewId !== record.id);
    if (stranger !== undefined) throw new ParadataMismatchError(record.id, stranger.interviewId);
    return this.changing(record.id, () => this.write(record, events, options, true));
  }

  /**
   * Puts the record and logs its events in one transaction. A new status keeps the copies of the
   * answers in step in that transaction: dropped, or, when the interview has ended completed or
   * screened out, made again from the answer rows. Those are read once every write called before
   * this one is begun, so the copy has every answer whose save was called before the end; the
   * writes called after wait until this one is begun.
   */
  private write(
    record: InterviewRecord,
    events: readonly ParadataEvent[],
    options: WriteOptions,
    statusWritten: boolean,
  ): Promise<void> {
    const rows = sealedEarly(
      Promise.all([
        this.#codec.interviewRow(record),
        Promise.all(events.map((event) => this.#codec.paradataRow(event))),
      ]),
    );
    const ends = statusWritten && isFinished(record.status);
    const copies = ends
      ? () => this.copiesOf(record.id, options.seal)
      : () => Promise.resolve(undefined);
    return this.issue(
      () => Promise.all([rows, copies()]),
      statusWritten ? STATUS_STORES : CHANGE_STORES,
      (transaction, [[row, paradataRows], made]) => {
        transaction.objectStore('interviews').put(row);
        const paradata = transaction.objectStore('paradata');
        for (const event of paradataRows) paradata.add(event);
        if (statusWritten) {
          const finished = transaction.objectStore('finishedAnswers');
          const anonymised = transaction.objectStore('anonymisedAnswers');
          if (made === undefined) finished.delete(record.id);
          else finished.put(made.copy);
          if (made?.anonymised === undefined) anonymised.delete(record.id);
          else anonymised.put(made.anonymised);
        }
        transaction.commit();
      },
      options.relaxed === true ? 'relaxed' : DURABILITY,
    );
  }

  /** The one-row copy of an interview's answer rows, and what `seal` makes of them, as rows. */
  private async copiesOf(
    interviewId: string,
    seal?: Seal,
  ): Promise<{ copy: FinishedAnswersRow; anonymised?: AnonymisedAnswersRow | undefined }> {
    const stored = await answerRows(this.db.answers, interviewId);
    const records = await Promise.all(stored.map((row) => this.#codec.answer(row)));
    const copy = finishedAnswersOf(interviewId, records);
    const anonymised = seal === undefined ? undefined : anonymisedOf(copy, seal);
    const [copyRow, anonymisedRow] = await Promise.all([
      this.#codec.finishedRow(copy),
      anonymised === undefined ? undefined : this.#codec.anonymisedRow(anonymised),
    ]);
    return { copy: copyRow, anonymised: anonymisedRow };
  }

  async listParadata(interviewId: string): Promise<ParadataEvent[]> {
    // The index orders equal keys by primary key, so events come back in the order logged.
    const rows = await this.db.paradata.where('interviewId').equals(interviewId).toArray();
    return Promise.all(rows.map((row) => this.#codec.paradata(row)));
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
    return writeAtOnce(
      await this.backend(),
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
    return row === undefined ? undefined : this.#codec.settings(row);
  }

  async putSettings(settings: DeviceSettings): Promise<void> {
    await this.db.settings.put(await this.#codec.settingsRow(settings));
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
  vault?: Vault,
): Promise<DeviceStore> {
  const db = new SmpgDatabase(name, options);
  await db.open();
  return { db, store: new DexieInterviewStore(db, vault) };
}
