// What the server does to every uploaded record before storing it (JSON.parse of the body, the
// protocol schema, checkRecord, the canonical JSON and its hash), timed in a process of its own
// (figure 7): `node check-child.mjs <definition.json>` compiled, or under tsx as `npm start` runs
// the server. Prints the milliseconds per record as JSON.
import { readFileSync } from 'node:fs';
import { InterviewRecordSchema } from '../src/core/protocol/index.ts';
import { loadQuestionnaire } from '../src/core/questionnaire/index.ts';
import { checkRecord } from '../src/core/record/index.ts';
import { canonicalJson, sha256 } from '../src/server/auth.ts';
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
const perRecord: number[] = [];
for (const body of bodies) {
  const start = performance.now();
  for (const raw of (JSON.parse(body) as { records: unknown[] }).records) {
    const parsed = InterviewRecordSchema.safeParse(raw);
    if (!parsed.success) throw new Error('a generated record does not parse');
    const record = parsed.data;
    if (checkRecord(q, record, { today: () => record.endedAt.slice(0, 10) }).length > 0)
      throw new Error('a generated record does not pass checkRecord');
    sha256(canonicalJson(record));
  }
  perRecord.push((performance.now() - start) / BATCH);
}
// The first batch warms the code up; the others are what a running server does.
process.stdout.write(`${JSON.stringify({ ms: perRecord.slice(1) })}\n`);
