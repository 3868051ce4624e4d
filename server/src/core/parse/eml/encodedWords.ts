// RFC 2047 encoded words in header values.

import { resolveCharset } from './charset';
import { decodeBase64, hexValue } from './transfer';

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
