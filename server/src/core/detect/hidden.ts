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
 * Whether one declaration of an inline style (`display:none`, `font-size:2px` ...) hides what it is
 * on by itself, with no cascade: what the "show the link" fix removes from the style that hides it.
 */
export function declarationHides(declaration: string): boolean {
  const m = /^\s*([\w-]+)\s*:\s*(.*?)\s*(?:!important)?\s*$/i.exec(declaration);
  if (!m) return false;
  const prop = m[1]!.toLowerCase();
  const value = m[2]!.toLowerCase();
  const zero = /^[-+]?0*(?:\.0*)?(?:px|pt|em|rem|%|ex|ch|vh|vw)?$/.test(value);
  if (prop === 'display') return value === 'none';
  if (prop === 'visibility') return value === 'hidden' || value === 'collapse';
  if (prop === 'mso-hide') return value === 'all';
  if (prop === 'opacity' || prop === 'max-height' || prop === 'height') return zero;
  if (prop === 'font-size') {
    const px = /^([\d.]+)(px|pt)?$/.exec(value);
    return zero || (!!px && Number(px[1]) * (px[2] === 'pt' ? 4 / 3 : 1) < 6);
  }
  return false;
}

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
 *
 * The plain walk, O(depth) per element: the definition hiddenChecker is tested against
 * (test/unit/hidden-cascade.test.ts). For the elements of a whole template, use hiddenChecker.
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

/** What the cascade above an element (the element included) decides about font size. */
type FontCascade =
  /** The nearest absolute size: `px` on the element at `depth`, scaled by `factor` (the relative sizes nearer). */
  | { kind: 'absolute'; px: number; reason: HiddenReason; depth: number; factor: number; relative: HiddenReason | undefined }
  /** A size nothing can be judged by (calc(), var() ...): the font never hides. */
  | { kind: 'unknown' }
  /** No absolute size up to the top: the relative sizes scale the default 16px. */
  | { kind: 'open'; factor: number; relative: HiddenReason | undefined };

/**
 * The cascade from an element up to the top of the walk (stopAt, or the root), as the plain walk
 * would meet it: the nearest declaration of each kind, with the depth of the element holding it
 * (0 at the top) so the nearest of them wins, as the walk returns at the first it meets.
 */
interface Cascade {
  depth: number;
  forGood: { reason: HiddenReason; depth: number } | undefined;
  /** The nearest visibility other than inherit/unset; `hides` undefined when it shows. */
  visibility: { hides: HiddenReason | undefined; depth: number } | undefined;
  font: FontCascade;
}

const TOP: Cascade = { depth: -1, forGood: undefined, visibility: undefined, font: { kind: 'open', factor: 1, relative: undefined } };

/**
 * hiddenReason for many elements under one `stopAt` and `source`: each element's cascade is worked
 * out once, from its parent's, and remembered, so asking about every link of a template costs
 * O(elements on their paths) in all, where walking up from each link cost O(depth) per link
 * (quadratic for 100,000 nested links). The font sizes set again inside an element are found
 * through one index of the source's font-size declarations (FontResets), not by reading the
 * element's content again per link.
 */
export function hiddenChecker(stopAt?: MarkupElement, source?: string): (el: MarkupElement) => HiddenReason | undefined {
  const known = new Map<MarkupElement, Cascade>();
  let resets: FontResets | undefined;
  const resetInside = (el: MarkupElement) => source !== undefined && (resets ??= new FontResets(source)).setInside(el);

  const cascadeOf = (el: MarkupElement): Cascade => {
    // The elements up to the nearest one already known (or the top), then their cascades downwards.
    const path: MarkupElement[] = [];
    let above: Cascade = TOP;
    for (let cur: MarkupElement | null = el; cur; cur = cur === stopAt ? null : cur.parent) {
      const k = known.get(cur);
      if (k) {
        above = k;
        break;
      }
      path.push(cur);
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const cur = path[i]!;
      above = step(cur, cur === stopAt ? TOP : above);
      known.set(cur, above);
    }
    return above;
  };

  return (el) => {
    const c = cascadeOf(el);
    const font = c.font;
    const tiny = font.kind === 'absolute' && font.px * font.factor < TINY_FONT_PX ? font : undefined;
    // The walk up meets, per element, hiding for good, then visibility, then the font size.
    const visibility = c.visibility?.hides ? c.visibility : undefined;
    let nearest: { reason: HiddenReason; depth: number } | undefined = c.forGood;
    if (visibility && (!nearest || visibility.depth > nearest.depth)) nearest = { reason: visibility.hides!, depth: visibility.depth };
    if (tiny && (!nearest || tiny.depth > nearest.depth) && !resetInside(el)) {
      return tiny.px < TINY_FONT_PX || !tiny.relative ? tiny.reason : tiny.relative;
    }
    if (nearest) return nearest.reason;
    // Relative sizes all the way up: they scale the default 16px.
    if (font.kind === 'open' && font.relative && font.factor * 16 < TINY_FONT_PX && !resetInside(el)) return font.relative;
    return undefined;
  };
}

