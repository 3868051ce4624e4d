// Verifies one message as it was sent: each DKIM signature (body hash, signature, key, h= coverage,
// l=, expiry), SPF for a given client IP and MAIL FROM (with the mechanism that matched), DMARC and
// the identifier that aligned, and ARC when the message has a chain. The RFC work is mailauth's
// (RFC 6376, 7208, 7489, 8617); this file asks it through our DNS hook and words the result.
//
// mailauth 4.13.3: the last line whose `engines` allow Node 20.18.1+ (5.x and later need 22.19).
// The modules are required one by one: its `authenticate()` also runs BIMI, which pulls in an HTTP
// client and certificate parsing that this report does not use.

import { arc } from 'mailauth/lib/arc';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { dmarc } from 'mailauth/lib/dmarc';
import { spf } from 'mailauth/lib/spf';
import { spfVerify, type SpfMatch } from 'mailauth/lib/spf/spf-verify';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { lookupsThrough, type LookupFailure } from './dns';
import type { Resolver } from 'node:dns/promises';

export type VerifySeverity = 'error' | 'warning' | 'info';

export interface VerifyFinding {
  id: string;
  severity: VerifySeverity;
  message: string;
}

export interface DkimVerdict {
  domain: string;
  selector: string;
  /** pass, fail (body hash, signature or expiry), permerror (no usable key), temperror (DNS), policy (key too short). */
  result: 'pass' | 'fail' | 'permerror' | 'temperror' | 'policy' | 'none';
  /** Why it did not pass, in mailauth's words ("body hash did not verify", "bad signature", "no key" ...). */
  reason: string | null;
  /** The RSA modulus length of the key in DNS (256 for ed25519); null when no key was read. */
  keyBits: number | null;
  /** `h=` names both List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4). */
  coversListUnsubscribe: boolean;
  covers: { from: boolean; subject: boolean; listUnsubscribe: boolean; listUnsubscribePost: boolean };
  algorithm: string | null;
  canonicalization: string | null;
  /** `l=`: the body bytes signed; null when the whole body is. */
  bodyLength: number | null;
  /** Canonicalized body bytes after `l=`, which anyone may have added. */
  unsignedBodyBytes: number;
  signedAt: string | null;
  expiresAt: string | null;
}

export interface SpfVerdict {
  /** pass, fail, softfail, neutral, none, permerror, temperror; `not-checked` without an IP. */
  result: string;
  /** The MAIL FROM domain checked (or the HELO name's, for a null sender). */
  domain: string | null;
  /** The mechanism that decided, e.g. "ip4:192.0.2.0/24" or "include:_spf.example.net > ip4:...". */
  mechanism: string | null;
  ip: string | null;
  mailFrom: string | null;
  reason: string | null;
}

export interface DmarcVerdict {
  /** pass, fail, none (no record), temperror, permerror; `not-checked` without a From domain. */
  result: string;
  /** The policy that applies to this From domain (p=, or sp= for a subdomain); null without a record. */
  policy: string | null;
  domain: string | null;
  /** The identifiers that passed and aligned with the From domain. */
  alignedBy: Array<'dkim' | 'spf'>;
}

export interface ArcVerdict {
  result: string;
  /** The highest ARC instance (i=) in the chain. */
  instance: number | null;
  reason: string | null;
}

export interface VerifyReport {
  dkim: DkimVerdict[];
  spf: SpfVerdict;
  dmarc: DmarcVerdict;
  /** null when the message has no ARC headers. */
  arc: ArcVerdict | null;
  findings: VerifyFinding[];
  /** DNS questions that got no usable answer: the report is incomplete when there are any. */
  dnsFailures: LookupFailure[];
}

export interface VerifyOptions {
  /** Answers the DNS questions (a node:dns/promises Resolver set to the --dns servers). */
  resolver: Pick<Resolver, 'resolve'>;
  /** The client IP the message came from; SPF is checked only with one. */
  ip?: string;
  helo?: string;
  /** The envelope sender (MAIL FROM); default: the message's Return-Path. */
  mailFrom?: string;
  locale?: Locale;
  /** The time expiry is judged at (default: now). */
  now?: Date;
}

/** Keys shorter than this get a warning: 1024-bit RSA still verifies, but is being retired. */
const STRONG_KEY_BITS = 2048;

