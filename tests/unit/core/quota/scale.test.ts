// Census counts become quota targets by largest remainder: the total must come out exact and no
// cell may drift more than one from its exact share, or a site's plan would not add up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder } from '../../../../src/core/quota/index.ts';

describe('largestRemainder', () => {
  it('keeps exact shares as they are', () => {
    expect(largestRemainder([1, 2, 3, 4], 20)).toEqual([2, 4, 6, 8]);
    expect(largestRemainder([50, 50], 900)).toEqual([450, 450]);
  });

  it('gives the units left over to the largest remainders', () => {
    // Exact shares 3.4, 3.1, 3.5: floors 3+3+3 = 9, one unit left, to 3.5.
    expect(largestRemainder([34, 31, 35], 10)).toEqual([3, 3, 4]);
    // Exact shares 1.75, 4.5, 3.75: floors 1+4+3 = 8, two units left, to the two .75s.
    expect(largestRemainder([7, 18, 15], 10)).toEqual([2, 4, 4]);
  });

  it('breaks ties in favour of the earlier entry', () => {
    expect(largestRemainder([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(largestRemainder([1, 1, 1], 1)).toEqual([1, 0, 0]);
    expect(largestRemainder([1, 1, 1, 1], 6)).toEqual([2, 2, 1, 1]);
  });

  it('gives nothing to empty cells, even when units are left over', () => {
    expect(largestRemainder([0, 1, 0, 1, 1], 5)).toEqual([0, 2, 0, 2, 1]);
    expect(largestRemainder([0, 3], 7)).toEqual([0, 7]);
  });

  it('gives a single cell the whole total', () => {
    expect(largestRemainder([12.7], 900)).toEqual([900]);
    expect(largestRemainder([1], 0)).toEqual([0]);
  });

  it('scales to a total of 0 as all zeros', () => {
    expect(largestRemainder([3, 5, 8], 0)).toEqual([0, 0, 0]);
  });

  it('takes decimal counts (weighted census counts, narrowed bands)', () => {
    // 2/5 of 586 plus 279.4 is 513.8; with 486.2 the sum is 1000, so the exact shares are 513.8, 486.2.
    const targets = largestRemainder([0.4 * 586 + 279.4, 486.2], 1000);
    expect(targets).toEqual([514, 486]);
  });

  it('cannot scale all-zero or empty counts', () => {
    expect(largestRemainder([0, 0, 0], 900)).toBeUndefined();
    expect(largestRemainder([], 900)).toBeUndefined();
    expect(largestRemainder([0], 0)).toBeUndefined();
  });

  it('sums exactly to the total, each share the floor or the ceiling of the exact share', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 })
          .filter((counts) => counts.some((count) => count > 0)),
        fc.integer({ min: 0, max: 5000 }),
        (counts, total) => {
          const shares = largestRemainder(counts, total);
          if (shares === undefined) throw new Error('a positive sum must scale');
          expect(shares).toHaveLength(counts.length);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          // share = floor or ceil of count x total / sum  <=>  |share x sum - count x total| < sum,
          // checked in whole numbers (all below 2^53) so no rounding can hide an error.
          const sum = counts.reduce((a, b) => a + b, 0);
          shares.forEach((share, i) => {
            const count = counts[i] ?? Number.NaN;
            expect(Number.isInteger(share)).toBe(true);
            expect(Math.abs(share * sum - count * total)).toBeLessThan(sum);
            if (count === 0) expect(share).toBe(0);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('returns undefined for any all-zero counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 5000 }),
        (length, total) => {
          expect(
            largestRemainder(
              Array.from({ length }, () => 0),
              total,
            ),
          ).toBeUndefined();
        },
      ),
      { numRuns: 100 },
    );
  });
});
