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
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { LockHint } from './lock-hint.ts';
import { readLockHint, writeLockHint } from './lock-hint.ts';
import { LockScreen } from './screens/LockScreen.tsx';
import type { OpenedDevice, Unlocked } from './screens/LockScreen.tsx';
import { SmpgDatabase } from './storage/dexie-schema.ts';
import { readKeyRing } from './storage/lock.ts';
import type { KeyRing } from './storage/vault.ts';
import { takeEnrolmentLink } from './sync/enrolment-link.ts';
import './styles.css';

let reactRoot: Root | undefined;

/** What the next start's lock screen guesses from: the ring as it is now, and the language. */
function hintOf(ring: KeyRing | undefined, language: 'fr' | 'en'): LockHint {
  return ring === undefined
    ? { hasKey: false, language }
    : { hasKey: true, language, pin: ring.pin };
}

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
  writeLockHint(window.localStorage, hintOf(ring, device.language));
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
    // Drawn now, not in a task React would queue behind the database's and the code's: the lock
    // takes its PIN as soon as this script has run.
    flushSync(() =>
      lockRoot.render(
        <StrictMode>
          <LockScreen opening={opening} hint={hint} onUnlocked={resolve} />
        </StrictMode>,
      ),
    );
  });
  const { db, language } = await opening;
  await (await starting).startUnlocked(db, unlocked, lockRoot, enrolmentLink);
  // The ring may be new (a first PIN, a recovery): its salt is the one to remember. Only a hint:
  // a failure to read it leaves the running app alone.
  readKeyRing(db).then(
    (ring) => writeLockHint(window.localStorage, hintOf(ring, language)),
    () => undefined,
  );
}

main().catch((error: unknown) => {
  reactRoot?.unmount();
  const root = document.getElementById('root');
  if (root !== null) {
    root.textContent = `L’application n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`;
  }
});
