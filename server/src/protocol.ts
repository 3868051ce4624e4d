// What the VS Code client and the language server both need to know: the custom requests between
// them (method names, params, results), the code action kind of "fix all", the template language
// ids, the syntax of the domain check's inputs (so the client can check what is typed before it
// asks), which settings layer over the rc file, the effective configuration and its text, and the
// MJML extension handshake. The client bundles this file, so it imports no runtime code but
// core/domainName.ts (pure functions over node:url), and types.

import type { WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { DomainReport } from './dns/types';
import type { VerifyReport } from './verify/message';
import type { ProviderId, StandingReport } from './standing/types';

/** The code action kind the server answers for "fix all"; also used by `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.deliverlint';

/**
 * The server's command behind "Show documentation for <rule>" in the Ctrl+. menu: arguments
 * [ruleId]; the server asks the client to open the rule's page (window/showDocument, external):
 * docs/rules/<id>.md at the release tag of this version (core/rule.ts docsUrl), the same link as
 * each diagnostic's codeDescription and the SARIF helpUri. The VS Code client answers the command
 * itself with the copy of the page inside the .vsix (client/src/ruleDocs.ts), offline.
 */
export const SHOW_RULE_DOCS_COMMAND = 'deliverlint.showRuleDocumentation';

/**
 * Languages VS Code (or a popular extension) assigns to email templates. The client asks for these
 * documents; the server lints them whatever their file name.
 */
export const TEMPLATE_LANGUAGES: readonly string[] = ['html', 'mjml', 'handlebars', 'nunjucks', 'jinja-html', 'liquid'];

// ---- message verification --------------------------------------------------------------------

/**
 * `deliverlint/verifyMessage`: verifies the .eml at `uri` (its open text, else the file) as sent:
 * DKIM against the keys in DNS, SPF for `ip` and `mailFrom`, DMARC, ARC. DNS servers and the
 * timeout come from the document's settings, as for the domain check.
 */
export const VERIFY_MESSAGE_METHOD = 'deliverlint/verifyMessage';

export interface VerifyMessageParams {
  uri: string;
  /** The client IP the message was sent from; SPF is checked only with one. */
  ip?: string;
  helo?: string;
  /** The envelope sender; default: the message's Return-Path. */
  mailFrom?: string;
}

export type VerifyMessageResult =
  | {
      report: VerifyReport;
      /** The report as text, in the client's display language. */
      text: string;
      /** Entries of deliverlint.dns.servers that are no server address, and were left out. */
      ignoredServers: string[];
    }
  | { error: 'not-found' | 'bad-ip' };

// ---- sender standing -------------------------------------------------------------------------

/**
 * `deliverlint/senderStanding`: reads the sender's standing at the providers (standing/), only when
 * the user runs the command. SES uses the AWS SDK's default credentials of the server's
 * environment; the SendGrid key (from VS Code's secret storage) and the Postmaster Tools token come
 * in the params and are used for this request only: never stored, never logged.
 */
export const SENDER_STANDING_METHOD = 'deliverlint/senderStanding';

export interface SenderStandingParams {
  providers: ProviderId[];
  region?: string;
  domain?: string;
  sendGridApiKey?: string;
  postmasterToken?: string;
}

export interface SenderStandingResult {
  report: StandingReport;
  /** The report as text, in the client's display language. */
  text: string;
}

// ---- the domain check ------------------------------------------------------------------------

/**
 * `deliverlint/checkDomain`: runs the domain authentication check in the server. The DMARC
 * alignment inputs (DKIM d= domains, the MAIL FROM domain) come from the parsed send model of the
 * document at `uri`; DNS servers and the timeout from its settings. Reports work-done progress on
 * the `workDoneToken` the client passes (else on one the server creates) and stops on
 * `$/cancelRequest`, answering with the RequestCancelled error.
 */
export const CHECK_DOMAIN_METHOD = 'deliverlint/checkDomain';

export interface CheckDomainParams extends WorkDoneProgressParams {
  /** The domain to check, as typed (an address or URL is accepted; the server normalizes it). */
  domain: string;
  /** DKIM selectors to check. Absent: deliverlint.dkim.selectors and those of the document. */
  selectors?: string[];
  /** The active document, whose send model gives the alignment inputs; settings are read for it. */
  uri?: string;
}

/** Which input the server refused, so the client can say so in its own language. */
export interface CheckDomainInputError {
  field: 'domain' | 'selector';
  value: string;
}

export type CheckDomainResult =
  | {
      report: DomainReport;
      /** Entries of deliverlint.dns.servers that are no server address, and were left out. */
      ignoredServers: string[];
    }
  | { inputError: CheckDomainInputError; ignoredServers: string[] };

/**
 * `deliverlint/domainCheckInputs`: what the document at `uri` and its settings suggest the check
 * should ask, to prefill the client's input boxes. Nothing here touches the network.
 */
export const DOMAIN_CHECK_INPUTS_METHOD = 'deliverlint/domainCheckInputs';

export interface DomainCheckInputsParams {
  uri?: string;
}

export interface DomainCheckInputs {
  /** The From domain of the document, else deliverlint.sender.domain, else the unsubscribe URL's host. */
  domain?: string;
  /** deliverlint.dkim.selectors, then the s= of the document's DKIM signatures (or a campaign's dkim.selector). */
  selectors: string[];
  /** d= of the document's DKIM signatures (or a campaign's dkim.domain). */
  dkimDomains: string[];
  /** The Return-Path / MAIL FROM domain of the document. */
  mailFromDomains: string[];
}

// ---- the syntax of the inputs ----------------------------------------------------------------

// Shared with the client, which checks what is typed before it asks the server (pure functions).
export { isHostName, isSelector, normalizeDomain } from './core/domainName';

// ---- settings ---------------------------------------------------------------------------------

/**
 * The settings that layer over `.deliverlintrc.json`, as keys of the `deliverlint` section. VS Code
 * answers workspace/configuration with the manifest defaults filled in, so the client sends these
 * only where the user set them (explicitSettings): a setting chosen equal to its default still
 * overrides the rc file, and one never touched leaves the rc file in charge.
 */
export const LAYER_SETTINGS: readonly string[] = [
  'esp',
  'jurisdictions',
  'rules',
  'transactional',
  'marketing',
  'emails',
  'parts',
  'templatePaths',
  'files',
  'ignore',
  'payloads',
  'targets',
  'targetsPartial',
  'sender.name',
  'sender.postalAddress',
  'sender.unsubscribeUrl',
  'sender.contact',
];

/** `section` without the LAYER_SETTINGS keys that `isSet` says the user did not set (a copy). */
export function explicitSettings(section: Record<string, unknown>, isSet: (key: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...section };
  if (typeof out['sender'] === 'object' && out['sender'] !== null) out['sender'] = { ...(out['sender'] as Record<string, unknown>) };
  for (const key of LAYER_SETTINGS) {
    if (isSet(key)) continue;
    const [head, field] = key.split('.') as [string, string | undefined];
    if (field === undefined) delete out[head];
    else if (typeof out[head] === 'object' && out[head] !== null) delete (out[head] as Record<string, unknown>)[field];
  }
  return out;
}

// ---- the effective configuration --------------------------------------------------------------

/**
 * `deliverlint/effectiveConfiguration`: what Deliverlint uses for the document at `uri`, and where
 * each value came from (the rule default, an rc file, a setting). The client shows it in the
 * language status item and in "Deliverlint: Show Effective Configuration".
 */
export const EFFECTIVE_CONFIGURATION_METHOD = 'deliverlint/effectiveConfiguration';

export interface EffectiveConfigurationParams {
  uri: string;
}

/** Where a value came from: the default, the rc file at `path`, or the setting `key`. */
export type ConfigSource = { from: 'default' } | { from: 'rcFile'; path: string } | { from: 'setting'; key: string };

export interface EffectiveConfiguration {
  uri: string;
  serverVersion: string;
  /** deliverlint.enable for this document. */
  enabled: boolean;
  /** Whether the server lints this document (its kind, the files and ignore globs). */
  linted: boolean;
  /** The rc file in use for this document, when there is one. */
  configFile?: string;
  /** What is wrong in that rc file, in words with line:column; it could not be read at all when `configFileUnreadable`. */
  configFileProblems: string[];
  configFileUnreadable?: boolean;
  /** What is wrong in the settings, in words. */
  settingsProblems: string[];
  /** The merged configuration; `rules` holds every rule's severity. */
  values: Record<string, unknown>;
  /** Where each value came from, by its path: `esp`, `sender.name`, `rules.postal-address-missing`. */
  sources: Record<string, ConfigSource>;
}

/**
 * The text of "Deliverlint: Show Effective Configuration": JSON with comments, each value followed
 * by where it came from. Pure, so the client stays thin and a test can read it.
 */
export function effectiveConfigurationText(eff: EffectiveConfiguration, labels: { header: string; default: string; setting: string; rcFile: string }): string {
  const from = (path: string): string => {
    const s = eff.sources[path];
    if (!s || s.from === 'default') return labels.default;
    return s.from === 'setting' ? `${labels.setting} ${s.key}` : `${labels.rcFile} ${s.path}`;
  };
  const lines: string[] = [`// ${labels.header}`, '{'];
  const entries: Array<[string, string]> = [];
  const push = (key: string, value: unknown, source?: string) => entries.push([`  ${JSON.stringify(key)}: ${JSON.stringify(value)}`, source ?? '']);
  push('file', eff.uri);
  push('serverVersion', eff.serverVersion);
  push('enabled', eff.enabled);
  push('linted', eff.linted);
  push('configFile', eff.configFile ?? null);
  if (eff.configFileProblems.length) push('configFileProblems', eff.configFileProblems);
  if (eff.settingsProblems.length) push('settingsProblems', eff.settingsProblems);
  for (const [key, value] of Object.entries(eff.values)) {
    if (key === 'rules' && value && typeof value === 'object') {
      entries.push([`  "rules": {`, '']);
      const rules = Object.entries(value as Record<string, unknown>);
      rules.forEach(([id, severity], i) => entries.push([`    ${JSON.stringify(id)}: ${JSON.stringify(severity)}${i < rules.length - 1 ? ',' : ''}`, from(`rules.${id}`)]));
      entries.push(['  }', '']);
      continue;
    }
    if (key === 'sender' || key === 'consent' || key === 'payloads') {
      const fields = Object.entries((value ?? {}) as Record<string, unknown>);
      if (!fields.length) {
        push(key, {}, labels.default);
        continue;
      }
      entries.push([`  ${JSON.stringify(key)}: {`, '']);
      fields.forEach(([field, v], i) => entries.push([`    ${JSON.stringify(field)}: ${JSON.stringify(v)}${i < fields.length - 1 ? ',' : ''}`, from(`${key}.${field}`)]));
      entries.push(['  }', '']);
      continue;
    }
    push(key, value, from(key));
  }
  entries.forEach(([line, source], i) => {
    // A comma after every member but the last; a closing brace line carries the member's comma.
    const isMemberEnd = !line.endsWith('{') && !/^ {4}/.test(line);
    const comma = isMemberEnd && i < entries.length - 1 ? ',' : '';
    lines.push(`${line}${comma}${source ? ` // ${source}` : ''}`);
  });
  lines.push('}', '');
  return lines.join('\n');
}

// ---- the official MJML extension --------------------------------------------------------------

/** The official MJML extension, which validates MJML too (its errors and ours would show twice). */
export const MJML_EXTENSION_ID = 'mjmlio.vscode-mjml';

/**
 * `deliverlint/mjmlExtension` (client -> server notification): whether the official MJML extension
 * is installed and enabled, when that changes. The first answer travels in initializationOptions.
 * With deliverlint.mjml.validate "auto" (the default), mjml-invalid is off while it is.
 */
export const MJML_EXTENSION_METHOD = 'deliverlint/mjmlExtension';

export interface MjmlExtensionParams {
  installed: boolean;
}

/** What the VS Code client passes in `initialize`. */
export interface DeliverlintInitializationOptions {
  /**
   * VS Code's workspace trust. Without it (Restricted Mode, or a client that does not say) the rc
   * file's `includeRoots` is ignored. The VS Code client restarts the server when trust is granted.
   */
  workspaceTrusted?: boolean;
  /** The editor reports JSON syntax errors of open rc files itself. */
  jsonSyntaxInEditor?: boolean;
  /** The official MJML extension is installed (see MJML_EXTENSION_METHOD). */
  mjmlExtension?: boolean;
  /**
   * The `deliverlint` settings, for editors where sending them at start is easier than answering
   * workspace/configuration (docs/editors.md). A client's answer to workspace/configuration wins.
   */
  settings?: Record<string, unknown>;
}
