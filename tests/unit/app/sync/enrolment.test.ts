// Enrolment as the screen uses it: the settings of an enrolled tablet come from the server (the
// site's settings with them), a previous tablet's backoff, block and counts are dropped (its plan,
// pick-up points and site settings too, for another site), and failures say what went wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertContacts } from '../../../../src/app/site-settings.ts';
import type { DeviceSettings } from '../../../../src/app/storage/index.ts';
import type { SiteSettings } from '../../../../src/core/protocol/index.ts';
import type { Transport } from '../../../../src/app/sync/api.ts';
import { enrolTablet } from '../../../../src/app/sync/enrolment.ts';
import { tinyDemoPlan } from '../../../helpers/plans.ts';
import type { TestServer } from './fixture.ts';
import { SERVER_URL, injectTransport, startServer } from './fixture.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ sites: ['lille', 'lens'] });
});
afterAll(async () => {
  await server.close();
});

const previous: DeviceSettings = {
  deviceId: 'old-device',
  site: 'lille',
  interviewer: 'ENQ-01',
  uiLanguage: 'en',
  practiceMode: true,
  quotaPlan: tinyDemoPlan('lille'),
  serverUrl: 'https://old.example.org',
  deviceToken: 'dev_revoked',
  siteCounts: { completed: {}, screenedOut: {}, at: 'x', receivedAt: 'x' },
  pickupPoints: ['Marché de Wazemmes', 'Gare Lille-Flandres'],
  lastPickupPoint: 'Gare Lille-Flandres',
  sync: { failures: 4, blocked: { reason: 'revoked', at: 'x' } },
};

