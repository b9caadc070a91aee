// What the home screen says of each interview under way, so that the interviewer finds the person
// it is with: the questionnaire's title in the interface's language, the respondent's sex and age
// band once answered, when it started ("il y a 5 min", "hier") and the last question reached.
// Plain functions: the clock, the time zone and the words are passed in.
import type { Answer, LoadIssue, Questionnaire } from '../core/questionnaire/index.ts';
import { localize } from '../core/questionnaire/index.ts';
import type { UiLanguage } from './ui-text.ts';
import { fill } from './ui-text.ts';
import { dayIn } from './site-settings.ts';
import type { InterviewRecord } from './storage/index.ts';

/**
 * The items that say who the respondent is: SMPG's `sex` (a single choice) and `age` (whole years),
 * the demo's `age`. A questionnaire without them shows neither.
 */
export const SEX_ITEM = 'sex';
export const AGE_ITEM = 'age';

/** The words a draft's description is made of (home-text.ts). */
export interface DraftWords {
  readonly ageBand: string;
  readonly ageBandFrom: string;
  readonly ageBandUnder: string;
  readonly draftJustNow: string;
}

export interface DraftSummary {
  /** The questionnaire's title, or its id when its version cannot be read on this tablet. */
  readonly title: string;
  /** What is answered of the respondent's sex (the choice's label) and age band, in that order. */
  readonly respondent: readonly string[];
  /** When it started, relative to now ("il y a 5 min", "il y a 2 h", "hier"). */
  readonly started: string;
  /** The question on screen when it was left: its label, `review`, or undefined before the first. */
  readonly lastItem: { readonly label: string } | 'review' | undefined;
}

/**
 * Ten-year bands from 25 (18-24, 25-34, 35-44... 75 and over), the usual age bands of surveys and
 * the census: close enough to tell two respondents apart, without their exact age on screen.
 */
export function ageBand(age: number, words: DraftWords): string {
  if (age < 18) return fill(words.ageBandUnder, { to: 18 });
  if (age < 25) return fill(words.ageBand, { from: 18, to: 24 });
  const from = 25 + Math.floor((age - 25) / 10) * 10;
  if (from >= 75) return fill(words.ageBandFrom, { from: 75 });
  return fill(words.ageBand, { from, to: from + 9 });
}

const formats = new Map<string, Intl.RelativeTimeFormat>();

function relative(language: UiLanguage, style: 'short' | 'long'): Intl.RelativeTimeFormat {
  const key = `${language} ${style}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style });
    formats.set(key, format);
  }
  return format;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * How long ago `startedAt` was: under a minute `justNow`; minutes under an hour; hours the same day
 * (the site's: `timeZone`, undefined for the tablet's own); then days by the calendar ("hier" for
 * an interview started yesterday evening, even 10 hours ago).
 */
export function startedAgo(
  startedAt: string,
  now: Date,
  language: UiLanguage,
  timeZone: string | undefined,
  justNow: string,
): string {
  const elapsed = now.getTime() - Date.parse(startedAt);
  if (!(elapsed >= MINUTE)) return justNow;
  const minutes = Math.floor(elapsed / MINUTE);
  if (minutes < 60) return relative(language, 'short').format(-minutes, 'minute');
  const days = Math.round(
    (Date.parse(`${dayIn(now, timeZone)}T00:00:00Z`) -
      Date.parse(`${dayIn(startedAt, timeZone)}T00:00:00Z`)) /
      DAY,
  );
  if (days <= 0) return relative(language, 'short').format(-Math.floor(minutes / 60), 'hour');
  return relative(language, 'long').format(-days, 'day');
}

/** What the home screen says of a draft. */
export function describeDraft({
  record,
  questionnaire,
  answers,
  language,
  now,
  timeZone,
  words,
}: {
  readonly record: InterviewRecord;
  /** Its version compiled (QuestionnaireCache), or what stops it loading, or undefined if absent. */
  readonly questionnaire: Questionnaire | readonly LoadIssue[] | undefined;
  readonly answers: ReadonlyMap<string, Answer>;
  readonly language: UiLanguage;
  readonly now: Date;
  readonly timeZone: string | undefined;
  readonly words: DraftWords;
}): DraftSummary {
  const q = questionnaire !== undefined && 'itemById' in questionnaire ? questionnaire : undefined;
  const respondent: string[] = [];
  const sex = answers.get(SEX_ITEM);
  if (q !== undefined && typeof sex === 'string') {
    const choice = q.itemById.get(SEX_ITEM)?.choices?.find((entry) => entry.code === sex);
    if (choice !== undefined) respondent.push(localize(q, choice.label, language));
  }
  const age = answers.get(AGE_ITEM);
  if (typeof age === 'number') respondent.push(ageBand(age, words));
  let lastItem: DraftSummary['lastItem'];
  if (record.position === 'review') lastItem = 'review';
  else if (record.position !== null && q !== undefined) {
    const entry = q.itemById.get(record.position);
    if (entry !== undefined) lastItem = { label: localize(q, entry.item.label, language) };
  }
  return {
    title: q === undefined ? record.questionnaireId : localize(q, q.definition.title, language),
    respondent,
    started: startedAgo(record.startedAt, now, language, timeZone, words.draftJustNow),
    lastItem,
  };
}
