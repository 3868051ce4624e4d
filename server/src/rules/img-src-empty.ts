import { findAttribute, startTagEnd } from '../core/parse/markup';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'img-src-empty',
    description: 'An image has an empty src: it shows as a broken image, and some clients request the page itself.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'rendering',
    fixable: false,
    messages: {
      empty: 'This image has an empty src: readers see a broken image (and some clients request the message\'s own URL instead).',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    for (const el of ctx.model.markup.images) {
      const src = el.attribs['src'];
      // No src at all is left alone: template syntax may write it (`<img {{ attrs }}>`), or a script does.
      if (src === undefined || src.trim() !== '') continue;
      const tagEnd = startTagEnd(text, el.startIndex);
      const attr = findAttribute(text, el.startIndex, tagEnd, 'src');
      ctx.report({ messageId: 'empty', start: attr?.start ?? el.startIndex, end: attr?.end ?? tagEnd });
    }
  },
};
