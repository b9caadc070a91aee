// Calls to a Fastify app through `inject`, as the server's integration tests make them, and the
// set-up most of them share: users logged in, a questionnaire published, a tablet enrolled.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export interface Injected {
  readonly status: number;
  readonly text: string;
  json(): unknown;
}

export type InjectCall = (
  method: 'GET' | 'POST',
  url: string,
  token?: string,
  payload?: unknown,
) => Promise<Injected>;

/** A JSON call to the app `app()` gives at the time of the call (made in a `beforeAll`). */
export function injectCaller(app: () => FastifyInstance): InjectCall {
  return async (method, url, token, payload) => {
    const response = await app().inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return {
      status: response.statusCode,
      text: response.body,
      json: () => response.json() as unknown,
    };
  };
}

/**
 * Logs in each of `usernames` (password `secret-<name>`), publishes `definition` as `admin`, and
 * enrols tablet "T1" with an enrolment code of site `lille` made by `coord`: the tokens, by
 * username and `device`, written into `tokens`.
 */
export async function signInAndEnrol(
  call: InjectCall,
  usernames: readonly string[],
  definition: unknown,
  tokens: Record<string, string>,
): Promise<void> {
  for (const username of usernames) {
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      username,
      password: `secret-${username}`,
    });
    tokens[username] = (login.json() as { token: string }).token;
  }
  expect(
    (await call('POST', '/api/v1/questionnaires', tokens['admin'], { definition })).status,
  ).toBe(201);
  const code = await call('POST', '/api/v1/sites/lille/enrolment-codes', tokens['coord']);
  const enrol = await call('POST', '/api/v1/devices/enrol', undefined, {
    code: (code.json() as { code: string }).code,
    label: 'T1',
  });
  tokens['device'] = (enrol.json() as { token: string }).token;
}
