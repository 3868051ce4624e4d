// Code actions over the wire: the core's fixes as quick fixes, the suppression comments, and
// fix-all. Each edit is applied in the test and sent back, and the server must agree it worked.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, byCode, editsFor, LspClient, makeWorkspace, removeWorkspace, uriOf } from './client';
import { MJML_NEWSLETTER, NEWSLETTER, NEWSLETTER_BODY_LINE } from './templates';

const FIX_ALL = 'source.fixAll.deliverlint';

/** The quick fix that inserts an unsubscribe footer (found by what it inserts, not its title). */
function footerFix(actions: CodeAction[], uri: string): CodeAction | undefined {
  return actions.find((a) => a.kind === 'quickfix' && editsFor(a.edit, uri).edits.some((e) => /<a href="[^"]*"[^>]*>(Unsubscribe|配信停止はこちら)<\/a>/.test(e.newText)));
}

function suppressions(actions: CodeAction[], uri: string, directive: string): CodeAction[] {
  return actions.filter((a) => editsFor(a.edit, uri).edits.some((e) => e.newText.includes(`deliverlint-${directive}`)));
}

describe('code actions', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  let n = 0;

  before(async () => {
    dir = makeWorkspace();
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0 } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  /** Opens `text` under a fresh name and returns its URI and the diagnostic of `code`. */
  async function openWith(text: string, code: string, name = `t${++n}.html`, languageId = 'html'): Promise<{ uri: string; diagnostic: Diagnostic }> {
    const uri = uriOf(path.join(dir, name));
    await client.open(uri, text, languageId);
    const [diagnostic] = byCode(await client.waitForVersion(uri, 1), code);
    assert.ok(diagnostic, `a ${code} diagnostic on open`);
    return { uri, diagnostic };
  }

  /** Applies a code action's edit to the client's copy and sends it; returns the published result. */
  async function apply(uri: string, action: CodeAction) {
    const { edits, version } = editsFor(action.edit, uri);
    assert.ok(edits.length, `"${action.title}" has edits`);
    assert.equal(version, client.version(uri), 'the edit is for the current document version');
    const v = await client.edit(uri, edits);
    return client.waitForVersion(uri, v);
  }

  it('offers the insert-footer fix; applied, the diagnostic goes and the fix is not offered again', async () => {
    const { uri, diagnostic } = await openWith(NEWSLETTER, 'unsubscribe-link-missing');
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const fix = footerFix(actions, uri);
    assert.ok(fix, `an insert-footer quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['unsubscribe-link-missing']);
    // Without an ESP or unsubscribe URL the link is a placeholder: offered, but not preferred.
    assert.notEqual(fix.isPreferred, true);
    assert.ok(editsFor(fix.edit, uri).edits[0]!.newText.includes('https://example.com/unsubscribe'));

    const once = applyWorkspaceEdit(client.text(uri), fix.edit, uri);
    const published = await apply(uri, fix);
    assert.equal(client.text(uri), once);
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 0);
    // The footer went in before </body>, indented one step inside it.
    // Into the last text cell of the layout (the newsletter has no footer cell), after the button's table.
    assert.match(client.text(uri), /<\/table>\n {14}<p style="margin:16px 0 0;"><a href="https:\/\/example\.com\/unsubscribe">Unsubscribe<\/a><\/p>\n {12}<\/td>/);

    // Asking again with the old diagnostic (its version is gone) finds nothing left to fix.
    const again = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.equal(footerFix(again, uri), undefined);
    assert.deepEqual(again, []);
    await client.close(uri);
  });

  it('recomputes the fix from a fresh lint when the diagnostic is from an older version', async () => {
    const { uri, diagnostic } = await openWith(NEWSLETTER, 'unsubscribe-link-missing');
    // Two lines inserted above: the offsets in the diagnostic's data no longer fit.
    const v2 = await client.edit(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '<!-- preheader -->\n<!-- tracking -->\n' }]);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const fix = footerFix(actions, uri);
    assert.ok(fix);
    assert.equal(editsFor(fix.edit, uri).version, v2);
    const fixed = applyWorkspaceEdit(client.text(uri), fix.edit, uri);
    assert.match(fixed, /Unsubscribe<\/a><\/p>\n {12}<\/td>/);
    await client.close(uri);
  });

  it('inserts the ESP tag when an ESP is configured (Mailchimp: *|UNSUB|*), as a preferred fix', async () => {
    client.settings = { lintWorkspace: false, lintDelay: 0, esp: 'mailchimp' };
    await client.changeConfiguration();
    const { uri, diagnostic } = await openWith(NEWSLETTER, 'unsubscribe-link-missing');
    const fix = footerFix(await client.codeActions(uri, diagnostic.range, [diagnostic]), uri);
    assert.ok(fix);
    assert.equal(fix.isPreferred, true);
    assert.ok(editsFor(fix.edit, uri).edits.some((e) => e.newText.includes('href="*|UNSUB|*"')));
    const published = await apply(uri, fix);
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 0);
    await client.close(uri);
    client.settings = { lintWorkspace: false, lintDelay: 0 };
    await client.changeConfiguration();
  });

  it('disables a rule for one line with a comment above it, in the line\'s indentation', async () => {
    const text = NEWSLETTER.replace('<p style="margin:0 0 16px;">Our', '<p style="margin:0 0 16px;">{{ first_name Our');
    const { uri, diagnostic } = await openWith(text, 'merge-tag-unclosed');
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const [line] = suppressions(actions, uri, 'disable-next-line');
    assert.ok(line, `a disable-line action among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(line.title, 'Disable merge-tag-unclosed for this line');
    const lineNo = diagnostic.range.start.line;
    const published = await apply(uri, line);
    const lines = client.text(uri).split('\n');
    assert.equal(lines[lineNo], '              <!-- deliverlint-disable-next-line merge-tag-unclosed -->');
    assert.ok(lines[lineNo + 1]!.includes('{{ first_name Our'));
    assert.equal(byCode(published, 'merge-tag-unclosed').length, 0);
    assert.equal(byCode(published, 'unused-directive').length, 0);
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 1, 'other rules still report');
    await client.close(uri);
  });

  it('disables the unsubscribe rule for the body line, keeping CRLF line endings', async () => {
    const crlf = NEWSLETTER.replace(/\n/g, '\r\n');
    const { uri, diagnostic } = await openWith(crlf, 'unsubscribe-link-missing');
    const [line] = suppressions(await client.codeActions(uri, diagnostic.range, [diagnostic]), uri, 'disable-next-line');
    assert.ok(line);
    const published = await apply(uri, line);
    const lines = client.text(uri).split('\r\n');
    assert.equal(lines[NEWSLETTER_BODY_LINE], '<!-- deliverlint-disable-next-line unsubscribe-link-missing -->');
    assert.ok(lines[NEWSLETTER_BODY_LINE + 1]!.startsWith('<body'));
    assert.ok(!/[^\r]\n/.test(client.text(uri)), 'no bare LF was introduced');
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 0);
    assert.equal(byCode(published, 'unused-directive').length, 0);
    // A second rule on the same line joins the existing directive instead of stacking a new line.
    const [postal] = byCode(published, 'postal-address-missing');
    assert.ok(postal);
    const join = (await client.codeActions(uri, postal.range, [postal])).find((a) => a.title === 'Disable postal-address-missing for this line');
    assert.ok(join);
    const joined = await apply(uri, join);
    assert.equal(client.text(uri).split('\r\n')[NEWSLETTER_BODY_LINE], '<!-- deliverlint-disable-next-line unsubscribe-link-missing, postal-address-missing -->');
    assert.equal(byCode(joined, 'postal-address-missing').length, 0);
    assert.equal(byCode(joined, 'unsubscribe-link-missing').length, 0);
    assert.equal(byCode(joined, 'unused-directive').length, 0);
    await client.close(uri);
  });

  it('disables a rule for the whole file after the doctype, never before it', async () => {
    const { uri, diagnostic } = await openWith(NEWSLETTER, 'unsubscribe-link-missing');
    const [file] = suppressions(await client.codeActions(uri, diagnostic.range, [diagnostic]), uri, 'disable-file');
    assert.ok(file);
    assert.equal(file.title, 'Disable unsubscribe-link-missing for the entire file');
    const published = await apply(uri, file);
    const lines = client.text(uri).split('\n');
    assert.equal(lines[0], '<!DOCTYPE html>');
    assert.equal(lines[1], '<!-- deliverlint-disable-file unsubscribe-link-missing -->');
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 0);
    assert.equal(byCode(published, 'unused-directive').length, 0);
    await client.close(uri);
  });

  it('writes the same HTML comment directives in MJML', async () => {
    const { uri, diagnostic } = await openWith(MJML_NEWSLETTER, 'unsubscribe-link-missing', 'news.mjml', 'mjml');
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const [file] = suppressions(actions, uri, 'disable-file');
    const published = await apply(uri, file!);
    assert.ok(client.text(uri).startsWith('<!-- deliverlint-disable-file unsubscribe-link-missing -->\n<mjml>'));
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 0);
    assert.equal(byCode(published, 'unused-directive').length, 0);
    assert.equal(byCode(published, 'mjml-invalid').length, 0);
    await client.close(uri);
  });

  it('offers no suppression for unused-directive and removes it with its own fix', async () => {
    const text = NEWSLETTER.replace('<h1 ', '<!-- deliverlint-disable-next-line postal-address-missing -->\n              <h1 ');
    const { uri, diagnostic } = await openWith(text, 'unused-directive');
    assert.deepEqual(diagnostic.tags, [1], 'shown as unnecessary code');
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.equal(suppressions(actions, uri, 'disable').length, 0);
    // Besides its fix: the rule's documentation and fix-all (the menu entries every finding gets).
    assert.deepEqual(actions.slice(1).map((a) => a.command?.command ?? a.title), ['deliverlint.showRuleDocumentation', 'Fix all auto-fixable Deliverlint problems']);
    assert.equal(actions[0]!.isPreferred, true);
    const published = await apply(uri, actions[0]!);
    assert.equal(client.text(uri), NEWSLETTER);
    assert.equal(byCode(published, 'unused-directive').length, 0);
    await client.close(uri);
  });

  it('fix-all applies every safe fix in one edit, and a second run changes nothing', async () => {
    client.settings = { lintWorkspace: false, lintDelay: 0, esp: 'mailchimp' };
    await client.changeConfiguration();
    const text = NEWSLETTER.replace('<h1 ', '<!-- deliverlint-disable-next-line merge-tag-unclosed -->\n              <h1 ');
    const { uri, diagnostic } = await openWith(text, 'unsubscribe-link-missing');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const [fixAll, ...more] = await client.codeActions(uri, range, [], [FIX_ALL]);
    assert.ok(fixAll, 'a fix-all action');
    assert.equal(more.length, 0);
    assert.equal(fixAll.kind, FIX_ALL);
    const published = await apply(uri, fixAll);
    assert.ok(client.text(uri).includes('href="*|UNSUB|*"'), 'the unsubscribe footer went in');
    assert.ok(!client.text(uri).includes('deliverlint-disable-next-line'), 'the unused directive went out');
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 0);
    assert.equal(byCode(published, 'unused-directive').length, 0);

    const second = await client.codeActions(uri, range, [], [FIX_ALL]);
    const again = second.length ? applyWorkspaceEdit(client.text(uri), second[0]!.edit, uri) : client.text(uri);
    assert.equal(again, client.text(uri), 'a second fix-all changes nothing');

    // Asked for source actions in general (the Source Action menu), fix-all is among them;
    // asked for quick fixes only, it is not.
    const quick = await client.codeActions(uri, diagnostic.range, [], ['quickfix']);
    assert.ok(!quick.some((a) => a.kind === FIX_ALL));
    await client.close(uri);
    client.settings = { lintWorkspace: false, lintDelay: 0 };
    await client.changeConfiguration();
  });

  it('fix-all leaves unsafe fixes (placeholder URLs) to a person', async () => {
    const uri = uriOf(path.join(dir, 'unsafe.html'));
    await client.open(uri, NEWSLETTER);
    await client.waitForVersion(uri, 1);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source']);
    assert.deepEqual(actions, []);
    await client.close(uri);
  });

  it('ignores diagnostics that are not its own', async () => {
    const { uri, diagnostic } = await openWith(NEWSLETTER, 'unsubscribe-link-missing');
    const foreign: Diagnostic = { ...diagnostic, source: 'htmlhint', code: 'unsubscribe-link-missing' };
    assert.deepEqual(await client.codeActions(uri, diagnostic.range, [foreign]), []);
    const noData: Diagnostic = { ...diagnostic, data: undefined };
    assert.deepEqual(await client.codeActions(uri, diagnostic.range, [noData]), []);
    await client.close(uri);
  });
});

