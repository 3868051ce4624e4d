import { checkBodyHashes } from '../core/parse/eml/bodyHash';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'dkim-body-hash-mismatch',
    description: "A DKIM-Signature whose body hash (bh=) does not match the message's body: the body was changed after signing (RFC 6376 §3.7).",
    appliesTo: ['eml'],
    defaultSeverity: 'error',
    group: 'correctness',
    fixable: false,
    messages: {
      mismatch:
        'The body of this message does not match the body hash of the DKIM signature of {domain} (bh={expected}, the body now hashes to {computed}): it was changed after signing, so receivers will fail this signature. Sign the message again after the last change, or change nothing after your ESP or MTA signs it.',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    if (send.kind !== 'eml' || !send.rawBody || !send.dkim.length) return;
    const body = send.text.slice(send.rawBody.start, send.rawBody.end);
    for (const { sig, computed, expected } of checkBodyHashes(body, send.dkim)) {
      if (computed === expected) continue;
      const at = sig.bodyHash!;
      ctx.report({ messageId: 'mismatch', start: at.start, end: at.end, data: { domain: sig.domain?.value ?? '?', expected, computed } });
    }
  },
};
