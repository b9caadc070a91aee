// Home: start an interview (after its pick-up point), resume drafts, today's and total completed
// interviews, sending them (waiting count, last sync, each of today's interviews and where its
// upload stands), practice mode, storage status and (only here, never mid-interview) the offer to
// update the app.
import { useEffect, useState } from 'react';
import { localize } from '../../core/questionnaire/index.ts';
import type { UpdateState } from '../pwa/UpdatePrompt.tsx';
import { UpdatePrompt } from '../pwa/UpdatePrompt.tsx';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import { newestVersions } from '../questionnaires/catalogue.ts';
import type {
  DeviceSettings,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStore,
} from '../storage/index.ts';
import { requestPersistentStorage, storageStatus } from '../storage/index.ts';
import { HomeWarnings } from '../components/HomeWarnings.tsx';
import { StorageCard } from '../components/StorageCard.tsx';
import { syncStateOf } from '../sync/outbox.ts';
import { dayIn, siteName, siteTimeZone } from '../site-settings.ts';
import type { SyncStatus } from '../sync/scheduler.ts';
import { syncErrorDetail, syncNoticeOf } from '../sync/sync-problems.ts';
import type { UiLanguage } from '../ui-text.ts';
import { useHomeText } from '../home-text.ts';
import { fill, useUiText } from '../ui-text.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import { loadQuotaPlan } from '../../core/quota/index.ts';
import { PickupPointScreen } from './PickupPointScreen.tsx';
import { BackupButton } from '../components/BackupButton.tsx';

interface HomeScreenProps {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly settings: DeviceSettings;
  readonly onSettings: (patch: Partial<DeviceSettings>) => Promise<void>;
  /** Creates the interview at the pick-up point chosen, and opens it. */
  readonly onStart: (questionnaire: InstalledQuestionnaire, pickupPoint: string) => Promise<void>;
  readonly onOpen: (interviewId: string) => void;
  readonly onEditSetup: () => void;
  readonly update: UpdateState;
  readonly plan: QuotaPlan | undefined;
  readonly onQuotas: () => void;
  /** Opens the tablet's own export (CSV), the fallback when there is no network for days. */
  readonly onExport: () => void;
  readonly syncStatus: SyncStatus;
  readonly onSyncNow: () => void;
  /** To enrol the tablet (again, when the server refuses its token). */
  readonly onEnrol: () => void;
}

interface Draft {
  readonly record: InterviewRecord;
  readonly lastItem: string;
}

/** Times are shown in the site's time zone (undefined: the tablet's), as its days are counted. */
function dateTime(iso: string, language: UiLanguage, timeZone: string | undefined): string {
  return new Date(iso).toLocaleString(language, {
    dateStyle: 'short',
    timeStyle: 'short',
    ...(timeZone === undefined ? {} : { timeZone }),
  });
}

function time(iso: string, language: UiLanguage, timeZone: string | undefined): string {
  return new Date(iso).toLocaleTimeString(language, {
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone === undefined ? {} : { timeZone }),
  });
}

function age(iso: string, language: UiLanguage): string {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (minutes < 60) return format.format(-minutes, 'minute');
  if (minutes < 60 * 48) return format.format(-Math.round(minutes / 60), 'hour');
  return format.format(-Math.round(minutes / 1440), 'day');
}

