// The MIME structure: multipart entities walked down to their text/plain and text/html parts,
// which are decoded into bodies (body.ts); structural problems (no boundary, a truncated
// multipart, parts nested too deep) are reported where they are written.

import type { EmbeddedBody, HeaderField, Located } from '../send';
import { skipComment, skipQuoted } from './addresses';
import { decodeBody } from './body';
import { resolveCharset } from './charset';
import { afterLineBreak, isFws, isWsp, lastLine, parseHeaderBlock, type Problem } from './headers';

const MAX_DEPTH = 32;

export interface Walk {
  text: string;
  problems: Problem[];
  bodies: EmbeddedBody[];
}

export type Param = Located<string>;

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

export function walkEntity(w: Walk, fields: HeaderField[], bodyStart: number, bodyEnd: number, path: string, defaultType: string, depth: number): void {
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

/** A part ends before the line break that precedes the next delimiter (it belongs to the delimiter). */
function lineBreakBefore(text: string, at: number, floor: number): number {
  let e = at;
  if (e > floor && text.charCodeAt(e - 1) === 10) {
    e--;
    if (e > floor && text.charCodeAt(e - 1) === 13) e--;
  }
  return Math.max(e, floor);
}
