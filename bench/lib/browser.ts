// Chromium for the browser figures: Debian's /usr/bin/chromium driven by playwright-core with the
// flags of the end-to-end tests (tests/e2e/harness.ts), a folder served on 127.0.0.1, and the
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

/** Chromium on a profile folder (kept: a second launch on it finds its service worker and data). */
export async function launchChromium(profile: string): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1024, height: 768 },
    locale: 'fr-FR',
  });
  // tsx compiles the functions the figures send into the page with esbuild's `keepNames`, which
  // wraps inner functions in `__name(...)`: give the page that helper (a no-op).
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  await typePinOnLock(context);
  const page = context.pages()[0] ?? (await context.newPage());
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
