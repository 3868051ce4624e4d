// Applying fixes as data: sort, drop overlapping edits (first come wins, as ESLint does), apply,
// lint again, and repeat while safe fixes keep coming.

import { applyEdits } from './text';
import type { Finding, Fix, LintRequest, LintResult } from './types';

/** The edits of one fix per finding that do not overlap each other (whole fixes only). */
export function nonOverlappingFixes(findings: readonly Finding[], safeOnly: boolean): Fix[] {
  const chosen: Fix[] = [];
  const taken: Array<[number, number]> = [];
  for (const f of findings) {
    // A fix for another file (a shared partial) never applies to this text.
    const fix = f.fixes.find((x) => (x.safe || !safeOnly) && !x.filePath);
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
  /** Number of fixes applied over all passes (the CLI's --fix summary). */
  applied: number;
}

const MAX_PASSES = 10;

/** Lints, applies all safe fixes, lints again, until nothing changes (at most 10 passes). */
export function fixText(lint: (req: LintRequest) => LintResult, req: LintRequest): FixOutcome {
  let text = req.text;
  let result = lint({ ...req, text });
  let passes = 0;
  let applied = 0;
  while (passes < MAX_PASSES) {
    const fixes = nonOverlappingFixes(result.findings, true);
    if (!fixes.length) break;
    const next = applyEdits(text, fixes.flatMap((f) => f.edits)).text;
    if (next === text) break;
    text = next;
    passes++;
    applied += fixes.length;
    result = lint({ ...req, text });
  }
  return { text, result, passes, applied };
}
