// Interview ids are version 7 UUIDs: the time the interview started, then random bits. They must be
// valid UUIDs for the record's schema, sort as their times do, and keep the random bits apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InterviewRecordSchema } from '../../../../src/core/protocol/index.ts';
import { interviewId } from '../../../../src/core/record/index.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const time = fc.integer({ min: 0, max: 2 ** 48 - 1 });
const bytes = fc.uint8Array({ minLength: 10, maxLength: 10 });

describe('interviewId', () => {
  it('writes the time in its first 48 bits, version 7 and the RFC variant', () => {
    const id = interviewId(Date.parse('2026-03-02T09:15:00.000Z'), new Uint8Array(10).fill(0xff));
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(
      Date.parse('2026-03-02T09:15:00.000Z'),
    );
    expect(id.slice(14)).toBe('7fff-bfff-ffffffffffff');
    expect(interviewId(0, new Uint8Array(10))).toBe('00000000-0000-7000-8000-000000000000');
  });

  it('sorts as the times do, and differs when the random bits it keeps do', () => {
    // The version and the variant take the high bits of the first and third random bytes.
    const kept = (r: Uint8Array) => [(r[0] ?? 0) & 15, r[1], (r[2] ?? 0) & 63, ...r.slice(3)];
    fc.assert(
      fc.property(time, time, bytes, bytes, (a, b, x, y) => {
        const first = interviewId(a, x);
        const second = interviewId(b, y);
        expect(first).toMatch(V7);
        if (a < b) expect(first < second).toBe(true);
        if (a === b) expect(first === second).toBe(kept(x).join() === kept(y).join());
      }),
    );
  });

  it('is an id the record schema accepts', () => {
    const id = interviewId(Date.now(), new Uint8Array(10).fill(7));
    expect(InterviewRecordSchema.shape.id.safeParse(id).success).toBe(true);
  });

  it('refuses a time it cannot hold, and too few random bytes', () => {
    expect(() => interviewId(-1, new Uint8Array(10))).toThrow(RangeError);
    expect(() => interviewId(2 ** 48, new Uint8Array(10))).toThrow(RangeError);
    expect(() => interviewId(1.5, new Uint8Array(10))).toThrow(RangeError);
    expect(() => interviewId(0, new Uint8Array(9))).toThrow(RangeError);
  });
});
