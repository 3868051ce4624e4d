// The CLI's `--format sarif` output is valid SARIF 2.1.0 by the OASIS schema, for the examples and
// for the rule fixtures (every rule, unreadable files, send configurations), in English and Japanese.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { sarifUri } from '../../server/src/cli/formatters';
import { SARIF_SCHEMA_FILE, sarifErrors } from './sarif';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function sarifOf(args: string[], locale = 'C') {
  const r = spawnSync(process.execPath, [CLI, '--format', 'sarif', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: locale, LC_ALL: '', LC_MESSAGES: '' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
}

before(() => {
  if (!existsSync(CLI)) {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  }
});

describe('SARIF output against the SARIF 2.1.0 schema', () => {
  test('the vendored schema is the OASIS 2.1.0 (errata 01) one', () => {
    const schema = JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    assert.equal(schema['id'], 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    assert.equal(schema['$schema'], 'http://json-schema.org/draft-04/schema#');
    assert.deepEqual((schema['properties'] as { version: { enum: string[] } }).version.enum, ['2.1.0']);
  });

  test('the validator rejects what the schema forbids (it is not a yes-machine)', () => {
    const valid = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'error' }] }] };
    assert.deepEqual(sarifErrors(valid), []);
    assert.notDeepEqual(sarifErrors({ ...valid, version: '2.0.0' }), []);
    assert.notDeepEqual(sarifErrors({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'error' }] }] }), []);
    assert.notDeepEqual(sarifErrors({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), []);
    const badRegion = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.html' }, region: { startLine: 0 } } }] }] }] };
    assert.notDeepEqual(sarifErrors(badRegion), []);
  });

  test('deliverlint examples --format sarif is valid, with results at every level it uses', () => {
    const log = sarifOf(['examples']);
    assert.deepEqual(sarifErrors(log), []);
    const levels = new Set(log.runs[0]!.results.map((r) => r.level));
    assert.ok(levels.has('error') && levels.has('warning'), [...levels].join());
  });

  test('in Japanese, and over the rule fixtures (every rule, unreadable and hostile files), still valid', () => {
    const ja = sarifOf(['examples'], 'ja_JP.UTF-8');
    assert.deepEqual(sarifErrors(ja), []);
    const fixtures = sarifOf(['test/fixtures/rules']);
    assert.deepEqual(sarifErrors(fixtures), []);
    const ruleIds = new Set(fixtures.runs[0]!.results.map((r) => r.ruleId));
    assert.ok(ruleIds.size >= 10, `only ${ruleIds.size} rules reported`);
    assert.ok(fixtures.runs[0]!.results.some((r) => r.level === 'note'), 'no note-level result');
  });

  test('every rule carries help for code scanning\'s alert page, with the link to its documentation', () => {
    const log = sarifOf(['examples']) as unknown as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri: string; help?: { text: string; markdown: string } }> } } }> };
    const rules = log.runs[0]!.tool.driver.rules;
    assert.ok(rules.length > 10);
    for (const r of rules) {
      assert.ok(r.help, `${r.id} has no help`);
      assert.ok(r.help.text.endsWith(r.helpUri), r.id);
      assert.ok(r.help.markdown.includes(`](${r.helpUri})`), r.id);
    }
  });

  test('file URIs: segments percent-encoded, a Windows drive kept as it is', () => {
    assert.equal(sarifUri('/home/me/mail templates/', true, '/'), 'file:///home/me/mail%20templates/');
    assert.equal(sarifUri('C:\\Users\\me\\emails\\', true, '\\'), 'file:///C:/Users/me/emails/');
    assert.equal(sarifUri('D:\\x\\a#1.html', true, '\\'), 'file:///D:/x/a%231.html');
    assert.equal(sarifUri('emails\\spring sale.html', false, '\\'), 'emails/spring%20sale.html');
    // Only the first segment of an absolute path can be a drive.
    assert.equal(sarifUri('/x/C:/y', true, '/'), 'file:///x/C%3A/y');
    const log = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, originalUriBaseIds: { SRC: { uri: sarifUri('C:\\a b\\', true, '\\') } }, results: [] }] };
    assert.deepEqual(sarifErrors(log), []);
  });
});
