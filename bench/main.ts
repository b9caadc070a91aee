// The benchmark itself, started compiled by bench/run.ts (`npm run bench [-- --only 1,4]`):
// measures every figure of issue #8 on this machine, prints the table (median, min and max over
// the runs, target, pass or MISS, and the machine), and, for a full run, writes
// bench/results.json and the results block of docs/performance.md. Builds what it needs (the app
// in dist/, or in SMPG_DIST, when stale; the engine page); installs nothing but Debian's Chromium,
// through scripts/ensure-chromium.sh.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { loadQuestionnaire } from '../src/core/questionnaire/index.ts';
import { demoPlan } from '../src/server/main.ts';
import {
  generateInterviews,
  newestDefinition,
  respondentPool,
} from '../scripts/generate-interviews.ts';
import { FIGURES } from './figures/index.ts';
import { buildApp, staleReason } from './lib/app-build.ts';
import { buildEnginePage, serveFolder } from './lib/browser.ts';
import type { BenchContext, Row, SiteRecords } from './lib/figure.ts';
import { describeMachine, machineLine } from './lib/machine.ts';
import type { Results, RowResult } from './lib/report.ts';
import { judge, notes, textTable, withResults } from './lib/report.ts';

/** The repository, and the folder of the compiled entries (set by bench/run.ts). */
const ROOT = process.env['SMPG_BENCH_ROOT'] ?? process.cwd();
const BUILD = process.env['SMPG_BENCH_BUILD'];
/** The built app: dist/, or a folder of one's own (SMPG_DIST, as the end-to-end tests read it). */
const DIST = resolve(process.env['SMPG_DIST'] ?? join(ROOT, 'dist'));
const RECORDS = 100_000;
/** The pause before each figure, once the disk is flushed. */
const SETTLE_MS = 3_000;
const SITE = 'bench';
/**
 * The SMPG version the figures measure and generate their records for: the newest, the one the
 * built app starts new interviews on, so that figures 3 and 4 answer it with these answers.
 */
const SMPG_FILE = newestDefinition(join(ROOT, 'questionnaires', 'smpg'));

const started = performance.now();
const log = (message: string): void => {
  const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${seconds} s] ${message}\n`);
};

/** Runs once, however many figures ask. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

function createContext(cleanups: (() => Promise<void> | void)[]): BenchContext {
  return {
    root: ROOT,
    log,
    compiled: (name) => {
      if (BUILD === undefined) throw new Error('run the bench with npm run bench (bench/run.ts)');
      return join(BUILD, `${name}.mjs`);
    },
    onExit: (cleanup) => void cleanups.push(cleanup),
    builtApp: once(async () => {
      const reason = staleReason(ROOT, DIST);
      if (reason !== undefined) {
        log(`building the app into ${DIST} (${reason})...`);
        await buildApp(ROOT, DIST);
      }
      return DIST;
    }),
    enginePage: once(async () => {
      log('bundling the engine page (bench/browser)...');
      const page = await buildEnginePage(ROOT, {
        'smpg.json': readFileSync(SMPG_FILE, 'utf8'),
      });
      const served = await serveFolder(page.path);
      cleanups.push(async () => {
        await served.close();
        page.remove();
      });
      return served.url;
    }),
    siteRecords: once((): Promise<SiteRecords> => {
      log(
        `generating ${RECORDS.toLocaleString('en-GB')} interviews of ${relative(ROOT, SMPG_FILE)} (npm run generate:interviews)...`,
      );
      const definitionText = readFileSync(SMPG_FILE, 'utf8');
      const loaded = loadQuestionnaire(JSON.parse(definitionText) as unknown);
      if (loaded.status === 'failure') throw new Error('the SMPG definition does not load');
      const options = {
        questionnaire: loaded.questionnaire,
        site: SITE,
        count: RECORDS,
        plan: demoPlan(SITE),
        seed: 1,
      };
      const pool = respondentPool(options);
      const records = [...generateInterviews(options, pool)];
      return Promise.resolve({
        site: SITE,
        questionnaire: loaded.questionnaire,
        definitionText,
        plan: options.plan,
        pool,
        records,
      });
    }),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only?.split(',').map((n) => Number(n.trim()));
  const figures = FIGURES.filter((figure) => only === undefined || only.includes(figure.number));
  if (figures.length === 0) throw new Error(`no figure ${values.only ?? ''}`);

  execFileSync('bash', [join(ROOT, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
  const machine = describeMachine();
  log(`machine: ${machineLine(machine)}`);
  const cleanups: (() => Promise<void> | void)[] = [];
  const context = createContext(cleanups);
  const rows: RowResult[] = [];
  let failed = false;
  try {
    for (const figure of figures) {
      // What the figure before wrote (an export, a browser profile, a database) is flushed to the
      // disk and its processes are gone before this one starts: the kernel's write-back would
      // otherwise run during this figure's timings (figure 7's fsyncs wait behind it).
      execFileSync('sync');
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      log(`figure ${figure.number}: ${figure.title}`);
      let measured: Row[];
      try {
        measured = await figure.run(context);
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`figure ${figure.number} failed: ${message}`);
        measured = [
          {
            figure: figure.number,
            measure: figure.title,
            unit: 'ms',
            runs: [],
            note: `failed: ${message.split('\n')[0] ?? ''}`,
          },
        ];
      }
      rows.push(...measured.map(judge));
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }

  const results: Results = {
    ranAt: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - started) / 1000),
    rerun: 'npm run bench',
    machine,
    loadAverageAtEnd: loadavg().map((load) => Math.round(load * 100) / 100),
    rows,
  };
  const misses = rows.filter((row) => row.status === 'MISS');
  const broken = rows.filter((row) => row.status === 'failed');
  process.stdout.write(
    [
      '',
      `npm run bench: ${machineLine(machine)}; at the end ${results.loadAverageAtEnd.join(' / ')}`,
      '',
      textTable(rows),
      '',
      ...notes(rows).map((note) => `- ${note}`),
      '',
      broken.length > 0
        ? `Figures that failed to run: ${[...new Set(broken.map((row) => row.figure))].join(', ')}.`
        : '',
      misses.length === 0
        ? broken.length === 0
          ? 'Every measured target is met.'
          : 'Every target measured is met.'
        : `Targets missed: ${misses.map((row) => `${row.figure} ${row.measure.trim()}`).join('; ')}.`,
      '',
    ].join('\n'),
  );

  if (only === undefined) {
    const resultsFile = join(ROOT, 'bench', 'results.json');
    // Formatted as `npm run format` would, so that the format check passes on the committed files.
    const style = (await resolveConfig(resultsFile)) ?? {};
    writeFileSync(
      resultsFile,
      await format(JSON.stringify(results), { ...style, filepath: resultsFile }),
    );
    const docFile = join(ROOT, 'docs', 'performance.md');
    const doc = withResults(readFileSync(docFile, 'utf8'), results);
    if (doc === undefined) log('docs/performance.md has no results markers: not updated');
    else {
      // Prose wrapped at the print width, as the rest of docs/ is.
      const text = await format(doc, { ...style, proseWrap: 'always', filepath: docFile });
      writeFileSync(docFile, text);
    }
    log('wrote bench/results.json and the results of docs/performance.md');
  } else {
    log('--only: nothing written (bench/results.json and docs/performance.md hold full runs only)');
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `npm run bench failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
