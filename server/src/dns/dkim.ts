// DKIM key records (RFC 6376 §3.6.1), one per selector, following the CNAMEs ESPs ask customers to
// publish. The key size is read from p= with node:crypto rather than guessed from its length.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { createPublicKey } from 'node:crypto';
import { joinTxt, parseTagList, type Tag } from './domain';
import { describeStatus, isFailure, MAX_CNAME_HOPS, type DnsSession } from './resolver';
import type { DkimReport, DomainFinding } from './types';

export const DKIM_MIN_BITS = 1024;
export const DKIM_RECOMMENDED_BITS = 2048;

export interface KeyInfo {
  type: string;
  bits?: number;
  error?: string;
}

/** Reads the key in p=: RSA as SubjectPublicKeyInfo (or, as some publish it, a bare PKCS#1 key); Ed25519 as 32 raw bytes. */
export function readKey(keyType: string, p: string, L: Locale = 'en'): KeyInfo {
  const b64 = p.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { type: keyType, error: term('dkim.key.notBase64', 'p= is not base64', L) };
  const der = Buffer.from(b64, 'base64');
  if (keyType === 'ed25519') {
    return der.length === 32 ? { type: keyType, bits: 256 } : { type: keyType, error: interpolate(term('dkim.key.ed25519Size', 'an Ed25519 key is 32 bytes, p= holds {bytes}', L), { bytes: der.length }) };
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') return { type: keyType, error: interpolate(term('dkim.key.notRsaType', 'p= holds a {type} key, not RSA', L), { type: String(key.asymmetricKeyType) }) };
      return { type: keyType, bits: key.asymmetricKeyDetails?.modulusLength };
    } catch {
      // try the next encoding
    }
  }
  return { type: keyType, error: term('dkim.key.notRsa', 'p= is not an RSA public key', L) };
}

function first(tags: Tag[], name: string): string | undefined {
  return tags.find((t) => t.name.toLowerCase() === name)?.value;
}

