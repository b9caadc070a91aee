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

const screeningCodes = new WeakMap<Questionnaire, ReadonlyMap<string, string>>();

/** The screening questions of a version and each one's positive code, read once per version. */
function positiveCodes(q: Questionnaire): ReadonlyMap<string, string> {
  let codes = screeningCodes.get(q);
  if (codes === undefined) {
    const found = new Map<string, string>();
    for (const entry of q.items) {
      const first = entry.choices?.[0]?.code;
      if (first !== undefined && isScreeningItem(q, entry.item.id)) found.set(entry.item.id, first);
    }
    codes = found;
    screeningCodes.set(q, codes);
  }
  return codes;
}

/** The counts of one record of version `q` (its answers as the server stores them). */
export function recordFigures(q: Questionnaire, record: InterviewRecordWire): RecordFigures {
  const screening = positiveCodes(q);
  let asked = 0;
  let dontKnow = 0;
  let refused = 0;
  let screens = 0;
  let positiveScreens = 0;
  for (const [id, answer] of Object.entries(record.answers)) {
    asked += 1;
    if (isNonResponse(answer)) {
      if (answer.nonResponse === 'dont_know') dontKnow += 1;
      else refused += 1;
    }
    const positive = screening.get(id);
    if (positive === undefined) continue;
    screens += 1;
    if (answer === positive) positiveScreens += 1;
  }
  return { asked, dontKnow, refused, screens, positiveScreens };
}
