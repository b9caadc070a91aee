// The app once the tablet is open: everything after the lock, loaded while the PIN is typed (so
// the first download holds the lock screen and what it needs, and little else). Installs the
// questionnaire versions shipped with the app, starts the sync scheduler, and renders. Opened on
// an interview's address (a reload after a crash or a flat battery), it reads that interview
// first and shows it, and does the rest once it is on screen.
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { App, interviewInHash } from './App.tsx';
import { loadInterview } from './interview/interview-session.ts';
import { sendRecoveryCode, startIdleLock } from './lock-session.ts';
import { QuestionnaireCache, installShippedQuestionnaires } from './questionnaires/catalogue.ts';
import type { Unlocked } from './screens/LockScreen.tsx';
import type { SmpgDatabase } from './storage/dexie-schema.ts';
import { DexieInterviewStore } from './storage/index.ts';
import { sealPlainRows } from './storage/lock.ts';
import type { Transport } from './sync/api.ts';
import type { EnrolmentLink } from './sync/enrolment-link.ts';
import { fetchTransport } from './sync/fetch-transport.ts';
import { createSyncScheduler } from './sync/scheduler.ts';

const transport: Transport = fetchTransport();

/**
 * Resolves once the next frame has been painted (a task queued from an animation frame callback
 * runs after that frame), or after half a second if the page is not being drawn (hidden).
 */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 500);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

export async function startUnlocked(
  db: SmpgDatabase,
  unlocked: Unlocked,
  reactRoot: Root,
  enrolmentLink: EnrolmentLink | undefined,
): Promise<void> {
  const { vault } = unlocked;
  // A tablet that had interviews before it had a key: they are sealed now.
  if (unlocked.created) await sealPlainRows(db, vault);
  const store = new DexieInterviewStore(db, vault);
  startIdleLock(() => window.location.reload());
  // Compiled questionnaires are kept per build: the address of this file, which changes with the
  // app's code (its name carries a hash of it and of what it imports). Not while developing.
  const cache = new QuestionnaireCache(
    store,
    import.meta.env.DEV ? undefined : new URL(import.meta.url).pathname,
  );
  const interviewId =
    enrolmentLink === undefined ? interviewInHash(window.location.hash) : undefined;
  const [settings, loaded] = await Promise.all([
    store.getSettings(),
    // A failure here is the interview screen's to report: it reads the interview again.
    interviewId === undefined
      ? undefined
      : loadInterview(store, cache, interviewId).catch(() => undefined),
  ]);
  // A tablet set up and opened on an interview: its versions are installed (the interview was
  // started on one of them), so installing the shipped ones waits until the interview is shown.
  const resuming = interviewId !== undefined && settings !== undefined && settings.site !== '';
  const now = () => new Date().toISOString();
  if (!resuming) await installShippedQuestionnaires(store, now);
  const scheduler = createSyncScheduler({
    store,
    cache,
    transport,
    isOnline: () => navigator.onLine,
  });
  window.addEventListener('online', () => void scheduler.online());
  let shown = () => {};
  const interviewShown = new Promise<void>((resolve) => {
    shown = resolve;
  });
  reactRoot.render(
    <StrictMode>
      <App
        store={store}
        cache={cache}
        initialSettings={settings}
        sync={{ scheduler, transport }}
        enrolmentLink={enrolmentLink}
        loadedInterview={typeof loaded === 'object' ? loaded : undefined}
        onInterviewShown={resuming ? shown : undefined}
      />
    </StrictMode>,
  );
  if (resuming) {
    await interviewShown;
    await afterNextPaint();
    void installShippedQuestionnaires(store, now);
  }
  void scheduler.start();
  // The recovery code goes to the server once the tablet is enrolled (now, or after enrolment or
  // a sync), until the server has it.
  let sending = false;
  const sendRecovery = () => {
    if (sending) return;
    sending = true;
    void store
      .getSettings()
      .then((settings) => sendRecoveryCode(db, vault, settings))
      .finally(() => {
        sending = false;
      });
  };
  sendRecovery();
  let runs = scheduler.getStatus().runs;
  scheduler.subscribe(() => {
    const status = scheduler.getStatus();
    if (status.runs === runs) return;
    runs = status.runs;
    sendRecovery();
  });
}
