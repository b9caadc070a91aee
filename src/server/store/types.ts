// The server's storage contract: one store in SQL (sql-store.ts), run on SQLite in a file
// (better-sqlite3, the default) or PostgreSQL (pg, when DATABASE_URL is set), one suite for both.

import type { IncomeBands } from '../../core/protocol/income-bands.ts';
import type { Grant, ProtocolContact } from '../../core/protocol/wave.ts';
import type { RecordFigures } from '../../core/record/quality.ts';

export interface Site {
  readonly id: string;
  readonly name: string;
  /** The site's quota plan (JSON checked by loadQuotaPlan before it is stored), or null. */
  readonly plan: unknown;
  /** Interviews shorter than this are flagged on the dashboard. */
  readonly shortInterviewSeconds: number;
  /**
   * The site's pick-up points (lieux d'enquête), in the coordinator's order: checked by
   * PickupPointsRequestSchema (src/core/protocol) before they are stored; [] when none.
   */
  readonly pickupPoints: readonly string[];
  readonly createdAt: string;
  /** IANA time zone: the site's days (per-day charts, paradata). */
  readonly timeZone: string;
  /** The number the suicide-risk alert gives the respondent. */
  readonly helpline: string;
  /** Whom the interviewer calls when the alert is raised, in order. */
  readonly protocolContacts: readonly ProtocolContact[];
  /** Languages offered for interviews, the first the default. */
  readonly languages: readonly string[];
  readonly sampleSize: number;
  readonly tolerance: number;
  /** The site's household-income bands; null or absent: the questionnaire's own. */
  readonly incomeBands?: IncomeBands | null | undefined;
  /** When an admin closed the site (no more enrolment), or null. */
  readonly closedAt: string | null;
}

/** What SiteSettings (src/core/protocol/wave.ts) names beyond `name` and `shortInterviewSeconds`. */
export type SiteSettingFields =
  | 'timeZone'
  | 'helpline'
  | 'protocolContacts'
  | 'languages'
  | 'sampleSize'
  | 'tolerance'
  | 'incomeBands';

/**
 * A site as created: without pick-up points unless given ([] then), open, its other settings
 * DEFAULT_SITE_SETTINGS' unless given.
 */
export type NewSite = Omit<Site, 'pickupPoints' | 'closedAt' | SiteSettingFields> & {
  readonly pickupPoints?: readonly string[];
} & Partial<Pick<Site, SiteSettingFields>>;

/** What `setSiteSettings` replaces, as a whole. */
export type SiteSettingsUpdate = Pick<Site, 'name' | 'shortInterviewSeconds' | SiteSettingFields>;

export interface User {
  readonly username: string;
  /**
   * `scrypt$N=<N>,r=<r>,p=<p>$<salt hex>$<hash hex>` (older ones `scrypt$<salt hex>$<hash hex>`,
   * rehashed at their next login): never the password.
   */
  readonly passwordHash: string | null;
  /** Admin of the study: may do everything. */
  readonly admin: boolean;
  /** Roles per site (`*`: every site), as wave.ts's `allows` reads them. */
  readonly grants: readonly Grant[];
  readonly createdAt: string;
}

export interface Session {
  /** SHA-256 of the bearer token, hex: the token itself is never stored. */
  readonly tokenHash: string;
  readonly username: string;
  /** When the user logged in; null for a session made before this was kept. */
  readonly createdAt: string | null;
  readonly expiresAt: string;
}

export type NewSession = Omit<Session, 'createdAt'> & { readonly createdAt?: string | null };

