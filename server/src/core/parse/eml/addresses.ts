// Address lists (From, To, Reply-To ...): mailboxes located where they are written, with quoted
// strings, comments, encoded words and groups understood.

import type { HeaderField, Located } from '../send';
import { decodeEncodedWords } from './encodedWords';
import { isFws } from './headers';

/** One mailbox of an address list: `value` is the addr-spec, located where it is written. */
export interface Mailbox extends Located<string> {
  /** The display name, unquoted and with encoded words decoded, when there is one. */
  displayName?: string;
}

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

export function skipComment(text: string, i: number, end: number): number {
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

export function skipQuoted(text: string, i: number, end: number): number {
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

export function firstMailbox(text: string, field: HeaderField): Located<string> | undefined {
  return parseAddressList(text, field.valueStart, field.valueEnd)[0];
}

/** The domain of the Return-Path address, located at the domain; none for the null path `<>`. */
export function returnPathDomain(text: string, field: HeaderField): Located<string> | undefined {
  const box = firstMailbox(text, field);
  if (!box) return undefined;
  const at = text.lastIndexOf('@', box.end - 1);
  if (at < box.start) return undefined;
  let start = at + 1;
  while (start < box.end && isFws(text.charCodeAt(start))) start++;
  const value = box.value.slice(box.value.lastIndexOf('@') + 1);
  return value ? { value, start, end: box.end } : undefined;
}
