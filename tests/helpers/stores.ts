// The two real server stores the integration suites run on: a SQLite file in a fresh temporary
// folder, and a throwaway PostgreSQL cluster. Each opener gives the store and how to dispose of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/server/store/postgres-store.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import type { ServerStore } from '../../src/server/store/types.ts';
import { startPostgres } from './postgres.ts';

export interface OpenedStore {
  readonly store: ServerStore;
  cleanup(): Promise<void>;
}

export const STORE_BACKENDS: readonly {
  readonly name: 'SQLite' | 'PostgreSQL';
  readonly open: () => Promise<OpenedStore>;
}[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'smpg-store-'));
      const store = new SqliteStore(join(dir, 'smpg.sqlite'));
      return {
        store,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const server = await startPostgres();
      const store = new PostgresStore(server.url);
      return {
        store,
        cleanup: async () => {
          await store.close();
          await server.stop();
        },
      };
    },
  },
];
