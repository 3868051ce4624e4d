// Quick fixes through VS Code's own code action machinery (`vscode.executeCodeActionProvider`):
// the footer fix, the suppression directives, and fix-all with an ESP configured. Each edit is
// applied with the workspace API and the test checks the text and that the finding is gone.

import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { byCode, closeAllEditors, copyFixture, deliverlint, FIRST_LINT_MS, open, RELINT_MS, setSetting, waitFor, waitForDiagnostics } from './helpers';

const UNSUBSCRIBE = 'unsubscribe-link-missing';

function insertedText(action: vscode.CodeAction, uri: vscode.Uri): string {
  return (action.edit?.get(uri) ?? []).map((e) => e.newText).join('');
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a);
}

describe('Quick fixes in the editor', function () {
  this.timeout(90_000);

  before(async () => {
    await deliverlint();
  });

  /** Copies made by a test: removed once their editors are closed. */
  const created: vscode.Uri[] = [];
  const copy = async (from: string, to: string) => {
    const uri = await copyFixture(from, to);
    created.push(uri);
    return uri;
  };

  afterEach(async () => {
    await closeAllEditors();
    for (const uri of created.splice(0)) await vscode.workspace.fs.delete(uri);
  });

  after(async () => {
    await setSetting('esp', undefined);
  });

  it('offers the unsubscribe footer fix on the <body> tag; applied, the link is in and the finding is gone', async () => {
    const uri = await copy('emails/campaigns/spring-sale.html', 'emails/campaigns/e2e-quick-fix.html');
    const { document } = await open(uri);
    const original = document.getText();
    const [diagnostic] = byCode(await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, FIRST_LINT_MS), UNSUBSCRIBE);

    const actions = await quickFixes(uri, diagnostic!.range);
    const titles = actions.map((a) => a.title);
    const footer = actions.find((a) => /<a href="[^"]*"[^>]*>Unsubscribe<\/a>/.test(insertedText(a, uri)));
    assert.ok(footer, `an insert-footer quick fix among: ${titles.join(' | ')}`);
    assert.equal(footer.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(titles.includes(`Disable ${UNSUBSCRIBE} for this line`), titles.join(' | '));
    assert.ok(titles.includes(`Disable ${UNSUBSCRIBE} for the entire file`), titles.join(' | '));
    // With no ESP or unsubscribe URL configured the link is a placeholder, so the fix is not preferred.
    assert.notEqual(footer.isPreferred, true);

    assert.equal(await vscode.workspace.applyEdit(footer.edit!), true, 'the edit applies');
    const text = document.getText();
    // Into the layout's last text cell (the template has no footer cell), not after the layout table.
    assert.match(text, /<\/table>\n {14}<p style="margin:16px 0 0;"><a href="https:\/\/example\.com\/unsubscribe">Unsubscribe<\/a><\/p>\n {12}<\/td>/);
    // Only the footer line was added: without it the text is the original, byte for byte.
    assert.equal(text.replace(/ {14}<p style="margin:16px 0 0;"><a href="https:\/\/example\.com\/unsubscribe">Unsubscribe<\/a><\/p>\n/, ''), original);

    const after = await waitForDiagnostics(uri, `no ${UNSUBSCRIBE} after the fix`, (ds) => byCode(ds, UNSUBSCRIBE).length === 0, RELINT_MS);
    assert.equal(byCode(after, 'postal-address-missing').length, 1, 'the other finding stays');
  });

  it('"Show documentation" opens the rule page shipped in the extension in the Markdown preview (no network needed)', async () => {
    const uri = await copy('emails/campaigns/spring-sale.html', 'emails/campaigns/e2e-show-docs.html');
    await open(uri);
    const [diagnostic] = byCode(await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, FIRST_LINT_MS), UNSUBSCRIBE);
    const actions = await quickFixes(uri, diagnostic!.range);
    const docs = actions.find((a) => a.title === `Show documentation for ${UNSUBSCRIBE}`);
    assert.ok(docs?.command, actions.map((a) => a.title).join(' | '));
    // The page is inside the installed extension, not fetched.
    const page = vscode.Uri.joinPath((await deliverlint()).extensionUri, 'docs', 'rules', `${UNSUBSCRIBE}.md`);
    assert.equal((await vscode.workspace.fs.stat(page)).type, vscode.FileType.File, `${page.toString()} is installed`);
    await vscode.commands.executeCommand(docs.command.command, ...(docs.command.arguments ?? []));
    const previews = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes(`${UNSUBSCRIBE}.md`));
    await waitFor('a Markdown preview of the rule page', () => (previews().length ? true : undefined), RELINT_MS, () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} (${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input})`).join(' | '),
    );
  });

  it('disables a rule for a whole MJML file with an HTML comment directive', async () => {
    const uri = await copy('emails/campaigns/autumn-offers.mjml', 'emails/campaigns/e2e-directive.mjml');
    const { document } = await open(uri);
    const [diagnostic] = byCode(await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, FIRST_LINT_MS), UNSUBSCRIBE);
    const actions = await quickFixes(uri, diagnostic!.range);
    const disableFile = actions.find((a) => a.title === `Disable ${UNSUBSCRIBE} for the entire file`);
    assert.ok(disableFile, actions.map((a) => a.title).join(' | '));
    assert.equal(await vscode.workspace.applyEdit(disableFile.edit!), true);
    assert.ok(document.getText().startsWith(`<!-- deliverlint-disable-file ${UNSUBSCRIBE} -->\n<mjml lang="en">`), document.getText().slice(0, 120));
    const after = await waitForDiagnostics(uri, `no ${UNSUBSCRIBE} once disabled`, (ds) => byCode(ds, UNSUBSCRIBE).length === 0, RELINT_MS);
    assert.equal(byCode(after, 'unused-directive').length, 0, 'the directive is used');
  });

  it('fixes all with the command when an ESP is set: the Mailchimp tag goes in as a safe fix', async () => {
    await setSetting('esp', 'mailchimp');
    const uri = await copy('emails/campaigns/spring-sale.html', 'emails/campaigns/e2e-fix-all.html');
    const { document } = await open(uri);
    const [diagnostic] = byCode(await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, FIRST_LINT_MS), UNSUBSCRIBE);
    // The ESP is known, so the footer fix is preferred (what "fix all" applies).
    const footer = await waitFor(
      'a preferred footer fix with the Mailchimp tag',
      async () => (await quickFixes(uri, diagnostic!.range)).find((a) => a.isPreferred && insertedText(a, uri).includes('*|UNSUB|*')),
      RELINT_MS,
    );
    assert.ok(footer);

    // The command acts on the active editor; on a loaded machine the editor may not have taken
    // focus yet when it first runs, so it is issued again (it is idempotent) until the edit lands.
    await vscode.window.showTextDocument(document);
    let lastRun = 0;
    await waitFor(
      'the fix-all edit',
      async () => {
        if (document.getText().includes('href="*|UNSUB|*"')) return true;
        if (Date.now() - lastRun > 3000) {
          lastRun = Date.now();
          await vscode.window.showTextDocument(document);
          await vscode.commands.executeCommand('deliverlint.fixAll');
        }
        return undefined;
      },
      FIRST_LINT_MS,
      () => document.getText().slice(-300),
    );
    await waitForDiagnostics(uri, `no ${UNSUBSCRIBE} after fix-all`, (ds) => byCode(ds, UNSUBSCRIBE).length === 0, RELINT_MS);
  });
});
