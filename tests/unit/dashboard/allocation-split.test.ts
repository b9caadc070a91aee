// Splitting a plan among interviewers on the dashboard: every cell keeps its exact target, shares
// follow the weights within one interview, leftovers rotate, and the server's plan checks pass.
import { describe, expect, it } from 'vitest';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import { allocate, loadQuotaPlan } from '../../../src/core/quota/index.ts';
import { splitTargets, typedCodes } from '../../../src/dashboard/allocations.ts';

const PLAN: QuotaPlan = {
  site: 'lille',
  questionnaire: 'demo',
  sampleSize: 16,
  tolerance: 0,
  variables: [
    {
      id: 'age',
      source: {
        item: 'age',
        bands: [
          { code: 'a', max: 29 },
          { code: 'b', min: 30 },
        ],
      },
      categories: [{ code: 'a' }, { code: 'b' }],
    },
    {
      id: 'sex',
      source: { item: 'sex' },
      categories: [{ code: '1' }, { code: '2' }],
    },
  ],
  tables: [
    {
      id: 'age',
      variables: ['age'],
      cells: [
        { key: ['a'], target: 7 },
        { key: ['b'], target: 9 },
      ],
    },
    {
      id: 'sexage',
      variables: ['sex', 'age'],
      cells: [
        { key: ['1', 'a'], target: 4 },
        { key: ['1', 'b'], target: 5 },
        { key: ['2', 'a'], target: 3 },
        { key: ['2', 'b'], target: 4 },
      ],
    },
  ],
};

const cellsOf = (plan: QuotaPlan) =>
  plan.tables.flatMap((table) =>
    table.cells.map((cell) => ({ table: table.id, key: cell.key.join('|'), target: cell.target })),
  );

describe('splitTargets', () => {
  it('gives every cell exactly its target, and the server’s plan checks accept the result', () => {
    const split = splitTargets(PLAN, [
      { interviewer: 'ENQ01', weight: 1 },
      { interviewer: 'ENQ02', weight: 1 },
      { interviewer: 'ENQ03', weight: 1 },
    ]);
    expect(split).toHaveLength(3);
    for (const { table, key, target } of cellsOf(PLAN)) {
      const shares = (split ?? []).map((entry) => entry.targets[table]?.[key] ?? NaN);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(target);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
    expect(loadQuotaPlan({ ...PLAN, allocations: split }).status).toBe('success');
  });

  it('with equal weights, splits as `npm run quota:plan --interviewers` does', () => {
    const codes = ['ENQ01', 'ENQ02', 'ENQ03'];
    expect(
      splitTargets(
        PLAN,
        codes.map((interviewer) => ({ interviewer, weight: 1 })),
      ),
    ).toEqual(allocate(PLAN, codes));
  });

  it('rotates who gets a cell’s leftover interview', () => {
    const split = splitTargets(PLAN, [
      { interviewer: 'ENQ01', weight: 1 },
      { interviewer: 'ENQ02', weight: 1 },
    ]);
    // age/a = 7 and age/b = 9: one leftover each, to a different interviewer.
    expect(split?.[0]?.targets['age']).toEqual({ a: 4, b: 4 });
    expect(split?.[1]?.targets['age']).toEqual({ a: 3, b: 5 });
  });

  it('follows the weights by the largest remainder method', () => {
    const split = splitTargets(PLAN, [
      { interviewer: 'FULL', weight: 2 },
      { interviewer: 'HALF', weight: 1 },
      { interviewer: 'OFF', weight: 0 },
    ]);
    // 9 x 2/3 = 6 and 9 x 1/3 = 3 exactly; 7 x 2/3 = 4.67 and 7 x 1/3 = 2.33: the larger remainder wins.
    expect(split?.map((entry) => entry.targets['age'])).toEqual([
      { a: 5, b: 6 },
      { a: 2, b: 3 },
      { a: 0, b: 0 },
    ]);
  });

  it('gives nothing to split among when no one or no positive weight is given', () => {
    expect(splitTargets(PLAN, [])).toBeUndefined();
    expect(splitTargets(PLAN, [{ interviewer: 'ENQ01', weight: 0 }])).toBeUndefined();
    expect(splitTargets(PLAN, [{ interviewer: 'ENQ01', weight: Number.NaN }])).toBeUndefined();
  });
});

describe('typedCodes', () => {
  it('reads codes separated by commas, semicolons, spaces or lines, each once', () => {
    expect(typedCodes(' ENQ01, ENQ02;ENQ03\nENQ01  ')).toEqual(['ENQ01', 'ENQ02', 'ENQ03']);
    expect(typedCodes('  ')).toEqual([]);
  });
});
