// What an expression could give when some of its inputs are unknown: an abstract evaluation over
// sets of values, for calculations that read a "don't know" or "refused" (a module result is then
// 1, 0 or undetermined, never 0 for "we do not know"). The concrete rules are evaluate.ts's.
import type { Expr } from './ast.ts';
import type { EvalContext, Value } from './evaluate.ts';
import { evaluate, toBoolean } from './evaluate.ts';
import { FUNCTIONS } from './functions.ts';

/** "Any value at all": what a number, a text, a date or a multiple choice could be. */
export const ANY: unique symbol = Symbol('any value');

/**
 * The values something could take: a set (no value twice, at most `MAX_POSSIBLE` of them), or
 * `ANY`. A one-value set is a known value.
 */
export type Possible = typeof ANY | readonly Value[];

/** Above this many values a set becomes `ANY`. */
export const MAX_POSSIBLE = 256;
/** Most combinations of argument values one operator is tried on before giving up (`ANY`). */
export const MAX_COMBINATIONS = 4096;

export interface PossibleContext {
  /** The values `${name}` could take. */
  value(name: string): Possible;
  /** `'dont_know'`, `'refused'` or `''` for `${name}`: the concrete reason, not a set. */
  nonResponse(name: string): string;
  /** Today's date, `YYYY-MM-DD`, from the injected clock. */
  today(): string;
  /** The value of `.`, inside a constraint. */
  readonly current?: Value;
}

const BOOLEANS: readonly Value[] = [true, false];
const EMPTY: readonly Value[] = [''];

/**
 * Collects values without duplicates, told apart as `Object.is` does (`1`, `'1'` and `true` are
 * three values, `0` and `-0` two, NaN one); more than `MAX_POSSIBLE` of them make `ANY`. Sets are
 * small (a yes/no, a count): a list is quicker than a map.
 */
class Collector {
  private readonly values: Value[] = [];
  private any = false;

  add(value: Value): void {
    if (this.any) return;
    for (const seen of this.values) if (Object.is(seen, value)) return;
    if (this.values.length >= MAX_POSSIBLE) this.any = true;
    else this.values.push(value);
  }

  addAll(possible: Possible): void {
    if (possible === ANY) this.any = true;
    else for (const value of possible) this.add(value);
  }

  get full(): boolean {
    return this.any;
  }

  get size(): number {
    return this.values.length;
  }

  result(): Possible {
    return this.any ? ANY : this.values;
  }
}

/** A set of values, duplicates removed (`ANY` past `MAX_POSSIBLE`). */
export function possibleOf(values: Iterable<Value>): Possible {
  const collector = new Collector();
  for (const value of values) collector.add(value);
  return collector.result();
}

/** The union of sets. */
export function unionOf(...sets: readonly Possible[]): Possible {
  const collector = new Collector();
  for (const set of sets) collector.addAll(set);
  return collector.result();
}

/** Whether two sets hold the same values (in any order). */
export function samePossible(a: Possible, b: Possible): boolean {
  if (a === b) return true;
  if (a === ANY || b === ANY || a.length !== b.length) return false;
  return b.every((value) => isPossible(a, value));
}

/** Whether a value is one of a set (`ANY` holds every value). */
export function isPossible(possible: Possible, value: Value): boolean {
  return possible === ANY || possible.some((candidate) => Object.is(candidate, value));
}

/** The one value of a one-value set, else undefined (several values, or `ANY`). */
export function onlyValue(possible: Possible): { readonly value: Value } | undefined {
  if (possible === ANY || possible.length !== 1) return undefined;
  const [value] = possible as readonly [Value];
  return { value };
}

/** What `toBoolean` could give: `[true, false]` for `ANY`, which holds truthy and falsy values. */
export function booleansOf(possible: Possible): readonly boolean[] {
  if (possible === ANY) return [true, false];
  let hasTrue = false;
  let hasFalse = false;
  for (const value of possible) {
    if (toBoolean(value)) hasTrue = true;
    else hasFalse = true;
  }
  return hasTrue && hasFalse ? [true, false] : hasTrue ? [true] : hasFalse ? [false] : [];
}

/** The names the shallow nodes' arguments read: `#0`, `#1`... never a questionnaire's name. */
const SLOT_NAMES = Array.from({ length: 64 }, (_, i) => `#${i}`);
const NO_SPAN = { start: 0, end: 0 };

function slot(i: number): Expr {
  return { kind: 'ref', name: SLOT_NAMES[i] ?? `#${i}`, span: NO_SPAN };
}

/** Each operator node with its arguments replaced by slots, made once. */
const shallowNodes = new WeakMap<Expr, Expr>();

/** The operator alone, its arguments read as `#0`, `#1`...: what its concrete rule evaluates. */
export function shallowOf(expr: Expr): Expr {
  let shallow = shallowNodes.get(expr);
  if (shallow === undefined) {
    switch (expr.kind) {
      case 'negate':
        shallow = { kind: 'negate', operand: slot(0), span: NO_SPAN };
        break;
      case 'binary':
        shallow = { kind: 'binary', op: expr.op, left: slot(0), right: slot(1), span: NO_SPAN };
        break;
      case 'call':
        shallow = {
          kind: 'call',
          name: expr.name,
          args: expr.args.map((_, i) => slot(i)),
          span: NO_SPAN,
        };
        break;
      default:
        shallow = expr;
    }
    shallowNodes.set(expr, shallow);
  }
  return shallow;
}

