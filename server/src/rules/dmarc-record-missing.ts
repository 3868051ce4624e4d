import type { Rule } from '../core/rule';
import { identityDomain, recordsAt, recordValues, zoneOf } from './shared/infra';

export const rule: Rule = {
  meta: {
    id: 'dmarc-record-missing',
    description: 'A sending domain whose zone the infrastructure defines without a DMARC record, or with p=none.',
    appliesTo: ['infra'],
    defaultSeverity: 'warning',
    group: 'infrastructure',
    fixable: false,
    messages: {
      missing: 'The zone {zone} is defined here without a DMARC record for {domain} (a TXT record at _dmarc.{domain} or _dmarc.{zone}). Gmail and Yahoo require DMARC of bulk senders: publish at least "v=DMARC1; p=none; rua=mailto:..." and move to quarantine or reject.',
      policyNone: 'The DMARC record of {domain} has p=none: it asks receivers to do nothing with mail that fails. It meets the bulk sender minimum; once reports show your mail aligns, move to p=quarantine or p=reject.',
    },
  },
  checkInfra(ctx) {
    const { infra } = ctx;
    if (infra.unknownRecords) return;
    const seen = new Set<string>();
    for (const id of infra.identities) {
      const domain = identityDomain(id);
      if (!domain || seen.has(domain)) continue;
      seen.add(domain);
      const zone = zoneOf(infra, domain);
      if (!zone) continue;
      // The DMARC record that applies: at the domain, else at the organizational domain above it (the zone's apex here).
      let found = false;
      for (let d = domain; ; d = d.slice(d.indexOf('.') + 1)) {
        const records = recordsAt(infra, `_dmarc.${d}`, 'TXT');
        if (records.length) {
          found = true;
          for (const r of records) {
            // A record of another file of the module is reported when that file is linted.
            if (!infra.records.includes(r)) continue;
            const values = recordValues(r);
            if (values !== 'unknown' && values.some((v) => /^v=DMARC1/i.test(v) && /(?:^|;)\s*p\s*=\s*none\s*(?:;|$)/i.test(v))) {
              const at = r.values ?? r.at;
              ctx.report({ messageId: 'policyNone', start: at.start, end: at.end, data: { domain: d } });
            }
          }
          break;
        }
        if (d === zone || !d.includes('.')) break;
      }
      const at = id.identity ?? id.res.at;
      if (!found) ctx.report({ messageId: 'missing', start: at.start, end: at.end, data: { zone, domain } });
    }
  },
};
