import { term } from '../core/messages';
import { findAttribute, startTagEnd } from '../core/parse/markup';
import type { Rule } from '../core/rule';
import type { TextEdit } from '../core/types';
import { httpsEdit } from './shared/https';
import { shorten } from './shared/urls';

export const rule: Rule = {
  meta: {
    id: 'img-src-insecure',
    description: 'Images load over plain http: clients block them or warn, and mixed content breaks the message.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'rendering',
    fixable: true,
    messages: {
      insecure: 'This image loads over plain http: ("{src}"); clients that load only https: images show it broken or warn. Use https:.',
      insecureMore: 'This image and {more} more load over plain http: (first: "{src}"); clients that load only https: images show them broken or warn. Use https:.',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    // One finding per file, at the first image, with the count of the others: a template of a
    // hundred http: images is one thing to fix, and its fix changes the scheme of each.
    let first: { start: number; end: number; src: string } | undefined;
    let more = 0;
    const edits: TextEdit[] = [];
    for (const el of ctx.model.markup.images) {
      const src = el.attribs['src'];
      if (src === undefined || !isHttp(src)) continue;
      const tagEnd = startTagEnd(text, el.startIndex);
      const attr = findAttribute(text, el.startIndex, tagEnd, 'src');
      const edit = httpsEdit(text, attr);
      if (edit) edits.push(edit);
      if (first) more++;
      else first = { start: attr?.start ?? el.startIndex, end: attr?.end ?? tagEnd, src: shorten(src.trim()) };
    }
    if (!first) return;
    const title = term('fix.useHttpsImages', 'Load the images over https:', ctx.locale);
    ctx.report({
      messageId: more ? 'insecureMore' : 'insecure',
      start: first.start,
      end: first.end,
      data: more ? { src: first.src, more } : { src: first.src },
      ...(edits.length && { fixes: [{ title, safe: true, edits }] }),
    });
  },
};

/** `http:` (any case, after spaces): looked at by character, for every image of a template. */
function isHttp(src: string): boolean {
  let i = 0;
  while (i < src.length && src.charCodeAt(i) <= 32) i++;
  if ((src.charCodeAt(i) | 32) !== 104 /* h */ || src.charCodeAt(i + 4) !== 58 /* : */) return false;
  return src.slice(i, i + 5).toLowerCase() === 'http:';
}
