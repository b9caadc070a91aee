// Figure 2: our engine against ODK's published one (@getodk/xforms-engine 0.22.0) on the same
// generated questionnaire (1,000 items, 300 calculations, relevance on 60 %), ours as JSON and
// theirs as the equivalent XForm, in the same Chromium page: ready (their loadForm +
// createInstance) and answering every item the walk reaches one by one (ours setAnswer +
// nextItem, theirs setting the value of each node). Both engines must end in the same state.
import type { Figure, Row } from '../lib/figure.ts';
import { launchChromium, tempFolder } from '../lib/browser.ts';
import type { Comparison } from '../browser/engine-page.ts';
import { FIGURE_QUESTIONNAIRE } from '../synthetic-questionnaire.ts';

const RUNS = 5;
const TARGET = { op: '>=', value: 10 } as const;

export const odkComparison: Figure = {
  number: 2,
  title: 'Against ODK Web Forms’ engine (@getodk/xforms-engine)',
  async run(context) {
    const url = await context.enginePage();
    const profile = tempFolder('smpg-bench-f2-');
    const browser = await launchChromium(profile.path);
    const runs: Comparison[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        await browser.page.goto(url);
        await browser.page.waitForFunction(() => 'bench' in window);
        runs.push(await browser.page.evaluate(() => window.bench.compare()));
        context.log(`  run ${i + 1}/${RUNS}`);
      }
    } finally {
      await browser.close();
      profile.remove();
    }
    const disagree = runs.find(
      (run) =>
        run.ours.relevant !== run.theirs.relevant ||
        run.ours.calculationSum !== run.theirs.calculationSum,
    );
    const answered = runs[0]?.answered ?? 0;
    const check =
      disagree === undefined
        ? `both engines end in the same state (${runs[0]?.ours.relevant ?? '?'} relevant questions, ` +
          `same sum of the ${FIGURE_QUESTIONNAIRE.calculations} calculations)`
        : `THE ENGINES DISAGREE: ours ${JSON.stringify(disagree.ours)}, ODK ${JSON.stringify(disagree.theirs)}`;
    const rows: Row[] = [
      {
        figure: 2,
        measure: 'ready: ODK time / ours',
        unit: 'x',
        runs: runs.map((run) => run.theirsReadyMs / run.oursReadyMs),
        target: TARGET,
        note: `each run in a freshly loaded page; ${check}`,
      },
      {
        figure: 2,
        measure: `answering ${answered} items one by one: ODK time / ours`,
        unit: 'x',
        runs: runs.map((run) => run.theirsAnsweringMs / run.oursAnsweringMs),
        target: TARGET,
        note:
          `the walk reaches ${answered} of the ${FIGURE_QUESTIONNAIRE.items - FIGURE_QUESTIONNAIRE.calculations} questions with the generated answers (the others ` +
          'are not relevant); ODK gets the same values on the same nodes in the same order',
      },
      { figure: 2, measure: 'ready, ours', unit: 'ms', runs: runs.map((run) => run.oursReadyMs) },
      { figure: 2, measure: 'ready, ODK', unit: 'ms', runs: runs.map((run) => run.theirsReadyMs) },
      {
        figure: 2,
        measure: 'answering, ours',
        unit: 'ms',
        runs: runs.map((run) => run.oursAnsweringMs),
      },
      {
        figure: 2,
        measure: 'answering, ODK',
        unit: 'ms',
        runs: runs.map((run) => run.theirsAnsweringMs),
      },
    ];
    return rows;
  },
};
