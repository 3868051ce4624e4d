// A footer that lives in a partial is fixed in the partial: the quick fix on an email's
// unsubscribe-link-missing edits the partial's URI, and once applied every email built with that
// partial lints clean. Such a fix changes many emails, so it is never safe: fix-all leaves it out.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, byCode, LspClient, makeWorkspace, removeWorkspace, uriOf, type Published } from './client';

const LAYOUT = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    <tr><td style="padding:24px;font-family:Arial,Helvetica,sans-serif;">
      {{> @partial-block}}
    </td></tr>
  </table>
</body>
</html>
`;

const FOOTER = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
  <tr>
    <td align="center" style="padding:16px;font-size:12px;color:#666666;">
      Example Shop Ltd, 1 Market Street, Springfield, IL 62701, USA<br>
      <a href="https://shop.example.com/account" style="color:#666666;">Your account</a>
    </td>
  </tr>
</table>
`;

const email = (season: string) => `{{#> base}}
<h1 style="margin:0 0 16px;font-size:24px;">Hi {{first_name}},</h1>
<p style="margin:0 0 16px;">Our ${season} collection has landed: 20% off this week.</p>
{{> footer}}
{{/base}}
`;

const RC = JSON.stringify({ sender: { unsubscribeUrl: 'https://shop.example.com/unsubscribe?id={{subscriber_id}}' } });
const EMAILS = ['emails/spring.hbs', 'emails/summer.hbs', 'emails/autumn.hbs'];
const missing = (p: Published) => byCode(p, 'unsubscribe-link-missing').length === 1;
const clean = (p: Published) => byCode(p, 'unsubscribe-link-missing').length === 0;

/** The URIs a workspace edit touches. */
function targets(edit: WorkspaceEdit | undefined): string[] {
  if (!edit) return [];
  if (edit.documentChanges) return edit.documentChanges.flatMap((c) => ('textDocument' in c ? [c.textDocument.uri] : []));
  return Object.keys(edit.changes ?? {});
}

describe('a fix for the footer partial', { timeout: 90_000 }, () => {
  let client: LspClient;
  let dir: string;
  const uri = (rel: string) => uriOf(path.join(dir, rel));

  before(async () => {
    dir = makeWorkspace({
      '.deliverlintrc.json': RC,
      'layouts/base.hbs': LAYOUT,
      'partials/footer.hbs': FOOTER,
      ...Object.fromEntries(EMAILS.map((rel) => [rel, email(path.basename(rel, '.hbs'))])),
    });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    await client.waitUntil(() => client.logs.some((l) => l.startsWith('Workspace scan:')), 30_000, 'the workspace scan');
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it("edits the partial's URI; applied, every email using the partial lints clean", async () => {
    const spring = uri('emails/spring.hbs');
    const footer = uri('partials/footer.hbs');
    await client.open(spring, email('spring'), 'handlebars');
    const published = await client.waitForDiagnostics(spring, missing);
    const diagnostic = byCode(published, 'unsubscribe-link-missing')[0]!;

    const actions = (await client.codeActions(spring, diagnostic.range, [diagnostic])) as CodeAction[];
    const inPartial = actions.find((a) => targets(a.edit).includes(footer));
    assert.ok(inPartial, `a fix editing ${footer} among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.deepEqual(targets(inPartial.edit), [footer], 'it edits the partial and nothing else');
    assert.match(inPartial.title, /footer\.hbs/);
    assert.equal(actions[0], inPartial, 'first in the menu');
    assert.notEqual(inPartial.isPreferred, true, 'a change to every email is never preferred');

    // Fix-all on the email never reaches into the partial.
    const fixAll = (await client.codeActions(spring, diagnostic.range, [diagnostic], ['source.fixAll'])) as CodeAction[];
    for (const a of fixAll) assert.ok(!targets(a.edit).includes(footer), 'fix-all leaves the partial alone');

    // Applied as an editor does (the partial is not open: the edit is saved to disk), then the
    // server hears of the change: the link sits in the footer cell, and every email is clean.
    const fixed = applyWorkspaceEdit(FOOTER, inPartial.edit, footer);
    assert.ok(
      fixed.includes(
        '      <a href="https://shop.example.com/account" style="color:#666666;">Your account</a>\n' +
          '      <br><a href="https://shop.example.com/unsubscribe?id={{subscriber_id}}" style="color:#666666;">Unsubscribe</a>\n' +
          '    </td>',
      ),
      fixed,
    );
    const marks = EMAILS.map((rel) => client.mark(uri(rel)));
    fs.writeFileSync(path.join(dir, 'partials/footer.hbs'), fixed);
    await client.watchedFilesChanged([{ uri: footer, type: 2 }]);
    await Promise.all(EMAILS.map((rel, i) => client.next(uri(rel), marks[i]!, clean)));
    await client.close(spring);
  });
});
