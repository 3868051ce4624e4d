// A footer fix (unsubscribe link, postal address) is offered only where the parser will read what
// it inserts as body markup. On a file cut off inside a tag, or with a comment, CDATA section,
// template tag, <head> or raw-text element still open at the insertion point, the inserted footer
// would never count: fix-all would insert it again on every pass.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import type { ResolvedConfig } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';
import { insertsIntoContent } from '../../server/src/rules/shared/footer';

const config: ResolvedConfig = {
  ...defaultConfig(),
  root: '/repo',
  sender: { ...defaultConfig().sender, postalAddress: 'Example Shop Ltd, 1 Market Street, Springfield, IL 62701, USA', unsubscribeUrl: 'https://shop.example.com/unsubscribe' },
};
const filePath = '/repo/emails/campaigns/spring-sale.html';
const HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Spring sale</title></head>\n<body>\n<table role="presentation" width="100%"><tr><td>\n<h1>Spring sale</h1>\n<p>Our boots are 30% off until Sunday.</p>\n';

describe('where a footer fix may insert', () => {
  test('insertsIntoContent', () => {
    const at = (s: string) => insertsIntoContent(s, s.length);
    assert.equal(at('<p>Hi</p>'), true);
    assert.equal(at('<p>Hi</p><t'), false, 'inside a tag cut off');
    assert.equal(at('<p>Hi</p><!-- note'), false, 'inside an open comment');
    assert.equal(at('<p>Hi</p><!-- note -->'), true);
    assert.equal(at('<!--[if !mso]><!--><p>Hi</p>'), true, 'a downlevel-revealed conditional is closed');
    assert.equal(at('<p>Hi</p><![CDATA[ x'), false);
    assert.equal(at('<p>{{#if member}} Hi {{'), false, 'inside a template tag');
    assert.equal(at('<p>Hello {{ first_name,</p>\n<p>More</p>'), true, 'a half-typed tag earlier, with markup after it');
    assert.equal(at('<p><% if x < 3 %>Hi'), true, 'a closed template tag and a < that starts no tag');
    assert.equal(at('<html><head><meta charset="utf-8">'), false, 'inside <head>');
    assert.equal(at('<html><head></head><body><p>Hi'), true);
    assert.equal(at('<body><style>p { color: red; }'), false, 'inside raw text');
    assert.equal(at('<body><style>p{}</style><p>Hi'), true);
    assert.equal(at('<body><titlebar>x'), true, 'a name that only starts like a raw-text element');
  });

  for (const [name, tail] of [
    ['cut off inside a tag', '<p>See you soon.</p>\n<t'],
    ['an open comment', '<p>See you soon.</p>\n<!-- old footer'],
    ['an open template tag', '<p>See you soon, {{ first_name'],
  ] as const) {
    test(`fix-all converges on a file with ${name}`, () => {
      const text = HEAD + tail;
      const once = linter.fixText({ text, filePath, config });
      const twice = linter.fixText({ text: once.text, filePath, config });
      assert.equal(twice.text, once.text, 'a second fix-all changes nothing');
      assert.ok(once.passes < 10, `fix-all stopped after ${once.passes} passes`);
      assert.ok((once.text.match(/1 Market Street/g) ?? []).length <= 1, 'the address is inserted once at most');
      const r = linter.lint({ text, filePath, config });
      for (const f of r.findings.filter((x) => x.ruleId === 'postal-address-missing' || x.ruleId === 'unsubscribe-link-missing')) {
        assert.deepEqual(f.fixes.filter((x) => x.safe), [], `${f.ruleId} offers no safe fix there`);
      }
    });
  }

  test('a whole file still gets its footer fixes, and they converge', () => {
    const text = `${HEAD}</td></tr></table>\n</body>\n</html>\n`;
    const once = linter.fixText({ text, filePath, config });
    assert.equal((once.text.match(/1 Market Street/g) ?? []).length, 1);
    assert.equal(linter.fixText({ text: once.text, filePath, config }).text, once.text);
  });
});
