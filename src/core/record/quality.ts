// What the dashboard's quality figures read of one record (questions asked, non-responses,
// screening questions and their positives), counted once when the record is stored.
import type { InterviewRecordWire } from '../protocol/index.ts';
import type { Questionnaire } from '../questionnaire/index.ts';
import { isNonResponse } from '../questionnaire/index.ts';

/** A record's counts behind an interviewer's shares of "don't know", "refused" and positive screens. */
export interface RecordFigures {
  /** Questions asked: the answers the record holds (a non-response is an answer). */
  readonly asked: number;
  readonly dontKnow: number;
  readonly refused: number;
  /** Screening questions answered (`isScreeningItem`). */
  readonly screens: number;
  /** Screening questions answered with their first choice ("Oui" in SMPG's yes/no list). */
  readonly positiveScreens: number;
}

/** An id such as `dep_screen1`, `alc_screen2` or `suic_screen_wish`. */
const SCREENING_ID = /_screen(?:\d*$|_)/;

/**
 * A screening question: a single choice whose id says so (`<module>_screen`, `_screen1`,
 * `_screen_<what>`), as SMPG names the questions that open each diagnostic module (the MINI's
 * screening questions); its first choice is the positive answer ("Oui"), which opens the module.
 */
export function isScreeningItem(q: Questionnaire, id: string): boolean {
  const entry = q.itemById.get(id);
  return entry !== undefined && entry.item.type === 'single' && SCREENING_ID.test(id);
}

const screeningCodes = new WeakMap<Questionnaire, readonly (string | undefined)[]>();

/**
 * By node: the positive code of each screening question of a version (undefined for every other
 * node), read once per version.
 */
export function positiveScreenCodes(q: Questionnaire): readonly (string | undefined)[] {
  let codes = screeningCodes.get(q);
  if (codes === undefined) {
    const found: (string | undefined)[] = q.nodes.map(() => undefined);
    for (const entry of q.items) {
      const first = entry.choices?.[0]?.code;
      if (first !== undefined && isScreeningItem(q, entry.item.id)) found[entry.node] = first;
    }
    codes = found;
    screeningCodes.set(q, codes);
  }
  return codes;
}

/** `RecordFigures` being counted, answer by answer (`countAnswer`). */
export type FigureCounts = { -readonly [K in keyof RecordFigures]: number };

export function noFigures(): FigureCounts {
  return { asked: 0, dontKnow: 0, refused: 0, screens: 0, positiveScreens: 0 };
}

/**
 * Counts one answer of a record; `positive` is its question's code in `positiveScreenCodes`. The
 * server's review, which reads each answer anyway, counts them so (`reviewRecord`'s `figures`):
 * a walk of its own over a record's answers would cost as much again as the counting.
 */
export function countAnswer(
  counts: FigureCounts,
  answer: InterviewRecordWire['answers'][string],
  positive: string | undefined,
): void {
  counts.asked += 1;
  if (isNonResponse(answer)) {
    if (answer.nonResponse === 'dont_know') counts.dontKnow += 1;
    else counts.refused += 1;
  }
  if (positive === undefined) return;
  counts.screens += 1;
  if (answer === positive) counts.positiveScreens += 1;
}

/** The counts of one record of version `q` (its answers as the server stores them). */
export function recordFigures(
  q: Questionnaire,
  record: Pick<InterviewRecordWire, 'answers'>,
): RecordFigures {
  const positives = positiveScreenCodes(q);
  const counts = noFigures();
  for (const [id, answer] of Object.entries(record.answers)) {
    const node = q.nodeById.get(id);
    countAnswer(counts, answer, node === undefined ? undefined : positives[node]);
  }
  return counts;
}
