// What a file was judged to be, visible where it matters: whole-message findings say why the file
// is an email (in English and Japanese), --explain words the reasons in the reader's language, the
// plain-text twin of an HTML email is one message with it, and the web pages of real repositories
// (printable exports, help pages, a template gallery's index, a saved web page) get no finding.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { explainFile } from '../../server/src/cli/explain';
import { hoverMarkdown } from '../../server/src/lsp/hover';
import { defaultConfig } from '../../server/src/core/config';
import type { LintResult, Locale } from '../../server/src/core/types';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-judgement-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function lintIn(root: string, rel: string, text: string, locale: Locale = 'en'): LintResult {
  return linter.lint({ text, filePath: path.join(root, rel), config: { ...defaultConfig(), root }, reader: nodeReader, locale });
}

const WHOLE = /^(?:unsubscribe-link-missing|postal-address-missing|sender-identity-missing)$/;
const whole = (r: LintResult) => r.findings.filter((f) => WHOLE.test(f.ruleId)).map((f) => `${f.ruleId}/${f.messageId}:${f.severity}`);

const MAIL = `<!DOCTYPE html>
<html>
<body>
<table role="presentation" cellpadding="0" cellspacing="0" width="100%"><tr><td>
<h1>Fresh picks for autumn</h1>
<p>Ten new trail jackets arrived this week.</p>
</td></tr></table>
</body>
</html>
`;

describe('whole-message findings say why the file was judged an email', () => {
  test('in English: the signs of email, then the category and its reason', () => {
    const dir = tree({});
    const r = lintIn(dir, 'app/mailers/newsletter/autumn.html', MAIL);
    const f = r.findings.find((x) => x.ruleId === 'unsubscribe-link-missing')!;
    assert.match(f.message, /Judged an email because it has layout tables, a place in a mail folder\. Classified as marketing by the name "newsletter"/);
    const address = r.findings.find((x) => x.ruleId === 'postal-address-missing')!;
    assert.match(address.message, /Judged an email because it has layout tables/);
  });

  test('in Japanese: the reasons are Japanese too', () => {
    const dir = tree({});
    const r = lintIn(dir, 'app/mailers/newsletter/autumn.html', MAIL, 'ja');
    const f = r.findings.find((x) => x.ruleId === 'unsubscribe-link-missing')!;
    assert.match(f.message, /メールと判定した理由: レイアウト用テーブル、メール用フォルダーという置き場所がある。/);
    assert.doesNotMatch(f.message, /layout tables|mail folder|Judged/);
  });

  test('sender-identity-missing says it as well', () => {
    const dir = tree({});
    const text = MAIL.replace('Fresh picks for autumn', '秋のおすすめ商品のご案内です。今週は新しいジャケットが入荷しました。ぜひご覧ください。');
    const r = lintIn(dir, 'mail/campaigns/aki.html', text, 'ja');
    const f = r.findings.find((x) => x.ruleId === 'sender-identity-missing')!;
    assert.match(f.message, /メールと判定した理由: /);
  });

  test('--explain words the role reasons in the chosen language', () => {
    const dir = tree({ 'emails/autumn.html': MAIL });
    const file = path.join(dir, 'emails/autumn.html');
    assert.deepEqual(explainFile(file, { ...defaultConfig(), root: dir }, 'en', [dir]).role?.reasons, ['it has layout tables, a place in a mail folder']);
    assert.deepEqual(explainFile(file, { ...defaultConfig(), root: dir }, 'ja', [dir]).role?.reasons, ['レイアウト用テーブル、メール用フォルダーという置き場所がある']);
  });
});

