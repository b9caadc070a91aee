// Each interviewer's completed interviews against their share of the plan, in all and cell by
// cell, with their screen-outs and break-offs, and (for coordinators) the form that moves shares
// between interviewers.
import { useState } from 'react';
import type { SiteSummary } from '../../core/protocol/index.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import { cellKey } from '../../core/quota/index.ts';
import { cellLabel, fullness } from '../../app/components/QuotaTables.tsx';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';
import { countText } from '../../app/components/plurals.ts';
import { MoveAllocationForm } from './MoveAllocationForm.tsx';

export function InterviewerProgress({
  api,
  site,
  plan,
  summary,
  language,
  canManage,
  explain,
  onMoved,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly plan: QuotaPlan | null;
  readonly summary: SiteSummary;
  readonly language: string;
  readonly canManage: boolean;
  readonly explain: (failure: unknown) => string;
  readonly onMoved: () => void;
}) {
  const text = useText();
  const allocations = plan?.allocations;
  const [tableId, setTableId] = useState(plan?.tables[0]?.id ?? '');
  const table = plan?.tables.find((candidate) => candidate.id === tableId) ?? plan?.tables[0];
  const first = plan?.tables[0];
  /** An interviewer's share in all: their shares of the first table's cells. */
  const totalShare = (interviewer: string): number | undefined => {
    const targets = allocations?.find((entry) => entry.interviewer === interviewer)?.targets;
    if (targets === undefined || first === undefined) return undefined;
    return Object.values(targets[first.id] ?? {}).reduce((sum, n) => sum + n, 0);
  };

  // Break-offs come with the quality figures (absent from servers older than them).
  const brokenOff =
    summary.quality === undefined
      ? undefined
      : new Map(summary.quality.map((entry) => [entry.interviewer, entry.brokenOff]));

  const totals = (
    <p>
      {fill(text.totalsReceived, {
        completed: countText(text.totalsCompleted, summary.totals.completed, language),
        screenedOut: countText(text.totalsScreenedOut, summary.totals.screenedOut, language),
      })}
      {summary.brokenOff !== undefined && (
        <> {countText(text.totalsBrokenOff, summary.brokenOff, language)}</>
      )}
    </p>
  );
  if (summary.interviewers.length === 0)
    return (
      <>
        {totals}
        <p>{text.noInterviewers}</p>
      </>
    );
  return (
    <>
      {totals}
      <div className="table-scroll" tabIndex={0}>
        <table className="data" data-table="interviewers">
          <caption>{text.interviewersCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.interviewer}</th>
              <th scope="col">{text.completed}</th>
              <th scope="col">{text.share}</th>
              <th scope="col">{text.progress}</th>
              <th scope="col">{text.tooShort}</th>
              <th scope="col">{text.screenedOut}</th>
              {brokenOff !== undefined && <th scope="col">{text.brokenOff}</th>}
              <th scope="col">{text.lastInterview}</th>
            </tr>
          </thead>
          <tbody>
            {summary.interviewers.map((entry) => {
              const share = totalShare(entry.interviewer);
              return (
                <tr key={entry.interviewer} data-interviewer={entry.interviewer}>
                  <th scope="row">{entry.interviewer}</th>
                  <td className="number">{entry.completed}</td>
                  <td className="number">{share ?? text.noShare}</td>
                  <td>
                    {share !== undefined && (
                      <meter
                        min={0}
                        max={Math.max(share, 1)}
                        value={Math.min(entry.completed, Math.max(share, 1))}
                        aria-label={fill(text.progressOf, {
                          interviewer: entry.interviewer,
                          done: entry.completed,
                          share,
                        })}
                      />
                    )}
                  </td>
                  <td className={`number${entry.short > 0 ? ' flagged' : ''}`}>{entry.short}</td>
                  <td className="number">{entry.screenedOut}</td>
                  {brokenOff !== undefined && (
                    <td className="number" data-column="broken-off">
                      {brokenOff.get(entry.interviewer) ?? 0}
                    </td>
                  )}
                  <td>
                    {entry.lastEndedAt === null
                      ? text.never
                      : dateTime(entry.lastEndedAt, language)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {plan !== null && allocations === undefined && <p className="small">{text.noAllocations}</p>}

      {plan !== null && allocations !== undefined && table !== undefined && (
        <>
          {plan.tables.length > 1 && (
            <div className="field">
              <label htmlFor="cells-table">{text.cellsTable}</label>
              <select
                id="cells-table"
                value={table.id}
                onChange={(event) => setTableId(event.target.value)}
              >
                {plan.tables.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.variables
                      .map(
                        (id) =>
                          plan.variables.find((v) => v.id === id)?.label?.[language] ??
                          text.quotaVariables[id as keyof typeof text.quotaVariables] ??
                          id,
                      )
                      .join(' × ')}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="table-scroll" tabIndex={0}>
            <table className="data heatmap" data-table="shares">
              <caption>
                {fill(text.cellsCaption, {
                  table: table.variables
                    .map(
                      (id) =>
                        plan.variables.find((v) => v.id === id)?.label?.[language] ??
                        text.quotaVariables[id as keyof typeof text.quotaVariables] ??
                        id,
                    )
                    .join(' × '),
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{text.interviewer}</th>
                  {table.cells.map((cell) => (
                    <th key={cellKey(cell.key)} scope="col">
                      {cellLabel(plan, table.id, cellKey(cell.key), language)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {summary.interviewers.map((entry) => {
                  const targets = allocations.find(
                    (allocation) => allocation.interviewer === entry.interviewer,
                  )?.targets[table.id];
                  return (
                    <tr key={entry.interviewer}>
                      <th scope="row">{entry.interviewer}</th>
                      {table.cells.map((cell) => {
                        const key = cellKey(cell.key);
                        const done = entry.cells[table.id]?.[key] ?? 0;
                        const share = targets?.[key];
                        return (
                          <td
                            key={key}
                            data-cell={`${entry.interviewer}/${table.id}/${key}`}
                            className={share === undefined ? '' : `level-${fullness(done, share)}`}
                          >
                            {done} / {share ?? text.noShare}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {canManage && (
            <MoveAllocationForm
              api={api}
              site={site}
              plan={plan}
              allocations={allocations}
              interviewers={summary.interviewers.map((entry) => entry.interviewer)}
              language={language}
              explain={explain}
              onMoved={onMoved}
            />
          )}
        </>
      )}
    </>
  );
}
