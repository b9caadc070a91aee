// Loads a quota plan from untrusted JSON and checks that it holds together: known variables and
// categories, every cell of a crossed table present once, allocations within the site's limits.
import { describeSchemaIssue } from '../questionnaire/internal.ts';
import type { QuotaPlan } from './schema.ts';
import { QuotaPlanSchema } from './schema.ts';

/** A value an issue names: a code, a count, a list of cells. */
export type IssueParam = string | number | readonly string[];

/** What a zod issue said (the plan's shape): its kind and bounds, for clients to word. */
export interface SchemaIssueParams {
  /** zod's issue code: `invalid_type`, `too_small`, `unrecognized_keys`... */
  readonly issue: string;
  /** The English words `describeSchemaIssue` gave (the issue's message). */
  readonly detail: string;
  readonly expected?: string;
  readonly minimum?: string;
  readonly maximum?: string;
  readonly origin?: string;
  /** Unknown keys, or the values (as JSON) and options allowed. */
  readonly names?: readonly string[];
}

/** Each issue code and the values its message names. */
export interface QuotaIssueParams {
  readonly schema: SchemaIssueParams;
  readonly variable_twice: { readonly variable: string };
  readonly categories_not_unique: { readonly variable: string };
  readonly not_a_category: { readonly code: string; readonly variable: string };
  readonly table_twice: { readonly table: string };
  readonly unknown_variable: { readonly variable: string };
  readonly not_a_cell: { readonly key: string; readonly variables: readonly string[] };
  readonly cell_twice: { readonly key: string };
  readonly missing_cells: { readonly cells: readonly string[] };
  readonly targets_sum: { readonly total: number; readonly size: number };
  readonly census_partial: { readonly cells: readonly string[] };
  readonly census_zero: { readonly table: string };
  readonly unknown_table: { readonly table: string };
  readonly allocation_not_a_cell: { readonly key: string; readonly table: string };
  readonly over_limit: {
    readonly table: string;
    readonly cell: string;
    readonly sum: number;
    readonly limit: number;
  };
}

export type QuotaIssueCode = keyof QuotaIssueParams;

/** The English message of each code (for API users, the command line and logs). */
const MESSAGES: { readonly [C in QuotaIssueCode]: (params: QuotaIssueParams[C]) => string } = {
  schema: (p) => p.detail,
  variable_twice: (p) => `variable "${p.variable}" is declared twice`,
  categories_not_unique: () => 'category codes must be unique',
  not_a_category: (p) => `"${p.code}" is not a category of ${p.variable}`,
  table_twice: (p) => `table "${p.table}" is declared twice`,
  unknown_variable: (p) => `unknown variable "${p.variable}"`,
  not_a_cell: (p) => `"${p.key}" is not a cell of ${p.variables.join(' x ')}`,
  cell_twice: (p) => `cell "${p.key}" appears twice`,
  missing_cells: (p) => `missing cells: ${p.cells.join(', ')} (give them a target, 0 if none)`,
  targets_sum: (p) => `targets add up to ${p.total}, not the sample size ${p.size}`,
  census_partial: (p) =>
    `census counts are given for some cells and not for ${p.cells.join(', ')} (give them on every cell or on none)`,
  census_zero: () => 'census counts add up to 0: no shares can be drawn from them',
  unknown_table: (p) => `unknown table "${p.table}"`,
  allocation_not_a_cell: (p) => `"${p.key}" is not a cell of ${p.table}`,
  over_limit: (p) =>
    `${p.table} cell ${p.cell}: interviewers are given ${p.sum} in all, more than the cell's limit ${p.limit}`,
};

/** Every code `loadQuotaPlan` may give, for clients that word each one. */
export const QUOTA_ISSUE_CODES = Object.keys(MESSAGES) as readonly QuotaIssueCode[];

/**
 * A problem of a plan: where (`path`), a machine `code` with the values it names (`params`), for
 * clients to word, and an English `message` a person can act on.
 */
export type QuotaIssue = {
  readonly [C in QuotaIssueCode]: {
    readonly path: string;
    readonly code: C;
    readonly params: QuotaIssueParams[C];
    readonly message: string;
  };
}[QuotaIssueCode];

