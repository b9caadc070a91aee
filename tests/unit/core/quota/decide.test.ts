// Placing respondents in cells, counting them, and deciding who may still be interviewed: the
// examples fix the rules, the properties check that no order of respondents and no set of offline
// devices can overfill a cell, and that merging server and local counts never loses one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../../../src/core/questionnaire/index.ts';
import type {
  Categories,
  CellCounts,
  QuotaCounts,
  QuotaPlan,
  QuotaRecord,
} from '../../../../src/core/quota/index.ts';
import {
  EMPTY_COUNTS,
  allocate,
  cellKey,
  cellsOf,
  classify,
  countQuotas,
  decide,
  loadQuotaPlan,
  mergeCounts,
  mergeOwn,
  siteLimit,
} from '../../../../src/core/quota/index.ts';

/**
 * Sample of 100, tolerance 10 %: sex x age crossed, CSP marginal. Limits: 10 -> 11, 25 -> 27,
 * 15 -> 16, 40 -> 44, 20 -> 22.
 */
function examplePlan(): QuotaPlan {
  return {
    site: 'made-up-town',
    questionnaire: 'smpg',
    sampleSize: 100,
    tolerance: 0.1,
    variables: [
      { id: 'sex', source: { item: 'sex' }, categories: [{ code: '1' }, { code: '2' }] },
      {
        id: 'age',
        source: {
          item: 'age',
          bands: [
            { code: '18-24', min: 18, max: 24 },
            { code: '25-64', min: 25, max: 64 },
            { code: '65+', min: 65 },
          ],
        },
        categories: [{ code: '18-24' }, { code: '25-64' }, { code: '65+' }],
      },
      {
        id: 'csp',
        source: { item: 'occupation', map: { farmer: '1', shopkeeper: '1', manager: '2' } },
        categories: [{ code: '1' }, { code: '2' }, { code: '3' }],
      },
      // Collected but in no table: its absence never makes a respondent unknown.
      { id: 'region', source: { item: 'region' }, categories: [{ code: 'N' }, { code: 'S' }] },
    ],
    tables: [
      {
        id: 'sex_age',
        variables: ['sex', 'age'],
        cells: [
          { key: ['1', '18-24'], target: 10 },
          { key: ['1', '25-64'], target: 25 },
          { key: ['1', '65+'], target: 15 },
          { key: ['2', '18-24'], target: 10 },
          { key: ['2', '25-64'], target: 25 },
          { key: ['2', '65+'], target: 15 },
        ],
      },
      {
        id: 'csp',
        variables: ['csp'],
        cells: [
          { key: ['1'], target: 40 },
          { key: ['2'], target: 40 },
          { key: ['3'], target: 20 },
        ],
      },
    ],
  };
}

/** The example plan shared by A and B (even targets split evenly: 1|18-24 5 each, csp 3 10 each). */
function allocatedPlan(): QuotaPlan {
  const plan = examplePlan();
  return { ...plan, allocations: allocate(plan, ['A', 'B']) };
}

function answers(entries: Record<string, Answer>): ReadonlyMap<string, Answer> {
  return new Map(Object.entries(entries));
}

function counts(completed: CellCounts, screenedOut: CellCounts = {}): QuotaCounts {
  return { completed, screenedOut };
}

const YOUNG_MAN: Categories = { sex: '1', age: '18-24', csp: '3' };

function record(
  categories: Categories,
  overrides: Partial<Omit<QuotaRecord, 'categories'>> = {},
): QuotaRecord {
  return { interviewer: 'A', outcome: 'completed', practice: false, categories, ...overrides };
}

