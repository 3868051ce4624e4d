// Restricted Mode: the window opened without trusting the workspace. Deliverlint declares
// `capabilities.untrustedWorkspaces: {supported: true}` (it only reads files and runs no workspace
// code), so it must activate and lint there as in a trusted window.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { byCode, closeAllEditors, codesOf, deliverlint, EXTENSION_ID, FIRST_LINT_MS, openFixture, rangeText, startTagRange, waitForDiagnostics } from './helpers';

describe('Restricted Mode (untrusted workspace)', function () {
  this.timeout(90_000);

  before(() => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opens this window without trusting the workspace');
  });

  after(closeAllEditors);

  it('declares untrusted workspaces supported, and is enabled there', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed and enabled in Restricted Mode`);
    assert.deepEqual(extension.packageJSON.capabilities?.untrustedWorkspaces, { supported: true });
    await deliverlint();
    assert.equal(extension.isActive, true);
  });

  it('shows diagnostics on an opened template', async () => {
    const { document } = await openFixture('emails/campaigns/spring-sale.html');
    const diagnostics = await waitForDiagnostics(document.uri, 'unsubscribe-link-missing', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS);
    assert.deepEqual(codesOf(diagnostics), ['postal-address-missing', 'unsubscribe-link-missing']);
    assert.equal(rangeText(diagnostics[0]!.range), rangeText(startTagRange(document, 'body')));
  });

  it('offers quick fixes', async () => {
    const { document } = await openFixture('emails/campaigns/spring-sale.html');
    const [diagnostic] = byCode(await waitForDiagnostics(document.uri, 'unsubscribe-link-missing', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS), 'unsubscribe-link-missing');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    assert.ok(
      actions.some((a) => (a.edit?.get(document.uri) ?? []).some((e) => /Unsubscribe<\/a>/.test(e.newText))),
      `an insert-footer fix among: ${actions.map((a) => a.title).join(' | ') || '(none)'}`,
    );
  });

  it('lints files that are not open (workspace scan)', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'emails', 'campaigns', 'weekly-digest.html');
    await waitForDiagnostics(uri, 'findings of the workspace scan', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS);
  });
});
