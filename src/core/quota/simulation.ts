// A site's fieldwork in numbers, with the project's own `decide`: tablets offline all day, each
// deciding on what it knows, syncing at random (seeded) times, the server re-pooling the shares
// at each sync with the drafts tablets have open. Used by tests/unit/core/quota/simulation.test.ts
// and by the bench (figure 8).
import type { AgeBand } from './census.ts';
import { CSP_LABELS, buildPlan, overlap, parseAgeBand, parseCensusCsv } from './census.ts';
import type { Categories, CellCounts, QuotaCounts } from './decide.ts';
import { cellsOf, decide, mergeCounts, mergeOwn } from './decide.ts';
import { cellKey, siteLimit } from './plan.ts';
import type { InterviewerCounts } from './pool.ts';
import { equalAllocations, repool } from './pool.ts';
import type { QuotaPlan } from './schema.ts';

/** A kind of passer-by and how many of them the census counts. */
export interface Passerby {
  readonly categories: Categories;
  readonly weight: number;
}

/**
 * How tablets decide: `pooled`, every tablet sees every count at once (no shares: the unreachable
 * ideal); `repool`, equal shares re-pooled by the server at each sync; `fixed`, equal shares that
 * never move; `alone`, no shares, each tablet against the site limit on what it knows.
 */
export type SimulationMode = 'pooled' | 'repool' | 'fixed' | 'alone';

export interface SimulationOptions {
  /** The site's plan, without allocations: the simulation shares it among the tablets. */
  readonly plan: QuotaPlan;
  readonly population: readonly Passerby[];
  readonly mode: SimulationMode;
  readonly seed: number;
  /** One interviewer per tablet. Default 20. */
  readonly tablets?: number;
  /** Approaches between two syncs of a tablet, on average (drawn from 1 to twice it - 1). Default 20. */
  readonly syncEvery?: number;
  /** The day's length, in approaches per tablet. Default 200. */
  readonly day?: number;
}

// An accepted respondent's interview stays open (a draft past the quota questions) until the
// tablet's next turn: a sync due then happens with it open, and the tablet reports it, as the app
// does. The day stops once the sample size is accepted; the drafts still open then end too.

export interface CellOver {
  readonly table: string;
  readonly key: string;
  readonly count: number;
  readonly limit: number;
}

export interface SimulationResult {
  /** Completed interviews, all tablets. */
  readonly completed: number;
  /** Approaches made, all tablets, until the sample size was reached or the day ended. */
  readonly approaches: number;
  readonly filled: boolean;
  /** Cells whose completed interviews passed their site limit. */
  readonly over: readonly CellOver[];
  readonly syncs: number;
  /** Syncs made with an interview open on the tablet (reported to the server as a draft). */
  readonly syncsWithDraft: number;
}

type Counts = Record<string, Record<string, number>>;

function add(counts: Counts, table: string, key: string, n = 1): void {
  const cells = (counts[table] ??= {});
  cells[key] = (cells[key] ?? 0) + n;
}

function copy(counts: CellCounts): Counts {
  return Object.fromEntries(Object.entries(counts).map(([table, cells]) => [table, { ...cells }]));
}

/** mulberry32: small, fast, and the same numbers for the same seed everywhere. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tablet {
  readonly interviewer: string;
  /** Completed on this tablet. */
  readonly own: Counts;
  /** Completed on this tablet, not sent yet. */
  unsynced: Counts;
  pending: Categories[];
  /** The interview under way, past its quota questions, if any. */
  open: Categories | undefined;
  plan: QuotaPlan;
  /** The server's counts at the last sync: the site's, and this interviewer's. */
  site: CellCounts | undefined;
  mine: CellCounts | undefined;
  nextSync: number;
}

const EMPTY: Counts = {};

