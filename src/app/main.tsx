// Starts the interviewer app: reads an enrolment link, opens the device database, installs the
// questionnaire versions shipped with the app, asks for persistent storage, starts the sync
// scheduler, and renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { QuestionnaireCache, installShippedQuestionnaires } from './questionnaires/catalogue.ts';
import { openDeviceStore, requestPersistentStorage } from './storage/index.ts';
import type { Transport } from './sync/api.ts';
import { takeEnrolmentLink } from './sync/enrolment-link.ts';
import { createSyncScheduler } from './sync/scheduler.ts';
import './styles.css';

// A plain function, never `fetch` kept as a method (browsers refuse it with "Illegal invocation").
const transport: Transport = (url, init) =>
  fetch(url, { ...init, cache: 'no-store', credentials: 'omit' });

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (root === null) return;
  // Opened from the dashboard's enrolment link or QR code: its server and code, out of the URL.
  const enrolmentLink = takeEnrolmentLink(window.location, window.history);
  const { store } = await openDeviceStore();
  await installShippedQuestionnaires(store, () => new Date().toISOString());
  void requestPersistentStorage();
  const settings = await store.getSettings();
  const cache = new QuestionnaireCache(store);
  const scheduler = createSyncScheduler({
    store,
    cache,
    transport,
    isOnline: () => navigator.onLine,
  });
  window.addEventListener('online', () => void scheduler.online());
  createRoot(root).render(
    <StrictMode>
      <App
        store={store}
        cache={cache}
        initialSettings={settings}
        sync={{ scheduler, transport }}
        enrolmentLink={enrolmentLink}
      />
    </StrictMode>,
  );
  void scheduler.start();
}

main().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root !== null) {
    root.textContent = `L’application n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`;
  }
});