describe('the plain-text twin is part of the same message', () => {
  const HTML_VIEW = '<h1>Autumn picks</h1>\n<p>Ten new trail jackets.</p>\n';
  const LAYOUT = '<!DOCTYPE html>\n<html><body><table role="presentation" cellpadding="0"><tr><td><%= yield %></td></tr><tr><td>Kettle Goods, 88 Mill Street, Portland, OR 97204</td></tr></table></body></html>\n';

  test('Rails: the HTML view lists its .text.erb twin; an unsubscribe only there is a warning, not an error', () => {
    const dir = tree({
      'app/views/layouts/mailer.html.erb': LAYOUT,
      'app/views/promo_mailer/autumn.html.erb': HTML_VIEW,
      'app/views/promo_mailer/autumn.text.erb': 'Autumn picks\n\nUnsubscribe: <%= @unsubscribe_url %>\n',
    });
    const r = lintIn(dir, 'app/views/promo_mailer/autumn.html.erb', HTML_VIEW);
    assert.deepEqual(r.composition?.parts.filter((p) => p.kind === 'text').map((p) => path.relative(dir, p.path!)), ['app/views/promo_mailer/autumn.text.erb']);
    assert.deepEqual(whole(r).filter((x) => x.startsWith('unsubscribe')), ['unsubscribe-link-missing/onlyInText:warning']);
    const explained = explainFile(path.join(dir, 'app/views/promo_mailer/autumn.html.erb'), { ...defaultConfig(), root: dir }, 'en', [dir]);
    assert.ok(explained.parts?.some((p) => p.kind === 'text' && p.name === 'autumn.text.erb'));
  });

  test('the hover lists the text part, and words the reasons in Japanese', () => {
    const dir = tree({
      'app/views/layouts/mailer.html.erb': LAYOUT,
      'app/views/promo_mailer/autumn.html.erb': HTML_VIEW,
      'app/views/promo_mailer/autumn.text.erb': 'Autumn picks\n',
    });
    const file = path.join(dir, 'app/views/promo_mailer/autumn.html.erb');
    const ctx = { folderFor: () => dir, dependentsOf: () => [] };
    const en = hoverMarkdown(file, lintIn(dir, 'app/views/promo_mailer/autumn.html.erb', HTML_VIEW), { ...ctx, locale: 'en' })!;
    assert.match(en, /\*\*Plain-text part\*\*\n\n- \[app\/views\/promo\\_mailer\/autumn\.text\.erb\]/);
    const ja = hoverMarkdown(file, lintIn(dir, 'app/views/promo_mailer/autumn.html.erb', HTML_VIEW, 'ja'), { ...ctx, locale: 'ja' })!;
    assert.match(ja, /\*\*メール\*\*と判定しました。理由: レイアウト用テーブル、メール用フォルダーという置き場所がある。/);
    assert.match(ja, /\*\*プレーンテキストパート\*\*/);
    assert.doesNotMatch(ja, /layout tables|mail folder/);
  });

  test('with no twin the same view is an error; with the link in the HTML and none in the text, an info', () => {
    const dir = tree({ 'app/views/layouts/mailer.html.erb': LAYOUT, 'app/views/promo_mailer/autumn.html.erb': HTML_VIEW });
    assert.deepEqual(whole(lintIn(dir, 'app/views/promo_mailer/autumn.html.erb', HTML_VIEW)).filter((x) => x.startsWith('unsubscribe')), ['unsubscribe-link-missing/missing:error']);
    const withLink = `${HTML_VIEW}<p><%= link_to "Unsubscribe", unsubscribe_url %></p>\n`;
    writeFileSync(path.join(dir, 'app/views/promo_mailer/autumn.text.erb'), 'Autumn picks\n');
    const r = lintIn(dir, 'app/views/promo_mailer/autumn.html.erb', withLink);
    assert.deepEqual(whole(r).filter((x) => x.startsWith('unsubscribe')), ['unsubscribe-link-missing/missingInText:info']);
  });

  test('Laravel: a _plain view beside the HTML one is a part, never judged alone', () => {
    const dir = tree({
      'resources/views/emails/digest.blade.php': MAIL,
      'resources/views/emails/digest_plain.blade.php': '<p>Fresh picks for autumn</p>\nUnsubscribe: {{ $unsubscribeUrl }}\n',
    });
    const r = lintIn(dir, 'resources/views/emails/digest_plain.blade.php', '<p>Fresh picks for autumn</p>\nUnsubscribe: {{ $unsubscribeUrl }}\n');
    assert.equal(r.composition?.role.role, 'part');
    assert.deepEqual(r.composition?.role.reasons, [{ id: 'textPart', html: 'digest.blade.php' }]);
    assert.deepEqual(whole(r), []);
    // The HTML one counts the text part's link for the message.
    assert.deepEqual(whole(lintIn(dir, 'resources/views/emails/digest.blade.php', MAIL)).filter((x) => x.startsWith('unsubscribe')), ['unsubscribe-link-missing/onlyInText:warning']);
  });

  test('Django: foo.txt beside foo.html; Handlebars: foo.txt.hbs beside foo.hbs', () => {
    const dir = tree({ 'templates/emails/weekly.html': MAIL, 'templates/emails/weekly.txt': 'Unsubscribe: {{ unsubscribe_url }}\n', 'emails/sale.hbs': MAIL, 'emails/sale.txt.hbs': '<p>Sale</p> Unsubscribe: {{unsubscribe_url}}\n' });
    assert.equal(lintIn(dir, 'templates/emails/weekly.html', MAIL).composition?.alternative?.path, path.join(dir, 'templates/emails/weekly.txt'));
    const text = lintIn(dir, 'emails/sale.txt.hbs', '<p>Sale</p> Unsubscribe: {{unsubscribe_url}}\n');
    assert.equal(text.composition?.role.role, 'part');
    assert.deepEqual(whole(text), []);
  });
});

