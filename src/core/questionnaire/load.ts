// Loads a definition from untrusted JSON: shape (zod), label packs, then every cross-reference and
// expression is checked, and the result is compiled for the engine. Never throws on bad input.
import type { Expr } from '../expression/index.ts';
import {
  FUNCTIONS,
  FUNCTION_NAMES,
  isValidRegex,
  parseExpression,
  references,
  toText,
  walk,
} from '../expression/index.ts';
import type { GraphNode, ItemEntry, Questionnaire, VariableKind } from './model.ts';
import type { Choice, Definition, Item, LabelPack, LocalizedText } from './schema.ts';
import { DefinitionSchema, LabelPackSchema } from './schema.ts';
import { closest, mergeLabelPacks, textEntries } from './texts.ts';

export type IssueCode =
  | 'schema'
  | 'default_language'
  | 'missing_translation'
  | 'duplicate_id'
  | 'unknown_choice_list'
  | 'duplicate_choice_code'
  | 'invalid_range'
  | 'non_response_code'
  | 'unknown_exclusive_code'
  | 'syntax'
  | 'unknown_reference'
  | 'not_a_value'
  | 'forward_reference'
  | 'cycle'
  | 'unknown_function'
  | 'arity'
  | 'type_mismatch'
  | 'unknown_choice_code'
  | 'current_outside_constraint'
  | 'invalid_regex'
  | 'unused_choice_list'
  | 'label_pack_mismatch'
  | 'label_pack_unknown_key'
  | 'label_pack_missing_text';

export interface LoadIssue {
  /** JSON path in the definition (or `<pack source>.texts...` for a label pack). */
  readonly path: string;
  readonly code: IssueCode;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Errors stop the load; warnings do not. */
  readonly severity: 'error' | 'warning';
}

export type LoadResult =
  | {
      readonly status: 'success';
      readonly definition: Definition;
      readonly questionnaire: Questionnaire;
    }
  | {
      readonly status: 'warning';
      readonly definition: Definition;
      readonly questionnaire: Questionnaire;
      readonly issues: readonly LoadIssue[];
    }
  | { readonly status: 'failure'; readonly issues: readonly LoadIssue[] };

export interface LoadOptions {
  /** Label packs (parsed JSON) with where they came from, for messages (e.g. a file name). */
  readonly labelPacks?: readonly { readonly source: string; readonly pack: unknown }[];
}

/** `path: message`, the way tools print an issue. */
export function formatIssue(issue: LoadIssue): string {
  return `${issue.path}: ${issue.message}`;
}

function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The part of a zod issue read here (zod/mini carries no English messages of its own). */
export interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
}

