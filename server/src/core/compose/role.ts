// What a markup file is: an email (a whole message as sent, once its layout and partials are
// applied), a part of emails (layout, partial, component), a web page, or undecided. Content and
// context together: email signals (layout tables, MSO comments, ESP tags, mailer folders), web
// signals (script bundles, stylesheets, forms, app roots, redirects), the file's name and place,
// and whether it is a layout. Overrides: the `emails` / `parts` globs and `deliverlint-kind`.

import { matchingGlob } from '../config';
import type { ResolvedConfig } from '../types';

export type Role = 'email' | 'part' | 'web' | 'undecided' | 'ignored';

export interface RoleDecision {
  role: Role;
  /** Why, in short English phrases (shown by --explain and in messages). */
  reasons: string[];
}

export interface RoleInput {
  filePath?: string;
  text: string;
  config: ResolvedConfig;
  /** The file has no <html>/<body> of its own. */
  fragment: boolean;
  /** The file is a layout: it holds the place where a message's content goes (see layoutMark). */
  layoutMark?: string;
  /** It names a layout that wraps it (extends, {{#> layout}}, @extends, a mailer layout ...). */
  usesLayout: boolean;
  /** It is an MJML document (<mjml> root). */
  mjml: boolean;
  /** Source of the layouts and partials it was composed with: their signals count as the file's. */
  composedTexts?: readonly string[];
  /** It names a layout that could not be followed (no file, a computed name). */
  layoutUnresolved?: boolean;
  /** A framework's web layout wraps it (Symfony's profiler, a form theme ...). */
  webFramework?: string;
}

