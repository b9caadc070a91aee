// Weights that make a site's quota sample reproduce the census margins its plan was built from,
// for the analysts' export: post-stratification on a plan of one table, bounded raking on several.
import { cellKey } from './plan.ts';
import type { QuotaPlan } from './schema.ts';

/** Bounds on a weight, as multiples of the mean weight. */
export interface WeightBounds {
  readonly lower: number;
  readonly upper: number;
}

/**
 * Default trimming: no weight below a fifth of the mean weight nor above five times it. A quota
 * sample that filled its cells has weights near 1 and never reaches them; they stop a handful of
 * respondents in a cell that fell far short from carrying the whole cell.
 */
export const DEFAULT_WEIGHT_BOUNDS: WeightBounds = { lower: 0.2, upper: 5 };
/** Default convergence tolerance: the largest |weighted share - aimed share| accepted. */
export const DEFAULT_RAKING_TOLERANCE = 1e-8;
/** Default limit on raking sweeps (one sweep adjusts every table once). */
export const DEFAULT_MAX_ITERATIONS = 1000;

export interface RakeOptions {
  /** Trimming bounds over the mean weight; `false` for none. Default `DEFAULT_WEIGHT_BOUNDS`. */
  readonly bounds?: WeightBounds | false;
  /** Default `DEFAULT_RAKING_TOLERANCE`. */
  readonly tolerance?: number;
  /** Default `DEFAULT_MAX_ITERATIONS`. */
  readonly maxIterations?: number;
}

/** A cell of a table, its key written as the plan's allocations write it (`1|18-29`). */
export interface CellRef {
  readonly table: string;
  readonly key: string;
}

/** One cell's margins: what the weights aimed at, what the sample had, what the weights give. */
export interface MarginCell {
  /** The cell's category codes, one per variable of the table. */
  readonly key: readonly string[];
  /** The plan's census count; `undefined` when the plan has none (basis `targets`). */
  readonly census: number | undefined;
  /** The share aimed at: the census share, or with basis `targets` the target's share. */
  readonly censusShare: number;
  readonly target: number;
  /** Samples in the cell (those given a weight, zero included). */
  readonly sample: number;
  readonly sampleShare: number;
  /** Sum of the cell's weights. */
  readonly weighted: number;
  readonly weightedShare: number;
}

export interface TableMargins {
  readonly table: string;
  readonly variables: readonly string[];
  readonly cells: readonly MarginCell[];
}

export interface RakedWeights {
  /**
   * One weight per sample, in order; `undefined` for a sample excluded because some table has no
   * cell for its categories (a category missing or unknown). The weights sum to `weighted`.
   */
  readonly weights: readonly (number | undefined)[];
  /** `post-stratification` for a plan of one table, `raking` for several. */
  readonly method: 'post-stratification' | 'raking';
  /** `census` when every cell of the plan has its census count, otherwise `targets`. */
  readonly basis: 'census' | 'targets';
  /** Sweeps made (one adjusts every table once): 1 for post-stratification. */
  readonly iterations: number;
  /** Every margin met within `tolerance`, and no empty cell. */
  readonly converged: boolean;
  /** Largest |weighted share - aimed share| over every cell of every table. */
  readonly maxDeviation: number;
  readonly tolerance: number;
  readonly bounds: WeightBounds | undefined;
  /** Weights held at a bound at the end. */
  readonly trimmed: number;
  /** Samples given a weight (zero included): the sum of the weights. */
  readonly weighted: number;
  /** Samples left without a weight. */
  readonly excluded: number;
  /** Samples weighted 0, in a cell the census (or the plan) says is empty. */
  readonly zeroWeighted: number;
  /** Cells with a share to reach and no sample to reach it: their margin cannot be met. */
  readonly emptyCells: readonly CellRef[];
  /** Cells with a share of 0 that hold samples (weighted 0). */
  readonly zeroCells: readonly CellRef[];
  readonly margins: readonly TableMargins[];
}