export async function verifyMessage(message: Buffer | string, options: VerifyOptions): Promise<VerifyReport> {
  const locale = options.locale ?? 'en';
  const input = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const lookups = lookupsThrough(options.resolver);
  const resolver = lookups.resolve;
  const findings: VerifyFinding[] = [];
  const say = (id: string, severity: VerifySeverity, template: string, data?: Record<string, string | number>) =>
    findings.push({ id, severity, message: interpolate(template, data) });

  // mailauth prints a line when l= exceeds the body; that line would break --format json.
  const log = console.log;
  console.log = () => undefined;
  let dkimResult;
  try {
    dkimResult = await dkimVerify(input, { resolver, curTime: options.now, minBitLength: 1024 } as never);
  } finally {
    console.log = log;
  }

  const listHeaders = presentListHeaders(dkimResult);
  const dkim = (dkimResult.results ?? []).filter((r) => r.status?.result !== 'none').map((r) => dkimVerdict(r));
  if (!dkim.length) say('dkim-missing', 'error', term('verify.dkimMissing', 'The message has no DKIM signature: DMARC can align through SPF only, and one-click unsubscribe cannot be offered (RFC 8058 §4).', locale));
  for (const d of dkim) {
    const at = { domain: d.domain, selector: d.selector, reason: d.reason ?? '', bits: d.keyBits ?? 0 };
    if (d.reason === 'body hash did not verify') say('dkim-body-hash-mismatch', 'error', term('verify.bodyHash', 'DKIM d={domain} s={selector}: the body hash did not verify; the body was changed after signing.', locale), at);
    else if (d.reason === 'bad signature') say('dkim-signature-invalid', 'error', term('verify.badSignature', 'DKIM d={domain} s={selector}: the signature does not verify with the key in DNS; a signed header was changed after signing, or the key does not belong to the signer.', locale), at);
    else if (d.reason === 'expired') say('dkim-signature-expired', 'error', term('verify.expired', 'DKIM d={domain} s={selector}: the signature expired (x={expires}).', locale), { ...at, expires: d.expiresAt ?? '?' });
    else if (d.reason === 'no key') say('dkim-key-missing', 'error', term('verify.noKey', 'DKIM d={domain} s={selector}: no key is published at {selector}._domainkey.{domain}.', locale), at);
    else if (d.result === 'policy') say('dkim-key-short', 'error', term('verify.shortKey', 'DKIM d={domain} s={selector}: the key is shorter than 1024 bits; receivers ignore the signature.', locale), at);
    else if (d.result === 'temperror') say('dns-failure', 'error', term('verify.dkimDns', 'DKIM d={domain} s={selector}: the key could not be looked up ({reason}); the result is unknown.', locale), at);
    else if (d.result !== 'pass') say('dkim-signature-invalid', 'error', term('verify.otherFail', 'DKIM d={domain} s={selector}: the signature does not verify ({reason}).', locale), at);
    if (d.result === 'pass' && d.keyBits !== null && d.keyBits < STRONG_KEY_BITS && d.algorithm?.startsWith('rsa')) {
      say('dkim-key-1024', 'warning', term('verify.weakKey', 'DKIM d={domain} s={selector}: the RSA key has {bits} bits; use 2048 (RFC 8301 allows 1024 but providers are retiring it).', locale), at);
    }
    if (d.bodyLength !== null) {
      say('dkim-partial-body', 'warning', term('verify.partialBody', 'DKIM d={domain} s={selector}: l={length} signs only part of the body; {unsigned} bytes after it are unsigned, and anyone can append content under this signature.', locale), { ...at, length: d.bodyLength, unsigned: d.unsignedBodyBytes });
    }
    if (!d.covers.from) say('dkim-from-unsigned', 'error', term('verify.fromUnsigned', 'DKIM d={domain} s={selector}: h= does not sign From (RFC 6376 §5.4 requires it).', locale), at);
  }
  if (listHeaders.length && dkim.length && !dkim.some((d) => d.result === 'pass' && listHeaders.every((h) => (h === 'list-unsubscribe' ? d.covers.listUnsubscribe : d.covers.listUnsubscribePost)))) {
    say('dkim-unsubscribe-unsigned', 'error', term('verify.listUnsigned', 'No passing DKIM signature signs {headers}; receivers should not offer one-click unsubscribe (RFC 8058 §4).', locale), {
      headers: listHeaders.map((h) => (h === 'list-unsubscribe' ? 'List-Unsubscribe' : 'List-Unsubscribe-Post')).join(', '),
    });
  }

  const spfVerdict = await checkSpf(options, dkimResult.envelopeFrom || undefined, resolver);
  if (spfVerdict.result === 'not-checked') say('spf-not-checked', 'info', term('verify.spfNotChecked', 'SPF was not checked: give the sending IP with --ip (and the envelope sender with --mail-from).', locale));
  else if (spfVerdict.result === 'fail') say('spf-fail', 'error', term('verify.spfFail', 'SPF fails: {domain} does not allow {ip} to send ({mechanism}).', locale), spfData(spfVerdict));
  else if (spfVerdict.result === 'softfail') say('spf-softfail', 'warning', term('verify.spfSoftfail', 'SPF soft-fails: {domain} does not list {ip} ({mechanism}).', locale), spfData(spfVerdict));
  else if (spfVerdict.result === 'neutral' || spfVerdict.result === 'none') say('spf-not-passing', 'warning', term('verify.spfNone', 'SPF gives {result} for {ip} at {domain}: it does not pass, so DMARC cannot align through SPF.', locale), spfData(spfVerdict));
  else if (spfVerdict.result === 'permerror') say('spf-permerror', 'error', term('verify.spfPermerror', 'SPF of {domain} has a permanent error ({reason}); receivers treat it as a failure.', locale), spfData(spfVerdict));
  else if (spfVerdict.result === 'temperror') say('dns-failure', 'error', term('verify.spfTemperror', 'SPF of {domain} could not be evaluated ({reason}); the result is unknown.', locale), spfData(spfVerdict));

  const dmarcVerdict: DmarcVerdict = { result: 'not-checked', policy: null, domain: null, alignedBy: [] };
  const headerFrom = dkimResult.headerFrom;
  if (headerFrom?.length) {
    const d = await dmarc({
      headerFrom,
      spfDomains: spfVerdict.result === 'pass' && spfVerdict.domain ? [spfVerdict.domain] : [],
      dkimDomains: (dkimResult.results ?? [])
        .filter((r) => r.status?.result === 'pass')
        .map((r) => ({ id: r.id, domain: r.signingDomain, aligned: (r.status as { aligned?: string }).aligned, underSized: (r.status as { underSized?: number }).underSized })),
      resolver,
    } as never);
    if (d) {
      const alignment = (d as { alignment?: { dkim?: { result?: unknown }; spf?: { result?: unknown } } }).alignment;
      dmarcVerdict.result = d.status?.result ?? 'none';
      dmarcVerdict.domain = d.domain ?? null;
      dmarcVerdict.policy = d.policy ?? d.p ?? null;
      if (alignment?.dkim?.result) dmarcVerdict.alignedBy.push('dkim');
      if (alignment?.spf?.result) dmarcVerdict.alignedBy.push('spf');
    }
    const data = { domain: dmarcVerdict.domain ?? '?', policy: dmarcVerdict.policy ?? 'none' };
    if (dmarcVerdict.result === 'fail') {
      say('dmarc-fail', 'error', term('verify.dmarcFail', 'DMARC fails for {domain}: neither a passing DKIM signature nor SPF aligns with the From domain; its policy is p={policy}.', locale), data);
    } else if (dmarcVerdict.result === 'none') {
      say('dmarc-missing', 'warning', term('verify.dmarcNone', '{domain} publishes no DMARC record; Gmail and Yahoo require one of bulk senders.', locale), data);
    } else if (dmarcVerdict.result === 'temperror') {
      say('dns-failure', 'error', term('verify.dmarcTemperror', 'The DMARC record of {domain} could not be looked up; the result is unknown.', locale), data);
    }
  } else {
    say('from-missing', 'error', term('verify.fromMissing', 'The message has no From address, so DMARC cannot be evaluated.', locale));
  }

  let arcVerdict: ArcVerdict | null = null;
  const chain = (dkimResult as { arc?: { chain?: unknown } }).arc;
  if (chain?.chain) {
    const a = await arc(chain as never, { resolver, minBitLength: 1024 } as never);
    arcVerdict = { result: a.status?.result ?? 'none', instance: typeof a.i === 'number' ? a.i : null, reason: a.status?.comment ?? null };
    if (arcVerdict.result !== 'pass') say('arc-fail', 'warning', term('verify.arcFail', 'The ARC chain does not validate ({result}); receivers cannot trust the results forwarders recorded.', locale), { result: arcVerdict.result });
  }

  const failures = lookups.failures;
  if (failures.length && !findings.some((f) => f.id === 'dns-failure')) {
    say('dns-failure', 'error', term('verify.dnsFailure', 'Some DNS questions got no usable answer ({names}); parts of this report are incomplete.', locale), { names: failures.map((f) => `${f.type} ${f.name}: ${f.code}`).join(', ') });
  }
  return { dkim, spf: spfVerdict, dmarc: dmarcVerdict, arc: arcVerdict, findings, dnsFailures: failures };
}

