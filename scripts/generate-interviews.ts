// `npm run generate:interviews -- --count N --site S [--out file.jsonl] [--seed 1] [--plan plan.json]
// [--distinct 400] [--interviewers 12] [--start 2026-03-02] [--days 90] [--questionnaire file.json]`:
// realistic anonymised SMPG interviews, one record a line (JSON Lines), as a tablet would upload
// them, for benchmarks, exports and demonstrations. The same options and seed give the same file.
// Any SMPG version (2026.1, 2026.2); by default the newest, the one the app starts.
//
// How (fast enough for 100,000 records: only the pool's respondents are interviewed):
// 1. A pool of `distinct` respondents (default 400) is drawn: a persona by prevalence (see
//    PERSONAS), an outcome (screen-outs at field rates), quota answers (sex, age, CSP, diploma)
//    from population-like shares, then the interview is run by the app's own InterviewSession
//    (over an in-memory store, with a fixed clock): its eligibility answers are the ones that end
//    the interview as the outcome says (the engine tells which), its quota decision is the
//    session's (a respondent drawn to be turned away meets cells already at their limits), and the
//    record is made by `anonymise` from what the session recorded.
// 2. Each of the `count` records takes a respondent of the pool at random and gets its own id
//    (time-ordered, as the app makes them: `interviewId`), interviewer (and that interviewer's
//    tablet), interview language, day (the records spread over the days in order), start time
//    and duration (drawn from the screens shown). Only these fields change: `anonymise` derives the
//    answers, computed values, status and alerts from the answers alone (the SMPG reads no
//    `today()`), so each record is exactly what `anonymise` returns for its own metadata.
import { closeSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { QuotaState } from '../src/app/interview/interview-session.ts';
import {
  InterviewSession,
  REVIEW,
  fixedClock,
  screenIds,
  screeningIds,
} from '../src/app/interview/interview-session.ts';
import { MemoryInterviewStore } from '../src/app/storage/memory-store.ts';
import type { InterviewRecord } from '../src/app/storage/types.ts';
import type { InterviewRecordWire } from '../src/core/protocol/index.ts';
import type {
  Answer,
  Clock,
  InterviewState,
  ItemEntry,
  Questionnaire,
} from '../src/core/questionnaire/index.ts';
import {
  DONT_KNOW,
  REFUSED,
  activeScreenOut,
  compareVersions,
  formatIssue,
  loadQuestionnaire,
  setAnswer,
} from '../src/core/questionnaire/index.ts';
import type { CellCounts, QuotaPlan } from '../src/core/quota/index.ts';
import {
  QUOTA_FULL_SCREEN_OUT,
  cellKey,
  loadQuotaPlan,
  siteLimit,
} from '../src/core/quota/index.ts';
import { anonymise, interviewId } from '../src/core/record/index.ts';
import type { Random } from './random.ts';
import { seededRandom } from './random.ts';

/** The screen-out id the app gives a respondent turned away because a quota cell was full. */
export const QUOTA_FULL = QUOTA_FULL_SCREEN_OUT;

/** Generalised anxiety: worries most days and hard to control, for nearly all who have them. */
const WORRIES: Readonly<Record<string, number>> = {
  gad_screen1: 0.95,
  gad_screen2: 0.95,
  gad_days: 0.95,
  gad_control: 0.9,
};

/**
 * Kinds of respondents and how common they are (weights out of 100). `conditions` are the health
 * modules (`mod_*` sections) a persona screens positive for: there they answer "yes" to most
 * questions, elsewhere "no" to most screens. `signs` set the chance of "yes" to single questions
 * (or grid rows), by id, whatever the module: what sets apart a persona whose module says more
 * than positive or negative (dependence or abuse, a suicide risk's level, a recurrence). The mix
 * gives the orders of magnitude the SMPG reports for the general population in France (DREES,
 * Études et Résultats 347): about one person in ten with a depressive episode (half of them
 * recurrent) or generalised anxiety, some suicide risk for one in seven (a high one for 2 %),
 * a few per cent for alcohol, drugs, phobias or a psychotic syndrome, around one per cent for
 * mania or post-traumatic stress. Ids of other versions' items are simply never asked.
 */
export const PERSONAS: readonly {
  readonly id: string;
  readonly weight: number;
  readonly conditions: readonly string[];
  readonly signs?: Readonly<Record<string, number>>;
  /** Share of questions answered "don't know" (and half as many "refused") where offered. */
  readonly nonResponse: number;
}[] = [
  { id: 'no_disorder', weight: 51, conditions: [], nonResponse: 0.01 },
  {
    id: 'anxious',
    weight: 8,
    conditions: ['mod_gad', 'mod_panic', 'mod_insom'],
    signs: WORRIES,
    nonResponse: 0.01,
  },
  {
    id: 'phobic',
    weight: 5,
    conditions: ['mod_social', 'mod_agora'],
    signs: { agora_screen: 0.7, social_screen: 0.9, social_excess: 0.9, social_avoid: 0.9 },
    nonResponse: 0.01,
  },
  {
    id: 'depressed',
    weight: 4,
    conditions: ['mod_dep', 'mod_insom'],
    // A first episode, now and then with thoughts of death but rarely of suicide.
    signs: { dep_past: 0.3, suic_screen_wish: 0.4, suic_screen_harm: 0.1, suic_thoughts: 0.1 },
    nonResponse: 0.01,
  },
  {
    id: 'recurrent_depression',
    weight: 3,
    conditions: ['mod_dep', 'mod_deprec', 'mod_dys', 'mod_suic'],
    // Thoughts of suicide (a moderate risk) more often than a recent attempt (a high one).
    signs: {
      dep_past: 0.95,
      dep_gap: 0.9,
      suic_thoughts: 0.6,
      suic_plan: 0.2,
      suic_soon: 0.05,
      suic_attempt_month: 0.03,
      suic_attempt_life: 0.2,
    },
    nonResponse: 0.01,
  },
  {
    id: 'suicidal_crisis',
    weight: 2,
    conditions: ['mod_dep', 'mod_suic'],
    signs: { dep_past: 0.5, suic_attempt_month: 0.4, suic_attempt_life: 0.6 },
    nonResponse: 0.02,
  },
  { id: 'dysthymic', weight: 2, conditions: ['mod_dys'], nonResponse: 0.01 },
  { id: 'alcohol_dependence', weight: 3, conditions: ['mod_alc'], nonResponse: 0.02 },
  {
    id: 'alcohol_abuse',
    weight: 2,
    conditions: ['mod_alc'],
    // Harm from drinking (driving, quarrels) without the signs of dependence.
    signs: {
      alc_tolerance: 0.2,
      alc_withdrawal: 0.02,
      alc_more: 0.25,
      alc_cutdown: 0.15,
      alc_time: 0.1,
      alc_giveup: 0.03,
      alc_despite_health: 0.1,
      alc_danger: 0.7,
      alc_legal: 0.2,
    },
    nonResponse: 0.02,
  },
  { id: 'drugs', weight: 2, conditions: ['mod_drug', 'mod_alc'], nonResponse: 0.02 },
  {
    id: 'drug_abuse',
    weight: 1,
    conditions: ['mod_drug'],
    signs: {
      drug_tolerance: 0.2,
      drug_withdrawal: 0.05,
      drug_more: 0.3,
      drug_cutdown: 0.2,
      drug_time: 0.15,
      drug_giveup: 0.05,
      drug_despite_health: 0.1,
      drug_legal: 0.3,
    },
    nonResponse: 0.02,
  },
  {
    id: 'psychotic',
    weight: 2,
    conditions: ['mod_psy', 'mod_suic'],
    signs: {
      psy_observed: 0.3,
      psy_observed_behaviour: 0.3,
      suic_thoughts: 0.5,
      suic_plan: 0.3,
      suic_soon: 0.1,
      suic_attempt_month: 0.05,
      suic_attempt_life: 0.3,
    },
    nonResponse: 0.03,
  },
  { id: 'bipolar', weight: 1, conditions: ['mod_mania', 'mod_dep'], nonResponse: 0.01 },
  {
    id: 'post_traumatic',
    weight: 1,
    conditions: ['mod_ptsd', 'mod_dep', 'mod_insom'],
    nonResponse: 0.01,
  },
  { id: 'insomnia', weight: 5, conditions: ['mod_insom'], nonResponse: 0.01 },
  {
    id: 'generalised_anxiety',
    weight: 5,
    conditions: ['mod_gad'],
    signs: WORRIES,
    nonResponse: 0.01,
  },
  { id: 'reticent', weight: 3, conditions: [], nonResponse: 0.3 },
];

/**
 * Share of "yes" from a respondent without the module's condition, where the defaults (4 % to a
 * screen, 20 % after one) would make positive results far too common: one "yes" to a suicide
 * question, one sign of abuse or two psychotic experiences are enough. Also other questions whose
 * "yes" is rarer than the default.
 */
const YES_RATES: Readonly<Record<string, number>> = {
  suic_screen_wish: 0.04,
  suic_screen_harm: 0.02,
  suic_thoughts: 0.015,
  suic_attempt_month: 0.002,
  suic_attempt_life: 0.03,
  alc_duties: 0.05,
  alc_danger: 0.1,
  alc_legal: 0.02,
  alc_relations: 0.05,
  drug_duties: 0.05,
  drug_danger: 0.05,
  drug_legal: 0.05,
  drug_relations: 0.05,
  psy_screen1: 0.015,
  psy_screen2: 0.015,
  psy_mindread: 0.015,
  psy_controlled: 0.01,
  psy_messages: 0.01,
  psy_beliefs: 0.01,
  psy_voices: 0.015,
  psy_visions: 0.015,
  psy_observed: 0.005,
  psy_observed_behaviour: 0.005,
  sd_community: 0.15,
};

/** Questions where "no" is the sign (a well spell rules dysthymia out, a substance psychosis). */
const REVERSED: ReadonlySet<string> = new Set(['dys_wellspell', 'psy_substance']);

/** How many of a symptom list a respondent with the module's condition names (at least, at most). */
const SYMPTOM_COUNTS: Readonly<Record<string, readonly [number, number]>> = {
  panic_symptoms: [4, 9],
  agora_situations: [2, 5],
};

/**
 * How interviews end, per 100 people who stop for the interviewer: the questionnaire's own
 * screen-outs (by id) and, with a quota plan, a full quota cell. The rest are completed.
 */
export const OUTCOME_WEIGHTS: Readonly<Record<string, number>> = {
  under_18: 2,
  outside_zone: 5,
  institution_or_homeless: 2,
  already_answered: 1,
  no_consent: 7,
  [QUOTA_FULL]: 3,
};

/** Age bands of the adult population (weights) and their bounds. */
const AGE_BANDS = [
  { min: 18, max: 24, weight: 11 },
  { min: 25, max: 39, weight: 24 },
  { min: 40, max: 54, weight: 25 },
  { min: 55, max: 64, weight: 16 },
  { min: 65, max: 79, weight: 18 },
  { min: 80, max: 95, weight: 6 },
];

/** Shares of the choices of some items and lists (in choice order); others are uniform. */
const CHOICE_WEIGHTS: Readonly<Record<string, readonly number[]>> = {
  sex: [48, 52],
  diploma: [18, 7, 22, 19, 13, 11, 10],
  sd_income: [12, 17, 18, 24, 15, 10, 4],
  birthplace: [82, 3, 5, 3, 3, 2, 1, 1],
  sd_religion: [10, 17, 26, 47],
  sd_religion_which: [63, 6, 2, 19, 2, 2, 1, 5],
};

/** Shares of the choices of some multiple-choice items, each chosen in proportion. */
const SUBSET_WEIGHTS: Readonly<Record<string, readonly number[]>> = {
  drug_which: [60, 10, 4, 10, 4, 8, 1, 3],
};

/** Working-age CSP shares (1-8); the retired (7) and students (8) follow from the age. */
const CSP_WEIGHTS = [1, 6, 19, 26, 27, 19, 0, 6];

/** What respondents said about "le fou", "le malade mental", "le dépressif" (open questions). */
const OPEN_ANSWERS = [
  "Quelqu'un qui a perdu la raison, qui fait peur.",
  'Une personne malade, qui a besoin de soins.',
  "Quelqu'un de très triste, qui n'a plus goût à rien.",
  'Une personne comme les autres, qui traverse un moment difficile.',
  'Je ne sais pas trop, quelqu’un de différent.',
  'Une personne dangereuse pour elle-même ou pour les autres.',
  'Quelqu’un qui ne se contrôle plus.',
  'Une personne fatiguée de tout, qui reste chez elle.',
];

/** Answers to other text questions, by item id, in the respondent's words. */
const TEXT_ANSWERS: Readonly<Record<string, readonly string[]>> = {
  sd_community_which: [
    'Antillaise',
    'La communauté portugaise',
    'Maghrébine',
    'Les Bretons',
    'Africaine, sénégalaise',
    'Turque',
    'Kabyle',
    'Corse',
    'Juive',
    'Vietnamienne',
    'Les gens du Nord, les Ch’tis',
  ],
};

/** Jobs as respondents say them, by CSP group (1-6), the man's word then the woman's. */
const OCCUPATIONS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  '1': [
    ['agriculteur', 'agricultrice'],
    ['éleveur de vaches laitières', 'éleveuse de vaches laitières'],
    ['viticulteur', 'viticultrice'],
    ['maraîcher', 'maraîchère'],
  ],
  '2': [
    ['boulanger', 'boulangère'],
    ['plombier à mon compte', 'plombière à mon compte'],
    ['commerçant, un magasin de vêtements', 'commerçante, un magasin de vêtements'],
    ['coiffeur, j’ai mon salon', 'coiffeuse, j’ai mon salon'],
    ['gérant d’un restaurant', 'gérante d’un restaurant'],
  ],
  '3': [
    ['ingénieur informatique', 'ingénieure informatique'],
    ['professeur de lycée', 'professeure de lycée'],
    ['médecin généraliste', 'médecin généraliste'],
    ['cadre dans une banque', 'cadre dans une banque'],
    ['avocat', 'avocate'],
  ],
  '4': [
    ['infirmier', 'infirmière'],
    ['technicien de maintenance', 'technicienne de maintenance'],
    ['professeur des écoles', 'professeure des écoles'],
    ['éducateur spécialisé', 'éducatrice spécialisée'],
    ['comptable', 'comptable'],
  ],
  '5': [
    ['employé de bureau', 'employée de bureau'],
    ['vendeur', 'vendeuse'],
    ['aide-soignant', 'aide-soignante'],
    ['agent d’entretien', 'agente d’entretien'],
    ['caissier', 'caissière'],
    ['secrétaire médical', 'secrétaire médicale'],
  ],
  '6': [
    ['maçon', 'maçonne'],
    ['cariste', 'cariste'],
    ['ouvrier à la chaîne', 'ouvrière à la chaîne'],
    ['chauffeur routier', 'chauffeuse routière'],
    ['électricien', 'électricienne'],
    ['ouvrier agricole', 'ouvrière agricole'],
  ],
};

