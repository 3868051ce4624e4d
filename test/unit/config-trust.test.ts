// Issue 13 "Trust": configuration says what it did. Unknown rule ids in the rc file, the settings
// and inline directives are named with the closest known id; JSON syntax errors are in words; a
// directive we cannot read is never deleted by a fix.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig, parseConfigText, unknownRuleMessage } from '../../server/src/core/config';
import { closestName, editDistance } from '../../server/src/core/suggest';
import { linter } from '../../server/src/linter';
import { suppressionEdit } from '../../server/src/core/suppress';
import { applyEdits } from '../../server/src/core/text';

const RULE_IDS = linter.rules.map((r) => r.meta.id);

const EMAIL = (beforeFooter: string) => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Spring offers</title></head>
<body><div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">Rain shells are 25% off</div>
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

  test('an unknown key inside sender, consent or payloads is a problem on the key, naming the closest one', () => {
    const text = '{\n  "sender": { "postalAdress": "1 Market Street", "name": "Example Shop" },\n  "consent": { "tagprefix": "c_" },\n  "payloads": { "ses": ["send/*.json"], "mailgun": [] }\n}\n';
    const parsed = parseConfigText(text, { ruleIds: RULE_IDS });
    assert.deepEqual(
      parsed.problems.map((p) => [text.slice(p.start, p.end), p.message]),
      [
        ['"postalAdress"', 'Unknown option "postalAdress" in "sender" (known: name, postalAddress, unsubscribeUrl, contact). Did you mean \'postalAddress\'?'],
        ['"tagprefix"', 'Unknown option "tagprefix" in "consent" (known: tagPrefix, requireInPayloads). Did you mean \'tagPrefix\'?'],
        ['"mailgun"', 'Unknown option "mailgun" in "payloads" (known: ses, sendgrid).'],
      ],
    );
    // The known keys beside them still apply.
    assert.deepEqual(parsed.layer.sender, { name: 'Example Shop' });
    assert.deepEqual(parsed.layer.payloads, { ses: ['send/*.json'] });
    const ja = parseConfigText(text, { ruleIds: RULE_IDS, locale: 'ja' });
    assert.equal(ja.problems[0]!.message, '「sender」に不明なオプション「postalAdress」があります (使えるもの: name, postalAddress, unsubscribeUrl, contact)。 「postalAddress」のことですか?');
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

describe('the rc schema VS Code validates with', () => {
  // VS Code's JSON language service validates an open rc file against the schema that package.json
  // contributes. Whatever it reported that the server reports too would show twice, so the schema
  // offers values (completion, hover) but enforces none of what the server judges.
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'deliverlintrc.schema.json'), 'utf8'));

  test('enforces no type, no enum, no unknown top-level key and no rule-id pattern', () => {
    const enforced: string[] = [];
    const walk = (node: unknown, at: string, optional: boolean) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`, optional));
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if ('type' in o && at !== '.properties.$schema') enforced.push(`${at}.type`);
      if ('enum' in o && !optional) enforced.push(`${at}.enum`);
      if ('propertyNames' in o) enforced.push(`${at}.propertyNames`);
      for (const [k, v] of Object.entries(o)) {
        // An enum beside {} in an anyOf is offered, never enforced.
        const offered = k === 'anyOf' && Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null && Object.keys(x).length === 0);
        walk(v, `${at}.${k}`, offered);
      }
    };
    walk(schema, '', false);
    assert.deepEqual(enforced, []);
    assert.equal(schema.additionalProperties, undefined, 'unknown options are the server\'s to report');
    for (const section of ['sender', 'consent', 'payloads']) assert.equal(schema.properties[section].additionalProperties, undefined, `unknown keys in "${section}" are the server's to report`);
  });

  test('still offers the values: ESPs, jurisdictions and severities', () => {
    const offered = (node: { anyOf?: Array<{ enum?: string[] }> }) => node.anyOf?.find((a) => a.enum)?.enum ?? [];
    assert.ok(offered(schema.properties.esp).includes('sendgrid'));
    assert.deepEqual(offered(schema.properties.jurisdictions.items), ['us', 'eu', 'ca', 'jp']);
    assert.deepEqual(offered(schema.definitions.severity), ['off', 'hint', 'info', 'warning', 'error']);
  });
});

