// Issue 13 "Trust" in a real VS Code: "Show Effective Configuration" names the rc file and the
// source of each value, and a setting the user set to its default value overrides the rc file (the
// client passes on only what the user set, read with WorkspaceConfiguration.inspect()).

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { byCode, closeAllEditors, copyFixture, deliverlint, FIRST_LINT_MS, fixtureUri, open, RELINT_MS, setSetting, waitFor, waitForDiagnostics } from './helpers';

const UNSUBSCRIBE = 'unsubscribe-link-missing';

async function footerFixText(uri: vscode.Uri, range: vscode.Range): Promise<string> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  for (const a of actions ?? []) {
    if (!('edit' in a) || !a.edit) continue;
    for (const [, edits] of a.edit.entries()) for (const e of edits) if (/Unsubscribe/.test(e.newText)) return e.newText;
  }
  return '';
}

describe('Configuration says what it did', function () {
  this.timeout(90_000);
  let uri: vscode.Uri;
  const rc = fixtureUri('emails/trust/.deliverlintrc.json');

  before(async () => {
    await deliverlint();
    await vscode.workspace.fs.writeFile(rc, Buffer.from('{ "esp": "mailchimp" }\n'));
    uri = await copyFixture('emails/campaigns/spring-sale.html', 'emails/trust/spring-sale.html');
    await open(uri);
    await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, FIRST_LINT_MS);
  });

  after(async () => {
    await setSetting('esp', undefined);
    await closeAllEditors();
    await vscode.workspace.fs.delete(fixtureUri('emails/trust'), { recursive: true });
  });

  it('"Deliverlint: Show Effective Configuration" opens a read-only view naming the rc file and the source of each value', async () => {
    await open(uri);
    await vscode.commands.executeCommand('deliverlint.showEffectiveConfiguration');
    const shown = await waitFor(
      'the effective configuration view',
      () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'deliverlint-config')?.document,
      RELINT_MS,
    );
    const text = shown.getText();
    assert.match(text, new RegExp(`"configFile": ${JSON.stringify(rc.fsPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), text);
    assert.match(text, /"esp": "mailchimp",? \/\/ from .*\.deliverlintrc\.json/, text);
    assert.match(text, /"unsubscribe-link-missing": "error",? \/\/ default/, text);
    assert.equal(shown.languageId, 'jsonc');
  });

  it('a setting explicitly set to its default value (esp: none) overrides the rc file (esp: mailchimp)', async () => {
    const [finding] = byCode(await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, RELINT_MS), UNSUBSCRIBE);
    assert.match(await footerFixText(uri, finding!.range), /\*\|UNSUB\|\*/, 'the rc file\'s ESP');
    await setSetting('esp', 'none');
    const text = await waitFor('the footer fix without the Mailchimp tag', async () => {
      const [d] = byCode(vscode.languages.getDiagnostics(uri), UNSUBSCRIBE);
      const t = d ? await footerFixText(uri, d.range) : '';
      return t && !t.includes('*|UNSUB|*') ? t : undefined;
    }, RELINT_MS);
    assert.ok(!text.includes('*|UNSUB|*'));
  });
});
