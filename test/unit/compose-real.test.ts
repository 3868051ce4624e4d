// Composition and classification on project layouts met in real repositories: page templates that
// extend a web shell, Symfony bundle namespaces, Panini pages, Go header/footer definitions, error
// pages, and transactional mail told by its name or its Japanese wording.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { categoryByName } from '../../server/src/core/classify';
import { defaultConfig } from '../../server/src/core/config';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dl-compose-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function lintIn(root: string, rel: string, text: string) {
  const r = linter.lint({ text, filePath: join(root, rel), config: { ...defaultConfig(), root }, reader: nodeReader });
  return { role: r.composition?.role.role, category: r.category, ids: r.findings.map((f) => `${f.ruleId}:${f.severity}`) };
}

const WHOLE = /unsubscribe-link-missing|postal-address-missing|sender-identity-missing/;

test('a page that extends a web shell is a web page, not an email without unsubscribe', () => {
  const base = `<!doctype html>
<html lang="en"><head><title>{% block title %}Shop{% endblock %}</title>
<meta name="viewport" content="width=device-width">
<link rel="icon" href="{{ asset('favicon.ico') }}">
</head><body>{% block content %}{% endblock %}
{% block javascripts %}{% endblock %}</body></html>`;
  const page = `{% extends 'shared/base.html.twig' %}
{% block content %}<h1>Your cart</h1><p>Nothing here yet.</p>{% endblock %}`;
  const root = project({ 'templates/shared/base.html.twig': base, 'templates/cart/index.html.twig': page });
  const r = lintIn(root, 'templates/cart/index.html.twig', page);
  assert.equal(r.role, 'web');
  assert.ok(!r.ids.some((id) => WHOLE.test(id)), r.ids.join());
});

test('a dashboard page in an email folder, built on a page shell, is web', () => {
  const base = `<!DOCTYPE html><html><head><title>Dashboard</title></head>
<body><nav class="navbar">Menu</nav>{% block content %}{% endblock %}<script src="/static/js/dashboard.js"></script></body></html>`;
  const page = `{% extends "dashboard/base.html" %}{% block content %}<table class="table"><tr><td>{{ email.subject }}</td></tr></table>{% endblock %}`;
  const root = project({ 'templates/dashboard/base.html': base, 'templates/shop/communication/email/email_detail.html': page });
  assert.equal(lintIn(root, 'templates/shop/communication/email/email_detail.html', page).role, 'web');
});

test('a Django page whose base loads scripts is web', () => {
  const base = `{% load static %}<!DOCTYPE html><html><head><title>{% block title %}{% endblock %}</title></head>
<body>{% block layout %}{% endblock %}<script src="{% static 'js/app.js' %}"></script></body></html>`;
  const page = `{% extends "shop/base.html" %}{% block layout %}<p>Page not found.</p>{% endblock %}`;
  const root = project({ 'templates/shop/base.html': base, 'templates/shop/checkout/done.html': page });
  assert.equal(lintIn(root, 'templates/shop/checkout/done.html', page).role, 'web');
});

test('a Symfony form theme or profiler panel built on a framework template is not judged', () => {
  const theme = `{% extends 'bootstrap_5_layout.html.twig' %}
{% block form_row %}<div class="row">{{ form_widget(form) }}</div>{% endblock %}`;
  const panel = `{% extends '@WebProfiler/Profiler/layout.html.twig' %}
{% block panel %}<h2>Cart</h2>{% endblock %}`;
  const root = project({});
  for (const [rel, text] of [['templates/form/theme.html.twig', theme], ['src/Collector/cart.html.twig', panel]] as const) {
    const r = lintIn(root, rel, text);
    assert.equal(r.role, 'web', rel);
    assert.deepEqual(r.ids.filter((id) => WHOLE.test(id)), [], rel);
  }
});

test('a fragment whose layout cannot be found, with nothing saying email, gets no error', () => {
  const text = `{% extends '@Vendor/Types/widget.html.twig' %}{% block value %}<span>{{ value }}</span>{% endblock %}`;
  const r = lintIn(project({}), 'templates/product/types/text.html.twig', text);
  assert.equal(r.role, 'undecided');
  assert.ok(!r.ids.some((id) => id.endsWith(':error')), r.ids.join());
});

test('error pages and static public pages are web pages', () => {
  const page = `<!DOCTYPE html><html><head><title>Something went wrong (500)</title>
<style>body{font-family:sans-serif}</style></head><body><h1>We are sorry, something went wrong.</h1></body></html>`;
  const root = project({});
  for (const rel of ['public/500.html', 'templates/errors/error404.html.twig', 'templates/500.html']) {
    const r = lintIn(root, rel, page);
    assert.equal(r.role, 'web', rel);
  }
  // The same page in a mail folder stays an email.
  assert.equal(lintIn(root, 'emails/500.html', page).role, 'email');
});

