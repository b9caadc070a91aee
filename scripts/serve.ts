// A static server of the built app in dist/ (no API), with the headers a service worker needs:
// the end-to-end tests that need no central server use it (`npm run serve:static`).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { CONTENT_TYPES } from '../src/server/static.ts';

/**
 * Serves a folder: files as they are, `/` and unknown paths without extension as index.html.
 * `isolated`: with the headers that make the page cross-origin isolated, whose clock
 * (`performance.now()`) is then precise to 5 microseconds instead of 100 (the benchmark's).
 */
export function serveStatic(root: string, isolated = false): Server {
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
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': cache,
      'X-Content-Type-Options': 'nosniff',
      ...(isolated
        ? {
            'Cross-Origin-Opener-Policy': 'same-origin',
            'Cross-Origin-Embedder-Policy': 'require-corp',
          }
        : {}),
    });
    createReadStream(path).pipe(response);
  });
}

/** Debian's Chromium, and the flags the end-to-end tests and the benchmark launch it with. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a folder on 127.0.0.1 on a free port; `url` ends with `/`. */
export async function serveFolder(folder: string, isolated = false): Promise<Served> {
  const server = serveStatic(folder, isolated);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
