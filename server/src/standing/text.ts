// The standing report as a person reads it: per provider its figures with source and time, or why
// it could not be asked.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { pct } from './ses';
import type { Figure, StandingReport, Unreachable } from './types';

function why(u: Unreachable, locale: Locale): string {
  switch (u) {
    case 'no-credentials':
      return term('standing.why.noCredentials', 'no credentials', locale);
    case 'access-denied':
      return term('standing.why.accessDenied', 'access denied', locale);
    case 'network':
      return term('standing.why.network', 'network unreachable', locale);
    default:
      return term('standing.why.error', 'the request failed', locale);
  }
}

function valueOf(f: Figure, locale: Locale): string {
  if (f.value === null) return term('standing.noData', 'no data', locale);
  if (typeof f.value === 'boolean') return f.value ? term('verify.text.yes', 'yes', locale) : term('verify.text.no', 'NO', locale);
  if (typeof f.value === 'number' && f.unit === 'ratio') return pct(f.value);
  return String(f.value);
}

export function formatStandingText(report: StandingReport, locale: Locale): string {
  const lines: string[] = [];
  for (const p of report.providers) {
    lines.push(p.provider);
    if (!p.reached) {
      lines.push(`  ${interpolate(term('standing.unreachable', 'not reached: {why} ({detail})', locale), { why: why(p.unreachable ?? 'error', locale), detail: p.detail ?? '' })}`, '');
      continue;
    }
    for (const f of p.figures) {
      const lines2 = f.thresholds?.length ? ` [${f.thresholds.map((t) => `${t.kind} ${pct(t.value)}`).join(', ')}]` : '';
      const trend = f.trend && f.trend.length > 1 ? `  ${term('standing.trend', 'trend', locale)}: ${f.trend.map((t) => pct(t.value)).join(' ')}` : '';
      lines.push(`  ${f.label}: ${valueOf(f, locale)}${lines2}  (${f.source}, ${f.at})${trend}`);
      for (const e of f.entries ?? []) lines.push(`      ${e.address}  ${e.reason}  ${e.at}`);
    }
    for (const x of p.findings) lines.push(`  ${x.severity.padEnd(7)} ${x.message}  ${x.id}`);
    lines.push('');
  }
  return lines.join('\n');
}
