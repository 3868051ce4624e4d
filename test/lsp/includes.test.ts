// The include graph in the editor: a change to a layout or partial (typed, on disk, deleted,
// created) lints the emails built with it again, open or not, after the changed file's own
// diagnostics; go to definition follows a reference to its file; the hover says what a file is,
// why, and what it is built from.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover, Location } from 'vscode-languageserver-protocol';
import { byCode, LspClient, makeWorkspace, removeWorkspace, uriOf, type Published } from './client';
import { positionOf } from './templates';

const LAYOUT = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    <tr><td style="padding:24px;font-family:Arial,Helvetica,sans-serif;">
      {{> @partial-block}}
    </td></tr>
  </table>
  {{> legal}}
</body>
</html>
`;
const LEGAL = `<p style="font-size:11px;color:#999999;">You receive this email because you subscribed at shop.example.com.</p>
`;

const UNSUBSCRIBE = '<a href="https://shop.example.com/unsubscribe?id={{subscriber_id}}" style="color:#666666;">Unsubscribe</a>';
const ACCOUNT = '<a href="https://shop.example.com/account" style="color:#666666;">Your account</a>';

const FOOTER = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
  <tr><td align="center" style="padding:16px;font-size:12px;color:#666666;">
    Example Shop Ltd, 1 Market Street, Springfield, IL 62701, USA<br>
    ${UNSUBSCRIBE}
  </td></tr>
</table>
`;
const FOOTER_WITHOUT_UNSUBSCRIBE = FOOTER.replace(UNSUBSCRIBE, ACCOUNT);

const email = (season: string) => `{{#> base}}
<h1 style="margin:0 0 16px;font-size:24px;">Hi {{first_name}},</h1>
<p style="margin:0 0 16px;">Our ${season} collection has landed, and this week it is 20% off with the code <strong>SALE20</strong>.</p>
<a href="https://shop.example.com/${season}?utm_source=newsletter" style="display:inline-block;padding:12px 24px;">Shop the collection</a>
{{> footer}}
{{/base}}
`;

const DJANGO_BASE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% block subject %}{% endblock %}</title></head>
<body style="margin:0;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td>{% block content %}{% endblock %}</td></tr></table>
</body>
</html>
`;
const DJANGO_WELCOME = `{% extends "emails/base.html" %}
{% block content %}<p>Welcome, {{ user.first_name }}! Confirm your address: <a href="{{ confirm_url }}">confirm</a>.</p>{% endblock %}
`;
const BLADE_ORDER = `<x-mail::message>
# Your order has shipped

