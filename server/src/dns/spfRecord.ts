// SPF records (RFC 7208) as text: recognising one, parsing it into terms with their offsets and
// lookup costs, and writing a corrected or merged record. Pure: nothing here asks the DNS.

import { isIPv4, isIPv6 } from 'node:net';
import { isHostName } from './domain';
import type { SpfTerm } from './types';

export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/** RFC 7208 §7.1 macro-string: every `%` starts `%%`, `%_`, `%-` or `%{letter digits r delimiters}`. */
function macroError(spec: string): string | undefined {
  const rest = spec.replace(/%(?:[%_-]|\{[slodiphcrtv]\d*r?[.\-+,/_=]*\})/gi, '');
  return rest.includes('%') ? `bad macro in "${spec}"` : undefined;
}

function domainSpecError(spec: string): string | undefined {
  if (!spec) return 'a domain is required';
  if (spec.includes('%')) return macroError(spec);
  return isHostName(spec.replace(/\.$/, '').toLowerCase()) ? undefined : `"${spec}" is not a domain name`;
}

function ip4Error(value: string): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(value);
  if (!m || !isIPv4(m[1]!)) return `"${value}" is not an IPv4 address or network`;
  if (m[2] !== undefined && Number(m[2]) > 32) return `the prefix length of "${value}" is over 32`;
  return undefined;
}

function ip6Error(value: string): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(value);
  if (!m || !isIPv6(m[1]!)) return `"${value}" is not an IPv6 address or network`;
  if (m[2] !== undefined && Number(m[2]) > 128) return `the prefix length of "${value}" is over 128`;
  return undefined;
}

/** Parses the terms after `v=spf1`, with their offsets in the record. */
export function parseSpf(record: string): SpfTerm[] {
  const terms: SpfTerm[] = [];
  const body = /^v=spf1/i.exec(record) ? 6 : 0;
  const re = /\S+/g;
  re.lastIndex = body;
  let m: RegExpExecArray | null;
  let redirects = 0;
  let exps = 0;
  while ((m = re.exec(record))) {
    const text = m[0];
    const term: SpfTerm = { text, start: m.index, kind: '', lookups: 0 };
    terms.push(term);
    const head = /^([+\-~?])?([a-z][a-z0-9_.-]*)/i.exec(text);
    if (!head) {
      term.kind = 'unknown';
      term.error = `"${text}" is not an SPF mechanism or modifier`;
      continue;
    }
    const name = head[2]!.toLowerCase();
    const rest = text.slice(head[0].length);
    if (rest.startsWith('=') && !head[1]) {
      term.kind = name;
      term.value = rest.slice(1);
      if (name === 'redirect' || name === 'exp') {
        if (name === 'redirect' && ++redirects > 1) term.error = 'redirect= may appear only once';
        if (name === 'exp' && ++exps > 1) term.error = 'exp= may appear only once';
        term.error ??= domainSpecError(term.value);
        if (name === 'redirect') term.lookups = 1;
      } else {
        // Unknown modifiers are allowed and ignored (§6), but their value must be a macro-string.
        term.error = macroError(term.value);
      }
      continue;
    }
    term.kind = name;
    term.qualifier = (head[1] as SpfTerm['qualifier']) ?? undefined;
    const colonValue = rest.startsWith(':') ? rest.slice(1) : undefined;
    switch (name) {
      case 'all':
        if (rest) term.error = '"all" takes no value';
        break;
      case 'include':
      case 'exists':
        term.lookups = 1;
        if (colonValue === undefined) term.error = `"${name}" needs a domain: ${name}:example.com`;
        else {
          term.value = colonValue;
          term.error = domainSpecError(colonValue);
        }
        break;
      case 'a':
      case 'mx': {
        term.lookups = 1;
        const dm = /^(?::([^/]*))?((?:\/\d{1,2})?(?:\/\/\d{1,3})?)$/.exec(rest);
        if (!dm) {
          term.error = `"${text}" is not ${name}, ${name}:domain or ${name}/prefix`;
          break;
        }
        if (dm[1] !== undefined) {
          term.value = dm[1];
          term.error = domainSpecError(dm[1]);
        }
        const v4 = /^\/(\d+)/.exec(dm[2]!);
        const v6 = /\/\/(\d+)$/.exec(dm[2]!);
        if (v4 && !dm[2]!.startsWith('//') && Number(v4[1]) > 32) term.error ??= 'an IPv4 prefix length is at most 32';
        if (v6 && Number(v6[1]) > 128) term.error ??= 'an IPv6 prefix length is at most 128';
        break;
      }
      case 'ptr':
        term.lookups = 1;
        if (colonValue !== undefined) {
          term.value = colonValue;
          term.error = domainSpecError(colonValue);
        } else if (rest) term.error = `"${text}" is not ptr or ptr:domain`;
        break;
      case 'ip4':
      case 'ip6':
        if (colonValue === undefined) term.error = `"${name}" needs an address: ${name === 'ip4' ? 'ip4:192.0.2.0/24' : 'ip6:2001:db8::/32'}`;
        else {
          term.value = colonValue;
          term.error = name === 'ip4' ? ip4Error(colonValue) : ip6Error(colonValue);
        }
        break;
      default:
        term.kind = 'unknown';
        term.error = `unknown mechanism "${name}"`;
    }
  }
  return terms;
}

/**
 * Zeroes the cost of a redirect the record ignores because it has "all" (§6.1), and returns the
 * lookups the record's own terms cost.
 */
export function settleLookups(terms: SpfTerm[]): number {
  const hasAll = terms.some((t) => t.kind === 'all');
  for (const t of terms) if (t.kind === 'redirect' && hasAll) t.lookups = 0;
  return terms.reduce((n, t) => n + t.lookups, 0);
}

/** The name a term points at (its value, else the record's own domain), lower case, no trailing dot. */
export function targetOf(term: SpfTerm, domain: string): string {
  return (term.value || domain).replace(/\.$/, '').toLowerCase();
}

/** The record with some terms replaced (undefined drops the term), spacing normalised. */
export function rewrite(record: string, terms: SpfTerm[], change: (t: SpfTerm) => string | undefined): string {
  return ['v=spf1', ...terms.map(change).filter((t): t is string => !!t)].join(' ');
}

/** One record from several: every term once, then the strictest `all` any of them had (at least ~all). */
export function mergeRecords(records: string[]): string {
  const seen = new Set<string>();
  const terms: string[] = [];
  let strictest = '~all';
  for (const r of records) {
    for (const t of parseSpf(r)) {
      if (t.kind === 'all') {
        if (t.qualifier === '-') strictest = '-all';
        continue;
      }
      const key = t.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      terms.push(t.text);
    }
  }
  return ['v=spf1', ...terms, strictest].join(' ');
}
