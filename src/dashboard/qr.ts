// A QR code encoder (ISO/IEC 18004) for the enrolment link the dashboard shows a tablet's camera:
// byte mode, error correction level M, versions 1 to 10 (up to 213 bytes, a long server address
// and the code), Reed-Solomon over GF(256), the mask chosen by the standard's penalty score, drawn
// as SVG. Small and without dependencies; tests/unit/dashboard/qr.test.ts checks it against
// published vectors, another encoder's matrices and a decoder.

/** A QR symbol: `modules[row][column]`, true for a dark module, without the quiet zone. */
export interface QrCode {
  readonly version: number;
  /** Modules per side: 17 + 4 x version. */
  readonly size: number;
  /** The data mask used (0-7). */
  readonly mask: number;
  readonly modules: readonly (readonly boolean[])[];
}

/** Error correction at level M per version: EC codewords per block, and the blocks' data sizes. */
const LEVEL_M: readonly { readonly ec: number; readonly blocks: readonly number[] }[] = [
  { ec: 10, blocks: [16] },
  { ec: 16, blocks: [28] },
  { ec: 26, blocks: [44] },
  { ec: 18, blocks: [32, 32] },
  { ec: 24, blocks: [43, 43] },
  { ec: 16, blocks: [27, 27, 27, 27] },
  { ec: 18, blocks: [31, 31, 31, 31] },
  { ec: 22, blocks: [38, 38, 39, 39] },
  { ec: 22, blocks: [36, 36, 36, 37, 37] },
  { ec: 26, blocks: [43, 43, 43, 43, 44] },
];

/** Centre rows and columns of the alignment patterns, per version. */
const ALIGNMENT: readonly (readonly number[])[] = [
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

export const MAX_VERSION = LEVEL_M.length;

// GF(256) with the QR code's polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d).
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let value = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = value;
    LOG[value] = i;
    value <<= 1;
    if (value & 0x100) value ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] ?? 0;
}

function multiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : (EXP[(LOG[a] ?? 0) + (LOG[b] ?? 0)] ?? 0);
}

/** The generator polynomial (x - a^0)(x - a^1)...(x - a^(degree-1)), highest power first. */
function generator(degree: number): number[] {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    poly.forEach((coefficient, j) => {
      next[j] = (next[j] ?? 0) ^ coefficient;
      next[j + 1] = (next[j + 1] ?? 0) ^ multiply(coefficient, EXP[i] ?? 0);
    });
    poly = next;
  }
  return poly;
}

/** The `degree` error correction codewords of `data` (the remainder of data(x) x^degree / g(x)). */
export function reedSolomon(data: readonly number[], degree: number): number[] {
  const divisor = generator(degree);
  const remainder = new Array<number>(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ (remainder.shift() ?? 0);
    remainder.push(0);
    for (let i = 0; i < degree; i++)
      remainder[i] = (remainder[i] ?? 0) ^ multiply(divisor[i + 1] ?? 0, factor);
  }
  return remainder;
}

/** The 15 format bits for level M and a mask: BCH(15,5), then XOR 101010000010010. */
export function formatBits(mask: number): number {
  const data = (0b00 << 3) | mask; // level M is 00
  let remainder = data;
  for (let i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537);
  return ((data << 10) | remainder) ^ 0x5412;
}

/** The 18 version bits (versions 7 and up): the version, then its BCH(18,6) remainder. */
export function versionBits(version: number): number {
  let remainder = version;
  for (let i = 0; i < 12; i++) remainder = (remainder << 1) ^ ((remainder >>> 11) * 0x1f25);
  return (version << 12) | remainder;
}

/** The most bytes a version holds in byte mode at level M. */
export function byteCapacity(version: number): number {
  const level = LEVEL_M[version - 1];
  if (level === undefined) return 0;
  const dataBits = level.blocks.reduce((sum, size) => sum + size, 0) * 8;
  return Math.floor((dataBits - 4 - countBits(version)) / 8);
}

function countBits(version: number): number {
  return version < 10 ? 8 : 16;
}

