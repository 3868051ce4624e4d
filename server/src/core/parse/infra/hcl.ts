// A reader for the part of HCL (Terraform's language) that sending infrastructure is written in,
// keeping the source offset of every block, attribute and value: blocks with labels, attributes,
// strings, numbers, booleans, lists and objects. Anything computed (references, function calls,
// conditionals, `for` expressions, strings with `${...}`) becomes an `unknown` node holding its
// source text, so a rule can tell what it refers to but never calls it wrong.
//
// One pass over the text, no backtracking: an unterminated string or heredoc ends at the end of the
// text, nesting deeper than MAX_TREE_DEPTH stops the reader with a problem, never the stack.

import { MAX_TREE_DEPTH, type IEntry, type IList, type IMap, type INode } from './tree';

export interface HclBlock {
  type: string;
  labels: string[];
  /** The block's type keyword in the source. */
  at: { start: number; end: number };
  body: IMap;
}

export interface HclFile {
  blocks: HclBlock[];
  problems: Array<{ start: number; end: number; message: string }>;
}

type Tok = { k: 'id' | 'str' | 'tmpl' | 'num' | 'p' | 'nl' | 'eof'; s: number; e: number; v: string };

/** Splits HCL into tokens; strings with interpolation become 'tmpl', heredocs 'tmpl' too. */
export function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      out.push({ k: 'nl', s: i, e: i + 1, v: '\n' });
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close === -1 ? n : close + 2;
      // A block comment spanning lines ends a line, as the newlines in it would.
      if (text.slice(i, end).includes('\n')) out.push({ k: 'nl', s: end - 1, e: end, v: '\n' });
      i = end;
      continue;
    }
    if (c === '"') {
      const start = i;
      let interpolated = false;
      let value = '';
      i++;
      while (i < n && text[i] !== '"' && text[i] !== '\n') {
        if (text[i] === '\\') {
          const d = text[i + 1];
          value += d === 'n' ? '\n' : d === 't' ? '\t' : d ?? '';
          i += 2;
          continue;
        }
        if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{') {
          if (text[i + 2] === text[i]) {
            value += text[i];
            i += 2;
            continue;
          }
          interpolated = true;
          // Skip to the matching brace, counting braces (strings inside are rare and only cost precision).
          let depth = 0;
          for (i += 1; i < n && text[i] !== '\n'; i++) {
            if (text[i] === '{') depth++;
            else if (text[i] === '}' && --depth === 0) break;
          }
          i++;
          continue;
        }
        value += text[i];
        i++;
      }
      if (text[i] === '"') i++;
      out.push({ k: interpolated ? 'tmpl' : 'str', s: start, e: i, v: value });
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && /[-A-Za-z_]/.test(text[i + 2] ?? '')) {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        const start = i;
        const marker = m[1]!;
        let j = i + m[0].length;
        // The heredoc ends at a line holding only the marker (indented for `<<-`).
        for (;;) {
          const nl = text.indexOf('\n', j);
          const line = text.slice(j, nl === -1 ? n : nl).trim();
          if (line === marker) {
            j = nl === -1 ? n : nl;
            break;
          }
          if (nl === -1) {
            j = n;
            break;
          }
          j = nl + 1;
        }
        out.push({ k: 'tmpl', s: start, e: j, v: '' });
        i = j;
        continue;
      }
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 64))!;
      out.push({ k: 'num', s: i, e: i + m[0].length, v: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j]!)) j++;
      out.push({ k: 'id', s: i, e: j, v: text.slice(i, j) });
      i = j;
      continue;
    }
    out.push({ k: 'p', s: i, e: i + 1, v: c });
    i++;
  }
  out.push({ k: 'eof', s: n, e: n, v: '' });
  return out;
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Reads the blocks of a Terraform file. */
export function parseHcl(text: string): HclFile {
  const toks = tokenize(text);
  const problems: HclFile['problems'] = [];
  let p = 0;
  const peek = () => toks[p]!;
  const skipNl = () => {
    while (peek().k === 'nl') p++;
  };
  let tooDeep = false;

  /** Skips an expression the subset does not read: to the end of the line, a `,` or a closing bracket, at depth 0. */
  const skipExpr = (start: number, stops: string): INode => {
    const stack: string[] = [];
    let end = start;
    for (;;) {
      const t = peek();
      if (t.k === 'eof') break;
      if (!stack.length && (t.k === 'nl' || (t.k === 'p' && stops.includes(t.v)))) break;
      if (t.k === 'p' && OPEN[t.v]) stack.push(OPEN[t.v]!);
      else if (t.k === 'p' && stack.length && t.v === stack[stack.length - 1]) stack.pop();
      end = t.e;
      p++;
    }
    return { t: 'unknown', fn: 'expression', ref: text.slice(start, end).trim(), start, end };
  };

  const expr = (depth: number, stops: string): INode => {
    const t = peek();
    const next = toks[p + 1]!;
    // A literal alone: followed by the end of the expression.
    const ends = (k: Tok) => k.k === 'nl' || k.k === 'eof' || (k.k === 'p' && stops.includes(k.v));
    if (t.k === 'str' && ends(next)) {
      p++;
      return { t: 'scalar', value: t.v, start: t.s, end: t.e };
    }
    if (t.k === 'num' && ends(next)) {
      p++;
      return { t: 'scalar', value: Number(t.v), start: t.s, end: t.e };
    }
    if (t.k === 'id' && (t.v === 'true' || t.v === 'false' || t.v === 'null') && ends(next)) {
      p++;
      return { t: 'scalar', value: t.v === 'null' ? null : t.v === 'true', start: t.s, end: t.e };
    }
    if (t.k === 'p' && (t.v === '[' || t.v === '{') && depth < MAX_TREE_DEPTH) {
      const save = p;
      const node = t.v === '[' ? list(depth + 1) : object(depth + 1);
      if (node && ends(peek())) return node;
      p = save;
    }
    if (t.k === 'p' && (t.v === '[' || t.v === '{') && depth >= MAX_TREE_DEPTH) tooDeep = true;
    return skipExpr(t.s, stops);
  };

  const list = (depth: number): IList | undefined => {
    const open = peek();
    p++;
    const items: INode[] = [];
    for (;;) {
      skipNl();
      const t = peek();
      if (t.k === 'p' && t.v === ']') {
        p++;
        return { t: 'list', flow: true, items, start: open.s, end: t.e };
      }
      if (t.k === 'eof' || tooDeep) return undefined;
      items.push(expr(depth, ',]'));
      skipNl();
      if (peek().k === 'p' && peek().v === ',') p++;
      else if (!(peek().k === 'p' && peek().v === ']')) return undefined;
    }
  };

  const object = (depth: number): IMap | undefined => {
    const open = peek();
    p++;
    const entries: IEntry[] = [];
    for (;;) {
      skipNl();
      const t = peek();
      if (t.k === 'p' && t.v === '}') {
        p++;
        return { t: 'map', flow: true, entries, start: open.s, end: t.e };
      }
      if ((t.k !== 'id' && t.k !== 'str') || tooDeep) return undefined;
      p++;
      const sep = peek();
      if (!(sep.k === 'p' && (sep.v === '=' || sep.v === ':'))) return undefined;
      p++;
      entries.push({ key: t.v, keyStart: t.s, keyEnd: t.e, value: expr(depth, ',}') });
      if (peek().k === 'p' && peek().v === ',') p++;
    }
  };

  /** A body of attributes and blocks, to `}` (or the end of the text at the top). */
  const body = (depth: number, open: number): IMap => {
    const entries: IEntry[] = [];
    for (;;) {
      skipNl();
      const t = peek();
      if (t.k === 'eof') return { t: 'map', flow: false, entries, start: open, end: t.s };
      if (t.k === 'p' && t.v === '}') {
        p++;
        return { t: 'map', flow: false, entries, start: open, end: t.e };
      }
      if (t.k !== 'id') {
        problems.push({ start: t.s, end: t.e, message: `Unexpected "${text.slice(t.s, t.e)}": an attribute or a block was expected.` });
        skipExpr(t.s, '');
        continue;
      }
      p++;
      if (peek().k === 'p' && peek().v === '=') {
        p++;
        entries.push({ key: t.v, keyStart: t.s, keyEnd: t.e, value: expr(depth, '') });
        continue;
      }
      const labels: string[] = [];
      while (peek().k === 'str' || peek().k === 'id') labels.push(toks[p++]!.v);
      if (!(peek().k === 'p' && peek().v === '{')) {
        problems.push({ start: t.s, end: t.e, message: `"${t.v}" is neither an attribute (name = value) nor a block (name { ... }).` });
        skipExpr(t.s, '');
        continue;
      }
      const brace = toks[p++]!;
      if (depth >= MAX_TREE_DEPTH) {
        tooDeep = true;
        problems.push({ start: t.s, end: t.e, message: `Blocks are nested more than ${MAX_TREE_DEPTH} deep here; the file was not read further.` });
        p = toks.length - 1;
        return { t: 'map', flow: false, entries, start: open, end: text.length };
      }
      const inner = body(depth + 1, brace.s);
      entries.push({ key: t.v, keyStart: t.s, keyEnd: t.e, value: inner, ...(labels.length && { labels }) } as IEntry);
    }
  };

  const root = body(0, 0);
  if (tooDeep && !problems.length) problems.push({ start: 0, end: 0, message: `Values are nested more than ${MAX_TREE_DEPTH} deep; the file was not read further.` });
  const blocks: HclBlock[] = [];
  for (const e of root.entries) {
    if (e.value?.t !== 'map' || e.value.flow) continue;
    blocks.push({ type: e.key, labels: (e as IEntry & { labels?: string[] }).labels ?? [], at: { start: e.keyStart, end: e.keyEnd }, body: e.value });
  }
  return { blocks, problems };
}
