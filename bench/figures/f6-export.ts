// Figure 6: the export of 100,000 interviews (issue #7). Not measured yet: whoever adds the export
// replaces this file with the measurement (context.siteRecords() gives the generated records).
import type { Figure } from '../lib/figure.ts';

export const exportFigure: Figure = {
  number: 6,
  title: 'Export of 100,000 interviews',
  run: () =>
    Promise.resolve([
      {
        figure: 6,
        measure: 'export of 100,000 interviews',
        unit: 'ms',
        runs: [],
        notMeasured: 'not measured yet (export, issue #7)',
      },
    ]),
};
