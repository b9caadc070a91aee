// One site's page: the safety protocol's alerts, its quotas (the tablet's board, site-wide),
// interviewers against their shares with the forms to split and move shares, their quality
// figures against the site's, interviews per day in the site's time zone,
// durations with the too-short ones, the site's settings and its translations (label packs of
// its own), its quota plan from the census, its pick-up points, the tablets and their enrolment
// codes, the interviews the server refused, and the exports. A coordinator of the site (or an
// admin) changes them; an analyst reads and exports. Everything comes from the server.
import { useCallback, useEffect, useState } from 'react';
import type {
  Access,
  DeviceInfo,
  QuotaState,
  SiteDetail,
  SiteInfo,
  SiteSummary,
} from '../../core/protocol/index.ts';
import { QuotaTables } from '../../app/components/QuotaTables.tsx';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';
import { screenOutLabels, titleOf } from '../published.ts';
import { questionnaireLanguages, canManageSite } from '../site-settings.ts';
import { AlertsPanel } from './AlertsPanel.tsx';
import { AllocationsPanel } from './AllocationsPanel.tsx';
import { BackupImportPanel } from './BackupImportPanel.tsx';
import { CensusPlanPanel } from './CensusPlanPanel.tsx';
import { DailyChart } from './DailyChart.tsx';
import { DevicesTable } from './DevicesTable.tsx';
import { DurationsPanel } from './DurationsPanel.tsx';
import { EnrolmentPanel } from './EnrolmentPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { InterviewerProgress } from './InterviewerProgress.tsx';
import { PickupPointsPanel } from './PickupPointsPanel.tsx';
import { QualityPanel } from './QualityPanel.tsx';
import { RefusedPanel } from './RefusedPanel.tsx';
import { SiteSettingsPanel } from './SiteSettingsPanel.tsx';
import { TranslationsPanel } from './TranslationsPanel.tsx';
import { usePublished } from './usePublished.ts';

interface SiteData {
  readonly quota: QuotaState;
  /** Counted in the site's time zone (its settings'). */
  readonly summary: SiteSummary;
  readonly detail: SiteDetail;
  /** Undefined for an analyst, who does not manage tablets. */
  readonly devices: DeviceInfo[] | undefined;
}

