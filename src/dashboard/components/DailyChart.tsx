// Interviews per day as an inline SVG bar chart (completed, and screen-outs stacked above, the
// day's total over each bar) with its legend, the same figures in a table for screen readers and
// for copying, and screen-outs by reason in the questionnaire's words. The days are the site's
// (the server counts them in its time zone), which the chart names.
import type { SiteSummary, SummaryDay } from '../../core/protocol/index.ts';
import { day, daysBetween } from '../format.ts';
import { fill, useText } from '../text.ts';
import { StackedBar } from './StackedBar.tsx';

/** Days without interviews are drawn (as gaps) when the fieldwork spans at most this many days. */
const MAX_FILLED_DAYS = 62;
const BAR = 36;
const GAP = 12;
const HEIGHT = 220;
const TOP = 18;
const BOTTOM = 34;
const LEFT = 8;

export function DailyChart({
  summary,
  language,
  timeZone,
  reasons,
}: {
  readonly summary: SiteSummary;
  readonly language: string;
  /** The IANA zone the days were counted in. */
  readonly timeZone: string;
  /** Each screen-out's words in the published questionnaires (`under_18`: "Hors cible : …"). */
  readonly reasons?: ReadonlyMap<string, string> | undefined;
}) {
  const text = useText();
  const known = summary.perDay;
  const firstDay = known[0];
  const lastDay = known.at(-1);
  if (firstDay === undefined || lastDay === undefined) return <p>{text.dailyNone}</p>;
  const byDate = new Map(known.map((entry) => [entry.date, entry]));
  const dates =
    daysBetween(firstDay.date, lastDay.date, MAX_FILLED_DAYS) ?? known.map((e) => e.date);
  const days: SummaryDay[] = dates.map(
    (date) => byDate.get(date) ?? { date, completed: 0, screenedOut: 0 },
  );
  const most = Math.max(1, ...days.map((entry) => entry.completed + entry.screenedOut));
  const scale = (HEIGHT - TOP - BOTTOM) / most;
  const width = LEFT * 2 + days.length * (BAR + GAP);
  const every = days.length > 31 ? 7 : 1;
  const described = days
    .filter((entry) => entry.completed + entry.screenedOut > 0)
    .map((entry) => `${day(entry.date, language, false)} ${entry.completed + entry.screenedOut}`)
    .join(', ');

  return (
    <>
      {/* Focusable: on a phone the chart scrolls sideways, and a keyboard must scroll it too. */}
      <figure className="chart" tabIndex={0}>
        <svg
          role="img"
          aria-label={fill(text.dailyChart, { summary: described, zone: timeZone })}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width={width}
          height={HEIGHT}
          data-chart="daily"
        >
          <line
            x1={LEFT}
            x2={width - LEFT}
            y1={HEIGHT - BOTTOM}
            y2={HEIGHT - BOTTOM}
            className="axis"
          />
          {days.map((entry, i) => {
            const x = LEFT + i * (BAR + GAP) + GAP / 2;
            return (
              <g key={entry.date} data-day={entry.date}>
                <StackedBar
                  x={x}
                  base={HEIGHT - BOTTOM}
                  width={BAR}
                  scale={scale}
                  lower={{ count: entry.completed, className: 'bar-completed' }}
                  upper={{ count: entry.screenedOut, className: 'bar-out' }}
                  label={i % every === 0 ? day(entry.date, language, false) : undefined}
                />
              </g>
            );
          })}
        </svg>
        <figcaption className="small">
          <span className="daily-zone">{fill(text.dailyZone, { zone: timeZone })}</span>
          <ul className="legend" aria-label={text.legendTitle} data-legend="daily">
            <li>
              <span className="swatch swatch-completed" aria-hidden="true" /> {text.legendCompleted}
            </li>
            <li>
              <span className="swatch swatch-out" aria-hidden="true" /> {text.legendScreenedOut}
            </li>
            <li>{text.legendTotal}</li>
          </ul>
        </figcaption>
      </figure>
      <details>
        <summary>{text.dailyFigures}</summary>
        <div className="table-scroll" tabIndex={0}>
          <table className="data" data-table="daily">
            <caption>{text.dailyCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.date}</th>
                <th scope="col">{text.legendCompleted}</th>
                <th scope="col">{text.legendScreenedOut}</th>
                <th scope="col">{text.dailyTotal}</th>
              </tr>
            </thead>
            <tbody>
              {known.map((entry) => (
                <tr key={entry.date}>
                  <th scope="row">{day(entry.date, language)}</th>
                  <td className="number">{entry.completed}</td>
                  <td className="number">{entry.screenedOut}</td>
                  <td className="number">{entry.completed + entry.screenedOut}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {summary.screenOuts.length > 0 && (
        <table className="data" data-table="screen-outs">
          <caption>{text.screenOutsCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.reason}</th>
              <th scope="col">{text.count}</th>
            </tr>
          </thead>
          <tbody>
            {summary.screenOuts.map((entry) => (
              <tr key={entry.reason}>
                <th scope="row">
                  {reasons?.get(entry.reason) ?? text.reasons[entry.reason] ?? entry.reason}
                </th>
                <td className="number">{entry.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
