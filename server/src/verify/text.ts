// The verification report as a person reads it in a terminal or the editor's output channel.
// (`--format json` prints the report object itself.) Labels are in the run's language; the findings
// arrive already worded in it.

import { term } from '../core/messages';
import type { Locale } from '../core/types';
import type { VerifyReport } from './message';

export function formatVerifyText(report: VerifyReport, locale: Locale, file?: string): string {
  const yes = term('verify.text.yes', 'yes', locale);
  const no = term('verify.text.no', 'NO', locale);
  const lines: string[] = [];
  if (file) lines.push(file, '');
  lines.push('DKIM');
  if (!report.dkim.length) lines.push(`  ${term('verify.text.noSignature', 'no signature', locale)}`);
  for (const d of report.dkim) {
    lines.push(`  d=${d.domain} s=${d.selector}: ${d.result}${d.reason ? ` (${d.reason})` : ''}`);
    const key = d.keyBits === null ? '-' : `${d.keyBits}`;
    lines.push(`    ${term('verify.text.key', 'key bits', locale)}: ${key} · a=${d.algorithm ?? '-'} · c=${d.canonicalization ?? 'simple/simple'}`);
    lines.push(
      `    h=: From ${d.covers.from ? yes : no} · Subject ${d.covers.subject ? yes : no} · List-Unsubscribe ${d.covers.listUnsubscribe ? yes : no} · List-Unsubscribe-Post ${d.covers.listUnsubscribePost ? yes : no}`,
    );
    if (d.bodyLength !== null) lines.push(`    l=${d.bodyLength} (${term('verify.text.unsigned', 'unsigned bytes after it', locale)}: ${d.unsignedBodyBytes})`);
    if (d.expiresAt) lines.push(`    ${term('verify.text.expires', 'expires', locale)}: ${d.expiresAt}`);
  }
  lines.push('', 'SPF');
  const s = report.spf;
  lines.push(`  ${s.result}${s.ip ? ` · ip ${s.ip}` : ''}${s.domain ? ` · ${s.domain}` : ''}${s.mechanism ? ` · ${s.mechanism}` : ''}`);
  lines.push('', 'DMARC');
  const m = report.dmarc;
  const aligned = m.alignedBy.length ? m.alignedBy.join(', ') : term('verify.text.nothing', 'nothing', locale);
  lines.push(`  ${m.result}${m.domain ? ` · ${m.domain}` : ''}${m.policy ? ` · p=${m.policy}` : ''} · ${term('verify.text.aligned', 'aligned by', locale)}: ${aligned}`);
  if (report.arc) {
    lines.push('', 'ARC', `  ${report.arc.result}${report.arc.instance !== null ? ` · i=${report.arc.instance}` : ''}${report.arc.reason ? ` (${report.arc.reason})` : ''}`);
  }
  lines.push('', term('verify.text.findings', 'Findings', locale));
  if (!report.findings.length) lines.push(`  ${term('verify.text.none', 'none', locale)}`);
  for (const f of report.findings) lines.push(`  ${f.severity.padEnd(7)} ${f.message}  ${f.id}`);
  return lines.join('\n') + '\n';
}
