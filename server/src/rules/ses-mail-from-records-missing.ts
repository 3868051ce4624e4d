import { dnsName } from '../core/infra/model';
import { get, str } from '../core/parse/infra/tree';
import type { Rule } from '../core/rule';
import { recordsAt, recordValues, zoneOf } from './shared/infra';

export const rule: Rule = {
  meta: {
    id: 'ses-mail-from-records-missing',
    description: 'A custom MAIL FROM domain whose zone the same infrastructure defines without the MX and SPF records SES needs.',
    appliesTo: ['infra'],
    defaultSeverity: 'warning',
    group: 'infrastructure',
    fixable: false,
    messages: {
      mx: 'The zone {zone} is defined here, but not the MX record of the MAIL FROM domain {domain}: SES needs "10 feedback-smtp.<region>.amazonses.com" there, or it falls back to amazonses.com (or rejects the mail).',
      spf: 'The zone {zone} is defined here, but not the SPF record of the MAIL FROM domain {domain}: publish a TXT record "v=spf1 include:amazonses.com ~all" there, or SPF fails for every message.',
      mxWrong: 'The MX record of the MAIL FROM domain {domain} does not point at feedback-smtp.<region>.amazonses.com, so SES cannot use the domain.',
    },
  },
  checkInfra(ctx) {
    const { infra } = ctx;
    if (infra.unknownRecords) return;
    for (const id of infra.identities) {
      const node = get(id.mailFrom, infra.keys.MailFromDomain);
      const literal = str(node);
      if (!node || literal === undefined) continue;
      const domain = dnsName(literal);
      const zone = zoneOf(infra, domain);
      if (!zone) continue;
      const data = { zone, domain };
      const mx = recordsAt(infra, domain, 'MX');
      if (!mx.length) ctx.report({ messageId: 'mx', start: node.start, end: node.end, data });
      else {
        const values = mx.map(recordValues);
        if (!values.includes('unknown') && !values.flat().some((v) => /feedback-smtp\.[a-z0-9-]+\.amazonses\.com\.?$/i.test((v as string).trim()))) {
          ctx.report({ messageId: 'mxWrong', start: node.start, end: node.end, data });
        }
      }
      const txt = recordsAt(infra, domain, 'TXT').concat(recordsAt(infra, domain, 'SPF'));
      const spf = txt.map(recordValues);
      if (!spf.includes('unknown') && !spf.flat().some((v) => /^v=spf1\b/i.test(v as string) && /\binclude:amazonses\.com\b/i.test(v as string))) {
        ctx.report({ messageId: 'spf', start: node.start, end: node.end, data });
      }
    }
  },
};
