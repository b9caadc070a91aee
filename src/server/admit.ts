// What the upload route does to the records of a batch before storing them, in one place for the
// two ways the server runs it: on the main thread, or in worker threads (record-checkers.ts), which
// receive the batch's JSON text and check a share of its records each.
import { createHash } from 'node:crypto';
import type { AnswerWalk, InterviewRecordWire, UploadResult } from '../core/protocol/index.ts';
import {
  InterviewRecordSchema,
  isPlainInterviewRecord,
  MAX_BATCH_RECORDS,
} from '../core/protocol/index.ts';
import type { Questionnaire } from '../core/questionnaire/index.ts';
import { loadQuestionnaire } from '../core/questionnaire/index.ts';
import type { QuotaPlan } from '../core/quota/index.ts';
import type { ReviewedRecord } from '../core/record/index.ts';
import { reviewRecord } from '../core/record/index.ts';
import type { RecordFigures } from '../core/record/quality.ts';
import { recordProblem } from '../core/record/problems.ts';
import { recordFigures } from '../core/record/quality.ts';
import { canonicalJson } from './auth.ts';
import type { StoredRecord } from './store/types.ts';

/** An object's canonical JSON; one native JSON.stringify when its keys are already sorted. */
function canonicalMap(object: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++) {
    if (!((keys[i - 1] as string) < (keys[i] as string))) return canonicalJson(object);
  }
  return JSON.stringify(object);
}

/**
 * `canonicalJson(record)`, written out field by field in sorted order: a record's shape is known
 * (its answers and calculations are strings, numbers, flags, lists of codes or a non-response,
 * one key, which are canonical as they are), so only the keys of its three maps need sorting, and
 * tablets send them sorted. It runs for every uploaded record, where the generic walk would cost
 * as much again as the writing.
 */
export function canonicalRecordJson(record: ReviewedRecord): string {
  const parts = canonicalParts(record);
  return parts.head + parts.typed + parts.middle + parts.categories + parts.tail;
}

/**
 * `canonicalRecordJson` in pieces, so that the record's hash can leave out what the server
 * derives from the site at the time (its quota categories, the typed-in mark of its pick-up
 * point): a resend after the site's plan or points changed is still the same record.
 */
function canonicalParts(record: ReviewedRecord) {
  const text = (value: string) => JSON.stringify(value);
  return {
    head:
      (record.alertEvents === undefined
        ? '{'
        : `{"alertEvents":${canonicalJson(record.alertEvents)},`) +
      `"alerts":${JSON.stringify(record.alerts)}` +
      `,"answers":${canonicalMap(record.answers)}` +
      `,"appVersion":${text(record.appVersion)}` +
      (record.breakOff === undefined ? '' : `,"breakOff":${canonicalJson(record.breakOff)}`) +
      `,"computed":${canonicalMap(record.computed)}` +
      `,"deviceId":${text(record.deviceId)}` +
      `,"durationSeconds":${JSON.stringify(record.durationSeconds)}` +
      `,"endedAt":${text(record.endedAt)}` +
      `,"id":${text(record.id)}` +
      (record.incomeBands === undefined
        ? ''
        : `,"incomeBands":${canonicalJson(record.incomeBands)}`) +
      `,"interviewer":${text(record.interviewer)}` +
      (record.labelPacks === undefined ? '' : `,"labelPacks":${canonicalJson(record.labelPacks)}`) +
      `,"language":${text(record.language)}` +
      (record.paradata === undefined
        ? ''
        : // Its shape is known too (the schema's): seconds by item id, sorted as tablets send them.
          `,"paradata":{"itemSeconds":${canonicalMap(record.paradata.itemSeconds)}` +
          `,"languages":${JSON.stringify(record.paradata.languages)}}`) +
      (record.pickupPoint === undefined ? '' : `,"pickupPoint":${text(record.pickupPoint)}`),
    typed: record.pickupPointTyped === true ? `,"pickupPointTyped":true` : '',
    middle:
      `,"questionnaireId":${text(record.questionnaireId)}` +
      `,"questionnaireVersion":${text(record.questionnaireVersion)}`,
    categories: `,"quotaCategories":${canonicalMap(record.quotaCategories)}`,
    tail:
      (record.screenOutId === undefined ? '' : `,"screenOutId":${text(record.screenOutId)}`) +
      `,"site":${text(record.site)}` +
      `,"startedAt":${text(record.startedAt)}` +
      `,"status":${text(record.status)}}`,
  };
}

