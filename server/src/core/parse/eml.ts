// Raw RFC 5322 messages (.eml): header fields with exact offsets, and the text and HTML MIME parts
// decoded with a map from every decoded character back to the file. Hand-written because mail
// parsers (mailparser, postal-mime) report no source offsets, and a finding inside a decoded part
// must land on that part's bytes in the file. Offsets are UTF-16 indices into the text as the host
// decoded it. Every loop is linear and the maps are typed arrays, so a 20 MB message stays cheap.

import { lineEnding } from '../text';
import type { TextEdit } from '../types';
import { sendEditor, type DkimSignature, type EmbeddedBody, type HeaderField, type Located, type SendModel, type Span } from './send';

type Problem = Span & { message: string };

/** One mailbox of an address list: `value` is the addr-spec, located where it is written. */
export interface Mailbox extends Located<string> {
  /** The display name, unquoted and with encoded words decoded, when there is one. */
  displayName?: string;
}

const MAX_DEPTH = 32;
/** Malformed header lines reported one by one; the rest are summed up in one more problem. */
const MAX_LINE_PROBLEMS = 20;

export function parseEml(text: string): SendModel {
  const source = typeof text === 'string' ? text : '';
  const model: SendModel = { kind: 'eml', text: source, anchor: { start: 0, end: 0 }, dkim: [], headers: [], bodies: [], problems: [], edits: sendEditor() };
  try {
    fill(model, source);
  } catch (err) {
    // A bug must cost findings, never the server: keep what was read and say so.
    model.problems.push({ start: 0, end: 0, message: `The message could not be read completely (${err instanceof Error ? err.message : String(err)}); some findings may be missing.` });
  }
  return model;
}

function fill(model: SendModel, text: string): void {
  const problems = model.problems;
  const eol = lineEnding(text, '\r\n');
  const head = parseHeaderBlock(text, 0, text.length, problems);
  model.headers = head.fields;
  if (!head.separated && text.length > 0) {
    problems.push({ ...lastLine(text, 0, text.length), message: 'No empty line ends the header block, so the whole message was read as headers and it has no body.' });
  }

  const insertAt = (lines: string[]): TextEdit => {
    const block = lines.join(eol) + eol;
    if (head.separated) return { start: head.end, end: head.end, text: block };
    const end = text.length;
    const needsBreak = end > 0 && text.charCodeAt(end - 1) !== 10;
    return { start: end, end, text: (needsBreak ? eol : '') + block };
  };
  // A line break inside the value must continue the field: it is folded with the file's line ending.
  const line = (name: string, value: string) => `${name}: ${value.replace(/\r?\n([ \t]?)/g, (_, ws: string) => eol + (ws || ' '))}`;
  model.edits = sendEditor({ insertHeaders: (fields) => insertAt(fields.map(([n, v]) => line(n, v))) });

  const first = (name: string) => head.fields.find((f) => f.name.toLowerCase() === name);
  const fromField = first('from');
  const anchorField = fromField ?? head.fields[0];
  if (anchorField) model.anchor = { start: anchorField.start, end: anchorField.end };

  if (fromField) model.from = firstMailbox(text, fromField);
  const replyTo = first('reply-to');
  if (replyTo) model.replyTo = firstMailbox(text, replyTo);
  const returnPath = first('return-path');
  if (returnPath) model.mailFrom = returnPathDomain(text, returnPath);

  let recipients = 0;
  for (const f of head.fields) {
    const n = f.name.toLowerCase();
    if (n === 'to' || n === 'cc' || n === 'bcc') recipients += parseAddressList(text, f.valueStart, f.valueEnd).length;
  }
  model.recipients = recipients;

  for (const f of head.fields) if (f.name.toLowerCase() === 'dkim-signature') model.dkim.push(parseDkimSignature(text, f));

  if (head.separated) walkEntity({ text, problems, bodies: model.bodies }, head.fields, head.bodyStart, text.length, '', 'text/plain', 0);
}


// ---------------------------------------------------------------------------------------------
// Header blocks

interface HeaderBlock {
  fields: HeaderField[];
  /** Where the header lines end: the start of the empty line, or the block's end without one. */
  end: number;
  /** Where the body starts, just after the empty line. */
  bodyStart: number;
  separated: boolean;
}

function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

function isFws(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** The header block of the entity starting at `start`, read up to its first empty line. */
function parseHeaderBlock(text: string, start: number, limit: number, problems: Problem[]): HeaderBlock {
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

function lastLine(text: string, start: number, end: number): Span {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13)) e--;
  const nl = text.lastIndexOf('\n', e - 1);
  const s = nl < start ? start : nl + 1;
  return { start: Math.min(s, e), end: e };
}

