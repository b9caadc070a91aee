// Request bodies sent compressed (`Content-Encoding: gzip`: the tablets gzip their uploads for
// slow links), inflated before any parser reads them, and never past the route's body limit.
import type { Readable, TransformCallback } from 'node:stream';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './routes/context.ts';

/** Whether the request carries a body at all (a GET with a stray header is left alone). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && Number(length) > 0)
  );
}

function tooLarge(limit: number, what: string): HttpError {
  return new HttpError(413, 'too_large', `the request body ${what} the ${limit} bytes allowed`, {
    limit,
  });
}

/** Counts the bytes that pass, and fails once more than `limit` have come. */
class Counter extends Transform {
  bytes = 0;
  /**
   * On the inflated stream: the compressed bytes received, which Fastify reads on the stream a
   * `preParsing` hook returns to hold them to the limit and to `Content-Length`.
   */
  receivedEncodedLength = 0;

  constructor(
    private readonly limit: number,
    private readonly what: string,
    private readonly onBytes: (bytes: number) => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes(this.bytes);
    if (this.bytes > this.limit) done(tooLarge(this.limit, this.what));
    else done(null, chunk);
  }
}

/**
 * The body inflated, as a stream that fails with a 413 once more than `limit` bytes come out (or
 * go in) and a 400 if the gzip data is broken. Inflation stops there: the inflater is destroyed
 * as soon as the limit is passed, so a small bomb (1 KB that would inflate to gigabytes) costs at
 * most the limit and one zlib chunk (16 KiB) of work. The request's own stream is never destroyed,
 * so the refusal can still be answered; what is left of the body is read and dropped, as Fastify
 * does for a body over its limit.
 */
function inflated(source: Readable, limit: number): Readable {
  const gunzip = createGunzip();
  const output = new Counter(limit, 'inflates past');
  const input = new Counter(limit, 'is past', (bytes) => {
    output.receivedEncodedLength = bytes;
  });
  let stopped = false;
  const stop = (error: Error) => {
    if (stopped) return;
    stopped = true;
    source.unpipe(input);
    source.resume();
    input.destroy();
    gunzip.destroy();
    output.destroy(error);
  };
  source.on('error', stop);
  input.on('error', stop);
  output.on('error', stop);
  gunzip.on('error', (error: Error & { code?: string }) =>
    stop(
      new HttpError(
        400,
        'bad_encoding',
        `the request body is not valid gzip data (${error.code ?? error.message})`,
      ),
    ),
  );
  source.pipe(input).pipe(gunzip).pipe(output);
  return output;
}

/**
 * Accepts `Content-Encoding: gzip` (and `identity`) on every route; any other coding is refused
 * 415 `unsupported_encoding`. The route's body limit applies twice: Fastify holds the bytes
 * received to it, and the inflated body is held to it here.
 */
export function registerRequestDecoding(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const header = request.headers['content-encoding'];
    if (header === undefined || !hasBody(request)) return payload;
    const coding = header.trim().toLowerCase();
    if (coding === '' || coding === 'identity') return payload;
    if (coding !== 'gzip' && coding !== 'x-gzip') {
      throw new HttpError(
        415,
        'unsupported_encoding',
        `request bodies may be sent as gzip or identity, not ${header}`,
        { encodings: ['gzip', 'identity'] },
      );
    }
    return inflated(payload, request.routeOptions.bodyLimit);
  });
}
