// What the coordinator dashboard is told about a site: interviews per day and per interviewer,
// durations with the too-short ones flagged, screen-outs by reason, break-offs and each
// interviewer's quality figures against the site's; and the checks on a move of
// allocations that the quota plan's own rules cannot see (what interviewers have already done).
import type { QualityFigures, ShortInterview, SiteSummary } from '../core/protocol/index.ts';
import { SHORT_LIST_LIMIT } from '../core/protocol/index.ts';
import type { QuotaPlan, QuotaRecord } from '../core/quota/index.ts';
import { countQuotas, quotaOutcome } from '../core/quota/index.ts';
import type { Site, StoredRecord, SummaryRow } from './store/types.ts';

/** Duration bins of the histogram, in minutes: 0-5, 5-10, ... 85-90, then 90 and more. */
const BIN_MINUTES = 5;
const LAST_BIN_FROM = 90;
/** The largest time a Date holds, in ms. */
const MAX_TIME = 8.64e15;

/**
 * A function giving an instant's calendar day (`YYYY-MM-DD`) in an IANA time zone, or undefined
 * when the zone is unknown to this runtime.
 */
export function dayIn(timeZone: string): ((instant: number) => string) | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    return undefined;
  }
  return (instant) => {
    const parts = format.formatToParts(instant);
    const part = (type: Intl.DateTimeFormatPartTypes) =>
      parts.find((entry) => entry.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  };
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const high = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? high : ((sorted[middle - 1] ?? high) + high) / 2;
}

/** What the quality figures add up, for one interviewer or the whole site. */
interface QualityTally {
  completed: number;
  brokenOff: number;
  durations: number[];
  asked: number;
  dontKnow: number;
  refused: number;
  screens: number;
  positiveScreens: number;
}

function qualityTally(): QualityTally {
  return {
    completed: 0,
    brokenOff: 0,
    durations: [],
    asked: 0,
    dontKnow: 0,
    refused: 0,
    screens: 0,
    positiveScreens: 0,
  };
}

/** A row's part of the quality figures: completed ones count in all, broken-off ones in `brokenOff`. */
function tally(into: QualityTally, row: SummaryRow): void {
  if (row.status === 'broken_off') {
    into.brokenOff += 1;
    return;
  }
  if (row.status !== 'completed') return;
  into.completed += 1;
  into.durations.push(row.durationSeconds);
  // Records stored before the figures were kept count in the median only.
  if (row.figures === null) return;
  into.asked += row.figures.asked;
  into.dontKnow += row.figures.dontKnow;
  into.refused += row.figures.refused;
  into.screens += row.figures.screens;
  into.positiveScreens += row.figures.positiveScreens;
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function qualityFigures(tallied: QualityTally): QualityFigures {
  return {
    completed: tallied.completed,
    brokenOff: tallied.brokenOff,
    medianSeconds: median(tallied.durations),
    dontKnowShare: share(tallied.dontKnow, tallied.asked),
    refusedShare: share(tallied.refused, tallied.asked),
    positiveScreenShare: share(tallied.positiveScreens, tallied.screens),
  };
}

/** The counting view of a stored record: completed, a quota screen-out, or neither. */
export function quotaRecord(
  row: Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'>,
): QuotaRecord | undefined {
  const outcome = quotaOutcome(row.status, row.screenOutId);
  if (outcome === undefined) return undefined;
  return {
    interviewer: row.interviewer,
    outcome,
    practice: false,
    categories: JSON.parse(row.quotaCategories) as Record<string, string>,
  };
}

/**
 * The site's summary from its stored records. A record's end is its start plus its duration (the
 * device computed the duration from its end, to the second); days are counted in `timeZone`.
 */
export function siteSummary(input: {
  readonly site: Site;
  readonly plan: QuotaPlan | null;
  readonly rows: readonly SummaryRow[];
  readonly day: (instant: number) => string;
  readonly timeZone: string;
  readonly at: string;
}): SiteSummary {
  const { site, plan, rows, day } = input;
  const threshold = site.shortInterviewSeconds;
  const days = new Map<string, { completed: number; screenedOut: number }>();
  const people = new Map<
    string,
    {
      completed: number;
      screenedOut: number;
      short: number;
      lastEnded: number;
      records: QuotaRecord[];
      quality: QualityTally;
    }
  >();
  const person = (code: string) => {
    let entry = people.get(code);
    if (entry === undefined) {
      entry = {
        completed: 0,
        screenedOut: 0,
        short: 0,
        lastEnded: -Infinity,
        records: [],
        quality: qualityTally(),
      };
      people.set(code, entry);
    }
    return entry;
  };
  const siteQuality = qualityTally();
  let screenedOut = 0;
  for (const allocation of plan?.allocations ?? []) person(allocation.interviewer);
  const reasons = new Map<string, number>();
  const durations: number[] = [];
  const short: ShortInterview[] = [];
  let shortTotal = 0;
  const bins = Array.from({ length: LAST_BIN_FROM / BIN_MINUTES + 1 }, (_, i) => ({
    fromMinutes: i * BIN_MINUTES,
    toMinutes: i * BIN_MINUTES >= LAST_BIN_FROM ? null : (i + 1) * BIN_MINUTES,
    count: 0,
    short: 0,
  }));

  for (const row of rows) {
    const end = Date.parse(row.startedAt) + row.durationSeconds * 1000;
    // A duration no clock could give (the wire bounds it below only) leaves the end unknown.
    const ended = Math.abs(end) <= MAX_TIME ? end : NaN;
    const who = person(row.interviewer);
    if (Number.isFinite(ended)) who.lastEnded = Math.max(who.lastEnded, ended);
    tally(who.quality, row);
    tally(siteQuality, row);
    // A broken-off interview counts in the quality figures only: never in days, totals or quotas.
    if (row.status === 'broken_off') continue;
    const date = Number.isFinite(ended) ? day(ended) : 'unknown';
    const endedAt = Number.isFinite(ended) ? new Date(ended).toISOString() : row.startedAt;
    const today = days.get(date) ?? { completed: 0, screenedOut: 0 };
    days.set(date, today);
    const counted = plan === null ? undefined : quotaRecord(row);
    if (counted !== undefined) who.records.push(counted);
    if (row.status === 'screened_out') {
      screenedOut += 1;
      today.screenedOut += 1;
      who.screenedOut += 1;
      const reason = row.screenOutId ?? 'unknown';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    today.completed += 1;
    who.completed += 1;
    durations.push(row.durationSeconds);
    const isShort = row.durationSeconds < threshold;
    const bin = bins[Math.min(Math.floor(row.durationSeconds / 60 / BIN_MINUTES), bins.length - 1)];
    if (bin !== undefined) {
      bin.count += 1;
      if (isShort) bin.short += 1;
    }
    if (isShort) {
      who.short += 1;
      shortTotal += 1;
      short.push({
        id: row.id,
        interviewer: row.interviewer,
        deviceId: row.deviceId,
        endedAt,
        date,
        durationSeconds: row.durationSeconds,
      });
    }
  }

  short.sort((a, b) => (a.endedAt < b.endedAt ? -1 : a.endedAt > b.endedAt ? 1 : 0));
  const completed = durations.length;
  const interviewers = [...people.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    site: site.id,
    name: site.name,
    at: input.at,
    timeZone: input.timeZone,
    shortInterviewSeconds: threshold,
    totals: { completed, screenedOut, short: shortTotal },
    perDay: [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, counts]) => ({ date, ...counts })),
    interviewers: interviewers.map(([interviewer, entry]) => ({
      interviewer,
      completed: entry.completed,
      screenedOut: entry.screenedOut,
      short: entry.short,
      lastEndedAt: Number.isFinite(entry.lastEnded)
        ? new Date(entry.lastEnded).toISOString()
        : null,
      // Through JSON: the counts are prototype-less objects.
      cells:
        plan === null
          ? {}
          : (JSON.parse(JSON.stringify(countQuotas(plan, entry.records).completed)) as Record<
              string,
              Record<string, number>
            >),
    })),
    durations: {
      medianSeconds: median(durations),
      bins,
      short: short.slice(0, SHORT_LIST_LIMIT),
    },
    screenOuts: [...reasons.entries()]
      .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
      .map(([reason, count]) => ({ reason, count })),
    brokenOff: siteQuality.brokenOff,
    quality: interviewers.map(([interviewer, entry]) => ({
      interviewer,
      ...qualityFigures(entry.quality),
    })),
    siteQuality: qualityFigures(siteQuality),
  };
}

