// Census tables in, quota plan out: reads INSEE-style long CSV tables (`sex;age;csp;count` and
// `sex;age;diploma;count`), narrows census age bands to the survey's, and scales every table to
// the sample size with the largest remainder method.
import { readCsv, parseCount } from './census-csv.ts';
import { largestRemainder } from './decide.ts';
import { cellKey } from './plan.ts';
import type { QuotaPlan, QuotaVariable } from './schema.ts';

/** The census's 8 groups (PCS 2020 groupes socioprofessionnels, as in INSEE's POP6 tables). */
export const CSP_LABELS: Readonly<Record<string, string>> = {
  '1': 'Agriculteurs exploitants',
  '2': 'Artisans, commerçants, chefs d’entreprise',
  '3': 'Cadres et professions intellectuelles supérieures',
  '4': 'Professions intermédiaires',
  '5': 'Employés',
  '6': 'Ouvriers',
  '7': 'Retraités',
  '8': 'Autres personnes sans activité professionnelle',
};

/** Highest diploma in the census's groups (as the SMPG questionnaire's `diploma` item). */
export const DIPLOMA_LABELS: Readonly<Record<string, string>> = {
  '1': 'Aucun diplôme ou certificat d’études primaires',
  '2': 'BEPC, brevet des collèges, DNB',
  '3': 'CAP, BEP ou équivalent',
  '4': 'Baccalauréat, brevet professionnel ou équivalent',
  '5': 'Diplôme de niveau bac + 2',
  '6': 'Diplôme de niveau bac + 3 ou bac + 4',
  '7': 'Diplôme de niveau bac + 5 ou plus',
};

export interface CensusRow {
  readonly sex: string;
  readonly age: AgeBand;
  /** CSP group (1-8) or diploma group code. */
  readonly group: string;
  readonly count: number;
}

/** An age band, `max` undefined for an open band such as `65+`. */
export interface AgeBand {
  readonly code: string;
  readonly min: number;
  readonly max: number | undefined;
}

/** Each problem of a long census table and the values its message names. */
export interface CensusLineParams {
  readonly missing_columns: {
    readonly columns: readonly string[];
    readonly separator: string;
    readonly group: 'csp' | 'diploma';
  };
  readonly unknown_sex: { readonly value: string };
  readonly unknown_age_band: { readonly value: string };
  readonly unknown_group: {
    readonly group: 'csp' | 'diploma';
    readonly value: string;
    readonly expected: readonly string[];
  };
  readonly count_not_number: { readonly value: string };
  readonly count_negative: { readonly value: number };
  readonly table_no_rows: Readonly<Record<string, never>>;
  readonly table_zero_population: Readonly<Record<string, never>>;
}

export type CensusLineCode = keyof CensusLineParams;

/** The English message of each problem of a long table (census-files.ts says them the same way). */
export const CENSUS_LINE_MESSAGES: {
  readonly [C in CensusLineCode]: (params: CensusLineParams[C]) => string;
} = {
  missing_columns: ({ columns, separator: s, group }) =>
    `missing column${columns.length > 1 ? 's' : ''} ${columns.join(', ')} (the header must have sex${s}age${s}${group}${s}count)`,
  unknown_sex: (p) => `unknown sex "${p.value}": use INSEE's codes 1 (man) or 2 (woman)`,
  unknown_age_band: (p) => `unknown age band "${p.value}": write it 15-19 or 65+`,
  unknown_group: (p) => `unknown ${p.group} "${p.value}": expected one of ${p.expected.join(', ')}`,
  count_not_number: (p) => `count "${p.value}" is not a number`,
  count_negative: (p) => `count ${p.value} is negative`,
  table_no_rows: () => 'the table has no rows',
  table_zero_population: () => 'the zone has zero population in this table',
};

/**
 * A problem of a long census table: where, a machine `code` with the values it names (`params`)
 * for clients to word, and an English `message`.
 */