/**
 * The occupation a respondent says (`occupation_said`), in keeping with the CSP the interviewer
 * then codes and the work situation: the retired and the unemployed name their last job,
 * students and people at home say so.
 */
function occupationSaid(random: Random, sex: string, csp: string, work: string): string {
  const woman = sex === '2';
  const job = (group: string): string => {
    const words = random.pick(OCCUPATIONS[group] ?? OCCUPATIONS['5'] ?? [['employé', 'employée']]);
    return woman ? words[1] : words[0];
  };
  if (csp === '7')
    return `${woman ? 'retraitée' : 'retraité'}, avant ${job(String(random.int(2, 6)))}`;
  if (csp === '8') {
    if (work === '3')
      return random.pick(
        woman
          ? ['étudiante en droit', 'lycéenne', 'étudiante en BTS', 'en apprentissage']
          : ['étudiant en droit', 'lycéen', 'étudiant en BTS', 'en apprentissage'],
      );
    if (work === '5') return woman ? 'mère au foyer' : 'homme au foyer';
    return random.pick(['sans profession', 'je n’ai jamais travaillé']);
  }
  if (work === '2') return `au chômage, avant ${job(csp)}`;
  return job(csp);
}

export interface GenerateOptions {
  /** The questionnaire version the records are for (the SMPG's, for realistic answers). */
  readonly questionnaire: Questionnaire;
  /** The site every record belongs to (a tablet's records are all of its site). */
  readonly site: string;
  /** How many records. */
  readonly count: number;
  /** Default 1. */
  readonly seed?: number;
  /**
   * The site's quota plan: records then carry their quota categories (completed interviews and
   * quota screen-outs, as the app records them), and some end as `quota_full`.
   */
  readonly plan?: QuotaPlan | undefined;
  /** Respondents walked through the engine; default `min(count, 400)`. */
  readonly distinct?: number;
  /** Interviewers (`ENQ01`...), each with a tablet of their own; default 12. */
  readonly interviewers?: number;
  /** First field day, `YYYY-MM-DD`; default `2026-03-02`. */
  readonly start?: string;
  /** Field days from `start`; default 90. */
  readonly days?: number;
  /** Default `generated`. */
  readonly appVersion?: string;
}

