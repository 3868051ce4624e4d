// SPF records (RFC 7208) as text: recognising one, parsing it into terms with their offsets and
// lookup costs, and writing a corrected or merged record. Pure: nothing here asks the DNS.

import { isIPv4, isIPv6 } from 'node:net';
import { isHostName } from './domain';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import type { SpfTerm } from './types';

export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/** RFC 7208 §7.1 macro-string: every `%` starts `%%`, `%_`, `%-` or `%{letter digits r delimiters}`. */
function macroError(spec: string, L: Locale): string | undefined {
  const rest = spec.replace(/%(?:[%_-]|\{[slodiphcrtv]\d*r?[.\-+,/_=]*\})/gi, '');
  return rest.includes('%') ? interpolate(term('spf.syntax.macro', 'bad macro in "{spec}"', L), { spec }) : undefined;
}

function domainSpecError(spec: string, L: Locale): string | undefined {
  if (!spec) return term('spf.syntax.domainRequired', 'a domain is required', L);
  if (spec.includes('%')) return macroError(spec, L);
  return isHostName(spec.replace(/\.$/, '').toLowerCase()) ? undefined : interpolate(term('spf.syntax.notDomain', '"{spec}" is not a domain name', L), { spec });
}

function ip4Error(value: string, L: Locale): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(value);
  if (!m || !isIPv4(m[1]!)) return interpolate(term('spf.syntax.notIp4', '"{value}" is not an IPv4 address or network', L), { value });
  if (m[2] !== undefined && Number(m[2]) > 32) return interpolate(term('spf.syntax.prefix4', 'the prefix length of "{value}" is over 32', L), { value });
  return undefined;
}

function ip6Error(value: string, L: Locale): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(value);
  if (!m || !isIPv6(m[1]!)) return interpolate(term('spf.syntax.notIp6', '"{value}" is not an IPv6 address or network', L), { value });
  if (m[2] !== undefined && Number(m[2]) > 128) return interpolate(term('spf.syntax.prefix6', 'the prefix length of "{value}" is over 128', L), { value });
  return undefined;
}

/** Parses the terms after `v=spf1`, with their offsets in the record; errors are worded in `L`. */
export function parseSpf(record: string, L: Locale = 'en'): SpfTerm[] {
  const terms: SpfTerm[] = [];
  const body = /^v=spf1/i.exec(record) ? 6 : 0;
  const re = /\S+/g;
  re.lastIndex = body;
  let m: RegExpExecArray | null;
  let redirects = 0;
  let exps = 0;
  while ((m = re.exec(record))) {
    const text = m[0];
    const spfTerm: SpfTerm = { text, start: m.index, kind: '', lookups: 0 };
    terms.push(spfTerm);
    const head = /^([+\-~?])?([a-z][a-z0-9_.-]*)/i.exec(text);
    if (!head) {
      spfTerm.kind = 'unknown';
      spfTerm.error = interpolate(term('spf.syntax.notTerm', '"{text}" is not an SPF mechanism or modifier', L), { text });
      continue;
    }
    const name = head[2]!.toLowerCase();
    const rest = text.slice(head[0].length);
    if (rest.startsWith('=') && !head[1]) {
      spfTerm.kind = name;
      spfTerm.value = rest.slice(1);
      if (name === 'redirect' || name === 'exp') {
        if (name === 'redirect' && ++redirects > 1) spfTerm.error = interpolate(term('spf.syntax.once', '{name}= may appear only once', L), { name });
        if (name === 'exp' && ++exps > 1) spfTerm.error = interpolate(term('spf.syntax.once', '{name}= may appear only once', L), { name });
        spfTerm.error ??= domainSpecError(spfTerm.value, L);
        if (name === 'redirect') spfTerm.lookups = 1;
      } else {
        // Unknown modifiers are allowed and ignored (§6), but their value must be a macro-string.
        spfTerm.error = macroError(spfTerm.value, L);
      }
      continue;
    }
    spfTerm.kind = name;
    spfTerm.qualifier = (head[1] as SpfTerm['qualifier']) ?? undefined;
    const colonValue = rest.startsWith(':') ? rest.slice(1) : undefined;
    switch (name) {
      case 'all':
        if (rest) spfTerm.error = term('spf.syntax.allValue', '"all" takes no value', L);
        break;
      case 'include':
      case 'exists':
        spfTerm.lookups = 1;
        if (colonValue === undefined) spfTerm.error = interpolate(term('spf.syntax.needsDomain', '"{name}" needs a domain: {name}:example.com', L), { name });
        else {
          spfTerm.value = colonValue;
          spfTerm.error = domainSpecError(colonValue, L);
        }
        break;
      case 'a':
      case 'mx': {
        spfTerm.lookups = 1;
        const dm = /^(?::([^/]*))?((?:\/\d{1,2})?(?:\/\/\d{1,3})?)$/.exec(rest);
        if (!dm) {
          spfTerm.error = interpolate(term('spf.syntax.badForm', '"{text}" is not {name}, {name}:domain or {name}/prefix', L), { text, name });
          break;
        }
        if (dm[1] !== undefined) {
          spfTerm.value = dm[1];
          spfTerm.error = domainSpecError(dm[1], L);
        }
        const v4 = /^\/(\d+)/.exec(dm[2]!);
        const v6 = /\/\/(\d+)$/.exec(dm[2]!);
        if (v4 && !dm[2]!.startsWith('//') && Number(v4[1]) > 32) spfTerm.error ??= term('spf.syntax.prefix4Max', 'an IPv4 prefix length is at most 32', L);
        if (v6 && Number(v6[1]) > 128) spfTerm.error ??= term('spf.syntax.prefix6Max', 'an IPv6 prefix length is at most 128', L);
        break;
      }
      case 'ptr':
        spfTerm.lookups = 1;
        if (colonValue !== undefined) {
          spfTerm.value = colonValue;
          spfTerm.error = domainSpecError(colonValue, L);
        } else if (rest) spfTerm.error = interpolate(term('spf.syntax.ptr', '"{text}" is not ptr or ptr:domain', L), { text });
        break;
      case 'ip4':
      case 'ip6':
        if (colonValue === undefined) spfTerm.error = interpolate(term('spf.syntax.needsAddress', '"{name}" needs an address: {example}', L), { name, example: name === 'ip4' ? 'ip4:192.0.2.0/24' : 'ip6:2001:db8::/32' });
        else {
          spfTerm.value = colonValue;
          spfTerm.error = name === 'ip4' ? ip4Error(colonValue, L) : ip6Error(colonValue, L);
        }
        break;
      default:
        spfTerm.kind = 'unknown';
        spfTerm.error = interpolate(term('spf.syntax.unknown', 'unknown mechanism "{name}"', L), { name });
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
