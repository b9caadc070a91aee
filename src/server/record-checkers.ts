// Worker threads that check uploaded records (figure 7 of the benchmark: checking a record, its
// answers replayed through the questionnaire's logic, costs far more than storing it). Each batch
// goes to every worker as the request's JSON text (a string is cheap to pass between threads;
// parsed objects are not), and each worker parses it and checks its share of the records; the main
// thread puts the verdicts back in order and stores the rows. A worker that fails fails the
// batches under way (a 500: the tablet sends them again) and is replaced.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DefinitionRow, Verdict } from './admit.ts';
import { BadBatch } from './admit.ts';

interface UploaderInfo {
  readonly site: string;
  readonly deviceId: string;
  readonly receivedAt: string;
}

export type CheckerRequest =
  | {
      readonly kind: 'check';
      readonly job: number;
      readonly text: string;
      readonly share: number;
      readonly shares: number;
      readonly uploader: UploaderInfo;
    }
  | { readonly kind: 'definition'; readonly ask: number; readonly row: DefinitionRow | null };

export type CheckerReply =
  | {
      readonly kind: 'done';
      readonly job: number;
      readonly from: number;
      readonly pending: number | null;
      readonly verdicts: readonly Verdict[];
    }
  | { readonly kind: 'bad'; readonly job: number; readonly message: string }
  | { readonly kind: 'failed'; readonly job: number; readonly message: string }
  | {
      readonly kind: 'definition';
      readonly ask: number;
      readonly id: string;
      readonly version: string;
    };

interface Job {
  readonly parts: (Extract<CheckerReply, { kind: 'done' }> | undefined)[];
  readonly resolve: (result: { verdicts: Verdict[]; pending: number | null }) => void;
  readonly reject: (error: Error) => void;
  bad?: string;
  answered: number;
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
    else job.parts[job.parts.findIndex((part) => part === undefined)] = reply;
    job.answered += 1;
    if (job.answered < this.workers.length) return;
    this.jobs.delete(reply.job);
    if (job.bad !== undefined) {
      job.reject(new BadBatch(job.bad));
      return;
    }
    const parts = (job.parts as Extract<CheckerReply, { kind: 'done' }>[]).sort(
      (a, b) => a.from - b.from,
    );
    job.resolve({
      verdicts: parts.flatMap((part) => part.verdicts),
      pending: parts[0]?.pending ?? null,
    });
  }

  /**
   * Checks the records of an upload's body, given as its JSON text: every record's verdict in
   * order, and the body's `pending` count. Throws `BadBatch` for a body the route must refuse.
   */
  check(
    text: string,
    uploader: UploaderInfo,
  ): Promise<{ verdicts: Verdict[]; pending: number | null }> {
    return new Promise((resolve, reject) => {
      const job = this.nextJob++;
      this.jobs.set(job, {
        parts: this.workers.map(() => undefined),
        resolve,
        reject,
        answered: 0,
      });
      this.workers.forEach((running, share) => {
        const worker = running ?? (this.workers[share] = this.spawn(share));
        const request: CheckerRequest = {
          kind: 'check',
          job,
          text,
          share,
          shares: this.workers.length,
          uploader,
        };
        worker.postMessage(request);
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
