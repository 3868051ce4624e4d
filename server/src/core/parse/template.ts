// Parses an HTML or MJML template once into the model every template rule reads: the body, the
// links with their offsets, the comments (for directives) and the visible text. One iterative walk,
// so a 5 MB file or 10,000 nested elements cost one pass and never a deep recursion.

import type { ChildNode, Document, Element, ParentNode } from 'domhandler';
import { parseDom } from './dom';
import type { DocumentKind } from '../types';
import { findAttribute, startTagEnd, type AttributeRange } from './markup';

export interface LinkInfo {
  element: Element;
  /** Start tag range `[tagStart, tagEnd)`, where findings about the link are reported. */
  tagStart: number;
  tagEnd: number;
  href: string | undefined;
  hrefRange?: AttributeRange;
  /** Visible text inside the link, whitespace collapsed. */
  text: string;
  /** title, aria-label, and the alt text of images inside. */
  labels: string;
  /** Set for links that come from an included file; offsets then are not in this text. */
  includedFrom?: string;
  /** Memo for detect/unsubscribe.ts: why the link unsubscribes, null when it does not. */
  unsubscribe?: 'token' | 'href' | 'label' | null;
}

export interface CommentInfo {
  start: number;
  end: number;
  data: string;
}

export interface BodyInfo {
  element: Element;
  tagStart: number;
  tagEnd: number;
  /** Offset of the closing `</body>` / `</mj-body>`, when the file has one. */
  closeStart?: number;
}

export interface IncludeInfo {
  path: string;
  tagStart: number;
  tagEnd: number;
  /** Resolved absolute path, when the including file has one. */
  resolved?: string;
}

export interface TemplateModel {
  kind: DocumentKind;
  text: string;
  root: Document;
  body?: BodyInfo;
  /** True for a partial: no <html>, <body> or <mj-body>. Whole-message rules skip partials. */
  fragment: boolean;
  links: LinkInfo[];
  comments: CommentInfo[];
  /** Visible text of the body (or of the whole file for a fragment): pieces joined with spaces, each run of whitespace one space, trimmed. */
  bodyText: string;
  /** Text outside script/style/head, per element, for `<address>` and similar. */
  addressElements: Element[];
  lang?: string;
  title?: string;
  includes: IncludeInfo[];
}

const SKIP_TEXT = new Set(['script', 'style', 'head', 'title', 'mj-head', 'mj-style', 'mj-attributes', 'mj-preview', 'mj-title', 'mj-font', 'mj-breakpoint']);
const HTML_LINK_TAGS = new Set(['a', 'area']);

export function parseTemplate(text: string, kind: DocumentKind): TemplateModel {
  const root = parseDom(text, {
    withStartIndices: true,
    withEndIndices: true,
    recognizeSelfClosing: kind === 'mjml',
    lowerCaseAttributeNames: true,
  });
  const bodyTag = kind === 'mjml' ? 'mj-body' : 'body';
  const links: LinkInfo[] = [];
  const comments: CommentInfo[] = [];
  const addressElements: Element[] = [];
  const includes: IncludeInfo[] = [];
  const textParts: string[] = [];
  let body: BodyInfo | undefined;
  let sawHtml = false;
  let lang: string | undefined;
  let title: string | undefined;

  // Iterative pre-order walk along the tree's own links (first child, next sibling, parent), so it
  // allocates nothing per node: on large templates a stack of per-node entries cost more than the
  // rest of the walk (see docs/benchmarks.md). `skipDepth` > 0 inside an element whose text is not shown.
  let skipDepth = 0;
  let node: ChildNode | null = root.children[0] ?? null;
  while (node) {
    let enter: Element | undefined;
    if (node.type === 'text') {
      // Whitespace-only text (the indentation between tags, most text nodes of a template) adds
      // nothing once whitespace is collapsed below, so it is not collected.
      if (skipDepth === 0 && !isBlank(node.data)) textParts.push(node.data);
    } else if (node.type === 'comment') {
      comments.push({ start: node.startIndex ?? 0, end: (node.endIndex ?? 0) + 1, data: node.data });
    } else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const el = node as Element;
      const name = el.name;
      if (name === 'html' || name === 'mjml') {
        sawHtml = true;
        lang ??= el.attribs['lang'];
      } else if (name === bodyTag && !body) {
        const tagStart = el.startIndex ?? 0;
        const tagEnd = startTagEnd(text, tagStart);
        body = { element: el, tagStart, tagEnd, closeStart: closingTagStart(text, el) };
      } else if (name === 'title' && title === undefined) {
        title = collectText(el);
      } else if (name === 'address') {
        addressElements.push(el);
      } else if (name === 'mj-include') {
        const tagStart = el.startIndex ?? 0;
        includes.push({ path: el.attribs['path'] ?? '', tagStart, tagEnd: startTagEnd(text, tagStart) });
      }
      const href = el.attribs['href'];
      if ((kind === 'mjml' ? href !== undefined : HTML_LINK_TAGS.has(name)) && skipDepth === 0) {
        links.push(new LazyLink(text, el));
      }
      const skip = SKIP_TEXT.has(name);
      if (skip) {
        skipDepth++;
      } else if (name === 'img' || name === 'mj-image') {
        // Alt text is what a reader sees when images are off; it counts as text.
        if (el.attribs['alt'] && skipDepth === 0) textParts.push(el.attribs['alt']);
      }
      if (el.children.length) enter = el;
      else if (skip) skipDepth--;
    }
    if (enter) {
      node = enter.children[0]!;
      continue;
    }
    // Next in pre-order: the next sibling, else that of the nearest ancestor that has one.
    while (node && !node.next) {
      const parent: ParentNode | null = node.parent;
      if (!parent || parent === root) {
        node = null;
        break;
      }
      // Leaving an element entered above (only tags, scripts and styles are entered).
      if (SKIP_TEXT.has((parent as Element).name)) skipDepth--;
      node = parent as ChildNode;
    }
    if (node) node = node.next;
  }

  return {
    kind,
    text,
    root,
    body,
    fragment: !body && !sawHtml,
    links,
    comments,
    bodyText: collapseWhitespace(textParts.join(' ')).trim(),
    addressElements,
    lang,
    title,
    includes,
  };
}

