// The built app's brotli and gzip files (written by scripts/compress-dist.ts) sent by the real
// server over real HTTP: the encoding the request accepts, a body that decodes to the file, the
// file's own type, cache and security headers, and `Vary: Accept-Encoding` on every file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressDist } from '../../../scripts/compress-dist.ts';
import { buildApp } from '../../../src/server/app.ts';
import { serveApp } from '../../../src/server/static.ts';
import type { OpenedStore } from '../../helpers/stores.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const APP_PAGE = readFileSync('src/app/index.html', 'utf8');
const DASHBOARD_PAGE = `<!doctype html><title>Coordination</title>${'<p>Tableau</p>'.repeat(40)}`;
const ASSET = `export const labels = ${JSON.stringify(Array(200).fill('Question suivante'))};\n`;
const MANIFEST = JSON.stringify({ name: 'SMPG Collecte', icons: Array(8).fill({ src: 'i.png' }) });
const PNG = Buffer.from('89504e470d0a1a0a'.repeat(64), 'hex');

const work = mkdtempSync(join(tmpdir(), 'smpg-precompressed-'));
const dist = join(work, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
mkdirSync(join(dist, 'dashboard'));
writeFileSync(join(dist, 'index.html'), APP_PAGE);
writeFileSync(join(dist, 'dashboard', 'index.html'), DASHBOARD_PAGE);
writeFileSync(join(dist, 'assets', 'index-AbC123.js'), ASSET);
writeFileSync(join(dist, 'manifest.webmanifest'), MANIFEST);
writeFileSync(join(dist, 'icon-192.png'), PNG);

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One GET, its body as the bytes sent (not decoded). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** The body as the browser reads it, decoded by its Content-Encoding. */
function decoded(answer: Answer): string {
  const encoding = answer.headers['content-encoding'];
  const body =
    encoding === 'br'
      ? brotliDecompressSync(answer.body)
      : encoding === 'gzip'
        ? gunzipSync(answer.body)
        : answer.body;
  return body.toString('utf8');
}

function varies(answer: Answer): boolean {
  return (answer.headers.vary ?? '')
    .split(',')
    .some((name) => name.trim().toLowerCase() === 'accept-encoding');
}

let opened: OpenedStore;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  await compressDist(dist);
  const sqlite = STORE_BACKENDS.find((backend) => backend.name === 'SQLite');
  if (sqlite === undefined) throw new Error('no SQLite backend');
  opened = await sqlite.open();
  await opened.store.migrate();
  app = await buildApp({ store: opened.store });
  serveApp(app, dist);
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await app.close();
  await opened.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('the encodings the request accepts', () => {
  const asset = '/assets/index-AbC123.js';

  it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip', async () => {
    for (const [accepted, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
    ] as const) {
      const answer = await get(port, asset, { 'accept-encoding': accepted });
      expect(answer.status, accepted).toBe(200);
      expect(answer.headers['content-encoding'], accepted).toBe(expected);
      expect(answer.body.length, accepted).toBeLessThan(Buffer.byteLength(ASSET) / 4);
      expect(decoded(answer), accepted).toBe(ASSET);
      expect(answer.headers['content-length'], accepted).toBe(String(answer.body.length));
    }
  });

  it('sends the file as it is without Accept-Encoding, or with an encoding it has not', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'zstd' }]) {
      const answer = await get(port, asset, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.body.toString('utf8')).toBe(ASSET);
    }
  });

  it('keeps the file’s type, cache and security headers, and varies by Accept-Encoding', async () => {
    for (const accepted of ['br', 'gzip', 'identity']) {
      const answer = await get(port, asset, { 'accept-encoding': accepted });
      expect(answer.headers['content-type'], accepted).toBe('text/javascript; charset=utf-8');
      expect(answer.headers['cache-control'], accepted).toBe('public, max-age=31536000, immutable');
      expect(varies(answer), accepted).toBe(true);
      expect(answer.headers['x-content-type-options'], accepted).toBe('nosniff');
      expect(answer.headers['content-security-policy'], accepted).toContain("default-src 'self'");
    }
    const manifest = await get(port, '/manifest.webmanifest', { 'accept-encoding': 'br' });
    expect(manifest.headers['content-encoding']).toBe('br');
    expect(manifest.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(decoded(manifest)).toBe(MANIFEST);
  });

  it('revalidates each encoding with its own ETag', async () => {
    const br = await get(port, asset, { 'accept-encoding': 'br' });
    const plain = await get(port, asset);
    expect(br.headers.etag).toMatch(/^(W\/)?".+"$/);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const again = await get(port, asset, {
      'accept-encoding': 'br',
      'if-none-match': br.headers.etag ?? '',
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe('pages, images and the encodings’ own files', () => {
  it('sends the app’s and the dashboard’s pages compressed, at their paths and fallbacks', async () => {
    for (const [path, page] of [
      ['/', APP_PAGE],
      ['/index.html', APP_PAGE],
      ['/interview/abc', APP_PAGE],
      ['/dashboard/', DASHBOARD_PAGE],
      ['/dashboard/sites/lille', DASHBOARD_PAGE],
    ] as const) {
      const answer = await get(port, path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-encoding'], path).toBe('br');
      expect(answer.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control'], path).toBe('no-cache');
      expect(varies(answer), path).toBe(true);
      expect(decoded(answer), path).toBe(page);
      const plain = await get(port, path);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.body.toString('utf8'), path).toBe(page);
    }
  });

  it('sends images as they are', async () => {
    const answer = await get(port, '/icon-192.png', { 'accept-encoding': 'gzip, br' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.body).toEqual(PNG);
  });

  it('never sends a .br or .gz file asked for by its name', async () => {
    for (const path of [
      '/assets/index-AbC123.js.br',
      '/assets/index-AbC123.js.gz',
      '/index.html.br',
    ])
      for (const accepted of ['br', 'gzip', 'identity']) {
        const answer = await get(port, path, { 'accept-encoding': accepted });
        expect(answer.status, `${path} ${accepted}`).toBe(404);
        expect(answer.headers['content-type'], path).toContain('application/json');
      }
  });
});