describe('classify', () => {
  const plan = examplePlan();

  it('takes choice codes as categories', () => {
    expect(classify(plan, answers({ sex: '2', age: 30, occupation: '3', region: 'N' }))).toEqual({
      sex: '2',
      age: '25-64',
      csp: '3',
      region: 'N',
    });
  });

  it('maps answer codes through the map, and lets a category code through unmapped', () => {
    expect(classify(plan, answers({ occupation: 'farmer' })).csp).toBe('1');
    expect(classify(plan, answers({ occupation: 'shopkeeper' })).csp).toBe('1');
    expect(classify(plan, answers({ occupation: 'manager' })).csp).toBe('2');
    expect(classify(plan, answers({ occupation: '3' })).csp).toBe('3');
    expect(classify(plan, answers({ occupation: 'astronaut' })).csp).toBeUndefined();
  });

  it('never takes a category from Object.prototype', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(classify(plan, answers({ occupation: code, sex: code })).csp).toBeUndefined();
      expect(classify(plan, answers({ occupation: code, sex: code })).sex).toBeUndefined();
    }
  });

  it('takes numeric answers as codes', () => {
    expect(classify(plan, answers({ sex: 1 })).sex).toBe('1');
    expect(classify(plan, answers({ sex: 3 })).sex).toBeUndefined();
  });

  it('puts numbers in bands, bounds included, the last band open', () => {
    const ageOf = (age: Answer) => classify(plan, answers({ age })).age;
    expect(ageOf(18)).toBe('18-24');
    expect(ageOf(24)).toBe('18-24');
    expect(ageOf(25)).toBe('25-64');
    expect(ageOf(64)).toBe('25-64');
    expect(ageOf(65)).toBe('65+');
    expect(ageOf(104)).toBe('65+');
    expect(ageOf('40')).toBe('25-64');
    expect(ageOf(17)).toBeUndefined();
    expect(ageOf('forty')).toBeUndefined();
  });

  it('leaves non-responses, missing answers and multiple choices unplaced', () => {
    expect(
      classify(plan, answers({ sex: DONT_KNOW, age: REFUSED, occupation: ['1', '2'] })),
    ).toEqual({ sex: undefined, age: undefined, csp: undefined, region: undefined });
    expect(classify(plan, new Map())).toEqual({
      sex: undefined,
      age: undefined,
      csp: undefined,
      region: undefined,
    });
  });
});

describe('cellsOf', () => {
  it('gives the cell of every table whose variables are known', () => {
    const plan = examplePlan();
    expect(cellsOf(plan, YOUNG_MAN)).toEqual([
      { table: 'sex_age', key: '1|18-24' },
      { table: 'csp', key: '3' },
    ]);
    expect(cellsOf(plan, { sex: '1', csp: '2' })).toEqual([{ table: 'csp', key: '2' }]);
  });
});

describe('countQuotas', () => {
  const plan = examplePlan();
  const oldWoman: Categories = { sex: '2', age: '65+', csp: '1' };
  const records: QuotaRecord[] = [
    record(YOUNG_MAN),
    record(YOUNG_MAN, { practice: true }),
    record(oldWoman, { interviewer: 'B' }),
    record(YOUNG_MAN, { outcome: 'quota_full' }),
    record({ sex: '2', age: undefined, csp: '1' }, { interviewer: 'B' }),
    record(oldWoman, { interviewer: 'B', outcome: 'quota_full', practice: true }),
  ];

  it('counts completed interviews once in every table, screen-outs apart, never practice', () => {
    expect(countQuotas(plan, records)).toEqual({
      completed: { sex_age: { '1|18-24': 1, '2|65+': 1 }, csp: { '3': 1, '1': 2 } },
      screenedOut: { sex_age: { '1|18-24': 1 }, csp: { '3': 1 } },
    });
  });

  it('counts each respondent once per table, whatever the number of tables', () => {
    const many = Array.from({ length: 7 }, () => record(YOUNG_MAN));
    const { completed } = countQuotas(plan, many);
    for (const table of plan.tables) {
      const total = Object.values(completed[table.id] ?? {}).reduce((a, b) => a + b, 0);
      expect(total).toBe(7);
    }
  });

  it('counts one interviewer only when asked', () => {
    expect(countQuotas(plan, records, 'A')).toEqual({
      completed: { sex_age: { '1|18-24': 1 }, csp: { '3': 1 } },
      screenedOut: { sex_age: { '1|18-24': 1 }, csp: { '3': 1 } },
    });
    expect(countQuotas(plan, records, 'B').completed).toEqual({
      sex_age: { '2|65+': 1 },
      csp: { '1': 2 },
    });
    expect(countQuotas(plan, records, 'Z')).toEqual(EMPTY_COUNTS);
  });

  it('counts nothing from no records or practice only', () => {
    expect(countQuotas(plan, [])).toEqual(EMPTY_COUNTS);
    expect(countQuotas(plan, [record(YOUNG_MAN, { practice: true })])).toEqual(EMPTY_COUNTS);
  });
});

