// Builds server/src/core/caniemail/data.json, the client support table client-unsupported reads, from
// the caniemail package's data (caniemail.com's feature tests). Run at build time, never at run time:
//   node test/tools/caniemail-data.mjs                 packs caniemail@CANIEMAIL_VERSION with npm and reads it
//   node test/tools/caniemail-data.mjs <caniemail.json> reads that file (the package's data/caniemail.json)
// The newest caniemail release wants Node 22 to install; `npm pack` only downloads the tarball, so any
// Node works. What is kept per feature: how it is recognised in markup (kind and names), and per client
// of CLIENTS the support of the CURRENT version (the last one the data lists): y, n, a (partial), u.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CANIEMAIL_VERSION = '2.0.2';
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'server', 'src', 'core', 'caniemail', 'data.json');

/** Client ids (ours) and where caniemail keeps them: family and platform. Order is the order of the support strings. */
const CLIENTS = [
  ['gmail-web', 'gmail', 'desktop-webmail'],
  ['gmail-ios', 'gmail', 'ios'],
  ['gmail-android', 'gmail', 'android'],
  ['gmail-mobile-web', 'gmail', 'mobile-webmail'],
  ['outlook-windows', 'outlook', 'windows'],
  ['outlook-windows-mail', 'outlook', 'windows-mail'],
  ['outlook-mac', 'outlook', 'macos'],
  ['outlook-com', 'outlook', 'outlook-com'],
  ['outlook-ios', 'outlook', 'ios'],
  ['outlook-android', 'outlook', 'android'],
  ['apple-mail-mac', 'apple-mail', 'macos'],
  ['apple-mail-ios', 'apple-mail', 'ios'],
  ['yahoo-web', 'yahoo', 'desktop-webmail'],
  ['yahoo-ios', 'yahoo', 'ios'],
  ['yahoo-android', 'yahoo', 'android'],
  ['aol-web', 'aol', 'desktop-webmail'],
  ['samsung-email', 'samsung-email', 'android'],
  ['thunderbird', 'thunderbird', 'macos'],
  ['protonmail-web', 'protonmail', 'desktop-webmail'],
  ['fastmail', 'fastmail', 'desktop-webmail'],
];

/**
 * Features whose absence degrades gracefully: a client without them shows the email as it would
 * without the declaration, and emails use them on purpose as enhancements (rounded corners, shadows,
 * hover states, media queries for responsive and dark mode, web fonts with a fallback stack, ARIA
 * and hints such as loading or srcset). Reporting them would flag nearly every well-made email.
 * Also left out: what every email has (<body>, the doctype, <style>, comments) and what needs more
 * than a name to recognise (selectors, units, image formats, input types, local anchors).
 */
const LEFT_OUT = new Set([
  'amp', 'bimi',
  'css-accent-color', 'css-animation', 'css-at-keyframes', 'css-at-font-face', 'css-at-supports',
  'css-at-media', 'css-at-media-device-pixel-ratio', 'css-at-media-hover', 'css-at-media-orientation',
  'css-at-media-prefers-color-scheme', 'css-at-media-prefers-reduced-motion',
  'css-backdrop-filter', 'css-background-blend-mode', 'css-mix-blend-mode', 'css-filter',
  'css-border-radius', 'css-border-radius-logical', 'css-box-shadow', 'css-text-shadow', 'css-box-sizing',
  'css-color-scheme', 'css-function-light-dark', 'css-cursor', 'css-outline', 'css-outline-offset',
  'css-opacity', 'css-transition', 'css-user-select', 'css-resize', 'css-scroll-snap', 'css-tab-size',
  'css-orphans', 'css-widows', 'css-hyphens', 'css-hyphenate-character', 'css-hyphenate-limit-chars',
  'css-font-kerning', 'css-font-stretch', 'css-font-size-adjust', 'css-text-decoration-color',
  'css-text-decoration-line', 'css-text-decoration-style', 'css-text-decoration-skip-ink',
  'css-text-decoration-thickness', 'css-text-underline-offset', 'css-text-underline-position',
  'css-text-emphasis', 'css-text-emphasis-position', 'css-text-align-last', 'css-text-justify',
  'css-text-wrap', 'css-white-space-collapse', 'css-word-break', 'css-word-spacing', 'css-word-wrap',
  'css-overflow-wrap', 'css-text-overflow', 'css-letter-spacing', 'css-important', 'css-comments',
  'css-inert-attribute', 'css-sytem-ui', 'css-rgb', 'css-rgba', 'css-modern-color', 'css-nesting',
  'html-aria-describedby', 'html-aria-hidden', 'html-aria-label', 'html-aria-labelledby', 'html-aria-live',
  'html-target', 'html-loading-attribute', 'html-srcset', 'html-required', 'html-wbr', 'html-abbr',
  'html-acronym', 'html-meta-color-scheme', 'html-body', 'html-doctype', 'html-style', 'html-comments',
  'html-anchor-links', 'html-mailto-links', 'html-lang', 'html-dir', 'html-role',
  // Yahoo turns height into min-height (a rename, not a loss); visibility:hidden hides preheaders
  // beside display:none and mso-hide, which do the work where it is missing.
  'css-height', 'css-visibility',
]);

