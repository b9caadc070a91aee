// The dashboard's QR encoder, checked three ways that do not rest on it: its Reed-Solomon, format
// and version bits against published vectors; whole symbols against another encoder's
// (python-qrcode, tests/fixtures/qr/); and every symbol it makes read back by a decoder written
// here from the standard, which checks each block's Reed-Solomon syndromes on the way.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byteCapacity,
  encodeQr,
  formatBits,
  penalty,
  qrPath,
  reedSolomon,
  versionBits,
} from '../../../src/dashboard/qr.ts';
import type { QrCode } from '../../../src/dashboard/qr.ts';

interface ReferenceSymbol {
  readonly text: string;
  readonly version: number;
  readonly mask: number;
  readonly rows: readonly string[];
}

const REFERENCE = (
  JSON.parse(readFileSync('tests/fixtures/qr/python-qrcode.json', 'utf8')) as {
    symbols: ReferenceSymbol[];
  }
).symbols;

const rowsOf = (qr: QrCode) => qr.modules.map((line) => line.map((d) => (d ? '1' : '0')).join(''));

// --- A decoder, from the standard's tables (ISO/IEC 18004, as thonky.com's tutorial gives them).

/** Format information of level M, masks 0 to 7, most significant bit first. */
const FORMAT_M = [
  '101010000010010',
  '101000100100101',
  '101111001111100',
  '101101101001011',
  '100010111111001',
  '100000011001110',
  '100111110010111',
  '100101010100000',
];

/** Level M per version: error correction codewords per block, and groups of [blocks, data codewords]. */
const BLOCKS_M: readonly [number, readonly (readonly [number, number])[]][] = [
  [10, [[1, 16]]],
  [16, [[1, 28]]],
  [26, [[1, 44]]],
  [18, [[2, 32]]],
  [24, [[2, 43]]],
  [16, [[4, 27]]],
  [18, [[4, 31]]],
  [
    22,
    [
      [2, 38],
      [2, 39],
    ],
  ],
  [
    22,
    [
      [3, 36],
      [2, 37],
    ],
  ],
  [
    26,
    [
      [4, 43],
      [1, 44],
    ],
  ],
];

const ALIGNMENT_CENTRES = [
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
];

const MASKS: readonly ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

const GF_EXP: number[] = [];
for (let i = 0, x = 1; i < 255; i++, x = x & 0x80 ? ((x << 1) ^ 0x11d) & 0xff : x << 1)
  GF_EXP.push(x);
const GF_LOG = new Map(GF_EXP.map((value, power) => [value, power]));
const gfTimes = (a: number, b: number) =>
  a === 0 || b === 0 ? 0 : (GF_EXP[((GF_LOG.get(a) ?? 0) + (GF_LOG.get(b) ?? 0)) % 255] ?? 0);

/** The codeword polynomial's value at a^k (Horner): zero for every k below the EC count. */
function syndrome(codewords: readonly number[], k: number): number {
  const point = GF_EXP[k % 255] ?? 0;
  return codewords.reduce((value, codeword) => gfTimes(value, point) ^ codeword, 0);
}

