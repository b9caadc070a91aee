// The build's compression step (scripts/compress-dist.ts) on a folder of its own: every text file
// gets its brotli and gzip twins that decode to it, images none, and a second run changes nothing.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressDist } from '../../../scripts/compress-dist.ts';

let folder: string;

const TEXT_FILES: Record<string, string> = {
  'index.html': `<!doctype html><title>SMPG</title>${'<p>Bonjour</p>'.repeat(50)}`,
  'sw.js': `self.addEventListener('fetch', () => {});\n`.repeat(20),
  'assets/index-AbC123.js': `console.log(${JSON.stringify('x'.repeat(500))});\n`,
  'assets/shared-AbC123.css': 'body { margin: 0; }\n'.repeat(30),
  'questionnaires/smpg/2026.2.json': JSON.stringify({ items: Array(100).fill({ id: 'q' }) }),
  'manifest.webmanifest': JSON.stringify({ name: 'SMPG Collecte', icons: Array(10).fill({}) }),
  'icon.svg': `<svg xmlns="http://www.w3.org/2000/svg">${'<rect/>'.repeat(40)}</svg>`,
};
/** Bytes that look like an image: compressed already, never given twins. */
const PNG = Buffer.from('89504e470d0a1a0a'.repeat(64), 'hex');

/** Every file under the folder, relative, sorted, with its content. */
function snapshot(): Map<string, Buffer> {
  const files = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
  return new Map(files.map((file) => [file, readFileSync(join(folder, file))]));
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'smpg-compress-'));
  for (const [path, content] of Object.entries(TEXT_FILES)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  writeFileSync(join(folder, 'icon-192.png'), PNG);
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('compressDist', () => {
  it('writes a .br and a .gz that decode to each text file, in every subfolder', async () => {
    const report = await compressDist(folder);
    expect(report.map((file) => file.path.slice(folder.length + 1)).sort()).toEqual(
      Object.keys(TEXT_FILES).sort(),
    );
    for (const [path, content] of Object.entries(TEXT_FILES)) {
      const br = readFileSync(join(folder, `${path}.br`));
      const gz = readFileSync(join(folder, `${path}.gz`));
      expect(brotliDecompressSync(br).toString('utf8'), path).toBe(content);
      expect(gunzipSync(gz).toString('utf8'), path).toBe(content);
      expect(br.length, path).toBeLessThan(Buffer.byteLength(content));
      const entry = report.find((file) => file.path === join(folder, path));
      expect(entry, path).toEqual({
        path: join(folder, path),
        size: Buffer.byteLength(content),
        br: br.length,
        gzip: gz.length,
      });
    }
  });

  it('leaves PNG files alone', async () => {
    await compressDist(folder);
    const files = [...snapshot().keys()];
    expect(files).toContain('icon-192.png');
    expect(files.filter((file) => file.startsWith('icon-192.png'))).toEqual(['icon-192.png']);
    expect(readFileSync(join(folder, 'icon-192.png'))).toEqual(PNG);
  });

  it('writes no encoding that would be larger than the file', async () => {
    writeFileSync(join(folder, 'robots.txt'), 'x');
    const report = await compressDist(folder);
    expect(report.find((file) => file.path.endsWith('robots.txt'))).toMatchObject({
      size: 1,
      br: undefined,
      gzip: undefined,
    });
    expect([...snapshot().keys()].filter((file) => file.startsWith('robots.txt'))).toEqual([
      'robots.txt',
    ]);
  });

  it('changes nothing when run again, and never compresses its own files', async () => {
    await compressDist(folder);
    const first = snapshot();
    expect(first.size).toBe(1 + 3 * Object.keys(TEXT_FILES).length);
    await compressDist(folder);
    expect(snapshot()).toEqual(first);
  });
});
