// The facts the accessibility rules read, collected while the builder (builder.ts) opens elements
// and flushes text: no pass of its own over the text, no copy of an element. Only references to
// the few elements that matter (images, tables, headings, the <html> element, the elements that
// hold text) are kept; their other attributes (src, width, role, bgcolor ...) are read from the
// source on demand by the rules (tagAttributes), for those elements only.

import { startTagEnd } from '../markup';
import type { MarkupElement } from './model';

/** A table, and whether something inside it says it holds data (a header cell or a caption). */
export interface A11yTable {
  readonly element: MarkupElement;
  readonly data: boolean;
}

export interface A11yFacts {
  /** The first <html> (or <mjml>) element of the file. */
  readonly html?: MarkupElement;
  /** <img> and <mj-image> elements, in order. */
  readonly images: readonly MarkupElement[];
  /** <table> elements, in order of their start tags. */
  readonly tables: readonly A11yTable[];
  /** <h1> .. <h6>, in order. */
  readonly headings: readonly MarkupElement[];
  /** The first <mj-title>, in MJML. */
  readonly mjTitle?: MarkupElement;
  /** The elements holding shown text, each once per run of text (for colour contrast). */
  readonly textElements: readonly MarkupElement[];
}

const enum Kind {
  Html,
  Image,
  Table,
  DataMark,
  Heading,
  MjTitle,
}

const KINDS: ReadonlyMap<string, Kind> = new Map([
  ['html', Kind.Html],
  ['mjml', Kind.Html],
  ['img', Kind.Image],
  ['mj-image', Kind.Image],
  ['table', Kind.Table],
  ['th', Kind.DataMark],
  ['caption', Kind.DataMark],
  ['h1', Kind.Heading],
  ['h2', Kind.Heading],
  ['h3', Kind.Heading],
  ['h4', Kind.Heading],
  ['h5', Kind.Heading],
  ['h6', Kind.Heading],
  ['mj-title', Kind.MjTitle],
]);

class Table implements A11yTable {
  data = false;
  constructor(readonly element: MarkupElement) {}
}

/** Collects A11yFacts from the builder's events. */
export class A11yCollector implements A11yFacts {
  html?: MarkupElement;
  mjTitle?: MarkupElement;
  readonly images: MarkupElement[] = [];
  readonly tables: Table[] = [];
  readonly headings: MarkupElement[] = [];
  readonly textElements: MarkupElement[] = [];
  /** Tables whose element may still be open, innermost last; closed ones are dropped when next looked at. */
  private readonly openTables: Table[] = [];

  /** An element was opened (the builder has pushed it). */
  open(el: MarkupElement): void {
    const kind = KINDS.get(el.name);
    if (kind === undefined) return;
    switch (kind) {
      case Kind.Html:
        this.html ??= el;
        break;
      case Kind.Image:
        this.images.push(el);
        break;
      case Kind.Table: {
        const table = new Table(el);
        this.tables.push(table);
        this.openTables.push(table);
        break;
      }
      case Kind.DataMark: {
        const open = this.openTables;
        // A closed table has its end set by the builder: it is no longer the one the cell is in.
        while (open.length && open[open.length - 1]!.element.endIndex !== null) open.pop();
        if (open.length) open[open.length - 1]!.data = true;
        break;
      }
      case Kind.Heading:
        this.headings.push(el);
        break;
      case Kind.MjTitle:
        this.mjTitle ??= el;
        break;
    }
  }

  /** Shown, non-blank text was found directly inside `el`. */
  text(el: MarkupElement | undefined): void {
    if (!el) return;
    const list = this.textElements;
    if (list.length === 0 || list[list.length - 1] !== el) list.push(el);
  }
}

/**
 * The attributes of an element's start tag as written (lower-cased names, raw values, no entity
 * decoding), for the attributes the model does not keep. One walk over the tag; the first of a
 * repeated name wins, as in the parser.
 */
export function tagAttributes(source: string, el: MarkupElement): Map<string, string> {
  const end = startTagEnd(source, el.startIndex);
  const out = new Map<string, string>();
  let i = el.startIndex + 1;
  while (i < end && !isNameEnd(source.charCodeAt(i))) i++;
  while (i < end) {
    while (i < end && (isSpace(source.charCodeAt(i)) || source.charCodeAt(i) === 47)) i++;
    if (i >= end || source.charCodeAt(i) === 62) break;
    const nameStart = i;
    while (i < end && !isNameEnd(source.charCodeAt(i)) && source.charCodeAt(i) !== 61) i++;
    const name = source.slice(nameStart, i).toLowerCase();
    if (i === nameStart) {
      i++;
      continue;
    }
    let j = i;
    while (j < end && isSpace(source.charCodeAt(j))) j++;
    let value = '';
    if (source.charCodeAt(j) === 61) {
      j++;
      while (j < end && isSpace(source.charCodeAt(j))) j++;
      const q = source[j];
      if (q === '"' || q === "'") {
        // Searched within the tag only: an unmatched quote must not send the search through the rest of the file.
        const quote = q.charCodeAt(0);
        let stop = j + 1;
        while (stop < end && source.charCodeAt(stop) !== quote) stop++;
        value = source.slice(j + 1, stop);
        i = stop + 1;
      } else {
        const from = j;
        while (j < end && !isSpace(source.charCodeAt(j)) && source.charCodeAt(j) !== 62) j++;
        value = source.slice(from, j);
        i = j;
      }
    }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
}
function isNameEnd(c: number): boolean {
  return isSpace(c) || c === 47 || c === 62;
}

/** Template syntax ({{ }}, {% %}, <% %>, *| |*, [[ ]], ${ }) in a string: what it holds is decided at send time. */
export function hasTemplateSyntax(s: string): boolean {
  return /\{\{|\{%|<%|\*\||\[\[|\$\{|%%/.test(s);
}

/** Whether a start tag has template syntax outside its quoted values (`<img {{ attrs }}>`): its attributes are not all known. */
export function tagHasTemplateAttributes(source: string, el: MarkupElement): boolean {
  const end = startTagEnd(source, el.startIndex);
  let quote = '';
  for (let i = el.startIndex + 1; i < end - 1; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if ((c === '{' && (source[i + 1] === '{' || source[i + 1] === '%')) || (c === '<' && source[i + 1] === '%') || (c === '[' && source[i + 1] === '[') || (c === '*' && source[i + 1] === '|')) {
      return true;
    }
  }
  return false;
}
