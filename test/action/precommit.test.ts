// .pre-commit-hooks.yaml: the hook passes exactly the files a folder walk of the CLI would lint by
// default (DEFAULT_FILES less DEFAULT_IGNORE), and its entry, given those names as pre-commit gives
// them, lints them.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
});
