// Restricted Mode: the window opened without trusting the workspace. Deliverlint declares
// `capabilities.untrustedWorkspaces: {supported: 'limited'}` (it only reads files and runs no
// workspace code), so it must activate and lint there as in a trusted window; only the workspace's
// DNS settings (restrictedConfigurations) are ignored, so an untrusted folder cannot choose the
// resolver the domain check asks.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { TEST_DOMAIN } from '../dns-server';
import { byCode, closeAllEditors, codesOf, deliverlint, EXTENSION_ID, FIRST_LINT_MS, openFixture, rangeText, RELINT_MS, startTagRange, waitFor, waitForDiagnostics } from './helpers';

describe('Restricted Mode (untrusted workspace)', function () {
  this.timeout(90_000);

  before(() => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opens this window without trusting the workspace');
  });

  after(closeAllEditors);

  it('declares untrusted workspaces supported, and is enabled there', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed and enabled in Restricted Mode`);
    assert.equal(extension.packageJSON.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.deepEqual(extension.packageJSON.capabilities?.untrustedWorkspaces?.restrictedConfigurations, ['deliverlint.dns.servers', 'deliverlint.dns.timeout']);
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
    // The diagnostic may come from the workspace scan before the server has linted the opened
    // document, and code actions are answered from that lint: asked until it has (seen in CI once).
    const fixes = () => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value).then((a) => a ?? []);
    const hasFooter = (actions: vscode.CodeAction[]) => actions.some((a) => (a.edit?.get(document.uri) ?? []).some((e) => /Unsubscribe<\/a>/.test(e.newText)));
    let actions: vscode.CodeAction[] = [];
    await waitFor('an insert-footer fix', async () => (hasFooter((actions = await fixes())) ? true : undefined), RELINT_MS, () => actions.map((a) => a.title).join(' | ') || '(none)').catch(() => undefined);
    assert.ok(hasFooter(actions), `an insert-footer fix among: ${actions.map((a) => a.title).join(' | ') || '(none)'}`);
  });

  it('ignores the workspace\'s deliverlint.dns.servers: the domain check does not ask the server it names', async () => {
    const workspaceServer = process.env.DELIVERLINT_E2E_DNS;
    assert.ok(workspaceServer, 'the runner sets deliverlint.dns.servers in the workspace and names it in DELIVERLINT_E2E_DNS');
    const settingsFile = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, '.vscode', 'settings.json');
    const written = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(settingsFile)).toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(written['deliverlint.dns.servers'], [workspaceServer], 'the workspace settings file names the test server');
    assert.ok(!(vscode.workspace.getConfiguration('deliverlint').get<string[]>('dns.servers') ?? []).includes(workspaceServer), 'Restricted Mode hides the workspace value from the extension');
    // The language server reads the setting through the client: it must not get it either.
    const report = await vscode.commands.executeCommand<{ domain: string; servers: string[] } | undefined>('deliverlint.checkDomain', TEST_DOMAIN, { selectors: [] });
    assert.ok(report && Array.isArray(report.servers), `the command returns its report: ${JSON.stringify(report)?.slice(0, 200)}`);
    assert.ok(!report.servers.includes(workspaceServer), `asked ${report.servers.join(', ')}, not the workspace's ${workspaceServer}`);
  });

  it('lints files that are not open (workspace scan)', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'emails', 'campaigns', 'weekly-digest.html');
    await waitForDiagnostics(uri, 'findings of the workspace scan', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS);
  });
});
