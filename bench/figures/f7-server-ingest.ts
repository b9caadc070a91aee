// Figure 7: the real server ingesting 100,000 generated records over HTTP on 127.0.0.1, in batches
// of 500, as one enrolled tablet uploads them (token from a real enrolment), on SQLite (a temporary
// file) and on PostgreSQL (a throwaway cluster, tests/helpers/postgres.ts); then the same upload
// again, which must come back all duplicates, no slower. A fresh database for every run, and the
// server in a process of its own (bench/ingest-server-child.ts, compiled as `npm start` runs it):
// its heap holds what a server's holds, not the benchmark's 100,000 generated records.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { UploadResponse } from '../../src/core/protocol/index.ts';
import { MAX_BATCH_RECORDS } from '../../src/core/protocol/index.ts';
import { createUser } from '../../src/server/app.ts';
import { checkThreads } from '../../src/server/main.ts';
import type { StoreConfig } from '../../src/server/store/index.ts';
import { openStore } from '../../src/server/store/index.ts';
import { freshDatabase, startPostgres } from '../../tests/helpers/postgres.ts';
import type { BenchContext, Figure, Row, SiteRecords } from '../lib/figure.ts';
import { callJson, startServerChild } from '../lib/server-child.ts';
import { newestDefinition } from '../../scripts/generate-interviews.ts';

/**
 * Runs per store: more while they fit in RUN_BUDGET_MS, up to MAX_RUNS. A run is two uploads of
 * 100,000 records: about 20 s at the targets' pace (5 runs), but minutes at a pace far below
 * them, when one run fills the budget (the whole bench must stay near ten minutes).
 */
const MAX_RUNS = 5;
const RUN_BUDGET_MS = 150_000;
const AT = '2026-06-01T08:00:00.000Z';
const exec = promisify(execFile);

/** Runs once, then again while the next run is likely to end within the budget. */
async function repeat<T>(once: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const start = performance.now();
  while (results.length < MAX_RUNS) {
    const before = performance.now();
    results.push(await once());
    const last = performance.now() - before;
    if (performance.now() - start + last > RUN_BUDGET_MS) break;
  }
  return results;
}

interface Pass {
  readonly recordsPerSecond: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** The first reason the server gave for a record it did not accept. */
  readonly firstProblem?: string;
}

/** A server the bodies go to: its API's base URL and the bearer token it takes. */
interface Target {
  readonly api: string;
  readonly token: string;
}

/**
 * Sends every body in turn as one tablet does, to each target one after the other (body 1 to the
 * first, then to the second, body 2...), timing each target's requests apart: alternated so that
 * both see the same moments of a machine whose pace swings. Counts the statuses each answers.
 */
