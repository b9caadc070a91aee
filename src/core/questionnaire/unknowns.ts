// The second evaluation of an interview's state, for what reads a "don't know" or "refused": what a
// node could be had the respondent answered, so that a module result a record carries is 1, 0 or
// undetermined, never 0 for "we do not know". The interview itself runs on the engine's plain
// values (each non-response read as no answer): this pass runs apart, when a record is made or
// checked (`unknownsOf`), and only over nodes that read a non-response. Kept out of the engine so
// that the tablet's first screen does not load it.
import type { Compiled, Expr, SlotContext, Value } from '../expression/index.ts';
import { compileExpression, printExpression, references, walk } from '../expression/index.ts';
import type { Possible } from '../expression/possible.ts';
import { ANY, booleansOf, onlyValue, unionOf } from '../expression/possible.ts';
import type { PossibleCompiled, PossibleSlots } from '../expression/possible-compiled.ts';
import { compilePossible } from '../expression/possible-compiled.ts';
import type { Answers, NonResponseKind } from './answers.ts';
import { isNonResponse } from './answers.ts';
import type { InterviewState } from './engine.ts';
import type { GraphNode, Questionnaire } from './model.ts';

/**
 * What a node could be had the respondent answered the "don't know" and "refused" its value or
 * relevance reads (directly or through other nodes): each stands for any answer its item could
 * take (a single choice's codes, any value for the others), and so does an item not asked because
 * of one.
 */
export interface Unknown {
  /** `refused` when any non-response it depends on is a refusal, else `dont_know`. */
  readonly reason: NonResponseKind;
  /** Whether it could be relevant (`true`), not relevant (`false`), or both: `[true, false]`. */
  readonly relevant: readonly boolean[];
  /** The values expressions could read of it. */
  readonly value: Possible;
  /**
   * A relevant calculation whose possible results are more than one: expressions read the value
   * its formula gives with each non-response as `''` (the questionnaire's rules as written),
   * `non-response()` gives its reason, and a record carries it as `{ nonResponse: reason }`.
   */
  readonly undetermined: boolean;
  /** A relevant calculation's one possible result, when it has one (the record's value). */
  readonly result?: Value;
}

/** How a node stands with non-responses: it reads none, or the worst one it reads. */
const KNOWN = 0;
const DONT_KNOW_GIVEN = 1;
const REFUSED_GIVEN = 2;
type Given = typeof KNOWN | typeof DONT_KNOW_GIVEN | typeof REFUSED_GIVEN;

function givenOf(reason: NonResponseKind | undefined): Given {
  return reason === undefined ? KNOWN : reason === 'refused' ? REFUSED_GIVEN : DONT_KNOW_GIVEN;
}

/** What the second evaluation reads of a compiled questionnaire (the engine's program has it). */
export interface UnknownProgram {
  /** By node: a calculation, or an alert's or screen-out's condition. */
  readonly formula: readonly (Compiled | undefined)[];
  /** By node: its own relevance condition, evaluated over sets (`possibleValues`, compiled). */
  readonly possibleRelevant: readonly (PossibleCompiled | undefined)[];
  /** By node: its calculation, evaluated over sets. */
  readonly possibleFormula: readonly (PossibleCompiled | undefined)[];
  /** By node: the nodes its relevance reads (its parent, then its condition's references). */
  readonly relevanceReads: readonly (readonly number[])[];
  /** By node: the nodes its calculation reads (none for alerts and screen-outs: never read). */
  readonly formulaReads: readonly (readonly number[])[];
  /**
   * By node: whether a relevance or a calculation reads it. What no one reads needs no `Unknown`
   * (a calculation still does: a record says whether it is undetermined).
   */
  readonly read: readonly boolean[];
  /**
   * By node: the first node whose relevance condition has the same text (the items of a module
   * often share one), or -1 without one: a pass evaluates each text once.
   */
  readonly relevanceGroup: readonly number[];
  /**
   * By node (items and grid rows): what a non-response stands for, any answer the item could take:
   * a single choice's codes, `ANY` for the others.
   */
  readonly candidates: readonly Possible[];
  /** By calculation node, made on its first `refine`: what a closer look at it would read. */
  readonly refinePlans: Map<number, RefinePlan>;
}

