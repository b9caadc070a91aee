// Figure 1: questionnaire ready (definition text parsed, loaded and validated, state created,
// first item computed) for the SMPG definition and a generated 1,000-item questionnaire, in Node
// and in Chromium. Every run is cold: a new Node process, or a freshly loaded page.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Figure, Row } from '../lib/figure.ts';
import { launchChromium, tempFolder } from '../lib/browser.ts';
import { FIGURE_QUESTIONNAIRE } from '../synthetic-questionnaire.ts';

const run = promisify(execFile);
const RUNS = 7;
const TARGET = { op: '<', value: 100 } as const;
const KINDS = ['smpg', 'synthetic'] as const;
const LABEL = {
  smpg: 'SMPG definition (249 items)',
  synthetic: `generated, ${FIGURE_QUESTIONNAIRE.items.toLocaleString('en-GB')} items, ${FIGURE_QUESTIONNAIRE.calculations} calculations`,
} as const;

export const questionnaireReady: Figure = {
  number: 1,
  title: 'Questionnaire ready: load + validate + first item',
  async run(context) {
    const node: Record<(typeof KINDS)[number], number[]> = { smpg: [], synthetic: [] };
    const child = context.compiled('ready-child');
    const smpg = join(context.root, 'questionnaires', 'smpg', '2026.1.json');
    for (let i = 0; i < RUNS; i++) {
      for (const kind of KINDS) {
        const { stdout } = await run(process.execPath, [child, kind === 'smpg' ? smpg : kind]);
        node[kind].push((JSON.parse(stdout) as { ms: number }).ms);
      }
    }

    const url = await context.enginePage();
    const profile = tempFolder('smpg-bench-f1-');
    const browser = await launchChromium(profile.path);
    const chromium: Record<(typeof KINDS)[number], number[]> = { smpg: [], synthetic: [] };
    try {
      for (let i = 0; i < RUNS; i++) {
        for (const kind of KINDS) {
          await browser.page.goto(url);
          await browser.page.waitForFunction(() => 'bench' in window);
          chromium[kind].push(
            await browser.page.evaluate((which) => window.bench.ready(which), kind),
          );
        }
      }
    } finally {
      await browser.close();
      profile.remove();
    }

    const note =
      'cold: a new Node process or a freshly loaded page per run; timed from the JSON text ' +
      '(JSON.parse, loadQuestionnaire, createState, nextItem)';
    return KINDS.flatMap((kind): Row[] => [
      {
        figure: 1,
        measure: `${LABEL[kind]}, Node`,
        unit: 'ms',
        runs: node[kind],
        target: TARGET,
        ...(kind === 'smpg' ? { note } : {}),
      },
      {
        figure: 1,
        measure: `${LABEL[kind]}, Chromium`,
        unit: 'ms',
        runs: chromium[kind],
        target: TARGET,
      },
    ]);
  },
};
