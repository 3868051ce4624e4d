import { clientName, DEFAULT_TARGETS, gapIndex, resolveTargets, type Gap, type GapIndex } from '../core/caniemail';
import { term } from '../core/messages';
import { findAttribute, startTagEnd } from '../core/parse/markup';
import type { MarkupElement, TemplateModel } from '../core/parse/template';
import type { Rule } from '../core/rule';
import type { Locale } from '../core/types';

/** Clients that render with Word and never see what `<!--[if !mso]><!-->` wraps. */
const MSO_CLIENTS = new Set(['outlook-windows', 'outlook-windows-mail']);

export const rule: Rule = {
  meta: {
    id: 'client-unsupported',
    description: 'HTML or CSS that the current version of a targeted email client does not support.',
    appliesTo: ['html'],
    defaultSeverity: 'warning',
    group: 'rendering',
    fixable: false,
    messages: {
      unsupported: '{feature} is not supported in {clients}.',
      unsupportedOthers: '{feature} is not supported in {clients}; {count} more in this file.',
      partial: '{feature} is only partly supported in {clients}.',
      partialOthers: '{feature} is only partly supported in {clients}; {count} more in this file.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const role = ctx.composition.role.role;
    // Emails, and layouts or partials that carry Outlook conditionals or VML (email markup no web
    // page has): a part without them may as well be a web page's (precision first).
    if (role !== 'email' && !(role === 'part' && hasOutlookMarkup(model))) return;
    const index = gapIndex(resolveTargets(ctx.config.targets ?? DEFAULT_TARGETS), ctx.config.targetsPartial === true);
    if (index.empty) return;
    const uses = new Uses(model);
    collect(model, index, uses);
    for (const use of uses.sorted()) {
      const [start, end] = use.range();
      const partialOnly = use.missing.size === 0;
      const clients = [...(partialOnly ? use.partial : use.missing)].map(clientName);
      if (!partialOnly && use.partial.size) clients.push(...[...use.partial].map((c) => `${clientName(c)} (${term('client.partly', 'partly', ctx.locale)})`));
      const base = partialOnly ? 'partial' : 'unsupported';
      ctx.report({
        messageId: use.count > 1 ? `${base}Others` : base,
        start,
        end,
        data: { feature: use.label === use.gap.title ? use.label : `${use.label} (${use.gap.title})`, clients: listOf(clients, ctx.locale), count: use.count - 1 },
      });
    }
  },
};

function hasOutlookMarkup(model: TemplateModel): boolean {
  if (model.usage.vml) return true;
  for (const c of model.comments) if (/^\[if\s[^\]]{0,40}mso/i.test(c.data)) return true;
  return false;
}

function listOf(names: string[], locale: Locale): string {
  return names.join(locale === 'ja' ? '、' : ', ');
}

/** The uses of one feature: the first (where it is reported), how many, and which targets lack it there. */
class Use {
  count = 0;
  readonly missing = new Set<string>();
  readonly partial = new Set<string>();
  constructor(
    readonly gap: Gap,
    /** Document order of the first use. */
    readonly order: number,
    readonly label: string,
    readonly range: () => [number, number],
  ) {}
}

class Uses {
  private readonly byGap = new Map<Gap, Use>();
  private readonly notMso: readonly number[];
  constructor(private readonly model: TemplateModel) {
    this.notMso = model.usage.notMso;
  }

  /** Records a use at `order`; `at` gives its exact range, asked of the first use only. */
  add(gap: Gap, order: number, label: string, at: () => [number, number], dropMso = false): void {
    const hidden = dropMso || this.inNotMso(order);
    const bgFallback = this.model.usage.vml && gap.id.startsWith('css-background');
    let missing = gap.missing;
    let partial = gap.partial;
    if (hidden || bgFallback) {
      missing = missing.filter((c) => !MSO_CLIENTS.has(c));
      partial = partial.filter((c) => !MSO_CLIENTS.has(c));
      if (!missing.length && !partial.length) return;
    }
    let use = this.byGap.get(gap);
    if (!use || order < use.order) {
      const first = new Use(gap, order, label, at);
      if (use) {
        first.count = use.count;
        for (const c of use.missing) first.missing.add(c);
        for (const c of use.partial) first.partial.add(c);
      }
      use = first;
      this.byGap.set(gap, use);
    }
    use.count++;
    for (const c of missing) use.missing.add(c);
    for (const c of partial) use.partial.add(c);
  }

  sorted(): Use[] {
    return [...this.byGap.values()].sort((a, b) => a.order - b.order);
  }

  private inNotMso(offset: number): boolean {
    const r = this.notMso;
    for (let i = 0; i < r.length; i += 2) if (offset >= r[i]! && offset < r[i + 1]!) return true;
    return false;
  }
}

function collect(model: TemplateModel, index: GapIndex, uses: Uses): void {
  const { text, usage } = model;
  // Elements and attributes.
  if (index.elements.size) {
    for (const el of usage.elements) {
      const gap = index.elements.get(el.name);
      if (!gap) continue;
      // A <link> to web fonts falls back to the font stack: fonts are an enhancement.
      if (el.name === 'link' && /font/i.test(el.attribs.href ?? '')) continue;
      uses.add(gap, el.startIndex, `<${el.name}>`, () => [el.startIndex + 1, el.startIndex + 1 + el.name.length]);
    }
  }
  if (index.attributes.size) {
    for (const el of usage.attributed) {
      for (const [name, gap] of index.attributes) {
        if ((el.attribs as Record<string, string | undefined>)[name] === undefined) continue;
        uses.add(gap, el.startIndex, name, () => attributeRange(text, el, name));
      }
    }
  }
  // CSS: <style> blocks with the file's offsets, style attributes by their element.
  const filter = nameFilter(index);
  if (filter.none) return;
  for (const el of usage.styleBlocks) {
    const from = startTagEnd(text, el.startIndex);
    const close = el.endIndex === null ? -1 : text.lastIndexOf('</', el.endIndex);
    const to = close >= from ? close : el.endIndex === null ? text.length : el.endIndex + 1;
    // Outlook for Windows has no @media (caniemail: css-at-media): what a media query holds never reaches it.
    // A rule that hides with mso-hide (the preheader's) is not shown by Outlook for Windows either;
    // one that sets display: none shows nothing anywhere.
    scanStylesheet(text, from, to, index, filter, (gap, label, a, b) => uses.add(gap, a, label, () => [a, b], mediaDepth > 0 || blockMsoHide));
  }
  // One visitor for every style attribute (no closure per element: templates have thousands).
  const sink = new StyleAttributeSink(text, uses);
  const visit: Visit = (gap, label, a, b) => sink.hit(gap, label, a, b);
  for (const el of usage.styled) {
    const style = el.attribs.style!;
    sink.reset(el, style);
    scanDeclarations(style, 0, style.length, index, filter, visit);
    sink.flush();
  }
}


/** Where the uses inside one style attribute are: relative to its value, placed in the file on demand. */
class StyleAttributeSink {
  private el!: MarkupElement;
  private style = '';
  constructor(
    private readonly text: string,
    private readonly uses: Uses,
  ) {}
  reset(el: MarkupElement, style: string): void {
    this.el = el;
    this.style = style;
  }
  private readonly pending: Array<[Gap, string, number, number]> = [];
  hit(gap: Gap, label: string, a: number, b: number): void {
    this.pending.push([gap, label, a, b]);
  }
  /** The element's uses, once its declarations are all read (see coveredBySize). */
  flush(): void {
    if (!this.pending.length) return;
    // A hidden element shows nothing, whatever a client makes of its other declarations; one with
    // mso-hide:all is hidden from Outlook for Windows, so what it lacks there does not matter.
    if (!blockDisplayNone) for (const [gap, label, a, b] of this.pending) if (!coveredBySize(gap)) this.add(gap, label, a, b, blockMsoHide);
    this.pending.length = 0;
  }
  private add(gap: Gap, label: string, a: number, b: number, msoHidden: boolean): void {
    const { el, style, text } = this;
    // border-spacing does something on tables only, and cellspacing, which every client supports, does the same.
    if (gap.id === 'css-border-spacing' && (el.name !== 'table' || findAttribute(text, el.startIndex, startTagEnd(text, el.startIndex), 'cellspacing'))) return;
    // Asked of the first use only, once the scan is over (the sink has moved on by then).
    this.uses.add(gap, el.startIndex, label, () => {
      const at = styleValueStart(text, el, style);
      return at >= 0 ? [at + a, at + b] : attributeRange(text, el, 'style', label);
    }, msoHidden);
  }
}

/** Where the style attribute's value starts in the file when it reads as decoded (no entities), else -1. */
function styleValueStart(text: string, el: MarkupElement, style: string): number {
  const attr = findAttribute(text, el.startIndex, startTagEnd(text, el.startIndex), 'style');
  if (!attr) return -1;
  return attr.valueEnd - attr.valueStart === style.length && text.startsWith(style, attr.valueStart) ? attr.valueStart : -1;
}

/** The attribute's name (or `within` its value when given and found), else the tag name. */
function attributeRange(text: string, el: MarkupElement, name: string, within?: string): [number, number] {
  const attr = findAttribute(text, el.startIndex, startTagEnd(text, el.startIndex), name);
  if (attr) {
    if (within) {
      const i = text.slice(attr.valueStart, attr.valueEnd).toLowerCase().indexOf(within);
      if (i !== -1) return [attr.valueStart + i, attr.valueStart + i + within.length];
    }
    return [attr.start, attr.start + name.length];
  }
  return [el.startIndex + 1, el.startIndex + 1 + el.name.length];
}

type Visit = (gap: Gap, label: string, start: number, end: number) => void;

/**
 * Hashes of the property names that can name a gap, folded to lower case: most declarations are
 * skipped on a hash computed while the name is read, without a slice or a map lookup.
 */
class NameFilter {
  readonly hashes = new Set<number>();
  readonly none: boolean;
  constructor(readonly index: GapIndex) {
    for (const name of index.properties.keys()) this.hashes.add(nameHash(name, 0, name.length));
    for (const name of index.values.keys()) this.hashes.add(nameHash(name, 0, name.length));
    this.none = !index.properties.size && !index.values.size && !index.functions.size && !index.atRules.size && !index.customProperty;
  }
}

const filters = new WeakMap<GapIndex, NameFilter>();
function nameFilter(index: GapIndex): NameFilter {
  let f = filters.get(index);
  if (!f) filters.set(index, (f = new NameFilter(index)));
  return f;
}

function nameHash(s: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + (s.charCodeAt(i) | 32)) | 0;
  return h;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 45 || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

/**
 * Declarations in `s[from, to)` (a style attribute, or the inside of a rule's braces): a hand loop
 * over names, `:` and `;`, no CSS parser. Returns where it stopped (the `}` that closes a block, or `to`).
 */
function scanDeclarations(s: string, from: number, to: number, index: GapIndex, filter: NameFilter, visit: Visit, inBlock = false): number {
  let i = from;
  declWidth = false;
  declHeight = false;
  blockMsoHide = false;
  blockDisplayNone = false;
  while (i < to) {
    let c = s.charCodeAt(i);
    if (isSpace(c) || c === 59 /* ; */) {
      i++;
      continue;
    }
    if (c === 125 /* } */ && inBlock) return i;
    if (c === 47 /* / */ && s.charCodeAt(i + 1) === 42) {
      const e = indexWithin(s, 42, 47, i + 2, to);
      i = e === -1 ? to : e + 2;
      continue;
    }
    const nameStart = i;
    let h = 0;
    while (i < to) {
      c = s.charCodeAt(i);
      if (!isNameChar(c)) break;
      h = (Math.imul(h, 31) + (c | 32)) | 0;
      i++;
    }
    const nameEnd = i;
    while (i < to && isSpace(s.charCodeAt(i))) i++;
    if (nameEnd === nameStart || s.charCodeAt(i) !== 58 /* : */) {
      // Not a declaration (template syntax, a nested rule, junk): skip to the next `;`, or over a block.
      i = skipValue(s, i, to, inBlock);
      if (s.charCodeAt(i) === 123 /* { */) i = skipBlock(s, i + 1, to);
      continue;
    }
    const valueStart = i + 1;
    const valueEnd = skipValue(s, valueStart, to, inBlock);
    i = valueEnd;
    if (s.charCodeAt(i) === 123) i = skipBlock(s, i + 1, to);
    const len = nameEnd - nameStart;
    if (h === WIDTH_HASH && len === 5) declWidth = true;
    else if (h === HEIGHT_HASH && len === 6) declHeight = true;
    if (h === MSO_HIDE_HASH) blockMsoHide = true;
    else if (h === DISPLAY_HASH && isNone(s, valueStart, valueEnd)) blockDisplayNone = true;
    if (filter.hashes.has(h)) {
      const name = s.slice(nameStart, nameEnd).toLowerCase();
      // The value's feature (display: flex) is more precise than the property's (display).
      let byValueMatched = false;
      const byValue = index.values.get(name);
      if (byValue) {
        const value = s.slice(valueStart, valueEnd).trim().toLowerCase().replace(/\s*!important$/, '');
        for (const g of byValue) {
          if (!g.values!.includes(value)) continue;
          visit(g, `${name}: ${value}`, nameStart, nameEnd);
          byValueMatched = true;
        }
      }
      const gap = index.properties.get(name);
      if (gap && !byValueMatched) visit(gap, name, nameStart, nameEnd);
    } else if (index.customProperty && len > 2 && s.charCodeAt(nameStart) === 45 && s.charCodeAt(nameStart + 1) === 45) {
      visit(index.customProperty, s.slice(nameStart, nameEnd), nameStart, nameEnd);
    }
    if (valueParen && index.functions.size) functionsIn(s, valueStart, valueEnd, index, visit);
  }
  return i;
}

/** Functions called in a value (`linear-gradient(`, `calc(` ...). */
function functionsIn(s: string, from: number, to: number, index: GapIndex, visit: Visit): void {
  let p = indexWithin(s, 40, -1, from, to);
  while (p !== -1) {
    let a = p;
    while (a > from && isNameChar(s.charCodeAt(a - 1))) a--;
    if (a < p) {
      const name = s.slice(a, p).toLowerCase();
      const gap = index.functions.get(name);
      if (gap) visit(gap, `${name}()`, a, p);
    }
    p = indexWithin(s, 40, -1, p + 1, to);
  }
}

/**
 * The first place in `s[from, to)` holding the character `a` (followed by `b` unless b is -1), or -1.
 * A loop rather than indexOf, which would search past `to` (to the end of the file, once per
 * unclosed comment: quadratic on a hostile file).
 */
function indexWithin(s: string, a: number, b: number, from: number, to: number): number {
  const last = b === -1 ? to : to - 1;
  for (let i = from; i < last; i++) {
    if (s.charCodeAt(i) === a && (b === -1 || s.charCodeAt(i + 1) === b)) return i;
  }
  return -1;
}

/** Whether the value skipValue last went over holds a `(` (a function call to look at). */
let valueParen = false;

/** End of a value: the `;` or `}` (or `{`) outside strings and balanced braces, or `to`. */
function skipValue(s: string, i: number, to: number, inBlock: boolean): number {
  let braces = 0;
  valueParen = false;
  while (i < to) {
    const c = s.charCodeAt(i);
    // Letters, most of a value, end nothing.
    if (c >= 65 && c <= 122) {
      i++;
      continue;
    }
    if (c === 40) valueParen = true;
    if (c === 34 || c === 39) {
      const e = indexWithin(s, c, -1, i + 1, to);
      i = e === -1 ? to : e + 1;
      continue;
    }
    if (c === 123) {
      // `{{ merge_tag }}` inside a value is balanced; a lone `{` opens a nested block.
      if (s.charCodeAt(i + 1) === 123 || s.charCodeAt(i + 1) === 37 || braces > 0) braces++;
      else return i;
    } else if (c === 125) {
      if (braces > 0) braces--;
      else if (inBlock) return i;
    } else if (c === 59 && braces === 0) return i;
    i++;
  }
  return to;
}

/** Past the `}` closing a block whose `{` is before `i`. */
function skipBlock(s: string, i: number, to: number): number {
  let depth = 1;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
    i++;
  }
  return to;
}

