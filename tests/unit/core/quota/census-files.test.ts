// The census readers the dashboard and `npm run quota:plan` share: every layout read from its
// header, the zone's rows summed (checked by hand against the fixtures), and every warning and
// error pointing at its file, line and column. The fixtures' counts are made up (see the README).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  CensusIssue,
  CensusPlanInput,
  CensusPlanPreview,
} from '../../../../src/core/quota/census-files.ts';
import { planFromCensusFiles, readCensusFile } from '../../../../src/core/quota/census-files.ts';
import type { QuotaTable } from '../../../../src/core/quota/index.ts';
import {
  buildPlan,
  loadQuotaPlan,
  parseAgeBand,
  parseCensusCsv,
} from '../../../../src/core/quota/index.ts';

const DIR = 'tests/fixtures/census';
const fixture = (name: string) => ({ name, text: readFileSync(`${DIR}/${name}`, 'utf8') });
const POPULATION = fixture('made-up-base-ic-evol-struct-pop-2021.csv');
const DIPLOMAS = fixture('made-up-base-ic-diplomes-formation-2021.csv');
const POP6 = fixture('made-up-td-pop6-2021.csv');
const POP1A = fixture('made-up-td-pop1a-2021.csv');
const AGE_CSP = fixture('made-up-td-pop6v1-2021.csv');
const LONG_CSP = fixture('made-up-town-csp.csv');
const LONG_DIPLOMA = fixture('made-up-town-diploma.csv');
const SURVEY = '18-29,30-44,45-59,60-74,75+';

function input(overrides: Partial<CensusPlanInput> = {}): CensusPlanInput {
  return {
    files: [POPULATION, DIPLOMAS],
    zone: ['97302', '97307'],
    bands: SURVEY,
    size: 900,
    tolerance: 0.05,
    site: 'cayenne',
    questionnaire: 'smpg',
    ...overrides,
  };
}

/** Sums a column of a `;` file over the rows whose first or second field is in `zone`. */
function sumColumn(text: string, column: string, zone: readonly string[]): number {
  const [header = '', ...lines] = text.trim().split('\n');
  const index = header.split(';').indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  return lines
    .map((line) => line.split(';'))
    .filter((fields) => zone.includes(fields[0] ?? '') || zone.includes(fields[1] ?? ''))
    .reduce((sum, fields) => sum + Number(fields[index]), 0);
}

function cell(preview: CensusPlanPreview, table: string, key: string) {
  const found = preview.tables
    .find((entry) => entry.id === table)
    ?.cells.find((entry) => entry.key.join('|') === key);
  if (found === undefined) throw new Error(`no cell ${table} ${key}`);
  return found;
}

const errorsOf = (preview: CensusPlanPreview) =>
  preview.issues.filter((issue) => issue.severity === 'error');

/** Issues as `file:line:column severity message`, to compare in one go. */
const placed = (issues: readonly CensusIssue[]) =>
  issues.map(
    (issue) => `${issue.file}:${issue.line}:${issue.column} ${issue.severity} ${issue.message}`,
  );

