// Every placeholder a fix writes is reported until a person replaces it: each fix offered on the
// rule fixtures is applied alone, the result linted again, and every placeholder the fix wrote must
// carry a `placeholder` finding on it. And each value of the shared list is written by some fix
// there, so none of them goes untested.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig, mergeConfig, parseConfigText } from '../../server/src/core/config';
import { PLACEHOLDERS, placeholdersIn } from '../../server/src/core/placeholders';
import { applyEdits } from '../../server/src/core/text';
import type { ResolvedConfig } from '../../server/src/core/types';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const FIXTURE = /\.(html|mjml|json|eml|yaml)$/;

function configFor(file: string): ResolvedConfig {
  const side = file.replace(/(\.campaign)?\.[a-z]+$/, '.config.json');
  const base = { ...defaultConfig(), root: FIXTURES };
  return existsSync(side) ? { ...mergeConfig(base, parseConfigText(readFileSync(side, 'utf8')).layer), root: FIXTURES } : base;
}

function invalidFixtures(): string[] {
  return readdirSync(FIXTURES).flatMap((rule) => {
    const dir = join(FIXTURES, rule, 'invalid');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => FIXTURE.test(f) && !/\.(?:fixed|expected|config)\./.test(f))
      .map((f) => join(dir, f));
  });
}

test('each placeholder a fix writes is reported where it lands, until replaced', () => {
  const written = new Set<string>();
  let checked = 0;
  for (const file of invalidFixtures()) {
    const text = readFileSync(file, 'utf8');
    const config = configFor(file);
    const lint = (t: string) => linter.lint({ text: t, filePath: file, config, reader: nodeReader });
    for (const finding of lint(text).findings) {
      for (const fix of finding.fixes) {
        const values = fix.edits.flatMap((e) => placeholdersIn(e.text).map((p) => p.value));
        if (!values.length) continue;
        values.forEach((v) => written.add(v));
        assert.equal(fix.safe, false, `${file}: "${fix.title}" writes a placeholder but is marked safe`);
        const fixed = applyEdits(text, fix.edits).text;
        const again = lint(fixed).findings.filter((f) => f.messageId === 'placeholder');
        // Every placeholder in the fixed text that the original did not have is inside a finding.
        const before = placeholdersIn(text).length;
        const after = placeholdersIn(fixed);
        assert.ok(after.length > before, `${file}: "${fix.title}" wrote no placeholder into the text`);
        for (const p of after) {
          if (placeholdersIn(text).some((q) => q.value === p.value)) continue;
          assert.ok(
            again.some((f) => f.start <= p.start && p.end <= f.end) ||
              // The consent record's finding sits on its first placeholder and names every field that holds one.
              (p.value === PLACEHOLDERS.value && again.some((f) => f.ruleId === 'consent-metadata-missing')),
            `${file}: after "${fix.title}", ${p.value} at ${p.start} is not reported; placeholder findings: ${again.map((f) => `${f.ruleId}@${f.start}-${f.end}`).join(', ') || 'none'}`,
          );
        }
        checked++;
      }
    }
  }
  assert.ok(checked > 0);
  assert.deepEqual([...written].sort(), Object.values(PLACEHOLDERS).sort(), 'every placeholder of the shared list is written by a fix on some fixture');
});
