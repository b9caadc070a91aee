// The one ServerStore: every query written once, with `?` placeholders, run on SQLite or on
// PostgreSQL through a dialect (sql-dialect.ts) that owns what differs between them.
import { DEFAULT_SITE_SETTINGS } from '../../core/protocol/wave.ts';
import type { Grant } from '../../core/protocol/wave.ts';
import {
  ALERT_RECORD_COLUMNS,
  DEVICE_COLUMNS,
  ENROLMENT_CODE_COLUMNS,
  LOGIN_FAILURE_COLUMNS,
  QUESTIONNAIRE_COLUMNS,
  QUESTIONNAIRE_VERSION_COLUMNS,
  RECORD_BODY_COLUMNS,
  RECORD_COLUMNS,
  REFUSED_COLUMNS,
  REFUSED_SUMMARY_COLUMNS,
  SERVER_KEY_COLUMNS,
  SESSION_COLUMNS,
  SITE_COLUMNS,
  SITE_PACK_COLUMNS,
  SITE_PACK_SUMMARY_COLUMNS,
  SUMMARY_COLUMNS,
  USER_COLUMNS,
  USER_LINK_COLUMNS,
  alertRecordFromRow,
  deviceFromRow,
  enrolmentCodeFromRow,
  loginFailuresFromRow,
  outcomesFor,
  pickupPointsToText,
  incomeBandsToText,
  planToText,
  questionnaireFromRow,
  questionnaireVersionFromRow,
  quotaRowFromRow,
  recordBodyFromRow,
  recordFromRow,
  refusedFromRow,
  refusedSummaryFromRow,
  refusedToRow,
  serverKeyFromRow,
  sessionFromRow,
  siteFromRow,
  sitePackFromRow,
  sitePackSummaryFromRow,
  summaryRowFromRow,
  userFromRow,
  userLinkFromRow,
} from './rows.ts';
import { sql } from './sql-dialect.ts';
import type { SqlDialect, Transaction } from './sql-dialect.ts';
import type {
  AlertRecordDbRow,
  DeviceRow,
  EnrolmentCodeRow,
  LoginFailuresRow,
  QuestionnaireRow,
  RecordBodyRow,
  RecordRow,
  RefusedRow,
  ServerKeyDbRow,
  SessionRow,
  SiteLabelPackRow,
  SiteRow,
  SummaryRecordRow,
  UserLinkRow,
  UserRow,
} from './rows.ts';
import type {
  AlertRecordRow,
  Device,
  EnrolmentCode,
  FigurelessRecord,
  IncomeBandItemsFilter,
  LockoutPolicy,
  LoginFailures,
  NewDevice,
  NewSession,
  NewSite,
  PublishedQuestionnaireRow,
  PutOutcome,
  QuestionnaireVersionRow,
  RecordBody,
  RecordFilter,
  RecordFiguresUpdate,
  RefusedRecord,
  RefusedRecordSummary,
  RecoverySecret,
  RefusedState,
  ServerKeyRow,
  ServerStore,
  Session,
  Site,
  SiteLabelPack,
  SiteLabelPackSummary,
  StoredRecord,
  SiteSettingsUpdate,
  SummaryRow,
  User,
  UserChange,
  UserLink,
} from './types.ts';

const SCHEMA_MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)';

/** The latest revision of the site pack of the row `p` (its site, version and language). */
const LATEST_REVISION = `SELECT MAX(revision) FROM site_label_packs l
  WHERE l.site = p.site AND l.questionnaire_id = p.questionnaire_id AND l.version = p.version
    AND l.language = p.language`;

/** A page of records after this key, in `received_at, id` order. */
type After = { receivedAt: string; id: string } | null;

/** The LIKE pattern of a body with income bands (an answer is never an object with that key). */
const WITH_INCOME_BANDS = '%"incomeBands":{%';

/**
 * The LIKE pattern (escaped with a backslash) of a canonical body with income bands for `item`:
 * keys sorted, the currency's 3 letters first. SQLite's LIKE ignores ASCII case: items whose ids
 * differ only by case would read as one.
 */
function incomeItemPattern(item: string): string {
  return `%"incomeBands":{"currency":"___","item":"${item.replace(/[\\%_]/g, '\\$&')}",%`;
}

