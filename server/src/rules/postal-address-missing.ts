import { describeJudgement } from '../core/classify';
import { findPostalAddress } from '../core/detect/address';
import { espTokens } from '../core/esp';
import { addressFooterLines, addressHtml, footerInParts, insertInFooter, partFooterFix } from './shared/footer';
import { interpolate, term } from '../core/messages';
import type { Rule } from '../core/rule';
import type { Fix } from '../core/types';

// ESP tags that print the account's postal address, for the fix when no address is configured.
const ADDRESS_TAG: Partial<Record<string, string>> = {
  mailchimp: '*|HTML:LIST_ADDRESS_HTML|*',
  sendgrid: '{{Sender_Address}}, {{Sender_City}}, {{Sender_State}} {{Sender_Zip}}',
  sfmc: '%%Member_Addr%% %%Member_City%%, %%Member_State%% %%Member_PostalCode%%',
  klaviyo: '{{ organization.full_address }}',
  hubspot: '{{ site_settings.company_street_address_1 }}, {{ site_settings.company_city }}',
};

export const rule: Rule = {
  meta: {
    id: 'postal-address-missing',
    description: 'Marketing mail must show the sender\'s valid physical postal address (CAN-SPAM, CASL).',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'compliance',
    fixable: true,
    marketingOnly: true,
    wholeMessage: true,
    messages: {
      missing:
        'No sender postal address found in this marketing email: CAN-SPAM and CASL require one. Add it to the footer, use your ESP\'s address tag, or set sender.postalAddress. {category}',
    },
  },
  check(ctx) {
    const { model } = ctx;
    // CAN-SPAM (us), CASL (ca) and the EU e-commerce rules ask for it; under jp alone the
    // address is one of the items sender-identity-missing checks, so it is not reported twice.
    if (ctx.composition.unresolved.length || !ctx.config.jurisdictions.some((j) => j !== 'jp')) return;
    if (findPostalAddress(model, ctx.config.sender, ctx.included.text)) return;
    const fixes: Fix[] = [];
    const configured = ctx.config.sender.postalAddress;
    const tag = ADDRESS_TAG[ctx.config.esp];
    // The footer lives in a layout or partial: the address belongs there, for every email that uses it.
    const inPart = footerInParts(ctx.composition, model, ctx.config);
    const inline = configured ? addressHtml(configured) : tag;
    if (inPart && inline) {
      const file = inPart.path.replace(/^.*[\\/]/, '');
      fixes.push(partFooterFix(inPart, inline, interpolate(term('fix.insertAddressInPart', 'Insert the postal address in the footer of {file} (changes every email that uses it)', ctx.locale), { file })));
    }
    if (configured) {
      const edit = insertInFooter(model, ctx.config, addressHtml(configured), addressFooterLines(model, configured));
      if (edit) fixes.push({ title: term('fix.insertAddress', 'Insert the configured postal address in the footer', ctx.locale), safe: !inPart, edits: [edit] });
    } else if (tag) {
      const edit = insertInFooter(model, ctx.config, tag, [addressFooterLines(model, '\u0000')[0]!.replace('\u0000', tag)]);
      if (edit) {
        fixes.push({
          title: interpolate(term('fix.insertAddressTags', 'Insert {esp} address tags in the footer', ctx.locale), { esp: espTokens(ctx.config.esp)?.label ?? '' }),
          safe: !inPart,
          edits: [edit],
        });
      }
    }
    ctx.report({
      messageId: 'missing',
      start: model.body?.tagStart ?? 0,
      end: model.body?.tagEnd ?? 0,
      data: { category: describeJudgement(ctx.category, ctx.composition.role, ctx.locale) },
      fixes,
    });
  },
};
