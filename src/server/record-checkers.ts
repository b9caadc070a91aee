// Worker threads that check uploaded records (checking a record, its answers replayed through the
// questionnaire's logic, costs far more than storing it). A batch goes to the workers as the
// request's bytes (cheap to pass between threads; parsed objects are not): cut between records
// into one slice per worker when the body has the shape tablets send (`splitBatch`), so that each
// worker decodes and parses only its share, else whole to every worker, which parses it all and
// checks its share. The main thread puts the verdicts back in order and stores the rows. A worker
// that fails fails the batches under way (a 500: the tablet sends them again) and is replaced.
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
      readonly kind: 'slice';
      readonly job: number;
      /** Some of the batch's records, cut out by `splitBatch`: UTF-8 of JSON values and commas. */
      readonly bytes: Uint8Array;
      readonly share: number;
      readonly uploader: UploaderInfo;
    }
  | { readonly kind: 'definition'; readonly ask: number; readonly row: DefinitionRow | null };

export type CheckerReply =
  | {
      readonly kind: 'done';
      readonly job: number;
      /** The share checked: the order of the parts. */
      readonly share: number;
      readonly pending: number | null;
      readonly verdicts: readonly Verdict[];
      /**
       * For a slice: the indexes (within it) of the records refused without an id, named `#index`
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

interface Job {
  readonly parts: (Extract<CheckerReply, { kind: 'done' }> | undefined)[];
  /** The batch's `pending` as `splitBatch` read it (null when sent whole: the workers read it). */
  readonly pending: number | null;
  readonly resolve: (result: { verdicts: Verdict[]; pending: number | null }) => void;
  readonly reject: (error: Error) => void;
  bad?: string;
  unsplit?: boolean;
  answered: number;
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
    if (reply.kind === 'failed') {
      this.jobs.delete(reply.job);
      job.reject(new Error(`checking records failed: ${reply.message}`));
      return;
    }
    if (reply.kind === 'bad') job.bad ??= reply.message;
    else if (reply.kind === 'unsplit') job.unsplit = true;
    else job.parts[reply.share] = reply;
    job.answered += 1;
    if (job.answered < job.parts.length) return;
    this.jobs.delete(reply.job);
    if (job.unsplit === true) {
      job.reject(new Unsplit());
      return;
    }
    if (job.bad !== undefined) {
      job.reject(new BadBatch(job.bad));
      return;
    }
    const verdicts: Verdict[] = [];
    for (const part of job.parts) {
      if (part === undefined) continue;
      const offset = verdicts.length;
      const unnamed = new Set(part.unnamed);
      part.verdicts.forEach((verdict, index) => {
        verdicts.push(
          unnamed.has(index) && 'rejected' in verdict
            ? { ...verdict, rejected: { ...verdict.rejected, id: `#${offset + index}` } }
            : verdict,
        );
      });
    }
    // Slices are counted only here (a whole body, by readBatch in each worker as well).
    if (verdicts.length > MAX_BATCH_RECORDS) {
      job.reject(new BadBatch(BATCH_SIZE_PROBLEM));
      return;
    }
    job.resolve({ verdicts, pending: job.pending ?? job.parts[0]?.pending ?? null });
  }

  /**
   * Checks the records of an upload's body, given as its bytes (UTF-8 JSON): every record's
   * verdict in order, and the body's `pending` count. Throws `BadBatch` for a body the route must refuse.
   */
  async check(
    bytes: Buffer,
    uploader: UploaderInfo,
  ): Promise<{ verdicts: Verdict[]; pending: number | null }> {
    const split = this.workers.length > 1 ? splitBatch(bytes, this.workers.length) : undefined;
    if (split !== undefined) {
      try {
        return await this.run(bytes, uploader, split);
      } catch (error) {
        if (!(error instanceof Unsplit)) throw error;
      }
    }
    return this.run(bytes, uploader, undefined);
  }

  private run(
    bytes: Buffer,
    uploader: UploaderInfo,
    split: SplitBatch | undefined,
  ): Promise<{ verdicts: Verdict[]; pending: number | null }> {
    return new Promise((resolve, reject) => {
      const job = this.nextJob++;
      this.jobs.set(job, {
        parts: this.workers.map(() => undefined),
        pending: split?.pending ?? null,
        resolve,
        reject,
        answered: 0,
      });
      this.workers.forEach((running, share) => {
        const worker = running ?? (this.workers[share] = this.spawn(share));
        // A copy of its own for each thread, moved there: a view would take its whole buffer
        // (Buffer#slice makes a view, and small Buffers share a pool).
        const range = split?.slices[share];
        const own = new Uint8Array(
          range === undefined ? bytes : bytes.subarray(range[0], range[1]),
        );
        const request: CheckerRequest =
          range === undefined
            ? { kind: 'check', job, bytes: own, share, shares: this.workers.length, uploader }
            : { kind: 'slice', job, bytes: own, share, uploader };
        worker.postMessage(request, [own.buffer]);
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