/** A respondent of the pool: who they are, their answers on the tablet, their record. */
export interface GeneratedRespondent {
  readonly persona: string;
  /** `completed`, or the screen-out id the interview ended on. */
  readonly outcome: string;
  /** Screens shown (notes included, a grid counting once). */
  readonly screens: number;
  /** Every answer given on the tablet, identifying ones included, by item or grid row id. */
  readonly answers: ReadonlyMap<string, Answer>;
  /** The answers in the order they were given (item or row ids). */
  readonly order: readonly string[];
  /** Alert ids, in the order they fired. */
  readonly alerts: readonly string[];
  /** The record as `anonymise` made it (its id, interviewer and dates are placeholders). */
  readonly record: InterviewRecordWire;
}

/** The field day the engine's clock says (the SMPG reads no `today()`). */
const CLOCK: Clock = { today: () => '2026-03-02' };

/** The session's clock: that day, with no time passing (durations are drawn in step 2). */
const SESSION_CLOCK = fixedClock('2026-03-02T09:00:00.000Z');

/**
 * The quota state a respondent of the pool meets: the plan's site limits, cells empty for one who
 * is accepted, every cell at its limit for one drawn to be turned away. Allocations are left out:
 * the pool's respondents are not yet anyone's (step 2 gives them their interviewers).
 */
