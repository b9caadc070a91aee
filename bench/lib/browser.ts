// Chromium for the browser figures: Debian's /usr/bin/chromium driven by playwright-core with the
// flags of the end-to-end tests (tests/e2e/harness.ts), as a desktop or as a low-end tablet (its
// screen, and its CPU slowed through the DevTools protocol), a folder served on 127.0.0.1, and the
// benchmark's own page bundled with Vite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import { typePinOnLock } from '../../tests/e2e/tablet-pin.ts';

export { CHROMIUM, CHROMIUM_ARGS, serveFolder } from '../../scripts/serve.ts';
export type { Served } from '../../scripts/serve.ts';

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** The machine a browser figure runs as: its screen, and how much slower its CPU is. */
export interface Device {
  /** Printed before the measures of the rows measured on it ('' for the desktop). */
  readonly label: string;
  readonly viewport: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor: number;
  readonly isMobile: boolean;
  readonly hasTouch: boolean;
  /** DevTools' `Emulation.setCPUThrottlingRate` on every page: 1 runs at this machine's pace. */
  readonly cpuSlowdown: number;
}

/** The figures as they always ran: a landscape screen of 1024x768, this machine's CPU. */
export const DESKTOP: Device = {
  label: '',
  viewport: { width: 1024, height: 768 },
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
  cpuSlowdown: 1,
};

/**
 * A low-end Android tablet: the 10-inch, 1200x1920-pixel screen of the cheap ones interviewers
 * carry (a Galaxy Tab A 10.1's), 800x1280 CSS pixels at a device pixel ratio of 1.5, portrait,
 * touch; the renderer's main thread slowed 4x, as DevTools' "4x slowdown" does (Chromium's
 * throttling slows that thread only: not the service worker, WebCrypto's threads, the
 * compositor, raster nor the browser process, where IndexedDB commits).
 */
export const LOW_END_TABLET: Device = {
  label: 'tablet, 4x CPU: ',
  viewport: { width: 800, height: 1280 },
  deviceScaleFactor: 1.5,
  isMobile: true,
  hasTouch: true,
  cpuSlowdown: 4,
};

/**
 * Slows the page's CPU as the device's is slowed. The DevTools session stays attached as long as
 * the page lives (the throttling ends with it) and carries over the page's navigations.
 */
export async function throttleCpu(page: Page, device: Device): Promise<void> {
  if (device.cpuSlowdown === 1) return;
  const session = await page.context().newCDPSession(page);
  await session.send('Emulation.setCPUThrottlingRate', { rate: device.cpuSlowdown });
}

/**
 * Chromium on a profile folder (kept: a second launch on it finds its service worker and data),
 * as the device, its first page's CPU throttled already.
 */
export async function launchChromium(profile: string, device: Device = DESKTOP): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
    viewport: { ...device.viewport },
    deviceScaleFactor: device.deviceScaleFactor,
    isMobile: device.isMobile,
    hasTouch: device.hasTouch,
    locale: 'fr-FR',
  });
  // tsx compiles the functions the figures send into the page with esbuild's `keepNames`, which
  // wraps inner functions in `__name(...)`: give the page that helper (a no-op).
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  await typePinOnLock(context);
  const page = context.pages()[0] ?? (await context.newPage());
  await throttleCpu(page, device);
  return { context, page, close: () => context.close() };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Bundles bench/browser (the engine page) into a temporary folder with Vite, adds the files the
 * page fetches, and returns the folder.
 */
export async function buildEnginePage(
  root: string,
  extraFiles: Readonly<Record<string, string>>,
): Promise<{ path: string; remove: () => void }> {
  const out = tempFolder('smpg-bench-page-');
  await build({
    configFile: false,
    root: join(root, 'bench', 'browser'),
    // ODK's package warns about its own eval and size; nothing of ours.
    logLevel: 'error',
    build: { outDir: out.path, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  for (const [name, content] of Object.entries(extraFiles))
    writeFileSync(join(out.path, name), content);
  return out;
}
