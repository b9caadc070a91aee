// Quality figures for the records stored before the server kept them: counted from each stored
// body with its questionnaire version, in the background once the server is up, so that an upgraded
// site's dashboard weighs all of an interviewer's work, not only what came after the upgrade.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod/mini';
import { AnswerWireSchema } from '../core/protocol/index.ts';
import type { Questionnaire } from '../core/questionnaire/index.ts';
import { recordFigures } from '../core/record/quality.ts';
import type { FigurelessRecord, RecordFiguresUpdate, ServerStore } from './store/types.ts';

/** Records read, counted and written per transaction. */
export const FIGURES_BACKFILL_PAGE = 500;

/** Records counted between two turns of the event loop. */
const COUNTED_PER_TURN = 100;

/** What the figures are counted from: a stored body's answers (the rest may be of any age). */
const StoredAnswersSchema = z.object({ answers: z.record(z.string(), AnswerWireSchema) });

export interface FiguresBackfillOptions {
  readonly store: ServerStore;
  /** A published version loaded for checking records (the app's cache), or undefined. */
  readonly questionnaire: (id: string, version: string) => Promise<Questionnaire | undefined>;
  readonly log: FastifyBaseLogger;
  /** Aborted: the backfill stops before its next page. */
  readonly signal: AbortSignal;
  readonly pageSize?: number;
}

/** What a backfill came to. */
export interface FiguresBackfillResult {
  /** Records read without figures. */
  readonly read: number;
  /** Records given their figures. */
  readonly filled: number;
  /** Records left without: their version does not load, or their body does not read. */
  readonly left: number;
  /** Whether it stopped before the end (the server closing). */
  readonly stopped: boolean;
}

/** The answers of a stored body, or undefined when it does not read as a record's. */
function answersOf(body: string): z.infer<typeof StoredAnswersSchema> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const checked = StoredAnswersSchema.safeParse(parsed);
  return checked.success ? checked.data : undefined;
}

/**
 * Gives every record stored without quality figures the figures an upload gives it
 * (`recordFigures` of its answers, with its version), a page at a time in `id` order, each page
 * written in one transaction that leaves alone a record filled meanwhile: run twice, or by two
 * servers at once, it counts each record once. A record whose version does not load or whose body
 * does not read keeps no figures and is logged once. Logs each page and the end.
 */
export async function backfillFigures(
  options: FiguresBackfillOptions,
): Promise<FiguresBackfillResult> {
  const { store, log, signal } = options;
  const pageSize = options.pageSize ?? FIGURES_BACKFILL_PAGE;
  /** Each version met, loaded once (null: it does not load, and was logged). */
  const versions = new Map<string, Questionnaire | null>();
  const versionOf = async (record: FigurelessRecord): Promise<Questionnaire | null> => {
    const key = `${record.questionnaireId}@${record.questionnaireVersion}`;
    let q = versions.get(key);
    if (q === undefined) {
      let problem: unknown;
      try {
        q =
          (await options.questionnaire(record.questionnaireId, record.questionnaireVersion)) ??
          null;
      } catch (error) {
        // A published definition that no longer parses as JSON: like one that no longer loads.
        problem = error;
        q = null;
      }
      versions.set(key, q);
      if (q === null)
        log.warn(
          {
            event: 'figures_backfill_version',
            questionnaire: record.questionnaireId,
            version: record.questionnaireVersion,
            firstRecord: record.id,
            ...(problem === undefined ? {} : { err: problem }),
          },
          `quality figures backfill: ${key} is not published or does not load, its records keep no figures`,
        );
    }
    return q;
  };

  let read = 0;
  let filled = 0;
  let left = 0;
  let page = 0;
  let stopped = false;
  let after: string | null = null;
  // A turn of the event loop before each page: the server answers between pages (on SQLite every
  // statement runs on this thread), and the backfill never delays the server's start.
  for (;;) {
    await nextTurn();
    if (signal.aborted) {
      stopped = true;
      break;
    }
    const records = await store.recordsWithoutFigures(after, pageSize);
    if (records.length === 0) break;
    const updates: RecordFiguresUpdate[] = [];
    for (const [i, record] of records.entries()) {
      // A page of SMPG records is tens of milliseconds of counting: the server answers between.
      if (i > 0 && i % COUNTED_PER_TURN === 0) await nextTurn();
      const q = await versionOf(record);
      const stored = q === null ? undefined : answersOf(record.body);
      if (q === null) {
        left += 1;
      } else if (stored === undefined) {
        left += 1;
        log.warn(
          { event: 'figures_backfill_body', record: record.id },
          `quality figures backfill: the stored body of ${record.id} does not read as a record, it keeps no figures`,
        );
      } else {
        updates.push({ id: record.id, figures: recordFigures(q, stored) });
      }
    }
    // Closing while the page was counted: nothing written, the next start does it again.
    if (signal.aborted) {
      stopped = true;
      break;
    }
    filled += await store.setRecordFigures(updates);
    read += records.length;
    page += 1;
    after = records[records.length - 1]?.id ?? null;
    log.info(
      { event: 'figures_backfill_page', page, read, filled, left },
      `quality figures backfill: page ${page}, ${filled} records given their figures so far`,
    );
    if (records.length < pageSize) break;
  }
  const result = { read, filled, left, stopped };
  // A server whose records all have their figures (or that closed before a page) says nothing.
  if (read > 0)
    log.info(
      { event: 'figures_backfill_end', ...result },
      result.stopped
        ? `quality figures backfill stopped (server closing), ${filled} records given their figures; the next start goes on`
        : `quality figures backfill done: ${filled} records given their figures, ${left} left without`,
    );
  return result;
}

/**
 * Runs `backfillFigures` once the app is ready, without holding its start or any request, and
 * stops it when the app closes: `close()` waits for the page being written, so no transaction is
 * left open when the store is closed after it.
 */
export function registerFiguresBackfill(
  app: FastifyInstance,
  options: Omit<FiguresBackfillOptions, 'log' | 'signal'>,
): void {
  const controller = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    running = backfillFigures({ ...options, log: app.log, signal: controller.signal }).catch(
      (error: unknown) => {
        app.log.error(
          { event: 'figures_backfill_failed', err: error },
          'quality figures backfill failed; the next start tries again',
        );
      },
    );
  });
  app.addHook('onClose', async () => {
    controller.abort();
    await running;
  });
}
