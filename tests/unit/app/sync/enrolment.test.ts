// Enrolment as the screen uses it: the settings of an enrolled tablet come from the server, a
// previous tablet's backoff, block and counts are dropped (its plan and pick-up points too, for
// another site), and failures say what went wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSettings } from '../../../../src/app/storage/index.ts';
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
  helpline: '3114',
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
      { serverUrl: `${SERVER_URL}/`, code, interviewer: ' ENQ-07 ', helpline: '3114' },
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
        helpline: '15',
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
    const form = { code: 'ABCD-2345', interviewer: 'A1', helpline: '15' };
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
    const form = { code: 'ABCD-2345', interviewer: 'A1', helpline: '15' };
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
});
