// Respondents of the SMPG questionnaire (questionnaires/smpg/2026.1.json) as data: what they
// answer and what the definition's logic says must follow, worked out by hand from its README.
// Those of version 2026.2 are in smpg-personas-2026.2.ts, built from the blocks exported here.
import type { Value } from '../../src/core/expression/index.ts';
import type { Answer, ItemEntry, Questionnaire } from '../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../src/core/questionnaire/index.ts';
import type { DefaultPolicy } from './interview-runner.ts';

/** The module results and the suicide risk level: what the study analyses. */
export const RESULT_VARS = [
  'res_dep',
  'res_dep_recurrent',
  'res_dysthymia',
  'res_mania',
  'res_gad',
  'res_panic',
  'res_agoraphobia',
  'res_social_phobia',
  'res_ptsd',
  'res_alcohol',
  'res_drugs',
  'res_psychosis',
  'res_suicide',
  'res_insomnia',
  'suicide_level',
] as const;
export type ResultVar = (typeof RESULT_VARS)[number];

/** The other computed values a persona pins down. */
export const COMPUTED_VARS = ['age_band', 'migration_generation', 'suicide_score'] as const;
export type ComputedVar = (typeof COMPUTED_VARS)[number];

/** Each health module, in interview order: its section, its result and its follow-up section. */
export const MODULES = [
  { section: 'mod_dep', result: 'res_dep', followUp: 'fu_dep' },
  { section: 'mod_deprec', result: 'res_dep_recurrent', followUp: 'fu_deprec' },
  { section: 'mod_dys', result: 'res_dysthymia', followUp: 'fu_dys' },
  { section: 'mod_mania', result: 'res_mania', followUp: 'fu_mania' },
  { section: 'mod_gad', result: 'res_gad', followUp: 'fu_gad' },
  { section: 'mod_panic', result: 'res_panic', followUp: 'fu_panic' },
  { section: 'mod_agora', result: 'res_agoraphobia', followUp: 'fu_agora' },
  { section: 'mod_social', result: 'res_social_phobia', followUp: 'fu_social' },
  { section: 'mod_ptsd', result: 'res_ptsd', followUp: 'fu_ptsd' },
  { section: 'mod_alc', result: 'res_alcohol', followUp: 'fu_alc' },
  { section: 'mod_drug', result: 'res_drugs', followUp: 'fu_drug' },
  { section: 'mod_psy', result: 'res_psychosis', followUp: 'fu_psy' },
  { section: 'mod_suic', result: 'res_suicide', followUp: 'fu_suic' },
  { section: 'mod_insom', result: 'res_insomnia', followUp: 'fu_insom' },
] as const satisfies readonly { section: string; result: ResultVar; followUp: string }[];

/**
 * Items of a module that do not open it: the screening items of the README's table, and the two
 * items asked to everyone who reaches their module (`psy_observed`, `suic_attempt_life`).
 */
export const MODULE_ENTRY_ITEMS: ReadonlySet<string> = new Set([
  'dep_screen1',
  'dep_screen2',
  'deprec_screen',
  'dys_screen',
  'mania_screen1',
  'mania_screen2',
  'gad_screen1',
  'gad_screen2',
  'panic_screen',
  'agora_screen',
  'social_screen',
  'ptsd_screen1',
  'ptsd_screen2',
  'alc_screen1',
  'alc_screen2',
  'drug_screen',
  'psy_screen1',
  'psy_screen2',
  'psy_observed',
  'suic_screen_wish',
  'suic_screen_harm',
  'suic_attempt_life',
  'insom_screen',
]);

/**
 * A module is "opened" when at least one of its detail items was asked: an item of its `mod_*`
 * section that is neither a note nor one of `MODULE_ENTRY_ITEMS`. Returns section ids in
 * interview order.
 */
export function modulesOpened(q: Questionnaire, asked: readonly string[]): string[] {
  const opened = new Set<string>();
  for (const id of asked) {
    const entry = q.itemById.get(id);
    if (entry === undefined || entry.item.type === 'note' || MODULE_ENTRY_ITEMS.has(id)) continue;
    opened.add(entry.section.id);
  }
  return MODULES.map((module) => module.section).filter((section) => opened.has(section));
}

