// Inky (Foundation for Emails) writes links as <button href> and <menu><item href>, compiled to <a>
// later. An unsubscribe written that way is a link: with a real URL it satisfies the rule, with "#"
// it is an unusable link (not a missing one), and its fix edits the Inky tag's href.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { applyEdits } from '../../server/src/core/text';
import type { LintResult } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';

const inky = (footer: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Spring trail days</title></head><body>
<container>
  <row>
    <columns>
      <h1>Spring trail days</h1>
      <p>Three guided rides this spring, members free.</p>
      <button class="expand" href="https://club.example.com/rides">See the rides</button>
    </columns>
  </row>
  <row>
    <columns>
      <p>Example Cycling Club, 40 Canal Street, Springfield, IL 62701, USA</p>
    </columns>
  </row>
</container>
<center>
  <menu>
    <item href="https://club.example.com/privacy">Privacy</item>
    ${footer}
  </menu>
</center>
</body></html>
`;

const lint = (text: string): LintResult =>
  linter.lint({ text, filePath: '/repo/src/pages/newsletter.html', config: { ...defaultConfig(), root: '/repo', marketing: ['**/newsletter.html'] } });
const unsubscribe = (r: LintResult) => r.findings.filter((f) => f.ruleId.startsWith('unsubscribe-link')).map((f) => `${f.ruleId}/${f.messageId}`);

describe('Inky links', () => {
  test('an <item href> unsubscribe with a real URL is the unsubscribe link', () => {
    assert.deepEqual(unsubscribe(lint(inky('<item href="https://club.example.com/unsubscribe?u={{id}}">Unsubscribe</item>'))), []);
  });

  test('a <button href> unsubscribe counts too', () => {
    assert.deepEqual(unsubscribe(lint(inky('<item href="https://club.example.com/terms">Terms</item>\n    </menu>\n    <button href="https://club.example.com/unsubscribe">Unsubscribe</button>\n  <menu>'))), []);
  });

  test('an unsubscribe <item href="#"> is an unusable link, and pointing it elsewhere edits its href', () => {
    const text = inky('<item href="#">Unsubscribe</item>');
    const r = lint(text);
    assert.deepEqual(unsubscribe(r), ['unsubscribe-link-unusable/anchorHref']);
    const f = r.findings.find((x) => x.ruleId === 'unsubscribe-link-unusable')!;
    const fix = f.fixes.find((x) => /Point the link/.test(x.title));
    assert.ok(fix, f.fixes.map((x) => x.title).join(' | '));
    const fixed = applyEdits(text, fix.edits).text;
    assert.match(fixed, /<item href="[^"#][^"]*">Unsubscribe<\/item>/);
    assert.equal(fixed.replace(/<item href="[^"]*">Unsubscribe/, ''), text.replace('<item href="#">Unsubscribe', ''), 'nothing else changed');
    assert.deepEqual(unsubscribe(lint(fixed)).filter((x) => x !== 'unsubscribe-link-unusable/placeholder'), []);
  });

  test('a <button> or <item> without href is no link', () => {
    assert.deepEqual(unsubscribe(lint(inky('<item>Unsubscribe</item>'))), ['unsubscribe-link-missing/missing']);
  });
});