interface TableWork {
  readonly id: string;
  readonly variables: readonly string[];
  readonly keys: readonly (readonly string[])[];
  readonly census: readonly (number | undefined)[];
  readonly targets: readonly number[];
  /** Aimed share of each cell. */
  readonly shares: readonly number[];
  /** Each sample's cell index, -1 when it has none. */
  readonly cellOf: Int32Array;
}

function tableWork(
  table: QuotaPlan['tables'][number],
  basis: 'census' | 'targets',
  samples: readonly Readonly<Record<string, string | undefined>>[],
): TableWork {
  const index = new Map(table.cells.map((cell, c) => [cellKey(cell.key), c]));
  const aimed = table.cells.map((cell) => (basis === 'census' ? (cell.census ?? 0) : cell.target));
  const total = aimed.reduce((sum, value) => sum + value, 0);
  const cellOf = new Int32Array(samples.length);
  samples.forEach((sample, s) => {
    const codes: string[] = [];
    for (const id of table.variables) {
      const code = Object.hasOwn(sample, id) ? sample[id] : undefined;
      if (code === undefined) break;
      codes.push(code);
    }
    cellOf[s] = codes.length === table.variables.length ? (index.get(cellKey(codes)) ?? -1) : -1;
  });
  return {
    id: table.id,
    variables: table.variables,
    keys: table.cells.map((cell) => cell.key),
    census: table.cells.map((cell) => cell.census),
    targets: table.cells.map((cell) => cell.target),
    shares: aimed.map((value) => (total > 0 ? value / total : 0)),
    cellOf,
  };
}

/**
 * Scales the weights of one cell's members so that they sum to `target`, each kept within
 * [low, high]: `clamp(f x w, low, high)` with the one `f` that gives the sum (the raking-distance
 * projection on the cell's total within the bounds). Members all held at a bound when the target
 * is out of reach.
 */
function fitCell(
  weights: Float64Array,
  members: Int32Array,
  target: number,
  low: number,
  high: number,
): void {
  let sum = 0;
  for (const i of members) sum += weights[i] ?? 0;
  if (sum <= 0) return;
  const factor = target / sum;
  let within = true;
  for (const i of members) {
    const next = (weights[i] ?? 0) * factor;
    if (next < low || next > high) {
      within = false;
      break;
    }
  }
  if (within) {
    for (const i of members) weights[i] = (weights[i] ?? 0) * factor;
    return;
  }
  const n = members.length;
  if (target <= n * low || target >= n * high) {
    const bound = target <= n * low ? low : high;
    for (const i of members) weights[i] = bound;
    return;
  }
  // g(f) = sum of clamp(f x w, low, high) rises with f, linearly between the factors at which a
  // member reaches a bound: find the stretch where it passes the target, then solve on it.
  const clamped = (f: number) => {
    let total = 0;
    for (const i of members) total += Math.min(high, Math.max(low, f * (weights[i] ?? 0)));
    return total;
  };
  const breaks: number[] = [];
  for (const i of members) {
    const w = weights[i] ?? 0;
    breaks.push(low / w, high / w);
  }
  breaks.sort((a, b) => a - b);
  let lo = 0;
  let hi = breaks.length - 1;
  // g(breaks[0]) = n x low < target < n x high = g(breaks[last]).
  while (hi - lo > 1) {
    const middle = (lo + hi) >> 1;
    if (clamped(breaks[middle] ?? 0) <= target) lo = middle;
    else hi = middle;
  }
  const from = breaks[lo] ?? 0;
  const to = breaks[hi] ?? 0;
  const inside = (from + to) / 2;
  let fixed = 0;
  let free = 0;
  for (const i of members) {
    const w = weights[i] ?? 0;
    if (inside * w <= low) fixed += low;
    else if (inside * w >= high) fixed += high;
    else free += w;
  }
  const f = free > 0 ? (target - fixed) / free : from;
  for (const i of members) weights[i] = Math.min(high, Math.max(low, f * (weights[i] ?? 0)));
}

