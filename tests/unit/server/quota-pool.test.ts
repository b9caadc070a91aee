// The server's side of re-pooling (src/server/quota-pool.ts): counts per interviewer, shares made
// for a site with several interviewers, lowered only for the tablet that has sent everything, and
// the open drafts tablets report, kept per tablet and counted as done.
import { describe, expect, it } from 'vitest';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import { OPEN_DRAFT_HOURS } from '../../../src/core/protocol/index.ts';
import type { PoolRow } from '../../../src/server/quota-pool.ts';
import {
  draftBook,
  pooledPlan,
  siteQueue,
  siteQuotaCounts,
} from '../../../src/server/quota-pool.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

/** Targets 10 and 10, no tolerance. */
const plan: QuotaPlan = {
  ...tinyDemoPlan('lille'),
  sampleSize: 20,
  tables: [
    {
      id: 'age',
      variables: ['age'],
      cells: [
        { key: ['young'], target: 10 },
        { key: ['old'], target: 10 },
      ],
    },
  ],
};

function row(
  interviewer: string,
  deviceId: string,
  age = 'young',
  status: PoolRow['status'] = 'completed',
): PoolRow {
  return {
    interviewer,
    deviceId,
    status,
    screenOutId: status === 'screened_out' ? 'quota_full' : null,
    quotaCategories: JSON.stringify({ age }),
  };
}

const share = (result: QuotaPlan | undefined, who: string, key: string) =>
  result?.allocations?.find((entry) => entry.interviewer === who)?.targets['age']?.[key];

