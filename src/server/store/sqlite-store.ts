// SQLite's side of the one store (sql-store.ts): a file through better-sqlite3, so a single
// machine runs the whole system with nothing to install, with its pragmas and its migrations.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { RECORD_COLUMNS, recordToRow } from './rows.ts';
import { drive } from './sql-dialect.ts';
import { SqlStore } from './sql-store.ts';
import type {
  InsertedRecords,
  Migration,
  SqlDialect,
  Statement,
  Transaction,
} from './sql-dialect.ts';
import type { StoredRecord } from './types.ts';

/**
 * Refused records, kept apart from `records` (so never exported or counted) until a coordinator
 * accepts or dismisses them.
 */
const REFUSED_RECORDS_TABLE = `
  CREATE TABLE refused_records (
    key TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    device_id TEXT NOT NULL,
    record_id TEXT,
    interviewer TEXT,
    reason TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    state TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT
  );
  -- The same refused record sent again (a tablet resending, an app bug) is kept once.
  CREATE UNIQUE INDEX refused_records_content ON refused_records (site, content_hash);
  -- A site's list, the newest first.
  CREATE INDEX refused_records_site ON refused_records (site, received_at);
`;

/**
 * SQLite's migrations (sql-store.ts applies them). Times are ISO 8601 UTC strings in TEXT columns,
 * which SQLite compares byte by byte.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        plan TEXT, -- the quota plan as JSON; NULL until one is set
        short_interview_seconds REAL NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE users (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'analyst')),
        sites TEXT NOT NULL, -- JSON array of site ids
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        expires_at TEXT NOT NULL
      );
      -- A session is looked up by its token; this index serves the foreign key.
      CREATE INDEX sessions_username ON sessions (username);
      CREATE TABLE enrolment_codes (
        code_hash TEXT PRIMARY KEY,
        site TEXT NOT NULL REFERENCES sites (id),
        created_by TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        used_at TEXT, -- set once, in the transaction that enrols the device
        device_id TEXT -- the device it enrolled, for the audit trail
      );
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL REFERENCES sites (id),
        label TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE, -- every upload looks the device up by its token
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT,
        last_sync_at TEXT,
        last_pending INTEGER
      );
      CREATE INDEX devices_site ON devices (site, enrolled_at, id);
      -- A rowid table with a TEXT primary key: WITHOUT ROWID was 3.7x slower with ~2 KB rows.
      -- No foreign key on site or device_id: a record is evidence and is kept as received.
      CREATE TABLE records (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        questionnaire_id TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        device_id TEXT NOT NULL,
        interviewer TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('completed', 'screened_out')),
        screen_out_id TEXT,
        quota_categories TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_seconds REAL NOT NULL,
        content_hash TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      -- Keyset pages of one site's records, and the site's quota counts.
      CREATE INDEX records_site_received ON records (site, received_at, id);
      -- Keyset pages across all sites (a national export).
      CREATE INDEX records_received ON records (received_at, id);
      CREATE INDEX records_questionnaire ON records (questionnaire_id, questionnaire_version);
      -- A published version is immutable: the key refuses a second publication.
      CREATE TABLE questionnaires (
        questionnaire_id TEXT NOT NULL,
        version TEXT NOT NULL,
        definition TEXT NOT NULL,
        label_packs TEXT NOT NULL,
        published_at TEXT NOT NULL,
        PRIMARY KEY (questionnaire_id, version)
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- The site's pick-up points (lieux d'enquête) as a JSON array of labels, in the
      -- coordinator's order; existing sites start with none.
      ALTER TABLE sites ADD COLUMN pickup_points TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 3,
    sql: `
      -- Device tokens expire and are renewed on sync. A renewed token waits in next_token_hash
      -- until its first use, the current one working meanwhile, so an answer lost on the way
      -- never locks a tablet out. Devices enrolled before have no expiry (NULL): their next sync
      -- renews their token.
      ALTER TABLE devices ADD COLUMN token_expires_at TEXT;
      ALTER TABLE devices ADD COLUMN next_token_hash TEXT;
      ALTER TABLE devices ADD COLUMN next_token_expires_at TEXT;
      -- A renewed token is looked up by its hash at its first use.
      CREATE UNIQUE INDEX devices_next_token ON devices (next_token_hash);
      -- Expired sessions and enrolment codes are purged by time.
      CREATE INDEX sessions_expires ON sessions (expires_at);
      CREATE INDEX enrolment_codes_expires ON enrolment_codes (expires_at);
      -- Failed logins by user name, known or not (so a lock says nothing of who exists), kept
      -- in the database so a restart does not hand out fresh guesses.
      CREATE TABLE login_failures (
        username TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        first_failure_at TEXT NOT NULL,
        locked_until TEXT
      );
      -- Codes are now stored as an HMAC under the server secret: an unused code stored as a bare
      -- SHA-256 can no longer be checked, so it goes (used ones stay, as their device's record).
      DELETE FROM enrolment_codes WHERE used_at IS NULL;
    `,
  },
  {
    version: 4,
    sql: REFUSED_RECORDS_TABLE,
  },
  {
    version: 5,
    sql: `
      -- Roles per site: a user is an admin or not, and holds grants (a role at a site, or an
      -- analyst's at every site, '*'), as JSON. A user made by an admin has no password until
      -- they set one through their one-time link, so password_hash may be NULL. SQLite cannot
      -- drop a NOT NULL, so users is made again; sessions, which point at it, are set aside
      -- first (dropping users would otherwise delete them) and come back with created_at.
      CREATE TABLE sessions_before_5 AS SELECT token_hash, username, expires_at FROM sessions;
      DROP TABLE sessions;
      CREATE TABLE users_5 (
        username TEXT PRIMARY KEY,
        password_hash TEXT, -- NULL until the user sets a password through their link
        admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
        grants TEXT NOT NULL DEFAULT '[]', -- JSON array of { site, role }
        created_at TEXT NOT NULL
      );
      -- An admin stays admin; a coordinator or analyst gets their role at each site of the list.
      INSERT INTO users_5 (username, password_hash, admin, grants, created_at)
        SELECT u.username, u.password_hash, CASE WHEN u.role = 'admin' THEN 1 ELSE 0 END,
          CASE WHEN u.role = 'admin' THEN '[]' ELSE (
            SELECT json_group_array(json_object('site', s.value, 'role', u.role))
            FROM json_each(u.sites) AS s
          ) END,
          u.created_at
        FROM users AS u;
      DROP TABLE users;
      ALTER TABLE users_5 RENAME TO users;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        created_at TEXT, -- NULL for a session made before this was kept
        expires_at TEXT NOT NULL
      );
      INSERT INTO sessions (token_hash, username, created_at, expires_at)
        SELECT token_hash, username, NULL, expires_at FROM sessions_before_5
        WHERE username IN (SELECT username FROM users);
      DROP TABLE sessions_before_5;
      -- A user's sessions are listed and ended by user; expired ones purged by time.
      CREATE INDEX sessions_username ON sessions (username);
      CREATE INDEX sessions_expires ON sessions (expires_at);
      -- One-time links to set a password: only the token's hash is kept. A link works once.
      CREATE TABLE user_links (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      );
      -- A new link replaces the user's unused ones; expired ones are purged by time.
      CREATE INDEX user_links_username ON user_links (username);
      CREATE INDEX user_links_expires ON user_links (expires_at);
      -- A site's settings, delivered to its tablets. Existing sites get DEFAULT_SITE_SETTINGS
      -- (src/core/protocol/wave.ts), written out here as a shipped migration never changes.
      ALTER TABLE sites ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Paris';
      ALTER TABLE sites ADD COLUMN helpline TEXT NOT NULL DEFAULT '3114';
      ALTER TABLE sites ADD COLUMN protocol_contacts TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE sites ADD COLUMN languages TEXT NOT NULL DEFAULT '["fr"]';
      ALTER TABLE sites ADD COLUMN sample_size INTEGER NOT NULL DEFAULT 900;
      ALTER TABLE sites ADD COLUMN tolerance REAL NOT NULL DEFAULT 0.05;
      ALTER TABLE sites ADD COLUMN closed_at TEXT; -- NULL while the site is open
    `,
  },
  {
    version: 6,
    sql: `
      -- Interviews broken off after consent are stored (status 'broken_off') but never counted
      -- in quotas; each record keeps the counts the dashboard's quality figures add up (NULL for
      -- records stored before) and how many alert events it holds, so neither the summary nor
      -- the alerts list reads every body. SQLite cannot change a CHECK: records is made again.
      CREATE TABLE records_6 (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        questionnaire_id TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        device_id TEXT NOT NULL,
        interviewer TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('completed', 'screened_out', 'broken_off')),
        screen_out_id TEXT,
        quota_categories TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_seconds REAL NOT NULL,
        content_hash TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        answers_asked INTEGER,
        answers_dont_know INTEGER,
        answers_refused INTEGER,
        screens_asked INTEGER,
        screens_positive INTEGER,
        alert_events INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO records_6 (id, site, questionnaire_id, questionnaire_version, device_id,
          interviewer, status, screen_out_id, quota_categories, started_at, duration_seconds,
          content_hash, body, received_at)
        SELECT id, site, questionnaire_id, questionnaire_version, device_id, interviewer, status,
          screen_out_id, quota_categories, started_at, duration_seconds, content_hash, body,
          received_at
        FROM records ORDER BY rowid;
      DROP TABLE records;
      ALTER TABLE records_6 RENAME TO records;
      -- The indexes of version 1, which went with the old table.
      CREATE INDEX records_site_received ON records (site, received_at, id);
      CREATE INDEX records_received ON records (received_at, id);
      CREATE INDEX records_questionnaire ON records (questionnaire_id, questionnaire_version);
      -- A site's records with alert events, for its alerts list.
      CREATE INDEX records_site_alerts ON records (site) WHERE alert_events > 0;
    `,
  },
  {
    version: 7,
    sql: `
      -- The server's own key pairs, one per purpose ('backup': tablets encrypt their backup files
      -- to its public key), made on first use. The private key (PKCS#8 PEM) never leaves the
      -- server: lose this table and no backup file made for it can be read.
      CREATE TABLE server_keys (
        purpose TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        public_key TEXT NOT NULL, -- JWK, JSON
        private_key TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- A tablet's recovery secret, sent once it is enrolled and read by its coordinator to the
      -- interviewer who forgot the PIN; NULL until the tablet sends one.
      ALTER TABLE devices ADD COLUMN recovery_secret TEXT;
      ALTER TABLE devices ADD COLUMN recovery_set_at TEXT;
    `,
  },
  {
    version: 8,
    sql: `
      -- A short label the coordinator may give an enrolment code (whose tablet, which one), to
      -- tell apart codes made the same minute; NULL when none was given.
      ALTER TABLE enrolment_codes ADD COLUMN label TEXT;
    `,
  },
  {
    version: 9,
    sql: `
      -- A site's own household-income bands (JSON, IncomeBandsSchema in src/core/protocol), sent
      -- to its tablets; NULL: the questionnaire's own bands.
      ALTER TABLE sites ADD COLUMN income_bands TEXT;
    `,
  },
  {
    version: 10,
    sql: `
      -- A site's own label packs for a published version (a language, or a licensed wording),
      -- sent to that site's tablets only; each change is the next revision, kept, because records
      -- name the revision they were asked with. pack: the pack's canonical JSON.
      CREATE TABLE site_label_packs (
        site TEXT NOT NULL,
        questionnaire_id TEXT NOT NULL,
        version TEXT NOT NULL,
        language TEXT NOT NULL,
        revision INTEGER NOT NULL,
        pack TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        uploaded_by TEXT NOT NULL,
        PRIMARY KEY (site, questionnaire_id, version, language, revision)
      );
    `,
  },
  {
    version: 11,
    sql: `
      -- The records stored without quality figures (before version 6 kept them), which the server
      -- fills in after it starts (src/server/figures-backfill.ts): found in an index that is
      -- empty once they are done, where every start would otherwise read every record.
      CREATE INDEX records_without_figures ON records (id) WHERE answers_asked IS NULL;
    `,
  },
];

const INSERT_RECORD = `INSERT INTO records (${RECORD_COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;

/**
 * The dialect over one better-sqlite3 connection. better-sqlite3 is synchronous: the promises only
 * honour the contract shared with PostgreSQL, and a transaction's work runs without a pause.
 */
