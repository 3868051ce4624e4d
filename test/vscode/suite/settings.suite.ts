// Settings changed through VS Code's configuration API reach the server, and the diagnostics of
// open files follow without reopening them.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { byCode, closeAllEditors, copyFixture, deliverlint, FIRST_LINT_MS, open, RELINT_MS, setSetting, waitForDiagnostics } from './helpers';

const UNSUBSCRIBE = 'unsubscribe-link-missing';
const POSTAL = 'postal-address-missing';

describe('Settings in the editor', function () {
  this.timeout(90_000);
  let uri: vscode.Uri;

  before(async () => {
    await deliverlint();
    uri = await copyFixture('emails/campaigns/spring-sale.html', 'emails/campaigns/e2e-settings.html');
    await open(uri);
    await waitForDiagnostics(uri, UNSUBSCRIBE, (ds) => byCode(ds, UNSUBSCRIBE).length > 0, FIRST_LINT_MS);
  });

  after(async () => {
    await setSetting('rules', undefined);
    await setSetting('enable', undefined);
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri);
  });

  it('follows deliverlint.rules: off removes the finding, warning lowers it, removing the setting restores it', async () => {
    await setSetting('rules', { [UNSUBSCRIBE]: 'off' });
    const off = await waitForDiagnostics(uri, `${UNSUBSCRIBE} turned off`, (ds) => byCode(ds, UNSUBSCRIBE).length === 0, RELINT_MS);
    assert.equal(byCode(off, POSTAL).length, 1, 'the other rule still reports: the file is still linted');

    await setSetting('rules', { [UNSUBSCRIBE]: 'warning', [POSTAL]: 'error' });
    const changed = await waitForDiagnostics(
      uri,
      `${UNSUBSCRIBE} as a warning and ${POSTAL} as an error`,
      (ds) => byCode(ds, UNSUBSCRIBE)[0]?.severity === vscode.DiagnosticSeverity.Warning && byCode(ds, POSTAL)[0]?.severity === vscode.DiagnosticSeverity.Error,
      RELINT_MS,
    );
    assert.equal(changed.length, 2);

    await setSetting('rules', undefined);
    await waitForDiagnostics(
      uri,
      'the default severities back',
      (ds) => byCode(ds, UNSUBSCRIBE)[0]?.severity === vscode.DiagnosticSeverity.Error && byCode(ds, POSTAL)[0]?.severity === vscode.DiagnosticSeverity.Warning,
      RELINT_MS,
    );
  });

  it('follows deliverlint.enable: false clears every finding, true brings them back', async () => {
    await setSetting('enable', false);
    await waitForDiagnostics(uri, 'no findings with deliverlint.enable off', (ds) => ds.length === 0, RELINT_MS);
    await setSetting('enable', true);
    await waitForDiagnostics(uri, 'findings back with deliverlint.enable on', (ds) => byCode(ds, UNSUBSCRIBE).length === 1 && byCode(ds, POSTAL).length === 1, RELINT_MS);
  });
});
