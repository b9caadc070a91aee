/**
 * The expression language of questionnaire definitions: XLSForm's syntax, so that forms written
 * for ODK Collect or KoboToolbox read the same here.
 *
 * Syntax: `${name}` (an answer), `.` (the answer being checked, in a constraint), numbers,
 * `'text'` or `"text"`, `= != < <= > >=`, `and`, `or`, `+ - * div mod`, unary `-`, parentheses,
 * and function calls. Functions: `not`, `true`, `false`, `selected`, `count-selected`, `if`,
 * `coalesce`, `string-length`, `int`, `round`, `min`, `max`, `today`, `regex`, `concat`,
 * `number`, `string`, `boolean`, and `non-response(${q})` (this project's: `'dont_know'`,
 * `'refused'` or `''`, of an item or of an undetermined calculation).
 *
 * Empty answers follow XLSForm (XPath 1.0) semantics: an unanswered item, an item that is not
 * relevant, and a "don't know"/"refused" all read as the empty text `''`. Empty text is NaN in
 * arithmetic and in `<`/`>` comparisons, so `${age} >= 18` and `${age} < 18` are both false while
 * `${age}` is empty, `${a} + ${b}` is NaN if either is empty (use `coalesce(${a}, 0)`), and
 * `${q} = ''` is true. `selected('', 'x')` is false, `count-selected('')` is 0. A calculation
 * whose result is NaN or infinite stores nothing (empty). Booleans count 1/0 in arithmetic, so
 * `(${a} = '1') + (${b} = '1')` counts yeses. A date (`YYYY-MM-DD`) counts as days since
 * 1970-01-01 in arithmetic and comparisons.
 *
 * Parsing never throws (errors carry a character span); evaluation never throws. `evaluate` walks
 * a tree; `compileExpression` turns it into a closure once, names resolved, for the engine.
 * `possible.ts` (imported directly, so that the tablet's first screen does not load it) evaluates a
 * tree over SETS of values (`ANY`: any value), for a calculation that reads a "don't know" or
 * "refused": what it could give had the respondent answered, with the same rules as `evaluate`.
 */
export type { BinaryOperator, Expr, Span } from './ast.ts';
export { references, walk } from './ast.ts';
export type { ParseResult, SyntaxError } from './parse.ts';
export { parseExpression } from './parse.ts';
export { printExpression } from './print.ts';
export type { EvalContext, Value } from './evaluate.ts';
export { evaluate, isValidRegex, toBoolean, toNumber, toText } from './evaluate.ts';
export type { Compiled, SlotContext } from './compile.ts';
export { compileExpression } from './compile.ts';
export type { FunctionSpec, ValueType } from './functions.ts';
export { FUNCTIONS, FUNCTION_NAMES } from './functions.ts';