/** What `refine` reads of a calculation, whatever the answers: it keeps only what reads one. */
export interface RefinePlan {
  /** Every node the calculation reads, directly or not (through relevance too), in graph order. */
  readonly cone: readonly number[];
  /**
   * The answers worth taking one value at a time, in that order: those that decide whether a node
   * of the cone is asked, then those read more than once (the sets would combine one reading's
   * value with another's).
   */
  readonly split: readonly number[];
}

/** The arrays one pass over the graph writes, and what `computeUnknown` reads them with. */
export interface Pass {
  readonly q: Questionnaire;
  readonly program: UnknownProgram;
  /** The state's own arrays: the pass only reads them. */
  readonly relevant: readonly boolean[];
  readonly values: readonly Value[];
  readonly unknown: (Unknown | undefined)[];
  readonly answers: Answers;
  readonly ctx: SlotContext;
  /** Made on first use. */
  possible: PossibleSlots | undefined;
  /** What each relevance text could give, by `relevanceGroup`, as far as the pass went. */
  relevanceMemo: Map<number, readonly boolean[]>;
}

export function newPass(
  q: Questionnaire,
  program: UnknownProgram,
  relevant: readonly boolean[],
  values: readonly Value[],
  unknown: (Unknown | undefined)[],
  answers: Answers,
  ctx: SlotContext,
): Pass {
  return {
    q,
    program,
    relevant,
    values,
    unknown,
    answers,
    ctx,
    possible: undefined,
    relevanceMemo: new Map(),
  };
}

export const EMPTY: Possible = [''];
const BOTH: readonly boolean[] = [true, false];
/**
 * Most "worlds" (choices of answers for the non-responses that decide what is asked) a calculation
 * is evaluated in when the first evaluation leaves it undetermined. More are left as sets.
 */
const MAX_WORLDS = 64;

/** A calculation's result, stored: NaN and infinities are empty, as in ODK. */
export function normalize(value: Value): Value {
  return typeof value === 'number' && !Number.isFinite(value) ? '' : value;
}

function normalizeAll(possible: Possible): Possible {
  if (possible === ANY || possible.every((value) => normalize(value) === value)) return possible;
  return unionOf(possible.map(normalize));
}

function possibleContext(pass: Pass): PossibleSlots {
  pass.possible ??= {
    value: (slot) => pass.unknown[slot]?.value ?? [pass.values[slot] ?? ''],
    nonResponse: (slot) => pass.ctx.nonResponse(slot),
    today: () => pass.ctx.today(),
  };
  return pass.possible;
}

/** The non-response a relevant item or row holds itself. */
function givenAt(pass: Pass, node: GraphNode): Given {
  if (node.variable === undefined || node.variable === 'calculate') return KNOWN;
  if (pass.relevant[node.index] !== true) return KNOWN;
  const answer = pass.answers.get(node.key);
  return isNonResponse(answer) ? givenOf(answer.nonResponse) : KNOWN;
}

interface Reads {
  /** The worst non-response read, or the node's own. */
  readonly reason: Given;
  readonly relevanceUnknown: boolean;
  readonly formulaUnknown: boolean;
}

/** Whether a node reads a node that reads a non-response. */
function readsUnknown(pass: Pass, n: number): boolean {
  const { program, unknown } = pass;
  for (const read of program.relevanceReads[n] ?? []) if (unknown[read] !== undefined) return true;
  for (const read of program.formulaReads[n] ?? []) if (unknown[read] !== undefined) return true;
  return false;
}

function readsOf(pass: Pass, n: number, given: Given): Reads {
  const { program, unknown } = pass;
  let reason = given;
  let relevanceUnknown = false;
  for (const read of program.relevanceReads[n] ?? []) {
    const found = givenOf(unknown[read]?.reason);
    if (found === KNOWN) continue;
    relevanceUnknown = true;
    if (found > reason) reason = found;
  }
  let formulaUnknown = false;
  for (const read of program.formulaReads[n] ?? []) {
    const found = givenOf(unknown[read]?.reason);
    if (found === KNOWN) continue;
    formulaUnknown = true;
    if (found > reason) reason = found;
  }
  return { reason, relevanceUnknown, formulaUnknown };
}

