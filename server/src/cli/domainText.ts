// The report as a person reads it in a terminal. (`--format json` prints the report object itself.)
// Labels and states are in the run's language; the findings arrive already worded in it.

import { escapeControl } from './escape';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import type { OverviewItem, OverviewState } from '../dns/overview';
import type { DomainFinding, DomainReport, SpfNode, TxtPolicyReport } from '../dns/types';
import { SPF_LOOKUP_LIMIT, SPF_VOID_LIMIT } from '../dns/spf';
import { describeStatus, isFailure } from '../dns/resolver';

function verdictWord(status: string, locale: Locale): string {
  if (status === 'met') return term('domain.verdict.met', 'met', locale);
  if (status === 'not-met') return term('domain.verdict.notMet', 'NOT MET', locale);
  return term('domain.verdict.unknown', 'unknown', locale);
}

export function stateWord(state: OverviewState, locale: Locale): string {
  switch (state) {
    case 'ok':
      return term('domain.state.ok', 'ok', locale);
    case 'info':
      return term('domain.state.info', 'info', locale);
    case 'warning':
      return term('domain.state.warning', 'warning', locale);
    case 'error':
      return term('domain.state.error', 'error', locale);
    default:
      return term('domain.state.failed', 'unknown (lookup failed)', locale);
  }
}

function nodeNote(n: SpfNode, locale: Locale): string {
  switch (n.status) {
    case 'missing':
      return ` [${term('domain.spf.noRecord', 'no SPF record', locale)}]`;
    case 'multiple':
      return ` [${term('domain.spf.several', 'several SPF records', locale)}]`;
    case 'loop':
      return ` [${term('domain.spf.loop', 'loop', locale)}]`;
    case 'dns-failure':
      return ` [${describeStatus(n.dnsStatus!, locale)}]`;
    case 'not-followed':
      return ` [${term('domain.spf.notFollowed', 'not followed', locale)}]`;
    case 'syntax-error':
      return ` [${term('domain.spf.syntaxError', 'syntax error', locale)}]`;
    default:
      return '';
  }
}

function lookups(n: number | string, locale: Locale): string {
  return n === 1 ? interpolate(term('domain.lookup', '{n} lookup', locale), { n }) : interpolate(term('domain.lookups', '{n} lookups', locale), { n });
}

