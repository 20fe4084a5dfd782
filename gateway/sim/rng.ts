/** A small seeded PRNG (mulberry32) so the simulation is the same for the same seed. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** A lowercase base36 id of `n` characters. */
  id(n: number): string;
  fork(salt: number): Rng;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
    chance: (p) => next() < p,
    id(n) {
      let s = "";
      for (let i = 0; i < n; i++) s += Math.floor(next() * 36).toString(36);
      return s;
    },
    fork: (salt) => createRng((Math.imul(seed ^ 0x5bd1e995, 31) + Math.imul(salt, 0x27d4eb2d)) >>> 0),
  };
  return rng;
}