// ---------------------------------------------------------------------------------------------
// Addresses

/**
 * The mailboxes of an address list written in `text[start, end)` (a From, To, Cc ... value).
 * Quoted strings, comments, encoded words and groups (`team: a@x, b@y;`) are understood. A piece
 * with no angle-addr and no `@` (the `Doe` of an unquoted `Doe, John <j@x>`) is not a mailbox.
 */
export function parseAddressList(text: string, start: number, end: number): Mailbox[] {
  const out: Mailbox[] = [];
  let runs: Array<[number, number]> = [];
  let angle: [number, number] | undefined;
  let phrase: Array<[number, number]> = [];
  const finish = () => {
    if (angle) {
      const addr = addrSpec(text, angle[0], angle[1]);
      if (addr) {
        const name = displayName(text, phrase);
        out.push(name ? { ...addr, displayName: name } : addr);
      }
    } else if (runs.length) {
      const value = runs.map(([a, b]) => text.slice(a, b)).join('');
      if (value.includes('@')) out.push({ value, start: runs[0]![0], end: runs[runs.length - 1]![1] });
    }
    runs = [];
    phrase = [];
    angle = undefined;
  };

  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 40 /* ( */) {
      i = skipComment(text, i, end);
    } else if (c === 34 /* " */) {
      const j = skipQuoted(text, i, end);
      runs.push([i, j]);
      i = j;
    } else if (c === 60 /* < */) {
      let j = i + 1;
      while (j < end && text.charCodeAt(j) !== 62) j = text.charCodeAt(j) === 34 ? skipQuoted(text, j, end) : j + 1;
      phrase = runs;
      runs = [];
      angle = [i + 1, Math.min(j, end)];
      i = j + 1;
    } else if (c === 44 /* , */ || c === 59 /* ; */) {
      finish();
      i++;
    } else if (c === 58 /* : */) {
      // A group's name ends here; its members follow.
      if (!angle) runs = [];
      i++;
    } else if (isFws(c)) {
      i++;
    } else {
      const word = encodedWordAt(text, i, end);
      let j = word ? i + word : i;
      while (j < end && isAtomChar(text.charCodeAt(j))) j++;
      if (j === i) j++; // a stray `)` or `>`: not part of any address
      else runs.push([i, j]);
      i = j;
    }
  }
  finish();
  return out;
}

function isAtomChar(c: number): boolean {
  return !isFws(c) && c !== 40 && c !== 41 && c !== 60 && c !== 62 && c !== 44 && c !== 59 && c !== 58 && c !== 34;
}

function skipComment(text: string, i: number, end: number): number {
  let depth = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i + 1;
    i++;
  }
  return end;
}

function skipQuoted(text: string, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return end;
}

const ENCODED_WORD = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/y;

/** Length of the RFC 2047 encoded word at `i`, or 0: it is one atom whatever it holds. */
function encodedWordAt(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) !== 61 || text.charCodeAt(i + 1) !== 63) return 0;
  ENCODED_WORD.lastIndex = i;
  const m = ENCODED_WORD.exec(text);
  return m && i + m[0].length <= end ? m[0].length : 0;
}

/** The addr-spec inside `<...>`, without comments, whitespace or an obsolete route (`@a,@b:`). */
function addrSpec(text: string, start: number, end: number): Mailbox | undefined {
  const runs: Array<[number, number]> = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 40) i = skipComment(text, i, end);
    else if (isFws(c)) i++;
    else if (c === 34) {
      const j = skipQuoted(text, i, end);
      runs.push([i, j]);
      i = j;
    } else if (c === 58 && runs.length && text.charCodeAt(runs[0]![0]) === 64) {
      runs.length = 0; // the route ends here
      i++;
    } else {
      let j = i + 1;
      while (j < end && !isFws(text.charCodeAt(j)) && text.charCodeAt(j) !== 40 && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 58) j++;
      runs.push([i, j]);
      i = j;
    }
  }
  if (!runs.length) return undefined;
  return { value: runs.map(([a, b]) => text.slice(a, b)).join(''), start: runs[0]![0], end: runs[runs.length - 1]![1] };
}