const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', 'div', 'mod']);

/** Whether a node, whatever its arguments, gives a boolean (so its `ANY` is `[true, false]`). */
function returnsBoolean(expr: Expr): boolean {
  switch (expr.kind) {
    case 'binary':
      return !ARITHMETIC.has(expr.op);
    case 'call':
      return FUNCTIONS[expr.name]?.returns === 'boolean';
    default:
      return false;
  }
}

/**
 * What a shallow node reads: its slots' values, chosen one combination at a time. It reads no
 * answer, no reason, no date and no `.` (its arguments are slots).
 */
class Slots implements EvalContext {
  constructor(readonly chosen: Value[]) {}

  value(name: string): Value {
    // `#0` to `#9` without a lookup: most operators have one or two arguments.
    const index = name.length === 2 ? name.charCodeAt(1) - 48 : Number(name.slice(1));
    return this.chosen[index] ?? '';
  }

  nonResponse(): string {
    return '';
  }

  today(): string {
    return '';
  }
}

/**
 * Applies one operator to every combination of its arguments' values, with the concrete rules
 * (`evaluate` on the operator with its arguments replaced by slots): exact for independent
 * arguments, and sound (a superset) when they are correlated, as in `${x} = '1' or ${x} != '1'`.
 */
function combine(expr: Expr, args: readonly Possible[]): Possible {
  let combinations = 1;
  for (const arg of args) {
    if (arg === ANY) return returnsBoolean(expr) ? BOOLEANS : ANY;
    combinations *= arg.length;
  }
  if (combinations === 0) return [];
  if (combinations > MAX_COMBINATIONS) return returnsBoolean(expr) ? BOOLEANS : ANY;
  const sets = args as readonly (readonly Value[])[];
  const shallow = shallowOf(expr);
  const chosen: Value[] = [];
  for (const set of sets) chosen.push(set[0] ?? '');
  const slots = new Slots(chosen);
  if (combinations === 1) return [evaluate(shallow, slots)];
  const collector = new Collector();
  const index = new Array<number>(sets.length).fill(0);
  for (let n = 0; n < combinations && !collector.full; n++) {
    collector.add(evaluate(shallow, slots));
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
  if (!collector.full) return collector.result();
  return returnsBoolean(expr) ? BOOLEANS : ANY;
}

function call(expr: Extract<Expr, { kind: 'call' }>, ctx: PossibleContext): Possible {
  const { name, args } = expr;
  switch (name) {
    case 'if': {
      const [condition, then, otherwise] = args;
      const branches: Possible[] = [];
      const truth = condition === undefined ? [false] : booleansOf(possibleValues(condition, ctx));
      if (truth.includes(true))
        branches.push(then === undefined ? EMPTY : possibleValues(then, ctx));
      if (truth.includes(false))
        branches.push(otherwise === undefined ? EMPTY : possibleValues(otherwise, ctx));
      return unionOf(...branches);
    }
    case 'non-response':
    case 'today':
    case 'true':
    case 'false':
      // They read no value: the concrete result, once.
      return [
        evaluate(expr, {
          value: () => '',
          nonResponse: (ref) => ctx.nonResponse(ref),
          today: () => ctx.today(),
        }),
      ];
    default: {
      const sets: Possible[] = [];
      for (const arg of args) sets.push(possibleValues(arg, ctx));
      return combine(expr, sets);
    }
  }
}

/**
 * The values an expression could give, each `${name}` standing for any of `ctx.value(name)`.
 * Sound: whatever values the names take among those, `evaluate` gives one of the result (a
 * one-value result is certain); it may hold values no choice of the names gives. Rules: an
 * operator is applied to every combination of its arguments' values with the concrete rules;
 * a comparison, `and`, `or` or boolean function of `ANY` is `[true, false]`, any other operator
 * of `ANY` is `ANY`; `and` and `or` read their operands as booleans first (`false and ANY` is
 * `false`); `if` is the union of the branches its condition allows; `non-response()` reads the
 * concrete reason. Never throws.
 */
export function possibleValues(expr: Expr, ctx: PossibleContext): Possible {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return [expr.value];
    case 'ref':
      return ctx.value(expr.name);
    case 'current':
      return [ctx.current ?? ''];
    case 'negate':
      return combine(expr, [possibleValues(expr.operand, ctx)]);
    case 'call':
      return call(expr, ctx);
    case 'binary': {
      const left = possibleValues(expr.left, ctx);
      if (expr.op === 'and' || expr.op === 'or') {
        // As booleans, so that `ANY` is two values and the operator can still decide alone.
        const first = booleansOf(left);
        const decided = expr.op === 'and' ? !first.includes(true) : !first.includes(false);
        if (decided) return first;
        return combine(expr, [first, booleansOf(possibleValues(expr.right, ctx))]);
      }
      return combine(expr, [left, possibleValues(expr.right, ctx)]);
    }
  }
}
