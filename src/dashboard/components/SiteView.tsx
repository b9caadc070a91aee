// One site's page: its quotas (the tablet's board, site-wide), interviewers against their
// shares with the form to move shares, interviews per day, durations with the too-short ones,
// its pick-up points (edited by coordinators), for coordinators the tablets and their enrolment
// codes and the interviews the server refused, and the exports. Everything comes from the server.
import { useCallback, useEffect, useState } from 'react';
import type {
  DeviceInfo,
  LoginResponse,
  QuotaState,
  SiteInfo,
  SiteSummary,
} from '../../core/protocol/index.ts';
import { QuotaTables } from '../../app/components/QuotaTables.tsx';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';
import { DailyChart } from './DailyChart.tsx';
import { DevicesTable } from './DevicesTable.tsx';
import { DurationsPanel } from './DurationsPanel.tsx';
import { EnrolmentPanel } from './EnrolmentPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { InterviewerProgress } from './InterviewerProgress.tsx';
import { PickupPointsPanel } from './PickupPointsPanel.tsx';
import { RefusedPanel } from './RefusedPanel.tsx';

interface SiteData {
  readonly quota: QuotaState;
  readonly summary: SiteSummary;
  /** Undefined for an analyst, who does not manage tablets. */
  readonly devices: DeviceInfo[] | undefined;
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function SiteView({
  api,
  site,
  role,
  language,
  explain,
  canChangeSite,
}: {
  readonly api: DashboardApi;
  readonly site: SiteInfo;
  readonly role: LoginResponse['role'];
  readonly language: string;
  /** Turns a failed call into words (and ends an expired session). */
  readonly explain: (failure: unknown) => string;
  readonly canChangeSite: boolean;
}) {
  const text = useText();
  const canManage = role !== 'analyst';
  const [data, setData] = useState<SiteData>();
  const [error, setError] = useState<string>();
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => setLoads((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      api.quota(site.id),
      api.summary(site.id, browserTimeZone()),
      canManage ? api.devices(site.id) : Promise.resolve(undefined),
    ]).then(
      ([quota, summary, devices]) => {
        if (cancelled) return;
        setError(undefined);
        setData({ quota, summary, devices });
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, site.id, canManage, explain, loads]);

  const plan = data?.quota.plan ?? null;
  return (
    <main className="screen dashboard">
      <h1>{site.name}</h1>
      <div className="dashboard-bar">
        {data !== undefined && (
          <p className="small" role="status">
            {fill(text.updatedAt, { time: dateTime(data.summary.at, language) })}
          </p>
        )}
        <button type="button" onClick={reload}>
          {text.refresh}
        </button>
        {canChangeSite && (
          <a className="site-link" href="?">
            {text.otherSite}
          </a>
        )}
      </div>
      {!canManage && <p className="small">{text.readOnly}</p>}
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {data === undefined ? (
        error === undefined && <p>{text.loading}</p>
      ) : (
        <>
          <nav aria-label={text.sections} className="dashboard-nav">
            <ul>
              <li>
                <a href="#quotas">{text.quotasTitle}</a>
              </li>
              <li>
                <a href="#interviewers">{text.interviewersTitle}</a>
              </li>
              <li>
                <a href="#daily">{text.dailyTitle}</a>
              </li>
              <li>
                <a href="#durations">{text.durationsTitle}</a>
              </li>
              <li>
                <a href="#pickup-points">{text.pickupTitle}</a>
              </li>
              {canManage && (
                <li>
                  <a href="#devices">{text.devicesTitle}</a>
                </li>
              )}
              {canManage && (
                <li>
                  <a href="#refused">{text.refusedTitle}</a>
                </li>
              )}
              <li>
                <a href="#export">{text.exportTitle}</a>
              </li>
            </ul>
          </nav>

          <section id="quotas" aria-labelledby="quotas-title" className="dashboard-section">
            <h2 id="quotas-title">{text.quotasTitle}</h2>
            {plan === null ? (
              <p>{text.noPlan}</p>
            ) : (
              <>
                <p>
                  {fill(text.quotasIntro, {
                    completed: data.summary.totals.completed,
                    size: plan.sampleSize,
                    tolerance: Math.round(plan.tolerance * 100),
                    screenedOut: data.summary.totals.screenedOut,
                  })}
                </p>
                <QuotaTables
                  plan={plan}
                  completed={data.quota.counts.completed}
                  screenedOut={data.quota.counts.screenedOut}
                  language={language}
                  headingLevel={3}
                  text={{
                    heatmap: text.quotaHeatmap,
                    mine: text.quotaMine,
                    screenedOut: text.quotaScreenedOut,
                    variables: text.quotaVariables,
                  }}
                />
              </>
            )}
          </section>

          <section
            id="interviewers"
            aria-labelledby="interviewers-title"
            className="dashboard-section"
          >
            <h2 id="interviewers-title">{text.interviewersTitle}</h2>
            <InterviewerProgress
              api={api}
              site={site.id}
              plan={plan}
              summary={data.summary}
              language={language}
              canManage={canManage}
              explain={explain}
              onMoved={reload}
            />
          </section>

          <section id="daily" aria-labelledby="daily-title" className="dashboard-section">
            <h2 id="daily-title">{text.dailyTitle}</h2>
            <DailyChart summary={data.summary} language={language} />
          </section>

          <section id="durations" aria-labelledby="durations-title" className="dashboard-section">
            <h2 id="durations-title">{text.durationsTitle}</h2>
            <DurationsPanel summary={data.summary} devices={data.devices} language={language} />
          </section>

          <section id="pickup-points" aria-labelledby="pickup-title" className="dashboard-section">
            <h2 id="pickup-title">{text.pickupTitle}</h2>
            <PickupPointsPanel
              // A list that changed on the server (another coordinator, a refresh) starts afresh.
              key={data.quota.pickupPoints.join('\n')}
              api={api}
              site={site.id}
              points={data.quota.pickupPoints}
              canManage={canManage}
              explain={explain}
            />
          </section>

          {canManage && data.devices !== undefined && (
            <section id="devices" aria-labelledby="devices-title" className="dashboard-section">
              <h2 id="devices-title">{text.devicesTitle}</h2>
              <DevicesTable
                api={api}
                site={site.id}
                devices={data.devices}
                now={data.summary.at}
                language={language}
                explain={explain}
                onRevoked={reload}
              />
              <EnrolmentPanel api={api} site={site.id} language={language} explain={explain} />
            </section>
          )}

          {canManage && (
            <section id="refused" aria-labelledby="refused-title" className="dashboard-section">
              <h2 id="refused-title">{text.refusedTitle}</h2>
              <RefusedPanel
                api={api}
                site={site.id}
                devices={data.devices}
                language={language}
                explain={explain}
                refresh={loads}
                onAccepted={reload}
              />
            </section>
          )}

          <section id="export" aria-labelledby="export-title" className="dashboard-section">
            <h2 id="export-title">{text.exportTitle}</h2>
            <ExportPanel
              api={api}
              site={site.id}
              allSites={canChangeSite}
              language={language}
              explain={explain}
            />
          </section>
        </>
      )}
    </main>
  );
}
