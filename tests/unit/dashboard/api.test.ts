// The dashboard's HTTP client on a fake fetch: the token goes in the header, answers are parsed
// with the wire schemas, and every failure becomes an ApiError with the server's own words.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';

function fake(status: number, body: unknown): { fetcher: Fetch; calls: [string, RequestInit][] } {
  const calls: [string, RequestInit][] = [];
  const fetcher: Fetch = async (url, init) => {
    calls.push([url, init]);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { fetcher, calls };
}

describe('DashboardApi', () => {
  it('sends the session token and parses the answer', async () => {
    const lille = {
      id: 'lille',
      name: 'Lille',
      shortInterviewSeconds: 600,
      hasPlan: true,
      closedAt: null,
      timeZone: 'Europe/Paris',
    };
    const { fetcher, calls } = fake(200, [lille]);
    const sites = await new DashboardApi(fetcher).withToken('ses_abc').sites();
    expect(sites).toEqual([lille]);
    expect(calls[0]?.[0]).toBe('/api/v1/sites');
    expect(calls[0]?.[1].headers).toEqual({ authorization: 'Bearer ses_abc' });
  });

  it('puts allocations as JSON and accepts an empty 204', async () => {
    const { fetcher, calls } = fake(204, undefined);
    await new DashboardApi(fetcher).withToken('t').setAllocations('a b', []);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/a%20b/allocations');
    expect(calls[0]?.[1]).toMatchObject({ method: 'PUT', body: '{"allocations":[]}' });
  });

  it('lists enrolment codes and cancels one by its creation time', async () => {
    const listed = { createdAt: '2026-11-23T10:00:00.000Z', expiresAt: 'x', createdBy: 'coord' };
    const { fetcher, calls } = fake(200, [listed]);
    const api = new DashboardApi(fetcher).withToken('t');
    expect(await api.enrolmentCodes('lille')).toEqual([listed]);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille/enrolment-codes');
    const { fetcher: empty, calls: deletes } = fake(204, undefined);
    await new DashboardApi(empty).withToken('t').cancelEnrolmentCode('lille', listed.createdAt);
    expect(deletes[0]?.[0]).toBe(
      '/api/v1/sites/lille/enrolment-codes/2026-11-23T10%3A00%3A00.000Z',
    );
    expect(deletes[0]?.[1]).toMatchObject({ method: 'DELETE' });
    // A code or a hash in the answer is refused: the list never carries them.
    const { fetcher: leaky } = fake(200, [{ ...listed, codeHash: 'ab' }]);
    await expect(new DashboardApi(leaky).enrolmentCodes('lille')).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('puts a site’s pick-up points as JSON', async () => {
    const { fetcher, calls } = fake(204, undefined);
    await new DashboardApi(fetcher).withToken('t').setPickupPoints('lille', ['Gare', 'Marché']);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille/pickup-points');
    expect(calls[0]?.[1]).toMatchObject({
      method: 'PUT',
      body: '{"pickupPoints":["Gare","Marché"]}',
    });
  });

  it('reads a site’s alerts, and refuses an answer outside the contract', async () => {
    const raised = {
      recordId: '7d1f7c2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
      interviewer: 'ENQ01',
      deviceId: 'dev_1',
      status: 'broken_off',
      alertId: 'suicide_high',
      raisedAt: '2026-06-01T10:00:00.000Z',
      acknowledgedAt: null,
      actions: ['helpline_given', 'supervisor_told'],
    };
    const { fetcher, calls } = fake(200, [raised]);
    expect(await new DashboardApi(fetcher).withToken('t').alerts('saint laurent')).toEqual([
      raised,
    ]);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/saint%20laurent/alerts');
    expect(calls[0]?.[1]).toMatchObject({ method: 'GET' });
    const { fetcher: odd } = fake(200, [{ ...raised, status: 'draft' }]);
    await expect(new DashboardApi(odd).alerts('lille')).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('turns a refusal into an ApiError with the server’s code and message', async () => {
    const { fetcher } = fake(409, { error: 'below_done', message: 'ENQ01 has already done 1' });
    const failure = await new DashboardApi(fetcher)
      .setAllocations('lille', [])
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 409,
      code: 'below_done',
      message: 'ENQ01 has already done 1',
    });
  });

  it('says when the server is unreachable or answers something unexpected', async () => {
    const down: Fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(new DashboardApi(down).sites()).rejects.toMatchObject({
      status: 0,
      code: 'network',
    });
    const { fetcher } = fake(200, { not: 'a list' });
    await expect(new DashboardApi(fetcher).sites()).rejects.toMatchObject({ code: 'bad_response' });
    const { fetcher: html } = fake(502, undefined);
    await expect(new DashboardApi(html).sites()).rejects.toMatchObject({
      status: 502,
      code: 'http',
    });
  });
});
