// The evaluator's contract: XPath 1.0 value rules, XLSForm's empty answers, and every function.
import { describe, expect, it } from 'vitest';
import type { EvalContext, Value } from '../../../../src/core/expression/index.ts';
import {
  evaluate,
  isValidRegex,
  parseExpression,
  toBoolean,
  toNumber,
  toText,
} from '../../../../src/core/expression/index.ts';

const TODAY = '2026-11-23';
/** Days from 1970-01-01 to a date, as the evaluator counts them. */
const days = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;

interface Answers {
  readonly values?: Readonly<Record<string, Value>>;
  readonly nonResponse?: Readonly<Record<string, string>>;
  readonly current?: Value;
}

/** A context over plain answers: a missing name reads as empty, today is fixed. */
function context(answers: Answers = {}): EvalContext {
  const values = answers.values ?? {};
  const nonResponse = answers.nonResponse ?? {};
  return {
    value: (name) => values[name] ?? '',
    nonResponse: (name) => nonResponse[name] ?? '',
    today: () => TODAY,
    ...(answers.current === undefined ? {} : { current: answers.current }),
  };
}

const ANSWERS: Answers = {
  values: {
    age: '30',
    n: 7,
    a: '2',
    b: '3',
    empty: '',
    multi: 'a b c',
    single: 'b',
    name: 'Zoé',
    yes: '1',
    no: '0',
    dob: '1990-05-01',
    // A "don't know" and a "refused" read as empty; non-response() tells them apart.
    dk: '',
    ref: '',
  },
  nonResponse: { dk: 'dont_know', ref: 'refused' },
};

