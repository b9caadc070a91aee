// Figure 8: quotas with 20 tablets offline all day (src/core/quota/simulation.ts): approaches
// needed to fill 900 when the server re-pools the shares at each sync, against pooled counts
// (every tablet seeing every count at once, the unreachable ideal), and shares that never move.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { censusScenario, simulate } from '../../src/core/quota/simulation.ts';
import type { Figure, Row } from '../lib/figure.ts';
import { median } from '../lib/stats.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7];
const TABLETS = 20;
const DAY = 200;
const SYNC_EVERY = 20;

export const offlineQuotas: Figure = {
  number: 8,
  title: 'Quotas with 20 tablets offline all day',
  run(context) {
    const csv = readFileSync(
      join(context.root, 'tests', 'fixtures', 'census', 'made-up-town-csp.csv'),
      'utf8',
    );
    const { plan, population } = censusScenario(csv, { sampleSize: 900, tolerance: 0.05 });
    const day = { tablets: TABLETS, day: DAY, syncEvery: SYNC_EVERY, plan, population };
    const pooled = SEEDS.map((seed) => simulate({ ...day, mode: 'pooled', seed }));
    const repooled = SEEDS.map((seed) => simulate({ ...day, mode: 'repool', seed }));
    const fixed = SEEDS.map((seed) => simulate({ ...day, mode: 'fixed', seed }));
    const alone = SEEDS.map((seed) => simulate({ ...day, mode: 'alone', seed }));
    if (pooled.some((result) => !result.filled) || repooled.some((result) => !result.filled))
      throw new Error('a simulated day did not fill 900');
    const cells = plan.tables.reduce((sum, table) => sum + table.cells.length, 0);
    const over = (results: typeof pooled) => results.map((result) => result.over.length);
    const rows: Row[] = [
      {
        figure: 8,
        measure: 'approaches to fill 900, re-pooled at each sync / pooled counts',
        unit: 'x',
        runs: repooled.map((result, i) => result.approaches / (pooled[i]?.approaches ?? NaN)),
        note:
          `${TABLETS} tablets, one interviewer each, passers-by in the census proportions of ` +
          `tests/fixtures/census/made-up-town-csp.csv (sex x age and CSP: ${cells} cells, ` +
          `5 % tolerance), each tablet syncing every 1 to ${2 * SYNC_EVERY - 1} approaches at ` +
          `random, one run per seed (${SEEDS.join(', ')}); median approaches: pooled ` +
          `${median(pooled.map((result) => result.approaches))}, re-pooled ` +
          `${median(repooled.map((result) => result.approaches))}; cells over their limit, at ` +
          `most: re-pooled ${Math.max(...over(repooled))}, without shares (each tablet on what ` +
          `it knows) ${Math.max(...over(alone))} of ${cells}`,
      },
      {
        figure: 8,
        measure: `completed with shares that never move, after ${TABLETS * DAY} approaches / 900`,
        unit: 'x',
        runs: fixed.map((result) => result.completed / 900),
        note:
          'equal shares of each cell (largest remainder), counted per interviewer across ' +
          `tablets, never re-pooled: ${fixed.filter((result) => result.filled).length} of ` +
          `${SEEDS.length} days fill 900; cells over their limit: ${Math.max(...over(fixed))}`,
      },
    ];
    return Promise.resolve(rows);
  },
};
