// The ServerStore on PostgreSQL (pg.Pool), for a deployment where many sites report to one server:
// the same tables, migrations and answers as the SQLite store, checked by the same test suite.
import pg from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import {
  REFUSED_COLUMNS,
  REFUSED_SUMMARY_COLUMNS,
  refusedFromRow,
  refusedSummaryFromRow,
  refusedToRow,
} from './rows.ts';
import type { RefusedRow } from './rows.ts';
import type { RefusedRecord, RefusedRecordSummary, RefusedState } from './types.ts';
import {
  DEVICE_COLUMNS,
  ENROLMENT_CODE_COLUMNS,
  LOGIN_FAILURE_COLUMNS,
  QUESTIONNAIRE_COLUMNS,
  QUESTIONNAIRE_VERSION_COLUMNS,
  RECORD_BODY_COLUMNS,
  RECORD_COLUMNS,
  SESSION_COLUMNS,
  SITE_COLUMNS,
  SUMMARY_COLUMNS,
  USER_COLUMNS,
  deviceFromRow,
  enrolmentCodeFromRow,
  loginFailuresFromRow,
  outcomesFor,
  pickupPointsToText,
  planToText,
  questionnaireFromRow,
  questionnaireVersionFromRow,
  quotaRowFromRow,
  recordBodyFromRow,
  recordFromRow,
  sessionFromRow,
  siteFromRow,
  summaryRowFromRow,
  userFromRow,
} from './rows.ts';
import type {
  DeviceRow,
  EnrolmentCodeRow,
  LoginFailuresRow,
  QuestionnaireRow,
  RecordBodyRow,
  RecordRow,
  SessionRow,
  SiteRow,
  SummaryRecordRow,
  UserRow,
} from './rows.ts';
import type {
  Device,
  EnrolmentCode,
  LockoutPolicy,
  LoginFailures,
  NewDevice,
  PublishedQuestionnaireRow,
  PutOutcome,
  QuestionnaireVersionRow,
  RecordBody,
  RecordFilter,
  NewSite,
  ServerStore,
  Session,
  Site,
  StoredRecord,
  SummaryRow,
  User,
} from './types.ts';

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

/** Adds to `into` the content hash of each of `ids` that is stored. */
async function readStoredHashes(
  client: PoolClient,
  ids: readonly string[],
  into: Map<string, string>,
): Promise<void> {
  const { rows } = await client.query<{ id: string; content_hash: string }>(
    'SELECT id, content_hash FROM records WHERE id = ANY($1::text[])',
    [ids],
  );
  for (const row of rows) into.set(row.id, row.content_hash);
}

/** The columns of a record row as `json_to_recordset` reads them. */
const RECORD_JSON_COLUMNS =
  'id text, site text, questionnaire_id text, questionnaire_version text, device_id text, ' +
  'interviewer text, status text, screen_out_id text, quota_categories text, started_at text, ' +
  'duration_seconds float8, content_hash text, body text, received_at text';