describe('readCensusFile', () => {
  it('recognises each layout from its header', () => {
    const layouts = [POPULATION, DIPLOMAS, POP6, POP1A, AGE_CSP, LONG_CSP, LONG_DIPLOMA].map(
      (file) => readCensusFile(file.name, file.text).layout,
    );
    expect(layouts).toEqual([
      'ic-population',
      'ic-diplomas',
      'pop6',
      'pop1a',
      'age-csp',
      'long-csp',
      'long-diploma',
    ]);
  });

  it('lists an IRIS base by commune, then IRIS, without names (the base has none)', () => {
    const info = readCensusFile(POPULATION.name, POPULATION.text);
    expect(info.issues).toEqual([]);
    expect(info.zones.slice(0, 4)).toEqual([
      { code: '97302', name: '', commune: '97302' },
      { code: '97307', name: '', commune: '97307' },
      { code: '97309', name: '', commune: '97309' },
      { code: '973020101', name: '', commune: '97302' },
    ]);
    expect(info.zones).toHaveLength(3 + 6);
  });

  it('lists a file by commune with its names, and no zone for the long format', () => {
    expect(readCensusFile(POP1A.name, POP1A.text).zones).toEqual([
      { code: '97302', name: 'Cayenne', commune: '97302' },
      { code: '97307', name: 'Commune 97307', commune: '97307' },
      { code: '97309', name: 'Commune 97309', commune: '97309' },
    ]);
    expect(readCensusFile(LONG_CSP.name, LONG_CSP.text).zones).toEqual([]);
  });

  it('reads a commune-level base (CODGEO) and the 2022 CSP columns (PCS 2020 groups)', () => {
    const groups = ['11_21', '12_22', '13_23', '14_24', '15_25', '16_26', '32', '40'];
    const header = [
      'CODGEO',
      ...['H', 'F'].flatMap((sex) =>
        ['1529', '3044', '4559', '6074', '75P'].map((band) => `P22_${sex}${band}`),
      ),
      ...['H', 'F'].flatMap((sex) => groups.map((group) => `C22_${sex}15P_STAT_GSEC${group}`)),
    ];
    const row = ['97302', ...header.slice(1).map(() => '10')];
    const text = `${header.join(';')}\n${row.join(';')}\n`;
    const info = readCensusFile('base-cc-2022.csv', text);
    expect(info.layout).toBe('ic-population');
    // No 15-17 columns here: the CSP keeps them, and says so.
    expect(placed(info.issues)).toEqual([
      'base-cc-2022.csv:1:1 warning no P22_POP1117, P22_POP0014, P22_POP0002, P22_POP0305 and P22_POP0610 columns: the CSP counts keep the 15-17 year olds',
    ]);
    const preview = planFromCensusFiles(
      input({ files: [{ name: 'base-cc-2022.csv', text }], zone: ['97302'] }),
    );
    expect(errorsOf(preview)).toEqual([]);
    expect(cell(preview, 'csp', '7').census).toBe(20);
    expect(cell(preview, 'sex_age', '1|18-29').census).toBeCloseTo(8, 9);
  });

  it('refuses a layout it does not know, naming the columns expected', () => {
    const info = readCensusFile('other.csv', 'CODGEO;LIBGEO;P21_POP\n97302;Cayenne;12\n');
    expect(info.layout).toBeUndefined();
    expect(info.issues).toHaveLength(1);
    expect(info.issues[0]).toMatchObject({
      file: 'other.csv',
      line: 1,
      column: 1,
      severity: 'error',
    });
    expect(info.issues[0]?.message).toMatch(
      /^layout not recognised: expected one of: sex;age;csp;count/,
    );
    expect(info.issues[0]?.message).toContain('C21_H15P_CS1');
    expect(info.issues[0]?.message).toContain('P21_HNSCOL15P_DIPLMIN');
    expect(info.issues[0]?.message).toContain('SEXE1_AGEPYR1000');
    const noZone = readCensusFile('x.csv', 'A;B\n1;2\n');
    expect(noZone.issues[0]?.message).toMatch(/^layout not recognised: no zone column/);
    expect(readCensusFile('x.csv', 'sex;age;count\n1;18-24;3\n').issues[0]?.message).toBe(
      'missing column csp or diploma (the header must have sex;age;csp;count or sex;age;diploma;count)',
    );
  });

  it('warns of a row given twice: an IRIS, a commune, a long table cell', () => {
    const [header = '', first = '', ...rest] = POPULATION.text.trim().split('\n');
    const twice = [header, first, ...rest, first].join('\n');
    expect(placed(readCensusFile('pop.csv', twice).issues)).toEqual([
      'pop.csv:8:1 warning IRIS 973020101 is given twice (first on line 2): this line is left out',
    ]);
    const [h = '', c1 = '', c2 = ''] = POP1A.text.trim().split('\n');
    expect(placed(readCensusFile('pop1a.csv', [h, c1, c2, c1].join('\n')).issues)).toEqual([
      'pop1a.csv:4:1 warning commune 97302 is given twice (first on line 2): this line is left out',
    ]);
    const long = 'sex;age;csp;count\n1;18-24;3;10\n2;18-24;3;12\n1;18-24;3;11\n';
    expect(placed(readCensusFile('long.csv', long).issues)).toEqual([
      'long.csv:4:1 warning sex 1, age 18-24, csp 3 is given twice (first on line 2): this line is left out',
    ]);
  });

  it('keeps the first of a row given twice', () => {
    const [header = '', ...rows] = POPULATION.text.trim().split('\n');
    const doubled = rows.map((row) => row.replace(/;(\d+(\.\d+)?)/g, ';999'));
    const text = [header, ...rows, ...doubled].join('\n');
    const once = planFromCensusFiles(input({ files: [POPULATION] }));
    const twice = planFromCensusFiles(input({ files: [{ name: 'pop.csv', text }] }));
    expect(twice.tables).toEqual(once.tables);
    expect(twice.issues.filter((issue) => issue.message.includes('given twice'))).toHaveLength(6);
  });
});