describe('decide', () => {
  const offline = (own: QuotaCounts, interviewer = 'A') => ({ interviewer, own });

  it('accepts a respondent whose cells have room, listing them on the site basis', () => {
    const plan = examplePlan();
    expect(decide(plan, YOUNG_MAN, offline(EMPTY_COUNTS))).toEqual({
      status: 'accepted',
      cells: [
        { table: 'sex_age', key: '1|18-24', count: 0, limit: 11, basis: 'site' },
        { table: 'csp', key: '3', count: 0, limit: 22, basis: 'site' },
      ],
    });
  });

  it('warns when accepting brings a cell to 90 % of its limit', () => {
    const plan = examplePlan();
    // Limit 11: nearly full from ceil(9.9) = 10, so at a count of 9 (the 10th interview).
    expect(decide(plan, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 8 } }))).status).toBe(
      'accepted',
    );
    const decision = decide(plan, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 9 } })));
    expect(decision).toMatchObject({
      status: 'nearly_full',
      nearlyFull: [{ table: 'sex_age', key: '1|18-24', count: 9, limit: 11, basis: 'site' }],
    });
    // The plan's own share: 0.5 of 11 -> from ceil(5.5) = 6, so at a count of 5.
    const early = { ...plan, nearlyFull: 0.5 };
    expect(decide(early, YOUNG_MAN, offline(counts({ csp: { '3': 4 } }))).status).toBe('accepted');
    expect(decide(early, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 5 } }))).status).toBe(
      'nearly_full',
    );
  });

  it('refuses a respondent when a cell is at its limit, naming only the full cells', () => {
    const plan = examplePlan();
    expect(
      decide(plan, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 10 } }))).status,
    ).not.toBe('full');
    const one = decide(plan, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 11 } })));
    expect(one).toMatchObject({
      status: 'full',
      full: [{ table: 'sex_age', key: '1|18-24', count: 11, limit: 11, basis: 'site' }],
    });
    const both = decide(
      plan,
      YOUNG_MAN,
      offline(counts({ sex_age: { '1|18-24': 12 }, csp: { '3': 22 } })),
    );
    expect(both.status === 'full' && both.full.map((cell) => `${cell.table}/${cell.key}`)).toEqual([
      'sex_age/1|18-24',
      'csp/3',
    ]);
    // Screen-outs do not take room.
    expect(
      decide(plan, YOUNG_MAN, offline(counts({}, { sex_age: { '1|18-24': 50 } }))).status,
    ).toBe('accepted');
  });

  it('refuses every respondent of a cell whose target is 0', () => {
    const plan = examplePlan();
    const sexAge = plan.tables[0];
    if (sexAge === undefined) throw new Error('fixture');
    plan.tables[0] = {
      ...sexAge,
      cells: sexAge.cells.map((cell) =>
        cellKey(cell.key) === '1|18-24'
          ? { ...cell, target: 0 }
          : cellKey(cell.key) === '1|25-64'
            ? { ...cell, target: 35 }
            : cell,
      ),
    };
    expect(loadQuotaPlan(plan).status).toBe('success');
    expect(decide(plan, YOUNG_MAN, offline(EMPTY_COUNTS))).toMatchObject({
      status: 'full',
      full: [{ table: 'sex_age', key: '1|18-24', count: 0, limit: 0 }],
    });
  });

  it('cannot decide without every variable a table uses', () => {
    const plan = examplePlan();
    expect(decide(plan, { sex: '1', csp: '3' }, offline(EMPTY_COUNTS))).toEqual({
      status: 'unknown',
      missing: ['age'],
    });
    expect(decide(plan, {}, offline(EMPTY_COUNTS))).toEqual({
      status: 'unknown',
      missing: ['sex', 'age', 'csp'],
    });
    // region is in no table: not needed.
    expect(decide(plan, YOUNG_MAN, offline(EMPTY_COUNTS)).status).toBe('accepted');
  });

  it('decides offline on the interviewer allocation, exactly, on their own count', () => {
    const plan = allocatedPlan();
    const accepted = decide(plan, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 2 } })));
    expect(accepted).toEqual({
      status: 'accepted',
      cells: [
        { table: 'sex_age', key: '1|18-24', count: 2, limit: 5, basis: 'allocation' },
        { table: 'csp', key: '3', count: 0, limit: 10, basis: 'allocation' },
      ],
    });
    const full = decide(plan, YOUNG_MAN, offline(counts({ sex_age: { '1|18-24': 5 } }), 'B'));
    expect(full).toMatchObject({
      status: 'full',
      full: [{ table: 'sex_age', key: '1|18-24', count: 5, limit: 5, basis: 'allocation' }],
    });
  });

  it('gives an interviewer the allocations leave out no room at all', () => {
    const plan = allocatedPlan();
    const decision = decide(plan, YOUNG_MAN, offline(EMPTY_COUNTS, 'C'));
    expect(decision.status === 'full' && decision.full.map((cell) => cell.basis)).toEqual([
      'allocation',
      'allocation',
    ]);
    expect(decision.status === 'full' && decision.full.map((cell) => cell.limit)).toEqual([0, 0]);
  });

  it('decides on the site count when the server counts are known and there is no allocation', () => {
    const plan = examplePlan();
    const decision = decide(plan, YOUNG_MAN, {
      interviewer: 'A',
      own: counts({ sex_age: { '1|18-24': 1 } }),
      site: counts({ sex_age: { '1|18-24': 11 }, csp: { '3': 4 } }),
    });
    expect(decision).toMatchObject({
      status: 'full',
      cells: [
        { table: 'sex_age', key: '1|18-24', count: 11, limit: 11, basis: 'site' },
        { table: 'csp', key: '3', count: 4, limit: 22, basis: 'site' },
      ],
    });
  });

  it('applies both rules when the site counts are known, and the stricter wins', () => {
    const plan = allocatedPlan();
    // Own allocation has room (2 of 5) but the site cell is at its limit (11 of 11).
    const siteFull = decide(plan, YOUNG_MAN, {
      interviewer: 'A',
      own: counts({ sex_age: { '1|18-24': 2 } }),
      site: counts({ sex_age: { '1|18-24': 11 } }),
    });
    expect(siteFull).toMatchObject({
      status: 'full',
      full: [{ table: 'sex_age', key: '1|18-24', count: 11, limit: 11, basis: 'site' }],
    });
    expect(siteFull.status === 'full' && siteFull.cells.map((cell) => cell.basis)).toEqual([
      'allocation',
      'site',
      'allocation',
      'site',
    ]);
    // The site has room (5 of 11) but the interviewer used their allocation (5 of 5).
    const ownFull = decide(plan, YOUNG_MAN, {
      interviewer: 'A',
      own: counts({ sex_age: { '1|18-24': 5 } }),
      site: counts({ sex_age: { '1|18-24': 5 } }),
    });
    expect(ownFull).toMatchObject({
      status: 'full',
      full: [{ table: 'sex_age', key: '1|18-24', count: 5, limit: 5, basis: 'allocation' }],
    });
    // Neither full, but the site cell nearly so.
    const nearly = decide(plan, YOUNG_MAN, {
      interviewer: 'A',
      own: counts({ sex_age: { '1|18-24': 1 } }),
      site: counts({ sex_age: { '1|18-24': 9 } }),
    });
    expect(nearly).toMatchObject({
      status: 'nearly_full',
      nearlyFull: [{ table: 'sex_age', key: '1|18-24', basis: 'site' }],
    });
  });
});

