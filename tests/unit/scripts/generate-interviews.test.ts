// The interview generator feeds the export and ingest benchmarks and demonstrations: its records
// must be ones the server accepts, tell one consistent story (status, screen-out, quota
// categories), and come out the same for the same seed.
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterviewRecordSchema } from '../../../src/core/protocol/index.ts';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import type { Answer } from '../../../src/core/questionnaire/index.ts';
import { activeScreenOut, createState } from '../../../src/core/questionnaire/index.ts';
import { cellsOf, classify } from '../../../src/core/quota/index.ts';
import { checkRecord } from '../../../src/core/record/index.ts';
import { demoPlan } from '../../../src/server/main.ts';
import type { GenerateOptions } from '../../../scripts/generate-interviews.ts';
import { loadSmpg } from '../../helpers/smpg.ts';
import {
  QUOTA_FULL,
  UsageError,
  generateInterviews,
  parseCommandLine,
  respondentPool,
  writeRecords,
} from '../../../scripts/generate-interviews.ts';

const smpg = loadSmpg();
const plan = demoPlan('lille');
const OPTIONS: GenerateOptions = {
  questionnaire: smpg,
  site: 'lille',
  count: 400,
  distinct: 120,
  seed: 7,
  plan,
};
const records = [...generateInterviews(OPTIONS)];

const answersOf = (record: InterviewRecordWire): Map<string, Answer> =>
  new Map(Object.entries(record.answers));

describe('generated interviews', () => {
  it('are records the server accepts', () => {
    expect(records).toHaveLength(400);
    for (const record of records) {
      expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
      // The clock the server checks with (src/server/app.ts).
      expect(checkRecord(smpg, record, { today: () => record.endedAt.slice(0, 10) })).toEqual([]);
      expect(record.site).toBe('lille');
      expect(record.answers).not.toHaveProperty('interviewer_note');
    }
    expect(new Set(records.map((record) => record.id)).size).toBe(records.length);
  });

  it('end as their answers say, with the quota categories the app records', () => {
    const screenOuts = new Set(smpg.screenOuts.map(({ screenOut }) => screenOut.id));
    const outcomes = new Set<string>();
    for (const record of records) {
      const answers = answersOf(record);
      const ending = activeScreenOut(smpg, createState(smpg, answers, { today: () => '' }));
      outcomes.add(record.screenOutId ?? record.status);
      if (record.status === 'completed') {
        expect(record.screenOutId).toBeUndefined();
        expect(ending).toBeUndefined();
      } else if (record.screenOutId === QUOTA_FULL) {
        expect(ending).toBeUndefined();
      } else {
        expect(screenOuts.has(record.screenOutId ?? '')).toBe(true);
        expect(ending?.id).toBe(record.screenOutId);
      }
      if (record.status === 'completed' || record.screenOutId === QUOTA_FULL) {
        // Placed in every table of the plan, from the answers the record carries.
        expect(record.quotaCategories).toEqual(classify(plan, answers));
        expect(cellsOf(plan, record.quotaCategories)).toHaveLength(plan.tables.length);
      } else {
        expect(record.quotaCategories).toEqual({});
      }
      expect(Date.parse(record.endedAt) - Date.parse(record.startedAt)).toBe(
        record.durationSeconds * 1000,
      );
    }
    expect(outcomes).toEqual(
      new Set([
        'completed',
        QUOTA_FULL,
        'under_18',
        'outside_zone',
        'already_answered',
        'no_consent',
      ]),
    );
    const completed = records.filter((record) => record.status === 'completed').length;
    expect(completed / records.length).toBeGreaterThan(0.7);
  });

  it('mix personas: most screen negative everywhere, some positive, alerts when the risk is high', () => {
    const pool = respondentPool(OPTIONS);
    const done = pool.filter((respondent) => respondent.outcome === 'completed');
    const positive = (name: string) =>
      done.filter((respondent) => respondent.record.computed[name] === 1).length / done.length;
    expect(new Set(pool.map((respondent) => respondent.persona)).size).toBeGreaterThan(5);
    expect(positive('res_dep')).toBeGreaterThan(0.03);
    expect(positive('res_dep')).toBeLessThan(0.25);
    const anyPositive = done.filter((respondent) =>
      Object.entries(respondent.record.computed).some(
        ([name, value]) => name.startsWith('res_') && value === 1,
      ),
    ).length;
    expect(anyPositive / done.length).toBeLessThan(0.6);
    for (const respondent of pool) {
      const high = respondent.record.computed['suicide_level'] === 'high';
      expect(respondent.record.alerts.includes('suicide_high')).toBe(high);
    }
  });

  it('are reproducible from the seed', () => {
    expect([...generateInterviews(OPTIONS)]).toEqual(records);
    const other = [...generateInterviews({ ...OPTIONS, seed: 8 })];
    expect(other.map((record) => record.id)).not.toEqual(records.map((record) => record.id));
  });

  it('carry no quota categories and no quota screen-out without a plan', () => {
    const plain = [...generateInterviews({ ...OPTIONS, plan: undefined, count: 100 })];
    for (const record of plain) {
      expect(record.quotaCategories).toEqual({});
      expect(record.screenOutId).not.toBe(QUOTA_FULL);
    }
  });
});

describe('npm run generate:interviews', () => {
  it('writes one record a line', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'generate-')), 'records.jsonl');
    const { options } = parseCommandLine(['--count', '25', '--site', 'S1', '--distinct', '10']);
    const fd = openSync(out, 'w');
    const outcomes = writeRecords(fd, options);
    closeSync(fd);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(25);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(25);
    for (const line of lines) {
      const record = JSON.parse(line) as InterviewRecordWire;
      expect(record.site).toBe('S1');
      expect(checkRecord(smpg, record, { today: () => '2026-03-02' })).toEqual([]);
    }
  });

  it('refuses a missing site or a count that is not a number', () => {
    expect(() => parseCommandLine(['--count', '10'])).toThrow(UsageError);
    expect(() => parseCommandLine(['--count', 'ten', '--site', 'S'])).toThrow(/--count/);
  });
});
