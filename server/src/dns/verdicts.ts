// Whether the domain's DNS meets what each mailbox provider demands of bulk senders (Gmail and
// Yahoo since February 2024, Microsoft since May 2025). DNS shows what is published; whether mail
// really aligns depends on how it is sent, so that part is only judged when the sender told us.

import type { DkimReport, DomainReport, Provider, Verdict } from './types';

const LABELS: Record<Provider, string> = { gmail: 'Gmail', yahoo: 'Yahoo', microsoft: 'Microsoft (Outlook.com)' };

function goodKey(d: DkimReport): boolean {
  return d.status === 'ok' && (d.keyType === 'ed25519' || (d.keyBits ?? 0) >= 1024);
}

export function verdicts(report: Omit<DomainReport, 'verdicts' | 'overview'>): Verdict[] {
  const failing: string[] = [];
  const unknown: string[] = [];
  const { spf, dmarc, dkim, mx, findings } = report;

  if (mx.status === 'nxdomain') failing.push(`${report.domain} does not exist in the DNS`);

  if (spf.result === 'none') failing.push('no SPF record');
  else if (spf.result === 'permerror') failing.push('the SPF record gives a permanent error');
  else if (spf.result === 'temperror') unknown.push('SPF could not be read (DNS failure)');

  if (!dkim.length) unknown.push('no DKIM selector was given, so DKIM was not checked');
  else if (dkim.some(goodKey)) {
    // at least one usable key
  } else if (dkim.some((d) => d.status === 'dns-failure')) unknown.push('DKIM keys could not be read (DNS failure)');
  else if (dkim.some((d) => d.status === 'ok')) failing.push('the DKIM key is under 1024 bits');
  else failing.push(`no usable DKIM key for selector${dkim.length > 1 ? 's' : ''} ${dkim.map((d) => d.selector).join(', ')}`);

  if (dmarc.result === 'none') failing.push('no DMARC record');
  else if (dmarc.result === 'invalid') failing.push('the DMARC record has invalid values');
  else if (dmarc.result === 'temperror') unknown.push('DMARC could not be read (DNS failure)');
  if (findings.some((f) => f.id === 'dmarc-alignment-fails')) failing.push('DMARC alignment will fail with the signing and MAIL FROM domains in use');

  const keyBits = dkim.filter(goodKey).map((d) => `${d.selector}: ${d.keyType === 'ed25519' ? 'Ed25519' : `${d.keyBits}-bit`}`);
  const summary = `SPF, DKIM (${keyBits.join(', ')}) and DMARC (p=${dmarc.policy}) are published; alignment and the sending IPs' reverse DNS are checked on real mail, not here.`;

  return (['gmail', 'yahoo', 'microsoft'] as Provider[]).map((provider) => {
    const status: Verdict['status'] = failing.length ? 'not-met' : unknown.length ? 'unknown' : 'met';
    const reasons = status === 'met' ? [summary] : [...failing, ...unknown];
    return { provider, label: LABELS[provider], status, reasons };
  });
}
