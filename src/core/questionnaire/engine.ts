// The interview engine: pure functions over (questionnaire, answers, language, clock) that say
// what is relevant, what to ask next, whether an answer is valid, what is computed and alerted.
import type { Compiled, Expr, SlotContext, Value } from '../expression/index.ts';
import { compileExpression, toBoolean } from '../expression/index.ts';
import type { Answer, Answers, NonResponseKind } from './answers.ts';
import { isNonResponse } from './answers.ts';
import type { ValidationCode } from './messages.ts';
import { describeRange, validationMessage } from './messages.ts';
import type { GraphNode, ItemEntry, Questionnaire } from './model.ts';
import type { Alert, LocalizedText, ScreenOut } from './schema.ts';
import { DATE_PATTERN } from './schema.ts';

/** Where `today()` comes from: injected, so that the engine stays pure and testable. */
export interface Clock {
  /** Today's date, `YYYY-MM-DD`, in the interview's time zone. */
  today(): string;
}

/**
 * Everything derived from the answers. Build it with `createState`, change it with `setAnswer`;
 * never mutate it. `answers` keeps every stored answer, including those of items that are no
 * longer relevant (they come back if the item becomes relevant again).
 */
export interface InterviewState {
  readonly answers: Answers;
  /** Per graph node: relevant now (its own condition and its section's or grid's). */
  readonly relevant: readonly boolean[];
  /** Per graph node: the value expressions read (`''` when empty or not relevant). */
  readonly values: readonly Value[];
  readonly clock: Clock;
}

/** Longest text answer accepted when a text item declares no `maxLength`. */
export const DEFAULT_TEXT_MAX_LENGTH = 2000;

function answerValue(answer: Answer | undefined): Value {
  if (answer === undefined || isNonResponse(answer)) return '';
  if (Array.isArray(answer)) return answer.join(' ');
  return answer as string | number;
}

/** A calculation's result, stored: NaN and infinities are empty, as in ODK. */
function normalize(value: Value): Value {
  return typeof value === 'number' && !Number.isFinite(value) ? '' : value;
}

/**
 * A questionnaire's expressions compiled to closures (names resolved to node indexes), and its
 * items' choice codes as sets: made once per loaded questionnaire, on first use, and kept beside
 * it (not in it: the app stores loaded questionnaires in IndexedDB, which cannot hold functions).
 */
interface Program {
  /** By node: its own relevance condition. */
  readonly relevant: readonly (Compiled | undefined)[];
  /** By node: a calculation, or an alert's or screen-out's condition. */
  readonly formula: readonly (Compiled | undefined)[];
  /** By node (items and grid rows): the item's constraint. */
  readonly constraint: readonly (Compiled | undefined)[];
  /** By node (items and grid rows): whether an answer is required. */
  readonly required: readonly (boolean | Compiled)[];
  /** By node (choice items and grid rows): the codes that may be answered. */
  readonly codes: readonly (ReadonlySet<string> | undefined)[];
  /** By node (choice items and grid rows): each choice's condition, by code, if any has one. */
  readonly offered: readonly (ReadonlyMap<string, Compiled> | undefined)[];
}

const programs = new WeakMap<Questionnaire, Program>();

function programOf(q: Questionnaire): Program {
  // The lookup apart from the making: closures over `q` in the same function would have every
  // call, a hundred a record on the server, make their context first.
  return programs.get(q) ?? makeProgram(q);
}

