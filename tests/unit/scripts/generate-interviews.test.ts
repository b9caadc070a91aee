// The interview generator feeds the export and ingest benchmarks and demonstrations: its records
// must be ones the server accepts, tell one consistent story (status, screen-out, quota
// categories), and come out the same for the same seed, for every SMPG version.
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
import type { SmpgVersion } from '../../helpers/smpg.ts';
import { SMPG_VERSIONS, loadSmpg } from '../../helpers/smpg.ts';
import {
  QUOTA_FULL,
  UsageError,
  generateInterviews,
  newestDefinition,
  parseCommandLine,
  respondentPool,
  writeRecords,
} from '../../../scripts/generate-interviews.ts';

const plan = demoPlan('lille');

/** How each version's interviews may end, besides `completed` and a full quota cell. */
const SCREEN_OUTS: Record<SmpgVersion, readonly string[]> = {
  '2026.1': ['under_18', 'outside_zone', 'already_answered', 'no_consent'],
  '2026.2': [
    'under_18',
    'outside_zone',
    'institution_or_homeless',
    'already_answered',
    'no_consent',
  ],
};

const answersOf = (record: InterviewRecordWire): Map<string, Answer> =>
  new Map(Object.entries(record.answers));

describe.each(SMPG_VERSIONS)('generated interviews of SMPG %s', (version) => {
  const smpg = loadSmpg(version);
  const OPTIONS: GenerateOptions = {
    questionnaire: smpg,
    site: 'lille',
    count: 400,
    distinct: 120,
    seed: 7,
    plan,
  };
  const records = [...generateInterviews(OPTIONS)];

  it('are records the server accepts', () => {
    expect(records).toHaveLength(400);
    for (const record of records) {
      expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
      // The clock the server checks with (src/server/app.ts).
      expect(checkRecord(smpg, record, { today: () => record.endedAt.slice(0, 10) })).toEqual([]);
      expect(record.site).toBe('lille');
      expect(record.questionnaireVersion).toBe(version);
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
    // Each screen-out at its field rate (the rarest, 1 in 100, may be missing from 120 people).
    const possible = new Set(['completed', QUOTA_FULL, ...SCREEN_OUTS[version]]);
    for (const outcome of outcomes) expect(possible.has(outcome), outcome).toBe(true);
    expect(outcomes.size).toBeGreaterThanOrEqual(possible.size - 1);
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

describe('generated interviews of SMPG 2026.2', () => {
  const smpg = loadSmpg('2026.2');
  // Enough respondents for the rarer results (about 500 completed interviews).
  const pool = respondentPool({ questionnaire: smpg, site: 'lille', count: 600, seed: 3, plan });
  const done = pool.filter((respondent) => respondent.outcome === 'completed');
  const share = (name: string, value: number | string = 1) =>
    done.filter((respondent) => respondent.record.computed[name] === value).length / done.length;

  it('end in every way, people out of scope among them', () => {
    expect(new Set(pool.map((respondent) => respondent.outcome))).toEqual(
      new Set(['completed', QUOTA_FULL, ...SCREEN_OUTS['2026.2']]),
    );
    const outOfScope = pool.filter((r) => r.outcome === 'institution_or_homeless').length;
    expect(outOfScope / pool.length).toBeGreaterThan(0.005);
    expect(outOfScope / pool.length).toBeLessThan(0.05);
  });

  it('say their occupation on the tablet, and no record carries it', () => {
    for (const respondent of done) {
      const said = respondent.answers.get('occupation_said');
      expect(typeof said === 'string' && said.length > 0 && said.length <= 200).toBe(true);
      expect(respondent.order.indexOf('occupation_said')).toBe(respondent.order.indexOf('csp') - 1);
      expect(respondent.record.answers).not.toHaveProperty('occupation_said');
      expect(respondent.record.answers).toHaveProperty('csp');
    }
    // Retired people name their last job, and are coded 7.
    const retired = done.filter((respondent) => respondent.answers.get('csp') === '7');
    expect(retired.length).toBeGreaterThan(0);
    for (const respondent of retired)
      expect(respondent.answers.get('occupation_said')).toMatch(/^retraitée?, avant /);
  });

  it('tell alcohol and drug dependence from abuse, never both', () => {
    for (const [dependence, abuse] of [
      ['res_alc_dependence', 'res_alc_abuse'],
      ['res_drug_dependence', 'res_drug_abuse'],
    ] as const) {
      expect(share(dependence)).toBeGreaterThan(0.005);
      expect(share(abuse)).toBeGreaterThan(0.005);
      expect(share(dependence) + share(abuse)).toBeLessThan(0.1);
      for (const respondent of done)
        expect(
          respondent.record.computed[dependence] === 1 && respondent.record.computed[abuse] === 1,
        ).toBe(false);
    }
  });

  it('spread over the suicide risk levels, each with its alert', () => {
    expect(share('suicide_level', 'none')).toBeGreaterThan(0.7);
    for (const level of ['low', 'moderate', 'high'])
      expect(share('suicide_level', level)).toBeGreaterThan(0);
    // About 2 % at high risk in the SMPG (DREES 347), fewer than at moderate or low risk.
    expect(share('suicide_level', 'high')).toBeLessThan(0.05);
    expect(share('suicide_level', 'high')).toBeLessThan(share('suicide_level', 'moderate'));
    for (const respondent of pool) {
      const level = respondent.record.computed['suicide_level'];
      // A level a non-response leaves open is not in the data; its alerts follow the protocol's
      // rule as written (the non-response counted as no answer).
      if (typeof level === 'object') continue;
      expect(respondent.alerts.includes('suicide_high')).toBe(level === 'high');
      expect(respondent.alerts.includes('suicide_moderate')).toBe(level === 'moderate');
    }
  });

  it('screen positive in every module, at the orders of magnitude of the SMPG', () => {
    const results = Object.keys(done[0]?.record.computed ?? {}).filter((name) =>
      name.startsWith('res_'),
    );
    expect(results).toHaveLength(16);
    for (const name of results) expect(share(name), name).toBeGreaterThan(0);
    expect(share('res_dep')).toBeGreaterThan(0.06);
    expect(share('res_dep')).toBeLessThan(0.16);
    expect(share('res_dep_recurrent')).toBeGreaterThan(0.02);
    expect(share('res_dep_recurrent')).toBeLessThan(share('res_dep'));
    expect(share('res_gad')).toBeGreaterThan(0.06);
    expect(share('res_psychosis')).toBeLessThan(0.05);
    for (const respondent of done)
      expect(
        respondent.record.computed['res_dep'] === 1 &&
          respondent.record.computed['res_dysthymia'] === 1,
      ).toBe(false);
  });

  it('name a religion and a cultural community now and then', () => {
    const religion = done.filter((respondent) => respondent.answers.has('sd_religion_which'));
    const community = done.filter((respondent) => respondent.answers.has('sd_community_which'));
    expect(religion.length / done.length).toBeGreaterThan(0.3);
    expect(community.length / done.length).toBeGreaterThan(0.05);
    expect(community.length / done.length).toBeLessThan(0.3);
    for (const respondent of community) {
      const which = respondent.answers.get('sd_community_which');
      // A community in the respondent's words, or "don't know" / "refused".
      if (typeof which === 'string') expect(which.length).toBeLessThanOrEqual(100);
      else expect(which).toHaveProperty('nonResponse');
      expect(respondent.record.answers['sd_community_which']).toEqual(which);
    }
  });
});

describe('npm run generate:interviews', () => {
  const run = (args: string[]): InterviewRecordWire[] => {
    const out = join(mkdtempSync(join(tmpdir(), 'generate-')), 'records.jsonl');
    const { options } = parseCommandLine(args);
    const fd = openSync(out, 'w');
    const outcomes = writeRecords(fd, options);
    closeSync(fd);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(lines.length);
    return lines.map((line) => JSON.parse(line) as InterviewRecordWire);
  };

  it('writes one record a line, for the newest version unless told', () => {
    expect(newestDefinition('questionnaires/smpg')).toBe('questionnaires/smpg/2026.2.json');
    const newest = loadSmpg('2026.2');
    const records = run(['--count', '25', '--site', 'S1', '--distinct', '10']);
    expect(records).toHaveLength(25);
    for (const record of records) {
      expect(record.site).toBe('S1');
      expect(record.questionnaireVersion).toBe('2026.2');
      expect(checkRecord(newest, record, { today: () => '2026-03-02' })).toEqual([]);
    }
  });

  it('writes the version it is given', () => {
    const older = loadSmpg('2026.1');
    const args = ['--count', '10', '--site', 'S1', '--distinct', '5'];
    const records = run([...args, '--questionnaire', 'questionnaires/smpg/2026.1.json']);
    expect(records).toHaveLength(10);
    for (const record of records) {
      expect(record.questionnaireVersion).toBe('2026.1');
      expect(checkRecord(older, record, { today: () => '2026-03-02' })).toEqual([]);
    }
  });

  it('refuses a missing site or a count that is not a number', () => {
    expect(() => parseCommandLine(['--count', '10'])).toThrow(UsageError);
    expect(() => parseCommandLine(['--count', 'ten', '--site', 'S'])).toThrow(/--count/);
  });
});
