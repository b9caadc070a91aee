// Starts the interviewer app: reads an enrolment link, opens the device database, installs the
// questionnaire versions shipped with the app, asks for persistent storage, starts the sync
// scheduler, and renders. Opened on an interview's address (a reload after a crash or a flat
// battery), it reads that interview first and shows it, and does the rest once it is on screen.
import './components/no-eval.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, interviewInHash } from './App.tsx';
import { loadInterview } from './interview/interview-session.ts';
import { QuestionnaireCache, installShippedQuestionnaires } from './questionnaires/catalogue.ts';
import { openDeviceStore, requestPersistentStorage } from './storage/index.ts';
import type { Transport } from './sync/api.ts';
import { takeEnrolmentLink } from './sync/enrolment-link.ts';
import { createSyncScheduler } from './sync/scheduler.ts';
import './styles.css';

// A plain function, never `fetch` kept as a method (browsers refuse it with "Illegal invocation").
const transport: Transport = (url, init) =>
  fetch(url, { ...init, cache: 'no-store', credentials: 'omit' });

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

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (root === null) return;
  // Opened from the dashboard's enrolment link or QR code: its server and code, out of the URL.
  const enrolmentLink = takeEnrolmentLink(window.location, window.history);
  const { store } = await openDeviceStore();
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
  createRoot(root).render(
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
  void requestPersistentStorage();
  void scheduler.start();
}

main().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root !== null) {
    root.textContent = `L’application n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`;
  }
});
