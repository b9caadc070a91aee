// Installing the app on the home screen, as rules with no DOM: which platform the tablet is (from
// its user agent), whether the app runs installed, what to tell the interviewer, and the capture of
// Chrome's install prompt (`beforeinstallprompt`), kept until the interviewer asks for it.

/**
 * `ios-safari`: Safari on iPad or iPhone, installed with Share -> "Sur l'écran d'accueil"; its
 * home-screen app has storage apart from Safari's. `ios-other`: another iOS browser or an app's
 * web view (WebKit too, and the same storage rules). `safari`: Safari elsewhere (a Mac; WebKitGTK
 * browsers say they are Safari). `android`, `other`: browsers that install from their menu, most
 * of them (Chromium's) through an install prompt the app can show.
 */
export type InstallPlatform = 'ios-safari' | 'ios-other' | 'safari' | 'android' | 'other';

/** What is read of `navigator` (`standalone` is Safari's own, true in a home-screen app). */
export interface NavigatorLike {
  readonly userAgent: string;
  readonly maxTouchPoints?: number;
  readonly standalone?: boolean;
}

/** Browsers of iOS that are not Safari: all WebKit, each with its own token. */
const IOS_OTHER_BROWSER = /\b(CriOS|FxiOS|EdgiOS|OPiOS|OPT|GSA|DuckDuckGo|YaBrowser|Brave)\//;
/** Browsers that put "Safari" in their user agent without being Safari (HeadlessChrome too). */
const NOT_SAFARI = /(Chrome|Chromium|CriOS|Edg|OPR|Firefox|FxiOS|SamsungBrowser|Android)/;

export function detectPlatform(nav: NavigatorLike): InstallPlatform {
  const ua = nav.userAgent;
  // iPadOS 13 and later say they are a Mac; a Mac has no touch screen.
  const ios =
    /\b(iPad|iPhone|iPod)\b/.test(ua) ||
    (/\bMacintosh\b/.test(ua) && (nav.maxTouchPoints ?? 0) > 1);
  if (ios) {
    // A web view in an app has no "Safari/" token; other browsers add theirs.
    return /\bSafari\//.test(ua) && !IOS_OTHER_BROWSER.test(ua) ? 'ios-safari' : 'ios-other';
  }
  if (/\bAndroid\b/.test(ua)) return 'android';
  if (/\bVersion\/.*\bSafari\//.test(ua) && !NOT_SAFARI.test(ua)) return 'safari';
  return 'other';
}

/** The display modes of an installed app: a browser tab is always `browser`. */
const INSTALLED_DISPLAY_MODES = [
  'standalone',
  'fullscreen',
  'minimal-ui',
  'window-controls-overlay',
];

/** Whether the app runs installed (opened from its icon), from `matchMedia` and Safari's flag. */
export function isInstalled(nav: NavigatorLike, matches: (mediaQuery: string) => boolean): boolean {
  if (nav.standalone === true) return true;
  return INSTALLED_DISPLAY_MODES.some((mode) => matches(`(display-mode: ${mode})`));
}

/**
 * Whether the browser deletes the app's data after days without a visit: WebKit's rule (Safari and
 * every iOS browser) for a site opened in the browser, after 7 days of use of the browser without
 * opening the site. An app installed on the home screen is exempt.
 */
export function evictsUnusedData(platform: InstallPlatform, installed: boolean): boolean {
  return (
    !installed && (platform === 'ios-safari' || platform === 'ios-other' || platform === 'safari')
  );
}

/**
 * On iPad and iPhone the home-screen app's storage is not Safari's: a tablet enrolled in Safari
 * and then installed starts empty, its interviews left behind in Safari. So enrol inside the
 * installed app.
 */
export function mustInstallBeforeEnrolling(platform: InstallPlatform, installed: boolean): boolean {
  return !installed && (platform === 'ios-safari' || platform === 'ios-other');
}

/** Where the install prompt stands: none offered yet, one kept, or what became of it. */
export type InstallPromptState = 'none' | 'ready' | 'accepted' | 'dismissed' | 'installed';

/**
 * What to tell the interviewer: nothing (`installed`), the app's own install button (`prompt`),
 * Safari's Share menu (`ios-share`), to open the address in Safari first (`ios-open-safari`), to
 * open the app from its new icon (`open-icon`), or the browser's menu (`browser-menu`).
 */
export type InstallAdvice =
  'installed' | 'prompt' | 'ios-share' | 'ios-open-safari' | 'open-icon' | 'browser-menu';

export function installAdvice(
  platform: InstallPlatform,
  installed: boolean,
  prompt: InstallPromptState,
): InstallAdvice {
  if (installed) return 'installed';
  if (platform === 'ios-safari') return 'ios-share';
  if (platform === 'ios-other') return 'ios-open-safari';
  if (prompt === 'accepted' || prompt === 'installed') return 'open-icon';
  if (prompt === 'ready') return 'prompt';
  return 'browser-menu';
}

/** Chromium's `BeforeInstallPromptEvent`, which no standard type library describes. */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice: Promise<{ readonly outcome: 'accepted' | 'dismissed' }>;
}

function isInstallPromptEvent(event: Event): event is InstallPromptEvent {
  return typeof (event as Partial<InstallPromptEvent>).prompt === 'function';
}

export interface InstallPrompt {
  getState(): InstallPromptState;
  /** Calls `listener` whenever the state changes; returns the unsubscription. */
  subscribe(listener: () => void): () => void;
  /**
   * Shows the browser's install dialog (call it from a tap: the browser requires one) and
   * resolves with the interviewer's choice; `unavailable` when no prompt is kept. A prompt is
   * used once: the browser offers a new one later.
   */
  prompt(): Promise<'accepted' | 'dismissed' | 'unavailable'>;
}

/**
 * Keeps the install prompt the browser offers (`beforeinstallprompt`, default prevented so that
 * the browser does not show its own banner at a moment of its choosing, mid-interview) and notes
 * when the app has been installed (`appinstalled`). `target` is the window.
 */
export function captureInstallPrompt(target: EventTarget): InstallPrompt {
  let kept: InstallPromptEvent | undefined;
  let state: InstallPromptState = 'none';
  const listeners = new Set<() => void>();
  const set = (next: InstallPromptState) => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };
  target.addEventListener('beforeinstallprompt', (event) => {
    if (!isInstallPromptEvent(event)) return;
    event.preventDefault();
    kept = event;
    set('ready');
  });
  target.addEventListener('appinstalled', () => {
    kept = undefined;
    set('installed');
  });
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async prompt() {
      const event = kept;
      if (event === undefined) return 'unavailable';
      kept = undefined;
      try {
        // Called before any await: the browser shows the dialog only within the tap.
        const shown = event.prompt();
        const [, choice] = await Promise.all([shown, event.userChoice]);
        if (state !== 'installed') set(choice.outcome);
        return choice.outcome;
      } catch {
        // Already used, or refused by the browser: wait for the next prompt it offers.
        set('none');
        return 'unavailable';
      }
    },
  };
}
