// What the rendering rules (attribute-duplicate, img-src-*, image-only-email, preheader-missing ...)
// read of the markup, collected inside the builder's existing parser events: no pass of its own over
// the text, and per element nothing but a few comparisons. What only a few elements need (an
// attribute's offsets, a URL's shape) is worked out by the rules, for those elements.

import { declarationHides } from '../../detect/hidden';
import type { MarkupElement } from './model';

/** An attribute whose name the same start tag already has: browsers keep the first, drop this one. */
export interface DuplicateAttribute {
  /** Lower-cased name. */
  readonly name: string;
  /** The repeated name's offsets `[start, end)`. */
  readonly start: number;
  readonly end: number;
  /** Offset of the tag's `<`. */
  readonly tagStart: number;
}

export interface MarkupFacts {
  readonly duplicateAttributes: readonly DuplicateAttribute[];
  /** `<img>` and `<mj-image>` elements whose text is shown (not inside head, script, style ...). */
  readonly images: readonly MarkupElement[];
  /** Characters of those images' alt texts: the builder counts them into bodyText. */
  readonly altChars: number;
  /** The document has a `<base>` element: relative URLs may resolve against it. */
  readonly hasBase: boolean;
  /** A preheader: `<mj-preview>`, or a hidden element among the first elements of the body. */
  readonly preheader: boolean;
  /** The document has a `<head>` (`<mj-head>`): a whole designed document, not a body an ESP or a mailer wraps. */
  readonly hasHead: boolean;
}

/** How many attribute names a tag may have before their repeats are looked up in a Set. */
const SCAN_LIMIT = 12;
/** Characters of template syntax: an attribute name holding one is a piece of a tag (`{{#if`, `%}style`). */
const TEMPLATE_CHARACTER = /[{}%|[\]<>*$@()]/;

/**
 * The attribute names of the open start tag, to find repeats. A tag has a handful of attributes,
 * so they are kept in one reused array and compared in turn; a Set is made only for a tag with
 * more than SCAN_LIMIT of them. A tag whose attributes are written with template syntax
 * (`{% if x %}width="1"{% else %}width="2"{% endif %}`) can hold the same name twice on purpose,
 * so its repeats are dropped: its names are looked at only when it has a repeat.
 */
export class AttributeNames {
  private readonly names: string[] = [];
  private count = 0;
  private many: Set<string> | undefined;
  private pending: DuplicateAttribute[] | undefined;
  private tagStart = 0;

  /** A start tag begins; `nameStart` is where its name starts, after the `<`. */
  open(nameStart: number): void {
    this.tagStart = nameStart - 1;
  }

  add(name: string, start: number, end: number): void {
    const count = this.count;
    let seen = false;
    if (this.many) {
      seen = this.many.has(name);
      this.many.add(name);
    } else {
      const names = this.names;
      for (let i = 0; i < count; i++) {
        if (names[i] === name) {
          seen = true;
          break;
        }
      }
      if (count === SCAN_LIMIT) this.many = new Set(names.slice(0, count)).add(name);
    }
    this.names[count] = name;
    this.count = count + 1;
    if (seen) (this.pending ??= []).push({ name, start, end, tagStart: this.tagStart });
  }

  /** Ends the tag: its repeats go to `out` unless template syntax wrote its attributes. */
  flush(out: DuplicateAttribute[]): void {
    if (this.pending) {
      let template = false;
      for (let i = 0; i < this.count && !template; i++) template = TEMPLATE_CHARACTER.test(this.names[i]!);
      if (!template) out.push(...this.pending);
      this.pending = undefined;
    }
    this.many = undefined;
    this.count = 0;
  }
}

/** How many elements after the body's start tag may hold the preheader. */
const PREHEADER_WINDOW = 40;
const PREHEADER_TAGS = new Set(['div', 'span', 'p', 'td', 'table', 'font']);

/** Collects MarkupFacts from the builder's onopentag. */
export class MarkupCollector {
  private readonly images: MarkupElement[] = [];
  private altChars = 0;
  private hasBase = false;
  private preheader = false;
  private hasHead = false;
  /** Elements opened since the body's start tag; -1 before it. */
  private sinceBody = -1;

  /** An element opened; `shown`: its text is shown (the builder's skipDepth is 0); `body`: it is the body. */
  open(el: MarkupElement, shown: boolean, body: boolean): void {
    const name = el.name;
    if (body) {
      this.sinceBody = 0;
      return;
    }
    if (name === 'img' || name === 'mj-image') {
      if (shown) {
        this.images.push(el);
        const alt = el.attribs['alt'];
        if (alt) this.altChars += alt.length;
      }
    } else if (name === 'head' || name === 'mj-head') {
      this.hasHead = true;
    } else if (name === 'base') {
      this.hasBase = true;
    } else if (name === 'mj-preview') {
      this.preheader = true;
    }
    if (this.sinceBody >= 0 && !this.preheader && this.sinceBody++ < PREHEADER_WINDOW && PREHEADER_TAGS.has(name)) {
      const style = el.attribs['style'];
      if (style !== undefined && hidesText(style)) this.preheader = true;
    }
  }

  facts(duplicateAttributes: readonly DuplicateAttribute[]): MarkupFacts {
    return { duplicateAttributes, images: this.images, altChars: this.altChars, hasBase: this.hasBase, preheader: this.preheader, hasHead: this.hasHead };
  }
}

/** Whether an inline style hides its element the ways preheaders are hidden (display:none, max-height:0, opacity:0, mso-hide:all ...). */
export function hidesText(style: string): boolean {
  // Most styles hide nothing: split only those that name a value a hiding declaration has.
  if (style.indexOf('none') === -1 && style.indexOf('0') === -1 && style.indexOf('hidden') === -1 && style.indexOf('all') === -1) return false;
  for (const declaration of style.split(';')) if (declarationHides(declaration)) return true;
  return false;
}
