// Where a reference's file is, by each engine's lookup rules and the usual project layouts: the
// same folder, partials/, layouts/, components/, a leading underscore, Rails' mailer layouts,
// Django and Twig template folders, Laravel's resources/views. Pure: it lists candidate paths, in
// the order they are tried; the caller reads them through the injected reader.

import * as path from 'node:path';
import type { Engine, TemplateReference } from './references';

/** How far up from the template the lookups go when no configuration root bounds them. */
const MAX_LEVELS = 6;
/** Candidates tried for one reference, at most. */
const MAX_CANDIDATES = 160;

/** A layout no file in the repository holds: the framework renders it. */
export interface FrameworkLayout {
  framework: string;
  /** The layout's visible text, as far as it matters (no unsubscribe link, no postal address). */
  text: string;
  /** It renders web pages (a profiler panel, a form theme, a pager), never mail. */
  web?: boolean;
}

// Laravel's markdown mail layout (mail::message): an HTML shell with the app's name and a
// copyright line; no unsubscribe link and no postal address.
const LARAVEL_MAIL: FrameworkLayout = { framework: 'Laravel mail::message', text: '' };

/** The folders from `dir` up to `root` (inclusive), or MAX_LEVELS of them. */
function ancestors(dir: string, root: string | undefined): string[] {
  const out: string[] = [];
  let current = dir;
  for (let i = 0; i <= MAX_LEVELS; i++) {
    out.push(current);
    if (root && (current === root || !current.startsWith(root))) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return out;
}

/** The nearest folder named `name` above `dir` (e.g. Rails' and Laravel's `views`). */
function nearestNamed(dir: string, name: string): string | undefined {
  let current = dir;
  for (let i = 0; i <= MAX_LEVELS + 2; i++) {
    if (path.basename(current) === name) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** The folders a Twig namespace (@AcmeShop/...) may name: AcmeShopBundle, ShopBundle. */
function twigBundleFolders(name: string): string[] {
  const m = /^@([A-Z][\w]{0,80})\//.exec(name);
  if (!m) return [];
  const ns = m[1]!;
  const out = [`${ns}Bundle`];
  // Drop the leading vendor word(s) at each capital: SyliusCore -> Core.
  for (let i = 1; i < ns.length && out.length < 4; i++) if (ns[i]! >= 'A' && ns[i]! <= 'Z') out.push(`${ns.slice(i)}Bundle`);
  return out;
}

function withExtensions(base: string, exts: readonly string[]): string[] {
  return path.extname(base) ? [base, ...exts.map((e) => base + e)] : exts.map((e) => base + e);
}

function underscored(p: string): string {
  return path.join(path.dirname(p), `_${path.basename(p)}`);
}

const HANDLEBARS_EXTS = ['.hbs', '.handlebars', '.html', '.mustache'];
const LIQUID_EXTS = ['.liquid', '.html'];
const GO_EXTS = ['.tmpl', '.gohtml', '.html', '.tpl'];
const EXTENSIONS_BY_ENGINE: Record<Engine, readonly string[]> = {
  handlebars: HANDLEBARS_EXTS,
  jinja: ['.html', '.j2', '.jinja', '.njk', '.twig', '.html.twig'],
  liquid: LIQUID_EXTS,
  go: GO_EXTS,
  erb: ['.html.erb', '.erb'],
  eex: ['.html.heex', '.html.eex'],
  blade: ['.blade.php'],
  maizzle: ['.html'],
  mjml: ['.mjml'],
  html: ['.html'],
};

/** Candidate files for `ref` made in `fromFile`, most likely first. */
export function candidatePaths(ref: TemplateReference, fromFile: string, root: string | undefined, templatePaths: readonly string[] = []): string[] {
  const name = ref.name;
  if (!name) return [];
  const fromDir = path.dirname(fromFile);
  const ups = ancestors(fromDir, root);
  const out: string[] = [];
  const known = new Set<string>();
  const add = (...paths: string[]) => {
    for (const p of paths) {
      if (out.length >= MAX_CANDIDATES || known.has(p)) continue;
      known.add(p);
      out.push(p);
    }
  };
  const relative = name.startsWith('./') || name.startsWith('../');
  switch (ref.engine) {
    case 'handlebars': {
      if (relative) add(...withExtensions(path.resolve(fromDir, name), HANDLEBARS_EXTS));
      const folders = ref.kind === 'layout' ? ['layouts', '', 'partials', 'templates/layouts'] : ['', 'partials', 'components', 'includes', '_partials', 'layouts', 'templates/partials'];
      for (const d of ups) {
        for (const f of folders) {
          const base = path.join(d, f, name);
          add(...withExtensions(base, HANDLEBARS_EXTS), ...withExtensions(underscored(base), HANDLEBARS_EXTS));
        }
      }
      break;
    }
    case 'jinja': {
      // Twig namespaces (@Email/footer.html.twig) name a bundle's templates folder: try the rest.
      const bare = name.replace(/^@[\w-]+\//, '');
      if (relative) add(path.resolve(fromDir, bare));
      const bundles = twigBundleFolders(name);
      for (const d of ups) {
        add(path.join(d, bare), path.join(d, 'templates', bare), path.join(d, 'views', bare));
        // Symfony: @AcmeShop/x names AcmeShopBundle's Resources/views or templates folder; bundles
        // of a vendor sit side by side (src/Acme/Bundle/ShopBundle), often without the vendor prefix.
        for (const b of bundles) add(path.join(d, b, 'Resources', 'views', bare), path.join(d, b, 'templates', bare));
      }
      break;
    }
    case 'liquid': {
      for (const d of ups) {
        if (ref.kind === 'layout') add(...withExtensions(path.join(d, '_layouts', name), LIQUID_EXTS), ...withExtensions(path.join(d, 'layouts', name), LIQUID_EXTS));
        add(
          path.join(d, '_includes', name),
          ...withExtensions(path.join(d, 'snippets', name), LIQUID_EXTS),
          ...withExtensions(path.join(d, 'sections', name), LIQUID_EXTS),
          ...withExtensions(path.join(d, name), LIQUID_EXTS),
          ...withExtensions(path.join(d, 'partials', name), LIQUID_EXTS),
          ...withExtensions(underscored(path.join(d, name)), LIQUID_EXTS),
        );
      }
      break;
    }
    case 'go': {
      for (const d of ups) for (const f of ['', 'templates', 'layouts', 'partials']) add(...withExtensions(path.join(d, f, name), GO_EXTS));
      break;
    }
    case 'erb':
    case 'eex': {
      const exts = ref.engine === 'erb' ? ['.html.erb', '.erb'] : ['.html.heex', '.html.eex', '.heex', '.eex'];
      const views = nearestNamed(fromDir, 'views') ?? nearestNamed(fromDir, 'templates');
      const dirs = name.includes('/') && views ? [views] : [fromDir, ...(views ? [views] : [])];
      for (const d of dirs) {
        const base = path.join(d, name);
        add(...exts.map((e) => underscored(base) + e), ...withExtensions(base, exts));
      }
      break;
    }
    case 'blade': {
      const views = nearestNamed(fromDir, 'views');
      const roots = views ? [views] : ups;
      if (name.startsWith('x-')) {
        const component = name.slice(2).replace(/::/g, '/').replace(/\./g, '/');
        for (const r of roots) add(path.join(r, 'components', `${component}.blade.php`), path.join(r, 'components', component, 'index.blade.php'));
      } else if (name.startsWith('mail::')) {
        // Published copies of the framework's mail layouts live under vendor/mail/html.
        for (const r of roots) add(path.join(r, 'vendor', 'mail', 'html', `${name.slice(6)}.blade.php`));
      } else {
        const file = name.replace(/^[\w-]+::/, '').replace(/\./g, '/');
        for (const r of roots) add(path.join(r, `${file}.blade.php`), path.join(r, `${file}.php`));
      }
      break;
    }
    case 'maizzle': {
      if (name.startsWith('x-')) {
        const component = name.slice(2).replace(/\./g, '/');
        // Maizzle 5 looks components up in components/ and layouts/ (<x-main> is layouts/main.html).
        for (const d of ups) {
          add(path.join(d, 'src', 'components', `${component}.html`), path.join(d, 'components', `${component}.html`));
          add(path.join(d, 'src', 'layouts', `${component}.html`), path.join(d, 'layouts', `${component}.html`));
        }
      } else {
        add(path.resolve(fromDir, name));
        for (const d of ups) add(path.join(d, name));
      }
      break;
    }
    default:
      add(path.resolve(fromDir, name));
  }
  // The folders the configuration names, for whatever the conventions above do not find.
  const exts = EXTENSIONS_BY_ENGINE[ref.engine];
  const file = ref.engine === 'blade' ? `${name.replace(/^x-/, 'components/').replace(/\./g, '/')}` : name;
  for (const folder of templatePaths) {
    const base = path.resolve(root ?? fromDir, folder, file);
    add(...withExtensions(base, exts), ...withExtensions(underscored(base), exts));
  }
  return out;
}

// Templates that Symfony, Django and their common packages ship for web pages: the profiler's
// panels, form themes, menus, pagers and tables, Django's admin. A template built on one is a page.
const WEB_FRAMEWORK_TEMPLATES: ReadonlyArray<[RegExp, string]> = [
  [/^@WebProfiler\//, 'the Symfony profiler'],
  [/^(?:@[\w-]{1,60}\/)?(?:form_div|form_table|bootstrap_[345](?:_horizontal)?|foundation_[56]|tailwind_2)_layout\.html\.twig$/, 'a Symfony form theme'],
  [/^(?:@KnpMenu\/)?knp_menu(?:_ordered)?\.html\.twig$/, 'KnpMenu'],
  [/^@(?:BabDev)?Pagerfanta\//, 'Pagerfanta'],
  [/^(?:django_tables2|rest_framework|admin)\/[\w/.-]{1,100}\.html$/, 'a Django app'],
];

/** The layout a framework supplies for `ref` when no file in the repository holds it. */
export function frameworkLayout(ref: TemplateReference): FrameworkLayout | undefined {
  if (!ref.name) return undefined;
  if (ref.engine === 'blade') {
    if (/^(?:x-)?mail::(?:message|layout)$/.test(ref.name)) return LARAVEL_MAIL;
    // The other markdown mail components (button, panel, table, subcopy ...) render inside it.
    if (/^(?:x-)?mail::[\w.-]+$/.test(ref.name)) return { framework: `Laravel ${ref.name.replace(/^x-/, '')}`, text: '' };
  }
  if (ref.engine === 'jinja') {
    for (const [re, framework] of WEB_FRAMEWORK_TEMPLATES) if (re.test(ref.name)) return { framework, text: '', web: true };
  }
  return undefined;
}

/**
 * The layout Rails gives a mailer view that names none: `layouts/<mailer>.html.erb` when it exists,
 * else `layouts/mailer.html.erb` (what ApplicationMailer's generated `layout 'mailer'` picks).
 */
export function conventionalLayouts(fromFile: string, engine: Engine, text = '', readClass?: (p: string) => string | undefined): string[] {
  if (engine === 'handlebars' || engine === 'html') return paniniLayouts(fromFile, text);
  const dir = path.dirname(fromFile);
  if (engine === 'eex') {
    // Phoenix (Swoosh with Phoenix views): the email layout beside the email templates' folder.
    if (!/^(?:emails?|mailers?|notifiers?)$/i.test(path.basename(dir)) || path.basename(fromFile).startsWith('_')) return [];
    const parent = path.dirname(dir);
    return ['layout', 'layouts'].flatMap((l) => ['email.html.heex', 'email.html.eex'].map((f) => path.join(parent, l, f)));
  }
  if (engine !== 'erb') return [];
  const mailer = path.basename(dir);
  const views = nearestNamed(dir, 'views');
  if (!views || !/_mailer$/.test(mailer) || path.basename(fromFile).startsWith('_')) return [];
  // The mailer's path under views/ (spree/carton_mailer): its class file under mailers/ has the same.
  const classPath = path.relative(views, dir);
  const mailers = path.join(path.dirname(views), 'mailers');
  const out: string[] = [];
  // A layout the class names (`layout 'store/base_mailer'`) first; else Rails looks for
  // layouts/<mailer path>, then the same for each parent class (CartonMailer < BaseMailer gives
  // layouts/spree/base_mailer), then ApplicationMailer's. The class files say which.
  let current: string | undefined = classPath;
  for (let hops = 0; current && hops < 5; hops++) {
    const source: string | undefined = readClass?.(path.join(mailers, `${current}.rb`));
    const declared = source && /^\s*layout\s*\(?\s*['"]([\w./-]{1,200})['"]/m.exec(source);
    if (declared) {
      out.push(path.join(views, 'layouts', `${declared[1]}.html.erb`));
      break;
    }
    out.push(path.join(views, 'layouts', `${current}.html.erb`));
    const parent: RegExpExecArray | null | undefined | '' = source && /^\s*class\s+[\w:]+\s*<\s*([\w:]+)/m.exec(source);
    if (!parent || /^(?:::)?ActionMailer::Base$/.test(parent[1]!)) break;
    // Spree::BaseMailer or BaseMailer inside `module Spree`: beside the class, by its snake_case name.
    const snake: string = parent[1]!.replace(/^.*::/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    current = path.join(path.dirname(current), snake).replace(/^\.[\\/]/, '');
  }
  out.push(path.join(views, 'layouts', `${mailer}.html.erb`), path.join(views, 'layouts', 'mailer.html.erb'));
  const application = readClass?.(path.join(mailers, 'application_mailer.rb'));
  const appLayout = application && /^\s*layout\s*\(?\s*['"]([\w./-]{1,200})['"]/m.exec(application);
  if (appLayout) out.push(path.join(views, 'layouts', `${appLayout[1]}.html.erb`));
  return [...new Set(out)];
}

/** The `layout:` of a YAML front matter block at the text's start (its first 40 lines). */
function frontMatterLayout(text: string): string | undefined {
  if (!text.startsWith('---')) return undefined;
  const lines = text.slice(0, 4000).split('\n', 41);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '---') return undefined;
    const m = /^layout:\s*["']?([\w.-]{1,100})/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Panini (Foundation for Emails): a page under `pages/` is wrapped in `layouts/default.html` beside
 * that folder, or in the layout its front matter names (`layout: index-layout`).
 */
function paniniLayouts(fromFile: string, text: string): string[] {
  const pages = nearestNamed(path.dirname(fromFile), 'pages');
  if (!pages) return [];
  const named = frontMatterLayout(text);
  if (named === 'none' || named === 'false') return [];
  const layouts = path.join(path.dirname(pages), 'layouts');
  return withExtensions(path.join(layouts, named ?? 'default'), HANDLEBARS_EXTS);
}
