// The server checks uploads first with `isPlainInterviewRecord`, a hand-written fast path, and
// falls back to `InterviewRecordSchema` for anything it does not accept. It must never accept
// what the schema refuses, and must accept the records tablets really send (or it is no fast
// path). Also here: the canonical JSON the server hashes records by, rewritten for speed, still
// sorts keys at every level and loses nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InterviewRecordSchema,
  isPlainInterviewRecord,
} from '../../../../src/core/protocol/index.ts';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import { canonicalRecordJson } from '../../../../src/server/admit.ts';
import { canonicalJson } from '../../../../src/server/auth.ts';
import { demoPlan } from '../../../../src/server/main.ts';
import { generateInterviews } from '../../../../scripts/generate-interviews.ts';
import { loadSmpg } from '../../../helpers/smpg.ts';

const records: InterviewRecordWire[] = [
  ...generateInterviews({
    questionnaire: loadSmpg(),
    site: 'lille',
    count: 60,
    distinct: 40,
    seed: 11,
    plan: demoPlan('lille'),
  }),
];
/**
 * As the server receives them: through JSON; every other one with the fields tablets send since
 * alert events, paradata and break-offs (made up here: only their shapes matter).
 */
const received = records.map((record, i) => {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  if (i % 2 === 0) return copy;
  copy['alertEvents'] = [
    {
      id: 'suicide_high',
      raisedAt: record.startedAt,
      acknowledgedAt: i % 4 === 1 ? null : record.endedAt,
      actions: ['helpline_given', 'supervisor_told'],
    },
  ];
  copy['paradata'] = { itemSeconds: { age: 3.2, sex: 1 }, languages: ['fr'] };
  if (i % 4 === 1) copy['incomeBands'] = { item: 'sd_income', currency: 'EUR', upperBounds: [840] };
  if (i % 3 === 0 && record.status === 'completed') {
    copy['status'] = 'broken_off';
    copy['breakOff'] = { reason: 'respondent_unwell', itemId: 'age', at: record.endedAt };
  }
  return copy;
});

// Values that sit on or across the schema's limits, or are of the wrong kind.
const awkward = fc.oneof(
  fc.constantFrom(
    '',
    'x'.repeat(100),
    'x'.repeat(101),
    'x'.repeat(200),
    'x'.repeat(201),
    'x'.repeat(10_001),
    '2026-06-01T08:00:00Z',
    '2026-06-01 08:00',
    '00000000-0000-4000-8000-000000000000',
    'completed',
    'screened_out',
    'dont_know',
    '__proto__',
  ),
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant([]),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  fc.constant({}),
  fc.constant({ nonResponse: 'refused' }),
  fc.constant({ nonResponse: 'maybe' }),
  fc.constant({ nonResponse: 'dont_know', extra: 1 }),
  fc.constant(Array.from({ length: 501 }, () => 'a')),
  fc.constant(Array.from({ length: 51 }, () => 'alert')),
  fc.constantFrom('broken_off', 'respondent_unwell', 'helpline_given', 'leapt'),
  fc.constant({ reason: 'other', itemId: 'age', at: '2026-06-01T08:00:00Z' }),
  fc.constant({ reason: 'other', itemId: 'age', at: '2026-06-01T08:00:00Z', extra: 1 }),
  fc.constant([{ id: 'a', raisedAt: '2026-06-01T08:00:00Z', acknowledgedAt: null, actions: [] }]),
  fc.constant([{ id: 'a', raisedAt: '2026-06-01', acknowledgedAt: null, actions: ['x'] }]),
  fc.constant({ itemSeconds: { age: -1 }, languages: ['fr'] }),
  fc.constant({ itemSeconds: {}, languages: [] }),
);

type Mutation = (record: Record<string, unknown>) => void;
const FIELDS = Object.keys(InterviewRecordSchema.def.shape);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // A field set to an awkward value, or removed.
  fc
    .tuple(fc.constantFrom(...FIELDS, 'unknownField'), awkward)
    .map(([field, value]): Mutation => (record) => {
      if (value === undefined) Reflect.deleteProperty(record, field);
      else record[field] = value;
    }),
  // An entry of one of the maps set to an awkward value, under an existing or awkward key.
  fc
    .tuple(
      fc.constantFrom('answers', 'computed', 'quotaCategories', 'breakOff', 'paradata'),
      fc.oneof(fc.constantFrom('x'.repeat(101), '__proto__', 'age'), fc.string({ maxLength: 4 })),
      awkward,
    )
    .map(([map, key, value]): Mutation => (record) => {
      const target = record[map];
      if (typeof target === 'object' && target !== null)
        Object.defineProperty(target, key, { value, enumerable: true, writable: true });
    }),
  // A field of an alert event, of the paradata's seconds, or of a break-off set awkwardly.
  fc
    .tuple(
      fc.constantFrom('id', 'raisedAt', 'acknowledgedAt', 'actions', 'extra', 'age', 'languages'),
      awkward,
    )
    .map(([key, value]): Mutation => (record) => {
      const events = record['alertEvents'];
      const paradata = record['paradata'] as Record<string, unknown> | undefined;
      const targets = [
        Array.isArray(events) ? (events[0] as unknown) : undefined,
        paradata?.['itemSeconds'],
        paradata,
      ];
      for (const target of targets)
        if (typeof target === 'object' && target !== null)
          Object.defineProperty(target, key, { value, enumerable: true, writable: true });
    }),
);