describe('planFromCensusFiles on the infra-communal bases', () => {
  const zone = ['97302', '97307'];
  const preview = planFromCensusFiles(input());

  it('makes a valid plan with no issue when the bands follow the census', () => {
    expect(preview.issues).toEqual([]);
    expect(preview.plan).toBeDefined();
    expect(loadQuotaPlan(preview.plan).status).toBe('success');
    expect(preview.plan?.source).toBe(
      `census: ${POPULATION.name}, ${DIPLOMAS.name}; zone: 97302, 97307`,
    );
    expect(preview.tables.map((table) => [table.id, table.variables])).toEqual([
      ['sex_age', ['sex', 'age']],
      ['csp', ['csp']],
      ['diploma', ['diploma']],
    ]);
    for (const table of preview.tables)
      expect(table.cells.reduce((sum, each) => sum + each.target, 0)).toBe(900);
  });

  it("keeps every cell's census count in the plan, fractional where a band was narrowed", () => {
    const planned = preview.plan?.tables.flatMap((table) =>
      table.cells.map((each) => [table.id, each.key.join('|'), each.census]),
    );
    const shown = preview.tables.flatMap((table) =>
      table.cells.map((each) => [table.id, each.key.join('|'), each.census]),
    );
    expect(planned).toEqual(shown);
    expect(planned).toHaveLength(10 + 8 + 7);
    const young = cell(preview, 'sex_age', '1|18-29').census;
    expect(Number.isInteger(young)).toBe(false);
  });

  it("sums the two communes' rows, 15-29 narrowed to 18-29 (12 of its 15 years)", () => {
    const sum = (column: string) => sumColumn(POPULATION.text, column, zone);
    expect(cell(preview, 'sex_age', '1|18-29').census).toBeCloseTo((sum('P21_H1529') * 12) / 15, 6);
    expect(cell(preview, 'sex_age', '1|30-44').census).toBeCloseTo(sum('P21_H3044'), 6);
    expect(cell(preview, 'sex_age', '2|75+').census).toBeCloseTo(sum('P21_F75P'), 6);
    const total = ['H', 'F']
      .flatMap((sex) => ['1529', '3044', '4559', '6074', '75P'].map((band) => `P21_${sex}${band}`))
      .reduce((acc, column) => acc + sum(column) * (column.endsWith('1529') ? 12 / 15 : 1), 0);
    expect(cell(preview, 'sex_age', '2|30-44').share).toBeCloseTo(sum('P21_F3044') / total, 9);
    expect(cell(preview, 'sex_age', '2|30-44').labels).toEqual(['Femme', '30-44 ans']);
  });

  it('sums CSP over both sexes, the 15-17 year olds taken out of group 8', () => {
    const sum = (column: string) => sumColumn(POPULATION.text, column, zone);
    const teens =
      sum('P21_POP1117') -
      sum('P21_POP0014') +
      sum('P21_POP0002') +
      sum('P21_POP0305') +
      sum('P21_POP0610');
    expect(teens).toBeGreaterThan(0);
    expect(cell(preview, 'csp', '3').census).toBeCloseTo(
      sum('C21_H15P_CS3') + sum('C21_F15P_CS3'),
      6,
    );
    expect(cell(preview, 'csp', '8').census).toBeCloseTo(
      sum('C21_H15P_CS8') + sum('C21_F15P_CS8') - teens,
      6,
    );
    expect(cell(preview, 'csp', '8').labels).toEqual([
      'Autres personnes sans activité professionnelle',
    ]);
  });

  it("maps the base's diploma groups onto the questionnaire's codes 1-7", () => {
    const sum = (column: string) => sumColumn(DIPLOMAS.text, column, zone);
    const groups = ['DIPLMIN', 'BEPC', 'CAPBEP', 'BAC', 'SUP2', 'SUP34', 'SUP5'];
    groups.forEach((group, i) => {
      expect(cell(preview, 'diploma', String(i + 1)).census).toBeCloseTo(
        sum(`P21_HNSCOL15P_${group}`) + sum(`P21_FNSCOL15P_${group}`),
        6,
      );
    });
  });

  it('takes IRIS codes as well as commune codes, each row once', () => {
    const iris = planFromCensusFiles(
      input({ zone: ['973020101', '973020102', '973020103', '973070101', '973070102'] }),
    );
    expect(iris.tables).toEqual(preview.tables);
    const both = planFromCensusFiles(input({ zone: ['97302', '97307', '973020102'] }));
    expect(both.tables).toEqual(preview.tables);
    expect(placed(both.issues)).toEqual([
      `${POPULATION.name}:3:1 warning IRIS 973020102 is in commune 97302, also chosen: it is counted once`,
      `${DIPLOMAS.name}:3:1 warning IRIS 973020102 is in commune 97302, also chosen: it is counted once`,
    ]);
    const one = planFromCensusFiles(input({ zone: ['973020101'] }));
    expect(cell(one, 'sex_age', '1|30-44').census).toBeCloseTo(
      sumColumn(POPULATION.text, 'P21_H3044', ['973020101']),
      9,
    );
  });

  it('shares every cell among interviewers', () => {
    const plan = planFromCensusFiles(input({ interviewers: ['A', ' B ', ''] })).plan;
    expect(plan?.allocations?.map((allocation) => allocation.interviewer)).toEqual(['A', 'B']);
  });
});

