// A throwaway PostgreSQL server for the integration tests: a fresh cluster in a temporary folder on
// a free port, trust authentication, no fsync, removed by stop(). Installs Debian's postgresql when
// missing and we are root (a fresh CI machine); otherwise says what to install.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/<db>`: a database created for the caller. */
  readonly url: string;
  readonly port: number;
  /** Stops the server and deletes its folder; safe to call twice. */
  stop(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The folder holding initdb and pg_ctl: `SMPG_PG_BIN`, else Debian's newest installed version. */
function findBinDir(): string | undefined {
  const fromEnv = process.env['SMPG_PG_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((version) => existsSync(join(PG_ROOT, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_ROOT, versions[0], 'bin');
}

function describeFailure(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'stderr' in error) {
    const stderr = String(error.stderr).trim();
    if (stderr !== '') return stderr;
  }
  return error instanceof Error ? error.message : String(error);
}

async function ensureInstalled(): Promise<string> {
  const found = findBinDir();
  if (found !== undefined) return found;
  if (!isRoot())
    throw new Error(
      `PostgreSQL is not installed (no ${PG_ROOT}/*/bin/initdb) and these tests are not running ` +
        'as root, so they cannot install it. Run `sudo apt-get install -y postgresql` (Debian/' +
        'Ubuntu), or set SMPG_PG_BIN to the folder holding initdb and pg_ctl.',
    );
  // Test files run in parallel: wait for the dpkg lock rather than fail on it.
  const install = ['-y', '-q', '-o', 'DPkg::Lock::Timeout=600', 'install', 'postgresql'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', install, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch {
    // A fresh machine may have empty package lists.
    try {
      await run('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', 'update'], { env });
      await run('apt-get', install, { env, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw new Error(`apt-get install -y postgresql failed: ${describeFailure(error)}`, {
        cause: error,
      });
    }
  }
  const installed = findBinDir();
  if (installed === undefined)
    throw new Error(`apt-get installed postgresql but ${PG_ROOT}/*/bin/initdb is still missing`);
  return installed;
}

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` system user. */
async function runAsPostgres(command: string, args: readonly string[], cwd: string): Promise<void> {
  const [file, argv] = isRoot()
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, [...args]];
  try {
    await run(file, argv, { cwd });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed: ${describeFailure(error)}`, {
      cause: error,
    });
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

function withDatabase(url: string, database: string): string {
  const copy = new URL(url);
  copy.pathname = `/${database}`;
  return copy.href;
}

/** Creates a new, empty database on the server of `url` and returns its URL. */
export async function freshDatabase(server: Pick<PostgresServer, 'url'>): Promise<string> {
  const name = `smpg_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: withDatabase(server.url, 'postgres') });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(server.url, name);
}

/** Kills a server left running when the test process exits without calling stop(). */
function killOnExit(dataDir: string): () => void {
  const kill = () => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

/** Starts a throwaway PostgreSQL (initdb into a temp folder, pg_ctl start) with one database. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = await ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'smpg-pg-'));
  const dataDir = join(dir, 'data');
  if (isRoot()) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  let stopped = false;
  let forget = (): void => undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    forget();
    if (existsSync(join(dataDir, 'postmaster.pid')))
      await runAsPostgres(
        join(bin, 'pg_ctl'),
        ['-D', dataDir, '-m', 'immediate', '-w', 'stop'],
        dir,
      );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await runAsPostgres(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      dir,
    );
    forget = killOnExit(dataDir);
    // Another process may take the free port before postgres binds it: try a few.
    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        await runAsPostgres(
          join(bin, 'pg_ctl'),
          [
            '-D',
            dataDir,
            '-l',
            join(dir, 'postgres.log'),
            '-w',
            '-t',
            '60',
            '-o',
            options,
            'start',
          ],
          dir,
        );
        break;
      } catch (error) {
        if (attempt >= 5) {
          const log = existsSync(join(dir, 'postgres.log'))
            ? readFileSync(join(dir, 'postgres.log'), 'utf8')
            : '';
          throw new Error(`${describeFailure(error)}\n${log}`, { cause: error });
        }
      }
    }
    const url = await freshDatabase({ url: `postgres://postgres@127.0.0.1:${port}/postgres` });
    return { url, port, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
