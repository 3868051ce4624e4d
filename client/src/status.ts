// The language status item (the {} in the status bar, as vscode-eslint has): whether Deliverlint is
// linting the active file, its counts, and the rc file in use; and "Deliverlint: Show Effective
// Configuration", a read-only view of what the file gets and where each value came from. Both ask
// the server (deliverlint/effectiveConfiguration); nothing is computed here.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EFFECTIVE_CONFIGURATION_METHOD, effectiveConfigurationText, type EffectiveConfiguration, type EffectiveConfigurationParams } from '../../server/src/protocol';

export const SHOW_EFFECTIVE_CONFIGURATION_COMMAND = 'deliverlint.showEffectiveConfiguration';
const SCHEME = 'deliverlint-config';
const SOURCE = 'deliverlint';

export function registerStatus(context: vscode.ExtensionContext, selector: vscode.DocumentSelector, getClient: () => LanguageClient | undefined): void {
  const item = vscode.languages.createLanguageStatusItem('deliverlint.status', selector);
  item.name = 'Deliverlint';
  item.command = { title: vscode.l10n.t('Show Effective Configuration'), command: SHOW_EFFECTIVE_CONFIGURATION_COMMAND };
  context.subscriptions.push(item);

  // Read-only documents: a content provider's documents cannot be edited or saved.
  const shown = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(changed, vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => shown.get(uri.toString()) ?? '' }));

  /** The document whose diagnostics have not come back since its last edit. */
  const pending = new Set<string>();
  let config: EffectiveConfiguration | undefined;
  let asked = 0;

  const render = () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return;
    const counts = countsOf(doc.uri);
    const busy = pending.has(doc.uri.toString());
    item.busy = busy;
    const file = config?.configFile ? vscode.workspace.asRelativePath(config.configFile) : undefined;
    item.detail = file ? vscode.l10n.t('Configuration: {0}', file) : vscode.l10n.t('No .deliverlintrc.json: defaults and settings');
    if (!getClient()?.isRunning()) {
      item.text = vscode.l10n.t('Deliverlint: not running');
      item.severity = vscode.LanguageStatusSeverity.Warning;
    } else if (config && !config.enabled) {
      item.text = vscode.l10n.t('Deliverlint: off');
      item.severity = vscode.LanguageStatusSeverity.Information;
    } else if (busy) {
      item.text = vscode.l10n.t('Deliverlint: linting');
      item.severity = vscode.LanguageStatusSeverity.Information;
    } else if (config && config.configFileProblems.length + config.settingsProblems.length > 0) {
      // The rc file's problems and the settings' (an unknown rule id in deliverlint.rules ...).
      item.text = vscode.l10n.t('Deliverlint: configuration problems ({0})', config.configFileProblems.length + config.settingsProblems.length);
      item.severity = vscode.LanguageStatusSeverity.Error;
    } else if (counts.errors || counts.warnings) {
      item.text = vscode.l10n.t('Deliverlint: {0} error(s), {1} warning(s)', counts.errors, counts.warnings);
      item.severity = counts.errors ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Warning;
    } else {
      item.text = vscode.l10n.t('Deliverlint: OK');
      item.severity = vscode.LanguageStatusSeverity.Information;
    }
  };

  const refresh = async () => {
    const doc = vscode.window.activeTextEditor?.document;
    const client = getClient();
    const ticket = ++asked;
    if (!doc || !client?.isRunning()) {
      config = undefined;
      render();
      return;
    }
    try {
      const answer = await client.sendRequest<EffectiveConfiguration | null>(EFFECTIVE_CONFIGURATION_METHOD, { uri: doc.uri.toString() } satisfies EffectiveConfigurationParams);
      if (ticket === asked) config = answer ?? undefined;
    } catch (error) {
      client.outputChannel.error(`Reading the effective configuration failed: ${String(error)}`);
    }
    if (ticket === asked) render();
  };

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && e.document === vscode.window.activeTextEditor?.document) {
        pending.add(e.document.uri.toString());
        render();
      }
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      for (const uri of e.uris) pending.delete(uri.toString());
      if (active && e.uris.some((u) => u.toString() === active)) void refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('deliverlint')) void refresh();
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (/\.deliverlintrc(\.json)?$/.test(doc.fileName)) void refresh();
    }),
    vscode.commands.registerCommand(SHOW_EFFECTIVE_CONFIGURATION_COMMAND, async () => {
      const doc = vscode.window.activeTextEditor?.document;
      const client = getClient();
      if (!doc) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a file to see the Deliverlint configuration it gets.'));
        return;
      }
      if (!client?.isRunning()) {
        void vscode.window.showErrorMessage(vscode.l10n.t('the Deliverlint language server is not running.'));
        return;
      }
      const eff = await client.sendRequest<EffectiveConfiguration | null>(EFFECTIVE_CONFIGURATION_METHOD, { uri: doc.uri.toString() } satisfies EffectiveConfigurationParams);
      if (!eff) return;
      const text = effectiveConfigurationText(eff, {
        header: vscode.l10n.t('What Deliverlint uses for {0}, and where each value came from (read-only)', path.basename(doc.uri.path)),
        default: vscode.l10n.t('default'),
        setting: vscode.l10n.t('setting'),
        rcFile: vscode.l10n.t('from'),
      });
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${path.basename(doc.uri.path)}.effective-config.jsonc` });
      shown.set(uri.toString(), text);
      changed.fire(uri);
      const shownDoc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(shownDoc, 'jsonc');
      await vscode.window.showTextDocument(shownDoc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
  );
  const client = getClient();
  if (client) context.subscriptions.push(client.onDidChangeState(() => void refresh()));
  void refresh();
}

function countsOf(uri: vscode.Uri): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (d.source !== SOURCE) continue;
    if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
  }
  return { errors, warnings };
}