async function uploadAll(
  targets: readonly Target[],
  bodies: readonly Uint8Array<ArrayBuffer>[],
): Promise<Pass[]> {
  const tallies = targets.map(() => ({
    statuses: {} as Record<string, number>,
    firstProblem: undefined as string | undefined,
    count: 0,
    ms: 0,
  }));
  for (const body of bodies) {
    for (const [index, { api, token }] of targets.entries()) {
      const tally = tallies[index];
      if (tally === undefined) continue;
      const start = performance.now();
      const response = await fetch(`${api}/records`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
      const { results } = (await response.json()) as UploadResponse;
      tally.ms += performance.now() - start;
      for (const result of results) {
        tally.count++;
        tally.statuses[result.status] = (tally.statuses[result.status] ?? 0) + 1;
        if (tally.firstProblem === undefined && result.reason !== undefined)
          tally.firstProblem = `${result.id}: ${result.reason}`;
      }
    }
  }
  return tallies.map(({ statuses, firstProblem, count, ms }) => ({
    recordsPerSecond: count / (ms / 1000),
    statuses,
    ...(firstProblem ? { firstProblem } : {}),
  }));
}

/** A run: the first upload, the same again, and the bare server's pace alongside the first. */
interface Run {
  readonly first: Pass;
  readonly again: Pass;
  readonly bare?: number;
}

/**
 * The bare server (bench/bare-ingest-server-child.ts) on a SQLite `file` of its own, for as long as
 * `work` uses it: the least the machine allows with the same bodies, in the same moments.
 */
async function bareAlongside<T>(
  context: BenchContext,
  file: string,
  work: (target: Target) => Promise<T>,
): Promise<T> {
  const token = 'bare-benchmark-token';
  const server = await startServerChild(
    context.root,
    context.compiled('bare-ingest-server-child'),
    [file, token],
  );
  try {
    return await work({ api: `${server.base}/api/v1`, token });
  } finally {
    await server.stop();
  }
}

/**
 * One run on a fresh store: the site and its coordinator made here, then the real server started
 * on the same store in its own process, enrolment, the upload, the upload again.
 */
async function ingest(
  context: BenchContext,
  config: StoreConfig,
  data: SiteRecords,
  bodies: readonly Uint8Array<ArrayBuffer>[],
  bareFile?: string,
): Promise<Run> {
  const store = await openStore(config);
  try {
    await store.createSite({
      id: data.site,
      name: 'Benchmark site',
      plan: data.plan,
      shortInterviewSeconds: 600,
      createdAt: AT,
    });
    await createUser(store, 'bench', 'bench-password', { admin: true, grants: [] }, AT);
  } finally {
    await store.close();
  }
  const server = await startServerChild(context.root, context.compiled('ingest-server-child'), [
    JSON.stringify(config),
  ]);
  const api = `${server.base}/api/v1`;
  try {
    const { token: session } = await callJson<{ token: string }>(`${api}/auth/login`, undefined, {
      username: 'bench',
      password: 'bench-password',
    });
    await callJson(`${api}/questionnaires`, session, {
      definition: JSON.parse(data.definitionText) as unknown,
      labelPacks: [],
    });
    const { code } = await callJson<{ code: string }>(
      `${api}/sites/${data.site}/enrolment-codes`,
      session,
      {},
    );
    const { token } = await callJson<{ token: string }>(`${api}/devices/enrol`, undefined, {
      code,
      label: 'benchmark tablet',
    });
    const ours: Target = { api, token };
    // The first upload alternated with the bare server's, when there is one.
    const [first, bare] =
      bareFile === undefined
        ? await uploadAll([ours], bodies)
        : await bareAlongside(context, bareFile, (target) => uploadAll([ours, target], bodies));
    if (first === undefined) throw new Error('no upload made');
    if (bare !== undefined && bare.statuses['accepted'] !== data.records.length)
      throw new Error(`bare server: ${JSON.stringify(bare.statuses)}, all should be accepted`);
    if (first.statuses['accepted'] !== data.records.length)
      throw new Error(
        `first upload: ${JSON.stringify(first.statuses)}, all should be accepted (${first.firstProblem ?? ''})`,
      );
    const [again] = await uploadAll([ours], bodies);
    if (again?.statuses['duplicate'] !== data.records.length)
      throw new Error(
        `second upload: ${JSON.stringify(again?.statuses)}, all should be duplicates (${again?.firstProblem ?? ''})`,
      );
    return { first, again, ...(bare === undefined ? {} : { bare: bare.recordsPerSecond }) };
  } finally {
    await server.stop();
  }
}

function rowsFor(name: string, target: number, runs: readonly Run[], note?: string): Row[] {
  return [
    {
      figure: 7,
      measure: `${name}: upload`,
      unit: 'records/s',
      runs: runs.map((run) => run.first.recordsPerSecond),
      target: { op: '>=', value: target },
      ...(note === undefined ? {} : { note }),
    },
    {
      figure: 7,
      measure: `${name}: same upload again (all duplicates)`,
      unit: 'records/s',
      runs: runs.map((run) => run.again.recordsPerSecond),
    },
    {
      figure: 7,
      measure: `${name}: again / first (no slower)`,
      unit: 'x',
      runs: runs.map((run) => run.again.recordsPerSecond / run.first.recordsPerSecond),
      target: { op: '>=', value: 1 },
    },
  ];
}

export const serverIngest: Figure = {
  number: 7,
  title: 'Server ingest over HTTP, batches of 500',
  async run(context) {
    const data = await context.siteRecords();
    // The bodies are made before the timing, as UTF-8 (as a tablet has them once written): the
    // client shares the server's cores, and encoding them is the client's work.
    const encoder = new TextEncoder();
    const bodies: Uint8Array<ArrayBuffer>[] = [];
    for (let start = 0; start < data.records.length; start += MAX_BATCH_RECORDS) {
      const batch = data.records.slice(start, start + MAX_BATCH_RECORDS);
      const pending = data.records.length - start - batch.length;
      bodies.push(encoder.encode(JSON.stringify({ records: batch, pending })));
    }
    const megabytes = bodies.reduce((sum, body) => sum + body.byteLength, 0) / 1024 ** 2;

    const sqlite = await repeat(async () => {
      const folder = mkdtempSync(join(tmpdir(), 'smpg-bench-sqlite-'));
      const file = join(folder, 'bench.sqlite');
      try {
        const bareFile = join(folder, 'bare.sqlite');
        const result = await ingest(context, { sqlitePath: file }, data, bodies, bareFile);
        const bare = result.bare ?? Number.NaN;
        context.log(
          `  SQLite: ${Math.round(result.first.recordsPerSecond)} records/s, ` +
            `bare server ${Math.round(bare)} (${(result.first.recordsPerSecond / bare).toFixed(2)}x)`,
        );
        return { ...result, bare };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    let postgres: Run[] = [];
    let postgresProblem: string | undefined;
    try {
      const server = await startPostgres();
      try {
        postgres = await repeat(async () => {
          const databaseUrl = await freshDatabase(server);
          const result = await ingest(context, { databaseUrl }, data, bodies);
          context.log(`  PostgreSQL: ${Math.round(result.first.recordsPerSecond)} records/s`);
          return result;
        });
      } finally {
        await server.stop();
      }
    } catch (error) {
      postgresProblem = error instanceof Error ? error.message : String(error);
      context.log(`  PostgreSQL: ${postgresProblem}`);
    }

    // The server's own work per record, compiled (as the bench and `npm start` run it) and under tsx.
    // The version the uploaded records are of (bench/main.ts: the newest, the one the app starts).
    const definition = newestDefinition(join(context.root, 'questionnaires', 'smpg'));
    const checks = async (args: string[]) => {
      const { stdout } = await exec(process.execPath, args, { cwd: context.root });
      return (JSON.parse(stdout) as { ms: number[] }).ms;
    };
    const compiledChecks = await checks([context.compiled('check-child'), definition]);
    const tsxChecks = await checks([
      '--import',
      'tsx',
      join(context.root, 'bench', 'check-child.ts'),
      definition,
    ]);

    const common =
      `${data.records.length.toLocaleString('en-GB')} records (${megabytes.toFixed(0)} MB of JSON) in ` +
      `${bodies.length} sequential uploads by one enrolled device; the server (compiled) in its own Node process, ` +
      `the client in the benchmark's (the bodies made and encoded before the timing), ` +
      `records checked in ${checkThreads()} worker threads as \`npm start\` checks them (CHECK_THREADS)`;
    return [
      ...rowsFor(
        'SQLite',
        10_000,
        sqlite,
        `${common}; SQLite: a temporary file (WAL, synchronous FULL)`,
      ),
      {
        figure: 7,
        measure: 'SQLite: the bare server (same bodies, same run)',
        unit: 'records/s',
        runs: sqlite.map((run) => run.bare),
        note:
          'bench/bare-ingest-server-child.ts: Fastify and better-sqlite3 with the same pragmas, ' +
          "storing each record's id and text in one transaction per batch, nothing checked; " +
          'each body sent to the real server, then to this one, each timed apart',
      },
      {
        figure: 7,
        measure: 'SQLite: upload / bare server',
        unit: 'x',
        runs: sqlite.map((run) => run.first.recordsPerSecond / run.bare),
        target: { op: '>=', value: 0.7 },
      },
      ...rowsFor(
        'PostgreSQL',
        5_000,
        postgres,
        postgresProblem === undefined
          ? 'PostgreSQL: a throwaway local cluster (tests/helpers/postgres.ts: fsync off, synchronous_commit off)'
          : `PostgreSQL could not be measured: ${postgresProblem}`,
      ),
      {
        figure: 7,
        measure: 'server checks per record (parse, admitRecord)',
        unit: 'ms',
        runs: compiledChecks,
        note:
          'what the upload route does to each record before storing it (JSON.parse of the body, ' +
          'admitRecord: shape, checkRecord, canonical JSON, hash), alone in a process, per ' +
          '500-record batch: compiled, as the bench and `npm start` run it, and under tsx, which ' +
          'runs the TypeScript sources (and wraps every function in a __name() call)',
      },
      {
        figure: 7,
        measure: 'the same under tsx',
        unit: 'ms',
        runs: tsxChecks,
      },
    ];
  },
};
