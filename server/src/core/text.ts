// Text primitives every layer shares: applying edits, the one edit between two texts, a file's
// line ending and a line index. Pure string work, no parsing.

import type { TextEdit } from './types';

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

/**
 * The one edit turning `before` into `after`: everything between their common prefix and suffix.
 * It never splits a surrogate pair or a CRLF, which editors treat as one unit.
 */
export function minimalEdit(before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  while (prefix > 0 && (isHighSurrogate(before.charCodeAt(prefix - 1)) || (before[prefix - 1] === '\r' && before[prefix] === '\n'))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const at = (i: number) => before.length - i;
  while (suffix > 0 && (isLowSurrogate(before.charCodeAt(at(suffix))) || (before[at(suffix)] === '\n' && before[at(suffix) - 1] === '\r'))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * The file's line ending: CRLF when its first line break is one. A text without a line break gets
 * `fallback` (HTML writes '\n'; a mail header block is CRLF by RFC 5322).
 */
export function lineEnding(text: string, fallback: '\n' | '\r\n' = '\n'): string {
  const nl = text.indexOf('\n');
  if (nl === -1) return fallback;
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/** Line number (0-based) of each offset, via binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i !== -1) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }
  /** Offset where the 0-based `line` starts (clamped to the last line). */
  startOf(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