/** The cascade of `el`, from the cascade of what is above it. */
function step(el: MarkupElement, above: Cascade): Cascade {
  const depth = above.depth + 1;
  const s = parseStyle(el.attribs['style']);
  const forGoodDeclaration = hiddenForGood(el, s);
  const forGood = forGoodDeclaration ? { reason: { declaration: forGoodDeclaration, on: el.name, element: el }, depth } : above.forGood;
  const v = s.get('visibility');
  const visibility =
    v !== undefined && v !== 'inherit' && v !== 'unset'
      ? { hides: v === 'hidden' || v === 'collapse' ? { declaration: `visibility:${v}`, on: el.name, element: el } : undefined, depth }
      : above.visibility;
  // MJML writes sizes as attributes (font-size="0px" on mj-text, mj-button ...).
  const value = s.get('font-size') ?? (el.name.startsWith('mj-') ? el.attribs['font-size'] : undefined);
  const size = value === undefined ? undefined : fontSize(value);
  let font = above.font;
  if (size?.kind === 'absolute') {
    font = { kind: 'absolute', px: size.px, reason: { declaration: `font-size:${value}`, on: el.name, element: el }, depth, factor: 1, relative: undefined };
  } else if (size?.kind === 'unknown') {
    font = { kind: 'unknown' };
  } else if (size?.kind === 'relative' && font.kind !== 'unknown') {
    // The nearest relative size is the one reported; the factors multiply.
    font = { ...font, factor: size.factor * font.factor, relative: { declaration: `font-size:${value}`, on: el.name, element: el } };
  }
  return { depth, forGood, visibility, font };
}

/**
 * Whether an element's own content sets a readable absolute font size again (an approximation: any
 * inner style counts). The font-size declarations of the source are found once, in order; an
 * element's question is then a binary search for the first one in its content. Equivalent to
 * scanning the content alone: a declaration cannot run across the `>` that starts the content, and
 * the one the content's end cuts short is read again as cut.
 */
class FontResets {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** For each declaration, the index of the first readable one at or after it (length: none). */
  private readonly nextReadable: number[];

  constructor(private readonly source: string) {
    const declarations = new RegExp(FONT_SIZE_DECLARATION.source, 'gi');
    const readable: boolean[] = [];
    let m: RegExpExecArray | null;
    while ((m = declarations.exec(source))) {
      this.starts.push(m.index);
      this.ends.push(m.index + m[0].length);
      readable.push(isReadableSize(m[1]!));
    }
    this.nextReadable = new Array<number>(readable.length);
    let next = readable.length;
    for (let i = readable.length - 1; i >= 0; i--) this.nextReadable[i] = next = readable[i] ? i : next;
  }

  setInside(el: MarkupElement): boolean {
    if (el.endIndex === null) return false;
    const from = this.source.indexOf('>', el.startIndex) + 1;
    const to = el.endIndex + 1;
    const first = this.firstStartingAt(from);
    // A readable declaration wholly inside.
    const r = this.nextReadable[first];
    if (r !== undefined && this.ends[r]! <= to) return true;
    // The one the end of the content cuts short, read as the content alone would have it.
    const last = this.firstStartingAt(to) - 1;
    if (last < first || this.ends[last]! <= to) return false;
    const cut = new RegExp(FONT_SIZE_DECLARATION.source, 'i').exec(this.source.slice(this.starts[last]!, to));
    return cut !== null && isReadableSize(cut[1]!);
  }

  /** The index of the first declaration starting at or after `offset` (binary search). */
  private firstStartingAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const FONT_SIZE_DECLARATION = /font-size\s*:\s*([^;"'>]+)/;

function isReadableSize(value: string): boolean {
  const size = fontSize(value.replace(/!important/i, '').toLowerCase());
  return size.kind === 'absolute' && size.px >= TINY_FONT_PX;
}
