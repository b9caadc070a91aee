// The built app the browser figures measure: dist/ as `npm run build` makes it (or the folder
// SMPG_DIST names, as for the end-to-end tests), rebuilt when it is missing or older than anything
// it is built from.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compressDist } from '../../scripts/compress-dist.ts';

/** What the build reads (vite.config.ts: src/app, src/core, src/dashboard, public, questionnaires). */
const INPUTS = [
  'src',
  'public',
  'questionnaires',
  'vite.config.ts',
  'scripts/questionnaire-files.ts',
  'scripts/compress-dist.ts',
  'package.json',
  'package-lock.json',
];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** Why the build in `dist` must be made again, or undefined when it is up to date. */
export function staleReason(root: string, dist: string): string | undefined {
  const built = join(dist, 'index.html');
  if (!existsSync(built)) return `${built} is missing`;
  const builtAt = statSync(built).mtimeMs;
  const changed = INPUTS.find((input) => newestChange(join(root, input)) > builtAt);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

/**
 * Runs `vite build` in the repository, into `dist`, then writes the files' brotli and gzip twins
 * the server sends (what `npm run build` runs for the app).
 */
export function buildApp(root: string, dist: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--outDir',
        dist,
        '--emptyOutDir',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? compressDist(dist).then(() => resolve(), reject)
        : reject(new Error(`vite build failed (exit code ${code ?? '?'})`)),
    );
  });
}
