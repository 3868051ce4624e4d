// DKIM body hashes (RFC 6376 §3.4.3-3.4.4, §3.7), computed offline from the message as written.
// The canonicalization and hashing are mailauth's own (its body hashers, without its DNS, streams
// or header parser), so the lint rule and `verify-message` agree on every byte.

import { RelaxedHash } from 'mailauth/lib/dkim/body/relaxed';
import { SimpleHash } from 'mailauth/lib/dkim/body/simple';
import type { DkimSignature } from '../send';

/** Body hashes one message computes at most; a hostile file with thousands of signatures costs no more. */
const MAX_DISTINCT_HASHES = 8;

export interface BodyHashCheck {
  sig: DkimSignature;
  /** The hash of the body as it is now, in base64. */
  computed: string;
  /** `bh=` as the signer wrote it, whitespace removed. */
  expected: string;
}

/** The hash algorithm of `a=` ("rsa-sha256" -> "sha256"), undefined for one DKIM does not define. */
function hashOf(algorithm: string | undefined): string | undefined {
  const hash = algorithm?.split('-').pop();
  return hash === 'sha256' || hash === 'sha1' ? hash : undefined;
}

/** "relaxed/simple" -> "simple"; a header-only value ("relaxed") means simple body (RFC 6376 §3.5). */
function bodyCanonicalization(c: string | undefined): 'simple' | 'relaxed' | undefined {
  if (!c) return 'simple';
  const parts = c.split('/');
  const body = parts.length > 1 ? parts[1] : 'simple';
  return body === 'simple' || body === 'relaxed' ? body : undefined;
}

/**
 * Every signature whose body hash can be computed, with the hash of the body as it stands.
 * `body` is the raw body text (after the header block's empty line). A message stored with bare
 * LF line ends is read as its CRLF form on the wire, as verifiers do.
 */
export function checkBodyHashes(body: string, signatures: readonly DkimSignature[]): BodyHashCheck[] {
  const out: BodyHashCheck[] = [];
  let bytes: Buffer | undefined;
  const cache = new Map<string, string>();
  for (const sig of signatures) {
    if (!sig.bodyHash?.value) continue;
    const hash = hashOf(sig.algorithm);
    const canon = bodyCanonicalization(sig.canonicalization);
    if (!hash || !canon) continue;
    const key = `${hash}/${canon}/${sig.bodyLength ?? ''}`;
    let computed = cache.get(key);
    if (computed === undefined) {
      if (cache.size >= MAX_DISTINCT_HASHES) continue;
      bytes ??= Buffer.from(body.replace(/\r?\n/g, '\r\n'), 'utf8');
      if (canon === 'relaxed') {
        const h = new RelaxedHash(hash, sig.bodyLength);
        h.update(bytes);
        computed = h.digest('base64');
      } else {
        const h = new SimpleHash(hash, sig.bodyLength);
        h.update(bytes);
        computed = h.digest('base64');
      }
      cache.set(key, computed);
    }
    out.push({ sig, computed, expected: sig.bodyHash.value });
  }
  return out;
}
