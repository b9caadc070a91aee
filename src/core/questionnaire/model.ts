// The compiled form of a loaded definition: items flattened in interview order, expressions
// parsed once, and the dependency graph the engine walks to recompute only what changed.
import type { Expr } from '../expression/index.ts';
import type { Alert, Choice, Definition, GridRow, Item, ScreenOut, Section } from './schema.ts';

/** How a stored value is shaped, for validation and checks. */
export type VariableKind =
  'single' | 'multiple' | 'integer' | 'decimal' | 'text' | 'date' | 'calculate';

/** One item of the definition, in interview order. */
export interface ItemEntry {
  readonly item: Item;
  readonly section: Section;
  readonly sectionIndex: number;
  /** Position in interview order (0-based over all items, calculations included). */
  readonly position: number;
  /** JSON path, e.g. `sections[2].items[4]`. */
  readonly path: string;
  /** Index of the item's node in `Questionnaire.nodes`. */
  readonly node: number;
  /** The item's choices, shared list resolved. */
  readonly choices: readonly Choice[] | undefined;
  /** Each choice's `relevant`, by the index of `choices`; absent when no choice has one. */
  readonly choiceRelevant?: readonly (Expr | undefined)[];
  readonly constraint: Expr | undefined;
  /** `true`/`false`, or an expression evaluated when needed. */
  readonly required: boolean | Expr;
  /** Node indices of a grid's rows. Empty for other items. */
  readonly rows: readonly number[];
}

/** A graph node: something with a relevance and a value that expressions may depend on. */
export interface GraphNode {
  readonly index: number;
  /** Item or row id; `section:<id>`, `alert:<id>`, `screenOut:<id>` for the others. */
  readonly key: string;
  readonly kind: 'section' | 'item' | 'row' | 'alert' | 'screenOut';
  /** Node whose relevance this one inherits (an item's section, a row's grid), or -1. */
  readonly parent: number;
  readonly relevant: Expr | undefined;
  /** The calculation of a `calculate` item, or the condition of an alert or screen-out. */
  readonly formula: Expr | undefined;
  /** The stored answer's shape, for items and rows that hold a value. */
  readonly variable: VariableKind | undefined;
  /** The item entry (for items and rows). */
  readonly entry: ItemEntry | undefined;
  readonly row: GridRow | undefined;
  /** Nodes whose relevance or value read this one. */
  readonly dependents: readonly number[];
  /** Position in `Questionnaire.order`. */
  readonly rank: number;
}

export interface Questionnaire {
  /** The definition, label packs merged. */
  readonly definition: Definition;
  readonly items: readonly ItemEntry[];
  readonly itemById: ReadonlyMap<string, ItemEntry>;
  readonly nodes: readonly GraphNode[];
  /** Node index of each item id and grid row id. */
  readonly nodeById: ReadonlyMap<string, number>;
  /** Node indices in an order where every node comes after what it depends on. */
  readonly order: readonly number[];
  readonly alerts: readonly { readonly alert: Alert; readonly node: number }[];
  readonly screenOuts: readonly { readonly screenOut: ScreenOut; readonly node: number }[];
}
