// The upload route writes a record's paradata by its known shape rather than with the generic
// canonicalJson: the body (and the hash) must stay what canonicalJson writes, in any key order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import { canonicalRecordJson } from '../../../src/server/admit.ts';
import { canonicalJson } from '../../../src/server/auth.ts';
import { demoPlan } from '../../../src/server/main.ts';
import { generateInterviews } from '../../../scripts/generate-interviews.ts';
import { loadSmpg } from '../../helpers/smpg.ts';

const records: InterviewRecordWire[] = [
  ...generateInterviews({
    questionnaire: loadSmpg('2026.2'),
    site: 'lille',
    count: 20,
    seed: 3,
    plan: demoPlan('lille'),
  }),
];

describe('canonicalRecordJson with paradata', () => {
  it('writes what canonicalJson writes, sorted or not, integer-like ids included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...records),
        fc.array(
          fc.tuple(
            fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.nat(300).map(String)),
            fc.oneof(fc.nat(5000), fc.double({ min: 0, max: 1e6, noNaN: true })),
          ),
          { maxLength: 40 },
        ),
        fc.array(fc.constantFrom('fr', 'en', 'ar'), { maxLength: 3 }),
        (record, seconds, languages) => {
          const withParadata: InterviewRecordWire = {
            ...record,
            paradata: { itemSeconds: Object.fromEntries(seconds), languages },
          };
          expect(canonicalRecordJson(withParadata)).toBe(canonicalJson(withParadata));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes the paradata in sorted order when they come unsorted', () => {
    const record: InterviewRecordWire = {
      ...(records[0] as InterviewRecordWire),
      paradata: { itemSeconds: { sex: 1, age: 3.2, '7': 0.5 }, languages: ['fr', 'en'] },
    };
    expect(canonicalRecordJson(record)).toContain(
      '"paradata":{"itemSeconds":{"7":0.5,"age":3.2,"sex":1},"languages":["fr","en"]}',
    );
  });
});
