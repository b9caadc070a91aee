// The problems of census files and quota-plan files in the dashboard's language: src/core/quota
// gives each a machine code with its values (and an English message for the command line and
// logs); this words every code, French first, English second.
import type { CensusIssue, CensusIssueParams, MissingColumn } from '../core/quota/census-files.ts';
import type { QuotaIssue, QuotaIssueParams } from '../core/quota/index.ts';
import { formatNumber, pluralOf } from '../app/components/plurals.ts';
import type { DashboardLanguage } from './text.ts';

/** What a wording needs besides the values: the language's lists, numbers and plurals. */
interface Say {
  readonly language: DashboardLanguage;
  /** "a, b et c". */
  readonly and: (items: readonly string[]) => string;
  /** "a, b ou c". */
  readonly or: (items: readonly string[]) => string;
  readonly number: (value: number, digits?: number) => string;
  /** The form that agrees with `count`. */
  readonly plural: (count: number, one: string, other: string) => string;
}

type Wording<P> = (params: P, say: Say) => string;
type CensusWords = { readonly [C in keyof CensusIssueParams]: Wording<CensusIssueParams[C]> };
type QuotaWords = { readonly [C in keyof QuotaIssueParams]: Wording<QuotaIssueParams[C]> };

const SEX_FR = { '1': 'les hommes', '2': 'les femmes' } as const;
const SEX_EN = { '1': 'men', '2': 'women' } as const;
const TABLE_FR = { sex_age: 'sexe × âge', csp: 'CSP', diploma: 'diplôme' } as const;
const TABLE_EN = { sex_age: 'sex × age', csp: 'CSP', diploma: 'diploma' } as const;
const GROUP_FR = { csp: 'CSP', diploma: 'diplôme' } as const;
/** INSEE's layouts, as the coordinator can look them up. */
const LAYOUTS_FR =
  'sex;age;csp;count ou sex;age;diploma;count (format long), base infracommunale « Population » ou « Diplômes - Formation » (colonnes IRIS;COM ou CODGEO), tableaux détaillés POP6, POP1A ou POP6 V1 (colonne CODGEO)';
const LAYOUTS_EN =
  'sex;age;csp;count or sex;age;diploma;count (long format), infra-communal base “Population” or “Diplômes - Formation” (columns IRIS;COM or CODGEO), detailed tables POP6, POP1A or POP6 V1 (column CODGEO)';

function missingColumns(missing: readonly MissingColumn[], say: Say, fr: boolean): string {
  const named = missing
    .slice(0, 5)
    .map((column) =>
      [
        column.sex === undefined ? undefined : `${fr ? 'sexe' : 'sex'} ${column.sex}`,
        `${fr ? 'âge' : 'age'} ${column.age}`,
        column.csp === undefined ? undefined : `CSP ${column.csp}`,
      ]
        .filter((part) => part !== undefined)
        .join(', '),
    );
  const more = missing.length - named.length;
  const list = named.join(' ; ');
  if (fr)
    return more > 0
      ? `il manque des colonnes : ${list} et ${say.number(more)} autres`
      : say.plural(
          missing.length,
          `il manque la colonne ${list}`,
          `il manque les colonnes ${list}`,
        );
  return more > 0
    ? `columns are missing: ${list} and ${say.number(more)} more`
    : say.plural(
        missing.length,
        `the column ${list} is missing`,
        `the columns ${list} are missing`,
      );
}

