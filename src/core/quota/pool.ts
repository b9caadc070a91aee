// Re-pooling a site's quota shares at each sync: what interviewers who are behind leave unused
// moves to those who need it, so that rigid shares do not slow the fill while tablets are offline.
// The rules are stated in index.ts; the server applies them (src/server/quota-pool.ts).
import { allocate } from './census.ts';
import type { CellCounts } from './decide.ts';
import { cellKey, siteLimit } from './plan.ts';
import type { Allocation, QuotaPlan } from './schema.ts';

/** Completed interviews per interviewer, cell by cell, as `QuotaState.interviewerCounts` has them. */
export type InterviewerCounts = Readonly<Record<string, CellCounts>>;

export interface RepoolInput {
  /**
   * Interviewers whose shares may go down now: every interview they made is in `done` (their
   * only tablet has just sent all it had) and their tablet receives the new shares in the same
   * answer. Anyone else may be interviewing offline on what they were given: never lowered.
   */
  readonly settled: readonly string[];
  /** Interviewers the server knows without a share yet: they get one (empty until they settle). */
  readonly known?: readonly string[];
  /**
   * Interviews under way that tablets reported (past the quota questions), per interviewer, cell
   * by cell: counted as done, so that no share goes below done + open drafts while the cell has
   * room for them.
   */
  readonly drafts?: InterviewerCounts;
}

/** An interviewer's counts, own keys only: a code such as `__proto__` finds no prototype. */
function ownValue(counts: InterviewerCounts, interviewer: string): CellCounts | undefined {
  return Object.hasOwn(counts, interviewer) ? counts[interviewer] : undefined;
}

/** Equal shares of every cell's target among the interviewers (largest remainder, rotated). */
export function equalAllocations(plan: QuotaPlan, interviewers: readonly string[]): Allocation[] {
  return allocate(plan, interviewers);
}

/**
 * Takes `excess` units from the shares: first what is above done + open drafts (`held`), the
 * `first` interviewers first, then what is above done alone.
 */
function trim(
  shares: number[],
  floors: readonly (readonly number[])[],
  excess: number,
  first: readonly boolean[],
): void {
  let left = excess;
  for (const floor of floors) {
    for (const pass of [true, false]) {
      while (left > 0) {
        let pick = -1;
        shares.forEach((share, i) => {
          const room = share - (floor[i] ?? 0);
          if (first[i] !== pass || room <= 0) return;
          if (pick < 0 || room > (shares[pick] ?? 0) - (floor[pick] ?? 0)) pick = i;
        });
        if (pick < 0) break;
        shares[pick] = (shares[pick] ?? 0) - 1;
        left--;
      }
    }
  }
}

/**
 * A cell's new shares. The pool is the cell's site limit (target + tolerance); when what is done
 * already fills it, every share is what was done (scaled down if the cell is over). Otherwise, with
 * `held` = done + open drafts:
 * - an interviewer not settled keeps their share (never less than held);
 * - a settled interviewer keeps held + one of the room they had (an interview open on their tablet,
 *   before its quota questions, may be taking it) and takes from what is free up to held + a fair
 *   part of what the cell still needs (`ceil(remaining / interviewers)`); the rest stays free for
 *   the next one.
 * When open drafts ask more than the cell has left, what is above done gives way first.
 */
function cellShares(
  limit: number,
  old: readonly number[],
  done: readonly number[],
  held: readonly number[],
  settled: readonly boolean[],
): number[] {
  const total = done.reduce((a, b) => a + b, 0);
  if (total >= limit) {
    if (total === limit) return [...done];
    // Over its limit (counted before shares existed): no one may add any; shares fit the limit.
    const scaled = done.map((n) => Math.floor((n * limit) / total));
    let left = limit - scaled.reduce((a, b) => a + b, 0);
    for (let i = 0; left > 0 && i < scaled.length; i++) {
      if ((scaled[i] ?? 0) < (done[i] ?? 0)) {
        scaled[i] = (scaled[i] ?? 0) + 1;
        left--;
      }
    }
    return scaled;
  }
  const shares = old.map((share, i) => {
    const h = held[i] ?? 0;
    return settled[i] === true ? h + Math.min(1, Math.max(0, share - h)) : Math.max(share, h);
  });
  const sum = shares.reduce((a, b) => a + b, 0);
  // Shares above the limit happen only when someone did (or has under way) more than their share
  // (two tablets of one interviewer offline at once, two drafts open in one cell): room above
  // done + drafts goes first, settled interviewers' first, then the drafts themselves.
  if (sum > limit) trim(shares, [held, done], sum - limit, settled);
  let free = limit - shares.reduce((a, b) => a + b, 0);
  const heldTotal = held.reduce((a, b) => a + b, 0);
  const fair = Math.ceil(Math.max(0, limit - heldTotal) / Math.max(1, old.length));
  shares.forEach((share, i) => {
    if (settled[i] !== true || free <= 0) return;
    const add = Math.min(free, Math.max(0, (held[i] ?? 0) + fair - share));
    shares[i] = share + add;
    free -= add;
  });
  return shares;
}

/**
 * The plan's allocations re-pooled after a sync (the plan must have allocations, or `known` must
 * name the interviewers). Pure; the invariants, for every cell:
 * - the shares add up to at most the cell's site limit;
 * - no share is below what its interviewer has done, unless the cell was already over its limit;
 * - no share is below done + open drafts, when every interviewer's fit within the limit;
 * - an interviewer who is not settled keeps at least the share they had.
 */
export function repool(plan: QuotaPlan, done: InterviewerCounts, input: RepoolInput): Allocation[] {
  const allocations = plan.allocations ?? [];
  const order = allocations.map((entry) => entry.interviewer);
  const listed = new Set(order);
  const drafts = input.drafts ?? {};
  const newcomers = [
    ...new Set([
      ...(input.known ?? []),
      ...input.settled,
      ...Object.keys(done),
      ...Object.keys(drafts),
    ]),
  ]
    .filter((interviewer) => !listed.has(interviewer))
    .sort();
  const interviewers = [...order, ...newcomers];
  const settledSet = new Set(input.settled);
  const settled = interviewers.map((interviewer) => settledSet.has(interviewer));
  const byInterviewer = new Map(allocations.map((entry) => [entry.interviewer, entry]));
  const out = interviewers.map((interviewer) => ({
    interviewer,
    targets: {} as Record<string, Record<string, number>>,
  }));
  for (const table of plan.tables) {
    for (const cell of table.cells) {
      const key = cellKey(cell.key);
      const old = interviewers.map(
        (interviewer) => byInterviewer.get(interviewer)?.targets[table.id]?.[key] ?? 0,
      );
      const counts = interviewers.map((interviewer) =>
        Math.max(0, ownValue(done, interviewer)?.[table.id]?.[key] ?? 0),
      );
      const held = interviewers.map(
        (interviewer, i) =>
          (counts[i] ?? 0) + Math.max(0, ownValue(drafts, interviewer)?.[table.id]?.[key] ?? 0),
      );
      const shares = cellShares(siteLimit(plan, cell.target), old, counts, held, settled);
      out.forEach((entry, i) => {
        (entry.targets[table.id] ??= {})[key] = shares[i] ?? 0;
      });
    }
  }
  return out;
}
