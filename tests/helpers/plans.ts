// A tiny quota plan on the demo questionnaire (two age cells of two interviews each), shared by
// the tests that need a cell to fill quickly: unit, integration and end to end.
import type { QuotaPlan } from '../../src/core/quota/index.ts';

export function tinyDemoPlan(site: string): QuotaPlan {
  return {
    site,
    questionnaire: 'demo',
    sampleSize: 4,
    tolerance: 0,
    variables: [
      {
        id: 'age',
        source: {
          item: 'age',
          bands: [
            { code: 'young', min: 18, max: 49 },
            { code: 'old', min: 50 },
          ],
        },
        categories: [
          { code: 'young', label: { fr: '18-49 ans', en: '18-49' } },
          { code: 'old', label: { fr: '50 ans et plus', en: '50+' } },
        ],
      },
    ],
    tables: [
      {
        id: 'age',
        variables: ['age'],
        cells: [
          { key: ['young'], target: 2 },
          { key: ['old'], target: 2 },
        ],
      },
    ],
  };
}
