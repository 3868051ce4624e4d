// decodeJsonString maps decoded offsets back to the source by runs (server/src/core/parse/json.ts).
// Here it is compared with the plain form it replaced, a map entry per decoded character, on
// strings with every kind of escape, so a finding inside an HTML body held in a JSON payload still
// lands on its character.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTree, type Node } from 'jsonc-parser';
import { decodeJsonString } from '../../server/src/core/parse/json';
import { seededStrings } from './seeded-strings';

/** The plain form: decoded index -> source offset, one entry per decoded unit, then the closing quote. */
function plainMap(text: string, node: Node): { value: string; map: number[] } {
  const start = node.offset + 1;
  const end = node.offset + node.length - 1;
  const map: number[] = [];
  let value = '';
  let i = start;
  while (i < end) {
    if (text[i] !== '\\') {
      value += text[i];
      map.push(i);
      i++;
      continue;
    }
    const e = text[i + 1];
    let ch: string;
    let width = 2;
    if (e === 'u') {
      const code = parseInt(text.slice(i + 2, i + 6), 16);
      ch = Number.isNaN(code) ? '' : String.fromCharCode(code);
      width = 6;
    } else {
      ch = ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e ?? ''] ?? e ?? '';
    }
    for (let k = 0; k < ch.length; k++) map.push(i);
    value += ch;
    i += width;
  }
  map.push(end);
  return { value, map };
}

function check(json: string): void {
  const root = parseTree(json)!;
  const node = root.type === 'string' ? root : root.children![0]!.children![1]!;
  const expected = plainMap(json, node);
  const actual = decodeJsonString(json, node);
  assert.equal(actual.value, expected.value, json);
  const last = expected.map.length - 1;
  for (let d = -3; d <= last + 3; d++) {
    assert.equal(actual.toSource(d), expected.map[Math.max(0, Math.min(d, last))], `${json} at ${d}`);
  }
}

test('decoded offsets map back to the source as a per-character map does', () => {
  const samples = [
    '""',
    '"plain"',
    '"\\n"',
    '"a\\"b\\\\c\\/d"',
    '"<p class=\\"x\\">Hi&nbsp;\\u00e9\\u2014 \\ud83d\\ude00</p>\\n"',
    '"\\u00zz and \\x and \\uD800"',
    '"\\t\\t<td>\\r\\n</td>\\b\\f"',
    '"ends with an escape\\n"',
    '"\\"starts with one"',
    '"\\u0041\\u0042"',
  ];
  for (const s of samples) {
    check(s);
    check(`{"Html": ${s}}`);
  }
  // Random bodies through JSON.stringify: quotes, backslashes, control characters, astral text.
  const alphabet = ['a', 'b', ' ', '"', '\\', '\n', '\t', '\u0001', 'é', '😀', '<', '>', '/', '\u2028'];
  for (const body of seededStrings(alphabet, 300, 40, 11)) check(JSON.stringify({ Html: body }));
});
