// Opens the server's store from its configuration: PostgreSQL when a connection string is given,
// else SQLite in a file, migrated and ready. The rest of the server sees only ServerStore.
import { PostgresStore } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { ServerStore } from './types.ts';

export type * from './types.ts';
export { PostgresStore } from './postgres-store.ts';
export { SqliteStore } from './sqlite-store.ts';

export interface StoreConfig {
  /** A PostgreSQL connection string; when given, PostgreSQL is used. */
  readonly databaseUrl?: string;
  /** The SQLite file otherwise (its folder is created); default `./data/smpg.sqlite`. */
  readonly sqlitePath?: string;
}

/** Opens and migrates the store; on a failed migration the connection is closed again. */
export async function openStore(config: StoreConfig): Promise<ServerStore> {
  const store: ServerStore =
    config.databaseUrl !== undefined && config.databaseUrl !== ''
      ? new PostgresStore(config.databaseUrl)
      : new SqliteStore(config.sqlitePath ?? './data/smpg.sqlite');
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
