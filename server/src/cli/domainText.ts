// The report as a person reads it in a terminal. (`--format json` prints the report object itself.)

import { escapeControl } from './escape';
import type { DomainFinding, DomainReport, SpfNode, TxtPolicyReport } from '../dns/types';
import { SPF_LOOKUP_LIMIT, SPF_VOID_LIMIT } from '../dns/spf';
import { describeStatus } from '../dns/resolver';

const STATUS: Record<string, string> = { met: 'met', 'not-met': 'NOT MET', unknown: 'unknown' };

function nodeNote(n: SpfNode): string {
  switch (n.status) {
    case 'missing':
      return ' [no SPF record]';
    case 'multiple':
      return ' [several SPF records]';
    case 'loop':
      return ' [loop]';
    case 'dns-failure':
      return ` [${describeStatus(n.dnsStatus!)}]`;
    case 'not-followed':
      return ' [not followed]';
    case 'syntax-error':
      return ' [syntax error]';
    default:
      return '';
  }
}

/** The include tree, one line per record, with the lookups each costs (its own term included). */
export function spfTreeLines(root: SpfNode): string[] {
  const lines: string[] = [`${root.domain}: ${root.totalLookups} lookup${root.totalLookups === 1 ? '' : 's'} in all (${root.lookups} in this record), ${root.voidLookups} void`];
  const visit = (node: SpfNode, prefix: string) => {
    // Past the follow limit a hostile record can list hundreds of includes: one line says how many.
    const unread = node.children.filter((c) => c.status === 'not-followed');
    const kids = unread.length > 3 ? node.children.filter((c) => c.status !== 'not-followed') : node.children;
    if (kids !== node.children) lines.push(`${prefix}${kids.length ? '├─ ' : '└─ '}${unread.length} more includes not followed (${unread[0]!.domain} ...)`);
    kids.forEach((c, i) => {
      const last = i === kids.length - 1;
      const cost = c.totalLookups + 1;
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${c.via}:${c.domain}  ${cost} lookup${cost === 1 ? '' : 's'}${c.voidLookups ? `, ${c.voidLookups} void` : ''}${nodeNote(c)}`);
      visit(c, prefix + (last ? '   ' : '│  '));
    });
  };
  visit(root, '');
  return lines;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function policyLine(p: TxtPolicyReport): string {
  return p.record ? `${p.record}  (${p.name})` : `none at ${p.name}${p.status !== 'ok' && p.status !== 'nodata' && p.status !== 'nxdomain' ? ` (${describeStatus(p.status)})` : ''}`;
}

export function findingLines(f: DomainFinding): string[] {
  const lines = [`  ${f.severity.padEnd(8)} ${f.id}  ${f.message}`];
  if (f.fix?.value !== undefined) lines.push(`           publish ${f.fix.type} ${f.fix.name}: ${quote(f.fix.value)}`);
  if (f.fix?.note) lines.push(`           ${f.fix.note}`);
  return lines;
}

export function formatText(r: DomainReport): string {
  const out: string[] = [];
  out.push(`Domain authentication for ${r.domain}  (${r.queries} DNS queries, ${r.durationMs} ms)`);
  out.push('');
  out.push('Bulk-sender requirements');
  const width = Math.max(...r.verdicts.map((v) => v.label.length));
  for (const v of r.verdicts) out.push(`  ${v.label.padEnd(width)}  ${STATUS[v.status]!.padEnd(7)}  ${v.reasons.join('; ')}`);
  out.push('');

  const pad = (label: string) => label.padEnd(9);
  if (r.spf.record) {
    out.push(`${pad('SPF')}${r.spf.record}`);
    out.push(`${pad('')}${r.spf.dnsLookups}/${SPF_LOOKUP_LIMIT} DNS lookups, ${r.spf.voidLookups}/${SPF_VOID_LIMIT} void lookups`);
    if (r.spf.tree) for (const l of spfTreeLines(r.spf.tree)) out.push(`${pad('')}${l}`);
  } else if (r.spf.records.length > 1) {
    out.push(`${pad('SPF')}${r.spf.records.length} records (only one is allowed):`);
    for (const rec of r.spf.records) out.push(`${pad('')}${rec}`);
  } else {
    out.push(`${pad('SPF')}${r.spf.result === 'temperror' ? 'unknown (DNS failure)' : 'none'}`);
  }

  if (r.dmarc.record) {
    out.push(`${pad('DMARC')}${r.dmarc.record}`);
    out.push(`${pad('')}at ${r.dmarc.foundAt}${r.dmarc.source === 'tree-walk' ? ' (found by the tree walk)' : ''}; policy for ${r.domain}: ${r.dmarc.policy}; organizational domain ${r.dmarc.organizationalDomain}${r.dmarc.pslOrganizationalDomain && r.dmarc.pslOrganizationalDomain !== r.dmarc.organizationalDomain ? ` (PSL: ${r.dmarc.pslOrganizationalDomain})` : ''}`);
  } else {
    out.push(`${pad('DMARC')}${r.dmarc.result === 'temperror' ? 'unknown (DNS failure)' : 'none'}  (walked ${r.dmarc.walk.map((s) => s.name).join(', ')})`);
  }

  if (!r.dkim.length) out.push(`${pad('DKIM')}no selector given`);
  r.dkim.forEach((d, i) => {
    const chain = d.cnames.length ? ` -> ${d.cnames.join(' -> ')}` : '';
    const key = d.status === 'ok' ? `${d.keyType} ${d.keyBits ?? '?'}-bit${d.testing ? ', testing (t=y)' : ''}` : d.status;
    out.push(`${pad(i === 0 ? 'DKIM' : '')}${d.selector}: ${d.name}${chain}  ${key}`);
  });

  if (r.mx.nullMx) out.push(`${pad('MX')}null MX (accepts no mail)`);
  else if (r.mx.records.length) out.push(`${pad('MX')}${r.mx.records.map((m) => `${m.priority} ${m.exchange}`).join(', ')}`);
  else out.push(`${pad('MX')}none (${describeStatus(r.mx.status)})`);
  out.push(`${pad('MTA-STS')}${policyLine(r.mtaSts)}`);
  out.push(`${pad('TLS-RPT')}${policyLine(r.tlsRpt)}`);
  out.push(`${pad('BIMI')}${policyLine(r.bimi)}`);
  out.push('');

  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  const e = count('error');
  const w = count('warning');
  const n = count('info');
  out.push(r.findings.length ? `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${n} info` : 'No findings.');
  for (const f of r.findings) out.push(...findingLines(f));
  // DNS answers are data a domain's owner chose: shown, never acted on by the terminal.
  return out.map(escapeControl).join('\n') + '\n';
}
