// Figure 3: cold start of the real built app, network off, service worker in control, to the first
// question of a resumed interview on screen; and the JavaScript the built index.html loads up
// front, gzipped. Each run launches Chromium again on the same profile (service worker, caches and
// IndexedDB kept from the online visit), cuts the network, and opens the interview's URL: as a
// desktop first, then as a low-end tablet (its screen, its CPU slowed 4x).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import {
  answerUntil,
  firstRun,
  startInterview,
  waitForServiceWorkerControl,
} from '../../tests/e2e/harness.ts';
import type { Figure, Row } from '../lib/figure.ts';
import type { Device } from '../lib/browser.ts';
import {
  DESKTOP,
  LOW_END_TABLET,
  launchChromium,
  serveFolder,
  tempFolder,
} from '../lib/browser.ts';

/** Cold starts per device (a run relaunches Chromium: a few seconds, slowed CPU or not). */
const RUNS = 7;
/** The draft is left on this item, after the eligibility and the first quota questions. */
const RESUME_AT = 'csp';

/** The JavaScript files the built page loads before anything else, and what they import. */
export function initialChunks(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const found = new Set<string>();
  const pending = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g),
  ].map((match) => match[1] ?? '');
  while (pending.length > 0) {
    const file = pending.pop() ?? '';
    if (file === '' || found.has(file)) continue;
    found.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static imports only (`import{a}from"./x.js"`, `import"./x.js"`, `export*from"./x.js"`);
    // dynamic `import("./x.js")` loads later, when a screen needs it.
    for (const match of code.matchAll(
      /(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?["']\.\/([^"']+\.js)["']/g,
    ))
      pending.push(join(file, '..', match[1] ?? ''));
  }
  return [...found].sort();
}

