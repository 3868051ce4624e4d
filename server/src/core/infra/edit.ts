// Fixes to infrastructure files as text inserted or replaced at one place, written the way the
// file writes its own (block YAML with the siblings' indentation and the file's line ending, flow
// lists with their separators, JSON through json.ts's editor): comments, key order and every other
// byte stay as they are.

import { jsonAddProperties } from '../parse/json';
import { lineEnding } from '../text';
import type { TextEdit } from '../types';
import type { IList, IMap, INode } from '../parse/infra/tree';

export type Value = string | boolean | number | readonly string[] | { readonly [k: string]: Value };

export interface InfraEdits {
  /** Replaces a scalar with `value` (inside its quotes when it has them). */
  replaceScalar(node: INode, value: string | boolean): TextEdit | undefined;
  /** Appends string items to a list, in its own style. */
  appendToList(list: INode, values: readonly string[]): TextEdit | undefined;
  /** Adds keys to the map at `path` (from the document root), after its last entry. */
  addEntries(map: IMap, path: readonly string[], entries: ReadonlyArray<readonly [string, Value]>): TextEdit | undefined;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

export function infraEdits(text: string, json: boolean, hcl = false): InfraEdits {
  const eol = lineEnding(text);
  const hclValue = (v: Value): string => (Array.isArray(v) ? `[${(v as readonly string[]).map((x) => JSON.stringify(x)).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v));
  const hclLines = (entries: ReadonlyArray<readonly [string, Value]>, indent: string, unit: string): string[] =>
    entries.flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? [`${indent}${k} {`, ...hclLines(Object.entries(v as Record<string, Value>), indent + unit, unit), `${indent}}`]
        : [`${indent}${k} = ${hclValue(v)}`],
    );
  const yamlScalar = (v: string | boolean | number) => (typeof v !== 'string' ? String(v) : PLAIN.test(v) && !YAML_WORDS.test(v) ? v : JSON.stringify(v));

  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const column = (at: number) => at - lineStart(at);
  /** Where the line holding `at` ends, after its line break (the text's end when none). */
  const afterLine = (at: number) => {
    if (at > 0 && text[at - 1] === '\n') return at;
    const nl = text.indexOf('\n', at);
    return nl === -1 ? text.length : nl + 1;
  };

  const blockLines = (entries: ReadonlyArray<readonly [string, Value]>, indent: string, unit: string): string[] => {
    const out: string[] = [];
    for (const [k, v] of entries) {
      if (Array.isArray(v)) {
        out.push(`${indent}${k}:`);
        for (const item of v as readonly string[]) out.push(`${indent}${unit}- ${yamlScalar(item)}`);
      } else if (typeof v === 'object') {
        out.push(`${indent}${k}:`);
        out.push(...blockLines(Object.entries(v as Record<string, Value>), indent + unit, unit));
      } else {
        out.push(`${indent}${k}: ${yamlScalar(v as string | boolean | number)}`);
      }
    }
    return out;
  };

  return {
    replaceScalar(node, value) {
      if (node.t !== 'scalar') return undefined;
      const q = text[node.start];
      if (q === '"' || q === "'") return { start: node.start + 1, end: node.end - 1, text: String(value) };
      return { start: node.start, end: node.end, text: typeof value === 'string' && json ? JSON.stringify(value) : String(value) };
    },

    appendToList(list, values) {
      if (list.t !== 'list' || !values.length) return undefined;
      const l = list as IList;
      const last = l.items[l.items.length - 1];
      if (l.flow || json) {
        if (text[l.start] !== '[') return undefined;
        const quote = json || hcl ? '"' : last && (text[last.start] === '"' || text[last.start] === "'") ? text[last.start]! : '';
        const item = (v: string) => (json || quote === '"' ? JSON.stringify(v) : quote === "'" ? `'${v}'` : yamlScalar(v));
        if (!last) return { start: l.start + 1, end: l.start + 1, text: values.map(item).join(', ') };
        // Items on lines of their own get the same; items on one line, ", ".
        const between = l.items.length >= 2 ? text.slice(l.items[l.items.length - 2]!.end, last.start) : text.slice(l.start + 1, last.start);
        const nl = between.lastIndexOf('\n');
        const sep = nl === -1 ? (l.items.length === 1 && !json ? ' ' : between.replace(/^\s*,/, '')) : `${eol}${between.slice(nl + 1)}`;
        return { start: last.end, end: last.end, text: values.map((v) => `,${sep}${item(v)}`).join('') };
      }
      if (!last) return undefined;
      // A block list: a `- item` line after the last item's line, at the same column as its dash.
      const dash = text.lastIndexOf('-', last.start);
      if (dash < lineStart(last.start)) return undefined;
      const indent = ' '.repeat(column(dash));
      const quote = text[last.start] === '"' || text[last.start] === "'" ? text[last.start]! : '';
      const item = (v: string) => (quote === '"' ? JSON.stringify(v) : quote === "'" ? `'${v}'` : yamlScalar(v));
      const at = afterLine(last.end);
      const lines = values.map((v) => `${indent}- ${item(v)}`);
      if (at === text.length && !text.endsWith('\n')) return { start: at, end: at, text: lines.map((x) => `${eol}${x}`).join('') };
      return { start: at, end: at, text: lines.map((x) => `${x}${eol}`).join('') };
    },

    addEntries(map, path, entries) {
      if (json) return jsonAddProperties(text, [...path], entries as ReadonlyArray<readonly [string, unknown]>);
      if (map.flow || !map.entries.length) return undefined;
      if (hcl) {
        const indent = ' '.repeat(column(map.entries[0]!.keyStart));
        // The step: how much deeper the entries are than the line that opens the block.
        const open = lineStart(map.start);
        const outer = /^[ \t]*/.exec(text.slice(open, map.start))![0].length;
        const unit = ' '.repeat(indent.length > outer ? indent.length - outer : 2);
        const last = map.entries[map.entries.length - 1]!;
        const at = afterLine(last.value ? last.value.end : last.keyEnd);
        return { start: at, end: at, text: hclLines(entries, indent, unit).map((x) => `${x}${eol}`).join('') };
      }
      const first = map.entries[0]!;
      const indent = ' '.repeat(column(first.keyStart));
      // The indentation step: how far a nested block map of this map is indented, else two spaces.
      let unit = '  ';
      for (const e of map.entries) {
        const v = e.value;
        if (v && (v.t === 'map' || v.t === 'list') && !v.flow && v.t === 'map' && v.entries.length) {
          const step = column(v.entries[0]!.keyStart) - column(e.keyStart);
          if (step > 0) unit = ' '.repeat(step);
          break;
        }
      }
      const last = map.entries[map.entries.length - 1]!;
      const at = afterLine(last.value ? last.value.end : last.keyEnd);
      const lines = blockLines(entries, indent, unit);
      if (at === text.length && !text.endsWith('\n')) return { start: at, end: at, text: lines.map((x) => `${eol}${x}`).join('') };
      return { start: at, end: at, text: lines.map((x) => `${x}${eol}`).join('') };
    },
  };
}
