// The persistence helpers never throw: a browser without the storage API, or with only part of
// it, or one whose calls fail, reads as `null`. Persistence is asked for at each call until the
// browser grants it, never once it has; "nearly full" is 80 % of the quota or 50 MB left.
import { describe, expect, it } from 'vitest';
import {
  NEARLY_FULL_LEFT_BYTES,
  bytesLeft,
  isNearlyFull,
  requestPersistentStorage,
  storageStatus,
} from '../../../../src/app/storage/index.ts';
import type { StorageManagerLike, StorageStatus } from '../../../../src/app/storage/index.ts';

function fullStorage(granted: boolean, calls: string[] = []): StorageManagerLike {
  return {
    persist: () => {
      calls.push('persist');
      return Promise.resolve(granted);
    },
    persisted: () => {
      calls.push('persisted');
      return Promise.resolve(granted);
    },
    estimate: () => Promise.resolve({ usage: 1_250_000, quota: 2_000_000_000 }),
  };
}

/** A browser that refuses `refusals` times, then grants, and remembers it (as browsers do). */
class FakeStorageManager implements StorageManagerLike {
  persistCalls = 0;
  private granted = false;
  constructor(private refusals: number) {}
  persist(): Promise<boolean> {
    this.persistCalls += 1;
    if (this.refusals > 0) this.refusals -= 1;
    else this.granted = true;
    return Promise.resolve(this.granted);
  }
  persisted(): Promise<boolean> {
    return Promise.resolve(this.granted);
  }
}

describe('persistent storage', () => {
  it('asks for persistence when not granted, and reports usage and quota', async () => {
    const calls: string[] = [];
    expect(await requestPersistentStorage(fullStorage(false, calls))).toEqual({
      persisted: false,
      usage: 1_250_000,
      quota: 2_000_000_000,
    });
    expect(calls).toEqual(['persisted', 'persist']);
  });

  it('asks again at each call until granted, and never once granted', async () => {
    const manager = new FakeStorageManager(2);
    expect((await requestPersistentStorage(manager)).persisted).toBe(false);
    expect((await requestPersistentStorage(manager)).persisted).toBe(false);
    expect(manager.persistCalls).toBe(2);
    expect((await requestPersistentStorage(manager)).persisted).toBe(true);
    expect(manager.persistCalls).toBe(3);
    expect((await requestPersistentStorage(manager)).persisted).toBe(true);
    expect((await requestPersistentStorage(manager)).persisted).toBe(true);
    expect(manager.persistCalls).toBe(3);
  });

  it('does not ask when the browser keeps the data already', async () => {
    const calls: string[] = [];
    expect((await requestPersistentStorage(fullStorage(true, calls))).persisted).toBe(true);
    expect(calls).toEqual(['persisted']);
  });

  it('asks when the browser cannot say whether it keeps the data', async () => {
    const calls: string[] = [];
    const storage: StorageManagerLike = {
      persisted: () => Promise.reject(new Error('SecurityError')),
      persist: () => {
        calls.push('persist');
        return Promise.resolve(true);
      },
    };
    expect((await requestPersistentStorage(storage)).persisted).toBe(true);
    expect(calls).toEqual(['persist']);
  });

  it('reports the status without asking', async () => {
    const calls: string[] = [];
    expect(await storageStatus(fullStorage(true, calls))).toEqual({
      persisted: true,
      usage: 1_250_000,
      quota: 2_000_000_000,
    });
    expect(calls).toEqual(['persisted']);
  });

  it('reads a missing storage API as unknown', async () => {
    const unknown = { persisted: null, usage: null, quota: null };
    expect(await requestPersistentStorage(undefined)).toEqual(unknown);
    expect(await requestPersistentStorage({})).toEqual(unknown);
    expect(await storageStatus(undefined)).toEqual(unknown);
    expect(await storageStatus({})).toEqual(unknown);
  });

  it('reads missing methods, missing fields and failing calls as unknown', async () => {
    const partial: StorageManagerLike = {
      persisted: () => Promise.reject(new Error('SecurityError')),
      estimate: () => Promise.resolve({ usage: 10 }),
    };
    expect(await requestPersistentStorage(partial)).toEqual({
      persisted: null,
      usage: 10,
      quota: null,
    });
    expect(await storageStatus(partial)).toEqual({ persisted: null, usage: 10, quota: null });
  });

  it('calls the methods on the storage manager itself', async () => {
    class Manager implements StorageManagerLike {
      readonly granted = true;
      persisted(): Promise<boolean> {
        return Promise.resolve(this.granted);
      }
    }
    expect((await storageStatus(new Manager())).persisted).toBe(true);
    expect((await requestPersistentStorage(new Manager())).persisted).toBe(true);
  });
});

describe('storage nearly full', () => {
  const MB = 1024 * 1024;
  const status = (usage: number | null, quota: number | null): StorageStatus => ({
    persisted: true,
    usage,
    quota,
  });

  it('is more than 80 % of the quota used', () => {
    expect(isNearlyFull(status(800 * MB, 1000 * MB))).toBe(false);
    expect(isNearlyFull(status(801 * MB, 1000 * MB))).toBe(true);
  });

  it('is less than 50 MB left, whatever the share', () => {
    expect(isNearlyFull(status(10 * MB, 60 * MB))).toBe(false);
    expect(isNearlyFull(status(10 * MB, 10 * MB + NEARLY_FULL_LEFT_BYTES - 1))).toBe(true);
    expect(isNearlyFull(status(0, 0))).toBe(true);
  });

  it('is never said from unknown figures', () => {
    expect(isNearlyFull(status(null, 1000 * MB))).toBe(false);
    expect(isNearlyFull(status(999 * MB, null))).toBe(false);
    expect(bytesLeft(status(null, 10))).toBeNull();
  });

  it('counts what is left, never below zero', () => {
    expect(bytesLeft(status(300, 1000))).toBe(700);
    expect(bytesLeft(status(1200, 1000))).toBe(0);
  });
});