function makeProgram(q: Questionnaire): Program {
  const slotOf = (name: string) => q.nodeById.get(name);
  const compile = (expr: Expr | undefined) =>
    expr === undefined ? undefined : compileExpression(expr, slotOf);
  const byEntry = new Map<
    ItemEntry,
    {
      constraint?: Compiled;
      required: boolean | Compiled;
      codes?: ReadonlySet<string>;
      offered?: ReadonlyMap<string, Compiled>;
    }
  >();
  for (const entry of q.items) {
    const constraint = compile(entry.constraint);
    const offered = new Map<string, Compiled>();
    entry.choiceRelevant?.forEach((expr, k) => {
      const code = entry.choices?.[k]?.code;
      const compiled = compile(expr);
      if (code !== undefined && compiled !== undefined) offered.set(code, compiled);
    });
    byEntry.set(entry, {
      ...(constraint === undefined ? {} : { constraint }),
      required:
        typeof entry.required === 'boolean'
          ? entry.required
          : compileExpression(entry.required, slotOf),
      ...(entry.choices === undefined
        ? {}
        : { codes: new Set(entry.choices.map((choice) => choice.code)) }),
      ...(offered.size === 0 ? {} : { offered }),
    });
  }
  const program: Program = {
    relevant: q.nodes.map((node) => compile(node.relevant)),
    formula: q.nodes.map((node) => compile(node.formula)),
    constraint: q.nodes.map((node) =>
      node.entry === undefined ? undefined : byEntry.get(node.entry)?.constraint,
    ),
    required: q.nodes.map((node) =>
      node.entry === undefined ? false : (byEntry.get(node.entry)?.required ?? false),
    ),
    codes: q.nodes.map((node) =>
      node.entry === undefined ? undefined : byEntry.get(node.entry)?.codes,
    ),
    offered: q.nodes.map((node) =>
      node.entry === undefined ? undefined : byEntry.get(node.entry)?.offered,
    ),
  };
  programs.set(q, program);
  return program;
}

function context(
  q: Questionnaire,
  relevant: readonly boolean[],
  values: readonly Value[],
  answers: Answers,
  clock: Clock,
): SlotContext {
  return {
    values,
    nonResponse: (slot) => {
      if (relevant[slot] !== true) return '';
      const answer = answers.get(q.nodes[slot]?.key ?? '');
      return isNonResponse(answer) ? answer.nonResponse : '';
    },
    today: () => clock.today(),
  };
}

/**
 * Computes one node from its inputs (which come earlier in the topological order). `ctx` reads the
 * same `relevant` and `values` arrays: one context serves a whole pass, since making closures for
 * every node was most of the cost of a pass.
 */
function computeNode(
  program: Program,
  node: GraphNode,
  relevant: boolean[],
  values: Value[],
  answers: Answers,
  ctx: SlotContext,
): void {
  const formula = program.formula[node.index];
  if (node.kind === 'alert' || node.kind === 'screenOut') {
    relevant[node.index] = true;
    values[node.index] = formula ? toBoolean(formula(ctx)) : false;
    return;
  }
  const condition = program.relevant[node.index];
  let isRelevant = node.parent < 0 || relevant[node.parent] === true;
  if (isRelevant && condition) isRelevant = toBoolean(condition(ctx));
  relevant[node.index] = isRelevant;
  if (!isRelevant) values[node.index] = '';
  else if (formula) values[node.index] = normalize(formula(ctx));
  else if (node.variable) values[node.index] = answerValue(answers.get(node.key));
  else values[node.index] = '';
}

/** Evaluates everything from stored answers (e.g. when a draft is resumed). */
export function createState(
  q: Questionnaire,
  answers: Answers | Iterable<readonly [string, Answer]>,
  clock: Clock,
): InterviewState {
  return createStateTaking(q, new Map<string, Answer>(answers), clock);
}

/**
 * `createState` without its copy of the answers: the state takes `map` as its own, and the
 * caller must not change the map afterwards. For a caller that builds the map only to make the
 * state (`checkRecord`, on every uploaded record).
 */
export function createStateTaking(
  q: Questionnaire,
  map: Map<string, Answer>,
  clock: Clock,
): InterviewState {
  const length = q.nodes.length;
  return createStateInto(q, map, clock, new Array<boolean>(length), new Array<Value>(length));
}

/**
 * `createStateTaking` into the caller's arrays, whatever they hold (they are filled anew, to the
 * questionnaire's number of nodes): for a caller that checks records one after the other and lets
 * no state outlive the next (the server's review), where two new arrays a record, each as long as
 * the questionnaire has nodes, were a large part of what it allocated.
 */
export function createStateInto(
  q: Questionnaire,
  map: Map<string, Answer>,
  clock: Clock,
  relevant: boolean[],
  values: Value[],
): InterviewState {
  relevant.length = q.nodes.length;
  relevant.fill(false);
  values.length = q.nodes.length;
  values.fill('');
  const ctx = context(q, relevant, values, map, clock);
  const program = programOf(q);
  for (const n of q.order) {
    const node = q.nodes[n];
    if (node) computeNode(program, node, relevant, values, map, ctx);
  }
  return { answers: map, relevant, values, clock };
}

