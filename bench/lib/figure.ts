// What a figure of `npm run bench` is (a number, a title, rows of measurements with targets) and
// what every figure gets to work with. Adding a figure: one file in bench/figures exporting a
// `Figure`, and one line in bench/figures/index.ts.
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type { Questionnaire } from '../../src/core/questionnaire/index.ts';
import type { QuotaPlan } from '../../src/core/quota/index.ts';
import type { GeneratedRespondent } from '../../scripts/generate-interviews.ts';

export type Unit = 'ms' | 'KB' | 'MB' | 'records/s' | 'x';

/** A target the median must meet: `value op target`. */
export interface Target {
  readonly op: '<' | '<=' | '>=';
  readonly value: number;
}

export interface Row {
  readonly figure: number;
  /** What is measured, e.g. "SMPG definition, Node". */
  readonly measure: string;
  readonly unit: Unit;
  /** One value per run; empty when nothing was measured. */
  readonly runs: readonly number[];
  /** Absent: shown for information, judged against nothing. */
  readonly target?: Target;
  /** How it was measured or what it means, printed under the table. */
  readonly note?: string;
  /** Why nothing was measured (with empty runs). */
  readonly notMeasured?: string;
}

export interface Figure {
  readonly number: number;
  readonly title: string;
  run(context: BenchContext): Promise<Row[]>;
}

/** 100,000 generated interviews of one site, as its tablets would upload them. */
export interface SiteRecords {
  readonly site: string;
  readonly questionnaire: Questionnaire;
  /** The SMPG definition file's text. */
  readonly definitionText: string;
  readonly plan: QuotaPlan;
  readonly pool: readonly GeneratedRespondent[];
  readonly records: readonly InterviewRecordWire[];
}

export interface BenchContext {
  /** The repository (the worktree the bench runs in). */
  readonly root: string;
  /** Progress, on stderr. */
  log(message: string): void;
  /** A compiled entry of bench/ (`bench/<name>.ts` built by bench/run.ts), to run with Node. */
  compiled(
    name:
      | 'ready-child'
      | 'check-child'
      | 'export-server-child'
      | 'ingest-server-child'
      | 'bare-ingest-server-child',
  ): string;
  /** The built app's folder (dist/ or SMPG_DIST), built when missing or stale. */
  builtApp(): Promise<string>;
  /** URL of the served engine page of figures 1 and 2 (bench/browser), bundled once. */
  enginePage(): Promise<string>;
  /** The site's 100,000 generated records (made once per bench run). */
  siteRecords(): Promise<SiteRecords>;
  /** Runs when the bench ends, whatever happened. */
  onExit(cleanup: () => Promise<void> | void): void;
}
