/**
 * The wire contract between the app and the server (`/api/v1`): one set of zod schemas both
 * sides validate with, so there is no second copy to drift. Bodies are bounded: sizes here are
 * the limits the server enforces.
 */
import { z } from 'zod/mini';
import { QuotaPlanSchema } from '../quota/schema.ts';
import { MAX_PICKUP_POINT_LENGTH, MAX_PICKUP_POINTS, PickupPointSchema } from './pickup-points.ts';
import { IncomeBandsSchema, isIncomeBands } from './income-bands.ts';
import {
  RecordLabelPacksSchema,
  SitePackRevisionSchema,
  SitePackSchema,
  isRecordLabelPacks,
} from './label-packs.ts';
import { MeSchema, SiteSettingsSchema } from './wave.ts';
// The interviewer code's pattern lives with the open drafts (exported below with them), which the
// tablets' first download reads without the wire schemas.
import { INTERVIEWER_CODE } from './open-drafts.ts';

export const API_PREFIX = '/api/v1';
/** Most records in one upload. */
export const MAX_BATCH_RECORDS = 500;
/** Most bytes in one upload body (the client also cuts batches by size). */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

// The limits of a record, shared by the schema and by `isPlainInterviewRecord` below.
/** A record's id: a UUID in lower case. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const SHORT_TEXT = 200;
const KEY_LENGTH = 100;
const TEXT_ANSWER = 10_000;
const CHOICES = 500;
const ALERTS = 50;

/** An app version such as `0.1.0` or `0.2.0-rc.1+build`: never free text. */
const APP_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$/;

const Id = z.string().check(z.regex(UUID, 'must be a UUID'));
const ShortText = z.string().check(z.minLength(1), z.maxLength(SHORT_TEXT));
const Timestamp = z.string().check(z.regex(ISO_DATE_TIME, 'must be an ISO date-time'));
const Key = z.string().check(z.maxLength(KEY_LENGTH));
const NonResponse = z.strictObject({ nonResponse: z.enum(['dont_know', 'refused']) });
export const AnswerWireSchema = z.union([
  z.string().check(z.maxLength(TEXT_ANSWER)),
  z.number(),
  z.array(z.string().check(z.maxLength(SHORT_TEXT))).check(z.maxLength(CHOICES)),
  NonResponse,
]);

/** Why an interview stopped before its end. */
export const BREAK_OFF_REASONS = [
  'respondent_stopped',
  'respondent_unwell',
  'interviewer_stopped',
  'interrupted',
  'other',
] as const;

/** Where and why an interview stopped before its end (a `broken_off` record only). */
export const BreakOffSchema = z.strictObject({
  reason: z.enum(BREAK_OFF_REASONS),
  /** The last item shown. */
  itemId: Key,
  at: Timestamp,
});
export type BreakOff = z.infer<typeof BreakOffSchema>;

/** What an interviewer did when an alert was raised, as they tick it before going on. */
export const ALERT_ACTIONS = [
  'helpline_given',
  'contact_called',
  'emergency_called',
  'supervisor_told',
  'respondent_declined_help',
] as const;

