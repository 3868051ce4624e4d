import { headersNamed } from '../core/detect/listUnsubscribe';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'dkim-unsubscribe-unsigned',
    description: 'A DKIM-Signature whose h= does not cover List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4).',
    appliesTo: ['eml'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: false,
    messages: {
      unsigned:
        'This DKIM signature (d={domain}) does not sign {missing}; RFC 8058 §4 says receivers should then not offer one-click unsubscribe. Add them to the signed headers (h=) in your MTA or ESP.',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    const present = ['list-unsubscribe', 'list-unsubscribe-post'].filter((n) => headersNamed(send, n).length);
    if (!present.length) return;
    // One valid signature covering both is what RFC 8058 asks; an ESP's extra signature may not.
    if (send.dkim.some((sig) => present.every((n) => sig.signedHeaders?.includes(n)))) return;
    for (const sig of send.dkim) {
      if (!sig.signedHeaders) continue;
      const missing = present.filter((n) => !sig.signedHeaders!.includes(n));
      if (missing.length) {
        ctx.report({ messageId: 'unsigned', start: sig.start, end: sig.end, data: { domain: sig.domain?.value ?? '?', missing: missing.map((m) => (m === 'list-unsubscribe' ? 'List-Unsubscribe' : 'List-Unsubscribe-Post')).join(', ') } });
      }
    }
  },
};