export type CensusError = {
  readonly [C in CensusLineCode]: {
    readonly line: number;
    /** 1-based column (field) number, 0 for the whole line. */
    readonly column: number;
    readonly code: C;
    readonly params: CensusLineParams[C];
    readonly message: string;
  };
}[CensusLineCode];

function censusError<C extends CensusLineCode>(
  line: number,
  column: number,
  code: C,
  params: CensusLineParams[C],
): CensusError {
  return { line, column, code, params, message: CENSUS_LINE_MESSAGES[code](params) } as CensusError;
}

export type CensusParse =
  | { readonly ok: true; readonly rows: readonly CensusRow[] }
  | { readonly ok: false; readonly errors: readonly CensusError[] };

const AGE = /^(\d{1,3})\s*(?:-\s*(\d{1,3})|\+)$/;

export function parseAgeBand(text: string): AgeBand | undefined {
  const match = AGE.exec(text.trim());
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? undefined : Number(match[2]);
  if (max !== undefined && max < min) return undefined;
  return { code: max === undefined ? `${min}+` : `${min}-${max}`, min, max };
}

/** A census row with the line it was read from. */
export interface CensusLine extends CensusRow {
  readonly line: number;
}

export type CensusLinesParse =
  | { readonly ok: true; readonly rows: readonly CensusLine[]; readonly separator: ';' | ',' }
  | { readonly ok: false; readonly errors: readonly CensusError[] };

/**
 * Parses a census table. `groupColumn` is `csp` or `diploma`; `groups` the accepted codes.
 * Counts may have decimals (INSEE's weighted counts) and spaces as thousands separators, and a
 * `,` decimal mark when `;` separates fields. Every bad line is reported with its line and column.
 */
export function parseCensusCsv(
  text: string,
  groupColumn: 'csp' | 'diploma',
  groups: readonly string[],
): CensusParse {
  const parsed = parseCensusLines(text, groupColumn, groups);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    rows: parsed.rows.map(({ sex, age, group, count }) => ({ sex, age, group, count })),
  };
}

/** `parseCensusCsv`, keeping each row's line number (for warnings that point at it). */
export function parseCensusLines(
  text: string,
  groupColumn: 'csp' | 'diploma',
  groups: readonly string[],
): CensusLinesParse {
  const table = readCsv(text);
  const { separator } = table;
  const header = table.header.map((name) => name.toLowerCase());
  const wanted = ['sex', 'age', groupColumn, 'count'] as const;
  const index = Object.fromEntries(wanted.map((name) => [name, header.indexOf(name)])) as Record<
    (typeof wanted)[number],
    number
  >;
  const absent = wanted.filter((name) => index[name] < 0);
  if (absent.length > 0) {
    return {
      ok: false,
      errors: [
        censusError(1, 0, 'missing_columns', { columns: absent, separator, group: groupColumn }),
      ],
    };
  }
  const errors: CensusError[] = [];
  const rows: CensusLine[] = [];
  for (const { line: lineNumber, fields } of table.rows) {
    const at = (name: (typeof wanted)[number]) => fields[index[name]] ?? '';
    const column = (name: (typeof wanted)[number]) => index[name] + 1;
    const sex = at('sex');
    if (sex !== '1' && sex !== '2') {
      errors.push(censusError(lineNumber, column('sex'), 'unknown_sex', { value: sex }));
    }
    const age = parseAgeBand(at('age'));
    if (age === undefined) {
      errors.push(censusError(lineNumber, column('age'), 'unknown_age_band', { value: at('age') }));
    }
    const group = at(groupColumn);
    if (!groups.includes(group)) {
      errors.push(
        censusError(lineNumber, column(groupColumn), 'unknown_group', {
          group: groupColumn,
          value: group,
          expected: groups,
        }),
      );
    }
    const count = parseCount(at('count'), separator);
    if (count === undefined) {
      errors.push(
        censusError(lineNumber, column('count'), 'count_not_number', { value: at('count') }),
      );
    } else if (count < 0) {
      errors.push(censusError(lineNumber, column('count'), 'count_negative', { value: count }));
    }
    if (
      age !== undefined &&
      (sex === '1' || sex === '2') &&
      groups.includes(group) &&
      count !== undefined &&
      count >= 0
    ) {
      rows.push({ sex, age, group, count, line: lineNumber });
    }
  }
  if (rows.length === 0 && errors.length === 0) errors.push(censusError(1, 0, 'table_no_rows', {}));
  if (errors.length === 0 && rows.reduce((sum, row) => sum + row.count, 0) === 0) {
    errors.push(censusError(1, 0, 'table_zero_population', {}));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows, separator };
}