/** One alert raised in an interview: when, when acknowledged (null: never), what was done. */
export const AlertEventSchema = z.strictObject({
  id: ShortText,
  raisedAt: Timestamp,
  acknowledgedAt: z.nullable(Timestamp),
  actions: z.array(z.enum(ALERT_ACTIONS)).check(z.maxLength(ALERT_ACTIONS.length)),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

/** Seconds on each item asked (summed over visits) and every language used, in order. */
export const RecordParadataSchema = z.strictObject({
  itemSeconds: z.record(Key, z.number().check(z.gte(0))),
  languages: z.array(ShortText).check(z.maxLength(20)),
});
export type RecordParadata = z.infer<typeof RecordParadataSchema>;

/**
 * A calculation's value in a record: a text, a number or a flag; for an undetermined one (it reads
 * a "don't know" or "refused" and could give more than one result) its reason, written as a
 * non-response answer is.
 */
export const ComputedWireSchema = z.union([z.string(), z.number(), z.boolean(), NonResponse]);
export type ComputedWire = z.infer<typeof ComputedWireSchema>;

/** An anonymised interview, as built by `anonymise` in src/core/record. */
export const InterviewRecordSchema = z.strictObject({
  id: Id,
  questionnaireId: ShortText,
  questionnaireVersion: ShortText,
  site: ShortText,
  interviewer: z.string().check(z.regex(INTERVIEWER_CODE, 'must be an interviewer code')),
  /** The tablet's id as it knows it; the server stores its token's device instead. */
  deviceId: ShortText,
  /** Where the interviewer stood (lieu d'enquête): a label of the site's list, or typed in. */
  pickupPoint: z.optional(PickupPointSchema),
  /**
   * `broken_off`: stopped before its end after consent, sent with the answers up to the break;
   * never counted in quotas nor in the main export.
   */
  status: z.enum(['completed', 'screened_out', 'broken_off']),
  screenOutId: z.optional(ShortText),
  breakOff: z.optional(BreakOffSchema),
  language: ShortText,
  appVersion: z.string().check(z.regex(APP_VERSION, 'must be a version such as 0.1.0')),
  startedAt: Timestamp,
  endedAt: Timestamp,
  durationSeconds: z.number().check(z.gte(0)),
  quotaCategories: z.record(Key, z.string().check(z.maxLength(KEY_LENGTH))),
  alerts: z.array(ShortText).check(z.maxLength(ALERTS)),
  /** Each alert raised, in order, with what the interviewer did (absent from older app versions). */
  alertEvents: z.optional(z.array(AlertEventSchema).check(z.maxLength(ALERTS))),
  answers: z.record(Key, AnswerWireSchema),
  computed: z.record(Key, ComputedWireSchema),
  /** Time per item and languages used (absent from older app versions). */
  paradata: z.optional(RecordParadataSchema),
  /** The site's income bands the interview showed (absent: the questionnaire's own). */
  incomeBands: z.optional(IncomeBandsSchema),
  /** Per language used that a site pack gave, the pack's revision (absent: none did). */
  labelPacks: z.optional(RecordLabelPacksSchema),
});
export type InterviewRecordWire = z.infer<typeof InterviewRecordSchema>;

const REQUIRED_FIELDS = [
  'id',
  'questionnaireId',
  'questionnaireVersion',
  'site',
  'interviewer',
  'deviceId',
  'status',
  'language',
  'appVersion',
  'startedAt',
  'endedAt',
  'durationSeconds',
  'quotaCategories',
  'alerts',
  'answers',
  'computed',
] as const;

function isShortText(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= SHORT_TEXT;
}

/** A plain JSON object (as JSON.parse makes), no key of which could touch a prototype. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !Object.hasOwn(value, '__proto__')
  );
}

function isAnswer(value: unknown): boolean {
  if (typeof value === 'string') return value.length <= TEXT_ANSWER;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) {
    if (value.length > CHOICES) return false;
    for (const code of value)
      if (typeof code !== 'string' || code.length > SHORT_TEXT) return false;
    return true;
  }
  return isNonResponse(value);
}

/** `{ nonResponse: 'dont_know' | 'refused' }` and nothing else. */
function isNonResponse(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return (
    Object.keys(value).length === 1 &&
    (value['nonResponse'] === 'dont_know' || value['nonResponse'] === 'refused')
  );
}

function isComputed(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    isNonResponse(value)
  );
}

function everyEntry(value: unknown, ok: (entry: unknown) => boolean): boolean {
  if (!isPlainObject(value)) return false;
  // for...in, not Object.entries: no pair allocated per entry on the upload's hot path; a plain
  // object's prototype (Object.prototype) has no enumerable key.
  for (const key in value) if (key.length > KEY_LENGTH || !ok(value[key])) return false;
  return true;
}

/**
 * A record's answers as the upload fast path read them: their keys and their values, in the order
 * of `Object.keys` (that of `Object.values`). The server's review walks these arrays rather than
 * the answers again: reading a record of a hundred answers costs more than checking them.
 */
export interface AnswerWalk {
  ids: readonly string[];
  values: readonly unknown[];
}

/** `everyEntry(value, isAnswer)`, keeping its keys and values in `walk`. */
function everyAnswer(value: unknown, walk: AnswerWalk | undefined): boolean {
  if (!isPlainObject(value)) return false;
  const ids = Object.keys(value);
  const values = Object.values(value);
  for (let i = 0; i < ids.length; i++) {
    if ((ids[i] as string).length > KEY_LENGTH || !isAnswer(values[i])) return false;
  }
  if (walk !== undefined) {
    walk.ids = ids;
    walk.values = values;
  }
  return true;
}

function isTimestamp(value: unknown): boolean {
  return typeof value === 'string' && ISO_DATE_TIME.test(value);
}

function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && own.every((key) => keys.includes(key));
}

