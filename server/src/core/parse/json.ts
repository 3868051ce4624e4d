// JSON helpers over jsonc-parser: decoded strings with a map back to their source offsets (so a
// finding inside an HTML body held in a JSON string lands on the right character), and edits that
// keep the file's formatting.

import { applyEdits as applyJsonEdits, findNodeAtLocation, modify, type Node } from 'jsonc-parser';
import { lineEnding, minimalEdit } from '../text';
import type { TextEdit } from '../types';
import type { EmbeddedBody, Located, Span } from './send';

export interface DecodedString {
  value: string;
  /** Source offset of a decoded index (clamped to the string; its length maps to the closing quote). */
  toSource(index: number): number;
}

/**
 * Decodes the JSON string literal at `node`, recording where each decoded unit came from: as runs
 * (a stretch without escapes maps one to one; an escape maps to its backslash), found with indexOf,
 * so a 100 KB HTML body costs a few hundred runs instead of a map entry per character.
 */
export function decodeJsonString(text: string, node: Node): DecodedString {
  const start = node.offset + 1;
  const end = node.offset + node.length - 1;
  const parts: string[] = [];
  // Run k starts at decoded index runDecoded[k] and source offset runSource[k]; runPlain[k] tells
  // whether it is plain text (one to one) or one escape (every unit at the backslash).
  const runDecoded: number[] = [];
  const runSource: number[] = [];
  const runPlain: boolean[] = [];
  let n = 0;
  let i = start;
  while (i < end) {
    const backslash = text.indexOf('\\', i);
    const plainEnd = backslash === -1 || backslash >= end ? end : backslash;
    if (plainEnd > i) {
      runDecoded.push(n);
      runSource.push(i);
      runPlain.push(true);
      parts.push(text.slice(i, plainEnd));
      n += plainEnd - i;
      i = plainEnd;
      if (i >= end) break;
    }
    const e = text[i + 1];
    let ch: string;
    let width = 2;
    switch (e) {
      case 'n': ch = '\n'; break;
      case 't': ch = '\t'; break;
      case 'r': ch = '\r'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'u': {
        const code = parseInt(text.slice(i + 2, i + 6), 16);
        ch = Number.isNaN(code) ? '' : String.fromCharCode(code);
        width = 6;
        break;
      }
      default: ch = e ?? '';
    }
    if (ch.length) {
      runDecoded.push(n);
      runSource.push(i);
      runPlain.push(false);
      parts.push(ch);
      n += ch.length;
    }
    i += width;
  }
  const length = n;
  return {
    value: parts.join(''),
    toSource: (index) => {
      const d = Math.max(0, index);
      if (d >= length) return end;
      // The last run starting at or before d.
      let lo = 0;
      let hi = runDecoded.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (runDecoded[mid]! <= d) lo = mid;
        else hi = mid - 1;
      }
      return runPlain[lo] ? runSource[lo]! + (d - runDecoded[lo]!) : runSource[lo]!;
    },
  };
}

export function stringAt(text: string, root: Node | undefined, path: Array<string | number>): Located<string> | undefined {
  const node = root && findNodeAtLocation(root, path);
  if (!node || node.type !== 'string') return undefined;
  return { value: String(node.value), start: node.offset, end: node.offset + node.length };
}

export function nodeSpan(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** An HTML or text body held in a JSON string, with offsets mapped back through escapes. */
export function jsonBody(text: string, node: Node, type: 'html' | 'text', label: string): EmbeddedBody {
  const decoded = decodeJsonString(text, node);
  return {
    type,
    label,
    text: decoded.value,
    start: node.offset,
    end: node.offset + node.length,
    toSource: decoded.toSource,
    encode: (s) => JSON.stringify(s).slice(1, -1),
  };
}

/** A formatting-preserving edit that sets `path` to `value`, as one TextEdit (the changed region). */
export function jsonSet(text: string, path: Array<string | number>, value: unknown): TextEdit {
  const eol = lineEnding(text);
  const indent = /\n( +|\t)"/.exec(text)?.[1] ?? '  ';
  const edits = modify(text, path, value, {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol },
  });
  return minimalEdit(text, applyJsonEdits(text, edits));
}

/** Appends `values` to the array at `path` (creating it when absent), leaving existing elements as written. */
export function jsonAppend(text: string, path: Array<string | number>, existingCount: number, values: unknown[]): TextEdit {
  if (existingCount === 0) return jsonSet(text, path, values);
  const eol = lineEnding(text);
  const indent = /\n( +|\t)"/.exec(text)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol };
  let current = text;
  values.forEach((v, i) => {
    current = applyJsonEdits(current, modify(current, [...path, existingCount + i], v, { formattingOptions, isArrayInsertion: true }));
  });
  return minimalEdit(text, current);
}
