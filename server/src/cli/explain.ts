// deliverlint --explain FILE...: what Deliverlint takes each file for and why. The kind, the mail
// category, whether it is an email, a part or a web page, and the layouts and partials the message
// is built from, with their paths. Text for people, JSON for tools.

import * as path from 'node:path';
import { describeCategory } from '../core/classify';
import { roleReasons, type Composition } from '../core/compose';
import type { Locale, ResolvedConfig } from '../core/types';
import { readTextFileSync } from '../host/files';
import { readerFor } from './lintFile';
import { linter } from '../linter';
import { escapeControl } from './escape';

export interface Explanation {
  filePath: string;
  kind?: string;
  category?: { category: string; signal: string; reason: string };
  role?: { role: string; reasons: string[] };
  engine?: string;
  parts?: Array<{ kind: string; name: string; path?: string; framework?: string; from: string }>;
  unresolved?: Array<{ kind: string; name: string | null; reason: string; from: string }>;
  findings?: Record<string, number>;
  error?: string;
}

export function explainFile(file: string, config: ResolvedConfig, locale: Locale, roots: readonly string[]): Explanation {
  const read = readTextFileSync(file);
  if (!('text' in read)) return { filePath: file, error: 'unreadable' in read ? `unreadable (${read.unreadable})` : 'missing' in read ? read.detail : 'too large' };
  const result = linter.lint({ text: read.text, filePath: file, config, locale, reader: readerFor(config, roots, true) });
  const findings: Record<string, number> = {};
  for (const f of result.findings) findings[f.severity] = (findings[f.severity] ?? 0) + 1;
  const c: Composition | undefined = result.composition;
  return {
    filePath: file,
    kind: result.kind,
    category: { category: result.category.category, signal: result.category.signal, reason: describeCategory(result.category, locale) },
    ...(c && {
      role: { role: c.role.role, reasons: roleReasons(c.role, locale) },
      engine: c.engine,
      parts: c.parts.map((p) => ({ kind: p.kind, name: p.name, ...(p.path && { path: p.path.replace(/#.*$/, '') }), ...(p.framework && { framework: p.framework }), from: p.from })),
      unresolved: c.unresolved.map((u) => ({ kind: u.kind, name: u.name ?? null, reason: u.reason, from: u.from })),
    }),
    findings,
  };
}

const rel = (p: string) => escapeControl(path.relative(process.cwd(), p) || p);

export function formatExplanations(all: readonly Explanation[], format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(all, null, 2);
  const out: string[] = [];
  for (const e of all) {
    out.push(rel(e.filePath));
    if (e.error) {
      out.push(`  cannot be read: ${escapeControl(e.error)}`, '');
      continue;
    }
    out.push(`  kind:      ${e.kind}${e.engine && e.engine !== e.kind ? ` (${e.engine} template)` : ''}`);
    if (e.role) out.push(`  role:      ${e.role.role}, because ${e.role.reasons.map(escapeControl).join('; ')}`);
    if (e.category) out.push(`  category:  ${escapeControl(e.category.reason)}`);
    for (const p of e.parts ?? []) out.push(`  ${p.kind === 'layout' ? 'layout:   ' : p.kind === 'text' ? 'text part:' : 'partial:  '} ${escapeControl(p.name)} -> ${p.path ? rel(p.path) : `${p.framework} (framework)`}${p.from !== e.filePath ? ` (from ${rel(p.from)})` : ''}`);
    for (const u of e.unresolved ?? []) out.push(`  not followed: ${u.kind} ${escapeControl(u.name ?? '(computed at run time)')}: ${u.reason}`);
    const counts = Object.entries(e.findings ?? {}).map(([s, n]) => `${n} ${s}`);
    out.push(`  findings:  ${counts.length ? counts.join(', ') : 'none'}`, '');
  }
  return out.join('\n');
}
