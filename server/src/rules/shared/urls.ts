// URL shapes the rendering rules judge (link-href-invalid, img-src-*): no URL parser is asked,
// because template syntax, ESP tags and entities in a URL are normal in a template and each check
// here is a look at the first characters.

/**
 * Template syntax or an ESP tag in a URL: `{{ }}`, `{% %}`, `*|X|*`, `<%= %>`, `[[ ]]`, `%%X%%`,
 * `${x}`, `#{x}`, Mailgun's `%x%`, PHP. What it becomes is known only when the mail is rendered.
 */
export function hasTemplateSyntax(value: string): boolean {
  return /[{}[\]<>]|\*\||\|\*|%%|%[A-Za-z_][\w.:-]*%|\$[({A-Za-z_]/.test(value);
}

/**
 * What is wrong with a link's target, if anything: `empty`, `script` (javascript:), `malformed`
 * (an http(s) URL with no `//`, no host or a broken host, a doubled or misspelt scheme) or `relative`
 * (no scheme: nothing in an email resolves it). Anchors, other schemes (mailto:, tel:, sms:, cid: ...)
 * and URLs written with template syntax are fine.
 */
export function hrefProblem(href: string): 'empty' | 'script' | 'malformed' | 'relative' | undefined {
  const h = href.trim();
  if (h === '') return 'empty';
  if (hasTemplateSyntax(h)) return undefined;
  if (/^javascript:/i.test(h)) return 'script';
  if (h[0] === '#') return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h);
  if (!scheme) return 'relative';
  const name = scheme[1]!.toLowerCase();
  if (name !== 'http' && name !== 'https') return /^(?:h?t{1,3}p{1,2}s?|htps?|hhttps?|ttps?)$/.test(name) ? 'malformed' : undefined;
  const rest = h.slice(name.length + 1);
  if (!rest.startsWith('//')) return 'malformed';
  const authority = /^[^/?#]*/.exec(rest.slice(2))![0];
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host === '' || /^https?:?$/i.test(host) || /[\s"'\\^`]/.test(host)) return 'malformed';
  const colon = host.startsWith('[') ? -1 : host.indexOf(':');
  const hostname = colon === -1 ? host : host.slice(0, colon);
  if (colon !== -1 && !/^\d*$/.test(host.slice(colon + 1))) return 'malformed';
  if (hostname === '' || hostname.startsWith('.') || hostname.includes('..')) return 'malformed';
  return undefined;
}

/** A URL for a message: at most 80 characters. */
export function shorten(url: string): string {
  return url.length > 80 ? `${url.slice(0, 77)}...` : url;
}
