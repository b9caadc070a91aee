// The PIN's key derived as the PIN is sent, under the salt the lock hint remembers, before the key
// ring is read: the same lock (same ring, same iterations, wrong PINs counted), one PBKDF2 fewer
// to wait for; and the hint keeps the salt and the count, nothing that opens anything.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readLockHint, writeLockHint } from '../../../../src/app/lock-hint.ts';
import { SmpgDatabase } from '../../../../src/app/storage/index.ts';
import { createLock, readKeyRing, unlockDevice } from '../../../../src/app/storage/lock.ts';
import type { KeyRing } from '../../../../src/app/storage/vault.ts';
import { PIN_ITERATIONS, derivePinKey } from '../../../../src/app/storage/vault.ts';
import { memoryStorage } from '../../../helpers/memory-storage.ts';

const opened: SmpgDatabase[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

async function lockedTablet(pin: string): Promise<{ db: SmpgDatabase; ring: KeyRing }> {
  const db = new SmpgDatabase('pin-key-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  opened.push(db);
  await db.open();
  await createLock(db, pin);
  const ring = await readKeyRing(db);
  if (ring === undefined) throw new Error('no key ring');
  return { db, ring };
}

/** The iteration counts of the PBKDF2 derivations made while `run` runs. */
async function derivations(run: () => Promise<unknown>): Promise<number[]> {
  const subtle = globalThis.crypto.subtle;
  const spy = vi.spyOn(subtle, 'deriveKey');
  await run();
  const counts = spy.mock.calls.map(([params]) => (params as Pbkdf2Params).iterations);
  spy.mockRestore();
  return counts;
}

describe('the PIN key derived ahead', () => {
  it('opens the tablet with the one derivation started as the PIN is sent', async () => {
    const { db, ring } = await lockedTablet('482913');
    let result: Awaited<ReturnType<typeof unlockDevice>> | undefined;
    const counts = await derivations(async () => {
      const pinKey = derivePinKey('482913', ring.pin);
      result = await unlockDevice(db, pinKey);
    });
    expect(result?.kind).toBe('unlocked');
    expect(counts).toEqual([PIN_ITERATIONS]);
  });

  it('counts a wrong PIN derived ahead as any wrong PIN', async () => {
    const { db, ring } = await lockedTablet('482913');
    expect(await unlockDevice(db, derivePinKey('000000', ring.pin))).toMatchObject({
      kind: 'wrong',
      failures: 1,
    });
    expect((await readKeyRing(db))?.failures).toBe(1);
  });

  it("derives again under the ring's own salt and count when the hint's are stale or forged", async () => {
    const { db, ring } = await lockedTablet('482913');
    const stale = { salt: new Uint8Array(16).fill(7), iterations: PIN_ITERATIONS };
    const forged = { salt: ring.pin.salt, iterations: 1 };
    for (const ahead of [stale, forged]) {
      let result: Awaited<ReturnType<typeof unlockDevice>> | undefined;
      const counts = await derivations(async () => {
        result = await unlockDevice(db, derivePinKey('482913', ahead));
      });
      expect(result?.kind).toBe('unlocked');
      // The hint's derivation, then the ring's: never fewer iterations than the ring asks for.
      expect(counts).toEqual([ahead.iterations, PIN_ITERATIONS]);
    }
    // And a wrong PIN under a forged count is still wrong.
    expect(await unlockDevice(db, derivePinKey('000000', forged))).toMatchObject({
      kind: 'wrong',
    });
  });
});

describe('the lock hint with the salt', () => {
  it('keeps the salt and the count of the PIN key, not its IV nor the wrapped key', async () => {
    const { ring } = await lockedTablet('482913');
    const storage = memoryStorage();
    writeLockHint(storage, { hasKey: true, language: 'fr', pin: ring.pin });
    const kept = JSON.parse([...storage.items.values()][0] ?? 'null') as unknown;
    expect(kept).toEqual({
      hasKey: true,
      language: 'fr',
      pin: { salt: [...ring.pin.salt], iterations: PIN_ITERATIONS },
    });
    expect(readLockHint(storage)).toEqual({
      hasKey: true,
      language: 'fr',
      pin: { salt: new Uint8Array(ring.pin.salt), iterations: PIN_ITERATIONS },
    });
  });

  it('drops a salt that is not one, and any salt on a tablet without a key', () => {
    const storage = memoryStorage();
    for (const pin of [
      { salt: [1, 2, 300], iterations: 600000 },
      { salt: 'abc', iterations: 600000 },
      { salt: [1, 2, 3], iterations: 0 },
      { salt: [], iterations: 600000 },
    ]) {
      storage.items.set('smpg-lock-hint', JSON.stringify({ hasKey: true, language: 'en', pin }));
      expect(readLockHint(storage)).toEqual({ hasKey: true, language: 'en' });
    }
    storage.items.set(
      'smpg-lock-hint',
      JSON.stringify({ hasKey: false, language: 'fr', pin: { salt: [1], iterations: 1 } }),
    );
    expect(readLockHint(storage)).toEqual({ hasKey: false, language: 'fr' });
  });
});
