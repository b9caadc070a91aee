// Generators of expression trees and runtime values for the expression module's property tests
// (evaluate, compile, and the evaluation over sets of values).
import fc from 'fast-check';
import type { BinaryOperator, Expr, Value } from '../../../../src/core/expression/index.ts';
import { FUNCTIONS, FUNCTION_NAMES } from '../../../../src/core/expression/index.ts';

export const NO_SPAN = { start: 0, end: 0 };
export const NAMES = ['a', 'b_1', 'age', 'Q2'] as const;

const ALL_OPERATORS = {
  or: true,
  and: true,
  '=': true,
  '!=': true,
  '<': true,
  '<=': true,
  '>': true,
  '>=': true,
  '+': true,
  '-': true,
  '*': true,
  div: true,
  mod: true,
} satisfies Record<BinaryOperator, true>;
export const OPERATORS = Object.keys(ALL_OPERATORS) as BinaryOperator[];

/** Non-negative numbers as a source can spell them: integers, or a few decimals. */
const numberValue = fc.oneof(
  fc.nat({ max: 1_000_000 }),
  fc
    .tuple(fc.nat({ max: 100_000 }), fc.integer({ min: 1, max: 4 }))
    .map(([n, decimals]) => n / 10 ** decimals),
);

/** Any text that fits in one kind of quotes. */
const stringValue = fc
  .oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 }))
  .map((s) => (s.includes("'") ? s.replaceAll('"', '') : s));

export const { expr: exprArb } = fc.letrec<{ expr: Expr }>((tie) => {
  const leaf = fc.oneof(
    numberValue.map((value): Expr => ({ kind: 'number', value, span: NO_SPAN })),
    stringValue.map((value): Expr => ({ kind: 'string', value, span: NO_SPAN })),
    fc.constantFrom(...NAMES).map((name): Expr => ({ kind: 'ref', name, span: NO_SPAN })),
    fc.constant<Expr>({ kind: 'current', span: NO_SPAN }),
  );
  const negate = tie('expr').map((operand): Expr => ({ kind: 'negate', operand, span: NO_SPAN }));
  const binary = fc
    .tuple(fc.constantFrom(...OPERATORS), tie('expr'), tie('expr'))
    .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, span: NO_SPAN }));
  const calls = FUNCTION_NAMES.map((name) => {
    const spec = FUNCTIONS[name];
    if (spec === undefined) throw new Error(`no spec for ${name}`);
    const maxLength = Number.isFinite(spec.maxArgs) ? spec.maxArgs : spec.minArgs + 2;
    return fc
      .array(tie('expr'), { minLength: spec.minArgs, maxLength })
      .map((args): Expr => ({ kind: 'call', name, args, span: NO_SPAN }));
  });
  return {
    expr: fc.oneof(
      { depthSize: 'medium', maxDepth: 8, withCrossShrink: true },
      { arbitrary: leaf, weight: 4 },
      { arbitrary: negate, weight: 1 },
      { arbitrary: binary, weight: 4 },
      { arbitrary: fc.oneof(...calls), weight: 3 },
    ),
  };
});

/** Answers of every type a context may hand out. */
export const valueArb: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 6 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0),
  fc.integer({ min: -200, max: 200 }),
  fc.integer({ min: -200, max: 200 }).map(String),
  fc.boolean(),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc
    .uniqueArray(fc.constantFrom('a', 'b', 'c', '1', '2', '99'), { maxLength: 4 })
    .map((codes) => codes.join(' ')),
);