/** Runs one day of fieldwork (see SimulationMode), stopping when the sample size is reached. */
export function simulate(options: SimulationOptions): SimulationResult {
  const { plan: base, population, mode } = options;
  const count = options.tablets ?? 20;
  const syncEvery = options.syncEvery ?? 20;
  const day = options.day ?? 200;
  const random = generator(options.seed);
  const cumulative: number[] = [];
  let totalWeight = 0;
  for (const passerby of population) {
    totalWeight += passerby.weight;
    cumulative.push(totalWeight);
  }
  const draw = (): Categories => {
    const target = random() * totalWeight;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return population[low]?.categories ?? {};
  };
  const gap = () => 1 + Math.floor(random() * (2 * syncEvery - 1));

  const interviewers = Array.from(
    { length: count },
    (_, i) => `ENQ${String(i + 1).padStart(2, '0')}`,
  );
  const shared = mode === 'repool' || mode === 'fixed';
  const plain: QuotaPlan = { ...base };
  delete (plain as { allocations?: unknown }).allocations;
  let serverPlan: QuotaPlan = shared
    ? { ...plain, allocations: equalAllocations(plain, interviewers) }
    : plain;
  const serverCounts: Counts = {};
  const byInterviewer: Record<string, Counts> = {};
  /** The open drafts each interviewer's tablet reported at its last sync. */
  const reported: Record<string, Counts> = {};
  /** Completed interviews, all tablets. */
  const truth: Counts = {};
  /** Completed and open ones: what pooled counts see. */
  const taken: Counts = {};
  let accepted = 0;
  let completed = 0;
  let approaches = 0;
  let syncs = 0;
  let syncsWithDraft = 0;

  const tablets: Tablet[] = interviewers.map((interviewer) => ({
    interviewer,
    own: {},
    unsynced: {},
    pending: [],
    open: undefined,
    plan: serverPlan,
    site: undefined,
    mine: undefined,
    nextSync: 0,
  }));

  const sync = (tablet: Tablet): void => {
    syncs++;
    const mine = (byInterviewer[tablet.interviewer] ??= {});
    for (const categories of tablet.pending) {
      for (const { table, key } of cellsOf(plain, categories)) {
        add(serverCounts, table, key);
        add(mine, table, key);
      }
    }
    tablet.pending = [];
    tablet.unsynced = {};
    const drafts: Counts = {};
    if (tablet.open !== undefined) {
      syncsWithDraft++;
      for (const { table, key } of cellsOf(plain, tablet.open)) add(drafts, table, key);
    }
    reported[tablet.interviewer] = drafts;
    if (mode === 'repool') {
      // Everything this interviewer did was just sent from their only tablet: they are settled.
      const done: InterviewerCounts = byInterviewer;
      serverPlan = {
        ...serverPlan,
        allocations: repool(serverPlan, done, {
          settled: [tablet.interviewer],
          drafts: reported,
        }),
      };
    }
    tablet.plan = serverPlan;
    tablet.site = copy(serverCounts);
    tablet.mine = copy(mine);
    tablet.nextSync += gap();
  };

  const decideFor = (tablet: Tablet, categories: Categories) => {
    const own: QuotaCounts = { completed: tablet.own, screenedOut: EMPTY };
    if (mode === 'pooled')
      return decide(plain, categories, {
        interviewer: tablet.interviewer,
        own,
        site: { completed: taken, screenedOut: EMPTY },
      });
    const unsynced: QuotaCounts = { completed: tablet.unsynced, screenedOut: EMPTY };
    const site =
      tablet.site === undefined
        ? undefined
        : mergeCounts({ completed: tablet.site, screenedOut: EMPTY }, unsynced);
    return decide(tablet.plan, categories, {
      interviewer: tablet.interviewer,
      own: shared ? mergeOwn(own, tablet.mine, unsynced) : own,
      ...(site === undefined ? {} : { site }),
    });
  };

  /** The tablet's open interview ends, completed. */
  const finish = (tablet: Tablet): void => {
    const categories = tablet.open;
    if (categories === undefined) return;
    tablet.open = undefined;
    for (const { table, key } of cellsOf(plain, categories)) {
      add(tablet.own, table, key);
      add(tablet.unsynced, table, key);
      add(truth, table, key);
    }
    tablet.pending.push(categories);
    completed++;
  };

  outer: for (let step = 0; step < day; step++) {
    // A new order each round, so that no tablet always meets the next passer-by first.
    const order = tablets.map((tablet) => ({ tablet, rank: random() }));
    order.sort((a, b) => a.rank - b.rank);
    for (const { tablet } of order) {
      if (step >= tablet.nextSync) sync(tablet);
      finish(tablet);
      const categories = draw();
      approaches++;
      const decision = decideFor(tablet, categories);
      if (decision.status !== 'accepted' && decision.status !== 'nearly_full') continue;
      tablet.open = categories;
      for (const { table, key } of cellsOf(plain, categories)) add(taken, table, key);
      accepted++;
      if (accepted >= plain.sampleSize) break outer;
    }
  }
  for (const tablet of tablets) finish(tablet);

  const over: CellOver[] = [];
  for (const table of plain.tables) {
    for (const cell of table.cells) {
      const key = cellKey(cell.key);
      const n = truth[table.id]?.[key] ?? 0;
      const limit = siteLimit(plain, cell.target);
      if (n > limit) over.push({ table: table.id, key, count: n, limit });
    }
  }
  return {
    completed,
    approaches,
    filled: completed >= plain.sampleSize,
    over,
    syncs,
    syncsWithDraft,
  };
}

/** The survey's usual age bands for a plan made from POP6-like census tables. */
export const SIMULATION_BANDS = '18-24,25-39,40-54,55-64,65+';

/**
 * A plan (sex x age crossed, CSP marginal) and its passers-by in census proportions, from a long
 * census table `sex;age;csp;count`: every census row narrowed to the survey's age bands as the
 * plan's targets are, so passers-by have the census's joint sex x age x CSP shares.
 */
export function censusScenario(
  csv: string,
  options: { readonly sampleSize: number; readonly tolerance: number; readonly bands?: string },
): { plan: QuotaPlan; population: Passerby[] } {
  const parsed = parseCensusCsv(csv, 'csp', Object.keys(CSP_LABELS));
  if (!parsed.ok) throw new Error(`census table: ${parsed.errors[0]?.message ?? 'unreadable'}`);
  const ageBands = (options.bands ?? SIMULATION_BANDS).split(',').map((text) => {
    const band = parseAgeBand(text);
    if (band === undefined) throw new Error(`not an age band: ${text}`);
    return band;
  });
  const plan = buildPlan(parsed.rows, undefined, {
    site: 'simulation',
    questionnaire: 'smpg',
    sampleSize: options.sampleSize,
    tolerance: options.tolerance,
    ageBands,
    items: { sex: 'sex', age: 'age', csp: 'csp', diploma: 'diploma' },
    cspLabels: CSP_LABELS,
  });
  const population: Passerby[] = [];
  for (const row of parsed.rows) {
    for (const band of ageBands as readonly AgeBand[]) {
      const share = overlap(row.age, band);
      if (share === 'cannot_split' || share <= 0 || row.count <= 0) continue;
      population.push({
        categories: { sex: row.sex, age: band.code, csp: row.group },
        weight: row.count * share,
      });
    }
  }
  return { plan, population };
}
