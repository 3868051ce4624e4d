// The organizational domain by the Public Suffix List (RFC 7489 §3.2): the registrable name, one
// label below the longest public suffix. The one place that asks the list; the lint rules (relaxed
// alignment of a send configuration) and the domain check (what RFC 7489 receivers would use) both
// call it. RFC 9989's DNS tree walk is another thing and lives in dns/.

import { getDomain } from 'tldts';

export interface PslOptions {
  /**
   * Whether the list's PRIVATE section (github.io, s3.amazonaws.com, blogspot.com ...) counts as
   * public suffixes. With it, foo.github.io is its own organizational domain; without, github.io is.
   */
  privateSuffixes: boolean;
}

/**
 * The PSL organizational domain of `name`, lower case, without a trailing dot; Unicode and punycode
 * labels are both understood and come back in the form given. Undefined when `name` is itself a
 * public suffix (co.uk), a single label, an IP address or not a domain name.
 */
export function pslOrganizationalDomain(name: string, options: PslOptions): string | undefined {
  return getDomain(name, { allowPrivateDomains: options.privateSuffixes }) ?? undefined;
}
