// Evaluates a syntax tree with XPath 1.0 value rules, as ODK and XLSForm tools do.
// Never throws: any input, any answers, give a value.
import type { Expr } from './ast.ts';
import { decimalText } from './print.ts';

/** A runtime value. An empty answer is `''`; a multiple choice is its codes joined by spaces. */
export type Value = number | string | boolean;

export interface EvalContext {
  /** The value of `${name}`: `''` when unanswered, not relevant, or a non-response. */
  value(name: string): Value;
  /** `'dont_know'`, `'refused'` or `''` for `${name}`. */
  nonResponse(name: string): string;
  /** Today's date, `YYYY-MM-DD`, from the injected clock. */
  today(): string;
  /** The value of `.`, inside a constraint. */
  readonly current?: Value;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const MS_PER_DAY = 86_400_000;

export function toNumber(value: Value): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = value.trim();
  if (NUMERIC.test(text)) return Number(text);
  const date = ISO_DATE.exec(text);
  if (date) {
    // A date in a numeric context is a number of days since 1970-01-01, as in ODK.
    return Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) / MS_PER_DAY;
  }
  return NaN;
}

export function toBoolean(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value.length > 0;
}

export function toText(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // 'NaN', 'Infinity', '-Infinity'; finite numbers without an exponent, as XPath's string() does.
  if (!Number.isFinite(value)) return String(value);
  return decimalText(value);
}

export function equals(a: Value, b: Value): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return toBoolean(a) === toBoolean(b);
  if (typeof a === 'number' || typeof b === 'number') return toNumber(a) === toNumber(b);
  return a === b;
}

const regexCache = new Map<string, RegExp | null>();

export function compileRegex(pattern: string): RegExp | null {
  let compiled = regexCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(pattern, 'u');
    } catch {
      compiled = null;
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

/** Whether a pattern given to `regex()` compiles; used by the load-time checks. */
export function isValidRegex(pattern: string): boolean {
  return compileRegex(pattern) !== null;
}

export function selectedCodes(value: Value): string[] {
  const text = toText(value).trim();
  return text === '' ? [] : text.split(/\s+/);
}

export function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const d = Number.isFinite(digits) ? Math.trunc(digits) : 0;
  if (d === 0) return Math.round(value);
  const factor = 10 ** Math.min(Math.max(d, -15), 15);
  return Math.round(value * factor) / factor;
}

function call(name: string, args: readonly Expr[], ctx: EvalContext): Value {
  const arg = (i: number): Value => {
    const node = args[i];
    return node === undefined ? '' : evaluate(node, ctx);
  };
  switch (name) {
    case 'not':
      return !toBoolean(arg(0));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'selected':
      return selectedCodes(arg(0)).includes(toText(arg(1)).trim());
    case 'count-selected':
      return selectedCodes(arg(0)).length;
    case 'if':
      return toBoolean(arg(0)) ? arg(1) : arg(2);
    case 'coalesce':
      for (let i = 0; i < args.length; i++) {
        const value = arg(i);
        if (toText(value) !== '') return value;
      }
      return '';
    case 'string-length':
      return [...toText(arg(0))].length;
    case 'int':
      return Math.trunc(toNumber(arg(0)));
    case 'round':
      return round(toNumber(arg(0)), args.length > 1 ? toNumber(arg(1)) : 0);
    case 'min':
    case 'max': {
      if (args.length === 0) return NaN;
      const numbers = args.map((_, i) => toNumber(arg(i)));
      if (numbers.some(Number.isNaN)) return NaN;
      return name === 'min' ? Math.min(...numbers) : Math.max(...numbers);
    }
    case 'today':
      return ctx.today();
    case 'regex': {
      const pattern = compileRegex(toText(arg(1)));
      return pattern === null ? false : pattern.test(toText(arg(0)));
    }
    case 'concat':
      return args.map((_, i) => toText(arg(i))).join('');
    case 'number':
      return toNumber(arg(0));
    case 'string':
      return toText(arg(0));
    case 'boolean':
      return toBoolean(arg(0));
    case 'non-response': {
      const node = args[0];
      return node?.kind === 'ref' ? ctx.nonResponse(node.name) : '';
    }
    default:
      // Unknown functions are rejected at load time; here they are simply empty.
      return '';
  }
}

/**
 * Evaluates an expression. Rules (XPath 1.0, as in ODK):
 * - an unanswered, non-relevant or non-response answer is `''`; in arithmetic `''` is NaN, so
 *   `${age} + 1` is NaN and `${age} >= 18` is false while age is empty;
 * - `=` and `!=` compare as booleans if either side is boolean, else as numbers if either side is
 *   a number, else as text; `<`, `<=`, `>`, `>=` compare as numbers (a date counts in days);
 * - `and`, `or`, `if` and `coalesce` evaluate only what they need.
 */
export function evaluate(expr: Expr, ctx: EvalContext): Value {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return expr.value;
    case 'ref':
      return ctx.value(expr.name);
    case 'current':
      return ctx.current ?? '';
    case 'negate':
      return -toNumber(evaluate(expr.operand, ctx));
    case 'call':
      return call(expr.name, expr.args, ctx);
    case 'binary': {
      const { op } = expr;
      if (op === 'and')
        return toBoolean(evaluate(expr.left, ctx)) && toBoolean(evaluate(expr.right, ctx));
      if (op === 'or')
        return toBoolean(evaluate(expr.left, ctx)) || toBoolean(evaluate(expr.right, ctx));
      const left = evaluate(expr.left, ctx);
      const right = evaluate(expr.right, ctx);
      switch (op) {
        case '=':
          return equals(left, right);
        case '!=':
          return !equals(left, right);
        case '<':
          return toNumber(left) < toNumber(right);
        case '<=':
          return toNumber(left) <= toNumber(right);
        case '>':
          return toNumber(left) > toNumber(right);
        case '>=':
          return toNumber(left) >= toNumber(right);
        case '+':
          return toNumber(left) + toNumber(right);
        case '-':
          return toNumber(left) - toNumber(right);
        case '*':
          return toNumber(left) * toNumber(right);
        case 'div':
          return toNumber(left) / toNumber(right);
        case 'mod':
          return toNumber(left) % toNumber(right);
      }
    }
  }
}
