// The bundled CLI (dist/cli.js) run as a user runs it: formats, exit codes, --fix, config, locale.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIX = join(ROOT, 'test', 'fixtures', 'rules');

function cli(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  filePath: string;
  messages: Array<{ ruleId: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }>;
}

before(() => {
  if (!existsSync(CLI)) {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  }
});

describe('deliverlint CLI', () => {
  test('--format json: ESLint-shaped, 1-based positions, exit 1 on errors', () => {
    const file = join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html');
    const r = cli([file, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonReport[];
    assert.equal(out.length, 1);
    assert.equal(out[0]!.filePath, file);
    const m = out[0]!.messages.find((x) => x.ruleId === 'unsubscribe-link-missing')!;
    assert.equal(m.severity, 'error');
    // <body ...> is on line 14, column 1; the finding covers the start tag only.
    assert.deepEqual([m.line, m.column, m.endLine], [14, 1, 14]);
    assert.equal(m.endColumn, '<body style="margin:0;padding:0;background-color:#f4f1ec;">'.length + 1);
  });

  test('clean files exit 0 and print nothing in stylish', () => {
    const r = cli([join(FIX, 'unsubscribe-link-missing', 'valid', 'mailchimp-newsletter.html')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '');
  });

  test('warnings alone exit 0; --exit-zero hides errors from the exit code only', () => {
    const warn = cli([join(FIX, 'postal-address-missing', 'invalid', 'copyright-only.html'), '--format', 'json']);
    assert.equal(warn.code, 0);
    assert.equal((JSON.parse(warn.stdout) as JsonReport[])[0]!.messages[0]!.severity, 'warning');
    const zero = cli([join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), '--exit-zero']);
    assert.equal(zero.code, 0);
    assert.match(zero.stdout, /unsubscribe-link-missing/);
  });

  test('--format sarif is SARIF 2.1.0 with rules, levels and regions', () => {
    const r = cli([join(FIX, 'unsubscribe-link-unusable', 'invalid', 'hidden.html'), '--format', 'sarif']);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'Deliverlint');
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ruleIds.includes('unsubscribe-link-unusable'));
    // The four hidden links; the quality rules (client-unsupported: max-height in Outlook) add their own.
    assert.equal(run.results.filter((x: { ruleId: string }) => x.ruleId === 'unsubscribe-link-unusable').length, 4);
    for (const res of run.results) {
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(!loc.artifactLocation.uri.startsWith('/'), 'relative artifact uri');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
  });

  test('folders are walked for template globs; named files of any name are linted by content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-cli-'));
    cpSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), join(dir, 'a.html'));
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    cpSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), join(dir, 'node_modules', 'pkg', 'b.html'));
    writeFileSync(join(dir, 'notes.txt'), 'not a template');
    cpSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'promo.mjml'), join(dir, 'promo.template'));
    const walked = JSON.parse(cli([dir, '--format', 'json']).stdout) as JsonReport[];
    assert.deepEqual(walked.map((f) => f.filePath), [join(dir, 'a.html')]);
    const named = JSON.parse(cli([join(dir, 'promo.template'), '--format', 'json']).stdout) as JsonReport[];
    assert.ok(named[0]!.messages.some((m) => m.ruleId === 'unsubscribe-link-missing'));
    const globbed = JSON.parse(cli([`${dir}/**/*.html`, '--format', 'json']).stdout) as JsonReport[];
    assert.deepEqual(globbed.map((f) => f.filePath), [join(dir, 'a.html')]);
  });

  test('--fix writes safe fixes and the file then lints clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-fix-'));
    const file = join(dir, 'newsletter.html');
    cpSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), file);
    writeFileSync(join(dir, '.deliverlintrc.json'), '{ "esp": "ses" }');
    const r = cli([file, '--fix']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.fixed.html'), 'utf8'));
    assert.equal(cli([file]).code, 0);
  });

  test('an unsafe fix (no ESP, no URL configured) is not applied by --fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-nofix-'));
    const file = join(dir, 'newsletter.html');
    cpSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), file);
    const before = readFileSync(file, 'utf8');
    assert.equal(cli([file, '--fix']).code, 1);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  test('config: --config file, nearest rc file, and exit 2 for a broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-cfg-'));
    const file = join(dir, 'newsletter.html');
    cpSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), file);
    writeFileSync(join(dir, 'off.json'), '{ "rules": { "unsubscribe-link-missing": "off" } }');
    assert.equal(cli([file, '--config', join(dir, 'off.json')]).code, 0);
    writeFileSync(join(dir, '.deliverlintrc.json'), '{ "rules": { "unsubscribe-link-missing": "warning" } }');
    const warned = JSON.parse(cli([file, '--format', 'json']).stdout) as JsonReport[];
    assert.equal(warned[0]!.messages[0]!.severity, 'warning');
    writeFileSync(join(dir, '.deliverlintrc.json'), '{ "rules": { "unsubscribe-link-missing": "warning" ');
    const broken = cli([file]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /\.deliverlintrc\.json:1:\d+: Invalid JSON/);
    assert.equal(cli([file, '--config', join(dir, 'missing.json')]).code, 2);
  });

  test('ignore globs: a folder-only glob (build/) and a folder glob (legacy/**) skip their folders when walking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-ignore-'));
    const template = join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html');
    for (const sub of ['build', 'legacy', 'emails', join('emails', 'build')]) {
      mkdirSync(join(dir, sub), { recursive: true });
      cpSync(template, join(dir, sub, 'newsletter.html'));
    }
    writeFileSync(join(dir, '.deliverlintrc.json'), '{ "ignore": ["build/", "legacy/**"] }');
    const out = JSON.parse(cli([dir, '--format', 'json']).stdout) as JsonReport[];
    const rel = (p: string) => p.slice(dir.length + 1).split(/[\\/]/).join('/');
    assert.deepEqual(out.map((r) => rel(r.filePath)), ['emails/build/newsletter.html', 'emails/newsletter.html']);
  });

  test('bad usage exits 2 with a message, not a stack trace', () => {
    for (const args of [['--format', 'xml'], ['--bogus'], ['does-not-exist.html'], ['--locale', 'klingon']]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^deliverlint: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  test('--locale ja (and LANG=ja_JP.UTF-8) gives Japanese messages', () => {
    const file = join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html');
    const en = (JSON.parse(cli([file, '--format', 'json']).stdout) as JsonReport[])[0]!.messages[0]!.message;
    const ja = (JSON.parse(cli([file, '--format', 'json', '--locale', 'ja']).stdout) as JsonReport[])[0]!.messages[0]!.message;
    const env = (JSON.parse(cli([file, '--format', 'json'], ROOT, { LANG: 'ja_JP.UTF-8' }).stdout) as JsonReport[])[0]!.messages[0]!.message;
    assert.notEqual(ja, en);
    assert.match(ja, /[\u3040-\u30ff\u4e00-\u9fff]/);
    assert.equal(env, ja);
  });

  test('unreadable files get one finding and the rest of the run goes on', () => {
    const r = cli([join(FIX, 'file-unreadable', 'invalid'), join(FIX, 'unsubscribe-link-missing', 'valid', 'mailchimp-newsletter.html'), '--format', 'json']);
    const out = JSON.parse(r.stdout) as JsonReport[];
    assert.equal(out.length, 3);
    const byName = Object.fromEntries(out.map((f) => [f.filePath.split('/').pop(), f.messages.map((m) => m.ruleId)]));
    assert.deepEqual(byName['screenshot.html'], ['file-unreadable']);
    assert.deepEqual(byName['latin1.html'], ['file-unreadable']);
    assert.deepEqual(byName['mailchimp-newsletter.html'], []);
  });

  test('send configurations: payloads by content, .eml and campaigns by name; other JSON is skipped when walking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-send-'));
    cpSync(join(FIX, 'list-unsubscribe-missing', 'invalid', 'ses-no-headers.json'), join(dir, 'welcome-send.json'));
    cpSync(join(FIX, 'dkim-unsubscribe-unsigned', 'invalid', 'ses-unsigned-post.eml'), join(dir, 'sample.eml'));
    writeFileSync(join(dir, 'package.json'), '{ "name": "emails", "version": "1.0.0" }');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
    const out = JSON.parse(cli([dir, '--format', 'json']).stdout) as JsonReport[];
    const byName = Object.fromEntries(out.map((f) => [f.filePath.split('/').pop(), f.messages.map((m) => m.ruleId).sort()]));
    assert.deepEqual(Object.keys(byName).sort(), ['sample.eml', 'welcome-send.json']);
    assert.ok(byName['welcome-send.json']!.includes('list-unsubscribe-missing'));
    assert.ok(byName['sample.eml']!.includes('dkim-unsubscribe-unsigned'));
    // Named on the command line, a JSON file that is no payload is linted (and has nothing to say).
    const named = JSON.parse(cli([join(dir, 'package.json'), '--format', 'json']).stdout) as JsonReport[];
    assert.deepEqual(named.map((f) => f.messages.length), [0]);
  });

  test('--fix on an SES payload writes JSON that parses and lints clean of the fixed rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-sesfix-'));
    const file = join(dir, 'send.json');
    cpSync(join(FIX, 'list-unsubscribe-missing', 'invalid', 'ses-no-headers.json'), file);
    writeFileSync(join(dir, '.deliverlintrc.json'), '{ "sender": { "unsubscribeUrl": "https://shop.harbor.example.com/unsubscribe/one-click" } }');
    cli([file, '--fix']);
    const fixed = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(fixed.Content.Simple.Headers.map((h: { Name: string }) => h.Name), ['List-Unsubscribe', 'List-Unsubscribe-Post']);
    const again = JSON.parse(cli([file, '--format', 'json']).stdout) as JsonReport[];
    assert.ok(!again[0]!.messages.some((m) => m.ruleId.startsWith('list-unsubscribe')));
  });
});
