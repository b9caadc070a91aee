// The margins file and the weights' note are what an analyst checks the weights against: one row
// per quota cell with census, sample and weighted figures written in full, and the method in words.
import { describe, expect, it } from 'vitest';
import { MARGINS_HEADER, marginsRows, methodNote } from '../../../../src/core/export/margins.ts';
import type { QuotaPlan } from '../../../../src/core/quota/index.ts';
import { rakeWeights } from '../../../../src/core/quota/index.ts';

type Sample = Readonly<Record<string, string | undefined>>;

const times = (n: number, sample: Sample): Sample[] => Array.from({ length: n }, () => sample);

/** Sex x age crossed (census narrowed, so fractional) and a CSP marginal with labels in French. */
const plan: QuotaPlan = {
  site: '=cayenne',
  questionnaire: 'smpg',
  sampleSize: 10,
  tolerance: 0.05,
  variables: [
    {
      id: 'sex',
      source: { item: 'sex' },
      categories: [
        { code: '1', label: { fr: 'Homme', en: 'Man' } },
        { code: '2', label: { fr: 'Femme', en: 'Woman' } },
      ],
    },
    { id: 'age', source: { item: 'age' }, categories: [{ code: '18-29' }, { code: '30+' }] },
    {
      id: 'csp',
      source: { item: 'csp' },
      categories: [
        { code: '5', label: { fr: 'Employés' } },
        { code: '7', label: { fr: 'Retraités' } },
      ],
    },
  ],
  tables: [
    {
      id: 'sex_age',
      variables: ['sex', 'age'],
      cells: [
        { key: ['1', '18-29'], target: 2, census: 1234.56789 },
        { key: ['1', '30+'], target: 3, census: 2765.43211 },
        { key: ['2', '18-29'], target: 2, census: 1500 },
        { key: ['2', '30+'], target: 3, census: 2500 },
      ],
    },
    {
      id: 'csp',
      variables: ['csp'],
      cells: [
        { key: ['5'], target: 6, census: 4800 },
        { key: ['7'], target: 4, census: 3200 },
      ],
    },
  ],
};

const samples: Sample[] = [
  ...times(3, { sex: '1', age: '18-29', csp: '5' }),
  ...times(2, { sex: '1', age: '30+', csp: '7' }),
  ...times(1, { sex: '1', age: '30+', csp: '5' }),
  ...times(2, { sex: '2', age: '18-29', csp: '5' }),
  ...times(2, { sex: '2', age: '30+', csp: '7' }),
  ...times(1, { sex: '2', age: '30+', csp: '5' }),
  { sex: '2', age: '30+' },
];

describe('marginsRows', () => {
  const result = rakeWeights(plan, samples);
  const rows = marginsRows('=cayenne', plan, result, 'en');

  it('writes one row per cell of every table, each as long as the header', () => {
    expect(result.converged).toBe(true);
    expect(rows).toHaveLength(4 + 2);
    for (const row of rows) expect(row).toHaveLength(MARGINS_HEADER.length);
    expect(rows.map((row) => `${row[1]} ${row[2]} ${row[3]}`)).toEqual([
      'sex_age sex|age 1|18-29',
      'sex_age sex|age 1|30+',
      'sex_age sex|age 2|18-29',
      'sex_age sex|age 2|30+',
      'csp csp 5',
      'csp csp 7',
    ]);
  });

  it('writes census, target, sample and weighted figures in full, shares to 6 decimals', () => {
    const column = (name: (typeof MARGINS_HEADER)[number]) => MARGINS_HEADER.indexOf(name);
    const first = rows[0] ?? [];
    expect(first[column('census')]).toBe('1234.56789');
    // 1234.56789 of 8000.
    expect(first[column('census_share')]).toBe('0.154321');
    expect(first[column('target')]).toBe('2');
    // 3 of the 11 samples weighted (the 12th has no CSP).
    expect(first[column('sample')]).toBe('3');
    expect(first[column('sample_share')]).toBe('0.272727');
    expect(Number(first[column('weighted')])).toBeCloseTo((1234.56789 / 8000) * 11, 5);
    expect(first[column('weighted_share')]).toBe('0.154321');
    expect(first[column('basis')]).toBe('census');
    const csp = rows[4] ?? [];
    expect(csp[column('census')]).toBe('4800');
    expect(csp[column('census_share')]).toBe('0.600000');
    expect(csp[column('weighted')]).toBe('6.6');
  });

  it("labels each cell in the language asked, else in the plan's language, else by code", () => {
    const labels = (language: string) =>
      marginsRows('site', plan, result, language).map((row) => row[4]);
    expect(labels('en')).toEqual([
      'Man | 18-29',
      'Man | 30+',
      'Woman | 18-29',
      'Woman | 30+',
      'Employés',
      'Retraités',
    ]);
    expect(labels('fr').slice(0, 2)).toEqual(['Homme | 18-29', 'Homme | 30+']);
  });

  it('neutralises the site as a formula unless asked for raw cells', () => {
    expect(rows[0]?.[0]).toBe("'=cayenne");
    expect(marginsRows('=cayenne', plan, result, 'en', 'raw')[0]?.[0]).toBe('=cayenne');
  });

  it('leaves census empty and says so when the plan has targets only', () => {
    const bare: QuotaPlan = {
      ...plan,
      tables: plan.tables.map((table) => ({
        ...table,
        cells: table.cells.map((cell) => ({ key: cell.key, target: cell.target })),
      })),
    };
    const byTargets = marginsRows('site', bare, rakeWeights(bare, samples), 'fr');
    expect(byTargets[4]?.slice(5, 8)).toEqual(['', '0.600000', '6']);
    expect(byTargets.every((row) => row[12] === 'targets')).toBe(true);
  });
});

describe('methodNote', () => {
  it('says the method, basis, convergence, trimming and exclusions, in English and French', () => {
    const result = rakeWeights(plan, samples);
    const en = methodNote(result, 'en');
    expect(en).toContain("raking (iterative proportional fitting) on the quota plan's 2 tables");
    expect(en).toContain('to the census shares kept in the plan');
    expect(en).toContain(`Converged in ${result.iterations} iteration`);
    expect(en).toContain('between 0.2 and 5 times the mean weight');
    expect(en).toContain('The weights sum to the number of interviews weighted (11)');
    expect(en).toContain('1 interview without a weight (empty)');
    const fr = methodNote(result, 'fr');
    expect(fr).toContain('calage par raking');
    expect(fr).toContain('vers les parts du recensement');
    expect(fr).toContain('entre 0.2 et 5 fois le poids moyen');
    expect(fr).toContain('1 entretien sans poids');
  });

  it('names the cells it could not meet, and post-stratification on one table', () => {
    const one: QuotaPlan = { ...plan, tables: plan.tables.slice(0, 1) };
    const result = rakeWeights(
      one,
      samples.filter((sample) => !(sample['sex'] === '2' && sample['age'] === '18-29')),
      { bounds: false },
    );
    const en = methodNote(result, 'en');
    expect(en).toContain("post-stratification on the quota plan's table sex_age");
    expect(en).toContain('Did not converge after 1 iteration');
    expect(en).toContain('No trimming.');
    expect(en).toContain('Cells with no interview, whose share is not met');
    expect(en).toContain('sex_age 2|18-29');
    expect(methodNote(result, 'fr')).toContain('Pas de convergence après 1 itération');
  });
});
