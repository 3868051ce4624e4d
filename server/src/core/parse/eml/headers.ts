// The header block of a message or of a MIME part: "Name: value" fields with exact offsets,
// folded lines joined to their field, and malformed lines reported (up to a limit).

import type { HeaderField, Span } from '../send';

/** A problem with the message found while reading it. */
export type Problem = Span & { message: string };

/** Malformed header lines reported one by one; the rest are summed up in one more problem. */
const MAX_LINE_PROBLEMS = 20;

export interface HeaderBlock {
  fields: HeaderField[];
  /** Where the header lines end: the start of the empty line, or the block's end without one. */
  end: number;
  /** Where the body starts, just after the empty line. */
  bodyStart: number;
  separated: boolean;
}

export function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

export function isFws(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** The header block of the entity starting at `start`, read up to its first empty line. */
export function parseHeaderBlock(text: string, start: number, limit: number, problems: Problem[]): HeaderBlock {
  const fields: HeaderField[] = [];
  let open: { start: number; nameEnd: number; colon: number; end: number } | undefined;
  // The current line is malformed; its indented continuations belong to it and are not reported.
  let inBadLine = false;
  let badLines = 0;
  let lastBad: Span | undefined;
  const bad = (span: Span, message: string) => {
    inBadLine = true;
    badLines++;
    lastBad = span;
    if (badLines <= MAX_LINE_PROBLEMS) problems.push({ ...span, message });
  };
  const close = () => {
    if (open) fields.push(headerField(text, open.start, open.nameEnd, open.colon, open.end));
    open = undefined;
  };
  const finish = (block: HeaderBlock): HeaderBlock => {
    close();
    if (badLines > MAX_LINE_PROBLEMS && lastBad) {
      problems.push({ ...lastBad, message: `${badLines - MAX_LINE_PROBLEMS} more header lines are malformed (not "Name: value"); only the first ${MAX_LINE_PROBLEMS} are reported.` });
    }
    return block;
  };

  let pos = start;
  while (pos < limit) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > limit) nl = limit;
    const lineEnd = nl < limit && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const next = nl < limit ? nl + 1 : limit;
    if (lineEnd === pos) return finish({ fields, end: pos, bodyStart: next, separated: true });
    const c = text.charCodeAt(pos);
    if (isWsp(c)) {
      if (open) open.end = lineEnd;
      else if (!inBadLine) bad({ start: pos, end: lineEnd }, 'Indented header line that continues no field: a folded line must follow a "Name: value" line.');
    } else {
      close();
      inBadLine = false;
      let colon = -1;
      for (let i = pos; i < lineEnd; i++) {
        if (text.charCodeAt(i) === 58) {
          colon = i;
          break;
        }
      }
      if (pos === start && text.startsWith('From ', pos)) {
        bad({ start: pos, end: lineEnd }, 'An mbox "From " separator line, not a header field: the message was saved from a mailbox file. Remove this line.');
      } else if (colon === -1) {
        bad({ start: pos, end: lineEnd }, 'Header line without a colon: a header field is "Name: value". (If the body starts here, the empty line after the headers is missing.)');
      } else {
        let nameEnd = colon;
        while (nameEnd > pos && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
        let valid = nameEnd > pos;
        for (let i = pos; valid && i < nameEnd; i++) {
          const ch = text.charCodeAt(i);
          if (ch < 33 || ch > 126) valid = false;
        }
        if (valid) open = { start: pos, nameEnd, colon, end: lineEnd };
        else bad({ start: pos, end: Math.max(colon, pos + 1) }, 'Header field name with a space or a character not allowed in field names (RFC 5322 allows printable ASCII only).');
      }
    }
    pos = next;
  }
  return finish({ fields, end: limit, bodyStart: limit, separated: false });
}

function headerField(text: string, start: number, nameEnd: number, colon: number, end: number): HeaderField {
  let valueStart = colon + 1;
  while (valueStart < end && isFws(text.charCodeAt(valueStart))) valueStart++;
  let valueEnd = end;
  while (valueEnd > valueStart && isFws(text.charCodeAt(valueEnd - 1))) valueEnd--;
  // Unfolding removes the line breaks only; continuation lines start with whitespace by construction.
  const value = text.slice(valueStart, valueEnd).replace(/\r?\n/g, '');
  return { name: text.slice(start, nameEnd), value, start, end, valueStart, valueEnd };
}

export function lastLine(text: string, start: number, end: number): Span {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13)) e--;
  const nl = text.lastIndexOf('\n', e - 1);
  const s = nl < start ? start : nl + 1;
  return { start: Math.min(s, e), end: e };
}

/** Index after the line break at `i` (or `end` there), or -1 when `i` is not at a line end. */
export function afterLineBreak(text: string, i: number, end: number): number {
  if (i >= end) return end;
  const c = text.charCodeAt(i);
  if (c === 10) return i + 1;
  if (c === 13) {
    if (i + 1 >= end) return end;
    if (text.charCodeAt(i + 1) === 10) return i + 2;
  }
  return -1;
}
