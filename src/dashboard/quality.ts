// When an interviewer's figures are far enough from the site's to be worth a coordinator's look
// (one who rushes, or leads the answers): the rule the quality table marks, kept out of the
// component so it can be tested and stated once.
import type { QualityFigures } from '../core/protocol/index.ts';

/** An interviewer's figures are compared with the site's only from this many interviews on. */
export const MIN_INTERVIEWS_TO_COMPARE = 10;
/** Above this many times the site's value, a figure is marked high... */
export const HIGH_RATIO = 1.5;
/** ...and below this many times it, low. */
export const LOW_RATIO = 0.5;
/** Break-offs are marked (high only) from this many on: one alone says nothing. */
export const MIN_BREAK_OFFS_TO_MARK = 2;

export type QualityMeasure =
  'medianSeconds' | 'dontKnowShare' | 'refusedShare' | 'positiveScreenShare' | 'breakOffShare';

export const QUALITY_MEASURES: readonly QualityMeasure[] = [
  'medianSeconds',
  'dontKnowShare',
  'refusedShare',
  'positiveScreenShare',
  'breakOffShare',
];

export type Far = 'high' | 'low';

/** Interviews broken off among those begun after consent (completed or broken off), or null. */
export function breakOffShare(figures: QualityFigures): number | null {
  const begun = figures.completed + figures.brokenOff;
  return begun === 0 ? null : figures.brokenOff / begun;
}

/** One figure of a row or of the site, by measure. */
export function measureOf(figures: QualityFigures, measure: QualityMeasure): number | null {
  return measure === 'breakOffShare' ? breakOffShare(figures) : figures[measure];
}

/**
 * `high` when `value` is more than HIGH_RATIO times the site's, `low` when less than LOW_RATIO
 * times it; nothing when either is unknown or the site's is zero (no ratio to take).
 */
export function farFromSite(value: number | null, site: number | null): Far | undefined {
  if (value === null || site === null || !(site > 0)) return undefined;
  if (value > site * HIGH_RATIO) return 'high';
  if (value < site * LOW_RATIO) return 'low';
  return undefined;
}

/**
 * The figures of one interviewer that are far from the site's. Only for an interviewer with at
 * least MIN_INTERVIEWS_TO_COMPARE completed interviews (begun ones for break-offs): fewer say
 * more about chance than about the way they interview. Break-offs are marked only when high and
 * at least MIN_BREAK_OFFS_TO_MARK: having none while the site has a few is no concern.
 */
export function qualityFlags(
  row: QualityFigures,
  site: QualityFigures,
): Partial<Record<QualityMeasure, Far>> {
  const flags: Partial<Record<QualityMeasure, Far>> = {};
  for (const measure of QUALITY_MEASURES) {
    const breakOffs = measure === 'breakOffShare';
    const interviews = breakOffs ? row.completed + row.brokenOff : row.completed;
    if (interviews < MIN_INTERVIEWS_TO_COMPARE) continue;
    const far = farFromSite(measureOf(row, measure), measureOf(site, measure));
    if (far === undefined) continue;
    if (breakOffs && (far === 'low' || row.brokenOff < MIN_BREAK_OFFS_TO_MARK)) continue;
    flags[measure] = far;
  }
  return flags;
}
