// "Deliverlint: Verify This Message" (deliverlint.verifyMessage) on an open .eml. The server does
// the work (deliverlint/verifyMessage, see server/src/protocol.ts) through the DNS servers of the
// settings; this side asks for the sending IP (optional: without it SPF is not checked) and shows
// the report, already in the display language, in its own output channel. Nothing runs until the
// command is run.

import { isIP } from 'node:net';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VERIFY_MESSAGE_METHOD, type VerifyMessageParams, type VerifyMessageResult } from '../../server/src/protocol';
import type { VerifyReport } from '../../server/src/verify/message';

export const VERIFY_MESSAGE_COMMAND = 'deliverlint.verifyMessage';

let channel: vscode.OutputChannel | undefined;

export function registerVerifyMessage(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(VERIFY_MESSAGE_COMMAND, (options?: unknown) => verifyCommand(context, getClient(), options)),
    { dispose: () => channel?.dispose() },
  );
}

/** What a caller (a test, a keybinding) may pass instead of answering the input box. */
interface CommandOptions {
  ip?: string;
  mailFrom?: string;
  helo?: string;
}

async function verifyCommand(context: vscode.ExtensionContext, client: LanguageClient | undefined, optionsArg?: unknown): Promise<VerifyReport | undefined> {
  const fail = (why: string) => void vscode.window.showErrorMessage(vscode.l10n.t('Verifying the message failed: {0}', why));
  if (!client) {
    fail(vscode.l10n.t('the Deliverlint language server is not running.'));
    return undefined;
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !(doc.languageId === 'eml' || /\.eml$/i.test(doc.uri.path))) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a raw message (.eml) to verify it.'));
    return undefined;
  }
  const given = typeof optionsArg === 'object' && optionsArg !== null ? (optionsArg as CommandOptions) : undefined;
  let ip = given?.ip;
  if (!given) {
    // The last IP typed is offered again: a team usually checks the same sending IPs.
    const last = context.workspaceState.get<string>('deliverlint.verifyMessage.ip') ?? '';
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Verify This Message'),
      prompt: vscode.l10n.t('The IP address the message was sent from, to check SPF (leave empty to skip SPF).'),
      value: last,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || isIP(v.trim()) ? undefined : vscode.l10n.t('"{0}" is not an IP address.', v.trim())),
    });
    if (typed === undefined) return undefined;
    ip = typed.trim() || undefined;
    await context.workspaceState.update('deliverlint.verifyMessage.ip', ip ?? '');
  }
  let result: VerifyMessageResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Verifying the message against DNS') }, () =>
      client.sendRequest<VerifyMessageResult>(VERIFY_MESSAGE_METHOD, { uri: doc.uri.toString(), ip, mailFrom: given?.mailFrom, helo: given?.helo } satisfies VerifyMessageParams),
    );
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if ('error' in result) {
    fail(result.error === 'bad-ip' ? vscode.l10n.t('"{0}" is not an IP address.', ip ?? '') : vscode.l10n.t('the message could not be read.'));
    return undefined;
  }
  for (const spec of result.ignoredServers) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Ignoring the DNS server "{0}" in deliverlint.dns.servers: use an IP address with an optional port, e.g. 192.0.2.53:53.', spec));
  }
  channel ??= vscode.window.createOutputChannel(vscode.l10n.t('Deliverlint: Message Verification'));
  channel.clear();
  channel.append(`${vscode.workspace.asRelativePath(doc.uri)}\n\n${result.text}`);
  channel.show(true);
  return result.report;
}