/**
 * The ServerStore over a dialect. Times are ISO 8601 UTC strings (`Date.toISOString()`) in text
 * columns: they sort and compare correctly as text, and come back exactly as they were given.
 */
export class SqlStore implements ServerStore {
  private readonly db: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.db = dialect;
  }

  async migrate(): Promise<void> {
    const { migrationLock } = this.db;
    for (const migration of this.db.migrations) {
      await this.db.transaction(function* () {
        if (migrationLock !== null) yield* sql.exec(migrationLock);
        yield* sql.exec(SCHEMA_MIGRATIONS_TABLE);
        const done = yield* sql.get('SELECT 1 FROM schema_migrations WHERE version = ?', [
          migration.version,
        ]);
        if (done !== undefined) return;
        yield* sql.exec(migration.sql);
        yield* sql.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
          migration.version,
          new Date().toISOString(),
        ]);
      });
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async createSite(site: NewSite): Promise<void> {
    const settings = { ...DEFAULT_SITE_SETTINGS, ...definedOnly(site) };
    await this.db.run(
      `INSERT INTO sites (${SITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      [
        site.id,
        site.name,
        planToText(site.plan),
        site.shortInterviewSeconds,
        site.createdAt,
        pickupPointsToText(site.pickupPoints),
        settings.timeZone,
        settings.helpline,
        JSON.stringify(settings.protocolContacts),
        JSON.stringify(settings.languages),
        settings.sampleSize,
        settings.tolerance,
        incomeBandsToText(site.incomeBands),
      ],
    );
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = await this.db.get<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`, [id]);
    return row && siteFromRow(row);
  }

  async listSites(): Promise<Site[]> {
    const rows = await this.db.all<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY id`);
    return rows.map(siteFromRow);
  }

  async setSitePlan(id: string, plan: unknown): Promise<void> {
    await this.db.run('UPDATE sites SET plan = ? WHERE id = ?', [planToText(plan), id]);
  }

  async setSitePickupPoints(id: string, points: readonly string[]): Promise<void> {
    await this.db.run('UPDATE sites SET pickup_points = ? WHERE id = ?', [
      pickupPointsToText(points),
      id,
    ]);
  }

  async setSiteSettings(id: string, settings: SiteSettingsUpdate): Promise<void> {
    await this.db.run(
      `UPDATE sites SET name = ?, short_interview_seconds = ?, time_zone = ?, helpline = ?,
         protocol_contacts = ?, languages = ?, sample_size = ?, tolerance = ?, income_bands = ?
       WHERE id = ?`,
      [
        settings.name,
        settings.shortInterviewSeconds,
        settings.timeZone,
        settings.helpline,
        JSON.stringify(settings.protocolContacts),
        JSON.stringify(settings.languages),
        settings.sampleSize,
        settings.tolerance,
        incomeBandsToText(settings.incomeBands),
        id,
      ],
    );
  }

  async setSiteClosed(id: string, closedAt: string | null): Promise<void> {
    if (closedAt === null)
      await this.db.run('UPDATE sites SET closed_at = NULL WHERE id = ?', [id]);
    else
      await this.db.run('UPDATE sites SET closed_at = ? WHERE id = ? AND closed_at IS NULL', [
        closedAt,
        id,
      ]);
  }

  async deleteSite(id: string): Promise<boolean> {
    return this.db.transaction(function* () {
      const found = yield* sql.get('SELECT 1 AS one FROM sites WHERE id = ?', [id]);
      if (found === undefined) return false;
      yield* sql.run('DELETE FROM records WHERE site = ?', [id]);
      yield* sql.run('DELETE FROM refused_records WHERE site = ?', [id]);
      yield* sql.run('DELETE FROM enrolment_codes WHERE site = ?', [id]);
      yield* sql.run('DELETE FROM devices WHERE site = ?', [id]);
      yield* sql.run('DELETE FROM site_label_packs WHERE site = ?', [id]);
      // Grants are JSON: read every user's, write back those that named the site.
      const users = yield* sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
      for (const row of users) {
        const user = userFromRow(row);
        const kept = user.grants.filter((grant) => grant.site !== id);
        if (kept.length !== user.grants.length)
          yield* sql.run('UPDATE users SET grants = ? WHERE username = ?', [
            JSON.stringify(kept),
            user.username,
          ]);
      }
      yield* sql.run('DELETE FROM sites WHERE id = ?', [id]);
      return true;
    });
  }

  async createUser(user: User): Promise<void> {
    await this.db.run(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
      user.username,
      user.passwordHash,
      user.admin ? 1 : 0,
      JSON.stringify(user.grants),
      user.createdAt,
    ]);
  }

  async getUser(username: string): Promise<User | undefined> {
    const row = await this.db.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, [
      username,
    ]);
    return row && userFromRow(row);
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.db.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
    return rows.map(userFromRow);
  }

  async setUserAccess(
    username: string,
    access: { readonly admin: boolean; readonly grants: readonly Grant[] },
  ): Promise<UserChange> {
    return this.db.transaction(function* () {
      const change = yield* leavesAnAdmin(username, access.admin);
      if (change !== 'done') return change;
      yield* sql.run('UPDATE users SET admin = ?, grants = ? WHERE username = ?', [
        access.admin ? 1 : 0,
        JSON.stringify(access.grants),
        username,
      ]);
      return 'done';
    });
  }

  async deleteUser(username: string): Promise<UserChange> {
    return this.db.transaction(function* () {
      const change = yield* leavesAnAdmin(username, false);
      if (change !== 'done') return change;
      // Sessions and links go with the user (ON DELETE CASCADE), said here too for clarity.
      yield* sql.run('DELETE FROM sessions WHERE username = ?', [username]);
      yield* sql.run('DELETE FROM user_links WHERE username = ?', [username]);
      yield* sql.run('DELETE FROM users WHERE username = ?', [username]);
      return 'done';
    });
  }

  async createSession(session: NewSession): Promise<void> {
    await this.db.run(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?)`, [
      session.tokenHash,
      session.username,
      session.createdAt ?? null,
      session.expiresAt,
    ]);
  }

  async getSession(tokenHash: string): Promise<Session | undefined> {
    const row = await this.db.get<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = ?`,
      [tokenHash],
    );
    return row && sessionFromRow(row);
  }

  async listSessions(now: string, username?: string): Promise<Session[]> {
    // NULLs sort first in SQLite and last in PostgreSQL: a session without a time sorts first.
    const rows =
      username === undefined
        ? await this.db.all<SessionRow>(
            `SELECT ${SESSION_COLUMNS} FROM sessions WHERE expires_at > ?
             ORDER BY username, COALESCE(created_at, ''), token_hash`,
            [now],
          )
        : await this.db.all<SessionRow>(
            `SELECT ${SESSION_COLUMNS} FROM sessions WHERE username = ? AND expires_at > ?
             ORDER BY COALESCE(created_at, ''), token_hash`,
            [username, now],
          );
    return rows.map(sessionFromRow);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }

  async deleteUserSessions(username: string, keep?: string): Promise<number> {
    return keep === undefined
      ? this.db.run('DELETE FROM sessions WHERE username = ?', [username])
      : this.db.run('DELETE FROM sessions WHERE username = ? AND token_hash <> ?', [
          username,
          keep,
        ]);
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = ? WHERE username = ?', [
      passwordHash,
      username,
    ]);
  }

  async createUserLink(link: Omit<UserLink, 'usedAt'>): Promise<void> {
    await this.db.transaction(function* () {
      yield* sql.run('DELETE FROM user_links WHERE username = ? AND used_at IS NULL', [
        link.username,
      ]);
      yield* sql.run(`INSERT INTO user_links (${USER_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL)`, [
        link.tokenHash,
        link.username,
        link.createdBy,
        link.createdAt,
        link.expiresAt,
      ]);
    });
  }

  async getUserLink(tokenHash: string, now: string): Promise<UserLink | undefined> {
    const row = await this.db.get<UserLinkRow>(
      `SELECT ${USER_LINK_COLUMNS} FROM user_links
       WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
      [tokenHash, now],
    );
    return row && userLinkFromRow(row);
  }

  async useUserLink(
    tokenHash: string,
    now: string,
    passwordHash: string,
  ): Promise<string | undefined> {
    return this.db.transaction(function* () {
      // A concurrent use of the same link waits for this one, then finds used_at set.
      const link = yield* sql.get<{ username: string }>(
        `UPDATE user_links SET used_at = ?
         WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING username`,
        [now, tokenHash, now],
      );
      if (link === undefined) return undefined;
      yield* sql.run('UPDATE users SET password_hash = ? WHERE username = ?', [
        passwordHash,
        link.username,
      ]);
      yield* sql.run('DELETE FROM sessions WHERE username = ?', [link.username]);
      return link.username;
    });
  }

  async purgeExpired(now: string, failuresBefore: string): Promise<void> {
    await this.db.transaction(function* () {
      yield* sql.run('DELETE FROM sessions WHERE expires_at <= ?', [now]);
      yield* sql.run('DELETE FROM enrolment_codes WHERE used_at IS NULL AND expires_at <= ?', [
        now,
      ]);
      yield* sql.run('DELETE FROM user_links WHERE expires_at <= ?', [now]);
      yield* sql.run(
        `DELETE FROM login_failures
         WHERE first_failure_at < ? AND (locked_until IS NULL OR locked_until <= ?)`,
        [failuresBefore, now],
      );
    });
  }

  async getLoginFailures(username: string): Promise<LoginFailures | undefined> {
    const row = await this.db.get<LoginFailuresRow>(
      `SELECT ${LOGIN_FAILURE_COLUMNS} FROM login_failures WHERE username = ?`,
      [username],
    );
    return row && loginFailuresFromRow(row);
  }

  async noteLoginFailure(
    username: string,
    at: string,
    policy: LockoutPolicy,
  ): Promise<LoginFailures> {
    const { windowStart, maxFailures, lockUntil } = policy;
    // Every right-hand side reads the row as it was: the count restarts once the window passed.
    // CAST, not a driver's type: PostgreSQL must know the limit is a number to compare it.
    const count = `CASE WHEN login_failures.first_failure_at < ? THEN 1
                   ELSE login_failures.failures + 1 END`;
    const row = await this.db.get<LoginFailuresRow>(
      `INSERT INTO login_failures (${LOGIN_FAILURE_COLUMNS})
       VALUES (?, 1, ?, CASE WHEN CAST(? AS INTEGER) <= 1 THEN ? END)
       ON CONFLICT (username) DO UPDATE SET
         failures = ${count},
         first_failure_at = CASE WHEN login_failures.first_failure_at < ? THEN ?
                            ELSE login_failures.first_failure_at END,
         locked_until = CASE WHEN ${count} >= CAST(? AS INTEGER) THEN ?
                        ELSE login_failures.locked_until END
       RETURNING ${LOGIN_FAILURE_COLUMNS}`,
      // The `?`s in order: the new row's, then those of failures, first_failure_at, locked_until.
      [
        username,
        at,
        maxFailures,
        lockUntil,
        windowStart,
        windowStart,
        at,
        windowStart,
        maxFailures,
        lockUntil,
      ],
    );
    if (row === undefined) throw new Error('noteLoginFailure: the upsert returned no row');
    return loginFailuresFromRow(row);
  }

  async clearLoginFailures(username: string): Promise<void> {
    await this.db.run('DELETE FROM login_failures WHERE username = ?', [username]);
  }

  async createEnrolmentCode(code: EnrolmentCode): Promise<void> {
    await this.db.run(
      `INSERT INTO enrolment_codes (${ENROLMENT_CODE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
      [
        code.codeHash,
        code.site,
        code.createdBy,
        code.expiresAt,
        code.createdAt,
        code.label ?? null,
      ],
    );
  }

  async listEnrolmentCodes(site: string, now: string): Promise<EnrolmentCode[]> {
    const rows = await this.db.all<EnrolmentCodeRow>(
      `SELECT ${ENROLMENT_CODE_COLUMNS} FROM enrolment_codes
       WHERE site = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at, code_hash`,
      [site, now],
    );
    return rows.map(enrolmentCodeFromRow);
  }

  async deleteEnrolmentCode(site: string, createdAt: string): Promise<number> {
    return this.db.run(
      'DELETE FROM enrolment_codes WHERE site = ? AND created_at = ? AND used_at IS NULL',
      [site, createdAt],
    );
  }

  async enrolDevice(codeHash: string, device: NewDevice, now: string): Promise<Device | undefined> {
    return this.db.transaction(function* () {
      // A concurrent use of the same code waits (SQLite's write lock, PostgreSQL's row lock),
      // then finds used_at set.
      // A closed site's codes enrol nothing, and stay unused should it reopen.
      const code = yield* sql.get<{ site: string }>(
        `UPDATE enrolment_codes SET used_at = ?, device_id = ?
         WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
           AND site IN (SELECT id FROM sites WHERE closed_at IS NULL)
         RETURNING site`,
        [now, device.id, codeHash, now],
      );
      if (code === undefined) return undefined;
      const enrolled: Device = {
        ...device,
        site: code.site,
        tokenExpiresAt: device.tokenExpiresAt ?? null,
      };
      yield* sql.run(`INSERT INTO devices (${DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        enrolled.id,
        enrolled.site,
        enrolled.label,
        enrolled.tokenHash,
        enrolled.enrolledAt,
        enrolled.revokedAt,
        enrolled.lastSyncAt,
        enrolled.lastPending,
        enrolled.tokenExpiresAt,
      ]);
      return enrolled;
    });
  }

  async getDeviceByToken(tokenHash: string): Promise<Device | undefined> {
    const row = await this.db.get<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = ?`,
      [tokenHash],
    );
    return row && deviceFromRow(row);
  }

  async setNextDeviceToken(id: string, tokenHash: string, expiresAt: string): Promise<void> {
    await this.db.run(
      'UPDATE devices SET next_token_hash = ?, next_token_expires_at = ? WHERE id = ?',
      [tokenHash, expiresAt, id],
    );
  }

  async useNextDeviceToken(tokenHash: string): Promise<Device | undefined> {
    // One statement: a second first use waits for the first, then finds next_token_hash gone.
    const row = await this.db.get<DeviceRow>(
      `UPDATE devices SET token_hash = next_token_hash, token_expires_at = next_token_expires_at,
         next_token_hash = NULL, next_token_expires_at = NULL
       WHERE next_token_hash = ? RETURNING ${DEVICE_COLUMNS}`,
      [tokenHash],
    );
    return row && deviceFromRow(row);
  }

  async listDevices(site: string): Promise<Device[]> {
    const rows = await this.db.all<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE site = ? ORDER BY enrolled_at, id`,
      [site],
    );
    return rows.map(deviceFromRow);
  }

  async revokeDevice(id: string, at: string): Promise<void> {
    // The first revocation's time is kept.
    await this.db.run('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
      at,
      id,
    ]);
  }

  async touchDevice(id: string, at: string, pending: number | null): Promise<void> {
    await this.db.run('UPDATE devices SET last_sync_at = ?, last_pending = ? WHERE id = ?', [
      at,
      pending,
      id,
    ]);
  }

  async findDeviceByToken(tokenHash: string): Promise<Device | undefined> {
    const row = await this.db.get<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = ? OR next_token_hash = ?`,
      [tokenHash, tokenHash],
    );
    return row && deviceFromRow(row);
  }

  async setRecoverySecret(id: string, secret: string, at: string): Promise<boolean> {
    const changes = await this.db.run(
      'UPDATE devices SET recovery_secret = ?, recovery_set_at = ? WHERE id = ?',
      [secret, at, id],
    );
    return changes === 1;
  }

  async getRecoverySecret(id: string): Promise<RecoverySecret | undefined> {
    const row = await this.db.get<{ recovery_secret: string; recovery_set_at: string }>(
      `SELECT recovery_secret, recovery_set_at FROM devices
       WHERE id = ? AND recovery_secret IS NOT NULL`,
      [id],
    );
    return row && { secret: row.recovery_secret, setAt: row.recovery_set_at };
  }

  async getServerKey(purpose: string): Promise<ServerKeyRow | undefined> {
    const row = await this.db.get<ServerKeyDbRow>(
      `SELECT ${SERVER_KEY_COLUMNS} FROM server_keys WHERE purpose = ?`,
      [purpose],
    );
    return row && serverKeyFromRow(row);
  }

  async addServerKey(key: ServerKeyRow): Promise<ServerKeyRow> {
    return this.db.transaction(function* () {
      yield* sql.run(
        `INSERT INTO server_keys (${SERVER_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (purpose) DO NOTHING`,
        [key.purpose, key.keyId, key.publicKey, key.privateKey, key.createdAt],
      );
      const kept = yield* sql.get<ServerKeyDbRow>(
        `SELECT ${SERVER_KEY_COLUMNS} FROM server_keys WHERE purpose = ?`,
        [key.purpose],
      );
      if (kept === undefined) throw new Error('addServerKey: the key was not kept');
      return serverKeyFromRow(kept);
    });
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
    const { inserted, hashes } = await this.db.insertRecords(unique);
    return outcomesFor(records, inserted, hashes);
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    const row = await this.db.get<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = ?`, [
      id,
    ]);
    return row && recordFromRow(row);
  }

  async listRecords(filter: RecordFilter, after: After, limit: number): Promise<StoredRecord[]> {
    const rows = await this.recordPage<RecordRow>(RECORD_COLUMNS, filter, after, limit);
    return rows.map(recordFromRow);
  }

  async listRecordBodies(filter: RecordFilter, after: After, limit: number): Promise<RecordBody[]> {
    const rows = await this.recordPage<RecordBodyRow>(RECORD_BODY_COLUMNS, filter, after, limit);
    return rows.map(recordBodyFromRow);
  }

  async incomeBandItems(filter: IncomeBandItemsFilter): Promise<string[]> {
    if (filter.sites.length === 0) return [];
    const params: unknown[] = [...filter.sites, filter.questionnaireId];
    let where = `site IN (${filter.sites.map(() => '?').join(', ')}) AND questionnaire_id = ?`;
    if (filter.questionnaireVersion !== undefined) {
      where += ' AND questionnaire_version = ?';
      params.push(filter.questionnaireVersion);
    }
    // Bodies are canonical JSON (admit.ts): a record's bands are written
    // `"incomeBands":{"currency":"EUR","item":"sd_income",…`. Rather than parse every body with
    // bands (PostgreSQL parses JSON text twice, 3 to 4 times a substring test), ask for one record
    // with bands of an item not found yet until there is none: a scan or two by substring tests,
    // the last one proving no other item is there, and one body parsed per item.
    params.push(WITH_INCOME_BANDS);
    const item = this.db.jsonText('body', ['incomeBands', 'item']);
    const items: string[] = [];
    for (;;) {
      const row = await this.db.get<{ item: string | null }>(
        `SELECT ${item} AS item FROM records WHERE ${where} AND body LIKE ?` +
          items.map(() => ` AND body NOT LIKE ? ESCAPE '\\'`).join('') +
          ' LIMIT 1',
        [...params, ...items.map(incomeItemPattern)],
      );
      if (row === undefined) return items.sort();
      if (typeof row.item !== 'string' || items.includes(row.item) || items.length >= 100) break;
      items.push(row.item);
    }
    // A body the patterns do not read as written above: parse every body with bands.
    const rows = await this.db.all<{ item: string | null }>(
      `SELECT DISTINCT ${item} AS item FROM records WHERE ${where} AND body LIKE ?`,
      params,
    );
    return rows.flatMap((row) => (typeof row.item === 'string' ? [row.item] : [])).sort();
  }

  /** One page of `columns` of the records that match, in `received_at, id` order. */
  private async recordPage<Row>(
    columns: string,
    filter: RecordFilter,
    after: After,
    limit: number,
  ): Promise<Row[]> {
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
    params.push(limit);
    return this.db.all<Row>(
      `SELECT ${columns} FROM records` +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ' ORDER BY received_at, id LIMIT ?',
      params,
    );
  }

  async quotaRows(
    site: string,
  ): Promise<Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'>[]> {
    const rows = await this.db.all<
      Pick<RecordRow, 'interviewer' | 'status' | 'screen_out_id' | 'quota_categories'>
    >(
      `SELECT interviewer, status, screen_out_id, quota_categories FROM records
       WHERE site = ? AND status <> 'broken_off' ORDER BY received_at, id`,
      [site],
    );
    return rows.map(quotaRowFromRow);
  }

  async summaryRows(site: string): Promise<SummaryRow[]> {
    const rows = await this.db.all<SummaryRecordRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM records WHERE site = ? ORDER BY received_at, id`,
      [site],
    );
    return rows.map(summaryRowFromRow);
  }

  async alertRecords(site: string): Promise<AlertRecordRow[]> {
    const rows = await this.db.all<AlertRecordDbRow>(
      `SELECT ${ALERT_RECORD_COLUMNS} FROM records WHERE site = ? AND alert_events > 0
       ORDER BY received_at, id`,
      [site],
    );
    return rows.map(alertRecordFromRow);
  }

  async recordsWithoutFigures(after: string | null, limit: number): Promise<FigurelessRecord[]> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, not ${limit}`);
    // `answers_asked IS NULL` as the index records_without_figures says it: the index is read,
    // not the table, and it is empty once every record has its figures.
    const columns = 'id, questionnaire_id, questionnaire_version, body';
    const rows = await this.db.all<
      Pick<RecordRow, 'id' | 'questionnaire_id' | 'questionnaire_version' | 'body'>
    >(
      after === null
        ? `SELECT ${columns} FROM records WHERE answers_asked IS NULL ORDER BY id LIMIT ?`
        : `SELECT ${columns} FROM records WHERE answers_asked IS NULL AND id > ?
           ORDER BY id LIMIT ?`,
      after === null ? [limit] : [after, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      questionnaireId: row.questionnaire_id,
      questionnaireVersion: row.questionnaire_version,
      body: row.body,
    }));
  }

  async setRecordFigures(updates: readonly RecordFiguresUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    return this.db.transaction(function* () {
      let changed = 0;
      for (const { id, figures } of updates) {
        changed += yield* sql.run(
          `UPDATE records SET answers_asked = ?, answers_dont_know = ?, answers_refused = ?,
             screens_asked = ?, screens_positive = ?
           WHERE id = ? AND answers_asked IS NULL`,
          [
            figures.asked,
            figures.dontKnow,
            figures.refused,
            figures.screens,
            figures.positiveScreens,
            id,
          ],
        );
      }
      return changed;
    });
  }

  async publishQuestionnaire(row: PublishedQuestionnaireRow): Promise<'published' | 'exists'> {
    const changes = await this.db.run(
      `INSERT INTO questionnaires (${QUESTIONNAIRE_COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (questionnaire_id, version) DO NOTHING`,
      [row.questionnaireId, row.version, row.definition, row.labelPacks, row.publishedAt],
    );
    return changes === 1 ? 'published' : 'exists';
  }

  async listQuestionnaires(): Promise<PublishedQuestionnaireRow[]> {
    const rows = await this.db.all<QuestionnaireRow>(
      `SELECT ${QUESTIONNAIRE_COLUMNS} FROM questionnaires
       ORDER BY questionnaire_id, published_at, version`,
    );
    return rows.map(questionnaireFromRow);
  }

  async listQuestionnaireVersions(): Promise<QuestionnaireVersionRow[]> {
    const rows = await this.db.all<
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
    const row = await this.db.get<QuestionnaireRow>(
      `SELECT ${QUESTIONNAIRE_COLUMNS} FROM questionnaires
       WHERE questionnaire_id = ? AND version = ?`,
      [questionnaireId, version],
    );
    return row && questionnaireFromRow(row);
  }

  async addSiteLabelPack(
    pack: Omit<SiteLabelPack, 'revision'>,
  ): Promise<{ readonly revision: number; readonly added: boolean }> {
    const key = [pack.site, pack.questionnaireId, pack.version, pack.language];
    return this.db.transaction(function* () {
      // Two packs sent at once on PostgreSQL may both read the same latest revision: the second
      // insert then does nothing, and reads again (a statement sees what was committed before it).
      for (;;) {
        const latest = yield* sql.get<Pick<SiteLabelPackRow, 'revision' | 'pack'>>(
          `SELECT revision, pack FROM site_label_packs
           WHERE site = ? AND questionnaire_id = ? AND version = ? AND language = ?
           ORDER BY revision DESC LIMIT 1`,
          key,
        );
        if (latest !== undefined && latest.pack === pack.pack)
          return { revision: Number(latest.revision), added: false };
        const revision = latest === undefined ? 1 : Number(latest.revision) + 1;
        const inserted = yield* sql.run(
          `INSERT INTO site_label_packs (${SITE_PACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (site, questionnaire_id, version, language, revision) DO NOTHING`,
          [...key, revision, pack.uploadedAt, pack.uploadedBy, pack.pack],
        );
        if (inserted === 1) return { revision, added: true };
      }
    });
  }

  async listSiteLabelPacks(site: string): Promise<SiteLabelPackSummary[]> {
    const rows = await this.db.all<Omit<SiteLabelPackRow, 'pack'>>(
      `SELECT ${SITE_PACK_SUMMARY_COLUMNS} FROM site_label_packs p
       WHERE site = ? AND revision = (${LATEST_REVISION})
       ORDER BY questionnaire_id, version, language`,
      [site],
    );
    return rows.map(sitePackSummaryFromRow);
  }

  async siteLabelPacks(
    site: string,
    questionnaireId: string,
    version: string,
  ): Promise<SiteLabelPack[]> {
    const rows = await this.db.all<SiteLabelPackRow>(
      `SELECT ${SITE_PACK_COLUMNS} FROM site_label_packs p
       WHERE site = ? AND questionnaire_id = ? AND version = ? AND revision = (${LATEST_REVISION})
       ORDER BY language`,
      [site, questionnaireId, version],
    );
    return rows.map(sitePackFromRow);
  }

  async putRefused(records: readonly RefusedRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return this.db.transaction(function* () {
      let added = 0;
      for (const record of records) {
        added += yield* sql.run(
          `INSERT INTO refused_records (${REFUSED_COLUMNS})
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (site, content_hash) DO NOTHING`,
          refusedToRow(record),
        );
      }
      return added;
    });
  }

  async listRefused(site: string): Promise<RefusedRecordSummary[]> {
    const rows = await this.db.all<RefusedRow>(
      `SELECT ${REFUSED_SUMMARY_COLUMNS} FROM refused_records WHERE site = ?
       ORDER BY received_at DESC, key`,
      [site],
    );
    return rows.map(refusedSummaryFromRow);
  }

  async getRefused(key: string): Promise<RefusedRecord | undefined> {
    const row = await this.db.get<RefusedRow>(
      `SELECT ${REFUSED_COLUMNS} FROM refused_records WHERE key = ?`,
      [key],
    );
    return row && refusedFromRow(row);
  }

  async resolveRefused(
    key: string,
    state: Exclude<RefusedState, 'refused'>,
    at: string,
    by: string,
  ): Promise<boolean> {
    const changes = await this.db.run(
      `UPDATE refused_records SET state = ?, resolved_at = ?, resolved_by = ?
       WHERE key = ? AND state = 'refused'`,
      [state, at, by, key],
    );
    return changes === 1;
  }
}

