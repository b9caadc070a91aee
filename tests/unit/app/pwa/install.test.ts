// Installation rules from real user agents: an iPad (which says it is a Mac, but has a touch
// screen), an iPhone, other iOS browsers, Android, desktops; installed from the display mode or
// Safari's flag; the advice for each; and the capture of Chrome's install prompt.
import { describe, expect, it } from 'vitest';
import type { InstallPlatform, NavigatorLike } from '../../../../src/app/pwa/install.ts';
import {
  captureInstallPrompt,
  detectPlatform,
  evictsUnusedData,
  installAdvice,
  isInstalled,
  mustInstallBeforeEnrolling,
} from '../../../../src/app/pwa/install.ts';

const UA = {
  ipadDesktop:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  ipadMobile:
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  iphoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1',
  ipadFirefox:
    'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/124.0 Mobile/15E148 Safari/605.1.15',
  iosWebView:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidReduced:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Safari/537.36',
  androidFirefox: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
  linuxChrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  firefoxEsr: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
  epiphany:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  macChrome:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
} as const;

describe('platform', () => {
  const cases: [string, NavigatorLike, InstallPlatform][] = [
    [
      'iPad (iPadOS 13+, a "Mac" with touch)',
      { userAgent: UA.ipadDesktop, maxTouchPoints: 5 },
      'ios-safari',
    ],
    ['a Mac (no touch screen)', { userAgent: UA.ipadDesktop, maxTouchPoints: 0 }, 'safari'],
    ['a Mac, touch points unknown', { userAgent: UA.ipadDesktop }, 'safari'],
    ['iPad, mobile site', { userAgent: UA.ipadMobile, maxTouchPoints: 5 }, 'ios-safari'],
    ['iPhone Safari', { userAgent: UA.iphone, maxTouchPoints: 5 }, 'ios-safari'],
    ['iPhone Chrome', { userAgent: UA.iphoneChrome, maxTouchPoints: 5 }, 'ios-other'],
    ['iPad Firefox', { userAgent: UA.ipadFirefox, maxTouchPoints: 5 }, 'ios-other'],
    ['an iOS app’s web view', { userAgent: UA.iosWebView, maxTouchPoints: 5 }, 'ios-other'],
    ['Android Chrome', { userAgent: UA.androidChrome, maxTouchPoints: 10 }, 'android'],
    ['Android Chrome, reduced UA', { userAgent: UA.androidReduced, maxTouchPoints: 10 }, 'android'],
    ['Samsung Internet', { userAgent: UA.samsung, maxTouchPoints: 10 }, 'android'],
    ['Firefox for Android', { userAgent: UA.androidFirefox, maxTouchPoints: 10 }, 'android'],
    ['Chrome on Linux', { userAgent: UA.linuxChrome, maxTouchPoints: 0 }, 'other'],
    ['headless Chromium', { userAgent: UA.headless, maxTouchPoints: 0 }, 'other'],
    ['Firefox ESR', { userAgent: UA.firefoxEsr, maxTouchPoints: 0 }, 'other'],
    ['WebKitGTK (Epiphany)', { userAgent: UA.epiphany, maxTouchPoints: 0 }, 'safari'],
    ['Chrome on a Mac', { userAgent: UA.macChrome, maxTouchPoints: 0 }, 'other'],
    ['Edge on Windows', { userAgent: UA.edge, maxTouchPoints: 10 }, 'other'],
  ];
  it.each(cases)('%s', (_name, nav, platform) => {
    expect(detectPlatform(nav)).toBe(platform);
  });
});

describe('installed', () => {
  const only =
    (...modes: string[]) =>
    (query: string) =>
      modes.some((mode) => query === `(display-mode: ${mode})`);

  it('is a display mode other than a browser tab', () => {
    const nav = { userAgent: UA.androidChrome };
    expect(isInstalled(nav, only('browser'))).toBe(false);
    expect(isInstalled(nav, only())).toBe(false);
    expect(isInstalled(nav, only('standalone'))).toBe(true);
    expect(isInstalled(nav, only('fullscreen'))).toBe(true);
    expect(isInstalled(nav, only('minimal-ui'))).toBe(true);
    expect(isInstalled(nav, only('window-controls-overlay'))).toBe(true);
  });

  it('is Safari’s `navigator.standalone` on iOS', () => {
    expect(isInstalled({ userAgent: UA.ipadMobile, standalone: true }, only())).toBe(true);
    expect(isInstalled({ userAgent: UA.ipadMobile, standalone: false }, only())).toBe(false);
  });
});

