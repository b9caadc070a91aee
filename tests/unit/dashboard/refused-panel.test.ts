// The dashboard's calls for the records the server refused, on a fake fetch (paths, parsing with
// the wire schemas, refusals as ApiErrors), and the words a coordinator reads for a 409.
import { describe, expect, it } from 'vitest';
import type { RefusedRecordInfo } from '../../../src/core/protocol/index.ts';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';
import { refusalWords } from '../../../src/dashboard/components/RefusedPanel.tsx';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';

function fake(status: number, body: unknown): { fetcher: Fetch; calls: [string, RequestInit][] } {
  const calls: [string, RequestInit][] = [];
  const fetcher: Fetch = async (url, init) => {
    calls.push([url, init]);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { fetcher, calls };
}

const REFUSED: RefusedRecordInfo = {
  key: '6b0f7a52-3f0e-4e4b-9d55-2f1d8c0e0a11',
  recordId: '00000000-0000-4000-8000-000000000002',
  deviceId: 'dev_1',
  interviewer: 'ENQ01',
  reason: 'computed.distress_score: the tablet says 999, the questionnaire gives 1',
  receivedAt: '2026-06-16T08:00:00.000Z',
  state: 'refused',
  resolvedAt: null,
  resolvedBy: null,
};

describe('DashboardApi and refused records', () => {
  it('lists a site’s refused records with the session token', async () => {
    const dismissed = { ...REFUSED, key: 'k2', state: 'dismissed', resolvedBy: 'coord' };
    const { fetcher, calls } = fake(200, [REFUSED, dismissed]);
    const list = await new DashboardApi(fetcher).withToken('ses_abc').refusedRecords('lille sud');
    expect(list).toEqual([REFUSED, dismissed]);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille%20sud/refused-records');
    expect(calls[0]?.[1]).toMatchObject({
      method: 'GET',
      headers: { authorization: 'Bearer ses_abc' },
    });
  });

  it('refuses a list that carries more than the schema says, or an unknown state', async () => {
    // The list never carries the record as sent: only the one-record route does.
    const { fetcher: leaky } = fake(200, [{ ...REFUSED, body: '{"id":"x"}' }]);
    await expect(new DashboardApi(leaky).refusedRecords('lille')).rejects.toMatchObject({
      code: 'bad_response',
    });
    const { fetcher: odd } = fake(200, [{ ...REFUSED, state: 'lost' }]);
    await expect(new DashboardApi(odd).refusedRecords('lille')).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('reads one refused record with the record as sent', async () => {
    const record = { id: REFUSED.recordId, computed: { distress_score: 999 } };
    const { fetcher, calls } = fake(200, { ...REFUSED, record });
    const detail = await new DashboardApi(fetcher).withToken('t').refusedRecord('lille', 'a/b');
    expect(detail.record).toEqual(record);
    expect(detail.reason).toBe(REFUSED.reason);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille/refused-records/a%2Fb');
    const { fetcher: missing } = fake(404, { error: 'not_found', message: 'no refused record' });
    await expect(new DashboardApi(missing).refusedRecord('lille', 'x')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it('accepts one: POST, and the stored record’s id back', async () => {
    const { fetcher, calls } = fake(200, {
      key: REFUSED.key,
      recordId: REFUSED.recordId,
      status: 'accepted',
    });
    const answer = await new DashboardApi(fetcher).withToken('t').acceptRefused('lille', 'k1');
    expect(answer).toEqual({ key: REFUSED.key, recordId: REFUSED.recordId, status: 'accepted' });
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille/refused-records/k1/accept');
    expect(calls[0]?.[1]).toMatchObject({ method: 'POST' });
    expect(calls[0]?.[1].body).toBeUndefined();
    const { fetcher: odd } = fake(200, { key: 'k1', recordId: 'r', status: 'stored' });
    await expect(new DashboardApi(odd).acceptRefused('lille', 'k1')).rejects.toMatchObject({
      code: 'bad_response',
    });
    const { fetcher: empty } = fake(204, undefined);
    await expect(new DashboardApi(empty).acceptRefused('lille', 'k1')).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('carries a still-refused record’s reason in the ApiError', async () => {
    const message = 'the record still cannot be stored: startedAt is not a real instant';
    const { fetcher } = fake(409, { error: 'still_refused', message });
    const failure = await new DashboardApi(fetcher)
      .acceptRefused('lille', 'k1')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 409, code: 'still_refused', message });
  });

  it('dismisses one (204), and says when it was already resolved', async () => {
    const { fetcher, calls } = fake(204, undefined);
    await expect(
      new DashboardApi(fetcher).withToken('t').dismissRefused('lille', 'k1'),
    ).resolves.toBeUndefined();
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille/refused-records/k1/dismiss');
    expect(calls[0]?.[1]).toMatchObject({ method: 'POST' });
    const { fetcher: twice } = fake(409, {
      error: 'resolved',
      message: 'this record was already dismissed',
    });
    await expect(new DashboardApi(twice).dismissRefused('lille', 'k1')).rejects.toMatchObject({
      status: 409,
      code: 'resolved',
    });
  });
});

describe('refusalWords', () => {
  const still = new ApiError(
    409,
    'still_refused',
    'the record still cannot be stored: startedAt is not a real date and time',
    undefined,
    { problem: 'startedAt is not a real date and time' },
  );

  it('says a still-refused record is still refused, with the server’s reason as its detail', () => {
    expect(refusalWords(still, DASHBOARD_TEXT.fr, 'fr')).toBe(
      'Toujours refusé : le serveur ne retrouve toujours pas ces valeurs (détail technique : startedAt is not a real date and time).',
    );
    expect(refusalWords(still, DASHBOARD_TEXT.en, 'en')).toBe(
      'Still refused: the server still does not find these values (technical detail: startedAt is not a real date and time).',
    );
  });

  it('names a conflict and a record resolved meanwhile apart, in French', () => {
    const conflict = new ApiError(409, 'conflict', 'another record with the id r is stored', 0, {
      record: REFUSED.recordId ?? '',
    });
    expect(refusalWords(conflict, DASHBOARD_TEXT.fr, 'fr')).toBe(
      `Non enregistré : un autre entretien porte déjà l’identifiant ${REFUSED.recordId}.`,
    );
    const resolved = new ApiError(409, 'resolved', 'this record was already accepted', 0, {
      state: 'accepted',
      by: 'marie',
    });
    expect(refusalWords(resolved, DASHBOARD_TEXT.fr, 'fr')).toBe(
      'Déjà accepté par marie : la liste est actualisée.',
    );
    const dismissed = new ApiError(409, 'resolved', 'this record was already dismissed', 0, {
      state: 'dismissed',
    });
    expect(refusalWords(dismissed, DASHBOARD_TEXT.fr, 'fr')).toBe(
      'Déjà écarté par ailleurs : la liste est actualisée.',
    );
  });

  it('leaves other failures to the dashboard’s usual explanation', () => {
    const fr = DASHBOARD_TEXT.fr;
    expect(refusalWords(new ApiError(0, 'network', 'down'), fr, 'fr')).toBeUndefined();
    expect(refusalWords(new ApiError(404, 'not_found', 'no'), fr, 'fr')).toBeUndefined();
    expect(refusalWords(new Error('x'), fr, 'fr')).toBeUndefined();
  });
});
