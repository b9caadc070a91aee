// The app's frame: settings, the current screen (from the URL hash, so that a reload returns to
// the same interview), the service worker's update state, enrolment, the sync status, and
// starting interviews (at the pick-up point chosen on the home screen).
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { interviewId } from '../core/record/interview-id.ts';
import { planOf } from './quota/quota-session.ts';
import {
  alertContacts,
  siteIncomeBands,
  siteName,
  siteTimeZone,
  startingLanguage,
} from './site-settings.ts';
import { InterviewScreen } from './screens/InterviewScreen.tsx';
import type { Setup } from './screens/SetupScreen.tsx';
import type { QuestionnaireCache } from './questionnaires/catalogue.ts';
import { interviewLanguages, sitePackRevisions } from './questionnaires/catalogue.ts';
import type {
  DeviceSettings,
  InstalledQuestionnaire,
  InterviewStore,
  SiteCounts,
} from './storage/index.ts';
import type { Transport } from './sync/api.ts';
import type { EnrolmentForm } from './sync/enrolment.ts';
import type { EnrolmentLink } from './sync/enrolment-link.ts';
import type { InterviewView } from './interview/interview-session.ts';
import { newInterview } from './interview/interview-session.ts';
import type { SyncScheduler } from './sync/scheduler.ts';
import { useServiceWorker } from './pwa/service-worker.ts';
import { useSyncStatus } from './sync/useSyncStatus.ts';
import { UiTextContext, useUiTextFor } from './ui-text.ts';

export const APP_VERSION = '0.1.0';

// The first-run forms (and react-hook-form with them) are needed once per tablet: load on demand.
// Home is not needed to resume an interview (the fastest path after a crash): load it on demand,
// which also keeps the initial bundle within its budget.
const HomeScreen = lazy(async () => ({
  default: (await import('./screens/HomeScreen.tsx')).HomeScreen,
}));
// The quota board is opened now and then, from home: load it on demand.
const QuotaScreen = lazy(async () => ({
  default: (await import('./screens/QuotaScreen.tsx')).QuotaScreen,
}));
// The device's own export is a fallback, used rarely: on demand, its CSV written in a worker.
const ExportScreen = lazy(async () => ({
  default: (await import('./screens/ExportScreen.tsx')).ExportScreen,
}));
const SetupScreen = lazy(async () => ({
  default: (await import('./screens/SetupScreen.tsx')).SetupScreen,
}));
const EnrolScreen = lazy(async () => ({
  default: (await import('./screens/EnrolScreen.tsx')).EnrolScreen,
}));

type Route =
  | { readonly name: 'home' }
  | { readonly name: 'setup' }
  | { readonly name: 'enrol' }
  | { readonly name: 'quotas' }
  | { readonly name: 'export' }
  | { readonly name: 'interview'; readonly id: string };

/** The interview an address opens (`#/interview/<id>`), if any. */
export function interviewInHash(hash: string): string | undefined {
  const route = routeFromHash(hash);
  return route.name === 'interview' ? route.id : undefined;
}

function routeFromHash(hash: string): Route {
  const match = /^#\/interview\/([0-9a-f-]{36})$/.exec(hash);
  if (match?.[1]) return { name: 'interview', id: match[1] };
  if (hash === '#/setup') return { name: 'setup' };
  if (hash === '#/enrol') return { name: 'enrol' };
  if (hash === '#/quotas') return { name: 'quotas' };
  if (hash === '#/export') return { name: 'export' };
  return { name: 'home' };
}

function hashOf(route: Route): string {
  if (route.name === 'interview') return `#/interview/${route.id}`;
  return route.name === 'home' ? '#/' : `#/${route.name}`;
}

const DEFAULT_SETUP: Setup = { site: '', interviewer: '' };

/** The sync client: the scheduler (made once in main.tsx) and the transport enrolment uses. */
export interface SyncClient {
  readonly scheduler: SyncScheduler;
  readonly transport: Transport;
}

/** Parses what `key` holds: the same JSON gives the same object, so memos depending on it hold. */
function useStableJson<T>(value: T | undefined): T | undefined {
  const key = value === undefined ? undefined : JSON.stringify(value);
  return useMemo(() => (key === undefined ? undefined : (JSON.parse(key) as T)), [key]);
}