test('no rc file in examples/ points $schema at a path: copied elsewhere, the path breaks; VS Code finds the bundled schema by file name', () => {
  const root = join(__dirname, '..', '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const rcValidation = manifest.contributes.jsonValidation.find((v: { fileMatch: string | string[] }) => [v.fileMatch].flat().includes('.deliverlintrc.json'));
  assert.ok(rcValidation, 'package.json associates .deliverlintrc.json with the bundled schema');
  for (const rel of ['examples/.deliverlintrc.json', 'examples/jp/.deliverlintrc.json']) {
    const parsed = parseConfigText(readFileSync(join(root, rel), 'utf8'));
    assert.deepEqual(parsed.problems, [], rel);
    assert.ok(!/"\$schema"/.test(readFileSync(join(root, rel), 'utf8')), `${rel} has no $schema`);
  }
});

test('"Fix All" is in the command palette for every kind fix-on-save works on: templates, .eml, campaign YAML, JSON payloads', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const when: string = manifest.contributes.menus.commandPalette.find((m: { command: string }) => m.command === 'deliverlint.fixAll').when;
  // The clause is an `||` of `key =~ /re/` and `key == value` terms; evaluate it for a file.
  const holds = (ctx: Record<string, string>) =>
    when.split('||').some((term) => {
      const re = /^\s*(\w+)\s*=~\s*\/(.*)\/\s*$/.exec(term);
      if (re) return new RegExp(re[2]!).test(ctx[re[1]!] ?? '');
      const eq = /^\s*(\w+)\s*==\s*([\w-]+)\s*$/.exec(term);
      if (eq) return ctx[eq[1]!] === eq[2];
      throw new Error(`unexpected term in the when clause: ${term}`);
    });
  const file = (name: string, lang: string) => ({ resourceFilename: name, resourceExtname: name.slice(name.lastIndexOf('.')), editorLangId: lang });
  assert.ok(holds(file('welcome.html', 'html')));
  assert.ok(holds(file('spring.eml', 'eml')));
  assert.ok(holds(file('spring.campaign.yaml', 'yaml')));
  assert.ok(holds(file('send-spring.json', 'json')));
  // CloudFormation and Terraform are known by content, whatever the file is called: every YAML file may be one.
  assert.ok(holds(file('template.yaml', 'yaml')));
  assert.ok(holds(file('ses.tf', 'terraform')));
  assert.ok(!holds(file('index.ts', 'typescript')));
  assert.ok(!holds(file('notes.txt', 'plaintext')));
});

test('"Disable for this line" adds its id to a directive above without rewriting what is written there', () => {
  // The ids as their author wrote them (spaces, an id Deliverlint does not know) stay byte for byte.
  const text = '<body>\n  <!-- deliverlint-disable-next-line postal-address-missing  senderr-identity-missing -->\n  <p>{{ x</p>\n</body>\n';
  const edit = suppressionEdit(text, text.indexOf('{{ x'), 'merge-tag-unclosed', 'line', 'html')!;
  assert.equal(edit.start, edit.end, 'an insertion, nothing replaced');
  const fixed = applyEdits(text, [edit]).text;
  assert.equal(fixed, text.replace('senderr-identity-missing -->', 'senderr-identity-missing, merge-tag-unclosed -->'));
  // Linted again: the new id suppresses its finding; the unknown id is still reported, not removed.
  const r = linter.lint({ text: fixed, filePath: '/project/emails/part.html', config: { ...defaultConfig(), root: '/project' } });
  assert.ok(!r.findings.some((f) => f.ruleId === 'merge-tag-unclosed'));
});

test('hostile input: thousands of unknown ids in an rc file or a directive stay fast, and the report stays bounded', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `x${'unsubscribe-link-mising'.repeat(4)}${i}`);
  let started = Date.now();
  const parsed = parseConfigText(JSON.stringify({ rules: Object.fromEntries(ids.map((id) => [id, 'off'])) }), { ruleIds: RULE_IDS });
  assert.equal(parsed.problems.length, 5000);
  assert.ok(Date.now() - started < 3000, `rc file: ${Date.now() - started} ms`);
  started = Date.now();
  const text = EMAIL(`<!-- deliverlint-disable-next-line ${ids.join(' ')} -->`);
  const r = linter.lint({ text, filePath: '/project/emails/spring.html', config: { ...defaultConfig(), root: '/project' } });
  assert.ok(Date.now() - started < 3000, `directive: ${Date.now() - started} ms`);
  assert.ok(r.findings.filter((f) => f.ruleId === 'unused-directive').length <= 101);
});