function displayName(text: string, runs: Array<[number, number]>): string | undefined {
  if (!runs.length) return undefined;
  const words = runs.map(([a, b]) => {
    const w = text.slice(a, b);
    return w.startsWith('"') ? w.slice(1, w.endsWith('"') && w.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1').replace(/\r?\n/g, '') : w;
  });
  const name = decodeEncodedWords(words.join(' ')).trim();
  return name || undefined;
}

function firstMailbox(text: string, field: HeaderField): Located<string> | undefined {
  return parseAddressList(text, field.valueStart, field.valueEnd)[0];
}

/** The domain of the Return-Path address, located at the domain; none for the null path `<>`. */
function returnPathDomain(text: string, field: HeaderField): Located<string> | undefined {
  const box = firstMailbox(text, field);
  if (!box) return undefined;
  const at = text.lastIndexOf('@', box.end - 1);
  if (at < box.start) return undefined;
  let start = at + 1;
  while (start < box.end && isFws(text.charCodeAt(start))) start++;
  const value = box.value.slice(box.value.lastIndexOf('@') + 1);
  return value ? { value, start, end: box.end } : undefined;
}

// ---------------------------------------------------------------------------------------------
// DKIM

function parseDkimSignature(text: string, field: HeaderField): DkimSignature {
  const sig: DkimSignature = { start: field.start, end: field.end };
  let i = field.valueStart;
  const end = field.valueEnd;
  while (i < end) {
    let semi = text.indexOf(';', i);
    if (semi === -1 || semi > end) semi = end;
    const eq = text.indexOf('=', i);
    if (eq !== -1 && eq < semi) {
      const name = text.slice(i, eq).replace(/\s+/g, '').toLowerCase();
      let vs = eq + 1;
      while (vs < semi && isFws(text.charCodeAt(vs))) vs++;
      let ve = semi;
      while (ve > vs && isFws(text.charCodeAt(ve - 1))) ve--;
      // Folding and whitespace inside a tag value are not part of it (RFC 6376 §3.2).
      const value = text.slice(vs, ve).replace(/[ \t\r\n]+/g, '');
      if (name === 'd') sig.domain = { value, start: vs, end: ve };
      else if (name === 's') sig.selector = value;
      else if (name === 'a') sig.algorithm = value.toLowerCase();
      else if (name === 'h') sig.signedHeaders = value.split(':').map((h) => h.trim().toLowerCase()).filter(Boolean);
    }
    i = semi + 1;
  }
  return sig;
}

// ---------------------------------------------------------------------------------------------
// MIME structure

interface Walk {
  text: string;
  problems: Problem[];
  bodies: EmbeddedBody[];
}

type Param = Located<string>;

interface HeaderParams {
  /** The value before the first `;`, lower-cased (`multipart/mixed`, `attachment`). */
  head: string;
  params: Map<string, Param>;
}

/** `value; name=token; name="quoted"` with each parameter's value located in the source. */
function parseParams(text: string, start: number, end: number): HeaderParams {
  const params = new Map<string, Param>();
  let i = start;
  const skipCfws = () => {
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isFws(c)) i++;
      else if (c === 40) i = skipComment(text, i, end);
      else break;
    }
  };
  skipCfws();
  let head = '';
  while (i < end && text.charCodeAt(i) !== 59) {
    const c = text.charCodeAt(i);
    if (c === 40) i = skipComment(text, i, end);
    else {
      if (!isFws(c)) head += text[i];
      i++;
    }
  }
  while (i < end) {
    i++; // the `;`
    skipCfws();
    const nameStart = i;
    while (i < end && text.charCodeAt(i) !== 61 && text.charCodeAt(i) !== 59 && !isFws(text.charCodeAt(i))) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    skipCfws();
    if (i >= end || text.charCodeAt(i) !== 61) {
      while (i < end && text.charCodeAt(i) !== 59) i++;
      continue;
    }
    i++; // the `=`
    skipCfws();
    let param: Param;
    if (text.charCodeAt(i) === 34) {
      const close = skipQuoted(text, i, end);
      const inner = text.slice(i + 1, close > i + 1 && text.charCodeAt(close - 1) === 34 ? close - 1 : close);
      param = { value: inner.replace(/\r?\n/g, '').replace(/\\(.)/g, '$1'), start: i + 1, end: Math.max(i + 1, close - 1) };
      i = close;
    } else {
      const vs = i;
      while (i < end && text.charCodeAt(i) !== 59 && !isFws(text.charCodeAt(i)) && text.charCodeAt(i) !== 40) i++;
      param = { value: text.slice(vs, i), start: vs, end: i };
    }
    if (name && !params.has(name)) params.set(name, param);
    while (i < end && text.charCodeAt(i) !== 59) i++;
  }
  return { head: head.toLowerCase(), params };
}

