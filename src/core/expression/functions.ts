// The functions the expression language knows: their arity and result type, for the checks
// made at load time. Their behaviour lives in evaluate.ts.

export type ValueType = 'number' | 'string' | 'boolean' | 'any';

export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly returns: ValueType;
  /** Arguments that must be a `${reference}` to an item of one of these kinds. */
  readonly refArgs?: Readonly<Record<number, 'choice' | 'multiple' | 'answerable'>>;
  readonly usage: string;
}

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  not: { minArgs: 1, maxArgs: 1, returns: 'boolean', usage: 'not(condition)' },
  true: { minArgs: 0, maxArgs: 0, returns: 'boolean', usage: 'true()' },
  false: { minArgs: 0, maxArgs: 0, returns: 'boolean', usage: 'false()' },
  selected: {
    minArgs: 2,
    maxArgs: 2,
    returns: 'boolean',
    refArgs: { 0: 'choice' },
    usage: "selected(${question}, 'code')",
  },
  'count-selected': {
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    refArgs: { 0: 'multiple' },
    usage: 'count-selected(${question})',
  },
  if: { minArgs: 3, maxArgs: 3, returns: 'any', usage: 'if(condition, then, else)' },
  coalesce: { minArgs: 2, maxArgs: Infinity, returns: 'any', usage: 'coalesce(a, b, ...)' },
  'string-length': { minArgs: 1, maxArgs: 1, returns: 'number', usage: 'string-length(text)' },
  int: { minArgs: 1, maxArgs: 1, returns: 'number', usage: 'int(number)' },
  round: { minArgs: 1, maxArgs: 2, returns: 'number', usage: 'round(number, digits)' },
  min: { minArgs: 1, maxArgs: Infinity, returns: 'number', usage: 'min(a, b, ...)' },
  max: { minArgs: 1, maxArgs: Infinity, returns: 'number', usage: 'max(a, b, ...)' },
  today: { minArgs: 0, maxArgs: 0, returns: 'string', usage: 'today()' },
  regex: { minArgs: 2, maxArgs: 2, returns: 'boolean', usage: "regex(text, 'pattern')" },
  concat: { minArgs: 0, maxArgs: Infinity, returns: 'string', usage: 'concat(a, b, ...)' },
  number: { minArgs: 1, maxArgs: 1, returns: 'number', usage: 'number(value)' },
  string: { minArgs: 1, maxArgs: 1, returns: 'string', usage: 'string(value)' },
  boolean: { minArgs: 1, maxArgs: 1, returns: 'boolean', usage: 'boolean(value)' },
  'non-response': {
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    refArgs: { 0: 'answerable' },
    usage: 'non-response(${question})',
  },
};

export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);