/** At-rules whose block holds rules rather than declarations. */
const GROUPING = new Set(['media', 'supports', 'document', '-moz-document', 'layer', 'container']);

/** A stylesheet in `s[from, to)`: at-rules, selectors, and the declarations in their blocks. */
/** How many @media blocks enclose what scanStylesheet is reading now. */
let mediaDepth = 0;
/** Whether `s[from, to)` is the keyword none (spaces around, `!important` after allowed), without a slice. */
function isNone(s: string, from: number, to: number): boolean {
  while (from < to && isSpace(s.charCodeAt(from))) from++;
  if (to - from < 4 || (s.charCodeAt(from) | 32) !== 110 || (s.charCodeAt(from + 1) | 32) !== 111 || (s.charCodeAt(from + 2) | 32) !== 110 || (s.charCodeAt(from + 3) | 32) !== 101) return false;
  const next = from + 4 < to ? s.charCodeAt(from + 4) : 32;
  return isSpace(next) || next === 33 /* ! */;
}

/** Whether the declarations scanDeclarations last read have mso-hide, or display: none. */
let blockMsoHide = false;
let blockDisplayNone = false;
const MSO_HIDE_HASH = nameHash('mso-hide', 0, 8);
/** Whether the declarations scanDeclarations last read set a plain width or height. */
let declWidth = false;
let declHeight = false;
const WIDTH_HASH = nameHash('width', 0, 5);
const HEIGHT_HASH = nameHash('height', 0, 6);
/**
 * Limits with the plain size beside them (`width: 48px; min-width: 48px`): a client without the
 * limit still gets the size, so the limit missing there changes nothing.
 */
