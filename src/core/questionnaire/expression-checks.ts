// The Checker: collects a load's issues in the order they are found, knows every name the
// definition declares, and checks each expression against them (syntax, references, functions
// and their arity, choice codes, `relevant` that looks ahead, `.` outside a constraint).
import type { Expr } from '../expression/index.ts';
import {
  FUNCTIONS,
  FUNCTION_NAMES,
  isValidRegex,
  parseExpression,
  toText,
  walk,
} from '../expression/index.ts';
import type { IssueCode, LoadIssue } from './issues.ts';
import type { VariableKind } from './model.ts';
import { closest } from './texts.ts';

interface Variable {
  readonly name: string;
  readonly kind: VariableKind;
  /** Item position: rows share their grid's. */
  readonly position: number;
  /** Choice codes, for single/multiple items, grid rows and calculations with choices. */
  readonly codes: ReadonlySet<string> | undefined;
  readonly multiple: boolean;
  readonly valueType: 'number' | 'string' | 'boolean' | 'any';
}

type ExprRole = 'relevant' | 'constraint' | 'required' | 'calculate' | 'condition';

export class Checker {
  readonly issues: LoadIssue[] = [];
  readonly variables = new Map<string, Variable>();
  /** Items and grids: names that exist but hold no value. */
  readonly valueless = new Map<string, string>();

  error(path: string, code: IssueCode, message: string): void {
    this.issues.push({ path, code, message, severity: 'error' });
  }

  warn(path: string, code: IssueCode, message: string): void {
    this.issues.push({ path, code, message, severity: 'warning' });
  }

  /** Parses and checks one expression; returns it only if it parsed. */
  expression(
    source: string,
    path: string,
    role: ExprRole,
    options: { before?: number; self?: string } = {},
  ): Expr | undefined {
    const parsed = parseExpression(source);
    if (!parsed.ok) {
      const { span, message } = parsed.error;
      this.error(
        path,
        'syntax',
        `syntax error at character ${span.start + 1} of "${source}": ${message}`,
      );
      return undefined;
    }
    const expr = parsed.expr;
    walk(expr, (node) => {
      switch (node.kind) {
        case 'current':
          if (role !== 'constraint') {
            this.error(
              path,
              'current_outside_constraint',
              `"." (the answer being checked) can only be used in a constraint; refer to the item by name, e.g. \${${options.self ?? 'name'}}`,
            );
          }
          break;
        case 'ref':
          this.reference(node.name, path, role, options);
          break;
        case 'call':
          this.call(node, path);
          break;
        case 'binary':
          this.binary(node, path);
          break;
        default:
          break;
      }
    });
    return expr;
  }

  private reference(
    name: string,
    path: string,
    role: ExprRole,
    options: { before?: number; self?: string },
  ): void {
    const variable = this.variables.get(name);
    if (variable === undefined) {
      const what = this.valueless.get(name);
      if (what !== undefined) {
        this.error(path, 'not_a_value', `\${${name}} is ${what} and holds no answer`);
        return;
      }
      const guess = closest(name, this.variables.keys());
      this.error(
        path,
        'unknown_reference',
        `unknown question \${${name}}${guess ? `; did you mean \${${guess}}?` : '; check the item ids'}`,
      );
      return;
    }
    if (role === 'relevant' && options.before !== undefined) {
      if (name === options.self) {
        this.error(path, 'forward_reference', `relevant refers to its own item \${${name}}`);
      } else if (variable.position >= options.before) {
        this.error(
          path,
          'forward_reference',
          `relevant refers to \${${name}}, which is asked later; a condition can only use answers given before`,
        );
      }
    }
  }

