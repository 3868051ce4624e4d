// What the extension-host suites share: opening fixture files of the test workspace, reading
// Deliverlint's diagnostics, and bounded waits. Every wait ends with an error that says what was
// awaited and what was there instead, never with a hang.

import * as vscode from 'vscode';
import type { Context } from 'mocha';

export const EXTENSION_ID = 'deliverlint.deliverlint';
export const SOURCE = 'deliverlint';

/** A generous bound for the first diagnostics of a file (the server may still be starting). */
export const FIRST_LINT_MS = 45_000;
/** The bound for diagnostics to follow an edit or a setting. */
export const RELINT_MS = 15_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The tests need a workspace folder (the runner opens a copy of test/vscode/fixtures/workspace).');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

/** Copies a fixture to a new name in the workspace, so a test can change it without affecting others. */
export async function copyFixture(relativePath: string, newRelativePath: string): Promise<vscode.Uri> {
  const target = fixtureUri(newRelativePath);
  await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(fixtureUri(relativePath)));
  return target;
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The rule id of a diagnostic: LSP `code` arrives as `{value, target}` when it has a docs link. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const { code } = diagnostic;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function docsLinkOf(diagnostic: vscode.Diagnostic): string | undefined {
  const { code } = diagnostic;
  return typeof code === 'object' ? code.target.toString() : undefined;
}

export function deliverlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codesOf(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => codeOf(d) ?? '(no code)').sort();
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (!diagnostics.length) return '(none)';
  return diagnostics
    .map((d) => `${codeOf(d) ?? '(no code)'} ${vscode.DiagnosticSeverity[d.severity]} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`)
    .join('; ');
}

/**
 * Waits until `probe` returns something other than undefined, re-checking whenever diagnostics or
 * documents change and at least every 100 ms. `describe` says what is there when the time is up.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let wake: (() => void) | undefined;
  const listeners = [
    vscode.languages.onDidChangeDiagnostics(() => wake?.()),
    vscode.workspace.onDidChangeTextDocument(() => wake?.()),
  ];
  try {
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    for (const l of listeners) l.dispose();
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${describe ? `; there was: ${describe()}` : ''}`);
}

/** Waits until the Deliverlint diagnostics of `uri` satisfy `test`, and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, test: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = RELINT_MS): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    () => {
      const diagnostics = deliverlintDiagnostics(uri);
      return test(diagnostics) ? diagnostics : undefined;
    },
    timeoutMs,
    () => describeDiagnostics(deliverlintDiagnostics(uri)),
  );
}

export function byCode(diagnostics: readonly vscode.Diagnostic[], code: string): vscode.Diagnostic[] {
  return diagnostics.filter((d) => codeOf(d) === code);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The range of the first start tag `<name ...>` in the document (where whole-message findings sit). */
export function startTagRange(document: vscode.TextDocument, name: string): vscode.Range {
  const text = document.getText();
  const match = new RegExp(`<${name}(\\s[^>]*)?>`).exec(text);
  if (!match) throw new Error(`No <${name}> start tag in ${document.uri.toString()}`);
  return new vscode.Range(document.positionAt(match.index), document.positionAt(match.index + match[0].length));
}

export function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/**
 * Marks the running test as pending and records why, for the runner's report. Use only when a
 * feature is not in the packaged extension yet, never to hide a failure.
 */
export function pending(context: Context, reason: string): never {
  if (context.test) (context.test as { pendingReason?: string }).pendingReason = reason;
  context.skip();
}

/** The installed Deliverlint extension, activated. */
export async function deliverlint(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    const installed = vscode.extensions.all.filter((e) => !e.packageJSON?.isBuiltin && !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`${EXTENSION_ID} is not installed; non-builtin extensions: ${installed.join(', ') || '(none)'}`);
  }
  await extension.activate();
  return extension;
}

/** Reverts every changed document and closes all editors, so the next test starts clean. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.isClosed) continue;
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Sets a `deliverlint.*` setting for the workspace (undefined removes it). */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('deliverlint').update(key, value, vscode.ConfigurationTarget.Workspace);
}
