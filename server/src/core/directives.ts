// Inline directives, written in the format's own comments:
//   deliverlint-disable-next-line rule-a, rule-b -- reason
//   deliverlint-disable rule-a        ...        deliverlint-enable rule-a
//   deliverlint-disable-file rule-a
//   deliverlint-category transactional
// With no rule ids a disable directive covers every rule. Directives that suppress nothing are
// reported (unused-directive) so they do not linger after the problem is fixed.

import { LineIndex } from './text';
import type { Category, Finding } from './types';

export type DirectiveKind = 'disable-next-line' | 'disable' | 'enable' | 'disable-file' | 'category';

export interface Directive {
  kind: DirectiveKind;
  /** Rule ids; empty means all rules. */
  ruleIds: string[];
  category?: Category;
  /** The comment holding the directive. */
  start: number;
  end: number;
  /** Problems with the directive itself (unknown category value). */
  problem?: string;
}

export interface CommentLike {
  start: number;
  end: number;
  data: string;
}

const DIRECTIVE = /^\s*deliverlint-(disable-next-line|disable-file|disable|enable|category)\b([\s\S]*)$/;

export function parseDirectives(comments: readonly CommentLike[]): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.data);
    if (!m) continue;
    const kind = m[1] as DirectiveKind;
    // Everything after " -- " is the reason, for people only.
    const body = m[2]!.split(/\s--\s|\s--$/)[0]!.trim();
    if (kind === 'category') {
      const value = body.toLowerCase();
      if (value === 'marketing' || value === 'transactional') out.push({ kind, ruleIds: [], category: value, start: c.start, end: c.end });
      else out.push({ kind, ruleIds: [], start: c.start, end: c.end, problem: `"${body}" is not a category; use marketing or transactional.` });
      continue;
    }
    const ruleIds = body ? body.split(/[\s,]+/).filter(Boolean) : [];
    out.push({ kind, ruleIds, start: c.start, end: c.end });
  }
  return out;
}

export function categoryDirective(directives: readonly Directive[]): Directive | undefined {
  return directives.find((d) => d.kind === 'category' && d.category);
}

interface Applied {
  kept: Finding[];
  unused: Directive[];
}

/** Removes findings covered by directives; returns the directives that covered none. */
export function applyDirectives(text: string, directives: readonly Directive[], findings: Finding[]): Applied {
  const active = directives.filter((d) => d.kind !== 'category' && d.kind !== 'enable');
  if (!active.length) return { kept: findings, unused: [] };
  const lines = new LineIndex(text);
  const used = new Set<Directive>();
  const covers = (d: Directive, ruleId: string) => d.ruleIds.length === 0 || d.ruleIds.includes(ruleId);
  const sorted = [...directives].sort((a, b) => a.start - b.start);
  const kept = findings.filter((f) => {
    for (const d of sorted) {
      if (!covers(d, f.ruleId)) continue;
      if (d.kind === 'disable-file') {
        used.add(d);
        return false;
      }
      if (d.kind === 'disable-next-line' && lines.lineOf(f.start) === lines.lineOf(d.end - 1) + 1) {
        used.add(d);
        return false;
      }
    }
    // Range directives: the last disable/enable before the finding that names its rule decides.
    let state: Directive | undefined;
    for (const d of sorted) {
      if (d.start > f.start) break;
      if ((d.kind === 'disable' || d.kind === 'enable') && covers(d, f.ruleId)) state = d;
    }
    if (state?.kind === 'disable') {
      used.add(state);
      return false;
    }
    return true;
  });
  return { kept, unused: active.filter((d) => !used.has(d)) };
}
