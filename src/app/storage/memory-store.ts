// The InterviewStore in plain Maps, for unit tests of screens and sync. It behaves like the Dexie
// store, down to copying values in and out (IndexedDB structured-clones them too).
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
  InterviewStore,
  ParadataEvent,
  Seal,
  WriteOptions,
} from './types.ts';

/** IndexedDB's key order for strings (UTF-16 code units), which `<` on strings also follows. */
function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Every method first yields (`await Promise.resolve()`), so that nothing changes before the caller
 * has moved on, as with IndexedDB: a forgotten `await` shows up in tests here too.
 */
export class MemoryInterviewStore implements InterviewStore {
  readonly #interviews = new Map<string, InterviewRecord>();
  /** Answers by interview, then by item. */
  readonly #answers = new Map<string, Map<string, AnswerRecord>>();
  /** The one-row copies of finished interviews' answers, made when each ended (as in Dexie). */
  readonly #finishedAnswers = new Map<string, FinishedAnswersRecord>();
  readonly #anonymisedAnswers = new Map<string, AnonymisedAnswersRecord>();
  readonly #paradata: ParadataEvent[] = [];
  /** Questionnaires by `JSON.stringify([questionnaireId, version])`. */
  readonly #questionnaires = new Map<string, InstalledQuestionnaire>();
  /** Compiled forms, keyed as the questionnaires. */
  readonly #compiled = new Map<string, CompiledQuestionnaire>();
  #settings: DeviceSettings | undefined;

  async createInterview(record: InterviewRecord): Promise<void> {
    await Promise.resolve();
    if (this.#interviews.has(record.id)) {
      throw new Error(`Interview ${JSON.stringify(record.id)} already exists.`);
    }
    this.#interviews.set(record.id, structuredClone(record));
  }

  async getInterview(id: string): Promise<InterviewRecord | undefined> {
    await Promise.resolve();
    const record = this.#interviews.get(id);
    return record === undefined ? undefined : structuredClone(record);
  }

