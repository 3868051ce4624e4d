import { get, str } from '../core/parse/infra/tree';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'ses-mail-from-missing',
    description: 'An SES domain identity without a custom MAIL FROM domain: SPF then passes for amazonses.com, not for your domain, and does not align for DMARC.',
    appliesTo: ['infra'],
    defaultSeverity: 'warning',
    group: 'infrastructure',
    fixable: false,
    messages: {
      missing: 'This identity has no custom MAIL FROM domain (MailFromAttributes), so the envelope sender is a subdomain of amazonses.com: SPF passes for amazonses.com and never aligns with your From domain for DMARC. Set MailFromAttributes.MailFromDomain to a subdomain such as bounce.{domain}.',
      behaviorDefault: 'BehaviorOnMxFailure is not set, so when the MAIL FROM domain\'s MX record cannot be read SES falls back to amazonses.com (USE_DEFAULT_VALUE) and SPF silently stops aligning. Choose it on purpose: USE_DEFAULT_VALUE or REJECT_MESSAGE.',
    },
  },
  checkInfra(ctx) {
    for (const id of ctx.infra.identities) {
      const name = str(id.identity);
      // An address identity sends with its domain's MAIL FROM settings; a computed one may be either.
      if (name === undefined || name.includes('@')) continue;
      const domain = get(id.mailFrom, ctx.infra.keys.MailFromDomain);
      if (id.mailFrom && id.mailFrom.t !== 'map') continue;
      if (!domain) {
        const at = id.mailFrom ?? id.res.at;
        ctx.report({ messageId: 'missing', start: at.start, end: at.end, data: { domain: name.replace(/\.$/, '') } });
        continue;
      }
      if (!get(id.mailFrom, ctx.infra.keys.BehaviorOnMxFailure)) ctx.report({ messageId: 'behaviorDefault', start: domain.start, end: domain.end, severity: 'info' });
    }
  },
};
