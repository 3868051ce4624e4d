// "Did you mean ...?" for a mistyped name: the known name fewest single-character edits away.

/** Levenshtein distance, with a cap: past `max` the exact figure does not matter (returns max + 1). */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known name closest to `word`, when it is close enough to be what was meant: at most a third
 * of the word's length away (at least 2 edits allowed), so "foo" suggests nothing. Names are short
 * and few (the rule ids), and `word` is capped, so this stays cheap on hostile input.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const w = word.slice(0, 100).toLowerCase();
  const max = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const name of known) {
    const d = editDistance(w, name.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}