/** Whether the node could be relevant, and not relevant: `[true]`, `[false]` or both. */
function possibleRelevance(
  pass: Pass,
  node: GraphNode,
  relevanceUnknown: boolean,
): readonly boolean[] {
  const { relevant, unknown } = pass;
  if (!relevanceUnknown) return relevant[node.index] === true ? [true] : [false];
  const parent =
    node.parent < 0 ? [true] : (unknown[node.parent]?.relevant ?? [relevant[node.parent] === true]);
  let canBe = false;
  let canNot = parent.includes(false);
  if (parent.includes(true)) {
    let own: readonly boolean[] = [true];
    const condition = pass.program.possibleRelevant[node.index];
    if (condition !== undefined) {
      // Its inputs come before every node that has the same text: one evaluation serves them all.
      const group = pass.program.relevanceGroup[node.index] ?? -1;
      const known = pass.relevanceMemo.get(group);
      own = known ?? booleansOf(condition(possibleContext(pass)));
      if (known === undefined) pass.relevanceMemo.set(group, own);
    }
    canBe = own.includes(true);
    canNot ||= own.includes(false);
  }
  return canBe && canNot ? BOTH : canBe ? [true] : [false];
}

/** A calculation's possible results where it is relevant (NaN and infinities empty). */
function possibleResults(pass: Pass, node: GraphNode, formulaUnknown: boolean): Possible {
  const n = node.index;
  const possible = pass.program.possibleFormula[n];
  if (possible !== undefined && formulaUnknown)
    return normalizeAll(possible(possibleContext(pass)));
  if (pass.relevant[n] === true) return [pass.values[n] ?? ''];
  const formula = pass.program.formula[n];
  return [formula === undefined ? '' : normalize(formula(pass.ctx))];
}

/** What an item or row could be answered where it is asked. */
function possibleAnswer(pass: Pass, node: GraphNode, given: Given): Possible {
  const n = node.index;
  // Not asked, or answered by a non-response: any answer it could take. Asked: what was said.
  if (pass.relevant[n] !== true || given !== KNOWN) return pass.program.candidates[n] ?? ANY;
  return [pass.values[n] ?? ''];
}

function unknownOf(
  reason: Given,
  relevance: readonly boolean[],
  asked: Possible,
  undetermined: boolean,
): Unknown {
  const canBe = relevance.includes(true);
  const canNot = relevance.includes(false);
  return {
    reason: reason === REFUSED_GIVEN ? 'refused' : 'dont_know',
    relevant: relevance,
    value: canBe && canNot ? unionOf(asked, EMPTY) : canBe ? asked : EMPTY,
    undetermined,
  };
}

function planOf(q: Questionnaire, program: UnknownProgram, target: GraphNode): RefinePlan {
  let plan = program.refinePlans.get(target.index);
  if (plan !== undefined) return plan;
  const seen = new Set<number>();
  const stack = [target.index];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    for (const reads of [program.relevanceReads[n], program.formulaReads[n]])
      for (const read of reads ?? [])
        if (!seen.has(read)) {
          seen.add(read);
          stack.push(read);
        }
  }
  const rank = (n: number) => q.nodes[n]?.rank ?? 0;
  const cone = [...seen].sort((a, b) => rank(a) - rank(b));
  const isAnswer = (n: number) => {
    const variable = q.nodes[n]?.variable;
    return seen.has(n) && variable !== undefined && variable !== 'calculate';
  };
  const deciders = new Set<number>();
  const readings = new Map<number, number>();
  for (const n of [...cone, target.index]) {
    for (const read of program.relevanceReads[n] ?? []) if (isAnswer(read)) deciders.add(read);
    const node = q.nodes[n];
    for (const expr of [node?.relevant, node?.formula])
      if (expr !== undefined)
        walk(expr, (child) => {
          const slot = child.kind === 'ref' ? q.nodeById.get(child.name) : undefined;
          if (slot !== undefined && isAnswer(slot))
            readings.set(slot, (readings.get(slot) ?? 0) + 1);
        });
  }
  plan = {
    cone,
    split: [
      ...cone.filter((n) => deciders.has(n)),
      ...cone.filter((n) => !deciders.has(n) && (readings.get(n) ?? 0) > 1),
    ],
  };
  program.refinePlans.set(target.index, plan);
  return plan;
}