const QUOTA_FR: QuotaWords = {
  schema: (p, say) => {
    const names = p.names ?? [];
    switch (p.issue) {
      case 'invalid_type':
        if (p.expected === 'int') return 'doit être un nombre entier';
        if (p.expected === 'object') return 'manque ou n’est pas un objet';
        if (p.expected === 'array') return 'doit être une liste (manquante ou d’un autre type)';
        if (p.expected === 'number') return 'doit être un nombre (manquant ou d’un autre type)';
        if (p.expected === 'string') return 'doit être un texte (manquant ou d’un autre type)';
        return 'manque ou n’est pas du type attendu';
      case 'too_small':
        if (p.origin === 'array')
          return `doit avoir au moins ${p.minimum ?? ''} ${say.plural(Number(p.minimum), 'élément', 'éléments')}`;
        if (p.origin === 'string')
          return `doit avoir au moins ${p.minimum ?? ''} ${say.plural(Number(p.minimum), 'caractère', 'caractères')}`;
        return `doit valoir au moins ${p.minimum ?? ''}`;
      case 'too_big':
        return `doit valoir au plus ${p.maximum ?? ''}`;
      case 'unrecognized_keys':
        return say.plural(
          names.length,
          `propriété inconnue ${say.and(names.map((name) => `« ${name} »`))} : retirez-la ou vérifiez son orthographe`,
          `propriétés inconnues ${say.and(names.map((name) => `« ${name} »`))} : retirez-les ou vérifiez leur orthographe`,
        );
      case 'invalid_value':
      case 'invalid_union':
        return names.length > 0
          ? `doit être ${say.or(names)}`
          : 'ne correspond à aucune forme permise';
      case 'invalid_format':
        return 'n’a pas la forme attendue';
      default:
        return 'n’est pas valable';
    }
  },
  variable_twice: (p) => `la variable « ${p.variable} » est déclarée deux fois`,
  categories_not_unique: (p) =>
    `les codes des catégories de la variable « ${p.variable} » doivent être uniques`,
  not_a_category: (p) => `« ${p.code} » n’est pas une catégorie de ${p.variable}`,
  table_twice: (p) => `le tableau « ${p.table} » est déclaré deux fois`,
  unknown_variable: (p) => `variable inconnue « ${p.variable} »`,
  not_a_cell: (p) => `« ${p.key} » n’est pas une case de ${p.variables.join(' × ')}`,
  cell_twice: (p) => `la case « ${p.key} » apparaît deux fois`,
  missing_cells: (p, say) =>
    say.plural(
      p.cells.length,
      `il manque la case ${say.and(p.cells)} (donnez-lui un objectif, 0 s’il n’y en a pas)`,
      `il manque les cases ${say.and(p.cells)} (donnez-leur un objectif, 0 s’il n’y en a pas)`,
    ),
  targets_sum: (p, say) =>
    `les objectifs font ${say.number(p.total)} en tout, pas la taille de l’échantillon (${say.number(p.size)})`,
  census_partial: (p, say) =>
    `des effectifs recensés sont donnés pour certaines cases mais pas pour ${say.and(p.cells)} (donnez-les pour toutes les cases ou pour aucune)`,
  census_zero: (p) =>
    `les effectifs recensés du tableau ${p.table} font 0 en tout : on ne peut pas en tirer de parts`,
  unknown_table: (p) => `tableau inconnu « ${p.table} »`,
  allocation_not_a_cell: (p) => `« ${p.key} » n’est pas une case du tableau ${p.table}`,
  over_limit: (p, say) =>
    `case ${p.cell} du tableau ${p.table} : les enquêteur·rices reçoivent ${say.number(p.sum)} en tout, plus que la limite de la case (${say.number(p.limit)})`,
};

const QUOTA_EN: QuotaWords = {
  schema: (p) => p.detail,
  variable_twice: (p) => `variable “${p.variable}” is declared twice`,
  categories_not_unique: (p) => `the category codes of variable “${p.variable}” must be unique`,
  not_a_category: (p) => `“${p.code}” is not a category of ${p.variable}`,
  table_twice: (p) => `table “${p.table}” is declared twice`,
  unknown_variable: (p) => `unknown variable “${p.variable}”`,
  not_a_cell: (p) => `“${p.key}” is not a cell of ${p.variables.join(' × ')}`,
  cell_twice: (p) => `cell “${p.key}” appears twice`,
  missing_cells: (p, say) =>
    say.plural(
      p.cells.length,
      `cell ${say.and(p.cells)} is missing (give it a target, 0 if none)`,
      `cells ${say.and(p.cells)} are missing (give them a target, 0 if none)`,
    ),
  targets_sum: (p, say) =>
    `the targets add up to ${say.number(p.total)}, not the sample size (${say.number(p.size)})`,
  census_partial: (p, say) =>
    `census counts are given for some cells and not for ${say.and(p.cells)} (give them on every cell or on none)`,
  census_zero: (p) => `the census counts of table ${p.table} add up to 0: no shares can be drawn`,
  unknown_table: (p) => `unknown table “${p.table}”`,
  allocation_not_a_cell: (p) => `“${p.key}” is not a cell of table ${p.table}`,
  over_limit: (p, say) =>
    `cell ${p.cell} of table ${p.table}: interviewers are given ${say.number(p.sum)} in all, more than the cell’s limit (${say.number(p.limit)})`,
};