export function HomeScreen({
  store,
  cache,
  settings,
  onSettings,
  onStart,
  onOpen,
  onEditSetup,
  update,
  plan,
  onQuotas,
  onExport,
  syncStatus,
  onSyncNow,
  onEnrol,
}: HomeScreenProps) {
  const text = useUiText();
  const words = useHomeText();
  const [installed, setInstalled] = useState<InstalledQuestionnaire[]>();
  const [interviews, setInterviews] = useState<InterviewRecord[]>([]);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [chosen, setChosen] = useState<string>();
  /** The questionnaire of the interview about to start, while its pick-up point is asked. */
  const [starting, setStarting] = useState<InstalledQuestionnaire>();
  const [planMessage, setPlanMessage] = useState<{ ok: boolean; text: string }>();
  const [storage, setStorage] = useState<Awaited<ReturnType<typeof storageStatus>>>();

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const [all, list, status] = await Promise.all([
        store.listQuestionnaires(),
        store.listInterviews(),
        storageStatus(),
      ]);
      const open = list.filter(
        (record) => record.status === 'screening' || record.status === 'in_progress',
      );
      const described = await Promise.all(
        open.map(async (record) => {
          const q = await cache.get(record.questionnaireId, record.questionnaireVersion);
          const item =
            q !== undefined && 'itemById' in q ? q.itemById.get(record.position ?? '') : undefined;
          const label =
            item && q !== undefined && 'definition' in q
              ? localize(q, item.item.label, settings.uiLanguage)
              : '';
          return { record, lastItem: label };
        }),
      );
      if (cancelled) return;
      setInstalled(newestVersions(all));
      setInterviews(list);
      setDrafts(described);
      setStorage(status);
    })();
    return () => {
      cancelled = true;
    };
    // syncStatus.runs: a finished sync run may have installed versions and changed sync states.
  }, [store, cache, settings.uiLanguage, syncStatus.runs]);

  const newest = installed ?? [];
  const selected =
    newest.find((entry) => entry.questionnaireId === chosen) ??
    newest.find((entry) => entry.questionnaireId === 'smpg') ??
    newest[0];
  // Days are the site's (its time zone), whatever the tablet's clock is set to.
  const timeZone = siteTimeZone(settings);
  const today = dayIn(new Date(), timeZone);
  const endedToday = (record: InterviewRecord) =>
    record.endedAt !== undefined && dayIn(record.endedAt, timeZone) === today;
  const counted = interviews.filter((record) => record.status === 'completed' && !record.practice);
  const completedToday = counted.filter(endedToday).length;
  const finishedToday = interviews
    .filter(
      (record) =>
        (record.status === 'completed' ||
          record.status === 'screened_out' ||
          record.status === 'broken_off') &&
        endedToday(record),
    )
    .sort((a, b) => ((a.endedAt ?? '') < (b.endedAt ?? '') ? 1 : -1));
  // Refused and in conflict: final, never sent again; the coordinator needs to see why.
  const refused = interviews
    .filter((record) => {
      const state = syncStateOf(record);
      return state === 'refused' || state === 'conflict';
    })
    .sort((a, b) => ((a.endedAt ?? '') < (b.endedAt ?? '') ? 1 : -1));
  // Loud only when interviews wait: a failed download with nothing to send is a quiet note.
  const notice = syncNoticeOf(syncStatus);
  const problem = notice?.level === 'alarm' ? notice.problem : undefined;
  const titleOf = (entry: InstalledQuestionnaire) => {
    const definition = entry.definition as { title?: Record<string, string> };
    return (
      definition.title?.[settings.uiLanguage] ?? definition.title?.['fr'] ?? entry.questionnaireId
    );
  };

  if (starting !== undefined) {
    return (
      <PickupPointScreen
        sitePoints={settings.pickupPoints}
        last={settings.lastPickupPoint}
        practice={settings.practiceMode}
        onStart={(pickupPoint) => {
          // A tap: ask again for persistent storage until the browser grants it.
          void requestPersistentStorage();
          return onStart(starting, pickupPoint);
        }}
        onCancel={() => setStarting(undefined)}
      />
    );
  }

  return (
    <main className={settings.practiceMode ? 'screen home practice' : 'screen home'}>
      <header className="home-header">
        <h1>{text.appName}</h1>
        <p>
          {text.siteLabel} <strong>{siteName(settings)}</strong>
          {siteName(settings) !== settings.site && ` (${settings.site})`} · {text.interviewerLabel}{' '}
          <strong>{settings.interviewer}</strong>{' '}
          <button type="button" className="link" onClick={onEditSetup}>
            {text.settings}
          </button>
        </p>
        <label className="inline">
          {text.interfaceLanguage}{' '}
          <select
            value={settings.uiLanguage}
            onChange={(event) => void onSettings({ uiLanguage: event.target.value as UiLanguage })}
          >
            <option value="fr" lang="fr">
              Français
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
      </header>
      <UpdatePrompt state={update} />
      {settings.practiceMode && (
        <p className="practice-banner" role="status">
          {text.practiceBanner}
        </p>
      )}
      <HomeWarnings interviews={interviews} enrolled={syncStatus.enrolled} storage={storage} />
      <section aria-labelledby="start-title" className="card">
        <h2 id="start-title">{text.newInterview}</h2>
        {installed !== undefined && newest.length === 0 && (
          <p role="alert">{text.noQuestionnaire}</p>
        )}
        {newest.length > 1 && (
          <label className="field">
            {text.questionnaire}
            <select
              value={selected?.questionnaireId}
              onChange={(event) => setChosen(event.target.value)}
            >
              {newest.map((entry) => (
                <option key={entry.questionnaireId} value={entry.questionnaireId}>
                  {titleOf(entry)} ({text.version} {entry.version})
                </option>
              ))}
            </select>
          </label>
        )}
        {selected && newest.length === 1 && (
          <p>
            {titleOf(selected)} ({text.version} {selected.version})
          </p>
        )}
        <button
          type="button"
          className="primary big"
          disabled={selected === undefined}
          onClick={() => setStarting(selected)}
        >
          {text.newInterview}
        </button>
        <label className="switch">
          <input
            type="checkbox"
            checked={settings.practiceMode}
            onChange={(event) => void onSettings({ practiceMode: event.target.checked })}
          />
          <span>{text.practiceMode}</span>
        </label>
        <p className="small">{text.practiceHelp}</p>
      </section>
      <section aria-labelledby="drafts-title" className="card">
        <h2 id="drafts-title">{text.drafts}</h2>
        {drafts.length === 0 ? (
          <p>{text.noDrafts}</p>
        ) : (
          <ul className="drafts">
            {drafts.map(({ record, lastItem }) => (
              <li key={record.id}>
                <div>
                  <strong>
                    {record.questionnaireId} {text.version} {record.questionnaireVersion}
                  </strong>
                  {record.practice && <span className="tag">{text.practiceMode}</span>}
                  <br />
                  {text.lastItem} : {lastItem || '—'} · {text.startedAgo}{' '}
                  {age(record.startedAt, settings.uiLanguage)}
                  {record.pickupPoint !== undefined &&
                    ` · ${fill(words.pickupAt, { place: record.pickupPoint })}`}
                </div>
                <button
                  type="button"
                  onClick={() => onOpen(record.id)}
                  aria-label={`${text.resume} ${record.questionnaireId} ${record.id.slice(0, 8)}`}
                >
                  {text.resume}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="counts-title" className="card counts">
        <h2 id="counts-title" className="visually-hidden">
          {text.completedTotal}
        </h2>
        <p>
          {text.completedToday} : <strong data-testid="completed-today">{completedToday}</strong>
        </p>
        <p>
          {text.completedTotal} : <strong data-testid="completed-total">{counted.length}</strong>
        </p>
      </section>
      <section aria-labelledby="sync-title" className="card sync">
        <h2 id="sync-title">{text.sync}</h2>
        {!syncStatus.enrolled ? (
          <p>{text.syncNoServer}</p>
        ) : (
          <>
            {syncStatus.blocked !== undefined && (
              <div className="field-error" role="alert" data-testid="sync-blocked">
                <p>
                  <strong>{words.syncProblems.revoked}</strong>
                </p>
                <details>
                  <summary>{text.details}</summary>
                  <p className="small">{syncStatus.blocked}</p>
                </details>
                <button type="button" onClick={onEnrol}>
                  {text.reenrol}
                </button>
              </div>
            )}
            <p>
              {text.syncWaiting} : <strong data-testid="sync-pending">{syncStatus.pending}</strong>
            </p>
            <p>
              {text.syncLast} :{' '}
              <span data-testid="sync-last">
                {syncStatus.lastSuccessAt === undefined
                  ? text.syncNever
                  : dateTime(syncStatus.lastSuccessAt, settings.uiLanguage, timeZone)}
              </span>
            </p>
            {problem !== undefined &&
              syncStatus.lastError !== undefined &&
              syncStatus.blocked === undefined && (
                <div role="status" data-testid="sync-error" data-problem={problem}>
                  <p>
                    <strong>{words.syncProblems[problem]}</strong>
                  </p>
                  <p className="small">
                    {syncStatus.lastRunAt !== undefined &&
                      `${text.syncLastAttempt} : ${dateTime(syncStatus.lastRunAt, settings.uiLanguage, timeZone)}.`}
                    {syncStatus.nextAttemptAt !== undefined &&
                      ` ${fill(text.syncRetryAt, { time: time(syncStatus.nextAttemptAt, settings.uiLanguage, timeZone) })}`}
                  </p>
                  <details>
                    <summary>{text.details}</summary>
                    <p className="small" data-testid="sync-error-detail">
                      {syncErrorDetail(syncStatus.lastError, syncStatus.lastErrorStatus)}
                    </p>
                  </details>
                </div>
              )}
            {notice?.level === 'note' && syncStatus.lastError !== undefined && (
              <div className="small" data-testid="sync-note" data-problem={notice.problem}>
                <p>{words.syncNote}</p>
                <details>
                  <summary>{text.details}</summary>
                  <p>{syncErrorDetail(syncStatus.lastError, syncStatus.lastErrorStatus)}</p>
                </details>
              </div>
            )}
            {refused.length > 0 && (
              <div className="field-error" role="status" data-testid="sync-refused">
                <p>{fill(text.syncRefused, { count: refused.length })}</p>
                <details>
                  <summary>{text.syncRefusedList}</summary>
                  <ul className="small">
                    {refused.map((record) => (
                      <li key={record.id}>
                        {dateTime(
                          record.endedAt ?? record.updatedAt,
                          settings.uiLanguage,
                          timeZone,
                        )}{' '}
                        · {record.questionnaireId} · {record.id.slice(0, 8)} :{' '}
                        {record.sync?.reason ?? text.syncStates[syncStateOf(record)]}
                      </li>
                    ))}
                  </ul>
                </details>
              </div>
            )}
            <button
              type="button"
              onClick={onSyncNow}
              disabled={syncStatus.running || syncStatus.blocked !== undefined}
            >
              {syncStatus.running ? text.syncRunning : text.syncNow}
            </button>
            <p className="small">{text.syncKept}</p>
          </>
        )}
        <h3>{text.todayInterviews}</h3>
        {finishedToday.length === 0 ? (
          <p>{text.noInterviewToday}</p>
        ) : (
          <ul className="sync-list">
            {finishedToday.map((record) => {
              const state = syncStateOf(record);
              return (
                <li key={record.id} data-interview-id={record.id} data-sync-state={state}>
                  <span>
                    {time(record.endedAt ?? record.updatedAt, settings.uiLanguage, timeZone)} ·{' '}
                    {record.questionnaireId} ·{' '}
                    {record.status === 'completed'
                      ? text.statusCompleted
                      : record.status === 'broken_off'
                        ? text.statusBrokenOff
                        : text.statusScreenedOut}
                    {record.pickupPoint !== undefined && ` · ${record.pickupPoint}`}
                    {record.practice && <span className="tag">{text.practiceMode}</span>}
                  </span>
                  <span className={`sync-state sync-${state}`}>
                    {text.syncStates[state]}
                    {state !== 'sent' &&
                      record.sync?.reason !== undefined &&
                      ` : ${record.sync.reason}`}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="plan-title" className="card">
        <h2 id="plan-title">{text.quotaPlan}</h2>
        <p>
          {plan === undefined
            ? text.noPlan
            : fill(text.planImported, { site: plan.site, size: plan.sampleSize })}
        </p>
        {plan?.allocations !== undefined &&
          !plan.allocations.some((entry) => entry.interviewer === settings.interviewer) && (
            <p className="field-error" role="alert">
              {text.noAllocation}
            </p>
          )}
        {plan !== undefined && (
          <button type="button" onClick={onQuotas}>
            {text.quotaBoard}
          </button>
        )}
        <div className="field">
          <label htmlFor="plan-file">{text.importPlan}</label>
          <input
            id="plan-file"
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file === undefined) return;
              void file.text().then(async (content) => {
                let json: unknown;
                try {
                  json = JSON.parse(content) as unknown;
                } catch (error) {
                  setPlanMessage({
                    ok: false,
                    text: `${text.planInvalid} ${(error as Error).message}`,
                  });
                  return;
                }
                const result = loadQuotaPlan(json);
                if (result.status === 'failure') {
                  const issues = result.issues
                    .slice(0, 5)
                    .map((issue) => `${issue.path}: ${issue.message}`);
                  setPlanMessage({ ok: false, text: `${text.planInvalid} ${issues.join(' ; ')}` });
                  return;
                }
                await onSettings({ quotaPlan: result.plan });
                setPlanMessage({
                  ok: true,
                  text: fill(text.planImported, {
                    site: result.plan.site,
                    size: result.plan.sampleSize,
                  }),
                });
              });
            }}
          />
        </div>
        {planMessage && (
          <p
            className={planMessage.ok ? '' : 'field-error'}
            role={planMessage.ok ? 'status' : 'alert'}
          >
            {planMessage.text}
          </p>
        )}
      </section>
      <section aria-labelledby="storage-title" className="card">
        <h2 id="storage-title">{text.storage}</h2>
        <StorageCard storage={storage} onStatus={setStorage} />
        <button type="button" onClick={onExport}>
          {words.exportData}
        </button>
        {settings.deviceToken !== undefined && <BackupButton store={store} cache={cache} />}
      </section>
    </main>
  );
}
