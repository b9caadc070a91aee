// The server's storage contract. Two implementations pass one test suite: SQLite in a file
// (better-sqlite3, the default) and PostgreSQL (pg, when DATABASE_URL is set).

export type Role = 'admin' | 'coordinator' | 'analyst';

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
}

/** A site as created: without pick-up points unless given ([] then). */
export type NewSite = Omit<Site, 'pickupPoints'> & { readonly pickupPoints?: readonly string[] };

export interface User {
  readonly username: string;
  /** `scrypt$<salt hex>$<hash hex>`: never the password. */
  readonly passwordHash: string;
  readonly role: Role;
  /** Sites a coordinator or analyst may see; admins see all. */
  readonly sites: readonly string[];
  readonly createdAt: string;
}

export interface Session {
  /** SHA-256 of the bearer token, hex: the token itself is never stored. */
  readonly tokenHash: string;
  readonly username: string;
  readonly expiresAt: string;
}

export interface EnrolmentCode {
  /** SHA-256 of the one-time code, hex. */
  readonly codeHash: string;
  readonly site: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  readonly createdAt: string;
}

export interface Device {
  readonly id: string;
  readonly site: string;
  readonly label: string;
  /** SHA-256 of the device token, hex. */
  readonly tokenHash: string;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
  readonly lastSyncAt: string | null;
  /** How many records the device said were still waiting at its last upload. */
  readonly lastPending: number | null;
}

/** A stored record: the validated wire body plus columns to count and filter without parsing it. */
export interface StoredRecord {
  readonly id: string;
  readonly site: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: string;
  readonly deviceId: string;
  readonly interviewer: string;
  readonly status: 'completed' | 'screened_out';
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
>;

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

export interface RecordFilter {
  readonly site?: string;
  readonly questionnaireId?: string;
  readonly questionnaireVersion?: string;
  readonly status?: StoredRecord['status'];
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

  createUser(user: User): Promise<void>;
  getUser(username: string): Promise<User | undefined>;
  createSession(session: Session): Promise<void>;
  getSession(tokenHash: string): Promise<Session | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

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
   * Returns the device, or undefined if the code is unknown, used or expired.
   */
  enrolDevice(
    codeHash: string,
    device: Omit<Device, 'site'>,
    now: string,
  ): Promise<Device | undefined>;
  /** A device by the hash of its token, revoked or not. */
  getDeviceByToken(tokenHash: string): Promise<Device | undefined>;
  listDevices(site: string): Promise<Device[]>;
  revokeDevice(id: string, at: string): Promise<void>;
  /** Notes an upload: when, and how many records the device still had waiting. */
  touchDevice(id: string, at: string, pending: number | null): Promise<void>;

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
   * The same pages with only the body and the keyset: what the streamed exports read (reading
   * every column made their reads about 1.5 times slower).
   */
  listRecordBodies(
    filter: RecordFilter,
    after: { receivedAt: string; id: string } | null,
    limit: number,
  ): Promise<RecordBody[]>;
  /** Interviewer, status, screen-out and quota categories of every record of a site (for counts). */
  quotaRows(
    site: string,
  ): Promise<Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'>[]>;

  /**
   * Every record of a site without its body, in `receivedAt, id` order: the coordinator
   * dashboard's summary (interviews per day and interviewer, durations, screen-outs).
   */
  summaryRows(site: string): Promise<SummaryRow[]>;

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
}