  async listInterviews(): Promise<InterviewRecord[]> {
    await Promise.resolve();
    // Like walking the Dexie `updatedAt` index backwards: ties come by id, descending.
    return [...this.#interviews.values()]
      .sort((a, b) => compareKeys([b.updatedAt, b.id], [a.updatedAt, a.id]))
      .map((record) => structuredClone(record));
  }

  async saveAnswer(
    interviewId: string,
    itemId: string,
    value: Answer | undefined,
    at: string,
  ): Promise<void> {
    await Promise.resolve();
    if (value === undefined) {
      this.#answers.get(interviewId)?.delete(itemId);
      return;
    }
    const record: AnswerRecord = structuredClone({ interviewId, itemId, value, answeredAt: at });
    const answers = this.#answers.get(interviewId) ?? new Map<string, AnswerRecord>();
    answers.set(itemId, record);
    this.#answers.set(interviewId, answers);
  }

  /** An interview's answer rows in key order (by item id), not copied. */
  #answerRows(interviewId: string): AnswerRecord[] {
    return [...(this.#answers.get(interviewId)?.values() ?? [])].sort((a, b) =>
      compareKeys([a.itemId], [b.itemId]),
    );
  }

  async getAnswers(interviewId: string): Promise<Map<string, Answer>> {
    await Promise.resolve();
    const records = this.#answerRows(interviewId);
    return new Map(records.map((record) => [record.itemId, structuredClone(record.value)]));
  }

  async getFinishedOfMany(interviewIds: readonly string[]): Promise<Map<string, FinishedAnswers>> {
    const answers = await this.getAnswersOfMany(interviewIds);
    return new Map(
      interviewIds.map((id): [string, FinishedAnswers] => {
        const kept = this.#anonymisedAnswers.get(id);
        if (kept === undefined) return [id, { answers: answers.get(id) ?? new Map() }];
        const { interviewId, ...anonymised } = structuredClone(kept);
        void interviewId;
        return [id, { anonymised }];
      }),
    );
  }

  async getAnswersOfMany(
    interviewIds: readonly string[],
  ): Promise<Map<string, Map<string, Answer>>> {
    await Promise.resolve();
    const lists = await Promise.all(
      interviewIds.map((id) => {
        const copy = this.#finishedAnswers.get(id);
        return copy === undefined
          ? this.getAnswers(id)
          : Promise.resolve(answersOfCopy(structuredClone(copy)));
      }),
    );
    return new Map(interviewIds.map((id, i) => [id, lists[i] ?? new Map<string, Answer>()]));
  }

  /** What the Dexie store's transaction writes to the copies for a status given (or none). */
  #keepCopyInStep(
    interviewId: string,
    status: InterviewRecord['status'] | undefined,
    seal?: Seal,
  ): void {
    if (isFinished(status)) {
      const copy = finishedAnswersOf(interviewId, this.#answerRows(interviewId));
      this.#finishedAnswers.set(interviewId, structuredClone(copy));
      const anonymised = seal === undefined ? undefined : anonymisedOf(copy, seal);
      if (anonymised === undefined) this.#anonymisedAnswers.delete(interviewId);
      else this.#anonymisedAnswers.set(interviewId, structuredClone(anonymised));
    } else if (status !== undefined) {
      this.#finishedAnswers.delete(interviewId);
      this.#anonymisedAnswers.delete(interviewId);
    }
  }

  async updateInterview(
    id: string,
    patch: Partial<Omit<InterviewRecord, 'id'>>,
    events: readonly ParadataEvent[] = [],
  ): Promise<void> {
    await Promise.resolve();
    const stranger = events.find((event) => event.interviewId !== id);
    if (stranger !== undefined) throw new ParadataMismatchError(id, stranger.interviewId);
    const current = this.#interviews.get(id);
    if (current === undefined) throw new InterviewNotFoundError(id);
    // Copy everything first (a value that cannot be stored throws here), then commit: all or nothing.
    const next: InterviewRecord = structuredClone({ ...current, ...patch, id });
    const copies = events.map((event) => structuredClone(event));
    this.#interviews.set(id, next);
    this.#paradata.push(...copies);
    this.#keepCopyInStep(id, patch.status);
  }

  // Durability (WriteOptions.relaxed) means nothing in memory; only `seal` is used.
  async writeInterview(
    record: InterviewRecord,
    events: readonly ParadataEvent[] = [],
    options: WriteOptions = {},
  ): Promise<void> {
    await Promise.resolve();
    const stranger = events.find((event) => event.interviewId !== record.id);
    if (stranger !== undefined) throw new ParadataMismatchError(record.id, stranger.interviewId);
    const next = structuredClone(record);
    const copies = events.map((event) => structuredClone(event));
    this.#interviews.set(record.id, next);
    this.#paradata.push(...copies);
    // Only the write that ends the interview makes its copy (a status never goes back).
    if (isFinished(record.status)) this.#keepCopyInStep(record.id, record.status, options.seal);
  }

  async listParadata(interviewId: string): Promise<ParadataEvent[]> {
    await Promise.resolve();
    return this.#paradata
      .filter((event) => event.interviewId === interviewId)
      .map((event) => structuredClone(event));
  }

  async putQuestionnaire(questionnaire: InstalledQuestionnaire): Promise<void> {
    await Promise.resolve();
    const key = JSON.stringify([questionnaire.questionnaireId, questionnaire.version]);
    this.#questionnaires.set(key, structuredClone(questionnaire));
    this.#compiled.delete(key);
  }

  async getCompiled(
    questionnaireId: string,
    version: string,
  ): Promise<CompiledQuestionnaire | undefined> {
    await Promise.resolve();
    const compiled = this.#compiled.get(JSON.stringify([questionnaireId, version]));
    return compiled === undefined ? undefined : structuredClone(compiled);
  }

  async putCompiled(compiled: CompiledQuestionnaire): Promise<void> {
    await Promise.resolve();
    const key = JSON.stringify([compiled.questionnaireId, compiled.version]);
    this.#compiled.set(key, structuredClone(compiled));
  }

  async getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<InstalledQuestionnaire | undefined> {
    await Promise.resolve();
    const questionnaire = this.#questionnaires.get(JSON.stringify([questionnaireId, version]));
    return questionnaire === undefined ? undefined : structuredClone(questionnaire);
  }

  async listQuestionnaires(): Promise<InstalledQuestionnaire[]> {
    await Promise.resolve();
    // In primary-key order, as Dexie returns them.
    return [...this.#questionnaires.values()]
      .sort((a, b) => compareKeys([a.questionnaireId, a.version], [b.questionnaireId, b.version]))
      .map((questionnaire) => structuredClone(questionnaire));
  }

  async getSettings(): Promise<DeviceSettings | undefined> {
    await Promise.resolve();
    return this.#settings === undefined ? undefined : structuredClone(this.#settings);
  }

  async putSettings(settings: DeviceSettings): Promise<void> {
    await Promise.resolve();
    this.#settings = structuredClone(settings);
  }
}
