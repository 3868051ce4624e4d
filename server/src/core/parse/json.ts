// JSON helpers over jsonc-parser: decoded strings with a map back to their source offsets (so a
// finding inside an HTML body held in a JSON string lands on the right character), and edits that
// insert or replace text at one computed place, written in the file's own style.

import { createScanner, findNodeAtLocation, parseTree, SyntaxKind, type Node } from 'jsonc-parser';
import { lineEnding } from '../text';
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

// ---- nesting depth -------------------------------------------------------------------------

/**
 * How deep objects and arrays may nest. jsonc-parser (and the value readers over its tree) recurse
 * once per level, so a payload nested 100,000 deep would overflow the stack; real payloads nest
 * a dozen levels.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * Where the text first nests deeper than `max` objects and arrays, or undefined when it does not:
 * one pass, skipping strings and comments (as jsonc-parser reads them).
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** jsonc-parser reads a byte order mark as an invalid symbol: give it a space of the same length, so offsets stay. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

/** The tree of a JSON text for editing, or undefined when it is too deep to read safely. */
export function jsonTree(text: string): Node | undefined {
  if (jsonTooDeep(text) !== undefined) return undefined;
  return parseTree(withoutBom(text), [], { allowTrailingComma: true });
}

// ---- edits ---------------------------------------------------------------------------------
//
// Every edit below is one insertion or replacement at a place computed from the tree: the bytes
// outside it (number formats, comments, line endings, the layout of the rest) stay as written.
// jsonc-parser's `modify` re-formats the whole line it edits, which on a one-line payload is the
// whole file. Each edit costs one parse of the text and the length of what it writes.

/** How the file writes JSON: its line ending, indentation unit and separators. */
interface JsonStyle {
  eol: string;
  unit: string;
  /** What follows ':' ("" in compact JSON, " " usually). */
  colon: string;
  /** What follows ',' between members on one line. */
  comma: string;
  /** Whether the file is written over several lines: an empty container then gets its members on lines of their own. */
  multiLine: boolean;
  /** What pads the inside of an object written on one line: `{ "a": 1 }` or `{"a": 1}`. */
  pad: string;
}

