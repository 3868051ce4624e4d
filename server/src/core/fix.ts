// Applying fixes as data: sort, drop overlapping edits (first come wins, as ESLint does), apply,
// lint again, and repeat while safe fixes keep coming.

import { lint } from './engine';
import type { Finding, Fix, LintRequest, LintResult, TextEdit } from './types';

/** Applies non-overlapping edits; returns the new text and the edits that were skipped. */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; skipped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    // Two inserts at the same point would interleave unpredictably; keep the first.
    if (e.start < lastEnd || (e.start === lastEnd && e.start === e.end && kept.length && kept[kept.length - 1]!.start === e.start)) {
      skipped.push(e);
      continue;
    }
    kept.push(e);
    lastEnd = e.end;
  }
  let out = '';
  let pos = 0;
  for (const e of kept) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return { text: out + text.slice(pos), skipped };
}

/** The edits of one fix per finding that do not overlap each other (whole fixes only). */
export function nonOverlappingFixes(findings: readonly Finding[], safeOnly: boolean): Fix[] {
  const chosen: Fix[] = [];
  const taken: Array<[number, number]> = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe || !safeOnly);
    if (!fix) continue;
    const spans = fix.edits.map((e) => [e.start, e.end] as [number, number]);
    const clash = spans.some(([s, e]) => taken.some(([ts, te]) => s < te && ts < e || (s === e && s === ts && ts === te)));
    if (clash) continue;
    chosen.push(fix);
    taken.push(...spans);
  }
  return chosen;
}

export interface FixOutcome {
  text: string;
  result: LintResult;
  /** Number of passes that changed the text. */
  passes: number;
}

const MAX_PASSES = 10;

/** Lints, applies all safe fixes, lints again, until nothing changes (at most 10 passes). */
export function fixText(req: LintRequest): FixOutcome {
  let text = req.text;
  let result = lint({ ...req, text });
  let passes = 0;
  while (passes < MAX_PASSES) {
    const fixes = nonOverlappingFixes(result.findings, true);
    if (!fixes.length) break;
    const next = applyEdits(text, fixes.flatMap((f) => f.edits)).text;
    if (next === text) break;
    text = next;
    passes++;
    result = lint({ ...req, text });
  }
  return { text, result, passes };
}
