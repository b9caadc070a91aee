// Table rows as both databases return them (snake_case columns, JSON kept as text) and their
// conversion to the contract's types, shared so SQLite and PostgreSQL cannot drift apart.
import { z } from 'zod/mini';
import type { IncomeBands } from '../../core/protocol/income-bands.ts';
import { IncomeBandsSchema } from '../../core/protocol/income-bands.ts';
import { GrantSchema, LANGUAGE, ProtocolContactSchema } from '../../core/protocol/wave.ts';
import type { RefusedRecord, RefusedRecordSummary, RefusedState } from './types.ts';
import type { RecordFigures } from '../../core/record/quality.ts';
import type {
  AlertRecordRow,
  Device,
  EnrolmentCode,
  LoginFailures,
  PublishedQuestionnaireRow,
  QuestionnaireVersionRow,
  SiteLabelPack,
  SiteLabelPackSummary,
  RecordBody,
  ServerKeyRow,
  Session,
  Site,
  StoredRecord,
  SummaryRow,
  User,
  UserLink,
} from './types.ts';

export interface SiteRow {
  id: string;
  name: string;
  plan: string | null;
  short_interview_seconds: number;
  /** JSON array of the pick-up points' labels (`[]` when none). */
  pickup_points: string;
  created_at: string;
  time_zone: string;
  helpline: string;
  /** JSON array of ProtocolContact. */
  protocol_contacts: string;
  /** JSON array of language tags. */
  languages: string;
  sample_size: number;
  tolerance: number;
  /** JSON IncomeBands, or NULL for the questionnaire's own. */
  income_bands: string | null;
  closed_at: string | null;
}

export interface UserRow {
  username: string;
  password_hash: string | null;
  /** 1 or 0 (an INTEGER in both databases: SQLite has no boolean to bind). */
  admin: number;
  /** JSON array of Grant. */
  grants: string;
  created_at: string;
}

export interface SessionRow {
  token_hash: string;
  username: string;
  created_at: string | null;
  expires_at: string;
}

