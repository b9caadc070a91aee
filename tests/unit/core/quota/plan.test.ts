// A site's plan.json comes from a coordinator's hands and the network: loadQuotaPlan must say what
// is wrong and where, and never throw, before any device counts against it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import type { QuotaIssue, QuotaPlan } from '../../../../src/core/quota/index.ts';
import {
  cellKey,
  loadQuotaPlan,
  siteLimit,
  withoutCensus,
} from '../../../../src/core/quota/index.ts';
import { QuotaPlanSchema } from '../../../../src/core/quota/index.ts';

/** Sample of 10: sex x age crossed, sex marginal; two interviewers share every cell. */
function validPlan(): QuotaPlan {
  return {
    site: 'made-up-town',
    questionnaire: 'smpg',
    sampleSize: 10,
    tolerance: 0.1,
    variables: [
      {
        id: 'sex',
        source: { item: 'sex' },
        categories: [{ code: '1', label: { fr: 'Homme' } }, { code: '2' }],
      },
      {
        id: 'age',
        source: {
          item: 'age',
          bands: [
            { code: '18-39', min: 18, max: 39 },
            { code: '40+', min: 40 },
          ],
        },
        categories: [{ code: '18-39' }, { code: '40+' }],
      },
    ],
    tables: [
      {
        id: 'sex_age',
        variables: ['sex', 'age'],
        cells: [
          { key: ['1', '18-39'], target: 2 },
          { key: ['1', '40+'], target: 3 },
          { key: ['2', '18-39'], target: 2 },
          { key: ['2', '40+'], target: 3 },
        ],
      },
      {
        id: 'sex',
        variables: ['sex'],
        cells: [
          { key: ['1'], target: 5 },
          { key: ['2'], target: 5 },
        ],
      },
    ],
    allocations: [
      {
        interviewer: 'A',
        targets: { sex_age: { '1|18-39': 1, '1|40+': 2, '2|18-39': 1, '2|40+': 1 } },
      },
      {
        interviewer: 'B',
        targets: {
          sex_age: { '1|18-39': 1, '1|40+': 1, '2|18-39': 1, '2|40+': 2 },
          sex: { '1': 5, '2': 5 },
        },
      },
    ],
  };
}

/** The same plan without allocations, for faults in the tables alone. */
function bare(): QuotaPlan {
  const plan = validPlan();
  delete plan.allocations;
  return plan;
}

/** The issues of a plan that must fail. */
/** The issues' paths and English messages (their codes are checked in census-words.test.ts). */
function issuesOf(input: unknown): readonly Pick<QuotaIssue, 'path' | 'message'>[] {
  const result = loadQuotaPlan(input);
  if (result.status === 'success') throw new Error('expected the plan to be refused');
  return result.issues.map(({ path, message }) => ({ path, message }));
}

describe('cellKey and siteLimit', () => {
  it('joins codes with |', () => {
    expect(cellKey(['2', '25-39'])).toBe('2|25-39');
    expect(cellKey(['7'])).toBe('7');
  });

  it('is the target plus the tolerance, rounded down', () => {
    const plan = { ...validPlan(), tolerance: 0.05 };
    expect(siteLimit(plan, 100)).toBe(105);
    expect(siteLimit(plan, 19)).toBe(19); // 19.95
    expect(siteLimit(plan, 20)).toBe(21); // exactly 21, not 20.999...
    expect(siteLimit(plan, 0)).toBe(0);
    expect(siteLimit({ ...plan, tolerance: 0 }, 37)).toBe(37);
  });
});

