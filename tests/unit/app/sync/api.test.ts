// The app's side of the HTTP API: addresses and codes as people type them, enrolment against
// the real server (a code works once), every failure turned into an error the engine can sort,
// and no request waited on past its deadline.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  DEFAULT_DEADLINES,
  apiClient,
  enrol,
  normaliseEnrolmentCode,
  normaliseServerUrl,
  uploadDeadlineMs,
} from '../../../../src/app/sync/api.ts';
import type { Transport, TransportRequest } from '../../../../src/app/sync/api.ts';
import type { TestServer } from './fixture.ts';
import { DEMO_DEFINITION, SERVER_URL, injectTransport, startServer } from './fixture.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('api', () => {
  it('keeps a server address as origin and path, without a trailing slash', () => {
    expect(normaliseServerUrl('https://collecte.example.org/')).toBe(
      'https://collecte.example.org',
    );
    expect(normaliseServerUrl(' collecte.example.org:8443/smpg/ ')).toBe(
      'https://collecte.example.org:8443/smpg',
    );
    expect(normaliseServerUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normaliseServerUrl('')).toBeUndefined();
    expect(normaliseServerUrl('ftp://example.org')).toBeUndefined();
    expect(normaliseServerUrl('https://example.org/?x=1')).toBeUndefined();
    expect(normaliseServerUrl('http://exa mple.org')).toBeUndefined();
  });

  it('reads an enrolment code as typed: any case, spaces, with or without the dash', () => {
    expect(normaliseEnrolmentCode('abcd-2345')).toBe('ABCD-2345');
    expect(normaliseEnrolmentCode(' abcd 2345 ')).toBe('ABCD-2345');
    expect(normaliseEnrolmentCode('ABCD2345')).toBe('ABCD-2345');
    expect(normaliseEnrolmentCode('abc')).toBe('ABC');
  });

  it('enrols with a one-time code: token, device id and site come from the server', async () => {
    const { transport } = injectTransport(server.app);
    const code = await server.newCode('lille');
    const answer = await enrol(transport, SERVER_URL, code, 'T1');
    expect(answer.site).toBe('lille');
    expect(answer.token).toMatch(/^dev_/);
    const devices = (await server.call('GET', '/api/v1/sites/lille/devices')) as { id: string }[];
    expect(devices.map((device) => device.id)).toContain(answer.deviceId);

    const again = await failure(enrol(transport, SERVER_URL, code, 'T2'));
    expect(again.kind).toBe('unauthorized');
    expect(again.message).toMatch(/already used/);
    const malformed = await failure(enrol(transport, SERVER_URL, 'abc', 'T2'));
    expect(malformed).toMatchObject({ kind: 'client', status: 400 });
  });

  it('sorts failures: no answer, 5xx, 429, 401, and an answer the schemas refuse', async () => {
    const answering =
      (status: number, body: unknown): Transport =>
      async () => ({ status, json: async () => body });
    const offline: Transport = async () => {
      throw new TypeError('Failed to fetch');
    };
    const client = (transport: Transport) => apiClient(transport, SERVER_URL, 'dev_x');
    expect(await failure(client(offline).questionnaireIndex())).toMatchObject({ kind: 'network' });
    expect(
      await failure(client(answering(503, { error: 'x', message: 'down' })).questionnaireIndex()),
    ).toMatchObject({ kind: 'server', status: 503, message: 'down' });
    expect(await failure(client(answering(502, 'Bad Gateway')).quota('lille'))).toMatchObject({
      kind: 'server',
      message: 'HTTP 502',
    });
    expect(await failure(client(answering(429, null)).questionnaireIndex())).toMatchObject({
      kind: 'rate_limited',
    });
    expect(await failure(client(answering(401, null)).questionnaireIndex())).toMatchObject({
      kind: 'unauthorized',
    });
    expect(
      await failure(
        client(answering(200, { results: [{ id: 'a', status: 'kept' }] })).upload({
          records: [],
        }),
      ),
    ).toMatchObject({ kind: 'bad_response' });
    const cut: Transport = async () => ({
      status: 200,
      json: async () => {
        throw new SyntaxError('Unexpected end of JSON input');
      },
    });
    expect(await failure(client(cut).questionnaire('demo', '1'))).toMatchObject({
      kind: 'network',
    });
  });

  it('asks the real server for the published versions, one version, and the site’s quota state', async () => {
    const { transport, seen } = injectTransport(server.app);
    const answer = await enrol(transport, SERVER_URL, await server.newCode('lille'), 'T3');
    const api = apiClient(transport, SERVER_URL, answer.token);
    const index = await api.questionnaireIndex();
    expect(index.map((entry) => `${entry.questionnaireId}@${entry.version}`)).toContain('demo@1');
    // The index carries no definition.
    expect(JSON.stringify(index)).not.toContain('"items"');
    const demo = await api.questionnaire('demo', '1');
    expect(demo).toMatchObject({ questionnaireId: 'demo', version: '1', labelPacks: [] });
    expect(demo.definition).toEqual(DEMO_DEFINITION);
    expect(seen.at(-1)?.path).toBe('/api/v1/questionnaires/demo/1');
    expect(await failure(api.questionnaire('demo', '9 9'))).toMatchObject({
      kind: 'client',
      status: 404,
    });
    expect(seen.at(-1)?.path).toBe('/api/v1/questionnaires/demo/9%209');
    const quota = await api.quota('lille');
    expect(quota.site).toBe('lille');
    expect(quota.plan?.questionnaire).toBe('demo');
  });
});