/** The data codewords: mode, count, bytes, terminator, then padding to the version's capacity. */
export function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const level = LEVEL_M[version - 1];
  if (level === undefined) throw new RangeError(`version ${version} is not supported`);
  const capacity = level.blocks.reduce((sum, size) => sum + size, 0);
  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(bytes.length, countBits(version));
  for (const byte of bytes) push(byte, 8);
  if (bits.length > capacity * 8) throw new RangeError(`too long for version ${version}`);
  push(0, Math.min(4, capacity * 8 - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  const codewords: number[] = [];
  for (let i = 0; i < bits.length; i += 8)
    codewords.push(bits.slice(i, i + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
  for (let pad = 0xec; codewords.length < capacity; pad ^= 0xec ^ 0x11) codewords.push(pad);
  return codewords;
}

/** Data and error correction codewords of every block, interleaved as the symbol carries them. */
export function interleavedCodewords(data: readonly number[], version: number): number[] {
  const level = LEVEL_M[version - 1];
  if (level === undefined) throw new RangeError(`version ${version} is not supported`);
  const blocks: number[][] = [];
  let offset = 0;
  for (const size of level.blocks) {
    blocks.push(data.slice(offset, offset + size));
    offset += size;
  }
  const corrections = blocks.map((block) => reedSolomon(block, level.ec));
  const out: number[] = [];
  const longest = Math.max(...level.blocks);
  for (let i = 0; i < longest; i++)
    for (const block of blocks) if (i < block.length) out.push(block[i] ?? 0);
  for (let i = 0; i < level.ec; i++) for (const block of corrections) out.push(block[i] ?? 0);
  return out;
}

/** Whether the mask flips the module at (row, column). */
export function maskFlips(mask: number, row: number, column: number): boolean {
  switch (mask) {
    case 0:
      return (row + column) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return column % 3 === 0;
    case 3:
      return (row + column) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(column / 3)) % 2 === 0;
    case 5:
      return ((row * column) % 2) + ((row * column) % 3) === 0;
    case 6:
      return (((row * column) % 2) + ((row * column) % 3)) % 2 === 0;
    case 7:
      return (((row + column) % 2) + ((row * column) % 3)) % 2 === 0;
    default:
      throw new RangeError(`no mask ${mask}`);
  }
}

/** A symbol under construction: its modules and which of them are function patterns. */
class Grid {
  readonly dark: boolean[][];
  readonly reserved: boolean[][];

  constructor(readonly size: number) {
    this.dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.reserved = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }

  set(row: number, column: number, dark: boolean): void {
    const line = this.dark[row];
    const reserved = this.reserved[row];
    if (line === undefined || reserved === undefined || column < 0 || column >= this.size) return;
    line[column] = dark;
    reserved[column] = true;
  }

  isReserved(row: number, column: number): boolean {
    return this.reserved[row]?.[column] ?? true;
  }
}

/** Finders and separators, timing, alignment patterns, the dark module, format and version areas. */
function drawFunctionPatterns(grid: Grid, version: number): void {
  const { size } = grid;
  for (const [top, left] of [
    [0, 0],
    [0, size - 7],
    [size - 7, 0],
  ] as const) {
    // The 7x7 finder and its one-module light separator.
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        grid.set(top + r, left + c, ring !== 2 && ring !== 4);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    grid.set(6, i, i % 2 === 0);
    grid.set(i, 6, i % 2 === 0);
  }
  const centres = ALIGNMENT[version - 1] ?? [];
  for (const row of centres) {
    for (const column of centres) {
      // Not over the finders.
      const last = centres.length - 1;
      if ((row === 6 && column === 6) || (row === 6 && column === centres[last])) continue;
      if (row === centres[last] && column === 6) continue;
      for (let r = -2; r <= 2; r++)
        for (let c = -2; c <= 2; c++)
          grid.set(row + r, column + c, Math.max(Math.abs(r), Math.abs(c)) !== 1);
    }
  }
  // Format areas reserved now (drawn once the mask is known), and the module always dark.
  drawFormat(grid, 0);
  grid.set(size - 8, 8, true);
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      grid.set(b, a, dark);
      grid.set(a, b, dark);
    }
  }
}

/** The two copies of the format bits (bit 0 is the least significant). */
function drawFormat(grid: Grid, mask: number): void {
  const { size } = grid;
  const bits = formatBits(mask);
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  // Around the top-left finder: down column 8, then leftwards along row 8.
  for (let i = 0; i <= 5; i++) grid.set(i, 8, bit(i));
  grid.set(7, 8, bit(6));
  grid.set(8, 8, bit(7));
  grid.set(8, 7, bit(8));
  for (let i = 9; i < 15; i++) grid.set(8, 14 - i, bit(i));
  // Split between the two other finders: along row 8 from the right, then down column 8.
  for (let i = 0; i < 8; i++) grid.set(8, size - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) grid.set(size - 15 + i, 8, bit(i));
}

