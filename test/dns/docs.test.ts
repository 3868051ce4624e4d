// Every finding id the domain check can emit is documented in docs/domain-check.md (with how to fix
// it), every documented id exists, and every id is produced by at least one test scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const srcDir = path.join(root, 'server', 'src', 'dns');
const emitted = new Set(readdirSync(srcDir).flatMap((f) => [...readFileSync(path.join(srcDir, f), 'utf8').matchAll(/\bid: '([a-z0-9-]+)'/g)].map((m) => m[1]!)));
const doc = readFileSync(path.join(root, 'docs', 'domain-check.md'), 'utf8');
const documented = new Set([...doc.matchAll(/^#### `([a-z0-9-]+)`$/gm)].map((m) => m[1]!));

const FIXED = ['spf-missing', 'spf-multiple-records', 'spf-lookup-limit', 'spf-void-lookup-limit', 'spf-all-permissive', 'dmarc-missing', 'dmarc-policy-none', 'dmarc-invalid', 'dkim-key-missing', 'dkim-key-weak', 'mx-missing'];

test('the finding ids fixed by the issue are all emitted', () => {
  for (const id of FIXED) assert.ok(emitted.has(id), id);
});

test('docs/domain-check.md documents exactly the ids the check emits', () => {
  assert.deepEqual([...emitted].filter((id) => !documented.has(id)), [], 'emitted but not documented');
  assert.deepEqual([...documented].filter((id) => !emitted.has(id)), [], 'documented but never emitted');
});

test('every finding id is asserted by some test', () => {
  const tests = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts') && f !== 'docs.test.ts').map((f) => readFileSync(path.join(__dirname, f), 'utf8')).join('\n');
  assert.deepEqual([...emitted].filter((id) => !tests.includes(`'${id}'`) && !tests.includes(`${id}`)), []);
});
