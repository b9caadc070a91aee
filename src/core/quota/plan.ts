// Loads a quota plan from untrusted JSON and checks that it holds together: known variables and
// categories, every cell of a crossed table present once, allocations within the site's limits.
import { describeSchemaIssue } from '../questionnaire/internal.ts';
import type { QuotaPlan } from './schema.ts';
import { QuotaPlanSchema } from './schema.ts';

export interface QuotaIssue {
  readonly path: string;
  readonly message: string;
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
      issues: parsed.error.issues.map((issue) => ({
        path: pathOf(issue.path) || '(root)',
        message: describeSchemaIssue(issue),
      })),
    };
  }
  const plan = parsed.data;
  const issues: QuotaIssue[] = [];
  const variables = new Map(plan.variables.map((variable) => [variable.id, variable]));
  const seenVariables = new Set<string>();
  plan.variables.forEach((variable, v) => {
    if (seenVariables.has(variable.id))
      issues.push({
        path: `variables[${v}].id`,
        message: `variable "${variable.id}" is declared twice`,
      });
    seenVariables.add(variable.id);
    const codes = new Set(variable.categories.map((category) => category.code));
    if (codes.size !== variable.categories.length) {
      issues.push({ path: `variables[${v}].categories`, message: 'category codes must be unique' });
    }
    const mapped =
      'map' in variable.source
        ? Object.values(variable.source.map ?? {})
        : 'bands' in variable.source
          ? variable.source.bands.map((band) => band.code)
          : [];
    for (const code of mapped) {
      if (!codes.has(code))
        issues.push({
          path: `variables[${v}].source`,
          message: `"${code}" is not a category of ${variable.id}`,
        });
    }
  });
  const tables = new Map(plan.tables.map((table) => [table.id, table]));
  const seenTables = new Set<string>();
  plan.tables.forEach((table, t) => {
    // Counts are kept per table id: two tables with one id would count a respondent twice.
    if (seenTables.has(table.id))
      issues.push({ path: `tables[${t}].id`, message: `table "${table.id}" is declared twice` });
    seenTables.add(table.id);
    const categories: string[][] = [];
    table.variables.forEach((id, i) => {
      const variable = variables.get(id);
      if (variable === undefined)
        issues.push({ path: `tables[${t}].variables[${i}]`, message: `unknown variable "${id}"` });
      else categories.push(variable.categories.map((category) => category.code));
    });
    if (categories.length !== table.variables.length) return;
    const expected = new Set(combinations(categories).map(cellKey));
    const seen = new Set<string>();
    table.cells.forEach((cell, c) => {
      const key = cellKey(cell.key);
      if (!expected.has(key)) {
        issues.push({
          path: `tables[${t}].cells[${c}].key`,
          message: `"${key}" is not a cell of ${table.variables.join(' x ')}`,
        });
      } else if (seen.has(key)) {
        issues.push({
          path: `tables[${t}].cells[${c}].key`,
          message: `cell "${key}" appears twice`,
        });
      }
      seen.add(key);
    });
    const missing = [...expected].filter((key) => !seen.has(key));
    if (missing.length > 0) {
      issues.push({
        path: `tables[${t}].cells`,
        message: `missing cells: ${missing.join(', ')} (give them a target, 0 if none)`,
      });
    }
    const total = table.cells.reduce((sum, cell) => sum + cell.target, 0);
    if (total !== plan.sampleSize) {
      issues.push({
        path: `tables[${t}]`,
        message: `targets add up to ${total}, not the sample size ${plan.sampleSize}`,
      });
    }
    // Census counts are the shares weights aim at: a table gives them all or none, and they
    // must describe someone.
    const withCensus = table.cells.filter((cell) => cell.census !== undefined).length;
    if (withCensus > 0 && withCensus < table.cells.length) {
      const without = table.cells
        .filter((cell) => cell.census === undefined)
        .map((cell) => cellKey(cell.key));
      issues.push({
        path: `tables[${t}].cells`,
        message: `census counts are given for some cells and not for ${without.join(', ')} (give them on every cell or on none)`,
      });
    } else if (
      withCensus > 0 &&
      table.cells.reduce((sum, cell) => sum + (cell.census ?? 0), 0) === 0
    ) {
      issues.push({
        path: `tables[${t}].cells`,
        message: 'census counts add up to 0: no shares can be drawn from them',
      });
    }
  });
  // Allocations: for each cell, what all interviewers may do offline must fit in the site limit,
  // so that devices that cannot see each other can never overfill it together.
  const allocated = new Map<string, number>();
  (plan.allocations ?? []).forEach((allocation, a) => {
    for (const [tableId, cells] of Object.entries(allocation.targets)) {
      const table = tables.get(tableId);
      if (table === undefined) {
        issues.push({
          path: `allocations[${a}].targets.${tableId}`,
          message: `unknown table "${tableId}"`,
        });
        continue;
      }
      const keys = new Set(table.cells.map((cell) => cellKey(cell.key)));
      for (const [key, count] of Object.entries(cells)) {
        if (!keys.has(key))
          issues.push({
            path: `allocations[${a}].targets.${tableId}.${key}`,
            message: `"${key}" is not a cell of ${tableId}`,
          });
        allocated.set(`${tableId}/${key}`, (allocated.get(`${tableId}/${key}`) ?? 0) + count);
      }
    }
  });
  for (const table of plan.tables) {
    for (const cell of table.cells) {
      const sum = allocated.get(`${table.id}/${cellKey(cell.key)}`) ?? 0;
      if (sum > siteLimit(plan, cell.target)) {
        issues.push({
          path: `allocations`,
          message: `${table.id} cell ${cellKey(cell.key)}: interviewers are given ${sum} in all, more than the cell's limit ${siteLimit(plan, cell.target)}`,
        });
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
