// Runs the ServerStore contract on SQLite (a temporary file per test) and on PostgreSQL (one
// throwaway server for this file, a fresh database per test), plus what is particular to each,
// including the upgrade of a database the first release made.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/server/store/index.ts';
import {
  MIGRATIONS as POSTGRES_MIGRATIONS,
  PostgresStore,
} from '../../../src/server/store/postgres-store.ts';
import {
  MIGRATIONS as SQLITE_MIGRATIONS,
  SqliteStore,
} from '../../../src/server/store/sqlite-store.ts';
import { DEFAULT_SITE_SETTINGS } from '../../../src/core/protocol/wave.ts';
import type { ServerStore, Site, StoredRecord } from '../../../src/server/store/types.ts';
import { freshDatabase, startPostgres } from '../../helpers/postgres.ts';
import type { PostgresServer } from '../../helpers/postgres.ts';
import { describeServerStore } from './store-contract.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'smpg-store-'));
}

const AT = '2026-03-02T09:00:00.000Z';

/** The first release's schema (migration 1 only), as a database in the field may still hold it. */
function firstRelease(migrations: readonly { version: number; sql: string }[]): string {
  const first = migrations[0];
  if (first?.version !== 1) throw new Error('migration 1 is missing');
  return first.sql;
}

/** A site of the first release, once upgraded: its data kept, no pick-up points, default settings. */
const UPGRADED: Site = {
  ...DEFAULT_SITE_SETTINGS,
  id: 'lille',
  name: 'Lille',
  plan: null,
  shortInterviewSeconds: 600,
  pickupPoints: [],
  createdAt: AT,
  closedAt: null,
};

/**
 * The first release's users (a role and a list of sites each) and a session, as rows of its
 * tables: `?` placeholders, in the columns' order: name, hash, role, sites.
 */
const FIRST_RELEASE_USERS: readonly (readonly string[])[] = [
  ['study', 'scrypt$aa$bb', 'admin', '["lille"]'],
  ['coord', 'scrypt$cc$dd', 'coordinator', '["lille","lyon"]'],
  ['ana', 'scrypt$ee$ff', 'analyst', '["lyon"]'],
  ['nobody', 'scrypt$00$11', 'analyst', '[]'],
];

/** A record as the first release stored it (`?` placeholders in the columns' order). */
const FIRST_RELEASE_RECORD = {
  sql: `INSERT INTO records (id, site, questionnaire_id, questionnaire_version, device_id,
      interviewer, status, screen_out_id, quota_categories, started_at, duration_seconds,
      content_hash, body, received_at)
    VALUES ('old-record', 'lille', 'smpg', '2026.1', 'd1', 'ENQ01', 'completed', NULL, '{}', ?,
      1800, 'old-hash', '{"id":"old-record"}', ?)`,
};

/**
 * After the upgrade: the old site has no list, and one can be set; users have grants; the old
 * record is kept without quality figures, and a broken-off record can be stored beside it.
 */
