// The domain authentication check as two custom requests (see protocol.ts):
//   deliverlint/domainCheckInputs  what the active document and the settings suggest (prefill);
//   deliverlint/checkDomain        the check itself, with work-done progress and cancellation.
// Both read the document's parsed send model (core/sendIdentity.ts), so the client never parses
// mail itself. The DNS work is the same dns/check.ts the CLI runs.

import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { interpolate, term } from '../core/messages';
import { sendIdentityOf, type SendIdentity } from '../core/sendIdentity';
import type { Locale, ResolvedConfig } from '../core/types';
import { CheckCancelledError, CheckInputError, checkDomain } from '../dns/check';
import { createNodeResolver, DEFAULT_TIMEOUT_MS, parseServer, type ResolverLike } from '../dns/resolver';
import { nodeReader } from '../host/files';
import {
  CHECK_DOMAIN_METHOD,
  DOMAIN_CHECK_INPUTS_METHOD,
  type CheckDomainParams,
  type CheckDomainResult,
  type DomainCheckInputs,
  type DomainCheckInputsParams,
} from '../protocol';

import { inputsForDomain, type InfraIdentityInput } from '../core/infra/domainInputs';

export interface CheckDomainDeps {
  /** The documents the client has open (their unsaved text wins over the file). */
  documents: { get(uri: string): { getText(): string; languageId: string } | undefined };
  /** The resolved lint configuration (defaults, rc file, settings) for a document. */
  config(uri: string): Promise<ResolvedConfig>;
  /** The raw `deliverlint` settings section for a document (or the workspace). */
  settings(uri: string | undefined): Promise<unknown>;
  locale(): Locale;
  /** The SES identities of the workspace's infrastructure files the server has read (with where each is). */
  infraIdentities?(): readonly InfraIdentityInput[];
  /** Makes the DNS resolver; tests may swap it. */
  createResolver?: (servers: string[], timeoutMs: number) => ResolverLike;
}

/** The settings the domain check reads. */
export interface DomainCheckSettings {
  senderDomain?: string;
  unsubscribeUrl?: string;
  selectors: string[];
  /** deliverlint.dns.servers as written. */
  servers: string[];
  timeoutMs: number;
}

export function registerCheckDomain(connection: Connection, deps: CheckDomainDeps): void {
  connection.onRequest(DOMAIN_CHECK_INPUTS_METHOD, async (params: DomainCheckInputsParams): Promise<DomainCheckInputs> => {
    const settings = readDomainCheckSettings(await deps.settings(params?.uri));
    return suggestInputs(await identityOf(params?.uri, deps), settings);
  });

  connection.onRequest(CHECK_DOMAIN_METHOD, async (params: CheckDomainParams, token: CancellationToken): Promise<CheckDomainResult> => {
    const settings = readDomainCheckSettings(await deps.settings(params.uri));
    const identity = await identityOf(params.uri, deps);
    const servers: string[] = [];
    const ignoredServers: string[] = [];
    for (const spec of settings.servers) {
      const server = parseServer(spec);
      if (server) servers.push(server);
      else ignoredServers.push(spec);
    }
    // Given selectors are the user's choice; none given means the configured ones and the document's.
    const selectors = Array.isArray(params.selectors) ? params.selectors.filter((s) => typeof s === 'string') : unique([...settings.selectors, ...identity.dkimSelectors]);

    const controller = new AbortController();
    const progress = await progressFor(connection, params);
    const cancelled = [token.onCancellationRequested(() => controller.abort()), progress.token?.onCancellationRequested(() => controller.abort())];
    if (token.isCancellationRequested) controller.abort();
    const parts = 6 + selectors.length;
    let done = 0;
    progress.reporter.begin(interpolate(term('domainCheck.progress', 'Checking the DNS records of {domain}', deps.locale()), { domain: params.domain }), 0, undefined, true);
    try {
      const report = await checkDomain(params.domain, {
        resolver: (deps.createResolver ?? createNodeResolver)(servers, settings.timeoutMs),
        selectors,
        timeoutMs: settings.timeoutMs,
        signal: controller.signal,
        alignment: { dkimDomains: identity.dkimDomains, mailFromDomains: identity.mailFromDomains },
        // BYODKIM selectors and MAIL FROM domains of the workspace's infrastructure, with where they are (the report says).
        infrastructure: deps.infraIdentities ? inputsForDomain(params.domain, deps.infraIdentities()) : undefined,
        // The findings in the client's display language (initialize params' locale).
        locale: deps.locale(),
        // The part that finished, as the check names it ("SPF", "DKIM s1"); clients word it themselves.
        onProgress: (part) => progress.reporter.report((++done / parts) * 100, part),
      });
      if (controller.signal.aborted) throw new CheckCancelledError();
      return { report, ignoredServers };
    } catch (error) {
      if (error instanceof CheckCancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, error.message);
      if (error instanceof CheckInputError) return { inputError: { field: error.field, value: error.value }, ignoredServers };
      throw error;
    } finally {
      for (const d of cancelled) d?.dispose();
      progress.reporter.done();
    }
  });
}

