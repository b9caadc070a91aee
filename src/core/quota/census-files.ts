// Census files as INSEE publishes them, read alike by the dashboard (in the browser) and by
// `npm run quota:plan`: each file's layout recognised from its header, the chosen zone's rows
// summed, the survey's age bands checked against the census's, and every table of the plan shown
// (census count, share, target) with the problems found, before anything is saved.
import type { AgeBand, CensusLineParams } from './census.ts';
import {
  CENSUS_LINE_MESSAGES,
  CSP_LABELS,
  DIPLOMA_LABELS,
  allocate,
  diplomaVariable,
  overlap,
  parseAgeBand,
  parseCensusLines,
  quotaVariables,
} from './census.ts';
import type { CsvRow, CsvTable } from './census-csv.ts';
import { parseCount, readCsv } from './census-csv.ts';
import { largestRemainder } from './decide.ts';
import { loadQuotaPlan } from './plan.ts';
import type { QuotaIssue } from './plan.ts';
import type { QuotaPlan, QuotaTable } from './schema.ts';

/**
 * The layouts read: today's long tables (`sex;age;csp;count`, `sex;age;diploma;count`), INSEE's
 * infra-communal bases "Population" and "Diplômes - Formation" (by IRIS, or by commune with
 * CODGEO), and the detailed tables POP6 (sex x age x CSP), POP1A (sex x age) and POP6 V1
 * (age x CSP) in their wide layout, one row per commune.
 */
export type CensusLayout =
  'long-csp' | 'long-diploma' | 'ic-population' | 'ic-diplomas' | 'pop6' | 'pop1a' | 'age-csp';

/** A census table of the plan. */
export type CensusTableId = 'sex_age' | 'csp' | 'diploma';
/** A zone column's kind: a file by IRIS or by commune. */
export type ZoneKind = 'iris' | 'commune';

/** A column a detailed table lacks: the sex, age band and CSP it would give. */
export interface MissingColumn {
  readonly sex?: string;
  readonly age: string;
  readonly csp?: string;
}

/** Each problem found before saving and the values its message names (the long tables' too). */
export interface CensusIssueParams extends CensusLineParams {
  readonly no_csp_by_sex: { readonly year: string };
  readonly no_teen_columns: { readonly year: string };
  readonly missing_detailed_columns: { readonly missing: readonly MissingColumn[] };
  readonly long_row_twice: {
    readonly sex: string;
    readonly age: string;
    readonly group: 'csp' | 'diploma';
    readonly code: string;
    readonly first: number;
  };
  readonly missing_group_column: { readonly separator: string };
  readonly no_zone_column: Readonly<Record<string, never>>;
  readonly layout_unknown: Readonly<Record<string, never>>;
  readonly zone_twice: { readonly kind: ZoneKind; readonly code: string; readonly first: number };
  readonly file_no_rows: Readonly<Record<string, never>>;
  readonly zone_missing: { readonly kind: ZoneKind; readonly count: number };
  readonly zone_not_in_file: { readonly code: string };
  readonly zone_is_iris: { readonly code: string; readonly commune: string };
  readonly iris_in_chosen_commune: { readonly code: string; readonly commune: string };
  readonly teens_over_group8: { readonly teens: number; readonly others: number };
  readonly band_invalid: { readonly value: string };
  readonly bands_overlap: { readonly first: string; readonly second: string };
  readonly bands_gap: {
    readonly first: string;
    readonly second: string;
    readonly from: number;
    readonly to: number;
  };
  readonly band_cannot_split: {
    readonly census: string;
    readonly survey: string;
    readonly min: number;
  };
  readonly band_shared: { readonly census: string; readonly bands: readonly string[] };
  readonly no_rows_for_sex: { readonly sex: '1' | '2' };
  readonly ages_not_covered: {
    readonly sex: '1' | '2';
    readonly ages: readonly string[];
    readonly band: string;
    readonly census: readonly string[];
  };
  readonly size_invalid: { readonly value: number };
  readonly tolerance_invalid: { readonly value: number };
  readonly file_has_no_zone: Readonly<Record<string, never>>;
  readonly table_twice: {
    readonly table: CensusTableId;
    readonly first: string;
    readonly second: string;
  };
  readonly no_files: Readonly<Record<string, never>>;
  readonly no_sex_age: Readonly<Record<string, never>>;
  readonly no_csp: Readonly<Record<string, never>>;
  readonly zero_population: { readonly table: CensusTableId };
  /** `cell`: the cell's categories in French (`Femme`, `75+ ans`). */
  readonly cell_empty: { readonly table: CensusTableId; readonly cell: readonly string[] };
  readonly cell_target_zero: {
    readonly table: CensusTableId;
    readonly cell: readonly string[];
    /** The cell's share of the census, in percent. */
    readonly percent: number;
  };
  readonly no_bands: Readonly<Record<string, never>>;
  /** The plan made does not hold together (`loadQuotaPlan`'s issue). */
  readonly plan_issue: { readonly issue: QuotaIssue };
}

export type CensusIssueCode = keyof CensusIssueParams;

const TABLE_WORDS: Record<CensusTableId, string> = {
  sex_age: 'sex x age',
  csp: 'CSP',
  diploma: 'diploma',
};

