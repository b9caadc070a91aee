// Census files and plan files with mistakes, as a coordinator uploads them: every problem core
// finds carries a code with its values, and the dashboard says each one in French (its place
// included), with no English left; every code core can give has French and English words.
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CensusIssue, CensusPlanInput } from '../../../src/core/quota/census-files.ts';
import {
  CENSUS_ISSUE_CODES,
  planFromCensusFiles,
  readCensusFile,
} from '../../../src/core/quota/census-files.ts';
import type { QuotaIssue } from '../../../src/core/quota/index.ts';
import { QUOTA_ISSUE_CODES, loadQuotaPlan } from '../../../src/core/quota/index.ts';
import { readPlanFile } from '../../../src/dashboard/census-upload.ts';
import { IssueList } from '../../../src/dashboard/components/CensusPlanPanel.tsx';
import {
  CENSUS_WORDS,
  QUOTA_WORDS,
  censusIssueText,
  quotaIssueText,
} from '../../../src/dashboard/file-issues.ts';
import { DASHBOARD_TEXT, DashboardTextContext } from '../../../src/dashboard/text.ts';

const DIR = 'tests/fixtures/census';
const fixture = (name: string) => ({ name, text: readFileSync(`${DIR}/${name}`, 'utf8') });
const POPULATION = fixture('made-up-base-ic-evol-struct-pop-2021.csv');
const DIPLOMAS = fixture('made-up-base-ic-diplomes-formation-2021.csv');
const LONG_CSP = fixture('made-up-town-csp.csv');

function input(overrides: Partial<CensusPlanInput> = {}): CensusPlanInput {
  return {
    files: [POPULATION, DIPLOMAS],
    zone: ['97302', '97307'],
    bands: '18-29,30-44,45-59,60-74,75+',
    size: 900,
    tolerance: 0.05,
    site: 'cayenne',
    questionnaire: 'smpg',
    ...overrides,
  };
}

/** English words a French sentence would not have (codes and INSEE's column names aside). */
const ENGLISH =
  /\b(the|is|are|not|and|of|must|given|twice|zone has|expected|unknown|missing|row|line|column|file|choose|give|band|bands|cell|survey|target|should|has|have|with|only)\b/i;

/** Every problem of the scenarios below, each kind of mistake once or more. */
function scenarios(): CensusIssue[] {
  const long = [
    'sex;age;csp;count',
    '1;18-24;3;12',
    '3;18-24;0;x',
    '2;99-98;3;-1',
    '1;18-24;3;12',
  ].join('\n');
  const twice = `${LONG_CSP.text.trim()}\n1;15-19;1;5\n`;
  return [
    ...readCensusFile('bad-long.csv', long).issues,
    ...readCensusFile('nothing.csv', 'a;b\n1;2\n').issues,
    ...readCensusFile('no-group.csv', 'sex;age;count\n1;18-24;3\n').issues,
    ...planFromCensusFiles(input({ files: [{ name: 'twice.csv', text: twice }], zone: ['97302'] }))
      .issues,
    ...planFromCensusFiles(input({ zone: ['97399', '973020101'] })).issues,
    ...planFromCensusFiles(input({ zone: [] })).issues,
    ...planFromCensusFiles(input({ bands: '18-29, 25-44,50-64,65+,x', size: 0, tolerance: 2 }))
      .issues,
    ...planFromCensusFiles(input({ bands: '18-29,35-44,45+' })).issues,
    ...planFromCensusFiles(input({ bands: '18-29,30-79,80+' })).issues,
    ...planFromCensusFiles(input({ files: [] })).issues,
    ...planFromCensusFiles(
      input({
        files: [{ name: 'men.csv', text: 'sex;age;csp;count\n1;15-29;3;10\n1;30-44;3;10\n' }],
        zone: [],
      }),
    ).issues,
  ];
}

/** A plan file with a mistake of each kind `loadQuotaPlan` finds past the schema. */
function brokenPlan(): unknown {
  return {
    site: 'cayenne',
    questionnaire: 'smpg',
    sampleSize: 10,
    tolerance: 0.1,
    variables: [
      {
        id: 'sex',
        source: { item: 'sex', map: { a: '9' } },
        categories: [{ code: '1' }, { code: '2' }, { code: '2' }],
      },
      { id: 'sex', source: { item: 'sex' }, categories: [{ code: '1' }] },
    ],
    tables: [
      {
        id: 'sex',
        variables: ['sex'],
        cells: [
          { key: ['1'], target: 5, census: 3 },
          { key: ['1'], target: 1 },
          { key: ['7'], target: 1 },
        ],
      },
      { id: 'sex', variables: ['age'], cells: [{ key: ['18-29'], target: 10 }] },
    ],
    allocations: [{ interviewer: 'A', targets: { sex: { '1': 9, '8': 1 }, nope: { '1': 1 } } }],
  };
}

