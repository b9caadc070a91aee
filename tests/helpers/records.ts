// Anonymised records for tests: an interview run through the app's session (scripted or random
// answers), then `anonymise`, as the device does before sending.
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type {
  Answer,
  InterviewState,
  ItemEntry,
  Questionnaire,
} from '../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED, validateAnswer } from '../../src/core/questionnaire/index.ts';
import type { InterviewMeta } from '../../src/core/record/index.ts';
import { anonymise } from '../../src/core/record/index.ts';
import type { DefaultPolicy, RunOptions } from './interview-runner.ts';
import { DEFAULT_TODAY, runInterview } from './interview-runner.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same interviews. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID v4 drawn from `random` (reproducible, unlike crypto.randomUUID). */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Texts a CSV writer must survive: separators, quotes, line breaks, accents, formula signs. */
const AWKWARD_TEXTS = [
  'plus de bancs',
  'un « fou », ça fait peur; vraiment',
  'il a dit "non"',
  'ligne 1\nligne 2',
  '=SOMME(A1:A3)',
  'Élodie, 3 enfants',
  '  espaces autour  ',
  'ça',
];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function candidate(
  entry: ItemEntry,
  rowId: string | undefined,
  random: () => number,
): Answer | undefined {
  const { item } = entry;
  const codes = (entry.choices ?? []).map((choice) => choice.code);
  const several = (): string[] => {
    const exclusive = item.type === 'multiple' ? (item.exclusive ?? []) : [];
    const chosen = codes.filter((code) => !exclusive.includes(code) && random() < 0.35);
    if (chosen.length > 0) return chosen;
    return [pick(random, codes)];
  };
  switch (item.type) {
    case 'single':
      return pick(random, codes);
    case 'grid':
      return rowId === undefined
        ? undefined
        : item.select === 'multiple'
          ? several()
          : pick(random, codes);
    case 'multiple':
      return several();
    case 'integer': {
      const min = item.min ?? 0;
      const max = item.max ?? Math.max(min, 120);
      return min + Math.floor(random() * (max - min + 1));
    }
    case 'decimal': {
      const min = item.min ?? 0;
      const max = item.max ?? min + 100;
      return Math.round((min + random() * (max - min)) * 10) / 10;
    }
    case 'text':
      return pick(random, AWKWARD_TEXTS).slice(0, item.maxLength ?? 1000);
    case 'date': {
      const day = Math.floor(random() * 20_000);
      const date = new Date(Date.UTC(1970, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      return date > DEFAULT_TODAY ? DEFAULT_TODAY : date;
    }
    default:
      return undefined;
  }
}

/**
 * A respondent who answers at random, validly: a non-response now and then where it is offered
 * (`nonResponseRate`), otherwise a random answer of the right shape, tried a few times against
 * the item's constraint; an item with no valid draw is left unanswered.
 */
export function randomPolicy(
  q: Questionnaire,
  random: () => number,
  nonResponseRate = 0.08,
): DefaultPolicy {
  return (entry: ItemEntry, rowId: string | undefined, state: InterviewState) => {
    const item = entry.item;
    const id = rowId ?? item.id;
    const offers = item.type !== 'note' && item.type !== 'calculate' && item.nonResponse !== false;
    if (offers && random() < nonResponseRate) return random() < 0.5 ? DONT_KNOW : REFUSED;
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = candidate(entry, rowId, random);
      if (answer === undefined) return undefined;
      if (validateAnswer(q, state, id, answer, q.definition.defaultLanguage).valid) return answer;
    }
    return offers ? REFUSED : undefined;
  };
}

export interface MadeRecord {
  readonly record: InterviewRecordWire;
  /** The interview's answers as stored on the device (before anonymisation). */
  readonly answers: ReadonlyMap<string, Answer>;
}

/**
 * Runs an interview (script, then policy; `options` as `runInterview`'s) and anonymises it as the
 * device does; throws if the interview could neither be completed nor end on a screen-out.
 */
export function makeRecord(
  q: Questionnaire,
  script: Readonly<Record<string, Answer>>,
  policy: DefaultPolicy,
  meta: Partial<InterviewMeta> & { readonly id: string },
  options: Omit<RunOptions, 'policy'> = {},
): MadeRecord {
  const run = runInterview(q, script, { ...options, policy });
  const { status, screenOutId, quota } = run.record;
  if (status !== 'completed' && status !== 'screened_out') {
    throw new Error(`${q.definition.id}: the interview cannot be completed (${status})`);
  }
  const full: InterviewMeta = {
    site: 'lille',
    interviewer: 'ENQ-01',
    deviceId: 'tablet-1',
    status,
    ...(screenOutId === undefined ? {} : { screenOutId }),
    language: q.definition.defaultLanguage,
    appVersion: 'test',
    startedAt: `${DEFAULT_TODAY}T09:00:00.000Z`,
    endedAt: `${DEFAULT_TODAY}T09:41:30.000Z`,
    ...(quota === undefined ? {} : { quotaCategories: quota.categories }),
    alerts: run.alertsRaised,
    ...meta,
  };
  return {
    record: anonymise(q, full, run.state.answers, { today: () => DEFAULT_TODAY }),
    answers: run.state.answers,
  };
}
