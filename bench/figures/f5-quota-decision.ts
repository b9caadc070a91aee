// Figure 5: the quota decision for a new respondent with 100,000 interviews stored (src/core/quota):
// the counts are built from 100,000 generated records (the site's, and one interviewer's), then
// one `decide` is timed for a new respondent, counts rebuilt before each run. For information,
// the app's own path today (decideRespondent recounts the device's interviews every time).
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type { QuotaRecord } from '../../src/core/quota/index.ts';
import { classify, countQuotas, decide, quotaOutcome } from '../../src/core/quota/index.ts';
import { decideRespondent } from '../../src/app/quota/quota-session.ts';
import type { InterviewRecord } from '../../src/app/storage/index.ts';
import type { Figure, Row } from '../lib/figure.ts';
import { median } from '../lib/stats.ts';

const RUNS = 21;
const APP_RUNS = 7;

function quotaRecord(record: InterviewRecordWire): QuotaRecord | undefined {
  const outcome = quotaOutcome(record.status, record.screenOutId);
  if (outcome === undefined) return undefined;
  return {
    interviewer: record.interviewer,
    outcome,
    practice: false,
    categories: record.quotaCategories,
  };
}

/** A generated record as the device stores it (what the app's quota code reads). */
function deviceRecord(record: InterviewRecordWire): InterviewRecord {
  return {
    id: record.id,
    questionnaireId: record.questionnaireId,
    questionnaireVersion: record.questionnaireVersion,
    site: record.site,
    interviewer: record.interviewer,
    deviceId: record.deviceId,
    status: record.status,
    practice: false,
    position: null,
    language: record.language,
    appVersion: record.appVersion,
    startedAt: record.startedAt,
    updatedAt: record.endedAt,
    endedAt: record.endedAt,
    ...(record.screenOutId === undefined ? {} : { screenOutId: record.screenOutId }),
    quota: { categories: record.quotaCategories, status: 'accepted', at: record.endedAt },
  };
}

export const quotaDecision: Figure = {
  number: 5,
  title: 'Quota decision with 100,000 interviews stored',
  async run(context) {
    const { plan, records, pool } = await context.siteRecords();
    const counted = records.map(quotaRecord).filter((r): r is QuotaRecord => r !== undefined);
    const newcomers = pool
      .filter((respondent) => respondent.outcome === 'completed')
      .map((respondent) => classify(plan, respondent.answers));
    const decisionMs: number[] = [];
    const countingMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const own = countQuotas(plan, counted, 'ENQ01');
      const site = countQuotas(plan, counted);
      countingMs.push(performance.now() - started);
      const categories = newcomers[run % newcomers.length] ?? {};
      const start = performance.now();
      const decision = decide(plan, categories, { interviewer: 'ENQ01', own, site });
      decisionMs.push(performance.now() - start);
      if (decision.status === 'unknown') throw new Error('a generated respondent has no cell');
    }

    const stored = records.map(deviceRecord);
    const current = stored[0];
    const appMs: number[] = [];
    for (let run = 0; current !== undefined && run < APP_RUNS; run++) {
      const answers = pool[run % pool.length]?.answers ?? new Map();
      const start = performance.now();
      // Server counts known but empty: every stored interview is counted on the device.
      decideRespondent(plan, { ...current, id: `new-${run}` }, answers, stored, {
        completed: {},
        screenedOut: {},
        at: current.updatedAt,
        receivedAt: current.updatedAt,
      });
      appMs.push(performance.now() - start);
    }
    const rows: Row[] = [
      {
        figure: 5,
        measure: 'decide() for a new respondent',
        unit: 'ms',
        runs: decisionMs,
        target: { op: '<', value: 1 },
        note:
          `${records.length.toLocaleString('en-GB')} generated records (${counted.length.toLocaleString('en-GB')} ` +
          `counted: completed and quota screen-outs), demo plan (sex x age); one decision per run, ` +
          `the first one with cold code; building the counts took ${median(countingMs).toFixed(1)} ms (median, not in the figure)`,
      },
      {
        figure: 5,
        measure: 'the app today: decideRespondent over 100,000 stored interviews',
        unit: 'ms',
        runs: appMs,
        note:
          'src/app/quota: recounts the device’s interviews at each decision, in memory here; the ' +
          'app first reads them all from IndexedDB (listInterviews), not counted',
      },
    ];
    return rows;
  },
};
