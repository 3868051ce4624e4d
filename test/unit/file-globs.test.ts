// The default `files` globs and the kind of each template file: which files of a real mail codebase
// (Rails, Laravel, Phoenix, Symfony, Django/Jinja, Go) a folder lint picks up, and which look-alikes
// it leaves alone (web views outside mail folders, plain-text parts, PHP, Ansible templates).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { lintFileForCli } from '../../server/src/cli/lintFile';
import { DEFAULT_FILES, defaultConfig } from '../../server/src/core/config';
import { detectKind } from '../../server/src/core/input';
import { walkFiles } from '../../server/src/host/walk';

const HTML_MAIL = `<!DOCTYPE html>
<html lang="en"><body>
<table role="presentation" width="100%"><tr><td style="font-family:Arial,sans-serif;">Hi there,</td></tr></table>
</body></html>
`;
const TEXT_MAIL = 'Hi there,\n\nYour order has shipped.\n\nUnsubscribe: https://example.com/unsubscribe\n';

/** Relative path -> content. `true`: a folder lint must pick it up; `false`: it must not. */
const TREE: Record<string, [string, boolean]> = {
  // Rails ActionMailer
  'app/views/user_mailer/welcome.html.erb': [HTML_MAIL, true],
  'app/views/user_mailer/welcome.text.erb': [TEXT_MAIL, false],
  'app/views/layouts/mailer.html.erb': ['<html><body><%= yield %></body></html>', true],
  'app/views/layouts/mailer.text.erb': ['<%= yield %>', false],
  'app/views/home/index.html.erb': ['<h1>Welcome</h1>', false],
  'app/views/orders/show.js.erb': ['$("#cart").html("<div>ok</div>");', false],
  // Laravel
  'resources/views/emails/order-shipped.blade.php': [`@extends('emails.layout')\n@section('content')\n<p>Hi {{ $user->name }}</p>\n@endsection\n`, true],
  'resources/views/welcome.blade.php': ['<html><body>Welcome</body></html>', false],
  'app/Mail/OrderShipped.php': ['<?php\nclass OrderShipped extends Mailable {}\n', false],
  // Phoenix (Swoosh)
  'lib/shop_web/templates/email/receipt.html.heex': ['<p>Hi <%= @name %></p>', true],
  'lib/shop_web/templates/email/receipt.html.eex': ['<p>Hi <%= @name %></p>', true],
  'lib/shop_web/templates/email/receipt.text.eex': ['Hi <%= @name %>', false],
  'lib/shop_web/live/page_live.html.heex': ['<div>page</div>', false],
  // Symfony / Twig, Jinja, Mustache
  'templates/emails/reset.html.twig': [HTML_MAIL, true],
  'templates/emails/reset.txt.twig': [TEXT_MAIL, false],
  'templates/emails/digest.jinja': [HTML_MAIL, true],
  'templates/emails/digest.html.j2': [HTML_MAIL, true],
  'templates/emails/welcome.mustache': [HTML_MAIL, true],
  'templates/emails/notes.txt': [TEXT_MAIL, false],
  'roles/mail/templates/main.cf.j2': ['myhostname = {{ inventory_hostname }}\n', false],
  'roles/web/templates/index.html.j2': ['<html><body>{{ site }}</body></html>', false],
  // Go html/template and text/template
  'internal/mailer/templates/welcome.tmpl': [`{{define "body"}}\n<table><tr><td>Hi {{.Name}}</td></tr></table>\n{{end}}\n`, true],
  'internal/mailer/templates/welcome.gohtml': [HTML_MAIL, true],
  'internal/mailer/templates/plain.tmpl': ['{{define "plain"}}Hi {{.Name}}{{end}}\n', false],
  'charts/app/templates/_helpers.tpl': ['{{- define "app.name" -}}app{{- end -}}\n', false],
  'web/templates/page.gohtml': ['<html><body>page</body></html>', false],
  // Unchanged: plain HTML anywhere
  'site/newsletter.html': [HTML_MAIL, true],
};

