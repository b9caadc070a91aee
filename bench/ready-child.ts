// One cold "questionnaire ready" in a fresh Node process (figure 1): `node ready-child.mjs
// <definition.json>` (or `synthetic`) prints the milliseconds as JSON. A new process per run, so
// that every run starts with cold code, as an app does when it opens.
import { readFileSync } from 'node:fs';
import { timeReady } from './engine-timing.ts';
import { FIGURE_QUESTIONNAIRE, syntheticQuestionnaire } from './synthetic-questionnaire.ts';

const which = process.argv[2];
if (which === undefined) {
  process.stderr.write('usage: ready-child <definition.json> | synthetic\n');
  process.exit(2);
}
const text =
  which === 'synthetic'
    ? JSON.stringify(syntheticQuestionnaire(FIGURE_QUESTIONNAIRE).definition)
    : readFileSync(which, 'utf8');
process.stdout.write(`${JSON.stringify({ ms: timeReady(text).ms })}\n`);