/**
 * A closer look at a calculation the sets left undetermined: they forget that an item is empty
 * exactly when the answer that decides whether it is asked says so (an attempt this month skips
 * the question about earlier attempts), and that an answer read twice is the same both times. So
 * those answers are taken one value at a time ("worlds", at most `MAX_WORLDS`), everything the
 * calculation reads is evaluated again in each, and the results are united. Sound as the sets
 * are; used only when it settles the calculation (one result), so it stops at the second.
 */
function refine(pass: Pass, target: GraphNode, results: Possible): Possible {
  const { q, unknown } = pass;
  const plan = planOf(q, pass.program, target);
  const split: { readonly node: number; readonly values: readonly Value[] }[] = [];
  let worlds = 1;
  for (const n of plan.split) {
    const values = unknown[n]?.value;
    if (values === undefined || values === ANY || values.length < 2) continue;
    if (worlds * values.length > MAX_WORLDS) continue;
    worlds *= values.length;
    split.push({ node: n, values });
  }
  if (split.length === 0) return results;
  // Only what reads a non-response changes from one world to another.
  const cone = plan.cone.filter((n) => unknown[n] !== undefined);
  const saved = cone.map((n) => unknown[n] as Unknown);
  const fixed = new Set(split.map(({ node }) => node));
  const index = new Array<number>(split.length).fill(0);
  let united: Possible = [];
  const memo = pass.relevanceMemo;
  for (let w = 0; w < worlds; w++) {
    pass.relevanceMemo = new Map();
    split.forEach(({ node, values }, i) => {
      const before = saved[cone.indexOf(node)] as Unknown;
      unknown[node] = { ...before, value: [values[index[i] ?? 0] ?? ''] };
    });
    cone.forEach((n, i) => {
      const node = q.nodes[n];
      const before = saved[i];
      if (fixed.has(n) || node === undefined || before === undefined) return;
      const given = givenAt(pass, node);
      const reads = readsOf(pass, n, given);
      const relevance = possibleRelevance(pass, node, reads.relevanceUnknown);
      const asked =
        node.formula !== undefined
          ? possibleResults(pass, node, reads.formulaUnknown)
          : node.variable !== undefined
            ? possibleAnswer(pass, node, given)
            : EMPTY;
      unknown[n] = {
        ...unknownOf(reads.reason, relevance, asked, false),
        reason: before.reason,
        undetermined: before.undetermined,
      };
    });
    united = unionOf(united, possibleResults(pass, target, true));
    // Two results already: no world can make it one, so the first evaluation's sets stand.
    if (united === ANY || united.length > 1) break;
    // The next world: an odometer over the deciding answers' values.
    for (let i = 0; i < split.length; i++) {
      const next = (index[i] ?? 0) + 1;
      if (next < (split[i]?.values.length ?? 0)) {
        index[i] = next;
        break;
      }
      index[i] = 0;
    }
  }
  cone.forEach((n, i) => (unknown[n] = saved[i]));
  pass.relevanceMemo = memo;
  return united !== ANY && united.length === 1 ? united : results;
}

/**
 * After `computeNode`: whether the node's value or relevance reads a non-response (`own`: the one
 * a relevant item holds itself), and if so what it could be (`Unknown`). A relevant calculation
 * with one possible result takes it; with more, it is undetermined and keeps its plain value for
 * the expressions that read it. Reads only
 * the entries of the nodes it reads.
 */