describe('quota pool', () => {
  it('counts completed interviews per interviewer across tablets', () => {
    const counted = siteQuotaCounts(plan, [
      row('A', 't1'),
      row('A', 't2'),
      row('A', 't2', 'old', 'screened_out'),
      row('B', 't3', 'old'),
    ]);
    expect(counted.interviewerCounts).toEqual({ A: { age: { young: 2 } }, B: { age: { old: 1 } } });
    expect(counted.counts.completed).toEqual({ age: { young: 2, old: 1 } });
    expect(counted.counts.screenedOut).toEqual({ age: { old: 1 } });
    expect([...(counted.devices.get('A') ?? [])].sort()).toEqual(['t1', 't2']);
  });

  it('makes equal shares once two interviewers are known, when a tablet asks', () => {
    const one = siteQuotaCounts(plan, [row('A', 't1')]);
    expect(pooledPlan(plan, one, { id: 't1', lastPending: 0 })).toBeUndefined();
    const two = siteQuotaCounts(plan, [row('A', 't1'), row('B', 't2', 'old')]);
    // A dashboard's read changes nothing.
    expect(pooledPlan(plan, two, undefined)).toBeUndefined();
    // Tablet t3 (no records): nobody is settled, so the equal shares stay as made.
    const made = pooledPlan(plan, two, { id: 't3', lastPending: 0 });
    expect(share(made, 'A', 'young')).toBe(5);
    expect(share(made, 'B', 'young')).toBe(5);
    expect(share(made, 'A', 'old')).toBe(5);
  });

  it('lowers only the shares of interviewers whose one tablet has sent everything', () => {
    const shared: QuotaPlan = {
      ...plan,
      allocations: [
        { interviewer: 'A', targets: { age: { young: 5, old: 5 } } },
        { interviewer: 'B', targets: { age: { young: 5, old: 5 } } },
      ],
    };
    // A did 1 young on t1, B did 5 young on t2 and t3.
    const rows = [row('A', 't1'), ...['t2', 't2', 't3', 't3', 't3'].map((t) => row('B', t))];
    const counted = siteQuotaCounts(shared, rows);
    // t1 still had records waiting: A's count may be short, nothing is lowered.
    const waiting = pooledPlan(shared, counted, { id: 't1', lastPending: 3 });
    expect(share(waiting, 'A', 'young') ?? 5).toBe(5);
    // t1 sent everything: A keeps 1 done + a fair part of the 4 left (2); 2 are free.
    const settled = pooledPlan(shared, counted, { id: 't1', lastPending: 0 });
    expect(share(settled, 'A', 'young')).toBe(3);
    expect(share(settled, 'B', 'young')).toBe(5);
    // B works on two tablets: t2's sync never lowers nor raises B (t3 may hold more of B's).
    const next = settled ?? shared;
    expect(
      share(
        pooledPlan(next, siteQuotaCounts(next, rows), { id: 't2', lastPending: 0 }) ?? next,
        'B',
        'young',
      ),
    ).toBe(5);
  });

  it('gives a share to a newcomer the server knows only from their tablet’s request', () => {
    const shared: QuotaPlan = {
      ...plan,
      allocations: [
        { interviewer: 'A', targets: { age: { young: 5, old: 5 } } },
        { interviewer: 'B', targets: { age: { young: 5, old: 5 } } },
      ],
    };
    // A settled at 1 young (t1 sent everything), B did 5 on two tablets: 2 young places are free.
    const rows = [row('A', 't1'), ...['t2', 't2', 't3', 't3', 't3'].map((t) => row('B', t))];
    const afterA = pooledPlan(shared, siteQuotaCounts(shared, rows), { id: 't1', lastPending: 0 });
    expect(share(afterA, 'A', 'young')).toBe(3);
    const next = afterA ?? shared;
    // Before: a tablet that does not say its interviewer leaves C without any share.
    const silent = pooledPlan(next, siteQuotaCounts(next, rows), { id: 't9', lastPending: 0 });
    expect(share(silent, 'C', 'young')).toBeUndefined();
    // C's tablet says who uses it: C, with nothing anywhere, is settled and takes free room.
    const withC = pooledPlan(next, siteQuotaCounts(next, rows), {
      id: 't9',
      lastPending: 0,
      interviewer: 'C',
    });
    expect(share(withC, 'C', 'young')).toBe(2);
    // The old cell's room is all in A's and B's shares: C gets some as they settle again.
    expect(share(withC, 'C', 'old')).toBe(0);
    // Nobody else lost what they were given: A and B are not C's tablet.
    expect(share(withC, 'A', 'young')).toBe(3);
    expect(share(withC, 'B', 'young')).toBe(5);
  });

  it('keeps each tablet’s last report of open drafts, in the plan’s cells, for a few hours', () => {
    const book = draftBook();
    const t0 = Date.parse('2026-11-23T08:00:00Z');
    book.report('lille', 't1', [{ interviewer: 'A', cells: ['age/young'] }], plan, t0);
    book.report(
      'lille',
      't2',
      [
        { interviewer: 'A', cells: ['age/young'] },
        // Cells the plan does not have (it changed since the tablet got it) are left out.
        { interviewer: 'B', cells: ['age/middle', 'sex/F'] },
        { interviewer: 'C', cells: ['age/old', 'sex/F'] },
      ],
      plan,
      t0,
    );
    book.report('lyon', 't9', [{ interviewer: 'Z', cells: ['age/old'] }], plan, t0);
    const both = book.drafts('lille', plan, t0 + 60_000);
    expect(both.counts).toEqual({ A: { age: { young: 2 } }, C: { age: { old: 1 } } });
    expect([...(both.devices.get('A') ?? [])].sort()).toEqual(['t1', 't2']);
    expect(both.devices.has('B')).toBe(false);
    // t1's next report omits its draft: it has ended.
    book.report('lille', 't1', [], plan, t0 + 120_000);
    expect(book.drafts('lille', plan, t0 + 120_000).counts).toEqual({
      A: { age: { young: 1 } },
      C: { age: { old: 1 } },
    });
    // t2 says nothing more for hours: its report is forgotten.
    expect(book.drafts('lille', plan, t0 + OPEN_DRAFT_HOURS * 3600_000 + 1).counts).toEqual({});
    // A site without a plan keeps nothing; a deleted site is forgotten.
    book.report('lille', 't3', [{ interviewer: 'A', cells: ['age/young'] }], null, t0);
    expect(book.drafts('lille', plan, t0).counts).toEqual({});
    book.forget('lyon');
    expect(book.drafts('lyon', plan, t0).counts).toEqual({});
    // Interviewer codes that are prototype names stay keys.
    book.report('lille', 't4', [{ interviewer: '__proto__', cells: ['age/old'] }], plan, t0);
    expect(Object.keys(book.drafts('lille', plan, t0).counts)).toEqual(['__proto__']);
  });

  it('counts open drafts as done when re-pooling, and settles no one drafting on another tablet', () => {
    const shared: QuotaPlan = {
      ...plan,
      allocations: [
        { interviewer: 'A', targets: { age: { young: 5, old: 5 } } },
        { interviewer: 'B', targets: { age: { young: 5, old: 5 } } },
      ],
    };
    // A did 1 young on t1 and has 2 young interviews open there; B did 5 young on t2.
    const rows = [row('A', 't1'), ...[1, 2, 3, 4, 5].map(() => row('B', 't2'))];
    const counted = siteQuotaCounts(shared, rows);
    const book = draftBook();
    book.report(
      'lille',
      't1',
      [1, 2].map(() => ({ interviewer: 'A', cells: ['age/young'] })),
      shared,
      0,
    );
    // Without drafts A would keep 1 done + a fair part of the 4 left (2): 3, one short of what
    // A has done and open. With them: 1 done + 2 open + a fair part of the 2 left (1): 4.
    const settled = pooledPlan(
      shared,
      counted,
      { id: 't1', lastPending: 0 },
      book.drafts('lille', shared, 0),
    );
    expect(share(settled, 'A', 'young')).toBe(4);
    expect(share(pooledPlan(shared, counted, { id: 't1', lastPending: 0 }), 'A', 'young')).toBe(3);
    // A's drafts on another tablet (t3): A may be working there, nothing of A's is lowered.
    book.report('lille', 't3', [{ interviewer: 'A', cells: ['age/old'] }], shared, 0);
    const twoTablets = pooledPlan(
      shared,
      counted,
      { id: 't1', lastPending: 0 },
      book.drafts('lille', shared, 0),
    );
    expect(share(twoTablets ?? shared, 'A', 'young')).toBe(5);
    expect(share(twoTablets ?? shared, 'A', 'old')).toBe(5);
  });

  it('runs one task per site at a time', async () => {
    const queue = siteQueue();
    const order: string[] = [];
    const slow = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      queue('lille', slow('a', 20)),
      queue('lille', slow('b', 1)),
      queue('lyon', slow('c', 1)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order.indexOf('b start')).toBeGreaterThan(order.indexOf('a end'));
    expect(order.indexOf('c start')).toBeLessThan(order.indexOf('a end'));
    // A failed task does not stop the next one.
    await expect(queue('lille', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue('lille', () => Promise.resolve(1))).resolves.toBe(1);
  });
});
