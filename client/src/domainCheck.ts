// "Deliverlint: Check Domain Authentication" (deliverlint.checkDomain). The check runs in the
// language server (deliverlint/checkDomain, see server/src/protocol.ts), which reads the active
// document's send model for the DKIM and MAIL FROM domains and the settings for the DNS servers.
// This side asks for the inputs, shows progress (reported by the server) with a cancel button,
// and renders the report in a webview.

import { randomBytes, randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient, type WorkDoneProgressBegin, type WorkDoneProgressReport, type WorkDoneProgressEnd } from 'vscode-languageclient/node';
import type { DomainReport } from '../../server/src/dns/types';
import {
  CHECK_DOMAIN_METHOD,
  DOMAIN_CHECK_INPUTS_METHOD,
  isSelector,
  normalizeDomain,
  type CheckDomainInputError,
  type CheckDomainParams,
  type CheckDomainResult,
  type DomainCheckInputs,
  type DomainCheckInputsParams,
} from '../../server/src/protocol';
import { splitSelectors } from './domainCheckInput';
import { domainLabels } from './domainCheckLabels';
import { renderReportHtml, type Labels } from './domainCheckView';

export const CHECK_DOMAIN_COMMAND = 'deliverlint.checkDomain';
const VIEW_TYPE = 'deliverlint.domainReport';

let panel: vscode.WebviewPanel | undefined;
let shown: DomainReport | undefined;

/** `getClient` gives the running language client (it changes on restart). */
export function registerDomainCheck(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  context.subscriptions.push(vscode.commands.registerCommand(CHECK_DOMAIN_COMMAND, (domain?: unknown, options?: unknown) => checkDomainCommand(getClient(), domain, options)));
}

function labels(): Labels {
  return domainLabels(vscode.l10n);
}

/** Options a caller (another extension, a keybinding, a test) may pass after the domain. */
interface CommandOptions {
  selectors?: string[];
}

/**
 * From the palette: asks for the domain and selectors, prefilled from the active document and the
 * settings. Called with a domain (and optionally `{ selectors }`), it asks nothing. Either way it
 * shows the report and returns it.
 */
async function checkDomainCommand(client: LanguageClient | undefined, domainArg?: unknown, optionsArg?: unknown): Promise<DomainReport | undefined> {
  if (!client) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The domain check failed: {0}', vscode.l10n.t('the Deliverlint language server is not running.')));
    return undefined;
  }
  const uri = vscode.window.activeTextEditor?.document.uri.toString();
  const given = typeof optionsArg === 'object' && optionsArg !== null ? (optionsArg as CommandOptions) : {};

  let domain: string;
  // Undefined: the server takes deliverlint.dkim.selectors and the document's.
  let selectors: string[] | undefined;
  if (typeof domainArg === 'string') {
    const normalized = normalizeDomain(domainArg);
    if (!normalized) {
      showInputError({ field: 'domain', value: domainArg });
      return undefined;
    }
    domain = normalized;
    selectors = Array.isArray(given.selectors) ? given.selectors.filter((s): s is string => typeof s === 'string') : undefined;
  } else {
    let suggested: DomainCheckInputs;
    try {
      suggested = await client.sendRequest<DomainCheckInputs>(DOMAIN_CHECK_INPUTS_METHOD, { uri } satisfies DomainCheckInputsParams);
    } catch (error) {
      showFailure(error);
      return undefined;
    }
    const asked = await askInputs(suggested);
    if (!asked) return undefined;
    ({ domain, selectors } = asked);
  }
  return runCheck(client, { domain, selectors, uri });
}

