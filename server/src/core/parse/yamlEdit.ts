// Edits to a YAML file as text inserted or replaced at one place, found from the parsed document's
// source ranges: everything else (comments, line endings, `0123`, `1e3`, folded scalars, the
// order and look of the other keys) stays byte for byte. Writing the document back whole with
// yaml's `toString` re-formats all of that.
//
// New keys are written the way the file writes its own: block maps line by line with the
// indentation of their siblings, flow maps (`{a: 1, b: 2}`) inline with their separators, values
// plain where the file writes plain values and YAML reads them back unchanged, else quoted with
// the file's quote. Each edit costs the length of its path plus what it writes, after one bounded
// look at the file's quoting.

import type { Document, Node as YamlNode, Pair, Scalar, YAMLMap } from 'yaml';
import { lineEnding } from '../text';
import type { TextEdit } from '../types';

type Yaml = typeof import('yaml');

/** Key-value pairs to write; a nested list is a nested map. */
export type YamlTree = ReadonlyArray<readonly [string, string | YamlTree]>;

export interface YamlEditor {
  /** Adds pairs to the map at `path` (created, with the maps above it, where missing). Undefined when something on the way is not a map. */
  addPairs(path: readonly string[], entries: YamlTree): TextEdit | undefined;
  /** Sets the scalar at `path`, replacing it in its own style where it exists. */
  setScalar(path: readonly string[], value: string): TextEdit | undefined;
}

type Quote = '"' | "'";

interface Style {
  eol: string;
  unit: string;
  /** How new string values are written: plain when YAML reads them back unchanged, or always quoted. */
  values: 'plain' | Quote;
  keys: 'plain' | Quote;
  /** The quote used when a value cannot be plain. */
  quote: Quote;
}

/** A place in the document: the map holding the last key found, and the pair when the whole path was found. */
interface Found {
  map: YAMLMap;
  /** Whether `map` is inside a flow collection (`{...}`), where `,[]{}` end a plain scalar. */
  flow: boolean;
  pair?: Pair;
  /** The keys of the path below `map` that are missing. */
  rest: string[];
}

