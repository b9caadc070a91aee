// Starts the interviewer app: reads an enrolment link, opens the device database and shows the
// lock: nothing of the interviews is read before the PIN opens the tablet's key. The rest of the
// app (start.tsx) is loaded meanwhile and started once the tablet is open. The browser's install
// prompt is kept from the start; persistent storage is asked for after a tap, on the screens.
import './components/no-eval.ts';
import './pwa/install-prompt.ts';
import { startServiceWorker } from './pwa/service-worker.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LockScreen } from './screens/LockScreen.tsx';
import type { Unlocked } from './screens/LockScreen.tsx';
import { SmpgDatabase } from './storage/dexie-schema.ts';
import { readKeyRing } from './storage/lock.ts';
import { takeEnrolmentLink } from './sync/enrolment-link.ts';
import './styles.css';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (root === null) return;
  startServiceWorker();
  const starting = import('./start.tsx');
  // Opened from the dashboard's enrolment link or QR code: its server and code, out of the URL.
  const enrolmentLink = takeEnrolmentLink(window.location, window.history);
  // Opening eagerly surfaces a failure (private mode, a newer schema in another tab, a full disk)
  // on the lock screen's place, not at the first answer.
  const db = new SmpgDatabase();
  await db.open();
  const [ring, clearSettings] = await Promise.all([readKeyRing(db), db.settings.get('device')]);
  const reactRoot = createRoot(root);
  const unlocked = await new Promise<Unlocked>((resolve) => {
    reactRoot.render(
      <StrictMode>
        <LockScreen
          db={db}
          ring={ring}
          language={clearSettings?.uiLanguage ?? 'fr'}
          device={
            clearSettings === undefined
              ? undefined
              : `${clearSettings.deviceId} (${clearSettings.site})`
          }
          onUnlocked={resolve}
        />
      </StrictMode>,
    );
  });
  await (await starting).startUnlocked(db, unlocked, reactRoot, enrolmentLink);
}

main().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root !== null) {
    root.textContent = `L’application n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`;
  }
});
