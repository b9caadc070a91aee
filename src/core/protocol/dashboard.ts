/**
 * The wire contract of the coordinator dashboard's routes (`/api/v1`): what the server answers
 * about a site's fieldwork and what the dashboard sends to move allocations. The server builds
 * these bodies; the dashboard parses them with the same schemas before using them.
 */
import { z } from 'zod/mini';
import { AllocationSchema } from '../quota/schema.ts';

const Count = z.int().check(z.gte(0));
const CellCountsSchema = z.record(z.string(), z.record(z.string(), Count));

/** A site as `GET /sites` lists it. */
export const SiteInfoSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** Completed interviews shorter than this are flagged on the dashboard. */
  shortInterviewSeconds: z.number(),
  hasPlan: z.boolean(),
  /** When an admin closed the site (no more tablets enrolled), or null. */
  closedAt: z.nullable(z.string()),
  /** The site's IANA time zone: its per-day charts count days there. */
  timeZone: z.string(),
});
export type SiteInfo = z.infer<typeof SiteInfoSchema>;

/** A device as `GET /sites/:site/devices` lists it (never its token hash). */
export const DeviceInfoSchema = z.strictObject({
  id: z.string(),
  site: z.string(),
  label: z.string(),
  enrolledAt: z.string(),
  revokedAt: z.nullable(z.string()),
  lastSyncAt: z.nullable(z.string()),
  /** How many records the device said were still waiting at its last upload. */
  lastPending: z.nullable(Count),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;

/** Most characters of an enrolment code's label. */
export const MAX_ENROLMENT_LABEL = 40;

/**
 * `POST /sites/:site/enrolment-codes`'s optional body: a short label the coordinator gives the
 * code (whose tablet, which one) to tell it from the others in the list of codes not yet used.
 */
export const EnrolmentCodeRequestSchema = z.strictObject({
  label: z.optional(z.string().check(z.maxLength(MAX_ENROLMENT_LABEL))),
});
export type EnrolmentCodeRequest = z.infer<typeof EnrolmentCodeRequestSchema>;

/**
 * `POST /sites/:site/enrolment-codes`: a one-time code for a tablet. The server keeps only its
 * hash, so this answer is the only time the code is seen; `createdAt` names it afterwards.
 */
export const EnrolmentCodeResponseSchema = z.strictObject({
  code: z.string(),
  site: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The label given at creation, if any. */
  label: z.optional(z.string()),
});
export type EnrolmentCodeResponse = z.infer<typeof EnrolmentCodeResponseSchema>;

/**
 * An unused, unexpired enrolment code as `GET /sites/:site/enrolment-codes` lists it: never the
 * code nor its hash (the code cannot be shown again, and any function of it would let someone
 * who sees the list test guesses offline). It is named by its creation time, which is what
 * `DELETE /sites/:site/enrolment-codes/:createdAt` takes to cancel it.
 */
export const EnrolmentCodeInfoSchema = z.strictObject({
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The user who made it. */
  createdBy: z.string(),
  /** The label given at creation, if any. */
  label: z.optional(z.string()),
});
export type EnrolmentCodeInfo = z.infer<typeof EnrolmentCodeInfoSchema>;

/** Interviews that ended on one day (`YYYY-MM-DD` in the summary's time zone). */
export const SummaryDaySchema = z.strictObject({
  date: z.string(),
  completed: Count,
  screenedOut: Count,
});
export type SummaryDay = z.infer<typeof SummaryDaySchema>;

/** One interviewer's fieldwork, as the server has received it. */
export const InterviewerSummarySchema = z.strictObject({
  interviewer: z.string(),
  completed: Count,
  screenedOut: Count,
  /** Completed interviews shorter than the site's threshold. */
  short: Count,
  /** End of their last interview (ISO), or null. */
  lastEndedAt: z.nullable(z.string()),
  /** Their completed interviews per quota table and cell (empty without a plan). */
  cells: CellCountsSchema,
});
export type InterviewerSummary = z.infer<typeof InterviewerSummarySchema>;

/** A completed interview shorter than the site's threshold. */
export const ShortInterviewSchema = z.strictObject({
  id: z.string(),
  interviewer: z.string(),
  deviceId: z.string(),
  endedAt: z.string(),
  date: z.string(),
  durationSeconds: z.number(),
});
export type ShortInterview = z.infer<typeof ShortInterviewSchema>;

/** Completed interviews whose duration falls in [fromMinutes, toMinutes) (open when null). */
export const DurationBinSchema = z.strictObject({
  fromMinutes: z.number(),
  toMinutes: z.nullable(z.number()),
  count: Count,
  /** How many of them are shorter than the site's threshold. */
  short: Count,
});
export type DurationBin = z.infer<typeof DurationBinSchema>;

/**
 * What shows an interviewer who rushes or leads, over their completed interviews (broken-off ones
 * for `brokenOff` only): shares are of the questions asked, null when there is nothing to divide.
 */
export const QualityFiguresSchema = z.strictObject({
  completed: Count,
  brokenOff: Count,
  medianSeconds: z.nullable(z.number()),
  /** Answers "don't know" among the questions asked. */
  dontKnowShare: z.nullable(z.number()),
  /** Answers "refused" among the questions asked. */
  refusedShare: z.nullable(z.number()),
  /** Screening questions answered "yes" among the screening questions asked. */
  positiveScreenShare: z.nullable(z.number()),
});
export type QualityFigures = z.infer<typeof QualityFiguresSchema>;

export const InterviewerQualitySchema = z.extend(QualityFiguresSchema, { interviewer: z.string() });
export type InterviewerQuality = z.infer<typeof InterviewerQualitySchema>;

/** `GET /sites/:site/alerts`: one alert raised in one record the server holds, newest first. */
export const AlertEventInfoSchema = z.strictObject({
  recordId: z.string(),
  interviewer: z.string(),
  deviceId: z.string(),
  status: z.enum(['completed', 'screened_out', 'broken_off']),
  alertId: z.string(),
  raisedAt: z.string(),
  acknowledgedAt: z.nullable(z.string()),
  actions: z.array(z.string()),
});
export type AlertEventInfo = z.infer<typeof AlertEventInfoSchema>;
export const AlertEventListSchema = z.array(AlertEventInfoSchema);

/** `GET /sites/:site/summary`: the site's fieldwork at a glance. */
export const SiteSummarySchema = z.strictObject({
  site: z.string(),
  name: z.string(),
  /** When the summary was computed (ISO). */
  at: z.string(),
  /** The IANA time zone the days are counted in. */
  timeZone: z.string(),
  shortInterviewSeconds: z.number(),
  totals: z.strictObject({ completed: Count, screenedOut: Count, short: Count }),
  /** Days with at least one interview, in order. */
  perDay: z.array(SummaryDaySchema),
  /** Everyone with a record or an allocation, by code. */
  interviewers: z.array(InterviewerSummarySchema),
  durations: z.strictObject({
    medianSeconds: z.nullable(z.number()),
    bins: z.array(DurationBinSchema),
    /** The too-short interviews, oldest first (at most `SHORT_LIST_LIMIT`). */
    short: z.array(ShortInterviewSchema),
  }),
  /** Screen-outs per reason (the questionnaire's screen-out id, or `quota_full`), most first. */
  screenOuts: z.array(z.strictObject({ reason: z.string(), count: Count })),
  /** Interviews broken off after consent (sent as partial records), in all. */
  brokenOff: z.optional(Count),
  /** Each interviewer's quality figures, by code (absent from servers older than them). */
  quality: z.optional(z.array(InterviewerQualitySchema)),
  /** The same figures over the whole site, to compare each interviewer with. */
  siteQuality: z.optional(QualityFiguresSchema),
});
export type SiteSummary = z.infer<typeof SiteSummarySchema>;

/** Most too-short interviews listed one by one in a summary. */
export const SHORT_LIST_LIMIT = 1000;

/** `PUT /sites/:site/allocations`: every interviewer's share; an empty list removes them. */
export const AllocationsRequestSchema = z.strictObject({
  allocations: z.array(AllocationSchema).check(z.maxLength(500)),
});
export type AllocationsRequest = z.infer<typeof AllocationsRequestSchema>;

/**
 * `GET /sites/:site/refused-records`: a record the server refused, kept apart (never exported or
 * counted) until a coordinator accepts or dismisses it; the newest first.
 */
export const RefusedRecordInfoSchema = z.strictObject({
  key: z.string(),
  /** The id the record says it has, when it says one. */
  recordId: z.nullable(z.string()),
  deviceId: z.string(),
  interviewer: z.nullable(z.string()),
  /** Why the server refused it, field by field. */
  reason: z.string(),
  receivedAt: z.string(),
  state: z.enum(['refused', 'accepted', 'dismissed']),
  resolvedAt: z.nullable(z.string()),
  resolvedBy: z.nullable(z.string()),
});
export type RefusedRecordInfo = z.infer<typeof RefusedRecordInfoSchema>;
export const RefusedRecordListSchema = z.array(RefusedRecordInfoSchema);

/** `GET /sites/:site/refused-records/:key`: the same with the record as it was sent. */
export const RefusedRecordDetailSchema = z.extend(RefusedRecordInfoSchema, { record: z.unknown() });
export type RefusedRecordDetail = z.infer<typeof RefusedRecordDetailSchema>;

/** `POST /sites/:site/refused-records/:key/accept`: the record is now stored (or already was). */
export const AcceptRefusedResponseSchema = z.strictObject({
  key: z.string(),
  recordId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
});
export type AcceptRefusedResponse = z.infer<typeof AcceptRefusedResponseSchema>;