/** Places the codewords' bits in the two-column zigzag, from the bottom-right corner. */
function drawCodewords(grid: Grid, codewords: readonly number[]): void {
  const { size } = grid;
  const total = codewords.length * 8;
  let index = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5; // the vertical timing pattern's column is skipped
    const upward = ((right + 1) & 2) === 0;
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (const column of [right, right - 1]) {
        if (grid.isReserved(row, column)) continue;
        // Remainder bits after the last codeword stay light.
        const dark =
          index < total && (((codewords[index >>> 3] ?? 0) >>> (7 - (index & 7))) & 1) === 1;
        const line = grid.dark[row];
        if (line !== undefined) line[column] = dark;
        index += 1;
      }
    }
  }
}

function applyMask(grid: Grid, mask: number): void {
  for (let row = 0; row < grid.size; row++) {
    const line = grid.dark[row];
    if (line === undefined) continue;
    for (let column = 0; column < grid.size; column++)
      if (!grid.isReserved(row, column) && maskFlips(mask, row, column))
        line[column] = !line[column];
  }
}

/**
 * The standard's penalty score (lower is better): runs of five or more (N1 = 3, plus one per extra
 * module), 2x2 blocks of one colour (N2 = 3), finder-like 1:1:3:1:1 patterns with four light
 * modules on one side (N3 = 40), and the dark share's distance from half (N4 = 10 per 5 %).
 */
export function penalty(modules: readonly (readonly boolean[])[]): number {
  const size = modules.length;
  const at = (row: number, column: number) => modules[row]?.[column] ?? false;
  let score = 0;
  const finderLike = [true, false, true, true, true, false, true];
  for (let line = 0; line < size; line++) {
    for (const read of [(i: number) => at(line, i), (i: number) => at(i, line)]) {
      let run = 1;
      for (let i = 1; i <= size; i++) {
        if (i < size && read(i) === read(i - 1)) {
          run += 1;
          continue;
        }
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
      for (let i = 0; i + 7 <= size; i++) {
        if (!finderLike.every((dark, k) => read(i + k) === dark)) continue;
        const lightBefore = i >= 4 && [1, 2, 3, 4].every((k) => !read(i - k));
        const lightAfter = i + 11 <= size && [0, 1, 2, 3].every((k) => !read(i + 7 + k));
        if (lightBefore) score += 40;
        if (lightAfter) score += 40;
      }
    }
  }
  for (let row = 0; row + 1 < size; row++) {
    for (let column = 0; column + 1 < size; column++) {
      const colour = at(row, column);
      if (
        at(row, column + 1) === colour &&
        at(row + 1, column) === colour &&
        at(row + 1, column + 1) === colour
      )
        score += 3;
    }
  }
  const dark = modules.reduce((sum, line) => sum + line.filter(Boolean).length, 0);
  score += 10 * Math.floor(Math.abs((dark * 100) / (size * size) - 50) / 5);
  return score;
}

/**
 * Encodes `text` (as UTF-8) in the smallest version that holds it. `mask` forces a mask (tests);
 * otherwise the one with the lowest penalty is used. Throws a RangeError beyond version 10.
 */
export function encodeQr(text: string, options: { readonly mask?: number } = {}): QrCode {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (version <= MAX_VERSION && byteCapacity(version) < bytes.length) version += 1;
  if (version > MAX_VERSION)
    throw new RangeError(
      `${bytes.length} bytes do not fit a QR code of version ${MAX_VERSION} at level M`,
    );
  const codewords = interleavedCodewords(dataCodewords(bytes, version), version);
  const size = 17 + 4 * version;
  const build = (mask: number): Grid => {
    const grid = new Grid(size);
    drawFunctionPatterns(grid, version);
    drawCodewords(grid, codewords);
    applyMask(grid, mask);
    drawFormat(grid, mask);
    return grid;
  };
  let best: { mask: number; grid: Grid; score: number } | undefined;
  for (const mask of options.mask === undefined ? [0, 1, 2, 3, 4, 5, 6, 7] : [options.mask]) {
    const grid = build(mask);
    const score = penalty(grid.dark);
    if (best === undefined || score < best.score) best = { mask, grid, score };
  }
  if (best === undefined) throw new RangeError('no mask');
  return { version, size, mask: best.mask, modules: best.grid.dark };
}

/**
 * The SVG path of the dark modules, one rectangle per horizontal run, offset by `margin` modules
 * (the quiet zone a scanner needs is 4).
 */
export function qrPath(qr: QrCode, margin = 4): string {
  const parts: string[] = [];
  qr.modules.forEach((line, row) => {
    let column = 0;
    while (column < qr.size) {
      if (!line[column]) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < qr.size && line[column]) column += 1;
      parts.push(`M${start + margin} ${row + margin}h${column - start}v1h${start - column}z`);
    }
  });
  return parts.join('');
}
