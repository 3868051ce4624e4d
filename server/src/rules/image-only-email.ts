import { findAttribute, startTagEnd } from '../core/parse/markup';
import type { MarkupElement } from '../core/parse/template';
import type { Rule } from '../core/rule';
import { urlHasTemplateSyntax } from './shared/urls';

/** Fewer words than this beside images: the message is mostly pictures. */
const FEW_WORDS = 25;
/** With this many images, fewer words than MANY_IMAGES_WORDS still make it mostly pictures. */
const MANY_IMAGES = 3;
const MANY_IMAGES_WORDS = 50;
/** Images narrower or lower than this (in pixels) are icons, spacers or pixels, not content. */
const SMALL = 80;
/** Template logic in the text: `{{#each}}`, `{% for %}`, `*|IF:|*`, `<% if %>`, a raw block `{{{ body }}}`. */
const GENERATED_TEXT = /\{\{[#{]|\{%|\*\|(?:IF|ELSEIF|INTERESTED|FEEDBLOCK|RSSITEMS)|<%/;

export const rule: Rule = {
  meta: {
    id: 'image-only-email',
    description: 'A marketing email that is images with little or no text: filtered as spam, and empty with images off.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'rendering',
    fixable: false,
    marketingOnly: true,
    wholeMessage: true,
    messages: {
      imageOnly: 'This email is {images} image(s) with only {words} word(s) of text beside them: spam filters distrust image-only mail, and readers with images off see an almost empty message. Put the message in text too.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const { images, altChars } = model.markup;
    if (!images.length) return;
    // Alt text counts into bodyText (what a reader with images off sees); here only real text counts.
    const textChars = model.bodyText.length - altChars + ctx.included.text.length;
    if (textChars > MANY_IMAGES_WORDS * 12) return;
    // Text written by template logic (loops, conditions, content blocks) is known only once rendered.
    if (GENERATED_TEXT.test(model.bodyText) || GENERATED_TEXT.test(ctx.included.text)) return;
    const own = model.bodyText.length > 0 ? words(model.bodyText) - words(altTexts(images)) : 0;
    const count = Math.max(0, own) + words(ctx.included.text);
    if (count >= MANY_IMAGES_WORDS) return;
    const pictures = images.filter((el) => isPicture(model.text, el)).length;
    if (pictures === 0 || (count >= FEW_WORDS && pictures < MANY_IMAGES)) return;
    const at = model.body ?? { tagStart: 0, tagEnd: 0 };
    ctx.report({ messageId: 'imageOnly', start: at.tagStart, end: at.tagEnd, data: { images: pictures, words: count } });
  },
};

function altTexts(images: readonly MarkupElement[]): string {
  return images.map((el) => el.attribs['alt'] ?? '').join(' ');
}

/** Words, with each CJK character (no spaces between words) as half a word. */
function words(text: string): number {
  let n = 0;
  let inWord = false;
  let cjk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x3040 && c <= 0x9fff) {
      cjk++;
      inWord = false;
    } else if (c <= 32 || c === 0xa0) {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      n++;
    }
  }
  return n + Math.floor(cjk / 2);
}

/**
 * An image that carries content: a source known now (not a template variable), and not a tracking
 * pixel, spacer or icon (a width or height under SMALL pixels: social icons, bullets).
 */
function isPicture(text: string, el: MarkupElement): boolean {
  const src = el.attribs['src'];
  if (!src || !src.trim() || urlHasTemplateSyntax(src)) return false;
  const end = startTagEnd(text, el.startIndex);
  for (const name of ['width', 'height']) {
    const attr = findAttribute(text, el.startIndex, end, name);
    const size = attr && /^\s*(\d+)(?:px)?\s*$/.exec(text.slice(attr.valueStart, attr.valueEnd));
    if (size && Number(size[1]) < SMALL) return false;
  }
  return true;
}
