// Domain names and tag lists, as the DNS records of mail authentication write them.

// The syntax of host names and selectors is the core's (core/domainName.ts): the lint rules, the
// domain check and the VS Code client (through protocol.ts) all take it from there.
export { isHostName, isSelector, normalizeDomain } from '../core/domainName';

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
