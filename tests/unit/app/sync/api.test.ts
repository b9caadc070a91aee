// The app's side of the HTTP API: addresses and codes as people type them, enrolment against
// the real server (a code works once), and every failure turned into an error the engine can sort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  apiClient,
  enrol,
  normaliseEnrolmentCode,
  normaliseServerUrl,
} from '../../../../src/app/sync/api.ts';
import type { Transport } from '../../../../src/app/sync/api.ts';
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
