import { term } from '../core/messages';
import { tagAttributes, tagHasTemplateAttributes, type MarkupElement } from '../core/parse/template';
import type { Rule } from '../core/rule';
import { addAttribute, tagRange } from './shared/a11y';

/** File names of spacer images, as email builders and ESPs name them. */
const SPACER_NAME = /(?:^|[-_.])(?:spacer|spc|blank|pixel|transparent|shim|1x1)(?:[-_.]|$)/i;
/** A size that is no picture: a one- or two-pixel spacer, rule line or tracking pixel. */
const MAX_SPACER_PX = 2;

export const rule: Rule = {
  meta: {
    id: 'img-alt-missing',
    description: 'An image has no alt attribute: screen readers read out its file name or skip it without a word.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: true,
    messages: {
      missing: 'This image has no alt attribute. Screen readers read out its file name instead, and with images off readers see nothing: describe it in alt="…", or write alt="" if it is decoration.',
      spacer: 'This spacer image has no alt attribute, so screen readers announce it (often by its file name). Spacers take an empty alt="".',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const source = model.text;
    const mjml = model.kind === 'mjml';
    for (const el of model.a11y.images) {
      if (el.attribs.alt !== undefined) continue;
      if (mjml && insideMjHead(el)) continue;
      // `<img {{ attrs }}>`: the attributes are written at send time.
      if (tagHasTemplateAttributes(source, el)) continue;
      const attrs = tagAttributes(source, el);
      // Hidden from assistive technology or marked decorative by its role: nothing to announce.
      if (attrs.get('aria-hidden')?.trim().toLowerCase() === 'true') continue;
      const role = attrs.get('role')?.trim().toLowerCase();
      if (role === 'presentation' || role === 'none') continue;
      if (attrs.has('aria-label') || attrs.has('aria-labelledby')) continue;
      const range = tagRange(source, el);
      if (isSpacer(attrs)) {
        // MJML writes alt="" for an mj-image without one: a spacer there is already right.
        if (mjml) continue;
        ctx.report({ ...range, messageId: 'spacer', fixes: [{ title: term('fix.emptyAlt', 'Mark the spacer as decoration: alt=""', ctx.locale), safe: true, edits: [addAttribute(el, 'alt', '')] }] });
        continue;
      }
      ctx.report({ ...range, messageId: 'missing' });
    }
  },
};

function insideMjHead(el: MarkupElement): boolean {
  for (let p = el.parent; p; p = p.parent) if (p.name === 'mj-head' || p.name === 'mj-attributes') return true;
  return false;
}

/** A spacer: one side of at most two pixels (attribute or inline style), or a spacer's file name. */
export function isSpacer(attrs: ReadonlyMap<string, string>): boolean {
  const style = attrs.get('style') ?? '';
  const width = pixels(attrs.get('width')) ?? pixels(styleValue(style, 'width'));
  const height = pixels(attrs.get('height')) ?? pixels(styleValue(style, 'height'));
  if ((width !== undefined && width <= MAX_SPACER_PX) || (height !== undefined && height <= MAX_SPACER_PX)) return true;
  const src = attrs.get('src') ?? '';
  const file = src.replace(/[?#].*$/s, '').replace(/^.*\//s, '');
  return SPACER_NAME.test(file.replace(/\.(?:gif|png|jpe?g|webp)$/i, ''));
}

/** A length in CSS pixels (a bare number, or `px`); undefined for anything else. */
function pixels(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/i.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** The value of one property in an inline style (the last declaration wins). */
export function styleValue(style: string, property: string): string | undefined {
  let found: string | undefined;
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    if (declaration.slice(0, colon).trim().toLowerCase() === property) found = declaration.slice(colon + 1).replace(/!important/i, '').trim();
  }
  return found;
}
