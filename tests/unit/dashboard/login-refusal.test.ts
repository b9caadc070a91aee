// The login form's words for a refused login: a locked account and too many attempts say, in
// French first, how long to wait (the server's Retry-After, carried by the dashboard's ApiError).
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';
import { loginRefusalText } from '../../../src/dashboard/components/LoginForm.tsx';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';

function refusing(status: number, body: unknown, retryAfter?: string): Fetch {
  return async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    });
}

async function loginFailure(fetcher: Fetch): Promise<unknown> {
  return new DashboardApi(fetcher).login('coord', 'guess').catch((e: unknown) => e);
}

describe('a refused login', () => {
  it('carries the Retry-After of a 429 in the ApiError', async () => {
    const failure = await loginFailure(
      refusing(429, { error: 'locked', message: 'this account is locked for 15 min' }, '840'),
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 429, code: 'locked', retryAfterSeconds: 840 });
  });

  it('says a locked account is locked, with the minutes left, in French and in English', async () => {
    const failure = await loginFailure(
      refusing(429, { error: 'locked', message: 'this account is locked for 14 min' }, '840'),
    );
    // As the dashboard passes it on: an Error whose cause is the ApiError.
    const wrapped = new Error('this account is locked for 14 min', { cause: failure });
    expect(loginRefusalText(wrapped, DASHBOARD_TEXT.fr)).toBe(
      'Trop d’échecs de connexion : ce compte est verrouillé pour le moment. Réessayez dans 14 min.',
    );
    expect(loginRefusalText(wrapped, DASHBOARD_TEXT.en)).toBe(
      'Too many failed logins: this account is locked for now. Try again in 14 min.',
    );
  });

  it('says too many attempts with the seconds left', async () => {
    const failure = await loginFailure(
      refusing(429, { error: 'rate_limited', message: 'too many login attempts' }, '42'),
    );
    expect(loginRefusalText(failure, DASHBOARD_TEXT.fr)).toBe(
      'Trop de tentatives de connexion. Réessayez dans 42 s.',
    );
  });

  it('leaves any other refusal as the dashboard worded it', async () => {
    const failure = await loginFailure(
      refusing(401, { error: 'unauthorized', message: 'wrong user name or password' }),
    );
    expect(failure).toMatchObject({ status: 401 });
    expect((failure as ApiError).retryAfterSeconds).toBeUndefined();
    const wrapped = new Error(DASHBOARD_TEXT.fr.wrongLogin, { cause: failure });
    expect(loginRefusalText(wrapped, DASHBOARD_TEXT.fr)).toBe(DASHBOARD_TEXT.fr.wrongLogin);
  });

  it('asks to end every session when logging out everywhere', async () => {
    const calls: RequestInit[] = [];
    const fetcher: Fetch = async (_url, init) => {
      calls.push(init);
      return new Response(null, { status: 204 });
    };
    const api = new DashboardApi(fetcher).withToken('ses_x');
    await api.logout();
    await api.logout(true);
    expect(calls[0]?.body).toBeUndefined();
    expect(calls[1]?.body).toBe('{"all":true}');
  });
});
