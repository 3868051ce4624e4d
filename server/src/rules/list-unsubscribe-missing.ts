import { describeCategory } from '../core/classify';
import { unsubscribeSignal } from '../core/detect/unsubscribe';
import { espAddsListUnsubscribe, headersNamed, headerUnsubscribeUrl, ONE_CLICK_VALUE } from '../core/detect/listUnsubscribe';
import { PLACEHOLDER_UNSUBSCRIBE_URL } from '../core/fixes';
import { term } from '../core/messages';
import type { SendModel } from '../core/parse/send';
import type { Rule, SendContext } from '../core/rule';
import type { Fix, TextEdit } from '../core/types';

/** The edit adding headers in the send's own format, merged into one edit where the format inserts them one by one. */
export function headerEdit(send: SendModel, fields: Array<[string, string]>): TextEdit | undefined {
  if (send.insertHeaders) return send.insertHeaders(fields);
  if (!send.insertHeader) return undefined;
  const edits = fields.map(([n, v]) => send.insertHeader!(n, v));
  return { start: edits[0]!.start, end: edits[0]!.end, text: edits.map((e) => e.text).join('') };
}

/** The one-click header pair, with the URL from the configuration or the body's own unsubscribe link. */
export function oneClickFix(ctx: SendContext, fields: (url: string) => Array<[string, string]>): Fix | undefined {
  const bodyHrefs = ctx.bodies.flatMap((m) => m.links.filter((l) => unsubscribeSignal(l)).map((l) => l.href));
  const url = headerUnsubscribeUrl(ctx.config.sender.unsubscribeUrl, bodyHrefs);
  const edit = headerEdit(ctx.send, fields(url ?? PLACEHOLDER_UNSUBSCRIBE_URL));
  if (!edit) return undefined;
  return {
    title: url ? term('fix.insertListUnsubscribe', 'Add List-Unsubscribe and List-Unsubscribe-Post (one-click)', ctx.locale) : term('fix.insertListUnsubscribePlaceholder', 'Add List-Unsubscribe and List-Unsubscribe-Post with a placeholder URL', ctx.locale),
    safe: !!url,
    edits: [edit],
  };
}

export const rule: Rule = {
  meta: {
    id: 'list-unsubscribe-missing',
    description: 'A marketing send must carry a List-Unsubscribe header (RFC 2369), unless the ESP adds one for this send.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    category: 'unsubscribe',
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