describe('enrolTablet', () => {
  it('makes the settings of an enrolled tablet from the server’s answer', async () => {
    const { transport } = injectTransport(server.app);
    const code = (await server.newCode('lille')).toLowerCase();
    const result = await enrolTablet(
      transport,
      { serverUrl: `${SERVER_URL}/`, code, interviewer: ' ENQ-07 ' },
      previous,
    );
    if (!result.ok) throw new Error(result.message);
    const { settings } = result;
    expect(settings).toMatchObject({
      site: 'lille',
      interviewer: 'ENQ-07',
      uiLanguage: 'en',
      practiceMode: true,
      serverUrl: SERVER_URL,
      sync: { failures: 0 },
      quotaPlan: previous.quotaPlan,
      pickupPoints: previous.pickupPoints,
      lastPickupPoint: 'Gare Lille-Flandres',
    });
    expect(settings.deviceToken).toMatch(/^dev_/);
    expect(settings.deviceId).not.toBe('old-device');
    expect(settings.siteCounts).toBeUndefined();
    expect(settings.sync?.blocked).toBeUndefined();
  });

  it('drops the plan and the pick-up points of another site', async () => {
    const { transport } = injectTransport(server.app);
    const result = await enrolTablet(
      transport,
      {
        serverUrl: SERVER_URL,
        code: await server.newCode('lens'),
        interviewer: 'A1',
      },
      previous,
    );
    expect(result.ok && result.settings.site).toBe('lens');
    expect(result.ok && result.settings.quotaPlan).toBeUndefined();
    expect(result.ok && result.settings.pickupPoints).toBeUndefined();
    expect(result.ok && result.settings.lastPickupPoint).toBeUndefined();
  });

  it('says whether the address is wrong, the server unreachable, the code refused or the request', async () => {
    const { transport } = injectTransport(server.app);
    const form = { code: 'ABCD-2345', interviewer: 'A1' };
    expect(
      await enrolTablet(transport, { ...form, serverUrl: 'ftp://x' }, undefined),
    ).toMatchObject({ ok: false, problem: 'bad_address' });
    const offline: Transport = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await enrolTablet(offline, { ...form, serverUrl: SERVER_URL }, undefined)).toMatchObject(
      { ok: false, problem: 'unreachable' },
    );
    // The page's own server, with the path a reverse proxy may add: unreachable, not elsewhere.
    expect(
      await enrolTablet(
        offline,
        { ...form, serverUrl: `${SERVER_URL}/smpg` },
        undefined,
        SERVER_URL,
      ),
    ).toMatchObject({ ok: false, problem: 'unreachable' });
    const refused = await enrolTablet(transport, { ...form, serverUrl: SERVER_URL }, undefined);
    expect(refused).toMatchObject({ ok: false, problem: 'bad_code' });
    expect(!refused.ok && refused.message).toMatch(/unknown, already used or expired/);
    const malformed = await enrolTablet(
      transport,
      { ...form, code: 'ABC', serverUrl: SERVER_URL },
      undefined,
    );
    expect(malformed).toMatchObject({ ok: false, problem: 'refused' });
  });

  it('says so when a server of another origin than the page’s does not answer', async () => {
    const noCors: Transport = async () => {
      throw new TypeError('Failed to fetch');
    };
    const form = { code: 'ABCD-2345', interviewer: 'A1' };
    const result = await enrolTablet(
      noCors,
      { ...form, serverUrl: 'collecte.example.org' },
      undefined,
      'http://127.0.0.1:8080',
    );
    expect(result).toMatchObject({
      ok: false,
      problem: 'other_origin',
      message: 'Failed to fetch',
    });
    // Another origin that does answer is fine: the browser let the request through.
    const { transport } = injectTransport(server.app);
    const code = await server.newCode('lille');
    expect(
      await enrolTablet(
        transport,
        { ...form, code, serverUrl: SERVER_URL },
        undefined,
        'http://other',
      ),
    ).toMatchObject({ ok: true });
  });

  /** The server's enrolment answer as it reaches the tablet, with `settings` (or none). */
  const answering =
    (settings: SiteSettings | undefined): Transport =>
    async (url, init) => {
      const response = await injectTransport(server.app).transport(url, init);
      if (response.status !== 200) return response;
      const body = { ...((await response.json()) as Record<string, unknown>) };
      delete body['settings'];
      const answer = settings === undefined ? body : { ...body, settings };
      return { ...response, json: async () => answer };
    };

  const LILLE: SiteSettings = {
    name: 'Lille (Wazemmes)',
    timeZone: 'Europe/Paris',
    helpline: '3114',
    protocolContacts: [{ name: 'Dr Martin', role: 'psychologue', phone: '03 20 00 00 01' }],
    shortInterviewSeconds: 1200,
    languages: ['fr', 'ar'],
    sampleSize: 900,
    tolerance: 0.05,
  };

  it('keeps the site’s settings the server gives, and drops the number typed before them', async () => {
    const result = await enrolTablet(
      answering(LILLE),
      { serverUrl: SERVER_URL, code: await server.newCode('lille'), interviewer: 'A1' },
      { ...previous, typedHelpline: '0 800 000 000' },
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.settings.siteSettings).toEqual(LILLE);
    expect(result.settings).not.toHaveProperty('typedHelpline');
    expect(alertContacts(result.settings)).toEqual({
      helpline: '3114',
      contacts: LILLE.protocolContacts,
    });
  });

  it('keeps what the tablet has of the same site when an older server sends no settings', async () => {
    const before: DeviceSettings = { ...previous, siteSettings: LILLE, typedHelpline: '15' };
    const same = await enrolTablet(
      answering(undefined),
      { serverUrl: SERVER_URL, code: await server.newCode('lille'), interviewer: 'A1' },
      before,
    );
    expect(same.ok && same.settings.siteSettings).toEqual(LILLE);
    expect(same.ok && same.settings.typedHelpline).toBe('15');
    // Another site's settings are not this one's: the alert falls back on the national number.
    const other = await enrolTablet(
      answering(undefined),
      { serverUrl: SERVER_URL, code: await server.newCode('lens'), interviewer: 'A1' },
      before,
    );
    if (!other.ok) throw new Error(other.message);
    expect(other.settings.site).toBe('lens');
    expect(other.settings.siteSettings).toBeUndefined();
    expect(other.settings.typedHelpline).toBeUndefined();
    expect(alertContacts(other.settings)).toEqual({ helpline: '3114', contacts: [] });
  });
});
