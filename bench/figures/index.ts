// The figures of `npm run bench`, in the order they run and print. Adding one: a file here
// exporting a `Figure` (see bench/lib/figure.ts), and one line below.
import type { Figure } from '../lib/figure.ts';
import { questionnaireReady } from './f1-questionnaire-ready.ts';
import { odkComparison } from './f2-odk-comparison.ts';
import { coldStart } from './f3-cold-start.ts';
import { savingAnswers } from './f4-saving-answers.ts';
import { quotaDecision } from './f5-quota-decision.ts';
import { exportFigure } from './f6-export.ts';
import { serverIngest } from './f7-server-ingest.ts';
import { offlineQuotas } from './f8-offline-quotas.ts';
import { network } from './f9-network.ts';
import { uiComparison } from './f10-ui-comparison.ts';

export const FIGURES: readonly Figure[] = [
  questionnaireReady,
  odkComparison,
  coldStart,
  savingAnswers,
  quotaDecision,
  exportFigure,
  serverIngest,
  offlineQuotas,
  network,
  uiComparison,
];