export function yamlEditor(yaml: Yaml, text: string, doc: Document): YamlEditor {
  let style: Style | undefined;
  const styleOf = () => (style ??= detectStyle(yaml, text, doc));

  const keyText = (k: string, flow: boolean) => scalarText(yaml, k, flow, styleOf().keys, styleOf().quote);
  const valueText = (v: string, flow: boolean) => scalarText(yaml, v, flow, styleOf().values, styleOf().quote);

  /** Block lines for `tree`, each starting with a line break. */
  const blockLines = (tree: YamlTree, indent: string): string =>
    tree
      .map(([k, v]) => (typeof v === 'string' ? `${styleOf().eol}${indent}${keyText(k, false)}: ${valueText(v, false)}` : `${styleOf().eol}${indent}${keyText(k, false)}:${blockLines(v, indent + styleOf().unit)}`))
      .join('');
  const flowItems = (tree: YamlTree): string[] => tree.map(([k, v]) => `${keyText(k, true)}: ${typeof v === 'string' ? valueText(v, true) : `{${flowItems(v).join(', ')}}`}`);

  const root = doc.contents;
  const locate = (path: readonly string[]): Found | undefined => {
    if (!yaml.isMap(root)) return undefined;
    let map = root as YAMLMap;
    let flow = !!map.flow;
    for (let i = 0; i < path.length; i++) {
      const pair = map.items.find((p) => yaml.isScalar(p.key) && String(p.key.value) === path[i]);
      if (!pair) return { map, flow, rest: path.slice(i) };
      if (i === path.length - 1) return { map, flow, pair, rest: [] };
      const value = pair.value;
      // Through an alias an edit would change the anchored node too: no edit.
      if (!yaml.isMap(value)) return isEmptyNull(yaml, value) ? { map, flow, pair, rest: path.slice(i + 1) } : undefined;
      map = value;
      flow ||= !!value.flow;
    }
    return { map, flow, rest: [] };
  };

  /** Inserts `tree` into `map` after its last pair. */
  const insertIntoMap = (found: Found, tree: YamlTree): TextEdit | undefined => {
    const { map, flow } = found;
    if (flow) return insertFlow(map, tree);
    const eol = styleOf().eol;
    const last = map.items[map.items.length - 1];
    const indent = map.items.length ? columnIndent(text, (map.items[0]!.key as YamlNode).range![0]) : '';
    let at: number;
    if (last) {
      const end = ((last.value as YamlNode | null)?.range ?? (last.key as YamlNode).range!)[1];
      at = text[end - 1] === '\n' ? end : lineAfter(text, end);
    } else {
      at = text.length; // an empty document: the map starts at its end
    }
    const lines = blockLines(tree, indent);
    // At the end of a file with no final line break, the new lines start with one and end without.
    if (at === text.length && text.length && !text.endsWith('\n')) return { start: at, end: at, text: lines };
    return { start: at, end: at, text: lines.slice(eol.length) + eol };
  };

  const insertFlow = (map: YAMLMap, tree: YamlTree): TextEdit | undefined => {
    const range = map.range;
    if (!range || text[range[0]] !== '{') return undefined;
    const items = flowItems(tree);
    if (!map.items.length) return { start: range[0] + 1, end: range[0] + 1, text: items.join(', ') };
    const endOf = (p: Pair) => ((p.value as YamlNode | null)?.range ?? (p.key as YamlNode).range!)[1];
    const first = map.items[0]!;
    const last = map.items[map.items.length - 1]!;
    // The separator the map uses after its commas: ", ", or a line break and an indentation.
    let sep = ' ';
    if (map.items.length >= 2) {
      const between = text.slice(endOf(map.items[map.items.length - 2]!), (last.key as YamlNode).range![0]);
      // ", " or ",\n  " (a comment may end the line): the new items follow the same way.
      const m = /^[ \t]*,([ \t]*)(#[^\r\n]*)?(\r?\n[ \t]*)?$/.exec(between);
      if (m && m[3]) sep = m[3];
      else if (m && !m[2]) sep = m[1]!;
    } else {
      const lead = text.slice(range[0] + 1, (first.key as YamlNode).range![0]);
      if (/^\s*\n[ \t]*$/.test(lead)) sep = lead.slice(lead.lastIndexOf('\n') - (lead[lead.lastIndexOf('\n') - 1] === '\r' ? 1 : 0));
    }
    const lastEnd = endOf(last);
    const nl = sep.indexOf('\n');
    if (nl !== -1) {
      // Items on lines of their own: after the last item's line, keeping a comment that ends it where it is.
      const indent = sep.slice(nl + 1);
      const tail = /^[ \t]*(,)?[ \t]*(#[^\r\n]*)?(?=\r?\n)/.exec(text.slice(lastEnd));
      if (tail) {
        const lineEnd = lastEnd + tail[0].length;
        const added = items.map((i) => `${styleOf().eol}${indent}${i}`).join(',');
        return { start: lastEnd, end: lineEnd, text: tail[1] ? `${tail[0]}${added},` : `,${tail[0]}${added}` };
      }
    }
    return { start: lastEnd, end: lastEnd, text: items.map((i) => `,${sep}${i}`).join('') };
  };

  /** Writes `tree` as the value of a pair that has none (`headers:` with nothing after it). */
  const fillEmpty = (found: Found, pair: Pair, tree: YamlTree): TextEdit | undefined => {
    if (found.flow) return undefined;
    const key = pair.key as YamlNode;
    const lineEnd = lineAfter(text, key.range![1]);
    const end = lineEnd > 0 && text[lineEnd - 1] === '\n' ? lineEnd - (text[lineEnd - 2] === '\r' ? 2 : 1) : lineEnd;
    return { start: end, end, text: blockLines(tree, columnIndent(text, key.range![0]) + styleOf().unit) };
  };

  const place = (path: readonly string[], tree: YamlTree): TextEdit | undefined => {
    const found = locate(path);
    if (!found) return undefined;
    // Wrap the tree in the keys that are missing, outermost first.
    const wrapped = found.rest.reduceRight<YamlTree>((t, k) => [[k, t]], tree);
    if (found.pair && found.rest.length) return fillEmpty(found, found.pair, wrapped);
    if (found.pair) {
      const value = found.pair.value;
      if (yaml.isMap(value)) return insertIntoMap({ map: value, flow: found.flow || !!value.flow, rest: [] }, tree);
      return isEmptyNull(yaml, value) ? fillEmpty(found, found.pair, tree) : undefined;
    }
    return insertIntoMap(found, wrapped);
  };

  return {
    addPairs(path, entries) {
      if (!entries.length) return undefined;
      if (root === null && !doc.errors.length) return { start: text.length, end: text.length, text: emptyDocumentLines(text, path, entries, blockLines, styleOf().eol) };
      return place(path, entries);
    },
    setScalar(path, value) {
      if (!path.length) return undefined;
      const found = locate(path);
      if (!found) return undefined;
      const node = found.pair && !found.rest.length ? (found.pair.value as YamlNode | null) : undefined;
      if (!found.pair || found.rest.length) return this.addPairs(path.slice(0, -1), [[path[path.length - 1]!, value]]);
      if (!node || isEmptyNull(yaml, node)) {
        // `mailFrom:` with nothing after it: the value goes after the colon.
        const colon = text.indexOf(':', (found.pair.key as YamlNode).range![1]);
        return colon === -1 ? undefined : { start: colon + 1, end: colon + 1, text: ` ${valueText(value, found.flow)}` };
      }
      if (!yaml.isScalar(node) || !node.range) return undefined;
      return replaceScalar(node, value, found.flow);
    },
  };

  function replaceScalar(node: Scalar, value: string, flow: boolean): TextEdit {
    const [start, end] = node.range!;
    const s = styleOf();
    let out: string;
    switch (node.type) {
      case 'QUOTE_DOUBLE':
        out = JSON.stringify(value);
        break;
      case 'QUOTE_SINGLE':
        out = scalarText(yaml, value, flow, "'", "'");
        break;
      case 'PLAIN':
        out = scalarText(yaml, value, flow, 'plain', s.quote);
        break;
      default: {
        // A block scalar (| or >) ends with its line break, which stays.
        out = scalarText(yaml, value, flow, s.values, s.quote) + (text[end - 1] === '\n' ? s.eol : '');
      }
    }
    return { start, end, text: out };
  }
}

/** A value that is missing (`key:` with nothing after it). */
function isEmptyNull(yaml: Yaml, node: unknown): boolean {
  if (node === null || node === undefined) return true;
  return yaml.isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

/** The offset after the line break that ends the line holding `offset` (the text's end when none does). */
function lineAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** Spaces up to the column of `offset` (a byte order mark takes no column). */
function columnIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset).replace(/\uFEFF/g, '');
  return ' '.repeat(before.length);
}

/** An empty document (comments at most) gets the path as block maps at its end. */
function emptyDocumentLines(text: string, path: readonly string[], entries: YamlTree, blockLines: (tree: YamlTree, indent: string) => string, eol: string): string {
  const tree = path.reduceRight<YamlTree>((t, k) => [[k, t]], entries);
  const lines = blockLines(tree, '').slice(eol.length) + eol;
  return text.length && !text.endsWith('\n') ? eol + lines : lines;
}

/** Characters that may not start a plain scalar, and what may not appear in one inside a flow collection. */
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const FLOW_INDICATORS = /[,[\]{}]/;

/** `value` as a YAML scalar: plain when `prefer` allows and YAML reads it back as the same string, else quoted. */
function scalarText(yaml: Yaml, value: string, flow: boolean, prefer: 'plain' | Quote, quote: Quote): string {
  if (prefer === 'plain' && plainSafe(yaml, value, flow)) return value;
  const q = prefer === 'plain' ? quote : prefer;
  // Single quotes hold no escapes: a control character or line break needs double quotes.
  if (q === "'" && !/[\x00-\x1f\x7f]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

function plainSafe(yaml: Yaml, value: string, flow: boolean): boolean {
  if (!value || PLAIN_START.test(value) || /\s$/.test(value) || /[\x00-\x1f\x7f]/.test(value)) return false;
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) return false;
  // In a flow collection YAML 1.1 readers (PyYAML) refuse a ':' inside a plain scalar, as in a URL.
  if (flow && (FLOW_INDICATORS.test(value) || value.includes(':'))) return false;
  try {
    // `true`, `0123`, `1e3`, `null`, `~` ... read back as something else.
    return yaml.parse(value) === value;
  } catch {
    return false;
  }
}

/** How the file writes its keys and string values, from the first two thousand nodes. */
function detectStyle(yaml: Yaml, text: string, doc: Document): Style {
  const values = { plain: 0, '"': 0, "'": 0 };
  const keys = { plain: 0, '"': 0, "'": 0 };
  let unit: string | undefined;
  const count = (tally: typeof values, node: unknown) => {
    if (!yaml.isScalar(node) || typeof node.value !== 'string') return;
    if (node.type === 'PLAIN') tally.plain++;
    else if (node.type === 'QUOTE_DOUBLE') tally['"']++;
    else if (node.type === 'QUOTE_SINGLE') tally["'"]++;
  };
  const stack: unknown[] = [doc.contents];
  for (let seen = 0; stack.length && seen < 2000; seen++) {
    const node = stack.pop();
    if (yaml.isMap(node)) {
      for (const p of node.items) {
        count(keys, p.key);
        count(values, p.value);
        const v = p.value;
        // The indentation unit: how much deeper a block map under a block map is.
        if (unit === undefined && !node.flow && yaml.isMap(v) && !v.flow && v.items.length && node.items.length) {
          const outer = columnIndent(text, (node.items[0]!.key as YamlNode).range![0]).length;
          const inner = columnIndent(text, (v.items[0]!.key as YamlNode).range![0]).length;
          if (inner > outer) unit = ' '.repeat(inner - outer);
        }
        stack.push(v);
      }
    } else if (yaml.isSeq(node)) {
      for (const item of node.items) {
        count(values, item);
        stack.push(item);
      }
    }
  }
  const pick = (t: typeof values): 'plain' | Quote => (t['"'] + t["'"] > t.plain ? (t["'"] > t['"'] ? "'" : '"') : 'plain');
  return { eol: lineEnding(text), unit: unit ?? '  ', values: pick(values), keys: pick(keys), quote: values["'"] > values['"'] ? "'" : '"' };
}
