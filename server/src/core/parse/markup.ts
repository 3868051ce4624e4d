// Offsets inside tags that htmlparser2 does not report: where a start tag ends and where an
// attribute's value sits. Hand-written because the parser gives element ranges only, and fixes
// need the exact place of an `href` value to replace it.

/**
 * Index just past the `>` that closes the start tag beginning at `tagStart` (quotes respected, and
 * quotes inside template tags within a value, as the parser reads them: see closingQuote).
 */
export function startTagEnd(text: string, tagStart: number): number {
  const limit = Math.min(text.length, tagStart + 64 * 1024);
  for (let i = tagStart + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      // Only a quote right after `=` (optionally spaced) opens an attribute value.
      let j = i - 1;
      while (j > tagStart && /\s/.test(text[j]!)) j--;
      if (text[j] === '=') {
        const close = closingQuote(text, i + 1, text[i]!);
        if (close === -1 || close >= limit) break;
        i = close;
      }
    } else if (c === 62 /* > */) {
      return i + 1;
    }
  }
  const nl = text.indexOf('\n', tagStart);
  return nl === -1 ? text.length : nl;
}

// Attribute values: a quote inside a template tag does not end the value. `href="{{ url_for("unsubscribe") }}"`
// and `<a href="<%= unsubscribe_url(token: "x") %>">` are one value each, as the template engine
// renders them. Outside template tags the first quote ends the value, as in HTML.
/** Template tags longer than this are taken for text (an opener with no closer near). */
const MAX_TAG = 2000;
const OPEN_BRACE = 123;
const PERCENT = 37;
const LT = 60;

/** Where the value that starts at `from` ends: the first `quote` outside template tags, or -1. Linear: `pos` only moves on. */
export function closingQuote(buffer: string, from: number, quote: string, memo?: OpenerMemo): number {
  let pos = from;
  // The first quote at or after `pos`: searched again only once `pos` has passed it (it was inside
  // a tag), so each character is read a bounded number of times.
  let q = buffer.indexOf(quote, pos);
  for (;;) {
    if (q < pos) q = buffer.indexOf(quote, pos);
    if (q === -1) return -1;
    const open = memo ? memo.openerBefore(buffer, pos, q - 1) : openerIn(buffer, pos, q - 1);
    if (open === -1) return q;
    const closer = buffer.charCodeAt(open) === LT ? '%>' : buffer.charCodeAt(open + 1) === PERCENT ? '%}' : '}}';
    // An opener with no closer near is text, and the quote ends the value. The closer is looked for
    // within MAX_TAG only: searched to the end of the text, 100,000 values each holding an opener
    // with no closer anywhere after it read the rest of the text each (quadratic).
    const near = buffer.slice(open + 2, open + MAX_TAG + 2).indexOf(closer);
    if (near === -1) return q;
    pos = open + 2 + near + 2;
  }
}

/** The first template opener (`{{`, `{%`, `<%`) starting in `[from, end)`, or -1: read character by character. */
function openerIn(buffer: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = buffer.charCodeAt(i);
    const next = buffer.charCodeAt(i + 1);
    if ((c === OPEN_BRACE && (next === OPEN_BRACE || next === PERCENT)) || (c === LT && next === PERCENT)) return i;
  }
  return -1;
}

/**
 * openerIn for a reader that asks about one text's attribute values in order (the tokenizer): the
 * next `{` and `<` are found with indexOf and remembered until a value passes them, so the text is
 * read once, where a loop over each value's characters read every value again (a tenth of a lint's
 * time). One memo per text: it assumes the same buffer on every call.
 */
export class OpenerMemo {
  private nextBrace = -1;
  private braceFrom = Number.MAX_SAFE_INTEGER;
  private nextLt = -1;
  private ltFrom = Number.MAX_SAFE_INTEGER;

  openerBefore(buffer: string, from: number, end: number): number {
    let best = -1;
    for (let i = from; i < end; ) {
      // A remembered result stands for `i` when its search started at or before `i` and found
      // nothing before it.
      const b = this.braceFrom <= i && (this.nextBrace === -1 || this.nextBrace >= i) ? this.nextBrace : buffer.indexOf('{', i);
      this.nextBrace = b;
      this.braceFrom = i;
      if (b === -1 || b >= end) break;
      const next = buffer.charCodeAt(b + 1);
      if (next === OPEN_BRACE || next === PERCENT) {
        best = b;
        break;
      }
      i = b + 1;
    }
    for (let i = from; i < end; ) {
      const l = this.ltFrom <= i && (this.nextLt === -1 || this.nextLt >= i) ? this.nextLt : buffer.indexOf('<', i);
      this.nextLt = l;
      this.ltFrom = i;
      if (l === -1 || l >= end || (best !== -1 && l > best)) break;
      if (buffer.charCodeAt(l + 1) === PERCENT) {
        best = l;
        break;
      }
      i = l + 1;
    }
    return best;
  }
}

export interface AttributeRange {
  /** The whole `name="value"` span. */
  start: number;
  end: number;
  /** The value without its quotes. */
  valueStart: number;
  valueEnd: number;
}

/** Finds `name=value` inside the start tag `[tagStart, tagEnd)`. Case-insensitive on the name. */
export function findAttribute(text: string, tagStart: number, tagEnd: number, name: string): AttributeRange | undefined {
  const tag = text.slice(tagStart, tagEnd);
  // Skip the tag name, then walk attribute by attribute so a value containing "href=" never matches.
  let i = 1;
  while (i < tag.length && !/[\s/>]/.test(tag[i]!)) i++;
  const lower = name.toLowerCase();
  while (i < tag.length) {
    while (i < tag.length && /[\s/]/.test(tag[i]!)) i++;
    if (i >= tag.length || tag[i] === '>') return undefined;
    const nameStart = i;
    while (i < tag.length && !/[\s=/>]/.test(tag[i]!)) i++;
    const attrName = tag.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < tag.length && /\s/.test(tag[j]!)) j++;
    if (tag[j] !== '=') {
      if (attrName === lower) return { start: tagStart + nameStart, end: tagStart + i, valueStart: tagStart + i, valueEnd: tagStart + i };
      continue;
    }
    j++;
    while (j < tag.length && /\s/.test(tag[j]!)) j++;
    let valueStart: number;
    let valueEnd: number;
    let end: number;
    const q = tag[j];
    if (q === '"' || q === "'") {
      valueStart = j + 1;
      const close = closingQuote(tag, valueStart, q);
      valueEnd = close === -1 ? tag.length : close;
      end = close === -1 ? tag.length : close + 1;
    } else {
      valueStart = j;
      while (j < tag.length && !/[\s>]/.test(tag[j]!)) j++;
      valueEnd = j;
      end = j;
    }
    if (attrName === lower) {
      return { start: tagStart + nameStart, end: tagStart + end, valueStart: tagStart + valueStart, valueEnd: tagStart + valueEnd };
    }
    i = end;
  }
  return undefined;
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The run of spaces and tabs that starts the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/** One indentation step in the file's own style: a tab, or the smallest space run seen. */
export function indentUnit(text: string): string {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  if (/^\t/m.test(sample)) return '\t';
  let best = 0;
  const re = /^( +)</gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(sample))) {
    const n = m[1]!.length;
    if (n > 0 && (best === 0 || n < best)) best = n;
    if (best === 1) break;
  }
  return ' '.repeat(best >= 2 && best <= 8 ? best : 2);
}
