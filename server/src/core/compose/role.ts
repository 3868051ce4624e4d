// What a markup file is: an email (a whole message as sent, once its layout and partials are
// applied), a part of emails (layout, partial, component), a web page, or undecided. Content and
// context together: email signals (layout tables, MSO comments, ESP tags, mailer folders), web
// signals (script bundles, stylesheets, forms, app roots, redirects), the file's name and place,
// and whether it is a layout. Overrides: the `emails` / `parts` globs and `deliverlint-kind`.

import { matchingGlob } from '../config';
import { interpolate, term } from '../messages';
import type { Locale, ResolvedConfig } from '../types';

export type Role = 'email' | 'part' | 'web' | 'undecided' | 'ignored';

/** A sign that a file is a web page or an email, by id (worded per locale by signalText). */
export type Signal =
  | 'scriptBundle' | 'moduleScript' | 'inlineScript' | 'stylesheet' | 'form' | 'navigation' | 'appRoot' | 'metaRefresh' | 'pageShell'
  | 'interactive' | 'formHelpers' | 'siteIcon' | 'csrf' | 'scriptsBlock' | 'relativePageLinks' | 'errorPage' | 'errorTitle' | 'webFolder'
  | 'layoutTables' | 'mso' | 'vml' | 'mailMeta' | 'espTags' | 'emailEra' | 'mjml' | 'mailFolder' | 'mailLayout';

/** One reason for a role, as data: worded in the reader's language by roleReasonText. */
export type RoleReason =
  | { id: 'directive'; value: string }
  | { id: 'partsGlob' | 'emailsGlob'; glob: string }
  | { id: 'layout'; mark: string }
  | { id: 'has'; signal: Signal }
  | { id: 'webFramework'; framework: string }
  | { id: 'partName'; name: string }
  | { id: 'partFolder' | 'fragmentInMailFolder' | 'fragment' | 'layoutUnresolved' | 'onlyFolder' | 'wholeDocument' | 'htmlPart' }
  | { id: 'both'; web: Signal[]; email: Signal[] }
  | { id: 'viewOutsideMail'; engine: string }
  | { id: 'textPart'; html: string };

export interface RoleDecision {
  role: Role;
  /** Why, as data (roleReasons words them in English or Japanese for --explain, the hover and messages). */
  reasons: RoleReason[];
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
  /** A framework's mail layout wraps it (Laravel's mail::message). */
  mailFramework?: string;
  /** The view engine of a web framework its name says it is written for (ERB, Blade, EEx, Twig), if any. */
  frameworkView?: string;
  /** The HTML part of the same message, when this file is its plain-text twin (welcome.text.erb). */
  textPartOf?: string;
}

