// Re-pooling shares at a sync (src/core/quota/pool.ts): the invariants that keep offline tablets
// from overfilling a cell, checked on random plans, shares and counts, and the moves it makes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Allocation, InterviewerCounts, QuotaPlan } from '../../../../src/core/quota/index.ts';
import {
  equalAllocations,
  loadQuotaPlan,
  repool,
  siteLimit,
} from '../../../../src/core/quota/index.ts';

/** One table of `targets.length` cells (`c0`, `c1`...), sample size their sum. */
function planOf(targets: readonly number[], tolerance: number, allocations?: Allocation[]) {
  const codes = targets.map((_, i) => `c${i}`);
  const plan: QuotaPlan = {
    site: 's',
    questionnaire: 'q',
    sampleSize: targets.reduce((a, b) => a + b, 0),
    tolerance,
    variables: [{ id: 'v', source: { item: 'v' }, categories: codes.map((code) => ({ code })) }],
    tables: [
      {
        id: 't',
        variables: ['v'],
        cells: codes.map((code, i) => ({ key: [code], target: targets[i] ?? 0 })),
      },
    ],
    ...(allocations === undefined ? {} : { allocations }),
  };
  return plan;
}

const share = (allocations: readonly Allocation[], who: string, key: string) =>
  allocations.find((entry) => entry.interviewer === who)?.targets['t']?.[key] ?? 0;

/** A random site: targets, interviewers' valid shares, what each did within their share. */
const site = fc
  .record({
    targets: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
    tolerance: fc.constantFrom(0, 0.05, 0.1, 0.25),
    people: fc.integer({ min: 1, max: 6 }),
    seed: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      minLength: 60,
      maxLength: 60,
    }),
    settledMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  })
  .map(({ targets, tolerance, people, seed, settledMask }) => {
    const interviewers = Array.from({ length: people }, (_, i) => `E${i}`);
    let r = 0;
    const next = () => seed[r++ % seed.length] ?? 0;
    const base = planOf(targets, tolerance);
    // Valid shares: each cell's limit split at random; done somewhere within each share.
    const allocations: Allocation[] = interviewers.map((interviewer) => ({
      interviewer,
      targets: { t: {} },
    }));
    const done: Record<string, Record<string, Record<string, number>>> = {};
    targets.forEach((target, c) => {
      let left = siteLimit(base, target);
      for (const entry of allocations) {
        const given = Math.floor(next() * (left + 1));
        left -= given;
        (entry.targets['t'] ??= {})[`c${c}`] = given;
        ((done[entry.interviewer] ??= {})['t'] ??= {})[`c${c}`] = Math.floor(next() * (given + 1));
      }
    });
    const settled = interviewers.filter((_, i) => settledMask[i] === true);
    return {
      plan: planOf(targets, tolerance, allocations),
      done: done as InterviewerCounts,
      settled,
    };
  });

