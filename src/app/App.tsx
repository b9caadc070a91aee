// The app's frame: settings, the current screen (from the URL hash, so that a reload returns to
// the same interview), the service worker's update state, and starting interviews.
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { planOf } from './quota/quota-session.ts';
import { HomeScreen } from './screens/HomeScreen.tsx';
import { QuotaScreen } from './screens/QuotaScreen.tsx';
import { InterviewScreen } from './screens/InterviewScreen.tsx';
import type { Setup } from './screens/SetupScreen.tsx';
import type { QuestionnaireCache } from './questionnaires/catalogue.ts';
import type { DeviceSettings, InstalledQuestionnaire, InterviewStore } from './storage/index.ts';
import { UI_TEXT, UiTextContext } from './ui-text.ts';

export const APP_VERSION = '0.1.0';

// The first-run form (and react-hook-form with it) is needed once per tablet: load it on demand.
const SetupScreen = lazy(async () => ({
  default: (await import('./screens/SetupScreen.tsx')).SetupScreen,
}));

type Route =
  | { readonly name: 'home' }
  | { readonly name: 'setup' }
  | { readonly name: 'quotas' }
  | { readonly name: 'interview'; readonly id: string };

function routeFromHash(hash: string): Route {
  const match = /^#\/interview\/([0-9a-f-]{36})$/.exec(hash);
  if (match?.[1]) return { name: 'interview', id: match[1] };
  if (hash === '#/setup') return { name: 'setup' };
  if (hash === '#/quotas') return { name: 'quotas' };
  return { name: 'home' };
}

function hashOf(route: Route): string {
  if (route.name === 'interview') return `#/interview/${route.id}`;
  return route.name === 'home' ? '#/' : `#/${route.name}`;
}

const DEFAULT_SETUP: Setup = { site: '', interviewer: '', helpline: '3114' };

export function App({
  store,
  cache,
  initialSettings,
}: {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly initialSettings: DeviceSettings | undefined;
}) {
  const [settings, setSettings] = useState(initialSettings);
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  const {
    needRefresh: [needRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = useCallback((next: Route) => {
    window.location.hash = hashOf(next);
    setRoute(next);
  }, []);

  const saveSettings = useCallback(
    async (patch: Partial<DeviceSettings>) => {
      const base: DeviceSettings = settings ?? {
        deviceId: crypto.randomUUID(),
        site: '',
        interviewer: '',
        uiLanguage: 'fr',
        practiceMode: false,
        helpline: '3114',
      };
      const next = { ...base, ...patch };
      await store.putSettings(next);
      setSettings(next);
    },
    [settings, store],
  );

  const start = useCallback(
    async (questionnaire: InstalledQuestionnaire) => {
      if (settings === undefined) return;
      const at = new Date().toISOString();
      const definition = questionnaire.definition as { defaultLanguage?: string };
      const id = crypto.randomUUID();
      await store.createInterview({
        id,
        questionnaireId: questionnaire.questionnaireId,
        questionnaireVersion: questionnaire.version,
        site: settings.site,
        interviewer: settings.interviewer,
        deviceId: settings.deviceId,
        status: 'screening',
        practice: settings.practiceMode,
        position: null,
        language: definition.defaultLanguage ?? 'fr',
        appVersion: APP_VERSION,
        startedAt: at,
        updatedAt: at,
      });
      go({ name: 'interview', id });
    },
    [settings, store, go],
  );

  const texts = UI_TEXT[settings?.uiLanguage ?? 'fr'];
  const plan = useMemo(() => planOf(settings?.quotaPlan), [settings?.quotaPlan]);
  useEffect(() => {
    document.documentElement.lang = settings?.uiLanguage ?? 'fr';
  }, [settings?.uiLanguage]);

  let screen;
  if (settings === undefined || settings.site === '' || route.name === 'setup') {
    screen = (
      <Suspense fallback={<p aria-live="polite">{texts.loading}</p>}>
        <SetupScreen
          initial={
            settings
              ? {
                  site: settings.site,
                  interviewer: settings.interviewer,
                  helpline: settings.helpline,
                }
              : DEFAULT_SETUP
          }
          onSave={async (setup) => {
            await saveSettings(setup);
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
        helpline={settings.helpline}
        plan={plan}
        onExit={() => go({ name: 'home' })}
      />
    );
  } else if (route.name === 'quotas' && plan !== undefined) {
    screen = (
      <QuotaScreen
        store={store}
        plan={plan}
        interviewer={settings.interviewer}
        language={settings.uiLanguage}
        onBack={() => go({ name: 'home' })}
      />
    );
  } else {
    screen = (
      <HomeScreen
        plan={plan}
        onQuotas={() => go({ name: 'quotas' })}
        store={store}
        cache={cache}
        settings={settings}
        onSettings={saveSettings}
        onStart={start}
        onOpen={(id) => go({ name: 'interview', id })}
        onEditSetup={() => go({ name: 'setup' })}
        update={{
          needRefresh,
          offlineReady,
          update: () => void updateServiceWorker(true),
          dismissOfflineReady: () => setOfflineReady(false),
        }}
      />
    );
  }
  return <UiTextContext.Provider value={texts}>{screen}</UiTextContext.Provider>;
}
