// The site page's calls on a fake fetch: a plan is put as JSON at the site's address, and the
// server's refusal of a plan comes back with its code and its list of issues.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

function fake(status: number, body: unknown): { fetcher: Fetch; calls: [string, RequestInit][] } {
  const calls: [string, RequestInit][] = [];
  const fetcher: Fetch = async (url, init) => {
    calls.push([url, init]);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { fetcher, calls };
}

describe('DashboardApi.setQuotaPlan', () => {
  it('puts the plan as JSON with the session token and accepts a 204', async () => {
    const { fetcher, calls } = fake(204, undefined);
    const plan = tinyDemoPlan('saint-laurent');
    await new DashboardApi(fetcher).withToken('ses_x').setQuotaPlan('saint-laurent', plan);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/saint-laurent/quota-plan');
    expect(calls[0]?.[1]).toMatchObject({
      method: 'PUT',
      headers: { authorization: 'Bearer ses_x', 'content-type': 'application/json' },
    });
    expect(JSON.parse(String(calls[0]?.[1].body))).toEqual(plan);
  });

  it('turns the server’s refusal into an ApiError with its issues', async () => {
    const { fetcher } = fake(400, {
      error: 'invalid_plan',
      message: 'tables[0].cells: must sum to the sample size',
    });
    const failure = await new DashboardApi(fetcher)
      .setQuotaPlan('lille', tinyDemoPlan('lille'))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 400,
      code: 'invalid_plan',
      message: 'tables[0].cells: must sum to the sample size',
    });
  });
});