/** A one-time link to set a password (wave.ts's OneTimeLink), as stored. */
export interface UserLink {
  /** SHA-256 of the link's token, hex. */
  readonly tokenHash: string;
  readonly username: string;
  /** Who made it (an admin, or `npm run admin`). */
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** What changing or deleting a user came to: `last_admin` when it would leave no admin. */
export type UserChange = 'done' | 'unknown' | 'last_admin';

export interface EnrolmentCode {
  /** HMAC-SHA256 of the one-time code under the server secret (auth.ts), hex. */
  readonly codeHash: string;
  readonly site: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  readonly createdAt: string;
  /** A short label its coordinator gave it (whose tablet, which one), to tell codes apart. */
  readonly label?: string;
}

export interface Device {
  readonly id: string;
  readonly site: string;
  readonly label: string;
  /** SHA-256 of the device token, hex. */
  readonly tokenHash: string;
  /**
   * When the token stops working; null for a device enrolled before tokens expired (its next
   * sync renews it, and the new token has a date).
   */
  readonly tokenExpiresAt: string | null;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
  readonly lastSyncAt: string | null;
  /** How many records the device said were still waiting at its last upload. */
  readonly lastPending: number | null;
}

/**
 * A key pair of the server's own, kept in its database (made on first use). `backup`: tablets
 * encrypt their backup files to its public key; only the server reads them.
 */
export interface ServerKeyRow {
  /** What the key is for (`backup`): one key pair per purpose. */
  readonly purpose: string;
  /** A short hash of the public key, which a backup file names. */
  readonly keyId: string;
  /** The public key as a JWK, JSON. */
  readonly publicKey: string;
  /** The private key, PKCS#8 PEM: never sent anywhere. */
  readonly privateKey: string;
  readonly createdAt: string;
}

/** A tablet's recovery secret (read to the interviewer who forgot the PIN), and when it came. */
export interface RecoverySecret {
  readonly secret: string;
  readonly setAt: string;
}

/** A device as enrolled: without its site (the code's) and, unless given, without an expiry. */
export type NewDevice = Omit<Device, 'site' | 'tokenExpiresAt'> & {
  readonly tokenExpiresAt?: string | null;
};

/**
 * Failed logins for a user name (known or not, so the answer never tells which): how many since
 * `firstFailureAt`, and until when logins are refused.
 */
export interface LoginFailures {
  readonly username: string;
  readonly failures: number;
  readonly firstFailureAt: string;
  readonly lockedUntil: string | null;
}

/** When a failed login locks the name: the policy `noteLoginFailure` applies in one statement. */
export interface LockoutPolicy {
  /** Failures before this instant are forgotten: the count starts again at 1. */
  readonly windowStart: string;
  /** The failure that brings the count to this many locks the name... */
  readonly maxFailures: number;
  /** ...until then. */
  readonly lockUntil: string;
}

/** A stored record: the validated wire body plus columns to count and filter without parsing it. */
export interface StoredRecord {
  readonly id: string;
  readonly site: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: string;
  readonly deviceId: string;
  readonly interviewer: string;
  /** `broken_off`: stored, listed and exported apart, never counted in quotas. */
  readonly status: 'completed' | 'screened_out' | 'broken_off';
  readonly screenOutId: string | null;
  /** JSON of the respondent's quota categories. */
  readonly quotaCategories: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  /** SHA-256 of the canonical body, hex: same id + same hash = duplicate, other hash = conflict. */
  readonly contentHash: string;
  /** The record's JSON, as received (canonical form). */
  readonly body: string;
  readonly receivedAt: string;
  /**
   * What the summary's quality figures count of the record (src/core/record/quality.ts), kept in
   * columns so the summary never reads bodies; null for a record stored before they were kept.
   */
  readonly figures: RecordFigures | null;
  /** How many alert events the record holds: the alerts list reads only those records' bodies. */
  readonly alertEvents: number;
}

/** What the dashboard's summary needs of a record, without its body. */
export type SummaryRow = Pick<
  StoredRecord,
  | 'id'
  | 'deviceId'
  | 'interviewer'
  | 'status'
  | 'screenOutId'
  | 'quotaCategories'
  | 'startedAt'
  | 'durationSeconds'
  | 'figures'
>;

/** What the alerts list reads of a record that holds alert events. */
export type AlertRecordRow = Pick<
  StoredRecord,
  'id' | 'deviceId' | 'interviewer' | 'status' | 'body'
>;

/**
 * What the quality figures' backfill reads of a record stored without them: its body and its
 * questionnaire version (src/server/figures-backfill.ts).
 */
export type FigurelessRecord = Pick<
  StoredRecord,
  'id' | 'questionnaireId' | 'questionnaireVersion' | 'body'
>;

/** A record's quality figures, computed after it was stored (`setRecordFigures`). */
export interface RecordFiguresUpdate {
  readonly id: string;
  readonly figures: RecordFigures;
}

/** What a streamed export reads of a record: its body, and where its page ends. */
export type RecordBody = Pick<StoredRecord, 'id' | 'receivedAt' | 'body'>;

export type PutOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface PublishedQuestionnaireRow {
  readonly questionnaireId: string;
  readonly version: string;
  /** JSON of the definition and of its label packs. */
  readonly definition: string;
  readonly labelPacks: string;
  readonly publishedAt: string;
}

/** A published version without its definition: what a tablet compares with what it has. */
export type QuestionnaireVersionRow = Pick<
  PublishedQuestionnaireRow,
  'questionnaireId' | 'version' | 'publishedAt'
>;

/**
 * One revision of a site's label pack for a published version: a language (or a wording) that
 * reaches the site's tablets only, added after publication and revised on its own.
 */
export interface SiteLabelPack {
  readonly site: string;
  readonly questionnaireId: string;
  readonly version: string;
  readonly language: string;
  /** 1 for the first pack of its site, version and language; one more for each change. */
  readonly revision: number;
  /** The pack's canonical JSON (checked by the loader with the version before it is stored). */
  readonly pack: string;
  readonly uploadedAt: string;
  /** The user who sent it. */
  readonly uploadedBy: string;
}

/** A site pack revision without its texts. */
export type SiteLabelPackSummary = Omit<SiteLabelPack, 'pack'>;

export interface RecordFilter {
  readonly site?: string;
  readonly questionnaireId?: string;
  readonly questionnaireVersion?: string;
  readonly status?: StoredRecord['status'];
}

export interface IncomeBandItemsFilter {
  readonly sites: readonly string[];
  readonly questionnaireId: string;
  readonly questionnaireVersion?: string;
}

export interface ServerStore {
  /** Creates or upgrades the schema (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  createSite(site: NewSite): Promise<void>;
  getSite(id: string): Promise<Site | undefined>;
  listSites(): Promise<Site[]>;
  setSitePlan(id: string, plan: unknown): Promise<void>;
  /** Replaces the site's pick-up points with `points`, in that order ([] clears the list). */
  setSitePickupPoints(id: string, points: readonly string[]): Promise<void>;
  /** Replaces the site's settings (name, time zone, helpline...) as a whole. */
  setSiteSettings(id: string, settings: SiteSettingsUpdate): Promise<void>;
  /** Closes the site at `closedAt` (an already closed one keeps its time), or reopens it (null). */
  setSiteClosed(id: string, closedAt: string | null): Promise<void>;
  /**
   * Deletes a site and everything it holds, in one transaction: records, refused records,
   * devices, enrolment codes, label packs, and the users' grants naming it. Returns whether it existed.
   */
  deleteSite(id: string): Promise<boolean>;

