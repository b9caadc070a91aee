// Figure 3: cold start of the real built app, network off, service worker in control, to the first
// question of a resumed interview on screen; and the JavaScript the built index.html loads up
// front, gzipped. Each run launches Chromium again on the same profile (service worker, caches and
// IndexedDB kept from the online visit), cuts the network, and opens the interview's URL.
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
import { launchChromium, serveFolder, tempFolder } from '../lib/browser.ts';

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
    const painted: number[] = [];
    const inDom: number[] = [];
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
      for (let i = 0; i < RUNS; i++) {
        const browser = await launchChromium(profile.path);
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
        runs: painted,
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
        runs: inDom,
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
    ];
    return rows;
  },
};