function decode(modules: readonly (readonly boolean[])[]): {
  text: string;
  version: number;
  mask: number;
} {
  const size = modules.length;
  const version = (size - 17) / 4;
  expect(Number.isInteger(version) && version >= 1 && version <= 10).toBe(true);
  const dark = (r: number, c: number) => modules[r]?.[c] === true;
  const bits = (cells: readonly (readonly [number, number])[]) =>
    cells.map(([r, c]) => (dark(r, c) ? '1' : '0')).join('');

  // Format information, both copies, most significant bit first.
  const first = bits([
    [8, 0],
    [8, 1],
    [8, 2],
    [8, 3],
    [8, 4],
    [8, 5],
    [8, 7],
    [8, 8],
    [7, 8],
    [5, 8],
    [4, 8],
    [3, 8],
    [2, 8],
    [1, 8],
    [0, 8],
  ]);
  const second = bits([
    ...Array.from({ length: 7 }, (_, k) => [size - 1 - k, 8] as const),
    ...Array.from({ length: 8 }, (_, k) => [8, size - 8 + k] as const),
  ]);
  expect(second).toBe(first);
  const mask = FORMAT_M.indexOf(first);
  expect(mask, `format ${first} is not level M`).toBeGreaterThanOrEqual(0);
  expect(dark(size - 8, 8)).toBe(true);

  const centres = ALIGNMENT_CENTRES[version - 1] ?? [];
  const alignments = centres.flatMap((r) =>
    centres
      .filter(
        (c) =>
          !((r === 6 && c === 6) || (r === 6 && c === size - 7) || (r === size - 7 && c === 6)),
      )
      .map((c) => [r, c] as const),
  );
  const isFunction = (r: number, c: number) =>
    (r < 9 && c < 9) ||
    (r < 9 && c >= size - 8) ||
    (r >= size - 8 && c < 9) ||
    r === 6 ||
    c === 6 ||
    alignments.some(([ar, ac]) => Math.abs(r - ar) <= 2 && Math.abs(c - ac) <= 2) ||
    (version >= 7 && r < 6 && c >= size - 11 && c < size - 8) ||
    (version >= 7 && c < 6 && r >= size - 11 && r < size - 8);

  // Version information, both copies: the version and its BCH remainder.
  if (version >= 7) {
    const top: boolean[] = [];
    const left: boolean[] = [];
    for (let i = 0; i < 18; i++) {
      top.push(dark(Math.floor(i / 3), size - 11 + (i % 3)));
      left.push(dark(size - 11 + (i % 3), Math.floor(i / 3)));
    }
    expect(left).toEqual(top);
    const value = top.reduce((sum, bit, i) => sum + (bit ? 2 ** i : 0), 0);
    expect(value >>> 12).toBe(version);
  }

  // The zigzag: column pairs from the right, up then down, skipping the timing column.
  const stream: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right -= 1;
    for (let k = 0; k < size; k++) {
      const r = upward ? size - 1 - k : k;
      for (const c of [right, right - 1]) {
        if (isFunction(r, c)) continue;
        stream.push(dark(r, c) !== (MASKS[mask]?.(r, c) ?? false) ? 1 : 0);
      }
    }
    upward = !upward;
  }
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= stream.length; i += 8)
    codewords.push(stream.slice(i, i + 8).reduce((b, bit) => (b << 1) | bit, 0));

  const [ec, groups] = BLOCKS_M[version - 1] ?? [0, []];
  const sizes = groups.flatMap(([count, data]) => new Array<number>(count).fill(data));
  const total = sizes.reduce((sum, n) => sum + n, 0) + sizes.length * ec;
  expect(codewords.length).toBe(total);
  // Data codewords column by column across the blocks, then the EC codewords likewise.
  const blocks = sizes.map(() => [] as number[]);
  let next = 0;
  for (let i = 0; i < Math.max(...sizes); i++)
    sizes.forEach((n, b) => {
      if (i < n) blocks[b]?.push(codewords[next++] ?? -1);
    });
  const data = blocks.flat();
  for (let i = 0; i < ec; i++) blocks.forEach((block) => block.push(codewords[next++] ?? -1));
  blocks.forEach((block, b) => {
    for (let k = 0; k < ec; k++) expect(syndrome(block, k), `block ${b} syndrome ${k}`).toBe(0);
  });

  const bitString = data.map((byte) => byte.toString(2).padStart(8, '0')).join('');
  expect(bitString.slice(0, 4)).toBe('0100');
  const countLength = version < 10 ? 8 : 16;
  const count = parseInt(bitString.slice(4, 4 + countLength), 2);
  const start = 4 + countLength;
  const bytes = Array.from({ length: count }, (_, k) =>
    parseInt(bitString.slice(start + 8 * k, start + 8 * k + 8), 2),
  );
  const end = start + 8 * count;
  // Terminator (up to four zeros), zeros to the byte, then 11101100 00010001 repeated.
  expect(bitString.slice(end, end + 4)).toMatch(/^0{0,4}$/);
  const padStart = Math.ceil(Math.min(end + 4, bitString.length) / 8);
  expect(bitString.slice(end, padStart * 8)).toMatch(/^0*$/);
  data.slice(padStart).forEach((byte, k) => expect(byte).toBe(k % 2 === 0 ? 0xec : 0x11));
  return {
    text: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)),
    version,
    mask,
  };
}