test('Twig bundle namespaces resolve to the bundle folder, with or without the vendor prefix', () => {
  const layout = `<!DOCTYPE html><html><body><table role="presentation" cellpadding="0">{% block content %}{% endblock %}</table></body></html>`;
  const mail = `{% extends '@AcmeCore/Email/layout.html.twig' %}{% block content %}<tr><td>Spring sale: 20% off.</td></tr>{% endblock %}`;
  const root = project({ 'src/Acme/Bundle/CoreBundle/Resources/views/Email/layout.html.twig': layout });
  const rel = 'src/Acme/Bundle/ShopBundle/templates/email/spring.html.twig';
  const r = linter.lint({ text: mail, filePath: join(root, rel), config: { ...defaultConfig(), root }, reader: nodeReader });
  assert.deepEqual(r.composition?.unresolved, []);
  assert.equal(r.composition?.parts[0]?.path, join(root, 'src/Acme/Bundle/CoreBundle/Resources/views/Email/layout.html.twig'));
  assert.ok(r.findings.some((f) => f.ruleId === 'unsubscribe-link-missing' && f.severity === 'error'));
});

test('Panini pages are wrapped in layouts/default.html or the layout their front matter names', () => {
  const layout = (unsub: string) => `<!DOCTYPE html><html><body><table class="body" cellpadding="0"><tr><td>{{> body}}</td></tr></table>
<p>Harbor Outfitters, 1 Pier Road, Portland, ME 04101 ${unsub}</p></body></html>`;
  const page = `---\nsubject: Spring sale\n---\n<container><row><columns><p>Rain shells are 25% off.</p></columns></row></container>`;
  const named = `---\nlayout: promo\nsubject: Spring sale\n---\n<container><p>Trail shoes are 25% off.</p></container>`;
  const root = project({
    'src/layouts/default.html': layout('<a href="{{unsubscribe_url}}">Unsubscribe</a>'),
    'src/layouts/promo.html': layout(''),
  });
  const wrapped = lintIn(root, 'src/pages/spring.html', page);
  assert.equal(wrapped.role, 'email');
  assert.deepEqual(wrapped.ids.filter((id) => WHOLE.test(id)), []);
  const bare = lintIn(root, 'src/pages/shoes.html', named);
  assert.ok(bare.ids.includes('unsubscribe-link-missing:error'), bare.ids.join());
});

test('a Go mail whose header definition opens the <html> is composed and judged', () => {
  const base = `{{ define "header" }}<!doctype html><html><body><table cellpadding="0" width="600"><tr><td>{{ end }}
{{ define "footer" }}</td></tr></table><p>Lakeside Books, 12 Shore St, Duluth, MN 55802</p></body></html>{{ end }}`;
  const mail = `{{ define "spring-sale" }}{{ template "header" . }}<p>All paperbacks 20% off this week.</p>{{ template "footer" }}{{ end }}`;
  const root = project({ 'static/mail/base.html': base });
  const r = lintIn(root, 'static/mail/spring-sale.html', mail);
  assert.equal(r.role, 'email');
  assert.ok(r.ids.includes('unsubscribe-link-missing:error'), r.ids.join());
});

test('transactional and marketing mail told by the file or mailer folder name', () => {
  const t = (p: string) => categoryByName(p)?.category;
  assert.equal(t('app/views/order_mailer/order_shipped.html.erb'), 'transactional');
  assert.equal(t('templates/Mail/ShippingNotify.html.twig'), 'transactional');
  assert.equal(t('templates/Mail/entry_confirm.html.twig'), 'transactional');
  assert.equal(t('emails/password-reset.hbs'), 'transactional');
  assert.equal(t('app/views/user_mailer/welcome.html.erb'), undefined);
  assert.equal(t('static/email-templates/campaign-status.html'), 'transactional');
  assert.equal(t('emails/weekly-digest.mjml'), 'marketing');
  assert.equal(t('emails/メルマガ_春.html'), 'marketing');
  assert.equal(t('mail/発送完了.html'), 'transactional');
  assert.equal(t('emails/spring.html'), undefined);
  assert.equal(t('resources/views/vendor/notifications/email.blade.php'), 'transactional');
  assert.equal(t('templates/shop/emails/product_alert_body.html'), 'transactional');
  assert.equal(t('app/views/spree/reimbursement_mailer/reimbursement_email.html.erb'), 'transactional');
  assert.equal(t('app/views/spree/carton_mailer/shipped_email.html.erb'), 'transactional');
});

test('Japanese transactional wording: shipped, registration, inquiry received, account changed', () => {
  const mail = (line: string) => `<!DOCTYPE html><html><body bgcolor="#F0F0F0"><table cellpadding="0" cellspacing="0"><tr><td>
<div>{{ shop_name }}でございます。</div><div>${line}</div></td></tr></table></body></html>`;
  const root = project({});
  for (const line of ['お客さまがご注文された商品を発送いたしました。', '会員登録が完了いたしました。', 'お問い合わせを受け付けました。', '会員情報の変更が完了しました。', '※本メールは自動配信メールです。']) {
    const r = lintIn(root, 'templates/Mail/notice.html.twig', mail(line));
    assert.equal(r.category.category, 'transactional', line);
    assert.ok(!r.ids.some((id) => id.startsWith('unsubscribe-link-missing')), line);
  }
  // A newsletter in Japanese stays marketing.
  assert.equal(lintIn(root, 'templates/Mail/notice.html.twig', mail('春の新商品のご紹介です。')).category.category, 'marketing');
});