/** The include tree, one line per record, with the lookups each costs (its own term included). */
export function spfTreeLines(root: SpfNode, locale: Locale = 'en'): string[] {
  const lines: string[] = [interpolate(term('domain.spf.treeRoot', '{domain}: {lookups} in all ({own} in this record), {voids} void', locale), { domain: root.domain, lookups: lookups(root.totalLookups, locale), own: root.lookups, voids: root.voidLookups })];
  const visit = (node: SpfNode, prefix: string) => {
    // Past the follow limit a hostile record can list hundreds of includes: one line says how many.
    const unread = node.children.filter((c) => c.status === 'not-followed');
    const kids = unread.length > 3 ? node.children.filter((c) => c.status !== 'not-followed') : node.children;
    if (kids !== node.children) lines.push(`${prefix}${kids.length ? '├─ ' : '└─ '}${interpolate(term('domain.spf.moreNotFollowed', '{count} more includes not followed ({first} ...)', locale), { count: unread.length, first: unread[0]!.domain })}`);
    kids.forEach((c, i) => {
      const last = i === kids.length - 1;
      const cost = c.totalLookups + 1;
      const voids = c.voidLookups ? `, ${interpolate(term('domain.void', '{n} void', locale), { n: c.voidLookups })}` : '';
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${c.via}:${c.domain}  ${lookups(cost, locale)}${voids}${nodeNote(c, locale)}`);
      visit(c, prefix + (last ? '   ' : '│  '));
    });
  };
  visit(root, '');
  return lines;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function policyLine(p: TxtPolicyReport, item: OverviewItem | undefined, locale: Locale): string {
  if (isFailure(p.status)) return `${stateWord('failed', locale)}  (${p.name}: ${describeStatus(p.status, locale)})`;
  const body = p.record ? `${p.record}  (${p.name})` : interpolate(term('domain.noneAt', 'none at {name}', locale), { name: p.name });
  return `${tag(item, locale)}${body}`;
}

/** "[warning] " before an item's value, from the overview (empty when there is no item). */
function tag(item: OverviewItem | undefined, locale: Locale): string {
  return item ? `[${stateWord(item.state, locale)}] ` : '';
}

function severityWord(severity: DomainFinding['severity'], locale: Locale): string {
  return stateWord(severity, locale);
}

export function findingLines(f: DomainFinding, locale: Locale = 'en'): string[] {
  const lines = [`  ${severityWord(f.severity, locale).padEnd(8)} ${f.id}  ${f.message}`];
  if (f.fix?.value !== undefined) lines.push(`           ${interpolate(term('domain.publish', 'publish {type} {name}: {value}', locale), { type: f.fix.type, name: f.fix.name, value: quote(f.fix.value) })}`);
  if (f.fix?.note) lines.push(`           ${f.fix.note}`);
  return lines;
}

export function formatText(r: DomainReport, locale: Locale = 'en'): string {
  const out: string[] = [];
  const item = (part: OverviewItem['part'], name?: string) => (r.overview ?? []).find((i) => i.part === part && (name === undefined || i.name === name));
  const queries = r.queries === 1 ? term('domain.header.one', 'Domain authentication for {domain}  ({queries} DNS query, {ms} ms)', locale) : term('domain.header', 'Domain authentication for {domain}  ({queries} DNS queries, {ms} ms)', locale);
  out.push(interpolate(queries, { domain: r.domain, queries: r.queries, ms: r.durationMs }));
  out.push('');
  out.push(term('domain.requirements', 'Bulk-sender requirements', locale));
  const width = Math.max(...r.verdicts.map((v) => v.label.length));
  const words = r.verdicts.map((v) => verdictWord(v.status, locale));
  const wordWidth = Math.max(7, ...words.map((w) => w.length));
  r.verdicts.forEach((v, i) => out.push(`  ${v.label.padEnd(width)}  ${words[i]!.padEnd(wordWidth)}  ${v.reasons.join('; ')}`));
  out.push('');
  // What the workspace's infrastructure gave the check, and from where.
  const infra = r.infrastructure;
  if (infra) {
    out.push(term('domain.infra', 'From the infrastructure in this workspace', locale));
    for (const s of infra.selectors) out.push(`  ${interpolate(term('domain.infra.selector', 'DKIM selector {selector} (BYODKIM)  {from}', locale), { selector: escapeControl(s.selector), from: escapeControl(s.from) })}`);
    for (const m of infra.mailFromDomains) out.push(`  ${interpolate(term('domain.infra.mailFrom', 'MAIL FROM {domain}  {from}', locale), { domain: escapeControl(m.domain), from: escapeControl(m.from) })}`);
    for (const f of infra.easyDkim) out.push(`  ${interpolate(term('domain.infra.easyDkim', 'Easy DKIM: selectors unknown offline  {from}', locale), { from: escapeControl(f) })}`);
    out.push('');
  }

  const pad = (label: string) => label.padEnd(9);
  const failed = stateWord('failed', locale);
  const spf = item('spf');
  if (r.spf.result === 'temperror' && !r.spf.record) {
    out.push(`${pad('SPF')}${failed}`);
  } else if (r.spf.record) {
    out.push(`${pad('SPF')}${tag(spf, locale)}${r.spf.record}`);
    out.push(`${pad('')}${interpolate(term('domain.spf.counts', '{lookups}/{lookupLimit} DNS lookups, {voids}/{voidLimit} void lookups', locale), { lookups: r.spf.dnsLookups, lookupLimit: SPF_LOOKUP_LIMIT, voids: r.spf.voidLookups, voidLimit: SPF_VOID_LIMIT })}`);
    if (r.spf.tree) for (const l of spfTreeLines(r.spf.tree, locale)) out.push(`${pad('')}${l}`);
  } else if (r.spf.records.length > 1) {
    out.push(`${pad('SPF')}${tag(spf, locale)}${interpolate(term('domain.spf.records', '{count} records (only one is allowed):', locale), { count: r.spf.records.length })}`);
    for (const rec of r.spf.records) out.push(`${pad('')}${rec}`);
  } else {
    out.push(`${pad('SPF')}${tag(spf, locale)}${term('domain.none', 'none', locale)}`);
  }

  const dmarc = item('dmarc');
  const walked = r.dmarc.walk.map((s) => s.name).join(', ');
  if (r.dmarc.record) {
    out.push(`${pad('DMARC')}${tag(dmarc, locale)}${r.dmarc.record}`);
    const psl = r.dmarc.pslOrganizationalDomain && r.dmarc.pslOrganizationalDomain !== r.dmarc.organizationalDomain ? ` (PSL: ${r.dmarc.pslOrganizationalDomain})` : '';
    const at = r.dmarc.source === 'tree-walk' ? term('domain.dmarc.foundByWalk', 'at {foundAt} (found by the tree walk); policy for {domain}: {policy}; organizational domain {org}', locale) : term('domain.dmarc.found', 'at {foundAt}; policy for {domain}: {policy}; organizational domain {org}', locale);
    out.push(`${pad('')}${interpolate(at, { foundAt: r.dmarc.foundAt ?? '', domain: r.domain, policy: r.dmarc.policy ?? '', org: r.dmarc.organizationalDomain })}${psl}`);
  } else if (r.dmarc.result === 'temperror') {
    out.push(`${pad('DMARC')}${failed}  (${interpolate(term('domain.dmarc.walked', 'walked {names}', locale), { names: walked })})`);
  } else {
    out.push(`${pad('DMARC')}${tag(dmarc, locale)}${term('domain.none', 'none', locale)}  (${interpolate(term('domain.dmarc.walked', 'walked {names}', locale), { names: walked })})`);
  }

  if (!r.dkim.length) out.push(`${pad('DKIM')}${term('domain.dkim.noSelector', 'no selector given', locale)}`);
  r.dkim.forEach((d, i) => {
    const chain = d.cnames.length ? ` -> ${d.cnames.join(' -> ')}` : '';
    const it = item('dkim', d.name);
    let key: string;
    if (d.status === 'dns-failure') key = failed;
    else if (d.status === 'ok') key = `${d.keyType} ${d.keyBits ?? '?'}-bit${d.testing ? ', t=y' : ''}  ${tag(it, locale).trim()}`;
    else key = tag(it, locale).trim();
    out.push(`${pad(i === 0 ? 'DKIM' : '')}${d.selector}: ${d.name}${chain}  ${key}`);
  });

  const mx = item('mx');
  if (isFailure(r.mx.status)) out.push(`${pad('MX')}${failed}  (${describeStatus(r.mx.status, locale)})`);
  else if (r.mx.nullMx) out.push(`${pad('MX')}${tag(mx, locale)}${term('domain.mx.null', 'null MX (accepts no mail)', locale)}`);
  else if (r.mx.records.length) out.push(`${pad('MX')}${tag(mx, locale)}${r.mx.records.map((m) => `${m.priority} ${m.exchange}`).join(', ')}`);
  else out.push(`${pad('MX')}${tag(mx, locale)}${term('domain.none', 'none', locale)} (${describeStatus(r.mx.status, locale)})`);
  out.push(`${pad('MTA-STS')}${policyLine(r.mtaSts, item('mta-sts'), locale)}`);
  out.push(`${pad('TLS-RPT')}${policyLine(r.tlsRpt, item('tls-rpt'), locale)}`);
  out.push(`${pad('BIMI')}${policyLine(r.bimi, item('bimi'), locale)}`);
  out.push('');

  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  const e = count('error');
  const w = count('warning');
  const errors = interpolate(e === 1 ? term('domain.errors.one', '{n} error', locale) : term('domain.errors', '{n} errors', locale), { n: e });
  const warnings = interpolate(w === 1 ? term('domain.warnings.one', '{n} warning', locale) : term('domain.warnings', '{n} warnings', locale), { n: w });
  const infos = interpolate(term('domain.infos', '{n} info', locale), { n: count('info') });
  out.push(r.findings.length ? [errors, warnings, infos].join(locale === 'ja' ? '、' : ', ') : term('domain.noFindings', 'No findings.', locale));
  for (const f of r.findings) out.push(...findingLines(f, locale));
  // DNS answers are data a domain's owner chose: shown, never acted on by the terminal.
  return out.map(escapeControl).join('\n') + '\n';
}