const MESSAGES: { readonly [C in CensusIssueCode]: (params: CensusIssueParams[C]) => string } = {
  ...CENSUS_LINE_MESSAGES,
  no_csp_by_sex: ({ year }) =>
    `no CSP by sex (C${year}_H15P_CS1…C${year}_F15P_CS8): this file gives sex x age only`,
  no_teen_columns: ({ year }) =>
    `no P${year}_POP1117, P${year}_POP0014, P${year}_POP0002, P${year}_POP0305 and P${year}_POP0610 columns: the CSP counts keep the 15-17 year olds`,
  missing_detailed_columns: ({ missing }) => {
    const named = missing.map((column) =>
      [
        column.sex === undefined ? undefined : `sex ${column.sex}`,
        `age ${column.age}`,
        column.csp === undefined ? undefined : `CSP ${column.csp}`,
      ]
        .filter((part) => part !== undefined)
        .join(', '),
    );
    return `missing column${named.length > 1 ? 's' : ''} for ${named.slice(0, 5).join('; ')}${named.length > 5 ? ` and ${named.length - 5} more` : ''}`;
  },
  long_row_twice: (p) =>
    `sex ${p.sex}, age ${p.age}, ${p.group} ${p.code} is given twice (first on line ${p.first}): this line is left out`,
  missing_group_column: ({ separator: s }) =>
    `missing column csp or diploma (the header must have sex${s}age${s}csp${s}count or sex${s}age${s}diploma${s}count)`,
  no_zone_column: () =>
    `layout not recognised: no zone column (IRIS and COM, or CODGEO); ${EXPECTED}`,
  layout_unknown: () => `layout not recognised: ${EXPECTED}`,
  zone_twice: (p) =>
    `${p.kind === 'iris' ? 'IRIS' : 'commune'} ${p.code} is given twice (first on line ${p.first}): this line is left out`,
  file_no_rows: () => 'the file has no rows',
  zone_missing: (p) =>
    `choose the zone: commune or IRIS codes (this file has ${p.count} ${p.kind === 'commune' ? 'communes' : 'IRIS'})`,
  zone_not_in_file: (p) => `zone ${p.code} is not in this file`,
  zone_is_iris: (p) =>
    `zone ${p.code} is not in this file: this file is by commune, choose commune ${p.commune}`,
  iris_in_chosen_commune: (p) =>
    `IRIS ${p.code} is in commune ${p.commune}, also chosen: it is counted once`,
  teens_over_group8: (p) =>
    `the zone has ${p.teens} people aged 15-17 but only ${p.others} in CSP group 8: group 8 is taken as 0`,
  band_invalid: (p) => `"${p.value}" is not an age band such as 18-29 or 75+`,
  bands_overlap: (p) => `survey bands ${p.first} and ${p.second} overlap`,
  bands_gap: (p) => `survey bands ${p.first} and ${p.second} leave ages ${p.from}-${p.to} out`,
  band_cannot_split: (p) =>
    `the census band ${p.census} cannot be split to fit the survey band ${p.survey}: use a survey band starting at ${p.min} and open (${p.min}+), or bands that end before ${p.min}`,
  band_shared: (p) =>
    `the census band ${p.census} is shared between the survey bands ${p.bands.join(', ')} in proportion to the years (as if ages were spread evenly): survey bands on the census's limits are exact`,
  no_rows_for_sex: (p) =>
    `no row for ${SEX_WORD[p.sex]} (sex ${p.sex}): their targets would be 0 and every one of them turned away`,
  ages_not_covered: (p) =>
    `no row for ${SEX_WORD[p.sex]} aged ${p.ages.join(', ')} (survey band ${p.band}): the census bands are ${p.census.join(', ')}`,
  size_invalid: (p) => `the sample size must be a positive whole number, not ${p.value}`,
  tolerance_invalid: (p) => `the tolerance must be between 0 and 1 (0.05 = +5 %), not ${p.value}`,
  file_has_no_zone: () => 'this file has no zone column: all its rows are used, whatever the zone',
  table_twice: (p) =>
    `${TABLE_WORDS[p.table]} is given by both ${p.first} and ${p.second}: give it once`,
  no_files: () => 'give at least one census file',
  no_sex_age: () =>
    'no file gives the population by sex and age (base "Population", POP6, POP1A or sex;age;csp;count)',
  no_csp: () =>
    'no file gives the population by CSP (base "Population", POP6, POP6 V1 age x CSP or sex;age;csp;count)',
  zero_population: (p) => `the zone has zero population for table ${p.table}`,
  cell_empty: (p) =>
    `${p.table === 'sex_age' ? 'sex x age' : p.table} cell ${p.cell.join(', ')} has no one in the census: its target is 0 and every such respondent will be turned away`,
  cell_target_zero: (p) =>
    `${p.table === 'sex_age' ? 'sex x age' : p.table} cell ${p.cell.join(', ')} gets a target of 0 (census share ${p.percent.toFixed(2)} %): every such respondent will be turned away`,
  no_bands: () => 'give the survey age bands, e.g. 18-29,30-44,45-59,60-74,75+',
  plan_issue: ({ issue }) => `${issue.path}: ${issue.message}`,
};

/** Every code a census or plan problem may have, for clients that word each one. */
export const CENSUS_ISSUE_CODES = Object.keys(MESSAGES) as readonly CensusIssueCode[];

/**
 * A problem found before saving. `file` is the file's name, or `bands`, `zone`, `size`,
 * `tolerance`, `census` (the files as a whole) or `plan` for what the coordinator typed or chose;
 * `line` and `column` are 1-based (line 1 is the header; column 1 when the whole line is meant).
 * Any error means no plan. `code` and `params` say it for clients to word; `message` in English.
 */
export type CensusIssue = {
  readonly [C in CensusIssueCode]: {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly severity: 'error' | 'warning';
    readonly code: C;
    readonly params: CensusIssueParams[C];
    readonly message: string;
  };
}[CensusIssueCode];

/** A zone a file has: an IRIS (9 characters) or a commune (5), and the commune it belongs to. */
export interface CensusZone {
  readonly code: string;
  /** The file's name for it, `''` when the file has none (INSEE's IRIS bases have no names). */
  readonly name: string;
  readonly commune: string;
}

export interface CensusFileInfo {
  readonly name: string;
  readonly layout: CensusLayout | undefined;
  /** For an IRIS base, each commune first, then each IRIS; `[]` for the long format. */
  readonly zones: readonly CensusZone[];
  readonly issues: readonly CensusIssue[];
}

export interface CensusPlanInput {
  readonly files: readonly { name: string; text: string }[];
  /** Commune or IRIS codes, their rows summed; `[]` = every row (long format only). */
  readonly zone: readonly string[];
  /** Survey age bands, e.g. `18-29,30-44,45-59,60-74,75+`. */
  readonly bands: string;
  readonly size: number;
  readonly tolerance: number;
  readonly site: string;
  readonly questionnaire: string;
  readonly interviewers?: readonly string[];
}

