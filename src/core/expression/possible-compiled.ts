// `possibleValues` compiled once into closures, names resolved to slots and each operator's
// concrete rule compiled, as compile.ts does for `evaluate`: the server's review runs the
// evaluation over sets for every uploaded record with a "don't know" or "refused", where walking
// the tree and looking every name up was most of its cost. `possibleValues` stays the reference:
// a property test holds the two equal on any tree and any sets.
import type { Expr } from './ast.ts';
import type { Compiled, SlotContext } from './compile.ts';
import { compileExpression } from './compile.ts';
import type { Value } from './evaluate.ts';
import { FUNCTIONS } from './functions.ts';
import type { Possible } from './possible.ts';
import { ANY, booleansOf, MAX_COMBINATIONS, MAX_POSSIBLE, shallowOf, unionOf } from './possible.ts';

/** What a compiled expression over sets reads: `PossibleContext` by slot. */
export interface PossibleSlots {
  /** The values the `${name}` at a slot could take. */
  value(slot: number): Possible;
  /** `'dont_know'`, `'refused'` or `''` for the item or row at a slot. */
  nonResponse(slot: number): string;
  today(): string;
  readonly current?: Value;
}

export type PossibleCompiled = (ctx: PossibleSlots) => Possible;

const BOOLEANS: readonly Value[] = [true, false];
const EMPTY: readonly Value[] = [''];
const NO_VALUES: readonly Value[] = [];
const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', 'div', 'mod']);
/** What an operator's slots read besides their values: nothing (made once, not per call). */
const NOTHING = (): string => '';

/** The operator alone, its arguments read from slots 0, 1...: its concrete rule, compiled. */
function shallowRule(expr: Expr): Compiled {
  return compileExpression(shallowOf(expr), (name) => Number(name.slice(1)));
}

/** Whether an operator gives a boolean whatever its arguments (so its `ANY` is two values). */
function returnsBoolean(expr: Expr): boolean {
  if (expr.kind === 'binary') return !ARITHMETIC.has(expr.op);
  return expr.kind === 'call' && FUNCTIONS[expr.name]?.returns === 'boolean';
}

/**
 * `combine` of possible.ts, with the operator's rule compiled. Its slots and odometer are made
 * once and reused: a rule reads only its slots, so no other call of this combiner runs inside one.
 */
function combiner(expr: Expr): (args: readonly Possible[]) => Possible {
  const rule = shallowRule(expr);
  const boolean = returnsBoolean(expr);
  const unknown = boolean ? BOOLEANS : ANY;
  const chosen: Value[] = [];
  const index: number[] = [];
  const slots: SlotContext = { values: chosen, nonResponse: NOTHING, today: NOTHING };
  return (args) => {
    let combinations = 1;
    for (const arg of args) {
      if (arg === ANY) return unknown;
      combinations *= arg.length;
    }
    if (combinations === 0) return [];
    if (combinations > MAX_COMBINATIONS) return unknown;
    const sets = args as readonly (readonly Value[])[];
    // Written in place (the arity is the operator's): emptied and refilled, they would be made
    // again at every call.
    for (let i = 0; i < sets.length; i++) {
      chosen[i] = sets[i]?.[0] ?? '';
      index[i] = 0;
    }
    if (combinations === 1) return [rule(slots)];
    const found: Value[] = [];
    for (let n = 0; n < combinations; n++) {
      const value = rule(slots);
      let seen = false;
      for (const other of found) if (Object.is(other, value)) seen = true;
      if (!seen) {
        if (found.length >= MAX_POSSIBLE) return unknown;
        found.push(value);
      }
      // The next combination: an odometer over the arguments' values.
      for (let i = 0; i < sets.length; i++) {
        const set = sets[i] ?? EMPTY;
        const next = (index[i] ?? 0) + 1;
        if (next < set.length) {
          index[i] = next;
          chosen[i] = set[next] ?? '';
          break;
        }
        index[i] = 0;
        chosen[i] = set[0] ?? '';
      }
    }
    return found;
  };
}

/**
 * Compiles `possibleValues(expr, ...)`: `slotOf` gives the slot of a `${name}`; a name without one
 * could only be `''`.
 */
export function compilePossible(
  expr: Expr,
  slotOf: (name: string) => number | undefined,
): PossibleCompiled {
  switch (expr.kind) {
    case 'number':
    case 'string': {
      const only: readonly Value[] = [expr.value];
      return () => only;
    }
    case 'ref': {
      const at = slotOf(expr.name);
      return at === undefined ? () => EMPTY : (c) => c.value(at);
    }
    case 'current':
      return (c) => [c.current ?? ''];
    case 'negate': {
      const operand = compilePossible(expr.operand, slotOf);
      const combine = combiner(expr);
      return (c) => combine([operand(c)]);
    }
    case 'binary': {
      const left = compilePossible(expr.left, slotOf);
      const right = compilePossible(expr.right, slotOf);
      const combine = combiner(expr);
      if (expr.op === 'and' || expr.op === 'or') {
        const deciding = expr.op === 'or';
        return (c) => {
          // As booleans, so that `ANY` is two values and the operator can still decide alone.
          const first = booleansOf(left(c));
          if (!first.includes(!deciding)) return first;
          return combine([first, booleansOf(right(c))]);
        };
      }
      return (c) => combine([left(c), right(c)]);
    }
    case 'call':
      return compileCall(expr, slotOf);
  }
}

function compileCall(
  expr: Extract<Expr, { kind: 'call' }>,
  slotOf: (name: string) => number | undefined,
): PossibleCompiled {
  switch (expr.name) {
    case 'if': {
      const [condition, then, otherwise] = expr.args.map((arg) => compilePossible(arg, slotOf));
      return (c) => {
        const truth = condition === undefined ? [false] : booleansOf(condition(c));
        const branches: Possible[] = [];
        if (truth.includes(true)) branches.push(then === undefined ? EMPTY : then(c));
        if (truth.includes(false)) branches.push(otherwise === undefined ? EMPTY : otherwise(c));
        return unionOf(...branches);
      };
    }
    case 'non-response':
    case 'today':
    case 'true':
    case 'false': {
      // They read no value: the concrete result, once.
      const concrete = compileExpression(expr, slotOf);
      return (c) => [
        concrete({
          values: NO_VALUES,
          nonResponse: (at) => c.nonResponse(at),
          today: () => c.today(),
        }),
      ];
    }
    default: {
      const args = expr.args.map((arg) => compilePossible(arg, slotOf));
      const combine = combiner(expr);
      return (c) => {
        const sets: Possible[] = [];
        for (const arg of args) sets.push(arg(c));
        return combine(sets);
      };
    }
  }
}
