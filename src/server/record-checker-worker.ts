// A worker thread of `RecordCheckers` (record-checkers.ts): it parses an upload's JSON text (or its
// slices of it), checks its share of the records with the very code the main thread would run
// (admit.ts), and sends back the verdicts. Questionnaire versions come from the main thread, which
// reads the store, and are kept loaded here.
import { parentPort } from 'node:worker_threads';
import type { Questionnaire } from '../core/questionnaire/index.ts';
import type { DefinitionRow } from './admit.ts';
import { admitRecords, BadBatch, idOf, loadPublished, readBatch } from './admit.ts';
import type { CheckerReply, CheckerRequest } from './record-checkers.ts';

const port = parentPort;
if (port === null) throw new Error('record-checker-worker runs in a worker thread');

// As Fastify's JSON parser reads a body: invalid bytes become U+FFFD, and a leading byte order mark
// is dropped (secure-json-parse strips it), so a body gets the same answer on either thread. A
// slice keeps a mark it starts with: it is not the body's start, where JSON.parse refuses one.
const utf8 = new TextDecoder('utf-8');
const utf8Slice = new TextDecoder('utf-8', { ignoreBOM: true });
const loaded = new Map<string, Promise<Questionnaire | undefined>>();
const asked = new Map<number, (row: DefinitionRow | null) => void>();
let nextAsk = 0;

function send(reply: CheckerReply): void {
  port?.postMessage(reply);
}

function questionnaire(id: string, version: string): Promise<Questionnaire | undefined> {
  const key = `${id}@${version}`;
  let found = loaded.get(key);
  if (found === undefined) {
    found = new Promise<DefinitionRow | null>((resolve) => {
      const ask = nextAsk++;
      asked.set(ask, resolve);
      send({ kind: 'definition', ask, id, version });
    }).then((row) => {
      // A version unknown now may be published later: it is asked for again then.
      if (row === null) {
        loaded.delete(key);
        return undefined;
      }
      return loadPublished(row);
    });
    loaded.set(key, found);
  }
  return found;
}

/**
 * A worker's slices of a batch: every one parsed and counted first (the main thread stores
 * nothing before it knows that the cuts were between records and how many there are), then each
 * checked and sent back in turn, so that the main thread stores it while the next is checked.
 */
async function checkSlices(request: Extract<CheckerRequest, { kind: 'slices' }>): Promise<void> {
  const { job, share, shares, uploader } = request;
  const slices: unknown[][] = [];
  for (const [start, end] of request.bounds) {
    let records: unknown;
    try {
      records = JSON.parse(`[${utf8Slice.decode(request.bytes.subarray(start, end))}]`) as unknown;
    } catch {
      records = undefined;
    }
    if (!Array.isArray(records)) return send({ kind: 'unsplit', job });
    slices.push(records);
  }
  send({ kind: 'counted', job, share, counts: slices.map((records) => records.length) });
  for (const [i, records] of slices.entries()) {
    const verdicts = await admitRecords(records, 0, records.length, { ...uploader, questionnaire });
    // Only a refused record can be without an id (one without is refused by its shape).
    const unnamed: number[] = [];
    verdicts.forEach((verdict, index) => {
      if ('rejected' in verdict && idOf(records[index]) === undefined) unnamed.push(index);
    });
    send({ kind: 'part', job, slice: share + i * shares, verdicts, unnamed });
  }
}

async function check(request: Extract<CheckerRequest, { kind: 'check' }>): Promise<void> {
  send(await checkShare(request));
}

async function checkShare(
  request: Extract<CheckerRequest, { kind: 'check' }>,
): Promise<CheckerReply> {
  const { job, share, shares, uploader } = request;
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(request.bytes)) as unknown;
  } catch {
    return { kind: 'bad', job, message: 'body: not valid JSON' };
  }
  try {
    const { records, pending } = readBatch(body);
    const from = Math.floor((records.length * share) / shares);
    const to = Math.floor((records.length * (share + 1)) / shares);
    const verdicts = await admitRecords(records, from, to, { ...uploader, questionnaire });
    return { kind: 'done', job, share, pending, verdicts };
  } catch (error) {
    if (error instanceof BadBatch) return { kind: 'bad', job, message: error.message };
    throw error;
  }
}

port.on('message', (request: CheckerRequest) => {
  if (request.kind === 'definition') {
    asked.get(request.ask)?.(request.row);
    asked.delete(request.ask);
    return;
  }
  (request.kind === 'slices' ? checkSlices(request) : check(request)).catch((error: unknown) => {
    send({
      kind: 'failed',
      job: request.job,
      message: error instanceof Error ? error.message : String(error),
    });
  });
});
