// Content-Transfer-Encoding: quoted-printable and base64 decoded to bytes, with where in the
// source each byte is written (worked out on first use).

import { afterLineBreak, isFws, isWsp } from './headers';
import type { Walk } from './mime';

/** Transfer-decoded bytes, and where in the source each byte's encoding starts. */
export interface Bytes {
  bytes: Uint8Array;
  /**
   * Per-byte source offsets, or the offset of byte 0 when bytes sit one per character in the
   * source. Computed on first use by a second pass: most parts never need it.
   */
  locate(): Int32Array | number;
}

export function hexValue(c: number): number {
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
export function decodeQuotedPrintable(text: string, start: number, end: number): Bytes {
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

export function decodeBase64(text: string, start: number, end: number): { bytes: Uint8Array; scan: Base64Scan } {
  const scratch = new Uint8Array(Math.ceil(((end - start) * 3) / 4) + 3);
  const scan = scanBase64(text, start, end, scratch, undefined);
  return { bytes: scratch.subarray(0, scan.length), scan };
}

export function decodeBase64Part(w: Walk, start: number, end: number, label: string): Bytes {
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
