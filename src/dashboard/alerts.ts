// The safety protocol's alerts counted as the site's page shows them: per day in the site's time
// zone (as the server counts interviews per day) and per interviewer, with those never
// acknowledged apart, since they are the ones a coordinator must follow up.
import type { AlertEventInfo } from '../core/protocol/index.ts';

/** Alerts raised on one day, or by one interviewer. */
export interface AlertCount {
  /** `YYYY-MM-DD` in the site's zone, or an interviewer's code. */
  readonly key: string;
  readonly alerts: number;
  /** Of them, never acknowledged on the tablet. */
  readonly unacknowledged: number;
}

/**
 * The calendar day (`YYYY-MM-DD`) of an ISO instant in an IANA time zone; the instant's UTC day
 * when the zone is unknown to this browser, and the text itself when it is not a date.
 */
export function dayInZone(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (!Number.isFinite(instant)) return iso;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    return new Date(instant).toISOString().slice(0, 10);
  }
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function count(keys: readonly (readonly [string, boolean])[]): Map<string, AlertCount> {
  const counts = new Map<string, AlertCount>();
  for (const [key, acknowledged] of keys) {
    const known = counts.get(key) ?? { key, alerts: 0, unacknowledged: 0 };
    counts.set(key, {
      key,
      alerts: known.alerts + 1,
      unacknowledged: known.unacknowledged + (acknowledged ? 0 : 1),
    });
  }
  return counts;
}

/** Alerts per day they were raised, in the site's zone, oldest day first. */
export function alertsPerDay(alerts: readonly AlertEventInfo[], timeZone: string): AlertCount[] {
  const counts = count(
    alerts.map((alert) => [dayInZone(alert.raisedAt, timeZone), alert.acknowledgedAt !== null]),
  );
  return [...counts.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Alerts per interviewer, most first (then by code). */
export function alertsPerInterviewer(alerts: readonly AlertEventInfo[]): AlertCount[] {
  const counts = count(alerts.map((alert) => [alert.interviewer, alert.acknowledgedAt !== null]));
  return [...counts.values()].sort((a, b) => b.alerts - a.alerts || a.key.localeCompare(b.key));
}

/** The list as shown: newest raised first, whatever order the server sent. */
export function newestFirst(alerts: readonly AlertEventInfo[]): AlertEventInfo[] {
  return [...alerts].sort(
    (a, b) =>
      Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || a.recordId.localeCompare(b.recordId),
  );
}