describe('web pages of real repositories are not emails', () => {
  test('a Blade export view on a print layout (no sign of email anywhere) is a web page', () => {
    const dir = tree({
      'resources/views/layouts/export.blade.php': '<!doctype html>\n<html><head><title>@yield(\'title\')</title></head>\n<body class="export">\n<div class="page-content">@yield(\'content\')</div>\n</body></html>\n',
      'resources/views/exports/book.blade.php': "@extends('layouts.export')\n@section('content')\n<h1>{{ $book->name }}</h1>\n<div>{!! $book->html !!}</div>\n@endsection\n",
    });
    const r = lintIn(dir, 'resources/views/exports/book.blade.php', "@extends('layouts.export')\n@section('content')\n<h1>{{ $book->name }}</h1>\n<div>{!! $book->html !!}</div>\n@endsection\n");
    assert.equal(r.composition?.role.role, 'web');
    assert.deepEqual(r.composition?.role.reasons, [{ id: 'viewOutsideMail', engine: 'Blade' }]);
    assert.deepEqual(r.findings, []);
  });

  test('a Blade page whose layout loads a stylesheet through an asset helper is a web page', () => {
    const dir = tree({
      'resources/views/layouts/plain.blade.php': '<!DOCTYPE html>\n<html><head><link rel="stylesheet" href="{{ versioned_asset(\'dist/styles.css\') }}"></head>\n<body>@yield(\'content\')</body></html>\n',
      'resources/views/mail-help/editor.blade.php': "@extends('layouts.plain')\n@section('content')\n<h2>Editor shortcuts</h2>\n<table><tr><td>Ctrl+S</td><td>Save</td></tr></table>\n@endsection\n",
    });
    const r = lintIn(dir, 'resources/views/mail-help/editor.blade.php', "@extends('layouts.plain')\n@section('content')\n<h2>Editor shortcuts</h2>\n<table><tr><td>Ctrl+S</td><td>Save</td></tr></table>\n@endsection\n");
    assert.equal(r.composition?.role.role, 'web', JSON.stringify(r.composition?.role));
    assert.deepEqual(whole(r), []);
  });

  test('a Twig or ERB mail in a mail folder (also _emails/) stays an email with no other sign of one', () => {
    const dir = tree({});
    const page = '<!DOCTYPE html>\n<html><body><h1>Autumn picks</h1><p>Ten new trail jackets.</p></body></html>\n';
    for (const rel of ['templates/_emails/autumn.html.twig', 'app/views/mailers/autumn.html.erb']) {
      assert.equal(lintIn(dir, rel, page).composition?.role.role, 'email', rel);
    }
    // The same page among the site's views is a web page.
    assert.equal(lintIn(dir, 'templates/shop/autumn.html.twig', page).composition?.role.role, 'web');
  });

  test('a Blade markdown mail outside a mail folder is still an email (the framework mail layout says so)', () => {
    const dir = tree({});
    const text = "@component('mail::message')\n<h1>Autumn picks</h1>\n<p>Ten new trail jackets arrived.</p>\n@endcomponent\n";
    const r = lintIn(dir, 'resources/views/orders/autumn.blade.php', text);
    assert.equal(r.composition?.role.role, 'email', JSON.stringify(r.composition?.role));
  });

  test("a template gallery's index (links to the templates beside it) is a page, the templates stay emails", () => {
    const index = '---\nlayout: gallery\n---\n<container><row><columns>\n<p>Pick a template:</p>\n<center><menu>\n<item href="{{root}}welcome.html">Welcome</item>\n<item href="{{root}}receipt.html">Receipt</item>\n<item href="{{root}}promo.html">Promo</item>\n</menu></center>\n</columns></row></container>\n';
    const layout = '<!DOCTYPE html>\n<html><head><link rel="stylesheet" href="{{root}}css/app.css"></head><body><table class="body"><tr><td align="center"><center>{{> body}}</center></td></tr></table></body></html>\n';
    const dir = tree({ 'src/layouts/gallery.html': layout, 'src/layouts/default.html': layout, 'src/pages/index.html': index, 'src/pages/promo.html': '<container><p>20% off</p></container>\n' });
    const r = lintIn(dir, 'src/pages/index.html', index);
    assert.equal(r.composition?.role.role, 'web', JSON.stringify(r.composition?.role));
    assert.deepEqual(r.findings, []);
    assert.equal(lintIn(dir, 'src/pages/promo.html', '<container><p>20% off</p></container>\n').composition?.role.role, 'email');
  });

  test('a saved web page (scripts and a form beside old table layout) is a web page', () => {
    const page = '<!doctype html><html><head><title>Search</title><script>window.start=Date.now();</script></head>\n<body bgcolor="#fff"><center><form action="/search"><input name="q"><select name="lang"><option>en</option></select></form>\n<table cellpadding="0" cellspacing="0"><tr><td bgcolor="#eee"><a href="http://example.com/prefs">Preferences</a></td></tr></table></center></body></html>\n';
    const dir = tree({});
    const r = lintIn(dir, 'spec/fixtures/pages/search.html', page);
    assert.equal(r.composition?.role.role, 'web', JSON.stringify(r.composition?.role));
    assert.deepEqual(r.findings, []);
  });

  test('a personal data export mail is transactional by its name', () => {
    const dir = tree({});
    const r = lintIn(dir, 'static/email-templates/subscriber-data.html', MAIL);
    assert.equal(r.category.category, 'transactional');
    assert.deepEqual(whole(r), []);
  });
});

