// A hand-written tokenizer and precedence-climbing parser for XLSForm-style expressions.
// No eval, no Function constructor: the result is a plain syntax tree.
import type { BinaryOperator, Expr, Span } from './ast.ts';
import { PRECEDENCE } from './ast.ts';

type Token =
  | { type: 'number'; value: number; span: Span }
  | { type: 'string'; value: string; span: Span }
  | { type: 'ref'; name: string; span: Span }
  | { type: 'name'; name: string; span: Span }
  | { type: 'op'; op: string; span: Span }
  | { type: 'end'; span: Span };

export interface SyntaxError {
  readonly message: string;
  readonly span: Span;
}

export type ParseResult =
  { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: SyntaxError };

class ParseFailure {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

const REF_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Character classes by code, not a regular expression per character: the tokenizer runs over every
// character of every expression a load reads.
/** `0-9`; false past the end (NaN). */
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
/** `A-Z a-z _`. */
function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}
/** `A-Z a-z 0-9 _ -`. */
function isNamePart(code: number): boolean {
  return isNameStart(code) || isDigit(code) || code === 45;
}
const WORD_OPERATORS = new Set(['and', 'or', 'div', 'mod']);
/**
 * How deep a tree may be. Parsing, printing and evaluating recurse once per level, so an absurdly
 * nested or chained expression would otherwise exhaust the stack and throw.
 */
const MAX_DEPTH = 500;
const TOO_DEEP = `the expression is nested too deeply (more than ${MAX_DEPTH} levels)`;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '$') {
      if (source.charAt(i + 1) !== '{') {
        throw new ParseFailure('"$" must start a reference such as ${age}', { start, end: i + 1 });
      }
      const close = source.indexOf('}', i + 2);
      if (close < 0) {
        throw new ParseFailure('reference is not closed: missing "}"', {
          start,
          end: source.length,
        });
      }
      const name = source.slice(i + 2, close);
      if (!REF_NAME.test(name)) {
        throw new ParseFailure(`"\${${name}}" is not a valid reference name`, {
          start,
          end: close + 1,
        });
      }
      tokens.push({ type: 'ref', name, span: { start, end: close + 1 } });
      i = close + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = source.indexOf(c, i + 1);
      if (close < 0) {
        throw new ParseFailure(`string is not closed: missing ${c}`, {
          start,
          end: source.length,
        });
      }
      tokens.push({
        type: 'string',
        value: source.slice(i + 1, close),
        span: { start, end: close + 1 },
      });
      i = close + 1;
      continue;
    }
    if (isDigit(source.charCodeAt(i)) || (c === '.' && isDigit(source.charCodeAt(i + 1)))) {
      while (isDigit(source.charCodeAt(i))) i++;
      if (source.charAt(i) === '.') {
        i++;
        while (isDigit(source.charCodeAt(i))) i++;
      }
      tokens.push({
        type: 'number',
        value: Number(source.slice(start, i)),
        span: { start, end: i },
      });
      continue;
    }
    if (isNameStart(source.charCodeAt(i))) {
      while (i < source.length && isNamePart(source.charCodeAt(i))) i++;
      const name = source.slice(start, i);
      if (WORD_OPERATORS.has(name)) tokens.push({ type: 'op', op: name, span: { start, end: i } });
      else tokens.push({ type: 'name', name, span: { start, end: i } });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ type: 'op', op: two, span: { start, end: i + 2 } });
      i += 2;
      continue;
    }
    if ('=<>+-*(),.'.includes(c)) {
      tokens.push({ type: 'op', op: c, span: { start, end: i + 1 } });
      i++;
      continue;
    }
    if (c === '!') {
      throw new ParseFailure('"!" alone is not an operator: use != or not()', {
        start,
        end: i + 1,
      });
    }
    throw new ParseFailure(`unexpected character "${c}"`, { start, end: i + 1 });
  }
  tokens.push({ type: 'end', span: { start: source.length, end: source.length } });
  return tokens;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'the end of the expression';
    case 'number':
      return `number ${token.value}`;
    case 'string':
      return `string '${token.value}'`;
    case 'ref':
      return `\${${token.name}}`;
    case 'name':
      return `"${token.name}"`;
    case 'op':
      return `"${token.op}"`;
  }
}

const END: Token = { type: 'end', span: { start: 0, end: 0 } };

