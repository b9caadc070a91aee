// Storage the browser keeps, end to end in Chromium: persistent storage is asked for only after a
// tap (enrolment, starting an interview, the home screen's button), again at each until granted,
// never once granted, and the home screen says where it stands; the browser's install prompt is
// kept and offered as a button; an iPad in Safari is shown Share -> "Sur l'écran d'accueil" and
// asked to enrol inside the installed app.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { enrolmentLink } from '../../src/core/protocol/index.ts';
import {
  TABLET,
  TEXT,
  firstRun,
  launchBrowser,
  runAxe,
  startInterview,
  startServer,
  unlockIfLocked,
} from './harness.ts';
import { typePinOnLock } from './tablet-pin.ts';

/**
 * One call of `navigator.storage.persist()`, and whether the page had transient user activation
 * then (what browsers look at). Chromium also counts the test's own navigation as activation for a
 * few seconds, so the count of calls, not this flag, is what tells start-up from a tap.
 */
interface PersistCall {
  readonly active: boolean;
}

const CALLS_KEY = 'e2e-persist-calls';
/** Set by the test: the browser grants persistence at the next `persist()`. */
const GRANT_NEXT_KEY = 'e2e-persist-grant-next';
const GRANTED_KEY = 'e2e-persist-granted';

/**
 * Wraps `navigator.storage` before the app runs, on every page load: each `persist()` is noted
 * (in localStorage, so the count survives reloads) with `navigator.userActivation.isActive`, and
 * the browser's answer is the test's (refused until GRANT_NEXT_KEY is set, then kept).
 */
async function countPersistCalls(context: BrowserContext): Promise<void> {
  await context.addInitScript(
    ({ calls, grantNext, granted }) => {
      if (!location.protocol.startsWith('http')) return;
      const storage = navigator.storage;
      storage.persist = () => {
        const list = JSON.parse(localStorage.getItem(calls) ?? '[]') as unknown[];
        list.push({ active: navigator.userActivation.isActive });
        localStorage.setItem(calls, JSON.stringify(list));
        if (localStorage.getItem(grantNext) === '1') localStorage.setItem(granted, '1');
        return Promise.resolve(localStorage.getItem(granted) === '1');
      };
      storage.persisted = () => Promise.resolve(localStorage.getItem(granted) === '1');
    },
    { calls: CALLS_KEY, grantNext: GRANT_NEXT_KEY, granted: GRANTED_KEY },
  );
}

function persistCalls(page: Page): Promise<PersistCall[]> {
  return page.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? '[]') as PersistCall[],
    CALLS_KEY,
  );
}

/** Waits for the app to settle after it shows a screen (it used to ask for persistence then). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
}

/** Back home from an interview (the app's own route), as after "Arrêter l'entretien". */
async function home(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/#/`);
  await unlockIfLocked(page);
  await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
}

describe('persistent storage, asked after a tap', () => {
  let server: CentralServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startCentralServer();
    browser = await launchBrowser();
    await countPersistCalls(browser.context);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks at enrolment and at each interview start until granted, and says so at home', async () => {
    const { page } = browser;
    const { baseUrl, coordinator } = server;
    await page.goto(`${baseUrl}/`);
    await unlockIfLocked(page);
    await page.getByRole('heading', { name: TEXT.enrolTitle }).waitFor();
    await settle(page);
    // Nothing asked as the app starts: no gesture yet.
    expect(await persistCalls(page)).toEqual([]);
    // Chromium, not installed: the installation is advised above the form.
    await page.getByTestId('install-guide').waitFor();
    expect(await page.getByTestId('install-first').count()).toBe(0);

    // Enrolment, a tap: asked once, with the gesture.
    const code = String(
      (await server.api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator))['code'],
    );
    await page.getByLabel(TEXT.enrolCode).fill(code);
    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    expect(await persistCalls(page)).toEqual([{ active: true }]);

    // Home: not protected, in words, with what to do and the button.
    const status = page.getByTestId('storage-status');
    await expect.poll(() => status.getAttribute('data-persisted')).toBe('false');
    expect(await status.textContent()).toBe(TEXT.storageUnprotected);
    const protect = page.getByRole('button', { name: TEXT.storageProtect });
    await protect.waitFor();
    expect(await page.getByTestId('storage-space').textContent()).toMatch(/Ko|Mo|Go/);
    // Chromium is not Safari: no warning of deletion after days unused.
    expect(await page.getByTestId('home-warning').count()).toBe(0);
    expect(await runAxe(page, 'home, storage not protected')).toEqual([]);

    // Starting an interview, a tap: asked again (still refused).
    await startInterview(page);
    expect(await persistCalls(page)).toEqual([{ active: true }, { active: true }]);
    await home(page, baseUrl);

    // The home screen's button: asked again, refused, and the card says what to do.
    await protect.click();
    await page.getByTestId('storage-refused').waitFor();
    expect((await persistCalls(page)).length).toBe(3);

    // The browser grants it at the next ask: the card says the interviews are protected.
    await page.evaluate((key) => localStorage.setItem(key, '1'), GRANT_NEXT_KEY);
    await protect.click();
    await expect.poll(() => status.getAttribute('data-persisted')).toBe('true');
    expect(await status.textContent()).toBe(TEXT.storageProtected);
    expect(await protect.count()).toBe(0);
    expect(await persistCalls(page)).toEqual([
      { active: true },
      { active: true },
      { active: true },
      { active: true },
    ]);

    // Granted: an interview start, a reload, asks no more.
    await startInterview(page);
    await page.reload();
    await unlockIfLocked(page);
    await home(page, baseUrl);
    await settle(page);
    expect((await persistCalls(page)).length).toBe(4);
    expect(await page.getByTestId('storage-status').getAttribute('data-persisted')).toBe('true');
  });

  it('keeps the browser’s install prompt and offers it as a button', async () => {
    const { page } = browser;
    const guide = page.getByTestId('install-guide');
    await guide.waitFor();
    // A prompt as Chromium sends it once the app is installable; the interviewer will accept.
    const prevented = await page.evaluate(() => {
      const event = new Event('beforeinstallprompt', { cancelable: true });
      const shown = window as unknown as { e2ePrompted?: number };
      Object.assign(event, {
        prompt: () => {
          shown.e2ePrompted = (shown.e2ePrompted ?? 0) + 1;
          return Promise.resolve();
        },
        userChoice: Promise.resolve({ outcome: 'accepted', platform: 'web' }),
      });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
    // Kept for the button, not left to the browser's own banner.
    expect(prevented).toBe(true);
    const install = page.getByRole('button', { name: TEXT.installButton });
    await install.waitFor();
    expect(await guide.getAttribute('data-advice')).toBe('prompt');
    await install.click();
    await page.getByText(TEXT.installOpenIcon).waitFor();
    expect(
      await page.evaluate(() => (window as unknown as { e2ePrompted?: number }).e2ePrompted),
    ).toBe(1);
    expect(await install.count()).toBe(0);
  });
});

