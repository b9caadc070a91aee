// The app's fetch transport: uploads go gzipped where the browser has CompressionStream (Node has
// it too), plain where it has not or where the server refuses the coding; and a real sync through
// it lands in the real server in process, which inflates what it is sent.
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UploadRequest } from '../../../../src/core/protocol/index.ts';
import { apiClient } from '../../../../src/app/sync/api.ts';
import { fetchTransport, gzip } from '../../../../src/app/sync/fetch-transport.ts';
import { runSync } from '../../../../src/app/sync/sync-engine.ts';
import type { TestServer } from './fixture.ts';
import { SERVER_URL, addInterview, enrolledTablet, manualClock, startServer } from './fixture.ts';

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  /** The body's bytes as sent. */
  readonly bytes: Buffer;
}

function bytesOf(body: RequestInit['body']): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error('a body this test does not expect');
}

/** A fetch that records what it is sent and answers `answer` (the status, then a JSON body). */
function recordingFetch(answer: (sent: Sent) => [number, unknown]) {
  const sent: Sent[] = [];
  const send = (url: string, init: RequestInit) => {
    const request: Sent = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      bytes: bytesOf(init.body),
    };
    sent.push(request);
    const [status, body] = answer(request);
    return Promise.resolve(Response.json(body, { status }));
  };
  return { sent, send };
}

const UPLOAD: UploadRequest = {
  records: Array.from({ length: 3 }, (_, n) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    note: 'les mêmes réponses se répètent, '.repeat(40),
  })) as unknown as UploadRequest['records'],
  pending: 0,
};
const ACCEPTED = { results: UPLOAD.records.map(({ id }) => ({ id, status: 'accepted' })) };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the app transport', () => {
  it('sends an upload gzipped where CompressionStream exists, and the small requests plain', async () => {
    expect(typeof CompressionStream).toBe('function');
    const net = recordingFetch((request) =>
      request.url.endsWith('/records') ? [200, ACCEPTED] : [200, { token: 't', expiresAt: 'x' }],
    );
    const api = apiClient(fetchTransport(net.send), SERVER_URL, 'dev_token');
    expect(await api.upload(UPLOAD)).toEqual(ACCEPTED);
    await api.renewToken();
    const [upload, renewal] = net.sent;
    expect(upload?.headers).toMatchObject({
      'Content-Encoding': 'gzip',
      'Content-Type': 'application/json',
    });
    const plain = JSON.stringify(UPLOAD);
    expect(gunzipSync(upload?.bytes ?? Buffer.alloc(0)).toString('utf8')).toBe(plain);
    expect(upload?.bytes.length).toBeLessThan(Buffer.byteLength(plain) / 4);
    expect(renewal?.headers['Content-Encoding']).toBeUndefined();
    expect(renewal?.bytes.toString('utf8')).toBe('{}');
  });

  it('sends the upload plain where the browser has no CompressionStream', async () => {
    vi.stubGlobal('CompressionStream', undefined);
    expect(await gzip('{}')).toBeUndefined();
    const net = recordingFetch(() => [200, ACCEPTED]);
    const api = apiClient(fetchTransport(net.send), SERVER_URL, 'dev_token');
    expect(await api.upload(UPLOAD)).toEqual(ACCEPTED);
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0]?.headers['Content-Encoding']).toBeUndefined();
    expect(net.sent[0]?.bytes.toString('utf8')).toBe(JSON.stringify(UPLOAD));
  });

  it('sends the upload again plain when the coding is refused (415)', async () => {
    const net = recordingFetch((request) =>
      request.headers['Content-Encoding'] === 'gzip'
        ? [415, { error: 'unsupported_encoding', message: 'no gzip here' }]
        : [200, ACCEPTED],
    );
    const api = apiClient(fetchTransport(net.send), SERVER_URL, 'dev_token');
    expect(await api.upload(UPLOAD)).toEqual(ACCEPTED);
    expect(net.sent.map((request) => request.headers['Content-Encoding'])).toEqual([
      'gzip',
      undefined,
    ]);
  });
});

describe('a sync through the app transport into the real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('uploads gzipped, and the server stores the records', async () => {
    const encodings: (string | undefined)[] = [];
    // fetch, answered by the server in process (no socket): the body goes as the app made it.
    const send = async (url: string, init: RequestInit) => {
      const { pathname, search } = new URL(url);
      const headers = { ...(init.headers as Record<string, string>) };
      if (pathname.endsWith('/records')) encodings.push(headers['Content-Encoding']);
      const body = init.body === undefined || init.body === null ? undefined : bytesOf(init.body);
      const answer = await server.app.inject({
        method: init.method === 'POST' ? 'POST' : 'GET',
        url: `${pathname}${search}`,
        headers,
        ...(body === undefined ? {} : { payload: body }),
      });
      return new Response(answer.statusCode === 204 ? null : answer.body, {
        status: answer.statusCode,
        headers: { 'content-type': 'application/json' },
      });
    };
    const transport = fetchTransport(send);
    const tablet = await enrolledTablet(server, transport);
    const interviews = [
      await addInterview(tablet, { age: 30 }),
      await addInterview(tablet, { age: 60, variant: 1 }),
    ];
    const outcome = await runSync({
      store: tablet.store,
      cache: tablet.cache,
      transport,
      now: manualClock().now,
      random: () => 0.5,
    });
    expect(outcome).toMatchObject({ kind: 'done', sent: 2, refused: 0, pending: 0 });
    expect(encodings).toEqual(['gzip']);
    const stored = await server.records('lille');
    expect(stored.map((row) => row.id).sort()).toEqual(interviews.map(({ id }) => id).sort());
  });
});
