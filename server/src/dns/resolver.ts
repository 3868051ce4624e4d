// DNS for the domain check. The check is handed a resolver (node:dns/promises `Resolver` has the
// right shape; tests and hosts may pass their own) and asks it through a session that bounds what a
// hostile zone can cost: a timeout per question, a bound on the whole run, a bound on the number of
// questions, and one answer per (type, name) per run, shared by everyone who asks.

import { Resolver } from 'node:dns/promises';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import type { DnsFailure, DnsStatus } from './types';

/** The part of node:dns/promises `Resolver` the check uses. */
export interface ResolverLike {
  resolveTxt(name: string): Promise<string[][]>;
  resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveCname(name: string): Promise<string[]>;
  /** Abandons every question in flight (node's Resolver has it). */
  cancel?(): void;
  /** The servers asked, "HOST" or "HOST:PORT" (node's Resolver has it); named when lookups fail. */
  getServers?(): string[];
}

export type RecordType = 'TXT' | 'MX' | 'A' | 'AAAA' | 'CNAME';

export interface DnsAnswer<T> {
  name: string;
  type: RecordType;
  status: DnsStatus;
  data: T[];
  /** The resolver's error code when the status is not ok (ENOTFOUND, ESERVFAIL ...). */
  code?: string;
}

export interface SessionOptions {
  /** Milliseconds one question may take. */
  timeoutMs: number;
  /** Milliseconds the whole run may take; questions still open then end as `deadline`. */
  runTimeoutMs: number;
  /** Questions one run may ask; later ones end as `query-limit` without being sent. */
  maxQueries: number;
  signal?: AbortSignal;
  /** The language findings are worded in. */
  locale?: Locale;
}

export const DEFAULT_TIMEOUT_MS = 3000;
/** CNAME hops followed before a name counts as a failure (the chain is broken or hostile). */
export const MAX_CNAME_HOPS = 5;
export const DEFAULT_MAX_QUERIES = 200;

/** The run bound when none is given: room for a few sequential rounds of slow answers. */
export function defaultRunTimeout(timeoutMs: number): number {
  return Math.min(120_000, Math.max(10_000, timeoutMs * 5));
}

/** True for answers that say the record does not exist (a void lookup in SPF terms). */
export function isVoid(status: DnsStatus): boolean {
  return status === 'nxdomain' || status === 'nodata';
}

/** True for questions that got no usable answer: the record may exist, nobody can tell. */
export function isFailure(status: DnsStatus): boolean {
  return status !== 'ok' && !isVoid(status);
}

/** What a question's status means, in words, for the overview. */
export function describeStatus(status: DnsStatus, locale: Locale = 'en'): string {
  switch (status) {
    case 'ok':
      return term('dns.status.ok', 'answered', locale);
    case 'nxdomain':
      return term('dns.status.nxdomain', 'the name does not exist (NXDOMAIN)', locale);
    case 'nodata':
      return term('dns.status.nodata', 'the name has no record of this type', locale);
    case 'servfail':
      return term('dns.status.servfail', 'the DNS server failed (SERVFAIL)', locale);
    case 'refused':
      return term('dns.status.refused', 'the DNS server refused the query', locale);
    case 'timeout':
      return term('dns.status.timeout', 'no answer within the timeout', locale);
    case 'unreachable':
      return term('dns.status.unreachable', 'the DNS server could not be reached', locale);
    case 'bad-response':
      return term('dns.status.badResponse', 'the DNS server sent an answer that cannot be read', locale);
    case 'wrong-type':
      return term('dns.status.wrongType', 'the DNS server answered with records of another type than asked', locale);
    case 'cname-loop':
      return term('dns.status.cnameLoop', 'the name is a CNAME chain that loops', locale);
    case 'cname-chain':
      return interpolate(term('dns.status.cnameChain', 'the name is a CNAME chain of more than {max} hops', locale), { max: MAX_CNAME_HOPS });
    case 'query-limit':
      return term('dns.status.queryLimit', 'not asked: the check reached its limit on DNS queries', locale);
    case 'deadline':
      return term('dns.status.deadline', 'not answered before the time bound of the whole check', locale);
    case 'cancelled':
      return term('dns.status.cancelled', 'cancelled', locale);
    default:
      return term('dns.status.error', 'the DNS query failed', locale);
  }
}