describe('the code that sends a template says what it is for', () => {
  const VIEW = '<h1>Hello <%= @user.name %></h1>\n<p>Here is what is new.</p>\n';
  const LAYOUT = '<!DOCTYPE html>\n<html><body><table role="presentation" cellpadding="0"><tr><td><%= yield %></td></tr><tr><td>Kettle Goods, 88 Mill Street, Portland, OR 97204</td></tr></table></body></html>\n';

  test("Rails: the mailer method's subject makes UserMailer#welcome transactional, and the message says so", () => {
    const dir = tree({
      'app/views/layouts/mailer.html.erb': LAYOUT,
      'app/mailers/user_mailer.rb': "class UserMailer < ApplicationMailer\n  def welcome(user)\n    @user = user\n    mail(to: user.email, subject: 'Confirm your account')\n  end\n\n  def tips(user)\n    mail(to: user.email, subject: 'Five tips for your first week')\n  end\nend\n",
      'app/views/user_mailer/welcome.html.erb': VIEW,
      'app/views/user_mailer/tips.html.erb': VIEW,
    });
    const welcome = lintIn(dir, 'app/views/user_mailer/welcome.html.erb', VIEW);
    assert.deepEqual(welcome.category, { category: 'transactional', signal: 'mailer', detail: 'UserMailer#welcome, subject "Confirm your account"' });
    assert.deepEqual(whole(welcome), []);
    // Nothing in tips' code says transactional: marketing by default, flagged.
    const tips = lintIn(dir, 'app/views/user_mailer/tips.html.erb', VIEW);
    assert.equal(tips.category.signal, 'default');
    assert.deepEqual(whole(tips).filter((x) => x.startsWith('unsubscribe')), ['unsubscribe-link-missing/missing:error']);
  });

  test('Rails: a method whose name and subject say nothing transactional decides nothing (marketing by default)', () => {
    const dir = tree({
      'app/views/layouts/mailer.html.erb': LAYOUT,
      'app/mailers/member_mailer.rb': "class MemberMailer < ApplicationMailer\n  def summary(member)\n    mail(to: member.email, subject: 'Your monthly newsletter')\n  end\nend\n",
      'app/views/member_mailer/summary.html.erb': VIEW,
    });
    const r = lintIn(dir, 'app/views/member_mailer/summary.html.erb', VIEW);
    assert.equal(r.category.signal, 'default');
    assert.deepEqual(whole(r).filter((x) => x.startsWith('unsubscribe')), ['unsubscribe-link-missing/missing:error']);
  });

  test('Laravel: the Mailable that names the view (view: / ->view()) classifies it', () => {
    const BLADE = '<!DOCTYPE html>\n<html><body><table role="presentation" cellpadding="0"><tr><td><h1>Hello {{ $user->name }}</h1></td></tr></table></body></html>\n';
    const dir = tree({
      'app/Mail/PasswordChanged.php': "<?php\nnamespace App\\Mail;\nuse Illuminate\\Mail\\Mailable;\nclass PasswordChanged extends Mailable\n{\n    public function content(): Content\n    {\n        return new Content(view: 'emails.account.notice');\n    }\n}\n",
      'app/Mail/SpringCampaign.php': "<?php\nnamespace App\\Mail;\nclass SpringCampaign extends Mailable\n{\n    public function build()\n    {\n        return $this->view('emails.updates.spring');\n    }\n}\n",
      'resources/views/emails/account/notice.blade.php': BLADE,
      'resources/views/emails/updates/spring.blade.php': BLADE,
    });
    const notice = lintIn(dir, 'resources/views/emails/account/notice.blade.php', BLADE);
    assert.deepEqual(notice.category, { category: 'transactional', signal: 'mailer', detail: 'App\\Mail\\PasswordChanged' });
    const spring = lintIn(dir, 'resources/views/emails/updates/spring.blade.php', BLADE);
    assert.deepEqual(spring.category, { category: 'marketing', signal: 'mailer', detail: 'App\\Mail\\SpringCampaign' });
    assert.match(spring.findings.find((f) => f.ruleId === 'unsubscribe-link-missing')!.message, /by the code that sends it, App\\Mail\\SpringCampaign/);
    const ja = lintIn(dir, 'resources/views/emails/updates/spring.blade.php', BLADE, 'ja');
    assert.match(ja.findings.find((f) => f.ruleId === 'unsubscribe-link-missing')!.message, /送信するコード App\\Mail\\SpringCampaign から/);
  });

  test('Django: the function that renders the template (render_to_string) classifies it', () => {
    const dir = tree({
      'accounts/emails.py': "from django.core.mail import EmailMultiAlternatives\nfrom django.template.loader import render_to_string\n\n\ndef send_verification(user):\n    html = render_to_string('accounts/emails/hello.html', {'user': user})\n    msg = EmailMultiAlternatives('Hello', '', to=[user.email])\n    msg.attach_alternative(html, 'text/html')\n    msg.send()\n",
      'accounts/templates/accounts/emails/hello.html': MAIL,
    });
    const r = lintIn(dir, 'accounts/templates/accounts/emails/hello.html', MAIL);
    assert.deepEqual(r.category, { category: 'transactional', signal: 'mailer', detail: 'send_verification() in accounts/emails.py' });
    assert.deepEqual(whole(r), []);
  });
});