class SqliteDialect implements SqlDialect {
  readonly migrations: readonly Migration[] = MIGRATIONS;
  /** Each transaction begins IMMEDIATE, taking the write lock: two processes take turns. */
  readonly migrationLock = null;
  private readonly db: Database.Database;
  /** Prepared once, on first use (the tables must exist before a statement can be prepared). */
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();

  constructor(path: string) {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(resolve(path)), { recursive: true });
    this.db = new Database(path);
    // Pages of 16 KiB for a new file (an existing one keeps its own): a batch of records of a few
    // KB each is written as a quarter of the WAL frames of 4 KiB pages, each frame its own writes.
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    // An acknowledged record may be deleted from the tablet: the commit must be on disk.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
  }

  async all<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.prepared(text).all(...params) as Row[];
  }

  jsonText(column: string, path: readonly string[]): string {
    return `(${column} ->> '$.${path.join('.')}')`;
  }

  async get<Row>(text: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return this.prepared(text).get(...params) as Row | undefined;
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return this.prepared(text).run(...params).changes;
  }

  async transaction<T>(work: () => Transaction<T>): Promise<T> {
    // IMMEDIATE takes the write lock at BEGIN, so a transaction that reads before it writes (a
    // code's use, a migration's check) cannot be overtaken by another connection's write.
    return this.db
      .transaction(() => drive(work(), (statement) => this.execute(statement)))
      .immediate();
  }

  async insertRecords(records: readonly StoredRecord[]): Promise<InsertedRecords> {
    const insert = this.prepared(INSERT_RECORD);
    const storedHash = this.prepared('SELECT content_hash FROM records WHERE id = ?');
    // Insert first: for a new record the insert's own key check is the lookup, and only a record
    // already stored costs a second statement (a statement here is a call, not a round trip).
    return this.db
      .transaction((): InsertedRecords => {
        const inserted = new Set<string>();
        const hashes = new Map<string, string>();
        for (const record of records) {
          if (insert.run(...recordToRow(record)).changes === 1) {
            inserted.add(record.id);
            hashes.set(record.id, record.contentHash);
            continue;
          }
          const row = storedHash.get(record.id) as { content_hash: string } | undefined;
          if (row !== undefined) hashes.set(record.id, row.content_hash);
        }
        return { inserted, hashes };
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  private execute(statement: Statement): unknown {
    if (statement.kind === 'exec') {
      this.db.exec(statement.sql);
      return undefined;
    }
    const prepared = this.prepared(statement.sql);
    if (statement.kind === 'all') return prepared.all(...statement.params);
    if (statement.kind === 'get') return prepared.get(...statement.params);
    return prepared.run(...statement.params).changes;
  }

  private prepared(text: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[]>(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

/** The store on SQLite. */
export class SqliteStore extends SqlStore {
  /** `path` is a file (its folder is created if missing) or ':memory:'. */
  constructor(path: string) {
    super(new SqliteDialect(path));
  }
}
