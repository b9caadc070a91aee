// The parser's contract: XLSForm precedence and syntax, and syntax errors that point at the spot.
import { describe, expect, it } from 'vitest';
import type { Expr, Span } from '../../../../src/core/expression/index.ts';
import { parseExpression, references } from '../../../../src/core/expression/index.ts';
import { OPERATORS } from './arbitraries.ts';

/** Parses a source that must be valid. */
function parse(source: string): Expr {
  const result = parseExpression(source);
  if (!result.ok) {
    throw new Error(`expected ${JSON.stringify(source)} to parse: ${result.error.message}`);
  }
  return result.expr;
}

/** Parses a source that must be invalid, and returns its error. */
function parseError(source: string): { message: string; span: Span } {
  const result = parseExpression(source);
  if (result.ok) throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
  return { message: result.error.message, span: result.error.span };
}

/** Prints a tree with every operation in parentheses, to make its shape visible. */
function shape(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return String(expr.value);
    case 'string':
      return JSON.stringify(expr.value);
    case 'ref':
      return `\${${expr.name}}`;
    case 'current':
      return '.';
    case 'negate':
      return `(-${shape(expr.operand)})`;
    case 'binary':
      return `(${shape(expr.left)} ${expr.op} ${shape(expr.right)})`;
    case 'call':
      return `${expr.name}(${expr.args.map(shape).join(', ')})`;
  }
}

describe('parseExpression: precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['1 + 2 - 3 + 4', '(((1 + 2) - 3) + 4)'],
    ['8 div 4 div 2', '((8 div 4) div 2)'],
    ['7 mod 4 * 2', '((7 mod 4) * 2)'],
    ['2 * 7 mod 4', '((2 * 7) mod 4)'],
    ['6 div 2 * 3', '((6 div 2) * 3)'],
    ['1 - 2 * 3 div 4 mod 5', '(1 - (((2 * 3) div 4) mod 5))'],
    ['1 or 2 and 3', '(1 or (2 and 3))'],
    ['1 and 2 or 3', '((1 and 2) or 3)'],
    ['1 or 2 or 3', '((1 or 2) or 3)'],
    ['1 and 2 and 3', '((1 and 2) and 3)'],
    ['1 = 2 and 3 != 4', '((1 = 2) and (3 != 4))'],
    ['1 = 2 = 3', '((1 = 2) = 3)'],
    ['1 != 2 = 3', '((1 != 2) = 3)'],
    ['1 < 2 = 3 > 4', '((1 < 2) = (3 > 4))'],
    ['1 >= 2 < 3', '((1 >= 2) < 3)'],
    ['1 = 2 < 3', '(1 = (2 < 3))'],
    ['1 != 2 <= 3', '(1 != (2 <= 3))'],
    ['1 > 2 != 3', '((1 > 2) != 3)'],
    ['1 = 2 >= 3', '(1 = (2 >= 3))'],
    ['1 <= 2 + 3', '(1 <= (2 + 3))'],
    ['1 + 2 > 3 * 4', '((1 + 2) > (3 * 4))'],
    ['1 + 2 or 3 * 4 and 5 = 6', '((1 + 2) or ((3 * 4) and (5 = 6)))'],
    ['-1 * 2', '((-1) * 2)'],
    ['2 * -1', '(2 * (-1))'],
    ['-1 + -2', '((-1) + (-2))'],
    ['1 - -1', '(1 - (-1))'],
    ['--1', '(-(-1))'],
    ['-(1 + 2)', '(-(1 + 2))'],
    ['-${a} div 2', '((-${a}) div 2)'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['1 - (2 - 3)', '(1 - (2 - 3))'],
    ['(1 or 2) and 3', '((1 or 2) and 3)'],
    ['((1))', '1'],
    ['1-2', '(1 - 2)'],
    ['${a}-1', '(${a} - 1)'],
    ['2*-3', '(2 * (-3))'],
    ['${a}=${b}or${c}!=1', '((${a} = ${b}) or (${c} != 1))'],
    [
      "${age} >= 18 and selected(${q}, 'x') or not(${b})",
      '(((${age} >= 18) and selected(${q}, "x")) or not(${b}))',
    ],
    ['count-selected(${q}) - 1', '(count-selected(${q}) - 1)'],
    ['string-length(.) > 2 * 3', '(string-length(.) > (2 * 3))'],
    ['-count-selected(${q})', '(-count-selected(${q}))'],
  ])('%s  ->  %s', (source, expected) => {
    expect(shape(parse(source))).toBe(expected);
  });

  it.each(OPERATORS)('parses the operator %s into a binary node with spans', (op) => {
    const source = `\${a} ${op} 10`;
    expect(parse(source)).toEqual({
      kind: 'binary',
      op,
      left: { kind: 'ref', name: 'a', span: { start: 0, end: 4 } },
      right: { kind: 'number', value: 10, span: { start: 6 + op.length, end: 8 + op.length } },
      span: { start: 0, end: source.length },
    });
  });

  it('treats and, or, div and mod as operators only, never as values', () => {
    for (const word of ['and', 'or', 'div', 'mod']) {
      expect(parseError(word)).toEqual({
        message: `expected a value, found "${word}"`,
        span: { start: 0, end: word.length },
      });
    }
  });

  it('gives a negation the span from the minus sign to the end of its operand', () => {
    expect(parse(' - 5')).toEqual({
      kind: 'negate',
      operand: { kind: 'number', value: 5, span: { start: 3, end: 4 } },
      span: { start: 1, end: 4 },
    });
  });
});