/** Says what is wrong in words, from a zod issue's code and details (shared by the quota plan loader). */
export function describeSchemaIssue(issue: ZodIssueLike): string {
  const custom = issue.message !== 'Invalid input' && issue.message !== '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.path.length > 0 && issue.expected === 'object'
        ? 'is missing or is not an object'
        : `must be ${issue.expected === 'array' ? 'a list' : `a ${String(issue.expected)}`} (missing or of another type)`;
    case 'too_small': {
      if (custom) return issue.message;
      const bound = `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
      if (issue.origin === 'array')
        return `must have ${bound} element${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return `must have ${bound} character${issue.minimum === 1 ? '' : 's'}`;
      return `must be ${bound}`;
    }
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown propert${(issue.keys ?? []).length > 1 ? 'ies' : 'y'} ${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')}; remove it or check its spelling`;
    case 'invalid_union':
      if (issue.path[issue.path.length - 1] === 'type' && issue.options) {
        return `unknown item type; use one of ${issue.options.join(', ')}`;
      }
      return issue.options
        ? `must be one of ${issue.options.join(', ')}`
        : 'does not match any allowed form';
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return custom ? issue.message : 'has the wrong format';
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return custom ? issue.message : 'is not valid';
  }
}

/** Turns zod's issues into ours, with the path and a message that says what to fix. */
function schemaIssues(error: { issues: readonly ZodIssueLike[] }, prefix: string): LoadIssue[] {
  return error.issues.map((issue) => ({
    path: (prefix ? `${prefix}.` : '') + jsonPath(issue.path),
    code: 'schema',
    message: describeSchemaIssue(issue),
    severity: 'error',
  }));
}

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

class Checker {
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

function missingLanguages(text: LocalizedText, languages: readonly string[]): string[] {
  return languages.filter((language) => text[language] === undefined);
}

/** Resolves an item's choices (inline or shared list). */
function resolveChoices(
  item: Item,
  definition: Definition,
  path: string,
  checker: Checker,
): Choice[] | undefined {
  if (!('choices' in item) || item.choices === undefined) return undefined;
  if (Array.isArray(item.choices)) return item.choices;
  const list = definition.choiceLists?.[item.choices];
  if (list === undefined) {
    const guess = closest(item.choices, Object.keys(definition.choiceLists ?? {}));
    checker.error(
      `${path}.choices`,
      'unknown_choice_list',
      `unknown choice list "${item.choices}"${guess ? `; did you mean "${guess}"?` : '; declare it in choiceLists'}`,
    );
    return undefined;
  }
  return list;
}

function variableKind(item: Item): VariableKind | undefined {
  switch (item.type) {
    case 'note':
    case 'grid':
      return undefined;
    default:
      return item.type;
  }
}

function structuralChecks(definition: Definition, checker: Checker): void {
  const { languages, defaultLanguage } = definition;
  if (!languages.includes(defaultLanguage)) {
    checker.error(
      'defaultLanguage',
      'default_language',
      `default language "${defaultLanguage}" is not one of the languages (${languages.join(', ')})`,
    );
  }
  const seenLanguages = new Set<string>();
  languages.forEach((language, i) => {
    if (seenLanguages.has(language)) {
      checker.error(`languages[${i}]`, 'duplicate_id', `language "${language}" is listed twice`);
    }
    seenLanguages.add(language);
  });
  for (const entry of textEntries(definition)) {
    const missing = missingLanguages(entry.text, languages);
    if (missing.length > 0) {
      checker.error(
        entry.path,
        'missing_translation',
        `no text in ${missing.join(', ')}; every text needs all the questionnaire's languages (${languages.join(', ')})`,
      );
    }
    for (const language of Object.keys(entry.text)) {
      if (!languages.includes(language)) {
        checker.error(
          `${entry.path}.${language}`,
          'missing_translation',
          `text in "${language}", which is not one of the languages (${languages.join(', ')}); add it to "languages" or remove the text`,
        );
      }
    }
  }
  for (const [listId, choices] of Object.entries(definition.choiceLists ?? {})) {
    duplicateCodes(choices, `choiceLists.${listId}`, checker);
  }
  const { dontKnow, refused } = definition.nonResponse;
  if (dontKnow.code === refused.code) {
    checker.error(
      'nonResponse.refused.code',
      'non_response_code',
      `"don't know" and "refused" both have code ${refused.code}; give them distinct codes`,
    );
  }
}

function duplicateCodes(choices: readonly Choice[], path: string, checker: Checker): void {
  const seen = new Set<string>();
  choices.forEach((choice, i) => {
    if (seen.has(choice.code)) {
      checker.error(
        `${path}[${i}].code`,
        'duplicate_choice_code',
        `code "${choice.code}" appears twice in this list; codes must be unique`,
      );
    }
    seen.add(choice.code);
  });
}

function itemChecks(
  item: Item,
  path: string,
  choices: readonly Choice[] | undefined,
  definition: Definition,
  checker: Checker,
): void {
  if ('min' in item && 'max' in item && item.min !== undefined && item.max !== undefined) {
    if (item.min > item.max) {
      checker.error(
        `${path}.min`,
        'invalid_range',
        `min (${item.min}) is greater than max (${item.max})`,
      );
    }
  }
  if (Array.isArray('choices' in item ? item.choices : undefined) && choices !== undefined) {
    duplicateCodes(choices, `${path}.choices`, checker);
  }
  if (item.type === 'multiple' && item.exclusive !== undefined && choices !== undefined) {
    item.exclusive.forEach((code, i) => {
      if (!choices.some((choice) => choice.code === code)) {
        checker.error(
          `${path}.exclusive[${i}]`,
          'unknown_exclusive_code',
          `"${code}" is not one of this item's choice codes`,
        );
      }
    });
  }
  const offersNonResponse =
    item.type !== 'note' && item.type !== 'calculate' && item.nonResponse !== false;
  if (!offersNonResponse) return;
  for (const kind of ['dontKnow', 'refused'] as const) {
    const code = definition.nonResponse[kind].code;
    const codeText = String(code);
    const clashesWithChoice = choices?.some((choice) => choice.code === codeText) ?? false;
    // A numeric item's declared range must leave the codes out (an item with no bound at all
    // says nothing about its values, and is not flagged).
    const inRange =
      (item.type === 'integer' || item.type === 'decimal') &&
      (item.min !== undefined || item.max !== undefined) &&
      (item.min === undefined || code >= item.min) &&
      (item.max === undefined || code <= item.max);
    if (clashesWithChoice || inRange) {
      checker.error(
        `nonResponse.${kind}.code`,
        'non_response_code',
        `code ${code} is also a valid answer of ${item.id} (${path}); narrow its min/max, choose non-response codes no answer can take, or set "nonResponse": false on the item`,
      );
    }
  }
}

/**
 * Orders nodes so that each comes after every node it depends on (depth-first, in document order,
 * so that without look-ahead the order is the interview's), or returns the keys around a cycle.
 */
function topologicalOrder(
  nodes: readonly { key: string; deps: readonly number[] }[],
): { order: number[] } | { cycle: string[] } {
  const state = new Uint8Array(nodes.length); // 0 new, 1 on the path, 2 placed
  const path: number[] = [];
  const order: number[] = [];
  const visit = (n: number): string[] | undefined => {
    state[n] = 1;
    path.push(n);
    for (const dep of nodes[n]?.deps ?? []) {
      if (state[dep] === 1) {
        const cycle = path.slice(path.indexOf(dep)).map((i) => nodes[i]?.key ?? '?');
        return [...cycle, nodes[dep]?.key ?? '?'];
      }
      if (state[dep] === 0) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    path.pop();
    state[n] = 2;
    order.push(n);
    return undefined;
  };
  for (let n = 0; n < nodes.length; n++) {
    if (state[n] === 0) {
      const cycle = visit(n);
      if (cycle) return { cycle };
    }
  }
  return { order };
}

interface NodeDraft {
  key: string;
  kind: GraphNode['kind'];
  parent: number;
  relevant: Expr | undefined;
  formula: Expr | undefined;
  variable: VariableKind | undefined;
  entry: ItemEntry | undefined;
  row: GraphNode['row'];
  deps: number[];
  path: string;
}

function compile(definition: Definition, checker: Checker): Questionnaire | undefined {
  structuralChecks(definition, checker);

  // Pass 1: every name, its kind and position, before any expression is read.
  const seenIds = new Map<string, string>();
  const claim = (id: string, path: string): void => {
    const first = seenIds.get(id);
    if (first !== undefined) {
      checker.error(
        path,
        'duplicate_id',
        `id "${id}" is already used at ${first}; ids must be unique`,
      );
    } else {
      seenIds.set(id, path);
    }
  };
  const sectionIds = new Set<string>();
  const choicesByItem = new Map<Item, Choice[] | undefined>();
  const usedLists = new Set<string>();
  let position = 0;
  definition.sections.forEach((section, s) => {
    if (sectionIds.has(section.id)) {
      checker.error(
        `sections[${s}].id`,
        'duplicate_id',
        `section id "${section.id}" is used twice`,
      );
    }
    sectionIds.add(section.id);
    section.items.forEach((item, i) => {
      const path = `sections[${s}].items[${i}]`;
      claim(item.id, `${path}.id`);
      const choices = resolveChoices(item, definition, path, checker);
      choicesByItem.set(item, choices);
      if ('choices' in item && typeof item.choices === 'string') usedLists.add(item.choices);
      itemChecks(item, path, choices, definition, checker);
      const codes = choices ? new Set(choices.map((choice) => choice.code)) : undefined;
      const kind = variableKind(item);
      if (kind !== undefined) {
        checker.variables.set(item.id, {
          name: item.id,
          kind,
          position,
          codes,
          multiple: item.type === 'multiple',
          valueType:
            item.type === 'calculate'
              ? (item.valueType ?? 'any')
              : item.type === 'integer' || item.type === 'decimal'
                ? 'number'
                : 'string',
        });
      } else {
        checker.valueless.set(
          item.id,
          item.type === 'grid' ? 'a grid (refer to one of its rows)' : 'a note',
        );
      }
      if (item.type === 'grid') {
        item.rows.forEach((row, r) => {
          claim(row.id, `${path}.rows[${r}].id`);
          checker.variables.set(row.id, {
            name: row.id,
            kind: item.select === 'multiple' ? 'multiple' : 'single',
            position,
            codes,
            multiple: item.select === 'multiple',
            valueType: 'string',
          });
        });
      }
      position++;
    });
  });
  for (const listId of Object.keys(definition.choiceLists ?? {})) {
    if (!usedLists.has(listId)) {
      checker.warn(
        `choiceLists.${listId}`,
        'unused_choice_list',
        `choice list "${listId}" is never used`,
      );
    }
  }

  // Pass 2: expressions, entries and graph nodes.
  const drafts: NodeDraft[] = [];
  const nodeById = new Map<string, number>();
  const items: ItemEntry[] = [];
  const refsOf = (expr: Expr | undefined): string[] => (expr ? references(expr) : []);
  position = 0;
  definition.sections.forEach((section, s) => {
    const sectionPath = `sections[${s}]`;
    const sectionRelevant =
      section.relevant === undefined
        ? undefined
        : checker.expression(section.relevant, `${sectionPath}.relevant`, 'relevant', {
            before: position,
          });
    const sectionNode = drafts.length;
    drafts.push({
      key: `section:${section.id}`,
      kind: 'section',
      parent: -1,
      relevant: sectionRelevant,
      formula: undefined,
      variable: undefined,
      entry: undefined,
      row: undefined,
      deps: [],
      path: sectionPath,
    });
    section.items.forEach((item, i) => {
      const path = `${sectionPath}.items[${i}]`;
      const options = { before: position, self: item.id };
      const relevant =
        item.relevant === undefined
          ? undefined
          : checker.expression(item.relevant, `${path}.relevant`, 'relevant', options);
      const constraint =
        'constraint' in item && item.constraint !== undefined
          ? checker.expression(item.constraint, `${path}.constraint`, 'constraint', options)
          : undefined;
      let required: boolean | Expr = false;
      if ('required' in item && item.required !== undefined) {
        required =
          typeof item.required === 'boolean'
            ? item.required
            : (checker.expression(item.required, `${path}.required`, 'required', options) ?? false);
      }
      const formula =
        item.type === 'calculate'
          ? checker.expression(item.calculate, `${path}.calculate`, 'calculate', options)
          : undefined;
      const node = drafts.length;
      const entry: ItemEntry = {
        item,
        section,
        sectionIndex: s,
        position,
        path,
        node,
        choices: choicesByItem.get(item),
        constraint,
        required,
        rows: item.type === 'grid' ? item.rows.map((_, r) => node + 1 + r) : [],
      };
      items.push(entry);
      nodeById.set(item.id, node);
      drafts.push({
        key: item.id,
        kind: 'item',
        parent: sectionNode,
        relevant,
        formula,
        variable: variableKind(item),
        entry,
        row: undefined,
        deps: [],
        path,
      });
      if (item.type === 'grid') {
        item.rows.forEach((row, r) => {
          const rowPath = `${path}.rows[${r}]`;
          const rowRelevant =
            row.relevant === undefined
              ? undefined
              : checker.expression(row.relevant, `${rowPath}.relevant`, 'relevant', options);
          nodeById.set(row.id, drafts.length);
          drafts.push({
            key: row.id,
            kind: 'row',
            parent: node,
            relevant: rowRelevant,
            formula: undefined,
            variable: item.select === 'multiple' ? 'multiple' : 'single',
            entry,
            row,
            deps: [],
            path: rowPath,
          });
        });
      }
      position++;
    });
  });
  const alerts = (definition.alerts ?? []).map((alert, i) => {
    const node = drafts.length;
    drafts.push({
      key: `alert:${alert.id}`,
      kind: 'alert',
      parent: -1,
      relevant: undefined,
      formula: checker.expression(alert.when, `alerts[${i}].when`, 'condition'),
      variable: undefined,
      entry: undefined,
      row: undefined,
      deps: [],
      path: `alerts[${i}]`,
    });
    return { alert, node };
  });
  const screenOuts = (definition.screenOuts ?? []).map((screenOut, i) => {
    const node = drafts.length;
    drafts.push({
      key: `screenOut:${screenOut.id}`,
      kind: 'screenOut',
      parent: -1,
      relevant: undefined,
      formula: checker.expression(screenOut.when, `screenOuts[${i}].when`, 'condition'),
      variable: undefined,
      entry: undefined,
      row: undefined,
      deps: [],
      path: `screenOuts[${i}]`,
    });
    return { screenOut, node };
  });
  const uniqueIds = (list: readonly { id: string }[], path: string): void => {
    const seen = new Set<string>();
    list.forEach((element, i) => {
      if (seen.has(element.id)) {
        checker.error(`${path}[${i}].id`, 'duplicate_id', `id "${element.id}" is used twice`);
      }
      seen.add(element.id);
    });
  };
  uniqueIds(definition.alerts ?? [], 'alerts');
  uniqueIds(definition.screenOuts ?? [], 'screenOuts');

  if (checker.issues.some((issue) => issue.severity === 'error')) return undefined;

  // Dependencies: a node reads the nodes its expressions refer to, and inherits its parent's
  // relevance. A reference reads the referred node's value, which depends on its relevance.
  for (const draft of drafts) {
    const deps = new Set<number>();
    if (draft.parent >= 0) deps.add(draft.parent);
    for (const name of [...refsOf(draft.relevant), ...refsOf(draft.formula)]) {
      const target = nodeById.get(name);
      if (target !== undefined) deps.add(target);
    }
    draft.deps = [...deps].sort((a, b) => a - b);
  }
  const sorted = topologicalOrder(drafts);
  if ('cycle' in sorted) {
    const { cycle } = sorted;
    const first = drafts[nodeById.get(cycle[0] ?? '') ?? -1];
    checker.error(
      `${first?.path ?? '(root)'}${first?.formula ? '.calculate' : '.relevant'}`,
      'cycle',
      `these values depend on each other in a circle: ${cycle.map((key) => `\${${key}}`).join(' -> ')}; break the circle`,
    );
    return undefined;
  }
  const { order } = sorted;
  const dependents: number[][] = drafts.map(() => []);
  drafts.forEach((draft, n) => {
    for (const dep of draft.deps) dependents[dep]?.push(n);
  });
  const rank = new Array<number>(drafts.length);
  order.forEach((n, r) => (rank[n] = r));
  const nodes: GraphNode[] = drafts.map((draft, index) => ({
    index,
    key: draft.key,
    kind: draft.kind,
    parent: draft.parent,
    relevant: draft.relevant,
    formula: draft.formula,
    variable: draft.variable,
    entry: draft.entry,
    row: draft.row,
    dependents: dependents[index] ?? [],
    rank: rank[index] ?? 0,
  }));
  return {
    definition,
    items,
    itemById: new Map(items.map((entry) => [entry.item.id, entry])),
    nodes,
    nodeById,
    order,
    alerts,
    screenOuts,
  };
}

/**
 * Loads a questionnaire definition from parsed JSON, with optional label packs. Never throws on
 * bad input: returns `failure` with every issue found (path, code, message saying how to fix it),
 * `warning` when only warnings were found, `success` otherwise.
 */
export function loadQuestionnaire(input: unknown, options: LoadOptions = {}): LoadResult {
  const parsed = DefinitionSchema.safeParse(input);
  if (!parsed.success) return { status: 'failure', issues: schemaIssues(parsed.error, '') };
  const packs: { pack: LabelPack; source: string }[] = [];
  const issues: LoadIssue[] = [];
  for (const { source, pack } of options.labelPacks ?? []) {
    const parsedPack = LabelPackSchema.safeParse(pack);
    if (parsedPack.success) packs.push({ pack: parsedPack.data, source });
    else issues.push(...schemaIssues(parsedPack.error, source));
  }
  const merged = mergeLabelPacks(parsed.data, packs);
  issues.push(...merged.issues.map((issue) => ({ ...issue, severity: 'error' as const })));
  // A broken pack is reported as such; the definition itself is still checked, without packs,
  // so that one file's problem is not reported again as another's.
  const checked = merged.issues.length > 0 ? parsed.data : merged.definition;
  const checker = new Checker();
  const questionnaire = compile(checked, checker);
  issues.push(...checker.issues);
  if (questionnaire === undefined || issues.some((issue) => issue.severity === 'error')) {
    return { status: 'failure', issues };
  }
  if (issues.length > 0) {
    return { status: 'warning', definition: checked, questionnaire, issues };
  }
  return { status: 'success', definition: checked, questionnaire };
}