function firstField(fields: HeaderField[], name: string): HeaderField | undefined {
  return fields.find((f) => f.name.toLowerCase() === name);
}

function walkEntity(w: Walk, fields: HeaderField[], bodyStart: number, bodyEnd: number, path: string, defaultType: string, depth: number): void {
  const { text, problems } = w;
  const ctField = firstField(fields, 'content-type');
  const ct = ctField ? parseParams(text, ctField.valueStart, ctField.valueEnd) : { head: defaultType, params: new Map<string, Param>() };
  // An unusable Content-Type means text/plain (RFC 2045 §5.2).
  const mime = /^[^/\s]+\/[^/\s]+$/.test(ct.head) ? ct.head : 'text/plain';
  const [type, subtype] = mime.split('/') as [string, string];
  const where = ctField ? { start: ctField.valueStart, end: ctField.valueEnd } : { start: bodyStart, end: bodyStart };

  if (type === 'multipart') {
    if (depth >= MAX_DEPTH) {
      problems.push({ ...where, message: `MIME parts are nested more than ${MAX_DEPTH} deep; the deeper parts were not read.` });
      return;
    }
    const boundary = ct.params.get('boundary');
    if (!boundary || !boundary.value) {
      problems.push({ ...where, message: `${mime} has no boundary parameter, so its parts cannot be found.` });
      return;
    }
    const delimiters = findDelimiters(text, bodyStart, bodyEnd, boundary.value);
    if (!delimiters.length || delimiters[0]!.close) {
      problems.push({ start: boundary.start, end: boundary.end, message: `boundary "${boundary.value}" declared in Content-Type but no part uses it` });
      return;
    }
    const closed = delimiters[delimiters.length - 1]!.close;
    if (!closed) {
      problems.push({ ...lastLine(text, bodyStart, bodyEnd), message: `${mime} is truncated: the closing "--${boundary.value}--" line never appears, so the last part may be incomplete.` });
    }
    const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    // Every delimiter but the closing one opens a part, which ends where the next delimiter begins.
    for (let k = 0; k < delimiters.length && !delimiters[k]!.close; k++) {
      const partStart = delimiters[k]!.next;
      const following = delimiters[k + 1];
      const partEnd = following ? lineBreakBefore(text, following.at, partStart) : bodyEnd;
      const childPath = path ? `${path}.${k + 1}` : `${k + 1}`;
      const head = parseHeaderBlock(text, partStart, partEnd, problems);
      if (!head.separated) {
        if (partEnd > partStart) problems.push({ ...lastLine(text, partStart, partEnd), message: `MIME part ${childPath} has no empty line after its headers, so it was read as headers only and has no body.` });
        continue;
      }
      walkEntity(w, head.fields, head.bodyStart, partEnd, childPath, childDefault, depth + 1);
    }
    return;
  }

  if (type !== 'text' || (subtype !== 'html' && subtype !== 'plain')) return;
  const disposition = firstField(fields, 'content-disposition');
  if (disposition && parseParams(text, disposition.valueStart, disposition.valueEnd).head === 'attachment') return;

  const label = `MIME part ${path || '1'} (${mime})`;
  const cteField = firstField(fields, 'content-transfer-encoding');
  let cte = cteField ? cteField.value.replace(/\(.*?\)/g, '').trim().toLowerCase() : '7bit';
  if (!['7bit', '8bit', 'binary', 'quoted-printable', 'base64'].includes(cte)) {
    problems.push({ start: cteField!.valueStart, end: cteField!.valueEnd, message: `Unknown Content-Transfer-Encoding "${cteField!.value}" in ${label}; its body was read as it is written.` });
    cte = '8bit';
  }
  const charsetParam = ct.params.get('charset');
  let encoding = charsetParam ? resolveCharset(charsetParam.value) : 'utf-8';
  if (!encoding) {
    problems.push({ start: charsetParam!.start, end: charsetParam!.end, message: `Unknown charset "${charsetParam!.value}" in ${label}; it was decoded as UTF-8.` });
    encoding = 'utf-8';
  }
  w.bodies.push(decodeBody(w, subtype === 'html' ? 'html' : 'text', bodyStart, bodyEnd, cte, encoding, label, charsetParam));
}

interface Delimiter {
  /** Where `--boundary` starts. */
  at: number;
  /** Just after the delimiter line and its line break. */
  next: number;
  close: boolean;
}

