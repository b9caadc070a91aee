// The quota bars, on the tablet's board and on the dashboard, rendered to static markup: each plan
// table's cells are the rows of a real <table>, every bar in one column (so bars line up whatever
// the labels' width), and the figures in cells under their headers for screen readers.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { QuotaTables } from '../../../../src/app/components/QuotaTables.tsx';
import type { QuotaPlan } from '../../../../src/core/quota/index.ts';
import { tinyDemoPlan } from '../../../helpers/plans.ts';

const TEXT = {
  heatmap: 'Réalisés / objectif par case',
  doneOfTarget: 'Réalisés / objectif',
  mine: 'vous',
  screenedOut: 'refusés (quota atteint)',
  variables: { age: 'Tranche d’âge' },
};

/** The tiny plan with a long label, as census categories have. */
const PLAN: QuotaPlan = (() => {
  const plan = tinyDemoPlan('lille');
  const [age] = plan.variables;
  if (age === undefined) throw new Error('no age variable');
  return {
    ...plan,
    variables: [
      {
        ...age,
        categories: [
          { code: 'young', label: { fr: '18-49 ans, employés et ouvriers du secteur privé' } },
          { code: 'old', label: { fr: '50 ans et plus' } },
        ],
      },
    ],
  };
})();

/** The rows of the bars' table: each row's cells, as tag and text. */
function rows(markup: string): string[][] {
  const table = /<table class="quota-bars"[^>]*>(.*?)<\/table>/.exec(markup)?.[1] ?? '';
  return [...table.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<(th|td)([^>]*)>(.*?)<\/\1>/g)].map((cell) => {
      const attributes = (cell[2] ?? '').replace(/ (class|data-column)="[^"]*"/g, '');
      return `${cell[1] ?? ''}${attributes}:${(cell[3] ?? '').replace(/<[^>]+>/g, '')}`;
    }),
  );
}

describe('QuotaTables', () => {
  it('puts every cell in a row of a real table, the bars in one column, the figures headed', () => {
    const markup = renderToStaticMarkup(
      <QuotaTables
        plan={PLAN}
        completed={{ age: { young: 2, old: 1 } }}
        screenedOut={{ age: { young: 1 } }}
        language="fr"
        text={TEXT}
      />,
    );
    expect(markup).not.toContain('<ul class="quota-bars"');
    expect(markup).toContain('<table class="quota-bars" aria-labelledby="quota-age">');
    expect(rows(markup)).toEqual([
      [
        'th scope="col":Tranche d’âge',
        'td aria-hidden="true":',
        'th scope="col":Réalisés / objectif',
        'th scope="col":refusés (quota atteint)',
      ],
      [
        'th scope="row":18-49 ans, employés et ouvriers du secteur privé',
        'td aria-hidden="true":',
        'td:2 / 2',
        'td:1',
      ],
      ['th scope="row":50 ans et plus', 'td aria-hidden="true":', 'td:1 / 2', 'td:0'],
    ]);
    // The bar is drawn (hidden from screen readers, which read the figures) in its own cell.
    expect(markup).toMatch(/<td class="quota-bar" aria-hidden="true"><meter [^>]*value="2"/);
    expect(markup).toContain('<tr data-cell="age/young">');
  });

  it('adds the interviewer’s own share as a column of its own, and no screen-outs column without any', () => {
    const markup = renderToStaticMarkup(
      <QuotaTables
        plan={PLAN}
        completed={{ age: { young: 1 } }}
        screenedOut={{}}
        own={{
          counts: { age: { young: 1 } },
          allocation: { interviewer: 'ENQ01', targets: { age: { young: 1 } } },
        }}
        language="fr"
        text={{ ...TEXT, doneOfTarget: undefined }}
      />,
    );
    expect(rows(markup)).toEqual([
      [
        'th scope="col":Tranche d’âge',
        'td aria-hidden="true":',
        // Without its own header, the heat map's caption names the column.
        'th scope="col":Réalisés / objectif par case',
        'th scope="col":vous',
      ],
      [
        'th scope="row":18-49 ans, employés et ouvriers du secteur privé',
        'td aria-hidden="true":',
        'td:1 / 2',
        'td:1 / 1',
      ],
      ['th scope="row":50 ans et plus', 'td aria-hidden="true":', 'td:0 / 2', 'td:—'],
    ]);
  });
});
