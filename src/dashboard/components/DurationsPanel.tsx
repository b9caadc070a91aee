// Interview durations: a histogram in 5-minute bins (inline SVG) with the part under the site's
// threshold in the flag colour, the median, and every too-short interview listed for checking.
import type { DeviceInfo, SiteSummary } from '../../core/protocol/index.ts';
import { dateTime, duration } from '../format.ts';
import { fill, useText } from '../text.ts';
import { StackedBar } from './StackedBar.tsx';

const BAR = 30;
const GAP = 8;
const HEIGHT = 200;
const TOP = 18;
const BOTTOM = 34;
const LEFT = 8;

export function DurationsPanel({
  summary,
  devices,
  language,
}: {
  readonly summary: SiteSummary;
  /** To name tablets by their label; undefined when the caller may not list them. */
  readonly devices: readonly DeviceInfo[] | undefined;
  readonly language: string;
}) {
  const text = useText();
  const { durations, shortInterviewSeconds } = summary;
  const threshold = duration(shortInterviewSeconds, text.minutes);
  const labels = new Map((devices ?? []).map((device) => [device.id, device.label]));
  if (durations.medianSeconds === null) return <p>{text.durationsNone}</p>;
  // Bins after the last one with interviews are left out (the open bin stays if used).
  const lastUsed = durations.bins.reduce((last, bin, i) => (bin.count > 0 ? i : last), 0);
  const bins = durations.bins.slice(0, Math.max(lastUsed + 1, 1));
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  const scale = (HEIGHT - TOP - BOTTOM) / most;
  const width = LEFT * 2 + bins.length * (BAR + GAP);
  const hidden = summary.totals.short - durations.short.length;

  return (
    <>
      <p>
        {fill(text.durationsIntro, {
          median: duration(durations.medianSeconds, text.minutes),
          threshold,
        })}
      </p>
      {/* Focusable: on a phone the chart scrolls sideways, and a keyboard must scroll it too. */}
      <figure className="chart" tabIndex={0}>
        <svg
          role="img"
          aria-label={fill(text.durationsChart, { short: summary.totals.short })}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width={width}
          height={HEIGHT}
          data-chart="durations"
        >
          <line
            x1={LEFT}
            x2={width - LEFT}
            y1={HEIGHT - BOTTOM}
            y2={HEIGHT - BOTTOM}
            className="axis"
          />
          {bins.map((bin, i) => {
            const x = LEFT + i * (BAR + GAP) + GAP / 2;
            return (
              <g key={bin.fromMinutes}>
                <StackedBar
                  x={x}
                  base={HEIGHT - BOTTOM}
                  width={BAR}
                  scale={scale}
                  lower={{ count: bin.short, className: 'bar-short' }}
                  upper={{ count: bin.count - bin.short, className: 'bar-completed' }}
                  label={
                    i % 2 === 0
                      ? bin.toMinutes === null
                        ? `${bin.fromMinutes}+`
                        : bin.fromMinutes
                      : undefined
                  }
                />
              </g>
            );
          })}
        </svg>
        <figcaption className="legend small">
          <span className="swatch swatch-completed" aria-hidden="true" /> {text.legendCompleted}{' '}
          <span className="swatch swatch-short" aria-hidden="true" /> {text.shortTag} ({'<'}{' '}
          {threshold}) · {text.durationsAxis}
        </figcaption>
      </figure>
      {durations.short.length === 0 ? (
        <p>{text.shortNone}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="data" data-table="short">
            <caption>{fill(text.shortCaption, { threshold })}</caption>
            <thead>
              <tr>
                <th scope="col">{text.date}</th>
                <th scope="col">{text.interviewer}</th>
                <th scope="col">{text.device}</th>
                <th scope="col">{text.duration}</th>
                <th scope="col">{text.interviewId}</th>
              </tr>
            </thead>
            <tbody>
              {durations.short.map((entry) => (
                <tr key={entry.id} data-interview={entry.id}>
                  <td>{dateTime(entry.endedAt, language)}</td>
                  <td>{entry.interviewer}</td>
                  <td>{labels.get(entry.deviceId) ?? entry.deviceId.slice(0, 8)}</td>
                  <td className="flagged">
                    <span className="tag tag-flag">{text.shortTag}</span>
                    {duration(entry.durationSeconds, text.minutes)}
                  </td>
                  <td>
                    <code>{entry.id}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 && <p className="small">{fill(text.shortMore, { count: hidden })}</p>}
    </>
  );
}