function quotaStateFor(plan: QuotaPlan, outcome: string): QuotaState {
  const { allocations, ...sitePlan } = plan;
  void allocations;
  if (outcome !== QUOTA_FULL) return { plan: sitePlan, interviews: [] };
  const completed: Record<string, Record<string, number>> = {};
  for (const table of plan.tables) {
    completed[table.id] = Object.fromEntries(
      table.cells.map((cell) => [cellKey(cell.key), siteLimit(plan, cell.target)]),
    );
  }
  const full: CellCounts = completed;
  const at = '2026-03-02T08:00:00.000Z';
  return {
    plan: sitePlan,
    interviews: [],
    siteCounts: { completed: full, screenedOut: {}, at, receivedAt: at },
  };
}

interface Profile {
  readonly persona: (typeof PERSONAS)[number];
  readonly outcome: string;
  /** Answers decided up front (the quota variables and the work situation). */
  readonly fixed: ReadonlyMap<string, Answer>;
}

function drawProfile(random: Random, q: Questionnaire, plan: QuotaPlan | undefined): Profile {
  const persona = PERSONAS[random.weighted(PERSONAS.map((p) => p.weight))] ?? PERSONAS[0];
  if (persona === undefined) throw new Error('no personas');
  const possible = q.screenOuts
    .map(({ screenOut }) => screenOut.id)
    .filter((id) => OUTCOME_WEIGHTS[id] !== undefined);
  if (plan !== undefined) possible.push(QUOTA_FULL);
  const endings = possible.map((id) => OUTCOME_WEIGHTS[id] ?? 0);
  const completedWeight = 100 - endings.reduce((sum, weight) => sum + weight, 0);
  const index = random.weighted([...endings, completedWeight]);
  const outcome = possible[index] ?? 'completed';

  const band = AGE_BANDS[random.weighted(AGE_BANDS.map((b) => b.weight))] ?? AGE_BANDS[0];
  const age = band === undefined ? 40 : random.int(band.min, band.max);
  const csp =
    age >= 62 && random.chance(0.85)
      ? '7'
      : age <= 24 && random.chance(0.45)
        ? '8'
        : String(1 + random.weighted(CSP_WEIGHTS));
  const work =
    csp === '7'
      ? '4'
      : csp === '8'
        ? age <= 26
          ? '3'
          : random.pick(['5', '6'])
        : String(1 + random.weighted([85, 8, 0, 0, 3, 4]));
  const sex = String(1 + random.weighted(CHOICE_WEIGHTS['sex'] ?? [1, 1]));
  const fixed = new Map<string, Answer>([
    ['sex', sex],
    ['age', age],
    ['occupation_said', occupationSaid(random, sex, csp, work)],
    ['csp', csp],
    ['diploma', String(1 + random.weighted(CHOICE_WEIGHTS['diploma'] ?? [1]))],
    ['sd_work', work],
  ]);
  return { persona, outcome, fixed };
}