describe('planFromCensusFiles on the detailed tables', () => {
  it('reads POP6 by sex, age and CSP, whatever the order of the variables in a column name', () => {
    const preview = planFromCensusFiles(
      input({ files: [POP6], zone: ['97302'], bands: '18-24,25-39,40-54,55-64,65+' }),
    );
    expect(errorsOf(preview)).toEqual([]);
    const sum = (column: string) => sumColumn(POP6.text, column, ['97302']);
    const cs = [1, 2, 3, 4, 5, 6, 7, 8];
    const women = (age: string) =>
      cs.reduce((acc, k) => acc + sum(`AGEQ65${age}_CS1_8${k}_SEXE2`), 0);
    expect(cell(preview, 'sex_age', '2|25-39').census).toBeCloseTo(
      women('025') + women('030') + women('035'),
      6,
    );
    expect(cell(preview, 'sex_age', '2|18-24').census).toBeCloseTo(
      (women('015') * 2) / 5 + women('020'),
      6,
    );
    // The same table, its columns named in another order.
    const [header = '', ...rows] = POP6.text.split('\n');
    const reordered = header.replace(
      /AGEQ65(\d{3})_CS1_8(\d)_SEXE(\d)/g,
      'SEXE$3_AGEQ65$1_CS1_8$2',
    );
    expect(reordered).toMatch(/^CODGEO;LIBGEO;SEXE1_AGEQ65015_CS1_81;/);
    const again = planFromCensusFiles(
      input({
        files: [{ name: 'pop6.csv', text: [reordered, ...rows].join('\n') }],
        zone: ['97302'],
        bands: '18-24,25-39,40-54,55-64,65+',
      }),
    );
    expect(again.tables).toEqual(preview.tables);
  });

  it('reads POP1A for sex x age with POP6 V1 (age x CSP) for the CSP', () => {
    const preview = planFromCensusFiles(
      input({
        files: [POP1A, AGE_CSP],
        zone: ['97302', '97307'],
        bands: '18-24,25-39,40-54,55-64,65+',
      }),
    );
    expect(preview.issues).toEqual([]);
    const zone = ['97302', '97307'];
    expect(cell(preview, 'sex_age', '1|65+').census).toBeCloseTo(
      sumColumn(POP1A.text, 'SEXE1_AGEPYR1065', zone) +
        sumColumn(POP1A.text, 'SEXE1_AGEPYR1080', zone),
      6,
    );
    const retired = [
      '015',
      '020',
      '025',
      '030',
      '035',
      '040',
      '045',
      '050',
      '055',
      '060',
      '065',
    ].reduce(
      (acc, age) =>
        acc + sumColumn(AGE_CSP.text, `AGEQ65${age}_CS1_87`, zone) * (age === '015' ? 2 / 5 : 1),
      0,
    );
    expect(cell(preview, 'csp', '7').census).toBeCloseTo(retired, 6);
    expect(preview.plan?.tables.map((table) => table.id)).toEqual(['sex_age', 'csp']);
  });

  it('names the missing cells of an incomplete detailed table', () => {
    const [header = '', ...rows] = POP1A.text.trim().split('\n');
    const fields = header.split(';');
    const drop = fields.indexOf('SEXE2_AGEPYR1080');
    const cut = (line: string) =>
      line
        .split(';')
        .filter((_, i) => i !== drop)
        .join(';');
    const info = readCensusFile('pop1a.csv', [header, ...rows].map(cut).join('\n'));
    expect(placed(info.issues)).toEqual(['pop1a.csv:1:1 error missing column for sex 2, age 80+']);
  });
});

