// A small seeded pseudo-random generator for generated data (interviews, benchmark questionnaires):
// the same seed gives the same output on every machine and every run. Not for anything secret.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** One of `items`, uniformly (they must not be empty). */
  pick<T>(items: readonly T[]): T;
  /** An index into `weights`, drawn in proportion to them (they must not all be zero). */
  weighted(weights: readonly number[]): number;
  /** A version 4 UUID (lower-case hex) made of this generator's bits. */
  uuid(): string;
  /**
   * An independent generator seeded from this one: drawing more from one stream (a new kind of
   * answer, say) then never shifts what the other streams draw.
   */
  fork(): Random;
}

/** mulberry32: 32 bits of state, fast, and good enough to spread generated data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string =>
    Math.floor(next() * 16 ** n)
      .toString(16)
      .padStart(n, '0');
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    weighted: (weights) => {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      let left = next() * total;
      for (const [index, weight] of weights.entries()) {
        left -= weight;
        if (left < 0) return index;
      }
      return weights.length - 1;
    },
    uuid: () => {
      const variant = (8 + Math.floor(next() * 4)).toString(16);
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(6)}${hex(6)}`;
    },
    fork: () => seededRandom(Math.floor(next() * 4294967296)),
  };
  return random;
}
