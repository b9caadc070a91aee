// Property tests: printing and parsing are inverses, and neither parsing nor evaluation can throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOperator, EvalContext, Expr } from '../../../../src/core/expression/index.ts';
import {
  FUNCTIONS,
  compileExpression,
  evaluate,
  parseExpression,
  printExpression,
  walk,
} from '../../../../src/core/expression/index.ts';
import { NAMES, NO_SPAN, exprArb, valueArb } from './arbitraries.ts';

const COMPARISONS: readonly BinaryOperator[] = ['or', 'and', '=', '!=', '<', '<=', '>', '>='];

/** The tree without its spans, for comparing trees parsed from different texts. */
type Bare =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ref'; name: string }
  | { kind: 'current' }
  | { kind: 'negate'; operand: Bare }
  | { kind: 'binary'; op: BinaryOperator; left: Bare; right: Bare }
  | { kind: 'call'; name: string; args: Bare[] };

function stripSpans(expr: Expr): Bare {
  switch (expr.kind) {
    case 'number':
      return { kind: 'number', value: expr.value };
    case 'string':
      return { kind: 'string', value: expr.value };
    case 'ref':
      return { kind: 'ref', name: expr.name };
    case 'current':
      return { kind: 'current' };
    case 'negate':
      return { kind: 'negate', operand: stripSpans(expr.operand) };
    case 'binary':
      return {
        kind: 'binary',
        op: expr.op,
        left: stripSpans(expr.left),
        right: stripSpans(expr.right),
      };
    case 'call':
      return { kind: 'call', name: expr.name, args: expr.args.map(stripSpans) };
  }
}

const contextArb: fc.Arbitrary<EvalContext> = fc
  .record({
    values: fc.dictionary(fc.constantFrom(...NAMES), valueArb),
    nonResponse: fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom('dont_know', 'refused')),
    current: fc.option(valueArb, { nil: undefined }),
  })
  .map(({ values, nonResponse, current }) => ({
    value: (name: string) => values[name] ?? '',
    nonResponse: (name: string) => nonResponse[name] ?? '',
    today: () => '2026-11-23',
    ...(current === undefined ? {} : { current }),
  }));

function expectSpansWithin(expr: Expr, source: string): void {
  walk(expr, (node) => {
    expect(node.span.start).toBeGreaterThanOrEqual(0);
    expect(node.span.start).toBeLessThanOrEqual(node.span.end);
    expect(node.span.end).toBeLessThanOrEqual(source.length);
  });
}

