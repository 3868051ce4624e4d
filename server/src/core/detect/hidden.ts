// Whether an element is hidden from the reader by inline styles on it or an ancestor. Email
// clients strip most <style> blocks, so inline styles (and MJML's own attributes) are what count.

import type { MarkupElement } from '../parse/template';

export interface HiddenReason {
  /** The declaration that hides, e.g. "display:none". */
  declaration: string;
  /** The element carrying it, e.g. "td". */
  on: string;
  /** That element (fixes edit its style). */
  element?: MarkupElement;
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

/** Font sizes under this are unreadable (px; pt and rem converted at 16px to the rem). */
const TINY_FONT_PX = 6;

/** What a font-size value does to the inherited size. */
type FontSize =
  | { kind: 'absolute'; px: number }
  | { kind: 'relative'; factor: number }
  | { kind: 'inherit' }
  | { kind: 'unknown' };

const KEYWORD_PX: Readonly<Record<string, number>> = {
  'xx-small': 9,
  'x-small': 10,
  small: 13,
  medium: 16,
  large: 18,
  'x-large': 24,
  'xx-large': 32,
  'xxx-large': 48,
  initial: 16,
};

function fontSize(value: string): FontSize {
  const v = value.trim();
  const m = /^(-?\d*\.?\d+)\s*(px|pt|rem|em|%|ex|ch)?$/.exec(v);
  if (m) {
    const n = Number(m[1]);
    switch (m[2]) {
      case 'pt':
        return { kind: 'absolute', px: n * (4 / 3) };
      case 'rem':
        return { kind: 'absolute', px: n * 16 };
      // em and % scale the parent's size: 1em inside a font-size:0 cell is still 0.
      case 'em':
        return { kind: 'relative', factor: n };
      case '%':
        return { kind: 'relative', factor: n / 100 };
      case 'ex':
      case 'ch':
        return { kind: 'relative', factor: n / 2 };
      default:
        return { kind: 'absolute', px: n };
    }
  }
  const keyword = KEYWORD_PX[v];
  if (keyword !== undefined) return { kind: 'absolute', px: keyword };
  if (v === 'smaller') return { kind: 'relative', factor: 5 / 6 };
  if (v === 'larger') return { kind: 'relative', factor: 1.2 };
  if (v === 'inherit' || v === 'unset') return { kind: 'inherit' };
  // calc(), var(), clamp(), vw ...: nothing to judge by, and precision comes first.
  return { kind: 'unknown' };
}

const isZero = (v: string | undefined) => v !== undefined && /^0(?:\.0+)?(?:px|pt|em|rem|%)?$/.test(v.trim());

/**
 * Declarations that hide the element and everything in it, whatever the descendants declare:
 * display:none, the hidden attribute, mso-hide:all, opacity:0 (opacities multiply), and a zero
 * (max-)height box that clips its overflow.
 */
function hiddenForGood(el: MarkupElement, s: Map<string, string>): string | undefined {
  if ('hidden' in el.attribs) return 'hidden';
  if (s.get('display') === 'none') return 'display:none';
  if (s.get('mso-hide') === 'all') return 'mso-hide:all';
  if (isZero(s.get('opacity'))) return 'opacity:0';
  const overflowHidden = s.get('overflow') === 'hidden';
  if (overflowHidden && isZero(s.get('max-height'))) return 'max-height:0; overflow:hidden';
  if (overflowHidden && isZero(s.get('height'))) return 'height:0; overflow:hidden';
  return undefined;
}

/**
 * Whether an element hides `el` from the reader, following the cascade of inline styles from `el`
 * up to (not past) `stopAt`. Inherited properties are decided by the nearest element that sets
 * them: compiled MJML, Foundation for Emails and most responsive layouts put `font-size:0` on a
 * cell (against gaps between inline blocks) and set the size again on the text inside it, and a
 * `visibility:visible` inside a `visibility:hidden` box is shown. The rest (see hiddenForGood)
 * hide the whole subtree.
 *
 * With `source` (the text the offsets point into), a readable font size set inside the element
 * (`<a><span style="font-size:12px">Unsubscribe</span></a>`) also counts as set again.
 */
export function hiddenReason(el: MarkupElement, stopAt?: MarkupElement, source?: string): HiddenReason | undefined {
  let visibilitySettled = false;
  let fontSettled = false;
  /** The product of the relative font sizes met so far, and the nearest of them. */
  let factor = 1;
  let relative: HiddenReason | undefined;
  let cur: MarkupElement | null = el;
  while (cur) {
    const s = parseStyle(cur.attribs['style']);
    const forGood = hiddenForGood(cur, s);
    if (forGood) return { declaration: forGood, on: cur.name, element: cur };
    if (!visibilitySettled) {
      const v = s.get('visibility');
      if (v === 'hidden' || v === 'collapse') return { declaration: `visibility:${v}`, on: cur.name, element: cur };
      if (v !== undefined && v !== 'inherit' && v !== 'unset') visibilitySettled = true;
    }
    if (!fontSettled) {
      // MJML writes sizes as attributes (font-size="0px" on mj-text, mj-button ...).
      const value = s.get('font-size') ?? (cur.name.startsWith('mj-') ? cur.attribs['font-size'] : undefined);
      const size = value === undefined ? undefined : fontSize(value);
      if (size?.kind === 'absolute') {
        fontSettled = true;
        if (size.px * factor < TINY_FONT_PX && !(source !== undefined && resetInside(el, source))) {
          return size.px < TINY_FONT_PX || !relative ? { declaration: `font-size:${value}`, on: cur.name, element: cur } : relative;
        }
      } else if (size?.kind === 'relative') {
        factor *= size.factor;
        relative ??= { declaration: `font-size:${value}`, on: cur.name, element: cur };
      } else if (size?.kind === 'unknown') {
        fontSettled = true;
      }
    }
    if (cur === stopAt) break;
    cur = cur.parent;
  }
  // Relative sizes all the way up: they scale the default 16px.
  if (!fontSettled && relative && factor * 16 < TINY_FONT_PX && !(source !== undefined && resetInside(el, source))) return relative;
  return undefined;
}

/** Whether the element's own content sets a readable absolute font size again (an approximation: any inner style counts). */
function resetInside(el: MarkupElement, source: string): boolean {
  if (el.endIndex === null) return false;
  const inner = source.slice(source.indexOf('>', el.startIndex) + 1, el.endIndex + 1);
  const declarations = /font-size\s*:\s*([^;"'>]+)/gi;
  let m: RegExpExecArray | null;
  while ((m = declarations.exec(inner))) {
    const size = fontSize(m[1]!.replace(/!important/i, '').toLowerCase());
    if (size.kind === 'absolute' && size.px >= TINY_FONT_PX) return true;
  }
  return false;
}
