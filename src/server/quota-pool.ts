// A site's quota state as a tablet syncing receives it: the counts per cell and per interviewer,
// and the shares kept right (src/core/quota `equalAllocations` and `repool`), one site at a time
// so that two tablets syncing at once cannot both take the same free share.
import type { CellCounts, QuotaCounts, QuotaPlan, QuotaRecord } from '../core/quota/index.ts';
import { countQuotas, equalAllocations, repool } from '../core/quota/index.ts';
import { quotaRecord } from './dashboard.ts';
import type { StoredRecord } from './store/types.ts';

export type PoolRow = Pick<
  StoredRecord,
  'deviceId' | 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'
>;

export interface SiteQuotaCounts {
  readonly counts: QuotaCounts;
  /** Completed interviews per interviewer, cell by cell. */
  readonly interviewerCounts: Record<string, CellCounts>;
  /** The tablets each interviewer's records came from. */
  readonly devices: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Counts a site's stored records, per cell and per interviewer. */
export function siteQuotaCounts(plan: QuotaPlan, rows: readonly PoolRow[]): SiteQuotaCounts {
  const records: QuotaRecord[] = [];
  const devices = new Map<string, Set<string>>();
  for (const row of rows) {
    const seen = devices.get(row.interviewer) ?? new Set<string>();
    seen.add(row.deviceId);
    devices.set(row.interviewer, seen);
    const record = quotaRecord(row);
    if (record !== undefined) records.push(record);
  }
  const byInterviewer = new Map<string, QuotaRecord[]>();
  for (const record of records) {
    if (record.outcome !== 'completed') continue;
    const theirs = byInterviewer.get(record.interviewer) ?? [];
    theirs.push(record);
    byInterviewer.set(record.interviewer, theirs);
  }
  // No prototype: interviewer codes such as `__proto__` stay keys.
  const interviewerCounts = Object.create(null) as Record<string, CellCounts>;
  for (const [interviewer, theirs] of byInterviewer)
    interviewerCounts[interviewer] = countQuotas(plan, theirs).completed;
  return { counts: countQuotas(plan, records), interviewerCounts, devices };
}

/** The tablet asking, as far as pooling goes. */
export interface SyncingDevice {
  readonly id: string;
  /** How many records it said were still waiting at its last upload (null: never said). */
  readonly lastPending: number | null;
}

/**
 * The plan with its shares as they should now be, or undefined when they stay as they are. A plan
 * without allocations gets equal ones once more than one interviewer is known (from the records
 * or the allocations); when a tablet asks, the interviewers it alone has records of, and that it
 * has sent everything of, are settled and re-pooled (see `repool`). A dashboard's read changes
 * nothing.
 */
export function pooledPlan(
  plan: QuotaPlan,
  counts: SiteQuotaCounts,
  device: SyncingDevice | undefined,
): QuotaPlan | undefined {
  if (device === undefined) return undefined;
  const known = [...counts.devices.keys()].sort();
  const hasShares = plan.allocations !== undefined && plan.allocations.length > 0;
  if (!hasShares && known.length < 2) return undefined;
  const base: QuotaPlan = hasShares
    ? plan
    : { ...plan, allocations: equalAllocations(plan, known) };
  const sentAll = device.lastPending === null || device.lastPending === 0;
  const settled = sentAll
    ? known.filter((interviewer) => {
        const tablets = counts.devices.get(interviewer);
        return tablets?.size === 1 && tablets.has(device.id);
      })
    : [];
  const allocations = repool(base, counts.interviewerCounts, { settled, known });
  if (hasShares && JSON.stringify(allocations) === JSON.stringify(plan.allocations))
    return undefined;
  return { ...plan, allocations };
}

/** Runs one task per site at a time, in the order they come (per app: no module-level state). */
export function siteQueue(): <T>(site: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(site: string, task: () => Promise<T>): Promise<T> => {
    const before = tails.get(site) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(site, tail);
    try {
      return await run;
    } finally {
      if (tails.get(site) === tail) tails.delete(site);
    }
  };
}