/** The client's progress token when it sent one, else one the server asks the client to create. */
async function progressFor(connection: Connection, params: CheckDomainParams): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
  if (params.workDoneToken !== undefined) return { reporter: connection.window.attachWorkDoneProgress(params.workDoneToken) };
  const reporter = await connection.window.createWorkDoneProgress();
  return { reporter, token: reporter.token };
}

/** The sender identity of the document at `uri`: open text first, else the file on disk. */
async function identityOf(uri: string | undefined, deps: CheckDomainDeps): Promise<SendIdentity> {
  const empty: SendIdentity = { dkimSelectors: [], dkimDomains: [], mailFromDomains: [] };
  if (!uri) return empty;
  const filePath = pathOf(uri);
  const open = deps.documents.get(uri);
  const text = open?.getText() ?? (filePath ? nodeReader.readFile(filePath) : undefined);
  if (text === undefined) return empty;
  return sendIdentityOf({ text, filePath, languageId: open?.languageId, config: await deps.config(uri) });
}

export function suggestInputs(identity: SendIdentity, settings: DomainCheckSettings): DomainCheckInputs {
  return {
    domain: identity.fromDomain ?? senderDomainFromSettings(settings.senderDomain, settings.unsubscribeUrl),
    selectors: unique([...settings.selectors, ...identity.dkimSelectors]),
    dkimDomains: identity.dkimDomains,
    mailFromDomains: identity.mailFromDomains,
  };
}

/** The configured sender domain, else the host of the configured unsubscribe URL (or mailto domain). */
export function senderDomainFromSettings(domain: string | undefined, unsubscribeUrl: string | undefined): string | undefined {
  if (domain?.trim()) return domain.trim();
  const url = unsubscribeUrl?.trim();
  if (!url) return undefined;
  if (/^mailto:/i.test(url)) return /@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)/i.exec(url)?.[1]?.toLowerCase();
  const host = /^https?:\/\/([^/?#:]+)/i.exec(url)?.[1];
  return host && !host.includes('{') ? host.toLowerCase() : undefined;
}

/** sender.domain, sender.unsubscribeUrl, dkim.selectors, dns.servers and dns.timeout; malformed values are unset. */
export function readDomainCheckSettings(raw: unknown): DomainCheckSettings {
  const section = isObject(raw) ? raw : {};
  const sender = isObject(section['sender']) ? section['sender'] : {};
  const dkim = isObject(section['dkim']) ? section['dkim'] : {};
  const dns = isObject(section['dns']) ? section['dns'] : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const timeout = dns['timeout'];
  return {
    senderDomain: text(sender['domain']),
    unsubscribeUrl: text(sender['unsubscribeUrl']),
    selectors: list(dkim['selectors']),
    servers: list(dns['servers']),
    timeoutMs: typeof timeout === 'number' && timeout > 0 ? Math.min(60_000, timeout) : DEFAULT_TIMEOUT_MS,
  };
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
