import { hasTemplateSyntax } from '../core/parse/template';
import type { Rule } from '../core/rule';

/**
 * Link texts that say nothing of where the link goes, read alone (as screen readers list links).
 * Compared after lower-casing, with surrounding punctuation and arrows dropped.
 */
const VAGUE = new Set([
  'here',
  'click here',
  'click',
  'tap here',
  'click this link',
  'this link',
  'link',
  'more',
  'read more',
  'more info',
  'more information',
  'go here',
  'see more',
  'こちら',
  'ここ',
  'こちらをクリック',
  'ここをクリック',
  'こちらをクリックしてください',
  'ここをクリックしてください',
  '詳しくはこちら',
  '詳細はこちら',
  'こちらから',
  'ここから',
  '続きを読む',
  'もっと見る',
]);
/** Punctuation and arrows around a link text (`Read more »`, `こちら＞`). */
const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/** Longer link texts (punctuation included) are never one of VAGUE. */
const MAX_TEXT = 40;

/** A lower-case ASCII letter, or any character past ASCII's punctuation (kana, kanji, accented letters). */
function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x3040 && c <= 0x9fff);
}

export const rule: Rule = {
  meta: {
    id: 'link-text-vague',
    description: 'A link whose only text is "click here", "here", "more" or the like (こちら, ここ, 詳しくはこちら).',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: false,
    messages: {
      vague: 'The link text "{text}" says nothing of where the link goes: screen reader users who list the links hear only "{text}". Name the destination or action ("Read the spring catalogue"), or give the link an aria-label.',
    },
  },
  check(ctx) {
    for (const link of ctx.model.links) {
      // A title, aria-label or image alt gives the link a name of its own.
      if (link.labels !== '') continue;
      const text = link.text;
      if (text === '' || text.length > MAX_TEXT) continue;
      const lower = text.toLowerCase();
      // Punctuation or arrows are dropped only when the text has some at either end.
      const key = VAGUE.has(lower) || (isLetter(lower.charCodeAt(0)) && isLetter(lower.charCodeAt(lower.length - 1))) ? lower : lower.replace(EDGES, '').replace(/\s+/g, ' ');
      if (VAGUE.has(key) && !hasTemplateSyntax(text)) ctx.report({ start: link.tagStart, end: link.tagEnd, messageId: 'vague', data: { text } });
    }
  },
};
