// Bad input never takes the server down: each of these files gets its exact findings (rule,
// messageId, range) within a bound, on open and again after an edit, never a lint failure; code
// actions and fix-all on a broken file give the exact answers; and after all of it the server
// still lints, fixes and shuts down cleanly.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyWorkspaceEdit, byCode, editsFor, LspClient, makeWorkspace, removeWorkspace, uriOf, type Published } from './client';
import { NEWSLETTER, NEWSLETTER_BODY_LINE, NEWSLETTER_BODY_TAG } from './templates';

/** A campaign body row, repeated to build a large template. */
const ROW = `        <tr>
          <td style="padding:8px 16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#333333;">
            <a href="https://shop.example.com/p/{{ product.id }}?utm_source=email" style="color:#1a73e8;">{{ product.name }}</a> &ndash; {{ product.price }}
          </td>
        </tr>
`;

function fiveMegabytes(): string {
  const head = NEWSLETTER.slice(0, NEWSLETTER.indexOf('</body>'));
  const rows = ROW.repeat(Math.ceil((5 * 1024 * 1024) / ROW.length));
  return `${head}  <table role="presentation" width="100%">\n${rows}  </table>\n</body>\n</html>\n`;
}

const BODY = '<!DOCTYPE html>\n<html lang="en">\n<head><title>Weekly picks</title></head>\n<body style="margin:0;"><div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">Picks of the week</div>\n';

/** A finding as [ruleId, messageId, start line, start character, end line, end character]. */
type Expected = [string, string, number, number, number, number];