function spfData(v: SpfVerdict): Record<string, string> {
  return { domain: v.domain ?? '?', ip: v.ip ?? '?', mechanism: v.mechanism ?? '?', result: v.result, reason: v.reason ?? '' };
}

interface MailauthDkim {
  signingDomain: string;
  selector?: string;
  algo?: string;
  format?: string;
  status: { result: string; comment?: string; policy?: Record<string, string> };
  signingHeaders?: { keys?: string };
  modulusLength?: number;
  signTime?: string | null;
  expiresAfter?: string | null;
  canonBodyLength?: number;
  canonBodyLengthTotal?: number;
  canonBodyLengthLimited?: boolean;
  canonBodyLengthLimit?: number;
}

function dkimVerdict(raw: unknown): DkimVerdict {
  const r = raw as MailauthDkim;
  const names = new Set((r.signingHeaders?.keys ?? '').split(':').map((k) => k.trim().toLowerCase()).filter(Boolean));
  const covers = { from: names.has('from'), subject: names.has('subject'), listUnsubscribe: names.has('list-unsubscribe'), listUnsubscribePost: names.has('list-unsubscribe-post') };
  const comment = r.status.comment ?? (r.status.policy?.['dkim-rules'] === 'weak-key' ? 'weak key' : null);
  let result: DkimVerdict['result'];
  switch (r.status.result) {
    case 'pass':
      result = 'pass';
      break;
    case 'temperror':
      result = 'temperror';
      break;
    case 'policy':
      result = 'policy';
      break;
    case 'neutral':
      // mailauth words RFC 6376's PERMFAIL as neutral; a reader wants to know which kind.
      result = comment === 'body hash did not verify' || comment === 'bad signature' || comment === 'expired' || comment === 'invalid expiration' ? 'fail' : 'permerror';
      break;
    default:
      result = r.status.result === 'fail' ? 'fail' : 'permerror';
  }
  const limited = !!r.canonBodyLengthLimited;
  return {
    domain: r.signingDomain,
    selector: r.selector ?? '',
    result,
    reason: result === 'pass' ? null : comment,
    keyBits: typeof r.modulusLength === 'number' ? r.modulusLength : null,
    coversListUnsubscribe: covers.listUnsubscribe && covers.listUnsubscribePost,
    covers,
    algorithm: r.algo ?? null,
    canonicalization: r.format ?? null,
    bodyLength: limited && typeof r.canonBodyLengthLimit === 'number' ? r.canonBodyLengthLimit : null,
    unsignedBodyBytes: limited ? Math.max(0, (r.canonBodyLengthTotal ?? 0) - (r.canonBodyLength ?? 0)) : 0,
    signedAt: r.signTime ?? null,
    expiresAt: r.expiresAfter ?? null,
  };
}

