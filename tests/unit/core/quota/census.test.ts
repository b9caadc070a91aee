// Census tables are typed or exported by hand: every fault must come back with its line and
// column, and the plan built from a good table must match the census shares, narrowed 15-19 and all.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgeBand, CensusRow, PlanOptions } from '../../../../src/core/quota/index.ts';
import {
  PlanError,
  allocate,
  buildPlan,
  cellKey,
  loadQuotaPlan,
  overlap,
  parseAgeBand,
  parseCensusCsv,
} from '../../../../src/core/quota/index.ts';

const CSP = ['1', '2', '3', '4', '5', '6', '7', '8'];
const DIPLOMA = ['1', '2', '3', '4', '5', '6', '7'];
const FIXTURES = 'tests/fixtures/census';
const cspText = readFileSync(`${FIXTURES}/made-up-town-csp.csv`, 'utf8');
const diplomaText = readFileSync(`${FIXTURES}/made-up-town-diploma.csv`, 'utf8');

function band(text: string): AgeBand {
  const parsed = parseAgeBand(text);
  if (parsed === undefined) throw new Error(`bad band ${text}`);
  return parsed;
}

function rowsOf(text: string, kind: 'csp' | 'diploma'): readonly CensusRow[] {
  const parsed = parseCensusCsv(text, kind, kind === 'csp' ? CSP : DIPLOMA);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rows;
}

function errorsOf(text: string, kind: 'csp' | 'diploma' = 'csp') {
  const parsed = parseCensusCsv(text, kind, kind === 'csp' ? CSP : DIPLOMA);
  if (parsed.ok) throw new Error('expected the table to be refused');
  // Where and what in English (their codes are checked in census-words.test.ts).
  return parsed.errors.map(({ line, column, message }) => ({ line, column, message }));
}

const BANDS = ['18-24', '25-39', '40-54', '55-64', '65+'].map(band);

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    site: 'made-up-town',
    questionnaire: 'smpg',
    sampleSize: 900,
    tolerance: 0.05,
    ageBands: BANDS,
    items: { sex: 'sex', age: 'age', csp: 'csp', diploma: 'diploma' },
    cspLabels: Object.fromEntries(CSP.map((code) => [code, `CSP ${code}`])),
    diplomaLabels: Object.fromEntries(DIPLOMA.map((code) => [code, `Diploma ${code}`])),
    ...overrides,
  };
}

describe('parseAgeBand', () => {
  it('reads closed and open bands, spaces allowed', () => {
    expect(parseAgeBand('18-24')).toEqual({ code: '18-24', min: 18, max: 24 });
    expect(parseAgeBand(' 25 - 39 ')).toEqual({ code: '25-39', min: 25, max: 39 });
    expect(parseAgeBand('65+')).toEqual({ code: '65+', min: 65, max: undefined });
    expect(parseAgeBand('7-7')).toEqual({ code: '7-7', min: 7, max: 7 });
  });

  it('refuses anything else', () => {
    for (const text of ['', '18', '18-', '-24', '24-18', 'abc', '18 to 24', '65++', '1000-1001']) {
      expect(parseAgeBand(text)).toBeUndefined();
    }
  });
});

describe('overlap', () => {
  it('narrows a census band in proportion to the years it shares', () => {
    expect(overlap(band('15-19'), band('18-24'))).toBeCloseTo(2 / 5, 12);
    expect(overlap(band('20-24'), band('18-24'))).toBe(1);
    expect(overlap(band('25-39'), band('18-24'))).toBe(0);
    expect(overlap(band('15-19'), band('25-39'))).toBe(0);
    expect(overlap(band('60-69'), band('55-64'))).toBeCloseTo(1 / 2, 12);
    expect(overlap(band('60-69'), band('65+'))).toBeCloseTo(1 / 2, 12);
    expect(overlap(band('55-64'), band('65+'))).toBe(0);
  });

  it('puts an open census band whole into an open survey band starting at or below it', () => {
    expect(overlap(band('65+'), band('65+'))).toBe(1);
    expect(overlap(band('80+'), band('65+'))).toBe(1);
    expect(overlap(band('65+'), band('18-24'))).toBe(0);
    expect(overlap(band('65+'), band('55-64'))).toBe(0);
  });

  it('cannot split an open census band across survey bands', () => {
    expect(overlap(band('60+'), band('55-64'))).toBe('cannot_split');
    expect(overlap(band('60+'), band('65+'))).toBe('cannot_split');
    expect(overlap(band('65+'), band('65-79'))).toBe('cannot_split');
  });
});

