// Repeatable random strings for tests that compare a fast form with a plain one: the same seed
// gives the same strings on every machine, so a failure can be reproduced.

/** `count` strings of 0 to `maxLength - 1` characters drawn from `alphabet`, from a linear congruential generator. */
export function seededStrings(alphabet: readonly string[], count: number, maxLength: number, seed: number): string[] {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = '';
    const length = Math.floor(rand() * maxLength);
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    out.push(s);
  }
  return out;
}

/** A repeatable stream of numbers for tests: `next(n)` is an integer in [0, n), `chance(p)` true with probability p. */
export interface SeededRandom {
  next(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/**
 * A small generator with good low bits (mulberry32, 32-bit integer arithmetic through Math.imul):
 * the generator above multiplies past 2^53 in floating point, so its low bits are not random and
 * `% n` of it repeats; its strings stay as they are, the tests that use them depend on them.
 */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const float = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next: (n) => Math.floor(float() * n),
    chance: (p) => float() < p,
    pick: (items) => items[Math.floor(float() * items.length)]!,
  };
}
