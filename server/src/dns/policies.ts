// The TXT records beside the core three: MTA-STS (RFC 8461), TLS reporting (RFC 8460) and BIMI,
// whose logo only shows when DMARC is at quarantine or reject.

import { interpolate, term } from '../core/messages';
import { joinTxt, parseTagList } from './domain';
import { isFailure, type DnsSession } from './resolver';
import type { DmarcReport, DomainFinding, TxtPolicyReport } from './types';

async function lookup(name: string, version: RegExp, dns: DnsSession): Promise<{ report: TxtPolicyReport; all: string[] }> {
  const a = await dns.txt(name);
  const all = a.data.map(joinTxt).filter((t) => version.test(t));
  return { report: { name, record: all.length === 1 ? all[0]! : null, status: a.status }, all };
}


export async function checkMtaSts(domain: string, dns: DnsSession, out: DomainFinding[]): Promise<TxtPolicyReport> {
  const name = `_mta-sts.${domain}`;
  const { report, all } = await lookup(name, /^v=STSv1\s*(;|$)/, dns);
  // A failed lookup is told once for the run, in the dns-failure finding.
  if (isFailure(report.status)) return report;
  if (all.length > 1) out.push({ id: 'mta-sts-invalid', severity: 'warning', section: 'mta-sts', name, message: interpolate(term('dns.mta-sts-invalid', '{name} has {allLength} MTA-STS records; senders ignore them all.', dns.locale), { name, allLength: all.length }), fix: { name, type: 'TXT', value: all[0], note: term('dns.mta-sts-invalid.note', 'Keep one.', dns.locale) } });
  else if (!report.record) {
    out.push({ id: 'mta-sts-missing', severity: 'info', section: 'mta-sts', name, message: interpolate(term('dns.mta-sts-missing', '{domain} has no MTA-STS record, so mail sent to it can be downgraded to plain text by an attacker in the path.', dns.locale), { domain }), fix: { name, type: 'TXT', value: `v=STSv1; id=${new Date().toISOString().slice(0, 10).replace(/-/g, '')}01`, note: interpolate(term('dns.mta-sts-missing.note', 'Also serve the policy at https://mta-sts.{domain}/.well-known/mta-sts.txt (mode: testing first). This check reads DNS only, not the policy file.', dns.locale), { domain }) } });
  } else {
    const tags = Object.fromEntries(parseTagList(report.record).tags.map((t) => [t.name, t.value]));
    if (!tags['id'] || !/^[A-Za-z0-9]{1,32}$/.test(tags['id'])) {
      out.push({ id: 'mta-sts-invalid', severity: 'warning', section: 'mta-sts', name, message: interpolate(term('dns.mta-sts-invalid.id', 'The MTA-STS record at {name} needs id= of 1 to 32 letters and digits (got {got}).', dns.locale), { name, got: tags['id'] === undefined ? term('dns.none', 'none', dns.locale) : `"${tags['id']}"` }), fix: { name, type: 'TXT', value: `v=STSv1; id=${new Date().toISOString().slice(0, 10).replace(/-/g, '')}01` } });
    }
  }
  return report;
}

export async function checkTlsRpt(domain: string, dns: DnsSession, out: DomainFinding[]): Promise<TxtPolicyReport> {
  const name = `_smtp._tls.${domain}`;
  const { report, all } = await lookup(name, /^v=TLSRPTv1\s*(;|$)/, dns);
  const fix = { name, type: 'TXT' as const, value: `v=TLSRPTv1; rua=mailto:tls-reports@${domain}` };
  if (isFailure(report.status)) return report;
  if (all.length > 1) out.push({ id: 'tls-rpt-invalid', severity: 'warning', section: 'tls-rpt', name, message: interpolate(term('dns.tls-rpt-invalid', '{name} has {allLength} TLS-RPT records; senders ignore them all.', dns.locale), { name, allLength: all.length }), fix });
  else if (!report.record) out.push({ id: 'tls-rpt-missing', severity: 'info', section: 'tls-rpt', name, message: interpolate(term('dns.tls-rpt-missing', '{domain} has no TLS-RPT record, so nobody tells you when senders fail to reach it over TLS.', dns.locale), { domain }), fix });
  else {
    const rua = parseTagList(report.record).tags.find((t) => t.name === 'rua')?.value;
    const ok = !!rua && rua.split(',').every((u) => /^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u.trim()));
    if (!ok) out.push({ id: 'tls-rpt-invalid', severity: 'warning', section: 'tls-rpt', name, message: interpolate(term('dns.tls-rpt-invalid.rua', 'The TLS-RPT record at {name} needs rua= with mailto: or https: addresses (got {got}).', dns.locale), { name, got: rua ? `"${rua}"` : term('dns.none', 'none', dns.locale) }), fix });
  }
  return report;
}

