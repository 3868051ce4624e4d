// Domain names and tag lists, as the DNS records of mail authentication write them.

import { domainToASCII } from 'node:url';

/** Lower-case ASCII (punycode) form of a domain, no trailing dot; undefined when it is not a host name. */
export function normalizeDomain(input: string): string | undefined {
  let s = input.trim().replace(/\.$/, '');
  // Accept what people paste: an address, a URL.
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/?#:].*$/, '');
  if (!s) return undefined;
  const ascii = /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : domainToASCII(s);
  if (!ascii) return undefined;
  return isHostName(ascii) ? ascii : undefined;
}

/** Letters, digits, hyphens and underscores in labels of 1-63 octets, at least two labels, at most 253 octets. */
export function isHostName(name: string): boolean {
  if (name.length > 253) return false;
  const labels = name.split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
}

/** A DKIM selector: one or more dot-separated labels. */
export function isSelector(s: string): boolean {
  return s.length > 0 && s.length <= 200 && s.split('.').every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l));
}

/** The parent of a name, or undefined for a single label. */
export function parentOf(name: string): string | undefined {
  const i = name.indexOf('.');
  return i < 0 ? undefined : name.slice(i + 1);
}

/** True when `name` is `domain` or below it. */
export function isAtOrBelow(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

export interface Tag {
  name: string;
  value: string;
}

export interface TagList {
  tags: Tag[];
  /** Parts that are not `name=value`. */
  malformed: string[];
}

/** Parses a `tag=value; tag=value` list (DKIM, DMARC, MTA-STS, TLS-RPT, BIMI). Tag names are kept as written. */
export function parseTagList(text: string): TagList {
  const tags: Tag[] = [];
  const malformed: string[] = [];
  for (const raw of text.split(';')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      malformed.push(part);
      continue;
    }
    const name = part.slice(0, eq).trim();
    if (!/^[a-z][a-z0-9_]*$/i.test(name)) {
      malformed.push(part);
      continue;
    }
    tags.push({ name, value: part.slice(eq + 1).trim() });
  }
  return { tags, malformed };
}

/** Joins the strings of one TXT record without spaces, as RFC 7208 §3.3 (and DKIM, DMARC) read them. */
export function joinTxt(strings: string[]): string {
  return strings.join('');
}