export interface CensusCellPreview {
  /** The cell's category codes, as in the plan (`['2', '30-44']`). */
  readonly key: readonly string[];
  /** The categories in French (`['Femme', '30-44 ans']`). */
  readonly labels: readonly string[];
  /** The zone's population in the cell, over the survey's ages (narrowed as documented). */
  readonly census: number;
  /** Exact share of the table's population, 0 to 1. */
  readonly share: number;
  readonly target: number;
}

export interface CensusPlanPreview {
  /** `undefined` on any error. */
  readonly plan: QuotaPlan | undefined;
  readonly issues: readonly CensusIssue[];
  readonly tables: readonly {
    readonly id: string;
    readonly variables: readonly string[];
    readonly cells: readonly CensusCellPreview[];
  }[];
}

export { CSP_LABELS, DIPLOMA_LABELS };

type Sex = '1' | '2';
type TableId = CensusTableId;

interface Place {
  readonly line: number;
  readonly column: number;
}

/** One census count: its sex and age band when the table has them, its CSP or diploma group. */
interface Count {
  readonly sex: Sex | undefined;
  readonly age: AgeBand | undefined;
  readonly group: string | undefined;
  readonly count: number;
  readonly at: Place;
}

/** A column of a wide file that feeds a table. */
interface WideColumn {
  readonly index: number;
  readonly table: TableId;
  readonly sex: Sex | undefined;
  readonly age: AgeBand | undefined;
  readonly group: string | undefined;
}

/** A file with one row per zone. */
interface Zoned {
  readonly csv: CsvTable;
  /** Column index of the IRIS code (IRIS bases), undefined for files by commune. */
  readonly iris: number | undefined;
  /** Column index of the commune code (COM or CODGEO). */
  readonly commune: number;
  readonly columns: readonly WideColumn[];
  /** Columns whose sum is the 15-17 year olds (with their sign), to take out of CSP group 8. */
  readonly teens: readonly { readonly index: number; readonly sign: 1 | -1 }[] | undefined;
  /** Each zone code's first row (IRIS code, or commune code for files by commune). */
  readonly byCode: ReadonlyMap<string, CsvRow>;
  /** IRIS bases: each commune's rows. */
  readonly byCommune: ReadonlyMap<string, readonly CsvRow[]>;
}

interface ReadFile {
  readonly info: CensusFileInfo;
  readonly zoned: Zoned | undefined;
  /** Long files: the counts, every row. */
  readonly counts: Partial<Record<TableId, readonly Count[]>> | undefined;
  /** Where a table's header is, for problems about a whole table. */
  readonly tableAt: Partial<Record<TableId, Place>>;
}

const SEXES: readonly Sex[] = ['1', '2'];
const SEX_WORD: Record<Sex, string> = { '1': 'men', '2': 'women' };
const SEX_LABEL: Record<Sex, string> = { '1': 'Homme', '2': 'Femme' };
/** The oldest age a respondent may give (the SMPG `age` item's maximum). */
const OLDEST = 110;

/** INSEE's diploma groups (infra-communal base) -> the SMPG `diploma` item's codes. */
const DIPLOMA_COLUMNS: readonly (readonly [string, string])[] = [
  ['DIPLMIN', '1'],
  ['BEPC', '2'],
  ['CAPBEP', '3'],
  ['BAC', '4'],
  ['SUP2', '5'],
  ['SUP34', '6'],
  ['SUP5', '7'],
];

/** CSP columns of the "Population" base: CS1…CS8 until RP2021, PCS 2020 groups from RP2022. */
const CSP_SCHEMES: readonly (readonly (readonly [string, string])[])[] = [
  // Written out, not mapped: a call at the top of the module would keep it in the tablets'
  // first download, which never reads census files.
  [
    ['CS1', '1'],
    ['CS2', '2'],
    ['CS3', '3'],
    ['CS4', '4'],
    ['CS5', '5'],
    ['CS6', '6'],
    ['CS7', '7'],
    ['CS8', '8'],
  ],
  [
    ['STAT_GSEC11_21', '1'],
    ['STAT_GSEC12_22', '2'],
    ['STAT_GSEC13_23', '3'],
    ['STAT_GSEC14_24', '4'],
    ['STAT_GSEC15_25', '5'],
    ['STAT_GSEC16_26', '6'],
    ['STAT_GSEC32', '7'],
    ['STAT_GSEC40', '8'],
  ],
];

const EXPECTED =
  'expected one of: sex;age;csp;count or sex;age;diploma;count (long format); IRIS;COM (or CODGEO) ' +
  'with P21_H1529…P21_F75P and C21_H15P_CS1…C21_F15P_CS8 (INSEE base "Population", any year); ' +
  'IRIS;COM (or CODGEO) with P21_HNSCOL15P_DIPLMIN…P21_FNSCOL15P_SUP5 (base "Diplômes - Formation"); ' +
  'CODGEO with SEXE1_AGEQ65015_CS1_81… (POP6), SEXE1_AGEPYR1000… (POP1A) or AGEQ65015_CS1_81… ' +
  '(POP6 V1, age x CSP)';

/** A band from its bounds (`max` undefined: open). */
function bandOf(min: number, max: number | undefined): AgeBand {
  return { code: max === undefined ? `${min}+` : `${min}-${max}`, min, max };
}

/**
 * The bands that cover ages from `from` up, one after the other, up to an open band: the
 * narrowest wherever two overlap (INSEE's bases also give 0-19, 20-64, 65+ beside 15-29...).
 */
function partition(bands: readonly AgeBand[], from: number): AgeBand[] | undefined {
  const out: AgeBand[] = [];
  let start = from;
  for (;;) {
    const best = bands
      .filter((band) => band.min <= start && (band.max === undefined || band.max >= start))
      .sort(
        (a, b) =>
          b.min - a.min ||
          (a.max ?? Number.POSITIVE_INFINITY) - (b.max ?? Number.POSITIVE_INFINITY),
      )[0];
    if (best === undefined || (out.length > 0 && best.min !== start)) return undefined;
    out.push(best);
    if (best.max === undefined) return out;
    start = best.max + 1;
  }
}

/** Bands from their lower bounds (a detailed table's age codes): each up to the next, the last open. */
function bandsFromStarts(starts: readonly number[]): AgeBand[] {
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  return sorted.map((min, i) => {
    const next = sorted[i + 1];
    return bandOf(min, next === undefined ? undefined : next - 1);
  });
}