/** The findings of a publish in that form. A lint failure has no code and no data, so it never matches. */
function findings(p: Published): Expected[] {
  return p.diagnostics.map((d) => [String(d.code), String((d.data as { messageId?: unknown } | undefined)?.messageId), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
}

// The two findings every body-only template below gets, on its <body> tag (line 3).
const NO_FOOTER: Expected[] = [
  ['postal-address-missing', 'missing', 3, 0, 3, 24],
  ['unsubscribe-link-missing', 'missing', 3, 0, 3, 24],
];

/** gmail-clip-size's finding on an ASCII text past Gmail's 102 KB: the character where Gmail clips it. */
function clipped(text: string): Expected {
  const lines = text.slice(0, 102 * 1024).split('\n');
  const line = lines.length - 1;
  const character = lines[line]!.length;
  return ['gmail-clip-size', 'clipped', line, character, line, character + 1];
}

const FIVE_MEGABYTES = fiveMegabytes();
const DEEP = `${BODY}${'<div>'.repeat(10_000)}Hello {{ first_name }}${'</div>'.repeat(10_000)}\n</body>\n</html>\n`;

const CASES: Array<{ name: string; text: string; bound: number; expected: Expected[] }> = [
  { name: 'empty.html', text: '', bound: 5_000, expected: [] },
  {
    name: 'binary.html',
    text: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0002\u0000\u0000\u0000\u0001\u0000\b\u0006\u0000\u0000\u0000',
    bound: 5_000,
    expected: [['file-unreadable', 'binary', 0, 0, 0, 0]],
  },
  {
    name: 'five-megabytes.html',
    text: FIVE_MEGABYTES,
    bound: 20_000,
    // On the newsletter's <body> tag, whatever follows it; and where Gmail clips it.
    expected: [
      ['postal-address-missing', 'missing', NEWSLETTER_BODY_LINE, 0, NEWSLETTER_BODY_LINE, NEWSLETTER_BODY_TAG.length],
      ['unsubscribe-link-missing', 'missing', NEWSLETTER_BODY_LINE, 0, NEWSLETTER_BODY_LINE, NEWSLETTER_BODY_TAG.length],
      clipped(FIVE_MEGABYTES),
    ],
  },
  {
    name: 'deep.html',
    text: DEEP,
    bound: 10_000,
    expected: [...NO_FOOTER, clipped(DEEP)],
  },
  // The unsubscribe link is inside the never-closed comment, so it does not count; the conditional
  // comment is never closed either.
  {
    name: 'unclosed-comment.html',
    text: `${BODY}  <!--[if mso]><table><tr><td>\n  <p>Hi {{ first_name }}</p>\n  <a href="https://example.com/unsubscribe">Unsubscribe</a>\n`,
    bound: 5_000,
    expected: [...NO_FOOTER, ['mso-conditional-unbalanced', 'hidden', 4, 2, 4, 15]],
  },
  { name: 'unclosed-table.html', text: `${BODY}  <table role="presentation" width="100%" style="max-width:600px;\n    <tr><td>Hi</td></tr>\n`, bound: 5_000, expected: NO_FOOTER },
  {
    name: 'half-typed-merge-tag.html',
    text: `${BODY}  <p>Hi {{ first_name</p>\n  <a href="https://shop.example.com/unsubscribe">Unsubscribe</a>\n</body>\n</html>\n`,
    bound: 5_000,
    expected: [
      ['postal-address-missing', 'missing', 3, 0, 3, 24],
      ['merge-tag-unclosed', 'unclosed', 4, 8, 4, 25],
    ],
  },
  {
    name: 'broken.mjml',
    text: '<mjml lang="en">\n  <mj-head><mj-title>Hi</mj-title><mj-preview>News from the harbor</mj-preview></mj-head>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-text>Hi {{ first_name }}\n',
    bound: 10_000,
    // On <mj-body>, the MJML counterpart of <body>.
    expected: [
      ['postal-address-missing', 'missing', 2, 2, 2, 11],
      ['unsubscribe-link-missing', 'missing', 2, 2, 2, 11],
    ],
  },
  { name: 'lone-surrogates.html', text: `${BODY}  <p>\ud83d Hi \ude00 {{ first_name }}</p>\n</body></html>`, bound: 5_000, expected: NO_FOOTER },
];

describe('bad input', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace();
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0 } });
  });

  after(async () => {
    const code = await client.stop();
    removeWorkspace(dir);
    assert.equal(code, 0);
  });

  for (const c of CASES) {
    it(`answers for ${c.name} within ${c.bound / 1000} s`, async () => {
      const uri = uriOf(path.join(dir, c.name));
      const sent = Date.now();
      await client.open(uri, c.text, c.name.endsWith('.mjml') ? 'mjml' : 'html');
      const published = await client.waitForVersion(uri, 1, c.bound);
      const ms = Date.now() - sent;
      console.log(`  ${c.name} (${c.text.length} chars): ${published.diagnostics.length} diagnostic(s) in ${ms} ms`);
      assert.deepEqual(findings(published), c.expected);

      // Editing a bad file is answered too (the change path, not just the open path), with the
      // same findings: a newline at the end moves none of them.
      const v = await client.change(uri, c.text + '\n');
      assert.deepEqual(findings(await client.waitForVersion(uri, v, c.bound)), c.expected);
      await client.close(uri);
    });
  }

  it('still lints and fixes a normal file afterwards', async () => {
    const uri = uriOf(path.join(dir, 'after.html'));
    await client.open(uri, NEWSLETTER);
    const [d] = byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing');
    assert.ok(d, 'unsubscribe-link-missing on the newsletter');
    assert.equal(d.range.start.line, NEWSLETTER_BODY_LINE);
    assert.equal((d.data as { messageId?: string }).messageId, 'missing');
    // The footer fix (the one action with an edit that is no suppression comment; the menu's
    // "Show documentation" is a command) still repairs the file.
    const actions = await client.codeActions(uri, d.range, [d]);
    const fixes = actions.filter((a) => a.edit && !editsFor(a.edit, uri).edits.some((e) => e.newText.includes('deliverlint-disable')));
    assert.equal(fixes.length, 1, actions.map((a) => a.title).join(' | '));
    const v = await client.change(uri, applyWorkspaceEdit(NEWSLETTER, fixes[0]!.edit, uri));
    assert.deepEqual(byCode(await client.waitForVersion(uri, v), 'unsubscribe-link-missing'), []);
    await client.close(uri);
  });

  it('answers code actions and fix-all on a broken file without failing', async () => {
    const uri = uriOf(path.join(dir, 'broken-actions.html'));
    await client.open(uri, `${BODY}  <table <tr {{ x <!-- `);
    const published = await client.waitForVersion(uri, 1);
    assert.deepEqual(findings(published), [...NO_FOOTER, ['merge-tag-unclosed', 'unclosed', 4, 13, 4, 23]]);
    // Each finding can still be suppressed on its line and in the file, by a directive naming its rule.
    for (const d of published.diagnostics) {
      const inserted = (await client.codeActions(uri, d.range, [d])).flatMap((a) => editsFor(a.edit, uri).edits.map((e) => e.newText));
      const directives = inserted.filter((t) => t.includes('deliverlint-disable')).map((t) => /deliverlint-disable-(?:next-line|file) [\w-]+/.exec(t)?.[0]);
      assert.deepEqual(directives.sort(), [`deliverlint-disable-file ${d.code}`, `deliverlint-disable-next-line ${d.code}`], `suppressions for ${d.code}`);
    }
    // No ESP is set, so the footer fix has a placeholder URL and is no safe fix: fix-all has
    // nothing to do and says so with no action (not with an error).
    const all = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.deliverlint']);
    assert.deepEqual(all, []);
    await client.close(uri);
  });

  it('survives requests for documents it never saw and malformed settings', async () => {
    const ghost = uriOf(path.join(dir, 'ghost.html'));
    assert.deepEqual(await client.codeActions(ghost, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    client.settings = { lintWorkspace: 'yes', lintDelay: -5, rules: { 'unsubscribe-link-missing': 'loud' }, esp: 42, files: 'x', sender: 'me' };
    await client.changeConfiguration();
    const uri = uriOf(path.join(dir, 'after-settings.html'));
    await client.open(uri, NEWSLETTER);
    assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing')[0]?.severity, 1, 'malformed values fall back to the defaults');
    client.settings = { lintWorkspace: false, lintDelay: 0 };
    await client.changeConfiguration();
    await client.close(uri);
  });
});