/**
 * The share of a census band that falls in a survey band, assuming ages spread evenly within a
 * band (the declared narrowing rule: INSEE's 15-19 gives 2/5 of its count to 18-19). An open
 * census band (65+) can only go whole into an open survey band that starts at or below it.
 */
export function overlap(census: AgeBand, survey: AgeBand): number | 'cannot_split' {
  if (census.max === undefined) {
    if (survey.max === undefined) return survey.min <= census.min ? 1 : 'cannot_split';
    return survey.max < census.min ? 0 : 'cannot_split';
  }
  const top = survey.max === undefined ? census.max : Math.min(census.max, survey.max);
  const years = Math.max(0, top - Math.max(census.min, survey.min) + 1);
  return years / (census.max - census.min + 1);
}

export interface PlanOptions {
  readonly site: string;
  readonly questionnaire: string;
  readonly sampleSize: number;
  readonly tolerance: number;
  /** Survey age bands, e.g. 18-24, 25-39, 40-54, 55-64, 65+. */
  readonly ageBands: readonly AgeBand[];
  /** Questionnaire items feeding the variables. */
  readonly items: {
    readonly sex: string;
    readonly age: string;
    readonly csp: string;
    readonly diploma: string;
  };
  readonly cspLabels: Readonly<Record<string, string>>;
  readonly diplomaLabels?: Readonly<Record<string, string>>;
  /** Interviewers among whom every cell's target is shared (largest remainder). */
  readonly interviewers?: readonly string[];
  readonly source?: string;
}

export class PlanError extends Error {}

/** Population of the survey's age band from census rows, narrowing bands as declared. */
function surveyCounts(rows: readonly CensusRow[], bands: readonly AgeBand[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) {
    for (const band of bands) {
      const share = overlap(row.age, band);
      if (share === 'cannot_split') {
        throw new PlanError(
          `the census band ${row.age.code} cannot be split to fit the survey band ${band.code}`,
        );
      }
      if (share > 0) {
        const key = `${row.sex}|${band.code}|${row.group}`;
        out.set(key, (out.get(key) ?? 0) + row.count * share);
      }
    }
  }
  return out;
}

function scaledTable(
  id: string,
  variables: string[],
  keys: string[][],
  weights: number[],
  size: number,
) {
  const targets = largestRemainder(weights, size);
  if (targets === undefined) throw new PlanError(`the zone has zero population for table ${id}`);
  return {
    id,
    variables,
    cells: keys.map((key, i) => ({ key, target: targets[i] ?? 0, census: weights[i] ?? 0 })),
  };
}

/** The plan's sex, age and CSP variables, fed by the questionnaire's items. */
export function quotaVariables(
  options: Pick<PlanOptions, 'items' | 'ageBands' | 'cspLabels'>,
): QuotaVariable[] {
  const { ageBands, items, cspLabels } = options;
  return [
    {
      id: 'sex',
      source: { item: items.sex },
      categories: [
        { code: '1', label: { fr: 'Homme', en: 'Man' } },
        { code: '2', label: { fr: 'Femme', en: 'Woman' } },
      ],
    },
    {
      id: 'age',
      source: {
        item: items.age,
        bands: ageBands.map((band) => ({
          code: band.code,
          min: band.min,
          ...(band.max === undefined ? {} : { max: band.max }),
        })),
      },
      categories: ageBands.map((band) => ({ code: band.code })),
    },
    {
      id: 'csp',
      source: { item: items.csp },
      categories: Object.keys(cspLabels).map((code) => ({
        code,
        label: { fr: cspLabels[code] ?? code },
      })),
    },
  ];
}

