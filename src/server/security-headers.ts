// The headers every answer carries (@fastify/helmet): a Content-Security-Policy the app and the
// dashboard pass, no framing, no referrer, nosniff, HSTS over TLS, and API answers never cached.
import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Adds to script-src the CSP sources (`'sha256-…'`) that `sources` returns when asked, for
     * every answer from then on: the built pages' inline scripts (static.ts). Decorated by
     * registerSecurityHeaders.
     */
    allowInlineScripts(sources: () => readonly string[]): void;
  }
}

export interface SecurityHeadersOptions {
  /**
   * Served over HTTPS: only then HSTS and upgrade-insecure-requests, which over plain HTTP would
   * send the browser to an HTTPS port that nothing answers.
   */
  readonly tls: boolean;
  /** CSP sources (`'sha256-…'`) of inline scripts allowed from the start. */
  readonly scriptHashes?: readonly string[];
}

/** The CSP source of each inline script (`<script>` without `src`) of a page, as a browser hashes it. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [, attributes = '', text = ''] = match;
    if (/\bsrc\s*=/i.test(attributes)) continue;
    // The HTML parser turns CR LF and lone CR into LF before the browser hashes the text.
    const source = text.replace(/\r\n?/g, '\n');
    hashes.push(`'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** Whether a request's path is under /api/, whose answers carry tokens or survey data. */
function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * Registers the security headers on every answer of `app`: API, static files, errors and 404s.
 * The policy allows only the server's own origin: scripts (and inline scripts by their hash,
 * never 'unsafe-inline'), styles (React's `style` props set CSSOM properties, which CSP allows),
 * images, fonts, fetches, workers (the service worker, the export worker) and the web manifest.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeadersOptions,
): Promise<void> {
  const providers: (() => readonly string[])[] = [];
  app.decorate('allowInlineScripts', (sources: () => readonly string[]) => {
    providers.push(sources);
  });
  const scriptHashes = options.scriptHashes ?? [];
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        scriptSrc: [
          "'self'",
          ...scriptHashes,
          () => [...new Set(providers.flatMap((provider) => provider()))].join(' '),
        ],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Neither the app nor the dashboard is ever framed (frame-ancestors above, X-Frame-Options
    // for older browsers); the enrolment link's code must not leave in a Referer.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.tls ? { maxAge: 365 * 24 * 3600 } : false,
  });
  // After the route and the error handler: whatever they set, an API answer is never stored.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (isApi(request.url)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
