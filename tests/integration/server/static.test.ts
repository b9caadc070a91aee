// The built app served by the real server over real HTTP, on a SQLite file: nothing outside dist/
// (the server bundle beside it) and no dot file is ever sent, whatever the path's spelling; the
// pages' fallbacks, cache headers, ETags and ranges; and the security headers of every answer:
// a CSP that allows the app's real inline script by its hash, nosniff, no-store on the API, HSTS
// only over TLS. Paths go out raw with node:http, as fetch would resolve `..` before sending.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { serveApp } from '../../../src/server/static.ts';
import type { OpenedStore } from '../../helpers/stores.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const SERVER_BUNDLE = 'SERVER BUNDLE: must never leave the machine';
const DOT_FILE = 'SECRET=must never leave the machine';
const ASSET = `console.log(${JSON.stringify('x'.repeat(200))});\n`;
/** The app's real page: the build keeps its inline script as written. */
const APP_PAGE = readFileSync('src/app/index.html', 'utf8');

const work = mkdtempSync(join(tmpdir(), 'smpg-static-'));
const dist = join(work, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
mkdirSync(join(dist, 'dashboard'));
mkdirSync(join(dist, 'questionnaires'));
mkdirSync(join(dist, '.hidden'));
mkdirSync(join(work, 'dist-server'));
writeFileSync(join(work, 'dist-server', 'start.mjs'), SERVER_BUNDLE);
writeFileSync(join(dist, 'index.html'), APP_PAGE);
writeFileSync(join(dist, 'dashboard', 'index.html'), '<!doctype html><title>Coordination</title>');
writeFileSync(join(dist, 'assets', 'index-AbC123.js'), ASSET);
writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
writeFileSync(join(dist, 'manifest.webmanifest'), '{"name":"SMPG Collecte"}');
writeFileSync(join(dist, 'questionnaires', 'index.json'), '[]');
writeFileSync(join(dist, '.env'), DOT_FILE);
writeFileSync(join(dist, '.hidden', 'notes.txt'), DOT_FILE);
writeFileSync(join(dist, 'assets', '.secret.js'), DOT_FILE);
const emptyDist = join(work, 'empty');
mkdirSync(emptyDist);

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request with the path sent exactly as given. */
function send(
  base: { readonly port: number; readonly tls?: boolean },
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = (base.tls === true ? httpsRequest : httpRequest)(
      {
        host: '127.0.0.1',
        port: base.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        rejectUnauthorized: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The sources of one directive of a CSP header (undefined when it has none). */
function directive(csp: string | string[] | undefined, name: string): string[] | undefined {
  const found = (typeof csp === 'string' ? csp : '')
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([first]) => first === name);
  return found?.slice(1);
}

let opened: OpenedStore;
let app: FastifyInstance;
let server: { port: number };

beforeAll(async () => {
  const sqlite = STORE_BACKENDS.find((backend) => backend.name === 'SQLite');
  if (sqlite === undefined) throw new Error('no SQLite backend');
  opened = await sqlite.open();
  await opened.store.migrate();
  app = await buildApp({ store: opened.store });
  serveApp(app, dist);
  await app.listen({ port: 0, host: '127.0.0.1' });
  server = { port: (app.server.address() as AddressInfo).port };
});

afterAll(async () => {
  await app.close();
  await opened.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('files outside dist/ and dot files', () => {
  it('never sends the server bundle beside dist/, however the path is spelled', async () => {
    for (const path of [
      '/..%2fdist-server%2fstart.mjs',
      '/%2e%2e%2fdist-server%2fstart.mjs',
      '/%2E%2E%2Fdist-server%2Fstart.mjs',
      '/assets/..%2f..%2fdist-server%2fstart.mjs',
      '/..%5cdist-server%5cstart.mjs',
      '/../dist-server/start.mjs',
      '/assets/../../dist-server/start.mjs',
      '/%2e%2e/dist-server/start.mjs',
      '/..%252fdist-server%252fstart.mjs',
      '/dashboard/..%2f..%2fdist-server%2fstart.mjs',
    ]) {
      const answer = await send(server, path);
      expect(answer.body, path).not.toContain('SERVER BUNDLE');
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });

  it('answers a path that looks like a URL with a page, not a 500', async () => {
    for (const path of ['//x:99999/', '//x:99999/dashboard', '//[::1/', '///etc/passwd']) {
      const answer = await send(server, path);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.body, path).not.toContain('root:');
    }
    expect((await send(server, '//x:99999/')).body).toContain('<title>SMPG Collecte</title>');
  });

  it('never sends a dot file or a file of a dot folder', async () => {
    for (const path of ['/.env', '/%2eenv', '/.hidden/notes.txt', '/assets/.secret.js']) {
      const answer = await send(server, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('SECRET');
      expect(JSON.parse(answer.body), path).toMatchObject({ error: 'not_found' });
    }
  });
});

describe('the app and its pages', () => {
  it('answers paths without an extension with their page, the dashboard under /dashboard', async () => {
    for (const path of ['/', '/interview/abc', '/dashboards', '/?enrol=ABCD-2345']) {
      const answer = await send(server, path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(answer.body, path).toContain('<title>SMPG Collecte</title>');
    }
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/sites/lille?day=2']) {
      const answer = await send(server, path);
      expect(answer.status, path).toBe(200);
      expect(answer.body, path).toContain('<title>Coordination</title>');
    }
  });

  it('answers a missing file and any path under /api/ with a JSON 404', async () => {
    for (const path of ['/missing.js', '/assets/missing-123.css', '/api/v1/nope', '/api/x']) {
      const answer = await send(server, path);
      expect(answer.status, path).toBe(404);
      expect(answer.headers['content-type'], path).toContain('application/json');
      expect(JSON.parse(answer.body), path).toMatchObject({
        error: 'not_found',
        message: expect.any(String),
      });
      // A missing asset is not cached for a year.
      expect(answer.headers['cache-control'] ?? '', path).not.toContain('immutable');
    }
  });

  it('says the app is not built when dist/ has no page', async () => {
    const bare = await buildApp({ store: opened.store });
    serveApp(bare, emptyDist);
    for (const url of ['/', '/dashboard/']) {
      const answer = await bare.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(503);
      expect(answer.json(), url).toMatchObject({ error: 'no_app' });
    }
    await bare.close();
  });

  it('sends hashed assets as immutable, everything else to be revalidated', async () => {
    const asset = await send(server, '/assets/index-AbC123.js');
    expect(asset.status).toBe(200);
    expect(asset.body).toBe(ASSET);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const path of ['/', '/index.html', '/dashboard/', '/sw.js', '/questionnaires/index.json'])
      expect((await send(server, path)).headers['cache-control'], path).toBe('no-cache');
    const worker = await send(server, '/sw.js');
    expect(worker.headers['service-worker-allowed']).toBe('/');
    expect(worker.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await send(server, '/index.html')).headers['service-worker-allowed']).toBeUndefined();
    const manifest = await send(server, '/manifest.webmanifest');
    expect(manifest.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
  });

  it('revalidates with an ETag (304) and sends ranges (206)', async () => {
    for (const path of ['/', '/assets/index-AbC123.js']) {
      const first = await send(server, path);
      const etag = first.headers.etag;
      expect(etag, path).toMatch(/^(W\/)?".+"$/);
      const again = await send(server, path, { headers: { 'if-none-match': etag ?? '' } });
      expect(again.status, path).toBe(304);
      expect(again.body, path).toBe('');
    }
    const part = await send(server, '/assets/index-AbC123.js', {
      headers: { range: 'bytes=0-9' },
    });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-9/${Buffer.byteLength(ASSET)}`);
    expect(part.body).toBe(ASSET.slice(0, 10));
  });
});

describe('security headers', () => {
  it('sends a CSP that allows the app’s real inline script by its hash and nothing inline else', async () => {
    const open = APP_PAGE.indexOf('<script>') + '<script>'.length;
    const inline = APP_PAGE.slice(open, APP_PAGE.indexOf('</script>', open));
    expect(inline).toContain('indexedDB.open');
    const hash = `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;
    for (const path of ['/', '/dashboard/', '/api/v1/health', '/missing.js']) {
      const csp = (await send(server, path)).headers['content-security-policy'];
      expect(directive(csp, 'frame-ancestors'), path).toEqual(["'none'"]);
      expect(directive(csp, 'default-src'), path).toEqual(["'self'"]);
      expect(directive(csp, 'script-src'), path).toEqual(["'self'", hash]);
      expect(directive(csp, 'style-src'), path).toEqual(["'self'"]);
      for (const name of ['connect-src', 'worker-src', 'manifest-src', 'img-src'])
        expect(directive(csp, name), `${path} ${name}`).toEqual(["'self'"]);
      expect(directive(csp, 'object-src'), path).toEqual(["'none'"]);
      expect(csp, path).not.toContain('unsafe');
    }
  });

  it('sends nosniff, no referrer and no framing on every answer, no-store on API answers', async () => {
    const answers: [string, Answer, boolean][] = [
      ['page', await send(server, '/interview/abc'), false],
      ['asset', await send(server, '/assets/index-AbC123.js'), false],
      ['missing file', await send(server, '/missing.js'), false],
      ['refused path', await send(server, '/../dist-server/start.mjs'), false],
      ['API', await send(server, '/api/v1/health'), true],
      ['API 404', await send(server, '/api/v1/nope'), true],
      ['API 401', await send(server, '/api/v1/sites'), true],
      [
        'API 400',
        await send(server, '/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"username":',
        }),
        true,
      ],
      ['API, other method', await send(server, '/api/v1/health', { method: 'DELETE' }), true],
      // The router answers a path it cannot decode before any hook runs.
      ['undecodable path', await send(server, '/api/v1/sites/%E0%A4%A/devices'), true],
    ];
    expect(answers.map(([, answer]) => answer.status)).toEqual([
      200, 200, 404, 403, 200, 404, 401, 400, 404, 400,
    ]);
    expect(JSON.parse(answers[9]?.[1].body ?? '{}')).toMatchObject({ error: 'bad_request' });
    for (const [what, answer, api] of answers) {
      expect(answer.headers['x-content-type-options'], what).toBe('nosniff');
      expect(answer.headers['referrer-policy'], what).toBe('no-referrer');
      expect(answer.headers['x-frame-options'], what).toBe('DENY');
      expect(answer.headers['strict-transport-security'], what).toBeUndefined();
      if (api) expect(answer.headers['cache-control'], what).toBe('no-store');
      else expect(answer.headers['cache-control'] ?? '', what).not.toBe('no-store');
    }
  });

  it('sends HSTS and upgrades requests only over TLS', async () => {
    const keyPath = join(work, 'key.pem');
    const certPath = join(work, 'cert.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'],
        ...['-days', '1', '-keyout', keyPath, '-out', certPath],
      ],
      { stdio: 'ignore' },
    );
    const tlsApp = await buildApp({
      store: opened.store,
      https: { cert: readFileSync(certPath), key: readFileSync(keyPath) },
    });
    serveApp(tlsApp, dist);
    await tlsApp.listen({ port: 0, host: '127.0.0.1' });
    const tls = { port: (tlsApp.server.address() as AddressInfo).port, tls: true };
    try {
      for (const path of ['/', '/api/v1/health', '/missing.js']) {
        const answer = await send(tls, path);
        expect(answer.headers['strict-transport-security'], path).toMatch(/^max-age=\d{7,}/);
        expect(
          directive(answer.headers['content-security-policy'], 'upgrade-insecure-requests'),
        ).toEqual([]);
      }
    } finally {
      await tlsApp.close();
    }
    const plain = await send(server, '/');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(
      directive(plain.headers['content-security-policy'], 'upgrade-insecure-requests'),
    ).toBeUndefined();
  });
});
