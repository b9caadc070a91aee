// The dashboard's calls for setting up a wave, on a fake fetch: each goes to its route with the
// right method and body, its answer is parsed with the wire schemas, its refusal kept in words.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';

interface Call {
  readonly url: string;
  readonly method: string | undefined;
  readonly body: unknown;
  readonly auth: string | undefined;
}

/** A server that answers every call with `status` and `body`, recording what it was sent. */
function server(status: number, body?: unknown): { api: DashboardApi; calls: Call[] } {
  const calls: Call[] = [];
  const fetcher: Fetch = async (url, init) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({
      url,
      method: init.method,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      auth: headers.authorization,
    });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { api: new DashboardApi(fetcher).withToken('ses_1'), calls };
}

const LINK = { username: 'marie.d', token: 'otl_abc', expiresAt: '2026-05-04T10:00:00.000Z' };
const SETTINGS = {
  name: 'Cayenne',
  timeZone: 'America/Cayenne',
  helpline: '3114',
  protocolContacts: [],
  shortInterviewSeconds: 1200,
  languages: ['fr'],
  sampleSize: 900,
  tolerance: 0.05,
};
const DETAIL = {
  id: 'cayenne',
  settings: SETTINGS,
  hasPlan: false,
  closedAt: null,
  createdAt: '2026-05-01T08:00:00.000Z',
};

describe('DashboardApi: who is logged in, links and passwords', () => {
  it('reads who the session belongs to', async () => {
    const me = { username: 'marie.d', admin: false, grants: [{ site: '*', role: 'analyst' }] };
    const { api, calls } = server(200, me);
    expect(await api.me()).toEqual(me);
    expect(calls).toEqual([
      { url: '/api/v1/auth/me', method: 'GET', body: undefined, auth: 'Bearer ses_1' },
    ]);
  });

  it('refuses a me answer of the old shape (role and sites)', async () => {
    const { api } = server(200, { username: 'coord', role: 'coordinator', sites: ['lille'] });
    await expect(api.me()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('asks whose link it is, and says a used link is refused', async () => {
    const { api, calls } = server(200, { username: 'marie.d', expiresAt: LINK.expiresAt });
    expect(await api.linkInfo('otl_abc')).toEqual({
      username: 'marie.d',
      expiresAt: LINK.expiresAt,
    });
    expect(calls[0]).toMatchObject({
      url: '/api/v1/auth/link/info',
      method: 'POST',
      body: { token: 'otl_abc' },
    });
    const { api: used } = server(401, { error: 'bad_link', message: 'this link is used' });
    const failure = await used.linkInfo('otl_abc').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, code: 'bad_link', message: 'this link is used' });
  });

  it('sets the password with the link, and changes it with the current one', async () => {
    const { api, calls } = server(204);
    await api.setPasswordWithLink('otl_abc', 'une phrase assez longue');
    await api.changePassword('ancien mot', 'nouvelle phrase longue');
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      {
        url: '/api/v1/auth/link',
        method: 'POST',
        body: { token: 'otl_abc', password: 'une phrase assez longue' },
      },
      {
        url: '/api/v1/auth/password',
        method: 'POST',
        body: { current: 'ancien mot', next: 'nouvelle phrase longue' },
      },
    ]);
  });
});

