// `npm run build` (after the app): writes `name.br` and `name.gz` beside every text file of the
// built app, which the server sends as they are (@fastify/static's `preCompressed`, static.ts).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** What compresses; images (PNG) and fonts are compressed already. */
const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.json',
  '.svg',
  '.webmanifest',
  '.txt',
]);

/** One file and the sizes of its encodings (undefined: not written, it would not be smaller). */
export interface CompressedFile {
  readonly path: string;
  readonly size: number;
  readonly br: number | undefined;
  readonly gzip: number | undefined;
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && COMPRESSIBLE.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Writes `path + suffix` when it is smaller than the file, else removes a stale one. */
async function writeIfSmaller(path: string, suffix: string, size: number, body: Buffer) {
  if (body.length < size) {
    await writeFile(path + suffix, body);
    return body.length;
  }
  await rm(path + suffix, { force: true });
  return undefined;
}

/**
 * Writes the brotli (quality 11) and gzip (level 9) encodings of every compressible file under
 * `folder`, each only where it is smaller than the file. Run again, it writes the same files.
 */
export async function compressDist(folder: string): Promise<CompressedFile[]> {
  const files = await filesUnder(folder);
  return Promise.all(
    files.map(async (path) => {
      const content = await readFile(path);
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzipped(content, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      return {
        path,
        size: content.length,
        br: await writeIfSmaller(path, '.br', content.length, br),
        gzip: await writeIfSmaller(path, '.gz', content.length, gz),
      };
    }),
  );
}

if (process.argv[1]?.endsWith('compress-dist.ts')) {
  const folder = process.argv[2] ?? 'dist';
  const files = await compressDist(folder);
  const total = (pick: (file: CompressedFile) => number | undefined) =>
    files.reduce((sum, file) => sum + (pick(file) ?? file.size), 0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(
    `${folder}: ${files.length} files, ${kb(total((file) => file.size))}; ` +
      `brotli ${kb(total((file) => file.br))}, gzip ${kb(total((file) => file.gzip))}`,
  );
}
