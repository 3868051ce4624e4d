// DNS failures, told once. However many questions failed, the report gets one `dns-failure`
// finding that names the servers asked, what went wrong (refused, timeout, SERVFAIL, unreachable
// ...), and which parts of the check it left unknown. A failure says nothing about what is
// published, so the parts it touches are shown as "unknown (lookup failed)", never as missing.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { isFailure, MAX_CNAME_HOPS } from './resolver';
import type { DnsFailure, DnsStatus, DomainFinding, DomainReport } from './types';

/** The parts of the report a failed lookup left unknown, in the order the report shows them. */
export function failedParts(r: Pick<DomainReport, 'spf' | 'dmarc' | 'dkim' | 'mx' | 'mtaSts' | 'tlsRpt' | 'bimi'>): string[] {
  const parts: string[] = [];
  if (r.spf.result === 'temperror') parts.push('SPF');
  if (r.dmarc.result === 'temperror') parts.push('DMARC');
  for (const d of r.dkim) if (d.status === 'dns-failure') parts.push(`DKIM ${d.selector}`);
  if (isFailure(r.mx.status)) parts.push('MX');
  if (isFailure(r.mtaSts.status)) parts.push('MTA-STS');
  if (isFailure(r.tlsRpt.status)) parts.push('TLS-RPT');
  if (isFailure(r.bimi.status)) parts.push('BIMI');
  return parts;
}

/** Words for a list: "a", "a and b", "a, b and c" (the joining words in the run's language). */
function list(items: string[], last: string, locale: Locale): string {
  if (items.length <= 1) return items.join('');
  return interpolate(last, { head: items.slice(0, -1).join(locale === 'ja' ? '、' : ', '), tail: items[items.length - 1]! });
}

/** What went wrong, for the questions that ended with `status`. */
function cause(status: DnsStatus, servers: string, bounds: { timeoutMs: number; runTimeoutMs: number }, codes: string[], locale: Locale): string {
  const data = { servers, timeout: bounds.timeoutMs, bound: bounds.runTimeoutMs, codes: codes.join(', ') };
  switch (status) {
    case 'timeout':
      return interpolate(term('dns.failure.timeout', 'no answer from {servers} within {timeout} ms (timeout)', locale), data);
    case 'refused':
      return interpolate(term('dns.failure.refused', '{servers} refused the queries (REFUSED)', locale), data);
    case 'servfail':
      return interpolate(term('dns.failure.servfail', '{servers} answered SERVFAIL (it could not resolve the names)', locale), data);
    case 'unreachable':
      return interpolate(term('dns.failure.unreachable', '{servers} could not be reached (connection refused, or network or host unreachable)', locale), data);
    case 'bad-response':
      return interpolate(term('dns.failure.badResponse', '{servers} sent answers that cannot be read', locale), data);
    case 'wrong-type':
      return interpolate(term('dns.failure.wrongType', '{servers} answered with records of another type than asked', locale), data);
    case 'cname-loop':
      return term('dns.failure.cnameLoop', 'the names are CNAME chains that loop', locale);
    case 'cname-chain':
      return interpolate(term('dns.failure.cnameChain', 'the names are CNAME chains of more than {max} hops', locale), { max: MAX_CNAME_HOPS });
    case 'deadline':
      return interpolate(term('dns.failure.deadline', 'the check stopped at its time bound ({bound} ms) with questions unanswered', locale), data);
    default:
      return codes.length ? interpolate(term('dns.failure.errorCodes', 'the queries to {servers} failed ({codes})', locale), data) : interpolate(term('dns.failure.error', 'the queries to {servers} failed', locale), data);
  }
}

/**
 * The one dns-failure finding for a run, or undefined when every question was answered. An error
 * when SPF, DMARC or DKIM is unknown (the bulk-sender verdicts depend on them), else a warning.
 */
export function dnsFailureFinding(
  report: Pick<DomainReport, 'spf' | 'dmarc' | 'dkim' | 'mx' | 'mtaSts' | 'tlsRpt' | 'bimi'>,
  failures: DnsFailure[],
  serversAsked: string[],
  bounds: { timeoutMs: number; runTimeoutMs: number },
  locale: Locale = 'en',
): DomainFinding | undefined {
  if (!failures.length) return undefined;
  const servers = serversAsked.length ? list(serversAsked, term('dns.list.or', '{head} or {tail}', locale), locale) : term('dns.failure.systemServers', "the system's DNS servers", locale);
  const byStatus = new Map<DnsStatus, DnsFailure[]>();
  for (const f of failures) byStatus.set(f.status, [...(byStatus.get(f.status) ?? []), f]);
  const causes = [...byStatus].map(([status, fs]) => {
    const codes = [...new Set(fs.map((f) => f.code).filter((c): c is string => !!c))];
    const names = [...new Set(fs.map((f) => `${f.type} ${f.name}`))];
    const shown = names.length > 4 ? interpolate(term('dns.failure.more', '{names} and {count} more', locale), { names: names.slice(0, 4).join(', '), count: names.length - 4 }) : names.join(', ');
    return `${cause(status, servers, bounds, codes, locale)}: ${shown}`;
  });
  const parts = failedParts(report);
  const core = parts.some((p) => p === 'SPF' || p === 'DMARC' || p.startsWith('DKIM'));
  // A broken CNAME chain is the zone's to fix; everything else is the server's (or the network's).
  const advice: string[] = [];
  if (failures.some((f) => f.status === 'cname-loop' || f.status === 'cname-chain')) advice.push(term('dns.failure.adviceCname', 'correct the CNAME records of these names', locale));
  if (failures.some((f) => f.status !== 'cname-loop' && f.status !== 'cname-chain')) advice.push(term('dns.failure.adviceServer', 'check the DNS server and run the check again', locale));
  const data = { parts: list(parts, term('dns.list.and', '{head} and {tail}', locale), locale), causes: causes.join('; '), advice: advice.join('; ') };
  const message = parts.length
    ? interpolate(term('dns.dns-failure', '{parts} could not be checked: {causes}. What these records hold is unknown, not missing: {advice}.', locale), data)
    : interpolate(term('dns.dns-failure.other', 'Some DNS lookups failed: {causes}. What these records hold is unknown, not missing: {advice}.', locale), data);
  return { id: 'dns-failure', severity: core ? 'error' : 'warning', section: 'dns', message, dns: { servers: serversAsked, failures } };
}
