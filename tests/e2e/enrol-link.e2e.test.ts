// Enrolment from the dashboard's link (its QR code encodes it), end to end: the tablet opens
// `<server>/?enrol=<code>`, finds the server and the code filled in, and the code leaves the
// address bar. A server address of another origin that does not answer is explained in words
// (the API sends no CORS headers); with the page's own server, the tablet enrols and syncs.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { enrolmentLink } from '../../src/core/protocol/index.ts';
import type { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { fill } from '../../src/app/ui-text.ts';
import { TEXT, launchBrowser, runAxe } from './harness.ts';

describe('enrolment from the dashboard’s link', () => {
  let server: CentralServer;
  let store: SqliteStore;
  let app: FastifyInstance;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let baseUrl: string;
  let coordinator: string;

  beforeAll(async () => {
    server = await startCentralServer();
    ({ store, app, baseUrl, coordinator } = server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens with the server and the code filled in, explains another origin, and enrols', async () => {
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/sites/lille/enrolment-codes',
      headers: { authorization: `Bearer ${coordinator}` },
    });
    const code = (made.json() as { code: string }).code;
    const { page } = browser;

    // What the tablet's camera opens from the QR code (typed in lower case here: read as typed).
    await page.goto(enrolmentLink(baseUrl, code.toLowerCase()));
    await page.getByRole('heading', { name: TEXT.enrolTitle }).waitFor();
    await expect.poll(() => page.getByLabel(TEXT.enrolCode).inputValue()).toBe(code);
    expect(await page.getByLabel(TEXT.serverUrl).inputValue()).toBe(baseUrl);
    await page.getByText(TEXT.enrolFromLink).waitFor();
    // The code is out of the address bar: a reload or a bookmark does not carry it.
    expect(page.url()).toBe(`${baseUrl}/`);
    expect(await runAxe(page, 'enrolment from a link')).toEqual([]);

    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');

    // A server of another origin that does not answer: said in words, with both addresses.
    const elsewhere = 'http://127.0.0.1:9';
    await page.getByLabel(TEXT.serverUrl).fill(elsewhere);
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: fill(TEXT.enrolOtherOrigin, { url: elsewhere, origin: baseUrl }) })
      .waitFor();

    // Back to the page's own server: the tablet enrols, on the code's site, and syncs.
    await page.getByLabel(TEXT.serverUrl).fill(baseUrl);
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    expect(await page.locator('.home-header').textContent()).toContain('Lille');
    await expect
      .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 10_000 })
      .not.toBe(TEXT.syncNever);
    const devices = await store.listDevices('lille');
    expect(devices.map((device) => device.label)).toEqual(['Tablette ENQ-07']);
    // The code was used: it is no longer among the site's codes.
    expect(await store.listEnrolmentCodes('lille', new Date().toISOString())).toEqual([]);
  });
});
