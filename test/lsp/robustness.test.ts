// Bad input never takes the server down: each of these files gets an answer within a bound, the
// binary one exactly one file-unreadable diagnostic, and a normal file still works afterwards.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byCode, LspClient, messageOf, makeWorkspace, removeWorkspace, uriOf } from './client';
import { NEWSLETTER, NEWSLETTER_BODY_LINE } from './templates';

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

const BODY = '<!DOCTYPE html>\n<html lang="en">\n<head><title>Weekly picks</title></head>\n<body style="margin:0;">\n';

const CASES: Array<{ name: string; text: string; bound: number; check?: (codes: string[]) => void }> = [
  { name: 'empty.html', text: '', bound: 5_000 },
  {
    name: 'binary.html',
    text: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0002\u0000\u0000\u0000\u0001\u0000\b\u0006\u0000\u0000\u0000',
    bound: 5_000,
    check: (codes) => assert.deepEqual(codes, ['file-unreadable']),
  },
  { name: 'five-megabytes.html', text: fiveMegabytes(), bound: 20_000, check: (codes) => assert.ok(codes.includes('unsubscribe-link-missing')) },
  {
    name: 'deep.html',
    text: `${BODY}${'<div>'.repeat(10_000)}Hello {{ first_name }}${'</div>'.repeat(10_000)}\n</body>\n</html>\n`,
    bound: 10_000,
    check: (codes) => assert.ok(codes.includes('unsubscribe-link-missing')),
  },
  { name: 'unclosed-comment.html', text: `${BODY}  <!--[if mso]><table><tr><td>\n  <p>Hi {{ first_name }}</p>\n  <a href="https://example.com/unsubscribe">Unsubscribe</a>\n`, bound: 5_000 },
  { name: 'unclosed-table.html', text: `${BODY}  <table role="presentation" width="100%" style="max-width:600px;\n    <tr><td>Hi</td></tr>\n`, bound: 5_000 },
  {
    name: 'half-typed-merge-tag.html',
    text: `${BODY}  <p>Hi {{ first_name</p>\n  <a href="https://shop.example.com/unsubscribe">Unsubscribe</a>\n</body>\n</html>\n`,
    bound: 5_000,
    check: (codes) => assert.ok(codes.includes('merge-tag-unclosed')),
  },
  { name: 'broken.mjml', text: '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-text>Hi {{ first_name }}\n', bound: 10_000 },
  { name: 'lone-surrogates.html', text: `${BODY}  <p>\ud83d Hi \ude00 {{ first_name }}</p>\n</body></html>`, bound: 5_000 },
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
      const codes = published.diagnostics.map((d) => String(d.code));
      assert.ok(published.diagnostics.every((d) => messageOf(d) && !/could not lint/i.test(messageOf(d))), `no lint failure: ${codes.join(', ')}`);
      c.check?.(codes);

      // Editing a bad file is answered too (the change path, not just the open path).
      const v = await client.change(uri, c.text + '\n');
      await client.waitForVersion(uri, v, c.bound);
      await client.close(uri);
    });
  }

  it('still lints a normal file afterwards', async () => {
    const uri = uriOf(path.join(dir, 'after.html'));
    await client.open(uri, NEWSLETTER);
    const [d] = byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing');
    assert.equal(d?.range.start.line, NEWSLETTER_BODY_LINE);
    const actions = await client.codeActions(uri, d!.range, [d!]);
    assert.ok(actions.length >= 2);
    await client.close(uri);
  });

  it('answers code actions and fix-all on a broken file without failing', async () => {
    const uri = uriOf(path.join(dir, 'broken-actions.html'));
    await client.open(uri, `${BODY}  <table <tr {{ x <!-- `);
    const published = await client.waitForVersion(uri, 1);
    for (const d of published.diagnostics) await client.codeActions(uri, d.range, [d]);
    const all = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.deliverlint']);
    assert.ok(Array.isArray(all));
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
