// What the lock needs once the tablet is open: the recovery code handed to the server (so that
// the coordinator can read it out when the PIN is forgotten), and the lock after some minutes
// without a touch.
import { API_PREFIX } from '../core/protocol/index.ts';
import type { SmpgDatabase } from './storage/dexie-schema.ts';
import { readKeyRing, recoverySent } from './storage/lock.ts';
import type { DeviceSettings } from './storage/index.ts';
import type { Vault } from './storage/vault.ts';
import { recoveryCodeOf } from './storage/vault.ts';

/** Minutes without a touch or a key after which the tablet locks (the page is loaded again). */
export const LOCK_AFTER_MS = 5 * 60_000;

/**
 * Sends the recovery code to the tablet's server once it is enrolled, until the server has it.
 * Quiet on failure: it is tried again at the next unlock and after the next sync.
 */
export async function sendRecoveryCode(
  db: SmpgDatabase,
  vault: Vault,
  settings: DeviceSettings | undefined,
  send: typeof fetch = (url, init) => fetch(url, init),
  now: () => string = () => new Date().toISOString(),
): Promise<boolean> {
  const { serverUrl, deviceToken } = settings ?? {};
  if (serverUrl === undefined || deviceToken === undefined) return false;
  const ring = await readKeyRing(db);
  if (ring === undefined || ring.recoverySentAt !== undefined) return false;
  const secret = await recoveryCodeOf(ring, vault);
  if (secret === undefined) return false;
  try {
    const response = await send(`${serverUrl}${API_PREFIX}/devices/recovery`, {
      method: 'PUT',
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(20_000),
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: `Bearer ${deviceToken}`,
      },
      body: JSON.stringify({ secret }),
    });
    if (!response.ok) return false;
  } catch {
    return false;
  }
  await recoverySent(db, now());
  return true;
}

/**
 * Locks the tablet after LOCK_AFTER_MS without a touch: `lock` (the page loaded again) drops the
 * key and everything read with it from memory. A tablet put to sleep locks when it wakes.
 */
export function startIdleLock(lock: () => void, target: EventTarget = window): () => void {
  let last = Date.now();
  const touched = () => {
    last = Date.now();
  };
  const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'];
  for (const name of events)
    target.addEventListener(name, touched, { passive: true, capture: true });
  // A timer that checks often rather than one that is pushed back at every touch: timers stop
  // while the tablet sleeps, and the time it slept counts.
  const timer = setInterval(() => {
    if (Date.now() - last >= LOCK_AFTER_MS) lock();
  }, 15_000);
  return () => {
    clearInterval(timer);
    for (const name of events) target.removeEventListener(name, touched, { capture: true });
  };
}
