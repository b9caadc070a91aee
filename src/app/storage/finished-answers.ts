// The one-row copy of a finished interview's answers (FinishedAnswersRecord): which interviews
// have one, how it is made from the answer rows and read back. Both stores use these.
import type { Answer } from '../../core/questionnaire/index.ts';
import type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  FinishedAnswersRecord,
  InterviewStatus,
  Seal,
} from './types.ts';

/** Completed and screened out: the ends whose answers leave the device (sync, export). */
export function isFinished(status: InterviewStatus | undefined): boolean {
  return status === 'completed' || status === 'screened_out';
}

/** The copy of one interview's answer rows, given in key order (by item id). */
export function finishedAnswersOf(
  interviewId: string,
  rows: readonly Pick<AnswerRecord, 'itemId' | 'value'>[],
): FinishedAnswersRecord {
  return {
    interviewId,
    itemIds: rows.map((row) => row.itemId),
    values: rows.map((row) => row.value),
  };
}

/**
 * What `seal` makes of an interview's copied answers (WriteOptions.seal), or undefined if it
 * throws: the export then anonymises the answers itself, as for an interview without one.
 */
export function anonymisedOf(
  copy: FinishedAnswersRecord,
  seal: Seal,
): AnonymisedAnswersRecord | undefined {
  try {
    return { ...seal(answersOfCopy(copy)), interviewId: copy.interviewId };
  } catch {
    return undefined;
  }
}

/** The copy read back as `getAnswers` returns an interview's answers. */
export function answersOfCopy(copy: FinishedAnswersRecord): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  const { itemIds, values } = copy;
  for (let i = 0; i < itemIds.length; i++) {
    const itemId = itemIds[i];
    const value = values[i];
    if (itemId !== undefined && value !== undefined) answers.set(itemId, value);
  }
  return answers;
}