function isBreakOff(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    hasOnlyKeys(value, ['reason', 'itemId', 'at']) &&
    (BREAK_OFF_REASONS as readonly unknown[]).includes(value['reason']) &&
    typeof value['itemId'] === 'string' &&
    value['itemId'].length <= KEY_LENGTH &&
    isTimestamp(value['at'])
  );
}

function isAlertEvent(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const actions = value['actions'];
  return (
    hasOnlyKeys(value, ['id', 'raisedAt', 'acknowledgedAt', 'actions']) &&
    isShortText(value['id']) &&
    isTimestamp(value['raisedAt']) &&
    (value['acknowledgedAt'] === null || isTimestamp(value['acknowledgedAt'])) &&
    Array.isArray(actions) &&
    actions.length <= ALERT_ACTIONS.length &&
    actions.every((action) => (ALERT_ACTIONS as readonly unknown[]).includes(action))
  );
}

function isParadata(value: unknown): boolean {
  if (!isPlainObject(value) || !hasOnlyKeys(value, ['itemSeconds', 'languages'])) return false;
  const languages = value['languages'];
  return (
    everyEntry(
      value['itemSeconds'],
      (seconds) => typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0,
    ) &&
    Array.isArray(languages) &&
    languages.length <= 20 &&
    languages.every(isShortText)
  );
}

/**
 * The server's fast path for uploads: whether a value parsed from JSON is plainly a valid record,
 * in a fraction of the time `InterviewRecordSchema` takes (its unions build an issue for every
 * option an answer does not match). It accepts nothing the schema refuses (a property test holds
 * it to that); what it does not accept goes to the schema, which decides and words the problem.
 * With `walk`, a record that passes leaves its answers' keys and values there (`AnswerWalk`).
 */
export function isPlainInterviewRecord(
  value: unknown,
  walk?: AnswerWalk,
): value is InterviewRecordWire {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value).length;
  let expected = REQUIRED_FIELDS.length;
  if (value['pickupPoint'] !== undefined) {
    const point = value['pickupPoint'];
    if (typeof point !== 'string' || point.length < 1 || point.length > MAX_PICKUP_POINT_LENGTH)
      return false;
    expected += 1;
  }
  if (value['screenOutId'] !== undefined) {
    if (!isShortText(value['screenOutId'])) return false;
    expected += 1;
  }
  if (value['breakOff'] !== undefined) {
    if (!isBreakOff(value['breakOff'])) return false;
    expected += 1;
  }
  if (value['alertEvents'] !== undefined) {
    const events = value['alertEvents'];
    if (!Array.isArray(events) || events.length > ALERTS || !events.every(isAlertEvent))
      return false;
    expected += 1;
  }
  if (value['paradata'] !== undefined) {
    if (!isParadata(value['paradata'])) return false;
    expected += 1;
  }
  if (value['incomeBands'] !== undefined) {
    if (!isIncomeBands(value['incomeBands'])) return false;
    expected += 1;
  }
  if (value['labelPacks'] !== undefined) {
    if (!isRecordLabelPacks(value['labelPacks'])) return false;
    expected += 1;
  }
  const duration = value['durationSeconds'];
  const alerts = value['alerts'];
  return (
    keys === expected &&
    typeof value['id'] === 'string' &&
    UUID.test(value['id']) &&
    isShortText(value['questionnaireId']) &&
    isShortText(value['questionnaireVersion']) &&
    isShortText(value['site']) &&
    typeof value['interviewer'] === 'string' &&
    INTERVIEWER_CODE.test(value['interviewer']) &&
    isShortText(value['deviceId']) &&
    (value['status'] === 'completed' ||
      value['status'] === 'screened_out' ||
      value['status'] === 'broken_off') &&
    isShortText(value['language']) &&
    typeof value['appVersion'] === 'string' &&
    APP_VERSION.test(value['appVersion']) &&
    typeof value['startedAt'] === 'string' &&
    ISO_DATE_TIME.test(value['startedAt']) &&
    typeof value['endedAt'] === 'string' &&
    ISO_DATE_TIME.test(value['endedAt']) &&
    typeof duration === 'number' &&
    Number.isFinite(duration) &&
    duration >= 0 &&
    everyEntry(
      value['quotaCategories'],
      (category) => typeof category === 'string' && category.length <= KEY_LENGTH,
    ) &&
    Array.isArray(alerts) &&
    alerts.length <= ALERTS &&
    alerts.every(isShortText) &&
    everyAnswer(value['answers'], walk) &&
    everyEntry(value['computed'], isComputed)
  );
}