describe('parseCensusCsv on good tables', () => {
  it('reads both fixtures', () => {
    const csp = rowsOf(cspText, 'csp');
    expect(csp).toHaveLength(96);
    expect(csp[0]).toEqual({ sex: '1', age: band('15-19'), group: '1', count: 0 });
    expect(csp[1]).toEqual({ sex: '1', age: band('15-19'), group: '2', count: 1.3 });
    expect(
      csp.find((row) => row.sex === '2' && row.age.code === '65+' && row.group === '7'),
    ).toMatchObject({ count: 1940.1 });
    const diploma = rowsOf(diplomaText, 'diploma');
    expect(diploma).toHaveLength(84);
    expect(diploma[0]).toEqual({ sex: '1', age: band('15-19'), group: '1', count: 202 });
  });

  it('reads `,` and `;` separators, decimal commas with `;`, thousands spaces', () => {
    const semicolon = rowsOf('sex;age;csp;count\n1;18-24;3;1 234,5\n2;65+;7;12\u00a0000\n', 'csp');
    expect(semicolon.map((row) => row.count)).toEqual([1234.5, 12000]);
    const narrow = rowsOf('sex;age;csp;count\n1;18-24;3;1\u202f000,25\n', 'csp');
    expect(narrow[0]?.count).toBe(1000.25);
    const comma = rowsOf('sex,age,csp,count\n1,18-24,3,1 234.5\n2,25-39,5,7\n', 'csp');
    expect(comma.map((row) => row.count)).toEqual([1234.5, 7]);
  });

  it('strips a BOM, takes CRLF, skips blank lines, any column order and extra columns', () => {
    const rows = rowsOf(
      '\uFEFFZone;COUNT;Age;Sex;CSP\r\n75056;10;18-24;1;3\r\n\r\n75056;5,5;65+;2;7\r\n',
      'csp',
    );
    expect(rows).toEqual([
      { sex: '1', age: band('18-24'), group: '3', count: 10 },
      { sex: '2', age: band('65+'), group: '7', count: 5.5 },
    ]);
  });

  it('reads quoted fields, with the separator and doubled quotes inside', () => {
    const rows = rowsOf(
      '"label";"sex";"age";"csp";"count"\n"Cadres; ""sup"" ";"1";"25-39";"3";"1 000,5"\n',
      'csp',
    );
    expect(rows).toEqual([{ sex: '1', age: band('25-39'), group: '3', count: 1000.5 }]);
  });
});

