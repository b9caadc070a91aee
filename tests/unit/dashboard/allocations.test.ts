// Moving a cell's share between interviewers on the dashboard: only the two shares change, a
// newcomer gets an allocation, the total of the cell is kept, and the input is not touched.
import { describe, expect, it } from 'vitest';
import type { Allocation } from '../../../src/core/quota/index.ts';
import { moveShare, planCells, shareOf } from '../../../src/dashboard/allocations.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

const ALLOCATIONS: readonly Allocation[] = [
  { interviewer: 'ENQ01', targets: { age: { young: 2, old: 1 } } },
  { interviewer: 'ENQ02', targets: { age: { young: 0 } } },
];

describe('moveShare', () => {
  it('takes from one share and adds to the other, leaving the rest as it was', () => {
    const moved = moveShare(ALLOCATIONS, {
      table: 'age',
      key: 'young',
      from: 'ENQ01',
      to: 'ENQ02',
      count: 1,
    });
    expect(moved).toEqual([
      { interviewer: 'ENQ01', targets: { age: { young: 1, old: 1 } } },
      { interviewer: 'ENQ02', targets: { age: { young: 1 } } },
    ]);
    expect(ALLOCATIONS[0]?.targets['age']?.['young']).toBe(2);
  });

  it('gives a newcomer an allocation of their own', () => {
    const moved = moveShare(ALLOCATIONS, {
      table: 'age',
      key: 'old',
      from: 'ENQ01',
      to: 'ENQ03',
      count: 1,
    });
    expect(moved).toHaveLength(3);
    expect(shareOf(moved, 'ENQ03', 'age', 'old')).toBe(1);
    expect(shareOf(moved, 'ENQ01', 'age', 'old')).toBe(0);
    const total = (list: readonly Allocation[]) =>
      ['ENQ01', 'ENQ02', 'ENQ03'].reduce((sum, who) => sum + shareOf(list, who, 'age', 'old'), 0);
    expect(total(moved)).toBe(total(ALLOCATIONS));
  });

  it('sends a share below zero as it is, for the server to refuse', () => {
    const moved = moveShare(ALLOCATIONS, {
      table: 'age',
      key: 'young',
      from: 'ENQ02',
      to: 'ENQ01',
      count: 2,
    });
    expect(shareOf(moved, 'ENQ02', 'age', 'young')).toBe(-2);
    expect(shareOf(moved, 'ENQ01', 'age', 'young')).toBe(4);
  });
});

describe('planCells', () => {
  it('lists every cell of every table in order', () => {
    expect(planCells(tinyDemoPlan('x'))).toEqual([
      { table: 'age', key: 'young' },
      { table: 'age', key: 'old' },
    ]);
  });
});