export const UploadRequestSchema = z.strictObject({
  records: z.array(InterviewRecordSchema).check(z.minLength(1), z.maxLength(MAX_BATCH_RECORDS)),
  /** How many records the device still had waiting when it sent this batch (for the dashboard). */
  pending: z.optional(z.int().check(z.gte(0))),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

export const UploadResultSchema = z.strictObject({
  id: z.string(),
  /** accepted: stored now; duplicate: already stored, same content; conflict: same id, other content; rejected: invalid. */
  status: z.enum(['accepted', 'duplicate', 'conflict', 'rejected']),
  reason: z.optional(z.string()),
});
export const UploadResponseSchema = z.strictObject({ results: z.array(UploadResultSchema) });
export type UploadResult = z.infer<typeof UploadResultSchema>;
export type UploadResponse = z.infer<typeof UploadResponseSchema>;

export const EnrolRequestSchema = z.strictObject({
  code: z.string().check(z.regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'must be a code such as ABCD-1234')),
  label: z.optional(z.string().check(z.maxLength(100))),
});
export const EnrolResponseSchema = z.strictObject({
  token: z.string(),
  deviceId: z.string(),
  site: z.string(),
  /** The site's settings (helpline, protocol contacts, languages...): the tablet needs them at once. */
  settings: z.optional(SiteSettingsSchema),
});
export type EnrolRequest = z.infer<typeof EnrolRequestSchema>;
export type EnrolResponse = z.infer<typeof EnrolResponseSchema>;

const CellCountsSchema = z.record(z.string(), z.record(z.string(), z.int().check(z.gte(0))));
export const QuotaStateSchema = z.strictObject({
  site: z.string(),
  plan: z.nullable(QuotaPlanSchema),
  /** Site-wide counts of the records the server holds. */
  counts: z.strictObject({ completed: CellCountsSchema, screenedOut: CellCountsSchema }),
  /** The site's pick-up points (lieux d'enquête), for the tablets' chooser; [] when none. */
  pickupPoints: z._default(z.array(PickupPointSchema).check(z.maxLength(MAX_PICKUP_POINTS)), []),
  /**
   * Completed interviews per interviewer code across every tablet of the site, cell by cell: a
   * tablet checks its interviewer's allocation against these, not only its own records.
   */
  interviewerCounts: z.optional(z.record(z.string(), CellCountsSchema)),
  /** The site's settings, delivered at every sync (optional: a server older than them omits them). */
  settings: z.optional(SiteSettingsSchema),
  at: z.string(),
});
export type QuotaState = z.infer<typeof QuotaStateSchema>;

/**
 * `GET /questionnaires`: every published version, without its definition. A tablet compares it
 * with the versions it has installed and fetches only the ones it lacks (a definition such as
 * SMPG's is about 200 KB, and sync runs every few minutes).
 */
export const QuestionnaireVersionSchema = z.strictObject({
  questionnaireId: z.string(),
  version: z.string(),
  publishedAt: z.string(),
  /** For a tablet: the latest revision of each of its site's packs of the version. */
  sitePacks: z.optional(z.array(SitePackRevisionSchema)),
});
export const QuestionnaireIndexSchema = z.array(QuestionnaireVersionSchema);
export type QuestionnaireVersion = z.infer<typeof QuestionnaireVersionSchema>;

/** `GET /questionnaires/:id/:version`: one published version, with its definition and label packs. */
export const PublishedQuestionnaireSchema = z.strictObject({
  questionnaireId: z.string(),
  version: z.string(),
  definition: z.unknown(),
  labelPacks: z.array(z.strictObject({ source: z.string(), pack: z.unknown() })),
  publishedAt: z.string(),
  /** For a tablet: its site's packs of the version, each its latest revision. */
  sitePacks: z.optional(z.array(SitePackSchema)),
});
export type PublishedQuestionnaire = z.infer<typeof PublishedQuestionnaireSchema>;

/** `POST /questionnaires` (an admin's act): a definition and its label packs, checked by the loader. */
export const PublishRequestSchema = z.strictObject({
  definition: z.unknown(),
  labelPacks: z._default(
    z
      .array(
        z.strictObject({
          source: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,120}$/, 'must be a file name')),
          pack: z.unknown(),
        }),
      )
      .check(z.maxLength(50)),
    [],
  ),
});
export type PublishRequest = z.infer<typeof PublishRequestSchema>;