const CENSUS_FR: CensusWords = {
  missing_columns: (p, say) =>
    `${say.plural(p.columns.length, 'il manque la colonne', 'il manque les colonnes')} ${say.and(p.columns)} (l’en-tête doit avoir sex${p.separator}age${p.separator}${p.group}${p.separator}count)`,
  unknown_sex: (p) =>
    `sexe inconnu « ${p.value} » : utilisez les codes de l’Insee, 1 (homme) ou 2 (femme)`,
  unknown_age_band: (p) => `tranche d’âge inconnue « ${p.value} » : écrivez-la 15-19 ou 65+`,
  unknown_group: (p, say) =>
    `${GROUP_FR[p.group]} inconnu « ${p.value} » : les codes possibles sont ${say.or(p.expected)}`,
  count_not_number: (p) => `l’effectif « ${p.value} » n’est pas un nombre`,
  count_negative: (p, say) => `l’effectif ${say.number(p.value)} est négatif`,
  table_no_rows: () => 'le tableau n’a aucune ligne',
  table_zero_population: () => 'la zone n’a aucun habitant dans ce tableau',
  no_csp_by_sex: (p) =>
    `pas de CSP par sexe (C${p.year}_H15P_CS1…C${p.year}_F15P_CS8) : ce fichier ne donne que le sexe × âge`,
  no_teen_columns: (p) =>
    `pas de colonnes P${p.year}_POP1117, P${p.year}_POP0014, P${p.year}_POP0002, P${p.year}_POP0305 et P${p.year}_POP0610 : les effectifs par CSP gardent les 15-17 ans`,
  missing_detailed_columns: (p, say) => missingColumns(p.missing, say, true),
  long_row_twice: (p, say) =>
    `sexe ${p.sex}, âge ${p.age}, ${GROUP_FR[p.group]} ${p.code} est donné deux fois (d’abord ligne ${say.number(p.first)}) : cette ligne est laissée de côté`,
  missing_group_column: (p) =>
    `il manque la colonne csp ou diploma (l’en-tête doit avoir sex${p.separator}age${p.separator}csp${p.separator}count ou sex${p.separator}age${p.separator}diploma${p.separator}count)`,
  no_zone_column: () =>
    `format non reconnu : pas de colonne de zone (IRIS et COM, ou CODGEO) ; formats lus : ${LAYOUTS_FR}`,
  layout_unknown: () => `format non reconnu ; formats lus : ${LAYOUTS_FR}`,
  zone_twice: (p, say) =>
    `${p.kind === 'iris' ? 'l’IRIS' : 'la commune'} ${p.code} est donné${p.kind === 'iris' ? '' : 'e'} deux fois (d’abord ligne ${say.number(p.first)}) : cette ligne est laissée de côté`,
  file_no_rows: () => 'le fichier n’a aucune ligne',
  zone_missing: (p, say) =>
    `choisissez la zone : des codes commune ou IRIS (ce fichier a ${say.number(p.count)} ${p.kind === 'iris' ? 'IRIS' : say.plural(p.count, 'commune', 'communes')})`,
  zone_not_in_file: (p) => `la zone ${p.code} n’est pas dans ce fichier`,
  zone_is_iris: (p) =>
    `la zone ${p.code} n’est pas dans ce fichier : il est par commune, choisissez la commune ${p.commune}`,
  iris_in_chosen_commune: (p) =>
    `l’IRIS ${p.code} est dans la commune ${p.commune}, choisie aussi : il n’est compté qu’une fois`,
  teens_over_group8: (p, say) =>
    `la zone compte ${say.number(p.teens)} personnes de 15 à 17 ans mais seulement ${say.number(p.others)} dans le groupe 8 des CSP : le groupe 8 est compté 0`,
  band_invalid: (p) => `« ${p.value} » n’est pas une tranche d’âge comme 18-29 ou 75+`,
  bands_overlap: (p) => `les tranches ${p.first} et ${p.second} se chevauchent`,
  bands_gap: (p) =>
    `les tranches ${p.first} et ${p.second} laissent de côté les âges ${p.from}-${p.to}`,
  band_cannot_split: (p) =>
    `la tranche ${p.census} du recensement ne peut pas être partagée pour la tranche ${p.survey} de l’enquête : prenez une tranche ouverte qui commence à ${p.min} ans (${p.min}+), ou des tranches qui finissent avant ${p.min} ans`,
  band_shared: (p, say) =>
    `la tranche ${p.census} du recensement est partagée entre les tranches ${say.and(p.bands)} de l’enquête au prorata des années (comme si les âges étaient répartis également) : des tranches calées sur celles du recensement sont exactes`,
  no_rows_for_sex: (p) =>
    `aucune ligne pour ${SEX_FR[p.sex]} (sexe ${p.sex}) : leurs objectifs seraient de 0 et tou·tes seraient refusé·es`,
  ages_not_covered: (p, say) =>
    `aucune ligne pour ${SEX_FR[p.sex]} de ${say.and(p.ages)} ans (tranche ${p.band} de l’enquête) : les tranches du recensement sont ${say.and(p.census)}`,
  size_invalid: (p, say) =>
    `la taille de l’échantillon doit être un nombre entier positif, pas ${say.number(p.value, 3)}`,
  tolerance_invalid: (p, say) =>
    `la tolérance doit être comprise entre 0 et 1 (0,05 = +5 %), pas ${say.number(p.value, 3)}`,
  file_has_no_zone: () =>
    'ce fichier n’a pas de colonne de zone : toutes ses lignes sont comptées, quelle que soit la zone',
  table_twice: (p) =>
    `le tableau ${TABLE_FR[p.table]} est donné par ${p.first} et par ${p.second} : donnez-le une seule fois`,
  no_files: () => 'déposez au moins un fichier du recensement',
  no_sex_age: () =>
    'aucun fichier ne donne la population par sexe et âge (base « Population », POP6, POP1A ou sex;age;csp;count)',
  no_csp: () =>
    'aucun fichier ne donne la population par CSP (base « Population », POP6, POP6 V1 âge × CSP ou sex;age;csp;count)',
  zero_population: (p) => `la zone n’a aucun habitant pour le tableau ${TABLE_FR[p.table]}`,
  cell_empty: (p) =>
    `la case ${p.cell.join(', ')} (${TABLE_FR[p.table]}) n’a personne au recensement : son objectif est 0 et ces personnes seront toutes refusées`,
  cell_target_zero: (p, say) =>
    `la case ${p.cell.join(', ')} (${TABLE_FR[p.table]}) a un objectif de 0 (part au recensement ${say.number(p.percent, 2)} %) : ces personnes seront toutes refusées`,
  no_bands: () =>
    'indiquez les tranches d’âge de l’enquête, par exemple 18-29,30-44,45-59,60-74,75+',
  plan_issue: (p, say) => `${p.issue.path} : ${quotaWords(p.issue, QUOTA_FR, say)}`,
};

