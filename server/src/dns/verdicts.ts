// Whether the domain's DNS meets what each mailbox provider demands of bulk senders (Gmail and
// Yahoo since February 2024, Microsoft since May 2025). DNS shows what is published; whether mail
// really aligns depends on how it is sent, so that part is only judged when the sender told us.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import type { DkimReport, DomainReport, Provider, Verdict } from './types';

const LABELS: Record<Provider, string> = { gmail: 'Gmail', yahoo: 'Yahoo', microsoft: 'Microsoft (Outlook.com)' };

function goodKey(d: DkimReport): boolean {
  return d.status === 'ok' && (d.keyType === 'ed25519' || (d.keyBits ?? 0) >= 1024);
}

export function verdicts(report: Omit<DomainReport, 'verdicts' | 'overview'>, L: Locale = 'en'): Verdict[] {
  const failing: string[] = [];
  const unknown: string[] = [];
  const { spf, dmarc, dkim, mx, findings } = report;

  if (mx.status === 'nxdomain') failing.push(interpolate(term('dns.verdict.nxdomain', '{domain} does not exist in the DNS', L), { domain: report.domain }));

  if (spf.result === 'none') failing.push(term('dns.verdict.noSpf', 'no SPF record', L));
  else if (spf.result === 'permerror') failing.push(term('dns.verdict.spfPermerror', 'the SPF record gives a permanent error', L));
  else if (spf.result === 'temperror') unknown.push(term('dns.verdict.spfUnknown', 'SPF could not be read (DNS failure)', L));

  if (!dkim.length) unknown.push(term('dns.verdict.noSelector', 'no DKIM selector was given, so DKIM was not checked', L));
  else if (dkim.some(goodKey)) {
    // at least one usable key
  } else if (dkim.some((d) => d.status === 'dns-failure')) unknown.push(term('dns.verdict.dkimUnknown', 'DKIM keys could not be read (DNS failure)', L));
  else if (dkim.some((d) => d.status === 'ok')) failing.push(term('dns.verdict.dkimWeak', 'the DKIM key is under 1024 bits', L));
  else failing.push(interpolate(dkim.length > 1 ? term('dns.verdict.noKeys', 'no usable DKIM key for selectors {selectors}', L) : term('dns.verdict.noKey', 'no usable DKIM key for selector {selectors}', L), { selectors: dkim.map((d) => d.selector).join(', ') }));

  if (dmarc.result === 'none') failing.push(term('dns.verdict.noDmarc', 'no DMARC record', L));
  else if (dmarc.result === 'invalid') failing.push(term('dns.verdict.dmarcInvalid', 'the DMARC record has invalid values', L));
  else if (dmarc.result === 'temperror') unknown.push(term('dns.verdict.dmarcUnknown', 'DMARC could not be read (DNS failure)', L));
  if (findings.some((f) => f.id === 'dmarc-alignment-fails')) failing.push(term('dns.verdict.alignment', 'DMARC alignment will fail with the signing and MAIL FROM domains in use', L));

  const keyBits = dkim.filter(goodKey).map((d) => `${d.selector}: ${d.keyType === 'ed25519' ? 'Ed25519' : `${d.keyBits}-bit`}`);
  const summary = interpolate(term('dns.verdict.met', "SPF, DKIM ({keys}) and DMARC (p={policy}) are published; alignment and the sending IPs' reverse DNS are checked on real mail, not here.", L), { keys: keyBits.join(', '), policy: dmarc.policy ?? '' });

  return (['gmail', 'yahoo', 'microsoft'] as Provider[]).map((provider) => {
    const status: Verdict['status'] = failing.length ? 'not-met' : unknown.length ? 'unknown' : 'met';
    const reasons = status === 'met' ? [summary] : [...failing, ...unknown];
    return { provider, label: LABELS[provider], status, reasons };
  });
}
