import { describeCategory } from '../core/classify';
import { espAddsListUnsubscribe, headersNamed, ONE_CLICK_VALUE } from '../core/detect/listUnsubscribe';
import type { Rule } from '../core/rule';
import { oneClickFix } from './shared/headers';

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
    const fix = oneClickFix(ctx, (url) => [
      ['List-Unsubscribe', `<${url}>`],
      ['List-Unsubscribe-Post', ONE_CLICK_VALUE],
    ]);
    ctx.report({ messageId: 'missing', ...send.anchor, data: { category: describeCategory(ctx.category, ctx.locale) }, fixes: fix ? [fix] : [] });
  },
};