function nodeOf(q: Questionnaire, id: string): GraphNode {
  const index = q.nodeById.get(id);
  const node = index === undefined ? undefined : q.nodes[index];
  if (node === undefined) throw new Error(`unknown item "${id}" in ${q.definition.id}`);
  return node;
}

/**
 * The item an answer's id belongs to: the item itself, or for a grid row, its grid. Undefined for
 * an id the questionnaire does not have.
 */
export function itemOf(q: Questionnaire, id: string): ItemEntry | undefined {
  const index = q.nodeById.get(id);
  return index === undefined ? undefined : q.nodes[index]?.entry;
}

/**
 * Stores (or, with `undefined`, clears) one answer and recomputes only what depends on it,
 * following the dependency graph built at load time. Does not validate: call `validateAnswer`.
 * Throws only on a programming error (an id that is not an answerable item or grid row).
 */
export function setAnswer(
  q: Questionnaire,
  state: InterviewState,
  id: string,
  answer: Answer | undefined,
): InterviewState {
  const start = nodeOf(q, id);
  if (start.variable === undefined || start.variable === 'calculate') {
    throw new Error(`"${id}" takes no answer (it is a ${start.entry?.item.type ?? start.kind})`);
  }
  const answers = new Map(state.answers);
  if (answer === undefined) answers.delete(id);
  else answers.set(id, answer);
  const relevant = state.relevant.slice();
  const values = state.values.slice();
  const dirty = new Uint8Array(q.nodes.length);
  const ctx = context(q, relevant, values, answers, state.clock);
  const program = programOf(q);
  dirty[start.index] = 1;
  let lastRank = start.rank;
  for (let r = start.rank; r <= lastRank; r++) {
    const n = q.order[r];
    if (n === undefined || dirty[n] === 0) continue;
    const node = q.nodes[n];
    if (node === undefined) continue;
    const wasRelevant = relevant[n];
    const oldValue = values[n];
    computeNode(program, node, relevant, values, answers, ctx);
    // The answered node always propagates: a non-response changes non-response() but not its value.
    if (n === start.index || wasRelevant !== relevant[n] || !Object.is(oldValue, values[n])) {
      for (const dependent of node.dependents) {
        dirty[dependent] = 1;
        const rank = q.nodes[dependent]?.rank ?? 0;
        if (rank > lastRank) lastRank = rank;
      }
    }
  }
  return { answers, relevant, values, clock: state.clock };
}

/** The stored answer of an item or grid row, relevant or not. */
export function getAnswer(state: InterviewState, id: string): Answer | undefined {
  return state.answers.get(id);
}

/** The value expressions see for an item, row or calculation (`''` if empty or not relevant). */
export function valueOf(q: Questionnaire, state: InterviewState, id: string): Value {
  return state.values[nodeOf(q, id).index] ?? '';
}

/** Whether an item or grid row is relevant now (its section's and grid's conditions included). */
export function isRelevant(q: Questionnaire, state: InterviewState, id: string): boolean {
  return state.relevant[nodeOf(q, id).index] === true;
}

/** Items shown to the interviewer (not calculations), relevant now, with a row to ask if a grid. */
function isShown(state: InterviewState, entry: ItemEntry): boolean {
  if (entry.item.type === 'calculate' || state.relevant[entry.node] !== true) return false;
  return entry.rows.length === 0 || entry.rows.some((row) => state.relevant[row] === true);
}

/** The items to show now, in interview order: one screen each (a grid is one screen). */
export function relevantItems(q: Questionnaire, state: InterviewState): ItemEntry[] {
  return q.items.filter((entry) => isShown(state, entry));
}

export type Step =
  | { readonly kind: 'item'; readonly id: string; readonly entry: ItemEntry }
  | { readonly kind: 'end' }
  | { readonly kind: 'screened_out'; readonly screenOut: ScreenOut };

/** The first screen-out whose condition holds, if any: the interview must end there. */
export function activeScreenOut(q: Questionnaire, state: InterviewState): ScreenOut | undefined {
  return q.screenOuts.find(({ node }) => state.values[node] === true)?.screenOut;
}

/** Alerts whose condition holds now. */
export function activeAlerts(q: Questionnaire, state: InterviewState): Alert[] {
  return q.alerts.filter(({ node }) => state.values[node] === true).map(({ alert }) => alert);
}