describe('mergeCounts', () => {
  it('adds this device unsynced interviews to the server counts', () => {
    const server = counts({ sex_age: { '1|18-24': 4 }, csp: { '3': 2 } }, { csp: { '1': 1 } });
    const unsynced = counts({ sex_age: { '1|18-24': 1, '2|65+': 2 } }, { csp: { '1': 3 } });
    expect(mergeCounts(server, unsynced)).toEqual({
      completed: { sex_age: { '1|18-24': 5, '2|65+': 2 }, csp: { '3': 2 } },
      screenedOut: { csp: { '1': 4 } },
    });
    // The inputs are left alone.
    expect(server.completed).toEqual({ sex_age: { '1|18-24': 4 }, csp: { '3': 2 } });
  });

  it('merges empty counts into what the other side has', () => {
    const only = counts({ csp: { '2': 3 } });
    expect(mergeCounts(EMPTY_COUNTS, EMPTY_COUNTS)).toEqual(EMPTY_COUNTS);
    expect(mergeCounts(EMPTY_COUNTS, only)).toEqual(only);
    expect(mergeCounts(only, EMPTY_COUNTS)).toEqual(only);
  });

  it('never lets a negative server count lower the local one', () => {
    const merged = mergeCounts(counts({ csp: { '1': -3 } }), counts({ csp: { '1': 2 } }));
    expect(merged.completed).toEqual({ csp: { '1': 2 } });
  });

  it('keeps a `__proto__` key from the wire as a key, away from Object.prototype', () => {
    const wire = JSON.parse('{"completed":{"__proto__":{"1":5}},"screenedOut":{}}') as QuotaCounts;
    const merged = mergeCounts(wire, EMPTY_COUNTS);
    expect(Object.entries(merged.completed)).toEqual([['__proto__', { '1': 5 }]]);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });
});