export async function checkBimi(domain: string, dns: DnsSession, dmarc: DmarcReport, out: DomainFinding[]): Promise<TxtPolicyReport> {
  const name = `default._bimi.${domain}`;
  const { report, all } = await lookup(name, /^v=BIMI1\s*(;|$)/i, dns);
  const enforced = dmarc.policy === 'quarantine' || dmarc.policy === 'reject';
  const pct = dmarc.tags['pct'];
  const prerequisiteMet = enforced && (pct === undefined || pct === '100') && dmarc.tags['sp']?.toLowerCase() !== 'none';
  if (isFailure(report.status)) return report;
  if (all.length > 1) out.push({ id: 'bimi-invalid', severity: 'warning', section: 'bimi', name, message: interpolate(term('dns.bimi-invalid', '{name} has {allLength} BIMI records; mailbox providers show no logo.', dns.locale), { name, allLength: all.length }), fix: { name, type: 'TXT', value: all[0], note: term('dns.bimi-invalid.note', 'Keep one.', dns.locale) } });
  if (!report.record) {
    if (!all.length) out.push({ id: 'bimi-missing', severity: 'info', section: 'bimi', name, message: interpolate(prerequisiteMet ? term('dns.bimi-missing', '{domain} has no BIMI record, so no brand logo shows beside its mail.', dns.locale) : term('dns.bimi-missing.dmarc', '{domain} has no BIMI record, so no brand logo shows beside its mail (it would also need DMARC at quarantine or reject).', dns.locale), { domain }), fix: { name, type: 'TXT', value: `v=BIMI1; l=https://${domain}/bimi/logo.svg; a=`, note: term('dns.bimi-missing.note', 'The logo is an SVG Tiny PS file; Gmail and Apple also want a mark certificate (a=https://.../vmc.pem).', dns.locale) } });
    return report;
  }
  const tags = Object.fromEntries(parseTagList(report.record).tags.map((t) => [t.name.toLowerCase(), t.value]));
  const l = tags['l'] ?? '';
  if (l && !/^https:\/\/\S+\.svg$/i.test(l)) {
    out.push({ id: 'bimi-invalid', severity: 'warning', section: 'bimi', name, message: interpolate(term('dns.bimi-invalid.2', 'The BIMI logo l={l} must be an https: URL of an SVG file.', dns.locale), { l }), fix: { name, type: 'TXT', value: `v=BIMI1; l=https://${domain}/bimi/logo.svg${tags['a'] ? `; a=${tags['a']}` : ''}` } });
  }
  if (!prerequisiteMet) {
    out.push({
      id: 'bimi-dmarc-prerequisite',
      severity: 'warning',
      section: 'bimi',
      name,
      message: interpolate(term('dns.bimi-dmarc-prerequisite', '{domain} publishes BIMI, but its DMARC policy is {policy}; mailbox providers show the logo only under p=quarantine or p=reject applied to all mail.', dns.locale), {
        domain,
        // Record syntax (pct=, sp=) reads the same in every language.
        policy: `${dmarc.policy ?? term('dns.bimi.noDmarc', 'missing', dns.locale)}${pct !== undefined && pct !== '100' ? ` pct=${pct}` : ''}${dmarc.tags['sp']?.toLowerCase() === 'none' ? ' sp=none' : ''}`,
      }),
      fix: dmarc.foundAt ? { name: dmarc.foundAt, type: 'TXT', value: `v=DMARC1; p=quarantine${dmarc.tags['rua'] ? `; rua=${dmarc.tags['rua']}` : ''}` } : { name: `_dmarc.${domain}`, type: 'TXT', value: `v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@${domain}` },
    });
  }
  return report;
}
