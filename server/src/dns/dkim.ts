// DKIM key records (RFC 6376 §3.6.1), one per selector, following the CNAMEs ESPs ask customers to
// publish. The key size is read from p= with node:crypto rather than guessed from its length.

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
export function readKey(keyType: string, p: string): KeyInfo {
  const b64 = p.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { type: keyType, error: 'p= is not base64' };
  const der = Buffer.from(b64, 'base64');
  if (keyType === 'ed25519') {
    return der.length === 32 ? { type: keyType, bits: 256 } : { type: keyType, error: `an Ed25519 key is 32 bytes, p= holds ${der.length}` };
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') return { type: keyType, error: `p= holds a ${key.asymmetricKeyType} key, not RSA` };
      return { type: keyType, bits: key.asymmetricKeyDetails?.modulusLength };
    } catch {
      // try the next encoding
    }
  }
  return { type: keyType, error: 'p= is not an RSA public key' };
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
      message: `No DKIM key for selector "${selector}" at ${name}${report.cnames.length ? ` (CNAME to ${report.cnames.join(' -> ')})` : ''}: ${texts.length ? 'the TXT records there are not DKIM keys' : describeStatus(answer.status)}. Mail signed with s=${selector} fails DKIM.`,
      fix: { name, type: 'CNAME', note: `Publish the CNAME (or the TXT "v=DKIM1; k=rsa; p=<public key>") your ESP shows for selector ${selector}, or check that the selector is right.` },
    });
    return report;
  }
  if (keys.length > 1) {
    add({ id: 'dkim-invalid', severity: 'warning', message: `${target} has ${keys.length} DKIM key records; verifiers may pick either one, so signatures fail at random.`, fix: { name: target, type: 'TXT', note: 'Delete all but the current key.' } });
  }
  const text = keys[0]!;
  report.record = text;
  const { tags, malformed } = parseTagList(text);
  const problems: string[] = malformed.map((m) => `"${m}" is not a tag=value pair`);
  const v = first(tags, 'v');
  if (v !== undefined && (tags[0]!.name.toLowerCase() !== 'v' || v !== 'DKIM1')) problems.push('v=DKIM1, when present, must be the first tag');
  const k = (first(tags, 'k') ?? 'rsa').toLowerCase();
  report.keyType = k;
  if (k !== 'rsa' && k !== 'ed25519') problems.push(`k=${k} is not a key type verifiers know (rsa or ed25519)`);
  const hashes = first(tags, 'h');
  if (hashes && !hashes.split(':').some((h) => h.trim().toLowerCase() === 'sha256')) {
    add({ id: 'dkim-sha1', severity: 'warning', message: `h=${hashes} limits selector "${selector}" to SHA-1, which RFC 8301 forbids for signing; verifiers treat those signatures as failed.`, fix: { name: target, type: 'TXT', value: rebuildDkim(tags, ['h']) } });
  }
  const flags = (first(tags, 't') ?? '').split(':').map((f) => f.trim().toLowerCase());
  if (flags.includes('y')) {
    report.testing = true;
    add({ id: 'dkim-testing', severity: 'warning', message: `The key for selector "${selector}" has t=y (testing): verifiers may treat its signatures as if the mail were unsigned.`, fix: { name: target, type: 'TXT', value: rebuildDkim(tags, ['t']) } });
  }
  const p = first(tags, 'p');
  if (p === undefined) problems.push('the p= tag (the public key) is missing');
  if (problems.length) {
    report.status = 'invalid';
    add({ id: 'dkim-invalid', severity: 'error', message: `The DKIM key record for selector "${selector}" is invalid: ${problems.join('; ')}.`, fix: { name: target, type: 'TXT', note: 'Publish the record exactly as your ESP or signing software gives it.' } });
    return report;
  }
  if (p!.trim() === '') {
    report.status = 'revoked';
    add({ id: 'dkim-key-revoked', severity: 'error', message: `The key for selector "${selector}" is revoked (empty p=): mail signed with s=${selector} fails DKIM.`, fix: { name: target, type: 'TXT', note: `Sign with the current selector instead, and remove "${selector}" from deliverlint.dkim.selectors.` } });
    return report;
  }
  const key = readKey(k, p!);
  if (key.error) {
    report.status = 'invalid';
    add({ id: 'dkim-invalid', severity: 'error', message: `The DKIM key for selector "${selector}" cannot be read: ${key.error}.`, fix: { name: target, type: 'TXT', note: 'Copy the public key again from your ESP or signing software; a line break or a missing character breaks it.' } });
    return report;
  }
  report.keyBits = key.bits ?? null;
  report.status = 'ok';
  if (k === 'rsa' && key.bits !== undefined && key.bits < DKIM_RECOMMENDED_BITS) {
    const fatal = key.bits < DKIM_MIN_BITS;
    add({
      id: 'dkim-key-weak',
      severity: fatal ? 'error' : 'warning',
      message: fatal
        ? `The key for selector "${selector}" is ${key.bits}-bit RSA. Verifiers must reject keys under ${DKIM_MIN_BITS} bits (RFC 8301), and Gmail requires at least ${DKIM_MIN_BITS}.`
        : `The key for selector "${selector}" is ${key.bits}-bit RSA; ${DKIM_RECOMMENDED_BITS} bits is the recommended size now.`,
      fix: { name: target, type: 'TXT', value: `v=DKIM1; k=rsa; p=<a ${DKIM_RECOMMENDED_BITS}-bit public key>`, note: `Generate a ${DKIM_RECOMMENDED_BITS}-bit key under a new selector, publish it, switch signing to it, then revoke "${selector}". Amazon SES: choose RSA_2048_BIT.` },
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
