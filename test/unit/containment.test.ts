// Includes stay inside the workspace: a campaign's template, an mj-include, a partial or a layout
// named by an absolute path, by `../` out of the folder linted, or through a symbolic link that
// leads out, is not read. The file gets a finding that names the include and says why, never a
// false "no unsubscribe link"; `includeRoots` in the rc file lets a team read a shared folder.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultConfig, validateLayer } from '../../server/src/core/config';
import { cachingReader, confinedReader, nodeReader } from '../../server/src/host/files';
import { ReadRoots, repositoryRoot } from '../../server/src/host/roots';
import { linter } from '../../server/src/linter';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface JsonReport {
  filePath: string;
  messages: Array<{ ruleId: string; messageId?: string; severity: string; message: string }>;
}

function cli(args: string[], cwd: string, workers = '0'): { code: number | null; report: JsonReport[]; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--format', 'json'], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', DELIVERLINT_CLI_WORKERS: workers } });
  return { code: r.status, report: r.stdout ? (JSON.parse(r.stdout) as JsonReport[]) : [], stderr: r.stderr };
}

const FOOTER_MJML = '<mj-section><mj-column><mj-text><a href="https://shop.example.com/unsubscribe">Unsubscribe</a> Shop Inc., 1 Main St, Springfield</mj-text></mj-column></mj-section>\n';
const FOOTER_HBS = '<p><a href="https://shop.example.com/unsubscribe">Unsubscribe</a> Shop Inc., 1 Main St, Springfield</p>\n';
const mjml = (include: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>Spring sale: 20% off</mj-text></mj-column></mj-section><mj-include path="${include}" /></mj-body></mjml>\n`;
const hbs = (partial: string) => `<!DOCTYPE html><html><body><table role="presentation"><tr><td>Spring sale: 20% off</td></tr></table>{{> ${partial}}}</body></html>\n`;

/**
 * A temporary tree: `outside/` holds the shared footers (with the unsubscribe link), `repo/` is a
 * repository (it has .git) whose emails reach out of it in every way an include can.
 */
let base: string;
let repo: string;
let outside: string;
before(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'deliverlint-contain-')));
  outside = path.join(base, 'outside');
  repo = path.join(base, 'repo');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'footer.mjml'), FOOTER_MJML);
  writeFileSync(path.join(outside, 'footer.hbs'), FOOTER_HBS);
  writeFileSync(path.join(outside, 'template.html'), `<!DOCTYPE html><html><body><p>Hi</p>${FOOTER_HBS}</body></html>\n`);
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'emails', 'partials'), { recursive: true });
  writeFileSync(path.join(repo, 'emails', 'relative.mjml'), mjml('../../outside/footer.mjml'));
  writeFileSync(path.join(repo, 'emails', 'absolute.mjml'), mjml(path.join(outside, 'footer.mjml')));
  writeFileSync(path.join(repo, 'emails', 'inside.mjml'), mjml('./partials/footer.mjml'));
  writeFileSync(path.join(repo, 'emails', 'partials', 'footer.mjml'), FOOTER_MJML);
  // A link inside the repository that leads out of it.
  symlinkSync(path.join(outside, 'footer.hbs'), path.join(repo, 'emails', 'partials', 'linked.hbs'));
  writeFileSync(path.join(repo, 'emails', 'via-link.hbs'), hbs('linked'));
  writeFileSync(path.join(repo, 'emails', 'dotdot.hbs'), hbs('../../outside/footer'));
  writeFileSync(path.join(repo, 'spring.campaign.yaml'), 'category: marketing\nfrom: news@shop.example.com\ntemplate: ../outside/template.html\n');
});
after(() => rmSync(base, { recursive: true, force: true }));

function byFile(report: JsonReport[]): Map<string, JsonReport['messages']> {
  return new Map(report.map((r) => [path.relative(repo, r.filePath), r.messages]));
}

describe('includes outside the workspace (CLI)', { skip: !existsSync(CLI) ? 'needs dist/cli.js' : false }, () => {
  test('mj-include by ../ and by absolute path, a partial by ../ and through a link: refused, named, never "missing"', () => {
    const r = cli(['.'], repo);
    const files = byFile(r.report);
    for (const name of ['emails/relative.mjml', 'emails/absolute.mjml', 'emails/via-link.hbs', 'emails/dotdot.hbs']) {
      const messages = files.get(name) ?? [];
      const unsub = messages.filter((m) => m.ruleId === 'unsubscribe-link-missing');
      assert.equal(unsub.length, 1, `${name}: ${JSON.stringify(messages)}`);
      assert.equal(unsub[0]!.messageId, 'outside', name);
      assert.equal(unsub[0]!.severity, 'info', name);
      assert.match(unsub[0]!.message, /^Did not read partial \S*(footer|linked)\S*: it is outside the workspace/, name);
    }
    // The include inside the repository is read: its footer's link counts.
    assert.deepEqual((files.get('emails/inside.mjml') ?? []).filter((m) => m.ruleId === 'unsubscribe-link-missing'), []);
    // Worker threads get the same roots with each file.
    assert.deepEqual(cli(['.'], repo, '2').report, r.report);
  });

  test('--explain lists a refused include with its reason', () => {
    const r = spawnSync(process.execPath, [CLI, '--explain', 'emails/relative.mjml', '--format', 'json'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    const [explained] = JSON.parse(r.stdout) as Array<{ unresolved: Array<{ name: string; reason: string }> }>;
    assert.deepEqual(explained!.unresolved, [{ kind: 'partial', name: '../../outside/footer.mjml', reason: 'outside', from: path.join(repo, 'emails', 'relative.mjml') }]);
  });

  test("a campaign's template outside the repository is not read, and the finding says why", () => {
    const r = cli(['spring.campaign.yaml'], repo);
    const messages = byFile(r.report).get('spring.campaign.yaml') ?? [];
    const found = messages.find((m) => m.ruleId === 'campaign-template-invalid');
    assert.equal(found?.messageId, 'outside', JSON.stringify(messages));
    assert.equal(found?.severity, 'warning');
    assert.match(found!.message, /outside the workspace/);
    assert.match(found!.message, /template\.html/);
  });

  test('a folder linted without a repository around it is its own root', () => {
    // `emails/` of a tree with no .git: the folder linted bounds what is read.
    const loose = path.join(base, 'loose');
    mkdirSync(path.join(loose, 'emails'), { recursive: true });
    writeFileSync(path.join(loose, 'footer.mjml'), FOOTER_MJML);
    writeFileSync(path.join(loose, 'emails', 'up.mjml'), mjml('../footer.mjml'));
    const inner = cli(['emails'], loose);
    const m = byFile(inner.report);
    const key = path.relative(repo, path.join(loose, 'emails', 'up.mjml'));
    assert.equal(m.get(key)?.find((x) => x.ruleId === 'unsubscribe-link-missing')?.messageId, 'outside', JSON.stringify(inner.report));
    // Linting the folder above takes the footer in.
    const whole = cli(['.'], loose);
    assert.deepEqual(byFile(whole.report).get(key)?.filter((x) => x.ruleId === 'unsubscribe-link-missing') ?? [], []);
  });
});

describe('includeRoots', () => {
  test('validated: a list of folders, no globs', () => {
    assert.deepEqual(validateLayer({ includeRoots: ['../shared', '/opt/mail'] }), { layer: { includeRoots: ['../shared', '/opt/mail'] }, problems: [] });
    assert.equal(validateLayer({ includeRoots: '../shared' }).problems.length, 1);
    assert.equal(validateLayer({ includeRoots: [''] }).problems.length, 1);
    assert.deepEqual(validateLayer({ includeRoots: ['../shared/**'] }).problems.map((p) => p.path), [['includeRoots', 0]]);
    assert.equal(validateLayer({ includeRoots: ['../shared/**'] }).layer.includeRoots, undefined);
  });

  test('the CLI reads the folders the rc file lists, relative to the rc file', { skip: !existsSync(CLI) ? 'needs dist/cli.js' : false }, () => {
    const shared = path.join(base, 'shared-repo');
    mkdirSync(path.join(shared, '.git'), { recursive: true });
    writeFileSync(path.join(shared, 'a.mjml'), mjml('../outside/footer.mjml'));
    writeFileSync(path.join(shared, 'spring.campaign.yaml'), 'category: marketing\nfrom: news@shop.example.com\ntemplate: ../outside/template.html\n');
    writeFileSync(path.join(shared, '.deliverlintrc.json'), '{ "includeRoots": ["../outside"] }\n');
    const r = cli(['.'], shared);
    assert.equal(r.stderr, '');
    const files = new Map(r.report.map((f) => [path.basename(f.filePath), f.messages]));
    assert.ok(files.has('a.mjml') && files.has('spring.campaign.yaml'), JSON.stringify(r.report));
    assert.deepEqual(files.get('a.mjml')?.filter((m) => m.ruleId === 'unsubscribe-link-missing') ?? [], [], JSON.stringify(r.report));
    assert.deepEqual(files.get('spring.campaign.yaml')?.filter((m) => m.ruleId === 'campaign-template-invalid') ?? [], [], JSON.stringify(r.report));
  });
});

describe('the confined reader', () => {
  test('reads inside its roots, refuses outside them and through links out, and says which is which', () => {
    const reader = confinedReader(nodeReader, new ReadRoots([repo]));
    assert.equal(reader.readFile(path.join(repo, 'emails', 'partials', 'footer.mjml')), FOOTER_MJML);
    assert.equal(reader.readFile(path.join(outside, 'footer.mjml')), undefined);
    assert.equal(reader.readFile(path.join(repo, 'emails', 'partials', 'linked.hbs')), undefined);
    assert.equal(reader.readFile(path.join(repo, '..', 'outside', 'footer.hbs')), undefined);
    assert.equal(reader.outside?.(path.join(outside, 'footer.mjml')), true);
    assert.equal(reader.outside?.(path.join(repo, 'emails', 'partials', 'linked.hbs')), true);
    // Nothing there: missing, not outside.
    assert.equal(reader.outside?.(path.join(outside, 'nothing.mjml')), false);
    assert.equal(reader.outside?.(path.join(repo, 'emails', 'nothing.mjml')), false);
    assert.equal(reader.listDir?.(outside), undefined);
    assert.ok(reader.listDir?.(path.join(repo, 'emails'))?.has('inside.mjml'));
  });

  test('a caching reader keeps its cache per root set: a file read for one root is not given to another', () => {
    const shared = cachingReader({ maxChars: 1_000_000, maxFiles: 100 });
    const wide = shared.within(new ReadRoots([base]));
    const narrow = shared.within(new ReadRoots([repo]));
    assert.equal(wide.readFile(path.join(outside, 'footer.mjml')), FOOTER_MJML);
    assert.equal(narrow.readFile(path.join(outside, 'footer.mjml')), undefined);
    // Outside, a stable reader still lists names (lookups skip what is absent), and reads nothing.
    assert.ok(narrow.listDir?.(outside)?.has('footer.hbs'));
    assert.equal(narrow.readFile(path.join(outside, 'footer.hbs')), undefined);
    assert.equal(narrow.outside?.(path.join(outside, 'footer.hbs')), true);
    assert.equal(narrow.outside?.(path.join(outside, 'absent.hbs')), false);
    assert.equal(shared.within(new ReadRoots([repo])), narrow, 'one view per root set, so lookups are remembered per view');
  });

  test('the repository root is the nearest folder with .git', () => {
    assert.equal(repositoryRoot(path.join(repo, 'emails', 'partials')), repo);
    assert.equal(repositoryRoot(outside), undefined);
  });

  test('core: a lint with a confined reader gives the reason "outside", and the file\'s own findings stay', () => {
    const file = path.join(repo, 'emails', 'relative.mjml');
    const r = linter.lint({ text: mjml('../../outside/footer.mjml'), filePath: file, config: { ...defaultConfig(), root: repo }, reader: confinedReader(nodeReader, new ReadRoots([repo])) });
    assert.deepEqual(r.composition?.unresolved.map((u) => [u.name, u.reason]), [['../../outside/footer.mjml', 'outside']]);
    const ja = linter.lint({ text: mjml('../../outside/footer.mjml'), filePath: file, locale: 'ja', config: { ...defaultConfig(), root: repo }, reader: confinedReader(nodeReader, new ReadRoots([repo])) });
    assert.match(ja.findings.find((f) => f.ruleId === 'unsubscribe-link-missing')!.message, /ワークスペースの外/);
  });
});
