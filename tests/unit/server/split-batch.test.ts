// The upload route's workers each parse only their slice of a batch: `splitBatch` cuts the body's
// bytes between records without decoding or parsing them. A cut may land anywhere; what matters is that slices
// which all parse hold exactly the body's records, in order, and that tablets' batches are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBatch } from '../../../src/server/record-checkers.ts';
import { demoPlan } from '../../../src/server/main.ts';
import { generateInterviews } from '../../../scripts/generate-interviews.ts';
import { loadSmpg } from '../../helpers/smpg.ts';

/** `splitBatch` of a text, its slices decoded as the checkers read them: `[slice]`. */
function split(text: string, parts: number) {
  const bytes = Buffer.from(text, 'utf8');
  const cut = splitBatch(bytes, parts);
  return (
    cut && {
      pending: cut.pending,
      slices: cut.slices.map(([start, end]) => `[${bytes.toString('utf8', start, end)}]`),
    }
  );
}

/** The records of the slices, or undefined if one does not parse as an array. */
function reassembled(slices: readonly string[]): unknown[] | undefined {
  const records: unknown[] = [];
  for (const slice of slices) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(slice);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed)) return undefined;
    records.push(...(parsed as unknown[]));
  }
  return records;
}

describe('splitBatch', () => {
  it('cuts the batches tablets send between records, into slices that hold them all', () => {
    const records = [
      ...generateInterviews({
        questionnaire: loadSmpg(),
        site: 'lille',
        count: 40,
        seed: 5,
        plan: demoPlan('lille'),
      }),
    ];
    for (const parts of [2, 3, 4]) {
      const cut = split(JSON.stringify({ records, pending: 17 }), parts);
      expect(cut?.slices).toHaveLength(parts);
      expect(cut?.pending).toBe(17);
      expect(reassembled(cut?.slices ?? [])).toEqual(JSON.parse(JSON.stringify(records)));
    }
  });

  it('never gives slices that parse to other records than the body holds', () => {
    // Records full of nested objects and arrays, where `,{"` also occurs inside records, and
    // texts of characters of every UTF-8 length.
    const record = fc.oneof(
      fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 8 })),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 3 })),
      fc.array(fc.dictionary(fc.constantFrom('a', 'b'), fc.jsonValue({ maxDepth: 1 }))),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.integer({ min: 2, max: 4 }),
        (records, pending, parts) => {
          const text = JSON.stringify({ records, ...(pending === undefined ? {} : { pending }) });
          const cut = split(text, parts);
          if (cut === undefined) return;
          expect(cut.pending).toBe(pending ?? null);
          const got = reassembled(cut.slices);
          if (got !== undefined) expect(got).toEqual(JSON.parse(text).records);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves bodies of another shape whole', () => {
    const one = JSON.stringify({ id: 1, answers: { a: 1 } });
    for (const text of [
      `{"pending":1,"records":[${one},${one}]}`,
      `{"records":[${one},${one}],"pending":1.5}`,
      `{"records":[${one},${one}],"pending":-1}`,
      `{"records":[]}`,
      `{"records":[${one}]}`,
      `{"records": [`,
      `[${one},${one}]`,
    ]) {
      expect(split(text, 2), text).toBeUndefined();
    }
    expect(split(`{"records":[${one},${one}]}`, 2)?.pending).toBeNull();
    // A second "records" key (JSON.parse keeps the last): never slices that all parse.
    const twice = split(`{"records":[${one},${one}],"pending":1,"records":[${one}]}`, 2);
    expect(twice === undefined || reassembled(twice.slices) === undefined).toBe(true);
  });
});