/**
 * A reviewed record as the store keeps it: the body the server made of it (its canonical JSON,
 * with what the server computed and the token's device), and a hash of that body without what
 * the server derives from the site (`canonicalParts`), so that a resend is a duplicate even when
 * the site's plan or pick-up points changed in between. One pass writes both.
 */
export function reviewedRow(
  reviewed: ReviewedRecord,
  receivedAt: string,
  figures: RecordFigures | null,
): StoredRecord {
  const parts = canonicalParts(reviewed);
  const body = parts.head + parts.typed + parts.middle + parts.categories + parts.tail;
  // Slices of the body (one string made once) rather than the parts, which are made of pieces.
  const typedAt = parts.head.length;
  const middleAt = typedAt + parts.typed.length;
  const categoriesAt = middleAt + parts.middle.length;
  const tailAt = categoriesAt + parts.categories.length;
  const hash = createHash('sha256')
    .update(body.slice(0, typedAt))
    .update(body.slice(middleAt, categoriesAt))
    .update(body.slice(tailAt));
  return {
    id: reviewed.id,
    site: reviewed.site,
    questionnaireId: reviewed.questionnaireId,
    questionnaireVersion: reviewed.questionnaireVersion,
    deviceId: reviewed.deviceId,
    interviewer: reviewed.interviewer,
    status: reviewed.status,
    screenOutId: reviewed.screenOutId ?? null,
    quotaCategories: parts.categories.slice(',"quotaCategories":'.length),
    startedAt: reviewed.startedAt,
    durationSeconds: reviewed.durationSeconds,
    contentHash: hash.digest('hex'),
    body,
    receivedAt,
    figures,
    alertEvents: reviewed.alertEvents?.length ?? 0,
  };
}

/**
 * A record stored as it is, from `deviceId` (tests and the benchmark's stores), with its quality
 * figures when its questionnaire version is given.
 */
export function toStoredRecord(
  record: InterviewRecordWire,
  deviceId: string,
  receivedAt: string,
  q?: Questionnaire,
): StoredRecord {
  return reviewedRow(
    { ...record, deviceId },
    receivedAt,
    q === undefined ? null : recordFigures(q, record),
  );
}

/** Who sent an upload (from its token) and what the server knows of their site. */
export interface UploaderInfo {
  readonly site: string;
  readonly deviceId: string;
  readonly receivedAt: string;
  /** The site's quota plan (checked), or null. */
  readonly plan: QuotaPlan | null;
  /** The site's pick-up points. */
  readonly pickupPoints: readonly string[];
  /**
   * The latest revision of each of the site's label packs, by `sitePackKey`: a record may name
   * revisions 1 to it. Absent: the record may name none.
   */
  readonly sitePacks?: Readonly<Record<string, number>>;
}

/** The key of a site pack in `UploaderInfo.sitePacks`. */
export function sitePackKey(questionnaireId: string, version: string, language: string): string {
  return JSON.stringify([questionnaireId, version, language]);
}

/** An uploader, and how the server finds a questionnaire version (cached). */
export interface Uploader extends UploaderInfo {
  questionnaire(id: string, version: string): Promise<Questionnaire | undefined>;
}

/** The id a raw record says it has, if it says one. */
export function idOf(raw: unknown): string | undefined {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string'
    ? raw.id
    : undefined;
}

/** A record refused, kept apart as sent (refused is not lost): its JSON goes with the verdict. */
function refusal(id: string, raw: unknown, reason: string): Verdict {
  return { rejected: { id, status: 'rejected', reason }, sent: JSON.stringify(raw) ?? 'null' };
}