/** The column's variables in a detailed table (`SEXE1_AGEQ65015_CS1_81`), in any order. */
function detailedCell(
  name: string,
): { sex?: Sex; ageStart?: number; ageVariable?: string; csp?: string } | undefined {
  const cell: { sex?: Sex; ageStart?: number; ageVariable?: string; csp?: string } = {};
  let rest = name.toUpperCase();
  while (rest !== '') {
    let match: RegExpExecArray | null;
    if ((match = /^SEXE([12])(?:_|$)/.exec(rest)) && cell.sex === undefined) {
      cell.sex = match[1] as Sex;
    } else if (
      (match = /^(AGEQ65)(\d{3})(?:_|$)/.exec(rest) ?? /^(AGEPYR10)(\d{2})(?:_|$)/.exec(rest)) &&
      cell.ageStart === undefined
    ) {
      cell.ageVariable = match[1] ?? '';
      cell.ageStart = Number(match[2]);
    } else if ((match = /^CS1_8([1-8])(?:_|$)/.exec(rest)) && cell.csp === undefined) {
      cell.csp = match[1] ?? '';
    } else return undefined;
    rest = rest.slice(match[0].length);
  }
  return cell;
}

interface Recognised {
  readonly layout: CensusLayout;
  readonly columns: readonly WideColumn[];
  readonly teens: Zoned['teens'];
  readonly issues: readonly Problem[];
}

/** A problem's code and values, before it is placed in a file. */
type Problem = {
  readonly [C in CensusIssueCode]: { readonly code: C; readonly params: CensusIssueParams[C] };
}[CensusIssueCode];

/** The infra-communal bases (or their commune-level twins): the columns that feed each table. */
function recogniseBase(header: readonly string[]): Recognised | undefined {
  const names = header.map((name) => name.toUpperCase());
  const years = new Set<string>();
  for (const name of names) {
    const match = /^P(\d\d)_(?:[HF]\d{4}|[HF]\d\dP|[HF]NSCOL15P)$/.exec(name);
    if (match?.[1] !== undefined) years.add(match[1]);
  }
  // A base holds one census; were there several, the latest one is read.
  const year = [...years].sort().at(-1);
  if (year === undefined) return undefined;
  const columns: WideColumn[] = [];
  const issues: Problem[] = [];
  const index = (name: string) => names.indexOf(name);
  let layout: CensusLayout | undefined;
  let teens: Zoned['teens'];

  const sexAge: WideColumn[] = [];
  for (const sex of SEXES) {
    const letter = sex === '1' ? 'H' : 'F';
    const bands: { band: AgeBand; index: number }[] = [];
    names.forEach((name, i) => {
      const match = new RegExp(`^P${year}_${letter}(\\d\\d)(\\d\\d|P)$`).exec(name);
      if (match === null) return;
      const min = Number(match[1]);
      const max = match[2] === 'P' ? undefined : Number(match[2]);
      if (max === undefined || max >= min) bands.push({ band: bandOf(min, max), index: i });
    });
    const chosen = partition(
      bands.map((entry) => entry.band),
      15,
    );
    if (chosen === undefined) break;
    for (const band of chosen) {
      const column = bands.find((entry) => entry.band === band);
      if (column !== undefined)
        sexAge.push({ index: column.index, table: 'sex_age', sex, age: band, group: undefined });
    }
  }
  const bothSexes =
    sexAge.some((column) => column.sex === '1') && sexAge.some((column) => column.sex === '2');
  const scheme = CSP_SCHEMES.find((codes) =>
    SEXES.every((sex) =>
      codes.every(([suffix]) => index(`C${year}_${sex === '1' ? 'H' : 'F'}15P_${suffix}`) >= 0),
    ),
  );
  const diploma = SEXES.every((sex) =>
    DIPLOMA_COLUMNS.every(
      ([suffix]) => index(`P${year}_${sex === '1' ? 'H' : 'F'}NSCOL15P_${suffix}`) >= 0,
    ),
  );
  // The "Diplômes - Formation" base has sex x age columns too (P21_H1517...), for its school
  // counts: it is read for diplomas only, unless the file also has the CSP (a commune's full file).
  if (bothSexes && (scheme !== undefined || !diploma)) {
    layout = 'ic-population';
    columns.push(...sexAge);
    if (scheme === undefined) {
      issues.push({ code: 'no_csp_by_sex', params: { year } });
    } else {
      for (const sex of SEXES)
        for (const [suffix, group] of scheme)
          columns.push({
            index: index(`C${year}_${sex === '1' ? 'H' : 'F'}15P_${suffix}`),
            table: 'csp',
            sex,
            age: undefined,
            group,
          });
      // 15-17 = 11-17 minus 11-14 (0-14 minus 0-2, 3-5, 6-10), all columns of the base.
      const parts = [
        [`P${year}_POP1117`, 1],
        [`P${year}_POP0014`, -1],
        [`P${year}_POP0002`, 1],
        [`P${year}_POP0305`, 1],
        [`P${year}_POP0610`, 1],
      ] as const;
      if (parts.every(([name]) => index(name) >= 0))
        teens = parts.map(([name, sign]) => ({ index: index(name), sign }));
      else issues.push({ code: 'no_teen_columns', params: { year } });
    }
  }
  if (diploma) {
    layout ??= 'ic-diplomas';
    for (const sex of SEXES)
      for (const [suffix, group] of DIPLOMA_COLUMNS)
        columns.push({
          index: index(`P${year}_${sex === '1' ? 'H' : 'F'}NSCOL15P_${suffix}`),
          table: 'diploma',
          sex,
          age: undefined,
          group,
        });
  }
  return layout === undefined ? undefined : { layout, columns, teens, issues };
}

