// A quota plan's tables drawn from counts: every cell as a row of a table, its bar in one column
// whatever the label's width and its figures in the next ones (done / target, coloured by how
// full; an interviewer's own share; screen-outs), so screen readers read numbers with their
// headers; the crossed tables also as a heat map. Shared by the tablet's quota board and the
// coordinator dashboard; the counts come as props.
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
  /** Header of the done / target column ("Réalisés / objectif"); the heat map's caption if absent. */
  readonly doneOfTarget?: string | undefined;
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
        const name = table.variables
          .map(
            (id) =>
              plan.variables.find((v) => v.id === id)?.label?.[language] ??
              text.variables[id] ??
              id,
          )
          .join(' × ');
        // The screen-outs' column only where a cell of this table has turned someone away.
        const refusals = Object.values(screenedOut[table.id] ?? {}).some((count) => count > 0);
        return (
          <section key={table.id} className="card" aria-labelledby={`quota-${table.id}`}>
            <Heading id={`quota-${table.id}`}>{name}</Heading>
            {crossed && (
              // Focusable, so that a keyboard scrolls it when it is wider than the screen.
              <div className="heatmap-scroll" tabIndex={0}>
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
              </div>
            )}
            <div className="heatmap-scroll" tabIndex={0}>
              <table className="quota-bars" aria-labelledby={`quota-${table.id}`}>
                <thead>
                  <tr>
                    <th scope="col">{name}</th>
                    {/* The bars' column: the figures beside them say the same to screen readers. */}
                    <td aria-hidden="true" />
                    <th scope="col">{text.doneOfTarget ?? text.heatmap}</th>
                    {own !== undefined && <th scope="col">{text.mine}</th>}
                    {refusals && <th scope="col">{text.screenedOut}</th>}
                  </tr>
                </thead>
                <tbody>
                  {table.cells.map((cell) => {
                    const key = cellKey(cell.key);
                    const done = completed[table.id]?.[key] ?? 0;
                    const limit = siteLimit(plan, cell.target);
                    const share = own?.allocation.targets[table.id]?.[key];
                    return (
                      <tr key={key} data-cell={`${table.id}/${key}`}>
                        <th scope="row" className="quota-label">
                          {cellLabel(plan, table.id, key, language)}
                        </th>
                        <td className="quota-bar" aria-hidden="true">
                          <meter
                            min={0}
                            max={Math.max(cell.target, 1)}
                            low={Math.max(cell.target, 1) * 0.5}
                            high={Math.max(cell.target, 1) * 0.9}
                            optimum={0}
                            value={Math.min(done, Math.max(cell.target, 1))}
                          />
                        </td>
                        <td className={`quota-figures level-${fullness(done, limit)}`}>
                          {done} / {cell.target}
                        </td>
                        {own !== undefined && (
                          <td className="quota-figures" data-column="own">
                            {share === undefined
                              ? '—'
                              : `${own.counts[table.id]?.[key] ?? 0} / ${share}`}
                          </td>
                        )}
                        {refusals && (
                          <td className="quota-figures" data-column="screened-out">
                            {screenedOut[table.id]?.[key] ?? 0}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </>
  );
}
