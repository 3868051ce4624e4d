// A text or HTML part as a body the template rules read: transfer-decoded, charset-decoded, and
// mapped from every decoded character back to the file. Parts whose decoded text is their source
// text take edits as written; the others cannot be written back (no \`encode\`).

import type { EmbeddedBody } from '../send';
import { charMap } from './charset';
import type { Param, Walk } from './mime';
import { decodeBase64Part, decodeQuotedPrintable, type Bytes } from './transfer';

export function decodeBody(w: Walk, type: 'html' | 'text', start: number, end: number, cte: string, encoding: string, label: string, charset: Param | undefined): EmbeddedBody {
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
