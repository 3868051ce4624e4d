// Charsets: MIME charset labels to the encodings TextDecoder knows, and for decoded text the byte
// each character came from (the second half of the map from a decoded part back to the file).

const CHARSET_ALIASES: Record<string, string> = {
  cp932: 'shift_jis',
  'windows-932': 'shift_jis',
  'x-ms-cp932': 'shift_jis',
  'iso-2022-jp-ms': 'iso-2022-jp',
  cseucjp: 'euc-jp',
};

/** The WHATWG encoding for a MIME charset, or undefined when TextDecoder does not know it. */
export function resolveCharset(label: string): string | undefined {
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

/** For each UTF-16 unit of the decoded text, the index of the first byte of its character. */
export function charMap(bytes: Uint8Array, encoding: string, length: number): Int32Array {
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