/** Names of features the title alone does not give. */
const NAMES = {
  'css-border': ['border', 'border-width', 'border-style', 'border-color', 'border-top', 'border-bottom', 'border-left', 'border-right'],
  'css-gap': ['gap', 'column-gap', 'row-gap'],
  'css-grid-template': ['grid-template', 'grid-template-areas', 'grid-template-columns', 'grid-template-rows'],
  'css-left-right-top-bottom': ['left', 'right', 'top', 'bottom'],
  'css-flex-direction': ['flex-direction'],
  'css-flex-wrap': ['flex-wrap'],
  'css-font': ['font'],
  'css-height': ['height'],
  'css-width': ['width'],
  'css-max-height': ['max-height'],
  'css-min-height': ['min-height'],
  'css-min-width': ['min-width'],
  'css-block-inline-size': ['block-size', 'inline-size'],
  'css-inline-size': ['inline-size'],
  'css-column-layout-properties': ['column-fill', 'column-rule', 'column-rule-color', 'column-rule-style', 'column-rule-width', 'column-span', 'column-width', 'columns'],
  'html-semantics': ['article', 'aside', 'details', 'figcaption', 'figure', 'footer', 'header', 'main', 'mark', 'nav', 'section', 'summary', 'time'],
  'html-h1-h6': ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  'html-lists': ['ul', 'ol', 'dl'],
  'html-image-maps': ['map'],
  'html-srcset': ['srcset', 'sizes'],
};
/** Features recognised by a property's value: the property and the keywords. */
const VALUES = {
  'css-display-flex': ['display', ['flex', 'inline-flex']],
  'css-display-grid': ['display', ['grid', 'inline-grid']],
};
/** Features recognised by a function in any value. */
const FUNCTIONS = {
  'css-linear-gradient': ['linear-gradient', 'repeating-linear-gradient'],
  'css-radial-gradient': ['radial-gradient', 'repeating-radial-gradient'],
  'css-conic-gradient': ['conic-gradient', 'repeating-conic-gradient'],
  'css-unit-calc': ['calc'],
  'css-function-clamp': ['clamp'],
  'css-function-min': ['min'],
  'css-function-max': ['max'],
};
const AT_RULES = { 'css-at-import': ['import'] };
/** HTML features that are attributes (the rest named `<x> element` are elements). */
const ATTRIBUTES = { 'html-hidden': ['hidden'], 'html-popover': ['popover'] };
/** Elements that need a second attribute to tell (input types, buttons) are left out; these are plain. */
const ELEMENTS = { 'html-image-maps': ['map'], 'html-svg': ['svg'], 'html-form': ['form'], 'html-link': ['link'] };

const IDENT = /^-?[a-z][a-z0-9-]*$/;

function featureMatch(f) {
  const slug = f.slug;
  if (VALUES[slug]) return { kind: 'value', names: [VALUES[slug][0]], values: VALUES[slug][1] };
  if (FUNCTIONS[slug]) return { kind: 'function', names: FUNCTIONS[slug] };
  if (AT_RULES[slug]) return { kind: 'at-rule', names: AT_RULES[slug] };
  if (slug === 'css-variables') return { kind: 'custom-property', names: ['--*'] };
  if (f.category === 'css') {
    if (NAMES[slug]) return { kind: 'property', names: NAMES[slug] };
    const title = f.title.trim();
    if (IDENT.test(title) && slug === `css-${title}`) {
      const extra = String(f.keywords ?? '').split(',').map((k) => k.trim()).filter((k) => IDENT.test(k) && k.startsWith(`${title}-`));
      return { kind: 'property', names: [title, ...extra] };
    }
    return null;
  }
  if (f.category === 'html') {
    if (ATTRIBUTES[slug]) return { kind: 'attribute', names: ATTRIBUTES[slug] };
    if (ELEMENTS[slug]) return { kind: 'element', names: ELEMENTS[slug] };
    if (NAMES[slug]) return { kind: 'element', names: NAMES[slug] };
    const m = /^<([a-z][a-z0-9]*)> element$/.exec(f.title.trim());
    if (m && !/type=/.test(f.title)) return { kind: 'element', names: [m[1]] };
  }
  return null;
}

/** The support of the current version: the last version the data lists for that client. */
function currentSupport(f, family, platform) {
  const versions = f.stats?.[family]?.[platform];
  if (!versions) return 'u';
  const entries = Object.entries(versions);
  if (!entries.length) return 'u';
  const s = String(entries[entries.length - 1][1]).trim().charAt(0);
  return s === 'y' || s === 'n' || s === 'a' ? s : 'u';
}

function readSource(file) {
  if (file) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caniemail-'));
  try {
    execFileSync('npm', ['pack', `caniemail@${CANIEMAIL_VERSION}`, '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const tgz = fs.readdirSync(dir).find((n) => n.endsWith('.tgz'));
    execFileSync('tar', ['xzf', tgz, 'package/data/caniemail.json'], { cwd: dir });
    return JSON.parse(fs.readFileSync(path.join(dir, 'package', 'data', 'caniemail.json'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function build(source) {
  const features = [];
  for (const f of source.data) {
    if (LEFT_OUT.has(f.slug)) continue;
    const match = featureMatch(f);
    if (!match) continue;
    const support = CLIENTS.map(([, family, platform]) => currentSupport(f, family, platform)).join('');
    // Supported (or unknown) everywhere: nothing to report, nothing to ship.
    if (!/[na]/.test(support)) continue;
    features.push({ id: f.slug, title: f.title.trim(), ...match, support });
  }
  return {
    source: `caniemail ${CANIEMAIL_VERSION}`,
    updated: String(source.last_update_date).slice(0, 10),
    clients: CLIENTS.map(([id]) => id),
    features,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const data = build(readSource(process.argv[2]));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(data) + '\n');
  process.stdout.write(`${path.relative(process.cwd(), OUT)}: ${data.features.length} features, ${fs.statSync(OUT).size} bytes, data of ${data.updated}\n`);
}
