// Whether an element is hidden from the reader by inline styles on it or an ancestor. Email
// clients strip most <style> blocks, so inline styles (and MJML's own attributes) are what count.

import type { MarkupElement } from '../parse/template';

export interface HiddenReason {
  /** The declaration that hides, e.g. "display:none". */
  declaration: string;
  /** The element carrying it, e.g. "td". */
  on: string;
}

// The properties that can hide an element. Inline styles in email carry many others (fonts,
// colours, padding on every cell), so only these are picked out, with one regex pass over the
// attribute instead of splitting and trimming every declaration.
const HIDING_DECLARATION = /(?:^|;)\s*(display|visibility|mso-hide|opacity|overflow|max-height|height|font-size)\s*:([^;]*)/gi;

/** The hiding-relevant declarations of a style attribute, lower-cased, `!important` dropped; the last wins. */
export function parseStyle(style: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!style) return out;
  HIDING_DECLARATION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HIDING_DECLARATION.exec(style))) {
    out.set(m[1]!.toLowerCase(), m[2]!.replace(/!important/i, '').trim().toLowerCase());
  }
  return out;
}

/** Font sizes under this are unreadable (px; pt, em and rem converted at 16px). */
const TINY_FONT_PX = 6;

function fontPx(value: string): number | undefined {
  const m = /^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'pt':
      return n * (4 / 3);
    case 'em':
    case 'rem':
      return n * 16;
    case '%':
      return (n / 100) * 16;
    default:
      return n;
  }
}

const isZero = (v: string | undefined) => v !== undefined && /^0(?:\.0+)?(?:px|pt|em|rem|%)?$/.test(v.trim());

function hiddenBy(el: MarkupElement): string | undefined {
  const a = el.attribs;
  if ('hidden' in a) return 'hidden';
  const s = parseStyle(a['style']);
  if (s.get('display') === 'none') return 'display:none';
  if (s.get('visibility') === 'hidden') return 'visibility:hidden';
  if (s.get('mso-hide') === 'all') return 'mso-hide:all';
  if (isZero(s.get('opacity'))) return 'opacity:0';
  const overflowHidden = s.get('overflow') === 'hidden';
  if (overflowHidden && isZero(s.get('max-height'))) return 'max-height:0; overflow:hidden';
  if (overflowHidden && isZero(s.get('height'))) return 'height:0; overflow:hidden';
  // MJML writes sizes as attributes (font-size="0px" on mj-text, mj-button ...).
  for (const size of [s.get('font-size'), el.name.startsWith('mj-') ? a['font-size'] : undefined]) {
    if (size === undefined) continue;
    const px = fontPx(size);
    if (px !== undefined && px < TINY_FONT_PX) return `font-size:${size}`;
  }
  return undefined;
}

/** The first hiding declaration on the element or an ancestor (up to, not past, `stopAt`). */
export function hiddenReason(el: MarkupElement, stopAt?: MarkupElement): HiddenReason | undefined {
  let cur: MarkupElement | null = el;
  while (cur) {
    const d = hiddenBy(cur);
    if (d) return { declaration: d, on: cur.name };
    if (cur === stopAt) break;
    cur = cur.parent;
  }
  return undefined;
}
