// A folder that cannot be listed leaves its files unlinted: that must never pass for a clean run.
// The walk reports it, the CLI gives it a file-unreadable finding (and so exit 1), and the server's
// scan tells the hook (lsp/diskFiles.ts logs it and warns once). Tests run as root here, and chmod
// does not stop root: the walk takes an injected lister, and the CLI runs as `nobody` through
// setpriv where that is possible.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { walkFiles } from '../../server/src/host/walk';
import { scanFolder } from '../../server/src/lsp/workspaceScan';
import { readableBundles } from '../tools/readableBundles';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const RESET = '<!DOCTYPE html><html><body><p>Use this link to reset your password: <a href="https://shop.example.com/reset?t=1">Reset password</a></p></body></html>\n';

let dir: string;
before(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'deliverlint-unreadable-')));
  fs.mkdirSync(path.join(dir, 'locked'));
  fs.mkdirSync(path.join(dir, 'open'));
  fs.writeFileSync(path.join(dir, 'locked', 'news.html'), RESET);
  fs.writeFileSync(path.join(dir, 'open', 'password_reset.html'), RESET);
});
after(() => {
  fs.chmodSync(path.join(dir, 'locked'), 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

const denied = (locked: string) => (d: string) => {
  if (d === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${d}'`), { code: 'EACCES' });
  return fs.readdirSync(d, { withFileTypes: true });
};

describe('unreadable folders', () => {
  test('the walk reports a folder it cannot list, and goes on with the rest', () => {
    const config = { ...defaultConfig(), root: dir };
    const steps = [...walkFiles(dir, { configFor: () => config, readDir: denied(path.join(dir, 'locked')) })];
    const unreadable = steps.flatMap((s) => ('unreadableFolder' in s ? [[s.unreadableFolder, s.detail]] : []));
    assert.deepEqual(unreadable, [[path.join(dir, 'locked'), `EACCES: permission denied, scandir '${path.join(dir, 'locked')}'`]]);
    assert.deepEqual(steps.flatMap((s) => ('file' in s ? [path.relative(dir, s.file)] : [])), [path.join('open', 'password_reset.html')]);
  });

  test('a folder gone since its parent was listed is no problem', () => {
    const config = { ...defaultConfig(), root: dir };
    const gone = (d: string) => {
      if (d === path.join(dir, 'locked')) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return fs.readdirSync(d, { withFileTypes: true });
    };
    assert.deepEqual([...walkFiles(dir, { configFor: () => config, readDir: gone })].filter((s) => 'unreadableFolder' in s), []);
  });

  test("the server's scan hands each unreadable folder to its hook", async () => {
    const config = { ...defaultConfig(), root: dir };
    const told: string[] = [];
    const visited: string[] = [];
    await scanFolder(dir, {
      configFor: () => config,
      isCancelled: () => false,
      visit: async (f) => void visited.push(path.relative(dir, f)),
      unreadableFolder: (d, detail) => void told.push(`${path.relative(dir, d)}: ${detail.slice(0, 6)}`),
      readDir: denied(path.join(dir, 'locked')),
    });
    assert.deepEqual(told, ['locked: EACCES']);
    assert.deepEqual(visited, [path.join('open', 'password_reset.html')]);
  });

  const asNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0 && fs.existsSync(CLI);
  test('the CLI run as a user who cannot read a folder reports it and exits 1', { skip: asNobody ? false : 'needs root, setpriv and dist/cli.js' }, () => {
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'open'), 0o755);
    fs.chmodSync(path.join(dir, 'open', 'password_reset.html'), 0o644);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    // The user must be able to read the bundle, wherever the checkout is.
    const bundles = readableBundles(['cli.js', 'cliWorker.js']);
    const CLI = path.join(bundles, 'cli.js');
    try {
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, dir, '--format', 'json'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', DELIVERLINT_CLI_WORKERS: '0' },
      });
      const report = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; messageId: string; severity: string; message: string }> }>;
      const locked = report.find((f) => f.filePath === path.join(dir, 'locked'));
      assert.ok(locked, r.stdout + r.stderr);
      assert.deepEqual(locked.messages.map((m) => [m.ruleId, m.messageId, m.severity]), [['file-unreadable', 'folder', 'error']]);
      assert.match(locked.messages[0]!.message, /This folder could not be read.*EACCES/);
      // The readable folder is linted as before, and the run is no silent success.
      assert.ok(report.some((f) => f.filePath.endsWith('password_reset.html')));
      assert.equal(r.status, 1, r.stderr);
      // A glob reports the folder only where it could have hidden a match.
      fs.writeFileSync(path.join(dir, 'top.html'), RESET);
      fs.chmodSync(path.join(dir, 'top.html'), 0o644);
      const glob = (pattern: string) => {
        const g = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, pattern, '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DELIVERLINT_CLI_WORKERS: '0' } });
        return (JSON.parse(g.stdout) as Array<{ filePath: string }>).map((f) => path.relative(dir, f.filePath)).sort();
      };
      assert.deepEqual(glob('**/*.html'), ['locked', path.join('open', 'password_reset.html'), 'top.html']);
      assert.deepEqual(glob('*.html'), ['top.html']);
      fs.rmSync(path.join(dir, 'top.html'));
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
      fs.rmSync(bundles, { recursive: true, force: true });
    }
  });
});
