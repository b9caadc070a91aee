// `npm run quota:plan` is how a coordinator turns census tables into a site's plan: it must work on
// real-shaped tables, point at the line and column of a broken one, and exit 2 when it refuses.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import { loadQuotaPlan } from '../../../src/core/quota/index.ts';
import { PlanRefused, UsageError, run } from '../../../scripts/quota-plan.ts';

const CSP = 'tests/fixtures/census/made-up-town-csp.csv';
const DIPLOMA = 'tests/fixtures/census/made-up-town-diploma.csv';
const BASE = ['--census', CSP, '--size', '900', '--site', 'made-up-town'];

function planOf(json: string): QuotaPlan {
  const result = loadQuotaPlan(JSON.parse(json));
  if (result.status === 'failure') throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

/** A file in a fresh temporary folder. */
function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'quota-plan-')), name);
  writeFileSync(path, content);
  return path;
}

/** The message of the UsageError `run` throws. */
function usageError(argv: readonly string[]): string {
  try {
    run(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
}

/** The issue lines of the PlanRefused `run` throws. */
function refused(argv: readonly string[]): readonly string[] {
  try {
    run(argv);
  } catch (error) {
    if (error instanceof PlanRefused) return error.issues;
    throw error;
  }
  throw new Error('expected the plan to be refused');
}

describe('quota:plan on real census figures', () => {
  // INSEE, RP2021, POP6 V2 of the communauté de communes Entre Arroux, Loire et Somme (see
  // tests/fixtures/README.md): 19,036 people aged 15 and over, a rural zone with many retirees.
  const REAL = 'tests/fixtures/census/cc-entre-arroux-loire-somme-rp2021-pop6.csv';

  it('scales every table to 900 exactly, each cell within one of its census share', () => {
    const plan = planOf(run(['--census', REAL, '--size', '900', '--site', 'arroux']).json);
    // Read the fixture by hand: 2/5 of 15-19 (18 and 19 year olds) and the other bands whole.
    const lines = readFileSync(REAL, 'utf8').trim().split('\n').slice(1);
    const weight = (age: string, count: string) => (Number(count) * (age === '15-19' ? 2 : 5)) / 5;
    const byGroup = new Map<string, number>();
    let total = 0;
    for (const line of lines) {
      const [, age = '', csp = '', count = ''] = line.split(';');
      byGroup.set(csp, (byGroup.get(csp) ?? 0) + weight(age, count));
      total += weight(age, count);
    }
    for (const table of plan.tables) {
      expect(
        table.cells.reduce((sum, cell) => sum + cell.target, 0),
        table.id,
      ).toBe(900);
    }
    const csp = plan.tables.find((table) => table.id === 'csp');
    expect(csp?.cells).toHaveLength(8);
    for (const cell of csp?.cells ?? []) {
      const exact = ((byGroup.get(cell.key[0] ?? '') ?? Number.NaN) * 900) / total;
      expect(Math.abs(cell.target - exact), cell.key.join('|')).toBeLessThan(1);
      // plan.json keeps the census count itself, for the weights.
      expect(cell.census, cell.key.join('|')).toBeCloseTo(
        byGroup.get(cell.key[0] ?? '') ?? Number.NaN,
        6,
      );
    }
    // Retirees are 43 % of the zone's adults (18 and over): about 388 of the 900.
    const retirees = csp?.cells.find((cell) => cell.key[0] === '7')?.target ?? 0;
    expect(retirees).toBeGreaterThan(370);
    expect(retirees).toBeLessThan(390);
  });
});

describe('quota:plan run()', () => {
  it('builds a plan from the CSP table alone', () => {
    const { json, out } = run(BASE);
    expect(out).toBeUndefined();
    expect(json.endsWith('\n')).toBe(true);
    const plan = planOf(json);
    expect(plan).toMatchObject({
      site: 'made-up-town',
      questionnaire: 'smpg',
      sampleSize: 900,
      tolerance: 0.05,
      source: `census: ${CSP}`,
    });
    expect(plan.tables.map((table) => table.id)).toEqual(['sex_age', 'csp']);
    expect(plan.allocations).toBeUndefined();
  });

  it('builds a plan from both tables, with options', () => {
    const { json } = run([
      ...BASE,
      '--diploma',
      DIPLOMA,
      '--tolerance',
      '0.1',
      '--bands',
      '18-29,30-44,45-59,60+',
      '--interviewers',
      'A, B,,C',
      '--questionnaire',
      'smpg_short',
    ]);
    const plan = planOf(json);
    expect(plan.tables.map((table) => table.id)).toEqual(['sex_age', 'csp', 'diploma']);
    expect(plan.tolerance).toBe(0.1);
    expect(plan.questionnaire).toBe('smpg_short');
    expect(plan.variables[1]?.categories.map((category) => category.code)).toEqual([
      '18-29',
      '30-44',
      '45-59',
      '60+',
    ]);
    expect(plan.allocations?.map((allocation) => allocation.interviewer)).toEqual(['A', 'B', 'C']);
    for (const table of plan.tables) {
      expect(table.cells.reduce((sum, cell) => sum + cell.target, 0)).toBe(900);
    }
  });

  it('returns the --out path for the caller to write', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'quota-plan-')), 'plan.json');
    expect(run([...BASE, '--out', out]).out).toBe(out);
  });

  it('refuses a call without --census, --size or --site with the usage', () => {
    expect(usageError(['--size', '900', '--site', 'x'])).toMatch(/^usage: npm run quota:plan/);
    expect(usageError(['--census', CSP, '--site', 'x'])).toMatch(/^usage:/);
    expect(usageError(['--census', CSP, '--size', '900'])).toMatch(/^usage:/);
  });

  it('refuses an unknown option as a usage error', () => {
    expect(usageError([...BASE, '--censu', CSP])).toMatch(/--censu[\s\S]*\nusage:/);
    expect(usageError(['--census'])).toMatch(/--census/);
  });

  it('refuses bad option values', () => {
    expect(usageError([...BASE.slice(0, 2), '--size', '0', '--site', 'x'])).toBe(
      '--size must be a positive whole number, not "0"',
    );
    expect(usageError([...BASE.slice(0, 2), '--size', '12.5', '--site', 'x'])).toMatch(/--size/);
    expect(usageError([...BASE, '--tolerance', '5'])).toBe(
      '--tolerance must be between 0 and 1 (0.05 = +5 %), not "5"',
    );
  });

  it('refuses bad survey bands, pointing at the band in --bands', () => {
    expect(refused([...BASE, '--bands', '18-24,40-25'])).toEqual([
      'bands:1:7: error: "40-25" is not an age band such as 18-29 or 75+',
    ]);
    expect(refused([...BASE, '--bands', '18-24,25-69,70+'])).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${CSP}:42:4: error: the census band 65\\+ cannot be split to fit the survey band 25-69: `,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${CSP}:42:4: error: the census band 65\\+ cannot be split to fit the survey band 70\\+: `,
        ),
      ),
    ]);
  });

  it('says which file it cannot read', () => {
    expect(usageError(['--census', '/nonexistent/csp.csv', '--size', '9', '--site', 'x'])).toMatch(
      /^cannot read \/nonexistent\/csp\.csv: /,
    );
  });

  describe('points at the line and column of a broken census table', () => {
    const broken: {
      name: string;
      kind: 'csp' | 'diploma';
      text: string;
      message: (file: string) => string;
    }[] = [
      {
        name: 'missing column',
        kind: 'csp',
        text: 'sex;age;count\n1;18-24;12\n',
        message: (file) =>
          `${file}:1:1: error: missing column csp or diploma (the header must have sex;age;csp;count or sex;age;diploma;count)`,
      },
      {
        name: 'missing column',
        kind: 'diploma',
        text: 'sex,age,diploma\n1,18-24,3\n',
        message: (file) =>
          `${file}:1:1: error: missing column count (the header must have sex,age,diploma,count)`,
      },
      {
        name: 'non-numeric count',
        kind: 'csp',
        text: 'sex;age;csp;count\n1;18-24;3;12\n1;25-39;3;n/a\n',
        message: (file) => `${file}:3:4: error: count "n/a" is not a number`,
      },
      {
        name: 'non-numeric count',
        kind: 'diploma',
        text: 'sex,age,diploma,count\n1,18-24,3,1O\n',
        message: (file) => `${file}:2:4: error: count "1O" is not a number`,
      },
      {
        name: 'negative count',
        kind: 'csp',
        text: 'sex;age;csp;count\n1;18-24;3;12\n\n2;25-39;3;-2,5\n',
        message: (file) => `${file}:4:4: error: count -2.5 is negative`,
      },
      {
        name: 'negative count',
        kind: 'diploma',
        text: 'sex,age,diploma,count\n2,25-39,3,-7\n',
        message: (file) => `${file}:2:4: error: count -7 is negative`,
      },
      {
        name: 'unknown category',
        kind: 'csp',
        text: 'sex;age;csp;count\n1;18-24;9;12\n',
        message: (file) =>
          `${file}:2:3: error: unknown csp "9": expected one of 1, 2, 3, 4, 5, 6, 7, 8`,
      },
      {
        name: 'unknown category',
        kind: 'diploma',
        text: 'sex,age,diploma,count\n1,18-24,0,12\n',
        message: (file) =>
          `${file}:2:3: error: unknown diploma "0": expected one of 1, 2, 3, 4, 5, 6, 7`,
      },
      {
        name: 'zone with zero population',
        kind: 'csp',
        text: 'sex;age;csp;count\n1;18-24;3;0\n2;65+;7;0,0\n',
        message: (file) => `${file}:1:1: error: the zone has zero population in this table`,
      },
      {
        name: 'zone with zero population',
        kind: 'diploma',
        text: 'sex,age,diploma,count\n1,18-24,3,0\n',
        message: (file) => `${file}:1:1: error: the zone has zero population in this table`,
      },
    ];
    for (const { name, kind, text, message } of broken) {
      it(`${kind}: ${name}`, () => {
        const file = tempFile(`${kind}.csv`, text);
        const argv = kind === 'csp' ? ['--census', file] : ['--census', CSP, '--diploma', file];
        expect(refused([...argv, '--size', '900', '--site', 'x'])).toEqual([message(file)]);
      });
    }

    it('lists every broken line, one per line of output', () => {
      const file = tempFile('csp.csv', 'sex;age;csp;count\n3;18-24;3;1\n1;18-24;3;x\n');
      expect(refused(['--census', file, '--size', '900', '--site', 'x'])).toEqual([
        `${file}:2:1: error: unknown sex "3": use INSEE's codes 1 (man) or 2 (woman)`,
        `${file}:3:4: error: count "x" is not a number`,
      ]);
    });
  });
});