export function App({
  store,
  cache,
  initialSettings,
  sync,
  enrolmentLink,
  loadedInterview,
  onInterviewShown,
}: {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly initialSettings: DeviceSettings | undefined;
  readonly sync: SyncClient;
  /** The server and code of the link the app was opened from (the dashboard's QR code). */
  readonly enrolmentLink?: EnrolmentLink | undefined;
  /** The interview the app was opened on, already loaded (`loadInterview`), for its first screen. */
  readonly loadedInterview?: InterviewView | undefined;
  /** Called once the interview the app was opened on is on screen. */
  readonly onInterviewShown?: (() => void) | undefined;
}) {
  const { scheduler, transport } = sync;
  const [settings, setSettings] = useState(initialSettings);
  const syncStatus = useSyncStatus(scheduler);
  // Used once: dropped after enrolling or cancelling, so a later enrolment starts blank.
  const [link, setLink] = useState(enrolmentLink);
  const [route, setRoute] = useState<Route>(() =>
    enrolmentLink === undefined ? routeFromHash(window.location.hash) : { name: 'enrol' },
  );
  // Used for the first screen only: shown again later, the interview is read anew.
  const [loaded, setLoaded] = useState(loadedInterview);
  const worker = useServiceWorker();

  useEffect(() => {
    const onHash = () => {
      setLoaded(undefined);
      setRoute(routeFromHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = useCallback((next: Route) => {
    window.location.hash = hashOf(next);
    setLoaded(undefined);
    setRoute(next);
  }, []);

  // A sync run may have changed the settings (quota plan, site counts, its own status).
  useEffect(() => {
    if (syncStatus.runs === 0) return undefined;
    let cancelled = false;
    void store.getSettings().then((fresh) => {
      if (!cancelled && fresh !== undefined) setSettings(fresh);
    });
    return () => {
      cancelled = true;
    };
  }, [syncStatus.runs, store]);

  // Back home: the count of interviews waiting to be sent may have changed.
  useEffect(() => {
    if (route.name === 'home') void scheduler.refresh();
  }, [route.name, scheduler]);

  const saveSettings = useCallback(
    async (patch: Partial<DeviceSettings>) => {
      // Read again: a sync run may have written the settings since this screen read them.
      const base: DeviceSettings = (await store.getSettings()) ??
        settings ?? {
          deviceId: crypto.randomUUID(),
          site: '',
          interviewer: '',
          uiLanguage: 'fr',
          practiceMode: false,
        };
      const next = { ...base, ...patch };
      await store.putSettings(next);
      setSettings(next);
    },
    [settings, store],
  );

  const start = useCallback(
    async (questionnaire: InstalledQuestionnaire, pickupPoint: string) => {
      if (settings === undefined) return;
      const now = new Date();
      const definition = questionnaire.definition as {
        languages?: readonly string[];
        defaultLanguage?: string;
      };
      // Time-ordered (UUID v7): the server's index of records grows at its end.
      const id = interviewId(now.getTime(), crypto.getRandomValues(new Uint8Array(10)));
      const init = {
        id,
        questionnaireId: questionnaire.questionnaireId,
        questionnaireVersion: questionnaire.version,
        site: settings.site,
        interviewer: settings.interviewer,
        deviceId: settings.deviceId,
        pickupPoint,
        practice: settings.practiceMode,
        // The site's first language the questionnaire has, else the questionnaire's default.
        language: startingLanguage(definition, settings.siteSettings?.languages),
        appVersion: APP_VERSION,
        ...siteIncomeBands(settings.siteSettings),
        ...sitePackRevisions(questionnaire),
      };
      await store.createInterview(newInterview(init, now));
      // Offered first next time: interviewers stay at one place for hours.
      if (settings.lastPickupPoint !== pickupPoint)
        await saveSettings({ lastPickupPoint: pickupPoint });
      go({ name: 'interview', id });
    },
    [settings, store, go, saveSettings],
  );

  const enrol = useCallback(
    async (form: EnrolmentForm) => {
      const { enrolTablet } = await import('./sync/enrolment.ts');
      const result = await enrolTablet(
        transport,
        form,
        await store.getSettings(),
        window.location.origin,
      );
      if (result.ok) {
        await store.putSettings(result.settings);
        setSettings(result.settings);
        setLink(undefined);
        go({ name: 'home' });
        void scheduler.syncNow();
      }
      return result;
    },
    [transport, store, go, scheduler],
  );

  const ui = useUiTextFor(settings?.uiLanguage ?? 'fr');
  // Each sync run reads the settings anew: keep the plan and the counts the same objects while
  // their content is the same, so that nothing depending on them reloads.
  const storedPlan = useStableJson(settings?.quotaPlan);
  const plan = useMemo(() => planOf(storedPlan), [storedPlan]);
  const siteCounts = useStableJson<SiteCounts>(settings?.siteCounts);
  // The alert's helpline and contacts, the same object while the settings say the same.
  const alert = useStableJson(alertContacts(settings)) ?? alertContacts(undefined);
  const siteLanguages = useStableJson(interviewLanguages(settings));
  const enrolled = settings?.deviceToken !== undefined;
  useEffect(() => {
    document.documentElement.lang = settings?.uiLanguage ?? 'fr';
  }, [settings?.uiLanguage]);
  // English loads on demand: until it has, nothing rather than French then English.
  if (ui === undefined) return null;
  const texts = ui.text;

  const enrolForm: EnrolmentForm = {
    serverUrl: link?.serverUrl ?? settings?.serverUrl ?? window.location.origin,
    code: link?.code ?? '',
    interviewer: settings?.interviewer ?? '',
  };
  const firstRun = settings === undefined || settings.site === '';

  let screen;
  if ((firstRun && route.name !== 'setup') || route.name === 'enrol') {
    screen = (
      <Suspense fallback={<p aria-live="polite">{texts.loading}</p>}>
        <EnrolScreen
          initial={enrolForm}
          fromLink={link !== undefined}
          onEnrol={enrol}
          onWithoutServer={firstRun ? () => go({ name: 'setup' }) : undefined}
          onCancel={
            firstRun
              ? undefined
              : () => {
                  setLink(undefined);
                  go({ name: 'home' });
                }
          }
        />
      </Suspense>
    );
  } else if (firstRun || route.name === 'setup') {
    screen = (
      <Suspense fallback={<p aria-live="polite">{texts.loading}</p>}>
        <SetupScreen
          initial={
            settings ? { site: settings.site, interviewer: settings.interviewer } : DEFAULT_SETUP
          }
          siteLocked={enrolled}
          siteName={settings?.siteSettings?.name}
          helpline={alert.helpline}
          onEnrol={() => go({ name: 'enrol' })}
          onSave={async (setup) => {
            await saveSettings(enrolled ? { interviewer: setup.interviewer } : setup);
            go({ name: 'home' });
          }}
        />
      </Suspense>
    );
  } else if (route.name === 'interview') {
    screen = (
      <InterviewScreen
        key={route.id}
        store={store}
        cache={cache}
        interviewId={route.id}
        alert={alert}
        siteLanguages={siteLanguages}
        plan={plan}
        siteCounts={siteCounts}
        loaded={loaded}
        onShown={onInterviewShown}
        onExit={() => go({ name: 'home' })}
      />
    );
  } else if (route.name === 'quotas' && plan !== undefined) {
    screen = (
      <Suspense fallback={<p aria-live="polite">{texts.loading}</p>}>
        <QuotaScreen
          store={store}
          plan={plan}
          siteCounts={siteCounts}
          siteName={plan.site === settings.site ? siteName(settings) : undefined}
          timeZone={siteTimeZone(settings)}
          interviewer={settings.interviewer}
          language={settings.uiLanguage}
          onBack={() => go({ name: 'home' })}
        />
      </Suspense>
    );
  } else if (route.name === 'export') {
    screen = (
      <Suspense fallback={<p aria-live="polite">{texts.loading}</p>}>
        <ExportScreen
          store={store}
          cache={cache}
          site={settings.site}
          timeZone={siteTimeZone(settings)}
          language={settings.uiLanguage}
          onBack={() => go({ name: 'home' })}
        />
      </Suspense>
    );
  } else {
    screen = (
      <Suspense fallback={<p aria-live="polite">{texts.loading}</p>}>
        <HomeScreen
          plan={plan}
          onQuotas={() => go({ name: 'quotas' })}
          onExport={() => go({ name: 'export' })}
          store={store}
          cache={cache}
          settings={settings}
          onSettings={saveSettings}
          onStart={start}
          onOpen={(id) => go({ name: 'interview', id })}
          onEditSetup={() => go({ name: 'setup' })}
          syncStatus={syncStatus}
          onSyncNow={() => void scheduler.syncNow()}
          onEnrol={() => go({ name: 'enrol' })}
          update={worker}
        />
      </Suspense>
    );
  }
  return <UiTextContext.Provider value={ui}>{screen}</UiTextContext.Provider>;
}
