// Refused is not lost: a record the upload route refuses (invalid, or an id already stored with
// other content) is kept apart with its reason, listed for the site's coordinators, and can be
// accepted once the cause is understood (stored with what the server computes) or dismissed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { RefusedRecordDetail, RefusedRecordInfo } from '../../core/protocol/index.ts';
import {
  API_PREFIX,
  INTERVIEWER_CODE,
  InterviewRecordSchema,
  UUID,
} from '../../core/protocol/index.ts';
import { reviewRecord } from '../../core/record/index.ts';
import { recordFigures } from '../../core/record/quality.ts';
import { reviewedRow, sitePackKey } from '../admit.ts';
import { sha256 } from '../auth.ts';
import type { RefusedRecord, RefusedRecordSummary } from '../store/types.ts';
import type { Role, RouteContext } from './context.ts';
import { HttpError } from './context.ts';
import { sitePackRevisions } from './label-packs.ts';

/** What the upload route knows of a refused record. */
export interface Refusal {
  readonly site: string;
  readonly deviceId: string;
  readonly receivedAt: string;
  readonly reason: string;
  /** The record as sent (JSON), or as the server made it for a conflict. */
  readonly sent: string;
}

function field(record: unknown, name: string, pattern: RegExp): string | null {
  if (typeof record !== 'object' || record === null || !(name in record)) return null;
  const value: unknown = (record as Record<string, unknown>)[name];
  return typeof value === 'string' && pattern.test(value) ? value : null;
}

/** The row that keeps a refusal: its id and interviewer read from the body when they look right. */
export function refusedRecord(refusal: Refusal): RefusedRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(refusal.sent) as unknown;
  } catch {
    parsed = undefined;
  }
  return {
    key: randomUUID(),
    site: refusal.site,
    deviceId: refusal.deviceId,
    recordId: field(parsed, 'id', UUID),
    interviewer: field(parsed, 'interviewer', INTERVIEWER_CODE),
    reason: refusal.reason.slice(0, 2000),
    body: refusal.sent,
    contentHash: sha256(refusal.sent),
    receivedAt: refusal.receivedAt,
    state: 'refused',
    resolvedAt: null,
    resolvedBy: null,
  };
}

/** Who decides what becomes of a refused record. */
const COORDINATORS: readonly Role[] = ['admin', 'coordinator'];
/** Who may read them: analysts too, who change nothing. */
const READERS: readonly Role[] = ['admin', 'coordinator', 'analyst'];

function info(summary: RefusedRecordSummary): RefusedRecordInfo {
  return {
    key: summary.key,
    recordId: summary.recordId,
    deviceId: summary.deviceId,
    interviewer: summary.interviewer,
    reason: summary.reason,
    receivedAt: summary.receivedAt,
    state: summary.state,
    resolvedAt: summary.resolvedAt,
    resolvedBy: summary.resolvedBy,
  };
}

export function registerRefusedRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, userWith, iso } = context;

  /** The refused record `key` of `site`, or a 404. */
  async function refusedOf(site: string, key: string): Promise<RefusedRecord> {
    const found = await store.getRefused(key);
    if (found === undefined || found.site !== site)
      throw new HttpError(404, 'not_found', `no refused record ${key} in site ${site}`, {
        what: 'refused_record',
        site,
      });
    return found;
  }

  app.get(
    `${API_PREFIX}/sites/:site/refused-records`,
    async (request): Promise<RefusedRecordInfo[]> => {
      const { site } = request.params as { site: string };
      await userWith(request, READERS, site);
      await context.siteOf(site);
      return (await store.listRefused(site)).map(info);
    },
  );

  app.get(
    `${API_PREFIX}/sites/:site/refused-records/:key`,
    async (request): Promise<RefusedRecordDetail> => {
      const { site, key } = request.params as { site: string; key: string };
      await userWith(request, READERS, site);
      const found = await refusedOf(site, key);
      let record: unknown;
      try {
        record = JSON.parse(found.body) as unknown;
      } catch {
        record = found.body;
      }
      return { ...info(found), record };
    },
  );

  app.post(`${API_PREFIX}/sites/:site/refused-records/:key/accept`, async (request) => {
    const { site: siteId, key } = request.params as { site: string; key: string };
    const user = await userWith(request, COORDINATORS, siteId);
    const found = await refusedOf(siteId, key);
    if (found.state !== 'refused')
      throw new HttpError(
        409,
        'resolved',
        `this record was already ${found.state} (${found.resolvedAt ?? ''})`,
        { state: found.state, ...(found.resolvedBy === null ? {} : { by: found.resolvedBy }) },
      );
    // What cannot be recomputed still refuses: a record of another shape, site or version, answers
    // the questionnaire does not take, dates that are not real.
    const still = (problem: string) =>
      new HttpError(409, 'still_refused', `the record still cannot be stored: ${problem}`, {
        problem,
      });
    let raw: unknown;
    try {
      raw = JSON.parse(found.body) as unknown;
    } catch {
      throw still('it is not JSON');
    }
    const parsed = InterviewRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw still(`${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    const record = parsed.data;
    if (record.site !== siteId) throw still(`it says site ${record.site}`);
    const packs = await sitePackRevisions(store, siteId);
    for (const [language, revision] of Object.entries(record.labelPacks ?? {})) {
      const key = sitePackKey(record.questionnaireId, record.questionnaireVersion, language);
      if (revision > (packs[key] ?? 0))
        throw still(`the site has no revision ${revision} of a ${language} pack of this version`);
    }
    const q = await context.questionnaire(record.questionnaireId, record.questionnaireVersion);
    if (q === undefined)
      throw still(`${record.questionnaireId} ${record.questionnaireVersion} is not published`);
    const site = await context.siteOf(siteId);
    const review = reviewRecord(
      q,
      record,
      {
        deviceId: found.deviceId,
        receivedAt: found.receivedAt,
        plan: context.validPlan(site),
        pickupPoints: site.pickupPoints,
      },
      { recompute: true },
    );
    if (!review.ok) throw still(review.problems.slice(0, 5).join('; '));
    const [outcome] = await store.putRecords([
      reviewedRow(review.record, iso(), recordFigures(q, review.record)),
    ]);
    if (outcome === 'conflict')
      throw new HttpError(
        409,
        'conflict',
        `another record with the id ${record.id} is already stored`,
        { record: record.id },
      );
    await store.resolveRefused(key, 'accepted', iso(), user.username);
    request.log.info(
      { event: 'refused_record_accepted', site: siteId, key, record: record.id, by: user.username },
      'refused record accepted',
    );
    return { key, recordId: record.id, status: outcome ?? 'accepted' };
  });

  app.post(`${API_PREFIX}/sites/:site/refused-records/:key/dismiss`, async (request, reply) => {
    const { site, key } = request.params as { site: string; key: string };
    const user = await userWith(request, COORDINATORS, site);
    const found = await refusedOf(site, key);
    if (!(await store.resolveRefused(key, 'dismissed', iso(), user.username)))
      throw new HttpError(409, 'resolved', `this record was already ${found.state}`, {
        state: found.state,
      });
    request.log.info(
      { event: 'refused_record_dismissed', site, key, by: user.username },
      'refused record dismissed',
    );
    return reply.status(204).send();
  });
}