/** Marks, in the page, when the first question is in the DOM and when it has been painted. */
function watchFirstQuestion(): void {
  const observer = new MutationObserver(() => {
    const section = document.querySelector('section[data-item-id]');
    if (section === null) return;
    observer.disconnect();
    const inDom = performance.now();
    requestAnimationFrame(() => {
      // A task queued from the frame callback runs once that frame has been rendered.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        (window as unknown as { benchFirstQuestion: unknown }).benchFirstQuestion = {
          id: section.getAttribute('data-item-id'),
          inDom,
          painted: performance.now(),
          controlled: navigator.serviceWorker.controller !== null,
        };
      };
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

interface FirstQuestion {
  readonly id: string | null;
  readonly inDom: number;
  readonly painted: number;
  readonly controlled: boolean;
}

/** Cold starts on the profile, offline, as the device: each run's times from navigation start. */
async function coldStarts(
  profile: string,
  interviewUrl: string,
  device: Device,
): Promise<{ painted: number[]; inDom: number[] }> {
  const painted: number[] = [];
  const inDom: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // The first page's CPU is slowed before it navigates: the whole start runs slowed.
    const browser = await launchChromium(profile, device);
    try {
      await browser.context.addInitScript(watchFirstQuestion);
      await browser.context.setOffline(true);
      await browser.page.goto(interviewUrl, { waitUntil: 'commit' });
      const handle = await browser.page.waitForFunction(
        () => (window as unknown as { benchFirstQuestion?: unknown }).benchFirstQuestion,
        undefined,
        { timeout: 30_000 },
      );
      const shown = (await handle.jsonValue()) as FirstQuestion;
      if (shown.id !== RESUME_AT)
        throw new Error(`resumed on ${shown.id ?? '?'}, not ${RESUME_AT}`);
      if (!shown.controlled) throw new Error('no service worker controls the page');
      painted.push(shown.painted);
      inDom.push(shown.inDom);
    } finally {
      await browser.close();
    }
  }
  return { painted, inDom };
}

export const coldStart: Figure = {
  number: 3,
  title: 'Cold start offline to a resumed interview; initial JavaScript',
  async run(context) {
    const dist = await context.builtApp();
    const { pool } = await context.siteRecords();
    const respondent = pool.find((candidate) => candidate.outcome === 'completed');
    if (respondent === undefined) throw new Error('no completed respondent generated');
    const script: Record<string, Answer> = Object.fromEntries(respondent.answers);

    const served = await serveFolder(dist);
    const profile = tempFolder('smpg-bench-f3-');
    let desktop: { painted: number[]; inDom: number[] };
    let tablet: { painted: number[]; inDom: number[] };
    try {
      // Online once: install the app (service worker, precache), set the tablet up, leave a draft.
      const setup = await launchChromium(profile.path);
      let interviewUrl: string;
      try {
        await setup.page.goto(served.url);
        await firstRun(setup.page);
        await waitForServiceWorkerControl(setup.page);
        await startInterview(setup.page, 'smpg');
        await answerUntil(setup.page, script, { stopAt: RESUME_AT });
        interviewUrl = setup.page.url();
      } finally {
        await setup.close();
      }
      desktop = await coldStarts(profile.path, interviewUrl, DESKTOP);
      context.log(`  ${RUNS} cold starts as a desktop`);
      tablet = await coldStarts(profile.path, interviewUrl, LOW_END_TABLET);
      context.log(`  ${RUNS} cold starts as a low-end tablet`);
    } finally {
      await served.close();
      profile.remove();
    }

    const chunks = initialChunks(dist).map((file) => ({
      file,
      kb: gzipSync(readFileSync(join(dist, file))).length / 1024,
    }));
    const total = chunks.reduce((sum, chunk) => sum + chunk.kb, 0);
    const rows: Row[] = [
      {
        figure: 3,
        measure: 'cold start offline to the resumed question painted',
        unit: 'ms',
        runs: desktop.painted,
        target: { op: '<', value: 400 },
        note:
          'Chromium relaunched on the same profile, network off, the interview URL opened; from ' +
          'navigation start to the frame after the question appears (MutationObserver, then ' +
          'requestAnimationFrame)',
      },
      {
        figure: 3,
        measure: 'cold start offline to the resumed question in the DOM',
        unit: 'ms',
        runs: desktop.inDom,
      },
      {
        figure: 3,
        measure: 'initial JavaScript, gzip',
        unit: 'KB',
        runs: [total],
        target: { op: '<=', value: 150 },
        note:
          'the module script and modulepreloads of dist/index.html and their static imports, ' +
          'each gzipped with node:zlib (default level); chunks: ' +
          chunks.map((chunk) => `${chunk.file} ${chunk.kb.toFixed(1)} KB`).join(', '),
      },
      ...chunks.map((chunk): Row => ({
        figure: 3,
        measure: `  ${chunk.file}`,
        unit: 'KB',
        runs: [chunk.kb],
      })),
      {
        figure: 3,
        measure: `${LOW_END_TABLET.label}cold start offline to the resumed question painted`,
        unit: 'ms',
        runs: tablet.painted,
        target: { op: '<', value: 1000 },
        note:
          `the same cold starts (${RUNS} runs) on the same profile, Chromium as a low-end ` +
          `Android tablet: ${LOW_END_TABLET.viewport.width}x${LOW_END_TABLET.viewport.height} ` +
          `CSS pixels, portrait, device pixel ratio ${LOW_END_TABLET.deviceScaleFactor}, touch; ` +
          `the page's main thread slowed ${LOW_END_TABLET.cpuSlowdown}x (DevTools ` +
          'Emulation.setCPUThrottlingRate, set before the navigation; the service worker and ' +
          'WebCrypto threads are not slowed)',
      },
      {
        figure: 3,
        measure: `${LOW_END_TABLET.label}cold start offline to the resumed question in the DOM`,
        unit: 'ms',
        runs: tablet.inDom,
      },
    ];
    return rows;
  },
};
