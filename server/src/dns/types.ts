// The domain check's vocabulary: the report both front ends show (the CLI prints it, the VS Code
// command renders it), and the findings in it. Plain data, so `--format json` is the report itself.

import type { OverviewItem } from './overview';

export type DnsSeverity = 'error' | 'warning' | 'info';

export type Section = 'dns' | 'spf' | 'dmarc' | 'dkim' | 'mx' | 'mta-sts' | 'tls-rpt' | 'bimi';

/** What to publish to fix a finding: a record to copy, or a note when no record can be computed. */
export interface Publish {
  name: string;
  type: 'TXT' | 'MX' | 'CNAME';
  /** The record text to publish. Absent when only the note can say what to do. */
  value?: string;
  note?: string;
}

/** One DNS question that got no usable answer. */
export interface DnsFailure {
  name: string;
  type: string;
  status: DnsStatus;
  /** The resolver's error code, when it gave one (ECONNREFUSED, ETIMEOUT ...). */
  code?: string;
}

export interface DomainFinding {
  id: string;
  severity: DnsSeverity;
  section: Section;
  message: string;
  /** The DNS name the finding is about. */
  name?: string;
  fix?: Publish;
  /** On the dns-failure finding: the servers asked and every question that failed. */
  dns?: { servers: string[]; failures: DnsFailure[] };
}

/** How a DNS question ended. Only `ok` has data; `nxdomain` and `nodata` are real answers. */
export type DnsStatus =
  | 'ok'
  | 'nxdomain'
  | 'nodata'
  | 'servfail'
  | 'refused'
  | 'timeout'
  /** Nothing answered at the server's address: connection refused, network or host unreachable. */
  | 'unreachable'
  /** The answer could not be read (malformed, FORMERR). */
  | 'bad-response'
  /** The answer held records, none of the type asked and no CNAME leading to one. */
  | 'wrong-type'
  /** The name is a CNAME chain that comes back to itself. */
  | 'cname-loop'
  /** The name is a CNAME chain of more than five hops. */
  | 'cname-chain'
  | 'error'
  /** Not asked: the run's query budget was spent. */
  | 'query-limit'
  /** Not answered within the bound on the whole run. */
  | 'deadline'
  | 'cancelled';

export interface SpfTerm {
  text: string;
  /** Offset of the term in the joined record. */
  start: number;
  qualifier?: '+' | '-' | '~' | '?';
  /** Mechanism or modifier name, lower case: include, a, mx, ptr, ip4, ip6, exists, all, redirect, exp, or an unknown modifier. */
  kind: string;
  value?: string;
  /** DNS lookups this term costs (RFC 7208 §4.6.4): 1 for include, a, mx, ptr, exists, redirect. */
  lookups: number;
  /** Set when the term's own lookup found nothing (NXDOMAIN or no data). */
  void?: boolean;
  error?: string;
}

export interface SpfNode {
  domain: string;
  /** How this record was reached: the checked domain itself, an include or a redirect. */
  via: 'root' | 'include' | 'redirect';
  status: 'ok' | 'missing' | 'multiple' | 'dns-failure' | 'loop' | 'not-followed' | 'syntax-error' | 'macro';
  /** The record, its TXT strings joined without spaces. */
  record?: string;
  /** The SPF records found when there are several. */
  records?: string[];
  dnsStatus?: DnsStatus;
  terms: SpfTerm[];
  /** Lookups of this record's own terms. */
  lookups: number;
  /** Lookups of this record and everything it includes or redirects to. */
  totalLookups: number;
  /** Void lookups in this record and below. */
  voidLookups: number;
  children: SpfNode[];
}

export interface SpfReport {
  /** The checked domain's SPF record (strings joined), or null when there is none. */
  record: string | null;
  records: string[];
  dnsLookups: number;
  voidLookups: number;
  /** The qualifier of the top record's `all`, or null when it has none. */
  all: '+' | '-' | '~' | '?' | null;
  /** none: no record; permerror: receivers fail it; temperror: DNS failed; pass: evaluable. */
  result: 'ok' | 'none' | 'permerror' | 'temperror';
  tree: SpfNode | null;
}

export interface DmarcWalkStep {
  name: string;
  status: DnsStatus;
  /** The valid DMARC record found there, if any. */
  record?: string;
}

export interface DmarcReport {
  record: string | null;
  /** The policy that applies to mail from the checked domain (p, or sp when inherited). */
  policy: 'none' | 'quarantine' | 'reject' | null;
  /** The name the record was found at, e.g. `_dmarc.example.com`. */
  foundAt: string | null;
  /** `domain` when found at the checked domain, `tree-walk` when found above it. */
  source: 'domain' | 'tree-walk' | null;
  tags: Record<string, string>;
  /** Organizational domain by the RFC 9989 tree walk. */
  organizationalDomain: string;
  /** Organizational domain by the Public Suffix List (RFC 7489). */
  pslOrganizationalDomain: string | null;
  walk: DmarcWalkStep[];
  result: 'ok' | 'none' | 'invalid' | 'temperror';
}

export interface DkimReport {
  selector: string;
  name: string;
  /** CNAMEs followed from `name`, in order. */
  cnames: string[];
  record: string | null;
  keyType: string | null;
  keyBits: number | null;
  status: 'ok' | 'missing' | 'revoked' | 'invalid' | 'dns-failure';
  testing: boolean;
}

export interface MxReport {
  records: Array<{ exchange: string; priority: number }>;
  nullMx: boolean;
  /** The domain has an address (A or AAAA), which mail falls back to without MX. */
  hasAddress: boolean;
  status: DnsStatus;
}

export interface TxtPolicyReport {
  name: string;
  record: string | null;
  status: DnsStatus;
}

export type Provider = 'gmail' | 'yahoo' | 'microsoft';

export interface Verdict {
  provider: Provider;
  label: string;
  status: 'met' | 'not-met' | 'unknown';
  reasons: string[];
}

export interface DomainReport {
  domain: string;
  checkedAt: string;
  durationMs: number;
  /** DNS questions asked (answers served from the run's cache are not counted). */
  queries: number;
  /** The DNS servers asked, as the resolver names them ("HOST" or "HOST:PORT"); empty when it cannot tell. */
  servers: string[];
  selectors: string[];
  /** What was taken from the workspace's sending infrastructure, and where from (absent when nothing). */
  infrastructure?: {
    selectors: Array<{ selector: string; from: string }>;
    mailFromDomains: Array<{ domain: string; from: string }>;
    easyDkim: string[];
  };
  verdicts: Verdict[];
  spf: SpfReport;
  dmarc: DmarcReport;
  dkim: DkimReport[];
  mx: MxReport;
  mtaSts: TxtPolicyReport;
  tlsRpt: TxtPolicyReport;
  bimi: TxtPolicyReport;
  findings: DomainFinding[];
  /** One state per record looked at, derived from the findings (overview.ts). */
  overview: OverviewItem[];
}
