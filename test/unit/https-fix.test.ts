// unsubscribe-link-unusable's safe fix for an http: unsubscribe link changes the scheme and nothing
// else: not the rest of the value (raw `&`, `<`, quotes inside template tags, which re-escaping
// the decoded value changed and, for `{{ url_for("x") }}`, broke), not a byte outside it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { applyEdits } from '../../server/src/core/text';
import { linter } from '../../server/src/linter';

const page = (link: string) =>
  `<!DOCTYPE html>\r\n<html lang="en"><body><table role="presentation"><tr><td>200 Pine Street, Portland, OR 97204<br>\r\n${link}\r\n</td></tr></table></body></html>\r\n`;

function httpsFix(text: string) {
  const result = linter.lint({ text, filePath: 'news.html', config: defaultConfig() });
  const finding = result.findings.find((f) => f.ruleId === 'unsubscribe-link-unusable' && f.messageId === 'insecureHref');
  assert.ok(finding, JSON.stringify(result.findings.map((f) => f.messageId)));
  return finding.fixes.find((f) => f.safe);
}

describe('the https fix changes the scheme only', () => {
  const cases: Array<[string, string, string]> = [
    ['a quoted template tag and raw ampersands', '<a href="http://x.example/{{ url_for("unsubscribe") }}?a=1&b=2&amp;c=3">Unsubscribe</a>', '<a href="https://x.example/{{ url_for("unsubscribe") }}?a=1&b=2&amp;c=3">Unsubscribe</a>'],
    ['upper case, spaces around the value', '<a style="color:#888" HREF = " HTTP://x.example/unsubscribe?u=<%= id %>" title=\'Unsubscribe\'>here</a>', '<a style="color:#888" HREF = " https://x.example/unsubscribe?u=<%= id %>" title=\'Unsubscribe\'>here</a>'],
    ['an unquoted value', '<a href=http://x.example/unsubscribe?a=1&b=2>Unsubscribe</a>', '<a href=https://x.example/unsubscribe?a=1&b=2>Unsubscribe</a>'],
  ];
  for (const [name, link, fixed] of cases) {
    test(name, () => {
      const text = page(link);
      const fix = httpsFix(text);
      assert.ok(fix, 'a safe fix');
      const after = applyEdits(text, fix.edits).text;
      assert.equal(after, page(fixed));
      const again = linter.lint({ text: after, filePath: 'news.html', config: defaultConfig() });
      assert.deepEqual(again.findings.filter((f) => f.ruleId === 'unsubscribe-link-unusable'), []);
    });
  }

  test('a scheme written with entities gets no safe fix (only the one a person picks)', () => {
    assert.equal(httpsFix(page('<a href="&#104;ttp://x.example/unsubscribe">Unsubscribe</a>')), undefined);
  });
});

describe('attribute offsets agree with the parser inside template tags', () => {
  const config = { ...defaultConfig(), esp: 'mailchimp' as const };
  test('the fix that points the link elsewhere replaces the whole value, quotes in template tags and all', () => {
    const link = '<a href="http://x.example/{{ url_for("unsubscribe", to=">") }}" style="color:#888">Unsubscribe</a>';
    const text = page(link);
    const result = linter.lint({ text, filePath: 'news.html', config });
    const finding = result.findings.find((f) => f.messageId === 'insecureHref')!;
    // The finding covers the whole start tag: the `>` inside the template tag does not end it.
    assert.equal(text.slice(finding.start, finding.end), link.slice(0, link.indexOf('>Unsubscribe') + 1));
    const replace = finding.fixes.find((f) => !f.safe)!;
    assert.equal(applyEdits(text, replace.edits).text, page('<a href="*|UNSUB|*" style="color:#888">Unsubscribe</a>'));
  });
});