const CENSUS_EN: CensusWords = {
  missing_columns: (p, say) =>
    `${say.plural(p.columns.length, 'missing column', 'missing columns')} ${say.and(p.columns)} (the header must have sex${p.separator}age${p.separator}${p.group}${p.separator}count)`,
  unknown_sex: (p) => `unknown sex “${p.value}”: use INSEE’s codes 1 (man) or 2 (woman)`,
  unknown_age_band: (p) => `unknown age band “${p.value}”: write it 15-19 or 65+`,
  unknown_group: (p, say) =>
    `unknown ${p.group === 'csp' ? 'CSP' : 'diploma'} “${p.value}”: the codes are ${say.or(p.expected)}`,
  count_not_number: (p) => `the count “${p.value}” is not a number`,
  count_negative: (p, say) => `the count ${say.number(p.value)} is negative`,
  table_no_rows: () => 'the table has no rows',
  table_zero_population: () => 'the zone has no one in this table',
  no_csp_by_sex: (p) =>
    `no CSP by sex (C${p.year}_H15P_CS1…C${p.year}_F15P_CS8): this file gives sex × age only`,
  no_teen_columns: (p) =>
    `no P${p.year}_POP1117, P${p.year}_POP0014, P${p.year}_POP0002, P${p.year}_POP0305 and P${p.year}_POP0610 columns: the CSP counts keep the 15-17 year olds`,
  missing_detailed_columns: (p, say) => missingColumns(p.missing, say, false),
  long_row_twice: (p, say) =>
    `sex ${p.sex}, age ${p.age}, ${p.group === 'csp' ? 'CSP' : 'diploma'} ${p.code} is given twice (first on line ${say.number(p.first)}): this line is left out`,
  missing_group_column: (p) =>
    `missing column csp or diploma (the header must have sex${p.separator}age${p.separator}csp${p.separator}count or sex${p.separator}age${p.separator}diploma${p.separator}count)`,
  no_zone_column: () =>
    `layout not recognised: no zone column (IRIS and COM, or CODGEO); layouts read: ${LAYOUTS_EN}`,
  layout_unknown: () => `layout not recognised; layouts read: ${LAYOUTS_EN}`,
  zone_twice: (p, say) =>
    `${p.kind === 'iris' ? 'IRIS' : 'commune'} ${p.code} is given twice (first on line ${say.number(p.first)}): this line is left out`,
  file_no_rows: () => 'the file has no rows',
  zone_missing: (p, say) =>
    `choose the zone: commune or IRIS codes (this file has ${say.number(p.count)} ${p.kind === 'iris' ? 'IRIS' : say.plural(p.count, 'commune', 'communes')})`,
  zone_not_in_file: (p) => `zone ${p.code} is not in this file`,
  zone_is_iris: (p) =>
    `zone ${p.code} is not in this file: it is by commune, choose commune ${p.commune}`,
  iris_in_chosen_commune: (p) =>
    `IRIS ${p.code} is in commune ${p.commune}, also chosen: it is counted once`,
  teens_over_group8: (p, say) =>
    `the zone has ${say.number(p.teens)} people aged 15-17 but only ${say.number(p.others)} in CSP group 8: group 8 is taken as 0`,
  band_invalid: (p) => `“${p.value}” is not an age band such as 18-29 or 75+`,
  bands_overlap: (p) => `survey bands ${p.first} and ${p.second} overlap`,
  bands_gap: (p) => `survey bands ${p.first} and ${p.second} leave ages ${p.from}-${p.to} out`,
  band_cannot_split: (p) =>
    `the census band ${p.census} cannot be split to fit the survey band ${p.survey}: use an open survey band starting at ${p.min} (${p.min}+), or bands that end before ${p.min}`,
  band_shared: (p, say) =>
    `the census band ${p.census} is shared between the survey bands ${say.and(p.bands)} in proportion to the years (as if ages were spread evenly): survey bands on the census’s limits are exact`,
  no_rows_for_sex: (p) =>
    `no row for ${SEX_EN[p.sex]} (sex ${p.sex}): their targets would be 0 and every one of them turned away`,
  ages_not_covered: (p, say) =>
    `no row for ${SEX_EN[p.sex]} aged ${say.and(p.ages)} (survey band ${p.band}): the census bands are ${say.and(p.census)}`,
  size_invalid: (p, say) =>
    `the sample size must be a positive whole number, not ${say.number(p.value, 3)}`,
  tolerance_invalid: (p, say) =>
    `the tolerance must be between 0 and 1 (0.05 = +5 %), not ${say.number(p.value, 3)}`,
  file_has_no_zone: () => 'this file has no zone column: all its rows are used, whatever the zone',
  table_twice: (p) =>
    `${TABLE_EN[p.table]} is given by both ${p.first} and ${p.second}: give it once`,
  no_files: () => 'upload at least one census file',
  no_sex_age: () =>
    'no file gives the population by sex and age (base “Population”, POP6, POP1A or sex;age;csp;count)',
  no_csp: () =>
    'no file gives the population by CSP (base “Population”, POP6, POP6 V1 age × CSP or sex;age;csp;count)',
  zero_population: (p) => `the zone has no one for table ${TABLE_EN[p.table]}`,
  cell_empty: (p) =>
    `cell ${p.cell.join(', ')} (${TABLE_EN[p.table]}) has no one in the census: its target is 0 and every such respondent will be turned away`,
  cell_target_zero: (p, say) =>
    `cell ${p.cell.join(', ')} (${TABLE_EN[p.table]}) gets a target of 0 (census share ${say.number(p.percent, 2)} %): every such respondent will be turned away`,
  no_bands: () => 'give the survey age bands, e.g. 18-29,30-44,45-59,60-74,75+',
  plan_issue: (p, say) => `${p.issue.path}: ${quotaWords(p.issue, QUOTA_EN, say)}`,
};

