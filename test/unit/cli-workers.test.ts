// The CLI lints large folders on worker threads (server/src/cliPool.ts). Whatever the number of
// threads, the output and the exit code must be exactly those of one thread: same files, same order,
// same findings, unreadable files and broken configuration handled the same way.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIX = join(ROOT, 'test', 'fixtures');

function cli(args: string[], workers: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', DELIVERLINT_CLI_WORKERS: workers },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every fixture file (templates, payloads, campaigns, messages), each copied into its own folder. */
function copyFixtures(into: string): number {
  let n = 0;
  const visit = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p, join(rel, e.name));
      else if (/\.(?:html|mjml|json|ya?ml|eml)$/.test(e.name) && !e.name.endsWith('.config.json') && !e.name.endsWith('.expected.json')) {
        mkdirSync(join(into, rel), { recursive: true });
        cpSync(p, join(into, rel, e.name));
        n++;
      }
    }
  };
  visit(FIX, '');
  return n;
}

describe('deliverlint CLI on worker threads', () => {
  let dir: string;

  before(() => {
    if (!existsSync(join(ROOT, 'dist', 'cliWorker.js'))) {
      const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
      assert.equal(b.status, 0, 'build failed');
    }
    dir = mkdtempSync(join(tmpdir(), 'deliverlint-workers-'));
    assert.ok(copyFixtures(dir) >= 40, 'enough files for the worker pool');
    writeFileSync(join(dir, 'binary.html'), Buffer.from([0x3c, 0x68, 0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'latin1.html'), Buffer.from('<p>caf\xe9</p>', 'latin1'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['json', 'stylish', 'sarif']) {
    test(`--format ${format}: two workers print exactly what one thread prints`, () => {
      const one = cli([dir, '--format', format], '0');
      const two = cli([dir, '--format', format], '2');
      assert.equal(two.code, one.code, two.stderr);
      assert.equal(two.stdout, one.stdout);
      assert.ok(one.stdout.length > 1000, 'there are findings to compare');
    });
  }

  test('a broken configuration file stops the run the same way', () => {
    const broken = mkdtempSync(join(tmpdir(), 'deliverlint-workers-rc-'));
    try {
      for (let i = 0; i < 20; i++) cpSync(join(FIX, 'rules', 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), join(broken, `t${i}.html`));
      writeFileSync(join(broken, '.deliverlintrc.json'), '{ "esp": ');
      const one = cli([broken], '0');
      const two = cli([broken], '2');
      assert.equal(one.code, 2);
      assert.equal(two.code, 2);
      assert.equal(two.stderr, one.stderr);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  test('broken configuration files in subfolders: the first in file order is named, whatever the walk order', () => {
    const root = mkdtempSync(join(tmpdir(), 'deliverlint-workers-rc-'));
    try {
      // Files are queued to the workers as the walk finds them; the walk meets b/ before a/ here.
      for (const sub of ['a', 'b', 'c']) {
        mkdirSync(join(root, sub));
        for (let i = 0; i < 20; i++) cpSync(join(FIX, 'rules', 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html'), join(root, sub, `t${i}.html`));
      }
      writeFileSync(join(root, 'b', '.deliverlintrc.json'), '{ "esp": ');
      writeFileSync(join(root, 'c', '.deliverlintrc.json'), '{ "rules": [] }');
      const one = cli([root], '0');
      const two = cli([root], '2');
      assert.equal(one.code, 2);
      assert.equal(two.code, 2);
      assert.match(one.stderr, /b[\\/]\.deliverlintrc\.json/);
      assert.equal(two.stderr, one.stderr);
      assert.equal(two.stdout, '');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a file named twice (folder, file and glob) is linted and reported once, in path order', () => {
    const file = join(dir, 'rules', 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html');
    assert.ok(existsSync(file));
    const args = [join(dir, 'rules'), file, `${dir}/rules/**/*.html`, '--format', 'json'];
    const one = cli(args, '0');
    const two = cli(args, '2');
    assert.equal(two.code, one.code, two.stderr);
    assert.equal(two.stdout, one.stdout);
    const paths = (JSON.parse(one.stdout) as Array<{ filePath: string }>).map((r) => r.filePath);
    assert.deepEqual(paths, [...new Set(paths)].sort(), 'each file once, sorted');
    assert.ok(paths.includes(file));
  });
});