/**
 * Weights each sample (its quota categories: variable id -> category code, as records carry them
 * in `quotaCategories`) so that the weighted sample reproduces every table's shares: the census
 * shares when the plan keeps its census counts, otherwise the targets' shares (`basis`).
 *
 * - Excluded: a sample whose categories find no cell in some table has no weight (`undefined`).
 * - Zero: a sample in a cell whose share is 0 (nobody in the census) is weighted 0: it stays in
 *   the file, and weighted estimates give that cell what the census gives it, nothing.
 * - The others start equal and are raked: each table in turn scales its cells' weights to their
 *   aimed totals (share x the number of samples weighted), sweep after sweep, until every cell of
 *   every table is within `tolerance` of its share (`maxIterations` sweeps at most). A plan of one
 *   table is post-stratified: one sweep, each cell's weight its share over its sample share.
 * - Trimming (bounded raking): inside every step each weight is kept within `bounds` times the
 *   mean weight, the cell's other weights making up the difference; a margin the bounds make
 *   unreachable is left short (`converged` false).
 * - An empty cell (a share to reach, no sample) cannot be met: its share is spread over its
 *   table's other cells in proportion to theirs, the rest is raked on that, the cell is named in
 *   `emptyCells` and `converged` is false.
 * - The weights are fitted at the end to sum to the number of samples weighted, within the
 *   bounds (a no-op, to rounding, when the margins are met).
 *
 * Throws a RangeError for bounds that leave out the mean weight (lower > 1 or upper < 1).
 */
