// The code that sends a template says what it is for: a Rails mailer (app/mailers/newsletter_mailer.rb,
// its method and the subject it sets), a Laravel Mailable or Notification (`class OrderShipped extends
// Mailable` naming `emails.orders.shipped`), a Django function that renders the template
// (`def send_password_reset(...): render_to_string("accounts/emails/reset.html")`). Read through the
// injected reader, bounded in files and characters; the words are weighed by classify.ts.

import * as path from 'node:path';
import type { FileReader } from '../types';

export interface MailerSource {
  /** How the code names the sender: `NewsletterMailer#weekly_digest`, `App\Mail\OrderShipped`, `send_reset() in accounts/emails.py`. */
  label: string;
  /** Names that say what the mail is for (class, method, function), in the order they count. */
  names: string[];
  /** The subject line the code sets, when it is a plain string. */
  subject?: string;
}

/** Source files read for one template, at most, and characters read of each. */
const MAX_SOURCES = 60;
const MAX_SOURCE_CHARS = 200_000;

function readBounded(reader: FileReader, file: string): string | undefined {
  const text = reader.readFile(file);
  return text === undefined ? undefined : text.length > MAX_SOURCE_CHARS ? text.slice(0, MAX_SOURCE_CHARS) : text;
}

/** The folder named `name` nearest above `dir` (at most 10 levels). */
function nearestNamed(dir: string, name: string): string | undefined {
  let current = dir;
  for (let i = 0; i < 10; i++) {
    if (path.basename(current) === name) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** The text of the Ruby/PHP/Python method `name` (to the next definition), or undefined. */
function methodBody(source: string, re: RegExp): string | undefined {
  const m = re.exec(source);
  if (!m) return undefined;
  const rest = source.slice(m.index + m[0].length, m.index + m[0].length + 4000);
  const next = /\n\s*(?:def|public function|protected function|private function|function)\s/.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

const SUBJECT = /\bsubject\s*(?::|=>|=|\()\s*(?:__\(\s*)?(["'])([^"'\n]{1,200})\1/;

/** Rails: app/views/<path>_mailer/<action>.html.erb is sent by app/mailers/<path>_mailer.rb#<action>. */
function rails(file: string, reader: FileReader): MailerSource | undefined {
  const dir = path.dirname(file);
  if (!/_mailer$/.test(path.basename(dir))) return undefined;
  const views = nearestNamed(dir, 'views');
  if (!views) return undefined;
  const classPath = path.relative(views, dir);
  const source = readBounded(reader, path.join(path.dirname(views), 'mailers', `${classPath}.rb`));
  if (!source) return undefined;
  const cls = /^\s*class\s+([\w:]{1,200})\s*</m.exec(source)?.[1];
  if (!cls) return undefined;
  const action = path.basename(file).replace(/\..*$/, '');
  const body = methodBody(source, new RegExp(`^\\s*def\\s+${action.replace(/[^\w]/g, '')}\\b`, 'm'));
  const subject = body && SUBJECT.exec(body)?.[2];
  return { label: body !== undefined ? `${cls}#${action}` : cls, names: body !== undefined ? [action, cls] : [cls], ...(subject && { subject }) };
}

// What a folder's sender classes say, per stable reader (one CLI run), so the emails of a folder do
// not read the same classes again; without a stable reader (the editor) they are read each time.
const indexes = new WeakMap<FileReader, Map<string, Map<string, MailerSource>>>();
function indexOf(reader: FileReader, key: string, build: () => Map<string, MailerSource>): Map<string, MailerSource> {
  if (!reader.stable) return build();
  let byKey = indexes.get(reader);
  if (!byKey) indexes.set(reader, (byKey = new Map()));
  let index = byKey.get(key);
  if (!index) byKey.set(key, (index = build()));
  return index;
}

// view: 'emails.orders.shipped', ->view('emails.orders.shipped'), markdown: "...", ->markdown(...), text: ...
const LARAVEL_VIEW = /(?:\b(?:view|markdown|html|text)\s*:\s*|->\s*(?:view|markdown|text)\s*\(\s*)(["'])([\w.:/-]{1,200})\1/g;

/** Laravel: the Mailable or Notification whose view/markdown names this Blade view. */
function laravel(file: string, reader: FileReader): MailerSource | undefined {
  const views = nearestNamed(path.dirname(file), 'views');
  if (!views) return undefined;
  const view = path.relative(views, file).replace(/\.blade\.php$/, '').split(path.sep).join('.');
  const app = path.join(path.dirname(path.dirname(views)), 'app');
  const index = indexOf(reader, `laravel\0${app}`, () => {
    const out = new Map<string, MailerSource>();
    let budget = MAX_SOURCES;
    for (const folder of ['Mail', 'Notifications']) {
      const dir = path.join(app, folder);
      for (const name of [...(reader.listDir?.(dir) ?? [])].sort()) {
        if (!name.endsWith('.php') || budget-- <= 0) continue;
        const source = readBounded(reader, path.join(dir, name));
        const cls = source && /\bclass\s+(\w{1,200})\s+extends\s+\w{1,100}/.exec(source);
        if (!source || !cls) continue;
        const subject = SUBJECT.exec(source)?.[2];
        const sender: MailerSource = { label: `App\\${folder}\\${cls[1]}`, names: [cls[1]!], ...(subject && { subject }) };
        for (const m of source.matchAll(LARAVEL_VIEW)) if (!out.has(m[2]!)) out.set(m[2]!, sender);
      }
    }
    return out;
  });
  return index.get(view);
}

// A template named in Python: "accounts/emails/reset.html".
const PY_TEMPLATE = /(["'])([\w./-]{1,200}\.(?:html|txt))\1/g;
// Where Django keeps mail templates: only those are looked up (a site has far more page templates).
const DJANGO_MAIL_PLACE = /(?:^|[\\/])(?:e-?mails?|mails?|mailers?|notifications?|newsletters?)(?:[\\/]|_|\.|-)/i;

/** Django: a function in the app's Python files that renders this template. */
function django(file: string, reader: FileReader): MailerSource | undefined {
  if (!/\.(?:html|txt)$/.test(file)) return undefined;
  const templates = nearestNamed(path.dirname(file), 'templates');
  if (!templates) return undefined;
  const name = path.relative(templates, file).split(path.sep).join('/');
  if (!DJANGO_MAIL_PLACE.test(name)) return undefined;
  const app = path.dirname(templates);
  const index = indexOf(reader, `django\0${app}`, () => {
    const out = new Map<string, MailerSource>();
    let budget = MAX_SOURCES;
    for (const py of [...(reader.listDir?.(app) ?? [])].sort()) {
      if (!py.endsWith('.py') || budget-- <= 0) continue;
      const source = readBounded(reader, path.join(app, py));
      if (!source || !/\.(?:html|txt)["']/.test(source)) continue;
      for (const m of source.matchAll(PY_TEMPLATE)) {
        if (out.has(m[2]!)) continue;
        const before = source.slice(Math.max(0, m.index! - 6000), m.index!);
        const defs = [...before.matchAll(/^[ \t]*(def|class)\s+(\w{1,200})/gm)];
        const fn = defs.filter((d) => d[1] === 'def').pop()?.[2];
        const cls = defs.filter((d) => d[1] === 'class').pop()?.[2];
        if (!fn && !cls) continue;
        const near = source.slice(Math.max(0, m.index! - 1500), m.index! + 1500);
        const subject = SUBJECT.exec(near)?.[2];
        out.set(m[2]!, { label: `${fn ?? cls}() in ${path.basename(app)}/${py}`, names: [fn, cls].filter((x): x is string => !!x), ...(subject && { subject }) });
      }
    }
    return out;
  });
  return index.get(name);
}

// Swoosh with Phoenix.View: render_body("welcome.html", assigns) or render_body(:welcome, ...);
// Bamboo: render(email, "welcome.html", ...) or |> render(:welcome).
const PHOENIX_RENDER = /\brender(?:_body)?\(\s*(?:[\w@]{1,60}\s*,\s*)?(?:"([\w.-]{1,200})"|:([\w]{1,200}))/g;

/** Phoenix: the function of a Swoosh or Bamboo email module (lib/<app>/, lib/<app>/emails/ ...) that renders this template. */
function phoenix(file: string, reader: FileReader): MailerSource | undefined {
  const lib = nearestNamed(path.dirname(file), 'lib');
  if (!lib) return undefined;
  const template = path.basename(file).replace(/\.(?:heex|eex|leex)$/, '');
  const index = indexOf(reader, `phoenix\0${lib}`, () => {
    const out = new Map<string, MailerSource>();
    let budget = MAX_SOURCES;
    // The web app's folder under lib/ (harbor_web) names the app (harbor); email modules live in
    // either, or in a folder of emails, mailers or notifiers inside them.
    const web = path.relative(lib, file).split(path.sep)[0]!;
    const apps = [...new Set([web.replace(/_web$/, ''), web])];
    const folders = apps.flatMap((app) => ['', 'emails', 'email', 'mailer', 'mailers', 'notifiers', 'notifications'].map((sub) => path.join(lib, app, sub)));
    for (const folder of folders) {
      for (const name of [...(reader.listDir?.(folder) ?? [])].sort()) {
        if (!name.endsWith('.ex') || budget <= 0) continue;
        const source = readBounded(reader, path.join(folder, name));
        if (!source || !source.includes('render')) continue;
        budget--;
        const module = /defmodule\s+([\w.]{1,200})/.exec(source)?.[1];
        for (const m of source.matchAll(PHOENIX_RENDER)) {
          const key = m[1] ?? `${m[2]}.html`;
          if (out.has(key)) continue;
          const before = source.slice(Math.max(0, m.index! - 4000), m.index!);
          const def = [...before.matchAll(/^\s*defp?\s+(\w{1,200})/gm)].pop();
          const fn = def?.[1];
          if (!fn) continue;
          // The subject set in the same function (before the render, or in the pipe just after it).
          const body = source.slice(Math.max(0, m.index! - 4000) + def.index!, m.index! + 500);
          const nextDef = /\n\s*defp?\s/.exec(body.slice(def[0].length));
          const subject = SUBJECT.exec(nextDef ? body.slice(0, def[0].length + nextDef.index) : body)?.[2];
          out.set(key, { label: `${module ?? name}.${fn}`, names: [fn, ...(module ? [module.replace(/^.*\./, '')] : [])], ...(subject && { subject }) });
        }
      }
    }
    return out;
  });
  return index.get(template);
}

/** The mailer code that sends `file`, when a framework's conventions find it. */
export function mailerSource(file: string, reader: FileReader | undefined): MailerSource | undefined {
  if (!reader) return undefined;
  const f = path.resolve(file);
  if (f.endsWith('.erb')) return rails(f, reader);
  if (f.endsWith('.blade.php')) return laravel(f, reader);
  if (/\.(?:heex|eex|leex)$/.test(f)) return phoenix(f, reader);
  return django(f, reader);
}