describe('repool', () => {
  it('keeps every cell within its limit, nobody below what they did, the unsettled not lowered', () => {
    fc.assert(
      fc.property(site, ({ plan, done, settled }) => {
        const after = repool(plan, done, { settled });
        expect(loadQuotaPlan({ ...plan, allocations: after }).status).toBe('success');
        for (const cell of plan.tables[0]?.cells ?? []) {
          const key = cell.key.join('|');
          const limit = siteLimit(plan, cell.target);
          let sum = 0;
          for (const entry of after) {
            const n = share(after, entry.interviewer, key);
            const did = done[entry.interviewer]?.['t']?.[key] ?? 0;
            const before = share(plan.allocations ?? [], entry.interviewer, key);
            sum += n;
            expect(n).toBeGreaterThanOrEqual(did);
            if (settled.includes(entry.interviewer)) {
              // Room kept for an interview that may be open on the tablet.
              expect(n).toBeGreaterThanOrEqual(did + Math.min(1, before - did));
            } else {
              expect(n).toBeGreaterThanOrEqual(before);
            }
          }
          expect(sum).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays within the limits even when some did more than their share, or the cell is over', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 12, maxLength: 12 }),
        fc.subarray(['E0', 'E1', 'E2']),
        (targets, shares, counts, settled) => {
          const interviewers = ['E0', 'E1', 'E2'];
          // Any shares (valid or not) and any counts: the result must be a valid plan.
          const allocations = interviewers.map((interviewer, i) => ({
            interviewer,
            targets: {
              t: Object.fromEntries(targets.map((_, c) => [`c${c}`, shares[i * 4 + c] ?? 0])),
            },
          }));
          const done: InterviewerCounts = Object.fromEntries(
            interviewers.map((interviewer, i) => [
              interviewer,
              { t: Object.fromEntries(targets.map((_, c) => [`c${c}`, counts[i * 4 + c] ?? 0])) },
            ]),
          );
          const plan = planOf(targets, 0.1, allocations);
          const after = repool(plan, done, { settled });
          for (const cell of plan.tables[0]?.cells ?? []) {
            const key = cell.key.join('|');
            const limit = siteLimit(plan, cell.target);
            const did = interviewers.map((who) => done[who]?.['t']?.[key] ?? 0);
            const total = did.reduce((a, b) => a + b, 0);
            const sum = interviewers.reduce((acc, who) => acc + share(after, who, key), 0);
            expect(sum).toBeLessThanOrEqual(limit);
            // Never below done while what was done fits in the cell.
            if (total <= limit)
              interviewers.forEach((who, i) =>
                expect(share(after, who, key)).toBeGreaterThanOrEqual(did[i] ?? 0),
              );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('moves what a settled interviewer left unused to the next one who syncs', () => {
    // One cell of 20 (limit 21 with 5 %), two interviewers with 10 each.
    const plan = planOf([20], 0.05, equalAllocations(planOf([20], 0.05), ['A', 'B']));
    expect(share(plan.allocations ?? [], 'A', 'c0')).toBe(10);
    // B filled their 10; A, behind, did 2. A syncs: keeps 2 done + a fair part of the 9 left
    // (ceil(9 / 2) = 5): 7; the rest is free.
    const done = { A: { t: { c0: 2 } }, B: { t: { c0: 10 } } };
    const afterA = repool(plan, done, { settled: ['A'] });
    expect(share(afterA, 'A', 'c0')).toBe(7);
    expect(share(afterA, 'B', 'c0')).toBe(10);
    // B syncs next: takes the free shares, the tolerance among them: 10 + 4 (21 - 7 - 10).
    const afterB = repool({ ...plan, allocations: afterA }, done, { settled: ['B'] });
    expect(share(afterB, 'B', 'c0')).toBe(14);
    expect(share(afterB, 'A', 'c0') + share(afterB, 'B', 'c0')).toBe(21);
  });

  it('keeps one of a settled interviewer’s room, as an interview may be open on the tablet', () => {
    // Limit 10, nothing left for anyone else: A did 3 of 5, B did 5 of 5.
    const allocations = [
      { interviewer: 'A', targets: { t: { c0: 5 } } },
      { interviewer: 'B', targets: { t: { c0: 5 } } },
    ];
    const plan = planOf([10], 0, allocations);
    const after = repool(plan, { A: { t: { c0: 3 } }, B: { t: { c0: 5 } } }, { settled: ['A'] });
    // Fair part: ceil(2 / 2) = 1 over done, and one of room kept anyway: A 4, 1 free.
    expect(share(after, 'A', 'c0')).toBe(4);
    expect(share(after, 'B', 'c0')).toBe(5);
  });

  it('gives a newcomer the server has seen a share once they sync, and none before', () => {
    const plan = planOf([10], 0, [{ interviewer: 'A', targets: { t: { c0: 4 } } }]);
    const unseen = repool(plan, { A: { t: { c0: 1 } } }, { settled: [], known: ['A', 'N'] });
    expect(unseen.map((entry) => entry.interviewer)).toEqual(['A', 'N']);
    expect(share(unseen, 'N', 'c0')).toBe(0);
    const synced = repool(plan, { A: { t: { c0: 1 } } }, { settled: ['N'], known: ['A', 'N'] });
    // 9 left in the cell, 2 interviewers: a fair part of 5, taken from the 6 free.
    expect(share(synced, 'N', 'c0')).toBe(5);
    expect(share(synced, 'A', 'c0')).toBe(4);
  });

  it('never lowers a share below done + the drafts open in the cell', () => {
    // Limit 10: A did 3 of 5 and has two interviews of the cell open on their tablet; B did 5.
    const allocations = [
      { interviewer: 'A', targets: { t: { c0: 5 } } },
      { interviewer: 'B', targets: { t: { c0: 5 } } },
    ];
    const plan = planOf([10], 0, allocations);
    const done = { A: { t: { c0: 3 } }, B: { t: { c0: 5 } } };
    // Without the drafts A would keep 4 (one of room): one of the two open would pass the share.
    const after = repool(plan, done, { settled: ['A'], drafts: { A: { t: { c0: 2 } } } });
    expect(share(after, 'A', 'c0')).toBe(5);
    expect(share(after, 'B', 'c0')).toBe(5);
  });

  it('gives an interviewer known only by their drafts a share that covers them', () => {
    const plan = planOf([10], 0, [{ interviewer: 'A', targets: { t: { c0: 4 } } }]);
    const after = repool(
      plan,
      { A: { t: { c0: 1 } } },
      {
        settled: [],
        drafts: { N: { t: { c0: 2 } } },
      },
    );
    expect(share(after, 'N', 'c0')).toBe(2);
    expect(share(after, 'A', 'c0')).toBe(4);
  });

  it('keeps done + drafts for everyone when they fit, the limit always', () => {
    fc.assert(
      fc.property(
        site,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 30, maxLength: 30 }),
        ({ plan, done, settled }, open) => {
          const drafts: Record<string, Record<string, Record<string, number>>> = {};
          let r = 0;
          for (const entry of plan.allocations ?? [])
            for (const cell of plan.tables[0]?.cells ?? [])
              ((drafts[entry.interviewer] ??= {})['t'] ??= {})[cell.key.join('|')] =
                open[r++ % open.length] ?? 0;
          const after = repool(plan, done, { settled, drafts });
          expect(loadQuotaPlan({ ...plan, allocations: after }).status).toBe('success');
          for (const cell of plan.tables[0]?.cells ?? []) {
            const key = cell.key.join('|');
            const limit = siteLimit(plan, cell.target);
            const people = (plan.allocations ?? []).map((entry) => entry.interviewer);
            const did = people.map((who) => done[who]?.['t']?.[key] ?? 0);
            const held = people.map((who, i) => (did[i] ?? 0) + (drafts[who]?.['t']?.[key] ?? 0));
            const sum = people.reduce((acc, who) => acc + share(after, who, key), 0);
            expect(sum).toBeLessThanOrEqual(limit);
            const fits = held.reduce((a, b) => a + b, 0) <= limit;
            people.forEach((who, i) => {
              expect(share(after, who, key)).toBeGreaterThanOrEqual(did[i] ?? 0);
              if (fits) expect(share(after, who, key)).toBeGreaterThanOrEqual(held[i] ?? 0);
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shares a cell already over its limit as done, scaled down to the limit', () => {
    const plan = planOf([4], 0, [{ interviewer: 'A', targets: { t: { c0: 2 } } }]);
    const after = repool(
      plan,
      { A: { t: { c0: 4 } }, B: { t: { c0: 2 } } },
      { settled: ['A', 'B'] },
    );
    expect(share(after, 'A', 'c0') + share(after, 'B', 'c0')).toBe(4);
    expect(share(after, 'A', 'c0')).toBeLessThanOrEqual(4);
    expect(share(after, 'B', 'c0')).toBeLessThanOrEqual(2);
  });
});