describe('parseCensusCsv on broken tables', () => {
  it('names a missing column on line 1', () => {
    expect(errorsOf('sex;age;csp\n1;18-24;3\n')).toEqual([
      {
        line: 1,
        column: 0,
        message: 'missing column count (the header must have sex;age;csp;count)',
      },
    ]);
    expect(errorsOf('sex,age,count\n1,18-24,3\n', 'diploma')).toEqual([
      {
        line: 1,
        column: 0,
        message: 'missing column diploma (the header must have sex,age,diploma,count)',
      },
    ]);
    expect(errorsOf('age;count\n', 'csp')[0]?.message).toMatch(/^missing columns sex, csp /);
  });

  it('names a non-numeric count with its line and column', () => {
    expect(errorsOf('sex;age;csp;count\n1;18-24;3;12\n1;25-39;3;douze\n')).toEqual([
      { line: 3, column: 4, message: 'count "douze" is not a number' },
    ]);
    expect(errorsOf('zone,sex,age,diploma,count\nX,1,18-24,3,\n', 'diploma')).toEqual([
      { line: 2, column: 5, message: 'count "" is not a number' },
    ]);
    // A decimal comma is not read in a `,`-separated table, even quoted.
    expect(errorsOf('sex,age,diploma,count\n1,18-24,3,"12,5"\n', 'diploma')).toEqual([
      { line: 2, column: 4, message: 'count "12,5" is not a number' },
    ]);
  });

  it('names a negative count with its line and column', () => {
    expect(errorsOf('sex;age;csp;count\n1;18-24;3;12\n\n2;18-24;3;-4,5\n')).toEqual([
      { line: 4, column: 4, message: 'count -4.5 is negative' },
    ]);
    expect(errorsOf('count,sex,age,diploma\n-1,1,18-24,3\n', 'diploma')).toEqual([
      { line: 2, column: 1, message: 'count -1 is negative' },
    ]);
  });

  it('names an unknown category, sex or age band with its line and column', () => {
    expect(errorsOf('sex;age;csp;count\n1;18-24;9;12\n')).toEqual([
      { line: 2, column: 3, message: 'unknown csp "9": expected one of 1, 2, 3, 4, 5, 6, 7, 8' },
    ]);
    expect(errorsOf('sex,age,diploma,count\n1,18-24,8,12\n', 'diploma')).toEqual([
      { line: 2, column: 3, message: 'unknown diploma "8": expected one of 1, 2, 3, 4, 5, 6, 7' },
    ]);
    expect(errorsOf('sex;age;csp;count\nH;18-24;3;12\n')).toEqual([
      { line: 2, column: 1, message: 'unknown sex "H": use INSEE\'s codes 1 (man) or 2 (woman)' },
    ]);
    expect(errorsOf('sex;age;csp;count\n1;18 à 24;3;12\n')).toEqual([
      { line: 2, column: 2, message: 'unknown age band "18 à 24": write it 15-19 or 65+' },
    ]);
  });

  it('reports every bad field of every line, not just the first', () => {
    const errors = errorsOf('sex;age;csp;count\n1;18-24;3;12\n3;18-24;0;x\n2;99-98;3;-1\n');
    expect(errors.map(({ line, column }) => `${line}:${column}`)).toEqual([
      '3:1',
      '3:3',
      '3:4',
      '4:2',
      '4:4',
    ]);
  });

  it('refuses a zone with zero population, and a table without rows', () => {
    expect(errorsOf('sex;age;csp;count\n1;18-24;3;0\n2;65+;7;0,0\n')).toEqual([
      { line: 1, column: 0, message: 'the zone has zero population in this table' },
    ]);
    expect(errorsOf('sex,age,diploma,count\n1,18-24,3,0\n', 'diploma')).toEqual([
      { line: 1, column: 0, message: 'the zone has zero population in this table' },
    ]);
    expect(errorsOf('sex;age;csp;count\n\n')).toEqual([
      { line: 1, column: 0, message: 'the table has no rows' },
    ]);
  });
});

