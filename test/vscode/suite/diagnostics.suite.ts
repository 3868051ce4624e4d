// Diagnostics as VS Code shows them: rule ids as codes with their docs link, severities, and
// ranges on the start tag of the message body, for HTML and MJML; silence on transactional mail;
// files nobody opened are linted by the workspace scan.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  byCode,
  closeAllEditors,
  codesOf,
  deliverlint,
  deliverlintDiagnostics,
  docsLinkOf,
  fixtureUri,
  FIRST_LINT_MS,
  openFixture,
  rangeText,
  RELINT_MS,
  sleep,
  startTagRange,
  waitForDiagnostics,
} from './helpers';

describe('Diagnostics in the editor', function () {
  this.timeout(90_000);

  before(async () => {
    await deliverlint();
  });

  after(closeAllEditors);

  it('reports a marketing HTML template without an unsubscribe link on its <body> start tag', async () => {
    const editor = await openFixture('emails/campaigns/spring-sale.html');
    const { document } = editor;
    assert.equal(document.languageId, 'html');
    const diagnostics = await waitForDiagnostics(document.uri, 'unsubscribe-link-missing', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS);

    assert.deepEqual(codesOf(diagnostics), ['postal-address-missing', 'unsubscribe-link-missing']);
    const body = startTagRange(document, 'body');
    const [unsubscribe] = byCode(diagnostics, 'unsubscribe-link-missing');
    assert.ok(unsubscribe);
    assert.equal(rangeText(unsubscribe.range), rangeText(body), 'the finding sits on the <body> start tag');
    assert.equal(unsubscribe.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unsubscribe.message, /unsubscribe/i);
    assert.match(docsLinkOf(unsubscribe) ?? '', /\/blob\/v\d+\.\d+\.\d+\/docs\/rules\/unsubscribe-link-missing\.md$/, 'the code links to the rule page of the installed version');

    const [postal] = byCode(diagnostics, 'postal-address-missing');
    assert.ok(postal);
    assert.equal(rangeText(postal.range), rangeText(body));
    assert.equal(postal.severity, vscode.DiagnosticSeverity.Warning);

    assert.equal(vscode.extensions.getExtension('deliverlint.deliverlint')?.isActive, true, 'the extension is active');
  });

  it('reports an MJML template (its own language) on the <mj-body> start tag, with no MJML errors', async () => {
    const { document } = await openFixture('emails/campaigns/autumn-offers.mjml');
    assert.equal(document.languageId, 'mjml', 'the extension contributes the mjml language');
    const diagnostics = await waitForDiagnostics(document.uri, 'unsubscribe-link-missing', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS);
    assert.deepEqual(codesOf(diagnostics), ['postal-address-missing', 'unsubscribe-link-missing']);
    const [unsubscribe] = byCode(diagnostics, 'unsubscribe-link-missing');
    assert.equal(rangeText(unsubscribe!.range), rangeText(startTagRange(document, 'mj-body')));
  });

  it('stays silent on a transactional template, while still linting it', async () => {
    const editor = await openFixture('emails/transactional/password-reset.html');
    const { document } = editor;
    // Give the server the time it needs for a first lint (the marketing file above got its findings).
    await sleep(1500);
    assert.deepEqual(deliverlintDiagnostics(document.uri), [], 'no findings on a password reset mail');

    // Proof that the file is linted at all: a half-typed merge tag is reported, the unsubscribe
    // rules stay silent (transactional), and removing the typo clears it again.
    const original = document.getText();
    const at = document.positionAt(original.indexOf('we received'));
    assert.ok(await editor.edit((b) => b.insert(at, '{{ order_id ')));
    const typed = await waitForDiagnostics(document.uri, 'merge-tag-unclosed after typing', (ds) => byCode(ds, 'merge-tag-unclosed').length > 0, RELINT_MS);
    assert.deepEqual(codesOf(typed), ['merge-tag-unclosed']);
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(at, at.translate(0, '{{ order_id '.length)))));
    assert.equal(document.getText(), original);
    await waitForDiagnostics(document.uri, 'no diagnostics once the typo is gone', (ds) => ds.length === 0, RELINT_MS);
  });

  it('reports a clean marketing template (unsubscribe link and postal address) as clean', async () => {
    const { document } = await openFixture('emails/campaigns/member-news.html');
    await sleep(1000);
    assert.deepEqual(deliverlintDiagnostics(document.uri), []);
  });

  it('lints templates that are not open (workspace scan)', async () => {
    const uri = fixtureUri('emails/campaigns/weekly-digest.html');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file is not open');
    const diagnostics = await waitForDiagnostics(uri, 'findings of the workspace scan', (ds) => byCode(ds, 'unsubscribe-link-missing').length > 0, FIRST_LINT_MS);
    assert.deepEqual(codesOf(diagnostics), ['postal-address-missing', 'unsubscribe-link-missing']);
    assert.equal(diagnostics[0]!.range.start.line, 6, 'on the <body> line');
  });
});
