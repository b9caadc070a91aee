// Counting interviews into quota cells and deciding, for a new respondent, whether their cells
// still have room: on the device's own allocation offline, and site-wide when the server's counts
// are known. The rules are stated in index.ts.
import type { Answer } from '../questionnaire/index.ts';
import { isNonResponse } from '../questionnaire/index.ts';
import { cellKey, siteLimit } from './plan.ts';
import type { QuotaPlan } from './schema.ts';

/** A respondent's category per quota variable (`undefined` when the answers do not say). */
export type Categories = Readonly<Record<string, string | undefined>>;

/** Counts per table id, then per cell key. */
export type CellCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface QuotaCounts {
  /** Completed, non-practice interviews. */
  readonly completed: CellCounts;
  /** Respondents turned away because a cell was full ("quota atteint"). */
  readonly screenedOut: CellCounts;
}

export const EMPTY_COUNTS: QuotaCounts = { completed: {}, screenedOut: {} };

/** What counts: a completed or quota-screened-out interview, with its respondent's categories. */
export interface QuotaRecord {
  readonly interviewer: string;
  readonly outcome: 'completed' | 'quota_full';
  readonly practice: boolean;
  readonly categories: Categories;
}

const codesOf = new WeakMap<QuotaPlan['variables'][number], ReadonlySet<string>>();

/** A variable's category codes, made once per plan (the server classifies every upload). */
function categoryCodes(variable: QuotaPlan['variables'][number]): ReadonlySet<string> {
  let codes = codesOf.get(variable);
  if (codes === undefined) {
    codes = new Set(variable.categories.map((category) => category.code));
    codesOf.set(variable, codes);
  }
  return codes;
}

/** A respondent's categories from their answers (choice codes, mapped codes, numbers in bands). */
export function classify(
  plan: QuotaPlan,
  answers: ReadonlyMap<string, Answer>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const variable of plan.variables) {
    const answer = answers.get(variable.source.item);
    const codes = categoryCodes(variable);
    let category: string | undefined;
    if (answer === undefined || isNonResponse(answer) || Array.isArray(answer)) {
      category = undefined;
    } else if ('bands' in variable.source) {
      const value = typeof answer === 'number' ? answer : Number(answer);
      category = variable.source.bands.find(
        (band) =>
          (band.min === undefined || value >= band.min) &&
          (band.max === undefined || value <= band.max),
      )?.code;
    } else {
      const code = String(answer);
      const map = variable.source.map;
      // Own keys only: an answer such as `constructor` must not find Object.prototype's.
      const mapped = map !== undefined && Object.hasOwn(map, code) ? map[code] : undefined;
      category = mapped ?? (codes.has(code) ? code : undefined);
    }
    out[variable.id] = category;
  }
  return out;
}

/** The respondent's cell in each table, for the tables whose variables are all known. */
export function cellsOf(plan: QuotaPlan, categories: Categories): { table: string; key: string }[] {
  const out: { table: string; key: string }[] = [];
  for (const table of plan.tables) {
    const codes = table.variables.map((id) => categories[id]);
    if (codes.every((code): code is string => code !== undefined))
      out.push({ table: table.id, key: cellKey(codes) });
  }
  return out;
}

/**
 * Counts without a prototype: table ids and cell keys come from plans and from the server, and a
 * key such as `__proto__` must stay a key instead of reaching Object.prototype.
 */
function noPrototype<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function add(
  counts: Record<string, Record<string, number>>,
  table: string,
  key: string,
  n: number,
): void {
  const cells = (counts[table] ??= noPrototype<number>());
  cells[key] = (cells[key] ?? 0) + n;
}

/**
 * Counts records into every table each falls in (once per table). Practice interviews never
 * count. Pass an interviewer to count only theirs.
 */
export function countQuotas(
  plan: QuotaPlan,
  records: Iterable<QuotaRecord>,
  interviewer?: string,
): QuotaCounts {
  const completed = noPrototype<Record<string, number>>();
  const screenedOut = noPrototype<Record<string, number>>();
  for (const record of records) {
    if (record.practice) continue;
    if (interviewer !== undefined && record.interviewer !== interviewer) continue;
    const target = record.outcome === 'completed' ? completed : screenedOut;
    for (const { table, key } of cellsOf(plan, record.categories)) add(target, table, key, 1);
  }
  return { completed, screenedOut };
}

/**
 * Site-wide counts as a device sees them: the server's counts (which include what this device
 * already uploaded) plus this device's interviews the server has not acknowledged yet. The
 * result is never below either input, cell by cell.
 */
export function mergeCounts(server: QuotaCounts, unsynced: QuotaCounts): QuotaCounts {
  const merge = (a: CellCounts, b: CellCounts): CellCounts => {
    const out = noPrototype<Record<string, number>>();
    for (const source of [a, b]) {
      for (const [table, cells] of Object.entries(source)) {
        for (const [key, n] of Object.entries(cells)) add(out, table, key, Math.max(0, n));
      }
    }
    return out;
  };
  return {
    completed: merge(server.completed, unsynced.completed),
    screenedOut: merge(server.screenedOut, unsynced.screenedOut),
  };
}

/**
 * An interviewer's counts as a device sees them, for their allocation: the server's count of their
 * completed interviews on every tablet (`interviewerCounts`) plus their interviews on this device
 * that the server does not hold yet, and never below what this device alone has of theirs (the
 * merge rule, cell by cell). Screen-outs stay the device's.
 */