export function SiteView({
  api,
  site,
  access,
  language,
  explain,
  canChangeSite,
}: {
  readonly api: DashboardApi;
  readonly site: SiteInfo;
  /** The logged-in user's roles: a coordinator of this site (or an admin) may change it. */
  readonly access: Access;
  readonly language: string;
  /** Turns a failed call into words (and ends an expired session). */
  readonly explain: (failure: unknown) => string;
  readonly canChangeSite: boolean;
}) {
  const text = useText();
  const canManage = canManageSite(access, site.id);
  const [data, setData] = useState<SiteData>();
  // The published questionnaires, or why they could not be read (the forms work without them:
  // the server checks the languages on saving; the exports say so).
  const published = usePublished(api, explain);
  const [error, setError] = useState<string>();
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => setLoads((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      api.quota(site.id),
      // Days are counted in the zone the site's settings say, whatever the browser's.
      api.site(site.id).then(async (detail) => ({
        detail,
        summary: await api.summary(site.id, detail.settings.timeZone),
      })),
      canManage ? api.devices(site.id) : Promise.resolve(undefined),
    ]).then(
      ([quota, { detail, summary }, devices]) => {
        if (cancelled) return;
        setError(undefined);
        setData({ quota, summary, detail, devices });
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, site.id, canManage, explain, loads]);

  const read = published === undefined || 'failure' in published ? undefined : published;

  const plan = data?.quota.plan ?? null;
  // The site's own page may be newer than the list it was picked from.
  const closedAt = data === undefined ? site.closedAt : data.detail.closedAt;
  return (
    <main className="screen dashboard">
      <h1>{data?.detail.settings.name ?? site.name}</h1>
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
      {closedAt !== null && (
        <p className="notice">{fill(text.siteClosed, { time: dateTime(closedAt, language) })}</p>
      )}
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
                <a href="#alerts">{text.alertsTitle}</a>
              </li>
              <li>
                <a href="#quotas">{text.quotasTitle}</a>
              </li>
              <li>
                <a href="#interviewers">{text.interviewersTitle}</a>
              </li>
              <li>
                <a href="#quality">{text.qualityTitle}</a>
              </li>
              {canManage && plan !== null && (
                <li>
                  <a href="#allocations">{text.allocTitle}</a>
                </li>
              )}
              <li>
                <a href="#daily">{text.dailyTitle}</a>
              </li>
              <li>
                <a href="#durations">{text.durationsTitle}</a>
              </li>
              <li>
                <a href="#settings">{text.settingsTitle}</a>
              </li>
              {canManage && (
                <li>
                  <a href="#translations">{text.trTitle}</a>
                </li>
              )}
              {canManage && (
                <li>
                  <a href="#census">{text.censusTitle}</a>
                </li>
              )}
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

          <section id="alerts" aria-labelledby="alerts-title" className="dashboard-section">
            <h2 id="alerts-title">{text.alertsTitle}</h2>
            <AlertsPanel
              api={api}
              site={site.id}
              timeZone={data.detail.settings.timeZone}
              devices={data.devices}
              language={language}
              explain={explain}
              refresh={loads}
            />
          </section>

          <section id="quotas" aria-labelledby="quotas-title" className="dashboard-section">
            <h2 id="quotas-title">{text.quotasTitle}</h2>
            {plan === null ? (
              <p>
                {text.noPlan} {canManage && <a href="#census">{text.censusMake}</a>}
              </p>
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
                    doneOfTarget: text.quotaDoneOfTarget,
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

          <section id="quality" aria-labelledby="quality-title" className="dashboard-section">
            <h2 id="quality-title">{text.qualityTitle}</h2>
            <QualityPanel summary={data.summary} language={language} />
          </section>

          {canManage && plan !== null && (
            <section
              id="allocations"
              aria-labelledby="allocations-title"
              className="dashboard-section"
            >
              <h2 id="allocations-title">{text.allocTitle}</h2>
              <AllocationsPanel
                // A new plan (other cells) starts the split afresh.
                key={JSON.stringify(plan.tables)}
                api={api}
                site={site.id}
                plan={plan}
                interviewers={data.summary.interviewers.map((entry) => entry.interviewer)}
                language={language}
                explain={explain}
                onSaved={reload}
              />
            </section>
          )}

          <section id="daily" aria-labelledby="daily-title" className="dashboard-section">
            <h2 id="daily-title">{text.dailyTitle}</h2>
            <DailyChart
              summary={data.summary}
              language={language}
              timeZone={data.detail.settings.timeZone}
              reasons={read === undefined ? undefined : screenOutLabels(read.newest, language)}
            />
          </section>

          <section id="durations" aria-labelledby="durations-title" className="dashboard-section">
            <h2 id="durations-title">{text.durationsTitle}</h2>
            <DurationsPanel summary={data.summary} devices={data.devices} language={language} />
          </section>

          <section id="settings" aria-labelledby="settings-title" className="dashboard-section">
            <h2 id="settings-title">{text.settingsTitle}</h2>
            <SiteSettingsPanel
              api={api}
              site={site.id}
              settings={data.detail.settings}
              offeredLanguages={
                read === undefined ? undefined : questionnaireLanguages(read.newest)
              }
              canManage={canManage}
              language={language}
              explain={explain}
              onSaved={reload}
            />
          </section>

          {canManage && (
            <section
              id="translations"
              aria-labelledby="translations-title"
              className="dashboard-section"
            >
              <h2 id="translations-title">{text.trTitle}</h2>
              <TranslationsPanel
                api={api}
                site={site.id}
                published={published}
                language={language}
                explain={explain}
              />
            </section>
          )}

          {canManage && (
            <section id="census" aria-labelledby="census-title" className="dashboard-section">
              <h2 id="census-title">{text.censusTitle}</h2>
              <CensusPlanPanel
                api={api}
                site={site.id}
                settings={data.detail.settings}
                hasPlan={plan !== null}
                questionnaires={(read?.newest ?? []).map((entry) => ({
                  id: entry.questionnaireId,
                  title: titleOf(entry, language),
                }))}
                language={language}
                explain={explain}
                onSaved={reload}
              />
            </section>
          )}

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
                canManage={canManage}
                explain={explain}
                onRevoked={reload}
              />
              {closedAt === null && (
                <EnrolmentPanel api={api} site={site.id} language={language} explain={explain} />
              )}
            </section>
          )}

          {canManage && (
            <section id="backups" aria-labelledby="backups-title" className="dashboard-section">
              <h2 id="backups-title">{text.backupTitle}</h2>
              <BackupImportPanel
                api={api}
                site={site.id}
                language={language}
                explain={explain}
                onImported={reload}
              />
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
                canManage={canManage}
                onAccepted={reload}
              />
            </section>
          )}

          <section id="export" aria-labelledby="export-title" className="dashboard-section">
            <h2 id="export-title">{text.exportTitle}</h2>
            <ExportPanel
              api={api}
              published={published}
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
