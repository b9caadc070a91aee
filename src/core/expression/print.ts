// Prints a syntax tree back to source, with only the parentheses it needs.
import type { Expr } from './ast.ts';
import { PRECEDENCE } from './ast.ts';

/**
 * A finite number in decimal notation without an exponent (which neither the language nor XPath's
 * string() knows), with the shortest digits that read back as the same number.
 */
export function decimalText(value: number): string {
  const plain = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(plain);
  if (!match) return plain;
  const [, sign = '', first = '', rest = '', exponent = ''] = match;
  const digits = first + rest;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function printString(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

function precedenceOf(expr: Expr): number {
  if (expr.kind === 'binary') return PRECEDENCE[expr.op];
  if (expr.kind === 'negate') return 7;
  return 8;
}

export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return decimalText(expr.value);
    case 'string':
      return printString(expr.value);
    case 'ref':
      return `\${${expr.name}}`;
    case 'current':
      return '.';
    case 'negate': {
      const operand = printExpression(expr.operand);
      return precedenceOf(expr.operand) < 7 ? `-(${operand})` : `-${operand}`;
    }
    case 'binary': {
      const own = PRECEDENCE[expr.op];
      const left = printExpression(expr.left);
      const right = printExpression(expr.right);
      // Operators are left-associative: a right operand of equal strength needs parentheses.
      const l = precedenceOf(expr.left) < own ? `(${left})` : left;
      const r = precedenceOf(expr.right) <= own ? `(${right})` : right;
      return `${l} ${expr.op} ${r}`;
    }
    case 'call':
      return `${expr.name}(${expr.args.map(printExpression).join(', ')})`;
  }
}
