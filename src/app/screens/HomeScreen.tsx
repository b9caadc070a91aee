// Home: start an interview (after its pick-up point; the site's questionnaires on a field tablet,
// none on a revoked one), resume drafts (saying whom each is with), today's and total completed
// interviews, sending them (waiting count, last sync, each of today's interviews and where its
// upload stands), the site's quota plan, practice mode, storage status and (only here, never
// mid-interview) the offer to update the app.
import { useEffect, useState } from 'react';
import type { Answer, LoadIssue, Questionnaire } from '../../core/questionnaire/index.ts';
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
import { DraftList } from '../components/DraftList.tsx';
import { HomeWarnings } from '../components/HomeWarnings.tsx';
import { StartCard } from '../components/StartCard.tsx';
import { StorageCard } from '../components/StorageCard.tsx';
import { describeDraft } from '../drafts.ts';
import { offeredQuestionnaires, selectedQuestionnaire, startRefusal } from '../new-interview.ts';
import type { PluralForms } from '../components/plurals.ts';
import { countText, formatNumber, pluralOf } from '../components/plurals.ts';
import { syncStateOf } from '../sync/outbox.ts';
import { dayIn, siteName, siteTimeZone } from '../site-settings.ts';
import type { SyncStatus } from '../sync/scheduler.ts';
import { syncErrorDetail, syncNoticeOf } from '../sync/sync-problems.ts';
import type { UiLanguage } from '../ui-text.ts';
import { useHomeText } from '../home-text.ts';
import { fill, useUiText } from '../ui-text.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
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

/** A draft as read from the tablet: what its description is made from, at each render. */
interface Draft {
  readonly record: InterviewRecord;
  readonly questionnaire: Questionnaire | readonly LoadIssue[] | undefined;
  readonly answers: ReadonlyMap<string, Answer>;
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

/** A counted line with its number in bold ("**2** entretiens complets au total"). */
function CountLine({
  forms,
  count,
  language,
  testId,
}: {
  readonly forms: PluralForms;
  readonly count: number;
  readonly language: UiLanguage;
  readonly testId: string;
}) {
  const [before = '', after = ''] = pluralOf(forms, count, language).split('{count}');
  return (
    <p>
      {before}
      <strong data-testid={testId}>{formatNumber(count, language)}</strong>
      {after}
    </p>
  );
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
  const [storage, setStorage] = useState<Awaited<ReturnType<typeof storageStatus>>>();
  // Drafts say how long ago they started: the screen follows the clock, a minute at a time.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

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
      // Their sex and age, if answered yet, say whom they are with: one read for all of them.
      const answers = await store.getAnswersOfMany(open.map((record) => record.id));
      const read = await Promise.all(
        open.map(async (record) => ({
          record,
          questionnaire: await cache.get(record.questionnaireId, record.questionnaireVersion),
          answers: answers.get(record.id) ?? new Map<string, Answer>(),
        })),
      );
      if (cancelled) return;
      setInstalled(newestVersions(all));
      setInterviews(list);
      setDrafts(read);
      setStorage(status);
    })();
    return () => {
      cancelled = true;
    };
    // syncStatus.runs: a finished sync run may have installed versions and changed sync states.
  }, [store, cache, syncStatus.runs]);

  const language = settings.uiLanguage;
  const newest = installed ?? [];
  const enrolled = settings.deviceToken !== undefined;
  const siteQuestionnaire = enrolled ? plan?.questionnaire : undefined;
  const offered = offeredQuestionnaires(newest, {
    enrolled,
    practice: settings.practiceMode,
    siteQuestionnaire,
  });
  const selected = selectedQuestionnaire(offered, chosen, siteQuestionnaire);
  const refusal = startRefusal({ practice: settings.practiceMode, blocked: syncStatus.blocked });
  // Days are the site's (its time zone), whatever the tablet's clock is set to.
  const timeZone = siteTimeZone(settings);
  const today = dayIn(now, timeZone);
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
    return definition.title?.[language] ?? definition.title?.['fr'] ?? entry.questionnaireId;
  };
  // Interviews are listed by their questionnaire's title, not its id.
  const titles = new Map(newest.map((entry) => [entry.questionnaireId, titleOf(entry)]));
  const titleOfId = (questionnaireId: string) => titles.get(questionnaireId) ?? questionnaireId;
  const site = siteName(settings);

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
          {/* The site's name from its settings; its id only when the tablet has no settings. */}
          {text.siteLabel} <strong data-testid="home-site">{site}</strong> · {text.interviewerLabel}{' '}
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
      <StartCard
        offered={offered}
        selected={selected}
        titleOf={titleOf}
        onChoose={setChosen}
        practice={settings.practiceMode}
        onPractice={(practice) => void onSettings({ practiceMode: practice })}
        refusal={refusal}
        loaded={installed !== undefined}
        onStart={setStarting}
        onEnrol={onEnrol}
      />
      <section aria-labelledby="drafts-title" className="card">
        <h2 id="drafts-title">{text.drafts}</h2>
        {drafts.length === 0 ? (
          <p>{text.noDrafts}</p>
        ) : (
          <DraftList
            drafts={drafts.map(({ record, questionnaire, answers }) => ({
              record,
              summary: describeDraft({
                record,
                questionnaire,
                answers,
                language,
                now,
                timeZone,
                words,
              }),
            }))}
            onOpen={onOpen}
          />
        )}
      </section>
      <section aria-labelledby="counts-title" className="card counts">
        <h2 id="counts-title" className="visually-hidden">
          {words.countsTitle}
        </h2>
        <CountLine
          forms={words.completedTodayCount}
          count={completedToday}
          language={language}
          testId="completed-today"
        />
        <CountLine
          forms={words.completedTotalCount}
          count={counted.length}
          language={language}
          testId="completed-total"
        />
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
                <p>{countText(words.syncRefusedCount, refused.length, language)}</p>
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
                        · {titleOfId(record.questionnaireId)} · {record.id.slice(0, 8)} :{' '}
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
                    {titleOfId(record.questionnaireId)} ·{' '}
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
      {/* The plan comes from the server (coordinators make it there); nothing to import here. */}
      <section aria-labelledby="plan-title" className="card">
        <h2 id="plan-title">{text.quotaPlan}</h2>
        <p data-testid="plan-status">
          {plan !== undefined
            ? countText(words.planOfSite, plan.sampleSize, language, {
                site: plan.site === settings.site ? site : plan.site,
              })
            : enrolled
              ? words.noPlanYet
              : text.noPlan}
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
