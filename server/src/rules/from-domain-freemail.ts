import { FREEMAIL_DOMAINS } from '../core/detect/alignment';
import { domainOf } from '../core/parse/payload';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'from-domain-freemail',
    description: 'A From address at a mailbox provider (gmail.com, yahoo.co.jp, outlook.com ...) sent through an ESP.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    group: 'compliance',
    fixable: false,
    messages: {
      freemail:
        'The From address is at {domain}, a mailbox provider: its DMARC policy rejects mail sent from other servers, and Gmail forbids @gmail.com From addresses from outside Google. Send from your own domain.',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    const domain = send.from && domainOf(send.from.value);
    if (!send.from || !domain || !FREEMAIL_DOMAINS.has(domain)) return;
    // A raw message signed by the provider itself was sent by the provider: nothing to say.
    if (send.kind === 'eml' && send.dkim.some((d) => d.domain?.value === domain)) return;
    ctx.report({ messageId: 'freemail', start: send.from.start, end: send.from.end, data: { domain } });
  },
};