/**
 * The statement inserting a batch of records (those already stored left alone), in one round
 * trip. The rows travel as one JSON parameter, read by `json_to_recordset`: JSON.stringify and
 * PostgreSQL's JSON parser are native, where 14 text arrays are escaped in JavaScript by `pg` and
 * parsed again by the server (~3x slower for 2.5 KB bodies: figure 7). A string JSON cannot
 * carry into a text column (a lone surrogate) takes the arrays, which write it as `pg` encodes it.
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
    }));
    return [
      `INSERT INTO records (${RECORD_COLUMNS})
       SELECT ${RECORD_COLUMNS} FROM json_to_recordset($1::json) AS x(${RECORD_JSON_COLUMNS})
       ${returning}`,
      [JSON.stringify(rows)],
    ];
  }
  return [
    `INSERT INTO records (${RECORD_COLUMNS})
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
       $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::float8[],
       $12::text[], $13::text[], $14::text[])
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
    ],
  ];
}

export class PostgresStore implements ServerStore {
  private readonly pool: pg.Pool;
  private closed = false;

  /** A connection string (`postgres://user@host:port/db`) or a pg.PoolConfig. */
  constructor(config: string | PoolConfig) {
    this.pool = new pg.Pool(withUser(config));
    // An idle client whose connection drops is discarded by the pool; without a listener the
    // 'error' event would crash the process. The next query opens a new connection.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    for (const migration of MIGRATIONS) {
      await this.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
        );
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
          migration.version,
        ]);
        if (done.rowCount !== 0) return;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          migration.version,
          new Date().toISOString(),
        ]);
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async createSite(site: NewSite): Promise<void> {
    await this.pool.query(`INSERT INTO sites (${SITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
      site.id,
      site.name,
      planToText(site.plan),
      site.shortInterviewSeconds,
      site.createdAt,
      pickupPointsToText(site.pickupPoints),
    ]);
  }

  async getSite(id: string): Promise<Site | undefined> {
    const { rows } = await this.pool.query<SiteRow>(
      `SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1`,
      [id],
    );
    return rows[0] && siteFromRow(rows[0]);
  }

  async listSites(): Promise<Site[]> {
    const { rows } = await this.pool.query<SiteRow>(
      `SELECT ${SITE_COLUMNS} FROM sites ORDER BY id`,
    );
    return rows.map(siteFromRow);
  }

  async setSitePlan(id: string, plan: unknown): Promise<void> {
    await this.pool.query('UPDATE sites SET plan = $1 WHERE id = $2', [planToText(plan), id]);
  }

  async setSitePickupPoints(id: string, points: readonly string[]): Promise<void> {
    await this.pool.query('UPDATE sites SET pickup_points = $1 WHERE id = $2', [
      pickupPointsToText(points),
      id,
    ]);
  }

  async createUser(user: User): Promise<void> {
    await this.pool.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
      user.username,
      user.passwordHash,
      user.role,
      JSON.stringify(user.sites),
      user.createdAt,
    ]);
  }

  async getUser(username: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE username = $1`,
      [username],
    );
    return rows[0] && userFromRow(rows[0]);
  }

  async createSession(session: Session): Promise<void> {
    await this.pool.query(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3)`, [
      session.tokenHash,
      session.username,
      session.expiresAt,
    ]);
  }

  async getSession(tokenHash: string): Promise<Session | undefined> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] && sessionFromRow(rows[0]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteUserSessions(username: string): Promise<number> {
    const result = await this.pool.query('DELETE FROM sessions WHERE username = $1', [username]);
    return result.rowCount ?? 0;
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    await this.pool.query('UPDATE users SET password_hash = $1 WHERE username = $2', [
      passwordHash,
      username,
    ]);
  }

  async purgeExpired(now: string, failuresBefore: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
      await client.query('DELETE FROM enrolment_codes WHERE used_at IS NULL AND expires_at <= $1', [
        now,
      ]);
      await client.query(
        `DELETE FROM login_failures
         WHERE first_failure_at < $1 AND (locked_until IS NULL OR locked_until <= $2)`,
        [failuresBefore, now],
      );
    });
  }

  async getLoginFailures(username: string): Promise<LoginFailures | undefined> {
    const { rows } = await this.pool.query<LoginFailuresRow>(
      `SELECT ${LOGIN_FAILURE_COLUMNS} FROM login_failures WHERE username = $1`,
      [username],
    );
    return rows[0] && loginFailuresFromRow(rows[0]);
  }

  async noteLoginFailure(
    username: string,
    at: string,
    policy: LockoutPolicy,
  ): Promise<LoginFailures> {
    // Every right-hand side reads the row as it was: the count restarts once the window passed.
    const count = `CASE WHEN login_failures.first_failure_at < $3 THEN 1
                   ELSE login_failures.failures + 1 END`;
    const { rows } = await this.pool.query<LoginFailuresRow>(
      `INSERT INTO login_failures (${LOGIN_FAILURE_COLUMNS})
       VALUES ($1, 1, $2, CASE WHEN $4::integer <= 1 THEN $5 END)
       ON CONFLICT (username) DO UPDATE SET
         failures = ${count},
         first_failure_at = CASE WHEN login_failures.first_failure_at < $3 THEN $2
                            ELSE login_failures.first_failure_at END,
         locked_until = CASE WHEN ${count} >= $4::integer THEN $5
                        ELSE login_failures.locked_until END
       RETURNING ${LOGIN_FAILURE_COLUMNS}`,
      [username, at, policy.windowStart, policy.maxFailures, policy.lockUntil],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('noteLoginFailure: the upsert returned no row');
    return loginFailuresFromRow(row);
  }

  async clearLoginFailures(username: string): Promise<void> {
    await this.pool.query('DELETE FROM login_failures WHERE username = $1', [username]);
  }

  async createEnrolmentCode(code: EnrolmentCode): Promise<void> {
    await this.pool.query(
      `INSERT INTO enrolment_codes (code_hash, site, created_by, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [code.codeHash, code.site, code.createdBy, code.expiresAt, code.createdAt],
    );
  }

  async listEnrolmentCodes(site: string, now: string): Promise<EnrolmentCode[]> {
    const { rows } = await this.pool.query<EnrolmentCodeRow>(
      `SELECT ${ENROLMENT_CODE_COLUMNS} FROM enrolment_codes
       WHERE site = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at, code_hash`,
      [site, now],
    );
    return rows.map(enrolmentCodeFromRow);
  }

  async deleteEnrolmentCode(site: string, createdAt: string): Promise<number> {
    const result = await this.pool.query(
      'DELETE FROM enrolment_codes WHERE site = $1 AND created_at = $2 AND used_at IS NULL',
      [site, createdAt],
    );
    return result.rowCount ?? 0;
  }

  async enrolDevice(codeHash: string, device: NewDevice, now: string): Promise<Device | undefined> {
    return this.transaction(async (client) => {
      // The row lock makes a concurrent use of the same code wait, then find used_at set.
      const { rows } = await client.query<{ site: string }>(
        `UPDATE enrolment_codes SET used_at = $1, device_id = $3
         WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING site`,
        [now, codeHash, device.id],
      );
      const code = rows[0];
      if (code === undefined) return undefined;
      const enrolled: Device = {
        ...device,
        site: code.site,
        tokenExpiresAt: device.tokenExpiresAt ?? null,
      };
      await client.query(
        `INSERT INTO devices (${DEVICE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          enrolled.id,
          enrolled.site,
          enrolled.label,
          enrolled.tokenHash,
          enrolled.enrolledAt,
          enrolled.revokedAt,
          enrolled.lastSyncAt,
          enrolled.lastPending,
          enrolled.tokenExpiresAt,
        ],
      );
      return enrolled;
    });
  }

  async getDeviceByToken(tokenHash: string): Promise<Device | undefined> {
    const { rows } = await this.pool.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] && deviceFromRow(rows[0]);
  }

  async setNextDeviceToken(id: string, tokenHash: string, expiresAt: string): Promise<void> {
    await this.pool.query(
      'UPDATE devices SET next_token_hash = $1, next_token_expires_at = $2 WHERE id = $3',
      [tokenHash, expiresAt, id],
    );
  }

  async useNextDeviceToken(tokenHash: string): Promise<Device | undefined> {
    // The row lock makes a second first use wait, then find next_token_hash gone.
    const { rows } = await this.pool.query<DeviceRow>(
      `UPDATE devices SET token_hash = next_token_hash, token_expires_at = next_token_expires_at,
         next_token_hash = NULL, next_token_expires_at = NULL
       WHERE next_token_hash = $1 RETURNING ${DEVICE_COLUMNS}`,
      [tokenHash],
    );
    return rows[0] && deviceFromRow(rows[0]);
  }

  async listDevices(site: string): Promise<Device[]> {
    const { rows } = await this.pool.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE site = $1 ORDER BY enrolled_at, id`,
      [site],
    );
    return rows.map(deviceFromRow);
  }

  async revokeDevice(id: string, at: string): Promise<void> {
    // The first revocation's time is kept.
    await this.pool.query(
      'UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
      [at, id],
    );
  }

  async touchDevice(id: string, at: string, pending: number | null): Promise<void> {
    await this.pool.query('UPDATE devices SET last_sync_at = $1, last_pending = $2 WHERE id = $3', [
      at,
      pending,
      id,
    ]);
  }

  async putRecords(records: readonly StoredRecord[]): Promise<PutOutcome[]> {
    if (records.length === 0) return [];
    // The first occurrence of each id goes in; later ones are judged against what is stored.
    const unique: StoredRecord[] = [];
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      unique.push(record);
    }
    return this.transaction(async (client) => {
      // What is already stored first (a batch sent again is all there: nothing to insert, which
      // keeps a resend no slower than the first upload, figure 7), then the rest in one statement.
      const hashes = new Map<string, string>();
      await readStoredHashes(
        client,
        unique.map((r) => r.id),
        hashes,
      );
      const fresh = unique.filter((record) => !hashes.has(record.id));
      const insertedIds = new Set<string>();
      if (fresh.length > 0) {
        const inserted = await client.query<{ id: string }>(...insertStatement(fresh));
        for (const row of inserted.rows) insertedIds.add(row.id);
        for (const record of fresh)
          if (insertedIds.has(record.id)) hashes.set(record.id, record.contentHash);
        // Stored meanwhile by another upload (between the two statements): judged against it.
        const raced = fresh.filter((record) => !insertedIds.has(record.id)).map((r) => r.id);
        if (raced.length > 0) await readStoredHashes(client, raced, hashes);
      }
      return outcomesFor(records, insertedIds, hashes);
    });
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    const { rows } = await this.pool.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`,
      [id],
    );
    return rows[0] && recordFromRow(rows[0]);
  }

  async listRecords(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<StoredRecord[]> {
    return (await this.recordPage<RecordRow>(RECORD_COLUMNS, filter, after, limit)).map(
      recordFromRow,
    );
  }

  async listRecordBodies(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<RecordBody[]> {
    return (await this.recordPage<RecordBodyRow>(RECORD_BODY_COLUMNS, filter, after, limit)).map(
      recordBodyFromRow,
    );
  }

  /** One page of `columns` of the records that match, in `received_at, id` order. */
  private async recordPage<Row extends pg.QueryResultRow>(
    columns: string,
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<Row[]> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, not ${limit}`);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.site !== undefined) where.push(`site = ${param(filter.site)}`);
    if (filter.questionnaireId !== undefined)
      where.push(`questionnaire_id = ${param(filter.questionnaireId)}`);
    if (filter.questionnaireVersion !== undefined)
      where.push(`questionnaire_version = ${param(filter.questionnaireVersion)}`);
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (after !== null)
      where.push(`(received_at, id) > (${param(after.receivedAt)}, ${param(after.id)})`);
    const sql =
      `SELECT ${columns} FROM records` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY received_at, id LIMIT ${param(limit)}`;
    const { rows } = await this.pool.query<Row>(sql, params);
    return rows;
  }

  async quotaRows(
    site: string,
  ): Promise<Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'>[]> {
    const { rows } = await this.pool.query<
      Pick<RecordRow, 'interviewer' | 'status' | 'screen_out_id' | 'quota_categories'>
    >(
      `SELECT interviewer, status, screen_out_id, quota_categories FROM records
       WHERE site = $1 ORDER BY received_at, id`,
      [site],
    );
    return rows.map(quotaRowFromRow);
  }

  async summaryRows(site: string): Promise<SummaryRow[]> {
    const { rows } = await this.pool.query<SummaryRecordRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM records WHERE site = $1 ORDER BY received_at, id`,
      [site],
    );
    return rows.map(summaryRowFromRow);
  }

  async publishQuestionnaire(row: PublishedQuestionnaireRow): Promise<'published' | 'exists'> {
    const result = await this.pool.query(
      `INSERT INTO questionnaires (${QUESTIONNAIRE_COLUMNS}) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (questionnaire_id, version) DO NOTHING`,
      [row.questionnaireId, row.version, row.definition, row.labelPacks, row.publishedAt],
    );
    return result.rowCount === 1 ? 'published' : 'exists';
  }

  async listQuestionnaires(): Promise<PublishedQuestionnaireRow[]> {
    const { rows } = await this.pool.query<QuestionnaireRow>(
      `SELECT ${QUESTIONNAIRE_COLUMNS} FROM questionnaires
       ORDER BY questionnaire_id, published_at, version`,
    );
    return rows.map(questionnaireFromRow);
  }

  async listQuestionnaireVersions(): Promise<QuestionnaireVersionRow[]> {
    const { rows } = await this.pool.query<
      Pick<QuestionnaireRow, 'questionnaire_id' | 'version' | 'published_at'>
    >(
      `SELECT ${QUESTIONNAIRE_VERSION_COLUMNS} FROM questionnaires
       ORDER BY questionnaire_id, published_at, version`,
    );
    return rows.map(questionnaireVersionFromRow);
  }

  async getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<PublishedQuestionnaireRow | undefined> {
    const { rows } = await this.pool.query<QuestionnaireRow>(
      `SELECT ${QUESTIONNAIRE_COLUMNS} FROM questionnaires
       WHERE questionnaire_id = $1 AND version = $2`,
      [questionnaireId, version],
    );
    return rows[0] && questionnaireFromRow(rows[0]);
  }

  async putRefused(records: readonly RefusedRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return this.transaction(async (client) => {
      let added = 0;
      for (const record of records) {
        const { rowCount } = await client.query(
          `INSERT INTO refused_records (${REFUSED_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (site, content_hash) DO NOTHING`,
          refusedToRow(record),
        );
        added += rowCount ?? 0;
      }
      return added;
    });
  }

  async listRefused(site: string): Promise<RefusedRecordSummary[]> {
    const { rows } = await this.pool.query<RefusedRow>(
      `SELECT ${REFUSED_SUMMARY_COLUMNS} FROM refused_records WHERE site = $1
       ORDER BY received_at DESC, key`,
      [site],
    );
    return rows.map(refusedSummaryFromRow);
  }

  async getRefused(key: string): Promise<RefusedRecord | undefined> {
    const { rows } = await this.pool.query<RefusedRow>(
      `SELECT ${REFUSED_COLUMNS} FROM refused_records WHERE key = $1`,
      [key],
    );
    return rows[0] && refusedFromRow(rows[0]);
  }

  async resolveRefused(
    key: string,
    state: Exclude<RefusedState, 'refused'>,
    at: string,
    by: string,
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE refused_records SET state = $1, resolved_at = $2, resolved_by = $3
       WHERE key = $4 AND state = 'refused'`,
      [state, at, by, key],
    );
    return rowCount === 1;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
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
}
