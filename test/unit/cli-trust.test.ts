// The CLI says what is wrong with its configuration: an unknown rule id in --rule or in the rc file
// stops the run (exit 2) naming the closest known id; --rule sets a severity over the rc files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const NEWSLETTER = join(ROOT, 'test', 'fixtures', 'rules', 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html');

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI: rule ids', () => {
  let dir: string;
  before(() => {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'ignore' });
    assert.equal(b.status, 0, 'build failed');
    dir = mkdtempSync(join(tmpdir(), 'deliverlint-cli-trust-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--rule with an unknown id: exit 2, naming the closest id', () => {
    const r = cli([NEWSLETTER, '--rule', 'unsubscribe-link-mising=off']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown rule 'unsubscribe-link-mising'\. Did you mean 'unsubscribe-link-missing'\?/);
    assert.equal(r.stdout, '');
  });

  test('--rule in Japanese', () => {
    const r = cli([NEWSLETTER, '--rule', 'unsubscribe-link-mising=off', '--locale', 'ja']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /「unsubscribe-link-missing」のことですか/);
  });

  test('--rule sets the severity over the configuration; a bad severity is a usage error', () => {
    const r = cli([NEWSLETTER, '--format', 'json', '--rule', 'unsubscribe-link-missing=warning']);
    const messages = (JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string; severity: string }> }>)[0]!.messages;
    assert.ok(messages.some((m) => m.ruleId === 'unsubscribe-link-missing'));
    assert.ok(messages.filter((m) => m.ruleId === 'unsubscribe-link-missing').every((m) => m.severity === 'warning'));
    const off = cli([NEWSLETTER, '--format', 'json', '--rule', 'unsubscribe-link-missing:off']);
    assert.ok(!off.stdout.includes('"unsubscribe-link-missing"'));
    const bad = cli([NEWSLETTER, '--rule', 'unsubscribe-link-missing=loud']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /must be one of off, hint, info, warning, error/);
  });

  test('an unknown id in the rc file: exit 2, at its line and column, naming the closest id', () => {
    writeFileSync(join(dir, '.deliverlintrc.json'), '{\n  "rules": {\n    "postal-adress-missing": "off"\n  }\n}\n');
    writeFileSync(join(dir, 'newsletter.html'), '<html><body><p>Hello</p></body></html>\n');
    const r = cli(['newsletter.html'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.deliverlintrc\.json:3:5: Unknown rule 'postal-adress-missing'\. Did you mean 'postal-address-missing'\?/);
  });
});
