// Figure 1: questionnaire ready (definition text parsed, loaded and validated, state created,
// first item computed) for the SMPG definition the app starts (its newest version) and a generated
// 1,000-item questionnaire, in Node and in Chromium. Every run is cold: a new Node process, or a freshly loaded page.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Figure, Row } from '../lib/figure.ts';
import { launchChromium, tempFolder } from '../lib/browser.ts';
import { FIGURE_QUESTIONNAIRE } from '../synthetic-questionnaire.ts';
import { newestDefinition } from '../../scripts/generate-interviews.ts';

const run = promisify(execFile);
const RUNS = 7;
const TARGET = { op: '<', value: 100 } as const;
const KINDS = ['smpg', 'synthetic'] as const;

/** The SMPG version the app starts (the engine page serves the same file), and its size. */
function smpgDefinition(root: string): { file: string; label: string } {
  const file = newestDefinition(join(root, 'questionnaires', 'smpg'));
  const definition = JSON.parse(readFileSync(file, 'utf8')) as {
    version: string;
    sections: { items: unknown[] }[];
  };
  const items = definition.sections.reduce((sum, section) => sum + section.items.length, 0);
  return { file, label: `SMPG definition ${definition.version} (${items} items)` };
}

export const questionnaireReady: Figure = {
  number: 1,
  title: 'Questionnaire ready: load + validate + first item',
  async run(context) {
    const node: Record<(typeof KINDS)[number], number[]> = { smpg: [], synthetic: [] };
    const child = context.compiled('ready-child');
    const { file: smpg, label: smpgLabel } = smpgDefinition(context.root);
    const label = {
      smpg: smpgLabel,
      synthetic: `generated, ${FIGURE_QUESTIONNAIRE.items.toLocaleString('en-GB')} items, ${FIGURE_QUESTIONNAIRE.calculations} calculations`,
    } as const;
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
        measure: `${label[kind]}, Node`,
        unit: 'ms',
        runs: node[kind],
        target: TARGET,
        ...(kind === 'smpg' ? { note } : {}),
      },
      {
        figure: 1,
        measure: `${label[kind]}, Chromium`,
        unit: 'ms',
        runs: chromium[kind],
        target: TARGET,
      },
    ]);
  },
};
