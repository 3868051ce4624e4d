// DNS failures, told once. However many questions failed, the report gets one `dns-failure`
// finding that names the servers asked, what went wrong (refused, timeout, SERVFAIL, unreachable
// ...), and which parts of the check it left unknown. A failure says nothing about what is
// published, so the parts it touches are shown as "unknown (lookup failed)", never as missing.

import { isFailure } from './resolver';
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

/** Words for a list: "a", "a and b", "a, b and c". */
function list(items: string[], and = 'and'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** What went wrong, for the questions that ended with `status`. */
function cause(status: DnsStatus, servers: string, bounds: { timeoutMs: number; runTimeoutMs: number }, codes: string[]): string {
  switch (status) {
    case 'timeout':
      return `no answer from ${servers} within ${bounds.timeoutMs} ms (timeout)`;
    case 'refused':
      return `${servers} refused the queries (REFUSED)`;
    case 'servfail':
      return `${servers} answered SERVFAIL (it could not resolve the names)`;
    case 'unreachable':
      return `${servers} could not be reached (connection refused, or network or host unreachable)`;
    case 'bad-response':
      return `${servers} sent answers that cannot be read`;
    case 'wrong-type':
      return `${servers} answered with records of another type than asked`;
    case 'cname-loop':
      return 'the names are CNAME chains that loop';
    case 'cname-chain':
      return 'the names are CNAME chains of more than 5 hops';
    case 'deadline':
      return `the check stopped at its time bound (${bounds.runTimeoutMs} ms) with questions unanswered`;
    default:
      return `the queries to ${servers} failed${codes.length ? ` (${codes.join(', ')})` : ''}`;
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
): DomainFinding | undefined {
  if (!failures.length) return undefined;
  const servers = serversAsked.length ? list(serversAsked, 'or') : 'the system\'s DNS servers';
  const byStatus = new Map<DnsStatus, DnsFailure[]>();
  for (const f of failures) byStatus.set(f.status, [...(byStatus.get(f.status) ?? []), f]);
  const causes = [...byStatus].map(([status, fs]) => {
    const codes = [...new Set(fs.map((f) => f.code).filter((c): c is string => !!c))];
    const names = [...new Set(fs.map((f) => `${f.type} ${f.name}`))];
    const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ` and ${names.length - 4} more` : '');
    return `${cause(status, servers, bounds, codes)}: ${shown}`;
  });
  const parts = failedParts(report);
  const core = parts.some((p) => p === 'SPF' || p === 'DMARC' || p.startsWith('DKIM'));
  const what = parts.length ? `${list(parts)} could not be checked` : 'Some DNS lookups failed';
  return {
    id: 'dns-failure',
    severity: core ? 'error' : 'warning',
    section: 'dns',
    message: `${what}: ${causes.join('; ')}. What these records hold is unknown, not missing: check the DNS server${serversAsked.length === 1 ? '' : 's'} and run the check again.`,
    dns: { servers: serversAsked, failures },
  };
}