/** A transport that never answers and ignores its signal: the worst a half-dead link can do. */
function silent() {
  const requests: TransportRequest[] = [];
  const transport: Transport = (_url, init) => {
    requests.push(init);
    return new Promise(() => undefined);
  };
  return { transport, requests };
}

/** The promise's outcome so far, without waiting. */
function settledState(promise: Promise<unknown>) {
  const state: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(
    () => {
      state.settled = true;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('deadlines', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up a read at 20 s, an upload at 60 s plus its body’s time, as network failures', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { transport, requests } = silent();
    const api = apiClient(transport, SERVER_URL, 'dev_x');
    const quota = settledState(api.quota('lille'));
    const upload = settledState(api.upload({ records: [] }));
    const enrolment = settledState(enrol(transport, SERVER_URL, 'ABCD-2345', 'T'));
    await vi.advanceTimersByTimeAsync(19_999);
    expect([quota.settled, upload.settled, enrolment.settled]).toEqual([false, false, false]);
    // Each request carries the signal that fetch aborts.
    expect(requests.map((init) => init.signal?.aborted)).toEqual([false, false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(quota.error).toMatchObject({ kind: 'network', message: 'no answer within 20 s' });
    expect(enrolment.error).toMatchObject({ kind: 'network' });
    expect(requests[0]?.signal?.aborted).toBe(true);
    expect(upload.settled).toBe(false);
    // `{"records":[]}` is 14 bytes: 2 ms at 8 KB/s.
    await vi.advanceTimersByTimeAsync(60_000 - 20_000 + 1);
    expect(upload.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(upload.error).toBeInstanceOf(ApiError);
    expect(upload.error).toMatchObject({ kind: 'network', message: 'no answer within 60 s' });
    expect(requests[1]?.signal?.aborted).toBe(true);
  });

  it('leaves a large upload time to go on a slow link: 4 MiB gets about ten minutes', () => {
    expect(uploadDeadlineMs(0)).toBe(DEFAULT_DEADLINES.uploadMs);
    expect(uploadDeadlineMs(4 * 1024 * 1024) / 60_000).toBeCloseTo(9.74, 1);
  });

  it('gives up an answer whose body never comes, and one whose run ran out of time', async () => {
    const deadlines = { ...DEFAULT_DEADLINES, readMs: 30, downloadMs: 30 };
    const trickling: Transport = async () => ({
      status: 200,
      json: () => new Promise(() => undefined),
    });
    const slow = apiClient(trickling, SERVER_URL, 'dev_x', { deadlines });
    await expect(slow.questionnaire('demo', '1')).rejects.toMatchObject({
      kind: 'network',
      status: 200,
      message: /^no answer within/,
    });

    const run = new AbortController();
    const { transport, requests } = silent();
    const api = apiClient(transport, SERVER_URL, 'dev_x', { signal: run.signal });
    const index = api.questionnaireIndex();
    run.abort();
    await expect(index).rejects.toMatchObject({ kind: 'network', message: /took too long/ });
    expect(requests[0]?.signal?.aborted).toBe(true);
    // Past the run's end nothing more is sent.
    await expect(api.quota('lille')).rejects.toMatchObject({ kind: 'network' });
    expect(requests).toHaveLength(1);
  });
});
