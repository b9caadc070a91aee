// The quota board: every table's cells as bars (done / target, coloured by how full), the
// crossed table as a heat map, the interviewer's own allocation, and screen-outs per cell.
// Practice interviews never count. Site-wide totals come with sync (issue #6).
import { useEffect, useState } from 'react';
import type { QuotaCounts, QuotaPlan } from '../../core/quota/index.ts';
import { cellKey, countQuotas, siteLimit } from '../../core/quota/index.ts';
import { cellLabel, quotaRecords } from '../quota/quota-session.ts';
import type { InterviewStore } from '../storage/index.ts';
import { useUiText } from '../ui-text.ts';

function fullness(done: number, limit: number): 'low' | 'mid' | 'high' | 'full' {
  if (limit <= 0 || done >= limit) return 'full';
  const share = done / limit;
  return share >= 0.9 ? 'high' : share >= 0.5 ? 'mid' : 'low';
}

export function QuotaScreen({
  store,
  plan,
  interviewer,
  language,
  onBack,
}: {
  readonly store: InterviewStore;
  readonly plan: QuotaPlan;
  readonly interviewer: string;
  readonly language: string;
  readonly onBack: () => void;
}) {
  const text = useUiText();
  const [counts, setCounts] = useState<{ device: QuotaCounts; own: QuotaCounts }>();
  useEffect(() => {
    let cancelled = false;
    void store.listInterviews().then((records) => {
      if (cancelled) return;
      const relevant = quotaRecords(records);
      setCounts({
        device: countQuotas(plan, relevant),
        own: countQuotas(plan, relevant, interviewer),
      });
    });
    return () => {
      cancelled = true;
    };
  }, [store, plan, interviewer]);
  const allocation = plan.allocations?.find((entry) => entry.interviewer === interviewer);

  return (
    <main className="screen quotas">
      <h1>{text.quotaBoard}</h1>
      <p>
        {text.siteLabel} <strong>{plan.site}</strong> · {text.sampleSize} {plan.sampleSize} ·{' '}
        {text.tolerance} {Math.round(plan.tolerance * 100)} %
      </p>
      <p className="small">{text.quotaDeviceOnly}</p>
      {plan.allocations !== undefined && allocation === undefined && (
        <p className="field-error" role="alert">
          {text.noAllocation}
        </p>
      )}
      {counts &&
        plan.tables.map((table) => {
          const crossed = table.variables.length === 2;
          const rows = crossed
            ? (plan.variables.find((v) => v.id === table.variables[0])?.categories ?? [])
            : [];
          const columns = crossed
            ? (plan.variables.find((v) => v.id === table.variables[1])?.categories ?? [])
            : [];
          return (
            <section key={table.id} className="card" aria-labelledby={`quota-${table.id}`}>
              <h2 id={`quota-${table.id}`}>
                {table.variables
                  .map(
                    (id) =>
                      plan.variables.find((v) => v.id === id)?.label?.[language] ??
                      text.quotaVariables[id as keyof typeof text.quotaVariables] ??
                      id,
                  )
                  .join(' × ')}
              </h2>
              {crossed && (
                <table className="heatmap">
                  <caption className="visually-hidden">{text.quotaHeatmap}</caption>
                  <thead>
                    <tr>
                      <td />
                      {columns.map((column) => (
                        <th key={column.code} scope="col">
                          {column.label?.[language] ?? column.code}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.code}>
                        <th scope="row">{row.label?.[language] ?? row.code}</th>
                        {columns.map((column) => {
                          const key = cellKey([row.code, column.code]);
                          const target =
                            table.cells.find((cell) => cellKey(cell.key) === key)?.target ?? 0;
                          const done = counts.device.completed[table.id]?.[key] ?? 0;
                          return (
                            <td
                              key={key}
                              className={`level-${fullness(done, siteLimit(plan, target))}`}
                            >
                              {done} / {target}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <ul className="quota-bars">
                {table.cells.map((cell) => {
                  const key = cellKey(cell.key);
                  const done = counts.device.completed[table.id]?.[key] ?? 0;
                  const mine = counts.own.completed[table.id]?.[key] ?? 0;
                  const refused = counts.device.screenedOut[table.id]?.[key] ?? 0;
                  const limit = siteLimit(plan, cell.target);
                  const share = allocation?.targets[table.id]?.[key];
                  const label = cellLabel(plan, table.id, key, language);
                  return (
                    <li key={key} data-cell={`${table.id}/${key}`}>
                      <span className="quota-label">{label}</span>
                      <meter
                        min={0}
                        max={Math.max(cell.target, 1)}
                        low={Math.max(cell.target, 1) * 0.5}
                        high={Math.max(cell.target, 1) * 0.9}
                        optimum={0}
                        value={Math.min(done, Math.max(cell.target, 1))}
                        aria-label={`${label} : ${done} / ${cell.target}`}
                      />
                      <span className={`quota-figures level-${fullness(done, limit)}`}>
                        {done} / {cell.target}
                        {share !== undefined && ` · ${text.quotaMine} ${mine} / ${share}`}
                        {refused > 0 && ` · ${text.quotaScreenedOut} ${refused}`}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      <button type="button" onClick={onBack}>
        {text.backHome}
      </button>
    </main>
  );
}