/** The detailed tables POP6, POP1A and POP6 V1 in their wide layout. */
function recogniseDetailed(header: readonly string[]): Recognised | undefined {
  const cells: { index: number; cell: NonNullable<ReturnType<typeof detailedCell>> }[] = [];
  header.forEach((name, index) => {
    if (!/^(SEXE|AGE|CS1_8)/i.test(name)) return;
    const cell = detailedCell(name);
    if (cell !== undefined) cells.push({ index, cell });
  });
  if (cells.length === 0) return undefined;
  const shape = (cell: (typeof cells)[number]['cell']) =>
    `${cell.sex !== undefined}${cell.ageStart !== undefined}${cell.csp !== undefined}`;
  const first = cells[0]?.cell;
  if (first === undefined || cells.some(({ cell }) => shape(cell) !== shape(first)))
    return undefined;
  if (new Set(cells.map(({ cell }) => cell.ageVariable)).size > 1) return undefined;
  const hasSex = first.sex !== undefined;
  const hasAge = first.ageStart !== undefined;
  const hasCsp = first.csp !== undefined;
  const layout: CensusLayout | undefined =
    hasSex && hasAge && hasCsp
      ? 'pop6'
      : hasSex && hasAge
        ? 'pop1a'
        : hasAge && hasCsp
          ? 'age-csp'
          : undefined;
  if (layout === undefined) return undefined;
  const bands = bandsFromStarts(cells.map(({ cell }) => cell.ageStart ?? 0));
  const bandOfStart = (start: number | undefined) => bands.find((band) => band.min === start);
  const columns: WideColumn[] = [];
  const issues: Problem[] = [];
  const seen = new Set<string>();
  for (const { index, cell } of cells) {
    const age = bandOfStart(cell.ageStart);
    seen.add(`${cell.sex ?? ''}|${age?.code ?? ''}|${cell.csp ?? ''}`);
    if (layout !== 'age-csp')
      columns.push({ index, table: 'sex_age', sex: cell.sex, age, group: undefined });
    if (layout !== 'pop1a')
      columns.push({ index, table: 'csp', sex: cell.sex, age, group: cell.csp });
  }
  const missing: MissingColumn[] = [];
  for (const sex of hasSex ? SEXES : [undefined])
    for (const band of bands)
      for (const csp of hasCsp ? Object.keys(CSP_LABELS) : [undefined])
        if (!seen.has(`${sex ?? ''}|${band.code}|${csp ?? ''}`))
          missing.push({
            ...(sex === undefined ? {} : { sex }),
            age: band.code,
            ...(csp === undefined ? {} : { csp }),
          });
  if (missing.length > 0) issues.push({ code: 'missing_detailed_columns', params: { missing } });
  return { layout, columns, teens: undefined, issues };
}

function issue<C extends CensusIssueCode>(
  file: string,
  at: Place,
  severity: CensusIssue['severity'],
  code: C,
  params: CensusIssueParams[C],
): CensusIssue {
  return {
    file,
    line: at.line,
    column: Math.max(1, at.column),
    severity,
    code,
    params,
    message: MESSAGES[code](params),
  } as CensusIssue;
}

/** A problem placed in its file, with its English message. */
function placed(file: string, at: Place, severity: CensusIssue['severity'], problem: Problem) {
  return issue(file, at, severity, problem.code, problem.params);
}

const HEADER: Place = { line: 1, column: 1 };

