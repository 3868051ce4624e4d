// The syntax of host names and DKIM selectors, as typed by people and as found in messages. Pure,
// with nothing but node:url: the VS Code client bundles it (through protocol.ts) to check what is
// typed before it asks the server.

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