const WIDTH_LIMITS = new Set(['css-min-width']);
const HEIGHT_LIMITS = new Set(['css-max-height', 'css-min-height']);

/** Whether a use is covered by a plain width or height in the same declarations. */
function coveredBySize(gap: Gap): boolean {
  return (declWidth && WIDTH_LIMITS.has(gap.id)) || (declHeight && HEIGHT_LIMITS.has(gap.id));
}
const DISPLAY_HASH = nameHash('display', 0, 7);

/**
 * The declarations of one rule block, visited once the whole block is read: a use in a block that
 * turns out to set display: none is no use, one in a block with mso-hide none for Outlook.
 */
function scanBlock(s: string, from: number, to: number, index: GapIndex, filter: NameFilter, visit: Visit): number {
  const pending: Array<[Gap, string, number, number]> = [];
  blockMsoHide = false;
  blockDisplayNone = false;
  const end = scanDeclarations(s, from, to, index, filter, (g, l, a, b) => pending.push([g, l, a, b]), true);
  if (!blockDisplayNone) for (const [g, l, a, b] of pending) if (!coveredBySize(g)) visit(g, l, a, b);
  blockMsoHide = false;
  blockDisplayNone = false;
  return end;
}

function scanStylesheet(s: string, from: number, to: number, index: GapIndex, filter: NameFilter, visit: Visit): void {
  let i = from;
  let depth = 0;
  // Grouping blocks open, innermost last: whether each is an @media.
  const media: boolean[] = [];
  mediaDepth = 0;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const e = indexWithin(s, 42, 47, i + 2, to);
      i = e === -1 ? to : e + 2;
      continue;
    }
    if (c === 125) {
      if (depth > 0) {
        depth--;
        if (media.pop()) mediaDepth--;
      }
      i++;
      continue;
    }
    if (c === 64 /* @ */) {
      const nameStart = i + 1;
      let j = nameStart;
      while (j < to && isNameChar(s.charCodeAt(j))) j++;
      const name = s.slice(nameStart, j).toLowerCase();
      const end = preludeEnd(s, j, to);
      const gap = index.atRules.get(name);
      // @import of web fonts falls back to the font stack.
      if (gap && !/font/i.test(s.slice(j, end))) visit(gap, `@${name}`, i, j);
      if (end >= to) break;
      if (s.charCodeAt(end) === 123) {
        if (GROUPING.has(name)) {
          depth++;
          media.push(name === 'media');
          if (name === 'media') mediaDepth++;
          i = end + 1;
        } else {
          i = scanBlock(s, end + 1, to, index, filter, visit) + 1;
        }
      } else {
        i = end + 1;
      }
      continue;
    }
    // A selector, then its declarations.
    const end = preludeEnd(s, i, to);
    if (end >= to) break;
    if (s.charCodeAt(end) === 123) i = scanBlock(s, end + 1, to, index, filter, visit) + 1;
    else i = end + 1;
  }
  mediaDepth = 0;
}

/** The `{` or `;` ending a selector or an at-rule's prelude (strings, comments and `{{ }}` skipped), or `to`. */
function preludeEnd(s: string, i: number, to: number): number {
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 39) {
      const e = indexWithin(s, c, -1, i + 1, to);
      i = e === -1 ? to : e + 1;
      continue;
    }
    if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const e = indexWithin(s, 42, 47, i + 2, to);
      i = e === -1 ? to : e + 2;
      continue;
    }
    if (c === 123) {
      const n = s.charCodeAt(i + 1);
      if (n === 123 || n === 37) {
        // A template tag in a selector: past its closer.
        const e = indexWithin(s, n === 123 ? 125 : 37, 125, i + 2, to);
        i = e === -1 ? to : e + 2;
        continue;
      }
      return i;
    }
    if (c === 59 || c === 125) return i;
    i++;
  }
  return to;
}