/**
 * What the upload route does to each record before storing it: the record's shape (a fast path,
 * then the schema, which words the problem), its site, its questionnaire version, `checkRecord`,
 * then the row to store with its canonical JSON and hash. The benchmark times this very function.
 */
export async function admitRecord(
  raw: unknown,
  index: number,
  uploader: Uploader,
): Promise<Verdict> {
  const id = idOf(raw) ?? `#${index}`;
  const reject = (reason: string) => refusal(id, raw, reason);
  // The fast path takes the records tablets send; the schema decides (and words) the rest.
  const walk: AnswerWalk = { ids: [], values: [] };
  const fast = isPlainInterviewRecord(raw, walk);
  const parsed = fast
    ? ({ success: true, data: raw } as const)
    : InterviewRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = `${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? ''}`.trim();
    return reject(recordProblem('', 'invalid_record', { detail }).message);
  }
  const record: InterviewRecordWire = parsed.data;
  if (record.site !== uploader.site)
    return reject(
      recordProblem('', 'wrong_site', { site: uploader.site, recordSite: record.site }).message,
    );
  for (const language in record.labelPacks) {
    const key = sitePackKey(record.questionnaireId, record.questionnaireVersion, language);
    if ((record.labelPacks[language] ?? 0) > (uploader.sitePacks?.[key] ?? 0))
      return reject(
        recordProblem('labelPacks', 'unknown_label_pack', {
          language,
          revision: String(record.labelPacks[language] ?? 0),
        }).message,
      );
  }
  const q = await uploader.questionnaire(record.questionnaireId, record.questionnaireVersion);
  if (q === undefined)
    return reject(
      recordProblem('', 'unknown_version', {
        questionnaire: record.questionnaireId,
        version: record.questionnaireVersion,
      }).message,
    );
  const review = reviewRecord(q, record, uploader, fast ? { walk } : {});
  if (!review.ok) return reject(review.problems.slice(0, 5).join('; '));
  return {
    row: reviewedRow(review.record, uploader.receivedAt, review.figures),
  };
}

/** A published questionnaire version as stored: its definition and label packs, as JSON text. */
export interface DefinitionRow {
  readonly definition: string;
  readonly labelPacks: string;
}

/** A published version loaded for checking records, or undefined if it no longer loads. */
export function loadPublished(row: DefinitionRow): Questionnaire | undefined {
  const result = loadQuestionnaire(JSON.parse(row.definition) as unknown, {
    labelPacks: JSON.parse(row.labelPacks) as { source: string; pack: unknown }[],
  });
  return result.status === 'failure' ? undefined : result.questionnaire;
}

/** What the upload route decides for one record. */
export type Verdict =
  | { readonly row: StoredRecord }
  | { readonly rejected: UploadResult; /** The record as sent, JSON. */ readonly sent: string };

/** A batch the route refuses as a whole (a 400), with what is wrong. */
export class BadBatch extends Error {}

export const BATCH_SIZE_PROBLEM = `records: send between 1 and ${MAX_BATCH_RECORDS} records`;

/** The records and the `pending` count of an upload's body; throws `BadBatch`. */
export function readBatch(body: unknown): {
  readonly records: readonly unknown[];
  readonly pending: number | null;
} {
  const batch = body as { records?: unknown; pending?: unknown } | null;
  if (batch === null || typeof batch !== 'object' || !Array.isArray(batch.records)) {
    throw new BadBatch('body: expected { "records": [...] }');
  }
  if (batch.records.length === 0 || batch.records.length > MAX_BATCH_RECORDS) {
    throw new BadBatch(BATCH_SIZE_PROBLEM);
  }
  const { pending } = batch;
  return {
    records: batch.records as unknown[],
    pending:
      typeof pending === 'number' && Number.isInteger(pending) && pending >= 0 ? pending : null,
  };
}

/** The verdicts on `records[from..to)`, in order. */
export async function admitRecords(
  records: readonly unknown[],
  from: number,
  to: number,
  uploader: Uploader,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (let index = from; index < to; index++) {
    verdicts.push(await admitRecord(records[index], index, uploader));
  }
  return verdicts;
}
