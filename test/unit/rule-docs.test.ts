// Rule documentation links name the installed version: the diagnostic's codeDescription, the
// "Show documentation" command's URL and the SARIF helpUri all come from docsUrl, which points at
// the release tag v<version> of package.json's version.
// Run: node --import tsx --test test/unit/rule-docs.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { docsUrl } from '../../server/src/core/rule';
import { VERSION } from '../../server/src/core/version';
import { ruleDocumentation } from '../../server/src/lsp/codeActions';
import { RULES } from '../../server/src/rules';

const root = path.resolve(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

test('the version the links carry is package.json\'s (bump server/src/core/version.ts with it)', () => {
  assert.equal(VERSION, version);
});

test('every rule\'s documentation URL is its page at the release tag of this version', () => {
  for (const { meta } of RULES) {
    const url = docsUrl(meta.id);
    assert.equal(url, `https://github.com/deliverlint/deliverlint/blob/v${version}/docs/rules/${meta.id}.md`);
    assert.equal(ruleDocumentation(meta.id), url, 'the "Show documentation" command opens the same page');
  }
  assert.equal(ruleDocumentation('no-such-rule'), undefined);
});
