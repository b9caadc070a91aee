// Interviewers' shares of the quota cells as the dashboard makes them: a new split of the plan
// among chosen interviewers, or part of a cell's share moved from one interviewer to another;
// the new list of allocations goes to the server, which checks it against the plan.
import type { Allocation, QuotaPlan } from '../core/quota/index.ts';
import { cellKey, largestRemainder } from '../core/quota/index.ts';

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

/** An interviewer chosen for a new split, and their weight (1 each for equal shares). */
export interface Share {
  readonly interviewer: string;
  readonly weight: number;
}

/**
 * New allocations from the plan: every cell's target split among `shares` in proportion to their
 * weights by the largest remainder method (each cell sums exactly to its target, each share is
 * within one of its exact part). Who gets a cell's leftover interviews rotates from cell to cell,
 * so with equal weights nobody always gets the extra one (as `allocate` does for the command).
 * Undefined when no interviewer or no positive weight is given.
 */
export function splitTargets(plan: QuotaPlan, shares: readonly Share[]): Allocation[] | undefined {
  const n = shares.length;
  const weights = shares.map((share) =>
    Number.isFinite(share.weight) && share.weight > 0 ? share.weight : 0,
  );
  if (n === 0 || !weights.some((weight) => weight > 0)) return undefined;
  const targets = shares.map(() => ({}) as Record<string, Record<string, number>>);
  for (const table of plan.tables) {
    table.cells.forEach((cell, c) => {
      const offset = c % n;
      // Rotated so that, on equal remainders, a different interviewer comes first in each cell
      // (in the order `allocate` rotates, so equal weights split as the command does).
      const order = weights.map((_, position) => (position - offset + n) % n);
      const split = largestRemainder(
        order.map((i) => weights[i] ?? 0),
        cell.target,
      );
      order.forEach((i, position) => {
        const own = targets[i];
        if (own !== undefined) (own[table.id] ??= {})[cellKey(cell.key)] = split?.[position] ?? 0;
      });
    });
  }
  return shares.map((share, i) => ({ interviewer: share.interviewer, targets: targets[i] ?? {} }));
}

/** Interviewer codes as the server accepts them in allocations and the move form asks for. */
export const INTERVIEWER_CODE = /^[A-Za-z0-9_-]{2,32}$/;

/** Codes typed in a free list (commas, spaces, semicolons or new lines), trimmed, each once. */
export function typedCodes(typed: string): string[] {
  return [...new Set(typed.split(/[\s,;]+/).filter((code) => code !== ''))];
}
