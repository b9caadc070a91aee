// Starts the interviewer app: opens the device database, installs the questionnaire versions
// shipped with the app, asks for persistent storage, and renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { QuestionnaireCache, installShippedQuestionnaires } from './questionnaires/catalogue.ts';
import { openDeviceStore, requestPersistentStorage } from './storage/index.ts';
import './styles.css';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (root === null) return;
  const { store } = await openDeviceStore();
  await installShippedQuestionnaires(store, () => new Date().toISOString());
  void requestPersistentStorage();
  const settings = await store.getSettings();
  createRoot(root).render(
    <StrictMode>
      <App store={store} cache={new QuestionnaireCache(store)} initialSettings={settings} />
    </StrictMode>,
  );
}

main().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root !== null) {
    root.textContent = `L’application n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`;
  }
});
