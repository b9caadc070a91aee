// Serves the built app (dist/) with @fastify/static: files confined to dist/, dot files never
// served, ETags and ranges, the brotli and gzip files the build writes beside the others, and the
// pages' fallbacks and cache headers the PWA needs.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { inlineScriptHashes } from './security-headers.ts';

/** Content types of the built app's files, by extension (the e2e static server uses them too). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The encodings' files the build writes beside a file (scripts/compress-dist.ts). */
const ENCODED = /\.(br|gz)$/;

/** The pages, as files under dist/: the coordinator dashboard's, the interviewer app's. */
const DASHBOARD_PAGE = 'dashboard/index.html';
const APP_PAGE = 'index.html';

/**
 * Serves the built app in `distDir`: files as they are; paths without an extension as the page
 * they belong to (the dashboard's under /dashboard, the app's elsewhere), so that the apps'
 * own routes survive a reload. Never answers under /api/: an unknown API path stays a JSON 404.
 * Also allows the pages' inline scripts in the Content-Security-Policy (security-headers.ts).
 */
export function serveApp(app: FastifyInstance, distDir: string): void {
  const root = resolve(distDir);
  void app.register(fastifyStatic, {
    root,
    // Only through reply.sendFile below, which adds the fallbacks.
    serve: false,
    index: false,
    dotfiles: 'ignore',
    // `name.br` or `name.gz` for `name` when the request accepts it and the build wrote it: the
    // files never change between builds, so they are compressed once at build time (brotli's
    // best, too slow to run per request) rather than by the server's CPU at every download.
    preCompressed: true,
    // Those files are only ever sent for the file they encode, never asked for by their names.
    allowedPath: (pathname) => !ENCODED.test(pathname),
    // Set by setHeaders: send's own types differ (application/javascript) and its cache header
    // would be the same for every file.
    contentType: false,
    cacheControl: false,
    setHeaders(response, encodedPath) {
      // The file sent may be `name.br`: its headers are those of `name`.
      const path = encodedPath.replace(ENCODED, '');
      const name = path.slice(root.length + 1);
      response.setHeader(
        'content-type',
        CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      );
      // The same URL is sent in several encodings: caches must key it by Accept-Encoding.
      response.setHeader('vary', 'accept-encoding');
      // Hashed names under assets/ never change; the rest (pages, sw.js, the manifest, the
      // questionnaires' index) must be revalidated, or an update would never be seen.
      response.setHeader(
        'cache-control',
        name.startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      if (name === 'sw.js') response.setHeader('service-worker-allowed', '/');
    },
  });

  if (app.hasDecorator('allowInlineScripts')) {
    // Read once the app is built (it may be built after the server starts).
    let hashes: readonly string[] | undefined;
    app.allowInlineScripts(() => {
      if (hashes === undefined && existsSync(join(root, APP_PAGE))) {
        hashes = [APP_PAGE, DASHBOARD_PAGE].flatMap((page) => {
          const path = join(root, page);
          return existsSync(path) ? inlineScriptHashes(readFileSync(path, 'utf8')) : [];
        });
      }
      return hashes ?? [];
    });
  }

  // With an encoding, @fastify/static sets the content type of its own table after setHeaders:
  // put back the one setHeaders chose.
  const keepContentType: onSendHookHandler = (_request, reply, payload, done) => {
    const chosen = reply.raw.getHeader('content-type');
    if (reply.hasHeader('content-encoding') && typeof chosen === 'string')
      void reply.header('content-type', chosen);
    done(null, payload);
  };

  app.get('/*', { onSend: keepContentType }, (request, reply) => {
    // The path as sent, never parsed as a URL (`//host:port/` is a path here), decoded as
    // @fastify/static's own routes do it: %2F stays encoded, so it makes no separator.
    const raw = request.url.split('?')[0] ?? '/';
    let path: string;
    try {
      path = decodeURI(raw);
    } catch {
      void reply.status(400).send({ error: 'bad_request', message: 'bad path' });
      return;
    }
    if (/^\/api(\/|$)/.test(path)) {
      void reply.status(404).send({ error: 'not_found', message: `no route GET ${raw}` });
      return;
    }
    const segments = path.split('/');
    // A file: the last segment has an extension, or a segment starts with a dot (`..` and dot
    // files go to send, which refuses them, rather than falling back to a page).
    if (extname(segments.at(-1) ?? '') !== '' || segments.some((part) => part.startsWith('.'))) {
      reply.sendFile(path);
      return;
    }
    const page = /^\/dashboard(\/|$)/.test(path) ? DASHBOARD_PAGE : APP_PAGE;
    if (!existsSync(join(root, page))) {
      void reply
        .status(503)
        .send({ error: 'no_app', message: 'the app is not built: run npm run build' });
      return;
    }
    reply.sendFile(`/${page}`);
  });
}