describe('DashboardApi: users', () => {
  it('lists users with their roles, password and sessions', async () => {
    const user = {
      username: 'marie.d',
      admin: false,
      grants: [{ site: 'cayenne', role: 'coordinator' }],
      hasPassword: false,
      createdAt: '2026-05-01T08:00:00.000Z',
      sessions: 0,
    };
    const { api, calls } = server(200, [user]);
    expect(await api.users()).toEqual([user]);
    expect(calls[0]).toMatchObject({ url: '/api/v1/users', method: 'GET' });
    // A password hash in the list is refused: the list never carries one.
    const { api: leaky } = server(200, [{ ...user, passwordHash: 'x' }]);
    await expect(leaky.users()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('creates a user and returns the one-time link', async () => {
    const { api, calls } = server(201, LINK);
    const request = {
      username: 'marie.d',
      admin: false,
      grants: [{ site: 'cayenne', role: 'coordinator' as const }],
    };
    expect(await api.createUser(request)).toEqual(LINK);
    expect(calls[0]).toMatchObject({ url: '/api/v1/users', method: 'POST', body: request });
  });

  it('replaces roles, and keeps the last-admin refusal in the server’s words', async () => {
    const { api, calls } = server(204);
    const access = { admin: false, grants: [{ site: '*', role: 'analyst' as const }] };
    await api.setAccess('marie d', access);
    expect(calls[0]).toMatchObject({
      url: '/api/v1/users/marie%20d/access',
      method: 'PUT',
      body: access,
    });
    const { api: refusing } = server(409, {
      error: 'last_admin',
      message: 'this would leave no admin',
    });
    await expect(refusing.setAccess('admin', access)).rejects.toMatchObject({
      status: 409,
      code: 'last_admin',
      message: 'this would leave no admin',
    });
  });

  it('makes a new link, deletes a user', async () => {
    const { api, calls } = server(200, LINK);
    expect(await api.resetUser('marie.d')).toEqual(LINK);
    const { api: deleting, calls: deletes } = server(204);
    await deleting.deleteUser('marie.d');
    expect(calls[0]).toMatchObject({ url: '/api/v1/users/marie.d/reset', method: 'POST' });
    expect(calls[0]?.body).toBeUndefined();
    expect(deletes[0]).toMatchObject({ url: '/api/v1/users/marie.d', method: 'DELETE' });
  });

  it('lists a user’s sessions and ends one or all of them', async () => {
    const session = {
      id: '0123456789abcdef',
      createdAt: null,
      expiresAt: '2026-05-02T08:00:00.000Z',
      current: true,
    };
    const { api, calls } = server(200, [session]);
    expect(await api.sessions('marie.d')).toEqual([session]);
    const { api: ending, calls: ends } = server(204);
    await ending.endSessions('marie.d', 'a/b');
    await ending.endSessions('marie.d');
    expect(calls[0]).toMatchObject({ url: '/api/v1/users/marie.d/sessions', method: 'GET' });
    expect(ends.map(({ url, method }) => `${method} ${url}`)).toEqual([
      'DELETE /api/v1/users/marie.d/sessions/a%2Fb',
      'DELETE /api/v1/users/marie.d/sessions',
    ]);
  });
});

describe('DashboardApi: sites', () => {
  it('reads one site with its settings', async () => {
    const { api, calls } = server(200, DETAIL);
    expect(await api.site('cayenne')).toEqual(DETAIL);
    expect(calls[0]).toMatchObject({ url: '/api/v1/sites/cayenne', method: 'GET' });
  });

  it('creates a site, and says when the id is taken', async () => {
    const { api, calls } = server(201, DETAIL);
    const request = {
      id: 'cayenne',
      settings: { name: 'Cayenne', timeZone: 'America/Cayenne', helpline: '3114' },
    };
    expect(await api.createSite(request)).toEqual(DETAIL);
    expect(calls[0]).toMatchObject({ url: '/api/v1/sites', method: 'POST', body: request });
    const { api: taken } = server(409, { error: 'exists', message: 'site cayenne exists' });
    await expect(taken.createSite(request)).rejects.toMatchObject({
      status: 409,
      code: 'exists',
    });
  });

  it('puts the settings, closes and reopens, deletes with the id repeated', async () => {
    const { api, calls } = server(204);
    await api.setSiteSettings('cayenne', { ...SETTINGS, name: 'Cayenne centre' });
    await api.setSiteClosed('cayenne', true);
    await api.setSiteClosed('cayenne', false);
    await api.deleteSite('saint laurent', 'saint laurent');
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      {
        url: '/api/v1/sites/cayenne/settings',
        method: 'PUT',
        body: { ...SETTINGS, name: 'Cayenne centre' },
      },
      { url: '/api/v1/sites/cayenne/closed', method: 'PUT', body: { closed: true } },
      { url: '/api/v1/sites/cayenne/closed', method: 'PUT', body: { closed: false } },
      {
        url: '/api/v1/sites/saint%20laurent?confirm=saint%20laurent',
        method: 'DELETE',
        body: undefined,
      },
    ]);
  });
});
