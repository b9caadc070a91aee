// Starts the interviewer app: reads an enrolment link, draws the lock and opens the device
// database meanwhile: nothing of the interviews is read before the PIN opens the tablet's key. The
// rest of the app (start.tsx) is loaded meanwhile and started once the tablet is open. The
// browser's install prompt is kept from the start; persistent storage is asked for after a tap, on
// the screens.
import './components/no-eval.ts';
import './pwa/install-prompt.ts';
import { startServiceWorker } from './pwa/service-worker.ts';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot } from 'react-dom/client';
import { readLockHint, writeLockHint } from './lock-hint.ts';
import { LockScreen } from './screens/LockScreen.tsx';
import type { OpenedDevice, Unlocked } from './screens/LockScreen.tsx';
import { SmpgDatabase } from './storage/dexie-schema.ts';
import { readKeyRing } from './storage/lock.ts';
import { takeEnrolmentLink } from './sync/enrolment-link.ts';
import './styles.css';

let reactRoot: Root | undefined;

/** Opens the database and reads what the lock needs: the key ring and the clear settings. */
async function openDevice(): Promise<OpenedDevice> {
  const db = new SmpgDatabase();
  // Opening eagerly surfaces a failure (private mode, a newer schema in another tab, a full disk)
  // on the lock screen's place, not at the first answer.
  await db.open();
  const [ring, clearSettings] = await Promise.all([readKeyRing(db), db.settings.get('device')]);
  const device: OpenedDevice = {
    db,
    ring,
    language: clearSettings?.uiLanguage ?? 'fr',
    device:
      clearSettings === undefined ? undefined : `${clearSettings.deviceId} (${clearSettings.site})`,
  };
  writeLockHint(window.localStorage, { hasKey: ring !== undefined, language: device.language });
  return device;
}

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (root === null) return;
  startServiceWorker();
  const starting = import('./start.tsx');
  // Opened from the dashboard's enrolment link or QR code: its server and code, out of the URL.
  const enrolmentLink = takeEnrolmentLink(window.location, window.history);
  // Asked for before the first render, so that IndexedDB opens while React draws the lock.
  const opening = openDevice();
  const hint = readLockHint(window.localStorage);
  reactRoot = createRoot(root);
  const lockRoot = reactRoot;
  const unlocked = await new Promise<Unlocked>((resolve, reject) => {
    opening.catch(reject);
    lockRoot.render(
      <StrictMode>
        <LockScreen opening={opening} hint={hint} onUnlocked={resolve} />
      </StrictMode>,
    );
  });
  const { db, language } = await opening;
  writeLockHint(window.localStorage, { hasKey: true, language });
  await (await starting).startUnlocked(db, unlocked, lockRoot, enrolmentLink);
}

main().catch((error: unknown) => {
  reactRoot?.unmount();
  const root = document.getElementById('root');
  if (root !== null) {
    root.textContent = `L’application n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`;
  }
});
