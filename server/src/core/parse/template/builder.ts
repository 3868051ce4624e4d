// Parses an HTML or MJML template once into the model every template rule reads: the body, the
// links with their offsets, the comments (for directives) and the visible text.
//
// The model is built straight from htmlparser2's parser events, without a DOM: the rules read a
// few facts of a few elements (links, the body, <address>, the ancestors of an unsubscribe link),
// and building domhandler's tree of every element and text node, then walking it, was most of the
// cost of a lint after the tokenizer itself (docs/benchmarks.md). The parser still decides the
// tree's shape (implied end tags, void elements, foreign content), so every element is opened and
// closed exactly where parseDocument would put it; test/unit/template-model.test.ts builds the same
// model from parseDocument's DOM and compares the two on every template we have.
//
// Entities are decoded here as well, not by the tokenizer: it goes through text and attribute
// values one character at a time when it decodes, and jumps to the next `<` or quote with
// indexOf when it does not. Texts and values holding an `&` are decoded with the same decoder
// (entities) in the same modes the tokenizer uses: legacy for text, attribute for values, and
// not at all in raw-text elements (script, style ...) outside <svg> and <math>.

import { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities/decode';
import type { Handler, Parser } from 'htmlparser2';
import type { DocumentKind } from '../../types';
import { unsubscribeSignalOf } from '../../detect/unsubscribe';
import { findAttribute, startTagEnd, type AttributeRange } from '../markup';
import { A11yCollector } from './a11y';
import { TemplateParser, TemplateTokenizer } from './htmlparser';
import { UsageCollector } from './usage';
import { MarkupCollector, type DuplicateAttribute } from './markupFacts';
import type { BodyInfo, CommentInfo, IncludeInfo, LinkInfo, MarkupElement, TemplateModel, TemplateParseOptions, UnsubscribeSignal } from './model';

/** How many open links, innermost first, collect the text inside them (see collectingLinks). */
const MAX_COLLECTING_LINKS = 32;
/** Elements whose text is not shown to the reader. */
const SKIP_TEXT = new Set(['script', 'style', 'head', 'title', 'mj-head', 'mj-style', 'mj-attributes', 'mj-preview', 'mj-title', 'mj-font', 'mj-breakpoint']);
const HTML_LINK_TAGS = new Set(['a', 'area']);
/**
 * Inky (Foundation for Emails) writes links as `<button href>` and `<menu><item href>`, compiled to
 * `<a>` later; neither element takes an href in HTML, so with one they are Inky's links.
 */
const INKY_LINK_TAGS = new Set(['button', 'item']);
/** Elements the tokenizer reads as raw text (htmlparser2's list); title and textarea are decoded like any text. */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

/** The parser's state the builder reads; `isInForeignContext` is internal to htmlparser2 but is what its tokenizer asks. */
interface ParserState {
  startIndex: number;
  endIndex: number;
  isInForeignContext?(): boolean;
  /** TemplateParser's: which attributes of the tag the usage facts record. */
  usageFlags?: number;
}

/** An element while the builder has it open: it learns where it ends and whether anything is inside. */
interface OpenElement extends MarkupElement {
  endIndex: number | null;
  hasChildren: boolean;
}

/** The body element's record: the builder finds its closing tag when the element closes. */
interface OpenBody extends BodyInfo {
  closeStart?: number;
}

/** Collects text (a link's, the title's) while its element is open, as domutils' textContent would. */
interface TextCollector {
  element: MarkupElement;
  /** Open script/style elements when the collector opened: their text is not the element's text. */
  rawDepth: number;
}

/** A link whose element is open: its text and its images' alt texts so far. */
class OpenLink {
  rawText = '';
  alts: string[] = [];
  constructor(
    readonly link: TemplateLink,
    /** As TextCollector's: open script/style elements when the link opened. */
    readonly rawDepth: number,
  ) {}
}

/**
 * A link of the template. Links are many in a large template but only unsubscribe links are
 * looked at closely, so the start tag's end and the href's offsets are computed on first use.
 */
class TemplateLink implements LinkInfo {
  readonly tagStart: number;
  readonly href: string | undefined;
  /** Set by finishLink when the element closes, before the model is handed out. */
  text = '';
  labels = '';
  private _tagEnd?: number = undefined;
  private _hrefRange?: AttributeRange | null = undefined;
  private _unsubscribe?: UnsubscribeSignal | null = undefined;

  constructor(
    private readonly source: string,
    readonly element: MarkupElement,
    readonly includedFrom: string | undefined,
  ) {
    this.tagStart = element.startIndex;
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
  get unsubscribe(): UnsubscribeSignal | null {
    if (this._unsubscribe === undefined) this._unsubscribe = unsubscribeSignalOf(this) ?? null;
    return this._unsubscribe;
  }
}

/** Builds the model from the parser's events (see the top of the file). */
class ModelBuilder implements Partial<Handler> {
  private parser: ParserState | null = null;
  private readonly stack: OpenElement[] = [];
  /** Depth inside elements whose text is not shown (SKIP_TEXT). */
  private skipDepth = 0;
  /** Depth inside script/style elements. */
  private rawDepth = 0;
  /** Text arriving in several events (around a `<` that starts no tag) is one text, as in a DOM. */
  private pendingText = '';
  private pendingShown = false;
  private readonly openLinks: OpenLink[] = [];
  private titleCollector: (TextCollector & { text: string }) | undefined;
  private readonly textParts: string[] = [];
  private readonly bodyTag: string;
  private sawHtml = false;

  private readonly links: TemplateLink[] = [];
  private readonly comments: CommentInfo[] = [];
  private readonly addressElements: MarkupElement[] = [];
  private readonly includes: IncludeInfo[] = [];
  private readonly a11y = new A11yCollector();
  private body?: OpenBody;
  private lang?: string;
  private title?: string;
  private readonly usage = new UsageCollector();
  private readonly markup = new MarkupCollector();

  constructor(
    private readonly text: string,
    private readonly kind: DocumentKind,
    private readonly options: TemplateParseOptions,
  ) {
    this.bodyTag = kind === 'mjml' ? 'mj-body' : 'body';
  }

  onparserinit(parser: Parser): void {
    this.parser = parser as unknown as ParserState;
  }

  onopentag(name: string, attribs: Record<string, string>): void {
    // Only MODEL_ATTRIBUTES reach here (TemplateParser).
    this.flushText();
    const tagStart = this.parser!.startIndex;
    if (this.ampAfter(tagStart) <= this.parser!.endIndex) {
      for (const key in attribs) {
        const value = attribs[key]!;
        if (value.indexOf('&') !== -1) attribs[key] = decodeHTMLAttribute(value);
      }
    }
    const parent = this.stack.length ? this.stack[this.stack.length - 1]! : null;
    if (parent) parent.hasChildren = true;
    const el: OpenElement = { name, attribs, parent, startIndex: tagStart, endIndex: null, hasChildren: false };
    this.stack.push(el);
    this.a11y.open(el);
    // Read once: a tag the parser implies next (no attributes of its own) must not inherit them.
    this.usage.open(el, this.parser!.usageFlags!);
    this.parser!.usageFlags = 0;
    const text = this.text;

    if (name === 'html' || name === 'mjml') {
      this.sawHtml = true;
      this.lang ??= attribs['lang'];
    } else if (name === this.bodyTag && !this.body) {
      this.body = { element: el, tagStart: el.startIndex, tagEnd: startTagEnd(text, el.startIndex) };
    } else if (name === 'title' && this.title === undefined && !this.titleCollector) {
      this.titleCollector = { element: el, rawDepth: this.rawDepth, text: '' };
    } else if (name === 'address') {
      this.addressElements.push(el);
    } else if (name === 'mj-include') {
      this.includes.push({ path: attribs['path'] ?? '', tagStart: el.startIndex, tagEnd: startTagEnd(text, el.startIndex) });
    }
    // Images inside open links label them with their alt text.
    if ((name === 'img' || name === 'mj-image') && attribs['alt']) {
      for (const open of this.collectingLinks()) if (open.rawDepth === this.rawDepth) open.alts.push(attribs['alt']);
    }
    if (this.skipDepth === 0 && (this.kind === 'mjml' ? attribs['href'] !== undefined : HTML_LINK_TAGS.has(name) || (INKY_LINK_TAGS.has(name) && attribs['href'] !== undefined))) {
      const link = new TemplateLink(text, el, this.options.includedFrom);
      this.links.push(link);
      this.openLinks.push(new OpenLink(link, this.rawDepth));
    }
    this.markup.open(el, this.skipDepth === 0, this.body?.element === el);
    if (SKIP_TEXT.has(name)) {
      this.skipDepth++;
    } else if ((name === 'img' || name === 'mj-image') && this.skipDepth === 0 && attribs['alt']) {
      // Alt text is what a reader sees when images are off; it counts as text.
      this.textParts.push(attribs['alt']);
    }
    if (name === 'script' || name === 'style') this.rawDepth++;
  }

  onclosetag(): void {
    this.flushText();
    const el = this.stack.pop();
    if (!el) return;
    // The parser reports one past the end for what the end of the file closes; the model promises
    // the last character (a fix inserting after an unclosed body went past the text's end).
    el.endIndex = Math.min(this.parser!.endIndex, this.text.length - 1);
    const name = el.name;
    if (SKIP_TEXT.has(name)) this.skipDepth--;
    if (name === 'script' || name === 'style') this.rawDepth--;
    const open = this.openLinks[this.openLinks.length - 1];
    if (open && open.link.element === el) {
      this.openLinks.pop();
      finishLink(open);
    }
    if (this.titleCollector?.element === el) {
      this.title = this.titleCollector.text;
      this.titleCollector = undefined;
    }
    if (this.body?.element === el) this.body.closeStart = closingTagStart(this.text, el);
  }

  ontext(data: string): void {
    const parent = this.stack.length ? this.stack[this.stack.length - 1]! : null;
    if (data.indexOf('&') !== -1) {
      const raw = parent !== null && RAW_TEXT.has(parent.name) && !this.parser!.isInForeignContext?.();
      if (!raw) data = decodeHTML(data, DecodingMode.Legacy);
    }
    if (parent) parent.hasChildren = true;
    if (this.pendingText === '') this.pendingShown = this.skipDepth === 0;
    this.pendingText += data;
    for (const open of this.collectingLinks()) if (open.rawDepth === this.rawDepth) open.rawText += data;
    const title = this.titleCollector;
    if (title && title.rawDepth === this.rawDepth) title.text += data;
  }

  oncomment(data: string): void {
    this.flushText();
    const parser = this.parser!;
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.hasChildren = true;
    const end = Math.min(parser.endIndex + 1, this.text.length);
    this.comments.push({ start: parser.startIndex, end, data });
    this.usage.comment(data, parser.startIndex, end);
  }

  onprocessinginstruction(): void {
    this.flushText();
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.hasChildren = true;
  }

  onend(): void {
    this.flushText();
    // Unclosed at the end of the file: the parser closes every open element first; this is a guard.
    while (this.openLinks.length) finishLink(this.openLinks.pop()!);
    if (this.titleCollector) this.title = this.titleCollector.text;
  }

  /**
   * The open links that collect text and image alts: the innermost MAX_COLLECTING_LINKS. Links
   * nested in links are invalid HTML, but a hostile file can nest 100,000 of them (an element
   * between each, so the parser does not close them), and giving every piece of text to every open
   * link was quadratic in time and in the text kept. A link with more links than that open inside
   * it misses the text of the innermost ones.
   */
  private collectingLinks(): OpenLink[] {
    const open = this.openLinks;
    return open.length <= MAX_COLLECTING_LINKS ? open : open.slice(open.length - MAX_COLLECTING_LINKS);
  }

  /** Where the next `&` at or after `from` is (Infinity: none), remembered so the text is searched once overall. */
  private nextAmp = -1;
  private ampAfter(from: number): number {
    if (this.nextAmp < from) {
      const i = this.text.indexOf('&', from);
      this.nextAmp = i === -1 ? Infinity : i;
    }
    return this.nextAmp;
  }

  private flushText(): void {
    if (this.pendingText === '') return;
    // Whitespace-only text (the indentation between tags, most texts of a template) adds nothing
    // once whitespace is collapsed, so it is not collected.
    if (this.pendingShown && this.pendingText.trim() !== '') {
      this.textParts.push(this.pendingText);
      this.a11y.text(this.stack[this.stack.length - 1]);
    }
    this.pendingText = '';
  }

  model(duplicateAttributes: readonly DuplicateAttribute[]): TemplateModel {
    return {
      kind: this.kind,
      text: this.text,
      body: this.body,
      fragment: !this.options.wholeMessage && !this.body && !this.sawHtml,
      links: this.links,
      comments: this.comments,
      bodyText: collapseWhitespace(this.textParts.join(' ')).trim(),
      addressElements: this.addressElements,
      lang: this.lang,
      title: this.title,
      includes: this.includes,
      a11y: this.a11y,
      usage: this.usage.facts(),
      markup: this.markup.facts(duplicateAttributes),
    };
  }
}

function finishLink(open: OpenLink): void {
  const link = open.link;
  link.text = collapseWhitespace(open.rawText).trim();
  const a = link.element.attribs;
  const labels: string[] = [];
  if (a['title']) labels.push(a['title']);
  if (a['aria-label']) labels.push(a['aria-label']);
  if (a['alt']) labels.push(a['alt']);
  labels.push(...open.alts);
  link.labels = labels.join(' ');
}

const NO_OPTIONS: TemplateParseOptions = {};

export function parseTemplate(text: string, kind: DocumentKind, options: TemplateParseOptions = NO_OPTIONS): TemplateModel {
  const builder = new ModelBuilder(text, kind, options);
  const parser = new TemplateParser(builder, { Tokenizer: TemplateTokenizer, decodeEntities: false, recognizeSelfClosing: kind === 'mjml', lowerCaseAttributeNames: true });
  parser.end(text);
  return builder.model(parser.duplicateAttributes);
}

/**
 * Each run of whitespace as one space, as `s.replace(/\s+/g, ' ')` gives, without replacing every
 * single space between words by a space (on hundreds of kilobytes of text that was most of the cost).
 */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s\s+|[^\S ]/g, ' ');
}

/** Offset of the explicit closing tag of `el`, if the source has one. */
function closingTagStart(text: string, el: MarkupElement): number | undefined {
  const end = el.endIndex;
  if (end === null) return undefined;
  const close = `</${el.name}`;
  const from = Math.max(0, end + 1 - close.length - 16);
  const idx = text.slice(from, end + 1).toLowerCase().lastIndexOf(close);
  return idx === -1 ? undefined : from + idx;
}
