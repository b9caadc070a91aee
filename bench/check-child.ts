// What the server does to every uploaded record before storing it (JSON.parse of the body, then
// the upload route's own `admitRecord`: shape, review against the server's own replay, canonical
// JSON, hash), timed in a
// process of its own
// (figure 7): `node check-child.mjs <definition.json>` compiled, or under tsx as `npm start` runs
// the server. Prints the milliseconds per record as JSON.
import { readFileSync } from 'node:fs';
import { loadQuestionnaire } from '../src/core/questionnaire/index.ts';
import { admitRecord } from '../src/server/admit.ts';
import { demoPlan } from '../src/server/main.ts';
import { generateInterviews } from '../scripts/generate-interviews.ts';

const BATCHES = 5;
const BATCH = 500;

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: check-child <definition.json>\n');
  process.exit(2);
}
const loaded = loadQuestionnaire(JSON.parse(readFileSync(file, 'utf8')) as unknown);
if (loaded.status === 'failure') throw new Error(`${file} does not load`);
const q = loaded.questionnaire;
const records = [
  ...generateInterviews({
    questionnaire: q,
    site: 'bench',
    count: BATCHES * BATCH,
    distinct: 100,
    plan: demoPlan('bench'),
  }),
];
const bodies = Array.from({ length: BATCHES }, (_, i) =>
  JSON.stringify({ records: records.slice(i * BATCH, (i + 1) * BATCH) }),
);
const uploader = {
  site: 'bench',
  deviceId: 'bench-device',
  receivedAt: '2026-06-01T08:00:00.000Z',
  plan: demoPlan('bench'),
  pickupPoints: [],
  questionnaire: () => Promise.resolve(q),
};
const perRecord: number[] = [];
for (const body of bodies) {
  const start = performance.now();
  const raws = (JSON.parse(body) as { records: unknown[] }).records;
  for (const [index, raw] of raws.entries()) {
    const admitted = await admitRecord(raw, index, uploader);
    if ('rejected' in admitted)
      throw new Error(`a generated record is refused: ${admitted.rejected.reason ?? ''}`);
  }
  perRecord.push((performance.now() - start) / BATCH);
}
// The first batch warms the code up; the others are what a running server does.
process.stdout.write(`${JSON.stringify({ ms: perRecord.slice(1) })}\n`);
