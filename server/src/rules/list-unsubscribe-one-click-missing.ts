import { headersNamed, ONE_CLICK_VALUE, parseListUnsubscribe } from '../core/detect/listUnsubscribe';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'list-unsubscribe-one-click-missing',
    description: 'List-Unsubscribe is there but RFC 8058 one-click is not: no https: URI, or no List-Unsubscribe-Post: List-Unsubscribe=One-Click.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: true,
    marketingOnly: true,
    messages: {
      noHttps: 'List-Unsubscribe has no https: URI; one-click unsubscribe (RFC 8058), which Gmail and Yahoo require of bulk senders, needs one (mailto: alone is not enough).',
      postMissing: 'List-Unsubscribe-Post: List-Unsubscribe=One-Click is missing, so receivers cannot offer one-click unsubscribe (RFC 8058).',
      postInvalid: 'List-Unsubscribe-Post must be exactly "List-Unsubscribe=One-Click", not "{value}".',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    const lu = headersNamed(send, 'List-Unsubscribe');
    if (!lu.length) return;
    const first = lu[0]!;
    // Receivers ignore items outside angle brackets (RFC 2369 §2), so only bracketed ones count.
    const uris = lu.flatMap((h) => parseListUnsubscribe(h.value)).filter((i) => i.bracketed).map((i) => i.uri);
    if (!uris.some((u) => /^https:\/\//i.test(u))) ctx.report({ messageId: 'noHttps', start: first.valueStart, end: first.valueEnd });
    const post = headersNamed(send, 'List-Unsubscribe-Post');
    if (!post.length) {
      const edit = send.edits.insertHeaders([['List-Unsubscribe-Post', ONE_CLICK_VALUE]]);
      ctx.report({
        messageId: 'postMissing',
        start: first.start,
        end: first.end,
        fixes: edit ? [{ title: term('fix.insertPost', 'Add List-Unsubscribe-Post: List-Unsubscribe=One-Click', ctx.locale), safe: true, edits: [edit] }] : [],
      });
    }
    for (const p of post) {
      if (p.value.trim() !== ONE_CLICK_VALUE) ctx.report({ messageId: 'postInvalid', start: p.valueStart, end: p.valueEnd, data: { value: p.value.trim() } });
    }
  },
};
