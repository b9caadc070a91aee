// The export's weights must give back the census margins the plan was built from (issue #27,
// "Weights-ready"): exactly for one table, to 1e-6 by raking for several, on a quota sample drawn
// the way interviewers fill one, with trimming, exclusions and empty cells said out loud.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgeBand, QuotaPlan } from '../../../../src/core/quota/index.ts';
import {
  CSP_LABELS,
  DIPLOMA_LABELS,
  buildPlan,
  cellsOf,
  loadQuotaPlan,
  overlap,
  parseAgeBand,
  parseCensusCsv,
  rakeWeights,
  siteLimit,
} from '../../../../src/core/quota/index.ts';
import type { RakedWeights } from '../../../../src/core/quota/index.ts';

type Sample = Readonly<Record<string, string | undefined>>;

const FIXTURES = 'tests/fixtures/census';
const BANDS = ['18-24', '25-39', '40-54', '55-64', '65+'].map((text) => {
  const band = parseAgeBand(text);
  if (band === undefined) throw new Error(text);
  return band;
});

function rows(file: string, kind: 'csp' | 'diploma') {
  const labels = kind === 'csp' ? CSP_LABELS : DIPLOMA_LABELS;
  const parsed = parseCensusCsv(
    readFileSync(`${FIXTURES}/${file}`, 'utf8'),
    kind,
    Object.keys(labels),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rows;
}

const cspRows = rows('made-up-town-csp.csv', 'csp');
const diplomaRows = rows('made-up-town-diploma.csv', 'diploma');

/** The made-up town's plan: sex x age crossed, CSP and diploma marginal, census kept. */
const townPlan = buildPlan(cspRows, diplomaRows, {
  site: 'made-up-town',
  questionnaire: 'smpg',
  sampleSize: 900,
  tolerance: 0.05,
  ageBands: BANDS,
  items: { sex: 'sex', age: 'age', csp: 'csp', diploma: 'diploma' },
  cspLabels: CSP_LABELS,
  diplomaLabels: DIPLOMA_LABELS,
});

/** mulberry32, as the fieldwork simulation: the same sample for the same seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The town's adults as kinds of passers-by: sex x age x CSP from the CSP table (narrowed as the
 * plan is), each split by diploma in the proportions of its sex and census age band.
 */
function passersBy(): { categories: Sample; weight: number }[] {
  const diplomaBy = new Map<string, Map<string, number>>();
  for (const row of diplomaRows) {
    const key = `${row.sex}|${row.age.code}`;
    const groups = diplomaBy.get(key) ?? new Map<string, number>();
    groups.set(row.group, (groups.get(row.group) ?? 0) + row.count);
    diplomaBy.set(key, groups);
  }
  const out: { categories: Sample; weight: number }[] = [];
  for (const row of cspRows) {
    const groups = diplomaBy.get(`${row.sex}|${row.age.code}`);
    if (groups === undefined) throw new Error(`no diploma row for ${row.sex} ${row.age.code}`);
    const total = [...groups.values()].reduce((a, b) => a + b, 0);
    for (const band of BANDS as readonly AgeBand[]) {
      const share = overlap(row.age, band);
      if (share === 'cannot_split' || share <= 0) continue;
      for (const [diploma, n] of groups) {
        const weight = (row.count * share * n) / total;
        if (weight > 0)
          out.push({
            categories: { sex: row.sex, age: band.code, csp: row.group, diploma },
            weight,
          });
      }
    }
  }
  return out;
}

/**
 * A quota sample as interviewers make one: passers-by drawn from the town, the young, the
 * retired and the least educated harder to interview, each accepted while every cell they fall in
 * is under its site limit (target + 5 %), until 900 are in or the day is over.
 */
function quotaSample(plan: QuotaPlan, seed: number): Sample[] {
  const random = generator(seed);
  const kinds = passersBy().map((kind) => {
    const { age, csp, diploma } = kind.categories;
    const reluctance =
      (age === '18-24' ? 0.5 : 1) * (csp === '7' ? 0.6 : 1) * (diploma === '1' ? 0.5 : 1);
    return { categories: kind.categories, weight: kind.weight * reluctance };
  });
  const total = kinds.reduce((sum, kind) => sum + kind.weight, 0);
  const draw = () => {
    let left = random() * total;
    for (const kind of kinds) {
      left -= kind.weight;
      if (left < 0) return kind.categories;
    }
    return kinds[kinds.length - 1]?.categories ?? {};
  };
  const limits = new Map<string, number>();
  for (const table of plan.tables)
    for (const cell of table.cells)
      limits.set(`${table.id}/${cell.key.join('|')}`, siteLimit(plan, cell.target));
  const counts = new Map<string, number>();
  const sample: Sample[] = [];
  for (let approach = 0; approach < 200_000 && sample.length < plan.sampleSize; approach++) {
    const categories = draw();
    const cells = cellsOf(plan, categories).map(({ table, key }) => `${table}/${key}`);
    if (cells.some((cell) => (counts.get(cell) ?? 0) >= (limits.get(cell) ?? 0))) continue;
    for (const cell of cells) counts.set(cell, (counts.get(cell) ?? 0) + 1);
    sample.push(categories);
  }
  return sample;
}

const sum = (values: readonly (number | undefined)[]) =>
  values.reduce<number>((total, value) => total + (value ?? 0), 0);

function cellOf(result: RakedWeights, table: string, key: string) {
  const found = result.margins
    .find((entry) => entry.table === table)
    ?.cells.find((entry) => entry.key.join('|') === key);
  if (found === undefined) throw new Error(`no cell ${table} ${key}`);
  return found;
}

/** A small plan: sex x age crossed (one table), census counts on every cell. */
function sexAgePlan(census: readonly number[] = [120, 180, 260, 440]): QuotaPlan {
  const keys = [
    ['1', 'young'],
    ['1', 'old'],
    ['2', 'young'],
    ['2', 'old'],
  ];
  const total = census.reduce((a, b) => a + b, 0);
  const targets = census.map((n) => Math.round((n / total) * 100));
  targets[3] = 100 - (targets[0] ?? 0) - (targets[1] ?? 0) - (targets[2] ?? 0);
  return {
    site: 'test',
    questionnaire: 'smpg',
    sampleSize: 100,
    tolerance: 0.05,
    variables: [
      {
        id: 'sex',
        source: { item: 'sex' },
        categories: [
          { code: '1', label: { fr: 'Homme', en: 'Man' } },
          { code: '2', label: { fr: 'Femme', en: 'Woman' } },
        ],
      },
      { id: 'age', source: { item: 'age' }, categories: [{ code: 'young' }, { code: 'old' }] },
    ],
    tables: [
      {
        id: 'sex_age',
        variables: ['sex', 'age'],
        cells: keys.map((key, i) => ({
          key,
          target: targets[i] ?? 0,
          census: census[i] ?? 0,
        })),
      },
    ],
  };
}

/** `n` copies of a sample. */
const times = (n: number, sample: Sample): Sample[] => Array.from({ length: n }, () => sample);

describe('rakeWeights: post-stratification (one table)', () => {
  it('weights each cell by its census share over its sample share, in one step', () => {
    const plan = sexAgePlan();
    expect(loadQuotaPlan(plan).status).toBe('success');
    const samples = [
      ...times(20, { sex: '1', age: 'young' }),
      ...times(20, { sex: '1', age: 'old' }),
      ...times(30, { sex: '2', age: 'young' }),
      ...times(30, { sex: '2', age: 'old' }),
    ];
    const result = rakeWeights(plan, samples);
    expect(result.method).toBe('post-stratification');
    expect(result.basis).toBe('census');
    expect(result.iterations).toBe(1);
    expect(result.converged).toBe(true);
    // Census shares 0.12, 0.18, 0.26, 0.44 of 100 samples, over 20, 20, 30, 30.
    expect(result.weights[0]).toBeCloseTo(12 / 20, 12);
    expect(result.weights[20]).toBeCloseTo(18 / 20, 12);
    expect(result.weights[40]).toBeCloseTo(26 / 30, 12);
    expect(result.weights[99]).toBeCloseTo(44 / 30, 12);
    expect(sum(result.weights)).toBeCloseTo(100, 9);
    expect(result.maxDeviation).toBeLessThan(1e-12);
    expect(cellOf(result, 'sex_age', '2|old')).toMatchObject({
      census: 440,
      target: 44,
      sample: 30,
      sampleShare: 0.3,
    });
    expect(cellOf(result, 'sex_age', '2|old').censusShare).toBeCloseTo(0.44, 12);
    expect(cellOf(result, 'sex_age', '2|old').weighted).toBeCloseTo(44, 9);
    expect(cellOf(result, 'sex_age', '2|old').weightedShare).toBeCloseTo(0.44, 12);
  });

  it('aims at the targets when the plan has no census counts, and says so', () => {
    const plan = sexAgePlan();
    const bare: QuotaPlan = {
      ...plan,
      tables: [
        {
          id: 'sex_age',
          variables: ['sex', 'age'],
          cells: [
            { key: ['1', 'young'], target: 10 },
            { key: ['1', 'old'], target: 20 },
            { key: ['2', 'young'], target: 30 },
            { key: ['2', 'old'], target: 40 },
          ],
        },
      ],
    };
    const samples = [
      ...times(25, { sex: '1', age: 'young' }),
      ...times(25, { sex: '1', age: 'old' }),
      ...times(25, { sex: '2', age: 'young' }),
      ...times(25, { sex: '2', age: 'old' }),
    ];
    const result = rakeWeights(bare, samples);
    expect(result.basis).toBe('targets');
    expect(result.weights[0]).toBeCloseTo(0.4, 12);
    expect(result.weights[99]).toBeCloseTo(1.6, 12);
    expect(cellOf(result, 'sex_age', '1|young').census).toBeUndefined();
    expect(cellOf(result, 'sex_age', '1|young').censusShare).toBeCloseTo(0.1, 12);
  });
});

describe('rakeWeights: raking on the made-up town (sex x age, CSP, diploma)', () => {
  const sample = quotaSample(townPlan, 1);

  it('draws a quota sample that fills the plan, off the census within the tolerance', () => {
    expect(sample).toHaveLength(900);
    const result = rakeWeights(townPlan, sample, { bounds: false, maxIterations: 0 });
    // Unweighted, the sample is off the census shares: the weights have work to do.
    const off = Math.max(
      ...result.margins.flatMap((table) =>
        table.cells.map((cell) => Math.abs(cell.sampleShare - cell.censusShare)),
      ),
    );
    expect(off).toBeGreaterThan(0.002);
  });

  it.each([1, 2, 3])(
    'converges with the default trimming; weighted shares are the census shares (seed %i)',
    (seed) => {
      const samples = seed === 1 ? sample : quotaSample(townPlan, seed);
      const result = rakeWeights(townPlan, samples);
      expect(result.method).toBe('raking');
      expect(result.basis).toBe('census');
      expect(result.converged).toBe(true);
      expect(result.iterations).toBeGreaterThan(1);
      expect(result.iterations).toBeLessThan(100);
      expect(result.maxDeviation).toBeLessThan(1e-6);
      expect(result.excluded).toBe(0);
      expect(result.emptyCells).toEqual([]);
      expect(sum(result.weights)).toBeCloseTo(samples.length, 6);
      expect(result.margins.map((table) => table.cells.length)).toEqual([10, 8, 7]);
      for (const table of result.margins) {
        const census = sum(table.cells.map((cell) => cell.census));
        for (const cell of table.cells) {
          const share = (cell.census ?? Number.NaN) / census;
          expect(Math.abs(cell.weightedShare - share)).toBeLessThan(1e-6);
          // 0.1 % of the cell's own share, as the issue asks of an R session.
          expect(Math.abs(cell.weightedShare - share)).toBeLessThanOrEqual(0.001 * share);
          expect(cell.sample).toBeGreaterThan(0);
        }
      }
      // Weighted counts recomputed from the weights themselves, not from the margins.
      const women = samples.reduce(
        (total, each, i) => total + (each['sex'] === '2' ? (result.weights[i] ?? 0) : 0),
        0,
      );
      const womenShare = sum(
        result.margins[0]?.cells.filter((cell) => cell.key[0] === '2').map((c) => c.censusShare) ??
          [],
      );
      expect(women / samples.length).toBeCloseTo(womenShare, 7);
    },
  );

  it('keeps every weight within the default bounds', () => {
    const result = rakeWeights(townPlan, sample);
    const defined = result.weights.filter((w): w is number => w !== undefined);
    expect(Math.min(...defined)).toBeGreaterThanOrEqual(0.2 - 1e-9);
    expect(Math.max(...defined)).toBeLessThanOrEqual(5 + 1e-9);
    expect(result.bounds).toEqual({ lower: 0.2, upper: 5 });
  });
});

/** Two marginal tables (sex, age) over a skewed sample: raking must push some weights far. */
function marginalPlan(): QuotaPlan {
  const plan = sexAgePlan();
  return {
    ...plan,
    tables: [
      {
        id: 'sex',
        variables: ['sex'],
        cells: [
          { key: ['1'], target: 50, census: 500 },
          { key: ['2'], target: 50, census: 500 },
        ],
      },
      {
        id: 'age',
        variables: ['age'],
        cells: [
          { key: ['young'], target: 50, census: 500 },
          { key: ['old'], target: 50, census: 500 },
        ],
      },
    ],
  };
}

const skewed = [
  ...times(70, { sex: '1', age: 'old' }),
  ...times(10, { sex: '1', age: 'young' }),
  ...times(16, { sex: '2', age: 'old' }),
  ...times(4, { sex: '2', age: 'young' }),
];

describe('rakeWeights: trimming', () => {
  it('holds every weight within the bounds and still meets the margins when it can', () => {
    const plan = marginalPlan();
    const free = rakeWeights(plan, skewed, { bounds: false });
    expect(free.converged).toBe(true);
    const freeMax = Math.max(...free.weights.map((w) => w ?? 0));
    expect(freeMax).toBeGreaterThan(4);
    const bounds = { lower: 0.1, upper: 4 };
    const bounded = rakeWeights(plan, skewed, { bounds });
    expect(bounded.converged).toBe(true);
    expect(bounded.maxDeviation).toBeLessThan(1e-8);
    expect(bounded.trimmed).toBeGreaterThan(0);
    expect(bounded.bounds).toEqual(bounds);
    const mean = sum(bounded.weights) / skewed.length;
    expect(mean).toBeCloseTo(1, 12);
    for (const w of bounded.weights) {
      expect(w ?? Number.NaN).toBeGreaterThanOrEqual(0.1 - 1e-9);
      expect(w ?? Number.NaN).toBeLessThanOrEqual(4 + 1e-9);
    }
  });

  it('does not converge when the bounds cannot meet a margin, and still sums to n', () => {
    // 20 women must carry half the weight: a mean of 2.5 each, above an upper bound of 2.
    const result = rakeWeights(marginalPlan(), skewed, { bounds: { lower: 0.5, upper: 2 } });
    expect(result.converged).toBe(false);
    expect(result.maxDeviation).toBeGreaterThan(0.05);
    expect(result.iterations).toBeLessThan(1000);
    expect(sum(result.weights)).toBeCloseTo(100, 9);
    // The bounds hold all the same, the young (14 of them for half the weight) at the upper one.
    expect(result.trimmed).toBe(14);
    expect(result.weights.slice(70, 80)).toEqual(Array.from({ length: 10 }, () => 2));
    for (const w of result.weights) {
      expect(w ?? Number.NaN).toBeGreaterThanOrEqual(0.5 - 1e-9);
      expect(w ?? Number.NaN).toBeLessThanOrEqual(2 + 1e-9);
    }
  });

  it('refuses bounds that leave out the mean weight', () => {
    expect(() => rakeWeights(marginalPlan(), skewed, { bounds: { lower: 1.2, upper: 5 } })).toThrow(
      RangeError,
    );
    expect(() =>
      rakeWeights(marginalPlan(), skewed, { bounds: { lower: 0.2, upper: 0.9 } }),
    ).toThrow(RangeError);
  });
});

describe('rakeWeights: exclusions, empty and zero cells', () => {
  it('leaves a sample without a weight when a category is missing or unknown', () => {
    const samples: Sample[] = [
      ...skewed,
      { sex: '1' },
      { sex: '3', age: 'old' },
      { sex: '2', age: 'constructor' },
    ];
    const result = rakeWeights(marginalPlan(), samples, { bounds: false });
    expect(result.excluded).toBe(3);
    expect(result.weighted).toBe(100);
    expect(result.weights.slice(100)).toEqual([undefined, undefined, undefined]);
    expect(result.weights.slice(0, 100).every((w) => w !== undefined && w > 0)).toBe(true);
    expect(sum(result.weights)).toBeCloseTo(100, 9);
    expect(result.converged).toBe(true);
    // Sample shares are over the samples weighted.
    expect(cellOf(result, 'sex', '1').sampleShare).toBeCloseTo(0.8, 12);
  });

  it('names a cell with census but no sample, and does not converge', () => {
    const plan = sexAgePlan();
    const samples = [
      ...times(20, { sex: '1', age: 'young' }),
      ...times(30, { sex: '2', age: 'young' }),
      ...times(30, { sex: '2', age: 'old' }),
    ];
    const result = rakeWeights(plan, samples);
    expect(result.converged).toBe(false);
    expect(result.emptyCells).toEqual([{ table: 'sex_age', key: '1|old' }]);
    expect(result.maxDeviation).toBeCloseTo(0.18, 9);
    expect(sum(result.weights)).toBeCloseTo(80, 9);
    // The empty cell's share is spread over the others in proportion: 0.12 / 0.82 of 80...
    expect(cellOf(result, 'sex_age', '1|young').weighted).toBeCloseTo((0.12 / 0.82) * 80, 9);
  });

  it('weights 0 the samples of a cell the census says is empty, the rest raked as usual', () => {
    const plan = sexAgePlan([120, 0, 260, 440]);
    expect(loadQuotaPlan(plan).status).toBe('success');
    const samples = [
      ...times(20, { sex: '1', age: 'young' }),
      ...times(2, { sex: '1', age: 'old' }),
      ...times(30, { sex: '2', age: 'young' }),
      ...times(48, { sex: '2', age: 'old' }),
    ];
    const result = rakeWeights(plan, samples);
    expect(result.converged).toBe(true);
    expect(result.zeroCells).toEqual([{ table: 'sex_age', key: '1|old' }]);
    expect(result.zeroWeighted).toBe(2);
    expect(result.weights.slice(20, 22)).toEqual([0, 0]);
    expect(result.weighted).toBe(100);
    expect(sum(result.weights)).toBeCloseTo(100, 9);
    expect(cellOf(result, 'sex_age', '1|old')).toMatchObject({ sample: 2, weighted: 0 });
    expect(cellOf(result, 'sex_age', '2|old').weightedShare).toBeCloseTo(440 / 820, 12);
  });
});

/**
 * A random plan: 2 to 4 variables, their categories, in 1 to 3 tables over disjoint variables,
 * census counts from `least` to 1000; and its samples.
 */
const planArbitrary = (least: number) =>
  fc
    .array(fc.integer({ min: 2, max: 4 }), { minLength: 2, maxLength: 4 })
    .chain((sizes) =>
      fc.record({
        sizes: fc.constant(sizes),
        // Which table each variable goes to (table ids renumbered to those used).
        groups: fc.array(fc.integer({ min: 0, max: 2 }), {
          minLength: sizes.length,
          maxLength: sizes.length,
        }),
        census: fc.array(fc.double({ min: least, max: 1000, noNaN: true }), {
          minLength: 64,
          maxLength: 64,
        }),
        extra: fc.array(fc.nat({ max: 10_000 }), { maxLength: 300 }),
      }),
    )
    .map(({ sizes, groups, census, extra }) => {
      const variables = sizes.map((size, v) => ({
        id: `v${v}`,
        source: { item: `v${v}` },
        categories: Array.from({ length: size }, (_, c) => ({ code: `c${c}` })),
      }));
      const used = [...new Set(groups)];
      let next = 0;
      const tables = used.map((group, t) => {
        const members = variables.filter((_, v) => groups[v] === group).map((each) => each.id);
        const keys = members.reduce<string[][]>(
          (acc, id) =>
            acc.flatMap((prefix) =>
              (variables.find((each) => each.id === id)?.categories ?? []).map((category) => [
                ...prefix,
                category.code,
              ]),
            ),
          [[]],
        );
        return {
          id: `t${t}`,
          variables: members,
          cells: keys.map((key, c) => ({
            key,
            target: c === 0 ? 10 : 0,
            census: census[next++ % census.length] ?? 1,
          })),
        };
      });
      const plan: QuotaPlan = {
        site: 'random',
        questionnaire: 'smpg',
        sampleSize: 10,
        tolerance: 0,
        variables,
        tables,
      };
      // Every combination of every variable once (every cell of every table populated, and a
      // solution exists), then random extra samples.
      const all = variables.reduce<Record<string, string>[]>(
        (acc, variable) =>
          acc.flatMap((prefix) =>
            variable.categories.map((category) => ({ ...prefix, [variable.id]: category.code })),
          ),
        [{}],
      );
      const samples: Sample[] = [...all, ...extra.map((n) => all[n % all.length] ?? {})];
      return { plan, samples };
    });

describe('rakeWeights: property', () => {
  it('on random plans and samples with every cell populated, converges and meets the margins', () => {
    fc.assert(
      fc.property(planArbitrary(0.5), ({ plan, samples }) => {
        expect(loadQuotaPlan(plan).status).toBe('success');
        const result = rakeWeights(plan, samples, { bounds: false });
        expect(result.method).toBe(plan.tables.length === 1 ? 'post-stratification' : 'raking');
        expect(result.converged).toBe(true);
        expect(result.maxDeviation).toBeLessThanOrEqual(1e-8);
        expect(sum(result.weights)).toBeCloseTo(samples.length, 6);
        expect(result.weights.every((w) => w !== undefined && w > 0)).toBe(true);
      }),
      { seed: 27, numRuns: 200 },
    );
  });

  it('with the default bounds, weights within them whenever the margins are met', () => {
    let converged = 0;
    fc.assert(
      fc.property(planArbitrary(200), ({ plan, samples }) => {
        const result = rakeWeights(plan, samples);
        expect(sum(result.weights)).toBeCloseTo(samples.length, 6);
        if (!result.converged) return;
        converged++;
        expect(result.maxDeviation).toBeLessThanOrEqual(1e-8);
        for (const w of result.weights) {
          expect(w ?? Number.NaN).toBeGreaterThanOrEqual(0.2 - 1e-9);
          expect(w ?? Number.NaN).toBeLessThanOrEqual(5 + 1e-9);
        }
      }),
      { seed: 27, numRuns: 200 },
    );
    // Most random plans can be met within the bounds: the check above ran, often.
    expect(converged).toBeGreaterThan(50);
  });
});
