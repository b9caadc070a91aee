// Expressions compiled once into closures, with every `${name}` resolved to a slot (an index into
// an array of values) at compile time. The same rules as `evaluate`, which stays the reference:
// a property test holds the two equal on any tree and any values. The engine runs compiled
// expressions: walking the tree and looking every name up in a map, on every evaluation, was most
// of the cost of checking an uploaded record.
import type { BinaryOperator, Expr } from './ast.ts';
import type { Value } from './evaluate.ts';
import {
  compileRegex,
  equals,
  round,
  selectedCodes,
  toBoolean,
  toNumber,
  toText,
} from './evaluate.ts';

/** What a compiled expression reads. */
export interface SlotContext {
  /** The values of `${name}`s, by slot; `''` when empty, not relevant or a non-response. */
  readonly values: readonly Value[];
  /** `'dont_know'`, `'refused'` or `''` for the item or row at a slot. */
  nonResponse(slot: number): string;
  /** Today's date, `YYYY-MM-DD`, from the injected clock. */
  today(): string;
  /** The value of `.`, inside a constraint. */
  readonly current?: Value;
}

export type Compiled = (ctx: SlotContext) => Value;

const empty: Compiled = () => '';

function arithmetic(op: BinaryOperator, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case '<':
      return (c) => toNumber(left(c)) < toNumber(right(c));
    case '<=':
      return (c) => toNumber(left(c)) <= toNumber(right(c));
    case '>':
      return (c) => toNumber(left(c)) > toNumber(right(c));
    case '>=':
      return (c) => toNumber(left(c)) >= toNumber(right(c));
    case '+':
      return (c) => toNumber(left(c)) + toNumber(right(c));
    case '-':
      return (c) => toNumber(left(c)) - toNumber(right(c));
    case '*':
      return (c) => toNumber(left(c)) * toNumber(right(c));
    case 'div':
      return (c) => toNumber(left(c)) / toNumber(right(c));
    default:
      return (c) => toNumber(left(c)) % toNumber(right(c));
  }
}

function binary(op: BinaryOperator, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case 'and':
      return (c) => toBoolean(left(c)) && toBoolean(right(c));
    case 'or':
      return (c) => toBoolean(left(c)) || toBoolean(right(c));
    case '=':
      return (c) => {
        const a = left(c);
        return equals(a, right(c));
      };
    case '!=':
      return (c) => {
        const a = left(c);
        return !equals(a, right(c));
      };
    default:
      return arithmetic(op, left, right);
  }
}

function call(
  name: string,
  sources: readonly Expr[],
  slotOf: (name: string) => number | undefined,
): Compiled {
  const args = sources.map((source) => compileExpression(source, slotOf));
  const a0 = args[0] ?? empty;
  const a1 = args[1] ?? empty;
  const a2 = args[2] ?? empty;
  switch (name) {
    case 'not':
      return (c) => !toBoolean(a0(c));
    case 'true':
      return () => true;
    case 'false':
      return () => false;
    case 'selected':
      return (c) => {
        const codes = selectedCodes(a0(c));
        return codes.includes(toText(a1(c)).trim());
      };
    case 'count-selected':
      return (c) => selectedCodes(a0(c)).length;
    case 'if':
      return (c) => (toBoolean(a0(c)) ? a1(c) : a2(c));
    case 'coalesce':
      return (c) => {
        for (const arg of args) {
          const value = arg(c);
          if (toText(value) !== '') return value;
        }
        return '';
      };
    case 'string-length':
      return (c) => [...toText(a0(c))].length;
    case 'int':
      return (c) => Math.trunc(toNumber(a0(c)));
    case 'round':
      return args.length > 1
        ? (c) => {
            const value = toNumber(a0(c));
            return round(value, toNumber(a1(c)));
          }
        : (c) => round(toNumber(a0(c)), 0);
    case 'min':
    case 'max': {
      if (args.length === 0) return () => NaN;
      const pick = name === 'min' ? Math.min : Math.max;
      return (c) => {
        const numbers = args.map((arg) => toNumber(arg(c)));
        if (numbers.some(Number.isNaN)) return NaN;
        return pick(...numbers);
      };
    }
    case 'today':
      return (c) => c.today();
    case 'regex':
      return (c) => {
        const text = toText(a0(c));
        const pattern = compileRegex(toText(a1(c)));
        return pattern === null ? false : pattern.test(text);
      };
    case 'concat':
      return (c) => args.map((arg) => toText(arg(c))).join('');
    case 'number':
      return (c) => toNumber(a0(c));
    case 'string':
      return (c) => toText(a0(c));
    case 'boolean':
      return (c) => toBoolean(a0(c));
    case 'non-response': {
      const source = sources[0];
      const slot = source?.kind === 'ref' ? slotOf(source.name) : undefined;
      return slot === undefined ? empty : (c) => c.nonResponse(slot);
    }
    default:
      // Unknown functions are rejected at load time; here they are simply empty.
      return empty;
  }
}

/**
 * Compiles an expression. `slotOf` gives the slot of a `${name}` (its index in
 * `SlotContext.values`); a name without one reads as `''`.
 */
export function compileExpression(
  expr: Expr,
  slotOf: (name: string) => number | undefined,
): Compiled {
  switch (expr.kind) {
    case 'number':
    case 'string': {
      const { value } = expr;
      return () => value;
    }
    case 'ref': {
      const slot = slotOf(expr.name);
      return slot === undefined ? empty : (c) => c.values[slot] ?? '';
    }
    case 'current':
      return (c) => c.current ?? '';
    case 'negate': {
      const operand = compileExpression(expr.operand, slotOf);
      return (c) => -toNumber(operand(c));
    }
    case 'call':
      return call(expr.name, expr.args, slotOf);
    case 'binary':
      return binary(
        expr.op,
        compileExpression(expr.left, slotOf),
        compileExpression(expr.right, slotOf),
      );
  }
}
