// `npm run build` (after the app): compiles the server (src/server/start.ts and what it imports
// from src/) to plain JavaScript in dist-server/start.mjs, which `npm start` runs with Node, and
// the record checkers' worker (dist-server/record-checker-worker.mjs). The packages of
// node_modules stay imports (better-sqlite3 is native).
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

await build({
  configFile: false,
  root: ROOT,
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist-server',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: {
      // The record checkers' worker threads load their script next to start.mjs.
      input: {
        start: fileURLToPath(new URL('../src/server/start.ts', import.meta.url)),
        'record-checker-worker': fileURLToPath(
          new URL('../src/server/record-checker-worker.ts', import.meta.url),
        ),
      },
      output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
});