/**
 * Probability of "yes" to a yes/no question or row (`id`), by section and persona. In a health
 * module the persona does not have, screens are rarely "yes" and, once one is, details now and
 * then.
 */
function yesProbability(
  entry: ItemEntry,
  id: string,
  profile: Profile,
  opened: ReadonlySet<string>,
): number {
  const sign = profile.persona.signs?.[id];
  if (sign !== undefined) return sign;
  const section = entry.section.id;
  const ill = profile.persona.conditions.length > 0;
  if (section.startsWith('mod_')) {
    const p = profile.persona.conditions.includes(section)
      ? 0.85
      : (YES_RATES[id] ?? (opened.has(section) ? 0.2 : 0.04));
    return REVERSED.has(id) ? 1 - p : p;
  }
  if (section.startsWith('fu_')) return 0.5;
  if (section === 'care_use') return ill ? 0.4 : 0.05;
  return YES_RATES[id] ?? 0.3;
}

function choiceAnswer(
  random: Random,
  entry: ItemEntry,
  id: string,
  profile: Profile,
  codes: readonly string[],
  opened: ReadonlySet<string>,
): string {
  const item = entry.item;
  const list = 'choices' in item && typeof item.choices === 'string' ? item.choices : undefined;
  if (list === 'yes_no')
    return random.chance(yesProbability(entry, id, profile, opened)) ? '1' : '2';
  const weights =
    CHOICE_WEIGHTS[item.id] ?? (list === undefined ? undefined : CHOICE_WEIGHTS[list]);
  if (weights !== undefined && weights.length === codes.length)
    return codes[random.weighted(weights)] ?? random.pick(codes);
  return random.pick(codes);
}