/** Parses and evaluates; -0 reads as 0, since no rule of the language tells them apart. */
function run(source: string, answers: Answers = ANSWERS): Value {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.error.message}`);
  const value = evaluate(parsed.expr, context(answers));
  return Object.is(value, -0) ? 0 : value;
}

type Row = readonly [source: string, expected: Value];

const arithmetic: Row[] = [
  ['1 + 2', 3],
  ['5 - 7', -2],
  ['2 * 3.5', 7],
  ['7 div 2', 3.5],
  ['12 div 3 div 2', 2],
  ['7 mod 3', 1],
  ['-7 mod 3', -1],
  ['7 mod -3', 1],
  ['7.5 mod 2', 1.5],
  ['2 + 3 * 4', 14],
  ['(2 + 3) * 4', 20],
  ['10 - 4 - 3', 3],
  ['1 div 0', Infinity],
  ['-1 div 0', -Infinity],
  ['0 div 0', NaN],
  ['5 mod 0', NaN],
  ['-3', -3],
  ['--3', 3],
  ['-${a}', -2],
  ['-(1 + 2) * 2', -6],
  ['${age} + 1', 31],
  ['${n} * 2', 14],
  ['${a} * ${b}', 6],
  ["' 4 ' + 1", 5],
  ["'-2.5' * 2", -5],
  ["'.5' + '1.'", 1.5],
  ["'abc' + 1", NaN],
  ["'1e3' + 0", NaN],
  ["'1,5' + 0", NaN],
  ['${a} + ${empty}', NaN],
  ['${empty} + 1', NaN],
  ['${empty} * 0', NaN],
  ['${empty} div 2', NaN],
  ['${empty} mod 2', NaN],
  ['-${empty}', NaN],
  ['${missing} - 1', NaN],
];

const comparisons: Row[] = [
  ['1 < 2', true],
  ['2 <= 2', true],
  ['3 > 4', false],
  ['4 >= 4', true],
  ['1 = 1.0', true],
  ['1 != 1', false],
  ["'1' = 1", true],
  ["'1.0' = 1", true],
  ["' 1 ' = 1", true],
  ["'1.0' = '1'", false],
  ["'abc' = 'abc'", true],
  ["'abc' != 'abd'", true],
  ["'a' = 'A'", false],
  ["'abc' = 0", false],
  ["'abc' != 0", true],
  ["'10' < '9'", false],
  ["'10' > '9'", true],
  ["'b' > 'a'", false],
  ["'b' < 'a'", false],
  ["'b' >= 'b'", false],
  ['0 div 0 = 0 div 0', false],
  ['0 div 0 != 0 div 0', true],
  ['${age} >= 18', true],
  ['${age} = 30', true],
  ["${age} = '30'", true],
  ["${age} = '30.0'", false],
  ['${n} = 7', true],
  ["${n} = '7'", true],
  ["true() = 'x'", true],
  ["true() = 'false'", true],
  ["true() = ''", false],
  ["false() = ''", true],
  ['true() = 5', true],
  ['false() = 0', true],
  ['1 = true()', true],
  ['2 = true()', true],
  ['0 div 0 = false()', true],
  ['(1 = 1) = (2 = 2)', true],
  ['(1 = 1) != (1 = 2)', true],
  ['true() > false()', true],
  ['true() >= 1', true],
  ['true() < 2', true],
  ["true() < 'x'", false],
];

const empties: Row[] = [
  ['${empty} >= 18', false],
  ['${empty} < 18', false],
  ['${empty} <= 18', false],
  ['${empty} > 18', false],
  ['${empty} >= ${empty}', false],
  ["${empty} = ''", true],
  ["${empty} != ''", false],
  ["${empty} != 'a'", true],
  ["${empty} = 'a'", false],
  ['${empty} = 0', false],
  ['${empty} != 0', true],
  ['${empty} = ${missing}', true],
  ['${empty} = ${empty}', true],
  ['${empty} = false()', true],
  ['${empty} = true()', false],
  ['not(${empty})', true],
  ['boolean(${empty})', false],
  ['${empty} and true()', false],
  ['${empty} or true()', true],
  ['string-length(${empty})', 0],
  ["concat(${empty}, 'x', ${empty})", 'x'],
  ['string(${empty})', ''],
  ['number(${empty})', NaN],
  ['int(${empty})', NaN],
  ['round(${empty})', NaN],
  ['round(${empty}, 2)', NaN],
  ['min(${empty}, 1)', NaN],
  ["selected(${empty}, 'a')", false],
  ['count-selected(${empty})', 0],
  ["if(${empty}, 'y', 'n')", 'n'],
  ['coalesce(${empty}, 0)', 0],
  ['coalesce(${empty}, 0) + 1', 1],
  ["regex(${empty}, '^$')", true],
  ["regex(${empty}, '^[0-9]+$')", false],
  ['non-response(${empty})', ''],
  ['${missing}', ''],
];

const logic: Row[] = [
  ['1 = 1 and 2 = 2', true],
  ['1 = 1 and 2 = 3', false],
  ['1 = 2 or 2 = 2', true],
  ['1 = 2 or 2 = 3', false],
  ['0 or 0', false],
  ['1 and 2', true],
  ["'a' and 1", true],
  ["'' or 0", false],
  ["'0' and 'false'", true],
  ['true() or false() and false()', true],
  ['(true() or false()) and false()', false],
];

const functions: Row[] = [
  ['not(1 = 1)', false],
  ['not(0)', true],
  ["not('')", true],
  ["not('false')", false],
  ['not(0 div 0)', true],
  ['true()', true],
  ['false()', false],

  ["selected(${multi}, 'a')", true],
  ["selected(${multi}, 'b')", true],
  ["selected(${multi}, 'c')", true],
  ["selected(${multi}, 'd')", false],
  ["selected(${multi}, 'a b')", false],
  ["selected(${multi}, ' c ')", true],
  ["selected(${multi}, '')", false],
  ["selected(${single}, 'b')", true],
  ["selected(${single}, 'a')", false],
  ["selected('  a \t b ', 'b')", true],
  ["selected('1 2 3', 2)", true],
  ["selected('10', 1)", false],
  ["selected('', '')", false],

  ['count-selected(${multi})', 3],
  ['count-selected(${single})', 1],
  ["count-selected(' a   b ')", 2],
  ["count-selected('')", 0],

  ["if(1 = 1, 'yes', 'no')", 'yes'],
  ["if(1 = 2, 'yes', 'no')", 'no'],
  ["if('', 1, 2)", 2],
  ["if(${age} >= 18, 'adult', 'minor')", 'adult'],
  ['if(true(), 5, 0)', 5],
  ['if(false(), 5, 1 = 1)', true],

  ["coalesce(${empty}, 'x')", 'x'],
  ["coalesce('a', 'b')", 'a'],
  ['coalesce(${empty}, ${missing}, 3)', 3],
  ["coalesce(${empty}, ${missing}, '')", ''],
  ['coalesce(0, 5)', 0],
  ['coalesce(false(), 5)', false],
  ['coalesce(${age}, 0)', '30'],
  ['coalesce(0 div 0, 5)', NaN],

  ["string-length('abc')", 3],
  ["string-length('\u00e9')", 1],
  ['string-length(${name})', 3],
  ["string-length('😀')", 1],
  ["string-length(' a ')", 3],
  ['string-length(12.5)', 4],
  ['string-length(true())', 4],

  ['int(2.7)', 2],
  ['int(-2.7)', -2],
  ['int(-0.5)', 0],
  ["int('12.9')", 12],
  ['int(5)', 5],
  ["int('x')", NaN],
  ['int(1 div 0)', Infinity],

  ['round(2.5)', 3],
  ['round(2.4)', 2],
  ['round(-2.5)', -2],
  ['round(-2.6)', -3],
  ['round(-0.4)', 0],
  ['round(3.14159, 0)', 3],
  ['round(3.14159, 1)', 3.1],
  ['round(3.14159, 2)', 3.14],
  ['round(2.567, 2)', 2.57],
  ['round(-3.14159, 2)', -3.14],
  ['round(-1.27, 1)', -1.3],
  ['round(1234.5, -2)', 1200],
  ["round('7.25', 1 div 0)", 7],
  ['round(0 div 0)', NaN],
  ['round(1 div 0)', Infinity],

  ['min(3, 1, 2)', 1],
  ['max(3, 1, 2)', 3],
  ['min(5)', 5],
  ['max(-1, -5)', -1],
  ["max('4', 10)", 10],
  ["min(1, 'x')", NaN],
  ['max(1, ${empty})', NaN],
  ['min(0 div 0, 1)', NaN],
  ['max(1 div 0, 1)', Infinity],
  ['min(${a}, ${b})', 2],

  ['today()', TODAY],
  ["today() = '2026-11-23'", true],

  ["regex('abc', '^a.c$')", true],
  ["regex('abd', '^a.c$')", false],
  ["regex('xabcx', 'abc')", true],
  ["regex('0612345678', '^0[67][0-9]{8}$')", true],
  ["regex('061234567', '^0[67][0-9]{8}$')", false],
  ["regex(123, '^[0-9]+$')", true],
  ["regex('\u00e9', '^.$')", true],
  ["regex('abc', '(')", false],
  ["regex('abc', '[')", false],
  ["regex('(', '(')", false],

  ["concat('a', 'b', 'c')", 'abc'],
  ['concat()', ''],
  ["concat(1, '-', 2.5)", '1-2.5'],
  ["concat(3.0, '')", '3'],
  ['concat(true(), false())', 'truefalse'],
  ['concat(0 div 0)', 'NaN'],
  ["concat(${name}, ' ', ${age}, ' ', ${n})", 'Zoé 30 7'],

  ["number('12')", 12],
  ["number(' 12.5 ')", 12.5],
  ["number('-.5')", -0.5],
  ["number('abc')", NaN],
  ["number('')", NaN],
  ['number(true())', 1],
  ['number(false())', 0],
  ["number('2026-11-23')", days(2026, 11, 23)],

  ['string(3)', '3'],
  ['string(3.0)', '3'],
  ['string(2.50)', '2.5'],
  ['string(-4)', '-4'],
  ['string(6 div 2)', '3'],
  ['string(-0)', '0'],
  ['string(1000000)', '1000000'],
  ['string(${n})', '7'],
  ['string(1 = 1)', 'true'],
  ['string(1 = 2)', 'false'],
  ['string(0 div 0)', 'NaN'],
  ['string(1 div 0)', 'Infinity'],
  ['string(-1 div 0)', '-Infinity'],
  ['string(0.0000001)', '0.0000001'],
  ['string(1000000000000000000000)', '1000000000000000000000'],

  ["boolean('')", false],
  ["boolean('0')", true],
  ["boolean('false')", true],
  ['boolean(0)', false],
  ['boolean(2)', true],
  ['boolean(-0.5)', true],
  ['boolean(0 div 0)', false],

  ['non-response(${dk})', 'dont_know'],
  ['non-response(${ref})', 'refused'],
  ['non-response(${age})', ''],
  ["non-response('dk')", ''],
  ["non-response(${dk}) = 'dont_know'", true],
  ["${dk} = ''", true],
  ['count-selected(${ref})', 0],

  ['frobnicate(1)', ''],
];

const dates: Row[] = [
  ["'2026-11-23' > '2026-01-01'", true],
  ["'2026-01-01' >= '2026-11-23'", false],
  ["today() > '2026-01-01'", true],
  ["today() <= '2026-11-23'", true],
  ["today() - '2026-11-13'", 10],
  ["'2026-03-01' - '2026-02-28'", 1],
  ["'2024-03-01' - '2024-02-28'", 2],
  ["'1970-01-02' + 0", 1],
  ["'1969-12-31' + 0", -1],
  ["${dob} < '2000-01-01'", true],
  ['int((today() - ${dob}) div 365.25)', 36],
  ["'2026-11-23' = '2026-11-23'", true],
  [`'2026-11-23' = ${days(2026, 11, 23)}`, true],
  ["'2026-11-23' = '2026-11-23 '", false],
  ["'2026-1-23' + 0", NaN],
];

const booleansInArithmetic: Row[] = [
  ['(1 = 1) + (2 = 2)', 2],
  ['(1 = 1) + (1 = 2)', 1],
  ["(${yes} = '1') + (${no} = '1')", 1],
  ['-(1 = 1)', -1],
  ['true() * 5', 5],
  ['true() div false()', Infinity],
];

describe('evaluate', () => {
  describe.each([
    ['arithmetic', arithmetic],
    ['comparisons', comparisons],
    ['empty answers', empties],
    ['and / or', logic],
    ['functions', functions],
    ['dates', dates],
    ['booleans in arithmetic', booleansInArithmetic],
  ])('%s', (_, rows) => {
    it.each(rows)('%s  ->  %j', (source, expected) => {
      expect(run(source)).toBe(expected);
    });
  });

  it('does not read what and, or, if and coalesce do not need', () => {
    const read: string[] = [];
    const spy: EvalContext = {
      value: (name) => {
        read.push(name);
        return name === 'set' ? 'x' : '';
      },
      nonResponse: () => '',
      today: () => TODAY,
    };
    const cases: [string, Value, string[]][] = [
      ['false() and ${skipped}', false, []],
      ['true() or ${skipped}', true, []],
      ['true() and ${read}', false, ['read']],
      ['false() or ${read}', false, ['read']],
      ["if(true(), 'then', ${skipped})", 'then', []],
      ["if(false(), ${skipped}, 'else')", 'else', []],
      ['coalesce(${set}, ${skipped})', 'x', ['set']],
      ['coalesce(${empty}, ${set}, ${skipped})', 'x', ['empty', 'set']],
    ];
    for (const [source, expected, reads] of cases) {
      read.length = 0;
      const parsed = parseExpression(source);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(evaluate(parsed.expr, spy), source).toBe(expected);
      expect(read, source).toEqual(reads);
    }
  });

  describe('. in a constraint', () => {
    it.each<[string, Value | undefined, Value]>([
      ['. > 3', 5, true],
      ['. > 3', '5', true],
      ['. > 3', 2, false],
      ['. > 3', '', false],
      ['. > 3', undefined, false],
      [". = ''", undefined, true],
      ['. >= 18 and . <= 99', '42', true],
      ['. >= 18 and . <= 99', '17', false],
      ["regex(., '^[A-Z]{2}$')", 'AB', true],
      ["regex(., '^[A-Z]{2}$')", 'ABC', false],
      ['string-length(.) <= 3', 'abcd', false],
      ['. <= ${age}', '30', true],
      ['. = 1', true, true],
      ['. + 1', 2.5, 3.5],
      ["selected(., 'x')", 'x y', true],
      ['. < today()', '2026-11-22', true],
    ])('%s with . = %j  ->  %j', (source, current, expected) => {
      const answers: Answers =
        current === undefined ? { values: { age: '30' } } : { values: { age: '30' }, current };
      expect(run(source, answers)).toBe(expected);
    });
  });

  it('takes today from the injected clock', () => {
    const parsed = parseExpression("today() - '2030-01-01'");
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(evaluate(parsed.expr, { ...context(), today: () => '2030-01-03' })).toBe(2);
  });

  it('evaluates the same expression to the same value each time', () => {
    const parsed = parseExpression("regex(${name}, '^Z') and selected(${multi}, 'a')");
    if (!parsed.ok) throw new Error(parsed.error.message);
    const ctx = context(ANSWERS);
    expect([evaluate(parsed.expr, ctx), evaluate(parsed.expr, ctx)]).toEqual([true, true]);
  });
});

describe('conversions', () => {
  it.each<[Value, number]>([
    [3, 3],
    [true, 1],
    [false, 0],
    ['', NaN],
    ['  ', NaN],
    [' 12 ', 12],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', NaN],
    ['Infinity', NaN],
    ['0x10', NaN],
    ['1970-01-11', 10],
    ['2026-11-23', days(2026, 11, 23)],
  ])('toNumber(%j) is %d', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });

  it.each<[Value, string]>([
    [3, '3'],
    [-3, '-3'],
    [3.25, '3.25'],
    [-0, '0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [1e-7, '0.0000001'],
    [-1.5e-9, '-0.0000000015'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [true, 'true'],
    [false, 'false'],
    ['as is ', 'as is '],
  ])('toText(%j) is %j', (value, expected) => {
    expect(toText(value)).toBe(expected);
  });

  it.each<[Value, boolean]>([
    [0, false],
    [-0, false],
    [NaN, false],
    [1, true],
    [-1, true],
    [Infinity, true],
    ['', false],
    [' ', true],
    ['0', true],
    ['false', true],
    [true, true],
    [false, false],
  ])('toBoolean(%j) is %j', (value, expected) => {
    expect(toBoolean(value)).toBe(expected);
  });

  it('tells valid regex patterns from invalid ones', () => {
    expect(isValidRegex('^[0-9]{3}$')).toBe(true);
    expect(isValidRegex('')).toBe(true);
    expect(isValidRegex('(')).toBe(false);
    expect(isValidRegex('[a-')).toBe(false);
    expect(isValidRegex('a{2,1}')).toBe(false);
  });
});
