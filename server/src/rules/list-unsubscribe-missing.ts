import { describeCategory } from '../core/classify';
import { espAddsListUnsubscribe, headersNamed, ONE_CLICK_VALUE } from '../core/detect/listUnsubscribe';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';
import type { Fix } from '../core/types';
import { listManagementFix, oneClickFix } from './shared/headers';

export const rule: Rule = {
  meta: {
    id: 'list-unsubscribe-missing',
    description: 'A marketing send must carry a List-Unsubscribe header (RFC 2369), unless the ESP adds one for this send.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: true,
    marketingOnly: true,
    messages: {
      missing:
        'This marketing send has no List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe (RFC 8058) for bulk senders. {category}',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    if (send.ses?.template) return;
    if (headersNamed(send, 'List-Unsubscribe').length) return;
    if (espAddsListUnsubscribe(send)) return;
    const header = oneClickFix(ctx, (url) => [
      ['List-Unsubscribe', `<${url}>`],
      ['List-Unsubscribe-Post', ONE_CLICK_VALUE],
    ]);
    // An SES SendEmail request can have SES add both headers and handle the unsubscribes. It comes
    // first and preferred unless the team's own URL is known (then the header fix is complete and
    // safe, and list management, which needs a contact list named by a person, comes second).
    const lmo = listManagementFix(ctx, term('fix.useListManagement', 'Let SES add List-Unsubscribe: add ListManagementOptions (fill in your contact list and topic)', ctx.locale));
    const fixes: Fix[] = [];
    if (lmo && !header?.safe) fixes.push({ ...lmo, preferred: true });
    if (header) fixes.push(header);
    if (lmo && header?.safe) fixes.push(lmo);
    ctx.report({ messageId: 'missing', ...send.anchor, data: { category: describeCategory(ctx.category, ctx.locale) }, fixes });
  },
};
