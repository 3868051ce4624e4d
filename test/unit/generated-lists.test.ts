// The rule settings, the rc schema's rules, and the rule lists in the READMEs are computed from the
// rule registry by test/tools/rule-lists.ts. A rule added, renamed or re-described without
// regenerating them fails here, naming the file and the command that fixes it.
// Run: node --import tsx --test test/unit/generated-lists.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND, currentContent, generatedFiles } from '../tools/rule-lists';

/** Where two texts first part ways, as "line N: expected … / found …". */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    if (want[i] !== have[i]) return `line ${i + 1}:\n  expected: ${want[i] ?? '(end of file)'}\n  found:    ${have[i] ?? '(end of file)'}`;
  }
  return 'no line differs';
}

const files = generatedFiles();

test('the generator covers the settings, their translations, the rc schema and both READMEs', () => {
  assert.deepEqual(
    files.map((f) => f.file),
    ['package.json', 'package.nls.json', 'package.nls.ja.json', 'schemas/deliverlintrc.schema.json', 'docs/rules/README.md', 'README.md'],
  );
});

for (const { file, expected } of files) {
  test(`${file} matches the rule registry`, () => {
    const actual = currentContent(file);
    if (actual === expected) return;
    assert.fail(`${file} is out of date with the rule registry; run: ${COMMAND}\n${firstDifference(expected, actual)}`);
  });
}
