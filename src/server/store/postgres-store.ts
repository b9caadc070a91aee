// PostgreSQL's side of the one store (sql-store.ts), for a deployment where many sites report to
// one server: a pg.Pool, numbered placeholders, its migrations and its bulk insert of an upload.
import pg from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import { RECORD_COLUMNS } from './rows.ts';
import { driveAsync, sql } from './sql-dialect.ts';
import { SqlStore } from './sql-store.ts';
import type {
  InsertedRecords,
  Migration,
  SqlDialect,
  Statement,
  Transaction,
} from './sql-dialect.ts';
import type { StoredRecord } from './types.ts';

/** Held for the length of a migration transaction, so servers starting together take turns. */
const MIGRATION_LOCK = 72_451_800_061;

/**
 * Numbered migrations, applied in order, each in its own transaction and recorded in
 * schema_migrations. Never edit one that has shipped: add the next number.
 *
 * Times are ISO 8601 UTC strings (`Date.toISOString()`) in TEXT columns: they come back exactly as
 * given. Keys and times use the "C" collation so they sort and compare byte by byte, whatever the
 * database's locale, exactly as in SQLite (keyset pages and expiry checks depend on it).
 */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sites (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT NOT NULL,
        plan TEXT, -- the quota plan as JSON; NULL until one is set
        short_interview_seconds DOUBLE PRECISION NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE users (
        username TEXT COLLATE "C" PRIMARY KEY,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'analyst')),
        sites TEXT NOT NULL, -- JSON array of site ids
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        username TEXT COLLATE "C" NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        expires_at TEXT COLLATE "C" NOT NULL
      );
      -- A session is looked up by its token; this index serves the foreign key.
      CREATE INDEX sessions_username ON sessions (username);
      CREATE TABLE enrolment_codes (
        code_hash TEXT COLLATE "C" PRIMARY KEY,
        site TEXT COLLATE "C" NOT NULL REFERENCES sites (id),
        created_by TEXT NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        used_at TEXT COLLATE "C", -- set once, in the transaction that enrols the device
        device_id TEXT COLLATE "C" -- the device it enrolled, for the audit trail
      );
      CREATE TABLE devices (
        id TEXT COLLATE "C" PRIMARY KEY,
        site TEXT COLLATE "C" NOT NULL REFERENCES sites (id),
        label TEXT NOT NULL,
        token_hash TEXT COLLATE "C" NOT NULL UNIQUE, -- every upload looks the device up by its token
        enrolled_at TEXT COLLATE "C" NOT NULL,
        revoked_at TEXT COLLATE "C",
        last_sync_at TEXT COLLATE "C",
        last_pending INTEGER
      );
      CREATE INDEX devices_site ON devices (site, enrolled_at, id);
      -- No foreign key on site or device_id: a record is evidence and is kept as received.
      CREATE TABLE records (
        id TEXT COLLATE "C" PRIMARY KEY,
        site TEXT COLLATE "C" NOT NULL,
        questionnaire_id TEXT COLLATE "C" NOT NULL,
        questionnaire_version TEXT COLLATE "C" NOT NULL,
        device_id TEXT COLLATE "C" NOT NULL,
        interviewer TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('completed', 'screened_out')),
        screen_out_id TEXT,
        quota_categories TEXT NOT NULL,
        started_at TEXT COLLATE "C" NOT NULL,
        duration_seconds DOUBLE PRECISION NOT NULL,
        content_hash TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL
      );
      -- Keyset pages of one site's records, and the site's quota counts.
      CREATE INDEX records_site_received ON records (site, received_at, id);
      -- Keyset pages across all sites (a national export).
      CREATE INDEX records_received ON records (received_at, id);
      CREATE INDEX records_questionnaire ON records (questionnaire_id, questionnaire_version);
      -- A published version is immutable: the key refuses a second publication.
      CREATE TABLE questionnaires (
        questionnaire_id TEXT COLLATE "C" NOT NULL,
        version TEXT COLLATE "C" NOT NULL,
        definition TEXT NOT NULL,
        label_packs TEXT NOT NULL,
        published_at TEXT COLLATE "C" NOT NULL,
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
      -- Record bodies (~2.5 KB of JSON each) are compressed on insert: lz4 costs a fraction of
      -- pglz, the default (figure 7 of the benchmark: a batch of 500 was stored ~25 % faster).
      -- Bodies already stored keep their compression. A server built without lz4 keeps pglz.
      DO $$
      BEGIN
        EXECUTE 'ALTER TABLE records ALTER COLUMN body SET COMPRESSION lz4';
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available: record bodies stay compressed with pglz';
      END
      $$;
    `,
  },
  {
    version: 4,
    sql: `
      -- Device tokens expire and are renewed on sync. A renewed token waits in next_token_hash
      -- until its first use, the current one working meanwhile, so an answer lost on the way
      -- never locks a tablet out. Devices enrolled before have no expiry (NULL): their next sync
      -- renews their token.
      ALTER TABLE devices ADD COLUMN token_expires_at TEXT COLLATE "C";
      ALTER TABLE devices ADD COLUMN next_token_hash TEXT COLLATE "C";
      ALTER TABLE devices ADD COLUMN next_token_expires_at TEXT COLLATE "C";
      -- A renewed token is looked up by its hash at its first use.
      CREATE UNIQUE INDEX devices_next_token ON devices (next_token_hash);
      -- Expired sessions and enrolment codes are purged by time.
      CREATE INDEX sessions_expires ON sessions (expires_at);
      CREATE INDEX enrolment_codes_expires ON enrolment_codes (expires_at);
      -- Failed logins by user name, known or not (so a lock says nothing of who exists), kept
      -- in the database so a restart does not hand out fresh guesses.
      CREATE TABLE login_failures (
        username TEXT COLLATE "C" PRIMARY KEY,
        failures INTEGER NOT NULL,
        first_failure_at TEXT COLLATE "C" NOT NULL,
        locked_until TEXT COLLATE "C"
      );
      -- Codes are now stored as an HMAC under the server secret: an unused code stored as a bare
      -- SHA-256 can no longer be checked, so it goes (used ones stay, as their device's record).
      DELETE FROM enrolment_codes WHERE used_at IS NULL;
    `,
  },
  {
    version: 5,
    sql: `
      -- Refused records, kept apart from records (so never exported or counted) until a
      -- coordinator accepts or dismisses them.
      CREATE TABLE refused_records (
        key TEXT COLLATE "C" PRIMARY KEY,
        site TEXT COLLATE "C" NOT NULL,
        device_id TEXT NOT NULL,
        record_id TEXT,
        interviewer TEXT,
        reason TEXT NOT NULL,
        body TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        state TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT
      );
      -- The same refused record sent again (a tablet resending, an app bug) is kept once.
      CREATE UNIQUE INDEX refused_records_content ON refused_records (site, content_hash);
      -- A site's list, the newest first.
      CREATE INDEX refused_records_site ON refused_records (site, received_at);
    `,
  },
  {
    version: 6,
    sql: `
      -- Roles per site: a user is an admin or not (an INTEGER, 0 or 1, as in SQLite), and holds
      -- grants (a role at a site, or an analyst's at every site, '*') as JSON. An admin stays
      -- admin; a coordinator or analyst gets their role at each site of their list.
      ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1));
      ALTER TABLE users ADD COLUMN grants TEXT NOT NULL DEFAULT '[]';
      UPDATE users SET
        admin = CASE WHEN role = 'admin' THEN 1 ELSE 0 END,
        grants = CASE WHEN role = 'admin' THEN '[]' ELSE COALESCE((
          SELECT json_agg(json_build_object('site', s.site, 'role', users.role) ORDER BY s.n)::text
          FROM json_array_elements_text(users.sites::json) WITH ORDINALITY AS s (site, n)
        ), '[]') END;
      ALTER TABLE users DROP COLUMN role;
      ALTER TABLE users DROP COLUMN sites;
      -- A user made by an admin has no password until they set one through their link.
      ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
      -- NULL for a session made before this was kept.
      ALTER TABLE sessions ADD COLUMN created_at TEXT COLLATE "C";
      -- One-time links to set a password: only the token's hash is kept. A link works once.
      CREATE TABLE user_links (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        username TEXT COLLATE "C" NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        created_by TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL,
        used_at TEXT COLLATE "C"
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
      ALTER TABLE sites ADD COLUMN tolerance DOUBLE PRECISION NOT NULL DEFAULT 0.05;
      ALTER TABLE sites ADD COLUMN closed_at TEXT COLLATE "C"; -- NULL while the site is open
    `,
  },
  {
    version: 7,
    sql: `
      -- Interviews broken off after consent are stored (status 'broken_off') but never counted
      -- in quotas; each record keeps the counts the dashboard's quality figures add up (NULL for
      -- records stored before) and how many alert events it holds, so neither the summary nor
      -- the alerts list reads every body.
      ALTER TABLE records DROP CONSTRAINT IF EXISTS records_status_check;
      ALTER TABLE records ADD CONSTRAINT records_status_check
        CHECK (status IN ('completed', 'screened_out', 'broken_off'));
      ALTER TABLE records ADD COLUMN answers_asked INTEGER;
      ALTER TABLE records ADD COLUMN answers_dont_know INTEGER;
      ALTER TABLE records ADD COLUMN answers_refused INTEGER;
      ALTER TABLE records ADD COLUMN screens_asked INTEGER;
      ALTER TABLE records ADD COLUMN screens_positive INTEGER;
      ALTER TABLE records ADD COLUMN alert_events INTEGER NOT NULL DEFAULT 0;
      -- A site's records with alert events, for its alerts list.
      CREATE INDEX records_site_alerts ON records (site) WHERE alert_events > 0;
    `,
  },
  {
    version: 8,
    sql: `
      -- The server's own key pairs, one per purpose ('backup': tablets encrypt their backup files
      -- to its public key), made on first use. The private key (PKCS#8 PEM) never leaves the
      -- server: lose this table and no backup file made for it can be read.
      CREATE TABLE server_keys (
        purpose TEXT COLLATE "C" PRIMARY KEY,
        key_id TEXT COLLATE "C" NOT NULL,
        public_key TEXT NOT NULL, -- JWK, JSON
        private_key TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      -- A tablet's recovery secret, sent once it is enrolled and read by its coordinator to the
      -- interviewer who forgot the PIN; NULL until the tablet sends one.
      ALTER TABLE devices ADD COLUMN recovery_secret TEXT;
      ALTER TABLE devices ADD COLUMN recovery_set_at TEXT COLLATE "C";
    `,
  },
  {
    version: 9,
    sql: `
      -- A short label the coordinator may give an enrolment code (whose tablet, which one), to
      -- tell apart codes made the same minute; NULL when none was given.
      ALTER TABLE enrolment_codes ADD COLUMN label TEXT;
    `,
  },
  {
    version: 10,
    sql: `
      -- A site's own household-income bands (JSON, IncomeBandsSchema in src/core/protocol), sent
      -- to its tablets; NULL: the questionnaire's own bands.
      ALTER TABLE sites ADD COLUMN income_bands TEXT;
    `,
  },
  {
    version: 11,
    sql: `
      -- A site's own label packs for a published version (a language, or a licensed wording),
      -- sent to that site's tablets only; each change is the next revision, kept, because records
      -- name the revision they were asked with. pack: the pack's canonical JSON.
      CREATE TABLE site_label_packs (
        site TEXT COLLATE "C" NOT NULL,
        questionnaire_id TEXT COLLATE "C" NOT NULL,
        version TEXT COLLATE "C" NOT NULL,
        language TEXT COLLATE "C" NOT NULL,
        revision INTEGER NOT NULL,
        pack TEXT NOT NULL,
        uploaded_at TEXT COLLATE "C" NOT NULL,
        uploaded_by TEXT NOT NULL,
        PRIMARY KEY (site, questionnaire_id, version, language, revision)
      );
    `,
  },
  {
    version: 12,
    sql: `
      -- The records stored without quality figures (before version 7 kept them), which the server
      -- fills in after it starts (src/server/figures-backfill.ts): found in an index that is
      -- empty once they are done, where every start would otherwise read every record.
      CREATE INDEX records_without_figures ON records (id) WHERE answers_asked IS NULL;
    `,
  },
];

/**
 * `pg` falls back to `$USER`, which CI does not set, so the role is always named: the config's
 * `user`, else `PGUSER`, else `postgres`. pg lets the connection string override the config, and a
 * string without a user would override `user` with '', so the user is written into the string.
 */
function withUser(config: string | PoolConfig): PoolConfig {
  const options: PoolConfig = typeof config === 'string' ? { connectionString: config } : config;
  const user = options.user ?? process.env['PGUSER'] ?? 'postgres';
  if (options.connectionString === undefined) return { ...options, user };
  let url: URL;
  try {
    url = new URL(options.connectionString);
  } catch {
    return { ...options, user };
  }
  if (url.username !== '') return options;
  url.username = user;
  // A socket URL without a host cannot carry a user: PGUSER (or pg's default) decides there.
  return url.username === '' ? { ...options, user } : { ...options, connectionString: url.href };
}

/**
 * The statement with its `?` placeholders numbered `$1`, `$2`... as PostgreSQL takes them. A `?`
 * inside a quoted literal or identifier is left alone (the store's statements have no comments
 * or dollar-quoted strings, where one would not be).
 */
function numberPlaceholders(text: string): string {
  let count = 0;
  return text.replace(/'[^']*'|"[^"]*"|\?/g, (match) => (match === '?' ? `$${++count}` : match));
}

/** Adds to `into` the content hash of each of `ids` that is stored. */
function* readStoredHashes(ids: readonly string[], into: Map<string, string>): Transaction<void> {
  const rows = yield* sql.all<{ id: string; content_hash: string }>(
    'SELECT id, content_hash FROM records WHERE id = ANY(?::text[])',
    [ids],
  );
  for (const row of rows) into.set(row.id, row.content_hash);
}

/** The columns of a record row as `json_to_recordset` reads them. */
const RECORD_JSON_COLUMNS =
  'id text, site text, questionnaire_id text, questionnaire_version text, device_id text, ' +
  'interviewer text, status text, screen_out_id text, quota_categories text, started_at text, ' +
  'duration_seconds float8, content_hash text, body text, received_at text, ' +
  'answers_asked int4, answers_dont_know int4, answers_refused int4, screens_asked int4, ' +
  'screens_positive int4, alert_events int4';

/**
 * The statement inserting a batch of records (those already stored left alone), in one round
 * trip. The rows travel as one JSON parameter, read by `json_to_recordset`: JSON.stringify and
 * PostgreSQL's JSON parser are native, where 20 arrays are escaped in JavaScript by `pg` and
 * parsed again by the server, which costs more for bodies of a few KB. A string JSON cannot carry
 * into a text column (a lone surrogate) takes the arrays, which write it as `pg` encodes it.
 */
function insertStatement(records: readonly StoredRecord[]): [string, unknown[]] {
  const returning = 'ON CONFLICT (id) DO NOTHING RETURNING id';
  const wellFormed = records.every((r) =>
    [r.id, r.interviewer, r.quotaCategories, r.body, r.screenOutId ?? ''].every((text) =>
      text.isWellFormed(),
    ),
  );
  if (wellFormed) {
    const rows = records.map((r) => ({
      id: r.id,
      site: r.site,
      questionnaire_id: r.questionnaireId,
      questionnaire_version: r.questionnaireVersion,
      device_id: r.deviceId,
      interviewer: r.interviewer,
      status: r.status,
      screen_out_id: r.screenOutId,
      quota_categories: r.quotaCategories,
      started_at: r.startedAt,
      duration_seconds: r.durationSeconds,
      content_hash: r.contentHash,
      body: r.body,
      received_at: r.receivedAt,
      answers_asked: r.figures?.asked ?? null,
      answers_dont_know: r.figures?.dontKnow ?? null,
      answers_refused: r.figures?.refused ?? null,
      screens_asked: r.figures?.screens ?? null,
      screens_positive: r.figures?.positiveScreens ?? null,
      alert_events: r.alertEvents,
    }));
    return [
      `INSERT INTO records (${RECORD_COLUMNS})
       SELECT ${RECORD_COLUMNS} FROM json_to_recordset(?::json) AS x(${RECORD_JSON_COLUMNS})
       ${returning}`,
      [JSON.stringify(rows)],
    ];
  }
  return [
    `INSERT INTO records (${RECORD_COLUMNS})
     SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
       ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::float8[],
       ?::text[], ?::text[], ?::text[], ?::int4[], ?::int4[], ?::int4[], ?::int4[], ?::int4[],
       ?::int4[])
     ${returning}`,
    [
      records.map((r) => r.id),
      records.map((r) => r.site),
      records.map((r) => r.questionnaireId),
      records.map((r) => r.questionnaireVersion),
      records.map((r) => r.deviceId),
      records.map((r) => r.interviewer),
      records.map((r) => r.status),
      records.map((r) => r.screenOutId),
      records.map((r) => r.quotaCategories),
      records.map((r) => r.startedAt),
      records.map((r) => r.durationSeconds),
      records.map((r) => r.contentHash),
      records.map((r) => r.body),
      records.map((r) => r.receivedAt),
      records.map((r) => r.figures?.asked ?? null),
      records.map((r) => r.figures?.dontKnow ?? null),
      records.map((r) => r.figures?.refused ?? null),
      records.map((r) => r.figures?.screens ?? null),
      records.map((r) => r.figures?.positiveScreens ?? null),
      records.map((r) => r.alertEvents),
    ],
  ];
}

/** The dialect over a pg.Pool: a statement on any pooled client, a transaction on one. */
class PostgresDialect implements SqlDialect {
  readonly migrations: readonly Migration[] = MIGRATIONS;
  readonly migrationLock = `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
  private readonly pool: pg.Pool;
  private closed = false;
  /** Each statement's text with numbered placeholders, made once (the store's texts are a set). */
  private readonly numbered = new Map<string, string>();

  constructor(config: string | PoolConfig) {
    this.pool = new pg.Pool(withUser(config));
    // An idle client whose connection drops is discarded by the pool; without a listener the
    // 'error' event would crash the process. The next query opens a new connection.
    this.pool.on('error', () => undefined);
  }

  async all<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const { rows } = await this.query(this.pool, text, params);
    return rows as Row[];
  }

  jsonText(column: string, path: readonly string[]): string {
    // json, not jsonb: the text is only read, never kept, so no tree is built.
    return `(${column}::json #>> '{${path.join(',')}}')`;
  }

  async get<Row>(text: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    const { rows } = await this.query(this.pool, text, params);
    return rows[0] as Row | undefined;
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    const { rowCount } = await this.query(this.pool, text, params);
    return rowCount ?? 0;
  }

  async transaction<T>(work: () => Transaction<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await driveAsync(work(), (statement) => this.execute(client, statement));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is closed rather than returned to the pool.
      broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async insertRecords(records: readonly StoredRecord[]): Promise<InsertedRecords> {
    return this.transaction(function* () {
      // What is already stored first (a batch sent again is all there: nothing to insert, which
      // keeps a resend no slower than the first upload), then the rest in one statement.
      const hashes = new Map<string, string>();
      yield* readStoredHashes(
        records.map((r) => r.id),
        hashes,
      );
      const fresh = records.filter((record) => !hashes.has(record.id));
      const inserted = new Set<string>();
      if (fresh.length > 0) {
        const [text, params] = insertStatement(fresh);
        for (const row of yield* sql.all<{ id: string }>(text, params)) inserted.add(row.id);
        for (const record of fresh)
          if (inserted.has(record.id)) hashes.set(record.id, record.contentHash);
        // Stored meanwhile by another upload (between the two statements): judged against it.
        const raced = fresh.filter((record) => !inserted.has(record.id)).map((r) => r.id);
        if (raced.length > 0) yield* readStoredHashes(raced, hashes);
      }
      return { inserted, hashes };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async execute(client: PoolClient, statement: Statement): Promise<unknown> {
    if (statement.kind === 'exec') {
      await client.query(statement.sql);
      return undefined;
    }
    const result = await this.query(client, statement.sql, statement.params);
    if (statement.kind === 'all') return result.rows;
    if (statement.kind === 'get') return result.rows[0];
    return result.rowCount ?? 0;
  }

  private query(
    on: pg.Pool | PoolClient,
    text: string,
    params: readonly unknown[],
  ): Promise<pg.QueryResult> {
    let numbered = this.numbered.get(text);
    if (numbered === undefined) {
      numbered = numberPlaceholders(text);
      this.numbered.set(text, numbered);
    }
    return on.query(numbered, params as unknown[]);
  }
}

/** The store on PostgreSQL. */
export class PostgresStore extends SqlStore {
  /** A connection string (`postgres://user@host:port/db`) or a pg.PoolConfig. */
  constructor(config: string | PoolConfig) {
    super(new PostgresDialect(config));
  }
}