function styleOf(text: string, root: Node): JsonStyle {
  const unit = /\n( +|\t)["{[\]}/]/.exec(text)?.[1] ?? '  ';
  let colon: string | undefined;
  let comma: string | undefined;
  // A bounded look at the first nodes is enough to see how the file separates things.
  const stack: Node[] = [root];
  for (let seen = 0; stack.length && seen < 2000 && (colon === undefined || comma === undefined); seen++) {
    const node = stack.pop()!;
    const kids = node.children ?? [];
    if (node.type === 'property' && kids.length === 2 && colon === undefined) {
      const between = text.slice(kids[0]!.offset + kids[0]!.length, kids[1]!.offset);
      if (/^\s*:[ \t]*$/.test(between)) colon = between.slice(between.indexOf(':') + 1);
    }
    if ((node.type === 'object' || node.type === 'array') && kids.length >= 2 && comma === undefined) {
      const between = text.slice(kids[0]!.offset + kids[0]!.length, kids[1]!.offset);
      if (/^[ \t]*,[ \t]*$/.test(between)) comma = between.slice(between.indexOf(',') + 1);
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  colon ??= ' ';
  const body = text.slice(root.offset, root.offset + root.length);
  return { eol: lineEnding(text), unit, colon, comma: comma ?? (colon ? ' ' : ''), multiLine: body.includes('\n'), pad: '' };
}

/** `value` as JSON text: on one line when `indent` is undefined, else laid out below a line indented by `indent`. */
function render(value: unknown, style: JsonStyle, indent: string | undefined): string {
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    if (indent === undefined) return `[${value.map((v) => render(v, style, undefined)).join(`,${style.comma}`)}]`;
    const inner = indent + style.unit;
    return `[${value.map((v) => `${style.eol}${inner}${render(v, style, inner)}`).join(',')}${style.eol}${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '{}';
    const member = (k: string, v: unknown, at: string | undefined) => `${JSON.stringify(k)}:${style.colon}${render(v, style, at)}`;
    if (indent === undefined) return `{${style.pad}${entries.map(([k, v]) => member(k, v, undefined)).join(`,${style.comma}`)}${style.pad}}`;
    const inner = indent + style.unit;
    return `{${entries.map(([k, v]) => `${style.eol}${inner}${member(k, v, inner)}`).join(',')}${style.eol}${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The indentation of the line holding `offset` (tabs kept, anything else as spaces when it is not blank). */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lead = /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
  return lead.replace(/\uFEFF/g, '');
}

/**
 * Inserts members (object properties as `"key": value`, or array elements) at the end of
 * `container`, laid out like its existing members: on their own lines with their indentation when
 * the container is written over several lines (after a comment that ends the last member's line,
 * which stays where it is), else on the same line with the file's separators.
 */
function insertMembers(text: string, container: Node, style: JsonStyle, member: (indent: string | undefined, style: JsonStyle) => string[]): TextEdit | undefined {
  const open = container.offset;
  const close = container.offset + container.length - 1;
  const closeChar = container.type === 'object' ? '}' : ']';
  if (text[open] !== (container.type === 'object' ? '{' : '[') || text[close] !== closeChar) return undefined;
  const kids = container.children ?? [];
  const multiLine = kids.length ? text.slice(open + 1, kids[0]!.offset).includes('\n') : style.multiLine || text.slice(open + 1, close).includes('\n');
  if (!multiLine) {
    const items = member(undefined, style);
    if (!kids.length) return { start: open + 1, end: open + 1, text: items.join(`,${style.comma}`) };
    let sep = style.comma;
    if (kids.length >= 2) {
      const between = text.slice(kids[0]!.offset + kids[0]!.length, kids[1]!.offset);
      if (/^[ \t]*,[ \t]*$/.test(between)) sep = between.slice(between.indexOf(',') + 1);
    }
    const last = kids[kids.length - 1]!;
    const at = last.offset + last.length;
    return { start: at, end: at, text: items.map((m) => `,${sep}${m}`).join('') };
  }
  if (!kids.length) {
    const outer = indentAt(text, open);
    const indent = outer + style.unit;
    const items = member(indent, style);
    const closing = text.slice(open + 1, close).includes('\n') ? '' : `${style.eol}${outer}`;
    return { start: open + 1, end: open + 1, text: items.map((m) => `${style.eol}${indent}${m}`).join(',') + closing };
  }
  const first = kids[0]!;
  const indent = indentAt(text, first.offset);
  const last = kids[kids.length - 1]!;
  // Elements like `{ "Name": "X", "Value": "y" }`, each on one line: a new one is written the same way.
  const lastText = text.slice(last.offset, last.offset + last.length);
  const inline = (last.type === 'object' || last.type === 'array') && !lastText.includes('\n');
  const items = inline ? member(undefined, { ...style, pad: /^[{[] /.test(lastText) ? ' ' : '' }) : member(indent, style);
  const lastEnd = last.offset + last.length;
  // What follows the last member on its line: a trailing comma, comments, then the line break or the closing bracket.
  const scanner = createScanner(withoutBom(text), false);
  scanner.setPosition(lastEnd);
  let comma = false;
  let lineEnd = -1;
  for (;;) {
    const token = scanner.scan();
    if (token === SyntaxKind.CommaToken && !comma) comma = true;
    else if (token === SyntaxKind.Trivia || token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) continue;
    else {
      if (token === SyntaxKind.LineBreakTrivia) lineEnd = scanner.getTokenOffset();
      break;
    }
  }
  const added = items.map((m) => `${style.eol}${indent}${m}`).join(',') + (comma ? ',' : '');
  if (lineEnd === -1) {
    // The closing bracket (or the next token) is on the last member's line: the members go before it.
    return { start: lastEnd, end: lastEnd, text: `,${added}` };
  }
  // One edit from the last member to its line's end: the comma goes after the member, the line's
  // own comment is written back unchanged, and the new members follow on lines of their own.
  const rest = text.slice(lastEnd, lineEnd);
  return { start: lastEnd, end: lineEnd, text: (comma ? rest : `,${rest}`) + added };
}

/** The node at `path` and, when it is missing, the deepest object on the way and the path left below it. */
function locate(root: Node, path: ReadonlyArray<string | number>): { node?: Node; parent?: Node; rest: Array<string | number> } {
  let node: Node | undefined = root;
  for (let i = 0; i < path.length; i++) {
    const next = findNodeAtLocation(node, [path[i]!]);
    if (!next) return { parent: node, rest: path.slice(i) };
    node = next;
  }
  return { node, rest: [] };
}

/** `value` wrapped in objects for the keys of `rest` after the first: {b: {c: value}} for [a, b, c]. */
function nest(rest: Array<string | number>, value: unknown): unknown {
  return rest.slice(1).reduceRight<unknown>((v, k) => ({ [String(k)]: v }), value);
}

/** Adds property `key` with `value` to the object `parent`. */
function addProperty(text: string, parent: Node, style: JsonStyle, key: string, value: unknown): TextEdit | undefined {
  if (parent.type !== 'object') return undefined;
  return insertMembers(text, parent, style, (indent, st) => [`${JSON.stringify(key)}:${st.colon}${render(value, st, indent)}`]);
}

/**
 * Sets `path` to `value`: replaces the value where it exists, else adds it to the deepest object on
 * the way (with the objects between). Undefined when something on the way is not an object.
 */
export function jsonSet(text: string, path: Array<string | number>, value: unknown): TextEdit | undefined {
  const root = jsonTree(text);
  if (!root || !path.length) return undefined;
  const style = styleOf(text, root);
  const { node, parent, rest } = locate(root, path);
  if (node) {
    const multiLine = text.slice(node.offset, node.offset + node.length).includes('\n');
    return { start: node.offset, end: node.offset + node.length, text: render(value, style, multiLine ? indentAt(text, node.offset) : undefined) };
  }
  if (!parent || typeof rest[0] !== 'string') return undefined;
  return addProperty(text, parent, style, rest[0], nest(rest, value));
}

/**
 * Adds properties to the object at `path` (creating it, and the objects above it, when missing),
 * after its existing ones, which stay as written. Undefined when the node at `path` (or one on the
 * way) is not an object: nothing the user wrote is ever replaced.
 */
export function jsonAddProperties(text: string, path: Array<string | number>, entries: ReadonlyArray<readonly [string, unknown]>): TextEdit | undefined {
  const root = jsonTree(text);
  if (!root || !entries.length) return undefined;
  const style = styleOf(text, root);
  const { node, parent, rest } = locate(root, path);
  if (node) {
    if (node.type !== 'object') return undefined;
    return insertMembers(text, node, style, (indent, st) => entries.map(([k, v]) => `${JSON.stringify(k)}:${st.colon}${render(v, st, indent)}`));
  }
  if (!parent || typeof rest[0] !== 'string') return undefined;
  return addProperty(text, parent, style, rest[0], nest(rest, Object.fromEntries(entries)));
}

/**
 * Appends `values` to the array at `path` (creating it when absent), leaving existing elements as
 * written. Undefined when the node at `path` is there but not an array. (`existingCount` is kept
 * for callers; the tree says how many there are.)
 */
export function jsonAppend(text: string, path: Array<string | number>, _existingCount: number, values: unknown[]): TextEdit | undefined {
  const root = jsonTree(text);
  if (!root || !values.length) return undefined;
  const style = styleOf(text, root);
  const { node, parent, rest } = locate(root, path);
  if (node) {
    if (node.type !== 'array') return undefined;
    return insertMembers(text, node, style, (indent, st) => values.map((v) => render(v, st, indent)));
  }
  if (!parent || typeof rest[0] !== 'string') return undefined;
  return addProperty(text, parent, style, rest[0], nest(rest, values));
}
