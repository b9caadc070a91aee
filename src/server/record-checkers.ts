// Worker threads that check uploaded records (checking a record, its answers replayed through the
// questionnaire's logic, costs far more than storing it). A batch goes to the workers as the
// request's bytes (cheap to pass between threads; parsed objects are not): cut between records
// into slices when the body has the shape tablets send (`splitBatch`), dealt out to the workers in
// turn, so that each worker decodes and parses only its own; else whole to every worker, which
// parses it all and checks its share. Every slice parsed, the main thread stores each run of
// checked records as soon as the runs before it are stored, while the workers check the next
// slices: storing overlaps checking. A worker that fails fails the batches under way (a 500: the
// tablet sends them again, and what was stored already comes back as duplicates) and is replaced.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MAX_BATCH_RECORDS } from '../core/protocol/index.ts';
import type { DefinitionRow, UploaderInfo, Verdict } from './admit.ts';
import { BadBatch, BATCH_SIZE_PROBLEM } from './admit.ts';

/** A batch's slices did not all parse: it is sent again whole. */
class Unsplit extends Error {}

export type CheckerRequest =
  | {
      readonly kind: 'check';
      readonly job: number;
      /** The whole body, UTF-8. */
      readonly bytes: Uint8Array;
      readonly share: number;
      readonly shares: number;
      readonly uploader: UploaderInfo;
    }
  | {
      readonly kind: 'slices';
      readonly job: number;
      /**
       * This worker's slices of the batch, cut out by `splitBatch` and put end to end: UTF-8 of
       * JSON values and commas. Slice `share + i * shares` of the batch is at `bounds[i]`.
       */
      readonly bytes: Uint8Array;
      readonly bounds: readonly (readonly [start: number, end: number])[];
      readonly share: number;
      readonly shares: number;
      readonly uploader: UploaderInfo;
    }
  | { readonly kind: 'definition'; readonly ask: number; readonly row: DefinitionRow | null };

export type CheckerReply =
  /** A whole body's share checked. */
  | {
      readonly kind: 'done';
      readonly job: number;
      readonly share: number;
      readonly pending: number | null;
      readonly verdicts: readonly Verdict[];
    }
  /** Every slice of a worker parsed: how many records each holds, before any is checked. */
  | {
      readonly kind: 'counted';
      readonly job: number;
      readonly share: number;
      readonly counts: readonly number[];
    }
  /** One slice checked. */
  | {
      readonly kind: 'part';
      readonly job: number;
      /** The slice's place in the batch. */
      readonly slice: number;
      readonly verdicts: readonly Verdict[];
      /**
       * The indexes (within the slice) of the records refused without an id, named `#index`
       * after their place in the slice until the main thread knows their place in the batch.
       */
      readonly unnamed: readonly number[];
    }
  | { readonly kind: 'bad'; readonly job: number; readonly message: string }
  /** A slice that is not a JSON array: the cut was not between records; the batch goes whole. */
  | { readonly kind: 'unsplit'; readonly job: number }
  | { readonly kind: 'failed'; readonly job: number; readonly message: string }
  | {
      readonly kind: 'definition';
      readonly ask: number;
      readonly id: string;
      readonly version: string;
    };

/**
 * Stores a run of checked records, whose first is the batch's record `offset`; runs come in the
 * batch's order, one at a time, so the first occurrence of an id is stored first.
 */
export type SettleRun = (verdicts: readonly Verdict[], offset: number) => Promise<void>;

interface Part {
  readonly verdicts: readonly Verdict[];
  readonly unnamed: readonly number[];
}

interface Job {
  readonly settle: SettleRun;
  readonly resolve: (pending: number | null) => void;
  readonly reject: (error: Error) => void;
  /** The batch's slices (a whole body: one per worker, its share). */
  readonly slices: number;
  /** Records per slice, as the workers count them. */
  readonly counts: (number | undefined)[];
  /** Checked slices not stored yet, by slice. */
  readonly parts: Map<number, Part>;
  /** Workers that have counted their slices (or refused them). */
  answered: number;
  /** Each slice's first record in the batch, once every worker has counted. */
  offsets?: number[];
  /** The next slice to store, and whether a run is being stored. */
  next: number;
  settling: boolean;
  /** The batch's `pending` as `splitBatch` read it, or as the first share's worker did. */
  pending: number | null;
  bad?: string;
  unsplit?: boolean;
}

/** An upload body cut between records: each slice's byte range, and the body's `pending`. */
export interface SplitBatch {
  readonly slices: readonly (readonly [start: number, end: number])[];
  readonly pending: number | null;
}

// The body as tablets write it: `{"records":[` ... `],"pending":` digits `}` (or no `pending`),
// read in its first and last bytes. Whitespace is JSON's four characters only (RFC 8259), never
// `\s`, which also takes a vertical tab or a form feed that JSON.parse refuses: the same bytes
// must get the same answer whether the batch is cut or parsed whole.
const BATCH_HEAD = /^[ \t\n\r]*\{[ \t\n\r]*"records"[ \t\n\r]*:[ \t\n\r]*\[/;
const BATCH_TAIL =
  /\][ \t\n\r]*(?:,[ \t\n\r]*"pending"[ \t\n\r]*:[ \t\n\r]*(\d+)[ \t\n\r]*)?\}[ \t\n\r]*$/;
