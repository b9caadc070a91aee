// The server's side of re-pooling (src/server/quota-pool.ts): counts per interviewer, shares made
// for a site with several interviewers, lowered only for the tablet that has sent everything.
import { describe, expect, it } from 'vitest';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import type { PoolRow } from '../../../src/server/quota-pool.ts';
import { pooledPlan, siteQueue, siteQuotaCounts } from '../../../src/server/quota-pool.ts';
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