function sayIn(language: string): Say {
  const lang: DashboardLanguage = language === 'en' ? 'en' : 'fr';
  const listed = (type: 'conjunction' | 'disjunction') => (items: readonly string[]) => {
    try {
      return new Intl.ListFormat(lang, { type }).format(items);
    } catch {
      return items.join(', ');
    }
  };
  return {
    language: lang,
    and: listed('conjunction'),
    or: listed('disjunction'),
    number: (value, digits = 1) =>
      digits === 1
        ? formatNumber(value, lang)
        : new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value),
    plural: (count, one, other) => pluralOf({ one, other }, count, lang),
  };
}

/** The issue's wording in `words`, or its English message for a code the words do not know. */
function quotaWords(issue: QuotaIssue, words: QuotaWords, say: Say): string {
  const wording = (words as Readonly<Record<string, Wording<QuotaIssue['params']> | undefined>>)[
    issue.code
  ];
  return wording === undefined ? issue.message : wording(issue.params, say);
}

/**
 * A census or plan-making problem in the dashboard's language (`fr`, or `en`), without its place
 * (file, line, column: the panel shows them beside it). A code these words do not know (a newer
 * core) keeps the core's English message.
 */
export function censusIssueText(issue: CensusIssue, language: string): string {
  const say = sayIn(language);
  const words = say.language === 'en' ? CENSUS_EN : CENSUS_FR;
  const wording = (words as Readonly<Record<string, Wording<CensusIssue['params']> | undefined>>)[
    issue.code
  ];
  return wording === undefined ? issue.message : wording(issue.params, say);
}

/** A quota plan's problem (a plan file that `loadQuotaPlan` refuses) in the dashboard's language. */
export function quotaIssueText(issue: QuotaIssue, language: string): string {
  const say = sayIn(language);
  return quotaWords(issue, say.language === 'en' ? QUOTA_EN : QUOTA_FR, say);
}

/** The words of every census code, by language (the tests check that none is missing). */
export const CENSUS_WORDS: Readonly<Record<DashboardLanguage, CensusWords>> = {
  fr: CENSUS_FR,
  en: CENSUS_EN,
};

/** The words of every plan code, by language. */
export const QUOTA_WORDS: Readonly<Record<DashboardLanguage, QuotaWords>> = {
  fr: QUOTA_FR,
  en: QUOTA_EN,
};
