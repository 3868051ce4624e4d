// Fixture repositories laid out like real projects (test/fixtures/repos/<stack>/): emails whose
// footer lives in a layout or a partial, with web pages beside them. Each has an expect.json that
// labels its files. Every email is linted as composed, with the right category; layouts, partials
// and web pages get no error; and removing the unsubscribe link from the shared footer flags every
// marketing email built on it, and only those.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import type { LintResult } from '../../server/src/core/types';
import { nodeReader } from '../../server/src/host/files';
import { walkFiles } from '../../server/src/host/walk';
import { linter } from '../../server/src/linter';

const REPOS = path.resolve(__dirname, '..', 'fixtures', 'repos');

interface Expect {
  stack: string;
  emails: Record<string, 'marketing' | 'transactional'>;
  parts: string[];
  web: string[];
  footer: { file: string; unsubscribe: string };
  /** Plain-text twins: the HTML email -> its text part (one message with it). */
  textParts?: Record<string, string>;
}

function lintIn(root: string, rel: string): LintResult {
  const filePath = path.join(root, rel);
  const text = readFileSync(filePath, 'utf8');
  return linter.lint({ text, filePath, config: { ...defaultConfig(), root }, reader: nodeReader });
}

const errors = (r: LintResult) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}/${f.messageId}`);

for (const name of readdirSync(REPOS).sort()) {
  const root = path.join(REPOS, name);
  const expect = JSON.parse(readFileSync(path.join(root, 'expect.json'), 'utf8')) as Expect;

  describe(`${name}: ${expect.stack}`, () => {
    test('the default file globs reach every email and part (web pages may be left out)', () => {
      const config = { ...defaultConfig(), root };
      const walked = new Set<string>();
      for (const step of walkFiles(root, { configFor: () => config })) if ('file' in step) walked.add(path.relative(root, step.file).split(path.sep).join('/'));
      const labelled = [...Object.keys(expect.emails), ...expect.parts];
      assert.deepEqual(labelled.filter((f) => !walked.has(f)), []);
    });

    for (const [rel, category] of Object.entries(expect.emails)) {
      test(`${rel} is a ${category} email, composed, with no error`, () => {
        const r = lintIn(root, rel);
        assert.equal(r.composition?.role.role, 'email', `role: ${JSON.stringify(r.composition?.role)}`);
        assert.equal(r.composition?.shell, true, 'the composed message has its <html>');
        assert.deepEqual(r.composition?.unresolved, []);
        if (category === 'marketing') assert.ok(r.composition!.parts.some((p) => p.path === path.join(root, expect.footer.file) || p.path?.startsWith(`${path.join(root, expect.footer.file)}#`)), `the footer is part of it: ${JSON.stringify(r.composition!.parts.map((p) => p.path))}`);
        assert.equal(r.category.category, category, `category: ${JSON.stringify(r.category)}`);
        assert.deepEqual(errors(r), []);
      });
    }

    for (const rel of expect.parts) {
      test(`${rel} is a part: judged through its emails, never alone`, () => {
        const r = lintIn(root, rel);
        assert.equal(r.composition?.role.role, 'part', `role: ${JSON.stringify(r.composition?.role)}`);
        assert.deepEqual(errors(r), []);
      });
    }

    for (const rel of expect.web) {
      test(`${rel} is not an email and gets no error`, () => {
        const r = lintIn(root, rel);
        assert.notEqual(r.composition?.role.role, 'email', `role: ${JSON.stringify(r.composition?.role)}`);
        assert.deepEqual(errors(r), []);
        assert.deepEqual(r.findings.filter((f) => f.ruleId === 'unsubscribe-link-missing' || f.ruleId === 'postal-address-missing'), []);
      });
    }

    for (const [html, text] of Object.entries(expect.textParts ?? {})) {
      test(`${text} is the plain-text part of ${html}: listed with it, never judged alone`, () => {
        const r = lintIn(root, html);
        assert.deepEqual(r.composition?.parts.filter((p) => p.kind === 'text').map((p) => p.path), [path.join(root, text)]);
        const own = lintIn(root, text);
        if (own.composition) assert.equal(own.composition.role.role, 'part');
        assert.deepEqual(own.findings.filter((f) => f.severity !== 'hint'), []);
      });
    }

    test('without the footer\'s unsubscribe link every marketing email is flagged, and only those', () => {
      const copy = mkdtempSync(path.join(tmpdir(), `deliverlint-repo-${name}-`));
      try {
        cpSync(root, copy, { recursive: true });
        const footer = path.join(copy, expect.footer.file);
        const text = readFileSync(footer, 'utf8');
        assert.equal(text.split(expect.footer.unsubscribe).length, 2, 'the unsubscribe link is in the footer once');
        writeFileSync(footer, text.replace(expect.footer.unsubscribe, ''));
        for (const [rel, category] of Object.entries(expect.emails)) {
          const r = lintIn(copy, rel);
          const missing = r.findings.filter((f) => f.ruleId === 'unsubscribe-link-missing' && f.messageId === 'missing' && f.severity === 'error');
          assert.equal(missing.length, category === 'marketing' ? 1 : 0, `${rel} (${category}): ${JSON.stringify(r.findings.map((f) => f.ruleId))}`);
        }
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  });
}

