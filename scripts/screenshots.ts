// `npm run screenshots`: every screen of the tablet app and the dashboard, in French, at tablet and
// phone sizes, into docs/screenshots/ with its index, so that reviewers see the product without
// running it. Builds into a temporary folder (dist/ is left alone; SMPG_DIST=<folder> reuses a
// build), then runs tests/e2e/screenshots.e2e.test.ts, the engine, with SCREENSHOTS_DIR set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FOLDER = 'docs/screenshots';
const ENGINE = 'tests/e2e/screenshots.e2e.test.ts';

async function main(): Promise<number> {
  const started = performance.now();
  const given = process.env['SMPG_DIST'];
  const dist = given ?? mkdtempSync(join(tmpdir(), 'smpg-screenshots-'));
  try {
    if (given === undefined) {
      console.log(`Building the app and the dashboard into ${dist}...`);
      // vite.config.ts names its folders from the repository's root.
      process.chdir(ROOT);
      await build({
        configFile: join(ROOT, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: dist, emptyOutDir: true },
      });
    }
    console.log(`Shooting every screen into ${FOLDER}/...`);
    const run = spawnSync(
      'npx',
      ['vitest', 'run', '--config', 'tests/e2e/vitest.config.ts', ENGINE],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, SMPG_DIST: dist, SCREENSHOTS_DIR: FOLDER },
      },
    );
    const seconds = Math.round((performance.now() - started) / 1000);
    if (run.status === 0) {
      console.log(`Done in ${seconds} s: ${FOLDER}/README.md lists the pictures.`);
      return 0;
    }
    // The pictures are written before the last checks: a screen too wide still gets its picture.
    console.error(
      `Failed after ${seconds} s (see above); the pictures taken so far are in ${FOLDER}/.`,
    );
    return run.status ?? 1;
  } finally {
    if (given === undefined) rmSync(dist, { recursive: true, force: true });
  }
}

process.exitCode = await main();
