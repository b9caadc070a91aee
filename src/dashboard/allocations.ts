// Moving part of a quota cell's share from one interviewer to another, as the dashboard's form
// asks: the new list of allocations to send to the server, which checks it against the plan.
import type { Allocation, QuotaPlan } from '../core/quota/index.ts';
import { cellKey } from '../core/quota/index.ts';

export interface Move {
  readonly table: string;
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

/** An interviewer's share of one cell (0 when they have none). */
export function shareOf(
  allocations: readonly Allocation[],
  interviewer: string,
  table: string,
  key: string,
): number {
  return allocations.find((entry) => entry.interviewer === interviewer)?.targets[table]?.[key] ?? 0;
}

/**
 * The allocations after the move: `count` taken from `from`'s share of the cell and added to
 * `to`'s (who gets an allocation of their own if they had none). Nothing else changes; the
 * input is left as it was.
 */
export function moveShare(allocations: readonly Allocation[], move: Move): Allocation[] {
  const add = (targets: Allocation['targets'], delta: number): Allocation['targets'] => ({
    ...targets,
    [move.table]: {
      ...targets[move.table],
      [move.key]: (targets[move.table]?.[move.key] ?? 0) + delta,
    },
  });
  const out = allocations.map((entry) =>
    entry.interviewer === move.from
      ? { ...entry, targets: add(entry.targets, -move.count) }
      : entry.interviewer === move.to
        ? { ...entry, targets: add(entry.targets, move.count) }
        : entry,
  );
  if (!allocations.some((entry) => entry.interviewer === move.to))
    out.push({ interviewer: move.to, targets: add({}, move.count) });
  return out;
}

/** Every cell of the plan, as `table/key` with its table and key, in the plan's order. */
export function planCells(plan: QuotaPlan): { table: string; key: string }[] {
  return plan.tables.flatMap((table) =>
    table.cells.map((cell) => ({ table: table.id, key: cellKey(cell.key) })),
  );
}
