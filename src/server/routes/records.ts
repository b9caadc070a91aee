// The tablets' uploads (`POST /records`): each record checked (in the checker threads, or here),
// stored or refused with its reason, and the refused kept apart for the site's coordinator. A
// backup file's import (backups.ts) goes through the same steps, `checkAndSettle`.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../core/protocol/index.ts';
import type { UploadResult } from '../../core/protocol/index.ts';
import type { UploaderInfo, Verdict } from '../admit.ts';
import { admitRecords, BadBatch, readBatch } from '../admit.ts';
import type { RecordCheckers } from '../record-checkers.ts';
import type { RefusedRecord, ServerStore, StoredRecord } from '../store/types.ts';
import type { RouteContext } from './context.ts';
import { HttpError } from './context.ts';
import { sitePackRevisions } from './label-packs.ts';
import { refusedRecord } from './refused.ts';

/** An upload's body kept as bytes, for the record checkers to decode and parse in their threads. */
export class RawBatch {
  constructor(readonly bytes: Buffer) {}
}

export interface RecordOptions {
  /** The checker threads; undefined when records are checked on the main thread. */
  readonly checkers: RecordCheckers | undefined;
  /** Uploads allowed per device per minute. */
  readonly uploadsPerMinute: number;
}

/** A batch settled: each record's result, in order, and the `pending` count the body said. */
export interface SettledBatch {
  readonly results: readonly UploadResult[];
  readonly pending: number | null;
}

/**
 * Checks a batch's records (`{ records, pending? }`, parsed or as bytes), each to a verdict, and
 * settles them (`settleBatch`): in the checker threads when there are some and the body came as
 * bytes, the first records stored while the last are checked; else here, all checked then
 * stored. A batch refused as a whole is a 400, with nothing stored. The upload route and a
 * backup's import (backups.ts) both go through it.
 */
export async function checkAndSettle(
  store: ServerStore,
  log: FastifyBaseLogger,
  body: unknown,
  info: UploaderInfo,
  checkers: RecordCheckers | undefined,
  questionnaire: RouteContext['questionnaire'],
): Promise<SettledBatch> {
  try {
    if (body instanceof RawBatch && checkers !== undefined) {
      const results: UploadResult[] = [];
      const pending = await checkers.check(body.bytes, info, async (verdicts, offset) => {
        results.push(...(await settleBatch(store, log, info, verdicts, offset)));
      });
      return { results, pending };
    }
    const { records, pending } = readBatch(body);
    const verdicts = await admitRecords(records, 0, records.length, { ...info, questionnaire });
    return { results: await settleBatch(store, log, info, verdicts, 0), pending };
  } catch (error) {
    if (error instanceof BadBatch) throw new HttpError(400, 'bad_request', error.message);
    throw error;
  }
}

/**
 * Stores what the verdicts admit and keeps apart what they refuse, with its reason (refused is not
 * lost), before the sender hears of it: the result of each record, in order (the first being the
 * batch's record `offset`). A record stored already with the same content is a duplicate, with
 * other content a conflict (kept apart too).
 */
async function settleBatch(
  store: ServerStore,
  log: FastifyBaseLogger,
  from: Pick<UploaderInfo, 'site' | 'deviceId' | 'receivedAt'>,
  verdicts: readonly Verdict[],
  offset: number,
): Promise<UploadResult[]> {
  const { site, deviceId, receivedAt } = from;
  const results: (UploadResult | undefined)[] = [];
  const toStore: { index: number; row: StoredRecord }[] = [];
  const refusals: RefusedRecord[] = [];
  const refuse = (reason: string, sent: string) =>
    refusals.push(refusedRecord({ site, deviceId, receivedAt, reason, sent }));
  verdicts.forEach((verdict, index) => {
    if ('rejected' in verdict) {
      results.push(verdict.rejected);
      refuse(verdict.rejected.reason ?? 'refused', verdict.sent);
      return;
    }
    results.push(undefined);
    toStore.push({ index, row: verdict.row });
  });
  const outcomes =
    toStore.length === 0 ? [] : await store.putRecords(toStore.map((entry) => entry.row));
  toStore.forEach((entry, i) => {
    const outcome = outcomes[i] ?? 'conflict';
    const reason = 'another record with this id is already stored, with other content';
    if (outcome === 'conflict') refuse(`conflict: ${reason}`, entry.row.body);
    results[entry.index] = {
      id: entry.row.id,
      status: outcome,
      ...(outcome === 'conflict' ? { reason } : {}),
    };
  });
  if (refusals.length > 0) {
    await store.putRefused(refusals);
    log.warn(
      {
        event: 'records_refused',
        site,
        device: deviceId,
        count: refusals.length,
        reasons: refusals.slice(0, 3).map((refusal) => refusal.reason.slice(0, 200)),
      },
      'records refused',
    );
  }
  return results.map(
    (result, index) =>
      result ?? { id: `#${offset + index}`, status: 'rejected' as const, reason: 'not processed' },
  );
}

export function registerRecordRoutes(
  app: FastifyInstance,
  { store, now, iso, caller, siteOf, validPlan, questionnaire }: RouteContext,
  { checkers, uploadsPerMinute }: RecordOptions,
): void {
  const uploads = new Map<string, { windowStart: number; count: number }>();

  app.post(`${API_PREFIX}/records`, async (request) => {
    const who = await caller(request);
    if (who.kind !== 'device')
      throw new HttpError(403, 'forbidden', 'only an enrolled tablet uploads records');
    const { device } = who;
    const minute = Math.floor(now().getTime() / 60_000);
    const used = uploads.get(device.id);
    const count = used !== undefined && used.windowStart === minute ? used.count + 1 : 1;
    uploads.set(device.id, { windowStart: minute, count });
    if (count > uploadsPerMinute)
      throw new HttpError(
        429,
        'rate_limited',
        `more than ${uploadsPerMinute} uploads in a minute: wait and retry`,
      );
    const receivedAt = iso();
    // The site and the device are the token's; the plan and the pick-up points the site's now.
    const site = await siteOf(device.site);
    const info: UploaderInfo = {
      site: device.site,
      deviceId: device.id,
      receivedAt,
      plan: validPlan(site),
      pickupPoints: site.pickupPoints,
      sitePacks: await sitePackRevisions(store, device.site),
    };
    const { results, pending } = await checkAndSettle(
      store,
      request.log,
      request.body,
      info,
      checkers,
      questionnaire,
    );
    await store.touchDevice(device.id, receivedAt, pending);
    return { results };
  });
}