/**
 * The item to show after `fromId` (or the first one, with `null`), skipping what is not relevant.
 * A screen-out whose condition holds ends the interview: `screened_out`. After the last item: `end`.
 */
export function nextItem(q: Questionnaire, state: InterviewState, fromId: string | null): Step {
  const screenOut = activeScreenOut(q, state);
  if (screenOut) return { kind: 'screened_out', screenOut };
  const from = fromId === null ? -1 : (q.itemById.get(fromId)?.position ?? -1);
  for (let p = from + 1; p < q.items.length; p++) {
    const entry = q.items[p];
    if (entry && isShown(state, entry)) return { kind: 'item', id: entry.item.id, entry };
  }
  return { kind: 'end' };
}

/**
 * The relevant item before `fromId` (with `null`: the last relevant item, e.g. going back from
 * the review screen), or `start` if there is none.
 */
export function previousItem(
  q: Questionnaire,
  state: InterviewState,
  fromId: string | null,
):
  | { readonly kind: 'item'; readonly id: string; readonly entry: ItemEntry }
  | { readonly kind: 'start' } {
  const from =
    fromId === null ? q.items.length : (q.itemById.get(fromId)?.position ?? q.items.length);
  for (let p = from - 1; p >= 0; p--) {
    const entry = q.items[p];
    if (entry && isShown(state, entry)) return { kind: 'item', id: entry.item.id, entry };
  }
  return { kind: 'start' };
}

/** Position of an item among the items relevant now (1-based) and their number, for a progress bar. */
export function progress(
  q: Questionnaire,
  state: InterviewState,
  id: string,
): { readonly position: number; readonly total: number } {
  const shown = relevantItems(q, state);
  const index = shown.findIndex((entry) => entry.item.id === id);
  return { position: index + 1, total: shown.length };
}

/**
 * Whether a choice is offered now for an item or grid row: its `relevant` (a choice filter) holds
 * on the current answers. A code with no condition, or not of the item, is offered.
 */
export function isChoiceOffered(
  q: Questionnaire,
  state: InterviewState,
  id: string,
  code: string,
): boolean {
  const index = q.nodeById.get(id);
  const condition = index === undefined ? undefined : programOf(q).offered[index]?.get(code);
  if (condition === undefined) return true;
  return toBoolean(condition(context(q, state.relevant, state.values, state.answers, state.clock)));
}

/** The first code of an answer whose choice is not offered now, if any. */
function notOffered(
  q: Questionnaire,
  state: InterviewState,
  offered: ReadonlyMap<string, Compiled>,
  answer: Answer,
): string | undefined {
  const codes = Array.isArray(answer) ? (answer as readonly string[]) : [answer as string];
  let ctx: SlotContext | undefined;
  for (const code of codes) {
    const condition = offered.get(code);
    if (condition === undefined) continue;
    ctx ??= context(q, state.relevant, state.values, state.answers, state.clock);
    if (!toBoolean(condition(ctx))) return code;
  }
  return undefined;
}

export type Validation =
  | { readonly valid: true }
  | { readonly valid: false; readonly code: ValidationCode; readonly message: string };

/** A text in the wanted language, else the definition's default language. */
export function localize(
  q: Questionnaire,
  text: LocalizedText | undefined,
  language: string,
): string {
  return localizedText(q, text, language).text;
}

/**
 * A text in the wanted language, else the default language's (an interviewer's text a language
 * leaves out), with the language it is in: the screen marks a text not in the wanted one.
 */
export function localizedText(
  q: Questionnaire,
  text: LocalizedText | undefined,
  language: string,
): { readonly text: string; readonly language: string } {
  if (text === undefined) return { text: '', language };
  const own = text[language];
  if (own !== undefined) return { text: own, language };
  const fallback = q.definition.defaultLanguage;
  const other = text[fallback];
  if (other !== undefined) return { text: other, language: fallback };
  const [first, value] = Object.entries(text)[0] ?? [language, ''];
  return { text: value, language: first };
}

const VALID: Validation = Object.freeze({ valid: true });

function invalid(
  code: ValidationCode,
  language: string,
  params: Record<string, string | number> = {},
): Validation {
  return { valid: false, code, message: validationMessage(code, language, params) };
}

function isRealDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isRequired(q: Questionnaire, state: InterviewState, node: number): boolean {
  const required = programOf(q).required[node] ?? false;
  if (typeof required === 'boolean') return required;
  return toBoolean(required(context(q, state.relevant, state.values, state.answers, state.clock)));
}