async function askInputs(suggested: DomainCheckInputs): Promise<{ domain: string; selectors: string[] } | undefined> {
  const domainInput = await vscode.window.showInputBox({
    title: vscode.l10n.t('Check Domain Authentication'),
    prompt: vscode.l10n.t('The domain in your From address'),
    placeHolder: 'example.com',
    value: suggested.domain ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || normalizeDomain(v) ? undefined : vscode.l10n.t('"{0}" is not a domain name.', v)),
  });
  if (domainInput === undefined || domainInput.trim() === '') return undefined;
  const domain = normalizeDomain(domainInput)!;

  const selectorInput = await vscode.window.showInputBox({
    title: vscode.l10n.t('Check Domain Authentication'),
    prompt: vscode.l10n.t('DKIM selectors, comma-separated (the s= of your DKIM-Signature); leave empty to skip DKIM'),
    value: suggested.selectors.join(', '),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const bad = splitSelectors(v).find((s) => !isSelector(s));
      return bad ? vscode.l10n.t('"{0}" is not a DKIM selector.', bad) : undefined;
    },
  });
  if (selectorInput === undefined) return undefined;
  return { domain, selectors: splitSelectors(selectorInput) };
}

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

async function runCheck(client: LanguageClient, params: Omit<CheckDomainParams, 'workDoneToken'>): Promise<DomainReport | undefined> {
  let result: CheckDomainResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the DNS records of {0}', params.domain), cancellable: true },
      async (progress, token) => {
        // The server reports each part of the check as it finishes, on this token.
        const workDoneToken = randomUUID();
        let reached = 0;
        const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (value: Progress) => {
          if (value.kind !== 'report' || value.percentage === undefined) return;
          const increment = value.percentage - reached;
          reached = value.percentage;
          progress.report({ message: value.message ? vscode.l10n.t('{0} checked', value.message) : undefined, increment });
        });
        try {
          // Cancelling the notification cancels the request ($/cancelRequest); the server stops asking DNS.
          return await client.sendRequest<CheckDomainResult>(CHECK_DOMAIN_METHOD, { ...params, workDoneToken } satisfies CheckDomainParams, token);
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (error) {
    showFailure(error);
    return undefined;
  }
  for (const spec of result.ignoredServers) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Ignoring the DNS server "{0}" in deliverlint.dns.servers: use an IP address with an optional port, e.g. 192.0.2.53:53.', spec));
  }
  if ('inputError' in result) {
    showInputError(result.inputError);
    return undefined;
  }
  showReport(result.report);
  return result.report;
}

function showInputError(error: CheckDomainInputError): void {
  void vscode.window.showErrorMessage(error.field === 'domain' ? vscode.l10n.t('"{0}" is not a domain name.', error.value) : vscode.l10n.t('The domain check failed: {0}', vscode.l10n.t('"{0}" is not a DKIM selector.', error.value)));
}

/** Cancelled by the user: nothing to say. Anything else: say the check failed, and why. */
function showFailure(error: unknown): void {
  if (error instanceof vscode.CancellationError) return;
  if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) return;
  void vscode.window.showErrorMessage(vscode.l10n.t('The domain check failed: {0}', error instanceof Error ? error.message : String(error)));
}

function showReport(report: DomainReport): void {
  shown = report;
  const l = labels();
  const title = l.title.replace('{0}', report.domain);
  if (!panel) {
    panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
    panel.onDidDispose(() => {
      panel = undefined;
      shown = undefined;
    });
    panel.webview.onDidReceiveMessage(async (message: unknown) => {
      const m = message as { type?: string; index?: number };
      if (!shown) return;
      if (m.type === 'copyJson') {
        await vscode.env.clipboard.writeText(JSON.stringify(shown, null, 2) + '\n');
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the domain check report as JSON.'), 3000);
      } else if (m.type === 'copyFix' && typeof m.index === 'number') {
        const value = shown.findings[m.index]?.fix?.value;
        if (value !== undefined) {
          await vscode.env.clipboard.writeText(value);
          vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the record to publish.'), 3000);
        }
      }
    });
  }
  panel.title = title;
  panel.webview.html = renderReportHtml(report, { nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource, labels: l, lang: vscode.env.language });
  panel.reveal(undefined, true);
}