/** The `--boundary` and `--boundary--` lines inside `[start, end)`, up to the closing one. */
function findDelimiters(text: string, start: number, end: number, boundary: string): Delimiter[] {
  const marker = `--${boundary}`;
  const found: Delimiter[] = [];
  let pos = start;
  while (pos < end) {
    const at = text.indexOf(marker, pos);
    if (at === -1 || at + marker.length > end) break;
    pos = at + 1;
    if (at !== start && text.charCodeAt(at - 1) !== 10) continue;
    let i = at + marker.length;
    const close = i + 2 <= end && text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 45;
    if (close) i += 2;
    while (i < end && isWsp(text.charCodeAt(i))) i++;
    let next = afterLineBreak(text, i, end);
    if (next === -1) {
      // `--abc` followed by more text is another boundary that starts the same way, unless it closes.
      if (!close) continue;
      const nl = text.indexOf('\n', i);
      next = nl === -1 || nl >= end ? end : nl + 1;
    }
    found.push({ at, next, close });
    if (close) break;
    pos = next;
  }
  return found;
}

/** Index after the line break at `i` (or `end` there), or -1 when `i` is not at a line end. */
function afterLineBreak(text: string, i: number, end: number): number {
  if (i >= end) return end;
  const c = text.charCodeAt(i);
  if (c === 10) return i + 1;
  if (c === 13) {
    if (i + 1 >= end) return end;
    if (text.charCodeAt(i + 1) === 10) return i + 2;
  }
  return -1;
}

/** A part ends before the line break that precedes the next delimiter (it belongs to the delimiter). */
function lineBreakBefore(text: string, at: number, floor: number): number {
  let e = at;
  if (e > floor && text.charCodeAt(e - 1) === 10) {
    e--;
    if (e > floor && text.charCodeAt(e - 1) === 13) e--;
  }
  return Math.max(e, floor);
}

// ---------------------------------------------------------------------------------------------
// Decoding a part: transfer encoding to bytes, charset to text, and the map back to the source

const CHARSET_ALIASES: Record<string, string> = {
  cp932: 'shift_jis',
  'windows-932': 'shift_jis',
  'x-ms-cp932': 'shift_jis',
  'iso-2022-jp-ms': 'iso-2022-jp',
  cseucjp: 'euc-jp',
};

/** The WHATWG encoding for a MIME charset, or undefined when TextDecoder does not know it. */
function resolveCharset(label: string): string | undefined {
  const l = label.trim().toLowerCase();
  // ASCII is read as UTF-8: the same for real ASCII, and right for the UTF-8 that is often mislabelled.
  if (l === '' || l === 'us-ascii' || l === 'ascii' || l === 'ansi_x3.4-1968') return 'utf-8';
  try {
    return new TextDecoder(CHARSET_ALIASES[l] ?? l).encoding;
  } catch {
    return undefined;
  }
}

const MULTI_BYTE = new Set(['utf-8', 'utf-16le', 'utf-16be', 'gbk', 'gb18030', 'big5', 'euc-jp', 'iso-2022-jp', 'shift_jis', 'euc-kr']);

/** Transfer-decoded bytes, and where in the source each byte's encoding starts. */
interface Bytes {
  bytes: Uint8Array;
  /**
   * Per-byte source offsets, or the offset of byte 0 when bytes sit one per character in the
   * source. Computed on first use by a second pass: most parts never need it.
   */
  locate(): Int32Array | number;
}

function decodeBody(w: Walk, type: 'html' | 'text', start: number, end: number, cte: string, encoding: string, label: string, charset: Param | undefined): EmbeddedBody {
  const { text } = w;
  const mapped = (data: Bytes) => {
    try {
      return mappedBody(type, start, end, label, data, encoding, new TextDecoder(encoding, { ignoreBOM: true }).decode(data.bytes));
    } catch {
      // Node's ICU decoders can throw on broken input even when not fatal.
      w.problems.push({ ...(charset ?? { start, end: start }), message: `${label} could not be decoded as ${charset?.value ?? encoding}; it was decoded as UTF-8.` });
      return mappedBody(type, start, end, label, data, 'utf-8', new TextDecoder('utf-8', { ignoreBOM: true }).decode(data.bytes));
    }
  };
  if (cte === 'quoted-printable') return mapped(decodeQuotedPrintable(text, start, end));
  if (cte === 'base64') return mapped(decodeBase64Part(w, start, end, label));

  const slice = text.slice(start, end);
  if (encoding === 'utf-8') return identityBody(type, start, end, label, slice);
  if (/[^\x00-\x7f]/.test(slice)) {
    // The host read the file as UTF-8, so 8bit bytes of another charset are already gone.
    w.problems.push({ ...(charset ?? { start, end: start }), message: `${label} is 8bit ${charset?.value ?? encoding} text, but the file was read as UTF-8; its non-ASCII characters are shown as read.` });
    return identityBody(type, start, end, label, slice);
  }
  const bytes = new Uint8Array(slice.length);
  for (let i = 0; i < slice.length; i++) bytes[i] = slice.charCodeAt(i);
  const body = mapped({ bytes, locate: () => start });
  // ASCII in a single-byte charset reads the same, and takes edits as written; ISO-2022-JP does not.
  return body.text === slice ? identityBody(type, start, end, label, slice) : body;
}

