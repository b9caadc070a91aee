// Respondents of SMPG version 2026.2 (questionnaires/smpg/2026.2.json) as data: what they answer
// and what its MINI-shaped rules say must follow, worked out by hand from its README. One persona
// per changed rule: alcohol and drug abuse apart from dependence, each suicide level and its alert,
// the out-of-scope housing screen-out, the current questions of mania (D1b, D2b) and psychosis
// (L1b to L7b) each asked after its own screen.
import type { Value } from '../../src/core/expression/index.ts';
import type { Answer, Questionnaire } from '../../src/core/questionnaire/index.ts';
import type { PolicyName } from './smpg-personas.ts';
import {
  ELIGIBLE as ELIGIBLE_2026_1,
  NO_CARE,
  OPINIONS as OPINIONS_2026_1,
  about as about2026_1,
  followUp,
  fuItems,
  quota as quota2026_1,
  without,
} from './smpg-personas.ts';

/** The module results and the suicide risk level of 2026.2, in interview order. */
export const RESULT_VARS = [
  'res_dep',
  'res_dep_recurrent',
  'res_dysthymia',
  'res_suicide',
  'suicide_level',
  'res_mania',
  'res_panic',
  'res_agoraphobia',
  'res_social_phobia',
  'res_ptsd',
  'res_alc_dependence',
  'res_alc_abuse',
  'res_drug_dependence',
  'res_drug_abuse',
  'res_psychosis',
  'res_gad',
  'res_insomnia',
] as const;
export type ResultVar = (typeof RESULT_VARS)[number];

export const COMPUTED_VARS = ['age_band', 'migration_generation', 'suicide_score'] as const;
export type ComputedVar = (typeof COMPUTED_VARS)[number];

/**
 * Each health module in interview order (the MINI's: A, B, C, D, E, F, G, I, J, K, L, O, then
 * insomnia): its section, the results that open its follow-up (any of them at 1) and the follow-up.
 */
export const MODULES = [
  { section: 'mod_dep', results: ['res_dep'], followUp: 'fu_dep' },
  { section: 'mod_dys', results: ['res_dysthymia'], followUp: 'fu_dys' },
  { section: 'mod_suic', results: ['res_suicide'], followUp: 'fu_suic' },
  { section: 'mod_mania', results: ['res_mania'], followUp: 'fu_mania' },
  { section: 'mod_panic', results: ['res_panic'], followUp: 'fu_panic' },
  { section: 'mod_agora', results: ['res_agoraphobia'], followUp: 'fu_agora' },
  { section: 'mod_social', results: ['res_social_phobia'], followUp: 'fu_social' },
  { section: 'mod_ptsd', results: ['res_ptsd'], followUp: 'fu_ptsd' },
  { section: 'mod_alc', results: ['res_alc_dependence', 'res_alc_abuse'], followUp: 'fu_alc' },
  { section: 'mod_drug', results: ['res_drug_dependence', 'res_drug_abuse'], followUp: 'fu_drug' },
  { section: 'mod_psy', results: ['res_psychosis'], followUp: 'fu_psy' },
  { section: 'mod_gad', results: ['res_gad'], followUp: 'fu_gad' },
  { section: 'mod_insom', results: ['res_insomnia'], followUp: 'fu_insom' },
] as const satisfies readonly {
  section: string;
  results: readonly ResultVar[];
  followUp: string;
}[];

/**
 * Items that do not open a module: the screening questions (a second one, as `gad_days`, asked
 * after a first "yes"), and those asked to everyone who reaches their module: the five suicide
 * questions (the MINI asks them all), the seven psychotic experiences and the two observations.
 */
