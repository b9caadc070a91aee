// What records need to know of a questionnaire's nodes (identifying, coarsened, answerable), and
// the coarsening and calculations both sides apply: shared by anonymising (index.ts) and checking
// (check.ts).
import type {
  Answer,
  Clock,
  Coarsen,
  InterviewState,
  Questionnaire,
} from '../questionnaire/index.ts';
import { isNonResponse } from '../questionnaire/index.ts';
import type { Unknown } from '../questionnaire/unknowns.ts';
import { unknownsOf } from '../questionnaire/unknowns.ts';
import type { ComputedWire } from '../protocol/index.ts';

export function coarsen(value: Answer, rule: Coarsen): Answer {
  if (isNonResponse(value)) return value;
  if (rule.kind === 'date') {
    if (typeof value !== 'string') return value;
    return rule.precision === 'year' ? value.slice(0, 4) : value.slice(0, 7);
  }
  const number = typeof value === 'number' ? value : Number(value);
  const band = rule.bands.find(
    (candidate) =>
      (candidate.min === undefined || number >= candidate.min) &&
      (candidate.max === undefined || number <= candidate.max),
  );
  return band?.code ?? '';
}

/** What records need to know of each node of a questionnaire, read once per questionnaire. */
export interface NodeRules {
  /** By node: an item or grid row that holds an answer (not a calculation). */
  readonly answerable: readonly boolean[];
  readonly identifying: readonly boolean[];
  /** By node: its coarsening rule, if any. */
  readonly coarsen: readonly (Coarsen | undefined)[];
  /**
   * The nodes a completed record may not leave unanswered when relevant: answerable, required
   * (always or by a condition), neither identifying nor coarsened (those are absent on purpose).
   */
  readonly mayBeRequired: readonly number[];
  /**
   * By node: whether its value or relevance reads, directly or not, an answer that never leaves
   * the device (identifying) or leaves it coarsened. The server cannot recompute such a node from
   * a record; every other calculation, alert and screen-out it recomputes exactly.
   */
  readonly deviceOnly: readonly boolean[];
  /** The nodes of the `calculate` items a record may carry (not identifying), in definition order. */
  readonly calculations: readonly number[];
  /** The ids of the alerts the version declares. */
  readonly alerts: ReadonlySet<string>;
}

/** The nodes reached from the answers kept on the device, through dependents and children. */
function deviceOnlyNodes(
  q: Questionnaire,
  answerable: readonly boolean[],
  identifying: readonly boolean[],
  coarsen: readonly (Coarsen | undefined)[],
): boolean[] {
  const children: number[][] = q.nodes.map(() => []);
  for (const node of q.nodes) if (node.parent >= 0) children[node.parent]?.push(node.index);
  const reached = q.nodes.map(() => false);
  const queue = q.nodes
    .filter(
      (node) =>
        answerable[node.index] === true &&
        (identifying[node.index] === true || coarsen[node.index] !== undefined),
    )
    .map((node) => node.index);
  for (const start of queue) reached[start] = true;
  while (queue.length > 0) {
    const index = queue.pop() as number;
    const node = q.nodes[index];
    for (const next of [...(node?.dependents ?? []), ...(children[index] ?? [])]) {
      if (reached[next] === true) continue;
      reached[next] = true;
      queue.push(next);
    }
  }
  return reached;
}

const nodeRules = new WeakMap<Questionnaire, NodeRules>();

export function rulesOf(q: Questionnaire): NodeRules {
  let rules = nodeRules.get(q);
  if (rules === undefined) {
    const answerable = q.nodes.map(
      (node) => node.variable !== undefined && node.variable !== 'calculate',
    );
    const identifying = q.nodes.map((node) => node.entry?.item.identifying === true);
    const coarsen = q.nodes.map((node) => {
      const item = node.entry?.item;
      return item !== undefined && 'coarsen' in item ? item.coarsen : undefined;
    });
    const mayBeRequired = q.nodes
      .filter(
        (node) =>
          answerable[node.index] === true &&
          identifying[node.index] !== true &&
          coarsen[node.index] === undefined &&
          node.entry?.required !== false,
      )
      .map((node) => node.index);
    const deviceOnly = deviceOnlyNodes(q, answerable, identifying, coarsen);
    const calculations = q.items
      .filter((entry) => entry.item.type === 'calculate' && identifying[entry.node] !== true)
      .map((entry) => entry.node);
    const alerts = new Set(q.alerts.map(({ alert }) => alert.id));
    rules = { answerable, identifying, coarsen, mayBeRequired, deviceOnly, calculations, alerts };
    nodeRules.set(q, rules);
  }
  return rules;
}

/**
 * The calculations a record carries: every relevant, non-identifying `calculate` item's value,
 * coarsened as its definition says, in definition order. An undetermined one (it reads a
 * non-response and could give more than one result) is `{ nonResponse: reason }`.
 */
export function calculationsOf(q: Questionnaire, state: InterviewState): [string, ComputedWire][] {
  const rules = rulesOf(q);
  const unknown = unknownsOf(q, state);
  const calculations: [string, ComputedWire][] = [];
  for (const node of rules.calculations) {
    if (state.relevant[node] !== true) continue;
    calculations.push([q.nodes[node]?.key ?? '', calculationValue(rules, state, node, unknown)]);
  }
  return calculations;
}

/**
 * A calculation's value as a record carries it (coarsened as its definition says), or the reason
 * it is undetermined, written as a non-response answer is.
 */
export function calculationValue(
  rules: NodeRules,
  state: InterviewState,
  node: number,
  unknowns: readonly (Unknown | undefined)[],
): ComputedWire {
  const unknown = unknowns[node];
  if (unknown?.undetermined === true) return { nonResponse: unknown.reason };
  const value = unknown?.result ?? state.values[node] ?? '';
  const rule = rules.coarsen[node];
  return rule === undefined || value === '' || typeof value === 'boolean'
    ? value
    : String(coarsen(value, rule));
}

/** The clock a record is made and checked with: the day of its interview's end (`at`, ISO). */
export function endDayClock(at: string): Clock {
  return { today: () => at.slice(0, 10) };
}

/** What of a version the server cannot recompute from a record, by id (see `NodeRules.deviceOnly`). */
export interface DeviceOnly {
  /** Items, grid rows and calculations. */
  readonly items: ReadonlySet<string>;
  readonly alerts: ReadonlySet<string>;
  readonly screenOuts: ReadonlySet<string>;
}

/**
 * The items, calculations, alerts and screen-outs whose value, relevance or condition reads an
 * answer that never leaves the tablet (identifying) or leaves it coarsened: the server keeps what
 * the tablet says of them when it is plausible, and recomputes everything else.
 */
export function deviceOnly(q: Questionnaire): DeviceOnly {
  const rules = rulesOf(q);
  const ids = (kind: string) =>
    new Set(
      q.nodes
        .filter((node) => node.kind === kind && rules.deviceOnly[node.index] === true)
        .map((node) => node.key.slice(node.key.indexOf(':') + 1)),
    );
  const items = new Set(
    q.nodes
      .filter(
        (node) =>
          (node.kind === 'item' || node.kind === 'row') && rules.deviceOnly[node.index] === true,
      )
      .map((node) => node.key),
  );
  return { items, alerts: ids('alert'), screenOuts: ids('screenOut') };
}