describe('planFromCensusFiles on the long format (unchanged)', () => {
  it('gives the plan buildPlan gives', () => {
    const preview = planFromCensusFiles(
      input({
        files: [LONG_CSP, LONG_DIPLOMA],
        zone: [],
        bands: '18-24,25-39,40-54,55-64,65+',
        site: 'town',
      }),
    );
    expect(preview.issues).toEqual([]);
    const rows = (text: string, kind: 'csp' | 'diploma') => {
      const parsed = parseCensusCsv(
        text,
        kind,
        kind === 'csp'
          ? ['1', '2', '3', '4', '5', '6', '7', '8']
          : ['1', '2', '3', '4', '5', '6', '7'],
      );
      if (!parsed.ok) throw new Error('fixture');
      return parsed.rows;
    };
    const bands = ['18-24', '25-39', '40-54', '55-64', '65+'].flatMap(
      (text) => parseAgeBand(text) ?? [],
    );
    const expected = buildPlan(rows(LONG_CSP.text, 'csp'), rows(LONG_DIPLOMA.text, 'diploma'), {
      site: 'town',
      questionnaire: 'smpg',
      sampleSize: 900,
      tolerance: 0.05,
      ageBands: bands,
      items: { sex: 'sex', age: 'age', csp: 'csp', diploma: 'diploma' },
      cspLabels: { '1': '', '2': '', '3': '', '4': '', '5': '', '6': '', '7': '', '8': '' },
    });
    // The census counts are summed in another order: equal to the last bits of a double.
    const rounded = (tables: readonly QuotaTable[] | undefined) =>
      tables?.map((table) => ({
        ...table,
        cells: table.cells.map((each) => ({ ...each, census: Number(each.census?.toFixed(9)) })),
      }));
    expect(rounded(preview.plan?.tables.slice(0, 2))).toEqual(rounded(expected.tables));
    expect(expected.tables[0]?.cells[0]?.census).toBeGreaterThan(0);
  });

  it('says that a zone does not apply to a long file', () => {
    const preview = planFromCensusFiles(
      input({ files: [LONG_CSP], zone: ['97302'], bands: '18-24,25-39,40-54,55-64,65+' }),
    );
    expect(placed(preview.issues)).toEqual([
      `${LONG_CSP.name}:1:1 warning this file has no zone column: all its rows are used, whatever the zone`,
    ]);
    expect(preview.plan).toBeDefined();
  });
});