describe('Liquid layouts outside a layouts folder', () => {
  const SHELL = (slot: string) => `<!DOCTYPE html>\n<html><body><table role="presentation" cellpadding="0"><tr><td>${slot}</td></tr><tr><td>Alder Ridge Outfitters, 1450 Cedar Avenue, Bend, OR 97701</td></tr></table></body></html>\n`;
  test('a LiquidJS base with {% block %} and a Shopify one with {{ content_for_layout }} are layouts, not emails', () => {
    const dir = tree({});
    for (const [rel, slot] of [['emails/wrapper.liquid', '{% block content %}{% endblock %}'], ['notifications/shell.liquid', '{{ content_for_layout }}']] as const) {
      const r = lintIn(dir, rel, SHELL(slot));
      assert.equal(r.composition?.role.role, 'part', `${rel}: ${JSON.stringify(r.composition?.role)}`);
      assert.deepEqual(whole(r), [], rel);
    }
  });
});

describe('an unsubscribe in plain text', () => {
  test('a URL or expression that says unsubscribe, a line that says so before a URL, an ESP tag; not a bare mention', async () => {
    const { textHasUnsubscribe } = await import('../../server/src/core/compose/alternative');
    for (const yes of ['Unsubscribe: <%= @unsubscribe_url %>', 'https://shop.example.com/unsubscribe?u=42', '配信停止はこちら https://example.jp/stop', 'Opt out: {{ prefs_link }}', 'To stop: *|UNSUB|*']) assert.ok(textHasUnsubscribe(yes), yes);
    for (const no of ['You can unsubscribe at any time.', 'Visit https://shop.example.com/sale', 'Order 42 shipped']) assert.ok(!textHasUnsubscribe(no), no);
  });
});