// --- Properties -------------------------------------------------------------------------------

/** Cuts `size` into `parts` non-negative targets at points taken from `seeds`. */
function split(size: number, parts: number, seeds: readonly number[]): number[] {
  const cuts = seeds
    .slice(0, parts - 1)
    .map((seed) => seed % (size + 1))
    .sort((a, b) => a - b);
  return [...cuts, size].map((cut, i) => cut - (i === 0 ? 0 : (cuts[i - 1] ?? 0)));
}

/** Two variables of 2-3 categories, crossed and marginal tables, random targets and tolerance. */
const smallPlanArb = fc
  .record({
    na: fc.integer({ min: 2, max: 3 }),
    nb: fc.integer({ min: 2, max: 3 }),
    size: fc.integer({ min: 1, max: 30 }),
    tolerance: fc.double({ min: 0, max: 0.2, noNaN: true }),
    nearlyFull: fc.option(fc.double({ min: 0.1, max: 1, noNaN: true }), { nil: undefined }),
    seeds: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
  })
  .map(({ na, nb, size, tolerance, nearlyFull, seeds }): QuotaPlan => {
    const a = Array.from({ length: na }, (_, i) => `a${i}`);
    const b = Array.from({ length: nb }, (_, i) => `b${i}`);
    const crossed = a.flatMap((x) => b.map((y) => [x, y]));
    const crossedTargets = split(size, crossed.length, seeds.slice(0, 8));
    const aTargets = split(size, na, seeds.slice(8, 10));
    const bTargets = split(size, nb, seeds.slice(10, 12));
    return {
      site: 'random',
      questionnaire: 'q',
      sampleSize: size,
      tolerance,
      ...(nearlyFull === undefined ? {} : { nearlyFull }),
      variables: [
        { id: 'a', source: { item: 'a' }, categories: a.map((code) => ({ code })) },
        { id: 'b', source: { item: 'b' }, categories: b.map((code) => ({ code })) },
      ],
      tables: [
        {
          id: 'ab',
          variables: ['a', 'b'],
          cells: crossed.map((key, i) => ({ key, target: crossedTargets[i] ?? 0 })),
        },
        {
          id: 'a',
          variables: ['a'],
          cells: a.map((x, i) => ({ key: [x], target: aTargets[i] ?? 0 })),
        },
        {
          id: 'b',
          variables: ['b'],
          cells: b.map((y, i) => ({ key: [y], target: bTargets[i] ?? 0 })),
        },
      ],
    };
  });

/** A respondent as indexes into the categories; now and then one variable is unknown. */
const respondentArb = fc.record({
  a: fc.option(fc.nat({ max: 2 }), { freq: 12, nil: undefined }),
  b: fc.option(fc.nat({ max: 2 }), { freq: 12, nil: undefined }),
});
type Respondent = { readonly a: number | undefined; readonly b: number | undefined };