describe('planFromCensusFiles refuses what would make a wrong plan', () => {
  it('a sex with no row (error, at the age column of the header)', () => {
    const men =
      'sex;age;csp;count\n1;15-29;3;10\n1;30-44;3;10\n1;45-59;3;10\n1;60-74;7;10\n1;75+;7;10\n';
    const preview = planFromCensusFiles(
      input({ files: [{ name: 'men.csv', text: men }], zone: [] }),
    );
    expect(placed(errorsOf(preview))).toEqual([
      'men.csv:1:2 error no row for women (sex 2): their targets would be 0 and every one of them turned away',
    ]);
    expect(preview.plan).toBeUndefined();
  });

  it('an age band with no row (error naming the ages missing)', () => {
    const text =
      'sex;age;csp;count\n' +
      ['1', '2']
        .flatMap((sex) =>
          ['25-29', '30-44', '45-59', '60-74', '75+'].map((age) => `${sex};${age};5;10`),
        )
        .join('\n');
    const preview = planFromCensusFiles(input({ files: [{ name: 'gap.csv', text }], zone: [] }));
    expect(placed(errorsOf(preview))).toEqual([
      'gap.csv:1:2 error no row for men aged 18-24 (survey band 18-29): the census bands are 25-29, 30-44, 45-59, 60-74, 75+',
      'gap.csv:1:2 error no row for women aged 18-24 (survey band 18-29): the census bands are 25-29, 30-44, 45-59, 60-74, 75+',
    ]);
  });

  it('survey bands that overlap, leave a gap or are not bands (error at their column)', () => {
    const preview = planFromCensusFiles(input({ bands: '18-29, 25-44,50-64,65+,x' }));
    expect(placed(preview.issues)).toEqual([
      'bands:1:24 error "x" is not an age band such as 18-29 or 75+',
    ]);
    const sorted = planFromCensusFiles(input({ bands: '18-29, 25-44,50-64,65+' }));
    expect(placed(sorted.issues)).toEqual([
      'bands:1:8 error survey bands 18-29 and 25-44 overlap',
      'bands:1:14 error survey bands 25-44 and 50-64 leave ages 45-49 out',
    ]);
    expect(placed(planFromCensusFiles(input({ bands: '18-29,30+,75+' })).issues)).toEqual([
      'bands:1:11 error survey bands 30+ and 75+ overlap',
    ]);
    expect(sorted.plan).toBeUndefined();
  });

  it('an open census band a survey band would cut (error naming both, at its column)', () => {
    const preview = planFromCensusFiles(input({ bands: '18-29,30-44,45-59,60-79,80+' }));
    const column = POPULATION.text.split('\n')[0]?.split(';').indexOf('P21_H75P') ?? -1;
    expect(placed(errorsOf(preview))).toEqual([
      `${POPULATION.name}:1:${column + 1} error the census band 75+ cannot be split to fit the survey band 60-79: use a survey band starting at 75 and open (75+), or bands that end before 75`,
      `${POPULATION.name}:1:${column + 1} error the census band 75+ cannot be split to fit the survey band 80+: use a survey band starting at 75 and open (75+), or bands that end before 75`,
    ]);
    expect(preview.plan).toBeUndefined();
  });

  it('a census band shared between two survey bands (warning at its column)', () => {
    const preview = planFromCensusFiles(
      input({ bands: '18-29,30-44,45-59,60-69,70+', files: [POPULATION] }),
    );
    const column = POPULATION.text.split('\n')[0]?.split(';').indexOf('P21_H6074') ?? -1;
    expect(placed(preview.issues)).toEqual([
      `${POPULATION.name}:1:${column + 1} warning the census band 60-74 is shared between the survey bands 60-69, 70+ in proportion to the years (as if ages were spread evenly): survey bands on the census's limits are exact`,
    ]);
    expect(preview.plan).toBeDefined();
  });

  it('zone codes not in a file, and no zone at all (error)', () => {
    const preview = planFromCensusFiles(input({ zone: ['97302', '97399'] }));
    expect(placed(errorsOf(preview))).toEqual([
      `${POPULATION.name}:1:1 error zone 97399 is not in this file`,
      `${DIPLOMAS.name}:1:1 error zone 97399 is not in this file`,
    ]);
    expect(preview.plan).toBeUndefined();
    expect(
      placed(
        errorsOf(
          planFromCensusFiles(
            input({ files: [POP6], zone: ['973020101'], bands: '18-29,30-64,65+' }),
          ),
        ),
      ),
    ).toEqual([
      `${POP6.name}:1:1 error zone 973020101 is not in this file: this file is by commune, choose commune 97302`,
    ]);
    expect(placed(errorsOf(planFromCensusFiles(input({ files: [POPULATION], zone: [] }))))).toEqual(
      [
        `${POPULATION.name}:1:1 error choose the zone: commune or IRIS codes (this file has 6 IRIS)`,
      ],
    );
  });

  it('a count that is not a number in the zone, at its line and column', () => {
    const lines = POPULATION.text.split('\n');
    const column = lines[0]?.split(';').indexOf('P21_F3044') ?? -1;
    const fields = lines[3]?.split(';') ?? [];
    fields[column] = 's';
    lines[3] = fields.join(';');
    const preview = planFromCensusFiles(
      input({ files: [{ name: 'pop.csv', text: lines.join('\n') }] }),
    );
    expect(placed(errorsOf(preview))).toEqual([
      `pop.csv:4:${column + 1} error count "s" is not a number`,
    ]);
    // Outside the zone, the same fault does not matter.
    expect(
      errorsOf(
        planFromCensusFiles(
          input({ files: [{ name: 'pop.csv', text: lines.join('\n') }], zone: ['97307'] }),
        ),
      ),
    ).toEqual([]);
  });

  it('a table given by two files, or by none', () => {
    const twice = planFromCensusFiles(input({ files: [POPULATION, POP6], zone: ['97302'] }));
    expect(placed(errorsOf(twice))).toEqual([
      `${POP6.name}:1:3 error sex x age is given by both ${POPULATION.name} and ${POP6.name}: give it once`,
      `${POP6.name}:1:3 error CSP is given by both ${POPULATION.name} and ${POP6.name}: give it once`,
    ]);
    const none = planFromCensusFiles(input({ files: [POP1A], zone: ['97302'] }));
    expect(placed(errorsOf(none))).toEqual([
      'census:1:1 error no file gives the population by CSP (base "Population", POP6, POP6 V1 age x CSP or sex;age;csp;count)',
    ]);
    expect(none.tables.map((table) => table.id)).toEqual(['sex_age']);
  });

  it('warns of a cell with no one in the census, or a target of 0', () => {
    const lines = POPULATION.text.split('\n');
    const header = lines[0]?.split(';') ?? [];
    const zeroed = lines.map((line, i) => {
      if (i === 0 || line === '') return line;
      const fields = line.split(';');
      for (const name of ['C21_H15P_CS1', 'C21_F15P_CS1']) fields[header.indexOf(name)] = '0';
      return fields.join(';');
    });
    const preview = planFromCensusFiles(
      input({ files: [{ name: 'pop.csv', text: zeroed.join('\n') }], size: 40 }),
    );
    const first = header.indexOf('C21_H15P_CS1') + 1;
    expect(placed(preview.issues)).toContainEqual(
      `pop.csv:1:${first} warning csp cell Agriculteurs exploitants has no one in the census: its target is 0 and every such respondent will be turned away`,
    );
    const small = planFromCensusFiles(input({ files: [POPULATION], size: 10 }));
    expect(placed(small.issues)).toContainEqual(
      expect.stringMatching(
        /^made-up-base-ic-evol-struct-pop-2021\.csv:1:\d+ warning csp cell [^,]+ gets a target of 0 \(census share \d\.\d\d %\): every such respondent will be turned away$/,
      ),
    );
    expect(small.plan).toBeDefined();
    expect(preview.plan).toBeDefined();
  });

  it('the sample size, the tolerance and the files themselves', () => {
    const preview = planFromCensusFiles(input({ size: 0, tolerance: 2 }));
    expect(placed(errorsOf(preview))).toEqual([
      'size:1:1 error the sample size must be a positive whole number, not 0',
      'tolerance:1:1 error the tolerance must be between 0 and 1 (0.05 = +5 %), not 2',
    ]);
    expect(placed(errorsOf(planFromCensusFiles(input({ files: [] }))))).toEqual([
      'census:1:1 error give at least one census file',
    ]);
  });
});