export async function checkDkim(domain: string, selector: string, dns: DnsSession, out: DomainFinding[]): Promise<DkimReport> {
  const name = `${selector}._domainkey.${domain}`;
  const add = (f: Omit<DomainFinding, 'section'>) => out.push({ section: 'dkim', name, ...f });
  const report: DkimReport = { selector, name, cnames: [], record: null, keyType: null, keyBits: null, status: 'missing', testing: false };

  // Ask for the TXT (resolvers follow CNAMEs) and the CNAME together; follow the chain by hand
  // only to show it, or when the server did not follow it itself.
  const [txt, cname] = await Promise.all([dns.txt(name), dns.cname(name)]);
  let target = name;
  let broken: 'cname-loop' | 'cname-chain' | undefined;
  if (cname.status === 'ok') {
    for (let next = cname; next.status === 'ok'; ) {
      const t = next.data[0]!.toLowerCase().replace(/\.$/, '');
      if (t === target) break; // c-ares names the asked name when it has no CNAME
      if (report.cnames.includes(t) || t === name) {
        broken = 'cname-loop';
        break;
      }
      if (report.cnames.length >= MAX_CNAME_HOPS) {
        broken = 'cname-chain';
        break;
      }
      report.cnames.push(t);
      target = t;
      next = await dns.cname(t);
    }
  }
  if (broken) {
    // Verifiers give up on such a chain: the key is unknown, and the name is what is broken.
    report.status = 'dns-failure';
    dns.noteFailure({ name, type: 'TXT', status: broken });
    return report;
  }
  let answer = txt;
  if (answer.status !== 'ok' && target !== name) answer = await dns.txt(target);

  if (isFailure(answer.status)) {
    report.status = 'dns-failure'; // told once for the run, in the dns-failure finding
    return report;
  }
  const texts = answer.data.map(joinTxt);
  const keys = texts.filter((t) => /^\s*v\s*=\s*DKIM1\s*(;|$)/i.test(t) || /(^|;)\s*p\s*=/i.test(t));
  if (!keys.length) {
    add({
      id: 'dkim-key-missing',
      severity: 'error',
      message: interpolate(report.cnames.length ? term('dns.dkim-key-missing.cname', 'No DKIM key for selector "{selector}" at {name} (CNAME to {chain}): {why}. Mail signed with s={selector} fails DKIM.', dns.locale) : term('dns.dkim-key-missing', 'No DKIM key for selector "{selector}" at {name}: {why}. Mail signed with s={selector} fails DKIM.', dns.locale), {
        selector,
        name,
        chain: report.cnames.join(' -> '),
        why: texts.length ? term('dns.dkim.notKeys', 'the TXT records there are not DKIM keys', dns.locale) : describeStatus(answer.status, dns.locale),
      }),
      fix: { name, type: 'CNAME', note: interpolate(term('dns.dkim-key-missing.note', 'Publish the CNAME (or the TXT "v=DKIM1; k=rsa; p=<public key>") your ESP shows for selector {selector}, or check that the selector is right.', dns.locale), { selector }) },
    });
    return report;
  }
  if (keys.length > 1) {
    add({ id: 'dkim-invalid', severity: 'warning', message: interpolate(term('dns.dkim-invalid', '{target} has {keysLength} DKIM key records; verifiers may pick either one, so signatures fail at random.', dns.locale), { target, keysLength: keys.length }), fix: { name: target, type: 'TXT', note: term('dns.dkim-invalid.note', 'Delete all but the current key.', dns.locale) } });
  }
  const text = keys[0]!;
  report.record = text;
  const { tags, malformed } = parseTagList(text);
  const problems: string[] = malformed.map((m) => interpolate(term('dns.tag.malformed', '"{text}" is not a tag=value pair', dns.locale), { text: m }));
  const v = first(tags, 'v');
  if (v !== undefined && (tags[0]!.name.toLowerCase() !== 'v' || v !== 'DKIM1')) problems.push(term('dns.dkim.versionFirst', 'v=DKIM1, when present, must be the first tag', dns.locale));
  const k = (first(tags, 'k') ?? 'rsa').toLowerCase();
  report.keyType = k;
  if (k !== 'rsa' && k !== 'ed25519') problems.push(interpolate(term('dns.dkim.keyType', 'k={k} is not a key type verifiers know (rsa or ed25519)', dns.locale), { k }));
  const hashes = first(tags, 'h');
  if (hashes && !hashes.split(':').some((h) => h.trim().toLowerCase() === 'sha256')) {
    add({ id: 'dkim-sha1', severity: 'warning', message: interpolate(term('dns.dkim-sha1', 'h={hashes} limits selector "{selector}" to SHA-1, which RFC 8301 forbids for signing; verifiers treat those signatures as failed.', dns.locale), { hashes, selector }), fix: { name: target, type: 'TXT', value: rebuildDkim(tags, ['h']) } });
  }
  const flags = (first(tags, 't') ?? '').split(':').map((f) => f.trim().toLowerCase());
  if (flags.includes('y')) {
    report.testing = true;
    add({ id: 'dkim-testing', severity: 'warning', message: interpolate(term('dns.dkim-testing', 'The key for selector "{selector}" has t=y (testing): verifiers may treat its signatures as if the mail were unsigned.', dns.locale), { selector }), fix: { name: target, type: 'TXT', value: rebuildDkim(tags, ['t']) } });
  }
  const p = first(tags, 'p');
  if (p === undefined) problems.push(term('dns.dkim.noKey', 'the p= tag (the public key) is missing', dns.locale));
  if (problems.length) {
    report.status = 'invalid';
    add({ id: 'dkim-invalid', severity: 'error', message: interpolate(term('dns.dkim-invalid.record', 'The DKIM key record for selector "{selector}" is invalid: {problems}.', dns.locale), { selector, problems: problems.join('; ') }), fix: { name: target, type: 'TXT', note: term('dns.dkim-invalid.note.2', 'Publish the record exactly as your ESP or signing software gives it.', dns.locale) } });
    return report;
  }
  if (p!.trim() === '') {
    report.status = 'revoked';
    add({ id: 'dkim-key-revoked', severity: 'error', message: interpolate(term('dns.dkim-key-revoked', 'The key for selector "{selector}" is revoked (empty p=): mail signed with s={selector} fails DKIM.', dns.locale), { selector }), fix: { name: target, type: 'TXT', note: interpolate(term('dns.dkim-key-revoked.note', 'Sign with the current selector instead, and remove "{selector}" from deliverlint.dkim.selectors.', dns.locale), { selector }) } });
    return report;
  }
  const key = readKey(k, p!, dns.locale);
  if (key.error) {
    report.status = 'invalid';
    add({ id: 'dkim-invalid', severity: 'error', message: interpolate(term('dns.dkim-invalid.2', 'The DKIM key for selector "{selector}" cannot be read: {keyError}.', dns.locale), { selector, keyError: key.error }), fix: { name: target, type: 'TXT', note: term('dns.dkim-invalid.note.3', 'Copy the public key again from your ESP or signing software; a line break or a missing character breaks it.', dns.locale) } });
    return report;
  }
  report.keyBits = key.bits ?? null;
  report.status = 'ok';
  if (k === 'rsa' && key.bits !== undefined && key.bits < DKIM_RECOMMENDED_BITS) {
    const fatal = key.bits < DKIM_MIN_BITS;
    add({
      id: 'dkim-key-weak',
      severity: fatal ? 'error' : 'warning',
      message: interpolate(
        fatal
          ? term('dns.dkim-key-weak.fatal', 'The key for selector "{selector}" is {bits}-bit RSA. Verifiers must reject keys under {min} bits (RFC 8301), and Gmail requires at least {min}.', dns.locale)
          : term('dns.dkim-key-weak', 'The key for selector "{selector}" is {bits}-bit RSA; {recommended} bits is the recommended size now.', dns.locale),
        { selector, bits: key.bits, min: DKIM_MIN_BITS, recommended: DKIM_RECOMMENDED_BITS },
      ),
      fix: { name: target, type: 'TXT', value: `v=DKIM1; k=rsa; p=<${interpolate(term('dns.dkim.keyPlaceholder', 'a {bits}-bit public key', dns.locale), { bits: DKIM_RECOMMENDED_BITS })}>`, note: interpolate(term('dns.dkim-key-weak.note', 'Generate a {DKIM_RECOMMENDED_BITS}-bit key under a new selector, publish it, switch signing to it, then revoke "{selector}". Amazon SES: choose RSA_2048_BIT.', dns.locale), { DKIM_RECOMMENDED_BITS, selector }) },
    });
  }
  return report;
}

function rebuildDkim(tags: Tag[], drop: string[]): string {
  return tags
    .filter((t) => !drop.includes(t.name.toLowerCase()))
    .map((t) => `${t.name}=${t.value}`)
    .join('; ');
}