describe('loadQuotaPlan', () => {
  it('accepts a valid plan and returns it', () => {
    const plan = validPlan();
    const result = loadQuotaPlan(plan);
    expect(result).toEqual({ status: 'success', plan });
  });

  it('accepts a plan without allocations, and one round trip through JSON', () => {
    expect(loadQuotaPlan(bare()).status).toBe('success');
    expect(loadQuotaPlan(JSON.parse(JSON.stringify(validPlan()))).status).toBe('success');
  });

  it('refuses a table naming an unknown variable', () => {
    const plan = bare();
    plan.tables[1] = { id: 'csp', variables: ['csp'], cells: [{ key: ['1'], target: 10 }] };
    expect(issuesOf(plan)).toEqual([
      { path: 'tables[1].variables[0]', message: 'unknown variable "csp"' },
    ]);
  });

  it('refuses a cell key that is not in the crossing', () => {
    const plan = validPlan();
    plan.tables[0]?.cells.push({ key: ['3', '40+'], target: 0 });
    expect(issuesOf(plan)).toEqual([
      { path: 'tables[0].cells[4].key', message: '"3|40+" is not a cell of sex x age' },
    ]);
  });

  it('refuses a key in the wrong order or with too few codes', () => {
    const plan = validPlan();
    const cells = plan.tables[0]?.cells ?? [];
    cells[0] = { key: ['18-39', '1'], target: 2 };
    const marginal = plan.tables[1]?.cells ?? [];
    marginal[1] = { key: ['2', '40+'], target: 5 };
    const issues = issuesOf(plan);
    expect(issues).toContainEqual({
      path: 'tables[0].cells[0].key',
      message: '"18-39|1" is not a cell of sex x age',
    });
    expect(issues).toContainEqual({
      path: 'tables[1].cells[1].key',
      message: '"2|40+" is not a cell of sex',
    });
  });

  it('refuses a table with a missing cell, naming it', () => {
    const plan = bare();
    plan.tables[0] = {
      id: 'sex_age',
      variables: ['sex', 'age'],
      cells: [
        { key: ['1', '18-39'], target: 2 },
        { key: ['1', '40+'], target: 3 },
        { key: ['2', '40+'], target: 5 },
      ],
    };
    expect(issuesOf(plan)).toEqual([
      {
        path: 'tables[0].cells',
        message: 'missing cells: 2|18-39 (give them a target, 0 if none)',
      },
    ]);
  });

  it('refuses a duplicate cell', () => {
    const plan = bare();
    plan.tables[1] = {
      id: 'sex',
      variables: ['sex'],
      cells: [
        { key: ['1'], target: 5 },
        { key: ['2'], target: 5 },
        { key: ['1'], target: 0 },
      ],
    };
    expect(issuesOf(plan)).toEqual([
      { path: 'tables[1].cells[2].key', message: 'cell "1" appears twice' },
    ]);
  });

  it('refuses a table whose targets do not add up to the sample size', () => {
    const plan = bare();
    plan.tables[1] = {
      id: 'sex',
      variables: ['sex'],
      cells: [
        { key: ['1'], target: 5 },
        { key: ['2'], target: 4 },
      ],
    };
    expect(issuesOf(plan)).toEqual([
      { path: 'tables[1]', message: 'targets add up to 9, not the sample size 10' },
    ]);
  });

  it('accepts census counts on every cell of a table (fractional), on some tables only', () => {
    const plan = bare();
    plan.tables[1] = {
      id: 'sex',
      variables: ['sex'],
      cells: [
        { key: ['1'], target: 5, census: 480.4 },
        { key: ['2'], target: 5, census: 519.6 },
      ],
    };
    const result = loadQuotaPlan(JSON.parse(JSON.stringify(plan)));
    expect(result.status).toBe('success');
    if (result.status === 'success') expect(result.plan.tables[1]?.cells[0]?.census).toBe(480.4);
  });

  it('refuses census counts on some cells of a table only, negative, or adding up to 0', () => {
    const plan = bare();
    plan.tables[1] = {
      id: 'sex',
      variables: ['sex'],
      cells: [
        { key: ['1'], target: 5, census: 480 },
        { key: ['2'], target: 5 },
      ],
    };
    expect(issuesOf(plan)).toEqual([
      {
        path: 'tables[1].cells',
        message:
          'census counts are given for some cells and not for 2 (give them on every cell or on none)',
      },
    ]);
    plan.tables[1].cells[1] = { key: ['2'], target: 5, census: -1 };
    expect(issuesOf(plan).map((issue) => issue.path)).toEqual(['tables[1].cells[1].census']);
    plan.tables[1].cells = [
      { key: ['1'], target: 5, census: 0 },
      { key: ['2'], target: 5, census: 0 },
    ];
    expect(issuesOf(plan)).toEqual([
      {
        path: 'tables[1].cells',
        message: 'census counts add up to 0: no shares can be drawn from them',
      },
    ]);
  });

  it('refuses allocations that add up to more than a cell can take', () => {
    const plan = validPlan();
    // 1|40+ has target 3, limit floor(3.3) = 3; A 2 + B 2 = 4.
    const b = plan.allocations?.[1]?.targets.sex_age;
    if (b === undefined) throw new Error('fixture');
    b['1|40+'] = 2;
    expect(issuesOf(plan)).toEqual([
      {
        path: 'allocations',
        message:
          "sex_age cell 1|40+: interviewers are given 4 in all, more than the cell's limit 3",
      },
    ]);
  });

  it('accepts allocations that use the tolerance exactly', () => {
    const plan = { ...validPlan(), tolerance: 0.2 };
    // 1|40+ limit floor(3 x 1.2) = 3; 2|40+ likewise; sex 1 limit 6.
    const b = plan.allocations?.[1]?.targets.sex;
    if (b === undefined) throw new Error('fixture');
    b['1'] = 6;
    expect(loadQuotaPlan(plan).status).toBe('success');
    b['1'] = 7;
    expect(issuesOf(plan)).toEqual([
      {
        path: 'allocations',
        message: "sex cell 1: interviewers are given 7 in all, more than the cell's limit 6",
      },
    ]);
  });

  it('refuses an allocation naming an unknown table or cell', () => {
    const plan = validPlan();
    const a = plan.allocations?.[0];
    if (a === undefined) throw new Error('fixture');
    a.targets.diploma = { '1': 1 };
    a.targets.sex = { '3': 1 };
    expect(issuesOf(plan)).toEqual([
      { path: 'allocations[0].targets.diploma', message: 'unknown table "diploma"' },
      { path: 'allocations[0].targets.sex.3', message: '"3" is not a cell of sex' },
    ]);
  });

  it('refuses a variable declared twice, duplicate category codes and unknown mapped codes', () => {
    const plan = validPlan();
    plan.variables.push({
      id: 'sex',
      source: { item: 'gender', map: { m: '1', f: '2', x: '9' } },
      categories: [{ code: '1' }, { code: '1' }, { code: '2' }],
    });
    expect(issuesOf(plan)).toEqual([
      { path: 'variables[2].id', message: 'variable "sex" is declared twice' },
      { path: 'variables[2].categories', message: 'category codes must be unique' },
      { path: 'variables[2].source', message: '"9" is not a category of sex' },
    ]);
  });

  it('refuses a band whose code is not a category', () => {
    const plan = validPlan();
    const age = plan.variables[1];
    if (age === undefined || !('bands' in age.source)) throw new Error('fixture');
    age.source.bands.push({ code: '65+', min: 65 });
    expect(issuesOf(plan)).toEqual([
      { path: 'variables[1].source', message: '"65+" is not a category of age' },
    ]);
  });

  it('refuses two tables with the same id (a respondent would count twice in one table)', () => {
    const plan = bare();
    const sex = plan.tables[1];
    if (sex === undefined) throw new Error('fixture');
    plan.tables.push(sex);
    expect(issuesOf(plan)).toContainEqual({
      path: 'tables[2].id',
      message: 'table "sex" is declared twice',
    });
  });

  it('refuses names that would reach Object.prototype (__proto__, constructor)', () => {
    const proto = bare();
    const sex = proto.tables[1];
    if (sex === undefined) throw new Error('fixture');
    proto.tables[1] = { ...sex, id: '__proto__' };
    expect(issuesOf(proto)).toContainEqual({
      path: 'tables[1].id',
      message: 'is a reserved name',
    });
    const code = validPlan();
    const variable = code.variables[0];
    if (variable === undefined) throw new Error('fixture');
    variable.categories[0] = { code: 'constructor' };
    expect(issuesOf(code)).toContainEqual({
      path: 'variables[0].categories[0].code',
      message: 'is a reserved name',
    });
  });

  describe('schema errors, with their paths', () => {
    it('names a missing field', () => {
      const plan: Record<string, unknown> = { ...validPlan() };
      delete plan.sampleSize;
      expect(issuesOf(plan)).toEqual([
        { path: 'sampleSize', message: 'must be a number (missing or of another type)' },
      ]);
    });

    it('names a bad sample size, tolerance and target', () => {
      const plan = validPlan();
      const issues = issuesOf({
        ...plan,
        sampleSize: 0,
        tolerance: 1.5,
        tables: [
          { ...plan.tables[0], cells: [{ key: ['1', '18-39'], target: -1 }] },
          plan.tables[1],
        ],
      });
      expect(issues.map((issue) => issue.path)).toEqual([
        'sampleSize',
        'tolerance',
        'tables[0].cells[0].target',
      ]);
    });

    it('names a bad variable id, category code and an unknown field', () => {
      const plan = validPlan();
      const issues = issuesOf({
        ...plan,
        extra: true,
        variables: [
          { ...plan.variables[0], id: '1sex' },
          { ...plan.variables[1], categories: [{ code: '18 39' }] },
        ],
      });
      expect(issues).toContainEqual({
        path: 'variables[0].id',
        message: 'must be a name (letters, digits, _)',
      });
      expect(issues).toContainEqual({
        path: 'variables[1].categories[0].code',
        message: 'must be a code (letters, digits, _ . + -)',
      });
      expect(issues).toContainEqual({
        path: '(root)',
        message: 'unknown property "extra"; remove it or check its spelling',
      });
    });

    it('refuses empty variables, tables and cells', () => {
      const plan = validPlan();
      expect(issuesOf({ ...plan, variables: [] }).map((issue) => issue.path)).toEqual([
        'variables',
      ]);
      expect(issuesOf({ ...plan, tables: [] }).map((issue) => issue.path)).toEqual(['tables']);
      const sex = plan.tables[1];
      expect(
        issuesOf({ ...plan, tables: [plan.tables[0], { ...sex, cells: [] }] }).map(
          (issue) => issue.path,
        ),
      ).toEqual(['tables[1].cells']);
    });

    it('names a negative allocation', () => {
      const plan = validPlan();
      const issues = issuesOf({
        ...plan,
        allocations: [{ interviewer: 'A', targets: { sex: { '1': -2 } } }],
      });
      expect(issues.map((issue) => issue.path)).toEqual(['allocations[0].targets.sex.1']);
    });
  });

  it('never throws on junk, and says so at the root', () => {
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'plan',
      true,
      {},
      [],
      [validPlan()],
      { ...validPlan(), tables: 'sex' },
      { ...validPlan(), variables: [null] },
      { ...validPlan(), allocations: {} },
      { ...validPlan(), tables: [{ id: 'sex', variables: ['sex'], cells: [{ key: '1' }] }] },
    ];
    for (const input of junk) {
      const result = loadQuotaPlan(input);
      expect(result.status).toBe('failure');
      if (result.status === 'failure') {
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(issue.path).not.toBe('');
          expect(issue.message).not.toBe('');
        }
      }
    }
    const root = loadQuotaPlan(null);
    expect(root.status === 'failure' && root.issues[0]?.path).toBe('(root)');
  });
});

describe('withoutCensus', () => {
  it('gives tablets the plan without census counts, which older apps refuse', () => {
    const plan = validPlan();
    const counted: QuotaPlan = {
      ...plan,
      tables: plan.tables.map((table) => ({
        ...table,
        cells: table.cells.map((cell) => ({ ...cell, census: 12.5 })),
      })),
    };
    const sent = withoutCensus(counted);
    expect(JSON.stringify(sent)).not.toContain('census');
    expect(sent).toEqual(plan);
    // An app of before census counts reads the plan with a strict schema without them.
    const strictCell = z.strictObject({ key: z.array(z.string()), target: z.number() });
    for (const table of sent.tables)
      for (const cell of table.cells) expect(strictCell.safeParse(cell).success).toBe(true);
    expect(QuotaPlanSchema.safeParse(sent).success).toBe(true);
    expect(counted.tables[0]?.cells[0]?.census).toBe(12.5);
  });
});