describe('printExpression and parseExpression', () => {
  it('parse(print(tree)) is the same tree, and printing it again gives the same text', () => {
    fc.assert(
      fc.property(exprArb, (expr) => {
        const text = printExpression(expr);
        const parsed = parseExpression(text);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
        expect(stripSpans(parsed.expr)).toEqual(stripSpans(expr));
        expect(printExpression(parsed.expr)).toBe(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('gives every parsed node a span that holds its own text, inside its parent', () => {
    fc.assert(
      fc.property(exprArb, (generated) => {
        const text = printExpression(generated);
        const parsed = parseExpression(text);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
        const check = (node: Expr): void => {
          const own = text.slice(node.span.start, node.span.end);
          if (node.kind === 'ref') expect(own).toBe(`\${${node.name}}`);
          if (node.kind === 'current') expect(own).toBe('.');
          if (node.kind === 'number') expect(Number(own)).toBe(node.value);
          if (node.kind === 'string') expect(own.slice(1, -1)).toBe(node.value);
          if (node.kind === 'call') expect(own.startsWith(`${node.name}(`)).toBe(true);
          const children =
            node.kind === 'negate'
              ? [node.operand]
              : node.kind === 'binary'
                ? [node.left, node.right]
                : node.kind === 'call'
                  ? node.args
                  : [];
          for (const child of children) {
            expect(child.span.start).toBeGreaterThanOrEqual(node.span.start);
            expect(child.span.end).toBeLessThanOrEqual(node.span.end);
            check(child);
          }
        };
        expectSpansWithin(parsed.expr, text);
        check(parsed.expr);
      }),
      { numRuns: 500 },
    );
  });

  it('prints any non-negative finite number without an exponent, reading back the same', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (value) => {
        const number = Object.is(value, -0) ? 0 : value;
        const text = printExpression({ kind: 'number', value: number, span: NO_SPAN });
        expect(text).toMatch(/^[0-9]+(\.[0-9]+)?$/);
        const parsed = parseExpression(text);
        expect(parsed.ok && parsed.expr.kind === 'number' && parsed.expr.value).toBe(number);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('evaluate', () => {
  it('never throws, and gives a number, a text or a boolean of the documented type', () => {
    fc.assert(
      fc.property(exprArb, contextArb, (expr, ctx) => {
        const value = evaluate(expr, ctx);
        expect(['number', 'string', 'boolean']).toContain(typeof value);
        if (expr.kind === 'negate') expect(typeof value).toBe('number');
        if (expr.kind === 'binary') {
          expect(typeof value).toBe(COMPARISONS.includes(expr.op) ? 'boolean' : 'number');
        }
        if (expr.kind === 'call') {
          const returns = FUNCTIONS[expr.name]?.returns;
          if (returns !== undefined && returns !== 'any') expect(typeof value).toBe(returns);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same value for a tree and for its printed and re-parsed text', () => {
    fc.assert(
      fc.property(exprArb, contextArb, (expr, ctx) => {
        const parsed = parseExpression(printExpression(expr));
        if (!parsed.ok) throw new Error(parsed.error.message);
        expect(evaluate(parsed.expr, ctx)).toEqual(evaluate(expr, ctx));
      }),
      { numRuns: 500 },
    );
  });
});

describe('compileExpression', () => {
  // Names have slots, except the last, which reads as '' (an unknown name) both ways.
  const slotOf = (name: string): number | undefined => {
    const slot = NAMES.indexOf(name as (typeof NAMES)[number]);
    return slot < 0 || slot === NAMES.length - 1 ? undefined : slot;
  };
  const dataArb = fc.record({
    values: fc.array(valueArb, { minLength: NAMES.length, maxLength: NAMES.length }),
    nonResponse: fc.array(fc.constantFrom('', 'dont_know', 'refused'), {
      minLength: NAMES.length,
      maxLength: NAMES.length,
    }),
    current: fc.option(valueArb, { nil: undefined }),
  });

  it('gives what evaluate gives, on any tree and any values', () => {
    fc.assert(
      fc.property(exprArb, dataArb, (expr, { values, nonResponse, current }) => {
        const known = (name: string) => slotOf(name) !== undefined;
        const reference: EvalContext = {
          value: (name) => (known(name) ? (values[slotOf(name) ?? -1] ?? '') : ''),
          nonResponse: (name) => (known(name) ? (nonResponse[slotOf(name) ?? -1] ?? '') : ''),
          today: () => '2026-11-23',
          ...(current === undefined ? {} : { current }),
        };
        const compiled = compileExpression(
          expr,
          slotOf,
        )({
          values,
          nonResponse: (slot) => nonResponse[slot] ?? '',
          today: () => '2026-11-23',
          ...(current === undefined ? {} : { current }),
        });
        // Object.is: NaN equals NaN, and 0 is not -0.
        expect(Object.is(compiled, evaluate(expr, reference))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseExpression on any input', () => {
  const PIECES = [
    '${',
    '}',
    '$',
    '(',
    ')',
    ',',
    "'",
    '"',
    '.',
    '-',
    '+',
    '*',
    ' ',
    '\n',
    '=',
    '!=',
    '!',
    '<',
    '>=',
    'div',
    'mod',
    'and',
    'or',
    '#',
    '1',
    '2.5',
    '.5',
    'a',
    'é',
    'not',
    'count-selected',
    '${a}',
    '${b_1}',
    'selected(',
    "'x'",
  ];
  const sourceArb = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom(...PIECES), { maxLength: 25 }).map((pieces) => pieces.join('')),
  );

  it('never throws: it gives a tree with spans in the source, or an error with its span', () => {
    fc.assert(
      fc.property(sourceArb, (source) => {
        const result = parseExpression(source);
        if (result.ok) {
          expectSpansWithin(result.expr, source);
          // Whatever parsed also prints back to text that parses to the same tree.
          const again = parseExpression(printExpression(result.expr));
          expect(again.ok && stripSpans(again.expr)).toEqual(stripSpans(result.expr));
        } else {
          const { message, span } = result.error;
          expect(message.length).toBeGreaterThan(0);
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.start).toBeLessThanOrEqual(span.end);
          expect(span.end).toBeLessThanOrEqual(source.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
