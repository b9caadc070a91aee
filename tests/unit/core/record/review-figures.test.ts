// The quality figures the server stores with a record are counted while `reviewRecord` checks its
// answers: they must be exactly `recordFigures` of the record it stores, for every SMPG version.
import { describe, expect, it } from 'vitest';
import type { ReviewContext } from '../../../../src/core/record/index.ts';
import { reviewRecord } from '../../../../src/core/record/index.ts';
import { noFigures, recordFigures } from '../../../../src/core/record/quality.ts';
import { demoPlan } from '../../../../src/server/main.ts';
import { generateInterviews } from '../../../../scripts/generate-interviews.ts';
import { loadSmpg, SMPG_VERSIONS } from '../../../helpers/smpg.ts';

const plan = demoPlan('lille');
const context: ReviewContext = {
  deviceId: 'token-device',
  receivedAt: '2026-06-30T12:00:00.000Z',
  plan,
  pickupPoints: [],
};

describe.each(SMPG_VERSIONS)('reviewRecord figures, SMPG %s', (version) => {
  const q = loadSmpg(version);
  const records = [
    ...generateInterviews({ questionnaire: q, site: 'lille', count: 200, seed: 5, plan }),
  ];

  it('are recordFigures of the reviewed record, with or without recompute', () => {
    const total = noFigures();
    for (const record of records) {
      for (const options of [{}, { recompute: true }]) {
        const review = reviewRecord(q, record, context, options);
        if (!review.ok) throw new Error(`${record.id}: ${review.problems.join('; ')}`);
        const expected = recordFigures(q, review.record);
        expect(review.figures).toEqual(expected);
      }
      const figures = recordFigures(q, record);
      total.asked += figures.asked;
      total.dontKnow += figures.dontKnow;
      total.refused += figures.refused;
      total.screens += figures.screens;
      total.positiveScreens += figures.positiveScreens;
    }
    // The records exercise every count: non-responses of both kinds, screens positive or not.
    expect(total.dontKnow).toBeGreaterThan(0);
    expect(total.refused).toBeGreaterThan(0);
    expect(total.positiveScreens).toBeGreaterThan(0);
    expect(total.screens).toBeGreaterThan(total.positiveScreens);
  });

  it('count every answer and a positive screen', () => {
    const record = records.find(
      (r) => r.status === 'completed' && r.answers['dep_screen1'] === '1',
    );
    if (record === undefined) throw new Error('no completed record with a positive dep_screen1');
    const review = reviewRecord(q, record, context);
    if (!review.ok) throw new Error(review.problems.join('; '));
    expect(review.figures.positiveScreens).toBeGreaterThanOrEqual(1);
    expect(review.figures.asked).toBe(Object.keys(record.answers).length);
  });
});