const NO_CODES: ReadonlySet<string> = new Set();

/**
 * A multiple answer of more than one code: none of them may be an exclusive choice ("none of
 * these"). Apart from `checkType`, whose every call would otherwise make the context of this
 * closure over its item first.
 */
function exclusiveAlone(
  entry: ItemEntry,
  exclusive: readonly string[],
  answer: readonly string[],
  language: string,
): Validation {
  const lonely = answer.find((code) => exclusive.includes(code));
  if (lonely === undefined) return VALID;
  const choice = entry.choices?.find((c) => c.code === lonely);
  return invalid('exclusive_choice', language, {
    label: choice?.label[language] ?? Object.values(choice?.label ?? {})[0] ?? lonely,
  });
}

/** Checks the shape of a (non-empty, non-non-response) answer against its item's type. */
function checkType(
  entry: ItemEntry,
  codes: ReadonlySet<string>,
  isRow: boolean,
  answer: Answer,
  language: string,
): Validation {
  const item = entry.item;
  const multiple = item.type === 'multiple' || (item.type === 'grid' && item.select === 'multiple');
  if (item.type === 'single' || (isRow && !multiple)) {
    if (typeof answer !== 'string') return invalid('wrong_type', language);
    return codes.has(answer) ? VALID : invalid('unknown_choice', language, { code: answer });
  }
  if (multiple) {
    if (!Array.isArray(answer) || answer.length === 0) return invalid('wrong_type', language);
    // A few codes at most (the schema's limit): looking back costs less than a set per answer.
    for (let i = 0; i < answer.length; i++) {
      const code = (answer as readonly unknown[])[i];
      if (typeof code !== 'string') return invalid('wrong_type', language);
      if (!codes.has(code)) return invalid('unknown_choice', language, { code });
      if (answer.indexOf(code) < i) return invalid('duplicate_choice', language, { code });
    }
    if (item.type === 'multiple' && answer.length > 1 && item.exclusive !== undefined)
      return exclusiveAlone(entry, item.exclusive, answer, language);
    return VALID;
  }
  switch (item.type) {
    case 'integer':
    case 'decimal': {
      if (typeof answer !== 'number' || !Number.isFinite(answer))
        return invalid('wrong_type', language);
      if (item.type === 'integer' && !Number.isInteger(answer))
        return invalid('not_integer', language);
      if (
        (item.min !== undefined && answer < item.min) ||
        (item.max !== undefined && answer > item.max)
      ) {
        return invalid('out_of_range', language, {
          range: describeRange(language, item.min, item.max),
        });
      }
      return VALID;
    }
    case 'text': {
      if (typeof answer !== 'string') return invalid('wrong_type', language);
      if (answer.trim() === '') return invalid('empty_text', language);
      const max = item.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      // Characters are code points; a text no longer than `max` in UTF-16 units has no more.
      if (answer.length <= max) return VALID;
      const length = [...answer].length;
      return length > max ? invalid('too_long', language, { length, max }) : VALID;
    }
    case 'date': {
      if (typeof answer !== 'string' || !isRealDate(answer)) {
        return invalid('invalid_date', language, {
          range: describeRange(language, item.min, item.max),
        });
      }
      if (
        (item.min !== undefined && answer < item.min) ||
        (item.max !== undefined && answer > item.max)
      ) {
        return invalid('invalid_date', language, {
          range: describeRange(language, item.min, item.max),
        });
      }
      return VALID;
    }
    default:
      return invalid('not_answerable', language);
  }
}

/**
 * Validates one answer (or the absence of one, `undefined`) for an item or grid row, in the
 * current state: type and range, choice codes, "don't know"/"refused" offered or not, the
 * item's constraint (with `.` the candidate answer), and `required`. Messages are in `language`
 * (the definition's constraint message if it has one, else the engine's in French or English).
 */
export function validateAnswer(
  q: Questionnaire,
  state: InterviewState,
  id: string,
  answer: Answer | undefined,
  language: string,
): Validation {
  const index = q.nodeById.get(id);
  if (index === undefined) return invalid('unknown_item', language, { id });
  return validateAnswerAt(q, state, index, answer, language);
}

