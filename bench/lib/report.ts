// Turns rows of measurements into the printed table, bench/results.json and the results block of
// docs/performance.md. A target is judged on the median of the runs, never relaxed.
import type { Machine } from './machine.ts';
import { machineLine } from './machine.ts';
import type { Row, Target, Unit } from './figure.ts';
import { summary } from './stats.ts';

export type Status = 'pass' | 'MISS' | 'info' | 'not measured' | 'failed';

export interface RowResult {
  readonly figure: number;
  readonly measure: string;
  readonly unit: Unit;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly runs: readonly number[];
  readonly target: string | null;
  readonly status: Status;
  readonly note?: string;
}

export interface Results {
  readonly ranAt: string;
  readonly durationSeconds: number;
  readonly rerun: string;
  readonly machine: Machine;
  /** Load averages when the bench ended (the machine's are those at its start). */
  readonly loadAverageAtEnd: readonly number[];
  readonly rows: readonly RowResult[];
}

const OPS: Readonly<Record<Target['op'], (value: number, target: number) => boolean>> = {
  '<': (value, target) => value < target,
  '<=': (value, target) => value <= target,
  '>=': (value, target) => value >= target,
};

/** A number as the table shows it: 3 significant digits, thousands grouped. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || Number.isNaN(value)) return '-';
  const digits =
    Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return unit === 'x' ? `${text}x` : `${text} ${unit}`;
}

export function formatTarget(target: Target | undefined, unit: Unit): string | null {
  if (target === undefined) return null;
  const value = target.value.toLocaleString('en-GB');
  return `${target.op} ${unit === 'x' ? `${value}x` : `${value} ${unit}`}`;
}

const round = (value: number): number =>
  Number.isFinite(value) ? Number(value.toPrecision(6)) : value;

export function judge(row: Row): RowResult {
  const values = row.runs.filter((value) => Number.isFinite(value));
  const { median, min, max } = summary(values);
  const status: Status =
    row.notMeasured !== undefined
      ? 'not measured'
      : values.length === 0
        ? 'failed'
        : row.target === undefined
          ? 'info'
          : OPS[row.target.op](median, row.target.value)
            ? 'pass'
            : 'MISS';
  return {
    figure: row.figure,
    measure: row.measure,
    unit: row.unit,
    median: values.length === 0 ? null : round(median),
    min: values.length === 0 ? null : round(min),
    max: values.length === 0 ? null : round(max),
    runs: values.map(round),
    target: formatTarget(row.target, row.unit),
    status,
    ...(row.notMeasured !== undefined
      ? { note: row.notMeasured }
      : row.note === undefined
        ? {}
        : { note: row.note }),
  };
}

function cells(row: RowResult): string[] {
  if (row.status === 'not measured')
    return [String(row.figure), row.measure, row.note ?? 'not measured yet', '', '', '', '', ''];
  return [
    String(row.figure),
    row.measure,
    formatValue(row.median, row.unit),
    formatValue(row.min, row.unit),
    formatValue(row.max, row.unit),
    String(row.runs.length),
    row.target ?? '',
    row.status,
  ];
}

const HEADER = ['Fig.', 'Measure', 'Median', 'Min', 'Max', 'Runs', 'Target', 'Result'];

/** The table for the terminal, columns aligned, numbers right-aligned. */
export function textTable(rows: readonly RowResult[]): string {
  const measured = rows.filter((row) => row.status !== 'not measured').map(cells);
  const all = [HEADER, ...rows.map(cells)];
  // A row not measured prints its reason across the value columns, which it does not widen.
  const widths = HEADER.map((_, column) =>
    Math.max(
      ...(column < 2 ? all : [HEADER, ...measured]).map((line) => (line[column] ?? '').length),
    ),
  );
  const numeric = new Set([2, 3, 4, 5]);
  const format = (line: readonly string[], row?: RowResult) =>
    (row?.status === 'not measured'
      ? [line[0] ?? '', line[1] ?? '', line[2] ?? ''].map((cell, column) =>
          column < 2 ? cell.padEnd(widths[column] ?? 0) : cell,
        )
      : line.map((cell, column) =>
          numeric.has(column) && row !== undefined
            ? cell.padStart(widths[column] ?? 0)
            : cell.padEnd(widths[column] ?? 0),
        )
    )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [format(HEADER), rule, ...rows.map((row) => format(cells(row), row))].join('\n');
}

/** Notes numbered by row, for under either table. */
export function notes(rows: readonly RowResult[]): string[] {
  return rows
    .filter((row) => row.note !== undefined && row.status !== 'not measured')
    .map((row) => `Fig. ${row.figure}, ${row.measure}: ${row.note ?? ''}`);
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

/** The results block of docs/performance.md: machine, date, table and notes, as Markdown. */
export function markdownResults(results: Results): string {
  const rows = results.rows.map((row) => `| ${cells(row).map(escapeCell).join(' | ')} |`);
  return [
    `Last run: ${results.ranAt.slice(0, 10)}, ${Math.round(results.durationSeconds)} s, on ${machineLine(results.machine)}, at the end ${results.loadAverageAtEnd.join(' / ')}.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((_, i) => (i >= 2 && i <= 5 ? '---:' : '---')).join(' | ')} |`,
    ...rows,
    '',
    ...notes(results.rows).map((note) => `- ${note}`),
  ].join('\n');
}

export const RESULTS_START = '<!-- bench:results:start (written by npm run bench) -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** The document with its results block replaced; undefined when the markers are missing. */
export function withResults(doc: string, results: Results): string | undefined {
  const start = doc.indexOf(RESULTS_START);
  const end = doc.indexOf(RESULTS_END);
  if (start < 0 || end < start) return undefined;
  return `${doc.slice(0, start + RESULTS_START.length)}\n\n${markdownResults(results)}\n\n${doc.slice(end)}`;
}