  createUser(user: User): Promise<void>;
  getUser(username: string): Promise<User | undefined>;
  /** Every user, by name. */
  listUsers(): Promise<User[]>;
  /**
   * Replaces a user's access; refused (`last_admin`, nothing changed) when it would take the
   * last admin's admin away. Atomic: two admins demoting each other leave one.
   */
  setUserAccess(
    username: string,
    access: { readonly admin: boolean; readonly grants: readonly Grant[] },
  ): Promise<UserChange>;
  /**
   * Deletes a user with their sessions and links; refused (`last_admin`) for the last admin.
   */
  deleteUser(username: string): Promise<UserChange>;
  /** Stores a session; one made without `createdAt` lists it as null. */
  createSession(session: NewSession): Promise<void>;
  getSession(tokenHash: string): Promise<Session | undefined>;
  /** Sessions not expired at `now` (of one user, or everyone's), by user then creation. */
  listSessions(now: string, username?: string): Promise<Session[]>;
  deleteSession(tokenHash: string): Promise<void>;
  /**
   * Ends every session of a user ("log out everywhere"), but the one `keep` names if given;
   * returns how many ended.
   */
  deleteUserSessions(username: string, keep?: string): Promise<number>;
  /** Replaces a user's password hash (a hash of an older cost, rehashed at login). */
  setPasswordHash(username: string, passwordHash: string): Promise<void>;

  /** Stores a new one-time link; the user's older unused links stop working (deleted). */
  createUserLink(link: Omit<UserLink, 'usedAt'>): Promise<void>;
  /** A link that can still be used at `now` (unused, unexpired), or undefined. */
  getUserLink(tokenHash: string, now: string): Promise<UserLink | undefined>;
  /**
   * Uses a link, atomically: it works once, before it expires. Sets the user's password hash and
   * ends their sessions. Returns the user's name, or undefined if the link is unknown, used or
   * expired.
   */
  useUserLink(tokenHash: string, now: string, passwordHash: string): Promise<string | undefined>;
  /**
   * Deletes what has expired by `now`: sessions, unused enrolment codes, one-time links, and
   * failed-login counts older than `failuresBefore` that lock nothing any more.
   */
  purgeExpired(now: string, failuresBefore: string): Promise<void>;

