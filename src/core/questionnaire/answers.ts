// What an answer is, as stored on the device and read by the engine.

/** The two standard non-responses every answerable item offers unless turned off. */
export type NonResponseKind = 'dont_know' | 'refused';

export interface NonResponse {
  readonly nonResponse: NonResponseKind;
}

/**
 * One stored answer:
 * - single choice: the choice code (`'2'`); multiple choice: the codes in choice order;
 * - integer / decimal: a number; text: a string; date: `YYYY-MM-DD`;
 * - a grid row: like a single or multiple choice;
 * - `{ nonResponse: 'dont_know' | 'refused' }` for "don't know" / "refused".
 * An unanswered item has no entry (never `''`, `null` or `[]`).
 */
export type Answer = string | number | readonly string[] | NonResponse;

/** Answers of one interview by item (or grid row) id. */
export type Answers = ReadonlyMap<string, Answer>;

export function isNonResponse(answer: Answer | undefined): answer is NonResponse {
  return typeof answer === 'object' && answer !== null && !Array.isArray(answer);
}

export const DONT_KNOW: NonResponse = Object.freeze({ nonResponse: 'dont_know' });
export const REFUSED: NonResponse = Object.freeze({ nonResponse: 'refused' });
