// R (with the haven package) and GNU PSPP for the tests that run the scripts loading the export:
// found on the PATH, installed from Debian's packages when missing and we are root (a fresh CI
// machine), otherwise a message saying what to install.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGES = ['r-base-core', 'r-cran-haven', 'pspp'] as const;

export interface AnalysisTools {
  /** The path of `Rscript`, whose R has the haven package. */
  readonly rscript: string;
  /** The path of GNU PSPP's `pspp`. */
  readonly pspp: string;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The first executable `command` on the PATH. */
function onPath(command: string): string | undefined {
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
    if (folder === '') continue;
    const file = join(folder, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

async function hasHaven(rscript: string): Promise<boolean> {
  try {
    await run(rscript, [
      '--vanilla',
      '-e',
      'if (!requireNamespace("haven", quietly = TRUE)) q(status = 1)',
    ]);
    return true;
  } catch {
    return false;
  }
}

async function find(): Promise<AnalysisTools | undefined> {
  const rscript = onPath('Rscript');
  const pspp = onPath('pspp');
  if (rscript === undefined || pspp === undefined || !(await hasHaven(rscript))) return undefined;
  return { rscript, pspp };
}

function describeFailure(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'stderr' in error) {
    const stderr = String(error.stderr).trim();
    if (stderr !== '') return stderr;
  }
  return error instanceof Error ? error.message : String(error);
}

async function install(): Promise<void> {
  // Test files run in parallel: wait for the dpkg lock rather than fail on it.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const args = ['-y', '-q', ...lock, 'install', '--no-install-recommends', ...PACKAGES];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { env, maxBuffer: 64 * 1024 * 1024 };
  try {
    await run('apt-get', args, options);
  } catch {
    // A fresh machine may have empty package lists.
    try {
      await run('apt-get', ['-q', ...lock, 'update'], options);
      await run('apt-get', args, options);
    } catch (error) {
      throw new Error(`apt-get install ${PACKAGES.join(' ')} failed: ${describeFailure(error)}`, {
        cause: error,
      });
    }
  }
}

let found: Promise<AnalysisTools> | undefined;

/**
 * Rscript (with haven) and pspp, installed first if need be. Throws, saying what to install,
 * when they are missing and these tests may not install them (not root).
 */
export function ensureAnalysisTools(): Promise<AnalysisTools> {
  found ??= (async () => {
    const ready = await find();
    if (ready !== undefined) return ready;
    if (!isRoot())
      throw new Error(
        'R with the haven package and GNU PSPP are needed (Rscript and pspp on the PATH), and ' +
          'these tests are not running as root, so they cannot install them. Run ' +
          `\`sudo apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}\` (Debian/` +
          'Ubuntu), or install R, install.packages("haven") and PSPP another way.',
      );
    await install();
    const installed = await find();
    if (installed === undefined)
      throw new Error(
        `apt-get installed ${PACKAGES.join(' ')} but Rscript, haven or pspp is still missing`,
      );
    return installed;
  })();
  // A failure is not kept: the next caller tries again.
  found.catch(() => {
    found = undefined;
  });
  return found;
}