export function computeUnknown(
  pass: Pass,
  node: GraphNode,
  own: NonResponseKind | undefined,
): void {
  const n = node.index;
  const { program, relevant, unknown } = pass;
  const isRead = program.read[n] === true;
  // Alerts and screen-outs keep the plain rules; what no one reads needs nothing; nor does what
  // reads no non-response (the common case, checked first without making anything).
  if (
    node.kind === 'alert' ||
    node.kind === 'screenOut' ||
    (!isRead && program.formula[n] === undefined) ||
    (own === undefined && !readsUnknown(pass, n))
  ) {
    unknown[n] = undefined;
    return;
  }
  const given = givenOf(own);
  const reads = readsOf(pass, n, given);
  const relevance = isRead
    ? possibleRelevance(pass, node, reads.relevanceUnknown)
    : [relevant[n] === true];
  let asked: Possible = EMPTY;
  let undetermined = false;
  let result: Value | undefined;
  if (program.formula[n] !== undefined) {
    asked = possibleResults(pass, node, reads.formulaUnknown);
    if (relevant[n] === true) {
      if (onlyValue(asked) === undefined) asked = refine(pass, node, asked);
      // The plain value stays what the interview read; the record takes the one result left.
      const only = onlyValue(asked);
      undetermined = only === undefined;
      if (only !== undefined) result = only.value;
    }
  } else if (node.variable !== undefined) {
    asked = possibleAnswer(pass, node, given);
  }
  const entry = unknownOf(reads.reason, relevance, asked, undetermined);
  unknown[n] = result === undefined ? entry : { ...entry, result };
}

const programs = new WeakMap<Questionnaire, UnknownProgram>();

/** What the pass reads of a questionnaire, made once per loaded questionnaire. */
export function unknownProgramOf(q: Questionnaire): UnknownProgram {
  let program = programs.get(q);
  if (program !== undefined) return program;
  const slotOf = (name: string) => q.nodeById.get(name);
  const slotsOf = (expr: Expr | undefined): number[] =>
    expr === undefined
      ? []
      : references(expr).flatMap((name) => {
          const slot = slotOf(name);
          return slot === undefined ? [] : [slot];
        });
  const relevanceReads = q.nodes.map((node) => [
    ...(node.parent < 0 ? [] : [node.parent]),
    ...slotsOf(node.relevant),
  ]);
  const formulaReads = q.nodes.map((node) => (node.kind === 'item' ? slotsOf(node.formula) : []));
  const read = q.nodes.map(() => false);
  for (const reads of [...relevanceReads, ...formulaReads])
    for (const slot of reads) read[slot] = true;
  const firstWithText = new Map<string, number>();
  program = {
    formula: q.nodes.map((node) =>
      node.formula === undefined ? undefined : compileExpression(node.formula, slotOf),
    ),
    possibleRelevant: q.nodes.map((node) =>
      node.relevant === undefined ? undefined : compilePossible(node.relevant, slotOf),
    ),
    possibleFormula: q.nodes.map((node) =>
      node.formula === undefined ? undefined : compilePossible(node.formula, slotOf),
    ),
    relevanceReads,
    formulaReads,
    read,
    refinePlans: new Map(),
    relevanceGroup: q.nodes.map((node) => {
      if (node.relevant === undefined) return -1;
      const text = printExpression(node.relevant);
      const first = firstWithText.get(text) ?? node.index;
      firstWithText.set(text, first);
      return first;
    }),
    candidates: q.nodes.map((node): Possible => {
      if (node.variable === 'single')
        return (node.entry?.choices ?? []).map((choice) => choice.code);
      return node.variable === undefined || node.variable === 'calculate' ? EMPTY : ANY;
    }),
  };
  programs.set(q, program);
  return program;
}

/** The non-response a relevant item or grid row holds itself. */
function ownNonResponse(node: GraphNode, state: InterviewState): NonResponseKind | undefined {
  if (node.variable === undefined || node.variable === 'calculate') return undefined;
  if (state.relevant[node.index] !== true) return undefined;
  const answer = state.answers.get(node.key);
  return isNonResponse(answer) ? answer.nonResponse : undefined;
}

/**
 * The rank (place in `q.order`) of the first relevant item or row that holds a non-response, or
 * -1: nothing before it can read one. Read from the answers (a hundred or so), not the graph.
 */