describe('a hidden unsubscribe link in a shared footer', () => {
  test('is reported on every email built on it, with the place in the footer as related information', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'deliverlint-repo-hidden-'));
    try {
      cpSync(path.join(REPOS, 'hbs-shop'), copy, { recursive: true });
      const footer = path.join(copy, 'emails/partials/footer.hbs');
      const text = readFileSync(footer, 'utf8');
      writeFileSync(footer, text.replace('<td style="padding:16px;', '<td style="display:none;padding:16px;'));
      const r = lintIn(copy, 'emails/marketing/spring-sale.hbs');
      const f = r.findings.find((x) => x.ruleId === 'unsubscribe-link-unusable');
      assert.equal(f?.messageId, 'hiddenInPart');
      assert.deepEqual(f?.data, { part: 'footer.hbs', declaration: 'display:none', on: 'td' });
      // On the email's layout reference, pointing at the link's line in the footer.
      assert.equal(readFileSync(path.join(copy, 'emails/marketing/spring-sale.hbs'), 'utf8').slice(f!.start, f!.end), '{{#> base');
      const linkLine = text.split('\n').findIndex((l) => l.includes('{{unsubscribe_url}}'));
      assert.deepEqual(f?.related?.map((p) => [path.relative(copy, p.filePath), p.line]), [['emails/partials/footer.hbs', linkLine]]);
      // The footer partial, linted alone, reports the link where it is.
      const own = lintIn(copy, 'emails/partials/footer.hbs').findings.filter((x) => x.ruleId === 'unsubscribe-link-unusable');
      assert.deepEqual(own.map((x) => x.messageId), ['hidden']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('a footer partial that is gone, included by the layout', () => {
  test('leaves every email unverified (info on the layout reference), never a false missing link', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'deliverlint-repo-gone-'));
    try {
      cpSync(path.join(REPOS, 'hbs-shop'), copy, { recursive: true });
      rmSync(path.join(copy, 'emails/partials/footer.hbs'));
      for (const rel of ['emails/marketing/spring-sale.hbs', 'emails/marketing/weekly-picks.hbs']) {
        const r = lintIn(copy, rel);
        assert.deepEqual(errors(r), [], rel);
        const f = r.findings.find((x) => x.ruleId === 'unsubscribe-link-missing');
        assert.deepEqual([f?.messageId, f?.severity, f?.data?.['name']], ['unverifiable', 'info', 'footer']);
        assert.equal(readFileSync(path.join(copy, rel), 'utf8').slice(f!.start, f!.end), '{{#> base');
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('layouts that only code names', () => {
  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-layouts-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  }
  const SHELL = (inner: string, slot: string) =>
    `<!DOCTYPE html><html><body><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td>${slot}</td></tr><tr><td>${inner}</td></tr></table></body></html>\n`;

  test("Rails: the layout a mailer class declares (layout 'store/base_mailer') wraps its views", () => {
    const dir = tree({
      'app/mailers/application_mailer.rb': "class ApplicationMailer < ActionMailer::Base\n  default from: 'shop@example.com'\n  layout 'store/base_mailer'\nend\n",
      'app/views/layouts/store/base_mailer.html.erb': SHELL('Kettle Goods, 88 Mill Street, Portland, OR 97204 <a href="<%= unsubscribe_url %>">Unsubscribe</a>', '<%= yield %>'),
      'app/views/promo_mailer/spring.html.erb': '<h1>Spring sale</h1>\n<p>Everything 20% off this week.</p>\n',
    });
    try {
      const r = lintIn(dir, 'app/views/promo_mailer/spring.html.erb');
      assert.deepEqual(r.composition?.parts.map((p) => path.relative(dir, p.path ?? '')), ['app/views/layouts/store/base_mailer.html.erb']);
      assert.equal(r.composition?.role.role, 'email');
      assert.deepEqual(errors(r), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Rails: a namespaced mailer gets its parent class\'s layout (layouts/store/base_mailer)', () => {
    const dir = tree({
      'app/mailers/store/base_mailer.rb': "module Store\n  class BaseMailer < ActionMailer::Base\n  end\nend\n",
      'app/mailers/store/carton_mailer.rb': "module Store\n  class CartonMailer < BaseMailer\n    def shipped_email(carton)\n    end\n  end\nend\n",
      'app/views/layouts/store/base_mailer.html.erb': SHELL('Kettle Goods, 88 Mill Street, Portland, OR 97204', '<%= yield %>'),
      'app/views/store/carton_mailer/shipped_email.html.erb': '<h1>Your order has shipped</h1>\n<p>Tracking: <%= @carton.tracking %></p>\n',
    });
    try {
      const r = lintIn(dir, 'app/views/store/carton_mailer/shipped_email.html.erb');
      assert.deepEqual(r.composition?.parts.map((p) => path.relative(dir, p.path ?? '')), ['app/views/layouts/store/base_mailer.html.erb']);
      assert.equal(r.composition?.shell, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Phoenix: an email template gets the email layout beside its folder', () => {
    const dir = tree({
      'lib/shop_web/templates/layout/email.html.heex': SHELL('Kettle Goods, 88 Mill Street, Portland, OR 97204', '<%= @inner_content %>'),
      'lib/shop_web/templates/email/spring.html.heex': '<h1>Spring sale</h1>\n<p>Everything 20% off this week.</p>\n',
    });
    try {
      const r = lintIn(dir, 'lib/shop_web/templates/email/spring.html.heex');
      assert.deepEqual(r.composition?.parts.map((p) => path.relative(dir, p.path ?? '')), ['lib/shop_web/templates/layout/email.html.heex']);
      // Composed, the message lacks an unsubscribe link: flagged.
      assert.deepEqual(r.findings.filter((f) => f.ruleId === 'unsubscribe-link-missing').map((f) => f.messageId), ['missing']);
      assert.equal(lintIn(dir, 'lib/shop_web/templates/layout/email.html.heex').composition?.role.role, 'part');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