function clampOffset(offset: number, length: number): number {
  if (!(offset > 0)) return 0;
  return offset >= length ? length : Math.floor(offset);
}

/** A part whose decoded text is its source text: offsets shift, and edits are written as they are. */
function identityBody(type: 'html' | 'text', start: number, end: number, label: string, text: string): EmbeddedBody {
  return { type, text, start, end, label, toSource: (offset) => start + clampOffset(offset, text.length), encode: (t) => t };
}

function mappedBody(type: 'html' | 'text', start: number, end: number, label: string, data: Bytes, encoding: string, text: string): EmbeddedBody {
  const { bytes } = data;
  let charToSource: Int32Array | undefined;
  const build = (): Int32Array => {
    try {
      const map = charMap(bytes, encoding, text.length);
      const source = data.locate();
      // Composed in place: character -> first byte -> where that byte is written.
      for (let i = 0; i < map.length; i++) {
        const b = map[i]!;
        map[i] = b >= bytes.length ? end : typeof source === 'number' ? source + b : source[b]!;
      }
      return map;
    } catch {
      // toSource must never throw; an unexpected failure costs precision only.
      const map = new Int32Array(text.length);
      for (let i = 0; i < map.length; i++) map[i] = start + Math.floor((i * (end - start)) / Math.max(1, text.length));
      return map;
    }
  };
  return {
    type,
    text,
    start,
    end,
    label,
    toSource(offset) {
      const o = clampOffset(offset, text.length);
      if (o === text.length) return end;
      charToSource ??= build();
      return charToSource[o]!;
    },
  };
}

/** For each UTF-16 unit of the decoded text, the index of the first byte of its character. */
function charMap(bytes: Uint8Array, encoding: string, length: number): Int32Array {
  const map = new Int32Array(length);
  let out = 0;
  if (encoding === 'utf-8') out = utf8Map(bytes, map);
  else if (!MULTI_BYTE.has(encoding)) {
    // Single-byte charsets: one byte, one BMP character (or U+FFFD).
    for (; out < length && out < bytes.length; out++) map[out] = out;
  } else out = streamedMap(bytes, encoding, map);
  for (; out < length; out++) map[out] = bytes.length;
  return map;
}

/** Walks the bytes as the WHATWG UTF-8 decoder does, so replacement characters line up too. */
function utf8Map(bytes: Uint8Array, map: Int32Array): number {
  const length = map.length;
  let out = 0;
  let needed = 0;
  let seen = 0;
  let lead = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length && out < length; i++) {
    const b = bytes[i]!;
    if (needed === 0) {
      if (b <= 0x7f) {
        map[out++] = i;
        continue;
      }
      if (b >= 0xc2 && b <= 0xdf) needed = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3;
      } else {
        map[out++] = i;
        continue;
      }
      lead = i;
      seen = 0;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far becomes one U+FFFD, and this byte is read again.
      map[out++] = lead;
      needed = 0;
      lower = 0x80;
      upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    if (++seen === needed) {
      map[out++] = lead;
      // Four-byte sequences are astral: two UTF-16 units.
      if (needed === 3 && out < length) map[out++] = lead;
      needed = 0;
    }
  }
  if (needed !== 0 && out < length) map[out++] = lead;
  return out;
}

