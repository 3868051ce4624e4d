// The fixes users asked for: closing a half-typed merge tag in each engine's delimiters, renaming a
// misspelt MJML attribute (the finding on the attribute's name), and showing a hidden unsubscribe
// link. Each is applied and the result linted again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { applyEdits } from '../../server/src/core/text';
import type { Finding } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';

const config = { ...defaultConfig(), jurisdictions: ['us' as const] };
const FOOTER = '<p>Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101 <a href="{{unsubscribe_url}}">Unsubscribe</a></p>';
const page = (line: string) => `<!DOCTYPE html>\n<html lang="en">\n<body>\n<p>${line}</p>\n${FOOTER}\n</body>\n</html>\n`;
const lint = (text: string, kind: 'html' | 'mjml' = 'html') => linter.lint({ text, kind, config, filePath: `/ws/emails/news.${kind}` });
const only = (text: string, ruleId: string, kind: 'html' | 'mjml' = 'html'): Finding[] => lint(text, kind).findings.filter((f) => f.ruleId === ruleId);

const closes: Array<[string, string]> = [
  ['Hi {{ first_name, welcome back.', 'Hi {{ first_name }}, welcome back.'],
  ['Hi {{first_name', 'Hi {{first_name}}'],
  ['Hi {{- user.name, welcome.', 'Hi {{- user.name -}}, welcome.'],
  ['Hi *|FNAME, welcome.', 'Hi *|FNAME|*, welcome.'],
  ['Hi <%= @user.first_name, welcome.', 'Hi <%= @user.first_name %>, welcome.'],
  ['{% if vip %}Thanks!{% endif', '{% if vip %}Thanks!{% endif %}'],
];
for (const [line, fixed] of closes) {
  test(`closes a half-typed tag: ${line}`, () => {
    const text = page(line);
    const [f] = only(text, 'merge-tag-unclosed');
    assert.ok(f && f.fixes.length === 1, 'one fix');
    assert.equal(f.fixes[0]!.safe, false, 'a guess at where the tag ends: offered, never applied by fix-all');
    const out = applyEdits(text, f.fixes[0]!.edits).text;
    assert.equal(out, page(fixed));
    assert.deepEqual(only(out, 'merge-tag-unclosed'), []);
  });
}

for (const line of ['{% if vip Thanks for being a member', 'Hi {{ name | upcase', 'Hi {{ "{{" to open a tag', 'See {{> footer']) {
  test(`no fix where the tag could end in more than one way: ${line}`, () => {
    const [f] = only(page(line), 'merge-tag-unclosed');
    assert.ok(f, 'reported');
    assert.deepEqual(f.fixes, []);
  });
}

const MJML = (attrs: string) => `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="14px"${attrs}>Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101 <a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

test('a misspelt MJML attribute: the finding sits on its name, and the fix renames it to the nearest known one', () => {
  const text = MJML(' colour="#333333"');
  const [f] = only(text, 'mjml-invalid', 'mjml');
  assert.ok(f);
  assert.equal(text.slice(f.start, f.end), 'colour');
  assert.equal(f.fixes.length, 1);
  assert.equal(f.fixes[0]!.safe, true, 'one near name: one reading');
  const out = applyEdits(text, f.fixes[0]!.edits).text;
  assert.equal(out, MJML(' color="#333333"'));
  assert.deepEqual(only(out, 'mjml-invalid', 'mjml'), []);
});

test('no rename onto an attribute the tag already has, and none for a name far from every known one', () => {
  for (const attrs of [' color="#111111" colour="#333333"', ' sparkle="yes"']) {
    const [f] = only(MJML(attrs), 'mjml-invalid', 'mjml');
    assert.ok(f, attrs);
    assert.deepEqual(f.fixes, [], attrs);
  }
});

test('a hidden unsubscribe link: the fix drops the hiding declarations and keeps the rest of the style', () => {
  const text = page('Winter sale').replace(FOOTER, '<p>Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101 <a href="{{unsubscribe_url}}" style="color:#888888; display:none !important;font-size:12px">Unsubscribe</a></p>');
  const [f] = only(text, 'unsubscribe-link-unusable');
  assert.equal(f?.messageId, 'hidden');
  assert.equal(f.fixes[0]!.safe, false);
  const out = applyEdits(text, f.fixes[0]!.edits).text;
  assert.ok(out.includes('<a href="{{unsubscribe_url}}" style="color:#888888;font-size:12px">Unsubscribe</a>'), out);
  assert.deepEqual(only(out, 'unsubscribe-link-unusable'), []);
});

test('a link hidden by its wrapper: the wrapper loses its style attribute when nothing else is in it', () => {
  const text = page('Winter sale').replace(FOOTER, '<p>Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101</p>\n<div class="legacy" style="display:none;"><a href="{{unsubscribe_url}}" style="color:#888888;">Unsubscribe</a></div>');
  const [f] = only(text, 'unsubscribe-link-unusable');
  const out = applyEdits(text, f!.fixes[0]!.edits).text;
  assert.ok(out.includes('<div class="legacy"><a href="{{unsubscribe_url}}" style="color:#888888;">Unsubscribe</a></div>'), out);
  assert.deepEqual(only(out, 'unsubscribe-link-unusable'), []);
});
