// "Deliverlint: Check Domain Authentication" (deliverlint.checkDomain). The check runs here, in the
// extension host, over the same server/src/dns code the CLI uses (esbuild bundles it into
// dist/extension.js): it is one user-started run of DNS queries with progress and cancel, needs no
// document state from the language server, and the server stays offline while it lints.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { CheckCancelledError, CheckInputError, checkDomain } from '../../server/src/dns/check';
import { isSelector, normalizeDomain } from '../../server/src/dns/domain';
import { createNodeResolver, DEFAULT_TIMEOUT_MS, parseServer } from '../../server/src/dns/resolver';
import type { DomainReport } from '../../server/src/dns/types';
import { dkimDomainsFromText, dkimSelectorsFromText, mailFromDomainsFromText, senderDomainFromSettings, senderDomainFromText, splitSelectors } from './domainCheckInput';
import { renderReportHtml, type Labels } from './domainCheckView';

export const CHECK_DOMAIN_COMMAND = 'deliverlint.checkDomain';
const VIEW_TYPE = 'deliverlint.domainReport';

let panel: vscode.WebviewPanel | undefined;
let shown: DomainReport | undefined;

export function registerDomainCheck(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(CHECK_DOMAIN_COMMAND, (domain?: unknown, options?: unknown) => checkDomainCommand(domain, options)));
}

function labels(): Labels {
  return {
    title: vscode.l10n.t('Domain authentication: {0}'),
    copyJson: vscode.l10n.t('Copy as JSON'),
    copyRecord: vscode.l10n.t('Copy'),
    summary: vscode.l10n.t('Checked {0}: {1} DNS queries in {2} ms.'),
    verdicts: vscode.l10n.t('Bulk-sender requirements'),
    met: vscode.l10n.t('met'),
    notMet: vscode.l10n.t('not met'),
    unknown: vscode.l10n.t('unknown'),
    spf: 'SPF',
    record: vscode.l10n.t('Record'),
    none: vscode.l10n.t('none'),
    lookups: vscode.l10n.t('{0} DNS lookups'),
    voidLookups: vscode.l10n.t('{0} void lookups'),
    includeTree: vscode.l10n.t('Includes and their lookup counts'),
    dmarc: 'DMARC',
    foundAt: vscode.l10n.t('Found at'),
    policy: vscode.l10n.t('Policy for this domain'),
    organizationalDomain: vscode.l10n.t('Organizational domain (RFC 9989 tree walk)'),
    pslOrganizationalDomain: vscode.l10n.t('Organizational domain (Public Suffix List)'),
    treeWalk: vscode.l10n.t('Names queried'),
    dkim: 'DKIM',
    selector: vscode.l10n.t('Selector'),
    key: vscode.l10n.t('Key'),
    status: vscode.l10n.t('Status'),
    noSelector: vscode.l10n.t('No DKIM selector was given, so no key was checked.'),
    otherRecords: 'MX, MTA-STS, TLS-RPT, BIMI',
    findings: vscode.l10n.t('Findings and what to publish'),
    noFindings: vscode.l10n.t('No findings.'),
    publish: vscode.l10n.t('Publish'),
    dnsFailure: vscode.l10n.t('unknown (DNS failure)'),
  };
}

/** Options a caller (another extension, a keybinding, a test) may pass after the domain. */
interface CommandOptions {
  selectors?: string[];
}

/**
 * From the palette: asks for the domain and selectors. Called with a domain (and optionally
 * `{ selectors }`), it asks nothing. Either way it shows the report and returns it.
 */
async function checkDomainCommand(domainArg?: unknown, optionsArg?: unknown): Promise<DomainReport | undefined> {
  const editor = vscode.window.activeTextEditor;
  const text = editor?.document.getText() ?? '';
  const config = vscode.workspace.getConfiguration('deliverlint', editor?.document.uri);
  const given = typeof optionsArg === 'object' && optionsArg !== null ? (optionsArg as CommandOptions) : {};

  let domain: string;
  let selectors: string[];
  if (typeof domainArg === 'string') {
    const normalized = normalizeDomain(domainArg);
    if (!normalized) {
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a domain name.', domainArg));
      return undefined;
    }
    domain = normalized;
    selectors = Array.isArray(given.selectors) ? given.selectors.filter((s): s is string => typeof s === 'string') : [...new Set([...(config.get<string[]>('dkim.selectors') ?? []), ...dkimSelectorsFromText(text)])];
  } else {
    const asked = await askInputs(text, config);
    if (!asked) return undefined;
    ({ domain, selectors } = asked);
  }
  return runCheck(domain, selectors, text, config);
}

async function askInputs(text: string, config: vscode.WorkspaceConfiguration): Promise<{ domain: string; selectors: string[] } | undefined> {
  const suggested = senderDomainFromText(text) ?? senderDomainFromSettings(config.get<string>('sender.domain'), config.get<string>('sender.unsubscribeUrl'));
  const domainInput = await vscode.window.showInputBox({
    title: vscode.l10n.t('Check Domain Authentication'),
    prompt: vscode.l10n.t('The domain in your From address'),
    placeHolder: 'example.com',
    value: suggested ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || normalizeDomain(v) ? undefined : vscode.l10n.t('"{0}" is not a domain name.', v)),
  });
  if (domainInput === undefined || domainInput.trim() === '') return undefined;
  const domain = normalizeDomain(domainInput)!;

  const configured = config.get<string[]>('dkim.selectors') ?? [];
  const selectorInput = await vscode.window.showInputBox({
    title: vscode.l10n.t('Check Domain Authentication'),
    prompt: vscode.l10n.t('DKIM selectors, comma-separated (the s= of your DKIM-Signature); leave empty to skip DKIM'),
    value: [...new Set([...configured, ...dkimSelectorsFromText(text)])].join(', '),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const bad = splitSelectors(v).find((s) => !isSelector(s));
      return bad ? vscode.l10n.t('"{0}" is not a DKIM selector.', bad) : undefined;
    },
  });
  if (selectorInput === undefined) return undefined;
  return { domain, selectors: splitSelectors(selectorInput) };
}

async function runCheck(domain: string, selectors: string[], text: string, config: vscode.WorkspaceConfiguration): Promise<DomainReport | undefined> {

  const servers: string[] = [];
  for (const spec of config.get<string[]>('dns.servers') ?? []) {
    const server = parseServer(spec);
    if (server) servers.push(server);
    else void vscode.window.showWarningMessage(vscode.l10n.t('Ignoring the DNS server "{0}" in deliverlint.dns.servers: use an IP address with an optional port, e.g. 192.0.2.53:53.', spec));
  }
  const timeout = config.get<number>('dns.timeout');
  const timeoutMs = typeof timeout === 'number' && timeout > 0 ? Math.min(60_000, timeout) : DEFAULT_TIMEOUT_MS;

  let report: DomainReport;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the DNS records of {0}', domain), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        const parts = 6 + selectors.length;
        try {
          return await checkDomain(domain, {
            resolver: createNodeResolver(servers, timeoutMs),
            selectors,
            timeoutMs,
            signal: controller.signal,
            alignment: { dkimDomains: dkimDomainsFromText(text), mailFromDomains: mailFromDomainsFromText(text) },
            onProgress: (part) => progress.report({ message: vscode.l10n.t('{0} checked', part), increment: 100 / parts }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (error) {
    if (error instanceof CheckCancelledError) return undefined;
    const message = error instanceof CheckInputError ? error.message : String(error instanceof Error ? error.message : error);
    void vscode.window.showErrorMessage(vscode.l10n.t('The domain check failed: {0}', message));
    return undefined;
  }
  showReport(report);
  return report;
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