/** Other multi-byte charsets: feed the decoder byte by byte and note where each character began. */
function streamedMap(bytes: Uint8Array, encoding: string, map: Int32Array): number {
  const length = map.length;
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  let out = 0;
  let pending = 0;
  const put = (s: string, first: number, last: number) => {
    // Several characters at once: an error (U+FFFD) then the byte read again, which is its own.
    const lastOwn = s.length >= 2 && !(s.length === 2 && s.charCodeAt(0) >= 0xd800 && s.charCodeAt(0) <= 0xdbff);
    for (let k = 0; k < s.length && out < length; k++) map[out++] = lastOwn && k === s.length - 1 ? last : first;
  };
  try {
    for (let i = 0; i < bytes.length && out < length; i++) {
      const s = decoder.decode(bytes.subarray(i, i + 1), { stream: true });
      if (!s) continue;
      let first = pending;
      // ISO-2022-JP escape sequences (three bytes each) switch the character set and print nothing.
      if (encoding === 'iso-2022-jp') while (first < i && bytes[first] === 0x1b) first += 3;
      put(s, Math.min(first, i), i);
      pending = i + 1;
    }
    put(decoder.decode(), Math.min(pending, bytes.length), bytes.length);
  } catch {
    // Node's streaming decoder throws on some broken input even when not fatal (an ISO-2022-JP
    // escape cut by a line break); characters are then placed in proportion to the bytes.
    for (out = 0; out < length; out++) map[out] = Math.floor((out * bytes.length) / length);
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Quoted-printable (RFC 2045 §6.7): `=XX` is one byte located at its `=`, soft line breaks vanish,
 * whitespace added before a line break in transport is dropped, and hard line breaks are kept as
 * written so the decoded text keeps the file's line endings.
 */
function decodeQuotedPrintable(text: string, start: number, end: number): Bytes {
  const ascii = !/[^\x00-\x7f]/.test(text.slice(start, end));
  const scratch = new Uint8Array((end - start) * (ascii ? 1 : 3));
  const bytes = scratch.subarray(0, scanQuotedPrintable(text, start, end, scratch, undefined));
  return {
    bytes,
    locate() {
      const source = new Int32Array(bytes.length);
      scanQuotedPrintable(text, start, end, bytes, source);
      return source;
    },
  };
}

/** Writes the decoded bytes (and, when asked, each byte's source offset); returns the byte count. */
function scanQuotedPrintable(text: string, start: number, end: number, bytes: Uint8Array, source: Int32Array | undefined): number {
  let n = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c > 32 && c < 127 && c !== 61) {
      if (source) source[n] = i;
      bytes[n++] = c;
      i++;
      continue;
    }
    if (c === 61 /* = */) {
      let j = i + 1;
      while (j < end && isWsp(text.charCodeAt(j))) j++;
      const soft = afterLineBreak(text, j, end);
      if (soft !== -1) {
        i = soft;
        continue;
      }
      const h1 = i + 2 < end ? hexValue(text.charCodeAt(i + 1)) : -1;
      const h2 = h1 >= 0 ? hexValue(text.charCodeAt(i + 2)) : -1;
      if (source) source[n] = i;
      if (h2 >= 0) {
        bytes[n++] = h1 * 16 + h2;
        i += 3;
      } else {
        bytes[n++] = 61; // a stray `=` is kept, as mail readers do
        i++;
      }
      continue;
    }
    if (isWsp(c)) {
      let j = i + 1;
      while (j < end && isWsp(text.charCodeAt(j))) j++;
      if (afterLineBreak(text, j, end) !== -1) {
        i = j;
        continue;
      }
      for (; i < j; i++) {
        if (source) source[n] = i;
        bytes[n++] = text.charCodeAt(i);
      }
      continue;
    }
    if (c < 0x80) {
      if (source) source[n] = i;
      bytes[n++] = c;
      i++;
      continue;
    }
    // Raw non-ASCII in a quoted-printable part (editors save it): its UTF-8 bytes, at the character.
    const cp = text.codePointAt(i)!;
    const at = i;
    i += cp > 0xffff ? 2 : 1;
    const first = n;
    if (cp < 0x800) bytes[n++] = 0xc0 | (cp >> 6);
    else if (cp < 0x10000) {
      bytes[n++] = 0xe0 | (cp >> 12);
      bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
    } else {
      bytes[n++] = 0xf0 | (cp >> 18);
      bytes[n++] = 0x80 | ((cp >> 12) & 0x3f);
      bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
    }
    bytes[n++] = 0x80 | (cp & 0x3f);
    if (source) source.fill(at, first, n);
  }
  return n;
}

const BASE64 = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

interface Base64Scan {
  length: number;
  invalid: number;
  firstInvalid: number;
  /** Where one character is left over at the end, not a whole byte; -1 when none is. */
  dangling: number;
}

/**
 * Base64, leniently: line breaks and characters outside the alphabet are skipped, padding ends a
 * group. Each byte is located at the first character of the 4-character group it came from.
 */