async function expectUpgraded(store: ServerStore): Promise<void> {
  await store.migrate();
  const old = await store.getRecord('old-record');
  expect(old).toMatchObject({ status: 'completed', contentHash: 'old-hash', figures: null });
  expect(old?.alertEvents).toBe(0);
  const brokenOff = {
    ...(old as StoredRecord),
    id: 'broken-record',
    status: 'broken_off' as const,
    figures: { asked: 3, dontKnow: 1, refused: 0, screens: 1, positiveScreens: 1 },
    alertEvents: 1,
  };
  expect(await store.putRecords([brokenOff])).toEqual(['accepted']);
  expect(await store.getRecord('broken-record')).toEqual(brokenOff);
  expect(await store.quotaRows('lille')).toHaveLength(1);
  expect((await store.alertRecords('lille')).map((row) => row.id)).toEqual(['broken-record']);
  expect(await store.getSite('lille')).toEqual(UPGRADED);
  await store.setSitePickupPoints('lille', ['Gare Lille-Flandres']);
  expect((await store.getSite('lille'))?.pickupPoints).toEqual(['Gare Lille-Flandres']);
  expect(await store.listUsers()).toEqual([
    {
      username: 'ana',
      passwordHash: 'scrypt$ee$ff',
      admin: false,
      grants: [{ site: 'lyon', role: 'analyst' }],
      createdAt: AT,
    },
    {
      username: 'coord',
      passwordHash: 'scrypt$cc$dd',
      admin: false,
      grants: [
        { site: 'lille', role: 'coordinator' },
        { site: 'lyon', role: 'coordinator' },
      ],
      createdAt: AT,
    },
    { username: 'nobody', passwordHash: 'scrypt$00$11', admin: false, grants: [], createdAt: AT },
    { username: 'study', passwordHash: 'scrypt$aa$bb', admin: true, grants: [], createdAt: AT },
  ]);
  // The session survives, without a creation time; and still ends with its user.
  expect(await store.getSession('old-session')).toEqual({
    tokenHash: 'old-session',
    username: 'coord',
    createdAt: null,
    expiresAt: '2026-03-03T09:00:00.000Z',
  });
  await store.createUser({
    username: 'fresh',
    passwordHash: null,
    admin: false,
    grants: [],
    createdAt: AT,
  });
  expect(await store.deleteUser('coord')).toBe('done');
  expect(await store.getSession('old-session')).toBeUndefined();
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

  it('upgrades a database of the first release', async () => {
    if (server === undefined) throw new Error('PostgreSQL did not start');
    const url = await freshDatabase(server);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      await client.query(firstRelease(POSTGRES_MIGRATIONS));
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES (1, $1)', [
        AT,
      ]);
      await client.query(
        `INSERT INTO sites (id, name, plan, short_interview_seconds, created_at)
         VALUES ('lille', 'Lille', NULL, 600, $1)`,
        [AT],
      );
      for (const row of FIRST_RELEASE_USERS)
        await client.query(
          'INSERT INTO users (username, password_hash, role, sites, created_at) VALUES ($1, $2, $3, $4, $5)',
          [...row, AT],
        );
      await client.query(
        `INSERT INTO sessions (token_hash, username, expires_at)
         VALUES ('old-session', 'coord', '2026-03-03T09:00:00.000Z')`,
      );
      await client.query(FIRST_RELEASE_RECORD.sql.replace('?', '$1').replace('?', '$2'), [AT, AT]);
    } finally {
      await client.end();
    }
    const store = new PostgresStore(url);
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
  });

  it('compresses record bodies with lz4 (Debian builds it in)', async () => {
    if (server === undefined) throw new Error('PostgreSQL did not start');
    const url = await freshDatabase(server);
    const store = new PostgresStore(url);
    await store.migrate();
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ attcompression: string }>(
        `SELECT attcompression FROM pg_attribute
         WHERE attrelid = 'records'::regclass AND attname = 'body'`,
      );
      expect(rows).toEqual([{ attcompression: 'l' }]);
    } finally {
      await client.end();
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

  it('makes new files with pages of 16 KiB, and leaves an existing file its own', async () => {
    const dir = tempDir();
    try {
      const fresh = join(dir, 'fresh.sqlite');
      const store = new SqliteStore(fresh);
      await store.migrate();
      await store.close();
      const old = join(dir, 'old.sqlite');
      const db = new Database(old);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x)');
      db.close();
      const reopened = new SqliteStore(old);
      await reopened.migrate();
      await reopened.close();
      const pageSize = (path: string) => {
        const file = new Database(path, { readonly: true });
        try {
          return file.pragma('page_size', { simple: true });
        } finally {
          file.close();
        }
      };
      expect(pageSize(fresh)).toBe(16384);
      expect(pageSize(old)).toBe(4096);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a database of the first release', async () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'smpg.sqlite');
      const db = new Database(path);
      db.exec(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      db.exec(firstRelease(SQLITE_MIGRATIONS));
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, ?)').run(AT);
      db.prepare(
        `INSERT INTO sites (id, name, plan, short_interview_seconds, created_at)
         VALUES ('lille', 'Lille', NULL, 600, ?)`,
      ).run(AT);
      const insertUser = db.prepare(
        'INSERT INTO users (username, password_hash, role, sites, created_at) VALUES (?, ?, ?, ?, ?)',
      );
      for (const row of FIRST_RELEASE_USERS) insertUser.run(...row, AT);
      db.prepare(
        `INSERT INTO sessions (token_hash, username, expires_at)
         VALUES ('old-session', 'coord', '2026-03-03T09:00:00.000Z')`,
      ).run();
      db.prepare(FIRST_RELEASE_RECORD.sql).run(AT, AT);
      db.close();
      const store = new SqliteStore(path);
      try {
        await expectUpgraded(store);
      } finally {
        await store.close();
      }
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
