// An undetermined calculation (it reads a "don't know" or "refused" and could give more than one
// result) leaves the device as `{ nonResponse }`, passes the wire schema and the upload fast path,
// hashes canonically, and the server recomputes and compares it like any other calculation.
import { describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import {
  InterviewRecordSchema,
  isPlainInterviewRecord,
} from '../../../../src/core/protocol/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../../../src/core/questionnaire/index.ts';
import type { InterviewMeta, ReviewContext } from '../../../../src/core/record/index.ts';
import { anonymise, checkRecord, reviewRecord } from '../../../../src/core/record/index.ts';
import { canonicalRecordJson } from '../../../../src/server/admit.ts';
import { canonicalJson } from '../../../../src/server/auth.ts';
import {
  calculate,
  definition,
  fixedClock,
  load,
  section,
  single,
  textItem,
} from '../../../helpers/builder.ts';

const yesNo = ['1', '2'];
const q = load(
  definition([
    section('module', [
      single('screen', yesNo),
      single('s1', yesNo, { relevant: "${screen} = '1'" }),
      single('s2', yesNo, { relevant: "${screen} = '1'" }),
      calculate('res', "if(${screen} = '1' and (${s1} = '1') + (${s2} = '1') >= 1, 1, 0)"),
      calculate('band', 'if(${res} = 1, 5, 0)', {
        coarsen: {
          kind: 'bands',
          bands: [
            { code: 'low', max: 0 },
            { code: 'high', min: 1 },
          ],
        },
      }),
      // Reads an answer that never leaves the tablet: the server keeps what the tablet says.
      textItem('nickname', { identifying: true }),
      calculate('named', "if(string-length(${nickname}) > 3 and ${screen} = '1', 1, 0)"),
    ]),
  ]),
);
const clock = fixedClock('2026-11-23');
const meta: InterviewMeta = {
  id: '7d0b2f8e-8a5b-4a55-9e55-1c2d3e4f5a6b',
  site: 'lille',
  interviewer: 'ENQ01',
  deviceId: 'tablet-1',
  status: 'completed',
  language: 'fr',
  appVersion: '0.1.0',
  startedAt: '2026-11-23T09:00:00.000Z',
  endedAt: '2026-11-23T09:42:30.000Z',
};
const context: ReviewContext = {
  deviceId: 'tablet-1',
  receivedAt: '2026-11-23T12:00:00.000Z',
  plan: null,
  pickupPoints: [],
};

function recordOf(answers: Record<string, Answer>): InterviewRecordWire {
  return anonymise(q, meta, new Map(Object.entries(answers)), clock);
}
/** As the server receives it: through JSON. */
const received = (record: InterviewRecordWire): InterviewRecordWire =>
  JSON.parse(JSON.stringify(record)) as InterviewRecordWire;
function problems(record: InterviewRecordWire): readonly string[] {
  const review = reviewRecord(q, record, context);
  return review.ok ? [] : review.problems;
}

describe('an undetermined calculation in a record', () => {
  const refused = recordOf({ screen: REFUSED, nickname: 'Jojo la frite' });

  it('is written as a non-response answer is, with its reason', () => {
    expect(refused.computed).toEqual({
      res: { nonResponse: 'refused' },
      band: { nonResponse: 'refused' },
      named: { nonResponse: 'refused' },
    });
    expect(recordOf({ screen: DONT_KNOW }).computed['res']).toEqual({ nonResponse: 'dont_know' });
    // Determined results are written as before.
    expect(recordOf({ screen: '2' }).computed).toEqual({ res: 0, band: 'low', named: 0 });
    expect(recordOf({ screen: '1', s1: '1', s2: REFUSED }).computed).toMatchObject({
      res: 1,
      band: 'high',
    });
  });

  it('passes the wire schema, the fast path, the checks and the review, and hashes canonically', () => {
    const wire = received(refused);
    expect(InterviewRecordSchema.safeParse(wire).success).toBe(true);
    expect(isPlainInterviewRecord(wire)).toBe(true);
    expect(checkRecord(q, wire, clock)).toEqual([]);
    const review = reviewRecord(q, wire, context);
    expect(review.ok ? [] : review.problems).toEqual([]);
    if (!review.ok) return;
    expect(review.record.computed).toEqual(refused.computed);
    expect(canonicalRecordJson(review.record)).toBe(canonicalJson(review.record));
    // Accepted with the server's values, the same.
    const recomputed = reviewRecord(q, wire, context, { recompute: true });
    expect(recomputed.ok && recomputed.record.computed).toEqual(refused.computed);
  });

  it("takes an older app's plain value for an undetermined one, and stores the server's", () => {
    // An app older than undetermined calculations says 0: the value its interview followed.
    const zero = { ...received(refused), computed: { ...refused.computed, res: 0 } };
    const review = reviewRecord(q, zero, context);
    expect(review.ok ? [] : review.problems).toEqual([]);
    expect(review.ok && review.record.computed).toEqual(refused.computed);
    expect(review.ok && Object.keys(review.record.computed)).toEqual(['band', 'named', 'res']);
    // Any other value is refused: 1 is not what the answers give, read either way.
    const one = { ...received(refused), computed: { ...refused.computed, res: 1 } };
    expect(problems(one)).toEqual([
      'computed.res: the tablet says 1, the questionnaire gives {"nonResponse":"refused"} ' +
        '(undetermined: it reads a non-response and could give more than one value)',
    ]);
    // Another reason, or a value where the server finds one: refused too.
    const dontKnow = {
      ...received(refused),
      computed: { ...refused.computed, res: { nonResponse: 'dont_know' as const } },
    };
    expect(problems(dontKnow)).toEqual([
      expect.stringMatching(/^computed\.res: the tablet says \{"nonResponse":"dont_know"\}/),
    ]);
    const negative = received(recordOf({ screen: '2' }));
    expect(
      problems({
        ...negative,
        computed: { ...negative.computed, res: { nonResponse: 'refused' } },
      }),
    ).toEqual([
      'computed.res: the tablet says {"nonResponse":"refused"}, the questionnaire gives 0',
    ]);
    // A coordinator accepting it gets the server's value.
    const accepted = reviewRecord(q, one, context, { recompute: true });
    expect(accepted.ok && accepted.record.computed['res']).toEqual({ nonResponse: 'refused' });
  });

  it('accepts it for a calculation the server cannot recompute, and nothing malformed', () => {
    // `named` reads the nickname, which stays on the tablet: plausible is all the server checks.
    const named = received(recordOf({ screen: '1', s1: '1', nickname: 'Jo' }));
    expect(named.computed['named']).toBe(0);
    const undetermined = {
      ...named,
      computed: { ...named.computed, named: { nonResponse: 'dont_know' as const } },
    };
    expect(problems(undetermined)).toEqual([]);
    const malformed = {
      ...named,
      computed: { ...named.computed, named: { nonResponse: 'maybe' } },
    } as unknown;
    expect(InterviewRecordSchema.safeParse(malformed).success).toBe(false);
    expect(isPlainInterviewRecord(malformed)).toBe(false);
    const extra = {
      ...named,
      computed: { ...named.computed, res: { nonResponse: 'refused', note: 'x' } },
    } as unknown;
    expect(InterviewRecordSchema.safeParse(extra).success).toBe(false);
    expect(isPlainInterviewRecord(extra)).toBe(false);
  });
});