const KIND_DIRECTIVE = /(?:<!--|\{\{!--|\{\{!|\{#|<%#|\{\{--|\{\*)\s*deliverlint-kind\s+([\w-]+)/;

// Folders where applications keep mail; a file there is mail unless it is a part.
const MAIL_FOLDER = /(?:^|[\\/])_?(?:[\w-]*_?mailers?|e-?mails?|mails?|mailings?|newsletters?|notifications?|campaigns?|mjml)(?:[\\/])/i;
// Folders and names of parts.
const PART_FOLDER = /(?:^|[\\/])(?:partials?|_partials|layouts?|_layouts|components?|includes?|_includes|snippets|macros|blocks|shared|fragments|sections)(?:[\\/])/i;
const PART_NAME = /^_|^(?:base|layout|header|footer|head|macros?|partial)[._-]/i;

/**
 * Where a text opens the tags the signals look for, as a regex's `<name\b` with the `i` flag would
 * find them (inside comments too), and which template openers it has: one pass over the `<` of the
 * text. A signal's pattern then runs only where it can match: at those tags, or over the whole text
 * when they are many or the pattern starts with template syntax the text has. Most of these
 * patterns find nothing in most files, and each search of a large template for nothing cost as much
 * as a tenth of its lint.
 */
interface Census {
  /** Offsets of each tag's `<`; null once there are more than MAX_PLACES of them. */
  tags: Map<string, number[] | null>;
  /** ERB and EEx tags (`<%=`, `<% ` ...), `{{`, `{%`. */
  erb: boolean;
  curly: boolean;
  percent: boolean;
  /** The first word inside each `{{ … }}` and `{% … %}` (`url_for`, `csrf_token`, `block` ...). */
  words: Set<string>;
}

const MAX_PLACES = 64;
/** The tag names the signals ask about; others are not collected. */
const CENSUS_TAGS = ['script', 'link', 'form', 'nav', 'div', 'meta', 'textarea', 'select', 'iframe', 'canvas', 'table', 'td', 'center', 'a', 'item'];
const CENSUS_BY_FIRST = new Map<number, string[]>();
for (const t of CENSUS_TAGS) {
  const c = t.charCodeAt(0);
  CENSUS_BY_FIRST.set(c, [...(CENSUS_BY_FIRST.get(c) ?? []), t]);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether `name` (lower case ASCII) is at `at`, any case, and ends at a word boundary. */
function nameAt(text: string, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if ((text.charCodeAt(at + k) | 0x20) !== name.charCodeAt(k)) return false;
  return !isWordChar(text.charCodeAt(at + name.length));
}

function census(text: string): Census {
  const tags = new Map<string, number[] | null>();
  let erb = false;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const c = text.charCodeAt(i + 1);
    if (c === 37 /* % */) {
      // `<%=`, `<%-`, `<% `, `<%#`: ERB and EEx; SendGrid's `<%asm_group_unsubscribe_url%>` is not.
      const next = text.charCodeAt(i + 2);
      if (next === 61 || next === 45 || next === 35 || next === 32 || next === 10 || next === 9 || next === 13) erb = true;
      continue;
    }
    const candidates = CENSUS_BY_FIRST.get(c | 0x20);
    if (!candidates) continue;
    for (const name of candidates) {
      if (!nameAt(text, i + 1, name)) continue;
      const places = tags.get(name);
      if (places === undefined) tags.set(name, [i]);
      else if (places !== null) {
        if (places.length < MAX_PLACES) places.push(i);
        else tags.set(name, null);
      }
      break;
    }
  }
  // The words template tags start with: one pass over the `{` of the text (a few hundred in a
  // large template), where a search for each word read the whole text once per word.
  const words = new Set<string>();
  let curly = false;
  let percent = false;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) {
    const c = text.charCodeAt(i + 1);
    if (c === 123 /* { */) curly = true;
    else if (c === 37 /* % */) percent = true;
    else continue;
    let k = i + 2;
    while (k < text.length && k < i + 40) {
      const d = text.charCodeAt(k);
      if (d === 32 || d === 45 /* - */ || d === 123 || d === 9 || d === 10 || d === 13) k++;
      else break;
    }
    let e = k;
    while (e < text.length && e < k + 40 && isWordChar(text.charCodeAt(e))) e++;
    if (e > k) words.add(text.slice(k, e).toLowerCase());
  }
  return { tags, erb, curly, percent, words };
}

/** Where a signal's pattern can match: at these offsets, anywhere, or nowhere (null). */
type Where = (c: Census, text: string) => readonly number[] | 'anywhere' | null;
/** At the listed tags (the pattern starts with one of them). */
const at = (...names: string[]): Where => (c) => {
  let out: number[] | null = null;
  for (const n of names) {
    const places = c.tags.get(n);
    if (places === undefined) continue;
    if (places === null) return 'anywhere';
    out = out ? out.concat(places) : places;
  }
  return out;
};
const when = (test: (c: Census, text: string) => boolean): Where => (c, text) => (test(c, text) ? 'anywhere' : null);
const anywhere: Where = () => 'anywhere';

/** Signals that mark a file as a web page, each with what its pattern needs to find anything. */
export const WEB_SIGNALS: ReadonlyArray<[RegExp, Signal, Where]> = [
  [/<script\b[^>]{0,200}\bsrc\s*=\s*["'](?!https:\/\/cdn\.ampproject\.org)/i, 'scriptBundle', at('script')],
  [/<script\b[^>]{0,80}\btype\s*=\s*["']module["']/i, 'moduleScript', at('script')],
  // Code in the page: mail clients strip scripts, so no email carries one (JSON-LD for Gmail's
  // markup has a type of its own and does not count).
  [/<script(?:\s+type\s*=\s*["']?(?:text|application)\/(?:java|ecma)script["']?)?\s*>\s*[^<\s]/i, 'inlineScript', at('script')],
  [/<link\b(?=[^>]{0,300}\brel\s*=\s*["']?stylesheet)(?![^>]{0,300}fonts\.(?:googleapis|bunny)|[^>]{0,300}use\.typekit)[^>]{0,300}\bhref\s*=\s*["'](?:[^"'{]|\{\{\s*(?:[\w]*asset[\w]*|mix|vite|url_for|static|url|secure_url)\s*\()/i, 'stylesheet', at('link')],
  [/<form\b/i, 'form', at('form')],
  [/<nav\b/i, 'navigation', at('nav')],
  [/<div\b[^>]{0,100}\bid\s*=\s*["'](?:app|root|__next|__nuxt|svelte)["']/i, 'appRoot', at('div')],
  [/<meta\b[^>]{0,100}http-equiv\s*=\s*["']?refresh/i, 'metaRefresh', at('meta')],
  [/\{%-?\s*load\s+static\b|\{%-?\s*static\s|\{\{\s*url_for\(\s*['"]static|<%=\s*(?:csrf_meta_tags|javascript_include_tag|stylesheet_link_tag)|@vite\(|@csrf\b|\{\{\s*csrf_token|<%=\s*csp_meta_tag/i, 'pageShell', when((c, t) => c.erb || c.words.has('load') || c.words.has('static') || c.words.has('url_for') || c.words.has('csrf_token') || (t.includes('@vite(') || t.includes('@csrf')))],
  [/<(?:textarea|select|iframe|canvas)\b/i, 'interactive', at('textarea', 'select', 'iframe', 'canvas')],
  [/<%=\s*(?:form_with|form_for|form_tag|button_tag|text_field_tag|[a-z]\.(?:text_field|text_area|label|submit|select|check_box|password_field|hidden_field))\b|\{%-?\s*csrf_token\s*-?%\}|\{\{\s*form\.|\{\{\s*form_(?:start|widget|row)\(/, 'formHelpers', when((c) => c.erb || c.words.has('csrf_token') || c.words.has('form') || c.words.has('form_start') || c.words.has('form_widget') || c.words.has('form_row'))],
  [/<link\b[^>]{0,200}\brel\s*=\s*["']?(?:manifest|(?:shortcut\s)?icon|apple-touch-icon|search)\b/i, 'siteIcon', at('link')],
  [/<meta\b[^>]{0,100}\bname\s*=\s*["'](?:csrf-token|token|[\w-]{0,40}csrf[\w-]{0,40})["']/i, 'csrf', at('meta')],
  [/\{%-?\s*block\s+(?:javascripts?|scripts|extrascripts|extra_?js|footer_?scripts|js)\s*-?%\}|@(?:push|stack)\(\s*['"](?:scripts|js)['"]/i, 'scriptsBlock', when((c, t) => c.words.has('block') || t.includes('@push(') || t.includes('@stack('))],
];

// Links by a bare file name (href="basic.html", href="{{root}}drip.html"): a page that leads to the
// pages beside it, such as a template gallery's index. Relative links lead nowhere from a mailbox.
const RELATIVE_PAGE_LINK = /<(?:a|item)\b[^>]{0,300}?\bhref\s*=\s*["'](?:\{\{[^}"']{1,40}\}\}|\.\/)?[\w-]{1,100}\.html?["']/gi;
const MIN_RELATIVE_PAGE_LINKS = 3;

function relativePageLinks(text: string, c: Census): boolean {
  if ((!c.tags.has('a') && !c.tags.has('item')) || !text.includes('.htm')) return false;
  RELATIVE_PAGE_LINK.lastIndex = 0;
  let n = 0;
  while (RELATIVE_PAGE_LINK.exec(text)) if (++n >= MIN_RELATIVE_PAGE_LINKS) return true;
  return false;
}

// Error pages and static pages of a web app: Rails' public/404.html, templates/errors/500.html.twig.
const ERROR_PAGE = /(?:^|[\\/])(?:errors?[\\/][^\\/]{1,200}|(?:[45]\d\d|error[_-]?[45]?\d{0,2}|maintenance|offline)(?:\.[\w-]{1,20}){1,3})$/i;
const RAILS_PUBLIC = /(?:^|[\\/])public[\\/][^\\/]{1,200}\.html?$/i;

/** Signals that mark a file as an email, with what each pattern needs (as WEB_SIGNALS). */
export const EMAIL_SIGNALS: ReadonlyArray<[RegExp, Signal, Where]> = [
  [/<table\b[^>]{0,300}\b(?:role\s*=\s*["']presentation|cellpadding|cellspacing)/i, 'layoutTables', at('table')],
  [/<!--\[if\s[^\]]{0,40}mso/i, 'mso', anywhere],
  [/xmlns:v\s*=|<v:(?:rect|roundrect|fill)\b/i, 'vml', anywhere],
  [/x-apple-disable-message-reformatting|format-detection/i, 'mailMeta', anywhere],
  [/\*\|[A-Z_:]+\|\*|%%[\w_]+%%|\[\[[A-Z_]+\]\]|<%asm_|\{\{\{?\s*(?:unsubscribe|UnsubscribeURL|amazonSESUnsubscribeUrl|unsubscribe_link|unsubscribe_url)\b/i, 'espTags', anywhere],
  [/<td\b[^>]{0,300}\bbgcolor\s*=|<center\b/i, 'emailEra', at('td', 'center')],
];
// Signs old web pages share with email (table layout, bgcolor): they do not outweigh a form or a script.
const SHARED_WITH_OLD_PAGES: ReadonlySet<Signal> = new Set(['layoutTables', 'emailEra']);
// Signs no email can carry: mail clients drop forms and scripts, and a link by file name leads nowhere from a mailbox.
const PAGE_ONLY: ReadonlySet<Signal> = new Set(['form', 'inlineScript', 'scriptBundle', 'moduleScript', 'formHelpers', 'interactive', 'relativePageLinks']);

// Where sites keep their pages, and how error pages title themselves. They decide only for a whole
// page with no sign of email at all (public/404.html of a web framework, an export for printing).
const WEB_FOLDER = /(?:^|[\\/])(?:public|static|www|wwwroot|site|_site|docs|pages|errors?|exports?|print|pdf)(?:[\\/])/i;
const ERROR_PAGE_TITLE = /<title>[^<]{0,200}\b(?:40[0-9]|50[0-9]|not found|doesn't exist|does not exist|error)\b/i;

/** Each pattern, sticky: tried at one offset. */
const STICKY = new Map<RegExp, RegExp>();

function matchesIn(text: string, re: RegExp, where: readonly number[] | 'anywhere'): boolean {
  if (where === 'anywhere') return re.test(text);
  let sticky = STICKY.get(re);
  if (!sticky) STICKY.set(re, (sticky = new RegExp(re.source, `${re.flags}y`)));
  for (const p of where) {
    sticky.lastIndex = p;
    if (sticky.test(text)) return true;
  }
  return false;
}

/** The web and email signals of a text on its own (without its layouts, name or place). */
export function signalsIn(text: string): { web: Signal[]; email: Signal[] } {
  const c = census(text);
  const web = firstMatch(text, WEB_SIGNALS, c);
  if (relativePageLinks(text, c)) web.push('relativePageLinks');
  return { web, email: firstMatch(text, EMAIL_SIGNALS, c) };
}

function firstMatch(text: string, signals: ReadonlyArray<[RegExp, Signal, Where]>, c: Census): Signal[] {
  const found: Signal[] = [];
  for (const [re, what, where] of signals) {
    const w = where(c, text);
    if (w !== null && matchesIn(text, re, w)) found.push(what);
  }
  return found;
}

/** A signal in the reader's language ("a script bundle"). */
export function signalText(signal: Signal, locale: Locale): string {
  switch (signal) {
    case 'scriptBundle': return term('role.signal.scriptBundle', 'a script bundle', locale);
    case 'moduleScript': return term('role.signal.moduleScript', 'a module script', locale);
    case 'inlineScript': return term('role.signal.inlineScript', 'a script', locale);
    case 'stylesheet': return term('role.signal.stylesheet', 'an external stylesheet', locale);
    case 'form': return term('role.signal.form', 'a form', locale);
    case 'navigation': return term('role.signal.navigation', 'navigation', locale);
    case 'appRoot': return term('role.signal.appRoot', 'a single-page-app root', locale);
    case 'metaRefresh': return term('role.signal.metaRefresh', 'a meta refresh redirect', locale);
    case 'pageShell': return term('role.signal.pageShell', 'a framework page shell', locale);
    case 'interactive': return term('role.signal.interactive', 'interactive page elements', locale);
    case 'formHelpers': return term('role.signal.formHelpers', 'form helpers', locale);
    case 'siteIcon': return term('role.signal.siteIcon', 'a site icon or web manifest', locale);
    case 'csrf': return term('role.signal.csrf', 'a CSRF token', locale);
    case 'scriptsBlock': return term('role.signal.scriptsBlock', 'a block for page scripts', locale);
    case 'relativePageLinks': return term('role.signal.relativePageLinks', 'links to the pages beside it by file name', locale);
    case 'errorPage': return term('role.signal.errorPage', "an error or static page's name and place", locale);
    case 'errorTitle': return term('role.signal.errorTitle', 'an error page title', locale);
    case 'webFolder': return term('role.signal.webFolder', 'a place in a web folder', locale);
    case 'layoutTables': return term('role.signal.layoutTables', 'layout tables', locale);
    case 'mso': return term('role.signal.mso', 'Outlook (MSO) conditional comments', locale);
    case 'vml': return term('role.signal.vml', 'VML', locale);
    case 'mailMeta': return term('role.signal.mailMeta', 'mail client meta tags', locale);
    case 'espTags': return term('role.signal.espTags', 'ESP merge tags', locale);
    case 'emailEra': return term('role.signal.emailEra', 'email-era attributes', locale);
    case 'mjml': return term('role.signal.mjml', 'MJML', locale);
    case 'mailLayout': return term('role.signal.mailLayout', "a framework's mail layout", locale);
    default: return term('role.signal.mailFolder', 'a place in a mail folder', locale);
  }
}

/** One reason in the reader's language. */
export function roleReasonText(r: RoleReason, locale: Locale): string {
  const list = (signals: readonly Signal[]) => signals.map((s) => signalText(s, locale)).join(locale === 'ja' ? '、' : ', ');
  switch (r.id) {
    case 'directive': return interpolate(term('role.directive', 'the deliverlint-kind directive says {value}', locale), { value: r.value });
    case 'partsGlob': return interpolate(term('role.partsGlob', 'it matches the parts glob {glob}', locale), { glob: r.glob });
    case 'emailsGlob': return interpolate(term('role.emailsGlob', 'it matches the emails glob {glob}', locale), { glob: r.glob });
    case 'layout': return interpolate(term('role.layout', 'it is a layout: the message goes at {mark}', locale), { mark: r.mark });
    case 'has': return interpolate(term('role.has', 'it has {signal}', locale), { signal: signalText(r.signal, locale) });
    case 'webFramework': return interpolate(term('role.webFramework', 'it has a web layout of {framework}', locale), { framework: r.framework });
    case 'partName': return interpolate(term('role.partName', "its name ({name}) is a partial's", locale), { name: r.name });
    case 'partFolder': return term('role.partFolder', 'it sits in a folder of partials or layouts', locale);
    case 'fragmentInMailFolder': return term('role.fragmentInMailFolder', 'a fragment in a mail folder', locale);
    case 'fragment': return term('role.fragment', 'it has no <html> or <body> and names no layout', locale);
    case 'layoutUnresolved': return term('role.layoutUnresolved', 'its layout could not be followed and nothing in it says email', locale);
    case 'onlyFolder': return term('role.onlyFolder', 'only its folder says email', locale);
    case 'wholeDocument': return term('role.wholeDocument', 'a whole HTML document with no sign of a web page', locale);
    case 'htmlPart': return term('role.htmlPart', 'it is the HTML part of a message', locale);
    case 'both': return interpolate(term('role.both', 'it has {web} (web) and {email} (email)', locale), { web: list(r.web), email: list(r.email) });
    case 'viewOutsideMail': return interpolate(term('role.viewOutsideMail', 'it is a {engine} view outside any mail folder, and nothing in it or its layouts says email', locale), { engine: r.engine });
    default: return interpolate(term('role.textPart', 'it is the plain-text part of the message {html}', locale), { html: r.html });
  }
}

/** The reasons of a decision in the reader's language. */
export function roleReasons(d: RoleDecision, locale: Locale): string[] {
  // The signals found, in one phrase ("it has layout tables, VML") where the first one was.
  const signals = d.reasons.flatMap((r) => (r.id === 'has' ? [r.signal] : []));
  const out: string[] = [];
  for (const r of d.reasons) {
    if (r.id !== 'has') out.push(roleReasonText(r, locale));
    else if (r.signal === signals[0]) out.push(interpolate(term('role.has', 'it has {signal}', locale), { signal: signals.map((x) => signalText(x, locale)).join(locale === 'ja' ? '、' : ', ') }));
  }
  return out;
}

/**
 * Whether a file the rules judge piece by piece (an email, or a part) is known to be mail: an
 * email; a part the user's globs or a directive call a part of emails, that sits in a mail folder,
 * that is MJML, or whose own markup has what only email has (MSO comments, VML, mail client meta
 * tags, ESP tags; layout tables alone do not count). A partial of a web page (a Rails view's fragment, a site generator's layout) is a part too,
 * by its name or for having no <html>, and the rules about how a message reads and renders must not
 * judge it as mail.
 */
export function knownMail(decision: RoleDecision, text: string, filePath: string | undefined, mjml: boolean): boolean {
  if (decision.role === 'email') return true;
  if (decision.role !== 'part') return false;
  // A text given without a file (standard input, the API, an example) is judged as it was given.
  if (mjml || !filePath) return true;
  if (decision.reasons.some((r) => r.id === 'partsGlob' || r.id === 'directive' || r.id === 'textPart')) return true;
  if (MAIL_FOLDER.test(filePath)) return true;
  // Layout tables and bgcolor alone are also how older web pages are built (a Rails view's table).
  return signalsIn(text).email.some((s) => !SHARED_WITH_OLD_PAGES.has(s));
}

/** Decides what the file is; see the file comment for the order. */
export function decideRole(input: RoleInput): RoleDecision {
  const { filePath, text, config } = input;
  const directive = text.includes('deliverlint-kind') ? KIND_DIRECTIVE.exec(text) : null;
  if (directive) {
    const value = directive[1]!.toLowerCase();
    if (value === 'email') return { role: 'email', reasons: [{ id: 'directive', value }] };
    if (value === 'part') return { role: 'part', reasons: [{ id: 'directive', value }] };
    if (value === 'ignore') return { role: 'ignored', reasons: [{ id: 'directive', value }] };
  }
  if (filePath) {
    const partGlob = matchingGlob(filePath, config.parts, config.root);
    if (partGlob) return { role: 'part', reasons: [{ id: 'partsGlob', glob: partGlob }] };
    const emailGlob = matchingGlob(filePath, config.emails, config.root);
    if (emailGlob) return { role: 'email', reasons: [{ id: 'emailsGlob', glob: emailGlob }] };
  }
  // The plain-text twin of an HTML email is one message with it: judged through the HTML part.
  if (input.textPartOf) return { role: 'part', reasons: [{ id: 'textPart', html: input.textPartOf }] };
  if (input.layoutMark) return { role: 'part', reasons: [{ id: 'layout', mark: input.layoutMark }] };

  const rel = filePath ?? '';
  const base = rel.replace(/^.*[\\/]/, '');
  const inMailFolder = MAIL_FOLDER.test(rel);
  const { web, email } = signalsIn(text);
  // The layouts and partials the message is built from: a page shell's scripts and stylesheets
  // make a web page of every template that extends it, a mail layout's tables an email.
  for (const composed of input.composedTexts ?? []) {
    const theirs = census(composed);
    for (const w of firstMatch(composed, WEB_SIGNALS, theirs)) if (!web.includes(w)) web.push(w);
    for (const e of firstMatch(composed, EMAIL_SIGNALS, theirs)) if (!email.includes(e)) email.push(e);
  }
  const webReasons = (): RoleReason[] => [...web.map((signal): RoleReason => ({ id: 'has', signal })), ...(input.webFramework ? [{ id: 'webFramework' as const, framework: input.webFramework }] : [])];
  if (!inMailFolder && (ERROR_PAGE.test(rel) || RAILS_PUBLIC.test(rel))) web.push('errorPage');
  if (input.mjml) email.unshift('mjml');
  if (inMailFolder) email.push('mailFolder');
  if (input.mailFramework) email.push('mailLayout');
  const isWeb = () => web.length > 0 || !!input.webFramework;
  const webCount = () => web.length + (input.webFramework ? 1 : 0);

  // A partial of a web page (a Rails _form with its form, a nav snippet): no sign of mail, signs of
  // the web. Nothing of Deliverlint's applies to it.
  if (isWeb() && !email.length && !input.usesLayout) return { role: 'web', reasons: webReasons() };
  if (!input.usesLayout && (PART_NAME.test(base) || PART_FOLDER.test(rel))) {
    return { role: 'part', reasons: [PART_NAME.test(base) ? { id: 'partName', name: base } : { id: 'partFolder' }] };
  }
  if (input.fragment && !input.usesLayout && !input.mjml) {
    // A piece of markup with no page around it and no layout named: a partial, unless a mailer
    // folder says it is a message whose layout the framework applies.
    return inMailFolder ? { role: 'email', reasons: [{ id: 'fragmentInMailFolder' }] } : { role: 'part', reasons: [{ id: 'fragment' }] };
  }
  if (!isWeb() && !email.length) {
    if (!input.usesLayout && ERROR_PAGE_TITLE.test(text)) web.push('errorTitle');
    else if (!input.usesLayout && WEB_FOLDER.test(rel)) web.push('webFolder');
    // A web framework's view (ERB, Blade, EEx, Twig) renders pages unless something says mail: a
    // mail folder, a mail layout, the look of an email. A printable export is no message.
    else if (input.frameworkView && !input.layoutUnresolved) return { role: 'web', reasons: [{ id: 'viewOutsideMail', engine: input.frameworkView }] };
  }
  if (isWeb() && !email.length) return { role: 'web', reasons: webReasons() };
  if (!email.length && input.fragment && input.layoutUnresolved) {
    // Its <html> is in a layout nobody could read, and nothing here says email: not judged.
    return { role: 'undecided', reasons: [{ id: 'layoutUnresolved' }] };
  }
  if (isWeb() && email.length) {
    // Both: strong web structure outweighs a table or two; otherwise nobody can tell.
    if (webCount() >= 2 && email.length === 1 && !inMailFolder) return { role: 'web', reasons: webReasons() };
    // A dashboard page that lists or shows mail sits in an email folder too: page structure with
    // nothing but the folder for email is a page.
    if (webCount() >= 2 && email.length === 1 && inMailFolder) return { role: 'web', reasons: [...webReasons(), { id: 'onlyFolder' }] };
    // A form or a script, which no mail client runs, against only what old web pages share with
    // email (table layout, bgcolor): a saved web page.
    if (web.some((w) => PAGE_ONLY.has(w)) && email.every((e) => SHARED_WITH_OLD_PAGES.has(e))) return { role: 'web', reasons: webReasons() };
    return { role: 'undecided', reasons: [{ id: 'both', web, email }] };
  }
  return { role: 'email', reasons: email.length ? email.map((signal): RoleReason => ({ id: 'has', signal })) : [{ id: 'wholeDocument' }] };
}
