// `npm start` (until the server of the sync issue replaces it): serves the built app in dist/ on
// http://127.0.0.1:8080/ with the headers a service worker needs. Also used by end-to-end tests.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Serves a folder: files as they are, `/` and unknown paths without extension as index.html. */
export function serveStatic(root: string): Server {
  const base = resolve(root);
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (!path.startsWith(base)) {
      response.writeHead(400).end('bad path');
      return;
    }
    if (!existsSync(path) || statSync(path).isDirectory()) {
      if (extname(url.pathname) !== '') {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      path = join(base, 'index.html');
    }
    const name = url.pathname.split('/').pop() ?? '';
    // The service worker and the page must be revalidated, or an update would never be seen.
    const cache =
      name === 'sw.js' || extname(path) === '.html' || name === 'index.json'
        ? 'no-cache'
        : url.pathname.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache';
    response.writeHead(200, {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': cache,
      'X-Content-Type-Options': 'nosniff',
    });
    createReadStream(path).pipe(response);
  });
}

if (process.argv[1]?.endsWith('serve.ts')) {
  const root = process.argv[2] ?? 'dist';
  const port = Number(process.env['PORT'] ?? 8080);
  const host = process.env['HOST'] ?? '127.0.0.1';
  if (!existsSync(join(root, 'index.html'))) {
    process.stderr.write(`${root}/index.html is missing: run "npm run build" first.\n`);
    process.exit(1);
  }
  serveStatic(root).listen(port, host, () => {
    process.stdout.write(`SMPG Collecte: http://${host}:${port}/\n`);
  });
}