const offersNonResponse = (entry: ItemEntry): boolean =>
  entry.item.type !== 'note' && entry.item.type !== 'calculate' && entry.item.nonResponse !== false;

/** What a persona answers where its script is silent (see `DefaultPolicy`). */
export const POLICIES = {
  /** Leave it unanswered. */
  skip: 'skip',
  /**
   * A plain respondent: "no" (`2`) to every yes/no question or row, the first choice of any other
   * single choice or row, the first choice alone of a multiple choice, the minimum of a number;
   * texts are left empty.
   */
  no: (entry) => {
    const item = entry.item;
    const first = entry.choices?.[0]?.code;
    switch (item.type) {
      case 'single':
      case 'grid':
        if (item.type === 'grid' && item.select === 'multiple') return first ? [first] : undefined;
        return item.choices === 'yes_no' ? '2' : first;
      case 'multiple':
        return first ? [first] : undefined;
      case 'integer':
        return item.min ?? 0;
      default:
        return undefined;
    }
  },
  /** "Refused" wherever it is offered; nothing elsewhere. */
  refuse: (entry) => (offersNonResponse(entry) ? REFUSED : undefined),
  /** "Don't know" wherever it is offered; nothing elsewhere. */
  dont_know: (entry) => (offersNonResponse(entry) ? DONT_KNOW : undefined),
} as const satisfies Record<string, DefaultPolicy>;
export type PolicyName = keyof typeof POLICIES;

export type Outcome = 'end' | 'under_18' | 'outside_zone' | 'already_answered' | 'no_consent';