describe('QR encoder', () => {
  it('computes the Reed-Solomon codewords of the published examples', () => {
    // ISO/IEC 18004, annex I: "01234567" at 1-M.
    expect(
      reedSolomon([16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17], 10),
    ).toEqual([165, 36, 212, 193, 237, 54, 199, 135, 44, 85]);
    // thonky.com's QR tutorial: "HELLO WORLD" at 1-M.
    expect(
      reedSolomon([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17], 10),
    ).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('makes the published format and version information', () => {
    expect(
      [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => formatBits(mask).toString(2).padStart(15, '0')),
    ).toEqual(FORMAT_M);
    expect([7, 8, 9, 10].map((version) => versionBits(version))).toEqual([
      0x07c94, 0x085bc, 0x09a99, 0x0a4d3,
    ]);
  });

  it('holds the published byte-mode capacities of level M', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(byteCapacity)).toEqual([
      14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
    ]);
  });

  it('draws the same symbols as python-qrcode, module for module', () => {
    expect(REFERENCE.length).toBeGreaterThanOrEqual(20);
    for (const reference of REFERENCE) {
      const qr = encodeQr(reference.text, { mask: reference.mask });
      const name = `version ${reference.version} mask ${reference.mask}`;
      expect(qr.version, name).toBe(reference.version);
      expect(qr.size, name).toBe(17 + 4 * reference.version);
      expect(rowsOf(qr), name).toEqual(reference.rows);
    }
  });

  it('is read back by the decoder, reference symbols included', () => {
    for (const reference of REFERENCE) {
      const modules = reference.rows.map((row) => [...row].map((module) => module === '1'));
      expect(decode(modules)).toEqual({
        text: reference.text,
        version: reference.version,
        mask: reference.mask,
      });
    }
  });

  it('encodes any text up to 213 bytes so that it reads back, in the smallest version', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', maxLength: 213 })
          .filter((text) => new TextEncoder().encode(text).length <= 213),
        (text) => {
          const qr = encodeQr(text);
          const length = new TextEncoder().encode(text).length;
          expect(byteCapacity(qr.version)).toBeGreaterThanOrEqual(length);
          if (qr.version > 1) expect(byteCapacity(qr.version - 1)).toBeLessThan(length);
          expect(decode(qr.modules)).toEqual({ text, version: qr.version, mask: qr.mask });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads back an enrolment link at every mask, and picks the mask with the lowest penalty', () => {
    const link = 'https://collecte.example.fr/?enrol=ABCD-2345';
    const scores = [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => {
      const forced = encodeQr(link, { mask });
      expect(decode(forced.modules)).toEqual({ text: link, version: 4, mask });
      return penalty(forced.modules);
    });
    const chosen = encodeQr(link);
    expect(penalty(chosen.modules)).toBe(Math.min(...scores));
    expect(chosen.mask).toBe(scores.indexOf(Math.min(...scores)));
  });

  it('scores the penalty rules as the standard counts them', () => {
    const grid = (size: number, dark: (r: number, c: number) => boolean) =>
      Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => dark(r, c)));
    // A checkerboard: no run of five, no 2x2 block, no finder-like pattern, half dark.
    expect(penalty(grid(8, (r, c) => (r + c) % 2 === 0))).toBe(0);
    // All light, 6x6: 12 runs of 6 (3 + 1 each), 25 blocks (3 each), 0 % dark (10 x 10).
    expect(penalty(grid(6, () => false))).toBe(12 * 4 + 25 * 3 + 100);
    // One row 0000 1011101 in a checkerboard: one finder-like pattern with four light before it.
    const finder = [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1];
    expect(penalty(grid(11, (r, c) => (r === 5 ? finder[c] === 1 : (r + c) % 2 === 0)))).toBe(40);
  });

  it('refuses more than version 10 holds', () => {
    expect(encodeQr('x'.repeat(213)).version).toBe(10);
    expect(() => encodeQr('x'.repeat(214))).toThrow(RangeError);
  });

  it('draws exactly the dark modules as SVG, inside a four-module quiet zone', () => {
    const qr = encodeQr('https://collecte.example.fr/?enrol=ABCD-2345');
    const drawn = new Set<string>();
    for (const [, x, y, width] of qrPath(qr).matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
      for (let k = 0; k < Number(width); k++) drawn.add(`${Number(y) - 4},${Number(x) - 4 + k}`);
    }
    const dark = new Set<string>();
    qr.modules.forEach((line, r) => line.forEach((d, c) => d && dark.add(`${r},${c}`)));
    expect(drawn).toEqual(dark);
    expect(qrPath(qr).replace(/M\d+ \d+h\d+v1h-\d+z/g, '')).toBe('');
  });
});