export function rakeWeights(
  plan: QuotaPlan,
  samples: readonly Readonly<Record<string, string | undefined>>[],
  options: RakeOptions = {},
): RakedWeights {
  const tolerance = options.tolerance ?? DEFAULT_RAKING_TOLERANCE;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const bounds = options.bounds === false ? undefined : (options.bounds ?? DEFAULT_WEIGHT_BOUNDS);
  // Equal weights (the mean) must be within the bounds, or no weighting could start.
  if (bounds !== undefined && !(bounds.lower >= 0 && bounds.lower <= 1 && bounds.upper >= 1))
    throw new RangeError(
      `weight bounds must have 0 <= lower <= 1 <= upper, not ${bounds.lower} and ${bounds.upper}`,
    );
  const basis = plan.tables.every((table) => table.cells.every((cell) => cell.census !== undefined))
    ? 'census'
    : 'targets';
  const method = plan.tables.length === 1 ? 'post-stratification' : 'raking';
  const tables = plan.tables.map((table) => tableWork(table, basis, samples));

  // Who is weighted (all tables place them), and who is weighted 0 (a cell with share 0).
  const included = samples.map((_, s) => tables.every((table) => (table.cellOf[s] ?? -1) >= 0));
  const raked = included.map(
    (yes, s) => yes && tables.every((table) => (table.shares[table.cellOf[s] ?? 0] ?? 0) > 0),
  );
  const weightedCount = included.filter(Boolean).length;
  const rakedCount = raked.filter(Boolean).length;

  const emptyCells: CellRef[] = [];
  const zeroCells: CellRef[] = [];
  const steps = tables.map((table) => {
    const members: number[][] = table.keys.map(() => []);
    const held = new Array<number>(table.keys.length).fill(0);
    samples.forEach((_, s) => {
      const c = table.cellOf[s] ?? -1;
      if (raked[s]) members[c]?.push(s);
      else if (included[s] && c >= 0) held[c] = (held[c] ?? 0) + 1;
    });
    let reachable = 0;
    table.keys.forEach((key, c) => {
      const share = table.shares[c] ?? 0;
      const populated = (members[c]?.length ?? 0) > 0;
      if (share > 0 && populated) reachable += share;
      if (share > 0 && !populated) emptyCells.push({ table: table.id, key: cellKey(key) });
      if (share === 0 && (held[c] ?? 0) > 0) zeroCells.push({ table: table.id, key: cellKey(key) });
    });
    return members.flatMap((list, c) =>
      list.length === 0 || reachable === 0
        ? []
        : [
            {
              members: Int32Array.from(list),
              target: ((table.shares[c] ?? 0) / reachable) * weightedCount,
            },
          ],
    );
  });

  const weights = new Float64Array(samples.length);
  const mean = rakedCount > 0 ? weightedCount / rakedCount : 0;
  const low = bounds === undefined ? 0 : bounds.lower * mean;
  const high = bounds === undefined ? Number.POSITIVE_INFINITY : bounds.upper * mean;
  raked.forEach((yes, s) => {
    if (yes) weights[s] = mean;
  });

  let iterations = 0;
  if (rakedCount > 0) {
    const previous = new Float64Array(samples.length);
    while (iterations < maxIterations) {
      previous.set(weights);
      for (const cells of steps)
        for (const { members, target } of cells) fitCell(weights, members, target, low, high);
      iterations++;
      let off = 0;
      for (const cells of steps)
        for (const { members, target } of cells) {
          let sum = 0;
          for (const i of members) sum += weights[i] ?? 0;
          off = Math.max(off, Math.abs(sum - target) / weightedCount);
        }
      if (off <= tolerance) break;
      // Stalled (bounds that cannot be met): more sweeps would change nothing.
      let moved = 0;
      for (let s = 0; s < weights.length; s++)
        moved = Math.max(moved, Math.abs((weights[s] ?? 0) - (previous[s] ?? 0)));
      if (moved <= 1e-12 * mean) break;
    }
    // The total as one last margin, within the bounds too: a no-op, to rounding, when the
    // margins are met; otherwise the weights still sum to the samples weighted.
    const everyone = Int32Array.from(raked.flatMap((yes, s) => (yes ? [s] : [])));
    fitCell(weights, everyone, weightedCount, low, high);
  }

  let maxDeviation = 0;
  const margins: TableMargins[] = tables.map((table) => {
    const sample = new Array<number>(table.keys.length).fill(0);
    const weighted = new Array<number>(table.keys.length).fill(0);
    samples.forEach((_, s) => {
      if (!included[s]) return;
      const c = table.cellOf[s] ?? 0;
      sample[c] = (sample[c] ?? 0) + 1;
      weighted[c] = (weighted[c] ?? 0) + (weights[s] ?? 0);
    });
    const shareOf = (n: number) => (weightedCount > 0 ? n / weightedCount : 0);
    return {
      table: table.id,
      variables: table.variables,
      cells: table.keys.map((key, c) => {
        const censusShare = table.shares[c] ?? 0;
        const weightedShare = shareOf(weighted[c] ?? 0);
        maxDeviation = Math.max(maxDeviation, Math.abs(weightedShare - censusShare));
        return {
          key,
          census: table.census[c],
          censusShare,
          target: table.targets[c] ?? 0,
          sample: sample[c] ?? 0,
          sampleShare: shareOf(sample[c] ?? 0),
          weighted: weighted[c] ?? 0,
          weightedShare,
        };
      }),
    };
  });

  // A weight within a hair of a bound is held there (the final scaling moves it by rounding).
  const atBound = (w: number) =>
    bounds !== undefined && (Math.abs(w - low) <= 1e-9 * mean || Math.abs(w - high) <= 1e-9 * mean);
  return {
    weights: samples.map((_, s) => (included[s] ? (weights[s] ?? 0) : undefined)),
    method,
    basis,
    iterations,
    converged: emptyCells.length === 0 && rakedCount > 0 && maxDeviation <= tolerance,
    maxDeviation,
    tolerance,
    bounds,
    trimmed: raked.filter((yes, s) => yes && atBound(weights[s] ?? 0)).length,
    weighted: weightedCount,
    excluded: samples.length - weightedCount,
    zeroWeighted: weightedCount - rakedCount,
    emptyCells,
    zeroCells,
    margins,
  };
}
