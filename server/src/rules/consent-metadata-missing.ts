import { interpolate, term } from '../core/messages';
import { PLACEHOLDERS } from '../core/placeholders';
import type { Rule } from '../core/rule';

// What every jurisdiction asks a sender to be able to show (GDPR Art. 7(1), CASL s.13, 特定電子メール法
// 3条2項 with 施行規則4条): on what basis, from where, when, how, and the proof.
const REQUIRED = ['basis', 'source', 'collectedAt', 'method', 'proofRef'] as const;
// What the skeleton fix writes (PLACEHOLDERS.value), and what people write for "fill in later".
const PLACEHOLDER = /^(?:REPLACE[_-]?ME|REPLACE_WITH_\w*|TODO|TBD|FIXME|xxx+)$/i;
const DAY = 86_400_000;

export const rule: Rule = {
  meta: {
    id: 'consent-metadata-missing',
    description: 'A marketing send whose consent record lacks what the enabled jurisdictions demand, or whose consent has expired.',
    appliesTo: ['ses', 'sendgrid', 'campaign'],
    defaultSeverity: 'error',
    group: 'compliance',
    fixable: true,
    marketingOnly: true,
    messages: {
      noRecord: 'This marketing send has no consent record. Keep how each recipient agreed (basis, source, collectedAt, method, proofRef): GDPR, CASL and 特定電子メール法 make the sender prove consent.',
      missing: 'The consent record lacks {fields}.',
      placeholder: 'The consent record still holds placeholder values in {fields}.',
      expired: 'Implied consent expired on {date}, before the send date {sendDate} (CASL: 2 years after a purchase, 6 months after an inquiry). Get express consent or stop sending.',
      withdrawn: 'Consent was withdrawn on {date}; this send goes out after that.',
      badDate: 'The consent date "{value}" of {field} is not a date (use 2026-05-01 or an ISO 8601 timestamp).',
    },
  },
  checkSend(ctx) {
    const { send, config } = ctx;
    if (send.kind === 'eml' || send.ses?.template) return;
    const record = send.consent;
    const required: string[] = [...REQUIRED];
    const implied = /^implied/i.test(record?.fields['basis']?.value ?? '');
    if (implied && config.jurisdictions.includes('ca')) required.push('expiresAt');
    const skeleton = (names: string[]) => Object.fromEntries(names.map((n) => [n, PLACEHOLDERS.value]));
    const fixFor = (names: string[]) => {
      const edit = send.edits.insertConsent(skeleton(names));
      return edit ? [{ title: interpolate(term('fix.consentSkeleton', 'Add the missing consent fields ({fields}) as placeholders to fill in', ctx.locale), { fields: names.join(', ') }), safe: false, edits: [edit] }] : [];
    };

    if (!record) {
      // Payloads carry consent only when the team puts it there; campaigns always must.
      if (send.kind !== 'campaign' && !config.consent.requireInPayloads) return;
      ctx.report({ messageId: 'noRecord', ...send.anchor, fixes: fixFor(required) });
      return;
    }
    const missing = required.filter((f) => !record.fields[f]);
    if (missing.length) ctx.report({ messageId: 'missing', ...record.at, data: { fields: missing.join(', ') }, fixes: fixFor(missing) });
    const placeholders = required.filter((f) => record.fields[f] && PLACEHOLDER.test(record.fields[f]!.value.trim()));
    if (placeholders.length) {
      const first = record.fields[placeholders[0]!]!;
      ctx.report({ messageId: 'placeholder', start: first.start, end: first.end, data: { fields: placeholders.join(', ') } });
    }

    const dateOf = (field: string): Date | undefined => {
      const v = record.fields[field];
      if (!v || PLACEHOLDER.test(v.value)) return undefined;
      const t = Date.parse(v.value);
      if (Number.isNaN(t)) {
        ctx.report({ messageId: 'badDate', start: v.start, end: v.end, data: { field, value: v.value } });
        return undefined;
      }
      return new Date(t);
    };
    const sendDate = ctx.now;
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const withdrawn = dateOf('withdrawnAt');
    if (withdrawn && withdrawn.getTime() <= sendDate.getTime()) {
      const v = record.fields['withdrawnAt']!;
      ctx.report({ messageId: 'withdrawn', start: v.start, end: v.end, data: { date: day(withdrawn) } });
    }
    const collected = dateOf('collectedAt');
    let expires = dateOf('expiresAt');
    if (!expires && implied && collected) {
      // CASL s.10(10): a purchase gives two years, an inquiry six months.
      const inquiry = /inquir/i.test(record.fields['impliedBy']?.value ?? record.fields['basis']?.value ?? '');
      expires = new Date(collected.getTime() + (inquiry ? 183 : 730) * DAY);
    }
    if (implied && expires && expires.getTime() < sendDate.getTime()) {
      const v = record.fields['expiresAt'] ?? record.fields['collectedAt']!;
      ctx.report({ messageId: 'expired', start: v.start, end: v.end, data: { date: day(expires), sendDate: day(sendDate) } });
    }
  },
};
