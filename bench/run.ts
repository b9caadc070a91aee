// `npm run bench [-- --only 1,4]`: compiles the benchmark (bench/main.ts and the Node processes its
// figures start) to plain JavaScript with Vite, then runs it with Node. The measured code (the
// engine, the quota rules, the server) then runs as a production build runs it: tsx, which runs
// the TypeScript sources directly, wraps every function it compiles in a `__name(...)` call
// (esbuild's keepNames), which costs a property definition each time a closure is made and
// slows the record checks several times over (figure 7 shows by how much).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The entries: the bench, the scripts the figures run in processes of their own, and the server's
 * record-checker worker (loaded from the folder of the code that starts it, as in dist-server/).
 */
const ENTRIES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'main',
      'ready-child',
      'check-child',
      'export-server-child',
      'ingest-server-child',
      'bare-ingest-server-child',
    ].map((name) => [name, join(ROOT, 'bench', `${name}.ts`)]),
  ),
  'record-checker-worker': join(ROOT, 'src', 'server', 'record-checker-worker.ts'),
};

// Inside the repository, so that the compiled code finds its packages in node_modules; one folder
// per run, so that two runs at once do not delete each other's code.
const out = join(ROOT, 'bench', '.build', String(process.pid));
try {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: out,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: ENTRIES,
        output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  });
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [join(out, 'main.mjs'), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, SMPG_BENCH_ROOT: ROOT, SMPG_BENCH_BUILD: out },
    });
    child.once('error', reject);
    child.once('exit', (exit) => resolve(exit ?? 1));
  });
  process.exitCode = code;
} finally {
  rmSync(out, { recursive: true, force: true });
}
