import { headersNamed, parseListUnsubscribe } from '../core/detect/listUnsubscribe';
import { isPlaceholder } from '../core/placeholders';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'list-unsubscribe-invalid',
    description: 'The List-Unsubscribe header breaks RFC 2369: items outside angle brackets, bad URIs, plain http:, or the header twice.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: false,
    messages: {
      duplicate: 'List-Unsubscribe appears more than once; receivers may ignore all of them. Keep one header with every URI in it.',
      notBracketed: 'List-Unsubscribe item "{item}" is not in angle brackets; receivers ignore a field that does not start with "<".',
      badUri: 'List-Unsubscribe item "{item}" is neither an https: nor a mailto: URI.',
      insecure: 'List-Unsubscribe uses plain http: ("{item}"); Gmail only offers one-click for an https: URI.',
      empty: 'List-Unsubscribe is empty.',
      placeholder: 'List-Unsubscribe still holds {item}, a placeholder a quick fix wrote: replace it with your one-click unsubscribe URL (https:), or set sender.unsubscribeUrl and use the quick fix again.',
    },
  },
  checkSend(ctx) {
    const all = headersNamed(ctx.send, 'List-Unsubscribe');
    all.slice(1).forEach((h) => ctx.report({ messageId: 'duplicate', start: h.start, end: h.end }));
    for (const h of all) {
      const items = parseListUnsubscribe(h.value);
      if (!items.length) ctx.report({ messageId: 'empty', start: h.valueStart, end: h.valueEnd });
      for (const item of items) {
        const data = { item: item.uri.length > 80 ? `${item.uri.slice(0, 77)}...` : item.uri };
        const at = { start: h.valueStart, end: h.valueEnd };
        if (isPlaceholder(item.uri)) {
          ctx.report({ messageId: 'placeholder', ...at, data });
        } else if (!item.bracketed) {
          ctx.report({ messageId: 'notBracketed', ...at, data });
        } else if (/^http:/i.test(item.uri)) {
          ctx.report({ messageId: 'insecure', ...at, data, severity: 'warning' });
        } else if (!/^(https:\/\/[^\s/]+|mailto:[^\s@]+@[^\s@]+)/i.test(item.uri)) {
          ctx.report({ messageId: 'badUri', ...at, data });
        }
      }
    }
  },
};