  /** The failed logins noted for a user name, if any. */
  getLoginFailures(username: string): Promise<LoginFailures | undefined>;
  /**
   * Counts one more failed login for a user name, atomically (concurrent failures all count),
   * locking it as `policy` says; returns the count and lock after this failure.
   */
  noteLoginFailure(username: string, at: string, policy: LockoutPolicy): Promise<LoginFailures>;
  /** Forgets a user name's failed logins (after a successful one). */
  clearLoginFailures(username: string): Promise<void>;

  createEnrolmentCode(code: EnrolmentCode): Promise<void>;
  /**
   * A site's codes that can still enrol a tablet (unused, expiring after `now`), oldest first
   * (`createdAt`, then hash).
   */
  listEnrolmentCodes(site: string, now: string): Promise<EnrolmentCode[]>;
  /**
   * Cancels the site's unused codes made at `createdAt` (one, unless two were made in the same
   * millisecond); a used code stays, as the record of the device it enrolled. Returns how many
   * were deleted.
   */
  deleteEnrolmentCode(site: string, createdAt: string): Promise<number>;
  /**
   * Uses a one-time code and creates the device, atomically: a code works once, before it expires.
   * Returns the device, or undefined if the code is unknown, used or expired, or its site closed.
   */
  enrolDevice(codeHash: string, device: NewDevice, now: string): Promise<Device | undefined>;
  /** A device by the hash of its current token, revoked or not (not by a renewed one). */
  getDeviceByToken(tokenHash: string): Promise<Device | undefined>;
  /**
   * Gives a device a renewed token, which waits beside the current one (replacing any renewed
   * token not used yet): both work until the renewed one is first used.
   */
  setNextDeviceToken(id: string, tokenHash: string, expiresAt: string): Promise<void>;
  /**
   * The first use of a renewed token, atomically: it becomes the device's token (the old one
   * stops working) and the device is returned; undefined if no device waits with that token.
   */
  useNextDeviceToken(tokenHash: string): Promise<Device | undefined>;
  listDevices(site: string): Promise<Device[]>;
  revokeDevice(id: string, at: string): Promise<void>;
  /** Notes an upload: when, and how many records the device still had waiting. */
  touchDevice(id: string, at: string, pending: number | null): Promise<void>;
  /**
   * A device by its current token or by a renewed one not used yet, revoked or not, expired or
   * not, without using it: whose token a backup file holds.
   */
  findDeviceByToken(tokenHash: string): Promise<Device | undefined>;
  /** Keeps a device's recovery secret, replacing the one it had; false for no such device. */
  setRecoverySecret(id: string, secret: string, at: string): Promise<boolean>;
  /** A device's recovery secret, or undefined when it never sent one. */
  getRecoverySecret(id: string): Promise<RecoverySecret | undefined>;

  /** The server's key pair for `purpose`, or undefined before its first use. */
  getServerKey(purpose: string): Promise<ServerKeyRow | undefined>;
  /**
   * Keeps a key pair unless one is kept for its purpose already (two servers making one at once:
   * the first kept wins); returns the one kept.
   */
  addServerKey(row: ServerKeyRow): Promise<ServerKeyRow>;