export interface UserLinkRow {
  token_hash: string;
  username: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface EnrolmentCodeRow {
  code_hash: string;
  site: string;
  created_by: string;
  expires_at: string;
  created_at: string;
  label: string | null;
}

export interface DeviceRow {
  id: string;
  site: string;
  label: string;
  token_hash: string;
  enrolled_at: string;
  revoked_at: string | null;
  last_sync_at: string | null;
  last_pending: number | null;
  token_expires_at: string | null;
}

export interface ServerKeyDbRow {
  purpose: string;
  key_id: string;
  public_key: string;
  private_key: string;
  created_at: string;
}

export interface LoginFailuresRow {
  username: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

export interface RecordRow {
  id: string;
  site: string;
  questionnaire_id: string;
  questionnaire_version: string;
  device_id: string;
  interviewer: string;
  status: string;
  screen_out_id: string | null;
  quota_categories: string;
  started_at: string;
  duration_seconds: number;
  content_hash: string;
  body: string;
  received_at: string;
  /** The quality figures (`RecordFigures`), all NULL for a record stored before they were kept. */
  answers_asked: number | null;
  answers_dont_know: number | null;
  answers_refused: number | null;
  screens_asked: number | null;
  screens_positive: number | null;
  alert_events: number;
}

export interface QuestionnaireRow {
  questionnaire_id: string;
  version: string;
  definition: string;
  label_packs: string;
  published_at: string;
}

export interface SiteLabelPackRow {
  site: string;
  questionnaire_id: string;
  version: string;
  language: string;
  revision: number;
  pack: string;
  uploaded_at: string;
  uploaded_by: string;
}

export const SITE_COLUMNS =
  'id, name, plan, short_interview_seconds, created_at, pickup_points, time_zone, helpline, ' +
  'protocol_contacts, languages, sample_size, tolerance, closed_at, income_bands';
export const USER_COLUMNS = 'username, password_hash, admin, grants, created_at';
export const SESSION_COLUMNS = 'token_hash, username, created_at, expires_at';
export const USER_LINK_COLUMNS =
  'token_hash, username, created_by, created_at, expires_at, used_at';
export const ENROLMENT_CODE_COLUMNS = 'code_hash, site, created_by, expires_at, created_at, label';
export const DEVICE_COLUMNS =
  'id, site, label, token_hash, enrolled_at, revoked_at, last_sync_at, last_pending, ' +
  'token_expires_at';
export const SERVER_KEY_COLUMNS = 'purpose, key_id, public_key, private_key, created_at';
export const LOGIN_FAILURE_COLUMNS = 'username, failures, first_failure_at, locked_until';
/** The quality figures' columns, in `RecordFigures` order. */
const FIGURE_COLUMNS =
  'answers_asked, answers_dont_know, answers_refused, screens_asked, screens_positive';
export const RECORD_COLUMNS =
  'id, site, questionnaire_id, questionnaire_version, device_id, interviewer, status, ' +
  'screen_out_id, quota_categories, started_at, duration_seconds, content_hash, body, received_at, ' +
  `${FIGURE_COLUMNS}, alert_events`;
export const SUMMARY_COLUMNS =
  'id, device_id, interviewer, status, screen_out_id, quota_categories, started_at, ' +
  `duration_seconds, ${FIGURE_COLUMNS}`;
export const ALERT_RECORD_COLUMNS = 'id, device_id, interviewer, status, body';
export const QUESTIONNAIRE_COLUMNS =
  'questionnaire_id, version, definition, label_packs, published_at';
export const QUESTIONNAIRE_VERSION_COLUMNS = 'questionnaire_id, version, published_at';
export const SITE_PACK_SUMMARY_COLUMNS =
  'site, questionnaire_id, version, language, revision, uploaded_at, uploaded_by';
export const SITE_PACK_COLUMNS = `${SITE_PACK_SUMMARY_COLUMNS}, pack`;

/** A site's plan as stored: JSON text, or NULL for "no plan". */
export function planToText(plan: unknown): string | null {
  return plan === null || plan === undefined ? null : JSON.stringify(plan);
}

/** A site's pick-up points as stored: a JSON array of strings. */
export function pickupPointsToText(points: readonly string[] | undefined): string {
  return JSON.stringify(points ?? []);
}

/** A site's income bands as stored: JSON text, or NULL for the questionnaire's own. */
export function incomeBandsToText(bands: IncomeBands | null | undefined): string | null {
  return bands === null || bands === undefined ? null : JSON.stringify(bands);
}

const StringsSchema = z.array(z.string());
const LanguagesSchema = z.array(z.string().check(z.regex(LANGUAGE)));
const ContactsSchema = z.array(ProtocolContactSchema);
const GrantsSchema = z.array(GrantSchema);

/** A JSON column read with its schema: a value no route could have written is an error. */
function jsonColumn<T>(
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
  text: string,
  where: string,
): T {
  const parsed = schema.safeParse(JSON.parse(text) as unknown);
  if (!parsed.success) throw new Error(`${where} does not hold what it should`);
  return parsed.data;
}

export function siteFromRow(row: SiteRow): Site {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan === null ? null : (JSON.parse(row.plan) as unknown),
    shortInterviewSeconds: row.short_interview_seconds,
    pickupPoints: jsonColumn(StringsSchema, row.pickup_points, `sites.pickup_points of ${row.id}`),
    createdAt: row.created_at,
    timeZone: row.time_zone,
    helpline: row.helpline,
    protocolContacts: jsonColumn(
      ContactsSchema,
      row.protocol_contacts,
      `sites.protocol_contacts of ${row.id}`,
    ),
    languages: jsonColumn(LanguagesSchema, row.languages, `sites.languages of ${row.id}`),
    // Number(): a driver may give a bigint or a numeric string for an integer or a double.
    sampleSize: Number(row.sample_size),
    tolerance: Number(row.tolerance),
    // Absent when the site has none, as a site stored before bands existed reads.
    ...(row.income_bands === null
      ? {}
      : {
          incomeBands: jsonColumn(
            IncomeBandsSchema,
            row.income_bands,
            `sites.income_bands of ${row.id}`,
          ),
        }),
    closedAt: row.closed_at,
  };
}

export function userFromRow(row: UserRow): User {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    admin: Number(row.admin) === 1,
    grants: jsonColumn(GrantsSchema, row.grants, `users.grants of ${row.username}`),
    createdAt: row.created_at,
  };
}

