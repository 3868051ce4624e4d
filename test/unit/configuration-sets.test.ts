// configuration-set-unknown across the files of a CLI run: the configuration sets the run's
// infrastructure files define are collected before the payloads are linted, on one thread and on
// worker threads alike (the bundled CLI, dist/cli.js), and the rule is silent where it cannot know.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { indexSets, setsOfFile } from '../../server/src/core/infra/sets';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const RULE_FIX = join(ROOT, 'test', 'fixtures', 'rules', 'configuration-set-unknown');
const TEMPLATE = readFileSync(join(ROOT, 'test', 'fixtures', 'rules', '_templates', 'winter-sale.html'), 'utf8');
const IAC = readFileSync(join(RULE_FIX, 'valid', 'sending.yaml'), 'utf8');
const PAYLOAD = readFileSync(join(RULE_FIX, 'valid', 'ses-send-email.json'), 'utf8');

const TF = `resource "aws_sesv2_configuration_set" "newsletter" {
  configuration_set_name = "tf-newsletter"
}

resource "aws_sesv2_configuration_set" "computed" {
  configuration_set_name = "\${var.prefix}-events"
}
`;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A workspace: `files` by relative name, plus `templates` HTML files so that a pool of workers starts. */
function workspace(files: Record<string, string>, templates = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'dl-sets-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  for (let i = 0; i < templates; i++) {
    mkdirSync(join(dir, 'emails'), { recursive: true });
    writeFileSync(join(dir, 'emails', `t${i}.html`), TEMPLATE);
  }
  return dir;
}

function run(dir: string, workers: string): Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; message: string }> }> {
  const r = spawnSync(process.execPath, [CLI, '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', DELIVERLINT_CLI_WORKERS: workers }, timeout: 60_000 });
  assert.ok(r.stdout, r.stderr);
  return JSON.parse(r.stdout);
}

function setFindings(dir: string, workers: string): string[] {
  return run(dir, workers).flatMap((f) => f.messages.filter((m) => m.ruleId === 'configuration-set-unknown').map((m) => `${f.filePath.slice(dir.length + 1)}:${m.line} ${m.message}`));
}

const misnamed = PAYLOAD.replace('"marketing-events"', '"marketing-event"');

describe('configuration-set-unknown in the CLI', () => {
  test('a payload naming a set the infrastructure does not define is reported, on one thread and on workers alike', () => {
    // The infrastructure sorts after the payload and sits in another folder: the sets are known before any payload is linted.
    const dir = workspace({ 'a-sends/newsletter.json': misnamed, 'a-sends/good.json': PAYLOAD, 'z-infra/ses.yaml': IAC }, 40);
    const one = setFindings(dir, '0');
    assert.equal(one.length, 1, one.join('\n'));
    assert.match(one[0]!, /^a-sends\/newsletter\.json:\d+ The configuration set marketing-event is not defined .*did you mean marketing-events\?/);
    assert.deepEqual(setFindings(dir, '2'), one);
  });

  test('silent when the workspace has no infrastructure that defines a set', () => {
    const dir = workspace({ 'sends/newsletter.json': misnamed }, 20);
    assert.deepEqual(setFindings(dir, '0'), []);
    assert.deepEqual(setFindings(dir, '2'), []);
  });

  test('silent when a set of the infrastructure has a computed name, or when the payload computes its own', () => {
    assert.deepEqual(setFindings(workspace({ 'sends/newsletter.json': misnamed, 'infra/main.tf': TF }), '0'), []);
    const computed = PAYLOAD.replace('"marketing-events"', '"{{ configuration_set }}"');
    assert.deepEqual(setFindings(workspace({ 'sends/newsletter.json': computed, 'infra/ses.yaml': IAC }), '0'), []);
  });

  test('Terraform sets count: a literal name is known', () => {
    const tf = TF.replace(/resource "aws_sesv2_configuration_set" "computed"[^]*$/, '');
    const named = PAYLOAD.replace('"marketing-events"', '"tf-newsletter"');
    const dir = workspace({ 'sends/ok.json': named, 'sends/bad.json': misnamed, 'infra/main.tf': tf });
    assert.deepEqual(setFindings(dir, '0').map((f) => f.split(':')[0]), ['sends/bad.json']);
  });
});

describe('the set index', () => {
  test('reads CloudFormation and Terraform, and marks computed or generated names unknown', () => {
    assert.deepEqual(setsOfFile('/w/ses.yaml', IAC), { names: ['marketing-events'], unknown: false });
    assert.deepEqual(setsOfFile('/w/main.tf', TF), { names: ['tf-newsletter'], unknown: true });
    const generated = IAC.replace('      Name: marketing-events\n', '');
    assert.deepEqual(setsOfFile('/w/ses.yaml', generated), { names: [], unknown: true });
    assert.equal(setsOfFile('/w/workflow.yaml', 'on: push\njobs: {}\n'), undefined);
    assert.deepEqual(setsOfFile('/w/v1.tf', 'resource "aws_ses_configuration_set" "old" {\n  name = "legacy-events"\n}\n'), { names: ['legacy-events'], unknown: false });
    assert.deepEqual(setsOfFile('/w/v1.tf', 'resource "aws_ses_configuration_set" "old" {\n  name = var.set\n}\n'), { names: [], unknown: true });
    assert.deepEqual(indexSets([{ names: ['b', 'a'], unknown: false }, { names: ['a'], unknown: false }]), { names: ['a', 'b'], unknown: false, files: 2 });
  });
});
