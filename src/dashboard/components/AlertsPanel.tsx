// The safety protocol's alerts of a site, as the tablets sent them with their records (even
// interviews broken off after an alert): per day and per interviewer, then one by one with when,
// who, which tablet, the record's outcome, when acknowledged (or not: flagged for follow-up) and
// what the interviewer did. Read the same by coordinators, admins and analysts.
import { useEffect, useState } from 'react';
import type { AlertEventInfo, DeviceInfo } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { alertsPerDay, alertsPerInterviewer, newestFirst } from '../alerts.ts';
import type { AlertCount } from '../alerts.ts';
import { dateTime, day } from '../format.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';
import { countText } from '../../app/components/plurals.ts';

/** The interviewer's actions in words, in the order they were ticked. */
export function actionWords(actions: readonly string[], text: DashboardTexts): string {
  if (actions.length === 0) return text.alertNoAction;
  return actions.map((action) => text.alertActions[action] ?? action).join(text.alertActionsJoin);
}

function CountTable({
  table,
  caption,
  heading,
  rows,
  label,
}: {
  readonly table: string;
  readonly caption: string;
  readonly heading: string;
  readonly rows: readonly AlertCount[];
  readonly label: (key: string) => string;
}) {
  const text = useText();
  // Scrolls by itself on a phone rather than the page (focusable, for a keyboard).
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data" data-table={table}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">{text.alertsCount}</th>
            <th scope="col">{text.alertsUnacknowledged}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{label(row.key)}</th>
              <td className="number">{row.alerts}</td>
              <td className={`number${row.unacknowledged > 0 ? ' flagged' : ''}`}>
                {row.unacknowledged}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The alerts already fetched, laid out (no call to the server: rendered as is in tests). */
export function AlertsView({
  alerts,
  timeZone,
  devices,
  language,
}: {
  readonly alerts: readonly AlertEventInfo[];
  /** The site's zone, where the days are counted and the times given. */
  readonly timeZone: string;
  /** To name tablets by their label; undefined when the user may not list them. */
  readonly devices: readonly DeviceInfo[] | undefined;
  readonly language: string;
}) {
  const text = useText();
  if (alerts.length === 0) return <p>{text.alertsNone}</p>;
  const labels = new Map((devices ?? []).map((device) => [device.id, device.label]));
  const unacknowledged = alerts.filter((alert) => alert.acknowledgedAt === null).length;
  return (
    <>
      <p className={unacknowledged > 0 ? 'notice' : undefined}>
        {fill(text.alertsTotal, {
          alerts: countText(text.alertsReceived, alerts.length, language),
          unacknowledged: countText(text.alertsOpen, unacknowledged, language),
        })}
      </p>
      <div className="alert-counts">
        <CountTable
          table="alerts-per-day"
          caption={fill(text.alertsPerDayCaption, { zone: timeZone })}
          heading={text.date}
          rows={alertsPerDay(alerts, timeZone)}
          label={(date) => day(date, language)}
        />
        <CountTable
          table="alerts-per-interviewer"
          caption={text.alertsPerInterviewerCaption}
          heading={text.interviewer}
          rows={alertsPerInterviewer(alerts)}
          label={(code) => code}
        />
      </div>
      <div className="table-scroll" tabIndex={0}>
        <table className="data" data-table="alerts">
          <caption>{fill(text.alertsListCaption, { zone: timeZone })}</caption>
          <thead>
            <tr>
              <th scope="col">{text.alertRaisedAt}</th>
              <th scope="col">{text.alertName}</th>
              <th scope="col">{text.interviewer}</th>
              <th scope="col">{text.device}</th>
              <th scope="col">{text.alertRecordStatus}</th>
              <th scope="col">{text.alertAcknowledgedAt}</th>
              <th scope="col">{text.alertActionsTaken}</th>
              <th scope="col">{text.interviewId}</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst(alerts).map((alert) => (
              <tr
                key={`${alert.recordId}/${alert.alertId}/${alert.raisedAt}`}
                data-record={alert.recordId}
                data-acknowledged={alert.acknowledgedAt === null ? 'no' : 'yes'}
              >
                <td>{dateTime(alert.raisedAt, language, timeZone)}</td>
                <td>{text.alertNames[alert.alertId] ?? alert.alertId}</td>
                <td>{alert.interviewer}</td>
                <td>{labels.get(alert.deviceId) ?? alert.deviceId.slice(0, 8)}</td>
                <td>{text.recordStatus[alert.status]}</td>
                {alert.acknowledgedAt === null ? (
                  <td className="flagged">
                    <span className="tag tag-flag">{text.alertUnacknowledged}</span>
                  </td>
                ) : (
                  <td>{dateTime(alert.acknowledgedAt, language, timeZone)}</td>
                )}
                <td>{actionWords(alert.actions, text)}</td>
                <td>
                  <code>{alert.recordId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Fetches the site's alerts (again at each refresh of the page) and shows them. */
export function AlertsPanel({
  api,
  site,
  timeZone,
  devices,
  language,
  explain,
  refresh,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly timeZone: string;
  readonly devices: readonly DeviceInfo[] | undefined;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** Changes when the site's page is refreshed: the list is fetched again. */
  readonly refresh: number;
}) {
  const text = useText();
  const [alerts, setAlerts] = useState<AlertEventInfo[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    api.alerts(site).then(
      (list) => {
        if (cancelled) return;
        setError(undefined);
        setAlerts(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, site, explain, refresh]);

  return (
    <>
      <p>{text.alertsIntro}</p>
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {alerts === undefined ? (
        error === undefined && <p>{text.loading}</p>
      ) : (
        <AlertsView alerts={alerts} timeZone={timeZone} devices={devices} language={language} />
      )}
    </>
  );
}
