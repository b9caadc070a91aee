// The alerts counted per day in the site's time zone (not the browser's nor UTC) and per
// interviewer, with those never acknowledged counted apart.
import { describe, expect, it } from 'vitest';
import type { AlertEventInfo } from '../../../src/core/protocol/index.ts';
import {
  alertsPerDay,
  alertsPerInterviewer,
  dayInZone,
  newestFirst,
} from '../../../src/dashboard/alerts.ts';

function alert(
  recordId: string,
  interviewer: string,
  raisedAt: string,
  acknowledged: boolean,
): AlertEventInfo {
  return {
    recordId,
    interviewer,
    deviceId: 'dev_1',
    status: 'completed',
    alertId: 'suicide_high',
    raisedAt,
    acknowledgedAt: acknowledged ? raisedAt : null,
    actions: [],
  };
}

describe('dayInZone', () => {
  it('gives the calendar day of the zone, not of UTC', () => {
    // 22:30 UTC is already the next day in Paris (summer, UTC+2), still the same in Cayenne.
    expect(dayInZone('2026-06-01T22:30:00.000Z', 'Europe/Paris')).toBe('2026-06-02');
    expect(dayInZone('2026-06-01T22:30:00.000Z', 'America/Cayenne')).toBe('2026-06-01');
    // 02:00 UTC is still the day before in Cayenne (UTC-3).
    expect(dayInZone('2026-06-02T02:00:00.000Z', 'America/Cayenne')).toBe('2026-06-01');
  });

  it('falls back to the UTC day for an unknown zone, and to the text for a non-date', () => {
    expect(dayInZone('2026-06-01T22:30:00.000Z', 'Mars/Olympus')).toBe('2026-06-01');
    expect(dayInZone('not a date', 'Europe/Paris')).toBe('not a date');
  });
});

describe('alertsPerDay', () => {
  const alerts = [
    alert('r1', 'ENQ01', '2026-06-01T08:00:00.000Z', true),
    alert('r2', 'ENQ02', '2026-06-01T22:30:00.000Z', false),
    alert('r3', 'ENQ01', '2026-06-02T09:00:00.000Z', true),
  ];

  it('counts the days in the site’s zone, oldest first, with the unacknowledged apart', () => {
    expect(alertsPerDay(alerts, 'Europe/Paris')).toEqual([
      { key: '2026-06-01', alerts: 1, unacknowledged: 0 },
      { key: '2026-06-02', alerts: 2, unacknowledged: 1 },
    ]);
    expect(alertsPerDay(alerts, 'America/Cayenne')).toEqual([
      { key: '2026-06-01', alerts: 2, unacknowledged: 1 },
      { key: '2026-06-02', alerts: 1, unacknowledged: 0 },
    ]);
  });

  it('counts per interviewer, most alerts first, then by code', () => {
    expect(alertsPerInterviewer(alerts)).toEqual([
      { key: 'ENQ01', alerts: 2, unacknowledged: 0 },
      { key: 'ENQ02', alerts: 1, unacknowledged: 1 },
    ]);
    const more = [
      ...alerts,
      alert('r4', 'ENQ02', '2026-06-03T09:00:00.000Z', false),
      alert('r5', 'ENQ02', '2026-06-03T10:00:00.000Z', true),
      alert('r6', 'ENQ00', '2026-06-03T11:00:00.000Z', true),
    ];
    expect(alertsPerInterviewer(more).map((row) => [row.key, row.alerts])).toEqual([
      ['ENQ02', 3],
      ['ENQ01', 2],
      ['ENQ00', 1],
    ]);
  });

  it('lists the newest first whatever the order received', () => {
    expect(newestFirst(alerts).map((entry) => entry.recordId)).toEqual(['r3', 'r2', 'r1']);
  });

  it('has nothing to count without alerts', () => {
    expect(alertsPerDay([], 'Europe/Paris')).toEqual([]);
    expect(alertsPerInterviewer([])).toEqual([]);
  });
});