function subsetAnswer(
  random: Random,
  entry: ItemEntry,
  profile: Profile,
  codes: readonly string[],
): string[] {
  const exclusive = entry.item.type === 'multiple' ? (entry.item.exclusive ?? []) : [];
  const others = codes.filter((code) => !exclusive.includes(code));
  const alone =
    entry.section.id === 'care_use' ? (profile.persona.conditions.length > 0 ? 0.4 : 0.85) : 0.2;
  if (exclusive.length > 0 && (others.length === 0 || random.chance(alone)))
    return [random.pick(exclusive)];
  const symptoms = SYMPTOM_COUNTS[entry.item.id];
  const wanted = Math.min(
    others.length,
    symptoms !== undefined && profile.persona.conditions.includes(entry.section.id)
      ? random.int(symptoms[0], symptoms[1])
      : 1 + random.weighted([50, 30, 20]),
  );
  const shares = SUBSET_WEIGHTS[entry.item.id];
  const weights = shares?.length === others.length ? [...shares] : others.map(() => 1);
  const chosen = new Set<string>();
  while (chosen.size < wanted) {
    const index = random.weighted(weights);
    chosen.add(others[index] ?? random.pick(others));
    // Drawn without replacement: a chosen code cannot come again.
    weights[index] = 0;
  }
  return others.filter((code) => chosen.has(code));
}

/** Where an answer is drawn: the interview so far, and what its screen-outs read. */
interface Place {
  readonly q: Questionnaire;
  readonly state: InterviewState;
  readonly screening: ReadonlySet<string>;
}

/** What this respondent answers to one item or grid row (undefined: left unanswered). */
function draw(
  random: Random,
  entry: ItemEntry,
  id: string,
  profile: Profile,
  place: Place,
  opened: ReadonlySet<string>,
): Answer | undefined {
  const item = entry.item;
  if (item.type === 'note' || item.type === 'calculate') return undefined;
  const codes = (entry.choices ?? []).map((choice) => choice.code);
  if (place.screening.has(id) && codes.length > 0) {
    // Eligibility: the choice that ends the interview as the respondent's outcome says, else the
    // first one that ends nothing (the engine says which).
    const { q, state } = place;
    const ending = (code: string) => activeScreenOut(q, setAnswer(q, state, id, code))?.id;
    return (
      codes.find((code) => ending(code) === profile.outcome) ??
      codes.find((code) => ending(code) === undefined)
    );
  }
  const fixed = profile.fixed.get(id);
  if (fixed !== undefined) return fixed;
  // Identifying answers never leave the tablet (`anonymise` drops them); a required one is given.
  if (item.identifying === true)
    return item.required === true || random.chance(0.2) ? 'RAS' : undefined;
  if (item.nonResponse !== false) {
    const rate = profile.persona.nonResponse;
    if (random.chance(rate)) return DONT_KNOW;
    if (random.chance(rate / 2)) return REFUSED;
  }
  switch (item.type) {
    case 'single':
      return choiceAnswer(random, entry, id, profile, codes, opened);
    case 'multiple':
      return subsetAnswer(random, entry, profile, codes);
    case 'grid':
      return item.select === 'multiple'
        ? subsetAnswer(random, entry, profile, codes)
        : choiceAnswer(random, entry, id, profile, codes, opened);
    case 'integer':
    case 'decimal': {
      const min = item.min ?? 0;
      const value = min + Math.floor(-Math.log(1 - random.next()) * 1.5);
      return item.max === undefined ? value : Math.min(value, item.max);
    }
    case 'text':
      return random.pick(TEXT_ANSWERS[id] ?? OPEN_ANSWERS);
    case 'date':
      return item.min ?? CLOCK.today();
  }
}

/** What a respondent's interview left: the session's record and state, and how it went. */
interface Walk {
  readonly record: InterviewRecord;
  readonly state: InterviewState;
  readonly screens: number;
  readonly order: string[];
}