export function sessionFromRow(row: SessionRow): Session {
  return {
    tokenHash: row.token_hash,
    username: row.username,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export function userLinkFromRow(row: UserLinkRow): UserLink {
  return {
    tokenHash: row.token_hash,
    username: row.username,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

export function enrolmentCodeFromRow(row: EnrolmentCodeRow): EnrolmentCode {
  return {
    codeHash: row.code_hash,
    site: row.site,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    ...(row.label === null ? {} : { label: row.label }),
  };
}

export function serverKeyFromRow(row: ServerKeyDbRow): ServerKeyRow {
  return {
    purpose: row.purpose,
    keyId: row.key_id,
    publicKey: row.public_key,
    privateKey: row.private_key,
    createdAt: row.created_at,
  };
}

export function deviceFromRow(row: DeviceRow): Device {
  return {
    id: row.id,
    site: row.site,
    label: row.label,
    tokenHash: row.token_hash,
    enrolledAt: row.enrolled_at,
    revokedAt: row.revoked_at,
    lastSyncAt: row.last_sync_at,
    lastPending: row.last_pending,
    tokenExpiresAt: row.token_expires_at,
  };
}

export function loginFailuresFromRow(row: LoginFailuresRow): LoginFailures {
  return {
    username: row.username,
    // PostgreSQL's INTEGER comes back as a number, SQLite's too; Number() guards a driver's bigint.
    failures: Number(row.failures),
    firstFailureAt: row.first_failure_at,
    lockedUntil: row.locked_until,
  };
}

function toStatus(value: string): StoredRecord['status'] {
  if (value === 'completed' || value === 'screened_out' || value === 'broken_off') return value;
  throw new Error(`unknown record status in the records table: ${value}`);
}

export function recordFromRow(row: RecordRow): StoredRecord {
  return {
    id: row.id,
    site: row.site,
    questionnaireId: row.questionnaire_id,
    questionnaireVersion: row.questionnaire_version,
    deviceId: row.device_id,
    interviewer: row.interviewer,
    status: toStatus(row.status),
    screenOutId: row.screen_out_id,
    quotaCategories: row.quota_categories,
    startedAt: row.started_at,
    durationSeconds: row.duration_seconds,
    contentHash: row.content_hash,
    body: row.body,
    receivedAt: row.received_at,
    figures: figuresFromRow(row),
    alertEvents: Number(row.alert_events),
  };
}

/** A record's quality figures from its columns: null when they were not kept (all NULL). */
function figuresFromRow(
  row: Pick<
    RecordRow,
    'answers_asked' | 'answers_dont_know' | 'answers_refused' | 'screens_asked' | 'screens_positive'
  >,
): RecordFigures | null {
  if (
    row.answers_asked === null ||
    row.answers_dont_know === null ||
    row.answers_refused === null ||
    row.screens_asked === null ||
    row.screens_positive === null
  )
    return null;
  return {
    asked: Number(row.answers_asked),
    dontKnow: Number(row.answers_dont_know),
    refused: Number(row.answers_refused),
    screens: Number(row.screens_asked),
    positiveScreens: Number(row.screens_positive),
  };
}

/** The values of a record in `RECORD_COLUMNS` order. */
export function recordToRow(record: StoredRecord): (string | number | null)[] {
  return [
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
    record.figures?.asked ?? null,
    record.figures?.dontKnow ?? null,
    record.figures?.refused ?? null,
    record.figures?.screens ?? null,
    record.figures?.positiveScreens ?? null,
    record.alertEvents,
  ];
}

export function quotaRowFromRow(
  row: Pick<RecordRow, 'interviewer' | 'status' | 'screen_out_id' | 'quota_categories'>,
): Pick<StoredRecord, 'interviewer' | 'status' | 'screenOutId' | 'quotaCategories'> {
  return {
    interviewer: row.interviewer,
    status: toStatus(row.status),
    screenOutId: row.screen_out_id,
    quotaCategories: row.quota_categories,
  };
}

/** What the streamed exports read of a record (`listRecordBodies`). */
export const RECORD_BODY_COLUMNS = 'id, received_at, body';
/** The columns of RECORD_BODY_COLUMNS. */
export type RecordBodyRow = Pick<RecordRow, 'id' | 'received_at' | 'body'>;

export function recordBodyFromRow(row: RecordBodyRow): RecordBody {
  return { id: row.id, receivedAt: row.received_at, body: row.body };
}

/** The columns of SUMMARY_COLUMNS. */
export type SummaryRecordRow = Pick<
  RecordRow,
  | 'id'
  | 'device_id'
  | 'interviewer'
  | 'status'
  | 'screen_out_id'
  | 'quota_categories'
  | 'started_at'
  | 'duration_seconds'
  | 'answers_asked'
  | 'answers_dont_know'
  | 'answers_refused'
  | 'screens_asked'
  | 'screens_positive'
>;

export function summaryRowFromRow(row: SummaryRecordRow): SummaryRow {
  return {
    id: row.id,
    deviceId: row.device_id,
    interviewer: row.interviewer,
    status: toStatus(row.status),
    screenOutId: row.screen_out_id,
    quotaCategories: row.quota_categories,
    startedAt: row.started_at,
    durationSeconds: row.duration_seconds,
    figures: figuresFromRow(row),
  };
}

/** The columns of ALERT_RECORD_COLUMNS. */
export type AlertRecordDbRow = Pick<
  RecordRow,
  'id' | 'device_id' | 'interviewer' | 'status' | 'body'
>;

export function alertRecordFromRow(row: AlertRecordDbRow): AlertRecordRow {
  return {
    id: row.id,
    deviceId: row.device_id,
    interviewer: row.interviewer,
    status: toStatus(row.status),
    body: row.body,
  };
}

export function questionnaireFromRow(row: QuestionnaireRow): PublishedQuestionnaireRow {
  return {
    questionnaireId: row.questionnaire_id,
    version: row.version,
    definition: row.definition,
    labelPacks: row.label_packs,
    publishedAt: row.published_at,
  };
}

export function sitePackSummaryFromRow(row: Omit<SiteLabelPackRow, 'pack'>): SiteLabelPackSummary {
  return {
    site: row.site,
    questionnaireId: row.questionnaire_id,
    version: row.version,
    language: row.language,
    // PostgreSQL's INTEGER comes back a number, SQLite's too; Number() for a driver that differs.
    revision: Number(row.revision),
    uploadedAt: row.uploaded_at,
    uploadedBy: row.uploaded_by,
  };
}

export function sitePackFromRow(row: SiteLabelPackRow): SiteLabelPack {
  return { ...sitePackSummaryFromRow(row), pack: row.pack };
}

export function questionnaireVersionFromRow(
  row: Pick<QuestionnaireRow, 'questionnaire_id' | 'version' | 'published_at'>,
): QuestionnaireVersionRow {
  return {
    questionnaireId: row.questionnaire_id,
    version: row.version,
    publishedAt: row.published_at,
  };
}

/**
 * Decides each record's outcome once the new ones are inserted: the first occurrence of an id that
 * the database took is accepted; any other occurrence is a duplicate when its hash equals the
 * stored one (which may be the one this batch just inserted), else a conflict.
 */
export function outcomesFor(
  records: readonly StoredRecord[],
  inserted: ReadonlySet<string>,
  storedHashes: ReadonlyMap<string, string>,
): ('accepted' | 'duplicate' | 'conflict')[] {
  const seen = new Set<string>();
  return records.map((record) => {
    const first = !seen.has(record.id);
    seen.add(record.id);
    if (first && inserted.has(record.id)) return 'accepted';
    return storedHashes.get(record.id) === record.contentHash ? 'duplicate' : 'conflict';
  });
}

/** A row of `refused_records`, as both databases return it. */
export interface RefusedRow {
  readonly key: string;
  readonly site: string;
  readonly device_id: string;
  readonly record_id: string | null;
  readonly interviewer: string | null;
  readonly reason: string;
  readonly body?: string;
  readonly content_hash?: string;
  readonly received_at: string;
  readonly state: string;
  readonly resolved_at: string | null;
  readonly resolved_by: string | null;
}

export const REFUSED_COLUMNS =
  'key, site, device_id, record_id, interviewer, reason, body, content_hash, received_at, state, resolved_at, resolved_by';
export const REFUSED_SUMMARY_COLUMNS =
  'key, site, device_id, record_id, interviewer, reason, received_at, state, resolved_at, resolved_by';

/** The values of a refused record in `REFUSED_COLUMNS` order. */
export function refusedToRow(record: RefusedRecord): (string | null)[] {
  return [
    record.key,
    record.site,
    record.deviceId,
    record.recordId,
    record.interviewer,
    record.reason,
    record.body,
    record.contentHash,
    record.receivedAt,
    record.state,
    record.resolvedAt,
    record.resolvedBy,
  ];
}

function refusedState(text: string): RefusedState {
  return text === 'accepted' || text === 'dismissed' ? text : 'refused';
}

export function refusedSummaryFromRow(row: RefusedRow): RefusedRecordSummary {
  return {
    key: row.key,
    site: row.site,
    deviceId: row.device_id,
    recordId: row.record_id,
    interviewer: row.interviewer,
    reason: row.reason,
    receivedAt: row.received_at,
    state: refusedState(row.state),
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

export function refusedFromRow(row: RefusedRow): RefusedRecord {
  return {
    ...refusedSummaryFromRow(row),
    body: row.body ?? '',
    contentHash: row.content_hash ?? '',
  };
}