/** The List-Unsubscribe headers the message carries (lower-case names). */
function presentListHeaders(result: unknown): string[] {
  const parsed = (result as { headers?: { parsed?: Array<{ key: string }> } }).headers?.parsed ?? [];
  const keys = new Set(parsed.map((h) => h.key));
  return ['list-unsubscribe', 'list-unsubscribe-post'].filter((k) => keys.has(k));
}

async function checkSpf(options: VerifyOptions, returnPath: string | undefined, resolver: (name: string, type: string) => Promise<unknown>): Promise<SpfVerdict> {
  const mailFrom = options.mailFrom ?? returnPath ?? null;
  if (!options.ip) return { result: 'not-checked', domain: mailFrom ? domainOf(mailFrom) : null, mechanism: null, ip: null, mailFrom, reason: null };
  const helo = options.helo ?? `[${options.ip}]`;
  const sender = mailFrom ?? `postmaster@${helo}`;
  const r = await spf({ ip: options.ip, helo, sender, mta: 'deliverlint', resolver } as never);
  const verdict: SpfVerdict = { result: r.status.result, domain: r.domain ?? domainOf(sender), mechanism: null, ip: options.ip, mailFrom, reason: r.status.comment ?? null };
  if (['pass', 'fail', 'softfail', 'neutral'].includes(verdict.result) && verdict.domain) {
    // mailauth's spf() keeps the mechanism that decided to itself; its walk returns it, and the
    // answers come from the cache the first walk filled, so no question is asked twice.
    try {
      const match = await spfVerify(verdict.domain, { sender, ip: options.ip, helo, mta: 'deliverlint', resolver });
      verdict.mechanism = match ? describeMechanism(match) : null;
    } catch {
      verdict.mechanism = null;
    }
  }
  if (verdict.result === 'neutral' && !verdict.mechanism) verdict.mechanism = null;
  return verdict;
}

function describeMechanism(m: SpfMatch): string | null {
  const parts: string[] = [];
  let cur: SpfMatch | undefined = m;
  for (let depth = 0; cur && depth < 12; depth++) {
    if (!cur.type) break;
    const q = cur.qualifier && cur.qualifier !== '+' ? cur.qualifier : '';
    parts.push(`${q}${cur.type}${cur.val ? `:${cur.val}` : ''}`);
    cur = cur.include;
  }
  return parts.length ? parts.join(' > ') : null;
}

function domainOf(address: string): string {
  return address.split('@').pop()!.replace(/>$/, '').toLowerCase();
}
