// Runs the ServerStore contract on SQLite (a temporary file per test) and on PostgreSQL (one
// throwaway server for this file, a fresh database per test), plus what is particular to each.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/server/store/index.ts';
import { PostgresStore } from '../../../src/server/store/postgres-store.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { freshDatabase, startPostgres } from '../../helpers/postgres.ts';
import type { PostgresServer } from '../../helpers/postgres.ts';
import { describeServerStore } from './store-contract.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'smpg-store-'));
}

describeServerStore('SQLite', async () => {
  const dir = tempDir();
  const path = join(dir, 'smpg.sqlite');
  const stores: ServerStore[] = [];
  const openOne = (): ServerStore => {
    const store = new SqliteStore(path);
    stores.push(store);
    return store;
  };
  return {
    store: openOne(),
    reopen: async () => openOne(),
    cleanup: async () => {
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('PostgreSQL', () => {
  let server: PostgresServer | undefined;

  beforeAll(async () => {
    server = await startPostgres();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  describeServerStore('PostgreSQL', async () => {
    if (server === undefined) throw new Error('PostgreSQL did not start');
    const url = await freshDatabase(server);
    const stores: ServerStore[] = [];
    const openOne = (): ServerStore => {
      const store = new PostgresStore(url);
      stores.push(store);
      return store;
    };
    return {
      store: openOne(),
      reopen: async () => openOne(),
      cleanup: async () => {
        for (const store of stores) await store.close();
      },
    };
  });

  it('opens through openStore when a database URL is given, migrated', async () => {
    if (server === undefined) throw new Error('PostgreSQL did not start');
    const store = await openStore({ databaseUrl: await freshDatabase(server) });
    try {
      expect(store).toBeInstanceOf(PostgresStore);
      expect(await store.listSites()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('names the postgres role itself when the URL names none', async () => {
    if (server === undefined) throw new Error('PostgreSQL did not start');
    const url = new URL(await freshDatabase(server));
    url.username = '';
    const saved = process.env['PGUSER'];
    delete process.env['PGUSER'];
    const store = new PostgresStore(url.href);
    try {
      await store.migrate();
      expect(await store.listQuestionnaires()).toEqual([]);
    } finally {
      await store.close();
      if (saved !== undefined) process.env['PGUSER'] = saved;
    }
  });
});

describe('SQLite specifics', () => {
  it('creates the file’s folder, and openStore migrates it', async () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'nested', 'deeper', 'smpg.sqlite');
      const store = await openStore({ sqlitePath: path });
      expect(store).toBeInstanceOf(SqliteStore);
      expect(existsSync(path)).toBe(true);
      expect(await store.listSites()).toEqual([]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works in memory', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    await store.createSite({
      id: 'lille',
      name: 'Lille',
      plan: null,
      shortInterviewSeconds: 600,
      createdAt: '2026-03-02T09:00:00.000Z',
    });
    expect((await store.listSites()).map((site) => site.id)).toEqual(['lille']);
    await store.close();
  });
});