/** An issue with its English message. */
export function quotaIssue<C extends QuotaIssueCode>(
  path: string,
  code: C,
  params: QuotaIssueParams[C],
): QuotaIssue {
  return { path, code, params, message: MESSAGES[code](params) } as QuotaIssue;
}

function schemaParams(issue: Parameters<typeof describeSchemaIssue>[0]): SchemaIssueParams {
  const text = (value: unknown) => (value === undefined ? undefined : String(value));
  const names =
    issue.keys ?? issue.values?.map((value) => JSON.stringify(value)) ?? issue.options?.map(String);
  const expected = text(issue.expected);
  const minimum = text(issue.minimum);
  const maximum = text(issue.maximum);
  return {
    issue: issue.code,
    detail: describeSchemaIssue(issue),
    ...(expected === undefined ? {} : { expected }),
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
    ...(issue.origin === undefined ? {} : { origin: issue.origin }),
    ...(names === undefined ? {} : { names }),
  };
}

export type QuotaPlanResult =
  | { readonly status: 'success'; readonly plan: QuotaPlan }
  | { readonly status: 'failure'; readonly issues: readonly QuotaIssue[] };

/** A cell's key as one string: category codes joined by `|` (`2|25-39`). */
export function cellKey(codes: readonly string[]): string {
  return codes.join('|');
}

/** How many completed interviews a cell takes, site-wide: its target plus the tolerance, rounded down. */
export function siteLimit(plan: QuotaPlan, target: number): number {
  return Math.floor(target * (1 + plan.tolerance) + 1e-9);
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (out, segment) =>
      typeof segment === 'number'
        ? `${out}[${segment}]`
        : out === ''
          ? String(segment)
          : `${out}.${String(segment)}`,
    '',
  );
}

/** Every combination of the variables' categories, in order. */
function combinations(categories: readonly (readonly string[])[]): string[][] {
  return categories.reduce<string[][]>(
    (acc, codes) => acc.flatMap((prefix) => codes.map((code) => [...prefix, code])),
    [[]],
  );
}