export function mergeOwn(
  device: QuotaCounts,
  server: CellCounts | undefined,
  unsynced: QuotaCounts,
): QuotaCounts {
  const site = mergeCounts({ completed: server ?? {}, screenedOut: {} }, unsynced).completed;
  const completed = noPrototype<Record<string, number>>();
  for (const source of [site, device.completed]) {
    for (const [table, cells] of Object.entries(source)) {
      for (const [key, n] of Object.entries(cells)) {
        const row = (completed[table] ??= noPrototype<number>());
        row[key] = Math.max(row[key] ?? 0, n);
      }
    }
  }
  return { completed, screenedOut: device.screenedOut };
}

export interface CellDecision {
  readonly table: string;
  readonly key: string;
  readonly count: number;
  readonly limit: number;
  /** Which rule set the limit: the interviewer's allocation, or the site's target + tolerance. */
  readonly basis: 'allocation' | 'site';
}

export type QuotaDecision =
  | { readonly status: 'accepted'; readonly cells: readonly CellDecision[] }
  | {
      readonly status: 'nearly_full';
      readonly cells: readonly CellDecision[];
      readonly nearlyFull: readonly CellDecision[];
    }
  | {
      readonly status: 'full';
      readonly cells: readonly CellDecision[];
      readonly full: readonly CellDecision[];
    }
  /** The answers do not place the respondent in every table (a variable is missing). */
  | { readonly status: 'unknown'; readonly missing: readonly string[] };

export interface DecisionContext {
  readonly interviewer: string;
  /**
   * This interviewer's own completed interviews: on this device (all, synced or not), or across
   * tablets when the server's per-interviewer counts are known (`mergeOwn`).
   */
  readonly own: QuotaCounts;
  /** Site-wide counts from the server with this device's unsynced interviews added (`mergeCounts`), when known. */
  readonly site?: QuotaCounts;
}

/**
 * Decides for a new respondent. Every cell the respondent falls in is checked against:
 * - the interviewer's allocation, when the plan has allocations: exactly, on their own count (this
 *   holds offline, and devices together can never pass the sum of their allocations). An
 *   interviewer the allocations leave out has none: every cell is full for them until the
 *   coordinator gives them a share;
 * - the site limit (target + tolerance) on the site-wide count when the server's counts are known,
 *   or on the interviewer's own count when there is neither allocation nor server count.
 * The stricter result wins: `full` if any cell is full under either rule, naming those cells;
 * `nearly_full` if accepting would bring a cell to the plan's `nearlyFull` share of its limit.
 */
export function decide(
  plan: QuotaPlan,
  categories: Categories,
  context: DecisionContext,
): QuotaDecision {
  const missing = plan.variables
    .filter((variable) => categories[variable.id] === undefined)
    .map((variable) => variable.id);
  const usedVariables = new Set(plan.tables.flatMap((table) => table.variables));
  const needed = missing.filter((id) => usedVariables.has(id));
  if (needed.length > 0) return { status: 'unknown', missing: needed };
  // In a plan with allocations, an interviewer left out gets nothing: falling back to the site
  // limit on their own count would let their offline device overfill cells the others share.
  const allocation =
    plan.allocations === undefined || plan.allocations.length === 0
      ? undefined
      : (plan.allocations.find((entry) => entry.interviewer === context.interviewer) ?? {
          interviewer: context.interviewer,
          targets: {},
        });
  const share = plan.nearlyFull ?? 0.9;
  const cells: CellDecision[] = [];
  for (const { table, key } of cellsOf(plan, categories)) {
    const target =
      plan.tables.find((t) => t.id === table)?.cells.find((cell) => cellKey(cell.key) === key)
        ?.target ?? 0;
    const own = context.own.completed[table]?.[key] ?? 0;
    if (allocation !== undefined) {
      cells.push({
        table,
        key,
        count: own,
        limit: allocation.targets[table]?.[key] ?? 0,
        basis: 'allocation',
      });
    }
    if (context.site !== undefined) {
      cells.push({
        table,
        key,
        count: context.site.completed[table]?.[key] ?? 0,
        limit: siteLimit(plan, target),
        basis: 'site',
      });
    } else if (allocation === undefined) {
      cells.push({ table, key, count: own, limit: siteLimit(plan, target), basis: 'site' });
    }
  }
  const full = cells.filter((cell) => cell.count >= cell.limit);
  if (full.length > 0) return { status: 'full', cells, full };
  const nearlyFull = cells.filter((cell) => cell.count + 1 >= Math.ceil(share * cell.limit));
  if (nearlyFull.length > 0) return { status: 'nearly_full', cells, nearlyFull };
  return { status: 'accepted', cells };
}

/**
 * Scales counts to a total with the largest remainder method: the result sums exactly to
 * `total` and each share is the floor or the ceiling of its exact share. Ties go to the
 * earlier entry. All-zero counts cannot be scaled: returns undefined.
 */
export function largestRemainder(counts: readonly number[], total: number): number[] | undefined {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return undefined;
  const exact = counts.map((count) => (count * total) / sum);
  const floors = exact.map((value) => Math.floor(value + 1e-9));
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value + 1e-9) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    left--;
  }
  return floors;
}