const ENDS = 64;

/**
 * Cuts an upload body (UTF-8) into `parts` slices of about the same size, each the values of a
 * JSON array of whole records, without decoding it: a cut goes before a `{"` that follows a comma,
 * near each share's start (ASCII bytes are never part of a longer UTF-8 character). It may land
 * inside a record; then `[slice]` does not parse as an array, the checker says so (`unsplit`) and
 * the batch goes whole. When every `[slice]` parses, their records are exactly the body's: `[A]`
 * and `[B]` being arrays, `[A,B]` is the array of A's values then B's, and the head and tail
 * around it are pinned by the patterns above. Undefined when the body has another shape (keys in
 * another order, `pending` not a count, a batch too small to cut).
 */
export function splitBatch(bytes: Buffer, parts: number): SplitBatch | undefined {
  const head = BATCH_HEAD.exec(bytes.toString('latin1', 0, ENDS));
  const end = Math.max(0, bytes.length - ENDS);
  const tail = BATCH_TAIL.exec(bytes.toString('latin1', end));
  if (head === null || tail === null) return undefined;
  const first = head[0].length;
  const last = end + tail.index;
  if (last <= first) return undefined;
  const slices: [number, number][] = [];
  let from = first;
  for (let part = 1; part < parts; part++) {
    const cut = bytes.indexOf(',{"', Math.max(from, first + ((last - first) * part) / parts));
    if (cut < 0 || cut >= last) return undefined;
    slices.push([from, cut]);
    from = cut + 1;
  }
  slices.push([from, last]);
  const digits = tail[1];
  const pending = digits === undefined ? null : Number(digits);
  return { slices, pending: Number.isSafeInteger(pending) ? pending : null };
}

/** The worker's script: compiled next to this module, or the TypeScript source run through tsx. */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Tests and `tsx` run the sources: the worker registers tsx's loader first (a worker's
    // execArgv cannot take `--import tsx`), found through tsx's own exports map, for ESM.
    const require = createRequire(here);
    const manifest = require.resolve('tsx/package.json');
    const { exports } = require(manifest) as {
      exports: { './esm/api': { import: { default: string } } };
    };
    const api = pathToFileURL(join(dirname(manifest), exports['./esm/api'].import.default)).href;
    const script = new URL('./record-checker-worker.ts', here).href;
    return new Worker(
      `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`,
      { eval: true },
    );
  }
  return new Worker(new URL('./record-checker-worker.mjs', here));
}