describe('parseExpression: values', () => {
  it.each([
    ['5', 5, { start: 0, end: 1 }],
    ['2.5', 2.5, { start: 0, end: 3 }],
    ['.5', 0.5, { start: 0, end: 2 }],
    ['5.', 5, { start: 0, end: 2 }],
    ['007', 7, { start: 0, end: 3 }],
    ['  12.75 ', 12.75, { start: 2, end: 7 }],
  ])('reads the number %j', (source, value, span) => {
    expect(parse(source)).toEqual({ kind: 'number', value, span });
  });

  it.each([
    ["'abc'", 'abc'],
    ['"abc"', 'abc'],
    ["''", ''],
    ['""', ''],
    ['"it\'s"', "it's"],
    ['\'say "hi"\'', 'say "hi"'],
    ["'a  b'", 'a  b'],
    ["'${a} + 1'", '${a} + 1'],
    ["'é€😀'", 'é€😀'],
    ["'line\nbreak'", 'line\nbreak'],
  ])('reads the string %s', (source, value) => {
    expect(parse(source)).toEqual({
      kind: 'string',
      value,
      span: { start: 0, end: source.length },
    });
  });

  it.each(['a_b1', 'a', '_x', 'Age', 'Q12_b_3'])('reads the reference ${%s}', (name) => {
    const source = `\${${name}}`;
    expect(parse(source)).toEqual({ kind: 'ref', name, span: { start: 0, end: source.length } });
  });

  it('reads . as the current answer, also next to operators', () => {
    expect(parse('.')).toEqual({ kind: 'current', span: { start: 0, end: 1 } });
    expect(shape(parse('. >= 18 and .<=99'))).toBe('((. >= 18) and (. <= 99))');
    expect(shape(parse('-.'))).toBe('(-.)');
  });

  it('skips spaces, tabs and newlines, keeping offsets in the original source', () => {
    const source = ' \t\n${a}\r\n +\n\t2 ';
    expect(parse(source)).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'ref', name: 'a', span: { start: 3, end: 7 } },
      right: { kind: 'number', value: 2, span: { start: 13, end: 14 } },
      span: { start: 3, end: 14 },
    });
  });

  it('gives a parenthesised expression the span of its content', () => {
    expect(parse('(1 + 2)').span).toEqual({ start: 1, end: 6 });
  });
});

describe('parseExpression: function calls', () => {
  it.each([
    ['true()', 'true', 0],
    ['today( )', 'today', 0],
    ['not(1)', 'not', 1],
    ["selected(${q}, 'x')", 'selected', 2],
    ['if(1, 2, 3)', 'if', 3],
    ["concat('a', 'b', 'c', 'd', 'e')", 'concat', 5],
    ['count-selected(${q})', 'count-selected', 1],
    ["string-length('abc')", 'string-length', 1],
    ['non-response(${q})', 'non-response', 1],
  ])('%s calls %s with %i arguments', (source, name, arity) => {
    const expr = parse(source);
    expect(expr.kind).toBe('call');
    if (expr.kind !== 'call') return;
    expect(expr.name).toBe(name);
    expect(expr.args).toHaveLength(arity);
    expect(expr.span).toEqual({ start: 0, end: source.length });
  });

  it('parses each argument as a full expression, with spans', () => {
    expect(parse('min(1 + 2, ${a})')).toEqual({
      kind: 'call',
      name: 'min',
      args: [
        {
          kind: 'binary',
          op: '+',
          left: { kind: 'number', value: 1, span: { start: 4, end: 5 } },
          right: { kind: 'number', value: 2, span: { start: 8, end: 9 } },
          span: { start: 4, end: 9 },
        },
        { kind: 'ref', name: 'a', span: { start: 11, end: 15 } },
      ],
      span: { start: 0, end: 16 },
    });
  });

  it('parses nested calls', () => {
    expect(shape(parse('if(not(${a} = 1), coalesce(${b}, 0), round(${c} div 3, 2))'))).toBe(
      'if(not((${a} = 1)), coalesce(${b}, 0), round((${c} div 3), 2))',
    );
  });

  it('leaves unknown function names and arities to the load-time checks', () => {
    expect(shape(parse('frobnicate(1, 2)'))).toBe('frobnicate(1, 2)');
    expect(shape(parse('not()'))).toBe('not()');
  });
});

