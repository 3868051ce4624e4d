// The domain authentication check: one run asks everything it needs of DNS through one session
// (independent questions in parallel, answers cached, time and query count bounded) and returns a
// report. Both the CLI and the VS Code command call this; nothing here knows about either.

import { checkDkim } from './dkim';
import { checkDmarc, type AlignmentInput } from './dmarc';
import { dnsFailureFinding } from './failures';
import { interpolate, term } from '../core/messages';
import { isSelector, normalizeDomain } from './domain';
import { checkMx } from './mx';
import { overview } from './overview';
import { checkBimi, checkMtaSts, checkTlsRpt } from './policies';
import { DEFAULT_MAX_QUERIES, DEFAULT_TIMEOUT_MS, DnsSession, defaultRunTimeout, type ResolverLike } from './resolver';
import { checkSpf } from './spf';
import type { Locale } from '../core/types';
import type { InfraDomainInputs } from '../core/infra/domainInputs';
import type { DnsSeverity, DomainFinding, DomainReport } from './types';
import { verdicts } from './verdicts';

export interface CheckOptions {
  /** Asks the DNS; node:dns/promises `Resolver` (see createNodeResolver) or anything shaped like it. */
  resolver: ResolverLike;
  /** DKIM selectors to check. Never guessed: without one, DKIM is reported as not checked. */
  selectors?: string[];
  /** Milliseconds one DNS question may take. */
  timeoutMs?: number;
  /** Milliseconds the whole check may take. */
  runTimeoutMs?: number;
  maxQueries?: number;
  signal?: AbortSignal;
  alignment?: AlignmentInput;
  /** The language of the findings and verdicts (default en). */
  locale?: Locale;
  /**
   * What the workspace's sending infrastructure says about the domain (core/infra/domainInputs.ts):
   * its BYODKIM selectors are checked with the given ones, its MAIL FROM domains join the alignment
   * input, and the report says where each came from.
   */
  infrastructure?: InfraDomainInputs;
  /** Called as parts of the check finish, with what finished. */
  onProgress?: (part: string) => void;
}

/** An input the check cannot run with: which one, and its value, so front ends can word it. */
export class CheckInputError extends Error {
  constructor(
    message: string,
    readonly field: 'domain' | 'selector',
    readonly value: string,
  ) {
    super(message);
  }
}

export class CheckCancelledError extends Error {
  constructor() {
    super('The domain check was cancelled.');
  }
}

const SEVERITY_ORDER: Record<DnsSeverity, number> = { error: 0, warning: 1, info: 2 };