const NON_RESPONSE_KINDS: readonly NonResponseKind[] = ['dont_know', 'refused'];

/** An item's own constraint message, if the definition gives one. */
function ownMessageOf(item: ItemEntry['item']): LocalizedText | undefined {
  return 'constraintMessage' in item ? item.constraintMessage : undefined;
}

/** `validateAnswer` of the graph node `index` (an item or grid row), for a caller that has it. */
export function validateAnswerAt(
  q: Questionnaire,
  state: InterviewState,
  index: number,
  answer: Answer | undefined,
  language: string,
): Validation {
  const node = q.nodes[index];
  const entry = node?.entry;
  if (node === undefined || entry === undefined)
    return invalid('unknown_item', language, { id: node?.key ?? String(index) });
  const item = entry.item;
  if (
    item.type === 'note' ||
    item.type === 'calculate' ||
    (item.type === 'grid' && node.kind !== 'row')
  ) {
    return invalid('not_answerable', language);
  }
  if (answer === undefined) {
    return isRequired(q, state, node.index) ? invalid('required', language) : VALID;
  }
  if (isNonResponse(answer)) {
    if (item.nonResponse === false || !NON_RESPONSE_KINDS.includes(answer.nonResponse)) {
      return invalid('non_response_not_offered', language);
    }
    return VALID;
  }
  const program = programOf(q);
  const codes = program.codes[node.index] ?? NO_CODES;
  const typed = checkType(entry, codes, node.kind === 'row', answer, language);
  if (!typed.valid) {
    // A definition's message says what is accepted: it explains a range error better than ours.
    const isRange = typed.code === 'out_of_range' || typed.code === 'invalid_date';
    const own = isRange ? ownMessageOf(item) : undefined;
    return own ? { ...typed, message: localize(q, own, language) } : typed;
  }
  const offered = program.offered[node.index];
  if (offered !== undefined) {
    const code = notOffered(q, state, offered, answer);
    if (code !== undefined) return invalid('choice_not_offered', language, { code });
  }
  const constraint = program.constraint[node.index];
  if (constraint) {
    const current = answerValue(answer);
    const ctx = context(q, state.relevant, state.values, state.answers, state.clock);
    if (!toBoolean(constraint({ ...ctx, current }))) {
      const own = ownMessageOf(item);
      return own
        ? { valid: false, code: 'constraint', message: localize(q, own, language) }
        : invalid('constraint', language);
    }
  }
  return VALID;
}

export interface CompletionProblem {
  /** Item or grid row id. */
  readonly id: string;
  readonly code: ValidationCode;
  readonly message: string;
}

export interface Completion {
  /** True when no screen-out holds and every relevant answer is present where required and valid. */
  readonly canComplete: boolean;
  readonly screenOut: ScreenOut | undefined;
  readonly problems: readonly CompletionProblem[];
}

/** Whether the interview can be completed now, and if not, which answers are missing or wrong. */
export function completion(q: Questionnaire, state: InterviewState, language: string): Completion {
  const screenOut = activeScreenOut(q, state);
  const problems: CompletionProblem[] = [];
  for (const node of q.nodes) {
    if (node.variable === undefined || node.variable === 'calculate') continue;
    if (state.relevant[node.index] !== true) continue;
    const result = validateAnswer(q, state, node.key, state.answers.get(node.key), language);
    if (!result.valid) problems.push({ id: node.key, code: result.code, message: result.message });
  }
  return { canComplete: screenOut === undefined && problems.length === 0, screenOut, problems };
}

/**
 * The answers that count: those of items relevant now. Answers of items that stopped being
 * relevant stay in `state.answers` (so nothing typed is lost) but are left out here, and so out
 * of records and exports.
 */
export function relevantAnswers(q: Questionnaire, state: InterviewState): Map<string, Answer> {
  const out = new Map<string, Answer>();
  for (const [id, answer] of state.answers) {
    const node = q.nodeById.get(id);
    if (node !== undefined && state.relevant[node] === true) out.set(id, answer);
  }
  return out;
}

/** Values of every calculation relevant now, by item id (module results, bands, scores). */
export function calculatedValues(q: Questionnaire, state: InterviewState): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const entry of q.items) {
    if (entry.item.type === 'calculate' && state.relevant[entry.node] === true) {
      out.set(entry.item.id, state.values[entry.node] ?? '');
    }
  }
  return out;
}