  /**
   * Stores a batch in one transaction; each record is accepted (new), duplicate (same id and
   * hash already stored: nothing changes) or conflict (same id, other content: refused).
   */
  putRecords(records: readonly StoredRecord[]): Promise<PutOutcome[]>;
  getRecord(id: string): Promise<StoredRecord | undefined>;
  /** Records in `receivedAt, id` order, a page at a time. */
  listRecords(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<StoredRecord[]>;
  /**
   * The same pages with only the body and the keyset: what the streamed exports read (every
   * column would slow their reads down for nothing).
   */
  listRecordBodies(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<RecordBody[]>;
  /**
   * The items (`incomeBands.item`) the records of these sites and questionnaire (and version)
   * carry income bands for, sorted: the export gives them their amount columns from the records
   * themselves, whatever the sites' bands are now. Only the bodies that carry bands are parsed.
   */
  incomeBandItems(filter: IncomeBandItemsFilter): Promise<string[]>;
  /**
   * Interviewer, status, screen-out and quota categories of every record of a site that counts in
   * quotas (completed or screened out: never a broken-off one).
   */
  quotaRows(
    site: string,
  ): Promise<Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'>[]>;

  /**
   * Every record of a site without its body, in `receivedAt, id` order: the coordinator
   * dashboard's summary (interviews per day and interviewer, durations, screen-outs).
   */
  summaryRows(site: string): Promise<SummaryRow[]>;

  /** The site's records that hold alert events (`alertEvents > 0`), with their bodies. */
  alertRecords(site: string): Promise<AlertRecordRow[]>;

  /**
   * Records stored without quality figures (`figures` null: stored before they were kept), of
   * every site, in `id` order after `after` (null: from the first), at most `limit`: the pages of
   * the figures' backfill.
   */
  recordsWithoutFigures(after: string | null, limit: number): Promise<FigurelessRecord[]>;
  /**
   * Gives records their quality figures, in one transaction; a record that has figures already
   * (filled meanwhile by another server) keeps them. Returns how many records changed.
   */
  setRecordFigures(updates: readonly RecordFiguresUpdate[]): Promise<number>;

  publishQuestionnaire(row: PublishedQuestionnaireRow): Promise<'published' | 'exists'>;
  /** Every published version with its definition, by id, then publication time and version. */
  listQuestionnaires(): Promise<PublishedQuestionnaireRow[]>;
  /** The same list without the definitions and label packs. */
  listQuestionnaireVersions(): Promise<QuestionnaireVersionRow[]>;
  /** One published version, or undefined. */
  getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<PublishedQuestionnaireRow | undefined>;

  /**
   * Keeps a site's pack as the next revision of its site, version and language (1 for the
   * first), atomically; a pack identical to the latest revision (same JSON) is not kept again:
   * that revision is answered with `added` false.
   */
  addSiteLabelPack(
    pack: Omit<SiteLabelPack, 'revision'>,
  ): Promise<{ readonly revision: number; readonly added: boolean }>;
  /** The latest revision of each of a site's packs, by questionnaire, version and language. */
  listSiteLabelPacks(site: string): Promise<SiteLabelPackSummary[]>;
  /** The latest revision of each of a site's packs of one version, with the texts, by language. */
  siteLabelPacks(site: string, questionnaireId: string, version: string): Promise<SiteLabelPack[]>;

  /**
   * Keeps refused records apart, in one transaction; a record already kept for its site (same
   * content hash) is not kept twice. Returns how many were new.
   */
  putRefused(records: readonly RefusedRecord[]): Promise<number>;
  /** A site's refused records without their bodies, the newest first. */
  listRefused(site: string): Promise<RefusedRecordSummary[]>;
  /** One refused record with its body, or undefined. */
  getRefused(key: string): Promise<RefusedRecord | undefined>;
  /**
   * Ends a refused record's wait (`accepted` once stored, or `dismissed`); only a record still
   * `refused` changes. Returns whether it did.
   */
  resolveRefused(
    key: string,
    state: Exclude<RefusedState, 'refused'>,
    at: string,
    by: string,
  ): Promise<boolean>;
}

export type RefusedState = 'refused' | 'accepted' | 'dismissed';

/**
 * A record the server refused (invalid, or the same id with other content), kept apart with the
 * reason: never in the records, exports or quota counts, until a coordinator accepts it.
 */
export interface RefusedRecord {
  /** The server's own key (a UUID): a refused record may have no usable id. */
  readonly key: string;
  /** The site and device of the token that sent it. */
  readonly site: string;
  readonly deviceId: string;
  /** The id the record says it has, if it says one. */
  readonly recordId: string | null;
  /** The interviewer code the record says, if it has one (for the coordinator's list). */
  readonly interviewer: string | null;
  readonly reason: string;
  /** The record as sent, JSON. */
  readonly body: string;
  /** SHA-256 of `body`: the same refused record sent again is kept once. */
  readonly contentHash: string;
  readonly receivedAt: string;
  readonly state: RefusedState;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
}

export type RefusedRecordSummary = Omit<RefusedRecord, 'body' | 'contentHash'>;