/** iPadOS Safari: it says it is a Mac; the touch screen tells them apart. */
const IPAD_SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

describe('an iPad in Safari', () => {
  let served: Awaited<ReturnType<typeof startServer>>;
  let chromiumBrowser: Browser;

  beforeAll(async () => {
    served = await startServer();
    chromiumBrowser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  });
  afterAll(async () => {
    await chromiumBrowser?.close();
    await served?.close();
  });

  async function ipad(installed: boolean): Promise<BrowserContext> {
    const context = await chromiumBrowser.newContext({
      userAgent: IPAD_SAFARI,
      viewport: TABLET,
      locale: 'fr-FR',
      hasTouch: true,
    });
    // The tablet's PIN, typed on the lock screen as `launchBrowser`'s contexts do.
    await typePinOnLock(context);
    await context.addInitScript((standalone) => {
      Object.defineProperty(Navigator.prototype, 'maxTouchPoints', { get: () => 5 });
      // Safari's own flag, true in the app opened from the home screen.
      Object.defineProperty(Navigator.prototype, 'standalone', { get: () => standalone });
    }, installed);
    return context;
  }

  it('shows Share -> "Sur l’écran d’accueil" and asks to enrol inside the installed app', async () => {
    const context = await ipad(false);
    try {
      const page = await context.newPage();
      // Opened from the dashboard's QR code, in Safari.
      await page.goto(enrolmentLink(served.url, 'ABCD-2345'));
      await unlockIfLocked(page);
      await page.getByRole('heading', { name: TEXT.enrolTitle }).waitFor();
      const first = page.getByTestId('install-first');
      await first.getByText(TEXT.enrolInstallFirst).waitFor();
      await first.getByText(TEXT.installIosShare).waitFor();
      expect(await first.getByText(TEXT.installIosAdd).textContent()).toContain(
        '« Sur l’écran d’accueil »',
      );
      expect(await page.getByTestId('install-guide').getAttribute('data-advice')).toBe('ios-share');
      // The installed app will not have the link: the code is there to note down.
      expect(await first.getByText(TEXT.enrolNoteCode).textContent()).toContain('ABCD-2345');
      // The forms wait behind the steps.
      expect(await page.getByLabel(TEXT.enrolCode).isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: TEXT.useWithoutServer }).count()).toBe(0);
      expect(await runAxe(page, 'enrolment, iPad in Safari')).toEqual([]);

      // Going on anyway, explicitly: the forms, then the home screen warns of Safari's deletion.
      await page.getByRole('button', { name: TEXT.enrolContinueAnyway }).click();
      await page.getByLabel(TEXT.enrolCode).waitFor();
      await firstRun(page);
      const warning = page.locator('[data-testid="home-warning"][data-kind="unused_deletion"]');
      expect(await warning.textContent()).toBe(TEXT.warningUnusedDeletion);
      expect(await page.getByTestId('install-guide').getAttribute('data-advice')).toBe('ios-share');
    } finally {
      await context.close();
    }
  });

  it('enrols straight away in the installed app, with no warning of deletion', async () => {
    const context = await ipad(true);
    try {
      const page = await context.newPage();
      await page.goto(served.url);
      await unlockIfLocked(page);
      await page.getByRole('heading', { name: TEXT.enrolTitle }).waitFor();
      await page.getByLabel(TEXT.enrolCode).waitFor();
      expect(await page.getByTestId('install-first').count()).toBe(0);
      expect(await page.getByTestId('install-guide').count()).toBe(0);
      await firstRun(page);
      expect(await page.getByTestId('install-guide').getAttribute('data-advice')).toBe('installed');
      expect(await page.getByTestId('home-warning').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
