// The tablet's copy of the server's key: fetched when missing, never when kept already, and left
// alone (no throw, nothing written) whatever goes wrong: offline, an old server, an answer that is
// not a key, no answer before the deadline, the tablet enrolled elsewhere meanwhile.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureServerKey, fetchServerKey } from '../../../../src/app/backup/server-key.ts';
import type { DeviceSettings } from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/index.ts';
import type { Transport, TransportResponse } from '../../../../src/app/sync/api.ts';

const exported = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
  format: 'jwk',
});
const KEY = {
  keyId: 'abcdefgh12345678',
  jwk: { kty: 'RSA', n: String(exported.n), e: String(exported.e), alg: 'RSA-OAEP-256' },
};
const SETTINGS: DeviceSettings = {
  deviceId: 'd1',
  site: 'lille',
  interviewer: 'ENQ-07',
  uiLanguage: 'fr',
  practiceMode: false,
  serverUrl: 'https://smpg.test',
  deviceToken: 'dev_1',
};

const answering =
  (status: number, body: unknown, urls: string[] = []): Transport =>
  async (url): Promise<TransportResponse> => {
    urls.push(url);
    return { status, json: async () => body };
  };

describe('the server key on the tablet', () => {
  it('fetches it from GET /api/v1/server-key and keeps it', async () => {
    const urls: string[] = [];
    const store = new MemoryInterviewStore();
    await store.putSettings(SETTINGS);
    await ensureServerKey(store, answering(200, KEY, urls));
    expect((await store.getSettings())?.serverKey).toEqual(KEY);
    expect(urls).toEqual(['https://smpg.test/api/v1/server-key']);
    // Kept: never asked again.
    await ensureServerKey(store, answering(200, { ...KEY, keyId: 'another-key-0001' }, urls));
    expect(urls).toHaveLength(1);
    expect((await store.getSettings())?.serverKey?.keyId).toBe(KEY.keyId);
  });

  it('gives up quietly: offline, an old server, not a key, no answer in time', async () => {
    const offline: Transport = async () => {
      throw new TypeError('Failed to fetch');
    };
    const silent: Transport = () => new Promise(() => undefined);
    const url = 'https://smpg.test';
    expect(await fetchServerKey(offline, url)).toBeUndefined();
    expect(await fetchServerKey(answering(404, { error: 'not_found', message: 'x' }), url)).toBe(
      undefined,
    );
    expect(await fetchServerKey(answering(200, { ...KEY, jwk: { kty: 'EC' } }), url)).toBe(
      undefined,
    );
    const started = Date.now();
    expect(await fetchServerKey(silent, url, 50)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    const store = new MemoryInterviewStore();
    await store.putSettings(SETTINGS);
    await ensureServerKey(store, offline);
    expect((await store.getSettings())?.serverKey).toBeUndefined();
  });

  it('keeps nothing for a tablet without a server, or enrolled elsewhere meanwhile', async () => {
    const store = new MemoryInterviewStore();
    const { serverUrl, deviceToken, ...withoutServer } = SETTINGS;
    expect([serverUrl, deviceToken]).toHaveLength(2);
    await store.putSettings(withoutServer);
    const urls: string[] = [];
    await ensureServerKey(store, answering(200, KEY, urls));
    expect(urls).toEqual([]);
    await store.putSettings(SETTINGS);
    const moving: Transport = async () => {
      await store.putSettings({ ...SETTINGS, serverUrl: 'https://other.test' });
      return { status: 200, json: async () => KEY };
    };
    await ensureServerKey(store, moving);
    expect((await store.getSettings())?.serverKey).toBeUndefined();
  });
});