describe('buildPlan on the made-up town', () => {
  const csp = rowsOf(cspText, 'csp');
  const diploma = rowsOf(diplomaText, 'diploma');

  it('makes a valid plan whose every table sums to the sample size', () => {
    const plan = buildPlan(csp, diploma, options());
    expect(loadQuotaPlan(plan).status).toBe('success');
    expect(plan.tables.map((table) => table.id)).toEqual(['sex_age', 'csp', 'diploma']);
    for (const table of plan.tables) {
      expect(table.cells.reduce((sum, cell) => sum + cell.target, 0)).toBe(900);
    }
    expect(plan.variables.map((variable) => variable.id)).toEqual(['sex', 'age', 'csp', 'diploma']);
    expect(plan.allocations).toBeUndefined();
    // Without a diploma table, two tables.
    expect(buildPlan(csp, undefined, options()).tables.map((table) => table.id)).toEqual([
      'sex_age',
      'csp',
    ]);
  });

  it('gives sex x age cells their census share, 15-19 narrowed to 18-19 (2/5)', () => {
    // Independently of src/: read the fixture by hand, 2/5 of 15-19 and all of 20-24 to 18-24.
    const surveyBand: Record<string, { band: string; share: number }> = {
      '15-19': { band: '18-24', share: 2 / 5 },
      '20-24': { band: '18-24', share: 1 },
      '25-39': { band: '25-39', share: 1 },
      '40-54': { band: '40-54', share: 1 },
      '55-64': { band: '55-64', share: 1 },
      '65+': { band: '65+', share: 1 },
    };
    const population = new Map<string, number>();
    for (const line of cspText.trim().split('\n').slice(1)) {
      const [sex = '', age = '', , count = ''] = line.split(';');
      const to = surveyBand[age];
      if (to === undefined) throw new Error(`unexpected age ${age}`);
      const key = `${sex}|${to.band}`;
      population.set(key, (population.get(key) ?? 0) + Number(count.replace(',', '.')) * to.share);
    }
    const total = [...population.values()].reduce((a, b) => a + b, 0);
    const plan = buildPlan(csp, diploma, options());
    const sexAge = plan.tables.find((table) => table.id === 'sex_age');
    expect(sexAge?.cells).toHaveLength(10);
    for (const cell of sexAge?.cells ?? []) {
      const exact = ((population.get(cellKey(cell.key)) ?? Number.NaN) * 900) / total;
      expect(Math.abs(cell.target - exact)).toBeLessThan(1);
      // The plan keeps the census count the target was scaled from, narrowed 15-19 and all.
      expect(cell.census).toBeCloseTo(population.get(cellKey(cell.key)) ?? Number.NaN, 9);
    }
    // The narrowing matters: without it, 18-24 would take 15-19 whole and be far larger.
    const young = sexAge?.cells.find((cell) => cellKey(cell.key) === '1|18-24')?.target ?? 0;
    expect(young).toBeGreaterThan(40);
    expect(young).toBeLessThan(60);
  });

  it('gives CSP and diploma groups their census share over the survey ages', () => {
    const plan = buildPlan(csp, diploma, options());
    for (const [id, rows] of [
      ['csp', csp],
      ['diploma', diploma],
    ] as const) {
      const weightOf = (row: CensusRow) =>
        row.age.code === '15-19' ? (row.count * 2) / 5 : row.count;
      const total = rows.reduce((sum, row) => sum + weightOf(row), 0);
      const table = plan.tables.find((entry) => entry.id === id);
      for (const cell of table?.cells ?? []) {
        const group = rows
          .filter((row) => row.group === cell.key[0])
          .reduce((sum, row) => sum + weightOf(row), 0);
        expect(Math.abs(cell.target - (group * 900) / total)).toBeLessThan(1);
        expect(cell.census).toBeCloseTo(group, 9);
      }
    }
  });

  it('shares every cell among interviewers, the shares adding up to the target', () => {
    const plan = buildPlan(csp, diploma, options({ interviewers: ['A', 'B', 'C'] }));
    expect(loadQuotaPlan(plan).status).toBe('success');
    expect(plan.allocations?.map((allocation) => allocation.interviewer)).toEqual(['A', 'B', 'C']);
    let remainders = [0, 0, 0];
    for (const table of plan.tables) {
      for (const cell of table.cells) {
        const shares = (plan.allocations ?? []).map(
          (allocation) => allocation.targets[table.id]?.[cellKey(cell.key)] ?? Number.NaN,
        );
        expect(shares.reduce((a, b) => a + b, 0)).toBe(cell.target);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        const floor = Math.floor(cell.target / 3);
        remainders = remainders.map((n, i) => n + (shares[i] ?? 0) - floor);
      }
    }
    // The extra units rotate: nobody gets them all.
    expect(Math.max(...remainders) - Math.min(...remainders)).toBeLessThanOrEqual(
      plan.tables.length,
    );
    expect(allocate(plan, ['solo'])[0]?.targets.sex_age).toEqual(
      Object.fromEntries(
        (plan.tables[0]?.cells ?? []).map((cell) => [cellKey(cell.key), cell.target]),
      ),
    );
  });

  it('records site, tolerance and source, and labels the categories', () => {
    const plan = buildPlan(csp, diploma, options({ source: 'RP 2021', tolerance: 0.1 }));
    expect(plan).toMatchObject({
      site: 'made-up-town',
      questionnaire: 'smpg',
      sampleSize: 900,
      tolerance: 0.1,
      source: 'RP 2021',
    });
    const age = plan.variables.find((variable) => variable.id === 'age');
    expect(age?.source).toEqual({
      item: 'age',
      bands: [
        { code: '18-24', min: 18, max: 24 },
        { code: '25-39', min: 25, max: 39 },
        { code: '40-54', min: 40, max: 54 },
        { code: '55-64', min: 55, max: 64 },
        { code: '65+', min: 65 },
      ],
    });
    const cspVariable = plan.variables.find((variable) => variable.id === 'csp');
    expect(cspVariable?.categories[2]).toEqual({ code: '3', label: { fr: 'CSP 3' } });
  });

  it('refuses survey bands that would split an open census band', () => {
    const bands = ['18-24', '25-39', '40-54', '55-69', '70+'].map(band);
    expect(() => buildPlan(csp, diploma, options({ ageBands: bands }))).toThrow(PlanError);
    expect(() => buildPlan(csp, diploma, options({ ageBands: bands }))).toThrow(
      'the census band 65+ cannot be split to fit the survey band 55-69',
    );
  });

  it('refuses a zone with nobody in the survey ages', () => {
    const children: CensusRow[] = [{ sex: '1', age: band('0-14'), group: '8', count: 120 }];
    expect(() => buildPlan(children, undefined, options())).toThrow(
      'the zone has zero population for table sex_age',
    );
  });
});
