// URL shapes the rendering rules judge (link-href-invalid, img-src-*): no URL parser is asked,
// because template syntax, ESP tags and entities in a URL are normal in a template and each check
// here is a look at the first characters.

/**
 * Template syntax or an ESP tag in a URL (broader than core/parse/template hasTemplateSyntax, which reads text): `{{ }}`, `{% %}`, `*|X|*`, `<%= %>`, `[[ ]]`, `%%X%%`,
 * `${x}`, `#{x}`, Mailgun's `%x%`, PHP. What it becomes is known only when the mail is rendered.
 */
export function urlHasTemplateSyntax(value: string): boolean {
  return /[{}[\]<>]|\*\||\|\*|%%|%[A-Za-z_][\w.:-]*%|\$[({A-Za-z_]/.test(value);
}

/**
 * What is wrong with a link's target, if anything: `empty`, `script` (javascript:), `malformed`
 * (an http(s) URL with no `//`, no host or a broken host, a doubled or misspelt scheme) or `relative`
 * (no scheme: nothing in an email resolves it). Anchors, other schemes (mailto:, tel:, sms:, cid: ...)
 * and URLs written with template syntax are fine. Every link of a template is asked, so the common
 * case (`https://host/...`) is decided by a look at the host's characters; template syntax is looked
 * for only in a target that seems wrong.
 */
export function hrefProblem(href: string): 'empty' | 'script' | 'malformed' | 'relative' | undefined {
  let h = href;
  if (h === '' || isSpace(h.charCodeAt(0)) || isSpace(h.charCodeAt(h.length - 1))) {
    h = h.trim();
    if (h === '') return 'empty';
  }
  const problem = shapeProblem(h);
  return problem && !urlHasTemplateSyntax(h) ? problem : undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

function shapeProblem(h: string): 'script' | 'malformed' | 'relative' | undefined {
  const first = h.charCodeAt(0);
  if (first === 35 /* # */) return undefined;
  const lower = h.length > 8 ? h.slice(0, 8).toLowerCase() : h.toLowerCase();
  let rest: number;
  if (lower.startsWith('https://')) rest = 8;
  else if (lower.startsWith('http://')) rest = 7;
  else return otherScheme(h);
  return hostProblem(h, rest);
}

/**
 * The authority of an http(s) URL from `at`: a host (after any user info) with an optional numeric
 * port. Looked at character by character, without slicing: every link of a template comes here.
 */
function hostProblem(h: string, at: number): 'malformed' | undefined {
  let hostStart = at;
  let end = at;
  for (; end < h.length; end++) {
    const c = h.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    if (c === 64 /* @ */) hostStart = end + 1;
  }
  if (end === hostStart) return 'malformed';
  let colon = -1;
  let previous = 46; // a host may not start with a dot
  for (let i = hostStart; i < end; i++) {
    const c = h.charCodeAt(i);
    if (colon !== -1) {
      // The port: digits only.
      if (c < 48 || c > 57) return 'malformed';
      continue;
    }
    if (c === 58 /* : */ && h.charCodeAt(hostStart) !== 91 /* [ */) {
      if (i === hostStart) return 'malformed';
      colon = i;
      continue;
    }
    // Spaces, quotes and characters no host has; an empty label (`..`, a leading dot).
    if (c <= 32 || c === 34 || c === 39 || c === 92 || c === 94 || c === 96 || c === 60 || c === 62 || c === 0xa0) return 'malformed';
    if (c === 46 && previous === 46) return 'malformed';
    previous = c;
  }
  // `http://https://...`: the scheme written twice leaves a host named http or https and an empty port.
  if (colon !== -1 && colon + 1 === end && /^https?$/i.test(h.slice(hostStart, colon))) return 'malformed';
  return undefined;
}

function otherScheme(h: string): 'script' | 'malformed' | 'relative' | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h);
  if (!scheme) return 'relative';
  const name = scheme[1]!.toLowerCase();
  if (name === 'javascript') return 'script';
  // http: or https: without the two slashes (`https:/x`, `http:x`), or a misspelt scheme.
  if (name === 'http' || name === 'https') return 'malformed';
  return /^(?:h?t{1,3}p{1,2}s?|htps?|hhttps?)$/.test(name) ? 'malformed' : undefined;
}

/** A URL for a message: at most 80 characters. */
export function shorten(url: string): string {
  return url.length > 80 ? `${url.slice(0, 77)}...` : url;
}
