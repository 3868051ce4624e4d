// "Deliverlint: Sender Standing" (deliverlint.senderStanding): the sender's live figures at SES,
// SendGrid and Gmail Postmaster Tools, read by the server (deliverlint/senderStanding) only when
// this command runs; never at start-up. The SendGrid key lives in VS Code's secret storage
// ("Deliverlint: Set SendGrid API Key"), the Postmaster Tools token is asked each time (it expires
// within the hour); neither is written to settings or the log. SES uses the AWS SDK's own
// credentials (profile, SSO, environment) of the editor's environment.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SENDER_STANDING_METHOD, type SenderStandingParams, type SenderStandingResult } from '../../server/src/protocol';
import type { ProviderId, StandingReport } from '../../server/src/standing/types';

export const SENDER_STANDING_COMMAND = 'deliverlint.senderStanding';
export const SET_SENDGRID_KEY_COMMAND = 'deliverlint.setSendGridApiKey';
const SENDGRID_SECRET = 'deliverlint.sendgrid.apiKey';

let channel: vscode.OutputChannel | undefined;

export function registerSenderStanding(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SENDER_STANDING_COMMAND, (options?: unknown) => standingCommand(context, getClient(), options)),
    vscode.commands.registerCommand(SET_SENDGRID_KEY_COMMAND, () => askSendGridKey(context)),
    { dispose: () => channel?.dispose() },
  );
}

async function askSendGridKey(context: vscode.ExtensionContext): Promise<string | undefined> {
  const key = await vscode.window.showInputBox({ title: vscode.l10n.t('SendGrid API key'), prompt: vscode.l10n.t('A key with read access to Suppressions and Stats. It is kept in VS Code\'s secret storage.'), password: true, ignoreFocusOut: true });
  if (!key?.trim()) return undefined;
  await context.secrets.store(SENDGRID_SECRET, key.trim());
  return key.trim();
}

/** What a caller (a test, a keybinding) may pass instead of answering the pickers. */
interface CommandOptions {
  providers?: ProviderId[];
  region?: string;
  domain?: string;
}

async function standingCommand(context: vscode.ExtensionContext, client: LanguageClient | undefined, optionsArg?: unknown): Promise<StandingReport | undefined> {
  const fail = (why: string) => void vscode.window.showErrorMessage(vscode.l10n.t('Reading the sender standing failed: {0}', why));
  if (!client) {
    fail(vscode.l10n.t('the Deliverlint language server is not running.'));
    return undefined;
  }
  const given = typeof optionsArg === 'object' && optionsArg !== null ? (optionsArg as CommandOptions) : undefined;
  let providers = given?.providers;
  if (!providers) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Amazon SES', id: 'ses' as const, picked: true },
        { label: 'SendGrid', id: 'sendgrid' as const, picked: true },
        { label: 'Gmail Postmaster Tools', id: 'gmail-postmaster' as const, picked: false },
      ],
      { title: vscode.l10n.t('Sender Standing'), placeHolder: vscode.l10n.t('The providers to ask (read-only)'), canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked?.length) return undefined;
    providers = picked.map((p) => p.id);
  }
  const params: SenderStandingParams = { providers, region: given?.region };
  if (providers.includes('sendgrid')) params.sendGridApiKey = (await context.secrets.get(SENDGRID_SECRET)) ?? (given ? undefined : await askSendGridKey(context));
  if (providers.includes('gmail-postmaster')) {
    const settings = vscode.workspace.getConfiguration('deliverlint');
    params.domain = given?.domain ?? settings.get<string>('sender.domain') ?? undefined;
    if (!given) {
      params.postmasterToken = await vscode.window.showInputBox({ title: vscode.l10n.t('Gmail Postmaster Tools'), prompt: vscode.l10n.t('An OAuth access token with the postmaster.readonly scope (e.g. from gcloud auth print-access-token). Used once, not stored.'), password: true, ignoreFocusOut: true });
      if (!params.domain) params.domain = await vscode.window.showInputBox({ title: vscode.l10n.t('Gmail Postmaster Tools'), prompt: vscode.l10n.t('The sending domain registered in Postmaster Tools'), ignoreFocusOut: true });
    }
  }
  let result: SenderStandingResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the sender standing') }, () => client.sendRequest<SenderStandingResult>(SENDER_STANDING_METHOD, params));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  channel ??= vscode.window.createOutputChannel(vscode.l10n.t('Deliverlint: Sender Standing'));
  channel.clear();
  channel.append(result.text);
  channel.show(true);
  return result.report;
}
