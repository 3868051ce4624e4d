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
