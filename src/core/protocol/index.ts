/**
 * The wire contract between the app and the server (`/api/v1`): one set of zod schemas both
 * sides validate with, so there is no second copy to drift. Bodies are bounded: sizes here are
 * the limits the server enforces.
 */
import { z } from 'zod/mini';
import { QuotaPlanSchema } from '../quota/schema.ts';
import { MAX_PICKUP_POINTS, PickupPointSchema } from './pickup-points.ts';

export const API_PREFIX = '/api/v1';
/** Most records in one upload. */
export const MAX_BATCH_RECORDS = 500;
/** Most bytes in one upload body (the client also cuts batches by size). */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

const Id = z
  .string()
  .check(
    z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID'),
  );
const ShortText = z.string().check(z.minLength(1), z.maxLength(200));
const Timestamp = z
  .string()
  .check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
      'must be an ISO date-time',
    ),
  );
const NonResponse = z.strictObject({ nonResponse: z.enum(['dont_know', 'refused']) });
export const AnswerWireSchema = z.union([
  z.string().check(z.maxLength(10_000)),
  z.number(),
  z.array(z.string().check(z.maxLength(200))).check(z.maxLength(500)),
  NonResponse,
]);

/** An anonymised interview, as built by `anonymise` in src/core/record. */
export const InterviewRecordSchema = z.strictObject({
  id: Id,
  questionnaireId: ShortText,
  questionnaireVersion: ShortText,
  site: ShortText,
  interviewer: ShortText,
  deviceId: ShortText,
  /** Where the interviewer stood (lieu d'enquête): a label of the site's list, or typed in. */
  pickupPoint: z.optional(PickupPointSchema),
  status: z.enum(['completed', 'screened_out']),
  screenOutId: z.optional(ShortText),
  language: ShortText,
  appVersion: ShortText,
  startedAt: Timestamp,
  endedAt: Timestamp,
  durationSeconds: z.number().check(z.gte(0)),
  quotaCategories: z.record(z.string().check(z.maxLength(100)), z.string().check(z.maxLength(100))),
  alerts: z.array(ShortText).check(z.maxLength(50)),
  answers: z.record(z.string().check(z.maxLength(100)), AnswerWireSchema),
  computed: z.record(
    z.string().check(z.maxLength(100)),
    z.union([z.string(), z.number(), z.boolean()]),
  ),
});
export type InterviewRecordWire = z.infer<typeof InterviewRecordSchema>;

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
});
export type PublishedQuestionnaire = z.infer<typeof PublishedQuestionnaireSchema>;

export const LoginRequestSchema = z.strictObject({
  username: z.string().check(z.minLength(1), z.maxLength(100)),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
});
export const LoginResponseSchema = z.strictObject({
  token: z.string(),
  role: z.enum(['admin', 'coordinator', 'analyst']),
  sites: z.array(z.string()),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** Every error body: a message a person can act on, never a stack trace. */
export const ErrorResponseSchema = z.strictObject({ error: z.string(), message: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export * from './dashboard.ts';

/**
 * The options of a CSV export (query string of the `/export` routes; every value is a string).
 * `separator`: `comma` or `semicolon` (French Excel); `decimal`: `dot` or `comma`; `bom`: `1`
 * writes a UTF-8 byte order mark first (Excel on Windows needs it to read accents); `values`:
 * `codes` or `labels`; `language`: of labels and of the codebook's texts.
 */
export const ExportQuerySchema = z.strictObject({
  questionnaire: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/))),
  version: z.optional(z.string().check(z.regex(/^[0-9]+(\.[0-9]+)*$/))),
  values: z.optional(z.enum(['codes', 'labels'])),
  language: z.optional(z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/))),
  separator: z.optional(z.enum(['comma', 'semicolon'])),
  decimal: z.optional(z.enum(['dot', 'comma'])),
  bom: z.optional(z.enum(['0', '1'])),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;
export * from './pickup-points.ts';
export * from './enrolment-link.ts';
