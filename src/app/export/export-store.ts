// The device's store as the export worker reads it. The export asks for one interview's answers at
// a time, in the order of `exportedInterviews`; this store reads them a step of interviews at a
// time, in one IndexedDB transaction per step: one transaction per interview costs about as much
// again as reading the answers. Each step reads the one row per finished interview that its end
// wrote (`getFinishedOfMany`), not its ~100 answer rows, with the anonymised form of the answers
// that the end kept; the next step is asked for as soon as one is taken, so that the browser reads
// it while the worker writes this one.
import type { Answer } from '../../core/questionnaire/index.ts';
import type { FinishedAnswers, InterviewRecord, SmpgDatabase } from '../storage/index.ts';
import { DexieInterviewStore } from '../storage/index.ts';
import type { Vault } from '../storage/vault.ts';
import type { DeviceExportRequest } from './device-export.ts';
import { EXPORT_STEP, exportedInterviews } from './device-export.ts';

type Step = Promise<Map<string, FinishedAnswers>>;

export class ExportStore extends DexieInterviewStore {
  /** The ids of the interviews the export takes, in its order, and each one's place. */
  #order: readonly string[] = [];
  #place = new Map<string, number>();
  /** The steps asked for (by number), the one being taken and the next: never more. */
  readonly #steps = new Map<number, Step>();

  constructor(
    db: SmpgDatabase,
    private readonly request: Pick<DeviceExportRequest, 'kind' | 'questionnaireId'>,
    private readonly step: number = EXPORT_STEP,
    vault?: Vault,
  ) {
    super(db, vault);
  }

  override async listInterviews(): Promise<InterviewRecord[]> {
    const interviews = await super.listInterviews();
    const { kind, questionnaireId } = this.request;
    this.#order = exportedInterviews(interviews, kind, questionnaireId).map(({ id }) => id);
    this.#place = new Map(this.#order.map((id, place) => [id, place]));
    this.#steps.clear();
    return interviews;
  }

  /** The answers of step `n`, read once. */
  #read(n: number): Step {
    let step = this.#steps.get(n);
    if (step === undefined) {
      step = this.getFinishedOfMany(this.#order.slice(n * this.step, (n + 1) * this.step));
      this.#steps.set(n, step);
    }
    return step;
  }

  override async getAnswers(interviewId: string): Promise<Map<string, Answer>> {
    // Of an interview whose step brought its anonymised answers only, read on their own.
    return (await this.finished(interviewId)).answers ?? super.getAnswers(interviewId);
  }

  /** An interview's answers, and their anonymised form if its end kept it (FinishedReader). */
  async finished(interviewId: string): Promise<FinishedAnswers> {
    const place = this.#place.get(interviewId);
    if (place === undefined) return { answers: await super.getAnswers(interviewId) };
    const n = Math.floor(place / this.step);
    for (const taken of this.#steps.keys()) if (taken < n) this.#steps.delete(taken);
    const answers = this.#read(n);
    // Read ahead. A failure there is told when that step is taken, if the export gets that far.
    if ((n + 1) * this.step < this.#order.length) void this.#read(n + 1).catch(() => undefined);
    return (await answers).get(interviewId) ?? { answers: new Map<string, Answer>() };
  }
}
