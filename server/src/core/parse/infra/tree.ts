// A small tree with source offsets over what the yaml package reads from a CloudFormation or SAM
// template (YAML, or JSON, which YAML reads too). Values that CloudFormation computes when the
// stack is deployed (`!Ref`, `!GetAtt`, `!Sub`, `!If`, `{"Fn::...": ...}`, `{"Ref": ...}`) become
// `unknown` nodes: rules never call them wrong, they only stay silent about them.

import type { Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export interface Span {
  start: number;
  end: number;
}

export interface IMap extends Span {
  t: 'map';
  flow: boolean;
  entries: IEntry[];
}
export interface IEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: INode | undefined;
}
export interface IList extends Span {
  t: 'list';
  flow: boolean;
  items: INode[];
}
export interface IScalar extends Span {
  t: 'scalar';
  value: string | number | boolean | null;
}
/** A value computed at deploy time: `fn` is the intrinsic function, `ref` the logical id a `Ref` names. */
export interface IUnknown extends Span {
  t: 'unknown';
  fn: string;
  ref?: string;
  /** What `GetAtt` reads: `Resource.Attribute`. */
  attribute?: string;
}
export type INode = IMap | IList | IScalar | IUnknown;

type Yaml = typeof import('yaml');

/** Deeper than this the reader stops (a hostile file must not cost a stack overflow). */
export const MAX_TREE_DEPTH = 256;

export function toTree(yaml: Yaml, node: unknown, depth = 0, untagged = false): INode | undefined {
  if (!node || depth > MAX_TREE_DEPTH) return undefined;
  const range = (node as YamlNode).range;
  const start = range?.[0] ?? 0;
  const end = range?.[1] ?? start;
  const tag = (node as YamlNode).tag;
  if (!untagged && tag && tag.startsWith('!') && !tag.startsWith('!!')) {
    const fn = tag.slice(1);
    const ref = fn === 'Ref' && yaml.isScalar(node) ? String((node as Scalar).value) : undefined;
    return { t: 'unknown', fn, ref, attribute: fn === 'GetAtt' ? attributeOf(toTree(yaml, (node as YamlNode & { tag?: string }), depth + 1, true)) : undefined, start, end };
  }
  if (yaml.isMap(node)) {
    const map = node as YAMLMap;
    const entries: IEntry[] = [];
    for (const p of map.items as Pair[]) {
      if (!yaml.isScalar(p.key)) continue;
      const k = p.key as Scalar;
      const kr = k.range ?? [start, start, start];
      entries.push({ key: String(k.value), keyStart: kr[0], keyEnd: kr[1], value: toTree(yaml, p.value, depth + 1) });
    }
    // The long form of an intrinsic function: one key, `Ref` or `Fn::...` (and `Condition` inside `Fn::If`).
    if (entries.length === 1 && (entries[0]!.key === 'Ref' || entries[0]!.key.startsWith('Fn::'))) {
      const e = entries[0]!;
      const ref = e.key === 'Ref' && e.value?.t === 'scalar' ? String(e.value.value) : undefined;
      const fn = e.key.replace(/^Fn::/, '');
      return { t: 'unknown', fn, ref, attribute: fn === 'GetAtt' ? attributeOf(e.value) : undefined, start, end };
    }
    return { t: 'map', flow: !!map.flow, entries, start, end };
  }
  if (yaml.isSeq(node)) {
    const seq = node as YAMLSeq;
    const items: INode[] = [];
    for (const item of seq.items) {
      const t = toTree(yaml, item, depth + 1);
      if (t) items.push(t);
    }
    return { t: 'list', flow: !!seq.flow, items, start, end };
  }
  if (yaml.isScalar(node)) {
    const v = (node as Scalar).value;
    return { t: 'scalar', value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v), start, end };
  }
  if (yaml.isAlias(node)) return { t: 'unknown', fn: 'alias', start, end };
  return undefined;
}

/** `Identity.DkimDNSTokenName1` from `Identity.DkimDNSTokenName1` or `[Identity, DkimDNSTokenName1]`. */
function attributeOf(node: INode | undefined): string | undefined {
  if (node?.t === 'scalar') return String(node.value);
  if (node?.t === 'list') return node.items.map((i) => (i.t === 'scalar' ? String(i.value) : '?')).join('.');
  return undefined;
}

export function entry(map: INode | undefined, key: string): IEntry | undefined {
  if (map?.t !== 'map') return undefined;
  return map.entries.find((e) => e.key === key);
}

export function get(map: INode | undefined, ...keys: string[]): INode | undefined {
  let node = map;
  for (const k of keys) node = entry(node, k)?.value;
  return node;
}

/** The text of a scalar, or undefined for anything else (unknown values included). */
export function str(node: INode | undefined): string | undefined {
  return node?.t === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

/** true / false for a literal boolean (or the strings CloudFormation accepts), 'unknown' for a computed value, undefined when absent. */
export function bool(node: INode | undefined): boolean | 'unknown' | undefined {
  if (!node) return undefined;
  if (node.t === 'scalar') {
    if (typeof node.value === 'boolean') return node.value;
    if (typeof node.value === 'string' && /^(?:true|false)$/i.test(node.value)) return node.value.toLowerCase() === 'true';
    return 'unknown';
  }
  return 'unknown';
}