export const LoginRequestSchema = z.strictObject({
  username: z.string().check(z.minLength(1), z.maxLength(100)),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
});
/** The session token, and who logged in with what access (as `GET /auth/me` says). */
export const LoginResponseSchema = z.extend(MeSchema, { token: z.string() });
export type LoginRequest = z.infer<typeof LoginRequestSchema>;
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** `POST /auth/logout`: no body ends this session; `{ "all": true }` ends every session of the user. */
export const LogoutRequestSchema = z.strictObject({ all: z.optional(z.boolean()) });
export type LogoutRequest = z.infer<typeof LogoutRequestSchema>;

/**
 * `POST /devices/token`: a renewed device token and when it expires. The current token keeps
 * working until the renewed one is first used, so a tablet that lost this answer asks again.
 */
export const DeviceTokenResponseSchema = z.strictObject({
  token: z.string(),
  expiresAt: z.string(),
});
export type DeviceTokenResponse = z.infer<typeof DeviceTokenResponseSchema>;

/**
 * The response header (value `due`) by which the server tells a tablet, on any answer to its
 * token, that the token is due for renewal (`POST /devices/token`).
 */
export const TOKEN_RENEWAL_HEADER = 'device-token-renewal';

/**
 * A file's problem as the core gives it (a quota plan's `QuotaIssue`): where, a machine code with
 * the values it names, for clients to word, and its English message for the codes they do not know.
 */
export const ErrorIssueSchema = z.strictObject({
  path: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

/** A value a refusal names (a site, a count, languages, the cells at fault), for clients to word. */
const ErrorParamSchema = z.union([
  z.string(),
  z.number(),
  z.array(z.string()),
  z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
  z.array(ErrorIssueSchema),
]);
/**
 * Every error body: a machine code, an English message a person can act on (for API users and
 * logs; never a stack trace), and for the refusals the dashboard words itself, their parameters.
 */
export const ErrorResponseSchema = z.strictObject({
  error: z.string(),
  message: z.string(),
  params: z.optional(z.record(z.string(), ErrorParamSchema)),
});
/**
 * An error body as clients read it: what a newer server adds (a field, a kind of parameter) must
 * not hide the message from an older app, so unknown fields pass and parameters that do not read
 * are dropped (the message still shows). The server writes `ErrorResponseSchema`, strict.
 */
export const ErrorResponseReadSchema = z.looseObject({
  error: z.string(),
  message: z.string(),
  params: z.catch(z.optional(z.record(z.string(), ErrorParamSchema)), undefined),
});
/** The parameters of a refusal (ErrorResponse's `params`). */
export type ErrorParams = NonNullable<z.infer<typeof ErrorResponseSchema>['params']>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export * from './dashboard.ts';
export * from './label-packs.ts';

/**
 * The options of a CSV export (query string of the `/export` routes; every value is a string).
 * `separator`: `comma` or `semicolon` (French Excel); `decimal`: `dot` or `comma`; `bom`: `1`
 * writes a UTF-8 byte order mark first (Excel on Windows needs it to read accents); `values`:
 * `codes` or `labels`; `language`: of labels and of the codebook's texts; `formulas`: `escaped`
 * (the default: a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a `'` first, so that
 * a spreadsheet does not run it) or `raw` (every cell as typed).
 */
export const ExportQuerySchema = z.strictObject({
  questionnaire: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/))),
  version: z.optional(z.string().check(z.regex(/^[0-9]+(\.[0-9]+)*$/))),
  values: z.optional(z.enum(['codes', 'labels'])),
  language: z.optional(z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/))),
  separator: z.optional(z.enum(['comma', 'semicolon'])),
  decimal: z.optional(z.enum(['dot', 'comma'])),
  bom: z.optional(z.enum(['0', '1'])),
  formulas: z.optional(z.enum(['escaped', 'raw'])),
  /** `space`: line breaks typed in a text answer written as spaces (SPSS reads no other). */
  linebreaks: z.optional(z.enum(['keep', 'space'])),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;
export * from './pickup-points.ts';
export * from './enrolment-link.ts';
export * from './wave.ts';
export * from './open-drafts.ts';
export * from './backup.ts';
export * from './income-bands.ts';
