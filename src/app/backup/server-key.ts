// The server's public key, which backup files are encrypted to: fetched at enrolment and at each
// sync while the tablet has none, kept in the settings, so that a backup can be written offline.
import type { ServerKey } from '../../core/protocol/index.ts';
import { API_PREFIX, ServerKeySchema } from '../../core/protocol/index.ts';
import type { InterviewStore } from '../storage/index.ts';
import type { Transport } from '../sync/api.ts';

/** A small read, as the sync's own: given up past this, so that no run waits on it for long. */
export const SERVER_KEY_DEADLINE_MS = 20_000;

/** The key's answer, read within the deadline (aborted past it, even if the transport ignores it). */
async function readKey(transport: Transport, url: string, deadlineMs: number): Promise<unknown> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${deadlineMs} ms`));
    }, deadlineMs);
  });
  try {
    return await Promise.race([
      (async () => {
        const response = await transport(url, {
          method: 'GET',
          headers: { Accept: 'application/json' },
          signal: controller.signal,
        });
        return response.status === 200 ? await response.json() : undefined;
      })(),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server's key, or undefined when it cannot be had now (offline, no answer within the
 * deadline, a server older than backups, an answer that is not a key WebCrypto imports). Never
 * throws.
 */
export async function fetchServerKey(
  transport: Transport,
  serverUrl: string,
  deadlineMs = SERVER_KEY_DEADLINE_MS,
): Promise<ServerKey | undefined> {
  try {
    const answer = await readKey(transport, `${serverUrl}${API_PREFIX}/server-key`, deadlineMs);
    const parsed = ServerKeySchema.safeParse(answer);
    if (!parsed.success) return undefined;
    // Imported once here, so that a key that would fail at backup time is never kept.
    await crypto.subtle.importKey(
      'jwk',
      parsed.data.jwk,
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['wrapKey'],
    );
    return parsed.data;
  } catch {
    return undefined;
  }
}

/**
 * Fetches the server's key and keeps it in the settings when the enrolled tablet has none yet;
 * does nothing otherwise. The settings are read again before writing, and the key kept only if the
 * tablet is still enrolled with the same server. Never throws for the network.
 */
export async function ensureServerKey(store: InterviewStore, transport: Transport): Promise<void> {
  const settings = await store.getSettings();
  const serverUrl = settings?.serverUrl;
  if (serverUrl === undefined || serverUrl === '' || settings?.serverKey !== undefined) return;
  const key = await fetchServerKey(transport, serverUrl);
  if (key === undefined) return;
  const current = await store.getSettings();
  if (current === undefined || current.serverUrl !== serverUrl) return;
  await store.putSettings({ ...current, serverKey: key });
}
