import { bool, get, str } from '../core/parse/infra/tree';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'ses-dkim-key-weak',
    description: 'An SES identity signing with a 1024-bit Easy DKIM key, or with DKIM signing turned off.',
    appliesTo: ['infra'],
    defaultSeverity: 'warning',
    group: 'infrastructure',
    fixable: true,
    messages: {
      weak: 'Easy DKIM signs with a 1024-bit key here. Use RSA_2048_BIT: 1024-bit keys are the weakest mailbox providers still accept, and M3AAWG recommends 2048.',
      signingOff: 'DKIM signing is turned off for this identity: its mail is not DKIM-signed, so DMARC rests on SPF alone, which forwarding breaks.',
    },
  },
  checkInfra(ctx) {
    for (const id of ctx.infra.identities) {
      const next = get(id.dkimSigning, ctx.infra.keys.NextSigningKeyLength);
      if (str(next) === 'RSA_1024_BIT') {
        const e = ctx.edits.replaceScalar(next!, 'RSA_2048_BIT');
        ctx.report({ messageId: 'weak', start: next!.start, end: next!.end, fixes: e ? [{ title: term('fix.dkim2048', 'Sign with a 2048-bit key', ctx.locale), safe: true, edits: [e] }] : [] });
      }
      if (bool(id.dkimEnabled) === false) ctx.report({ messageId: 'signingOff', start: id.dkimEnabled!.start, end: id.dkimEnabled!.end });
    }
  },
};
