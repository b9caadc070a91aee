// The drafts under way on this tablet that the server is told of at each sync, so that re-pooling
// keeps their cells' shares. Apart from quota-session.ts: only the sync engine, loaded after the
// first screen, needs it, and the tablets' first download must not carry it.
import type { OpenDraft } from '../../core/protocol/open-drafts.ts';
import { MAX_OPEN_DRAFTS } from '../../core/protocol/open-drafts.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import { cellsOf } from '../../core/quota/index.ts';
import type { InterviewRecord } from '../storage/index.ts';
import { holdsPlace } from './quota-session.ts';

/**
 * The interviews under way on this device that have passed the quota questions (their respondent
 * was not refused for a full cell), with the cells they fall in (`table/key`): the tablet reports
 * them at each sync so that re-pooling keeps their shares. Practice interviews, other sites'
 * interviews and drafts untouched for `OPEN_DRAFT_HOURS` (left, not under way) are not reported;
 * the most recently touched first, at most `MAX_OPEN_DRAFTS`.
 */
export function openDrafts(
  plan: QuotaPlan,
  records: readonly InterviewRecord[],
  site: string,
  now: Date,
): OpenDraft[] {
  return records
    .filter((record) => record.site === site && holdsPlace(record, now))
    .sort((a, b) => (a.updatedAt > b.updatedAt ? -1 : a.updatedAt < b.updatedAt ? 1 : 0))
    .map((record) => ({
      interviewer: record.interviewer,
      cells: cellsOf(plan, record.quota?.categories ?? {}).map(
        ({ table, key }) => `${table}/${key}`,
      ),
    }))
    .filter((draft) => draft.cells.length > 0)
    .slice(0, MAX_OPEN_DRAFTS);
}