/** The plan's diploma variable. */
export function diplomaVariable(
  item: string,
  labels: Readonly<Record<string, string>>,
): QuotaVariable {
  return {
    id: 'diploma',
    source: { item },
    categories: Object.keys(labels).map((code) => ({ code, label: { fr: labels[code] ?? code } })),
  };
}

/**
 * Builds a site's quota plan: sex x age crossed, CSP marginal, diploma marginal (if given). Every
 * cell keeps its census count over the survey's ages (`census`), the target's unrounded source.
 */
export function buildPlan(
  csp: readonly CensusRow[],
  diploma: readonly CensusRow[] | undefined,
  options: PlanOptions,
): QuotaPlan {
  const { ageBands, sampleSize } = options;
  const cspCounts = surveyCounts(csp, ageBands);
  const sum = (
    predicate: (sex: string, age: string, group: string) => boolean,
    counts: Map<string, number>,
  ) =>
    [...counts].reduce((total, [key, n]) => {
      const [sex = '', age = '', group = ''] = key.split('|');
      return predicate(sex, age, group) ? total + n : total;
    }, 0);
  const sexes = ['1', '2'];
  const cspCodes = Object.keys(options.cspLabels);
  const sexAgeKeys = sexes.flatMap((sex) => ageBands.map((band) => [sex, band.code]));
  const tables = [
    scaledTable(
      'sex_age',
      ['sex', 'age'],
      sexAgeKeys,
      sexAgeKeys.map(([sex, age]) => sum((s, a) => s === sex && a === age, cspCounts)),
      sampleSize,
    ),
    scaledTable(
      'csp',
      ['csp'],
      cspCodes.map((code) => [code]),
      cspCodes.map((code) => sum((_s, _a, g) => g === code, cspCounts)),
      sampleSize,
    ),
  ];
  const variables = quotaVariables(options);
  if (diploma !== undefined && options.diplomaLabels !== undefined) {
    const codes = Object.keys(options.diplomaLabels);
    const counts = surveyCounts(diploma, ageBands);
    tables.push(
      scaledTable(
        'diploma',
        ['diploma'],
        codes.map((code) => [code]),
        codes.map((code) => sum((_s, _a, g) => g === code, counts)),
        sampleSize,
      ),
    );
    variables.push(diplomaVariable(options.items.diploma, options.diplomaLabels));
  }
  const plan: QuotaPlan = {
    site: options.site,
    questionnaire: options.questionnaire,
    sampleSize,
    tolerance: options.tolerance,
    variables,
    tables,
    ...(options.source === undefined ? {} : { source: options.source }),
  };
  const interviewers = options.interviewers ?? [];
  if (interviewers.length === 0) return plan;
  return { ...plan, allocations: allocate(plan, interviewers) };
}

/** Shares every cell's target among interviewers (largest remainder; the sums equal the targets). */
export function allocate(
  plan: QuotaPlan,
  interviewers: readonly string[],
): NonNullable<QuotaPlan['allocations']> {
  const allocations = interviewers.map((interviewer) => ({
    interviewer,
    targets: {} as Record<string, Record<string, number>>,
  }));
  for (const table of plan.tables) {
    for (const cell of table.cells) {
      const shares =
        largestRemainder(
          interviewers.map(() => 1),
          cell.target,
        ) ?? [];
      // Rotate who gets the remainders from cell to cell, so no interviewer always gets more.
      const offset = table.cells.indexOf(cell) % interviewers.length;
      allocations.forEach((allocation, i) => {
        const cells = (allocation.targets[table.id] ??= {});
        cells[cellKey(cell.key)] = shares[(i + offset) % interviewers.length] ?? 0;
      });
    }
  }
  return allocations;
}
