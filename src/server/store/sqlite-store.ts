// The default ServerStore: SQLite in one file through better-sqlite3, so a single machine runs the
// whole system with nothing to install. better-sqlite3 is synchronous; the methods return promises
// only to honour the contract shared with PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  DEVICE_COLUMNS,
  ENROLMENT_CODE_COLUMNS,
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

  async enrolDevice(
    codeHash: string,
    device: Omit<Device, 'site'>,
    now: string,
  ): Promise<Device | undefined> {
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
        const enrolled: Device = { ...device, site: code.site };
        this.run(
          `INSERT INTO devices (${DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          enrolled.id,
          enrolled.site,
          enrolled.label,
          enrolled.tokenHash,
          enrolled.enrolledAt,
          enrolled.revokedAt,
          enrolled.lastSyncAt,
          enrolled.lastPending,
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
