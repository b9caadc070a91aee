// The rule that marks an interviewer's figure as far from the site's: more than 1.5 times or
// less than half of it, only from 10 interviews on; break-offs only when high and at least 2.
import { describe, expect, it } from 'vitest';
import type { QualityFigures } from '../../../src/core/protocol/index.ts';
import {
  breakOffShare,
  farFromSite,
  MIN_INTERVIEWS_TO_COMPARE,
  qualityFlags,
} from '../../../src/dashboard/quality.ts';

const SITE: QualityFigures = {
  completed: 400,
  brokenOff: 20,
  medianSeconds: 1800,
  dontKnowShare: 0.04,
  refusedShare: 0.02,
  positiveScreenShare: 0.2,
};

describe('farFromSite', () => {
  it('marks above 1.5 times and below half the site’s value, not at the bounds', () => {
    expect(farFromSite(0.31, 0.2)).toBe('high');
    expect(farFromSite(0.3, 0.2)).toBeUndefined();
    expect(farFromSite(0.1, 0.2)).toBeUndefined();
    expect(farFromSite(0.09, 0.2)).toBe('low');
    expect(farFromSite(0, 0.2)).toBe('low');
  });

  it('says nothing without both values or with a site value of zero', () => {
    expect(farFromSite(null, 0.2)).toBeUndefined();
    expect(farFromSite(0.5, null)).toBeUndefined();
    expect(farFromSite(0.5, 0)).toBeUndefined();
  });
});

describe('qualityFlags', () => {
  const typical: QualityFigures = {
    completed: 40,
    brokenOff: 2,
    medianSeconds: 1700,
    dontKnowShare: 0.05,
    refusedShare: 0.02,
    positiveScreenShare: 0.22,
  };

  it('marks nothing for an interviewer close to the site', () => {
    expect(qualityFlags(typical, SITE)).toEqual({});
  });

  it('marks one who rushes and leads: short interviews, few “don’t know”, many positive screens', () => {
    const rushing = {
      ...typical,
      medianSeconds: 700,
      dontKnowShare: 0.01,
      positiveScreenShare: 0.4,
    };
    expect(qualityFlags(rushing, SITE)).toEqual({
      medianSeconds: 'low',
      dontKnowShare: 'low',
      positiveScreenShare: 'high',
    });
  });

  it('compares only from enough interviews', () => {
    const rushing = { ...typical, brokenOff: 0, medianSeconds: 700 };
    expect(qualityFlags({ ...rushing, completed: MIN_INTERVIEWS_TO_COMPARE - 1 }, SITE)).toEqual(
      {},
    );
    expect(qualityFlags({ ...rushing, completed: MIN_INTERVIEWS_TO_COMPARE }, SITE)).toEqual({
      medianSeconds: 'low',
    });
  });

  it('marks break-offs only when high and at least two', () => {
    // Site: 20 of 420 begun (4.8 %).
    expect(breakOffShare(SITE)).toBeCloseTo(20 / 420);
    expect(qualityFlags({ ...typical, brokenOff: 6 }, SITE)).toEqual({ breakOffShare: 'high' });
    expect(qualityFlags({ ...typical, brokenOff: 0 }, SITE)).toEqual({});
    // One break-off in 12 begun is above 1.5 times the site's share, but one alone says nothing.
    const few = { ...typical, completed: 11, brokenOff: 1 };
    expect(qualityFlags(few, SITE)).toEqual({});
    // Break-offs count the interviews begun: many break-offs with few completes are still seen.
    expect(qualityFlags({ ...typical, completed: 5, brokenOff: 6 }, SITE)).toEqual({
      breakOffShare: 'high',
    });
  });

  it('leaves a figure the server could not compute unmarked', () => {
    expect(qualityFlags({ ...typical, medianSeconds: null, refusedShare: null }, SITE)).toEqual({});
  });
});
