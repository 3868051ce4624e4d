import { hiddenChecker } from '../core/detect/hidden';
import { hasTemplateSyntax, tagAttributes, type MarkupElement } from '../core/parse/template';
import type { Rule } from '../core/rule';
import { tagRange } from './shared/a11y';

/** WCAG 2 SC 1.4.3: 4.5:1 for text, 3:1 for large text (24px, or 18.66px bold). */
const NORMAL_RATIO = 4.5;
const LARGE_RATIO = 3;
const LARGE_PX = 24;
const LARGE_BOLD_PX = 18.66;
/** Default sizes of headings (px at a 16px base) and whether they are bold. */
const HEADING_PX: ReadonlyMap<string, number> = new Map([['h1', 32], ['h2', 24], ['h3', 18.72], ['h4', 16], ['h5', 13.28], ['h6', 10.72]]);
const BOLD_TAGS = new Set(['b', 'strong', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th']);
/** Elements whose `bgcolor` / `color` / `background` attributes paint. */
const BGCOLOR_TAGS = new Set(['body', 'table', 'tr', 'td', 'th']);

const NAMED: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  white: '#ffffff', black: '#000000', red: '#ff0000', green: '#008000', blue: '#0000ff', gray: '#808080', grey: '#808080',
  silver: '#c0c0c0', yellow: '#ffff00', orange: '#ffa500', purple: '#800080', navy: '#000080', maroon: '#800000',
  teal: '#008080', olive: '#808000', lime: '#00ff00', aqua: '#00ffff', fuchsia: '#ff00ff', lightgray: '#d3d3d3',
  lightgrey: '#d3d3d3', darkgray: '#a9a9a9', darkgrey: '#a9a9a9', gainsboro: '#dcdcdc', whitesmoke: '#f5f5f5',
});

/** A colour as relative luminance, or 'unknown' for one that cannot be read (a merge tag, a variable). */
type Paint = number | 'unknown';

/** What an element paints and sets, and what it inherits, resolved once per element. */
interface Resolved {
  /** Text colour with the element that sets it; undefined when nothing in the chain sets one. */
  fg?: { paint: Paint; on: MarkupElement };
  /** Background, 'image' for a background picture (contrast unknown). */
  bg?: Paint | 'image';
  px?: number;
  bold: boolean;
}

export const rule: Rule = {
  meta: {
    id: 'text-contrast-low',
    description: 'Text whose inline colour and background contrast less than WCAG\'s 4.5:1 (3:1 for large text).',
    appliesTo: ['html'],
    defaultSeverity: 'off',
    group: 'accessibility',
    fixable: false,
    messages: {
      low: 'This text ({fg} on {bg}) has a contrast of {ratio}:1, below the 4.5:1 that WCAG asks for text: many readers cannot make it out, on a phone in daylight least of all. Darken the text or the background.',
      lowLarge: 'This large text ({fg} on {bg}) has a contrast of {ratio}:1, below the 3:1 that WCAG asks for large text: many readers cannot make it out, on a phone in daylight least of all. Darken the text or the background.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const source = model.text;
    const memo = new Map<MarkupElement, Resolved>();
    const hidden = hiddenChecker(undefined, source);
    const reported = new Set<MarkupElement>();
    const chain: MarkupElement[] = [];
    const resolve = (el: MarkupElement): Resolved => {
      let r = memo.get(el);
      if (r) return r;
      // Ancestors first, without recursion (documents can be deep).
      chain.length = 0;
      for (let p: MarkupElement | null = el; p && !memo.has(p); p = p.parent) chain.push(p);
      for (let i = chain.length - 1; i >= 0; i--) {
        const e = chain[i]!;
        memo.set(e, own(source, e, e.parent ? memo.get(e.parent)! : ROOT));
      }
      r = memo.get(el)!;
      return r;
    };
    for (const el of model.a11y.textElements) {
      const r = resolve(el);
      if (!r.fg || r.fg.paint === 'unknown' || r.bg === undefined || r.bg === 'unknown' || r.bg === 'image') continue;
      const ratio = contrast(r.fg.paint, r.bg);
      const large = r.px !== undefined && (r.px >= LARGE_PX || (r.bold && r.px >= LARGE_BOLD_PX));
      const needed = large ? LARGE_RATIO : NORMAL_RATIO;
      if (ratio >= needed) continue;
      const at = r.fg.on;
      if (reported.has(at) || hidden(el)) continue;
      reported.add(at);
      ctx.report({
        ...tagRange(source, el),
        messageId: large ? 'lowLarge' : 'low',
        data: { fg: colourOf(source, at), bg: describeBg(source, el), ratio: (Math.floor(ratio * 100) / 100).toFixed(2) },
      });
    }
  },
};

const ROOT: Resolved = { bold: false };

/**
 * The declarations that paint text or its background, picked out of an inline style with one regex
 * pass (email cells carry many others: fonts, padding, borders) instead of splitting it.
 */
const PAINT_DECLARATION = /(?:^|;)\s*(color|background-color|background-image|background|font-size|font-weight)\s*:([^;]*)/gi;

/** Whether the start tag may hold bgcolor, background or color: only then are its attributes read. */
function paintsByAttribute(source: string, el: MarkupElement): boolean {
  const gt = source.indexOf('>', el.startIndex);
  const tag = source.slice(el.startIndex, gt === -1 ? source.length : gt);
  return /bgcolor|\sbackground\s*=|\scolor\s*=/i.test(tag);
}

/** An element's own paint over what it inherits from its parent. */
function own(source: string, el: MarkupElement, parent: Resolved): Resolved {
  const style = el.attribs.style;
  const attrs = (BGCOLOR_TAGS.has(el.name) || el.name === 'font') && paintsByAttribute(source, el) ? tagAttributes(source, el) : undefined;
  // Most elements (rows, plain cells, spans) change nothing: they share their parent's record.
  if (!style && !attrs && !HEADING_PX.has(el.name) && (parent.bold || !BOLD_TAGS.has(el.name))) return parent;
  let fg = parent.fg;
  let bg = parent.bg;
  let px = parent.px;
  let bold = parent.bold || BOLD_TAGS.has(el.name);
  if (px === undefined) px = HEADING_PX.get(el.name);
  if (attrs) {
    const color = el.name === 'font' ? attrs.get('color') : undefined;
    if (color !== undefined) fg = { paint: paint(color), on: el };
    if (attrs.get('background')?.trim()) bg = 'image';
    const bgcolor = attrs.get('bgcolor');
    if (bgcolor !== undefined && bgcolor.trim() !== '') bg = paint(bgcolor);
    const size = el.name === 'font' ? attrs.get('size') : undefined;
    if (size !== undefined) px = undefined;
  }
  if (style) {
    PAINT_DECLARATION.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = PAINT_DECLARATION.exec(style))) {
      const name = m[1]!.toLowerCase();
      const value = m[2]!.replace(/!important/i, '').trim();
      if (name === 'color') fg = { paint: paint(value), on: el };
      else if (name === 'background-color') bg = value.toLowerCase() === 'transparent' ? bg : paint(value);
      else if (name === 'background-image') bg = /none/i.test(value) ? bg : 'image';
      else if (name === 'background') bg = /url\(|gradient/i.test(value) ? 'image' : backgroundColor(value) ?? bg;
      else if (name === 'font-size') px = fontPx(value, px);
      else bold = value === 'bold' || value === 'bolder' || Number(value) >= 700;
    }
  }
  return { fg, bg, px, bold };
}

