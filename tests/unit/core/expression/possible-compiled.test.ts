// The evaluation over sets compiled (possible-compiled.ts) against its reference, `possibleValues`:
// the same result, value for value and in the same order, on any tree, any sets (ANY, sets past
// the caps) and any reasons, with names that have a slot and one that has none.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr, Value } from '../../../../src/core/expression/index.ts';
import { parseExpression } from '../../../../src/core/expression/index.ts';
import type { Possible, PossibleContext } from '../../../../src/core/expression/possible.ts';
import {
  ANY,
  MAX_COMBINATIONS,
  MAX_POSSIBLE,
  possibleValues,
} from '../../../../src/core/expression/possible.ts';
import type { PossibleSlots } from '../../../../src/core/expression/possible-compiled.ts';
import { compilePossible } from '../../../../src/core/expression/possible-compiled.ts';
import { NAMES, exprArb, valueArb } from './arbitraries.ts';

const TODAY = '2026-11-23';
/** The last name has no slot (a name the questionnaire does not have): it reads as `''`. */
const slotOf = (name: string): number | undefined => {
  const at = NAMES.indexOf(name as never);
  return at < 0 || at === NAMES.length - 1 ? undefined : at;
};

interface World {
  readonly sets: readonly Possible[];
  readonly reasons: readonly string[];
  readonly current: Value | undefined;
}

/** Both evaluations of `expr` in a world. */
function both(
  expr: Expr,
  { sets, reasons, current }: World,
): { readonly expected: Possible; readonly actual: Possible } {
  const extra = current === undefined ? {} : { current };
  const reference: PossibleContext = {
    value: (name) => {
      const at = slotOf(name);
      return at === undefined ? [''] : (sets[at] ?? ['']);
    },
    nonResponse: (name) => {
      const at = slotOf(name);
      return at === undefined ? '' : (reasons[at] ?? '');
    },
    today: () => TODAY,
    ...extra,
  };
  const slots: PossibleSlots = {
    value: (at) => sets[at] ?? [''],
    nonResponse: (at) => reasons[at] ?? '',
    today: () => TODAY,
    ...extra,
  };
  return {
    expected: possibleValues(expr, reference),
    actual: compilePossible(expr, slotOf)(slots),
  };
}

/** Equal as `possibleValues` gives them: the same values (Object.is) in the same order. */
function expectSame(actual: Possible, expected: Possible): void {
  if (expected === ANY || actual === ANY) {
    expect(actual).toBe(expected);
    return;
  }
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) =>
    expect(Object.is(actual[i], value), `${String(value)}`).toBe(true),
  );
}

const setArb: fc.Arbitrary<Possible> = fc.oneof(
  fc.constant(ANY),
  fc.uniqueArray(fc.oneof(fc.constantFrom('1', '2', '', 1, 0, true), valueArb), {
    minLength: 0,
    maxLength: 5,
    comparator: (a, b) => Object.is(a, b),
  }),
);
const worldArb: fc.Arbitrary<World> = fc.record({
  sets: fc.array(setArb, { minLength: NAMES.length, maxLength: NAMES.length }),
  reasons: fc.array(fc.constantFrom('', 'dont_know', 'refused'), {
    minLength: NAMES.length,
    maxLength: NAMES.length,
  }),
  current: fc.option(valueArb, { nil: undefined }),
});

function parse(source: string): Expr {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.error.message}`);
  return parsed.expr;
}

describe('compilePossible', () => {
  it('gives what possibleValues gives, on any tree and any sets', () => {
    fc.assert(
      fc.property(exprArb, worldArb, (expr, world) => {
        const { expected, actual } = both(expr, world);
        expectSame(actual, expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives up as possibleValues does, past the most values and the most combinations', () => {
    const many = (n: number, from: number): Value[] =>
      Array.from({ length: n }, (_, i) => from + i);
    // 20 x 20 sums give 39 values; 20 x 20 concatenations give 400, more than MAX_POSSIBLE.
    const wide: World = {
      sets: [many(20, 0), many(20, 1000), many(7, 0), ['1']],
      reasons: ['', '', '', ''],
      current: undefined,
    };
    const cases = [
      '${a} + ${b_1}',
      '${a} * ${b_1} + ${b_1}',
      '${a} = ${b_1}',
      'concat(${a}, ${b_1})',
    ];
    for (const source of cases) {
      const { expected, actual } = both(parse(source), wide);
      expectSame(actual, expected);
    }
    expect(both(parse('concat(${a}, ${b_1})'), wide).actual).toBe(ANY);
    // The case holds only while the cap is below 400.
    expect(20 * 20).toBeGreaterThan(MAX_POSSIBLE);
    // 7^5 combinations: past MAX_COMBINATIONS, ANY (or both booleans for a comparison).
    const deep = parse('${age} + ${age} + ${age} + ${age} + ${age}');
    expect(7 ** 5).toBeGreaterThan(MAX_COMBINATIONS);
    const { expected, actual } = both(
      parse('concat(${age}, ${age}, ${age}, ${age}, ${age})'),
      wide,
    );
    expectSame(actual, expected);
    expect(actual).toBe(ANY);
    expectSame(both(deep, wide).actual, both(deep, wide).expected);
    expectSame(both(parse('concat(${age}, ${age}, ${age}, ${age}, ${age}) = 1'), wide).actual, [
      true,
      false,
    ]);
  });

  it('reads the reasons and today as possibleValues does, a name without a slot as empty', () => {
    const world: World = {
      sets: [['1', '2'], ANY, [''], ['x']],
      reasons: ['dont_know', 'refused', '', 'refused'],
      current: 4,
    };
    for (const source of [
      'non-response(${a})',
      'non-response(${Q2})',
      "if(non-response(${b_1}) = 'refused', ${a}, today())",
      '${Q2}',
      '. + ${a}',
      "${a} = '1' or ${b_1} > 2",
      "${a} = '3' and ${b_1}",
    ]) {
      const { expected, actual } = both(parse(source), world);
      expectSame(actual, expected);
    }
  });
});