/** Reads a long table: its counts, every row, and a warning for each cell given twice. */
function readLong(name: string, text: string, kind: 'csp' | 'diploma'): ReadFile {
  const groups = Object.keys(kind === 'csp' ? CSP_LABELS : DIPLOMA_LABELS);
  const parsed = parseCensusLines(text, kind, groups);
  const layout: CensusLayout = kind === 'csp' ? 'long-csp' : 'long-diploma';
  if (!parsed.ok) {
    const headerBroken = parsed.errors.some((error) => error.code === 'missing_columns');
    return {
      info: {
        name,
        layout: headerBroken ? undefined : layout,
        zones: [],
        issues: parsed.errors.map((error) => placed(name, error, 'error', error)),
      },
      zoned: undefined,
      counts: undefined,
      tableAt: {},
    };
  }
  const header = readCsv(text.slice(0, text.search(/\r?\n|$/))).header.map((field) =>
    field.toLowerCase(),
  );
  const column = (field: string) => header.indexOf(field) + 1;
  const issues: CensusIssue[] = [];
  const firstLine = new Map<string, number>();
  const sexAge: Count[] = [];
  const groupCounts: Count[] = [];
  for (const row of parsed.rows) {
    const key = `${row.sex}|${row.age.code}|${row.group}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      issues.push(
        issue(name, { line: row.line, column: 1 }, 'warning', 'long_row_twice', {
          sex: row.sex,
          age: row.age.code,
          group: kind,
          code: row.group,
          first,
        }),
      );
      continue;
    }
    firstLine.set(key, row.line);
    const at = { line: row.line, column: column('count') };
    sexAge.push({ sex: row.sex as Sex, age: row.age, group: undefined, count: row.count, at });
    groupCounts.push({ sex: row.sex as Sex, age: row.age, group: row.group, count: row.count, at });
  }
  const ageAt = { line: 1, column: column('age') };
  const groupAt = { line: 1, column: column(kind) };
  return {
    info: { name, layout, zones: [], issues },
    zoned: undefined,
    counts: kind === 'csp' ? { sex_age: sexAge, csp: groupCounts } : { diploma: groupCounts },
    tableAt: kind === 'csp' ? { sex_age: ageAt, csp: groupAt } : { diploma: groupAt },
  };
}

/** Reads a file: its layout, zones and the problems of its own (before any zone is chosen). */
function readFile(name: string, text: string): ReadFile {
  const csv = readCsv(text);
  const lower = csv.header.map((field) => field.toLowerCase());
  const names = csv.header.map((field) => field.toUpperCase());
  const failed = (problem: Problem): ReadFile => ({
    info: { name, layout: undefined, zones: [], issues: [placed(name, HEADER, 'error', problem)] },
    zoned: undefined,
    counts: undefined,
    tableAt: {},
  });
  if (['sex', 'age', 'count'].some((field) => lower.includes(field))) {
    if (lower.includes('diploma')) return readLong(name, text, 'diploma');
    if (!lower.includes('csp') && ['sex', 'age', 'count'].every((f) => lower.includes(f))) {
      return failed({ code: 'missing_group_column', params: { separator: csv.separator } });
    }
    return readLong(name, text, 'csp');
  }
  const iris = names.indexOf('IRIS');
  const com = names.indexOf('COM');
  const codgeo = names.indexOf('CODGEO');
  const byIris = iris >= 0 && com >= 0;
  if (!byIris && codgeo < 0) return failed({ code: 'no_zone_column', params: {} });
  const recognised =
    recogniseBase(csv.header) ?? (byIris ? undefined : recogniseDetailed(csv.header));
  if (recognised === undefined) return failed({ code: 'layout_unknown', params: {} });
  const issues: CensusIssue[] = recognised.issues.map((problem) =>
    placed(
      name,
      HEADER,
      problem.code === 'missing_detailed_columns' ? 'error' : 'warning',
      problem,
    ),
  );
  const communeColumn = byIris ? com : codgeo;
  const codeColumn = byIris ? iris : codgeo;
  const nameColumn = (...candidates: string[]) =>
    candidates.map((candidate) => names.indexOf(candidate)).find((i) => i >= 0);
  const zoneName = nameColumn(...(byIris ? ['LIBIRIS', 'LIB_IRIS'] : ['LIBGEO']));
  const communeName = byIris ? nameColumn('LIBCOM', 'LIB_COM') : zoneName;
  const byCode = new Map<string, CsvRow>();
  const byCommune = new Map<string, CsvRow[]>();
  const communes: CensusZone[] = [];
  const zones: CensusZone[] = [];
  for (const row of csv.rows) {
    const code = row.fields[codeColumn] ?? '';
    const commune = row.fields[communeColumn] ?? '';
    const first = byCode.get(code);
    if (first !== undefined) {
      issues.push(
        issue(name, { line: row.line, column: codeColumn + 1 }, 'warning', 'zone_twice', {
          kind: byIris ? 'iris' : 'commune',
          code,
          first: first.line,
        }),
      );
      continue;
    }
    byCode.set(code, row);
    if (byIris) {
      const rows = byCommune.get(commune);
      if (rows === undefined) {
        byCommune.set(commune, [row]);
        const label = communeName === undefined ? '' : (row.fields[communeName] ?? '');
        communes.push({ code: commune, name: label, commune });
      } else rows.push(row);
    }
    zones.push({
      code,
      name: zoneName === undefined ? '' : (row.fields[zoneName] ?? ''),
      commune,
    });
  }
  if (csv.rows.length === 0) issues.push(issue(name, HEADER, 'error', 'file_no_rows', {}));
  return {
    info: { name, layout: recognised.layout, zones: [...communes, ...zones], issues },
    zoned: {
      csv,
      iris: byIris ? iris : undefined,
      commune: communeColumn,
      columns: recognised.columns,
      teens: recognised.teens,
      byCode,
      byCommune,
    },
    counts: undefined,
    tableAt: Object.fromEntries(
      (['sex_age', 'csp', 'diploma'] as const).flatMap((table) => {
        const first = recognised.columns.find((column) => column.table === table);
        return first === undefined ? [] : [[table, { line: 1, column: first.index + 1 }]];
      }),
    ),
  };
}

/** Recognises the layout from the header and lists the zones (communes or IRIS) the file has. */
export function readCensusFile(name: string, text: string): CensusFileInfo {
  return readFile(name, text).info;
}

/** The zone's rows of a file by zone, each once, or the problems that stop it. */
function selectRows(
  file: ReadFile,
  zoned: Zoned,
  zone: readonly string[],
  issues: CensusIssue[],
): CsvRow[] {
  const name = file.info.name;
  const zoneAt = { line: 1, column: (zoned.iris ?? zoned.commune) + 1 };
  if (zone.length === 0) {
    issues.push(
      issue(name, zoneAt, 'error', 'zone_missing', {
        kind: zoned.iris === undefined ? 'commune' : 'iris',
        count: zoned.byCode.size,
      }),
    );
    return [];
  }
  const chosen = new Map<number, CsvRow>();
  const communes = new Set(zone.filter((code) => zoned.byCommune.has(code)));
  for (const code of zone) {
    const row = zoned.byCode.get(code);
    const rows = row === undefined ? zoned.byCommune.get(code) : [row];
    if (rows === undefined) {
      issues.push(
        zoned.iris === undefined && code.length === 9 && zoned.byCode.has(code.slice(0, 5))
          ? issue(name, zoneAt, 'error', 'zone_is_iris', { code, commune: code.slice(0, 5) })
          : issue(name, zoneAt, 'error', 'zone_not_in_file', { code }),
      );
      continue;
    }
    if (row !== undefined && zoned.iris !== undefined) {
      const commune = row.fields[zoned.commune] ?? '';
      if (communes.has(commune) && commune !== code)
        issues.push(
          issue(
            name,
            { line: row.line, column: zoned.iris + 1 },
            'warning',
            'iris_in_chosen_commune',
            {
              code,
              commune,
            },
          ),
        );
    }
    for (const each of rows) chosen.set(each.line, each);
  }
  return [...chosen.values()];
}

/** The zone's counts of a file by zone: each column summed over the zone's rows. */
function zonedCounts(
  file: ReadFile,
  zoned: Zoned,
  rows: readonly CsvRow[],
  issues: CensusIssue[],
): Partial<Record<TableId, Count[]>> {
  const name = file.info.name;
  const { separator } = zoned.csv;
  const sum = (index: number): number => {
    let total = 0;
    for (const row of rows) {
      const text = row.fields[index] ?? '';
      const value = parseCount(text, separator);
      const at = { line: row.line, column: index + 1 };
      if (value === undefined)
        issues.push(issue(name, at, 'error', 'count_not_number', { value: text }));
      else if (value < 0) issues.push(issue(name, at, 'error', 'count_negative', { value }));
      else total += value;
    }
    return total;
  };
  const out: Partial<Record<TableId, Count[]>> = {};
  for (const column of zoned.columns) {
    (out[column.table] ??= []).push({
      sex: column.sex,
      age: column.age,
      group: column.group,
      count: sum(column.index),
      at: { line: 1, column: column.index + 1 },
    });
  }
  if (zoned.teens !== undefined && out.csp !== undefined) {
    const teens = zoned.teens.reduce((total, part) => total + part.sign * sum(part.index), 0);
    const first = zoned.teens[0];
    const at = { line: 1, column: (first?.index ?? 0) + 1 };
    const others = out.csp
      .filter((count) => count.group === '8')
      .reduce((total, count) => total + count.count, 0);
    // INSEE puts pupils in group 8; the survey starts at 18, so the 15-17 year olds leave it.
    out.csp.push({
      sex: undefined,
      age: undefined,
      group: '8',
      count: -Math.min(teens, others),
      at,
    });
    if (teens > others)
      issues.push(
        issue(name, at, 'warning', 'teens_over_group8', {
          teens: round(teens),
          others: round(others),
        }),
      );
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Parses `18-29,30-44,75+`: bands sorted, each problem pointing at its place in the text. */
function surveyBands(text: string, issues: CensusIssue[]): AgeBand[] | undefined {
  const bands: { band: AgeBand; column: number }[] = [];
  let offset = 0;
  let ok = true;
  for (const part of text.split(',')) {
    const column = offset + 1 + (part.length - part.trimStart().length);
    offset += part.length + 1;
    const band = parseAgeBand(part);
    if (band === undefined) {
      ok = false;
      issues.push(
        issue('bands', { line: 1, column }, 'error', 'band_invalid', { value: part.trim() }),
      );
    } else bands.push({ band, column });
  }
  if (!ok) return undefined;
  bands.sort((a, b) => a.band.min - b.band.min);
  for (let i = 1; i < bands.length; i++) {
    const previous = bands[i - 1];
    const current = bands[i];
    if (previous === undefined || current === undefined) continue;
    const end = previous.band.max;
    const at = { line: 1, column: current.column };
    if (end === undefined || end >= current.band.min) {
      ok = false;
      issues.push(
        issue('bands', at, 'error', 'bands_overlap', {
          first: previous.band.code,
          second: current.band.code,
        }),
      );
    } else if (end + 1 < current.band.min) {
      ok = false;
      issues.push(
        issue('bands', at, 'error', 'bands_gap', {
          first: previous.band.code,
          second: current.band.code,
          from: end + 1,
          to: current.band.min - 1,
        }),
      );
    }
  }
  return ok ? bands.map((entry) => entry.band) : undefined;
}

/** Ages of `band` (up to OLDEST) that none of `census` covers, as text (`18-19, 90-110`). */
function uncovered(census: readonly AgeBand[], band: AgeBand): string[] {
  const gaps: string[] = [];
  let start: number | undefined;
  const last = band.max ?? OLDEST;
  for (let age = band.min; age <= last + 1; age++) {
    const covered =
      age <= last &&
      census.some((each) => each.min <= age && (each.max === undefined || each.max >= age));
    if (!covered && age <= last) start ??= age;
    else if (start !== undefined) {
      gaps.push(start === age - 1 ? `${start}` : `${start}-${age - 1}`);
      start = undefined;
    }
  }
  return gaps;
}

interface Source {
  readonly file: string;
  readonly counts: readonly Count[];
  readonly at: Place;
}

/** The population of each cell of a table, over the survey's ages. */
function surveyCells(
  id: TableId,
  source: Source,
  bands: readonly AgeBand[],
  issues: CensusIssue[],
  cut: Set<string>,
): { counts: Map<string, number>; cut: boolean } {
  const out = new Map<string, number>();
  let wasCut = false;
  const shared = new Set<string>();
  for (const count of source.counts) {
    const key = (band: AgeBand | undefined) =>
      id === 'sex_age' ? `${count.sex ?? ''}|${band?.code ?? ''}` : (count.group ?? '');
    if (count.age === undefined) {
      // The base gives this table for every age (15 and over) at once.
      out.set(key(undefined), (out.get(key(undefined)) ?? 0) + count.count);
      continue;
    }
    const census = count.age;
    const within: string[] = [];
    for (const band of bands) {
      const share = overlap(census, band);
      if (share === 'cannot_split') {
        wasCut = true;
        // Said once per file, though both of a long file's tables hold the band.
        if (!cut.has(`${source.file}|${census.code}|${band.code}`))
          issues.push(
            issue(source.file, count.at, 'error', 'band_cannot_split', {
              census: census.code,
              survey: band.code,
              min: census.min,
            }),
          );
        cut.add(`${source.file}|${census.code}|${band.code}`);
      } else if (share > 0) {
        within.push(band.code);
        out.set(key(band), (out.get(key(band)) ?? 0) + count.count * share);
      }
    }
    if (id === 'sex_age' && within.length > 1 && !shared.has(census.code)) {
      shared.add(census.code);
      issues.push(
        issue(source.file, count.at, 'warning', 'band_shared', {
          census: census.code,
          bands: within,
        }),
      );
    }
  }
  return { counts: out, cut: wasCut };
}

/** Every sex and survey age has census rows; an age with none would get a target of 0. */
function checkCoverage(source: Source, bands: readonly AgeBand[], issues: CensusIssue[]) {
  for (const sex of SEXES) {
    const ages = source.counts.filter((count) => count.sex === sex).map((count) => count.age);
    if (ages.length === 0) {
      issues.push(issue(source.file, source.at, 'error', 'no_rows_for_sex', { sex }));
      continue;
    }
    const census = ages.filter((age): age is AgeBand => age !== undefined);
    for (const band of bands) {
      const gaps = uncovered(census, band);
      if (gaps.length > 0)
        issues.push(
          issue(source.file, source.at, 'error', 'ages_not_covered', {
            sex,
            ages: gaps,
            band: band.code,
            census: [...new Set(census.map((age) => age.code))],
          }),
        );
    }
  }
}

function labelOf(id: TableId, code: string, variable: string): string {
  if (variable === 'sex') return SEX_LABEL[code as Sex] ?? code;
  if (variable === 'age') return `${code} ans`;
  return (id === 'diploma' ? DIPLOMA_LABELS : CSP_LABELS)[code] ?? code;
}

/**
 * Builds a site's plan from census files: sex x age crossed, CSP marginal, diploma marginal when
 * a file gives it. Every cell of the plan keeps its census count (`census`), for the weights.
 * Never throws: what is wrong comes back in `issues`, and `plan` is then undefined; `tables`
 * shows every table that could be computed.
 */
export function planFromCensusFiles(input: CensusPlanInput): CensusPlanPreview {
  const issues: CensusIssue[] = [];
  const bands = surveyBands(input.bands, issues);
  if (!Number.isInteger(input.size) || input.size <= 0)
    issues.push(issue('size', HEADER, 'error', 'size_invalid', { value: input.size }));
  if (!(input.tolerance >= 0 && input.tolerance <= 1))
    issues.push(
      issue('tolerance', HEADER, 'error', 'tolerance_invalid', { value: input.tolerance }),
    );
  const zone = [...new Set(input.zone.map((code) => code.trim()).filter((code) => code !== ''))];
  const sources: Partial<Record<TableId, Source>> = {};
  let zoneUsed = false;
  let unread = false;
  for (const { name, text } of input.files) {
    const file = readFile(name, text);
    issues.push(...file.info.issues);
    if (file.info.issues.some((each) => each.severity === 'error')) unread = true;
    let counts = file.counts;
    if (file.zoned !== undefined) {
      zoneUsed = true;
      const rows = selectRows(file, file.zoned, zone, issues);
      // Nothing of the zone in this file: it has said why; zero counts would only add noise.
      if (rows.length === 0) unread = true;
      counts = rows.length === 0 ? undefined : zonedCounts(file, file.zoned, rows, issues);
    } else if (file.counts !== undefined && zone.length > 0) {
      issues.push(issue(name, HEADER, 'warning', 'file_has_no_zone', {}));
    }
    for (const id of ['sex_age', 'csp', 'diploma'] as const) {
      const list = counts?.[id];
      if (list === undefined) continue;
      const other = sources[id];
      if (other !== undefined) {
        issues.push(
          issue(name, file.tableAt[id] ?? HEADER, 'error', 'table_twice', {
            table: id,
            first: other.file,
            second: name,
          }),
        );
        continue;
      }
      sources[id] = { file: name, counts: list, at: file.tableAt[id] ?? HEADER };
    }
  }
  if (input.files.length === 0) issues.push(issue('census', HEADER, 'error', 'no_files', {}));
  // A file that could not be read has said so: what it would have given is not missing twice.
  if (sources.sex_age === undefined && !unread && input.files.length > 0)
    issues.push(issue('census', HEADER, 'error', 'no_sex_age', {}));
  if (sources.csp === undefined && !unread && input.files.length > 0)
    issues.push(issue('census', HEADER, 'error', 'no_csp', {}));
  const tables: CensusPlanPreview['tables'][number][] = [];
  const planTables: QuotaTable[] = [];
  if (bands !== undefined && bands.length > 0) {
    if (sources.sex_age !== undefined) checkCoverage(sources.sex_age, bands, issues);
    const size = Number.isInteger(input.size) && input.size > 0 ? input.size : 0;
    const cut = new Set<string>();
    for (const id of ['sex_age', 'csp', 'diploma'] as const) {
      const source = sources[id];
      if (source === undefined) continue;
      const { counts, cut: wasCut } = surveyCells(id, source, bands, issues, cut);
      const variables = id === 'sex_age' ? ['sex', 'age'] : [id];
      const keys =
        id === 'sex_age'
          ? SEXES.flatMap((sex) => bands.map((band) => [sex, band.code]))
          : Object.keys(id === 'csp' ? CSP_LABELS : DIPLOMA_LABELS).map((code) => [code]);
      const census = keys.map((key) => Math.max(0, counts.get(key.join('|')) ?? 0));
      const total = census.reduce((a, b) => a + b, 0);
      const targets = largestRemainder(census, size);
      if (targets === undefined)
        issues.push(issue(source.file, source.at, 'error', 'zero_population', { table: id }));
      const cells = keys.map((key, i) => ({
        key,
        labels: key.map((code, v) => labelOf(id, code, variables[v] ?? '')),
        census: census[i] ?? 0,
        share: total > 0 ? (census[i] ?? 0) / total : 0,
        target: targets?.[i] ?? 0,
      }));
      // A cut band leaves cells empty for a reason already given.
      if (targets !== undefined && !wasCut && size > 0)
        for (const cell of cells) {
          if (cell.target > 0) continue;
          issues.push(
            cell.census === 0
              ? issue(source.file, source.at, 'warning', 'cell_empty', {
                  table: id,
                  cell: cell.labels,
                })
              : issue(source.file, source.at, 'warning', 'cell_target_zero', {
                  table: id,
                  cell: cell.labels,
                  percent: cell.share * 100,
                }),
          );
        }
      tables.push({ id, variables, cells });
      planTables.push({
        id,
        variables,
        cells: cells.map((cell) => ({ key: cell.key, target: cell.target, census: cell.census })),
      });
    }
  }
  if (bands !== undefined && bands.length === 0)
    issues.push(issue('bands', HEADER, 'error', 'no_bands', {}));
  if (issues.some((each) => each.severity === 'error') || bands === undefined)
    return { plan: undefined, issues, tables };
  const items = { sex: 'sex', age: 'age', csp: 'csp', diploma: 'diploma' };
  const variables = quotaVariables({ items, ageBands: bands, cspLabels: CSP_LABELS });
  if (sources.diploma !== undefined) variables.push(diplomaVariable(items.diploma, DIPLOMA_LABELS));
  const names = input.files.map((file) => file.name).join(', ');
  const base: QuotaPlan = {
    site: input.site,
    questionnaire: input.questionnaire,
    sampleSize: input.size,
    tolerance: input.tolerance,
    variables,
    tables: planTables,
    source: `census: ${names}${zoneUsed && zone.length > 0 ? `; zone: ${zone.join(', ')}` : ''}`,
  };
  const interviewers = (input.interviewers ?? [])
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const plan =
    interviewers.length === 0 ? base : { ...base, allocations: allocate(base, interviewers) };
  const checked = loadQuotaPlan(plan);
  if (checked.status === 'failure') {
    issues.push(
      ...checked.issues.map((each) =>
        issue('plan', HEADER, 'error', 'plan_issue', { issue: each }),
      ),
    );
    return { plan: undefined, issues, tables };
  }
  return { plan: checked.plan, issues, tables };
}
