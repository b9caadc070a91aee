// The dependency graph the engine walks: one node per section, item, grid row, alert and
// screen-out, each with its compiled expressions; what each node reads; an order in which every
// node comes after what it depends on, or the circle that prevents one.
import type { Expr } from '../expression/index.ts';
import { references } from '../expression/index.ts';
import { variableKind } from './checks.ts';
import type { Checker } from './expression-checks.ts';
import type { GraphNode, ItemEntry, Questionnaire, VariableKind } from './model.ts';
import type { Choice, Definition, Item } from './schema.ts';

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

/** The graph's nodes before their dependencies are known, and where each item and alert is. */
export interface DraftGraph {
  readonly drafts: NodeDraft[];
  readonly nodeById: Map<string, number>;
  readonly items: ItemEntry[];
  readonly alerts: Questionnaire['alerts'];
  readonly screenOuts: Questionnaire['screenOuts'];
}

/**
 * Pass 2: every expression checked and compiled, the item entries, and one node per section,
 * item, grid row, alert and screen-out, in document order.
 */
export function draftGraph(
  definition: Definition,
  choicesByItem: ReadonlyMap<Item, Choice[] | undefined>,
  checker: Checker,
): DraftGraph {
  const drafts: NodeDraft[] = [];
  const nodeById = new Map<string, number>();
  const items: ItemEntry[] = [];
  let position = 0;
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
      const choices = choicesByItem.get(item);
      const choiceRelevant = choiceConditions(item, choices, path, checker, options);
      const entry: ItemEntry = {
        item,
        section,
        sectionIndex: s,
        position,
        path,
        node,
        choices,
        ...(choiceRelevant === undefined ? {} : { choiceRelevant }),
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
  return { drafts, nodeById, items, alerts, screenOuts };
}

/**
 * The `relevant` of each choice an item offers, checked as a relevant of the item (earlier answers
 * only); undefined when no choice has one. A shared list's condition is checked for each item that
 * uses it: the same issue twice (same place, same words) is kept once.
 */
function choiceConditions(
  item: Item,
  choices: readonly Choice[] | undefined,
  path: string,
  checker: Checker,
  options: { before: number; self: string },
): (Expr | undefined)[] | undefined {
  if (item.type !== 'single' && item.type !== 'multiple' && item.type !== 'grid') return undefined;
  if (choices === undefined || !choices.some((choice) => choice.relevant !== undefined)) {
    return undefined;
  }
  const listPath =
    typeof item.choices === 'string' ? `choiceLists.${item.choices}` : `${path}.choices`;
  const known = new Set(checker.issues.map((issue) => `${issue.path}\n${issue.message}`));
  const before = checker.issues.length;
  const out = choices.map((choice, k) =>
    choice.relevant === undefined
      ? undefined
      : checker.expression(choice.relevant, `${listPath}[${k}].relevant`, 'relevant', options),
  );
  const added = checker.issues.splice(before);
  for (const issue of added) {
    const key = `${issue.path}\n${issue.message}`;
    if (!known.has(key)) {
      known.add(key);
      checker.issues.push(issue);
    }
  }
  return out;
}

/**
 * What each node reads, an order over the nodes, and the nodes as the engine runs them; reports
 * a cycle and returns undefined when there is one.
 */
export function linkGraph(
  definition: Definition,
  graph: DraftGraph,
  checker: Checker,
): Questionnaire | undefined {
  const { drafts, nodeById, items, alerts, screenOuts } = graph;
  const refsOf = (expr: Expr | undefined): string[] => (expr ? references(expr) : []);
  // Dependencies: a node reads the nodes its expressions refer to, and inherits its parent's
  // relevance. A reference reads the referred node's value, which depends on its relevance.
  for (const draft of drafts) {
    const deps = new Set<number>();
    if (draft.parent >= 0) deps.add(draft.parent);
    // An item's choices may be offered on earlier answers: it comes after them, so that a
    // circle through a choice's condition is found as any other.
    const choiceRefs =
      draft.kind === 'item' ? (draft.entry?.choiceRelevant ?? []).flatMap(refsOf) : [];
    for (const name of [...refsOf(draft.relevant), ...refsOf(draft.formula), ...choiceRefs]) {
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
