// The dashboard's side of issue #23's backups and recovery codes, on a fake fetch: the import
// sends the file as read and parses the server's report, a refusal keeps the server's words; the
// recovery code is asked for with a POST; the panel and the devices table render what a
// coordinator needs (static markup, no DOM).
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BackupReport, DeviceInfo } from '../../../src/core/protocol/index.ts';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';
import { BackupImportPanel } from '../../../src/dashboard/components/BackupImportPanel.tsx';
import { DevicesTable } from '../../../src/dashboard/components/DevicesTable.tsx';
import { DASHBOARD_TEXT, DashboardTextContext } from '../../../src/dashboard/text.ts';

function fake(status: number, body: unknown): { fetcher: Fetch; calls: [string, RequestInit][] } {
  const calls: [string, RequestInit][] = [];
  const fetcher: Fetch = async (url, init) => {
    calls.push([url, init]);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { fetcher, calls };
}

const FILE = {
  format: 'smpg-collect-backup',
  version: 1,
  keyId: 'abcdefgh12345678',
  createdAt: '2026-12-08T14:30:00.000Z',
  deviceId: 'tablet-7',
  site: 'lille',
  count: 2,
  wrappedKey: 'AAAA',
  iv: 'AAAAAAAAAAAAAAAA',
  ciphertext: 'AAAA',
};
const REPORT: BackupReport = {
  deviceId: 'tablet-7',
  deviceLabel: 'Tablette ENQ-07',
  createdAt: FILE.createdAt,
  total: 2,
  added: 1,
  duplicates: 0,
  refused: [{ id: '00000000-0000-4000-8000-000000000001', reason: 'invalid record' }],
};

describe('DashboardApi: backups and recovery codes', () => {
  it('posts the backup file as it was read, and reads the report', async () => {
    const { fetcher, calls } = fake(200, REPORT);
    const report = await new DashboardApi(fetcher)
      .withToken('ses_1')
      .importBackup('lille sud', FILE);
    expect(report).toEqual(REPORT);
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille%20sud/backups');
    expect(calls[0]?.[1]).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer ses_1', 'content-type': 'application/json' },
    });
    expect(JSON.parse(String(calls[0]?.[1].body))).toEqual(FILE);
  });

  it('keeps the server’s words when it refuses a file, and refuses a report of another shape', async () => {
    const message = 'this file comes from a tablet of site lyon: import it on that site’s page';
    const { fetcher } = fake(400, { error: 'wrong_site', message });
    await expect(new DashboardApi(fetcher).importBackup('lille', FILE)).rejects.toEqual(
      new ApiError(400, 'wrong_site', message),
    );
    const { fetcher: odd } = fake(200, { ...REPORT, added: -1 });
    await expect(new DashboardApi(odd).importBackup('lille', FILE)).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('asks for a tablet’s recovery code with a POST and answers the code alone', async () => {
    const { fetcher, calls } = fake(200, { secret: 'K7QF-2MZX-P4LA-6WTE-H3NB' });
    expect(await new DashboardApi(fetcher).recoverySecret('lille', 'a/b')).toBe(
      'K7QF-2MZX-P4LA-6WTE-H3NB',
    );
    expect(calls[0]?.[0]).toBe('/api/v1/sites/lille/devices/a%2Fb/recovery');
    expect(calls[0]?.[1]).toMatchObject({ method: 'POST' });
    expect(calls[0]?.[1].body).toBeUndefined();
    const { fetcher: odd } = fake(200, { secret: 'not a code' });
    await expect(new DashboardApi(odd).recoverySecret('lille', 'x')).rejects.toMatchObject({
      code: 'bad_response',
    });
  });
});

const api = new DashboardApi(async () => new Response(null, { status: 204 }));
const render = (element: ReactElement) =>
  renderToStaticMarkup(
    <DashboardTextContext.Provider value={DASHBOARD_TEXT.fr}>
      {element}
    </DashboardTextContext.Provider>,
  );

describe('the import panel and the recovery button', () => {
  it('offers a file input for a tablet’s backup, with what it does', () => {
    const html = render(
      <BackupImportPanel
        api={api}
        site="lille"
        language="fr"
        explain={String}
        onImported={() => undefined}
      />,
    );
    expect(html).toContain(DASHBOARD_TEXT.fr.backupFile);
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept=".json,application\/json"/);
    expect(html).toContain('Sauvegarde');
  });

  it('gives a coordinator the recovery code button of every tablet, revoked ones too', () => {
    const device: DeviceInfo = {
      id: 'dev_1',
      site: 'lille',
      label: 'Tablette 1',
      enrolledAt: '2026-06-01T08:00:00.000Z',
      lastSyncAt: null,
      lastPending: null,
      revokedAt: '2026-06-03T08:00:00.000Z',
    };
    const table = (canManage: boolean) =>
      render(
        <DevicesTable
          api={api}
          site="lille"
          devices={[device]}
          now="2026-06-04T09:00:00.000Z"
          language="fr"
          canManage={canManage}
          explain={String}
          onRevoked={() => undefined}
        />,
      );
    expect(table(true)).toContain(DASHBOARD_TEXT.fr.recoveryShow);
    expect(table(true)).toContain('aria-label="Code de secours de la tablette Tablette 1"');
    expect(table(false)).not.toContain(DASHBOARD_TEXT.fr.recoveryShow);
  });
});