function statusOf(code: string | undefined): DnsStatus {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain';
    case 'ENODATA':
      return 'nodata';
    case 'ESERVFAIL':
      return 'servfail';
    case 'EREFUSED':
      return 'refused';
    case 'ETIMEOUT':
      return 'timeout';
    // c-ares says ECONNREFUSED for a refused connection and for an unreachable network or host.
    case 'ECONNREFUSED':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'unreachable';
    case 'EBADRESP':
    case 'EFORMERR':
      return 'bad-response';
    case 'ECANCELLED':
      return 'cancelled';
    default:
      return 'error';
  }
}

/** One run's view of DNS: cached, counted and bounded. Call `close()` when the run ends. */
export class DnsSession {
  private readonly cache = new Map<string, Promise<DnsAnswer<unknown>>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deadlineAt: number;
  private readonly deadlineTimer: NodeJS.Timeout;
  private readonly stopped: Promise<'deadline' | 'cancelled'>;
  private stop!: (why: 'deadline' | 'cancelled') => void;
  private readonly onAbort = () => this.stop('cancelled');
  private ended: 'deadline' | 'cancelled' | undefined;
  queries = 0;
  queryLimitHit = false;
  /** Every question that got no usable answer, in the order they ended. */
  readonly failures: DnsFailure[] = [];

