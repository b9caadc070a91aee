// The dashboard's summary and allocation checks as pure functions: edge cases the API tests do
// not reach (impossible durations, an even median, the open bin, which lowered shares are refused).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS } from '../../../src/core/protocol/wave.ts';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import {
  allocationProblems,
  belowDoneText,
  dayIn,
  siteSummary,
} from '../../../src/server/dashboard.ts';
import type { Site, SummaryRow } from '../../../src/server/store/types.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

const SITE: Site = {
  ...DEFAULT_SITE_SETTINGS,
  closedAt: null,
  id: 'lille',
  name: 'Lille',
  plan: null,
  shortInterviewSeconds: 600,
  pickupPoints: [],
  createdAt: '2026-01-01T00:00:00.000Z',
};

function row(id: string, durationSeconds: number, overrides: Partial<SummaryRow> = {}): SummaryRow {
  return {
    id,
    deviceId: 'd1',
    interviewer: 'ENQ01',
    status: 'completed',
    screenOutId: null,
    quotaCategories: '{"age":"young"}',
    startedAt: '2026-03-02T08:00:00.000Z',
    durationSeconds,
    figures: null,
    ...overrides,
  };
}

const utc = dayIn('UTC');
if (utc === undefined) throw new Error('UTC is unknown');

describe('siteSummary', () => {
  it('keeps a record whose duration no clock could give, on an unknown day', () => {
    const summary = siteSummary({
      site: SITE,
      plan: null,
      rows: [row('a', 1e15), row('b', 3000)],
      day: utc,
      timeZone: 'UTC',
      at: 'now',
    });
    expect(summary.perDay).toEqual([
      { date: '2026-03-02', completed: 1, screenedOut: 0 },
      { date: 'unknown', completed: 1, screenedOut: 0 },
    ]);
    // The even median is the mean of the middle two; the huge one lands in the open bin.
    expect(summary.durations.medianSeconds).toBe((1e15 + 3000) / 2);
    expect(summary.durations.bins.at(-1)).toMatchObject({ toMinutes: null, count: 1 });
    expect(summary.interviewers[0]?.lastEndedAt).toBe('2026-03-02T08:50:00.000Z');
  });

  it('counts screen-outs apart from durations, and quota cells only with a plan', () => {
    const summary = siteSummary({
      site: SITE,
      plan: tinyDemoPlan('lille'),
      rows: [
        row('a', 120),
        row('b', 60, { status: 'screened_out', screenOutId: 'quota_full' }),
        row('c', 60, { status: 'screened_out', screenOutId: null, quotaCategories: '{}' }),
      ],
      day: utc,
      timeZone: 'UTC',
      at: 'now',
    });
    expect(summary.totals).toEqual({ completed: 1, screenedOut: 2, short: 1 });
    expect(summary.screenOuts).toEqual([
      { reason: 'quota_full', count: 1 },
      { reason: 'unknown', count: 1 },
    ]);
    expect(summary.interviewers[0]?.cells).toEqual({ age: { young: 1 } });
  });
});

describe('dayIn', () => {
  it('gives the calendar day in the zone, and nothing for an unknown zone', () => {
    const instant = Date.parse('2026-03-02T23:30:00.000Z');
    expect(utc(instant)).toBe('2026-03-02');
    expect(dayIn('Asia/Tokyo')?.(instant)).toBe('2026-03-03');
    expect(dayIn('Nowhere/Atlantis')).toBeUndefined();
  });
});

describe('allocationProblems', () => {
  const plan = (young: number, old: number): QuotaPlan => ({
    ...tinyDemoPlan('lille'),
    allocations: [{ interviewer: 'ENQ01', targets: { age: { young, old } } }],
  });
  const done = new Map([['ENQ01', { age: { young: 2 } }]]);

  it('refuses a share lowered below what was done, not one left as it was', () => {
    const problems = allocationProblems(plan(2, 0), plan(1, 0), done);
    expect(problems).toEqual([{ interviewer: 'ENQ01', table: 'age', cell: 'young', done: 2 }]);
    expect(problems.map((problem) => belowDoneText(plan(1, 0), problem))).toEqual([
      'ENQ01 has already done 2 interviews in age 18-49: their share there cannot go below 2',
    ]);
    expect(allocationProblems(plan(1, 0), plan(1, 2), done)).toEqual([]);
    expect(allocationProblems(plan(2, 0), plan(2, 1), done)).toEqual([]);
  });

  it('treats "no allocations" as no limit: introducing a low share is refused, removing them is not', () => {
    const none = tinyDemoPlan('lille');
    expect(allocationProblems(none, plan(1, 2), done)).toHaveLength(1);
    expect(allocationProblems(plan(0, 0), none, done)).toEqual([]);
  });

  it('counts break-offs apart, and each interviewer’s quality figures against the site’s', () => {
    const figures = (
      asked: number,
      dontKnow: number,
      refused: number,
      screens: number,
      positive: number,
    ) => ({
      figures: { asked, dontKnow, refused, screens, positiveScreens: positive },
    });
    const summary = siteSummary({
      site: SITE,
      plan: tinyDemoPlan('lille'),
      rows: [
        row('a', 1200, figures(100, 5, 1, 10, 2)),
        row('b', 1800, figures(100, 15, 3, 10, 6)),
        row('c', 600, { interviewer: 'ENQ02', ...figures(50, 0, 0, 5, 5) }),
        // Stored before figures were kept: in the median, not in the shares.
        row('d', 2400, { interviewer: 'ENQ02' }),
        row('e', 300, { status: 'broken_off', ...figures(20, 10, 10, 2, 2) }),
        row('f', 60, {
          status: 'screened_out',
          screenOutId: 'quota_full',
          ...figures(3, 1, 1, 0, 0),
        }),
      ],
      day: utc,
      timeZone: 'UTC',
      at: 'now',
    });
    // A break-off is never a completed interview, a day's count, a duration or a quota cell.
    expect(summary.totals).toEqual({ completed: 4, screenedOut: 1, short: 0 });
    expect(summary.perDay).toEqual([{ date: '2026-03-02', completed: 4, screenedOut: 1 }]);
    expect(summary.durations.medianSeconds).toBe(1500);
    expect(summary.interviewers[0]?.cells).toEqual({ age: { young: 2 } });
    expect(summary.brokenOff).toBe(1);
    expect(summary.quality).toEqual([
      {
        interviewer: 'ENQ01',
        completed: 2,
        brokenOff: 1,
        medianSeconds: 1500,
        dontKnowShare: 20 / 200,
        refusedShare: 4 / 200,
        positiveScreenShare: 8 / 20,
      },
      {
        interviewer: 'ENQ02',
        completed: 2,
        brokenOff: 0,
        medianSeconds: 1500,
        dontKnowShare: 0,
        refusedShare: 0,
        positiveScreenShare: 1,
      },
    ]);
    expect(summary.siteQuality).toEqual({
      completed: 4,
      brokenOff: 1,
      medianSeconds: 1500,
      dontKnowShare: 20 / 250,
      refusedShare: 4 / 250,
      positiveScreenShare: 13 / 25,
    });
  });

  it('gives null shares when there is nothing to divide', () => {
    const summary = siteSummary({
      site: SITE,
      plan: null,
      rows: [row('a', 600, { status: 'broken_off' })],
      day: utc,
      timeZone: 'UTC',
      at: 'now',
    });
    expect(summary.totals.completed).toBe(0);
    expect(summary.siteQuality).toEqual({
      completed: 0,
      brokenOff: 1,
      medianSeconds: null,
      dontKnowShare: null,
      refusedShare: null,
      positiveScreenShare: null,
    });
  });
});