/** True when `s` holds nothing but whitespace (checked from the start, so text exits at once). */
function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // space, \t \n \v \f \r; anything else (NBSP included) goes to the regex test.
    if (c !== 32 && (c < 9 || c > 13)) return c > 127 ? !/\S/.test(s.slice(i)) : false;
  }
  return true;
}

/**
 * Each run of whitespace as one space, as `s.replace(/\s+/g, ' ')` gives, without replacing every
 * single space between words by a space (on hundreds of kilobytes of text that was most of the cost).
 */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s\s+|[^\S ]/g, ' ');
}

/**
 * Links are many in a large template but only unsubscribe links are looked at closely, so the
 * costly parts (start-tag end, href offsets, text, labels) are computed on first use.
 */
class LazyLink implements LinkInfo {
  readonly tagStart: number;
  readonly href: string | undefined;
  private _tagEnd?: number;
  private _hrefRange?: AttributeRange | null;
  private _text?: string;
  private _labels?: string;
  includedFrom?: string = undefined;
  unsubscribe?: LinkInfo['unsubscribe'] = undefined;

  constructor(
    private readonly source: string,
    readonly element: Element,
  ) {
    this.tagStart = element.startIndex ?? 0;
    this.href = element.attribs['href'];
  }
  get tagEnd(): number {
    return (this._tagEnd ??= startTagEnd(this.source, this.tagStart));
  }
  get hrefRange(): AttributeRange | undefined {
    if (this._hrefRange === undefined) {
      this._hrefRange = this.href === undefined ? null : (findAttribute(this.source, this.tagStart, this.tagEnd, 'href') ?? null);
    }
    return this._hrefRange ?? undefined;
  }
  get text(): string {
    return (this._text ??= collapseWhitespace(collectText(this.element)).trim());
  }
  get labels(): string {
    if (this._labels === undefined) {
      const a = this.element.attribs;
      const labels: string[] = [];
      if (a['title']) labels.push(a['title']);
      if (a['aria-label']) labels.push(a['aria-label']);
      if (a['alt']) labels.push(a['alt']);
      for (const img of descendants(this.element)) {
        if ((img.name === 'img' || img.name === 'mj-image') && img.attribs['alt']) labels.push(img.attribs['alt']);
      }
      this._labels = labels.join(' ');
    }
    return this._labels;
  }
  /** A plain copy, for links carried over from an included file. */
  toJSON(): LinkInfo {
    return { element: this.element, tagStart: this.tagStart, tagEnd: this.tagEnd, href: this.href, hrefRange: this.hrefRange, text: this.text, labels: this.labels, includedFrom: this.includedFrom };
  }
}

/** Text content of an element, iteratively (no recursion on deep trees). */
export function collectText(el: Element): string {
  const parts: string[] = [];
  const stack: ChildNode[] = [...el.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') parts.push(n.data);
    else if (n.type === 'tag' || n.type === 'cdata') {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
  }
  return parts.join('');
}

function descendants(el: Element): Element[] {
  const out: Element[] = [];
  const stack: ChildNode[] = [...el.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'tag') {
      out.push(n as Element);
      stack.push(...(n as Element).children);
    }
  }
  return out;
}

/** Offset of the explicit closing tag of `el`, if the source has one. */
function closingTagStart(text: string, el: Element): number | undefined {
  const end = el.endIndex;
  if (end === null || end === undefined) return undefined;
  const close = `</${el.name}`;
  const from = Math.max(0, end + 1 - close.length - 16);
  const idx = text.slice(from, end + 1).toLowerCase().lastIndexOf(close);
  return idx === -1 ? undefined : from + idx;
}