Thanks for your order, {{ $order->customer }}.
</x-mail::message>
`;

const missing = (p: Published) => byCode(p, 'unsubscribe-link-missing').filter((d) => (d.data as { messageId?: string } | undefined)?.messageId === 'missing').length === 1;
const clean = (p: Published) => byCode(p, 'unsubscribe-link-missing').length === 0 && byCode(p, 'postal-address-missing').length === 0;
const unverifiable = (p: Published) => byCode(p, 'unsubscribe-link-missing').some((d) => (d.data as { messageId?: string }).messageId === 'unverifiable' && d.severity === 3);

describe('include graph', { timeout: 90_000 }, () => {
  let client: LspClient;
  let dir: string;
  const file = (rel: string) => path.join(dir, rel);
  const uri = (rel: string) => uriOf(file(rel));
  const EMAILS = ['emails/spring.hbs', 'emails/summer.hbs', 'emails/autumn.hbs'];

  /** Waits, for each email, for a publish after its mark that satisfies `predicate`. */
  async function allEmails(marks: number[], predicate: (p: Published) => boolean): Promise<Published[]> {
    return Promise.all(EMAILS.map((rel, i) => client.next(uri(rel), marks[i]!, predicate)));
  }
  const markEmails = () => EMAILS.map((rel) => client.mark(uri(rel)));

  before(async () => {
    dir = makeWorkspace({
      'layouts/base.hbs': LAYOUT,
      'partials/footer.hbs': FOOTER,
      'partials/legal.hbs': LEGAL,
      'emails/spring.hbs': email('spring'),
      'emails/summer.hbs': email('summer'),
      'emails/autumn.hbs': email('autumn'),
      'app/templates/emails/base.html': DJANGO_BASE,
      'app/templates/emails/welcome.html': DJANGO_WELCOME,
      'resources/views/mail/order.blade.php': BLADE_ORDER,
    });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    // The scan has linted the closed emails (and so knows what they are built from).
    await client.waitUntil(() => client.logs.some((l) => l.startsWith('Workspace scan:')), 30_000, 'the workspace scan');
    for (const rel of ['emails/summer.hbs', 'emails/autumn.hbs']) assert.ok(clean(client.latest(uri(rel))!), `${rel} starts clean`);
    await client.open(uri('emails/spring.hbs'), email('spring'), 'handlebars');
    assert.ok(clean(await client.waitForVersion(uri('emails/spring.hbs'), 1)));
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('typing in an open partial lints every email that uses it, open or closed, after the partial itself', async () => {
    const footer = uri('partials/footer.hbs');
    await client.open(footer, FOOTER, 'handlebars');
    await client.waitForVersion(footer, 1);
    let marks = markEmails();
    const v = await client.change(footer, FOOTER_WITHOUT_UNSUBSCRIBE);
    const [spring, summer, autumn] = await allEmails(marks, missing);
    // The open email is published with its version, the closed ones from disk (no version).
    assert.equal(spring!.version, 1);
    assert.equal(summer!.version, undefined);
    assert.equal(autumn!.version, undefined);
    const own = await client.waitForVersion(footer, v);
    for (const p of [spring!, summer!, autumn!]) assert.ok(own.at <= p.at, `the partial's own diagnostics come first (${own.at} vs ${p.at})`);

    // Put it back: the finding goes away everywhere.
    marks = markEmails();
    await client.change(footer, FOOTER);
    await allEmails(marks, clean);
    await client.close(footer);
  });

  it('a partial changed on disk lints the emails that use it', async () => {
    const footer = uri('partials/footer.hbs');
    let marks = markEmails();
    fs.writeFileSync(file('partials/footer.hbs'), FOOTER_WITHOUT_UNSUBSCRIBE);
    await client.watchedFilesChanged([{ uri: footer, type: 2 }]);
    await allEmails(marks, missing);

    marks = markEmails();
    fs.writeFileSync(file('partials/footer.hbs'), FOOTER);
    await client.watchedFilesChanged([{ uri: footer, type: 2 }]);
    await allEmails(marks, clean);
  });

  it('a deleted partial leaves the emails unverifiable; created again, they are clean', async () => {
    const footer = uri('partials/footer.hbs');
    let marks = markEmails();
    fs.rmSync(file('partials/footer.hbs'));
    await client.watchedFilesChanged([{ uri: footer, type: 3 }]);
    const published = await allEmails(marks, unverifiable);
    for (const p of published) assert.ok(!missing(p), `${path.basename(p.uri)}: not "missing" while the footer cannot be read`);

    // A rename comes as delete + create: the emails find the file again.
    marks = markEmails();
    fs.writeFileSync(file('partials/footer.hbs'), FOOTER);
    await client.watchedFilesChanged([{ uri: footer, type: 1 }]);
    await allEmails(marks, clean);
  });

  it("a partial of the layout, deleted and created again, reaches the emails through the layout", async () => {
    const legal = uri('partials/legal.hbs');
    let marks = markEmails();
    const layoutMark = client.mark(uri('layouts/base.hbs'));
    fs.rmSync(file('partials/legal.hbs'));
    await client.watchedFilesChanged([{ uri: legal, type: 3 }]);
    await allEmails(marks, () => true);
    // The layout is linted again too: it now knows its partial is missing.
    await client.next(uri('layouts/base.hbs'), layoutMark);

    // Created again: the layout was waiting for it, and its emails are linted with it.
    marks = markEmails();
    fs.writeFileSync(file('partials/legal.hbs'), LEGAL);
    await client.watchedFilesChanged([{ uri: legal, type: 1 }]);
    await allEmails(marks, clean);
    const hover = (await client.hover(uri('emails/spring.hbs'), { line: 0, character: 0 }))?.contents as { value: string };
    assert.match(hover.value, /partials\/legal\.hbs/);
  });

  it('go to definition on {{> footer}} and {{#> base}} opens the partial and the layout', async () => {
    const spring = uri('emails/spring.hbs');
    const text = email('spring');
    const toFooter = (await client.definition(spring, positionOf(text, 'footer}}'))) as Location | null;
    assert.deepEqual(toFooter, { uri: uri('partials/footer.hbs'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    const toBase = (await client.definition(spring, positionOf(text, 'base}}'))) as Location | null;
    assert.equal(toBase?.uri, uri('layouts/base.hbs'));
    // Outside any reference: nothing.
    assert.equal(await client.definition(spring, positionOf(text, 'collection')), null);
  });

  it('go to definition on {% extends "emails/base.html" %} follows the Django template folder', async () => {
    const welcome = uri('app/templates/emails/welcome.html');
    await client.open(welcome, DJANGO_WELCOME, 'html');
    const to = (await client.definition(welcome, positionOf(DJANGO_WELCOME, 'emails/base.html'))) as Location | null;
    assert.equal(to?.uri, uri('app/templates/emails/base.html'));
    await client.close(welcome);
  });

  it("gives nothing for a framework's layout (Laravel's mail::message)", async () => {
    const order = uri('resources/views/mail/order.blade.php');
    await client.open(order, BLADE_ORDER, 'html');
    assert.equal(await client.definition(order, positionOf(BLADE_ORDER, 'mail::message')), null);
    await client.close(order);
  });

  it('the hover on an email says it is an email, why, its category, its layout and partials', async () => {
    const spring = uri('emails/spring.hbs');
    const hover = (await client.hover(spring, { line: 0, character: 3 })) as Hover | null;
    assert.ok(hover, 'a hover on the first line');
    const value = (hover.contents as { kind: string; value: string }).value;
    assert.equal((hover.contents as { kind: string }).kind, 'markdown');
    assert.match(value, /Classified as \*\*email\*\* because /);
    assert.match(value, /marketing/);
    assert.match(value, /\*\*Layouts\*\*\n\n- \[layouts\/base\.hbs\]\(file:\/\/[^)]+\/layouts\/base\.hbs\)/);
    assert.match(value, /\*\*Partials\*\*\n\n(- .*\n)*- \[partials\/footer\.hbs\]\(file:\/\/[^)]+\/partials\/footer\.hbs\)/);
    // The layout's partial, with where it comes from.
    assert.match(value, /- \[partials\/legal\.hbs\]\([^)]+\) from \[layouts\/base\.hbs\]/);
    // Also on the reference itself; not in the middle of the text.
    assert.ok(await client.hover(spring, positionOf(email('spring'), 'footer}}')));
    assert.equal(await client.hover(spring, positionOf(email('spring'), 'collection')), null);
  });

  it('the hover on a partial says it is a part and lists the emails that use it', async () => {
    const footer = uri('partials/footer.hbs');
    await client.open(footer, FOOTER, 'handlebars');
    await client.waitForVersion(footer, 1);
    const hover = (await client.hover(footer, { line: 0, character: 1 })) as Hover | null;
    const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(value, /Classified as \*\*part/);
    assert.match(value, /Used by 3 email/);
    for (const rel of EMAILS) assert.ok(value.includes(`[${rel}]`), `${rel} in ${value}`);
    await client.close(footer);
  });

  it('the hover on an email names a reference it could not follow', async () => {
    const text = email('winter').replace('{{> footer}}', '{{> legal-notice}}');
    const winter = uri('emails/winter.hbs');
    await client.open(winter, text, 'handlebars');
    await client.waitForVersion(winter, 1);
    const value = ((await client.hover(winter, { line: 0, character: 0 }))?.contents as { value: string }).value;
    assert.match(value, /\*\*Not followed\*\*\n\n- partial `legal-notice`: no such file/);
    await client.close(winter);
  });
});

