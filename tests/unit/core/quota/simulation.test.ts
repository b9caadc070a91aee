// Quotas that hold when every tablet is offline all day (issue #21): 20 tablets, passers-by in the
// census proportions of a made-up town, each tablet deciding with `decide` on what it knows and
// syncing at random times, the server re-pooling the shares at each sync.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { censusScenario, simulate } from '../../../../src/core/quota/simulation.ts';

const csv = readFileSync('tests/fixtures/census/made-up-town-csp.csv', 'utf8');
const { plan, population } = censusScenario(csv, { sampleSize: 900, tolerance: 0.05 });

describe('a day of 20 offline tablets', () => {
  it('has a plan of 18 cells and passers-by of every cell', () => {
    expect(plan.tables.map((table) => table.cells.length)).toEqual([10, 8]);
    expect(population.length).toBeGreaterThan(18);
  });

  it.each([1, 2, 3])(
    're-pooled at each sync, fills 900 with no cell over its limit (seed %i)',
    (seed) => {
      const result = simulate({ plan, population, mode: 'repool', seed });
      expect(result.over).toEqual([]);
      expect(result.filled).toBe(true);
      expect(result.completed).toBe(900);
      expect(result.syncs).toBeGreaterThan(20);
      // Tablets synced with an interview open, reported as a draft and counted by re-pooling.
      expect(result.syncsWithDraft).toBeGreaterThan(0);
    },
  );

  it('without shares, tablets counting only what they know overfill cells', () => {
    // What the issue measured: the rule re-pooling replaces. A test that the simulation can fail.
    const result = simulate({ plan, population, mode: 'alone', seed: 1 });
    expect(result.over.length).toBeGreaterThan(0);
  });

  it('needs more approaches than pooled counts, and fewer than shares that never move', () => {
    const pooled = simulate({ plan, population, mode: 'pooled', seed: 1 });
    const repooled = simulate({ plan, population, mode: 'repool', seed: 1 });
    const fixed = simulate({ plan, population, mode: 'fixed', seed: 1 });
    expect(pooled.filled).toBe(true);
    expect(pooled.over).toEqual([]);
    expect(repooled.approaches).toBeGreaterThan(pooled.approaches);
    expect(fixed.over).toEqual([]);
    // Shares that never move end the day short of 900, or reach it later than re-pooled ones.
    expect(!fixed.filled || fixed.approaches > repooled.approaches).toBe(true);
  });

  it('gives the same day for the same seed', () => {
    expect(simulate({ plan, population, mode: 'repool', seed: 7 })).toEqual(
      simulate({ plan, population, mode: 'repool', seed: 7 }),
    );
  });
});
