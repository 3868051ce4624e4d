// MX (RFC 5321 §5.1, null MX RFC 7505): where replies and bounces to the From domain go. A domain
// with neither MX nor address cannot receive mail, and receivers distrust senders they cannot answer.

import { interpolate, term } from '../core/messages';
import { isFailure, isVoid, type DnsSession } from './resolver';
import type { DomainFinding, MxReport } from './types';

export async function checkMx(domain: string, dns: DnsSession, out: DomainFinding[]): Promise<MxReport> {
  const add = (f: Omit<DomainFinding, 'section'>) => out.push({ section: 'mx', name: domain, ...f });
  const [mx, a, aaaa] = await Promise.all([dns.mx(domain), dns.a(domain), dns.aaaa(domain)]);
  const records = mx.data.map((r) => ({ exchange: r.exchange.replace(/\.$/, '').toLowerCase(), priority: r.priority })).sort((x, y) => x.priority - y.priority);
  const nullMx = records.some((r) => r.exchange === '');
  const report: MxReport = { records, nullMx, hasAddress: a.status === 'ok' || aaaa.status === 'ok', status: mx.status };

  if (isFailure(mx.status)) {
    return report; // told once for the run, in the dns-failure finding
  }
  if (nullMx && records.length > 1) {
    add({ id: 'mx-null-invalid', severity: 'error', message: interpolate(term('dns.mx-null-invalid', '{domain} publishes a null MX ("0 .") beside other MX records; RFC 7505 says a null MX must be the only one, so senders may treat the domain as broken.', dns.locale), { domain }), fix: { name: domain, type: 'MX', note: term('dns.mx-null-invalid.note', 'Delete either the null MX or the other MX records.', dns.locale) } });
  } else if (nullMx) {
    add({ id: 'mx-null', severity: 'warning', message: interpolate(term('dns.mx-null', '{domain} publishes a null MX: it accepts no mail. Replies and bounces to your From address are lost, and receivers may reject mail whose From domain cannot receive (RFC 7505 §4.2).', dns.locale), { domain }), fix: { name: domain, type: 'MX', value: `10 mail.${domain}`, note: term('dns.mx-null.note', 'Send from a domain that receives mail, or point MX at a mailbox provider.', dns.locale) } });
  }
  if (isVoid(mx.status)) {
    const noAddress = isVoid(a.status) && isVoid(aaaa.status);
    const gone = mx.status === 'nxdomain';
    add({
      id: 'mx-missing',
      severity: noAddress ? 'error' : 'warning',
      message: interpolate(
        gone
          ? term('dns.mx-missing.nxdomain', '{domain} does not exist in the DNS (NXDOMAIN): mail from it is rejected everywhere.', dns.locale)
          : noAddress
            ? term('dns.mx-missing.noAddress', '{domain} has no MX and no address record: nothing can reply to or bounce mail sent from it, and Yahoo and others reject mail from domains that cannot receive.', dns.locale)
            : term('dns.mx-missing', '{domain} has no MX record; mail to it falls back to its A/AAAA address, which is rarely a mail server.', dns.locale),
        { domain },
      ),
      fix: { name: domain, type: 'MX', value: `10 mail.${domain}`, note: term('dns.mx-missing.note', 'Point MX at the servers that receive mail for the domain (your mailbox provider gives the names).', dns.locale) },
    });
  }
  return report;
}
