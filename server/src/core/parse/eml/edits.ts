// The edits fixes make to a message: header fields added after the last header line, written
// with the file's own line ending.

import { lineEnding } from '../../text';
import type { TextEdit } from '../../types';
import type { HeaderBlock } from './headers';

/** One edit adding `fields` as header lines at the end of the message's header block `head`. */
export function insertHeaderLines(text: string, head: HeaderBlock, fields: ReadonlyArray<readonly [string, string]>): TextEdit {
  const eol = lineEnding(text, '\r\n');
  // A line break inside a value must continue the field: it is folded with the file's line ending.
  const line = (name: string, value: string) => `${name}: ${value.replace(/\r?\n([ \t]?)/g, (_, ws: string) => eol + (ws || ' '))}`;
  const block = fields.map(([n, v]) => line(n, v)).join(eol) + eol;
  if (head.separated) return { start: head.end, end: head.end, text: block };
  const end = text.length;
  const needsBreak = end > 0 && text.charCodeAt(end - 1) !== 10;
  return { start: end, end, text: (needsBreak ? eol : '') + block };
}