describe('default file globs on a mixed codebase', () => {
  const root = mkdtempSync(join(tmpdir(), 'deliverlint-globs-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  for (const [rel, [content]] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  const config = { ...defaultConfig(), root };
  const walked = [...walkFiles(root, { configFor: () => config })].flatMap((s) => ('file' in s ? [s.file] : []));
  // What a folder lint reports: the walk, less the files whose name and content say they are no HTML mail.
  const linted = walked.filter((f) => lintFileForCli(f, config, false, { locale: 'en', fix: false }, [root]) !== undefined).map((f) => relative(root, f).split('\\').join('/'));

  for (const [rel, [, wanted]] of Object.entries(TREE)) {
    test(`${wanted ? 'lints' : 'skips'} ${rel}`, () => {
      assert.equal(linted.includes(rel), wanted, `linted: ${linted.join(', ')}`);
    });
  }

  test('plain-text parts, ERB outside HTML, .php, .txt and Ansible templates are not even walked', () => {
    const walkedRel = walked.map((f) => relative(root, f).split('\\').join('/'));
    for (const rel of ['app/views/user_mailer/welcome.text.erb', 'app/views/orders/show.js.erb', 'app/Mail/OrderShipped.php', 'templates/emails/notes.txt', 'roles/mail/templates/main.cf.j2', 'lib/shop_web/templates/email/receipt.text.eex']) {
      assert.ok(!walkedRel.includes(rel), rel);
    }
  });
});

describe('the kind of a template file', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['welcome.html.erb', '', 'html'],
    ['welcome.text.erb', '<p>not read</p>', undefined],
    ['welcome.erb', '<p>Hi <%= @name %></p>', 'html'],
    ['database.yml.erb', 'production:\n  url: <%= ENV["DB"] %>', undefined],
    ['welcome.blade.php', '@component("mail::message")\n# Order shipped\n@endcomponent', undefined],
    ['welcome.blade.php', '@extends("layout")\n@section("content")<p>Hi</p>@endsection', 'html'],
    ['OrderShipped.php', '<?php echo 1;', undefined],
    ['reset.html.twig', '', 'html'],
    ['reset.txt.twig', '<p>not read</p>', undefined],
    ['reset.twig', '{% extends "base.html.twig" %}{% block body %}<td>Hi</td>{% endblock %}', 'html'],
    ['welcome.mjml.twig', '', 'mjml'],
    ['nginx.conf.j2', 'server { listen 80; }', undefined],
    ['index.html.j2', '', 'html'],
    ['header.tpl', '{{define "header"}}<table><tr><td>{{.Title}}</td></tr></table>{{end}}', 'html'],
    ['_helpers.tpl', '{{- define "x" -}}y{{- end -}}', undefined],
    ['welcome.gohtml', '', 'html'],
    ['receipt.html.heex', '', 'html'],
    ['receipt.text.eex', '<p>not read</p>', undefined],
    ['welcome.mustache', '<mjml><mj-body></mj-body></mjml>', 'mjml'],
    ['welcome.hbs', '', 'html'],
  ];
  for (const [name, text, kind] of cases) {
    test(`${name}${text ? ` (${text.slice(0, 24).replace(/\n/g, ' ')}…)` : ''} is ${kind ?? 'not ours'}`, () => {
      assert.equal(detectKind(join('/project', name), text), kind);
    });
  }
});

test('package.json and the rc schema give the default file globs of config.ts', () => {
  const rootDir = join(__dirname, '..', '..');
  const manifest = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.configuration.properties['deliverlint.files'].default, DEFAULT_FILES);
  const schema = JSON.parse(readFileSync(join(rootDir, 'schemas', 'deliverlintrc.schema.json'), 'utf8'));
  assert.deepEqual(schema.properties.files.default, DEFAULT_FILES);
});