describe('parseExpression: syntax errors', () => {
  it.each([
    ["'abc", "string is not closed: missing '", 0, 4],
    ['1 + "ab', 'string is not closed: missing "', 4, 7],
    ['"it\'s', 'string is not closed: missing "', 0, 5],
    ['${age', 'reference is not closed: missing "}"', 0, 5],
    ['${age + 1', 'reference is not closed: missing "}"', 0, 9],
    ['${1a}', '"${1a}" is not a valid reference name', 0, 5],
    ['1 + ${}', '"${}" is not a valid reference name', 4, 7],
    ['${a-b}', '"${a-b}" is not a valid reference name', 0, 6],
    ['${ a }', '"${ a }" is not a valid reference name', 0, 6],
    ['$', '"$" must start a reference such as ${age}', 0, 1],
    ['1 + $a', '"$" must start a reference such as ${age}', 4, 5],
    ['!', '"!" alone is not an operator: use != or not()', 0, 1],
    ['1 ! 2', '"!" alone is not an operator: use != or not()', 2, 3],
    ['1 +', 'the expression ends too early: a value is missing', 3, 3],
    ['1 + ', 'the expression ends too early: a value is missing', 4, 4],
    ['', 'the expression ends too early: a value is missing', 0, 0],
    ['   ', 'the expression ends too early: a value is missing', 3, 3],
    ['-', 'the expression ends too early: a value is missing', 1, 1],
    ['1 2', 'unexpected number 2 after a complete expression', 2, 3],
    ["${a} 'x'", "unexpected string 'x' after a complete expression", 5, 8],
    ['${a} ${b}', 'unexpected ${b} after a complete expression', 5, 9],
    ['1 + 2)', 'unexpected ")" after a complete expression', 5, 6],
    ['min(1, 2', 'expected ")" to close min(, found the end of the expression', 8, 8],
    ['min(1 2)', 'expected ")" to close min(, found number 2', 6, 7],
    ['min(1,)', 'expected a value, found ")"', 6, 7],
    ['min(,1)', 'expected a value, found ","', 4, 5],
    ['(1 + 2', 'expected ")" to close "(", found the end of the expression', 6, 6],
    ['1 + * 2', 'expected a value, found "*"', 4, 5],
    [')', 'expected a value, found ")"', 0, 1],
    ['#', 'unexpected character "#"', 0, 1],
    ['${a} # 2', 'unexpected character "#"', 5, 6],
    ['1 & 2', 'unexpected character "&"', 2, 3],
  ])('rejects %j: %s', (source, message, start, end) => {
    expect(parseError(source)).toEqual({ message, span: { start, end } });
  });

  it('suggests ${name}, quotes or a call for a bare name', () => {
    const error = parseError('age');
    expect(error.span).toEqual({ start: 0, end: 3 });
    expect(error.message).toContain('${age}');
    expect(error.message).toContain("'age'");
    expect(error.message).toContain('age()');
  });

  it('points at the bare name inside a larger expression', () => {
    const error = parseError('${a} = yes');
    expect(error.span).toEqual({ start: 7, end: 10 });
    expect(error.message).toContain('${yes}');
  });

  it('reports the first error from the left', () => {
    expect(parseError('# + ${1a}').span).toEqual({ start: 0, end: 1 });
    expect(parseError("1 + 'open ${1a}").message).toBe("string is not closed: missing '");
  });

  it('rejects nesting deep enough to exhaust the stack, without throwing', () => {
    for (const source of [
      '('.repeat(20_000) + '1' + ')'.repeat(20_000),
      '-'.repeat(20_000) + '1',
      'not('.repeat(20_000) + '1' + ')'.repeat(20_000),
      Array.from({ length: 20_000 }, () => '1').join(' + '),
    ]) {
      const result = parseExpression(source);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toMatch(/nested too deeply/);
        expect(result.error.span.start).toBeGreaterThanOrEqual(0);
        expect(result.error.span.end).toBeLessThanOrEqual(source.length);
      }
    }
  });

  it('accepts the nesting real questionnaires use', () => {
    const orChain = Array.from({ length: 300 }, (_, i) => `\${d} = '${i}'`).join(' or ');
    expect(parseExpression(orChain).ok).toBe(true);
    expect(parseExpression('('.repeat(50) + '1' + ')'.repeat(50)).ok).toBe(true);
  });

  it('never throws, whatever the input', () => {
    const sources = ['${', '${}', "'", '"', '$', '!', '!=', '(', ')', ',', '.', '..', '1..2', '\0'];
    for (const source of sources) {
      expect(() => parseExpression(source)).not.toThrow();
      expect(typeof parseExpression(source).ok).toBe('boolean');
    }
  });
});

describe('references', () => {
  it('lists each ${name} once, in order of appearance', () => {
    expect(references(parse('${b} + if(${a}, ${b}, -${c}) + . + ${a}'))).toEqual(['b', 'a', 'c']);
    expect(references(parse("'${notref}' = 1"))).toEqual([]);
  });
});
