// The device's store as the export worker reads it. The export asks for one interview's answers at
// a time, in the order of `exportedInterviews`; this store reads them a step of interviews ahead,
// in one IndexedDB transaction per step: one transaction per interview cost about as much again as
// reading the answers (bench figure 6, 10,000 interviews on the tablet).
import type { Answer } from '../../core/questionnaire/index.ts';
import type { InterviewRecord, SmpgDatabase } from '../storage/index.ts';
import { DexieInterviewStore } from '../storage/index.ts';
import type { DeviceExportRequest } from './device-export.ts';
import { EXPORT_STEP, exportedInterviews } from './device-export.ts';

export class ExportStore extends DexieInterviewStore {
  /** The ids of the interviews the export takes, in its order, and each one's place. */
  #order: readonly string[] = [];
  #place = new Map<string, number>();
  /** Answers read ahead, not asked for yet. */
  readonly #ahead = new Map<string, Map<string, Answer>>();

  constructor(
    db: SmpgDatabase,
    private readonly request: Pick<DeviceExportRequest, 'kind' | 'questionnaireId'>,
    private readonly step: number = EXPORT_STEP,
  ) {
    super(db);
  }

  override async listInterviews(): Promise<InterviewRecord[]> {
    const interviews = await super.listInterviews();
    const { kind, questionnaireId } = this.request;
    this.#order = exportedInterviews(interviews, kind, questionnaireId).map(({ id }) => id);
    this.#place = new Map(this.#order.map((id, place) => [id, place]));
    this.#ahead.clear();
    return interviews;
  }

  override async getAnswers(interviewId: string): Promise<Map<string, Answer>> {
    const ready = this.#ahead.get(interviewId);
    if (ready !== undefined) {
      this.#ahead.delete(interviewId);
      return ready;
    }
    const place = this.#place.get(interviewId);
    if (place === undefined) return super.getAnswers(interviewId);
    this.#ahead.clear();
    const read = await this.getAnswersOfMany(this.#order.slice(place, place + this.step));
    for (const [id, answers] of read) if (id !== interviewId) this.#ahead.set(id, answers);
    return read.get(interviewId) ?? new Map<string, Answer>();
  }
}