class Parser {
  private index = 0;
  private nesting = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    // The token list always ends with an 'end' token, and the parser never moves past it.
    return this.tokens[this.index] ?? END;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  private isOp(op: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.op === op;
  }

  private expectOp(op: string, context: string): Token {
    const token = this.next();
    if (token.type !== 'op' || token.op !== op) {
      throw new ParseFailure(`expected "${op}" ${context}, found ${describe(token)}`, token.span);
    }
    return token;
  }

  parseAll(): Expr {
    const expr = this.parseBinary(1);
    const rest = this.peek();
    if (rest.type !== 'end') {
      throw new ParseFailure(`unexpected ${describe(rest)} after a complete expression`, rest.span);
    }
    return expr;
  }

  /** Precedence climbing: all binary operators are left-associative. */
  private parseBinary(minPrecedence: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'op' || !(token.op in PRECEDENCE)) return left;
      const op = token.op as BinaryOperator;
      const precedence = PRECEDENCE[op];
      if (precedence < minPrecedence) return left;
      this.next();
      const right = this.parseBinary(precedence + 1);
      left = {
        kind: 'binary',
        op,
        left,
        right,
        span: { start: left.span.start, end: right.span.end },
      };
    }
  }

  private parseUnary(): Expr {
    // Every recursion (parentheses, arguments, operands) passes here: bound the stack depth.
    if (this.nesting >= MAX_DEPTH) throw new ParseFailure(TOO_DEEP, this.peek().span);
    this.nesting++;
    try {
      if (this.isOp('-')) {
        const minus = this.next();
        const operand = this.parseUnary();
        return {
          kind: 'negate',
          operand,
          span: { start: minus.span.start, end: operand.span.end },
        };
      }
      return this.parsePrimary();
    } finally {
      this.nesting--;
    }
  }

  private parsePrimary(): Expr {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { kind: 'number', value: token.value, span: token.span };
      case 'string':
        return { kind: 'string', value: token.value, span: token.span };
      case 'ref':
        return { kind: 'ref', name: token.name, span: token.span };
      case 'name': {
        if (!this.isOp('(')) {
          throw new ParseFailure(
            `"${token.name}" is not a value: write \${${token.name}} for an answer, '${token.name}' for text, or ${token.name}() for a function`,
            token.span,
          );
        }
        this.next();
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.parseBinary(1));
          while (this.isOp(',')) {
            this.next();
            args.push(this.parseBinary(1));
          }
        }
        const close = this.expectOp(')', `to close ${token.name}(`);
        return {
          kind: 'call',
          name: token.name,
          args,
          span: { start: token.span.start, end: close.span.end },
        };
      }
      case 'op':
        if (token.op === '.') return { kind: 'current', span: token.span };
        if (token.op === '(') {
          const inner = this.parseBinary(1);
          this.expectOp(')', 'to close "("');
          return inner;
        }
        throw new ParseFailure(`expected a value, found ${describe(token)}`, token.span);
      case 'end':
        throw new ParseFailure('the expression ends too early: a value is missing', token.span);
    }
  }
}

/**
 * The first node deeper than MAX_DEPTH. Recursive, but never more than MAX_DEPTH calls deep
 * whatever the tree (long chains are deep too): it stops descending there. No allocation: it runs
 * on every expression of a questionnaire when it loads.
 */
function tooDeep(node: Expr, depth = 1): Expr | undefined {
  if (depth > MAX_DEPTH) return node;
  switch (node.kind) {
    case 'negate':
      return tooDeep(node.operand, depth + 1);
    case 'binary':
      return tooDeep(node.left, depth + 1) ?? tooDeep(node.right, depth + 1);
    case 'call':
      for (const arg of node.args) {
        const deep = tooDeep(arg, depth + 1);
        if (deep !== undefined) return deep;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Parses an expression; never throws. Errors carry the character span they concern. */
export function parseExpression(source: string): ParseResult {
  try {
    const expr = new Parser(tokenize(source)).parseAll();
    const deep = tooDeep(expr);
    if (deep) return { ok: false, error: { message: TOO_DEEP, span: deep.span } };
    return { ok: true, expr };
  } catch (failure) {
    if (failure instanceof ParseFailure) {
      return { ok: false, error: { message: failure.message, span: failure.span } };
    }
    throw failure;
  }
}