const KIND_DIRECTIVE = /(?:<!--|\{\{!--|\{\{!|\{#|<%#|\{\{--|\{\*)\s*deliverlint-kind\s+([\w-]+)/;

// Folders where applications keep mail; a file there is mail unless it is a part.
const MAIL_FOLDER = /(?:^|[\\/])(?:[\w-]*_?mailers?|e-?mails?|mails?|mailings?|newsletters?|notifications?|campaigns?|mjml)(?:[\\/])/i;
// Folders and names of parts.
const PART_FOLDER = /(?:^|[\\/])(?:partials?|_partials|layouts?|_layouts|components?|includes?|_includes|snippets|macros|blocks|shared|fragments|sections)(?:[\\/])/i;
const PART_NAME = /^_|^(?:base|layout|header|footer|head|macros?|partial)[._-]/i;

/** Signals that mark a file as a web page, each with what it found. */
const WEB_SIGNALS: ReadonlyArray<[RegExp, string]> = [
  [/<script\b[^>]{0,200}\bsrc\s*=\s*["'](?!https:\/\/cdn\.ampproject\.org)/i, 'a script bundle'],
  [/<script\b[^>]{0,80}\btype\s*=\s*["']module["']/i, 'a module script'],
  [/<link\b(?=[^>]{0,300}\brel\s*=\s*["']?stylesheet)(?![^>]{0,300}fonts\.(?:googleapis|bunny)|[^>]{0,300}use\.typekit)[^>]{0,300}\bhref\s*=\s*["'][^"'{]/i, 'an external stylesheet'],
  [/<form\b/i, 'a form'],
  [/<nav\b/i, 'navigation'],
  [/<div\b[^>]{0,100}\bid\s*=\s*["'](?:app|root|__next|__nuxt|svelte)["']/i, 'a single-page-app root'],
  [/<meta\b[^>]{0,100}http-equiv\s*=\s*["']?refresh/i, 'a meta refresh redirect'],
  [/\{%-?\s*load\s+static\b|\{%-?\s*static\s|\{\{\s*url_for\(\s*['"]static|<%=\s*(?:csrf_meta_tags|javascript_include_tag|stylesheet_link_tag)|@vite\(|@csrf\b|\{\{\s*csrf_token|<%=\s*csp_meta_tag/i, 'a framework page shell'],
  [/<(?:textarea|select|iframe|canvas)\b/i, 'interactive page elements'],
  [/<%=\s*(?:form_with|form_for|form_tag|button_tag|text_field_tag|[a-z]\.(?:text_field|text_area|label|submit|select|check_box|password_field|hidden_field))\b|\{%-?\s*csrf_token\s*-?%\}|\{\{\s*form\.|\{\{\s*form_(?:start|widget|row)\(/, 'form helpers'],
  [/<link\b[^>]{0,200}\brel\s*=\s*["']?(?:manifest|(?:shortcut\s)?icon|apple-touch-icon|search)\b/i, 'a site icon or web manifest'],
  [/<meta\b[^>]{0,100}\bname\s*=\s*["'](?:csrf-token|token|[\w-]{0,40}csrf[\w-]{0,40})["']/i, 'a CSRF token'],
  [/\{%-?\s*block\s+(?:javascripts?|scripts|extrascripts|extra_?js|footer_?scripts|js)\s*-?%\}|@(?:push|stack)\(\s*['"](?:scripts|js)['"]/i, 'a block for page scripts'],
];

// Error pages and static pages of a web app: Rails' public/404.html, templates/errors/500.html.twig.
const ERROR_PAGE = /(?:^|[\\/])(?:errors?[\\/][^\\/]{1,200}|(?:[45]\d\d|error[_-]?[45]?\d{0,2}|maintenance|offline)(?:\.[\w-]{1,20}){1,3})$/i;
const RAILS_PUBLIC = /(?:^|[\\/])public[\\/][^\\/]{1,200}\.html?$/i;

/** Signals that mark a file as an email. */
const EMAIL_SIGNALS: ReadonlyArray<[RegExp, string]> = [
  [/<table\b[^>]{0,300}\b(?:role\s*=\s*["']presentation|cellpadding|cellspacing)/i, 'layout tables'],
  [/<!--\[if\s[^\]]{0,40}mso/i, 'Outlook (MSO) conditional comments'],
  [/xmlns:v\s*=|<v:(?:rect|roundrect|fill)\b/i, 'VML'],
  [/x-apple-disable-message-reformatting|format-detection/i, 'mail client meta tags'],
  [/\*\|[A-Z_:]+\|\*|%%[\w_]+%%|\[\[[A-Z_]+\]\]|<%asm_|\{\{\{?\s*(?:unsubscribe|UnsubscribeURL|amazonSESUnsubscribeUrl|unsubscribe_link|unsubscribe_url)\b/i, 'ESP merge tags'],
  [/<td\b[^>]{0,300}\bbgcolor\s*=|<center\b/i, 'email-era attributes'],
];

// Where sites keep their pages, and how error pages title themselves. They decide only for a whole
// page with no sign of email at all (public/404.html of a web framework).
const WEB_FOLDER = /(?:^|[\\/])(?:public|static|www|wwwroot|site|_site|docs|pages|errors?)(?:[\\/])/i;
const ERROR_PAGE_TITLE = /<title>[^<]{0,200}\b(?:40[0-9]|50[0-9]|not found|doesn't exist|does not exist|error)\b/i;

function firstMatch(text: string, signals: ReadonlyArray<[RegExp, string]>): string[] {
  const found: string[] = [];
  for (const [re, what] of signals) if (re.test(text)) found.push(what);
  return found;
}

/** Decides what the file is; see the file comment for the order. */
export function decideRole(input: RoleInput): RoleDecision {
  const { filePath, text, config } = input;
  const directive = KIND_DIRECTIVE.exec(text);
  if (directive) {
    const value = directive[1]!.toLowerCase();
    if (value === 'email') return { role: 'email', reasons: ['the deliverlint-kind directive says email'] };
    if (value === 'part') return { role: 'part', reasons: ['the deliverlint-kind directive says part'] };
    if (value === 'ignore') return { role: 'ignored', reasons: ['the deliverlint-kind directive says ignore'] };
  }
  if (filePath) {
    const partGlob = matchingGlob(filePath, config.parts, config.root);
    if (partGlob) return { role: 'part', reasons: [`it matches the parts glob ${partGlob}`] };
    const emailGlob = matchingGlob(filePath, config.emails, config.root);
    if (emailGlob) return { role: 'email', reasons: [`it matches the emails glob ${emailGlob}`] };
  }
  if (input.layoutMark) return { role: 'part', reasons: [`it is a layout: the message goes at ${input.layoutMark}`] };

  const rel = filePath ?? '';
  const base = rel.replace(/^.*[\\/]/, '');
  const inMailFolder = MAIL_FOLDER.test(rel);
  const web = firstMatch(text, WEB_SIGNALS);
  const email = firstMatch(text, EMAIL_SIGNALS);
  // The layouts and partials the message is built from: a page shell's scripts and stylesheets
  // make a web page of every template that extends it, a mail layout's tables an email.
  for (const composed of input.composedTexts ?? []) {
    for (const w of firstMatch(composed, WEB_SIGNALS)) if (!web.includes(w)) web.push(w);
    for (const e of firstMatch(composed, EMAIL_SIGNALS)) if (!email.includes(e)) email.push(e);
  }
  if (input.webFramework) web.push(`a web layout of ${input.webFramework}`);
  if (!inMailFolder && (ERROR_PAGE.test(rel) || RAILS_PUBLIC.test(rel))) web.push("an error or static page's name and place");
  if (input.mjml) email.unshift('MJML');
  if (inMailFolder) email.push('a mail folder');

  // A partial of a web page (a Rails _form with its form, a nav snippet): no sign of mail, signs of
  // the web. Nothing of Deliverlint's applies to it.
  if (web.length && !email.length && !input.usesLayout) return { role: 'web', reasons: web.map((w) => `it has ${w}`) };
  if (!input.usesLayout && (PART_NAME.test(base) || PART_FOLDER.test(rel))) {
    return { role: 'part', reasons: [PART_NAME.test(base) ? `its name (${base}) is a partial's` : 'it sits in a folder of partials or layouts'] };
  }
  if (input.fragment && !input.usesLayout && !input.mjml) {
    // A piece of markup with no page around it and no layout named: a partial, unless a mailer
    // folder says it is a message whose layout the framework applies.
    return inMailFolder ? { role: 'email', reasons: ['a fragment in a mail folder'] } : { role: 'part', reasons: ['it has no <html> or <body> and names no layout'] };
  }
  if (!web.length && !email.length && !input.usesLayout) {
    if (ERROR_PAGE_TITLE.test(text)) web.push('an error page title');
    else if (WEB_FOLDER.test(rel)) web.push('a place in a web folder');
  }
  if (web.length && !email.length) return { role: 'web', reasons: web.map((w) => `it has ${w}`) };
  if (!email.length && input.fragment && input.layoutUnresolved) {
    // Its <html> is in a layout nobody could read, and nothing here says email: not judged.
    return { role: 'undecided', reasons: ['its layout could not be followed and nothing in it says email'] };
  }
  if (web.length && email.length) {
    // Both: strong web structure outweighs a table or two; otherwise nobody can tell.
    if (web.length >= 2 && email.length === 1 && !inMailFolder) return { role: 'web', reasons: web.map((w) => `it has ${w}`) };
    // A dashboard page that lists or shows mail sits in an email folder too: page structure with
    // nothing but the folder for email is a page.
    if (web.length >= 2 && email.length === 1 && inMailFolder) return { role: 'web', reasons: [...web.map((w) => `it has ${w}`), 'only its folder says email'] };
    return { role: 'undecided', reasons: [`it has ${web.join(', ')} (web) and ${email.join(', ')} (email)`] };
  }
  return { role: 'email', reasons: email.length ? email.map((e) => `it has ${e}`) : ['a whole HTML document with no sign of a web page'] };
}