describe('census and plan problems in the dashboard’s words', () => {
  const issues = scenarios();
  const html = renderToStaticMarkup(
    <DashboardTextContext.Provider value={DASHBOARD_TEXT.fr}>
      <IssueList issues={issues} language="fr" />
    </DashboardTextContext.Provider>,
  );

  it('gives every problem a code core lists and the values it names', () => {
    const codes = new Set(issues.map((issue) => issue.code));
    // The scenarios cover many kinds of mistake, not one repeated.
    expect(codes.size).toBeGreaterThanOrEqual(20);
    for (const issue of issues) {
      expect(CENSUS_ISSUE_CODES).toContain(issue.code);
      expect(typeof issue.params).toBe('object');
      expect(issue.message).not.toBe('');
    }
    const bad = issues.find((issue) => issue.code === 'count_not_number');
    expect(bad).toMatchObject({ file: 'bad-long.csv', line: 3, column: 4, params: { value: 'x' } });
  });

  it('says each one in French with its place, and nothing of the English message', () => {
    for (const issue of issues) {
      const french = censusIssueText(issue, 'fr');
      expect(french, issue.code).not.toBe(issue.message);
      expect(french, `${issue.code}: ${french}`).not.toMatch(ENGLISH);
      expect(french).not.toBe('');
      // The panel's line: its file, line and column, then the words.
      expect(html).toContain(`ligne ${issue.line}, colonne ${issue.column}`);
    }
    expect(html).toContain('ligne 3, colonne 4</span> : l’effectif « x » n’est pas un nombre');
    expect(html).not.toContain('is not a number');
    const twice = issues.find((each) => each.code === 'long_row_twice');
    expect(twice && censusIssueText(twice, 'fr')).toBe(
      'sexe 1, âge 15-19, CSP 1 est donné deux fois (d’abord ligne 2) : cette ligne est laissée de côté',
    );
  });

  it('says them in English when the dashboard is in English', () => {
    const negative = issues.find((issue) => issue.code === 'count_negative');
    expect(negative && censusIssueText(negative, 'en')).toBe('the count -1 is negative');
  });

  it('says a plan file’s problems in French, schema problems included', () => {
    const checked = readPlanFile(JSON.stringify(brokenPlan()), 'cayenne');
    expect('issues' in checked).toBe(true);
    const planIssues: readonly QuotaIssue[] = 'issues' in checked ? checked.issues : [];
    expect(new Set(planIssues.map((issue) => issue.code)).size).toBeGreaterThanOrEqual(8);
    const shape = loadQuotaPlan({ site: 'x', sampleSize: 1.5, extra: 1 });
    const schema = shape.status === 'failure' ? shape.issues : [];
    expect(schema.length).toBeGreaterThan(0);
    for (const issue of [...planIssues, ...schema]) {
      expect(QUOTA_ISSUE_CODES).toContain(issue.code);
      const french = quotaIssueText(issue, 'fr');
      expect(french, issue.code).not.toBe(issue.message);
      expect(french, `${issue.code}: ${french}`).not.toMatch(ENGLISH);
    }
    const sum = planIssues.find((issue) => issue.code === 'targets_sum');
    expect(sum && quotaIssueText(sum, 'fr')).toBe(
      'les objectifs font 7 en tout, pas la taille de l’échantillon (10)',
    );
  });

  it('keeps the English message for a code it does not know', () => {
    const newer = {
      ...issues[0],
      code: 'from_a_newer_core',
      message: 'something new',
    } as unknown as CensusIssue;
    expect(censusIssueText(newer, 'fr')).toBe('something new');
    const plan = { path: 'x', code: 'newer', params: {}, message: 'new' } as unknown as QuotaIssue;
    expect(quotaIssueText(plan, 'fr')).toBe('new');
  });
});

describe('every code core can give has words', () => {
  it('in French and in English, for census files and for plans', () => {
    for (const words of [CENSUS_WORDS.fr, CENSUS_WORDS.en])
      expect(Object.keys(words).sort()).toEqual([...CENSUS_ISSUE_CODES].sort());
    for (const words of [QUOTA_WORDS.fr, QUOTA_WORDS.en])
      expect(Object.keys(words).sort()).toEqual([...QUOTA_ISSUE_CODES].sort());
  });
});
