// A site's quota state as a tablet syncing receives it: the counts per cell and per interviewer,
// and the shares kept right (src/core/quota `equalAllocations` and `repool`), with the drafts
// tablets have open, one site at a time so that two tablets syncing at once cannot both take the
// same free share.
import type { OpenDraft } from '../core/protocol/index.ts';
import { OPEN_DRAFT_HOURS } from '../core/protocol/index.ts';
import type { CellCounts, QuotaCounts, QuotaPlan, QuotaRecord } from '../core/quota/index.ts';
import { cellKey, countQuotas, equalAllocations, repool } from '../core/quota/index.ts';
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
  /** The interviewer the tablet says it is used by (absent from older apps). */
  readonly interviewer?: string | undefined;
}

/** What the site's tablets have under way, as far as their last reports say. */
export interface SiteDrafts {
  /** Open drafts per interviewer, cell by cell. */
  readonly counts: Record<string, CellCounts>;
  /** The tablets each interviewer has drafts open on. */
  readonly devices: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A record without a prototype: interviewer codes, table ids and keys such as `__proto__` stay keys. */
function noPrototype<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export const NO_DRAFTS: SiteDrafts = { counts: noPrototype(), devices: new Map() };

/**
 * The open drafts each tablet reported at its last quota state request, kept in memory (per
 * process, like the site queue: a restart forgets them until each tablet's next sync). A report
 * replaces the tablet's previous one (a draft it omits has ended); a report older than
 * `OPEN_DRAFT_HOURS` is forgotten.
 */
export interface DraftBook {
  /** Replaces what `device` of `site` has under way; only the plan's cells are kept. */
  report(
    site: string,
    device: string,
    drafts: readonly OpenDraft[],
    plan: QuotaPlan | null,
    at: number,
  ): void;
  /** The site's open drafts reported within the last hours, counted in the plan's cells. */
  drafts(site: string, plan: QuotaPlan, at: number): SiteDrafts;
  /** Forgets a site's reports (the site is deleted). */
  forget(site: string): void;
}

/** The cells of a plan as `table/key`. */
function planCells(plan: QuotaPlan): Set<string> {
  const cells = new Set<string>();
  for (const table of plan.tables)
    for (const cell of table.cells) cells.add(`${table.id}/${cellKey(cell.key)}`);
  return cells;
}

/** A tablet's last report: when, and the drafts it had open. */
interface Report {
  readonly at: number;
  readonly drafts: readonly OpenDraft[];
}

export function draftBook(): DraftBook {
  const bySite = new Map<string, Map<string, Report>>();
  const ttl = OPEN_DRAFT_HOURS * 3600_000;
  const purge = (site: string, at: number) => {
    const devices = bySite.get(site);
    if (devices === undefined) return undefined;
    for (const [device, entry] of devices) if (at - entry.at > ttl) devices.delete(device);
    if (devices.size === 0) bySite.delete(site);
    return devices.size === 0 ? undefined : devices;
  };
  return {
    report(site, device, drafts, plan, at) {
      const cells = plan === null ? new Set<string>() : planCells(plan);
      const kept = drafts
        .map((draft) => ({
          interviewer: draft.interviewer,
          cells: draft.cells.filter((cell) => cells.has(cell)),
        }))
        .filter((draft) => draft.cells.length > 0);
      const devices = purge(site, at) ?? new Map<string, Report>();
      if (kept.length === 0) devices.delete(device);
      else devices.set(device, { at, drafts: kept });
      if (devices.size > 0) bySite.set(site, devices);
      else bySite.delete(site);
    },
    drafts(site, plan, at) {
      const devices = purge(site, at);
      if (devices === undefined) return NO_DRAFTS;
      const cells = planCells(plan);
      const counts = noPrototype<Record<string, Record<string, number>>>();
      const on = new Map<string, Set<string>>();
      for (const [device, entry] of devices) {
        for (const draft of entry.drafts) {
          // The plan may have changed since the report: only its cells count.
          const known = draft.cells.filter((cell) => cells.has(cell));
          if (known.length === 0) continue;
          const mine = (counts[draft.interviewer] ??= noPrototype());
          for (const cell of known) {
            const slash = cell.indexOf('/');
            const table = (mine[cell.slice(0, slash)] ??= noPrototype());
            const key = cell.slice(slash + 1);
            table[key] = (table[key] ?? 0) + 1;
          }
          const seen = on.get(draft.interviewer) ?? new Set<string>();
          seen.add(device);
          on.set(draft.interviewer, seen);
        }
      }
      return { counts, devices: on };
    },
    forget(site) {
      bySite.delete(site);
    },
  };
}

/**
 * The plan with its shares as they should now be, or undefined when they stay as they are. A plan
 * without allocations gets equal ones once more than one interviewer is known (from the records,
 * the open drafts or the allocations); when a tablet asks, the interviewers it alone has records
 * and drafts of, and that it has sent everything of, are settled and re-pooled (see `repool`),
 * every open draft counted as done. A dashboard's read changes nothing.
 */
export function pooledPlan(
  plan: QuotaPlan,
  counts: SiteQuotaCounts,
  device: SyncingDevice | undefined,
  drafts: SiteDrafts = NO_DRAFTS,
): QuotaPlan | undefined {
  if (device === undefined) return undefined;
  // The tablet's own interviewer too: a newcomer with nothing sent yet must get a share, or every
  // respondent they meet would be turned away as over quota.
  const own = device.interviewer;
  const known = [
    ...new Set([
      ...counts.devices.keys(),
      ...drafts.devices.keys(),
      ...(own === undefined ? [] : [own]),
    ]),
  ].sort();
  const hasShares = plan.allocations !== undefined && plan.allocations.length > 0;
  if (!hasShares && known.length < 2) return undefined;
  const base: QuotaPlan = hasShares
    ? plan
    : { ...plan, allocations: equalAllocations(plan, known) };
  const sentAll = device.lastPending === null || device.lastPending === 0;
  const settled = sentAll
    ? known.filter((interviewer) => {
        const tablets = counts.devices.get(interviewer);
        // Drafts of theirs open on another tablet: they work on two, their count is not all here.
        const drafting = drafts.devices.get(interviewer);
        const draftsHere =
          drafting === undefined || (drafting.size === 1 && drafting.has(device.id));
        // The tablet's interviewer with nothing on the server from any tablet: all they did is here.
        if (interviewer === own && tablets === undefined) return draftsHere;
        return tablets?.size === 1 && tablets.has(device.id) && draftsHere;
      })
    : [];
  const allocations = repool(base, counts.interviewerCounts, {
    settled,
    known,
    drafts: drafts.counts,
  });
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
