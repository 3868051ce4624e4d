// Where the footer fixes put what they add: into the footer the template already has (the cell or
// mj-text with the address or the legal text, else the last text cell), in its style, and at most
// one footer section in MJML however many footer fixes run. Each fix is applied, the text linted
// again, and every byte outside the edit checked.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig, mergeConfig } from '../../server/src/core/config';
import { applyEdits } from '../../server/src/core/text';
import type { ConfigLayer } from '../../server/src/core/config';
import type { Finding, ResolvedConfig } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';

const config = (layer: ConfigLayer = {}): ResolvedConfig => mergeConfig(defaultConfig(), { jurisdictions: ['us'], ...layer });
const lint = (text: string, c: ResolvedConfig, kind: 'html' | 'mjml' = 'html') => linter.lint({ text, kind, config: c, filePath: `/ws/emails/campaigns/news.${kind}` });
const finding = (text: string, c: ResolvedConfig, ruleId: string, kind: 'html' | 'mjml' = 'html'): Finding => {
  const f = lint(text, c, kind).findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `${ruleId} expected`);
  return f;
};

/** Applies the finding's first fix and checks that only inserted text changed. */
function applyFirst(text: string, f: Finding): string {
  const fix = f.fixes[0];
  assert.ok(fix, `${f.ruleId} offers a fix`);
  const out = applyEdits(text, fix.edits).text;
  for (const e of fix.edits) {
    assert.equal(e.start, e.end, 'footer fixes only insert');
    assert.equal(out.slice(0, e.start), text.slice(0, e.start));
    assert.equal(out.slice(e.start + e.text.length), text.slice(e.end));
  }
  return out;
}

const LAYOUT = (footer: string, eol = '\n') =>
  [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<body style="margin:0;background:#f2f4f7;">',
    '  <table role="presentation" width="100%" cellpadding="0" cellspacing="0">',
    '    <tr>',
    '      <td align="center">',
    '        <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff;">',
    '          <tr>',
    '            <td style="padding:24px;font-family:Arial,sans-serif;font-size:16px;color:#333333;">Winter boots are 30% off until Sunday.</td>',
    '          </tr>',
    '          <tr>',
    '            <td style="padding:0 24px 24px;">',
    '              <a href="https://shop.harbor.example.com/boots" style="display:inline-block;padding:12px 24px;background:#1a5fb4;color:#ffffff;">Shop boots</a>',
    '            </td>',
    '          </tr>',
    ...footer.split('\n'),
    '        </table>',
    '      </td>',
    '    </tr>',
    '  </table>',
    '</body>',
    '</html>',
    '',
  ].join(eol);

const FOOTER_CELL = [
  '          <tr>',
  '            <td style="padding:24px;font-family:Arial,sans-serif;font-size:12px;line-height:18px;color:#888888;">',
  '              Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101<br>',
  '              <a href="https://harbor.example.com/privacy" style="color:#888888;text-decoration:underline;font-size:12px;">Privacy policy</a>',
  '            </td>',
  '          </tr>',
].join('\n');

test('the unsubscribe fix goes into the footer cell that holds the address, styled like the links beside it', () => {
  const c = config({ sender: { unsubscribeUrl: 'https://harbor.example.com/unsubscribe?u={{token}}' } });
  const text = LAYOUT(FOOTER_CELL);
  const fixed = applyFirst(text, finding(text, c, 'unsubscribe-link-missing'));
  assert.ok(
    fixed.includes(
      '              <a href="https://harbor.example.com/privacy" style="color:#888888;text-decoration:underline;font-size:12px;">Privacy policy</a>\n' +
        '              <br><a href="https://harbor.example.com/unsubscribe?u={{token}}" style="color:#888888;font-size:12px;">Unsubscribe</a>\n' +
        '            </td>',
    ),
    fixed,
  );
  // Nothing of a colour of its own, nothing after the layout table.
  assert.ok(!fixed.includes('#666666'));
  assert.match(fixed, /<\/table>\n<\/body>/);
  assert.equal(lint(fixed, c).findings.filter((f) => f.ruleId === 'unsubscribe-link-missing').length, 0);
});

test('with CRLF line endings the inserted line ends in CRLF too', () => {
  const c = config({ sender: { unsubscribeUrl: 'https://harbor.example.com/unsubscribe' } });
  const text = LAYOUT(FOOTER_CELL, '\r\n').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
  const fixed = applyFirst(text, finding(text, c, 'unsubscribe-link-missing'));
  assert.equal(fixed.split('\r\n').length - 1, fixed.split('\n').length - 1, 'every line ends in CRLF');
});

test('without a footer cell, the fix goes into the last text cell, never into a button', () => {
  const c = config({ sender: { unsubscribeUrl: 'https://harbor.example.com/unsubscribe' } });
  const text = LAYOUT('');
  const fixed = applyFirst(text, finding(text, c, 'unsubscribe-link-missing'));
  assert.ok(fixed.includes('Winter boots are 30% off until Sunday.<br><a href="https://harbor.example.com/unsubscribe">Unsubscribe</a></td>'), fixed);
  assert.ok(!/Shop boots<\/a>\s*<br>/.test(fixed));
});

test('the address fix joins the footer cell that holds the legal text, as a line of its own', () => {
  const c = config({ sender: { postalAddress: '310 Wharf Road, Portland, ME 04101' } });
  const footer = FOOTER_CELL.replace('Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101<br>', 'You receive this email because you joined Harbor Outfitters. <a href="{{unsubscribe_url}}" style="color:#888888;">Unsubscribe</a><br>');
  const text = LAYOUT(footer);
  const fixed = applyFirst(text, finding(text, c, 'postal-address-missing'));
  assert.ok(fixed.includes('Privacy policy</a>\n              <br>310 Wharf Road, Portland, ME 04101\n            </td>'), fixed);
  assert.equal(lint(fixed, c).findings.filter((f) => f.ruleId === 'postal-address-missing').length, 0);
});

