// The persistence helpers never throw: a browser without the storage API, or with only part of
// it, or one whose calls fail, reads as `null`.
import { describe, expect, it } from 'vitest';
import { requestPersistentStorage, storageStatus } from '../../../../src/app/storage/index.ts';
import type { StorageManagerLike } from '../../../../src/app/storage/index.ts';

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

describe('persistent storage', () => {
  it('asks for persistence and reports usage and quota', async () => {
    const calls: string[] = [];
    expect(await requestPersistentStorage(fullStorage(true, calls))).toEqual({
      persisted: true,
      usage: 1_250_000,
      quota: 2_000_000_000,
    });
    expect(calls).toEqual(['persist']);
  });

  it('reports a refusal as false', async () => {
    expect((await requestPersistentStorage(fullStorage(false))).persisted).toBe(false);
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
  });
});