export interface Persona {
  readonly id: string;
  readonly description: string;
  readonly script: Readonly<Record<string, Answer>>;
  readonly policy: PolicyName;
  readonly expected: {
    /** `end`, or the id of the screen-out that ends the interview. */
    readonly outcome: Outcome;
    /** Module sections opened (see `modulesOpened`), in interview order. */
    readonly modulesOpened: readonly string[];
    /** Every module result and `suicide_level` (`''` when not assessed). */
    readonly results: Readonly<Record<ResultVar, Value>>;
    readonly computed: Readonly<Record<ComputedVar, Value>>;
    /** Alert ids raised during the interview, in order of first firing. */
    readonly alerts: readonly string[];
    /** Screens shown: notes included, a grid counting once, calculations never. */
    readonly itemsAsked: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks of the scripts.

export const ELIGIBLE = { elig_adult: '1', elig_zone: '1', elig_first: '1', elig_consent: '1' };

export function quota(
  sex: '1' | '2',
  age: number,
  csp: string,
  diploma: string,
): Record<string, Answer> {
  return { sex, age, csp, diploma };
}

/** Representations: open answers, the behaviours grid, the three figures, places of care. */
export const OPINIONS: Record<string, Answer> = {
  rep_fou_open: "Quelqu'un qui a perdu la raison, qui fait peur.",
  rep_mm_open: 'Une personne malade, qui a besoin de soins.',
  rep_dep_open: "Quelqu'un de très triste, qui n'a plus goût à rien.",
  beh_violent: '1',
  beh_kill: '1',
  beh_rape: '4',
  beh_family_violence: '4',
  beh_cry: '3',
  beh_sad: '3',
  beh_incoherent: '1',
  beh_talk_alone: '1',
  beh_voices: '2',
  beh_drink: '4',
  beh_drugs: '4',
  beh_suicide_attempt: '3',
  beh_suicide: '3',
  beh_neglect: '2',
  beh_isolated: '3',
  beh_agitated: '1',
  beh_exhibition: '1',
  beh_fearful: '2',
  beh_no_sleep: '3',
  rep_fou_resp_state: '2',
  rep_fou_resp_acts: '2',
  rep_fou_cure: '3',
  rep_fou_forced: '1',
  rep_fou_carers: ['2', '5'],
  rep_fou_means: ['1', '3'],
  rep_fou_causes: ['1', '2', '8'],
  rep_fou_relative: ['4', '5'],
  rep_mm_resp_state: '2',
  rep_mm_resp_acts: '1',
  rep_mm_cure: '3',
  rep_mm_forced: '1',
  rep_mm_carers: ['1', '2', '4'],
  rep_mm_means: ['1', '2'],
  rep_mm_causes: ['2', '3', '4'],
  rep_mm_relative: ['3', '4'],
  rep_dep_resp_state: '2',
  rep_dep_resp_acts: '1',
  rep_dep_cure: '1',
  rep_dep_forced: '2',
  rep_dep_carers: ['1', '3', '5'],
  rep_dep_means: ['2', '4'],
  rep_dep_causes: ['3', '5', '6', '7'],
  rep_dep_relative: ['1', '3'],
  rep_places_known: ['1', '2', '4', '5'],
};

/** A script without some of its answers (of items that will not be asked). */
export function without(script: Record<string, Answer>, ...ids: string[]): Record<string, Answer> {
  return Object.fromEntries(Object.entries(script).filter(([id]) => !ids.includes(id)));
}

/** No care used in the last twelve months, no medication. */
export const NO_CARE: Record<string, Answer> = {
  care_gp: '2',
  care_psychiatrist: '2',
  care_psychologist: '2',
  care_hospital: '2',
  care_emergency: '2',
  care_other: '2',
  care_meds: ['6'],
};

/** Socio-demographics; birthplaces (list `birthplace`) of the person, parents, grandparents. */
export function about(
  births: {
    self: string;
    mother: string;
    father: string;
    grandparents: readonly [string, string, string, string];
  } = { self: '1', mother: '1', father: '1', grandparents: ['1', '1', '1', '1'] },
): Record<string, Answer> {
  const [gmMother, gfMother, gmFather, gfFather] = births.grandparents;
  return {
    sd_marital: '2',
    sd_household: ['2', '3'],
    sd_birth_self: births.self,
    sd_birth_mother: births.mother,
    sd_birth_father: births.father,
    sd_birth_gm_mother: gmMother,
    sd_birth_gf_mother: gfMother,
    sd_birth_gm_father: gmFather,
    sd_birth_gf_father: gfFather,
    sd_religion: '3',
    sd_income: '3',
    sd_work: '1',
  };
}

/**
 * The five items of a follow-up section `fu_<module>`: the impact grid, help asked (`1` adds
 * `help_who`), treatment received (`1` adds `satisfaction`).
 */
export function followUp(
  module: string,
  help: '1' | '2',
  treated: '1' | '2',
): Record<string, Answer> {
  const p = `fu_${module}`;
  return {
    [`${p}_impact_work`]: '3',
    [`${p}_impact_family`]: '2',
    [`${p}_impact_social`]: '2',
    [`${p}_help`]: help,
    ...(help === '1' ? { [`${p}_help_who`]: ['1', '6'] } : {}),
    [`${p}_treated`]: treated,
    ...(treated === '1' ? { [`${p}_satisfaction`]: '2' } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Expected values, worked out from the definition.

/** Every module negative and no suicide risk: all screens "no" (or a non-response). */
const NEGATIVE: Record<ResultVar, Value> = {
  res_dep: 0,
  res_dep_recurrent: 0,
  res_dysthymia: 0,
  res_mania: 0,
  res_gad: 0,
  res_panic: 0,
  res_agoraphobia: 0,
  res_social_phobia: 0,
  res_ptsd: 0,
  res_alcohol: 0,
  res_drugs: 0,
  res_psychosis: 0,
  res_suicide: 0,
  res_insomnia: 0,
  suicide_level: 'none',
};

/** Screened out: every section after eligibility is irrelevant, so every result is empty. */
const NOT_ASSESSED: Record<ResultVar, Value> = {
  res_dep: '',
  res_dep_recurrent: '',
  res_dysthymia: '',
  res_mania: '',
  res_gad: '',
  res_panic: '',
  res_agoraphobia: '',
  res_social_phobia: '',
  res_ptsd: '',
  res_alcohol: '',
  res_drugs: '',
  res_psychosis: '',
  res_suicide: '',
  res_insomnia: '',
  suicide_level: '',
};
const NOTHING_COMPUTED = { age_band: '', migration_generation: '', suicide_score: '' };

/**
 * Screens shown to an eligible respondent who screens positive nowhere (README: 69 questions, a
 * grid counting once, plus 7 notes): eligibility 5 (note + 4), quota 4 (age_band is computed),
 * open questions 4 (note + 3), behaviours grid 1, the three figures 8 each (24: `*_means` asked
 * unless the carer is "nobody"), places 1; modules: dep 3 (note + 2 screens), deprec 1, dys 1,
 * mania 2, gad 1, panic 1, agora 1, social 1, ptsd 1, alc 2, drug 1, psy 4 (note, 2 screens,
 * `psy_observed`), suic 4 (note, 2 screens, `suic_attempt_life`), insom 1; care use 2;
 * socio-demographics 9 (note + 8); end 2 (note + interviewer's note). Total 76.
 */
export const BASE_ITEMS = 76;

/** A follow-up section shows its grid, help and treated (3), plus one item per "yes". */
export const fuItems = (help: '1' | '2', treated: '1' | '2'): number =>
  3 + (help === '1' ? 1 : 0) + (treated === '1' ? 1 : 0);

export const PERSONAS: readonly Persona[] = [
  // --- Not eligible: one persona per screen-out; the walk stops right after the "no".
  {
    id: 'under_18',
    description: 'a 16-year-old: "no" to the first eligibility question',
    script: { elig_adult: '2' },
    policy: 'skip',
    expected: {
      outcome: 'under_18',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 2, // elig_intro, elig_adult
    },
  },
  {
    id: 'outside_zone',
    description: 'an adult visiting from another town',
    script: { elig_adult: '1', elig_zone: '2' },
    policy: 'skip',
    expected: {
      outcome: 'outside_zone',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 3,
    },
  },
  {
    id: 'already_answered',
    description: 'a resident who already answered the survey last week',
    script: { elig_adult: '1', elig_zone: '1', elig_first: '2' },
    policy: 'skip',
    expected: {
      outcome: 'already_answered',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 4,
    },
  },
  {
    id: 'no_consent',
    description: 'an eligible resident who declines to take part',
    script: { elig_adult: '1', elig_zone: '1', elig_first: '1', elig_consent: '2' },
    policy: 'skip',
    expected: {
      outcome: 'no_consent',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 5,
    },
  },

  // --- Interviews that reach the end.
  {
    id: 'no_disorder',
    description: 'a 34-year-old employee who answers "no" to every health question',
    script: { ...ELIGIBLE, ...quota('2', 34, '5', '4'), ...OPINIONS, ...NO_CARE, ...about() },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: NEGATIVE,
      computed: { age_band: '30-39', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS,
    },
  },
  {
    id: 'depressed_high_suicide_risk',
    description:
      'current depression at the threshold (5 of 9), a past episode making it recurrent, and a ' +
      'suicide score of exactly 8 (wish 1 + thoughts 4 + past attempt 3): the alert fires',
    script: {
      ...ELIGIBLE,
      ...quota('1', 45, '6', '3'),
      ...OPINIONS,
      // 5 of 9: screen1, sleep, energy, focus, death.
      dep_screen1: '1',
      dep_screen2: '2',
      dep_sleep: '1',
      dep_appetite: '2',
      dep_energy: '1',
      dep_pace: '2',
      dep_focus: '1',
      dep_worth: '2',
      dep_death: '1',
      ...followUp('dep', '1', '1'),
      // One past episode + the current one = 2; the gap is asked because res_dep = 1.
      deprec_screen: '1',
      deprec_count: 1,
      deprec_symptoms: '1',
      deprec_function: '1',
      deprec_gap: '1',
      ...followUp('deprec', '2', '2'),
      suic_screen_wish: '1',
      suic_screen_harm: '2',
      suic_thoughts: '1',
      suic_plan: '2',
      suic_attempt_month: '2',
      suic_soon: '2',
      suic_attempt_life: '1',
      ...followUp('suic', '1', '1'),
      ...NO_CARE,
      care_gp: '1',
      care_meds: ['1'],
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_dep', 'mod_deprec', 'mod_suic'],
      results: {
        ...NEGATIVE,
        res_dep: 1,
        res_dep_recurrent: 1,
        res_suicide: 1,
        suicide_level: 'high',
      },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 8 },
      alerts: ['suicide_high'],
      // dep details 7, fu_dep, deprec count/symptoms/function/gap 4, fu_deprec,
      // suic thoughts/plan/attempt_month/soon 4, fu_suic.
      itemsAsked:
        BASE_ITEMS + 7 + fuItems('1', '1') + 4 + fuItems('2', '2') + 4 + fuItems('1', '1'),
    },
  },
  {
    id: 'psychotic_syndrome',
    description: 'both psychosis screens, two further experiences and the interviewer observation',
    script: {
      ...ELIGIBLE,
      ...quota('2', 27, '8', '5'),
      ...OPINIONS,
      psy_screen1: '1',
      psy_screen2: '1',
      psy_control: '1',
      psy_messages: '2',
      psy_beliefs: '1',
      psy_substance: '2',
      psy_recent: '1',
      psy_observed: '1',
      ...followUp('psy', '1', '1'),
      ...NO_CARE,
      care_psychiatrist: '1',
      care_hospital: '1',
      care_meds: ['3'],
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_psy'],
      results: { ...NEGATIVE, res_psychosis: 1 },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 5 + fuItems('1', '1'),
    },
  },
  {
    id: 'alcohol_and_generalised_anxiety',
    description: 'binge drinking with 3 of 9 problems, and daily worries with 3 of 6 symptoms',
    script: {
      ...ELIGIBLE,
      ...quota('1', 52, '2', '3'),
      ...OPINIONS,
      gad_screen1: '1',
      gad_screen2: '1',
      gad_tense: '1',
      gad_tired: '1',
      gad_focus: '2',
      gad_irritable: '1',
      gad_muscles: '2',
      gad_sleep: '2',
      ...followUp('gad', '1', '1'),
      alc_screen1: '1',
      alc_screen2: '2',
      alc_more: '1',
      alc_cutdown: '1',
      alc_time: '2',
      alc_tolerance: '2',
      alc_withdrawal: '2',
      alc_duties: '1',
      alc_giveup: '2',
      alc_danger: '2',
      alc_despite: '2',
      ...followUp('alc', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_gad', 'mod_alc'],
      results: { ...NEGATIVE, res_gad: 1, res_alcohol: 1 },
      computed: { age_band: '50-59', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      // gad_screen2 1 + gad details 6, fu_gad, alc details 9, fu_alc.
      itemsAsked: BASE_ITEMS + 1 + 6 + fuItems('1', '1') + 9 + fuItems('1', '1'),
    },
  },
  {
    id: 'refuses_everything',
    description:
      'answers eligibility and quotas (no non-response offered there) and refuses every other ' +
      'question: no module opens, every result is 0, risk none, migration 0 (unknown = not abroad)',
    script: { ...ELIGIBLE, ...quota('2', 60, '7', '2') },
    policy: 'refuse',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: NEGATIVE,
      computed: { age_band: '60-69', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      // `*_means` are asked: a refused carer list selects nothing, not "nobody".
      itemsAsked: BASE_ITEMS,
    },
  },
  {
    id: 'recurrent_depression_and_dysthymia',
    description:
      'no current episode, three past episodes with well spells, and two years of low mood',
    script: {
      ...ELIGIBLE,
      ...quota('2', 48, '4', '6'),
      ...OPINIONS,
      deprec_screen: '1',
      deprec_count: 3,
      deprec_symptoms: '1',
      deprec_function: '1',
      deprec_gap: '1',
      ...followUp('deprec', '1', '1'),
      dys_screen: '1',
      dys_wellspell: '2',
      dys_energy: '1',
      dys_sleep: '1',
      dys_appetite: '2',
      dys_esteem: '1',
      dys_focus: '2',
      dys_hopeless: '2',
      dys_distress: '1',
      ...followUp('dys', '1', '1'),
      ...NO_CARE,
      care_psychologist: '1',
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_deprec', 'mod_dys'],
      results: { ...NEGATIVE, res_dep_recurrent: 1, res_dysthymia: 1 },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 4 + fuItems('1', '1') + 8 + fuItems('1', '1'),
    },
  },
  {
    id: 'manic_episode_irritable',
    description: 'irritable (not elated) for over a week with 4 of 7 symptoms: the 4 threshold',
    script: {
      ...ELIGIBLE,
      ...quota('1', 39, '3', '7'),
      ...OPINIONS,
      mania_screen1: '2',
      mania_screen2: '1',
      mania_grand: '1',
      mania_nosleep: '1',
      mania_talk: '1',
      mania_racing: '1',
      mania_distract: '2',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
      mania_current: '2',
      ...followUp('mania', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_mania'],
      results: { ...NEGATIVE, res_mania: 1 },
      computed: { age_band: '30-39', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 9 + fuItems('1', '1'),
    },
  },
  {
    id: 'panic_and_agoraphobia',
    description: 'unexpected attacks with exactly 4 symptoms, and exactly 2 dreaded situations',
    script: {
      ...ELIGIBLE,
      ...quota('2', 30, '5', '4'),
      ...OPINIONS,
      panic_screen: '1',
      panic_unexpected: '1',
      panic_symptoms: ['1', '4', '8', '13'],
      panic_worry: '1',
      panic_recent: '1',
      ...followUp('panic', '1', '1'),
      agora_screen: '1',
      agora_situations: ['1', '3'],
      agora_avoid: '1',
      agora_duration: '1',
      ...followUp('agora', '1', '1'),
      ...NO_CARE,
      care_emergency: '1',
      care_meds: ['2'],
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_panic', 'mod_agora'],
      results: { ...NEGATIVE, res_panic: 1, res_agoraphobia: 1 },
      computed: { age_band: '30-39', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 4 + fuItems('1', '1') + 3 + fuItems('1', '1'),
    },
  },
  {
    id: 'social_phobia_low_suicide_risk',
    description: 'all five social phobia items, and a wish to die alone (score 1, level low)',
    script: {
      ...ELIGIBLE,
      ...quota('1', 22, '8', '4'),
      ...OPINIONS,
      social_screen: '1',
      social_shame: '1',
      social_avoid: '1',
      social_excess: '1',
      social_hinder: '1',
      ...followUp('social', '1', '1'),
      suic_screen_wish: '1',
      suic_screen_harm: '2',
      suic_thoughts: '2',
      suic_attempt_month: '2',
      suic_attempt_life: '2',
      ...followUp('suic', '2', '2'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_social', 'mod_suic'],
      results: { ...NEGATIVE, res_social_phobia: 1, res_suicide: 1, suicide_level: 'low' },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 1 },
      alerts: [],
      // suic: thoughts and attempt_month only (no plan without thoughts, no "soon").
      itemsAsked: BASE_ITEMS + 4 + fuItems('1', '1') + 2 + fuItems('2', '2'),
    },
  },
  {
    id: 'post_traumatic_stress',
    description: 'intrusions, avoidance, 1 of 2 mood changes, 2 of 4 arousal signs, distress',
    script: {
      ...ELIGIBLE,
      ...quota('2', 44, '4', '5'),
      ...OPINIONS,
      ptsd_screen1: '1',
      ptsd_screen2: '1',
      ptsd_avoid: '1',
      ptsd_detached: '2',
      ptsd_negative: '1',
      ptsd_sleep: '1',
      ptsd_anger: '2',
      ptsd_alert: '1',
      ptsd_focus: '2',
      ptsd_distress: '1',
      ...followUp('ptsd', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_ptsd'],
      results: { ...NEGATIVE, res_ptsd: 1 },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 1 + 8 + fuItems('1', '1'),
    },
  },
  {
    id: 'drugs_substance_psychosis_plan',
    description:
      'drug problems (3 of 8); voices only under drugs (psychosis negative); a suicide plan ' +
      '(score 1 + 2 + 4 + 8 + 3 = 18, high)',
    script: {
      ...ELIGIBLE,
      ...quota('1', 25, '6', '3'),
      ...OPINIONS,
      drug_screen: '1',
      drug_which: ['1', '6'],
      drug_more: '1',
      drug_cutdown: '2',
      drug_time: '2',
      drug_tolerance: '1',
      drug_withdrawal: '2',
      drug_duties: '2',
      drug_giveup: '2',
      drug_despite: '1',
      ...followUp('drug', '1', '1'),
      psy_screen1: '2',
      psy_screen2: '1',
      psy_control: '1',
      psy_messages: '2',
      psy_beliefs: '2',
      psy_substance: '1',
      psy_recent: '2',
      psy_observed: '2',
      suic_screen_wish: '1',
      suic_screen_harm: '1',
      suic_thoughts: '1',
      suic_plan: '1',
      suic_attempt_month: '2',
      suic_soon: '2',
      suic_attempt_life: '1',
      ...followUp('suic', '2', '2'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_drug', 'mod_psy', 'mod_suic'],
      results: { ...NEGATIVE, res_drugs: 1, res_suicide: 1, suicide_level: 'high' },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 18 },
      alerts: ['suicide_high'],
      itemsAsked: BASE_ITEMS + 9 + fuItems('1', '1') + 5 + 4 + fuItems('2', '2'),
    },
  },
  {
    id: 'insomnia_only',
    description: 'poor sleep three nights a week for three months, with daytime effects',
    script: {
      ...ELIGIBLE,
      ...quota('2', 57, '5', '2'),
      ...OPINIONS,
      insom_screen: '1',
      insom_often: '1',
      insom_months: '1',
      insom_daytime: '1',
      ...followUp('insom', '1', '1'),
      ...NO_CARE,
      care_gp: '1',
      care_meds: ['2'],
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_insom'],
      results: { ...NEGATIVE, res_insomnia: 1 },
      computed: { age_band: '50-59', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 3 + fuItems('1', '1'),
    },
  },
  {
    id: 'moderate_suicide_risk',
    description: 'wish, urge and thoughts without a plan: score 1 + 2 + 4 = 7, moderate, no alert',
    script: {
      ...ELIGIBLE,
      ...quota('1', 33, '4', '6'),
      ...OPINIONS,
      suic_screen_wish: '1',
      suic_screen_harm: '1',
      suic_thoughts: '1',
      suic_plan: '2',
      suic_attempt_month: '2',
      suic_soon: '2',
      suic_attempt_life: '2',
      ...followUp('suic', '2', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_suic'],
      results: { ...NEGATIVE, res_suicide: 1, suicide_level: 'moderate' },
      computed: { age_band: '30-39', migration_generation: 0, suicide_score: 7 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 4 + fuItems('2', '1'),
    },
  },
  {
    id: 'attempt_last_month',
    description:
      'an 18-year-old who self-harmed and attempted suicide last month: score 2 + 10 = 12, high; ' +
      'no plan asked (no thoughts), no "before this month" question (attempt this month)',
    script: {
      ...ELIGIBLE,
      ...quota('2', 18, '8', '4'),
      ...OPINIONS,
      suic_screen_wish: '2',
      suic_screen_harm: '1',
      suic_thoughts: '2',
      suic_attempt_month: '1',
      suic_soon: '2',
      ...followUp('suic', '1', '2'),
      ...NO_CARE,
      care_emergency: '1',
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_suic'],
      results: { ...NEGATIVE, res_suicide: 1, suicide_level: 'high' },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 12 },
      alerts: ['suicide_high'],
      // thoughts, attempt_month, soon; attempt_life no longer asked.
      itemsAsked: BASE_ITEMS + 3 - 1 + fuItems('1', '2'),
    },
  },
  {
    id: 'past_attempt_only',
    description:
      'born overseas like all the family (counts as France: migration 0); screens "no" but a ' +
      'suicide attempt years ago: score 3, low; the module is not opened (`suic_attempt_life` ' +
      'is asked to everyone) but its follow-up is',
    script: {
      ...ELIGIBLE,
      ...quota('1', 66, '7', '1'),
      ...OPINIONS,
      suic_attempt_life: '1',
      ...followUp('suic', '2', '2'),
      ...NO_CARE,
      ...about({ self: '2', mother: '2', father: '2', grandparents: ['2', '2', '2', '2'] }),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: { ...NEGATIVE, res_suicide: 1, suicide_level: 'low' },
      computed: { age_band: '60-69', migration_generation: 0, suicide_score: 3 },
      alerts: [],
      itemsAsked: BASE_ITEMS + fuItems('2', '2'),
    },
  },
  {
    id: 'dont_know_heavy',
    description:
      '"don\'t know" wherever offered, except: sad mood with 3 more symptoms (4 of 9, below ' +
      'the threshold), voices and a disjointed talk noted by the interviewer (2 items: psychosis ' +
      'positive, since a "don\'t know" on `psy_substance` does not exclude it)',
    script: {
      ...ELIGIBLE,
      ...quota('1', 40, '5', '3'),
      dep_screen1: '1',
      dep_sleep: '1',
      dep_energy: '1',
      dep_focus: '1',
      dep_death: '2',
      psy_screen2: '1',
      psy_observed: '1',
    },
    policy: 'dont_know',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_dep', 'mod_psy'],
      results: { ...NEGATIVE, res_psychosis: 1 },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      // dep details 7; psy details 5; fu_psy with help and treated unknown: grid, help, treated.
      itemsAsked: BASE_ITEMS + 7 + 5 + 3,
    },
  },
  {
    id: 'older_person',
    description:
      'a 70-year-old retired woman; "nobody" should care for a "fou" (so no "how"); irritable ' +
      'spells with only 3 symptoms (below the 4 needed without elation)',
    script: {
      ...ELIGIBLE,
      ...quota('2', 70, '7', '1'),
      ...without(OPINIONS, 'rep_fou_means'),
      rep_fou_carers: ['9'],
      mania_screen1: '2',
      mania_screen2: '1',
      mania_grand: '1',
      mania_nosleep: '1',
      mania_talk: '1',
      mania_racing: '2',
      mania_distract: '2',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
      mania_current: '2',
      ...NO_CARE,
      ...about(),
      sd_marital: '6',
      sd_household: ['1'],
      sd_work: '4',
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_mania'],
      results: NEGATIVE,
      computed: { age_band: '70+', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS - 1 + 9,
    },
  },
  {
    id: 'immigrant',
    description:
      'born in the Maghreb (first generation); worried but not daily, and a past trauma ' +
      'without intrusions: screening items only, no module opened',
    script: {
      ...ELIGIBLE,
      ...quota('1', 36, '6', '1'),
      ...OPINIONS,
      gad_screen1: '1',
      gad_screen2: '2',
      ptsd_screen1: '1',
      ptsd_screen2: '2',
      ...NO_CARE,
      ...about({ self: '3', mother: '3', father: '3', grandparents: ['3', '3', '3', '3'] }),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: NEGATIVE,
      computed: { age_band: '30-39', migration_generation: 1, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 2,
    },
  },
  {
    id: 'child_of_immigrants',
    description:
      'born in France to a mother born in Africa (second generation, which wins over the ' +
      'grandparents); poor sleep but not for three months (insomnia negative)',
    script: {
      ...ELIGIBLE,
      ...quota('2', 29, '5', '5'),
      ...OPINIONS,
      insom_screen: '1',
      insom_often: '1',
      insom_months: '2',
      insom_daytime: '1',
      ...NO_CARE,
      ...about({ self: '1', mother: '4', father: '1', grandparents: ['4', '4', '1', '1'] }),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_insom'],
      results: NEGATIVE,
      computed: { age_band: '18-29', migration_generation: 2, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 3,
    },
  },
  {
    id: 'grandchild_of_immigrants',
    description:
      'a grandfather born elsewhere in Europe, a mother born overseas (counts as France): third ' +
      'generation; an elated week with exactly 3 symptoms (manic episode positive)',
    script: {
      ...ELIGIBLE,
      ...quota('1', 50, '3', '6'),
      ...OPINIONS,
      mania_screen1: '1',
      mania_screen2: '2',
      mania_grand: '1',
      mania_nosleep: '1',
      mania_talk: '2',
      mania_racing: '1',
      mania_distract: '2',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
      mania_current: '1',
      ...followUp('mania', '2', '2'),
      ...NO_CARE,
      ...about({ self: '1', mother: '2', father: '1', grandparents: ['1', '1', '1', '5'] }),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_mania'],
      results: { ...NEGATIVE, res_mania: 1 },
      computed: { age_band: '50-59', migration_generation: 3, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 9 + fuItems('2', '2'),
    },
  },
];