export const MODULE_ENTRY_ITEMS: ReadonlySet<string> = new Set([
  'dep_screen1',
  'dep_screen2',
  'dys_screen',
  'suic_screen_wish',
  'suic_screen_harm',
  'suic_thoughts',
  'suic_attempt_month',
  'suic_attempt_life',
  'mania_screen1',
  'mania_screen2',
  'panic_screen',
  'agora_screen',
  'social_screen',
  'ptsd_screen1',
  'ptsd_screen2',
  'alc_screen',
  'drug_screen',
  'psy_screen1',
  'psy_mindread',
  'psy_controlled',
  'psy_messages',
  'psy_beliefs',
  'psy_voices',
  'psy_visions',
  'psy_observed',
  'psy_observed_behaviour',
  'gad_screen1',
  'gad_days',
  'insom_screen',
]);

/** Module sections with a detail item asked (not a note, not an entry item), in interview order. */
export function modulesOpened(q: Questionnaire, asked: readonly string[]): string[] {
  const opened = new Set<string>();
  for (const id of asked) {
    const entry = q.itemById.get(id);
    if (entry === undefined || entry.item.type === 'note' || MODULE_ENTRY_ITEMS.has(id)) continue;
    opened.add(entry.section.id);
  }
  return MODULES.map((module) => module.section).filter((section) => opened.has(section));
}

export type Outcome =
  | 'end'
  | 'under_18'
  | 'outside_zone'
  | 'institution_or_homeless'
  | 'already_answered'
  | 'no_consent';

