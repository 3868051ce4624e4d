// Send configurations in the editor: a campaign file (*.campaign.yaml) and an Amazon SES
// SendEmail request. The editor must show what the CLI bundled in the same .vsix finds for the
// file, and the List-Unsubscribe quick fix must clear its finding.
//
// While the packaged extension cannot lint these files yet (issue 3), its CLI finds nothing in
// them and the tests report as pending with that reason; they never pass without checking.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, before, describe, it, type Context } from 'mocha';
import * as vscode from 'vscode';
import { byCode, closeAllEditors, codesOf, deliverlint, describeDiagnostics, FIRST_LINT_MS, fixtureUri, open, pending, RELINT_MS, waitForDiagnostics, workspaceRoot } from './helpers';

interface CliMessage {
  ruleId: string | null;
  line: number;
  column: number;
}

const LIST_UNSUBSCRIBE = 'list-unsubscribe-missing';

/** What the packaged CLI reports for a file, or a reason why it reports nothing usable. */
async function cliFindings(extensionPath: string, file: string): Promise<CliMessage[] | { reason: string }> {
  const cli = path.join(extensionPath, 'dist', 'cli.js');
  const stdout = await new Promise<string>((resolve) => {
    // The CLI exits 1 when it finds errors: the output is what counts.
    execFile(
      process.execPath,
      [cli, file, '--format', 'json'],
      // From the workspace folder, as a user runs it: the CLI reads includes inside the folder it
      // runs in (or the repository around it), as the editor reads them inside the workspace.
      { cwd: workspaceRoot().fsPath, timeout: 30_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
      (_error, out) => resolve(String(out)),
    );
  });
  try {
    const results = JSON.parse(stdout) as Array<{ messages: CliMessage[] }>;
    return results.flatMap((r) => r.messages);
  } catch {
    return { reason: `the packaged CLI printed no JSON report for it: ${stdout.slice(0, 200) || '(nothing)'}` };
  }
}

const cases = [
  // How a rule is disabled inline there: YAML has `#` comments; JSON has none, so config only.
  { file: 'send/spring.campaign.yaml', kind: 'campaign files (*.campaign.yaml)', directive: /^\s*# deliverlint-disable/ },
  { file: 'send/spring-send-email.json', kind: 'Amazon SES SendEmail requests (JSON)', directive: undefined },
];

describe('Send configurations in the editor', function () {
  this.timeout(90_000);
  let extensionPath: string;

  before(async () => {
    extensionPath = (await deliverlint()).extensionPath;
  });

  afterEach(closeAllEditors);

  for (const { file, kind, directive } of cases) {
    /** The CLI's findings, or marks the test pending when the packaged core has none for this file. */
    async function expectedOrPending(context: Context): Promise<CliMessage[]> {
      const found = await cliFindings(extensionPath, fixtureUri(file).fsPath);
      if (!Array.isArray(found)) return pending(context, `${kind}: ${found.reason}`);
      if (!found.length) return pending(context, `the packaged Deliverlint does not lint ${kind} yet (issue 3): its bundled CLI reports nothing for ${file}`);
      return found;
    }

    it(`${file}: shows the findings the packaged CLI reports, at the same places`, async function () {
      const expected = await expectedOrPending(this);
      const ids = [...new Set(expected.map((m) => m.ruleId ?? '(no rule)'))].sort();
      assert.ok(ids.includes(LIST_UNSUBSCRIBE), `the fixture is a marketing send without List-Unsubscribe; the CLI reported: ${ids.join(', ')}`);
      const uri = fixtureUri(file);
      await open(uri);
      const diagnostics = await waitForDiagnostics(uri, `the CLI's findings (${ids.join(', ')})`, (ds) => JSON.stringify([...new Set(codesOf(ds))]) === JSON.stringify(ids), FIRST_LINT_MS);
      for (const m of expected) {
        const at = diagnostics.find((d) => d.range.start.line === m.line - 1 && d.range.start.character === m.column - 1 && byCode([d], m.ruleId ?? '').length);
        assert.ok(at, `${m.ruleId} at ${m.line}:${m.column} as in the CLI; the editor has ${describeDiagnostics(diagnostics)}`);
      }
    });

    it(`${file}: the List-Unsubscribe quick fix clears its finding`, async function () {
      await expectedOrPending(this);
      const uri = fixtureUri(file);
      const { document } = await open(uri);
      const [diagnostic] = byCode(await waitForDiagnostics(uri, LIST_UNSUBSCRIBE, (ds) => byCode(ds, LIST_UNSUBSCRIBE).length > 0, FIRST_LINT_MS), LIST_UNSUBSCRIBE);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value, 10)) ?? [];
      const fix = actions.find((a) => (a.edit?.get(uri) ?? []).some((e) => /List-Unsubscribe/i.test(e.newText)) && !/^Disable /.test(a.title));
      const described = actions.map((a) => `${a.title} [edits: ${a.edit ? a.edit.entries().map(([u, es]) => `${vscode.workspace.asRelativePath(u)}: ${es.map((e) => JSON.stringify(e.newText).slice(0, 80)).join(' ')}`).join('; ') : 'none'}]`);
      assert.ok(fix, `a quick fix inserting List-Unsubscribe among: ${described.join(' | ') || '(none)'}`);
      assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
      assert.match(document.getText(), /List-Unsubscribe/);
      await waitForDiagnostics(uri, `no ${LIST_UNSUBSCRIBE} after the fix`, (ds) => byCode(ds, LIST_UNSUBSCRIBE).length === 0, RELINT_MS);
    });

    it(`${file}: suppression quick fixes use the file's own comment syntax (${directive ? 'YAML #' : 'none in JSON'})`, async function () {
      await expectedOrPending(this);
      const uri = fixtureUri(file);
      await open(uri);
      const [diagnostic] = byCode(await waitForDiagnostics(uri, LIST_UNSUBSCRIBE, (ds) => byCode(ds, LIST_UNSUBSCRIBE).length > 0, FIRST_LINT_MS), LIST_UNSUBSCRIBE);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value, 10)) ?? [];
      const inserts = actions.map((a) => ({ title: a.title, text: (a.edit?.get(uri) ?? []).map((e) => e.newText).join('') }));
      const htmlComments = inserts.filter((i) => i.text.includes('<!--'));
      assert.deepEqual(htmlComments, [], 'no HTML comment directives written into this file');
      const suppressions = inserts.filter((i) => /deliverlint-disable/.test(i.text));
      if (directive) {
        assert.ok(suppressions.length > 0, `a disable quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
        for (const s of suppressions) assert.match(s.text, directive, s.title);
      } else {
        assert.deepEqual(suppressions, [], 'JSON takes no inline directives (configuration only)');
      }
    });
  }
});