describe('quota:plan on census files as INSEE publishes them (made-up counts)', () => {
  const POPULATION = 'tests/fixtures/census/made-up-base-ic-evol-struct-pop-2021.csv';
  const DIPLOMAS = 'tests/fixtures/census/made-up-base-ic-diplomes-formation-2021.csv';
  const POP1A = 'tests/fixtures/census/made-up-td-pop1a-2021.csv';
  const AGE_CSP = 'tests/fixtures/census/made-up-td-pop6v1-2021.csv';
  const IC = ['--census', POPULATION, '--diploma', DIPLOMAS, '--size', '900', '--site', 'cayenne'];
  const BANDS = ['--bands', '18-29,30-44,45-59,60-74,75+'];

  it("builds the plan of two communes from the infra-communal bases, the issue's example", () => {
    const { json, report } = run([...IC, '--zone', '97302,97307', ...BANDS]);
    const plan = planOf(json);
    expect(plan.tables.map((table) => table.id)).toEqual(['sex_age', 'csp', 'diploma']);
    expect(plan.source).toBe(`census: ${POPULATION}, ${DIPLOMAS}; zone: 97302, 97307`);
    expect(plan.variables[1]?.categories.map((category) => category.code)).toEqual([
      '18-29',
      '30-44',
      '45-59',
      '60-74',
      '75+',
    ]);
    // No warning with bands on the census's limits; every table printed with its total.
    expect(report).toMatch(/^table sex_age\nsex x age +census +share +target\n/);
    expect(report).toMatch(/Femme x 75\+ ans +[\d.]+ +[\d.]+ % +\d+\n/);
    expect(report.match(/total target 900/g)).toHaveLength(3);
    expect(report).not.toMatch(/warning/);
  });

  it('prints a warning with its file, line and column, and still writes the plan', () => {
    // Default bands (18-24, 25-39...) cut the base's 15-29, 30-44... in proportion.
    const { report } = run([...IC, '--zone', '97302']);
    expect(report.split('\n')[0]).toBe(
      `${POPULATION}:1:27: warning: the census band 15-29 is shared between the survey bands 18-24, 25-39 in proportion to the years (as if ages were spread evenly): survey bands on the census's limits are exact`,
    );
  });

  it('takes --census more than once: POP1A with the age x CSP table', () => {
    const plan = planOf(
      run([
        '--census',
        POP1A,
        '--census',
        AGE_CSP,
        '--zone',
        '97307',
        '--size',
        '500',
        '--site',
        'x',
      ]).json,
    );
    expect(plan.tables.map((table) => table.id)).toEqual(['sex_age', 'csp']);
    expect(plan.sampleSize).toBe(500);
  });

  it('refuses a zone the file does not have, and a file it cannot recognise', () => {
    expect(refused([...IC, '--zone', '97302,97399', ...BANDS])).toEqual([
      `${POPULATION}:1:1: error: zone 97399 is not in this file`,
      `${DIPLOMAS}:1:1: error: zone 97399 is not in this file`,
    ]);
    const odd = tempFile('odd.csv', 'CODGEO;LIBGEO;POP\n97302;Cayenne;12\n');
    expect(refused(['--census', odd, '--size', '9', '--site', 'x'])[0]).toMatch(
      new RegExp(`^${odd}:1:1: error: layout not recognised: expected one of: sex;age;csp;count`),
    );
  });
});

