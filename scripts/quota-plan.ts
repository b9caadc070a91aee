// `npm run quota:plan -- --census <file.csv> [--census <file.csv>] [--diploma <file.csv>]
// [--zone 97302,97307] --size 900 --site <id> [--bands 18-29,30-44,45-59,60-74,75+]
// [--tolerance 0.05] [--interviewers A,B,C] [--questionnaire smpg] [--out plan.json]`:
// a site's quota plan from census files as INSEE publishes them (src/core/quota reads them);
// every cell keeps its census count beside its target, for the export's weights.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CensusIssue, CensusPlanPreview } from '../src/core/quota/census-files.ts';
import { planFromCensusFiles } from '../src/core/quota/census-files.ts';

export const DEFAULT_BANDS = '18-24,25-39,40-54,55-64,65+';

const USAGE = `usage: npm run quota:plan -- --census <file.csv> [--census <file.csv>] [--diploma <file.csv>]
  [--zone <commune or IRIS codes>] --size <n> --site <id> [--bands ${DEFAULT_BANDS}]
  [--tolerance 0.05] [--interviewers A,B] [--questionnaire smpg] [--out <plan.json>]`;

/** A call the command cannot run (exit 2). */
export class UsageError extends Error {}

/** Census files with errors: no plan (exit 1). `lines` are the issues, then the tables. */
export class PlanRefused extends Error {
  constructor(
    readonly issues: readonly string[],
    readonly tables: string,
  ) {
    super(issues.join('\n'));
  }
}

/** `file:line:column: error: message`, as compilers print them (editors jump to the place). */
export function formatIssue(issue: CensusIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.severity}: ${issue.message}`;
}

/** Every table's cells, aligned: what the coordinator checks before sending the plan. */
export function formatTables(tables: CensusPlanPreview['tables']): string {
  const number = (value: number) =>
    value.toLocaleString('en-US', { maximumFractionDigits: 1, useGrouping: false });
  return tables
    .map((table) => {
      const rows = table.cells.map((cell) => [
        cell.labels.join(' x '),
        number(cell.census),
        `${(cell.share * 100).toFixed(2)} %`,
        String(cell.target),
      ]);
      const head = [table.variables.join(' x '), 'census', 'share', 'target'];
      const widths = head.map((title, i) =>
        Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
      );
      const line = (row: readonly string[]) =>
        row
          .map((value, i) =>
            i === 0 ? value.padEnd(widths[i] ?? 0) : value.padStart(widths[i] ?? 0),
          )
          .join('  ');
      const total = table.cells.reduce((sum, cell) => sum + cell.target, 0);
      return [`table ${table.id}`, line(head), ...rows.map(line), `total target ${total}`].join(
        '\n',
      );
    })
    .join('\n\n');
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        census: { type: 'string', multiple: true },
        diploma: { type: 'string', multiple: true },
        zone: { type: 'string', default: '' },
        size: { type: 'string' },
        site: { type: 'string' },
        out: { type: 'string' },
        tolerance: { type: 'string', default: '0.05' },
        bands: { type: 'string', default: DEFAULT_BANDS },
        interviewers: { type: 'string' },
        questionnaire: { type: 'string', default: 'smpg' },
      },
      strict: true,
    });
  } catch (error) {
    // An unknown or incomplete option is a usage error too (exit 2), not a crash.
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * Runs the command: the plan's JSON and the report to print (warnings, then every table).
 * Throws UsageError for a bad call, PlanRefused when the census files have errors.
 */
export function run(argv: readonly string[]): {
  json: string;
  out: string | undefined;
  report: string;
} {
  const { values } = parse(argv);
  const census = values.census ?? [];
  if (census.length === 0 || values.size === undefined || values.site === undefined)
    throw new UsageError(USAGE);
  const size = Number(values.size);
  if (!Number.isInteger(size) || size <= 0)
    throw new UsageError(`--size must be a positive whole number, not "${values.size}"`);
  const tolerance = Number(values.tolerance);
  if (!(tolerance >= 0 && tolerance <= 1))
    throw new UsageError(
      `--tolerance must be between 0 and 1 (0.05 = +5 %), not "${values.tolerance}"`,
    );
  const files = [...census, ...(values.diploma ?? [])].map((name) => {
    try {
      return { name, text: readFileSync(name, 'utf8') };
    } catch (error) {
      throw new UsageError(`cannot read ${name}: ${(error as Error).message}`);
    }
  });
  const preview = planFromCensusFiles({
    files,
    zone: list(values.zone),
    bands: values.bands,
    size,
    tolerance,
    site: values.site,
    questionnaire: values.questionnaire,
    interviewers: list(values.interviewers),
  });
  const issues = preview.issues.map(formatIssue);
  const tables = formatTables(preview.tables);
  if (preview.plan === undefined) throw new PlanRefused(issues, tables);
  return {
    json: `${JSON.stringify(preview.plan, null, 2)}\n`,
    out: values.out,
    report: [issues.join('\n'), tables].filter((part) => part !== '').join('\n\n'),
  };
}

if (process.argv[1]?.endsWith('quota-plan.ts')) {
  try {
    const { json, out, report } = run(process.argv.slice(2));
    process.stderr.write(`${report}\n`);
    if (out === undefined) process.stdout.write(json);
    else {
      writeFileSync(out, json);
      process.stderr.write(`plan written to ${out}\n`);
    }
  } catch (error) {
    if (error instanceof PlanRefused) {
      const errors = error.issues.filter((line) => line.includes(': error: ')).length;
      process.stderr.write(
        `${[error.message, error.tables].filter((part) => part !== '').join('\n\n')}\n` +
          `no plan written: ${errors} error${errors === 1 ? '' : 's'}\n`,
      );
      process.exitCode = 1;
    } else {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    }
  }
}
