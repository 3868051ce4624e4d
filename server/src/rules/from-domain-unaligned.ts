import { aligned, ESP_DEFAULT_DOMAINS, FREEMAIL_DOMAINS, organizationalDomain } from '../core/detect/alignment';
import { interpolate, term } from '../core/messages';
import { domainOf } from '../core/parse/payload';
import type { Rule } from '../core/rule';
import type { Fix } from '../core/types';

export const rule: Rule = {
  meta: {
    id: 'from-domain-unaligned',
    description: 'The From domain aligns with neither the DKIM signing domain nor the MAIL FROM domain, so DMARC fails.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    group: 'compliance',
    fixable: true,
    messages: {
      unaligned:
        'The From domain {from} aligns with neither the DKIM domain ({dkim}) nor the MAIL FROM domain ({mailFrom}) under {mode} alignment, so DMARC fails and Gmail, Yahoo and Outlook reject or junk bulk mail. Sign with DKIM as {fromOrg} (custom DKIM at your ESP), or set a custom MAIL FROM such as bounce.{from}.',
      outsideSenderDomains: 'The From domain {from} is not one of the configured sender domains ({domains}).',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    const fromDomain = send.from && domainOf(send.from.value);
    if (!send.from || !fromDomain || send.ses?.template) return;
    const at = { start: send.from.start, end: send.from.end };

    const allowed = ctx.config.senderDomains;
    if (allowed.length && !allowed.some((d) => fromDomain === d.toLowerCase() || fromDomain.endsWith(`.${d.toLowerCase()}`))) {
      ctx.report({ messageId: 'outsideSenderDomains', ...at, data: { from: fromDomain, domains: allowed.join(', ') } });
    }
    // A mailbox provider's domain is from-domain-freemail's finding; alignment advice would mislead.
    if (FREEMAIL_DOMAINS.has(fromDomain)) return;

    // A payload does not say how the ESP account signs or bounces, so only a campaign (which
    // declares dkim.domain and mailFrom, or leaves the ESP's defaults) and a raw message are judged.
    if (send.kind !== 'campaign' && send.kind !== 'eml') return;
    const defaults = send.kind === 'campaign' ? ESP_DEFAULT_DOMAINS[send.esp ?? ctx.config.esp] : undefined;
    const dkimDomains = send.dkim.map((d) => d.domain?.value).filter((d): d is string => !!d);
    // SES Easy DKIM signs as the sending identity, so with SES and no dkim.domain DKIM aligns.
    if (!dkimDomains.length && send.kind === 'campaign' && (send.esp ?? ctx.config.esp) === 'ses') return;
    if (!dkimDomains.length && defaults) dkimDomains.push(defaults.dkim);
    const mailFrom = send.mailFrom?.value ?? defaults?.mailFrom;
    if (!dkimDomains.length && !mailFrom) return; // Nothing known to compare with.

    const campaign = send.kind === 'campaign' ? (send as { campaign?: { adkim?: 'r' | 's'; aspf?: 'r' | 's' } }).campaign : undefined;
    const adkim = campaign?.adkim ?? 'r';
    const aspf = campaign?.aspf ?? 'r';
    if (dkimDomains.some((d) => aligned(d, fromDomain, adkim))) return;
    if (mailFrom && aligned(mailFrom, fromDomain, aspf)) return;

    const fixes: Fix[] = [];
    if (send.kind === 'campaign') {
      // Unsafe: both need DNS records and ESP set-up before they are true.
      const dkimEdit = send.edits.setValue(['dkim', 'domain'], fromDomain);
      if (dkimEdit) fixes.push({ title: interpolate(term('fix.setDkimDomain', 'Set dkim.domain to {domain}', ctx.locale), { domain: fromDomain }), safe: false, edits: [dkimEdit] });
      const mailFromEdit = aspf !== 's' ? send.edits.setValue(['mailFrom'], `bounce.${fromDomain}`) : undefined;
      if (mailFromEdit) fixes.push({ title: interpolate(term('fix.setMailFrom', 'Set mailFrom to {domain}', ctx.locale), { domain: `bounce.${fromDomain}` }), safe: false, edits: [mailFromEdit] });
    }
    ctx.report({
      messageId: 'unaligned',
      ...at,
      data: {
        from: fromDomain,
        // Under strict DKIM alignment only the From domain itself aligns.
        fromOrg: adkim === 's' ? fromDomain : organizationalDomain(fromDomain),
        dkim: dkimDomains.join(', ') || term('none', 'none', ctx.locale),
        mailFrom: mailFrom ?? term('none', 'none', ctx.locale),
        mode: adkim === 's' || aspf === 's' ? term('alignment.strict', 'strict', ctx.locale) : term('alignment.relaxed', 'relaxed', ctx.locale),
      },
      fixes,
    });
  },
};