describe('a template condition that names the unsubscribe URL is no unsubscribe link', () => {
  const VIEW = (middle: string) =>
    `<!DOCTYPE html>\n<html lang="en"><body><table role="presentation" cellpadding="0"><tr><td>\n<h1>Spring sale: 30% off boots</h1>\n${middle}\n<p>Kettle Goods, 88 Mill Street, Portland, OR 97204</p>\n</td></tr></table></body></html>\n`;
  const unsubscribeFindings = (middle: string, rel = 'app/views/promo_mailer/spring_sale.html.erb') => {
    const dir = tree({});
    return whole(lintIn(dir, rel, VIEW(middle))).filter((x) => x.startsWith('unsubscribe'));
  };

  test('ERB and EEx: `<% if @unsubscribe_url %>` around text without a link is flagged', () => {
    assert.deepEqual(unsubscribeFindings('<% if @unsubscribe_url %><p>Change your email preferences in your account.</p><% end %>'), ['unsubscribe-link-missing/missing:error']);
    assert.deepEqual(
      unsubscribeFindings('<%= if assigns[:unsubscribe_url] do %><p>Change your email preferences in your account.</p><% end %>', 'lib/shop_web/templates/email/spring_sale.html.eex'),
      ['unsubscribe-link-missing/missing:error'],
    );
  });

  test('the same condition around a real link, or the URL printed, counts', () => {
    assert.deepEqual(unsubscribeFindings('<% if @unsubscribe_url %><p><%= link_to "Unsubscribe", @unsubscribe_url %></p><% end %>'), []);
    assert.deepEqual(unsubscribeFindings('<p><a href="<%= @unsubscribe_url %>">Unsubscribe</a></p>'), []);
  });
});
