// .pre-commit-hooks.yaml: the hook passes exactly the files a folder walk of the CLI would lint by
// default (DEFAULT_FILES less DEFAULT_IGNORE), and its entry, given those names as pre-commit gives
// them, lints them. pre-commit installs the hook by `npm install` in a clone, `npm pack` and a global
// install of the tarball: the tarball must hold the CLI (.npmignore), and dist/ must get built in a
// bare clone (scripts/postinstall.mjs). A real pre-commit run needs the registry and minutes, so it
// is not run here; README's CI section says how it was tried.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_FILES, DEFAULT_IGNORE, matchingGlobRelative } from '../../server/src/core/config';

const ROOT = resolve(__dirname, '..', '..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
  pass_filenames?: boolean;
  types?: string[];
}
const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'deliverlint')!;

/** What pre-commit does with `files` and `exclude`: Python's re.search on the repo-relative path. */
const hookTakes = (rel: string) => new RegExp(hook.files).test(rel) && !(hook.exclude && new RegExp(hook.exclude).test(rel));
const walkTakes = (rel: string) => !!matchingGlobRelative(rel, DEFAULT_FILES) && !matchingGlobRelative(rel, DEFAULT_IGNORE);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

before(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  }
});

describe('.pre-commit-hooks.yaml', () => {
  test('one node hook, "deliverlint", whose entry is the package\'s CLI and which is given the file names', () => {
    assert.ok(hook, 'no deliverlint hook');
    assert.equal(hook.language, 'node');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.ok(hook.entry in pkg.bin, `entry "${hook.entry}" is not a bin of the package`);
    assert.notEqual(hook.pass_filenames, false);
  });

  test('files/exclude pick what the CLI lints in a folder walk, and nothing else', () => {
    const samples = [
      ...listFiles(join(ROOT, 'examples')),
      ...listFiles(join(ROOT, 'test', 'fixtures')),
    ].map((f) => relative(ROOT, f).split(sep).join('/'));
    samples.push(
      'app/views/user_mailer/welcome.html.erb',
      'app/views/user_mailer/welcome.text.erb',
      'app/views/users/show.html.erb',
      'app/views/layouts/mailer.html.erb',
      'resources/views/emails/order.blade.php',
      'resources/views/home.blade.php',
      'templates/Mail/reset.twig',
      'templates/email/digest.html.j2',
      'deploy/nginx.conf.j2',
      'lib/mail/templates/welcome.gohtml',
      'web/index.tmpl',
      'emails/welcome.mustache',
      'page.HTML',
      'src/page.htm',
      'send/launch.campaign.yml',
      'send/launch.campaign.json',
      'config.yaml',
      'notes.md',
      'dist/email.html',
      'packages/a/node_modules/lib/email.html',
      'node_modules_backup/email.html',
      '.github/emails/welcome.html',
    );
    const disagreements = samples.filter((rel) => hookTakes(rel) !== walkTakes(rel)).map((rel) => `${rel}: hook ${hookTakes(rel)}, walk ${walkTakes(rel)}`);
    assert.deepEqual(disagreements, []);
    // Both kinds occur, so the comparison says something.
    assert.ok(samples.filter(hookTakes).length > 20 && samples.filter((s) => !hookTakes(s)).length > 5);
  });

  test('the entry, given the staged names as pre-commit passes them, lints them (exit 1 on the examples\' errors)', () => {
    const staged = listFiles(join(ROOT, 'examples')).map((f) => relative(ROOT, f).split(sep).join('/')).filter(hookTakes);
    assert.ok(staged.includes('examples/send/ses-welcome.json') && !staged.includes('examples/README.md'));
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...staged], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }, timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /examples\/marketing\/spring-sale\.html\n.*unsubscribe-link-missing/);
  });

  test('npm pack of the repository holds the CLI bundles and the postinstall script, and no sources', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const f of ['package.json', 'dist/cli.js', 'dist/cliWorker.js', 'scripts/postinstall.mjs']) assert.ok(files.includes(f), `${f} not packed`);
    const stray = files.filter((f) => /^(server|client|test|bench|examples|docs|node_modules)\//.test(f) || f.endsWith('.map') || f === 'scripts/action.mjs');
    assert.deepEqual(stray, []);
  });

  test('postinstall builds only in a checkout with esbuild.mjs, esbuild installed, and no dist/cli.js', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-postinstall-'));
    try {
      const run = () => spawnSync(process.execPath, [join(dir, 'scripts', 'postinstall.mjs')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(ROOT, 'scripts', 'postinstall.mjs'), join(dir, 'scripts', 'postinstall.mjs'));
      // An installed tarball: no esbuild.mjs, nothing happens.
      assert.equal(run().status, 0);
      assert.equal(existsSync(join(dir, 'dist')), false);
      // A checkout without esbuild installed (npm install --omit=dev): nothing happens.
      writeFileSync(join(dir, 'esbuild.mjs'), "import * as fs from 'node:fs';\nfs.mkdirSync('dist', { recursive: true });\nfs.writeFileSync('dist/cli.js', process.argv.slice(2).join(' '));\n");
      assert.equal(run().status, 0);
      assert.equal(existsSync(join(dir, 'dist')), false);
      // A bare checkout with its dependencies: esbuild.mjs runs, for production.
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      const built = run();
      assert.equal(built.status, 0, built.stderr);
      assert.equal(readFileSync(join(dir, 'dist', 'cli.js'), 'utf8'), '--production');
      // Built already: not again.
      writeFileSync(join(dir, 'dist', 'cli.js'), 'kept');
      assert.equal(run().status, 0);
      assert.equal(readFileSync(join(dir, 'dist', 'cli.js'), 'utf8'), 'kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
