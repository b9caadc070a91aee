// A quota plan's tables drawn from counts: every cell as a bar (done / target, coloured by how
// full), the crossed tables as a heat map, an interviewer's own share, and screen-outs per cell.
// Shared by the tablet's quota board and the coordinator dashboard; the counts come as props.
import type { Allocation, CellCounts, QuotaPlan } from '../../core/quota/index.ts';
import { cellKey, siteLimit } from '../../core/quota/index.ts';
import { cellLabel } from '../quota/quota-session.ts';

/** "Femme · 25-39" for a cell key, with the plan's labels (for pages that show cells elsewhere). */
export { cellLabel };

/** The words the tables need, in the interface's language. */
export interface QuotaTablesText {
  /** Caption of a heat map ("Réalisés / objectif par case"). */
  readonly heatmap: string;
  /** Before the interviewer's own figures ("vous"). */
  readonly mine: string;
  /** Before the screen-outs of a cell ("refusés (quota atteint)"). */
  readonly screenedOut: string;
  /** Names of the usual quota variables, when the plan gives none. */
  readonly variables: Readonly<Record<string, string>>;
}

/** How full a cell is, for its colour: `full` at the site limit (target + tolerance). */
export function fullness(done: number, limit: number): 'low' | 'mid' | 'high' | 'full' {
  if (limit <= 0 || done >= limit) return 'full';
  const share = done / limit;
  return share >= 0.9 ? 'high' : share >= 0.5 ? 'mid' : 'low';
}

export function QuotaTables({
  plan,
  completed,
  screenedOut,
  own,
  language,
  text,
  headingLevel = 2,
}: {
  readonly plan: QuotaPlan;
  /** Completed interviews per table and cell (the site's, or the tablet's). */
  readonly completed: CellCounts;
  /** Respondents turned away because their cell was full, per table and cell. */
  readonly screenedOut: CellCounts;
  /** One interviewer's own counts and share, shown beside each cell. */
  readonly own?: { readonly counts: CellCounts; readonly allocation: Allocation } | undefined;
  readonly language: string;
  readonly text: QuotaTablesText;
  /** The level of each table's heading (2 on the tablet's board, 3 under a dashboard section). */
  readonly headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  return (
    <>
      {plan.tables.map((table) => {
        const crossed = table.variables.length === 2;
        const rows = crossed
          ? (plan.variables.find((v) => v.id === table.variables[0])?.categories ?? [])
          : [];
        const columns = crossed
          ? (plan.variables.find((v) => v.id === table.variables[1])?.categories ?? [])
          : [];
        return (
          <section key={table.id} className="card" aria-labelledby={`quota-${table.id}`}>
            <Heading id={`quota-${table.id}`}>
              {table.variables
                .map(
                  (id) =>
                    plan.variables.find((v) => v.id === id)?.label?.[language] ??
                    text.variables[id] ??
                    id,
                )
                .join(' × ')}
            </Heading>
            {crossed && (
              <table className="heatmap">
                <caption className="visually-hidden">{text.heatmap}</caption>
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
                        const done = completed[table.id]?.[key] ?? 0;
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
                const done = completed[table.id]?.[key] ?? 0;
                const mine = own?.counts[table.id]?.[key] ?? 0;
                const refused = screenedOut[table.id]?.[key] ?? 0;
                const limit = siteLimit(plan, cell.target);
                const share = own?.allocation.targets[table.id]?.[key];
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
                      {share !== undefined && ` · ${text.mine} ${mine} / ${share}`}
                      {refused > 0 && ` · ${text.screenedOut} ${refused}`}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </>
  );
}