/** Runs one respondent's interview with the app's session; throws if the walk goes wrong. */
function walk(
  q: Questionnaire,
  random: Random,
  profile: Profile,
  plan: QuotaPlan | undefined,
  screening: ReadonlySet<string>,
): Walk {
  const { session } = InterviewSession.start(
    q,
    {
      // Placeholders: the record's are drawn after the walk, and again for each record (step 2).
      id: '00000000-0000-4000-8000-000000000000',
      questionnaireId: q.definition.id,
      questionnaireVersion: q.definition.version,
      site: 'generated',
      interviewer: 'ENQ01',
      deviceId: 'generated',
      practice: false,
      language: q.definition.defaultLanguage,
      appVersion: 'generated',
    },
    {
      store: new MemoryInterviewStore(),
      clock: SESSION_CLOCK,
      quotas: plan === undefined ? undefined : quotaStateFor(plan, profile.outcome),
    },
  );
  const order: string[] = [];
  const opened = new Set<string>();
  let screens = 0;
  for (;;) {
    const { record, state } = session.current;
    const here = record.position;
    if (record.status === 'screened_out' || here === null || here === REVIEW) break;
    const entry = q.itemById.get(here);
    if (entry === undefined) throw new Error(`${q.definition.id}: no item "${here}"`);
    screens++;
    const item = entry.item;
    for (const id of screenIds(q, state, here)) {
      const place = () => ({ q, state: session.current.state, screening });
      let answer = draw(random, entry, id, profile, place(), opened);
      if (answer === undefined) continue;
      for (let attempt = 0; !session.answer(id, answer).validation.valid; attempt++) {
        if (attempt >= 10) throw new Error(`${q.definition.id}: no valid answer drawn for "${id}"`);
        answer = draw(random, entry, id, profile, place(), opened) ?? DONT_KNOW;
      }
      order.push(id);
      // A "yes" to a module's screening question (one asked unconditionally) opens the module.
      if (answer === '1' && item.relevant === undefined && entry.section.id.startsWith('mod_'))
        opened.add(entry.section.id);
    }
    void session.next();
    const [problem] = session.getSnapshot().errors;
    if (problem !== undefined)
      throw new Error(`${q.definition.id}: generated interview stuck at "${problem[0]}"`);
  }
  if (session.current.record.position === REVIEW) void session.complete();
  const { record, state } = session.current;
  if (record.status !== 'completed' && record.status !== 'screened_out')
    throw new Error(`${q.definition.id}: generated interview incomplete`);
  return { record, state, screens, order };
}

/** Draws the pool of respondents (step 1 above). Deterministic for a given seed. */
export function respondentPool(options: GenerateOptions): GeneratedRespondent[] {
  const q = options.questionnaire;
  const plan = options.plan;
  if (plan !== undefined && plan.questionnaire !== q.definition.id)
    throw new Error(`the plan is for ${plan.questionnaire}, not ${q.definition.id}`);
  const size = Math.max(1, options.distinct ?? Math.min(options.count, 400));
  const screening = screeningIds(q);
  const random = seededRandom(options.seed ?? 1);
  const pool: GeneratedRespondent[] = [];
  for (let n = 0; n < size; n++) {
    // One stream per respondent: what one draws never shifts the next ones.
    const own = random.fork();
    const profile = drawProfile(own, q, plan);
    const run = walk(q, own, profile, plan, screening);
    const { record } = run;
    const outcome = record.status === 'completed' ? 'completed' : (record.screenOutId ?? '');
    const alerts = (record.alerts ?? []).map((alert) => alert.id);
    const anonymised = anonymise(
      q,
      {
        id: own.uuid(),
        site: options.site,
        interviewer: 'ENQ01',
        deviceId: 'generated',
        status: record.status === 'completed' ? 'completed' : 'screened_out',
        screenOutId: record.screenOutId,
        language: q.definition.defaultLanguage,
        appVersion: options.appVersion ?? 'generated',
        startedAt: '2026-03-02T09:00:00.000Z',
        endedAt: '2026-03-02T09:45:00.000Z',
        quotaCategories: record.quota?.categories,
        alerts,
      },
      run.state.answers,
      CLOCK,
    );
    pool.push({
      persona: profile.persona.id,
      outcome,
      screens: run.screens,
      answers: run.state.answers,
      order: run.order,
      alerts,
      record: anonymised,
    });
  }
  return pool;
}

/**
 * The records (step 2 above), lazily: 100,000 of them share the pool's answer objects, so treat
 * them as read-only. Pass the pool when you already have it.
 */
export function* generateInterviews(
  options: GenerateOptions,
  pool: readonly GeneratedRespondent[] = respondentPool(options),
): Generator<InterviewRecordWire> {
  const random = seededRandom(((options.seed ?? 1) ^ 0x5bd1e995) >>> 0);
  const interviewers = Array.from({ length: Math.max(1, options.interviewers ?? 12) }, (_, i) => ({
    code: `ENQ${String(i + 1).padStart(2, '0')}`,
    deviceId: random.uuid(),
  }));
  const start = Date.parse(`${options.start ?? '2026-03-02'}T00:00:00.000Z`);
  if (Number.isNaN(start)) throw new Error(`not a date: ${options.start ?? ''}`);
  const days = Math.max(1, options.days ?? 90);
  const english = options.questionnaire.definition.languages.includes('en');
  for (let n = 0; n < options.count; n++) {
    const respondent = random.pick(pool);
    const who = random.pick(interviewers);
    // Day after day, as a site's uploads come in; between 9:00 and 18:00 UTC; about 10 to 35
    // seconds a screen, plus greeting and goodbye.
    const day = Math.floor((n * days) / options.count);
    const startedAt = start + day * 86_400_000 + random.int(9 * 3600, 18 * 3600) * 1000;
    const completed = respondent.outcome === 'completed';
    const perScreen = completed ? 10 + random.next() * 25 : 10 + random.next() * 20;
    const duration = Math.round(
      respondent.screens * perScreen + (completed ? random.int(60, 300) : random.int(20, 90)),
    );
    const bytes = new Uint8Array(10);
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
    yield {
      ...respondent.record,
      // As the app makes them: the time the interview started, then random bits.
      id: interviewId(startedAt, bytes),
      interviewer: who.code,
      deviceId: who.deviceId,
      language: english && random.chance(0.03) ? 'en' : respondent.record.language,
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(startedAt + duration * 1000).toISOString(),
      durationSeconds: duration,
    };
  }
}

