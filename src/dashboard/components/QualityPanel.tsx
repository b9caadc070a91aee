// Quality per interviewer (median duration, "don't know", "refused", positive screens,
// break-offs) against the whole site's, with the figures far from the site's marked by the rule
// of quality.ts: so a coordinator sees an interviewer who rushes or leads.
import type { QualityFigures, SiteSummary } from '../../core/protocol/index.ts';
import { duration } from '../format.ts';
import type { Far, QualityMeasure } from '../quality.ts';
import {
  HIGH_RATIO,
  LOW_RATIO,
  MIN_BREAK_OFFS_TO_MARK,
  MIN_INTERVIEWS_TO_COMPARE,
  QUALITY_MEASURES,
  measureOf,
  qualityFlags,
} from '../quality.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';
import { countText } from '../../app/components/plurals.ts';

function percent(share: number, language: string): string {
  return share.toLocaleString(language, { style: 'percent', maximumFractionDigits: 1 });
}

function shown(
  figures: QualityFigures,
  measure: QualityMeasure,
  text: DashboardTexts,
  language: string,
): string {
  if (measure === 'breakOffShare') {
    const share = measureOf(figures, measure);
    return share === null ? '0' : `${figures.brokenOff} (${percent(share, language)})`;
  }
  const value = measureOf(figures, measure);
  if (value === null) return text.noShare;
  return measure === 'medianSeconds' ? duration(value, text.minutes) : percent(value, language);
}

function headings(text: DashboardTexts): Record<QualityMeasure, string> {
  return {
    medianSeconds: text.qualityMedian,
    dontKnowShare: text.qualityDontKnow,
    refusedShare: text.qualityRefused,
    positiveScreenShare: text.qualityPositive,
    breakOffShare: text.qualityBreakOffs,
  };
}

export function QualityPanel({
  summary,
  language,
}: {
  readonly summary: SiteSummary;
  readonly language: string;
}) {
  const text = useText();
  const { quality, siteQuality } = summary;
  if (quality === undefined || siteQuality === undefined) return <p>{text.qualityNone}</p>;
  const rule = (
    <p className="small">
      {fill(text.qualityRule, {
        high: HIGH_RATIO.toLocaleString(language),
        low: LOW_RATIO.toLocaleString(language),
        min: MIN_INTERVIEWS_TO_COMPARE,
        breakOffs: MIN_BREAK_OFFS_TO_MARK,
      })}
    </p>
  );
  if (quality.length === 0)
    return (
      <>
        <p>{text.qualityIntro}</p>
        <p>{text.qualityEmpty}</p>
      </>
    );
  const rows = quality.map((row) => ({ row, flags: qualityFlags(row, siteQuality) }));
  const marked = rows.filter(({ flags }) => Object.keys(flags).length > 0).length;
  const titles = headings(text);
  const tag = (far: Far) => (far === 'high' ? text.qualityHigh : text.qualityLow);

  return (
    <>
      <p>{text.qualityIntro}</p>
      {rule}
      <p className={marked > 0 ? 'notice' : undefined}>
        {marked > 0 ? countText(text.qualityMarked, marked, language) : text.qualityNoneMarked}
      </p>
      <div className="table-scroll" tabIndex={0}>
        <table className="data" data-table="quality">
          <caption>{text.qualityCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.interviewer}</th>
              <th scope="col">{text.completed}</th>
              {QUALITY_MEASURES.map((measure) => (
                <th key={measure} scope="col">
                  {titles[measure]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="quality-site" data-interviewer="">
              <th scope="row">{text.qualitySite}</th>
              <td className="number">{siteQuality.completed}</td>
              {QUALITY_MEASURES.map((measure) => (
                <td key={measure} className="number">
                  {shown(siteQuality, measure, text, language)}
                </td>
              ))}
            </tr>
            {rows.map(({ row, flags }) => {
              const few = row.completed < MIN_INTERVIEWS_TO_COMPARE;
              return (
                <tr key={row.interviewer} data-interviewer={row.interviewer}>
                  <th scope="row">
                    {row.interviewer}
                    {few && (
                      <span className="small quality-few">
                        {' '}
                        ({fill(text.qualityFew, { min: MIN_INTERVIEWS_TO_COMPARE })})
                      </span>
                    )}
                  </th>
                  <td className="number">{row.completed}</td>
                  {QUALITY_MEASURES.map((measure) => {
                    const far = flags[measure];
                    const value = measureOf(row, measure);
                    const site = measureOf(siteQuality, measure);
                    return far === undefined || value === null || site === null ? (
                      <td key={measure} className="number" data-measure={measure}>
                        {shown(row, measure, text, language)}
                      </td>
                    ) : (
                      <td
                        key={measure}
                        className="number flagged"
                        data-measure={measure}
                        data-far={far}
                        title={fill(text.qualityFarTitle, {
                          ratio: (value / site).toLocaleString(language, {
                            maximumFractionDigits: 2,
                          }),
                          site:
                            measure === 'medianSeconds'
                              ? duration(site, text.minutes)
                              : percent(site, language),
                        })}
                      >
                        {shown(row, measure, text, language)}
                        <span className="tag tag-flag">{tag(far)}</span>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
