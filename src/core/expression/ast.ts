// The syntax tree of an expression, as produced by the parser and read by the evaluator.

/** Character offsets in the source: `start` inclusive, `end` exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type BinaryOperator =
  'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  /** `${name}`: the value of an item or grid row. */
  | { readonly kind: 'ref'; readonly name: string; readonly span: Span }
  /** `.`: the answer being checked, in a constraint. */
  | { readonly kind: 'current'; readonly span: Span }
  | { readonly kind: 'negate'; readonly operand: Expr; readonly span: Span }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly span: Span;
    };

/** Binding strength of binary operators (XPath 1.0 order): higher binds tighter. */
export const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  or: 1,
  and: 2,
  '=': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  div: 6,
  mod: 6,
};

/** Every `${name}` in an expression, in order of appearance, without duplicates. */
export function references(expr: Expr): string[] {
  const names = new Set<string>();
  walk(expr, (node) => {
    if (node.kind === 'ref') names.add(node.name);
  });
  return [...names];
}

/** Visits every node, parents before children. */
export function walk(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'negate':
      walk(expr.operand, visit);
      break;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case 'call':
      for (const arg of expr.args) walk(arg, visit);
      break;
    default:
      break;
  }
}
