// The plain-text twin of an HTML email: frameworks send both as one multipart/alternative message
// (Rails `welcome.html.erb` + `welcome.text.erb`, Django and Symfony `x.html` + `x.txt`, Laravel
// `view:` + `text:` views such as `x_plain.blade.php`, Phoenix `x.html.heex` + `x.text.eex`).
// Pure: names only; the composition looks them up through the injected reader.

import * as path from 'node:path';

const TEXT_MARKS = ['text', 'txt', 'plain'];

/** The names the plain-text twin of the HTML template `base` may have, most likely first. */
export function textTwinNames(base: string): string[] {
  const blade = /^(.{1,200})\.blade\.php$/i.exec(base);
  if (blade) {
    const stem = blade[1]!;
    return [`${stem}_plain`, `${stem}-plain`, `${stem}.text`, `${stem}.plain`, `${stem}_text`, `${stem}-text`].map((s) => `${s}.blade.php`);
  }
  const html = /^(.{1,200})\.(?:html?|xhtml)(\.[\w-]{1,20})?$/i.exec(base);
  if (html) {
    const [, stem, engine = ''] = html;
    const out = TEXT_MARKS.map((m) => `${stem}.${m}${engine}`);
    // Phoenix pairs HEEx HTML with EEx text (welcome.html.heex + welcome.text.eex).
    if (/^\.(?:heex|leex)$/i.test(engine)) out.push(`${stem}.text.eex`);
    if (engine) out.push(`${stem}.txt`, `${stem}.text`);
    return out;
  }
  const other = /^(.{1,200})(\.(?:hbs|handlebars|mustache|njk|liquid|mjml|twig|jinja2?|j2|tmpl|gohtml|tpl))$/i.exec(base);
  if (other) {
    const [, stem, engine] = other;
    return [`${stem}.txt`, `${stem}.text`, `${stem}.txt${engine}`, `${stem}.text${engine}`];
  }
  return [];
}

/** The names the HTML twin of the plain-text template `base` may have; empty when the name does not say plain text. */
export function htmlTwinNames(base: string): string[] {
  const blade = /^(.{1,200}?)(?:[_-](?:plain|text)|\.(?:plain|text))\.blade\.php$/i.exec(base);
  if (blade) return [`${blade[1]}.blade.php`];
  const text = /^(.{1,200})\.(?:text|txt|plain)(\.[\w-]{1,20})?$/i.exec(base);
  if (!text) return [];
  const [, stem, engine = ''] = text;
  if (/^\.eex$/i.test(engine)) return [`${stem}.html.eex`, `${stem}.html.heex`];
  if (engine) return [`${stem}.html${engine}`, `${stem}${engine}`];
  return [`${stem}.html`, `${stem}.htm`, `${stem}.hbs`, `${stem}.mjml`, `${stem}.html.twig`, `${stem}.html.j2`];
}

/** The first of `names` beside `file` that the listing (or, without one, a read) finds, with its text. */
export function findTwin(file: string, names: readonly string[], listDir: ((dir: string) => ReadonlySet<string> | undefined) | undefined, readFile: (p: string) => string | undefined): { path: string; text: string } | undefined {
  if (!names.length) return undefined;
  const dir = path.dirname(file);
  const listed = listDir?.(dir);
  for (const name of names) {
    if (listed && !listed.has(name)) continue;
    const target = path.join(dir, name);
    if (target === file) continue;
    const text = readFile(target);
    if (text !== undefined) return { path: target, text };
  }
  return undefined;
}

// An unsubscribe in plain text: a URL or a template expression that says unsubscribe, or one on a
// line whose wording says so ("Unsubscribe: <%= @unsubscribe_url %>", "配信停止はこちら https://...").
const TEXT_UNSUBSCRIBE_TARGET = /(?:https?:\/\/[^\s<>"']{0,300}?|<%[^%\n]{0,300}?|\{\{[^}\n]{0,300}?|\{%[^%\n]{0,300}?|\{!![^!\n]{0,300}?)(?:unsubscri|opt[-_]?out|list[-_]unsubscribe)/i;
const TEXT_UNSUBSCRIBE_LINE = /(?:unsubscri|opt[- ]?out|配信停止|配信解除|購読解除|受信拒否)[^\n]{0,200}?(?:https?:\/\/|<%|\{\{|\{%|\{!!|\*\||%%|\[\[)/i;
const ESP_UNSUBSCRIBE = /\*\|UNSUB\|\*|%%unsub[\w_]*%%|<%asm_[\w_]*%>|\[\[UNSUB_LINK_\w+\]\]|\{\{\{?\s*(?:unsubscribe|UnsubscribeURL|amazonSESUnsubscribeUrl|unsubscribe_link|unsubscribe_url)\b|\{\{\{?\s*pm:unsubscribe/i;

/** True when plain text offers a way to unsubscribe (a link or an ESP unsubscribe tag). */
export function textHasUnsubscribe(text: string): boolean {
  const t = text.length > 200_000 ? text.slice(0, 200_000) : text;
  return TEXT_UNSUBSCRIBE_TARGET.test(t) || TEXT_UNSUBSCRIBE_LINE.test(t) || ESP_UNSUBSCRIBE.test(t);
}