describe('quota:plan as a command', () => {
  const exec = promisify(execFile);

  async function spawn(
    args: readonly string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      // tsx as a Node loader: the same run as `npx tsx`, without a second of npm start-up.
      const { stdout, stderr } = await exec(
        process.execPath,
        ['--import', 'tsx', 'scripts/quota-plan.ts', ...args],
        { encoding: 'utf8' },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('exits 0 and writes --out, exits 1 on a broken table, 2 on a usage error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'quota-plan-')), 'plan.json');
    const brokenFile = tempFile('csp.csv', 'sex;age;csp;count\n1;18-24;3;12\n1;25-39;3;-1\n');
    const [written, broken, usage] = await Promise.all([
      spawn([...BASE, '--diploma', DIPLOMA, '--interviewers', 'A,B', '--out', out]),
      spawn(['--census', brokenFile, '--size', '900', '--site', 'x']),
      spawn(['--size', '900', '--site', 'x']),
    ]);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain(`plan written to ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(
      run([...BASE, '--diploma', DIPLOMA, '--interviewers', 'A,B']).json,
    );
    expect(planOf(readFileSync(out, 'utf8')).allocations).toHaveLength(2);

    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain(`${brokenFile}:3:4: error: count -1 is negative`);
    expect(broken.stderr).toContain('no plan written: 1 error');

    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run quota:plan');
  }, 30_000);

  it('prints the tables and refuses to write the plan on a zone it cannot find (exit 1)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'quota-plan-')), 'plan.json');
    const population = 'tests/fixtures/census/made-up-base-ic-evol-struct-pop-2021.csv';
    const common = ['--census', population, '--size', '900', '--site', 'cayenne', '--out', out];
    const [missing, written] = await Promise.all([
      spawn([...common, '--zone', '97399,97302']),
      spawn([...common, '--zone', '97302,97307', '--bands', '18-29,30-44,45-59,60-74,75+']),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${population}:1:1: error: zone 97399 is not in this file`);
    expect(missing.stderr).toContain('no plan written: 1 error');
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(
      /table csp\ncsp +census +share +target\nAgriculteurs exploitants /,
    );
    expect(planOf(readFileSync(out, 'utf8')).source).toBe(
      `census: ${population}; zone: 97302, 97307`,
    );
  }, 30_000);
});