function scanBase64(text: string, start: number, end: number, bytes: Uint8Array, source: Int32Array | undefined): Base64Scan {
  let n = 0;
  let quad = 0;
  let q = 0;
  let group = start;
  let invalid = 0;
  let firstInvalid = -1;
  let dangling = -1;
  const flushPartial = () => {
    if (q === 1) dangling = group;
    else if (q === 2) {
      if (source) source[n] = group;
      bytes[n++] = (quad >> 4) & 0xff;
    } else if (q === 3) {
      if (source) source.fill(group, n, n + 2);
      bytes[n++] = (quad >> 10) & 0xff;
      bytes[n++] = (quad >> 2) & 0xff;
    }
    q = 0;
    quad = 0;
  };
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? BASE64[c]! : -1;
    if (v >= 0) {
      if (q === 0) group = i;
      quad = (quad << 6) | v;
      if (++q === 4) {
        if (source) source.fill(group, n, n + 3);
        bytes[n++] = (quad >> 16) & 0xff;
        bytes[n++] = (quad >> 8) & 0xff;
        bytes[n++] = quad & 0xff;
        q = 0;
        quad = 0;
      }
    } else if (c === 61 /* = */) {
      flushPartial(); // padding ends the group; a second `=` is more padding
    } else if (!isFws(c)) {
      if (invalid++ === 0) firstInvalid = i;
    }
  }
  flushPartial();
  return { length: n, invalid, firstInvalid, dangling };
}

function decodeBase64(text: string, start: number, end: number): { bytes: Uint8Array; scan: Base64Scan } {
  const scratch = new Uint8Array(Math.ceil(((end - start) * 3) / 4) + 3);
  const scan = scanBase64(text, start, end, scratch, undefined);
  return { bytes: scratch.subarray(0, scan.length), scan };
}

function decodeBase64Part(w: Walk, start: number, end: number, label: string): Bytes {
  const { text } = w;
  const { bytes, scan } = decodeBase64(text, start, end);
  if (scan.invalid) {
    const ch = text.codePointAt(scan.firstInvalid)!;
    const shown = ch > 32 && ch !== 127 ? `"${String.fromCodePoint(ch)}"` : `U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
    w.problems.push({
      start: scan.firstInvalid,
      end: scan.firstInvalid + (ch > 0xffff ? 2 : 1),
      message: `Invalid base64 in ${label}: ${scan.invalid === 1 ? 'a character' : `${scan.invalid} characters`} outside the base64 alphabet (the first is ${shown}); decoded what could be read.`,
    });
  }
  if (scan.dangling >= 0) {
    w.problems.push({ start: scan.dangling, end: scan.dangling + 1, message: `Invalid base64 in ${label}: the data ends with a lone character, not a whole byte (truncated?).` });
  }
  return {
    bytes,
    locate() {
      const source = new Int32Array(bytes.length);
      scanBase64(text, start, end, bytes, source);
      return source;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Encoded words

const ENCODED_WORDS = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?ISO-2022-JP?B?...?=`) in a header value.
 * Adjacent words in one charset are joined before decoding, since mailers split a character's
 * bytes across words; whitespace between encoded words is dropped (RFC 2047 §6.2).
 */
export function decodeEncodedWords(value: string): string {
  let out = '';
  let last = 0;
  let run: { charset: string; bytes: number[] } | undefined;
  const flush = () => {
    if (!run) return;
    const bytes = Uint8Array.from(run.bytes);
    try {
      out += new TextDecoder(resolveCharset(run.charset) ?? 'utf-8').decode(bytes);
    } catch {
      out += new TextDecoder('utf-8').decode(bytes);
    }
    run = undefined;
  };
  for (const m of value.matchAll(ENCODED_WORDS)) {
    const between = value.slice(last, m.index);
    const charset = m[1]!.replace(/\*.*$/, '').toLowerCase();
    const joined = run && /^[ \t\r\n]*$/.test(between);
    if (!joined) {
      flush();
      out += between;
    } else if (run!.charset !== charset) flush();
    run ??= { charset, bytes: [] };
    const data = m[3]!;
    if (m[2] === 'B' || m[2] === 'b') {
      for (const b of decodeBase64(data, 0, data.length).bytes) run.bytes.push(b);
    } else {
      for (let i = 0; i < data.length; i++) {
        const c = data.charCodeAt(i);
        const h1 = c === 61 ? hexValue(data.charCodeAt(i + 1)) : -1;
        const h2 = h1 >= 0 ? hexValue(data.charCodeAt(i + 2)) : -1;
        if (h2 >= 0) {
          run.bytes.push(h1 * 16 + h2);
          i += 2;
        } else run.bytes.push(c === 95 /* _ */ ? 32 : c & 0xff);
      }
    }
    last = m.index! + m[0].length;
  }
  flush();
  return out + value.slice(last);
}