const MJML = (columns: string) => `<mjml>
  <mj-body background-color="#f2f4f7">
    <mj-section background-color="#ffffff">
      <mj-column>
${columns}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

test('MJML: both footer fixes, applied by fix-all, add one footer section between them', () => {
  const c = config({ sender: { unsubscribeUrl: 'https://harbor.example.com/unsubscribe', postalAddress: '310 Wharf Road, Portland, ME 04101' } });
  const text = MJML('        <mj-image src="https://harbor.example.com/boots.png" alt="Winter boots" />\n        <mj-button href="https://shop.harbor.example.com/boots">Shop boots</mj-button>');
  const before = lint(text, c, 'mjml').findings.map((f) => f.ruleId);
  assert.ok(before.includes('unsubscribe-link-missing') && before.includes('postal-address-missing'), before.join());
  const { text: fixed, result } = linter.fixText({ text, kind: 'mjml', config: c, filePath: '/ws/emails/campaigns/news.mjml' });
  assert.equal((fixed.match(/<mj-section/g) ?? []).length, 2, fixed);
  assert.equal((fixed.match(/<mj-text/g) ?? []).length, 1, fixed);
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'unsubscribe-link-missing' || f.ruleId === 'postal-address-missing'), []);
});

test('MJML: with a footer mj-text, both fixes go into it and no section is added', () => {
  const c = config({ sender: { unsubscribeUrl: 'https://harbor.example.com/unsubscribe', postalAddress: '310 Wharf Road, Portland, ME 04101' } });
  const text = MJML('        <mj-text>Winter boots are 30% off.</mj-text>\n        <mj-text font-size="12px" color="#888888">© 2026 Harbor Outfitters</mj-text>');
  const { text: fixed } = linter.fixText({ text, kind: 'mjml', config: c, filePath: '/ws/emails/campaigns/news.mjml' });
  assert.equal((fixed.match(/<mj-section/g) ?? []).length, 1, fixed);
  assert.match(fixed, /<mj-text font-size="12px" color="#888888">© 2026 Harbor Outfitters(?:<br>[^<]*|<br><a href="https:\/\/harbor\.example\.com\/unsubscribe">Unsubscribe<\/a>){2}<\/mj-text>/);
});

test('a footer in a partial: the fix targets the partial, is never safe, and fix-all (the CLI --fix) leaves both files alone', () => {
  const files: Record<string, string> = {
    '/ws/partials/footer.hbs': '<table role="presentation"><tr>\n  <td style="font-size:12px;color:#666666;">\n    Example Shop Ltd, 1 Market Street, Springfield, IL 62701, USA\n  </td>\n</tr></table>\n',
    '/ws/layouts/base.hbs': '<!DOCTYPE html>\n<html lang="en">\n<body>\n<table role="presentation"><tr><td>{{> @partial-block}}</td></tr></table>\n</body>\n</html>\n',
  };
  const reader = { readFile: (p: string) => files[p] };
  const c = { ...config({ sender: { unsubscribeUrl: 'https://shop.example.com/unsubscribe' } }), root: '/ws' };
  const text = '{{#> base}}\n<p>Our spring collection has landed: 20% off this week.</p>\n{{> footer}}\n{{/base}}\n';
  const req = { text, kind: 'html' as const, config: c, filePath: '/ws/emails/spring.hbs', reader };
  const f = linter.lint(req).findings.find((x) => x.ruleId === 'unsubscribe-link-missing');
  assert.ok(f, 'reported on the email');
  const [inPartial, ...others] = f.fixes;
  assert.equal(inPartial!.filePath, '/ws/partials/footer.hbs');
  assert.equal(inPartial!.safe, false);
  const fixedPartial = applyEdits(files['/ws/partials/footer.hbs']!, inPartial!.edits).text;
  assert.ok(fixedPartial.includes('USA\n    <br><a href="https://shop.example.com/unsubscribe">Unsubscribe</a>\n  </td>'), fixedPartial);
  assert.ok(others.every((x) => !x.safe && !x.filePath), 'the email-local fix is offered, not applied');
  assert.equal(linter.fixText(req).text, text, 'fix-all changes nothing');
  // With the partial fixed, the email is clean.
  files['/ws/partials/footer.hbs'] = fixedPartial;
  assert.equal(linter.lint(req).findings.filter((x) => x.ruleId === 'unsubscribe-link-missing').length, 0);
});

test('a footer cell known by its legal text alone (&copy;, entities as written) takes the link, not the last content cell', () => {
  const c = config({ sender: { unsubscribeUrl: 'https://harbor.example.com/unsubscribe' } });
  const footer = ['          <tr>', '            <td style="font-size:11px;color:#999999;">&copy; 2026 Harbor Outfitters LLC</td>', '          </tr>'].join('\n');
  const content = ['          <tr>', '            <td style="padding:24px;">Free returns all winter.</td>', '          </tr>'].join('\n');
  const text = LAYOUT(`${footer}\n${content}`);
  const fixed = applyFirst(text, finding(text, c, 'unsubscribe-link-missing'));
  assert.ok(fixed.includes('&copy; 2026 Harbor Outfitters LLC<br><a href="https://harbor.example.com/unsubscribe">Unsubscribe</a></td>'), fixed);
});