function backgroundColor(value: string): Paint | undefined {
  for (const token of value.split(/\s+(?![^(]*\))/)) {
    const p = paint(token);
    if (p !== 'unknown') return p;
  }
  return undefined;
}

function fontPx(value: string, inherited: number | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(px|pt|em|rem|%)?$/i.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch ((m[2] ?? 'px').toLowerCase()) {
    case 'px':
      return n;
    case 'pt':
      return (n * 4) / 3;
    case 'rem':
      return n * 16;
    case 'em':
      return inherited === undefined ? undefined : n * inherited;
    default:
      return inherited === undefined ? undefined : (n / 100) * inherited;
  }
}

/** The relative luminance of a CSS colour (WCAG 2), 'unknown' when it cannot be read. */
export function paint(value: string): Paint {
  let known = PAINTS.get(value);
  if (known === undefined) {
    // Templates repeat a few colours on every cell: each is worked out once.
    if (PAINTS.size > 4096) PAINTS.clear();
    PAINTS.set(value, (known = luminanceOf(value)));
  }
  return known;
}
const PAINTS = new Map<string, Paint>();

function luminanceOf(value: string): Paint {
  const v = value.trim().toLowerCase();
  if (hasTemplateSyntax(v)) return 'unknown';
  const rgb = rgbOf(NAMED[v] ?? v);
  if (!rgb) return 'unknown';
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function rgbOf(v: string): [number, number, number] | undefined {
  let m = /^#?([0-9a-f]{6})$/.exec(v);
  if (m) return [parseInt(m[1]!.slice(0, 2), 16), parseInt(m[1]!.slice(2, 4), 16), parseInt(m[1]!.slice(4, 6), 16)];
  m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)) as [number, number, number];
  // Opaque rgb() only: a translucent colour mixes with what is behind it.
  m = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*(1|1\.0+)\s*)?\)$/.exec(v);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return undefined;
}

export function contrast(a: number, b: number): number {
  const [hi, lo] = a > b ? [a, b] : [b, a];
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour as the source writes it, for the message. */
function colourOf(source: string, el: MarkupElement): string {
  const style = el.attribs.style ?? '';
  const fromStyle = /(?:^|;)\s*color\s*:\s*([^;!]+)/i.exec(style)?.[1]?.trim();
  return fromStyle ?? (el.name === 'font' ? tagAttributes(source, el).get('color') ?? '' : '');
}

/** The background as the nearest element that paints one writes it. */
function describeBg(source: string, from: MarkupElement): string {
  for (let el: MarkupElement | null = from; el; el = el.parent) {
    const style = el.attribs.style ?? '';
    const s = /(?:^|;)\s*background(?:-color)?\s*:\s*([^;!]+)/i.exec(style)?.[1]?.trim();
    if (s && s.toLowerCase() !== 'transparent') return s;
    if (BGCOLOR_TAGS.has(el.name)) {
      const b = tagAttributes(source, el).get('bgcolor');
      if (b?.trim()) return b.trim();
    }
  }
  return '';
}
