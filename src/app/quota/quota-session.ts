// Quotas on the device: when to decide (after the last quota question), counting this
// interviewer's interviews from their records, and naming cells for people.
import type { Answer, Questionnaire } from '../../core/questionnaire/index.ts';
import type { QuotaCounts, QuotaDecision, QuotaPlan, QuotaRecord } from '../../core/quota/index.ts';
import { QUOTA_FULL_SCREEN_OUT, quotaOutcome } from '../../core/quota/index.ts';
import { classify, countQuotas, decide, mergeCounts, mergeOwn } from '../../core/quota/index.ts';
import { OPEN_DRAFT_HOURS } from '../../core/protocol/open-drafts.ts';
import type { InterviewRecord, SiteCounts } from '../storage/index.ts';

/** The screen-out id of a respondent whose quota cell is full ("quota atteint"). */
export const QUOTA_FULL = QUOTA_FULL_SCREEN_OUT;

export { planOf } from './stored-plan.ts';

/** Position of the last item that feeds a quota variable: the decision comes after it. */
export function quotaCheckpoint(q: Questionnaire, plan: QuotaPlan): number {
  if (plan.questionnaire !== q.definition.id) return -1;
  let last = -1;
  for (const variable of plan.variables) {
    const entry = q.itemById.get(variable.source.item);
    if (entry !== undefined && entry.position > last) last = entry.position;
  }
  return last;
}

/** What counts from the device's records: completed interviews and quota screen-outs. */
export function quotaRecords(records: readonly InterviewRecord[]): QuotaRecord[] {
  const out: QuotaRecord[] = [];
  for (const record of records) {
    if (record.quota === undefined) continue;
    const outcome = quotaOutcome(record.status, record.screenOutId);
    if (outcome === undefined) continue;
    out.push({
      interviewer: record.interviewer,
      outcome,
      practice: record.practice,
      categories: record.quota.categories,
    });
  }
  return out;
}

/** This interviewer's counts on this device. */
export function ownCounts(
  plan: QuotaPlan,
  records: readonly InterviewRecord[],
  interviewer: string,
): QuotaCounts {
  return countQuotas(plan, quotaRecords(records), interviewer);
}

/**
 * Whether the server's counts already hold this interview: it was acknowledged before the device
 * received them. Anything else (waiting, acknowledged later, refused) is added to them.
 */
function inServerCounts(record: InterviewRecord, counts: SiteCounts): boolean {
  return (
    record.sync?.state === 'sent' &&
    record.sync.sentAt !== undefined &&
    record.sync.sentAt <= counts.receivedAt
  );
}

/**
 * Site-wide counts as this device sees them (the merge rule of src/core/quota): the server's
 * counts plus every interview on the device, whoever made it, that they do not hold yet.
 */
export function siteCountsFor(
  plan: QuotaPlan,
  server: SiteCounts,
  records: readonly InterviewRecord[],
): QuotaCounts {
  const unsynced = countQuotas(
    plan,
    quotaRecords(records.filter((record) => !inServerCounts(record, server))),
  );
  return mergeCounts({ completed: server.completed, screenedOut: server.screenedOut }, unsynced);
}

/**
 * An interviewer's counts for their allocation (the merge rule of src/core/quota, `mergeOwn`):
 * with the server's per-interviewer counts, theirs on every tablet plus theirs on this device that
 * the server does not hold yet, never below this device's; otherwise this device's alone.
 */
export function interviewerCountsFor(
  plan: QuotaPlan,
  records: readonly InterviewRecord[],
  interviewer: string,
  server?: SiteCounts,
): QuotaCounts {
  const own = ownCounts(plan, records, interviewer);
  if (server?.interviewers === undefined) return own;
  const unsynced = countQuotas(
    plan,
    quotaRecords(records.filter((record) => !inServerCounts(record, server))),
    interviewer,
  );
  // Own keys only: a code such as `__proto__` must not find Object.prototype.
  const theirs = Object.hasOwn(server.interviewers, interviewer)
    ? server.interviewers[interviewer]
    : undefined;
  return mergeOwn(own, theirs, unsynced);
}

/**
 * Whether `record` is an interview under way that holds a place in its cells: past the quota
 * questions and accepted, touched within `OPEN_DRAFT_HOURS` (an older draft was left, not under
 * way), not a practice one. The same drafts the tablet reports to the server at each sync.
 */
export function holdsPlace(record: InterviewRecord, now: Date): boolean {
  const since = new Date(now.getTime() - OPEN_DRAFT_HOURS * 3600_000).toISOString();
  return (
    (record.status === 'screening' || record.status === 'in_progress') &&
    !record.practice &&
    record.quota !== undefined &&
    record.quota.status !== 'full' &&
    record.updatedAt >= since
  );
}

/**
 * The decision for the respondent of `record`, against the other interviews on the device and,
 * when the server's counts are known (`siteCounts`), against the site-wide counts and the
 * interviewer's interviews on every tablet too. Interviews under way on the device count as if
 * completed (`holdsPlace`): two respondents of one cell interviewed at once must not both take
 * its last place.
 */
export function decideRespondent(
  plan: QuotaPlan,
  record: InterviewRecord,
  answers: ReadonlyMap<string, Answer>,
  others: readonly InterviewRecord[],
  siteCounts?: SiteCounts,
  now: Date = new Date(),
): { categories: Record<string, string | undefined>; decision: QuotaDecision } {
  const categories = classify(plan, answers);
  const rest = others
    .filter((other) => other.id !== record.id)
    .map((other) => (holdsPlace(other, now) ? { ...other, status: 'completed' as const } : other));
  const own = interviewerCountsFor(plan, rest, record.interviewer, siteCounts);
  const site = siteCounts === undefined ? undefined : siteCountsFor(plan, siteCounts, rest);
  return {
    categories,
    decision: decide(plan, categories, {
      interviewer: record.interviewer,
      own,
      ...(site === undefined ? {} : { site }),
    }),
  };
}

/** "Femme · 25-39" for a cell key, with the plan's labels when it has them. */
export function cellLabel(plan: QuotaPlan, tableId: string, key: string, language: string): string {
  const table = plan.tables.find((candidate) => candidate.id === tableId);
  const codes = key.split('|');
  return (table?.variables ?? [])
    .map((variableId, i) => {
      const code = codes[i] ?? '';
      const category = plan.variables
        .find((v) => v.id === variableId)
        ?.categories.find((c) => c.code === code);
      return category?.label?.[language] ?? category?.label?.['fr'] ?? code;
    })
    .join(' · ');
}
