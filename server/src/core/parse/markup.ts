// Offsets inside tags that htmlparser2 does not report: where a start tag ends and where an
// attribute's value sits. Hand-written because the parser gives element ranges only, and fixes
// need the exact place of an `href` value to replace it.

/** Index just past the `>` that closes the start tag beginning at `tagStart` (quotes respected). */
export function startTagEnd(text: string, tagStart: number): number {
  let quote = '';
  const limit = Math.min(text.length, tagStart + 64 * 1024);
  for (let i = tagStart + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote.charCodeAt(0)) quote = '';
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      // Only a quote right after `=` (optionally spaced) opens an attribute value.
      let j = i - 1;
      while (j > tagStart && /\s/.test(text[j]!)) j--;
      if (text[j] === '=') quote = text[i]!;
    } else if (c === 62 /* > */) {
      return i + 1;
    }
  }
  const nl = text.indexOf('\n', tagStart);
  return nl === -1 ? text.length : nl;
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
      const close = tag.indexOf(q, valueStart);
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
