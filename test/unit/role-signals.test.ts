// The signals that tell an email from a web page are searched only where they can match (at the
// tags they start with, or when the text has the template syntax they need): compose/role.ts. This
// checks that the gated search finds exactly what each pattern finds over the whole text, on every
// markup file of the repository's fixtures and examples, the public corpus beside the checkout, and
// texts made to sit on the gates' edges.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EMAIL_SIGNALS, WEB_SIGNALS, signalsIn } from '../../server/src/core/compose/role';

const ROOT = join(__dirname, '..', '..');
const MARKUP = /\.(?:html?|mjml|hbs|handlebars|njk|liquid|twig|erb|eex|heex|tpl|tmpl|gohtml|mustache|jinja|j2|php)$/i;

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (MARKUP.test(name)) out.push(p);
  }
  return out;
}

function plainSignals(text: string): { web: string[]; email: string[] } {
  const web = WEB_SIGNALS.filter(([re]) => re.test(text)).map(([, s]) => s);
  return { web, email: EMAIL_SIGNALS.filter(([re]) => re.test(text)).map(([, s]) => s) };
}

const EDGES = [
  '<SCRIPT src="/app.js"></SCRIPT>',
  '<Form action="/x">',
  '<formula>',
  '<navbar></navbar><nav>',
  '<!-- <script type="module" src="x.js"></script> -->',
  '<meta name="csrf-token" content="x"><META HTTP-EQUIV="refresh" content="0">',
  `<table><tr><TD bgcolor="#fff">x</TD></tr></table>${'<div>'.repeat(100)}<div id="app"></div>`,
  `${'<meta charset="utf-8">'.repeat(70)}<meta name="csrf-token" content="x">`,
  '<link rel="stylesheet" href="/site.css"><link rel="icon" href="/favicon.ico">',
  '{% load static %}<link href="{% static \'x.css\' %}">',
  '{{ url_for("static", filename="x.css") }}',
  '@vite(["resources/js/app.js"]) @csrf',
  '<%= form_with model: @user do |f| %><%= f.text_field :name %>',
  '{% block javascripts %}{% endblock %}',
  "@push('scripts')",
  '<textarea></textarea><IFRAME src="x"></IFRAME>',
  '<center>x</center><table cellpadding="0">',
  '<a href="a.html">a</a><a href="b.html">b</a><a href="./c.htm">c</a>',
];

test('gated signal search finds what each pattern finds over the whole text', () => {
  const texts = [
    ...files(join(ROOT, 'test', 'fixtures')),
    ...files(join(ROOT, 'examples')),
    ...files(join(ROOT, '..', 'shared', 'corpus')),
  ].map((f) => readFileSync(f, 'utf8'));
  texts.push(...EDGES);
  assert.ok(texts.length > 100, `only ${texts.length} texts`);
  let withWeb = 0;
  for (const text of texts) {
    const fast = signalsIn(text);
    const plain = plainSignals(text);
    assert.deepEqual(fast.email, plain.email, text.slice(0, 200));
    assert.deepEqual(fast.web.filter((s) => s !== 'relativePageLinks'), plain.web, text.slice(0, 200));
    if (plain.web.length) withWeb++;
  }
  // The texts exercise the web side too, not only emails.
  assert.ok(withWeb >= EDGES.length - 4, `${withWeb} texts with web signals`);
});
