// What an analyst and a coordinator see of a site's settings and tablets: the analyst reads the
// values with no field nor button to change them; the coordinator gets the form and the revoke
// button. Rendered to static markup (no DOM).
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { DeviceInfo, SiteSettings } from '../../../src/core/protocol/index.ts';
import { DashboardApi } from '../../../src/dashboard/api.ts';
import { DevicesTable } from '../../../src/dashboard/components/DevicesTable.tsx';
import { SiteSettingsPanel } from '../../../src/dashboard/components/SiteSettingsPanel.tsx';
import { DASHBOARD_TEXT, DashboardTextContext } from '../../../src/dashboard/text.ts';

const SETTINGS: SiteSettings = {
  name: 'Mamoudzou',
  timeZone: 'Indian/Mayotte',
  helpline: '3114',
  protocolContacts: [{ name: 'Dr Abdou', role: 'psychiatre', phone: '0269 61 00 00' }],
  shortInterviewSeconds: 900,
  languages: ['fr'],
  sampleSize: 900,
  tolerance: 0.05,
};

const api = new DashboardApi(async () => new Response(null, { status: 204 }));
const explain = (failure: unknown) => String(failure);
const render = (element: ReactElement) =>
  renderToStaticMarkup(
    <DashboardTextContext.Provider value={DASHBOARD_TEXT.fr}>
      {element}
    </DashboardTextContext.Provider>,
  );

const settingsPanel = (canManage: boolean) =>
  render(
    <SiteSettingsPanel
      api={api}
      site="mamoudzou"
      settings={SETTINGS}
      offeredLanguages={['fr', 'en']}
      canManage={canManage}
      language="fr"
      explain={explain}
      onSaved={() => undefined}
    />,
  );

describe('SiteSettingsPanel', () => {
  it('shows an analyst the values, with nothing to change', () => {
    const html = settingsPanel(false);
    expect(html).toContain('Indian/Mayotte');
    expect(html).toContain('Dr Abdou');
    expect(html).toContain('0269 61 00 00');
    expect(html).not.toMatch(/<(input|select|button|form)\b/);
  });

  it('gives a coordinator the form, filled in, with the button to save it', () => {
    const html = settingsPanel(true);
    expect(html).toContain(DASHBOARD_TEXT.fr.settingsSave);
    expect(html).toContain('value="Mamoudzou"');
    expect(html).toContain('value="15"');
    expect(html).toMatch(/<option value="Indian\/Mayotte" selected="">/);
    expect(html).toContain(DASHBOARD_TEXT.fr.contactAdd);
  });
});

describe('DevicesTable', () => {
  const device: DeviceInfo = {
    id: 'dev_1',
    site: 'mamoudzou',
    label: 'Tablette 1',
    enrolledAt: '2026-06-01T08:00:00.000Z',
    lastSyncAt: '2026-06-02T08:00:00.000Z',
    lastPending: 0,
    revokedAt: null,
  };
  const table = (canManage: boolean) =>
    render(
      <DevicesTable
        api={api}
        site="mamoudzou"
        devices={[device]}
        now="2026-06-02T09:00:00.000Z"
        language="fr"
        canManage={canManage}
        explain={explain}
        onRevoked={() => undefined}
      />,
    );

  it('offers the revoke button to a coordinator only', () => {
    expect(table(true)).toContain(DASHBOARD_TEXT.fr.revoke);
    expect(table(false)).toContain('Tablette 1');
    expect(table(false)).not.toContain('<button');
  });
});