describe('isPlainInterviewRecord, the fast path of uploads', () => {
  it('accepts the records the generator makes, as the schema does', () => {
    for (const record of received) {
      expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
      expect(isPlainInterviewRecord(record)).toBe(true);
    }
  });

  it('never accepts what the schema refuses, whatever is changed in a record', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...received),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (original, mutations) => {
          const record = structuredClone(original) as Record<string, unknown>;
          for (const mutate of mutations) mutate(record);
          if (isPlainInterviewRecord(record)) {
            const parsed = InterviewRecordSchema.safeParse(record);
            expect(parsed.success).toBe(true);
            // What the route then stores is the same content the schema would have given.
            if (parsed.success) {
              expect(canonicalJson(record)).toBe(canonicalJson(parsed.data));
              expect(canonicalRecordJson(record)).toBe(canonicalJson(record));
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses a record with an unknown field or a missing one', () => {
    const base = received[0] as Record<string, unknown>;
    expect(isPlainInterviewRecord({ ...base, extra: 1 })).toBe(false);
    const missing = Object.fromEntries(Object.entries(base).filter(([key]) => key !== 'alerts'));
    expect(isPlainInterviewRecord(missing)).toBe(false);
    expect(isPlainInterviewRecord(null)).toBe(false);
    expect(isPlainInterviewRecord([base])).toBe(false);
  });
});

describe('canonicalJson', () => {
  const json = fc.jsonValue();

  it('gives back the same value, keys sorted at every level', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        const sortedAtEveryLevel = (node: unknown): boolean => {
          if (Array.isArray(node)) return node.every(sortedAtEveryLevel);
          if (typeof node !== 'object' || node === null) return true;
          const keys = Object.keys(node);
          return (
            keys.every((key, i) => i === 0 || (keys[i - 1] as string) < key) &&
            Object.values(node).every(sortedAtEveryLevel)
          );
        };
        // JSON.parse keeps the text's key order (integer-like keys aside, which objects list
        // first), so re-reading a canonical text shows its order.
        const reread = JSON.parse(text, (_key, node: unknown) => node) as unknown;
        if (!JSON.stringify(value).match(/"\d+":/)) expect(sortedAtEveryLevel(reread)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });

  it('skips undefined fields, as JSON does', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [1, 'x'] })).toBe('{"b":1,"c":[1,"x"]}');
  });
});

describe('canonicalJson, keys already in order', () => {
  /** The plain recursion canonicalJson must always agree with. */
  const reference = (value: unknown): string => {
    if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? '';
    if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
    const object = value as Record<string, unknown>;
    const parts = Object.keys(object)
      .sort()
      .filter((key) => object[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${reference(object[key])}`);
    return `{${parts.join(',')}}`;
  };
  // Flat objects whose keys are written sorted (as tablets write answers), integer-like keys and
  // undefined values among them, as well as any JSON.
  const flatValue = fc.oneof(
    fc.string(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  );
  const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '2', '9', 'a', 'B'));
  const sortedFlat = fc
    .dictionary(key, flatValue)
    .map((object) =>
      Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1))),
    );

  it('agrees with the plain recursion', () => {
    fc.assert(
      fc.property(
        fc.oneof(sortedFlat, fc.jsonValue(), fc.record({ z: sortedFlat, a: sortedFlat })),
        (value) => {
          expect(canonicalJson(value)).toBe(reference(value));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees on the records tablets write, whose answers and calculations come sorted', () => {
    const isSorted = (keys: string[]) =>
      keys.every((k, i) => i === 0 || (keys[i - 1] as string) < k);
    for (const record of records) {
      expect(isSorted(Object.keys(record.answers))).toBe(true);
      expect(isSorted(Object.keys(record.computed))).toBe(true);
      expect(canonicalJson(record)).toBe(reference(record));
    }
  });
});

describe('canonicalRecordJson, the writer of the upload route', () => {
  const shuffled = <T>(object: Readonly<Record<string, T>>, order: readonly number[]) => {
    const entries = Object.entries(object);
    return Object.fromEntries(
      entries
        .map((entry, i) => [order[i % order.length] ?? 0, entry] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, entry]) => entry),
    );
  };

  it('writes what canonicalJson writes, whatever order the keys come in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...records),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.option(fc.string({ minLength: 1, maxLength: 5 }), { nil: undefined }),
        (record, order, withScreenOut, pickupPoint) => {
          const changed: InterviewRecordWire = shuffled(
            {
              ...record,
              answers: shuffled(record.answers, order),
              computed: shuffled(record.computed, order),
              // Integer-like keys, which objects list first whatever the order written.
              quotaCategories: shuffled({ ...record.quotaCategories, '10': 'x', '2': 'y' }, order),
              ...(withScreenOut ? { screenOutId: 'age' } : {}),
              pickupPoint,
            },
            order,
          ) as unknown as InterviewRecordWire;
          expect(canonicalRecordJson(changed)).toBe(canonicalJson(changed));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes the records tablets send as canonicalJson does', () => {
    for (const record of received) {
      expect(canonicalRecordJson(record as InterviewRecordWire)).toBe(canonicalJson(record));
    }
  });
});