/** The site settings a new site was given, without the keys given as undefined. */
function definedOnly(site: NewSite): Partial<typeof DEFAULT_SITE_SETTINGS> {
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SITE_SETTINGS) as (keyof typeof DEFAULT_SITE_SETTINGS)[])
    if (site[key] !== undefined) given[key] = site[key];
  return given as Partial<typeof DEFAULT_SITE_SETTINGS>;
}

/**
 * Whether taking `username`'s admin away (or the user) leaves an admin: `unknown` for no such
 * user, `last_admin` when they are the only one left. Run inside the transaction that changes it.
 */
function* leavesAnAdmin(username: string, staysAdmin: boolean): Transaction<UserChange> {
  const user = yield* sql.get<{ admin: number }>('SELECT admin FROM users WHERE username = ?', [
    username,
  ]);
  if (user === undefined) return 'unknown';
  if (staysAdmin || Number(user.admin) !== 1) return 'done';
  // Locks the admins' rows (PostgreSQL; SQLite's transaction holds the write lock already), so
  // two admins taking each other's admin away at once take turns and the second sees the first.
  yield* sql.run('UPDATE users SET admin = admin WHERE admin = 1');
  const others = yield* sql.get<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM users WHERE admin = 1 AND username <> ?',
    [username],
  );
  return Number(others?.n ?? 0) > 0 ? 'done' : 'last_admin';
}