/** "age 18-49" for a cell of a table, with the plan's English (else French) labels. */
function cellName(plan: QuotaPlan, tableId: string, key: string): string {
  const table = plan.tables.find((candidate) => candidate.id === tableId);
  const codes = key.split('|');
  const names = (table?.variables ?? []).map((variableId, i) => {
    const code = codes[i] ?? '';
    const category = plan.variables
      .find((variable) => variable.id === variableId)
      ?.categories.find((candidate) => candidate.code === code);
    return category?.label?.['en'] ?? category?.label?.['fr'] ?? code;
  });
  return `${tableId} ${names.join(' x ')}`;
}

/**
 * A share that would fall below what its interviewer has done in a cell: who, which cell (the
 * table's id and the cell's key), and how many interviews they have done there. The dashboard
 * words it with the plan's labels in its own language; `belowDoneText` says it in English.
 */
export interface BelowDone {
  readonly interviewer: string;
  readonly table: string;
  readonly cell: string;
  readonly done: number;
}

/** One problem of `allocationProblems` in English, for the API's message and the logs. */
export function belowDoneText(plan: QuotaPlan, problem: BelowDone): string {
  const { interviewer, done } = problem;
  return (
    `${interviewer} has already done ${done} interview${done === 1 ? '' : 's'} in ` +
    `${cellName(plan, problem.table, problem.cell)}: their share there cannot go below ${done}`
  );
}

/**
 * Why new allocations cannot replace the old ones, beyond the plan's own checks (which keep every
 * cell's shares within its limit): nobody's share of a cell may be lowered below the interviews
 * they have already done in it, or the share handed to someone else would let the cell overfill.
 * A share that is not lowered is never refused; without allocations nobody is limited.
 */
export function allocationProblems(
  previous: QuotaPlan,
  next: QuotaPlan,
  done: ReadonlyMap<string, Readonly<Record<string, Readonly<Record<string, number>>>>>,
): BelowDone[] {
  if (next.allocations === undefined) return [];
  const problems: BelowDone[] = [];
  const before = new Map((previous.allocations ?? []).map((entry) => [entry.interviewer, entry]));
  const after = new Map(next.allocations.map((entry) => [entry.interviewer, entry]));
  for (const [interviewer, cells] of done) {
    for (const [tableId, counts] of Object.entries(cells)) {
      for (const [key, count] of Object.entries(counts)) {
        const share = after.get(interviewer)?.targets[tableId]?.[key] ?? 0;
        const old =
          previous.allocations === undefined
            ? Infinity
            : (before.get(interviewer)?.targets[tableId]?.[key] ?? 0);
        if (share >= count || share >= old) continue;
        problems.push({ interviewer, table: tableId, cell: key, done: count });
      }
    }
  }
  return problems;
}