export class RecordCheckers {
  /** By slot; undefined after a failure, until the next batch starts a new one. */
  private readonly workers: (Worker | undefined)[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextJob = 0;
  private closing = false;

  /**
   * @param threads how many workers share each batch
   * @param definitionOf a published questionnaire version, from the store
   */
  constructor(
    readonly threads: number,
    private readonly definitionOf: (
      id: string,
      version: string,
    ) => Promise<DefinitionRow | undefined>,
  ) {
    for (let i = 0; i < threads; i++) this.workers.push(this.spawn(i));
  }

  private spawn(slot: number): Worker {
    const worker = startWorker();
    // The server's own handles keep the process alive; idle checkers must not.
    worker.unref();
    worker.on('message', (reply: CheckerReply) => this.receive(worker, reply));
    const fail = (why: string) => {
      if (this.closing || this.workers[slot] !== worker) return;
      // Replaced when the next batch comes (not at once: a worker that cannot start would loop).
      this.workers[slot] = undefined;
      for (const [id, job] of this.jobs) {
        this.jobs.delete(id);
        job.reject(new Error(`a record checker stopped (${why})`));
      }
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    return worker;
  }

  private receive(worker: Worker, reply: CheckerReply): void {
    if (reply.kind === 'definition') {
      this.definitionOf(reply.id, reply.version).then(
        (row) => {
          const request: CheckerRequest = {
            kind: 'definition',
            ask: reply.ask,
            row:
              row === undefined ? null : { definition: row.definition, labelPacks: row.labelPacks },
          };
          worker.postMessage(request);
        },
        () => worker.postMessage({ kind: 'definition', ask: reply.ask, row: null }),
      );
      return;
    }
    const job = this.jobs.get(reply.job);
    if (job === undefined) return;
    switch (reply.kind) {
      case 'failed':
        this.fail(reply.job, new Error(`checking records failed: ${reply.message}`));
        return;
      case 'part':
        job.parts.set(reply.slice, reply);
        break;
      case 'done':
        if (reply.share === 0) job.pending = reply.pending;
        job.counts[reply.share] = reply.verdicts.length;
        job.parts.set(reply.share, { verdicts: reply.verdicts, unnamed: [] });
        job.answered += 1;
        break;
      case 'counted':
        reply.counts.forEach((count, i) => {
          job.counts[reply.share + i * this.workers.length] = count;
        });
        job.answered += 1;
        break;
      case 'bad':
        job.bad ??= reply.message;
        job.answered += 1;
        break;
      case 'unsplit':
        job.unsplit = true;
        job.answered += 1;
        break;
    }
    if (job.offsets === undefined && job.answered === this.workers.length) {
      // Nothing is stored before every slice has parsed and the batch's size is known.
      if (job.unsplit === true) return this.fail(reply.job, new Unsplit());
      if (job.bad !== undefined) return this.fail(reply.job, new BadBatch(job.bad));
      const offsets: number[] = [];
      let total = 0;
      for (const count of job.counts) {
        offsets.push(total);
        total += count ?? 0;
      }
      // Slices are counted only here (a whole body, by readBatch in each worker as well).
      if (total > MAX_BATCH_RECORDS) return this.fail(reply.job, new BadBatch(BATCH_SIZE_PROBLEM));
      job.offsets = offsets;
    }
    this.store(reply.job, job);
  }

  /** Stores the checked slices that come next in the batch, as one run; ends the job after the last. */
  private store(id: number, job: Job): void {
    const { offsets } = job;
    if (offsets === undefined || job.settling) return;
    if (job.next === job.slices) {
      this.jobs.delete(id);
      job.resolve(job.pending);
      return;
    }
    const offset = offsets[job.next] ?? 0;
    const run: Verdict[] = [];
    for (let part = job.parts.get(job.next); part !== undefined; part = job.parts.get(job.next)) {
      job.parts.delete(job.next);
      const first = offsets[job.next] ?? 0;
      const unnamed = new Set(part.unnamed);
      part.verdicts.forEach((verdict, index) => {
        run.push(
          unnamed.has(index) && 'rejected' in verdict
            ? { ...verdict, rejected: { ...verdict.rejected, id: `#${first + index}` } }
            : verdict,
        );
      });
      job.next += 1;
    }
    // Nothing to store yet, or only empty slices: the next part's arrival calls again.
    if (run.length === 0) {
      if (job.next === job.slices) this.store(id, job);
      return;
    }
    job.settling = true;
    job.settle(run, offset).then(
      () => {
        job.settling = false;
        if (this.jobs.get(id) === job) this.store(id, job);
      },
      (error: unknown) => this.fail(id, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private fail(id: number, error: Error): void {
    const job = this.jobs.get(id);
    if (job === undefined) return;
    this.jobs.delete(id);
    job.reject(error);
  }

  /**
   * Checks the records of an upload's body, given as its bytes (UTF-8 JSON), and has `settle`
   * store them run by run, in the batch's order, while the rest are checked; resolves with the
   * body's `pending` count once every run is stored. Throws `BadBatch` for a body the route must
   * refuse, before anything is stored.
   */
  async check(bytes: Buffer, uploader: UploaderInfo, settle: SettleRun): Promise<number | null> {
    const workers = this.workers.length;
    // Up to four slices per worker, of 16 KiB at least (a few records): enough for the first
    // runs to be stored while the last are checked, few enough that each message and
    // transaction carries many records.
    const perWorker = Math.max(1, Math.min(4, Math.floor(bytes.length / (workers * 16_384))));
    const split = workers > 1 ? splitBatch(bytes, workers * perWorker) : undefined;
    if (split !== undefined) {
      try {
        return await this.run(bytes, uploader, settle, split);
      } catch (error) {
        if (!(error instanceof Unsplit)) throw error;
      }
    }
    return this.run(bytes, uploader, settle, undefined);
  }

  private run(
    bytes: Buffer,
    uploader: UploaderInfo,
    settle: SettleRun,
    split: SplitBatch | undefined,
  ): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const job = this.nextJob++;
      const shares = this.workers.length;
      const slices = split?.slices.length ?? shares;
      this.jobs.set(job, {
        settle,
        resolve,
        reject,
        slices,
        counts: new Array<number | undefined>(slices).fill(undefined),
        parts: new Map(),
        answered: 0,
        next: 0,
        settling: false,
        pending: split?.pending ?? null,
      });
      this.workers.forEach((running, share) => {
        const worker = running ?? (this.workers[share] = this.spawn(share));
        // A copy of its own for each thread, moved there: a view would take its whole buffer
        // (Buffer#slice makes a view, and small Buffers share a pool).
        let request: CheckerRequest;
        if (split === undefined) {
          request = { kind: 'check', job, bytes: new Uint8Array(bytes), share, shares, uploader };
        } else {
          const mine = split.slices.filter((_, slice) => slice % shares === share);
          const own = new Uint8Array(mine.reduce((sum, [start, end]) => sum + end - start, 0));
          const bounds: [number, number][] = [];
          for (const [start, end] of mine) {
            const at = bounds.at(-1)?.[1] ?? 0;
            own.set(bytes.subarray(start, end), at);
            bounds.push([at, at + end - start]);
          }
          request = { kind: 'slices', job, bytes: own, bounds, share, shares, uploader };
        }
        worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const [id, job] of this.jobs) {
      this.jobs.delete(id);
      job.reject(new Error('the server is closing'));
    }
    await Promise.all(this.workers.map((worker) => worker?.terminate()));
  }
}
