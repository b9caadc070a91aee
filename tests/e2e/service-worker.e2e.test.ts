// The tablets' service worker (src/app/sw.ts) in Chromium: its installation downloads the app
// several files at a time, never more than six (a slow network pays a round trip per file), and a
// new version waits until the home screen's update prompt activates it.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_TEXT } from '../../src/app/lock-text.ts';
import { serveStatic } from '../../scripts/serve.ts';
import {
  DIST,
  TEXT,
  firstRun,
  launchBrowser,
  unlockIfLocked,
  waitForServiceWorkerControl,
} from './harness.ts';

/** Files only the service worker asks for while the page stays locked: the lazy screens, data. */
const PRECACHE_ONLY = /^\/(questionnaires\/|assets\/(Home|Setup|Quota|Export|Enrol)Screen-)/;
/** The server's delay on each of those: a slow link's round trip. */
const DELAY_MS = 250;

describe('the service worker', () => {
  let folder: string;
  let url: string;
  let closeServer: () => Promise<void>;
  /** The most PRECACHE_ONLY requests the server had in hand at once. */
  let mostAtOnce = 0;

  beforeAll(async () => {
    // A copy of the build: the update test changes its sw.js.
    folder = mkdtempSync(join(tmpdir(), 'smpg-e2e-sw-'));
    cpSync(DIST, folder, { recursive: true });
    const files = serveStatic(folder);
    let inHand = 0;
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (!PRECACHE_ONLY.test(path)) {
        files.emit('request', request, response);
        return;
      }
      inHand += 1;
      mostAtOnce = Math.max(mostAtOnce, inHand);
      response.once('close', () => {
        inHand -= 1;
      });
      setTimeout(() => files.emit('request', request, response), DELAY_MS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    closeServer = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  });
  afterAll(async () => {
    await closeServer?.();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('stores the app several files at a time, six at most, from the lock screen', async () => {
    const browser = await launchBrowser({ typePin: false });
    try {
      const { page } = browser;
      await page.goto(url);
      await page.getByRole('heading', { level: 1, name: LOCK_TEXT.fr.createTitle }).waitFor();
      const cached = await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        let count = 0;
        for (const name of await caches.keys())
          for (const request of await (await caches.open(name)).keys())
            if (/\/(questionnaires\/|assets\/\w+Screen-)/.test(request.url)) count += 1;
        return count;
      });
      // Every one of them stored, and never one after the other only.
      expect(cached).toBeGreaterThanOrEqual(8);
      expect(mostAtOnce).toBeGreaterThan(1);
      expect(mostAtOnce).toBeLessThanOrEqual(6);
    } finally {
      await browser.close();
    }
  });

  it('activates a new version when the update prompt is tapped, then reloads', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(url);
      await firstRun(page);
      await waitForServiceWorkerControl(page);
      // A later start, as a tablet meets an update: the page opened under the installed worker.
      await page.reload();
      await unlockIfLocked(page);
      await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
      const first = await page.evaluate(
        async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL,
      );
      expect(first).toBe(`${url}sw.js`);

      // A new build's worker (another byte is enough), found by the browser's update check.
      appendFileSync(join(folder, 'sw.js'), '\n// the next version\n');
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        await registration?.update();
        (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
      });
      // It waits: the page still runs the first version until the interviewer says so.
      await page.getByText(TEXT.updateAvailable).waitFor();
      expect(
        await page.evaluate(
          async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null,
        ),
      ).toBe(true);

      await page.getByRole('button', { name: TEXT.updateNow }).click();
      // The page is loaded again (its marker gone), under the new worker, nothing left waiting.
      await page.waitForFunction(
        () => !(window as unknown as { beforeUpdate?: boolean }).beforeUpdate,
      );
      await unlockIfLocked(page);
      await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
      const after = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return {
          waiting: registration?.waiting ?? null,
          controlled: navigator.serviceWorker.controller !== null,
        };
      });
      expect(after.waiting).toBeNull();
      expect(after.controlled).toBe(true);
      expect(await page.getByText(TEXT.updateAvailable).count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
