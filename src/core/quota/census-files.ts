// Census files as INSEE publishes them, read alike by the dashboard (in the browser) and by
// `npm run quota:plan`: each file's layout recognised from its header, the chosen zone's rows
// summed, the survey's age bands checked against the census's, and every table of the plan shown
// (census count, share, target) with the problems found, before anything is saved.
import type { AgeBand } from './census.ts';
import {
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
import type { QuotaPlan, QuotaTable } from './schema.ts';

/**
 * The layouts read: today's long tables (`sex;age;csp;count`, `sex;age;diploma;count`), INSEE's
 * infra-communal bases "Population" and "Diplômes - Formation" (by IRIS, or by commune with
 * CODGEO), and the detailed tables POP6 (sex x age x CSP), POP1A (sex x age) and POP6 V1
 * (age x CSP) in their wide layout, one row per commune.
 */
export type CensusLayout =
  'long-csp' | 'long-diploma' | 'ic-population' | 'ic-diplomas' | 'pop6' | 'pop1a' | 'age-csp';

/**
 * A problem found before saving. `file` is the file's name, or `bands`, `zone`, `size`,
 * `tolerance`, `census` (the files as a whole) or `plan` for what the coordinator typed or chose;
 * `line` and `column` are 1-based (line 1 is the header; column 1 when the whole line is meant).
 * Any error means no plan.
 */
export interface CensusIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

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
type TableId = 'sex_age' | 'csp' | 'diploma';

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
  readonly issues: readonly string[];
}

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
  const issues: string[] = [];
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
      issues.push(
        `no CSP by sex (C${year}_H15P_CS1…C${year}_F15P_CS8): this file gives sex x age only`,
      );
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
      else
        issues.push(
          `no P${year}_POP1117, P${year}_POP0014, P${year}_POP0002, P${year}_POP0305 and P${year}_POP0610 columns: the CSP counts keep the 15-17 year olds`,
        );
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
  const issues: string[] = [];
  const seen = new Set<string>();
  for (const { index, cell } of cells) {
    const age = bandOfStart(cell.ageStart);
    seen.add(`${cell.sex ?? ''}|${age?.code ?? ''}|${cell.csp ?? ''}`);
    if (layout !== 'age-csp')
      columns.push({ index, table: 'sex_age', sex: cell.sex, age, group: undefined });
    if (layout !== 'pop1a')
      columns.push({ index, table: 'csp', sex: cell.sex, age, group: cell.csp });
  }
  const missing: string[] = [];
  for (const sex of hasSex ? SEXES : [undefined])
    for (const band of bands)
      for (const csp of hasCsp ? Object.keys(CSP_LABELS) : [undefined])
        if (!seen.has(`${sex ?? ''}|${band.code}|${csp ?? ''}`))
          missing.push(
            [sex && `sex ${sex}`, `age ${band.code}`, csp && `CSP ${csp}`]
              .filter((part) => part !== undefined)
              .join(', '),
          );
  if (missing.length > 0)
    issues.push(
      `missing column${missing.length > 1 ? 's' : ''} for ${missing.slice(0, 5).join('; ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
    );
  return { layout, columns, teens: undefined, issues };
}

function issue(
  file: string,
  at: Place,
  severity: CensusIssue['severity'],
  message: string,
): CensusIssue {
  return { file, line: at.line, column: Math.max(1, at.column), severity, message };
}

const HEADER: Place = { line: 1, column: 1 };

/** Reads a long table: its counts, every row, and a warning for each cell given twice. */
function readLong(name: string, text: string, kind: 'csp' | 'diploma'): ReadFile {
  const groups = Object.keys(kind === 'csp' ? CSP_LABELS : DIPLOMA_LABELS);
  const parsed = parseCensusLines(text, kind, groups);
  const layout: CensusLayout = kind === 'csp' ? 'long-csp' : 'long-diploma';
  if (!parsed.ok) {
    const headerBroken = parsed.errors.some((error) => error.message.startsWith('missing column'));
    return {
      info: {
        name,
        layout: headerBroken ? undefined : layout,
        zones: [],
        issues: parsed.errors.map((error) => issue(name, error, 'error', error.message)),
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
        issue(
          name,
          { line: row.line, column: 1 },
          'warning',
          `sex ${row.sex}, age ${row.age.code}, ${kind} ${row.group} is given twice (first on line ${first}): this line is left out`,
        ),
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
  const failed = (message: string): ReadFile => ({
    info: { name, layout: undefined, zones: [], issues: [issue(name, HEADER, 'error', message)] },
    zoned: undefined,
    counts: undefined,
    tableAt: {},
  });
  if (['sex', 'age', 'count'].some((field) => lower.includes(field))) {
    if (lower.includes('diploma')) return readLong(name, text, 'diploma');
    if (!lower.includes('csp') && ['sex', 'age', 'count'].every((f) => lower.includes(f))) {
      const s = csv.separator;
      return failed(
        `missing column csp or diploma (the header must have sex${s}age${s}csp${s}count or sex${s}age${s}diploma${s}count)`,
      );
    }
    return readLong(name, text, 'csp');
  }
  const iris = names.indexOf('IRIS');
  const com = names.indexOf('COM');
  const codgeo = names.indexOf('CODGEO');
  const byIris = iris >= 0 && com >= 0;
  if (!byIris && codgeo < 0)
    return failed(`layout not recognised: no zone column (IRIS and COM, or CODGEO); ${EXPECTED}`);
  const recognised =
    recogniseBase(csv.header) ?? (byIris ? undefined : recogniseDetailed(csv.header));
  if (recognised === undefined) return failed(`layout not recognised: ${EXPECTED}`);
  const issues: CensusIssue[] = recognised.issues.map((message) =>
    issue(name, HEADER, message.startsWith('missing column') ? 'error' : 'warning', message),
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
        issue(
          name,
          { line: row.line, column: codeColumn + 1 },
          'warning',
          `${byIris ? 'IRIS' : 'commune'} ${code} is given twice (first on line ${first.line}): this line is left out`,
        ),
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
  if (csv.rows.length === 0) issues.push(issue(name, HEADER, 'error', 'the file has no rows'));
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
      issue(
        name,
        zoneAt,
        'error',
        `choose the zone: commune or IRIS codes (this file has ${zoned.byCode.size} ${zoned.iris === undefined ? 'communes' : 'IRIS'})`,
      ),
    );
    return [];
  }
  const chosen = new Map<number, CsvRow>();
  const communes = new Set(zone.filter((code) => zoned.byCommune.has(code)));
  for (const code of zone) {
    const row = zoned.byCode.get(code);
    const rows = row === undefined ? zoned.byCommune.get(code) : [row];
    if (rows === undefined) {
      const hint =
        zoned.iris === undefined && code.length === 9 && zoned.byCode.has(code.slice(0, 5))
          ? `: this file is by commune, choose commune ${code.slice(0, 5)}`
          : '';
      issues.push(issue(name, zoneAt, 'error', `zone ${code} is not in this file${hint}`));
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
            `IRIS ${code} is in commune ${commune}, also chosen: it is counted once`,
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
        issues.push(issue(name, at, 'error', `count "${text}" is not a number`));
      else if (value < 0) issues.push(issue(name, at, 'error', `count ${value} is negative`));
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
        issue(
          name,
          at,
          'warning',
          `the zone has ${round(teens)} people aged 15-17 but only ${round(others)} in CSP group 8: group 8 is taken as 0`,
        ),
      );
  }
  return out;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
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
        issue(
          'bands',
          { line: 1, column },
          'error',
          `"${part.trim()}" is not an age band such as 18-29 or 75+`,
        ),
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
        issue(
          'bands',
          at,
          'error',
          `survey bands ${previous.band.code} and ${current.band.code} overlap`,
        ),
      );
    } else if (end + 1 < current.band.min) {
      ok = false;
      issues.push(
        issue(
          'bands',
          at,
          'error',
          `survey bands ${previous.band.code} and ${current.band.code} leave ages ${end + 1}-${current.band.min - 1} out`,
        ),
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
            issue(
              source.file,
              count.at,
              'error',
              `the census band ${census.code} cannot be split to fit the survey band ${band.code}: use a survey band starting at ${census.min} and open (${census.min}+), or bands that end before ${census.min}`,
            ),
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
        issue(
          source.file,
          count.at,
          'warning',
          `the census band ${census.code} is shared between the survey bands ${within.join(', ')} in proportion to the years (as if ages were spread evenly): survey bands on the census's limits are exact`,
        ),
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
      issues.push(
        issue(
          source.file,
          source.at,
          'error',
          `no row for ${SEX_WORD[sex]} (sex ${sex}): their targets would be 0 and every one of them turned away`,
        ),
      );
      continue;
    }
    const census = ages.filter((age): age is AgeBand => age !== undefined);
    for (const band of bands) {
      const gaps = uncovered(census, band);
      if (gaps.length > 0)
        issues.push(
          issue(
            source.file,
            source.at,
            'error',
            `no row for ${SEX_WORD[sex]} aged ${gaps.join(', ')} (survey band ${band.code}): the census bands are ${[...new Set(census.map((age) => age.code))].join(', ')}`,
          ),
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
    issues.push(
      issue(
        'size',
        HEADER,
        'error',
        `the sample size must be a positive whole number, not ${input.size}`,
      ),
    );
  if (!(input.tolerance >= 0 && input.tolerance <= 1))
    issues.push(
      issue(
        'tolerance',
        HEADER,
        'error',
        `the tolerance must be between 0 and 1 (0.05 = +5 %), not ${input.tolerance}`,
      ),
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
      issues.push(
        issue(
          name,
          HEADER,
          'warning',
          'this file has no zone column: all its rows are used, whatever the zone',
        ),
      );
    }
    for (const id of ['sex_age', 'csp', 'diploma'] as const) {
      const list = counts?.[id];
      if (list === undefined) continue;
      const other = sources[id];
      if (other !== undefined) {
        issues.push(
          issue(
            name,
            file.tableAt[id] ?? HEADER,
            'error',
            `${id === 'sex_age' ? 'sex x age' : id === 'csp' ? 'CSP' : 'diploma'} is given by both ${other.file} and ${name}: give it once`,
          ),
        );
        continue;
      }
      sources[id] = { file: name, counts: list, at: file.tableAt[id] ?? HEADER };
    }
  }
  if (input.files.length === 0)
    issues.push(issue('census', HEADER, 'error', 'give at least one census file'));
  // A file that could not be read has said so: what it would have given is not missing twice.
  if (sources.sex_age === undefined && !unread && input.files.length > 0)
    issues.push(
      issue(
        'census',
        HEADER,
        'error',
        'no file gives the population by sex and age (base "Population", POP6, POP1A or sex;age;csp;count)',
      ),
    );
  if (sources.csp === undefined && !unread && input.files.length > 0)
    issues.push(
      issue(
        'census',
        HEADER,
        'error',
        'no file gives the population by CSP (base "Population", POP6, POP6 V1 age x CSP or sex;age;csp;count)',
      ),
    );
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
        issues.push(
          issue(source.file, source.at, 'error', `the zone has zero population for table ${id}`),
        );
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
          const what = `${id === 'sex_age' ? 'sex x age' : id} cell ${cell.labels.join(', ')}`;
          issues.push(
            issue(
              source.file,
              source.at,
              'warning',
              cell.census === 0
                ? `${what} has no one in the census: its target is 0 and every such respondent will be turned away`
                : `${what} gets a target of 0 (census share ${(cell.share * 100).toFixed(2)} %): every such respondent will be turned away`,
            ),
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
    issues.push(
      issue(
        'bands',
        HEADER,
        'error',
        'give the survey age bands, e.g. 18-29,30-44,45-59,60-74,75+',
      ),
    );
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
        issue('plan', HEADER, 'error', `${each.path}: ${each.message}`),
      ),
    );
    return { plan: undefined, issues, tables };
  }
  return { plan: checked.plan, issues, tables };
}