export async function checkDomain(domainInput: string, options: CheckOptions): Promise<DomainReport> {
  const domain = normalizeDomain(domainInput);
  if (!domain) throw new CheckInputError(`"${domainInput}" is not a domain name.`, 'domain', domainInput);
  const infra = options.infrastructure;
  const selectors = [...new Set([...(options.selectors ?? []), ...(infra?.selectors.map((s) => s.selector) ?? [])].map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const alignment: AlignmentInput | undefined = infra?.mailFromDomains.length
    ? { ...options.alignment, mailFromDomains: [...new Set([...(options.alignment?.mailFromDomains ?? []), ...infra.mailFromDomains.map((m) => m.domain)])] }
    : options.alignment;
  const badSelector = selectors.find((s) => !isSelector(s));
  if (badSelector) throw new CheckInputError(`"${badSelector}" is not a DKIM selector.`, 'selector', badSelector);
  if (options.signal?.aborted) throw new CheckCancelledError();

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runTimeoutMs = options.runTimeoutMs ?? defaultRunTimeout(timeoutMs);
  const session = new DnsSession(options.resolver, { timeoutMs, runTimeoutMs, maxQueries: options.maxQueries ?? DEFAULT_MAX_QUERIES, signal: options.signal, locale: options.locale ?? 'en' });
  const started = Date.now();
  const progress = <T>(part: string, p: Promise<T>): Promise<T> => p.then((v) => (options.onProgress?.(part), v));

  // Findings go to one list per part so their order does not depend on which answer came first.
  const spfOut: DomainFinding[] = [];
  const dmarcOut: DomainFinding[] = [];
  const dkimOut: DomainFinding[][] = selectors.map(() => []);
  const mxOut: DomainFinding[] = [];
  const stsOut: DomainFinding[] = [];
  const rptOut: DomainFinding[] = [];
  const bimiOut: DomainFinding[] = [];
  try {
    void session.txt(`default._bimi.${domain}`); // asked now, read once DMARC is known
    const dmarcP = progress('DMARC', checkDmarc(domain, session, dmarcOut, alignment));
    const [spf, dmarc, dkim, mx, mtaSts, tlsRpt, bimi] = await Promise.all([
      progress('SPF', checkSpf(domain, session, spfOut)),
      dmarcP,
      Promise.all(selectors.map((s, i) => progress(`DKIM ${s}`, checkDkim(domain, s, session, dkimOut[i]!)))),
      progress('MX', checkMx(domain, session, mxOut)),
      progress('MTA-STS', checkMtaSts(domain, session, stsOut)),
      progress('TLS-RPT', checkTlsRpt(domain, session, rptOut)),
      dmarcP.then((d) => progress('BIMI', checkBimi(domain, session, d, bimiOut))),
    ]);
    if (session.stoppedBy === 'cancelled') throw new CheckCancelledError();

    const general: DomainFinding[] = [];
    const failure = dnsFailureFinding({ spf, dmarc, dkim, mx, mtaSts, tlsRpt, bimi }, session.failures, session.servers(), { timeoutMs, runTimeoutMs }, session.locale);
    if (failure) general.push(failure);
    if (session.queryLimitHit) {
      general.push({ id: 'dns-query-limit', severity: 'warning', section: 'dns', message: interpolate(term('dns.dns-query-limit', 'The check stopped asking after {queries} DNS queries; parts of the SPF tree or other records were not read.', session.locale), { queries: session.queries }) });
    }
    if (infra?.easyDkim.length) {
      dkimOut.push([{ id: 'dkim-easy-dkim', severity: 'info', section: 'dkim', message: interpolate(term('dns.dkim-easy-dkim', 'The infrastructure signs {domain} with Easy DKIM ({from}): its selectors are tokens SES makes when it creates the identity, which no file holds, so they cannot be known offline and were not checked. Give them with --selector (the names of the three CNAMEs SES lists for the identity, before ._domainkey).', session.locale), { domain, from: infra.easyDkim.join(', ') }) }]);
    }
    if (!selectors.length) {
      dkimOut.push([{ id: 'dkim-no-selector', severity: 'info', section: 'dkim', message: term('dns.dkim-no-selector', 'No DKIM selector was given, so no DKIM key was checked. Give the selector your ESP signs with (the s= of a DKIM-Signature header, or the names of the CNAMEs it asked you to publish).', session.locale) }]);
    }
    const findings = [...general, ...spfOut, ...dmarcOut, ...dkimOut.flat(), ...mxOut, ...stsOut, ...rptOut, ...bimiOut]
      .map((f, i) => ({ f, i }))
      .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
      .map(({ f }) => f);
    const head = { domain, checkedAt: new Date(started).toISOString(), durationMs: Date.now() - started, queries: session.queries, servers: session.servers(), selectors, ...(infra && (infra.selectors.length || infra.mailFromDomains.length || infra.easyDkim.length) ? { infrastructure: infra } : {}) };
    const body = { spf, dmarc, dkim, mx, mtaSts, tlsRpt, bimi, findings };
    return { ...head, verdicts: verdicts({ ...head, ...body }, session.locale), ...body, overview: overview({ ...head, ...body }) };
  } finally {
    session.close();
  }
}