export interface Persona {
  readonly id: string;
  readonly description: string;
  readonly script: Readonly<Record<string, Answer>>;
  readonly policy: PolicyName;
  readonly expected: {
    readonly outcome: Outcome;
    readonly modulesOpened: readonly string[];
    readonly results: Readonly<Record<ResultVar, Value>>;
    readonly computed: Readonly<Record<ComputedVar, Value>>;
    /** Alert ids raised, in order of first firing. */
    readonly alerts: readonly string[];
    /** Screens shown: notes included, a grid counting once, calculations never. */
    readonly itemsAsked: number;
    /** For the sections named, the items shown in them, in order. */
    readonly sectionItems?: Readonly<Record<string, readonly string[]>>;
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks (those of 2026.1, with the new eligibility and socio-demographic items).

const ELIGIBLE = { ...ELIGIBLE_2026_1, elig_housing: '1' };

/** Quota answers, with the occupation as said (it stays on the tablet). */
function quota(
  sex: '1' | '2',
  age: number,
  csp: string,
  diploma: string,
  said = 'Employée de bureau',
): Record<string, Answer> {
  return { ...quota2026_1(sex, age, csp, diploma), occupation_said: said };
}

/**
 * Representations: 2026.1's answers, with the two behaviours and the three exclusion grids added
 * (exclusion falling from the "fou" to the "dépressif", and by society above the family, as the
 * 1998 pilot found).
 */
const OPINIONS: Record<string, Answer> = {
  ...OPINIONS_2026_1,
  beh_self_harm: '3',
  beh_bizarre: '1',
  rep_fou_family: '1',
  rep_fou_society: '1',
  rep_mm_family: '2',
  rep_mm_society: '1',
  rep_dep_family: '2',
  rep_dep_society: '2',
};

/** Socio-demographics: no religion, no cultural community named (the two new follow-ups unasked). */
function about(...births: Parameters<typeof about2026_1>): Record<string, Answer> {
  return { ...about2026_1(...births), sd_religion: '4', sd_community: '2' };
}

const NEGATIVE: Record<ResultVar, Value> = {
  res_dep: 0,
  res_dep_recurrent: 0,
  res_dysthymia: 0,
  res_suicide: 0,
  suicide_level: 'none',
  res_mania: 0,
  res_panic: 0,
  res_agoraphobia: 0,
  res_social_phobia: 0,
  res_ptsd: 0,
  res_alc_dependence: 0,
  res_alc_abuse: 0,
  res_drug_dependence: 0,
  res_drug_abuse: 0,
  res_psychosis: 0,
  res_gad: 0,
  res_insomnia: 0,
};
const NOT_ASSESSED = Object.fromEntries(Object.keys(NEGATIVE).map((id) => [id, ''])) as Record<
  ResultVar,
  Value
>;
const NOTHING_COMPUTED = { age_band: '', migration_generation: '', suicide_score: '' };

/**
 * Screens shown to an eligible respondent who screens positive nowhere, with no religion and no
 * community: eligibility 6 (note + 5), quota 5 (occupation, sex, age, CSP, diploma), open
 * questions 4, behaviours grid 1, the three figures 27 (9 each, the last their exclusion grid),
 * places 1; modules: dep 3 (note + 2 screens), dys 1, suic 6 (note + 5 questions), mania 2,
 * panic 1, agora 1, social 1, ptsd 1, alc 1, drug 1, psy 10 (note, 7 experiences,
 * 2 observations), gad 1, insom 1; care use 2; socio-demographics 10 (note + 9); end 2. Total 88.
 */
export const BASE_ITEMS = 88;

const NO_SUICIDE = {
  suic_screen_wish: '2',
  suic_screen_harm: '2',
  suic_thoughts: '2',
  suic_attempt_month: '2',
  suic_attempt_life: '2',
};

/** Answers to the seven dependence signs of `alc` or `drug`: the first `yes` of them "yes". */
function dependence(p: 'alc' | 'drug', yes: number): Record<string, Answer> {
  const signs = ['tolerance', 'withdrawal', 'more', 'cutdown', 'time', 'giveup', 'despite_health'];
  return Object.fromEntries(signs.map((sign, i) => [`${p}_${sign}`, i < yes ? '1' : '2']));
}

/** Answers to the four abuse signs of `alc` or `drug`, "yes" to those named. */
function abuse(p: 'alc' | 'drug', ...yes: string[]): Record<string, Answer> {
  const signs = ['duties', 'danger', 'legal', 'relations'];
  return Object.fromEntries(signs.map((sign) => [`${p}_${sign}`, yes.includes(sign) ? '1' : '2']));
}

/** The seven symptoms of a manic episode (D3a to D3g), in the order asked. */
export const MANIA_SYMPTOMS = [
  'mania_grand',
  'mania_nosleep',
  'mania_talk',
  'mania_racing',
  'mania_distract',
  'mania_busy',
  'mania_reckless',
] as const;

/** The seven psychotic experiences (L1a to L7a), in the order asked. */
export const PSY_EXPERIENCES = [
  'psy_screen1',
  'psy_mindread',
  'psy_controlled',
  'psy_messages',
  'psy_beliefs',
  'psy_voices',
  'psy_visions',
] as const;

/**
 * Answers to the psychotic experiences: "yes" to those in `lifetime` (any other "no"), and to
 * the current question (`<id>_month`, L1b to L7b) of each "yes": "yes" for those in `lastMonth`.
 */
function experiences(
  lifetime: readonly (typeof PSY_EXPERIENCES)[number][],
  lastMonth: readonly (typeof PSY_EXPERIENCES)[number][] = [],
): Record<string, Answer> {
  return Object.fromEntries(
    PSY_EXPERIENCES.flatMap((id): [string, Answer][] =>
      lifetime.includes(id)
        ? [
            [id, '1'],
            [`${id}_month`, lastMonth.includes(id) ? '1' : '2'],
          ]
        : [[id, '2']],
    ),
  );
}

/** The items of `mod_psy` shown after "yes" to `lifetime`: each one's current question after it. */
function psyItemsAsked(lifetime: readonly string[]): string[] {
  return [
    'psy_intro',
    ...PSY_EXPERIENCES.flatMap((id) => (lifetime.includes(id) ? [id, `${id}_month`] : [id])),
    'psy_observed',
    'psy_observed_behaviour',
  ];
}

export const PERSONAS: readonly Persona[] = [
  // --- Not eligible: one persona per screen-out.
  {
    id: 'under_18',
    description: 'a 16-year-old',
    script: { elig_adult: '2' },
    policy: 'skip',
    expected: {
      outcome: 'under_18',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 2,
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
    id: 'institution_or_homeless',
    description: 'a resident of a care home in the zone: out of the survey field, as in SMPG',
    script: { elig_adult: '1', elig_zone: '1', elig_housing: '2' },
    policy: 'skip',
    expected: {
      outcome: 'institution_or_homeless',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 4,
    },
  },
  {
    id: 'already_answered',
    description: 'a resident who already answered the survey',
    script: { elig_adult: '1', elig_zone: '1', elig_housing: '1', elig_first: '2' },
    policy: 'skip',
    expected: {
      outcome: 'already_answered',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 5,
    },
  },
  {
    id: 'no_consent',
    description: 'an eligible resident who declines to take part',
    script: { ...ELIGIBLE, elig_consent: '2' },
    policy: 'skip',
    expected: {
      outcome: 'no_consent',
      modulesOpened: [],
      results: NOT_ASSESSED,
      computed: NOTHING_COMPUTED,
      alerts: [],
      itemsAsked: 6,
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
    id: 'recurrent_depression_moderate_risk',
    description:
      'a current episode at the threshold (5 of 9), an earlier one with two well months between ' +
      '(recurrent); dysthymia not explored; wish to die and thoughts of suicide: 1 + 6 = 7, ' +
      'moderate, and the moderate alert once the last suicide question is answered',
    script: {
      ...ELIGIBLE,
      ...quota('1', 45, '6', '3', 'Cariste'),
      beh_incest: '1',
      ...OPINIONS,
      dep_screen1: '1',
      dep_screen2: '2',
      dep_sleep: '1',
      dep_appetite: '2',
      dep_energy: '1',
      dep_pace: '2',
      dep_focus: '1',
      dep_worth: '2',
      dep_death: '1',
      dep_past: '1',
      dep_gap: '1',
      ...followUp('dep', '1', '1'),
      ...NO_SUICIDE,
      suic_screen_wish: '1',
      suic_thoughts: '1',
      ...followUp('suic', '1', '2'),
      ...NO_CARE,
      care_gp: '1',
      care_meds: ['1'],
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_dep'],
      results: {
        ...NEGATIVE,
        res_dep: 1,
        res_dep_recurrent: 1,
        res_suicide: 1,
        suicide_level: 'moderate',
      },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 7 },
      alerts: ['suicide_moderate'],
      // dep details 7 + dep_past + dep_gap, fu_dep; dys_screen not asked; fu_suic.
      itemsAsked: BASE_ITEMS + 9 + fuItems('1', '1') - 1 + fuItems('1', '2'),
    },
  },
  {
    id: 'low_mood_dysthymia',
    description:
      'sad these two weeks with 3 more symptoms (4 of 9: no current episode, so no recurrence ' +
      'asked), and two years of low mood with 2 of 6 symptoms: dysthymia at its threshold',
    script: {
      ...ELIGIBLE,
      ...quota('2', 48, '4', '6', 'Infirmière'),
      ...OPINIONS,
      dep_screen1: '1',
      dep_screen2: '2',
      dep_sleep: '1',
      dep_appetite: '2',
      dep_energy: '1',
      dep_pace: '2',
      dep_focus: '1',
      dep_worth: '2',
      dep_death: '2',
      dys_screen: '1',
      dys_wellspell: '2',
      dys_energy: '1',
      dys_sleep: '1',
      dys_appetite: '2',
      dys_esteem: '2',
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
      modulesOpened: ['mod_dep', 'mod_dys'],
      results: { ...NEGATIVE, res_dysthymia: 1 },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 7 + 8 + fuItems('1', '1'),
    },
  },
  {
    id: 'social_phobia_low_suicide_risk',
    description:
      'the fear of being watched and its three questions, and a wish to die alone (1, low)',
    script: {
      ...ELIGIBLE,
      ...quota('1', 22, '8', '4', 'Étudiant en droit'),
      ...OPINIONS,
      social_screen: '1',
      social_excess: '1',
      social_avoid: '1',
      social_hinder: '1',
      ...followUp('social', '1', '1'),
      ...NO_SUICIDE,
      suic_screen_wish: '1',
      ...followUp('suic', '2', '2'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_social'],
      results: { ...NEGATIVE, res_social_phobia: 1, res_suicide: 1, suicide_level: 'low' },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 1 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 3 + fuItems('1', '1') + fuItems('2', '2'),
    },
  },
  {
    id: 'past_attempt_only',
    description:
      'born overseas like all the family (migration 0); an attempt years ago and nothing this ' +
      'month: 4, low, no alert',
    script: {
      ...ELIGIBLE,
      ...quota('1', 66, '7', '1', 'Ancien docker'),
      ...OPINIONS,
      ...NO_SUICIDE,
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
      computed: { age_band: '60-69', migration_generation: 0, suicide_score: 4 },
      alerts: [],
      itemsAsked: BASE_ITEMS + fuItems('2', '2'),
    },
  },
  {
    id: 'thoughts_and_past_attempt_high_risk',
    description:
      'thoughts of suicide this month (6) and an attempt before (4): 10, high at the threshold; ' +
      'the level passes through moderate but only the high alert fires',
    script: {
      ...ELIGIBLE,
      // The quota cell of the wave end-to-end test's plan (tests/e2e/wave.e2e.test.ts).
      ...quota('1', 45, '6', '3', 'Cariste'),
      ...OPINIONS,
      ...NO_SUICIDE,
      suic_thoughts: '1',
      suic_attempt_life: '1',
      ...followUp('suic', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: { ...NEGATIVE, res_suicide: 1, suicide_level: 'high' },
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 10 },
      alerts: ['suicide_high'],
      itemsAsked: BASE_ITEMS + fuItems('1', '1'),
    },
  },
  {
    id: 'attempt_last_month',
    description:
      'an 18-year-old who self-harmed and attempted suicide last month: 2 + 10 + 4 (an attempt ' +
      'this month is one in a lifetime) = 16, high; the lifetime question is not asked',
    script: {
      ...ELIGIBLE,
      ...quota('2', 18, '8', '4', 'Lycéenne'),
      ...OPINIONS,
      ...without(NO_SUICIDE, 'suic_attempt_life'),
      suic_screen_harm: '1',
      suic_attempt_month: '1',
      ...followUp('suic', '1', '2'),
      ...NO_CARE,
      care_emergency: '1',
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: { ...NEGATIVE, res_suicide: 1, suicide_level: 'high' },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 16 },
      alerts: ['suicide_high'],
      itemsAsked: BASE_ITEMS - 1 + fuItems('1', '2'),
    },
  },
  {
    id: 'alcohol_dependence',
    description: 'heavy drinking and 3 of 7 signs of dependence: dependence; abuse not asked',
    script: {
      ...ELIGIBLE,
      ...quota('1', 52, '2', '3', 'Boulanger à son compte'),
      ...OPINIONS,
      alc_screen: '1',
      ...dependence('alc', 3),
      ...followUp('alc', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_alc'],
      results: { ...NEGATIVE, res_alc_dependence: 1 },
      computed: { age_band: '50-59', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 7 + fuItems('1', '1'),
    },
  },
  {
    id: 'alcohol_abuse',
    description:
      'heavy drinking, 2 of 7 signs of dependence (not dependent), and drinking before driving: abuse',
    script: {
      ...ELIGIBLE,
      ...quota('1', 27, '6', '3', 'Maçon'),
      ...OPINIONS,
      alc_screen: '1',
      ...dependence('alc', 2),
      ...abuse('alc', 'danger'),
      ...followUp('alc', '2', '2'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_alc'],
      results: { ...NEGATIVE, res_alc_abuse: 1 },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 7 + 4 + fuItems('2', '2'),
    },
  },
  {
    id: 'drug_dependence',
    description: 'cannabis and misused medicines, 3 of 7 signs of dependence: dependence',
    script: {
      ...ELIGIBLE,
      ...quota('1', 25, '6', '3', 'Livreur'),
      ...OPINIONS,
      drug_screen: '1',
      drug_which: ['1', '6'],
      ...dependence('drug', 3),
      ...followUp('drug', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_drug'],
      results: { ...NEGATIVE, res_drug_dependence: 1 },
      computed: { age_band: '18-29', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 1 + 7 + fuItems('1', '1'),
    },
  },
  {
    id: 'drug_abuse',
    description: 'cocaine, 2 of 7 signs of dependence, and trouble with the police: abuse',
    script: {
      ...ELIGIBLE,
      ...quota('2', 31, '3', '7', 'Cheffe de projet'),
      ...OPINIONS,
      drug_screen: '1',
      drug_which: ['2'],
      ...dependence('drug', 2),
      ...abuse('drug', 'legal', 'relations'),
      ...followUp('drug', '2', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_drug'],
      results: { ...NEGATIVE, res_drug_abuse: 1 },
      computed: { age_band: '30-39', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 1 + 7 + 4 + fuItems('2', '1'),
    },
  },
  {
    id: 'panic_and_agoraphobia',
    description: 'unexpected attacks peaking within minutes with exactly 4 symptoms; agoraphobia',
    script: {
      ...ELIGIBLE,
      ...quota('2', 30, '5', '4'),
      ...OPINIONS,
      panic_screen: '1',
      panic_peak: '1',
      panic_unexpected: '1',
      panic_worry: '1',
      panic_symptoms: ['1', '4', '8', '13'],
      panic_month: '1',
      ...followUp('panic', '1', '1'),
      agora_screen: '1',
      agora_avoid: '1',
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
      itemsAsked: BASE_ITEMS + 5 + fuItems('1', '1') + 1 + fuItems('1', '1'),
    },
  },
  {
    id: 'post_traumatic_stress',
    description: 'intrusions, 3 of 7 avoidance signs, 2 of 5 arousal signs, distress',
    script: {
      ...ELIGIBLE,
      ...quota('2', 44, '4', '5', 'Aide-soignante'),
      ...OPINIONS,
      ptsd_screen1: '1',
      ptsd_screen2: '1',
      ptsd_avoid_thoughts: '1',
      ptsd_avoid_reminders: '1',
      ptsd_amnesia: '2',
      ptsd_interest: '2',
      ptsd_estranged: '1',
      ptsd_numb: '2',
      ptsd_future: '2',
      ptsd_sleep: '1',
      ptsd_anger: '2',
      ptsd_focus: '2',
      ptsd_guard: '1',
      ptsd_startle: '2',
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
      itemsAsked: BASE_ITEMS + 1 + 7 + 5 + 1 + fuItems('1', '1'),
    },
  },
  {
    id: 'psychotic_syndrome',
    description:
      'convinced of being persecuted, not in the last month (L1b no), and hearing voices, this ' +
      'month too (L6b yes): 2 of 7 in a lifetime; both observations',
    script: {
      ...ELIGIBLE,
      ...quota('2', 27, '8', '5', 'Sans emploi'),
      ...OPINIONS,
      psy_screen1: '1',
      psy_screen1_month: '2',
      psy_voices: '1',
      psy_voices_month: '1',
      psy_observed: '1',
      psy_observed_behaviour: '1',
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
      itemsAsked: BASE_ITEMS + 2 + fuItems('1', '1'),
      sectionItems: {
        mod_psy: [
          'psy_intro',
          'psy_screen1',
          'psy_screen1_month',
          'psy_mindread',
          'psy_controlled',
          'psy_messages',
          'psy_beliefs',
          'psy_voices',
          'psy_voices_month',
          'psy_visions',
          'psy_observed',
          'psy_observed_behaviour',
        ],
      },
    },
  },
  {
    id: 'generalised_anxiety',
    description: 'worries most days for six months, hard to control, 3 of 6 signs',
    script: {
      ...ELIGIBLE,
      ...quota('2', 57, '5', '2'),
      ...OPINIONS,
      gad_screen1: '1',
      gad_days: '1',
      gad_control: '1',
      gad_tense: '1',
      gad_tired: '1',
      gad_focus: '2',
      gad_irritable: '1',
      gad_muscles: '2',
      gad_sleep: '2',
      ...followUp('gad', '1', '1'),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_gad'],
      results: { ...NEGATIVE, res_gad: 1 },
      computed: { age_band: '50-59', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 2 + 6 + fuItems('1', '1'),
    },
  },
  {
    id: 'manic_episode_irritable',
    description: 'irritable (not elated) for over a week with 4 of 7 symptoms: the 4 threshold',
    script: {
      ...ELIGIBLE,
      ...quota('1', 39, '3', '7', 'Ingénieur'),
      ...OPINIONS,
      mania_screen1: '2',
      mania_screen2: '1',
      mania_screen2_now: '2',
      mania_grand: '1',
      mania_nosleep: '1',
      mania_talk: '1',
      mania_racing: '1',
      mania_distract: '2',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
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
    id: 'older_person',
    description:
      'a 70-year-old retired woman; "nobody" should care for a "fou"; irritable spells with only ' +
      '3 symptoms (below the 4 needed without elation)',
    script: {
      ...ELIGIBLE,
      ...quota('2', 70, '7', '1', 'Retraitée, ancienne couturière'),
      ...without(OPINIONS, 'rep_fou_means'),
      rep_fou_carers: ['9'],
      mania_screen1: '2',
      mania_screen2: '1',
      mania_screen2_now: '2',
      mania_grand: '1',
      mania_nosleep: '1',
      mania_talk: '1',
      mania_racing: '2',
      mania_distract: '2',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
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
    id: 'grandchild_of_immigrants',
    description:
      'a grandfather born elsewhere in Europe (third generation); an elated week with exactly ' +
      '3 symptoms (manic episode positive), elated now (D1b)',
    script: {
      ...ELIGIBLE,
      ...quota('1', 50, '3', '6', 'Professeur de lycée'),
      ...OPINIONS,
      mania_screen1: '1',
      mania_screen1_now: '1',
      mania_screen2: '2',
      mania_grand: '1',
      mania_nosleep: '1',
      mania_talk: '2',
      mania_racing: '1',
      mania_distract: '2',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
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
      sectionItems: {
        mod_mania: [
          'mania_screen1',
          'mania_screen1_now',
          'mania_screen2',
          ...MANIA_SYMPTOMS,
          'mania_duration',
        ],
      },
    },
  },
  {
    id: 'immigrant',
    description:
      'born in the Maghreb (first generation), a practising Muslim who names a cultural ' +
      'community; worries but not most days, a past trauma without intrusions',
    script: {
      ...ELIGIBLE,
      ...quota('1', 36, '6', '1', 'Ouvrier du bâtiment'),
      ...OPINIONS,
      gad_screen1: '1',
      gad_days: '2',
      ptsd_screen1: '1',
      ptsd_screen2: '2',
      ...NO_CARE,
      ...about({ self: '3', mother: '3', father: '3', grandparents: ['3', '3', '3', '3'] }),
      sd_religion: '1',
      sd_religion_which: '4',
      sd_community: '1',
      sd_community_which: 'Kabyle',
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: NEGATIVE,
      computed: { age_band: '30-39', migration_generation: 1, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 2 + 2,
    },
  },
  {
    id: 'child_of_immigrants_insomnia',
    description:
      'born in France to a mother born in Africa (second generation); poor sleep three nights ' +
      'a week for three months with daytime effects (insomnia)',
    script: {
      ...ELIGIBLE,
      ...quota('2', 29, '5', '5'),
      ...OPINIONS,
      insom_screen: '1',
      insom_often: '1',
      insom_months: '1',
      insom_daytime: '1',
      ...followUp('insom', '1', '1'),
      ...NO_CARE,
      ...about({ self: '1', mother: '4', father: '1', grandparents: ['4', '4', '1', '1'] }),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_insom'],
      results: { ...NEGATIVE, res_insomnia: 1 },
      computed: { age_band: '18-29', migration_generation: 2, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 3 + fuItems('1', '1'),
    },
  },
  {
    id: 'refuses_everything',
    description:
      'answers eligibility and quota groups (no non-response there), refuses every other ' +
      'question, the occupation too: every result 0, risk none',
    script: {
      ...ELIGIBLE,
      sex: '2',
      age: 60,
      csp: '7',
      diploma: '2',
    },
    policy: 'refuse',
    expected: {
      outcome: 'end',
      modulesOpened: [],
      results: NEGATIVE,
      computed: { age_band: '60-69', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS,
    },
  },
  {
    id: 'dont_know_heavy',
    description:
      '"don\'t know" wherever offered, except: sad mood with 3 more symptoms (4 of 9), voices ' +
      'and a disjointed talk noted by the interviewer: one experience only, psychosis negative',
    script: {
      ...ELIGIBLE,
      sex: '1',
      age: 40,
      csp: '5',
      diploma: '3',
      dep_screen1: '1',
      dep_sleep: '1',
      dep_energy: '1',
      dep_focus: '1',
      dep_death: '2',
      psy_voices: '1',
      psy_observed: '1',
    },
    policy: 'dont_know',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_dep', 'mod_psy'],
      results: NEGATIVE,
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      // dep details 7; psy_voices_month (after the one experience).
      itemsAsked: BASE_ITEMS + 7 + 1,
    },
  },
  {
    id: 'psychosis_lifetime_not_current',
    description:
      'four psychotic experiences years ago (thoughts read, signs in the media, far-fetched ' +
      'convictions, visions), none in the last month: positive in a lifetime, nothing current',
    script: {
      ...ELIGIBLE,
      ...quota('1', 58, '5', '3', 'Agent de sécurité'),
      ...OPINIONS,
      ...experiences(['psy_mindread', 'psy_messages', 'psy_beliefs', 'psy_visions']),
      ...followUp('psy', '1', '2'),
      ...NO_CARE,
      care_psychiatrist: '1',
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_psy'],
      results: { ...NEGATIVE, res_psychosis: 1 },
      computed: { age_band: '50-59', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 4 + fuItems('1', '2'),
      sectionItems: {
        mod_psy: psyItemsAsked(['psy_mindread', 'psy_messages', 'psy_beliefs', 'psy_visions']),
      },
    },
  },
  {
    id: 'one_experience_current',
    description:
      'thoughts steered from outside, this month too (L3b, the only current question asked): ' +
      'one experience, below the 2 of 7, no follow-up',
    script: {
      ...ELIGIBLE,
      ...quota('2', 41, '6', '2', 'Ouvrière agricole'),
      ...OPINIONS,
      ...experiences(['psy_controlled'], ['psy_controlled']),
      ...NO_CARE,
      ...about(),
    },
    policy: 'no',
    expected: {
      outcome: 'end',
      modulesOpened: ['mod_psy'],
      results: NEGATIVE,
      computed: { age_band: '40-49', migration_generation: 0, suicide_score: 0 },
      alerts: [],
      itemsAsked: BASE_ITEMS + 1,
      sectionItems: { mod_psy: psyItemsAsked(['psy_controlled']) },
    },
  },
  {
    id: 'manic_episode_irritable_now',
    description:
      'elated spells and irritable ones, with 3 of 7 symptoms over a week (the elated threshold); ' +
      'irritable now (D2b) but not elated now (D1b)',
    script: {
      ...ELIGIBLE,
      ...quota('2', 33, '4', '6', 'Éducatrice spécialisée'),
      ...OPINIONS,
      mania_screen1: '1',
      mania_screen1_now: '2',
      mania_screen2: '1',
      mania_screen2_now: '1',
      mania_grand: '2',
      mania_nosleep: '1',
      mania_talk: '1',
      mania_racing: '2',
      mania_distract: '1',
      mania_busy: '2',
      mania_reckless: '2',
      mania_duration: '1',
      ...followUp('mania', '1', '2'),
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
      itemsAsked: BASE_ITEMS + 10 + fuItems('1', '2'),
      sectionItems: {
        mod_mania: [
          'mania_screen1',
          'mania_screen1_now',
          'mania_screen2',
          'mania_screen2_now',
          ...MANIA_SYMPTOMS,
          'mania_duration',
        ],
      },
    },
  },
];