function categoriesOf(plan: QuotaPlan, respondent: Respondent): Categories {
  const pick = (v: number, index: number | undefined) => {
    const codes = plan.variables[v]?.categories ?? [];
    return index === undefined ? undefined : codes[index % codes.length]?.code;
  };
  return { a: pick(0, respondent.a), b: pick(1, respondent.b) };
}

/** Every cell of the plan with its target. */
function cellsOfPlan(plan: QuotaPlan): { table: string; key: string; target: number }[] {
  return plan.tables.flatMap((table) =>
    table.cells.map((cell) => ({ table: table.id, key: cellKey(cell.key), target: cell.target })),
  );
}

function countIn(cellCounts: CellCounts, table: string, key: string): number {
  return cellCounts[table]?.[key] ?? 0;
}

describe('quota properties', () => {
  it('accepting respondents one by one never takes a cell past target + tolerance', () => {
    fc.assert(
      fc.property(smallPlanArb, fc.array(respondentArb, { maxLength: 120 }), (plan, stream) => {
        expect(loadQuotaPlan(plan).status).toBe('success');
        const records: QuotaRecord[] = [];
        for (const respondent of stream) {
          const categories = categoriesOf(plan, respondent);
          const own = countQuotas(plan, records);
          const decision = decide(plan, categories, { interviewer: 'A', own });
          if (decision.status === 'unknown') {
            expect(categories.a === undefined || categories.b === undefined).toBe(true);
            continue;
          }
          // Full exactly when one of the respondent's cells has reached its limit.
          const limits = cellsOf(plan, categories).map(({ table, key }) => {
            const target = cellsOfPlan(plan).find(
              (cell) => cell.table === table && cell.key === key,
            )?.target;
            return {
              count: countIn(own.completed, table, key),
              limit: siteLimit(plan, target ?? 0),
            };
          });
          expect(decision.status === 'full').toBe(limits.some((l) => l.count >= l.limit));
          records.push(
            record(categories, {
              outcome: decision.status === 'full' ? 'quota_full' : 'completed',
            }),
          );
          const { completed } = countQuotas(plan, records);
          for (const { table, key, target } of cellsOfPlan(plan)) {
            expect(countIn(completed, table, key)).toBeLessThanOrEqual(siteLimit(plan, target));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('devices enforcing their allocations offline never push a cell past the sum of allocations', () => {
    const routedArb = fc.record({ device: fc.nat({ max: 3 }), respondent: respondentArb });
    fc.assert(
      fc.property(
        smallPlanArb,
        fc.integer({ min: 2, max: 4 }),
        fc.array(routedArb, { maxLength: 150 }),
        (base, devices, stream) => {
          const interviewers = ['A', 'B', 'C', 'D'].slice(0, devices);
          const plan: QuotaPlan = { ...base, allocations: allocate(base, interviewers) };
          expect(loadQuotaPlan(plan).status).toBe('success');
          const allocated = (table: string, key: string) =>
            (plan.allocations ?? []).reduce(
              (sum, allocation) => sum + (allocation.targets[table]?.[key] ?? 0),
              0,
            );
          const records: QuotaRecord[] = [];
          for (const { device, respondent } of stream) {
            const interviewer = interviewers[device % devices] ?? 'A';
            const categories = categoriesOf(plan, respondent);
            // Offline: the device knows its own interviews only.
            const own = countQuotas(plan, records, interviewer);
            const decision = decide(plan, categories, { interviewer, own });
            if (decision.status === 'accepted' || decision.status === 'nearly_full')
              records.push(record(categories, { interviewer }));
          }
          const site = countQuotas(plan, records).completed;
          for (const { table, key, target } of cellsOfPlan(plan)) {
            expect(allocated(table, key)).toBe(target);
            expect(countIn(site, table, key)).toBeLessThanOrEqual(allocated(table, key));
            expect(countIn(site, table, key)).toBeLessThanOrEqual(siteLimit(plan, target));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('merging server and unsynced counts never lowers a count', () => {
    const interviewArb = fc.record({
      respondent: respondentArb,
      outcome: fc.constantFrom<QuotaRecord['outcome']>('completed', 'quota_full'),
      practice: fc.boolean(),
      synced: fc.boolean(),
    });
    const othersArb = fc.array(
      fc.record({
        respondent: respondentArb,
        interviewer: fc.constantFrom('B', 'C'),
        outcome: fc.constantFrom<QuotaRecord['outcome']>('completed', 'quota_full'),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(
        smallPlanArb,
        fc.array(interviewArb, { maxLength: 40 }),
        othersArb,
        (plan, mine, others) => {
          const toRecord = (entry: {
            respondent: Respondent;
            outcome: QuotaRecord['outcome'];
            practice?: boolean;
            interviewer?: string;
          }): QuotaRecord =>
            record(categoriesOf(plan, entry.respondent), {
              outcome: entry.outcome,
              practice: entry.practice ?? false,
              interviewer: entry.interviewer ?? 'A',
            });
          const synced = mine.filter((entry) => entry.synced).map(toRecord);
          const unsyncedRecords = mine.filter((entry) => !entry.synced).map(toRecord);
          const otherRecords = others.map(toRecord);
          const server = countQuotas(plan, [...otherRecords, ...synced]);
          const unsynced = countQuotas(plan, unsyncedRecords);
          const own = countQuotas(plan, [...synced, ...unsyncedRecords], 'A');
          const merged = mergeCounts(server, unsynced);
          // The merge rule gives the true site-wide counts.
          expect(merged).toEqual(
            countQuotas(plan, [...otherRecords, ...synced, ...unsyncedRecords]),
          );
          for (const kind of ['completed', 'screenedOut'] as const) {
            for (const { table, key } of cellsOfPlan(plan)) {
              const after = countIn(merged[kind], table, key);
              expect(after).toBeGreaterThanOrEqual(countIn(server[kind], table, key));
              expect(after).toBeGreaterThanOrEqual(countIn(unsynced[kind], table, key));
              expect(after).toBeGreaterThanOrEqual(countIn(own[kind], table, key));
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('merging any two sets of counts never lowers a count of either', () => {
    const cellCountsArb = fc.dictionary(
      fc.constantFrom('sex_age', 'csp', 'diploma'),
      fc.dictionary(fc.constantFrom('1', '2', '1|18-24', '2|65+'), fc.nat({ max: 1000 })),
    );
    const countsArb = fc.record({ completed: cellCountsArb, screenedOut: cellCountsArb });
    fc.assert(
      fc.property(countsArb, countsArb, (server, unsynced) => {
        const merged = mergeCounts(server, unsynced);
        for (const kind of ['completed', 'screenedOut'] as const) {
          for (const side of [server, unsynced]) {
            for (const [table, cells] of Object.entries(side[kind])) {
              for (const [key, n] of Object.entries(cells)) {
                expect(countIn(merged[kind], table, key)).toBeGreaterThanOrEqual(n);
              }
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('mergeOwn', () => {
  const counts = (completed: CellCounts): QuotaCounts => ({ completed, screenedOut: {} });

  it('adds this device’s unacknowledged interviews of the interviewer to the server’s count', () => {
    // 3 on the server (2 from another tablet), 1 more here not sent yet: 4, not this tablet's 2.
    const device = counts({ sex_age: { '1|18-24': 2 } });
    const merged = mergeOwn(
      device,
      { sex_age: { '1|18-24': 3 } },
      counts({ sex_age: { '1|18-24': 1 } }),
    );
    expect(merged.completed).toEqual({ sex_age: { '1|18-24': 4 } });
  });

  it('is never below what the device has of theirs, nor below the server’s', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.nat(20), (onDevice, onServer, unsent) => {
        const merged = mergeOwn(
          counts({ t: { k: onDevice } }),
          { t: { k: onServer } },
          counts({ t: { k: unsent } }),
        );
        const n = merged.completed['t']?.['k'] ?? 0;
        expect(n).toBe(Math.max(onDevice, onServer + unsent));
      }),
    );
    // Without the server's count, the device's.
    expect(mergeOwn(counts({ t: { k: 2 } }), undefined, counts({})).completed).toEqual({
      t: { k: 2 },
    });
  });
});