  constructor(
    private readonly resolver: ResolverLike,
    private readonly options: SessionOptions,
  ) {
    this.stopped = new Promise((resolve) => {
      this.stop = (why) => {
        if (this.ended) return;
        this.ended = why;
        resolve(why);
        // Questions still in flight would otherwise keep their sockets and timers alive.
        try {
          this.resolver.cancel?.();
        } catch {
          // cancel is best effort
        }
      };
    });
    this.deadlineAt = Date.now() + options.runTimeoutMs;
    this.deadlineTimer = setTimeout(() => this.stop('deadline'), options.runTimeoutMs);
    if (options.signal?.aborted) this.stop('cancelled');
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The language of this run's findings. */
  get locale(): Locale {
    return this.options.locale ?? 'en';
  }

  /** The servers asked, as the resolver reports them (empty when it cannot tell). */
  servers(): string[] {
    try {
      return this.resolver.getServers?.() ?? [];
    } catch {
      return [];
    }
  }

  /** Why the run stopped early, if it did. */
  get stoppedBy(): 'deadline' | 'cancelled' | undefined {
    return this.ended;
  }

  txt(name: string): Promise<DnsAnswer<string[]>> {
    return this.ask('TXT', name, (n) => this.resolver.resolveTxt(n));
  }
  mx(name: string): Promise<DnsAnswer<{ exchange: string; priority: number }>> {
    return this.ask('MX', name, (n) => this.resolver.resolveMx(n));
  }
  a(name: string): Promise<DnsAnswer<string>> {
    return this.ask('A', name, (n) => this.resolver.resolve4(n));
  }
  aaaa(name: string): Promise<DnsAnswer<string>> {
    return this.ask('AAAA', name, (n) => this.resolver.resolve6(n));
  }
  cname(name: string): Promise<DnsAnswer<string>> {
    return this.ask('CNAME', name, (n) => this.resolver.resolveCname(n));
  }

  private ask<T>(type: RecordType, rawName: string, send: (name: string) => Promise<T[]>): Promise<DnsAnswer<T>> {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    const key = `${type} ${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached as Promise<DnsAnswer<T>>;
    const answer = this.send(type, name, send)
      .then((a) => (a.status === 'wrong-type' && type !== 'CNAME' ? this.explainEmpty(a) : a))
      .then((a) => {
        if (isFailure(a.status) && a.status !== 'query-limit' && a.status !== 'cancelled') this.noteFailure(a);
        return a;
      });
    this.cache.set(key, answer as Promise<DnsAnswer<unknown>>);
    return answer;
  }

  /** Records a question that failed (the DKIM walk notes the CNAME chains it finds broken). */
  noteFailure(f: DnsFailure): void {
    this.failures.push(f.code ? { name: f.name, type: f.type, status: f.status, code: f.code } : { name: f.name, type: f.type, status: f.status });
  }

  /**
   * An answer with records but none of the asked type is a CNAME chain that ends without one (a
   * real "no data"), a chain that loops or runs too long, or a server answering something else.
   * The CNAME questions tell which.
   */
  private async explainEmpty<T>(answer: DnsAnswer<T>): Promise<DnsAnswer<T>> {
    const seen = [answer.name];
    let current = answer.name;
    for (let hop = 0; ; hop++) {
      const c = await this.cname(current);
      if (c.status !== 'ok') {
        if (isFailure(c.status)) return { ...answer, status: c.status, code: c.code };
        return { ...answer, status: hop === 0 ? 'wrong-type' : 'nodata' };
      }
      const next = c.data[0]!.toLowerCase().replace(/\.$/, '');
      // c-ares names the asked name itself when the answer to a CNAME question holds other records.
      if (next === current) return { ...answer, status: hop === 0 ? 'wrong-type' : 'nodata' };
      if (seen.includes(next)) return { ...answer, status: 'cname-loop' };
      if (hop + 1 > MAX_CNAME_HOPS) return { ...answer, status: 'cname-chain' };
      seen.push(next);
      current = next;
    }
  }

  private async send<T>(type: RecordType, name: string, send: (name: string) => Promise<T[]>): Promise<DnsAnswer<T>> {
    const none = (status: DnsStatus, code?: string): DnsAnswer<T> => ({ name, type, status, data: [], code });
    if (this.ended) return none(this.ended);
    if (Date.now() >= this.deadlineAt) return none('deadline');
    if (this.queries >= this.options.maxQueries) {
      this.queryLimitHit = true;
      return none('query-limit');
    }
    this.queries++;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<DnsAnswer<T>>((resolve) => {
      timer = setTimeout(() => resolve(none('timeout', 'ETIMEOUT')), this.options.timeoutMs);
      this.timers.add(timer);
    });
    const attempt = (): Promise<DnsAnswer<T>> =>
      send(name).then(
        // ENODATA is a real "no data"; an empty success means the answer held records of other
        // types (a CNAME chain or a wrong answer), which ask() looks into.
        (data): DnsAnswer<T> => (data.length ? { name, type, status: 'ok', data } : none('wrong-type')),
        (err: unknown): DnsAnswer<T> => {
          const code = (err as { code?: string } | null)?.code;
          const status = statusOf(code);
          // A question cancelled because the run stopped reports why the run stopped.
          return none(status === 'cancelled' && this.ended ? this.ended : status, code);
        },
      );
    // The timeout is the whole lookup's. The first try keeps listening until it ends; a second
    // try, sent when half of it has passed without an answer, covers a lost UDP packet. Whichever
    // answers first wins, so a slow but working server is never cut short by the retry.
    const first = attempt();
    let retryTimer: NodeJS.Timeout | undefined;
    const retried = new Promise<DnsAnswer<T>>((resolve) => {
      retryTimer = setTimeout(() => {
        if (this.ended) return;
        void attempt().then(resolve);
      }, Math.floor(this.options.timeoutMs / 2));
      this.timers.add(retryTimer);
    });
    const stopped = this.stopped.then((why) => none(why));
    try {
      return await Promise.race([first, retried, timedOut, stopped]);
    } finally {
      for (const t of [timer, retryTimer]) {
        if (!t) continue;
        clearTimeout(t);
        this.timers.delete(t);
      }
    }
  }

  /** Ends the run: clears every timer and abandons questions still in flight. */
  close(): void {
    clearTimeout(this.deadlineTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (!this.ended) {
      try {
        this.resolver.cancel?.();
      } catch {
        // best effort
      }
    }
  }
}

/** Parses "HOST:PORT", "HOST", "[V6]:PORT" or "V6" into what node:dns `setServers` takes. */
export function parseServer(spec: string): string | undefined {
  const s = spec.trim();
  let host: string;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) {
    host = bracket[1]!;
    port = bracket[2];
  } else if ((s.match(/:/g) ?? []).length > 1) {
    host = s; // a bare IPv6 address
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(s);
    if (!m) return undefined;
    host = m[1]!;
    port = m[2];
  }
  if (!isIp(host)) return undefined;
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return undefined;
  }
  if (port === undefined) return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function isIp(host: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.split('.').every((p) => Number(p) <= 255);
  return /^[0-9a-f:.]+$/i.test(host) && host.includes(':');
}

/**
 * A node:dns resolver for the given servers (the system's when none). c-ares gets the whole timeout
 * for one try: when c-ares retried on its own after a third of it, an answer to the first try that
 * came later was dropped. The session retries within the timeout instead (DnsSession.send). c-ares
 * falls back to TCP by itself when an answer comes back truncated.
 */
export function createNodeResolver(servers: string[], timeoutMs: number): Resolver {
  const resolver = new Resolver({ timeout: Math.max(50, timeoutMs), tries: 1 });
  if (servers.length) resolver.setServers(servers);
  return resolver;
}
