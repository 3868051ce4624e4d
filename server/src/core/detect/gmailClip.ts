// Gmail's clipping, in one place: the limit, and UTF-8 byte offsets counted without encoding the
// text again for every place asked about. unsubscribe-link-unusable (a footer link past the clip)
// and gmail-clip-size (the whole message past it) read it.

/** Gmail clips messages whose HTML exceeds about 102 KB; what follows is behind "View entire message". */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/**
 * Whether `text` alone may pass the clip. A UTF-16 code unit is at most 3 bytes of UTF-8, so a text
 * under a third of the limit cannot clip and its bytes are not counted (most templates).
 */
export function mayClip(text: string, limit = GMAIL_CLIP_BYTES): boolean {
  return text.length * 3 > limit && utf8Length(text) > limit;
}

/** The UTF-8 size of `text`, counted only when it could reach `limit` (else a bound below it). */
export function byteSize(text: string, limit = GMAIL_CLIP_BYTES): number {
  return text.length * 3 <= limit ? text.length : utf8Length(text);
}

/** Buffer.byteLength: counted by native code, a few microseconds for 100 KB. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text);
}

/**
 * UTF-8 byte offsets of code-unit offsets, counted in one pass: each call counts only the text
 * since the previous one, so offsets asked in ascending order (links in document order) cost
 * O(text) in all, where counting from the start for each of 100,000 links was quadratic.
 * Offsets are tag starts, never inside a surrogate pair, so the pieces add up to the whole count.
 */
export class Utf8Offsets {
  private offset = 0;
  private bytes = 0;
  constructor(private readonly text: string) {}
  at(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.bytes = 0;
    }
    this.bytes += Buffer.byteLength(this.text.slice(this.offset, offset));
    this.offset = offset;
    return this.bytes;
  }
}

/**
 * The code-unit offset in `text` where its UTF-8 bytes, after `before` bytes of what precedes it,
 * pass `limit`; undefined when they do not. Whole characters: never inside a surrogate pair.
 */
export function clipOffset(text: string, before: number, limit = GMAIL_CLIP_BYTES): number | undefined {
  let bytes = before;
  const step = 4096;
  for (let i = 0, next = 0; i < text.length; i = next) {
    let end = Math.min(text.length, i + step);
    // Keep a surrogate pair in one chunk.
    if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++;
    next = end;
    const chunk = Buffer.byteLength(text.slice(i, end));
    if (bytes + chunk <= limit) {
      bytes += chunk;
      continue;
    }
    for (let j = i; j < end; j++) {
      const c = text.charCodeAt(j);
      const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : c >= 0xdc00 && c <= 0xdfff ? 0 : 3;
      if (bytes + size > limit) return j;
      bytes += size;
    }
  }
  return undefined;
}