  private call(node: Extract<Expr, { kind: 'call' }>, path: string): void {
    const spec = FUNCTIONS[node.name];
    if (spec === undefined) {
      const guess = closest(node.name, FUNCTION_NAMES);
      this.error(
        path,
        'unknown_function',
        `unknown function ${node.name}()${guess ? `; did you mean ${guess}()?` : `; known functions: ${FUNCTION_NAMES.join(', ')}`}`,
      );
      return;
    }
    const count = node.args.length;
    if (count < spec.minArgs || count > spec.maxArgs) {
      const expected =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Infinity
            ? `at least ${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`;
      this.error(
        path,
        'arity',
        `${node.name}() takes ${expected} argument${expected === '1' ? '' : 's'}, not ${count}: ${spec.usage}`,
      );
      return;
    }
    for (const [indexText, want] of Object.entries(spec.refArgs ?? {})) {
      const arg = node.args[Number(indexText)];
      if (arg === undefined) continue;
      if (arg.kind !== 'ref') {
        this.error(path, 'type_mismatch', `${node.name}() needs a question here: ${spec.usage}`);
        continue;
      }
      const variable = this.variables.get(arg.name);
      if (variable === undefined) continue;
      if (want === 'choice' && variable.codes === undefined) {
        this.error(
          path,
          'type_mismatch',
          `${node.name}() needs a choice question, and \${${arg.name}} is ${variable.kind}`,
        );
      } else if (want === 'multiple' && !variable.multiple) {
        this.error(
          path,
          'type_mismatch',
          `${node.name}() needs a multiple choice question, and \${${arg.name}} is ${variable.kind}`,
        );
      } else if (want === 'answerable' && variable.kind === 'calculate') {
        this.error(
          path,
          'type_mismatch',
          `${node.name}() needs an answered question, and \${${arg.name}} is a calculation`,
        );
      }
    }
    if (node.name === 'selected') this.choiceCode(node.args[0], node.args[1], path);
    if (node.name === 'regex') {
      const pattern = node.args[1];
      if (pattern?.kind === 'string' && !isValidRegex(pattern.value)) {
        this.error(
          path,
          'invalid_regex',
          `regex pattern '${pattern.value}' is not a valid pattern`,
        );
      }
    }
  }

  private binary(node: Extract<Expr, { kind: 'binary' }>, path: string): void {
    if (node.op === '=' || node.op === '!=') {
      this.choiceCode(node.left, node.right, path);
      this.choiceCode(node.right, node.left, path);
    }
    if (['+', '-', '*', 'div', 'mod'].includes(node.op)) {
      for (const side of [node.left, node.right]) {
        if (side.kind !== 'ref') continue;
        const variable = this.variables.get(side.name);
        if (variable === undefined) continue;
        const numericChoice =
          variable.codes !== undefined &&
          !variable.multiple &&
          [...variable.codes].every((code) => /^-?\d+(\.\d+)?$/.test(code));
        if (
          variable.kind === 'text' ||
          variable.multiple ||
          (variable.codes !== undefined && !numericChoice && variable.kind !== 'calculate')
        ) {
          this.error(
            path,
            'type_mismatch',
            `"${node.op}" needs numbers, and \${${side.name}} is ${variable.multiple ? 'a multiple choice' : variable.kind === 'text' ? 'a text' : 'a choice with non-numeric codes'}`,
          );
        }
      }
    }
  }

  /** `${choice} = 'x'` and `selected(${choice}, 'x')`: x must be one of the codes. */
  private choiceCode(refSide: Expr | undefined, codeSide: Expr | undefined, path: string): void {
    if (refSide?.kind !== 'ref' || codeSide === undefined) return;
    if (codeSide.kind !== 'string' && codeSide.kind !== 'number') return;
    const variable = this.variables.get(refSide.name);
    if (variable?.codes === undefined) return;
    const code = codeSide.kind === 'string' ? codeSide.value : toText(codeSide.value);
    if (code === '' || variable.codes.has(code)) return;
    const known = [...variable.codes];
    const guess = closest(code, known);
    this.error(
      path,
      'unknown_choice_code',
      `'${code}' is not a code of \${${refSide.name}} (codes: ${known.join(', ')})${guess ? `; did you mean '${guess}'?` : ''}`,
    );
  }
}
