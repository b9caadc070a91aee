// The default ServerStore: SQLite in one file through better-sqlite3, so a single machine runs the
// whole system with nothing to install. better-sqlite3 is synchronous; the methods return promises
// only to honour the contract shared with PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
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

/**
 * Numbered migrations, applied in order, each in its own transaction and recorded in
 * schema_migrations. Never edit one that has shipped: add the next number.
 *
 * Times are ISO 8601 UTC strings (`Date.toISOString()`), stored as TEXT: they sort and compare
 * correctly as text, and come back exactly as they were given.
 */
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
];

type Statement = Database.Statement<unknown[]>;

export class SqliteStore implements ServerStore {
  private readonly db: Database.Database;
  /** Prepared once, on first use (the tables must exist before a statement can be prepared). */
  private readonly statements = new Map<string, Statement>();

  /** `path` is a file (its folder is created if missing) or ':memory:'. */
  constructor(path: string) {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(resolve(path)), { recursive: true });
    this.db = new Database(path);
    // Pages of 16 KiB, for a new file (an existing one keeps its own): a batch of 500 ~2.5 KB
    // records written as a quarter of the WAL frames of 4 KiB pages, each frame its own write
    // calls; storing a batch took half the time (figure 7 of the benchmark).
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    // An acknowledged record may be deleted from the tablet: the commit must be on disk.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
  }

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    for (const migration of MIGRATIONS) {
      // IMMEDIATE takes the write lock first, so two processes opening one file cannot both apply it.
      this.db
        .transaction(() => {
          const done = this.db
            .prepare('SELECT 1 FROM schema_migrations WHERE version = ?')
            .get(migration.version);
          if (done !== undefined) return;
          this.db.exec(migration.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
            .run(migration.version, new Date().toISOString());
        })
        .immediate();
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  async createSite(site: NewSite): Promise<void> {
    this.run(
      `INSERT INTO sites (${SITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
      site.id,
      site.name,
      planToText(site.plan),
      site.shortInterviewSeconds,
      site.createdAt,
      pickupPointsToText(site.pickupPoints),
    );
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = this.get<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`, id);
    return row && siteFromRow(row);
  }

  async listSites(): Promise<Site[]> {
    return this.all<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY id`).map(siteFromRow);
  }

  async setSitePlan(id: string, plan: unknown): Promise<void> {
    this.run('UPDATE sites SET plan = ? WHERE id = ?', planToText(plan), id);
  }

  async setSitePickupPoints(id: string, points: readonly string[]): Promise<void> {
    this.run('UPDATE sites SET pickup_points = ? WHERE id = ?', pickupPointsToText(points), id);
  }

  async createUser(user: User): Promise<void> {
    this.run(
      `INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
      user.username,
      user.passwordHash,
      user.role,
      JSON.stringify(user.sites),
      user.createdAt,
    );
  }

  async getUser(username: string): Promise<User | undefined> {
    const row = this.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, username);
    return row && userFromRow(row);
  }

  async createSession(session: Session): Promise<void> {
    this.run(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?)`,
      session.tokenHash,
      session.username,
      session.expiresAt,
    );
  }

  async getSession(tokenHash: string): Promise<Session | undefined> {
    const row = this.get<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = ?`,
      tokenHash,
    );
    return row && sessionFromRow(row);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.run('DELETE FROM sessions WHERE token_hash = ?', tokenHash);
  }

  async deleteUserSessions(username: string): Promise<number> {
    return this.run('DELETE FROM sessions WHERE username = ?', username).changes;
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    this.run('UPDATE users SET password_hash = ? WHERE username = ?', passwordHash, username);
  }

  async purgeExpired(now: string, failuresBefore: string): Promise<void> {
    this.db
      .transaction(() => {
        this.run('DELETE FROM sessions WHERE expires_at <= ?', now);
        this.run('DELETE FROM enrolment_codes WHERE used_at IS NULL AND expires_at <= ?', now);
        this.run(
          `DELETE FROM login_failures
           WHERE first_failure_at < ? AND (locked_until IS NULL OR locked_until <= ?)`,
          failuresBefore,
          now,
        );
      })
      .immediate();
  }

  async getLoginFailures(username: string): Promise<LoginFailures | undefined> {
    const row = this.get<LoginFailuresRow>(
      `SELECT ${LOGIN_FAILURE_COLUMNS} FROM login_failures WHERE username = ?`,
      username,
    );
    return row && loginFailuresFromRow(row);
  }

  async noteLoginFailure(
    username: string,
    at: string,
    policy: LockoutPolicy,
  ): Promise<LoginFailures> {
    // Every right-hand side reads the row as it was: the count restarts once the window passed.
    const count = `CASE WHEN login_failures.first_failure_at < @windowStart THEN 1
                   ELSE login_failures.failures + 1 END`;
    const row = this.get<LoginFailuresRow>(
      `INSERT INTO login_failures (${LOGIN_FAILURE_COLUMNS})
       VALUES (@username, 1, @at, CASE WHEN @maxFailures <= 1 THEN @lockUntil END)
       ON CONFLICT (username) DO UPDATE SET
         failures = ${count},
         first_failure_at = CASE WHEN login_failures.first_failure_at < @windowStart THEN @at
                            ELSE login_failures.first_failure_at END,
         locked_until = CASE WHEN ${count} >= @maxFailures THEN @lockUntil
                        ELSE login_failures.locked_until END
       RETURNING ${LOGIN_FAILURE_COLUMNS}`,
      {
        username,
        at,
        windowStart: policy.windowStart,
        maxFailures: policy.maxFailures,
        lockUntil: policy.lockUntil,
      },
    );
    if (row === undefined) throw new Error('noteLoginFailure: the upsert returned no row');
    return loginFailuresFromRow(row);
  }

  async clearLoginFailures(username: string): Promise<void> {
    this.run('DELETE FROM login_failures WHERE username = ?', username);
  }

  async createEnrolmentCode(code: EnrolmentCode): Promise<void> {
    this.run(
      'INSERT INTO enrolment_codes (code_hash, site, created_by, expires_at, created_at) VALUES (?, ?, ?, ?, ?)',
      code.codeHash,
      code.site,
      code.createdBy,
      code.expiresAt,
      code.createdAt,
    );
  }

  async listEnrolmentCodes(site: string, now: string): Promise<EnrolmentCode[]> {
    return this.all<EnrolmentCodeRow>(
      `SELECT ${ENROLMENT_CODE_COLUMNS} FROM enrolment_codes
       WHERE site = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at, code_hash`,
      site,
      now,
    ).map(enrolmentCodeFromRow);
  }

  async deleteEnrolmentCode(site: string, createdAt: string): Promise<number> {
    return this.run(
      'DELETE FROM enrolment_codes WHERE site = ? AND created_at = ? AND used_at IS NULL',
      site,
      createdAt,
    ).changes;
  }

  async enrolDevice(codeHash: string, device: NewDevice, now: string): Promise<Device | undefined> {
    return this.db
      .transaction((): Device | undefined => {
        const code = this.get<{ site: string }>(
          `UPDATE enrolment_codes SET used_at = ?, device_id = ?
           WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING site`,
          now,
          device.id,
          codeHash,
          now,
        );
        if (code === undefined) return undefined;
        const enrolled: Device = {
          ...device,
          site: code.site,
          tokenExpiresAt: device.tokenExpiresAt ?? null,
        };
        this.run(
          `INSERT INTO devices (${DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          enrolled.id,
          enrolled.site,
          enrolled.label,
          enrolled.tokenHash,
          enrolled.enrolledAt,
          enrolled.revokedAt,
          enrolled.lastSyncAt,
          enrolled.lastPending,
          enrolled.tokenExpiresAt,
        );
        return enrolled;
      })
      .immediate();
  }

  async getDeviceByToken(tokenHash: string): Promise<Device | undefined> {
    const row = this.get<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = ?`,
      tokenHash,
    );
    return row && deviceFromRow(row);
  }

  async setNextDeviceToken(id: string, tokenHash: string, expiresAt: string): Promise<void> {
    this.run(
      'UPDATE devices SET next_token_hash = ?, next_token_expires_at = ? WHERE id = ?',
      tokenHash,
      expiresAt,
      id,
    );
  }

  async useNextDeviceToken(tokenHash: string): Promise<Device | undefined> {
    const row = this.get<DeviceRow>(
      `UPDATE devices SET token_hash = next_token_hash, token_expires_at = next_token_expires_at,
         next_token_hash = NULL, next_token_expires_at = NULL
       WHERE next_token_hash = ? RETURNING ${DEVICE_COLUMNS}`,
      tokenHash,
    );
    return row && deviceFromRow(row);
  }

  async listDevices(site: string): Promise<Device[]> {
    return this.all<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE site = ? ORDER BY enrolled_at, id`,
      site,
    ).map(deviceFromRow);
  }

  async revokeDevice(id: string, at: string): Promise<void> {
    // The first revocation's time is kept.
    this.run('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id);
  }

  async touchDevice(id: string, at: string, pending: number | null): Promise<void> {
    this.run('UPDATE devices SET last_sync_at = ?, last_pending = ? WHERE id = ?', at, pending, id);
  }

  async putRecords(records: readonly StoredRecord[]): Promise<PutOutcome[]> {
    if (records.length === 0) return [];
    const insert = this.prepared(
      `INSERT INTO records (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    const storedHash = this.prepared('SELECT content_hash FROM records WHERE id = ?');
    return this.db
      .transaction((): PutOutcome[] => {
        const inserted = new Set<string>();
        const hashes = new Map<string, string>();
        for (const record of records) {
          if (hashes.has(record.id)) continue;
          const { changes } = insert.run(
            record.id,
            record.site,
            record.questionnaireId,
            record.questionnaireVersion,
            record.deviceId,
            record.interviewer,
            record.status,
            record.screenOutId,
            record.quotaCategories,
            record.startedAt,
            record.durationSeconds,
            record.contentHash,
            record.body,
            record.receivedAt,
          );
          if (changes === 1) {
            inserted.add(record.id);
            hashes.set(record.id, record.contentHash);
          } else {
            const row = storedHash.get(record.id) as { content_hash: string } | undefined;
            if (row !== undefined) hashes.set(record.id, row.content_hash);
          }
        }
        return outcomesFor(records, inserted, hashes);
      })
      .immediate();
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    const row = this.get<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = ?`, id);
    return row && recordFromRow(row);
  }

  async listRecords(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<StoredRecord[]> {
    return this.recordPage<RecordRow>(RECORD_COLUMNS, filter, after, limit).map(recordFromRow);
  }

  async listRecordBodies(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<RecordBody[]> {
    return this.recordPage<RecordBodyRow>(RECORD_BODY_COLUMNS, filter, after, limit).map(
      recordBodyFromRow,
    );
  }

  /** One page of `columns` of the records that match, in `received_at, id` order. */
  private recordPage<Row>(
    columns: string,
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Row[] {
    // SQLite reads LIMIT -1 as "no limit": refuse anything but a positive count.
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, not ${limit}`);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.site !== undefined) {
      where.push('site = ?');
      params.push(filter.site);
    }
    if (filter.questionnaireId !== undefined) {
      where.push('questionnaire_id = ?');
      params.push(filter.questionnaireId);
    }
    if (filter.questionnaireVersion !== undefined) {
      where.push('questionnaire_version = ?');
      params.push(filter.questionnaireVersion);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (after !== null) {
      where.push('(received_at, id) > (?, ?)');
      params.push(after.receivedAt, after.id);
    }
    const sql =
      `SELECT ${columns} FROM records` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY received_at, id LIMIT ?';
    return this.all<Row>(sql, ...params, limit);
  }

  async quotaRows(
    site: string,
  ): Promise<Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'>[]> {
    return this.all<
      Pick<RecordRow, 'interviewer' | 'status' | 'screen_out_id' | 'quota_categories'>
    >(
      `SELECT interviewer, status, screen_out_id, quota_categories FROM records
       WHERE site = ? ORDER BY received_at, id`,
      site,
    ).map(quotaRowFromRow);
  }

  async summaryRows(site: string): Promise<SummaryRow[]> {
    return this.all<SummaryRecordRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM records WHERE site = ? ORDER BY received_at, id`,
      site,
    ).map(summaryRowFromRow);
  }

  async publishQuestionnaire(row: PublishedQuestionnaireRow): Promise<'published' | 'exists'> {
    const { changes } = this.run(
      `INSERT INTO questionnaires (${QUESTIONNAIRE_COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (questionnaire_id, version) DO NOTHING`,
      row.questionnaireId,
      row.version,
      row.definition,
      row.labelPacks,
      row.publishedAt,
    );
    return changes === 1 ? 'published' : 'exists';
  }

  async listQuestionnaires(): Promise<PublishedQuestionnaireRow[]> {
    return this.all<QuestionnaireRow>(
      `SELECT ${QUESTIONNAIRE_COLUMNS} FROM questionnaires
       ORDER BY questionnaire_id, published_at, version`,
    ).map(questionnaireFromRow);
  }

  async listQuestionnaireVersions(): Promise<QuestionnaireVersionRow[]> {
    return this.all<Pick<QuestionnaireRow, 'questionnaire_id' | 'version' | 'published_at'>>(
      `SELECT ${QUESTIONNAIRE_VERSION_COLUMNS} FROM questionnaires
       ORDER BY questionnaire_id, published_at, version`,
    ).map(questionnaireVersionFromRow);
  }

  async getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<PublishedQuestionnaireRow | undefined> {
    const row = this.get<QuestionnaireRow>(
      `SELECT ${QUESTIONNAIRE_COLUMNS} FROM questionnaires
       WHERE questionnaire_id = ? AND version = ?`,
      questionnaireId,
      version,
    );
    return row && questionnaireFromRow(row);
  }

  async putRefused(records: readonly RefusedRecord[]): Promise<number> {
    const insert = this.prepared(
      `INSERT INTO refused_records (${REFUSED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (site, content_hash) DO NOTHING`,
    );
    return this.db
      .transaction(() => {
        let added = 0;
        for (const r of records) {
          added += insert.run(...refusedToRow(r)).changes;
        }
        return added;
      })
      .immediate();
  }

  async listRefused(site: string): Promise<RefusedRecordSummary[]> {
    return this.all<RefusedRow>(
      `SELECT ${REFUSED_SUMMARY_COLUMNS} FROM refused_records WHERE site = ?
       ORDER BY received_at DESC, key`,
      site,
    ).map(refusedSummaryFromRow);
  }

  async getRefused(key: string): Promise<RefusedRecord | undefined> {
    const row = this.get<RefusedRow>(
      `SELECT ${REFUSED_COLUMNS} FROM refused_records WHERE key = ?`,
      key,
    );
    return row && refusedFromRow(row);
  }

  async resolveRefused(
    key: string,
    state: Exclude<RefusedState, 'refused'>,
    at: string,
    by: string,
  ): Promise<boolean> {
    return (
      this.run(
        `UPDATE refused_records SET state = ?, resolved_at = ?, resolved_by = ?
         WHERE key = ? AND state = 'refused'`,
        state,
        at,
        by,
        key,
      ).changes === 1
    );
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private get<Row>(sql: string, ...params: unknown[]): Row | undefined {
    return this.prepared(sql).get(...params) as Row | undefined;
  }

  private all<Row>(sql: string, ...params: unknown[]): Row[] {
    return this.prepared(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.prepared(sql).run(...params);
  }
}