/**
 * The newest definition in a questionnaire's folder (`questionnaires/smpg`): the version the app
 * starts new interviews on (`newestVersions` in src/app/questionnaires/catalogue.ts).
 */
export function newestDefinition(folder: string): string {
  const versions = readdirSync(folder)
    .map((name) => /^(\d+(?:\.\d+)*)\.json$/.exec(name)?.[1])
    .filter((version) => version !== undefined)
    .sort(compareVersions);
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`no questionnaire definition in ${folder}`);
  return join(folder, `${newest}.json`);
}

const USAGE = `usage: npm run generate:interviews -- --count <n> --site <id> [--out <file.jsonl>] [--seed 1]
  [--plan <plan.json>] [--distinct 400] [--interviewers 12] [--start 2026-03-02] [--days 90]
  [--questionnaire <file.json>, default: the newest in questionnaires/smpg]`;

export class UsageError extends Error {}

function positiveInteger(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required\n${USAGE}`);
    return fallback;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new UsageError(`--${name} must be a whole number, not "${text}"`);
  return value;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Parses the command line into generator options and the output file (stdout when absent). */
export function parseCommandLine(argv: readonly string[]): {
  options: GenerateOptions;
  out: string | undefined;
} {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        count: { type: 'string' },
        site: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        plan: { type: 'string' },
        distinct: { type: 'string' },
        interviewers: { type: 'string' },
        start: { type: 'string' },
        days: { type: 'string' },
        questionnaire: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.site === undefined || values.site === '')
    throw new UsageError(`--site is required\n${USAGE}`);
  const file = values.questionnaire ?? newestDefinition('questionnaires/smpg');
  const loaded = loadQuestionnaire(readJson(file));
  if (loaded.status === 'failure')
    throw new UsageError(`${file}:\n${loaded.issues.map(formatIssue).join('\n')}`);
  let plan: QuotaPlan | undefined;
  if (values.plan !== undefined) {
    const checked = loadQuotaPlan(readJson(values.plan));
    if (checked.status === 'failure')
      throw new UsageError(
        `${values.plan}:\n${checked.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`,
      );
    plan = checked.plan;
    if (plan.questionnaire !== loaded.questionnaire.definition.id)
      throw new UsageError(
        `${values.plan} is a plan for ${plan.questionnaire}, not ${loaded.questionnaire.definition.id}`,
      );
  }
  if (values.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.start))
    throw new UsageError(`--start must be a date YYYY-MM-DD, not "${values.start}"`);
  const options: GenerateOptions = {
    questionnaire: loaded.questionnaire,
    site: values.site,
    count: positiveInteger('count', values.count),
    seed: positiveInteger('seed', values.seed, 1),
    plan,
    ...(values.distinct === undefined
      ? {}
      : { distinct: positiveInteger('distinct', values.distinct) }),
    interviewers: positiveInteger('interviewers', values.interviewers, 12),
    ...(values.start === undefined ? {} : { start: values.start }),
    days: positiveInteger('days', values.days, 90),
  };
  return { options, out: values.out };
}

/** Writes the records as JSON Lines to a file descriptor; returns how many ended how. */
export function writeRecords(fd: number, options: GenerateOptions): Record<string, number> {
  const outcomes: Record<string, number> = {};
  let lines: string[] = [];
  for (const record of generateInterviews(options)) {
    const outcome = record.screenOutId ?? record.status;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    lines.push(JSON.stringify(record));
    if (lines.length === 1000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  return outcomes;
}

if (process.argv[1]?.endsWith('generate-interviews.ts')) {
  try {
    const { options, out } = parseCommandLine(process.argv.slice(2));
    const started = performance.now();
    const fd = out === undefined ? 1 : openSync(out, 'w');
    const outcomes = writeRecords(fd, options);
    if (out !== undefined) closeSync(fd);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = Object.entries(outcomes)
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ');
    process.stderr.write(
      `${options.count} records (${summary}) ${out === undefined ? '' : `written to ${out} `}in ${seconds} s\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
