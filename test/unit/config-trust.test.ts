// Issue 13 "Trust": configuration says what it did. Unknown rule ids in the rc file, the settings
// and inline directives are named with the closest known id; JSON syntax errors are in words; a
// directive we cannot read is never deleted by a fix.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig, parseConfigText, unknownRuleMessage } from '../../server/src/core/config';
import { closestName, editDistance } from '../../server/src/core/suggest';
import { linter } from '../../server/src/linter';

const RULE_IDS = linter.rules.map((r) => r.meta.id);

const EMAIL = (beforeFooter: string) => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Spring offers</title></head>
<body>
  <table role="presentation" width="600" cellpadding="0" cellspacing="0"><tr><td>
    Hi {{ first_name }}, rain shells are 25% off. <a href="https://harbor.example.com/spring">Shop</a>
  </td></tr>
  <tr><td>
    ${beforeFooter}
    <p>Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101</p>
  </td></tr></table>
</body>
</html>
`;

describe('closest rule id', () => {
  test('edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });

  test('a typo names the rule it meant; a word far from every id names none', () => {
    assert.equal(closestName('unsubscribe-link-mising', RULE_IDS), 'unsubscribe-link-missing');
    assert.equal(closestName('postal-adress-missing', RULE_IDS), 'postal-address-missing');
    assert.equal(closestName('foo', RULE_IDS), undefined);
  });

  test('the message, in English and Japanese', () => {
    assert.equal(unknownRuleMessage('unsubscribe-link-mising', RULE_IDS), "Unknown rule 'unsubscribe-link-mising'. Did you mean 'unsubscribe-link-missing'?");
    assert.equal(unknownRuleMessage('foo', RULE_IDS), "Unknown rule 'foo'.");
    const ja = unknownRuleMessage('unsubscribe-link-mising', RULE_IDS, 'ja');
    assert.match(ja, /不明なルール「unsubscribe-link-mising」/);
    assert.match(ja, /「unsubscribe-link-missing」のことですか/);
  });
});

describe('rc file', () => {
  test('an unknown rule id is a problem on the key, naming the closest id, and is dropped', () => {
    const text = '{\n  "rules": {\n    "unsubscribe-link-mising": "off",\n    "postal-address-missing": "warning"\n  }\n}\n';
    const parsed = parseConfigText(text, { ruleIds: RULE_IDS });
    assert.equal(parsed.problems.length, 1);
    const [p] = parsed.problems;
    assert.equal(text.slice(p!.start, p!.end), '"unsubscribe-link-mising"');
    assert.equal(p!.message, "Unknown rule 'unsubscribe-link-mising'. Did you mean 'unsubscribe-link-missing'?");
    assert.deepEqual(parsed.layer.rules, { 'postal-address-missing': 'warning' });
  });

  test('JSON syntax errors are in words, once each, in the locale asked for', () => {
    const text = '{\n  "esp": "ses"\n  "rules": {}\n}\n';
    const en = parseConfigText(text);
    assert.deepEqual(
      en.problems.map((p) => p.message),
      ['Invalid JSON: expected a comma.'],
    );
    assert.doesNotMatch(en.problems[0]!.message, /CommaExpected|\d/);
    const ja = parseConfigText(text, { locale: 'ja' });
    assert.match(ja.problems[0]!.message, /カンマが必要です/);
  });
});

describe('inline directives naming an unknown rule', () => {
  const lint = (text: string) => linter.lint({ text, filePath: '/project/emails/spring.html', config: { ...defaultConfig(), root: '/project' } });

  test('is reported as unknown, with the closest id, as a warning with no fix', () => {
    const text = EMAIL('<!-- deliverlint-disable-next-line unsubscribe-link-mising -->');
    const found = lint(text).findings.filter((f) => f.ruleId === 'unused-directive');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.messageId, 'unknownRule');
    assert.equal(found[0]!.severity, 'warning');
    assert.match(found[0]!.message, /Did you mean 'unsubscribe-link-missing'/);
    assert.deepEqual(found[0]!.fixes, []);
    assert.equal(text.slice(found[0]!.start, found[0]!.end), '<!-- deliverlint-disable-next-line unsubscribe-link-mising -->');
  });

  test('--fix (fix all) keeps the directive it does not understand, and still removes a plainly unused one', () => {
    const unknown = '<!-- deliverlint-disable-next-line unsubscribe-link-mising -->';
    const unused = '<!-- deliverlint-disable-file merge-tag-unclosed -->';
    const text = EMAIL(`${unknown}\n    ${unused}\n    <a href="https://harbor.example.com/unsubscribe?t={{ token }}">Unsubscribe</a>`);
    const { text: fixed } = linter.fixText({ text, filePath: '/project/emails/spring.html', config: { ...defaultConfig(), root: '/project' } });
    assert.ok(fixed.includes(unknown), 'the unknown directive is kept');
    assert.ok(!fixed.includes(unused), 'the unused directive is removed');
    // Linting the fixed text again: the unknown directive is still reported, nothing else from directives.
    const again = lint(fixed).findings.filter((f) => f.ruleId === 'unused-directive');
    assert.deepEqual(again.map((f) => f.messageId), ['unknownRule']);
  });

  test('a directive mixing a known and an unknown id still suppresses the known one, and is not offered for removal', () => {
    const text = EMAIL('<!-- deliverlint-disable-file unsubscribe-link-missing, sender-identity-mising -->');
    const findings = lint(text).findings;
    assert.deepEqual(findings.map((f) => `${f.ruleId}/${f.messageId}`), ['unused-directive/unknownRule']);
    assert.ok(findings.every((f) => f.fixes.length === 0));
  });

  test('in Japanese', () => {
    const text = EMAIL('<!-- deliverlint-disable-next-line foo -->');
    const r = linter.lint({ text, filePath: '/project/emails/spring.html', config: { ...defaultConfig(), root: '/project' }, locale: 'ja' });
    const f = r.findings.find((x) => x.ruleId === 'unused-directive');
    assert.equal(f?.messageId, 'unknownRuleNoSuggestion');
    assert.match(f!.message, /不明なルール「foo」/);
  });
});