describe('advice', () => {
  it('says nothing once installed, whatever the platform', () => {
    for (const platform of ['ios-safari', 'ios-other', 'safari', 'android', 'other'] as const) {
      expect(installAdvice(platform, true, 'ready')).toBe('installed');
      expect(evictsUnusedData(platform, true)).toBe(false);
      expect(mustInstallBeforeEnrolling(platform, true)).toBe(false);
    }
  });

  it('gives Safari’s Share menu on iPad and iPhone, and sends other iOS browsers to Safari', () => {
    expect(installAdvice('ios-safari', false, 'none')).toBe('ios-share');
    expect(installAdvice('ios-other', false, 'none')).toBe('ios-open-safari');
  });

  it('offers the install button while a prompt is kept, the menu otherwise', () => {
    expect(installAdvice('android', false, 'ready')).toBe('prompt');
    expect(installAdvice('other', false, 'ready')).toBe('prompt');
    expect(installAdvice('android', false, 'none')).toBe('browser-menu');
    expect(installAdvice('android', false, 'dismissed')).toBe('browser-menu');
    expect(installAdvice('safari', false, 'none')).toBe('browser-menu');
  });

  it('sends to the new icon once installed from this tab', () => {
    expect(installAdvice('android', false, 'accepted')).toBe('open-icon');
    expect(installAdvice('other', false, 'installed')).toBe('open-icon');
  });

  it('installs before enrolling on iOS only, where the installed app has storage of its own', () => {
    expect(mustInstallBeforeEnrolling('ios-safari', false)).toBe(true);
    expect(mustInstallBeforeEnrolling('ios-other', false)).toBe(true);
    expect(mustInstallBeforeEnrolling('safari', false)).toBe(false);
    expect(mustInstallBeforeEnrolling('android', false)).toBe(false);
    expect(mustInstallBeforeEnrolling('other', false)).toBe(false);
  });

  it('says WebKit deletes unused data in the browser, not Chromium or Firefox', () => {
    expect(evictsUnusedData('ios-safari', false)).toBe(true);
    expect(evictsUnusedData('ios-other', false)).toBe(true);
    expect(evictsUnusedData('safari', false)).toBe(true);
    expect(evictsUnusedData('android', false)).toBe(false);
    expect(evictsUnusedData('other', false)).toBe(false);
  });
});

/** A `beforeinstallprompt` as Chromium sends it, with the interviewer's answer given in advance. */
function promptEvent(outcome: 'accepted' | 'dismissed') {
  const event = new Event('beforeinstallprompt', { cancelable: true });
  let prompted = 0;
  Object.assign(event, {
    prompt: () => {
      prompted += 1;
      return Promise.resolve();
    },
    userChoice: Promise.resolve({ outcome, platform: 'web' }),
  });
  return { event, prompted: () => prompted };
}

describe('install prompt', () => {
  it('keeps the browser’s prompt, prevents its banner, and shows it once on request', async () => {
    const window = new EventTarget();
    const capture = captureInstallPrompt(window);
    const changes: string[] = [];
    capture.subscribe(() => changes.push(capture.getState()));
    expect(capture.getState()).toBe('none');
    expect(await capture.prompt()).toBe('unavailable');

    const { event, prompted } = promptEvent('accepted');
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(capture.getState()).toBe('ready');

    expect(await capture.prompt()).toBe('accepted');
    expect(prompted()).toBe(1);
    expect(capture.getState()).toBe('accepted');
    // Used once: a second tap waits for the browser's next prompt.
    expect(await capture.prompt()).toBe('unavailable');
    expect(prompted()).toBe(1);

    window.dispatchEvent(new Event('appinstalled'));
    expect(capture.getState()).toBe('installed');
    expect(changes).toEqual(['ready', 'accepted', 'installed']);
  });

  it('notes a dismissal, and takes the next prompt the browser offers', async () => {
    const window = new EventTarget();
    const capture = captureInstallPrompt(window);
    window.dispatchEvent(promptEvent('dismissed').event);
    expect(await capture.prompt()).toBe('dismissed');
    expect(capture.getState()).toBe('dismissed');
    window.dispatchEvent(promptEvent('accepted').event);
    expect(capture.getState()).toBe('ready');
  });

  it('ignores an event without prompt(), and survives a prompt that fails', async () => {
    const window = new EventTarget();
    const capture = captureInstallPrompt(window);
    const bare = new Event('beforeinstallprompt', { cancelable: true });
    window.dispatchEvent(bare);
    expect(bare.defaultPrevented).toBe(false);
    expect(capture.getState()).toBe('none');

    const failing = new Event('beforeinstallprompt', { cancelable: true });
    Object.assign(failing, {
      prompt: () => Promise.reject(new DOMException('already used', 'InvalidStateError')),
      userChoice: new Promise(() => {}),
    });
    window.dispatchEvent(failing);
    expect(capture.getState()).toBe('ready');
    expect(await capture.prompt()).toBe('unavailable');
    expect(capture.getState()).toBe('none');
  });
});
