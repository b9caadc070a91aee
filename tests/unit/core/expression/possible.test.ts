// The evaluation over sets of values (possible.ts): each operator and function on sets and on
// ANY, the caps, and the property that makes it safe to use for module results: whatever values
// the unknown names take among their candidates, `evaluate` gives one of the possible results.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvalContext, Value } from '../../../../src/core/expression/index.ts';
import { evaluate, parseExpression } from '../../../../src/core/expression/index.ts';
import type { Possible, PossibleContext } from '../../../../src/core/expression/possible.ts';
import {
  ANY,
  MAX_POSSIBLE,
  booleansOf,
  isPossible,
  onlyValue,
  possibleOf,
  possibleValues,
  samePossible,
  unionOf,
} from '../../../../src/core/expression/possible.ts';
import { NAMES, exprArb, valueArb } from './arbitraries.ts';

const TODAY = '2026-11-23';

function parse(source: string) {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.error.message}`);
  return parsed.expr;
}

/** What `source` could give, names read from `sets` (a missing name is `''`). */
function possible(
  source: string,
  sets: Readonly<Record<string, Possible>> = {},
  nonResponse: Readonly<Record<string, string>> = {},
): Possible {
  const ctx: PossibleContext = {
    value: (name) => sets[name] ?? [''],
    nonResponse: (name) => nonResponse[name] ?? '',
    today: () => TODAY,
  };
  return possibleValues(parse(source), ctx);
}

/** Compares as sets (order aside), `ANY` only with `ANY`. */
function expectSet(actual: Possible, expected: Possible): void {
  if (expected === ANY || actual === ANY) {
    expect(actual).toBe(expected);
    return;
  }
  expect(samePossible(actual, expected), `${String(actual)} vs ${String(expected)}`).toBe(true);
}

const yesNo: Possible = ['1', '2'];

describe('possibleValues, operator by operator', () => {
  it('gives a literal, a reference and `.` as they are', () => {
    expectSet(possible('2'), [2]);
    expectSet(possible("'x'"), ['x']);
    expectSet(possible('${a}', { a: yesNo }), yesNo);
    expect(possible('${a}', { a: ANY })).toBe(ANY);
    const ctx: PossibleContext = {
      value: () => [''],
      nonResponse: () => '',
      today: () => TODAY,
      current: 7,
    };
    expectSet(possibleValues(parse('. + 1'), ctx), [8]);
  });

  it.each([
    ["${a} = '1'", [true, false], [true, false]],
    ["${a} != '1'", [true, false], [true, false]],
    ['${a} < 2', [true, false], [true, false]],
    ['${a} <= 2', [true], [true, false]],
    ['${a} > 2', [false], [true, false]],
    ['${a} >= 1', [true], [true, false]],
  ] satisfies [string, Value[], Value[]][])(
    'compares: %s is %j over yes/no, %j over any value',
    (source, overCodes, overAny) => {
      expectSet(possible(source, { a: yesNo }), overCodes);
      expectSet(possible(source, { a: ANY }), overAny);
    },
  );

  it.each([
    ['${a} + 1', [2, 3]],
    ['${a} - 1', [0, 1]],
    ['${a} * 10', [10, 20]],
    ['${a} div 2', [0.5, 1]],
    ['${a} mod 2', [1, 0]],
    ['-${a}', [-1, -2]],
  ] satisfies [string, Value[]][])('does arithmetic on every value: %s is %j', (source, values) => {
    expectSet(possible(source, { a: yesNo }), values);
    expect(possible(source, { a: ANY })).toBe(ANY);
  });

  it('combines every value of one side with every value of the other', () => {
    expectSet(possible('${a} + ${b}', { a: [1, 2], b: [10, 20] }), [11, 21, 12, 22]);
    // Sums that meet are one value.
    expectSet(possible('${a} + ${b}', { a: [1, 2], b: [1, 0] }), [2, 1, 3]);
    // An empty answer is NaN in arithmetic, as in evaluate.
    expectSet(possible('${a} + 1', { a: ['', '1'] }), [NaN, 2]);
  });

  it('counts yeses as the questionnaires do: a threshold met either way is one value', () => {
    const count = "(${a} = '1') + (${b} = '1') + (${c} = '1')";
    expectSet(possible(`${count} >= 2`, { a: ['1'], b: ['1'], c: yesNo }), [true]);
    expectSet(possible(`${count} >= 3`, { a: ['1'], b: ['1'], c: yesNo }), [true, false]);
    expectSet(possible(`if(${count} >= 3, 1, 0)`, { a: ['2'], b: ['1'], c: yesNo }), [0]);
  });

  it('reads and / or as booleans: one side may decide alone, even over any value', () => {
    expectSet(possible("${a} = '1' and ${b}", { a: ['2'], b: ANY }), [false]);
    expectSet(possible("${a} = '1' or ${b}", { a: ['1'], b: ANY }), [true]);
    expectSet(possible("${a} = '1' and ${b}", { a: ['1'], b: ANY }), [true, false]);
    expectSet(possible("${a} = '1' and ${b} = '1'", { a: yesNo, b: ['2'] }), [false]);
    expectSet(possible("${a} = '1' or ${b} = '1'", { a: yesNo, b: ['2'] }), [true, false]);
  });

  it('takes the branches of if its condition allows, and only those', () => {
    expectSet(possible("if(${a} = '1', 1, ${b})", { a: ['1'], b: ANY }), [1]);
    expect(possible("if(${a} = '1', 1, ${b})", { a: yesNo, b: ANY })).toBe(ANY);
    expectSet(possible("if(${a} = '1', 'yes', 'no')", { a: yesNo }), ['yes', 'no']);
    expectSet(possible('if(${a}, 1, 0)', { a: ANY }), [1, 0]);
  });

  it('gives the first non-empty value of coalesce, for each combination', () => {
    expectSet(possible('coalesce(${a}, 0)', { a: ['', 3] }), [0, 3]);
    expectSet(possible('coalesce(${a}, 0)', { a: [3] }), [3]);
    expect(possible('coalesce(${a}, 0)', { a: ANY })).toBe(ANY);
  });

  it.each([
    ['not(${a})', { a: ['', 'x'] }, [true, false], [true, false]],
    ['true()', {}, [true], [true]],
    ['false()', {}, [false], [false]],
    ["selected(${a}, 'x')", { a: ['x y', 'y'] }, [true, false], [true, false]],
    ["selected(${a}, 'x')", { a: ['x y', 'x'] }, [true], [true, false]],
    ['count-selected(${a})', { a: ['x y', 'z'] }, [2, 1], ANY],
    ['string-length(${a})', { a: ['ab', 'c'] }, [2, 1], ANY],
    ['int(${a})', { a: [1.5, 1.2] }, [1], ANY],
    ['round(${a}, 1)', { a: [1.25, 1.33] }, [1.3], ANY],
    ['min(${a}, 2)', { a: [1, 3] }, [1, 2], ANY],
    ['max(${a}, 2)', { a: [1, 3] }, [2, 3], ANY],
    ['today()', {}, [TODAY], [TODAY]],
    ["regex(${a}, '^[0-9]+$')", { a: ['12', 'x'] }, [true, false], [true, false]],
    ["concat(${a}, '!')", { a: ['a', 'b'] }, ['a!', 'b!'], ANY],
    ['number(${a})', { a: ['1', '2'] }, [1, 2], ANY],
    ['string(${a})', { a: [1, 2] }, ['1', '2'], ANY],
    ['boolean(${a})', { a: ['', 0] }, [false], [true, false]],
  ] satisfies [string, Record<string, Possible>, Possible, Possible][])(
    'applies %s to every value, and to any value',
    (source, sets, overSets, overAny) => {
      expectSet(possible(source, sets), overSets);
      const anyArgs = Object.fromEntries(
        Object.keys(sets).map((name): [string, Possible] => [name, ANY]),
      );
      expectSet(possible(source, anyArgs), overAny);
    },
  );

  it('reads the concrete reason of non-response(), whatever the answer could have been', () => {
    expectSet(possible('non-response(${a})', { a: yesNo }, { a: 'refused' }), ['refused']);
    expectSet(
      possible("if(non-response(${a}) = 'refused', 9, ${a})", { a: ANY }, { a: 'refused' }),
      [9],
    );
    expectSet(possible('non-response(${a})', { a: ['1'] }), ['']);
  });

  it('is sound rather than clever: the same unknown read twice counts as two', () => {
    // True whatever a is, but the two readings are combined freely.
    expectSet(possible("${a} = '1' or ${a} != '1'", { a: yesNo }), [true, false]);
  });
});

describe('caps', () => {
  it(`turns a set of more than ${MAX_POSSIBLE} values into ANY`, () => {
    const many = Array.from({ length: MAX_POSSIBLE + 1 }, (_, i) => i);
    expect(possibleOf(many)).toBe(ANY);
    expect(possibleOf(many.slice(0, MAX_POSSIBLE))).toHaveLength(MAX_POSSIBLE);
    const hundreds = Array.from({ length: 20 }, (_, i) => i * 100);
    const ones = Array.from({ length: 20 }, (_, i) => i);
    // 400 different sums: too many.
    expect(possible('${a} + ${b}', { a: hundreds, b: ones })).toBe(ANY);
    // A comparison over too many combinations still has only two answers.
    const wide = Array.from({ length: 100 }, (_, i) => i);
    expectSet(possible('${a} + ${b} + ${c} > 5', { a: wide, b: wide, c: wide }), [true, false]);
  });
});

describe('set helpers', () => {
  it('tells values apart as Object.is does, and unites and compares sets', () => {
    expect(possibleOf([1, '1', true, 1, 0, -0, NaN, NaN])).toEqual([1, '1', true, 0, -0, NaN]);
    expect(unionOf(['a'], ['b', 'a'])).toEqual(['a', 'b']);
    expect(unionOf(['a'], ANY)).toBe(ANY);
    expect(samePossible(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(samePossible(['a'], ['a', 'b'])).toBe(false);
    expect(samePossible(ANY, ['a'])).toBe(false);
    expect(onlyValue([0])).toEqual({ value: 0 });
    expect(onlyValue([0, 1])).toBeUndefined();
    expect(onlyValue(ANY)).toBeUndefined();
    expect(isPossible(['1'], 1)).toBe(false);
    expect(isPossible(ANY, 'anything')).toBe(true);
    expect(booleansOf(['', 0])).toEqual([false]);
    expect(booleansOf(ANY)).toEqual([true, false]);
  });
});

describe('soundness', () => {
  /** A name is known (one value), unknown among candidates, or any value (tried on samples). */
  type Binding =
    | { readonly kind: 'known'; readonly value: Value }
    | { readonly kind: 'among'; readonly values: readonly Value[] }
    | { readonly kind: 'any'; readonly samples: readonly Value[] };
  const bindingArb: fc.Arbitrary<Binding> = fc.oneof(
    valueArb.map((value): Binding => ({ kind: 'known', value })),
    fc
      .uniqueArray(fc.oneof(fc.constantFrom('1', '2', '3', '', 1, 0, 'x y'), valueArb), {
        minLength: 1,
        maxLength: 4,
        comparator: (a, b) => Object.is(a, b),
      })
      .map((values): Binding => ({ kind: 'among', values })),
    fc
      .array(valueArb, { minLength: 1, maxLength: 4 })
      .map((samples): Binding => ({ kind: 'any', samples })),
  );
  const worldArb = fc.record({
    bindings: fc.tuple(...NAMES.map(() => bindingArb)),
    nonResponse: fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom('dont_know', 'refused')),
    current: fc.option(valueArb, { nil: undefined }),
  });

  it('gives, for every choice of the unknowns among their candidates, what evaluate gives', () => {
    fc.assert(
      fc.property(exprArb, worldArb, (expr, { bindings, nonResponse, current }) => {
        const bindingOf = (name: string) => bindings[NAMES.indexOf(name as never)];
        const ctx: PossibleContext = {
          value: (name) => {
            const binding = bindingOf(name);
            if (binding === undefined) return [''];
            return binding.kind === 'known'
              ? [binding.value]
              : binding.kind === 'among'
                ? binding.values
                : ANY;
          },
          nonResponse: (name) => nonResponse[name] ?? '',
          today: () => TODAY,
          ...(current === undefined ? {} : { current }),
        };
        const result = possibleValues(expr, ctx);
        const only = onlyValue(result);
        // Every substitution of the unknowns (the samples standing for "any value").
        const choices = bindings.map((binding) =>
          binding.kind === 'known'
            ? [binding.value]
            : binding.kind === 'among'
              ? binding.values
              : binding.samples,
        );
        let tried = 0;
        const visit = (i: number, chosen: Value[]): void => {
          if (tried > 300) return;
          if (i === choices.length) {
            tried += 1;
            const concrete: EvalContext = {
              value: (name) => chosen[NAMES.indexOf(name as never)] ?? '',
              nonResponse: (name) => nonResponse[name] ?? '',
              today: () => TODAY,
              ...(current === undefined ? {} : { current }),
            };
            const value = evaluate(expr, concrete);
            expect(isPossible(result, value), `${String(value)} not in the result`).toBe(true);
            if (only !== undefined) expect(Object.is(value, only.value)).toBe(true);
            return;
          }
          for (const value of choices[i] ?? []) visit(i + 1, [...chosen, value]);
        };
        visit(0, []);
      }),
      { numRuns: 2000 },
    );
  });
});