describe('code actions on a JSON payload named by the payloads globs', { timeout: 60_000 }, () => {
  // A leading comment hides the payload from recognition by content: only the rc file's
  // `payloads.ses` glob says what the file is. Code actions must see the same kind as the lint.
  const PAYLOAD = `// Spring sale, sent by the deploy job with aws sesv2 send-email
{
  "FromEmailAddress": "news@harbor.example.com",
  "Destination": { "ToAddresses": ["reader@example.org"] },
  "Content": {
    "Simple": {
      "Subject": { "Data": "Spring sale" },
      "Body": { "Html": { "Data": "<html><body><p>20% off.</p><p><a href=\\"https://harbor.example.com/unsubscribe\\">Unsubscribe</a></p><p>Harbor Goods, 1 Pier Rd, Portland, OR 97201</p></body></html>" } }
    }
  }
}
`;
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({ '.deliverlintrc.json': JSON.stringify({ payloads: { ses: ['sends/**/*.json'] } }), 'sends/spring.json': PAYLOAD });
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0 } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('is linted as SES and never offered an HTML comment to disable a rule', async () => {
    const uri = uriOf(path.join(dir, 'sends/spring.json'));
    await client.open(uri, PAYLOAD, 'json');
    const [diagnostic] = byCode(await client.waitForVersion(uri, 1), 'list-unsubscribe-missing');
    assert.ok(diagnostic, 'the SES payload has no List-Unsubscribe header');
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const written = actions.flatMap((a) => editsFor(a.edit, uri).edits.map((e) => e.newText));
    assert.ok(written.length, 'the header fix is offered');
    assert.ok(written.some((t) => t.includes('List-Unsubscribe')), `a List-Unsubscribe edit among: ${written.join(' | ')}`);
    assert.deepEqual(written.filter((t) => t.includes('<!--')), [], 'no HTML comment is written into JSON');
    await client.close(uri);
  });
});

