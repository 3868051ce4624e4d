// A hostile file cannot drive the terminal or a CI log through Deliverlint's text output: escape
// sequences, bidirectional overrides and line breaks in what files say (YAML keys, link targets,
// file names, rc keys) are shown as \u escapes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { escapeControl } from '../../server/src/cli/escape';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

describe('control characters in text output', () => {
  test('escapeControl shows escapes, bidi overrides and line breaks, and keeps text and tabs', () => {
    assert.equal(escapeControl('a\u001b]0;x\u0007b'), 'a\\u001b]0;x\\u0007b');
    assert.equal(escapeControl('x\n::error::y\r'), 'x\\u000a::error::y\\u000d');
    assert.equal(escapeControl('\u202eevil'), '\\u202eevil');
    assert.equal(escapeControl('配信停止\tok'), '配信停止\tok');
  });

  test('a campaign key with a terminal escape and a forged CI command line comes out inert', { skip: !existsSync(CLI) }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-escape-'));
    try {
      writeFileSync(path.join(dir, 'spring.campaign.yaml'), 'category: transactional\n"evil\\e]0;owned\\a\\n::error file=x::forged": 1\nfrom: news@shop.example.com\n');
      const r = spawnSync(process.execPath, [CLI, dir, '--exit-zero'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.includes('send-config-invalid'), r.stdout);
      assert.ok(!r.stdout.includes('\u001b') && !r.stdout.includes('\u0007'), 'no raw escape or bell');
      assert.ok(r.stdout.includes('\\u001b]0;owned\\u0007'), r.stdout);
      assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('::error')), 'no line a CI system would run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