describe('a workspace with no email in it', { timeout: 60_000 }, () => {
  it('shows no Deliverlint diagnostics at all', async () => {
    const dir = makeWorkspace({
      // Vite's index.html
      'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" type="image/svg+xml" href="/vite.svg" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Vite + React + TS</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`,
      // A documentation page
      'docs/getting-started.html': `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Getting started - Acme Docs</title>
  <link rel="stylesheet" href="../css/docs.css">
</head>
<body>
  <nav><a href="index.html">Home</a> <a href="getting-started.html">Getting started</a></nav>
  <main>
    <h1>Getting started</h1>
    <p>Install the package with <code>npm install acme</code>, then import it in your app.</p>
    <p>See the <a href="api.html">API reference</a> for every option. Questions? <a href="mailto:help@acme.example">Write to us</a>.</p>
  </main>
  <footer><p>&copy; 2024 Acme Inc.</p></footer>
</body>
</html>
`,
      // A Django page shell and a page built on it
      'shop/templates/shop/base.html': `{% load static %}
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{% block title %}Shop{% endblock %}</title>
  <link rel="stylesheet" href="{% static 'shop/style.css' %}">
</head>
<body>
  <header><a href="{% url 'shop:index' %}">Shop</a></header>
  {% block content %}{% endblock %}
  <script src="{% static 'shop/app.js' %}"></script>
</body>
</html>
`,
      'shop/templates/shop/product_list.html': `{% extends "shop/base.html" %}
{% block title %}Products{% endblock %}
{% block content %}
<h1>Our products</h1>
<ul>{% for p in products %}<li><a href="{{ p.get_absolute_url }}">{{ p.name }}</a> {{ p.price }}</li>{% endfor %}</ul>
<p>Sale: 20% off everything this week, buy now!</p>
{% endblock %}
`,
      // Rails' public/404.html
      'public/404.html': `<!DOCTYPE html>
<html>
<head>
  <title>The page you were looking for doesn't exist (404)</title>
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <style>
  .rails-default-error-page { background-color: #EFEFEF; color: #2E2F30; text-align: center; font-family: arial, sans-serif; margin: 0; }
  </style>
</head>
<body class="rails-default-error-page">
  <div class="dialog">
    <div>
      <h1>The page you were looking for doesn't exist.</h1>
      <p>You may have mistyped the address or the page may have moved.</p>
    </div>
    <p>If you are the application owner check the logs for more information.</p>
  </div>
</body>
</html>
`,
    });
    const client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    try {
      await client.waitUntil(() => client.logs.some((l) => l.startsWith('Workspace scan:')), 30_000, 'the workspace scan');
      const pages = ['index.html', 'docs/getting-started.html', 'shop/templates/shop/base.html', 'shop/templates/shop/product_list.html', 'public/404.html'];
      // Open too: the editor's copy goes through the open-document path.
      for (const rel of pages) await client.open(uriOf(path.join(dir, rel)), fs.readFileSync(path.join(dir, rel), 'utf8'), 'html');
      for (const rel of pages) await client.waitForVersion(uriOf(path.join(dir, rel)), 1);
      const fired = [...client.published.values()].flat().flatMap((p) => p.diagnostics.map((d) => `${path.relative(dir, new URL(p.uri).pathname)}: ${String(d.code)} ${String(d.message).slice(0, 80)}`));
      assert.deepEqual(fired, []);
      // Every page was linted and published (from the scan, then open).
      for (const rel of pages) assert.ok((client.published.get(uriOf(path.join(dir, rel)))?.length ?? 0) >= 1, rel);
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});

describe('a partial used by many emails', { timeout: 90_000 }, () => {
  it('keeps typing in it responsive, and a newer edit restarts the emails with the newest text', async () => {
    const N = 300;
    const files: Record<string, string> = { 'layouts/base.hbs': LAYOUT, 'partials/footer.hbs': FOOTER, 'partials/legal.hbs': LEGAL };
    for (let i = 0; i < N; i++) files[`emails/e${String(i).padStart(3, '0')}.hbs`] = email(`campaign ${i}`);
    const dir = makeWorkspace(files);
    const client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    try {
      await client.waitUntil(() => client.logs.some((l) => l.startsWith('Workspace scan:')), 60_000, 'the workspace scan');
      const emails = Object.keys(files).filter((f) => f.startsWith('emails/')).map((rel) => uriOf(path.join(dir, rel)));
      const marks = emails.map((u) => client.mark(u));
      const footer = uriOf(path.join(dir, 'partials/footer.hbs'));
      await client.open(footer, FOOTER, 'handlebars');
      await client.waitForVersion(footer, 1);

      const v2 = await client.change(footer, FOOTER_WITHOUT_UNSUBSCRIBE);
      await client.waitForVersion(footer, v2);
      // The run has begun: some emails have the finding, most not yet.
      await client.waitUntil(() => emails.some((u, i) => (client.published.get(u)?.length ?? 0) > marks[i]! && missing(client.latest(u)!)), 30_000, 'the first emails linted again');
      const linted = emails.filter((u, i) => (client.published.get(u)?.length ?? 0) > marks[i]!).length;
      assert.ok(linted < N, `the run had not ended yet (${linted} of ${N})`);

      // Type while it runs: each keystroke's own diagnostics come quickly.
      let slowest = 0;
      let text = FOOTER_WITHOUT_UNSUBSCRIBE;
      for (let k = 0; k < 5; k++) {
        text = text.replace('</table>', ' </table>');
        const sent = performance.now();
        const v = await client.change(footer, text);
        await client.waitForVersion(footer, v);
        slowest = Math.max(slowest, performance.now() - sent);
      }
      console.log(`  slowest keystroke in the partial while ${N} emails were linted again: ${slowest.toFixed(0)} ms`);
      assert.ok(slowest < 1_000, `a keystroke waited ${slowest} ms behind the emails`);

      // Put the link back: every email ends clean, including those linted with the older text.
      await client.change(footer, FOOTER);
      await client.waitUntil(() => emails.every((u) => clean(client.latest(u)!)), 60_000, 'every email clean again');
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});

describe('the emails of a partial linted again in groups', { timeout: 90_000 }, () => {
  // More emails than the server lints at once, with a partial that does not exist yet: each run
  // keeps the folder listings of its batch, and a later run must list them again.
  const NAMES = Array.from({ length: 20 }, (_, i) => `emails/news-${i}.hbs`);
  const newsletter = (i: number) => email(`news-${i}`).replace('{{> footer}}', '{{> footer}}\n{{> notice}}');
  let client: LspClient;
  let dir: string;
  const uri = (rel: string) => uriOf(path.join(dir, rel));
  const marks = () => NAMES.map((rel) => client.mark(uri(rel)));
  const all = (from: number[], predicate: (p: Published) => boolean) => Promise.all(NAMES.map((rel, i) => client.next(uri(rel), from[i]!, predicate)));

  before(async () => {
    dir = makeWorkspace({
      'layouts/base.hbs': LAYOUT,
      'partials/footer.hbs': FOOTER,
      'partials/legal.hbs': LEGAL,
      ...Object.fromEntries(NAMES.map((rel, i) => [rel, newsletter(i)])),
    });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    await client.waitUntil(() => client.logs.some((l) => l.startsWith('Workspace scan:')), 30_000, 'the workspace scan');
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('every email gets the edit, and a partial created after a run is found by the next', async () => {
    const footer = uri('partials/footer.hbs');
    await client.open(footer, FOOTER, 'handlebars');
    await client.waitForVersion(footer, 1);
    // The notice is missing: the unsubscribe link cannot be verified, whatever the footer says.
    let from = marks();
    await client.change(footer, FOOTER_WITHOUT_UNSUBSCRIBE);
    await all(from, unverifiable);

    // Created on disk: the emails waiting for it are linted again and find it (new listings).
    from = marks();
    fs.writeFileSync(path.join(dir, 'partials/notice.hbs'), '<p>Prices include VAT.</p>\n');
    await client.watchedFilesChanged([{ uri: uri('partials/notice.hbs'), type: 1 }]);
    await all(from, missing);

    // The footer's link back: clean everywhere.
    from = marks();
    await client.change(footer, FOOTER);
    await all(from, clean);
  });
});