describe('code actions on an SES SendEmail request without List-Unsubscribe', { timeout: 60_000 }, () => {
  // No unsubscribe URL is known (the body's link holds a merge tag), so the header fix could only
  // write a placeholder: SES list management, which adds both headers itself, comes first.
  const REQUEST = `{
  "FromEmailAddress": "news@harbor.example.com",
  "Destination": { "ToAddresses": ["reader@example.org"] },
  "Content": {
    "Simple": {
      "Subject": { "Data": "Spring sale" },
      "Body": { "Html": { "Data": "<html><body><p>20% off.</p><p><a href=\\"https://harbor.example.com/unsubscribe?u={{token}}\\">Unsubscribe</a></p><p>Harbor Goods, 1 Pier Rd, Portland, OR 97201</p></body></html>" } }
    }
  }
}
`;
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({ 'sends/spring.json': REQUEST });
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0 } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('offers ListManagementOptions first and preferred; applied, the finding goes and its placeholders are reported', async () => {
    const uri = uriOf(path.join(dir, 'sends/spring.json'));
    await client.open(uri, REQUEST, 'json');
    const [diagnostic] = byCode(await client.waitForVersion(uri, 1), 'list-unsubscribe-missing');
    assert.ok(diagnostic);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const first = actions[0]!;
    assert.match(first.title, /ListManagementOptions/);
    assert.equal(first.isPreferred, true);
    assert.deepEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), [first.title], 'one preferred fix');
    assert.ok(actions.some((a) => /placeholder URL/.test(a.title)), 'the header fix is still offered');

    const fixed = applyWorkspaceEdit(REQUEST, first.edit, uri);
    await client.change(uri, fixed);
    const after = await client.waitForVersion(uri, 2);
    assert.deepEqual(byCode(after, 'list-unsubscribe-missing'), []);
    const placeholders = byCode(after, 'ses-list-management-mismatch').filter((d) => (d.data as { messageId?: string }).messageId === 'placeholder');
    assert.equal(placeholders.length, 2, 'REPLACE_WITH_CONTACT_LIST and REPLACE_WITH_TOPIC are reported');
    await client.close(uri);
  });
});
