// The one-row copy of a finished interview's answers (FinishedAnswersRecord): which interviews
// have one, how it is made from the answer rows and read back. Both stores use these.
import type { Answer } from '../../core/questionnaire/index.ts';
import type { AnswerRecord, FinishedAnswersRecord, InterviewStatus, Seal } from './types.ts';

/** Completed and screened out: the ends whose answers leave the device (sync, export). */
export function isFinished(status: InterviewStatus | undefined): boolean {
  return status === 'completed' || status === 'screened_out';
}

/**
 * The copy of one interview's answer rows, given in key order (by item id), with what `seal` makes
 * of those answers (their anonymised form, WriteOptions.seal). A seal that throws is left out: the
 * export then anonymises the answers itself, as it does for any copy without one.
 */
export function finishedAnswersOf(
  interviewId: string,
  rows: readonly Pick<AnswerRecord, 'itemId' | 'value'>[],
  seal?: Seal,
): FinishedAnswersRecord {
  const copy = {
    interviewId,
    itemIds: rows.map((row) => row.itemId),
    values: rows.map((row) => row.value),
  };
  if (seal === undefined) return copy;
  try {
    return { ...copy, anonymised: seal(answersOfCopy(copy)) };
  } catch {
    return copy;
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