function firstNonResponseRank(q: Questionnaire, state: InterviewState): number {
  let first = -1;
  // forEach: no [key, value] pair made per answer.
  state.answers.forEach((answer, id) => {
    if (!isNonResponse(answer)) return;
    const index = q.nodeById.get(id);
    const node = index === undefined ? undefined : q.nodes[index];
    if (node === undefined || state.relevant[node.index] !== true) return;
    if (node.variable === undefined || node.variable === 'calculate') return;
    if (first < 0 || node.rank < first) first = node.rank;
  });
  return first;
}

const passes = new WeakMap<InterviewState, readonly (Unknown | undefined)[]>();
const NONE: readonly (Unknown | undefined)[] = [];

/**
 * By graph node, what reads a non-response could be (`Unknown`), undefined for the rest: an empty
 * array when no relevant item holds a non-response. One pass per state, kept beside it (states are
 * never changed).
 */
export function unknownsOf(
  q: Questionnaire,
  state: InterviewState,
): readonly (Unknown | undefined)[] {
  const known = passes.get(state);
  if (known !== undefined) return known;
  const result = computeUnknowns(q, state);
  passes.set(state, result);
  return result;
}

/**
 * `unknownsOf` without keeping the pass beside the state: for a caller that reads it once (the
 * server's review of each uploaded record), where the weak map's entry would cost more than it saves.
 * With `into`, the pass is written there (whatever it held) rather than in a new array, for a caller
 * that reads it before the next record's (`createStateInto`).
 */
export function computeUnknowns(
  q: Questionnaire,
  state: InterviewState,
  into?: (Unknown | undefined)[],
): readonly (Unknown | undefined)[] {
  // Nothing can read a non-response before the first one: until then, no pass at all.
  const start = firstNonResponseRank(q, state);
  if (start < 0) return NONE;
  const program = unknownProgramOf(q);
  // Made whole at once: written from the first non-response's place on, in graph order, an empty
  // array would grow by holes.
  const unknown = into ?? new Array<Unknown | undefined>(q.nodes.length);
  unknown.length = q.nodes.length;
  unknown.fill(undefined);
  // The state's arrays as they are: the pass writes only `unknown`.
  const { relevant, values } = state;
  const ctx: SlotContext = {
    values,
    nonResponse: (slot) => {
      if (relevant[slot] !== true) return '';
      const undetermined = unknown[slot];
      if (undetermined?.undetermined === true) return undetermined.reason;
      const answer = state.answers.get(q.nodes[slot]?.key ?? '');
      return isNonResponse(answer) ? answer.nonResponse : '';
    },
    today: () => state.clock.today(),
  };
  const pass = newPass(q, program, relevant, values, unknown, state.answers, ctx);
  for (let r = start; r < q.order.length; r++) {
    const node = q.nodes[q.order[r] ?? -1];
    if (node !== undefined) computeUnknown(pass, node, ownNonResponse(node, state));
  }
  return unknown;
}

/**
 * Why an item, grid row or calculation has no value although relevant: the "don't know" or
 * "refused" given to the item or row, or for an undetermined calculation (it reads a
 * non-response and could give more than one result) the reason it is undetermined.
 */
export function nonResponseOf(
  q: Questionnaire,
  state: InterviewState,
  id: string,
): NonResponseKind | undefined {
  const index = q.nodeById.get(id);
  if (index === undefined) throw new Error(`unknown item "${id}" in ${q.definition.id}`);
  if (state.relevant[index] !== true) return undefined;
  const unknown = unknownsOf(q, state)[index];
  if (unknown?.undetermined === true) return unknown.reason;
  const answer = state.answers.get(id);
  return isNonResponse(answer) ? answer.nonResponse : undefined;
}

/**
 * A relevant calculation's result as a record carries it: the one value the non-responses it reads
 * leave possible (its plain value when it reads none), or undefined when it is undetermined.
 */
export function resultOf(q: Questionnaire, state: InterviewState, id: string): Value | undefined {
  const index = q.nodeById.get(id);
  if (index === undefined) throw new Error(`unknown item "${id}" in ${q.definition.id}`);
  const unknown = unknownsOf(q, state)[index];
  if (unknown?.undetermined === true) return undefined;
  return unknown?.result ?? state.values[index] ?? '';
}