/** Validates a plan; never throws. */
export function loadQuotaPlan(input: unknown): QuotaPlanResult {
  const parsed = QuotaPlanSchema.safeParse(input);
  if (!parsed.success) {
    return {
      status: 'failure',
      issues: parsed.error.issues.map((issue) =>
        quotaIssue(pathOf(issue.path) || '(root)', 'schema', schemaParams(issue)),
      ),
    };
  }
  const plan = parsed.data;
  const issues: QuotaIssue[] = [];
  const variables = new Map(plan.variables.map((variable) => [variable.id, variable]));
  const seenVariables = new Set<string>();
  plan.variables.forEach((variable, v) => {
    if (seenVariables.has(variable.id))
      issues.push(quotaIssue(`variables[${v}].id`, 'variable_twice', { variable: variable.id }));
    seenVariables.add(variable.id);
    const codes = new Set(variable.categories.map((category) => category.code));
    if (codes.size !== variable.categories.length) {
      issues.push(
        quotaIssue(`variables[${v}].categories`, 'categories_not_unique', {
          variable: variable.id,
        }),
      );
    }
    const mapped =
      'map' in variable.source
        ? Object.values(variable.source.map ?? {})
        : 'bands' in variable.source
          ? variable.source.bands.map((band) => band.code)
          : [];
    for (const code of mapped) {
      if (!codes.has(code))
        issues.push(
          quotaIssue(`variables[${v}].source`, 'not_a_category', { code, variable: variable.id }),
        );
    }
  });
  const tables = new Map(plan.tables.map((table) => [table.id, table]));
  const seenTables = new Set<string>();
  plan.tables.forEach((table, t) => {
    // Counts are kept per table id: two tables with one id would count a respondent twice.
    if (seenTables.has(table.id))
      issues.push(quotaIssue(`tables[${t}].id`, 'table_twice', { table: table.id }));
    seenTables.add(table.id);
    const categories: string[][] = [];
    table.variables.forEach((id, i) => {
      const variable = variables.get(id);
      if (variable === undefined)
        issues.push(
          quotaIssue(`tables[${t}].variables[${i}]`, 'unknown_variable', { variable: id }),
        );
      else categories.push(variable.categories.map((category) => category.code));
    });
    if (categories.length !== table.variables.length) return;
    const expected = new Set(combinations(categories).map(cellKey));
    const seen = new Set<string>();
    table.cells.forEach((cell, c) => {
      const key = cellKey(cell.key);
      if (!expected.has(key)) {
        issues.push(
          quotaIssue(`tables[${t}].cells[${c}].key`, 'not_a_cell', {
            key,
            variables: table.variables,
          }),
        );
      } else if (seen.has(key)) {
        issues.push(quotaIssue(`tables[${t}].cells[${c}].key`, 'cell_twice', { key }));
      }
      seen.add(key);
    });
    const missing = [...expected].filter((key) => !seen.has(key));
    if (missing.length > 0) {
      issues.push(quotaIssue(`tables[${t}].cells`, 'missing_cells', { cells: missing }));
    }
    const total = table.cells.reduce((sum, cell) => sum + cell.target, 0);
    if (total !== plan.sampleSize) {
      issues.push(quotaIssue(`tables[${t}]`, 'targets_sum', { total, size: plan.sampleSize }));
    }
    // Census counts are the shares weights aim at: a table gives them all or none, and they
    // must describe someone.
    const withCensus = table.cells.filter((cell) => cell.census !== undefined).length;
    if (withCensus > 0 && withCensus < table.cells.length) {
      const without = table.cells
        .filter((cell) => cell.census === undefined)
        .map((cell) => cellKey(cell.key));
      issues.push(quotaIssue(`tables[${t}].cells`, 'census_partial', { cells: without }));
    } else if (
      withCensus > 0 &&
      table.cells.reduce((sum, cell) => sum + (cell.census ?? 0), 0) === 0
    ) {
      issues.push(quotaIssue(`tables[${t}].cells`, 'census_zero', { table: table.id }));
    }
  });
  // Allocations: for each cell, what all interviewers may do offline must fit in the site limit,
  // so that devices that cannot see each other can never overfill it together.
  const allocated = new Map<string, number>();
  (plan.allocations ?? []).forEach((allocation, a) => {
    for (const [tableId, cells] of Object.entries(allocation.targets)) {
      const table = tables.get(tableId);
      if (table === undefined) {
        issues.push(
          quotaIssue(`allocations[${a}].targets.${tableId}`, 'unknown_table', { table: tableId }),
        );
        continue;
      }
      const keys = new Set(table.cells.map((cell) => cellKey(cell.key)));
      for (const [key, count] of Object.entries(cells)) {
        if (!keys.has(key))
          issues.push(
            quotaIssue(`allocations[${a}].targets.${tableId}.${key}`, 'allocation_not_a_cell', {
              key,
              table: tableId,
            }),
          );
        allocated.set(`${tableId}/${key}`, (allocated.get(`${tableId}/${key}`) ?? 0) + count);
      }
    }
  });
  for (const table of plan.tables) {
    for (const cell of table.cells) {
      const sum = allocated.get(`${table.id}/${cellKey(cell.key)}`) ?? 0;
      if (sum > siteLimit(plan, cell.target)) {
        issues.push(
          quotaIssue('allocations', 'over_limit', {
            table: table.id,
            cell: cellKey(cell.key),
            sum,
            limit: siteLimit(plan, cell.target),
          }),
        );
      }
    }
  }
  return issues.length > 0 ? { status: 'failure', issues } : { status: 'success', plan };
}

/**
 * The plan as tablets receive it: without the census counts, which they never use and which app
 * versions older than the counts refuse (their plan schema is strict).
 */
export function withoutCensus(plan: QuotaPlan): QuotaPlan {
  return {
    ...plan,
    tables: plan.tables.map((table) => ({
      ...table,
      cells: table.cells.map(({ key, target }) => ({ key, target })),
    })),
  };
}
