// The CPU time of the server's checks of one record (JSON.parse, then `admitRecord`: shape, review,
// canonical JSON, hash), alone: a loaded machine makes wall-clock figures noise, CPU time less so.
// Compile it first (tsx's keepNames slows the checks several times over), e.g.
//   npx esbuild bench/check-cost.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=bench/.build/check-cost.mjs && node bench/.build/check-cost.mjs [--records 2000]
// Prints the median microseconds of CPU per record over the rounds, and each round's.
import { parseArgs } from 'node:util';
import { loadQuestionnaire } from '../src/core/questionnaire/index.ts';
import { admitRecord } from '../src/server/admit.ts';
import { demoPlan } from '../src/server/main.ts';
import { generateInterviews, newestDefinition } from '../scripts/generate-interviews.ts';
import { readFileSync } from 'node:fs';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '9' },
    definition: { type: 'string', default: newestDefinition('questionnaires/smpg') },
  },
});
const count = Number(values.records);
const rounds = Number(values.rounds);
const loaded = loadQuestionnaire(JSON.parse(readFileSync(values.definition, 'utf8')) as unknown);
if (loaded.status === 'failure') throw new Error(`${values.definition} does not load`);
const q = loaded.questionnaire;
const plan = demoPlan('bench');
// As figure 7's records: the bench's generator, seed 1, the demo plan.
const records = [...generateInterviews({ questionnaire: q, site: 'bench', count, plan, seed: 1 })];
// Each record's JSON on its own: a round parses each as a worker parses its slice.
const texts = records.map((record) => JSON.stringify(record));
const uploader = {
  site: 'bench',
  deviceId: 'bench-device',
  receivedAt: '2026-06-01T08:00:00.000Z',
  plan,
  pickupPoints: [],
  questionnaire: () => Promise.resolve(q),
};

async function round(): Promise<number> {
  const before = process.cpuUsage();
  for (const [index, text] of texts.entries()) {
    const admitted = await admitRecord(JSON.parse(text) as unknown, index, uploader);
    if ('rejected' in admitted)
      throw new Error(`a generated record is refused: ${admitted.rejected.reason ?? ''}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / texts.length;
}

// Two rounds warm the code up.
await round();
await round();
const perRecord: number[] = [];
for (let i = 0; i < rounds; i++) perRecord.push(await round());
const sorted = [...perRecord].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ records: count, medianUs: Math.round(median * 10) / 10, roundsUs: perRecord.map((us) => Math.round(us)) })}\n`,
);
