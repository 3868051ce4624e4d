// Layered configuration: rule defaults -> .deliverlintrc.json (nearest in the file's folder or a
// parent) -> editor settings -> inline directives (applied by the engine). This file parses and
// merges; reading files is the host's job.

import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, ParseErrorCode, parseTree, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import { interpolate, term } from './messages';
import { closestName } from './suggest';
import { DEFAULT_TARGETS, TARGET_NAMES } from './caniemail';
import { ESPS, JURISDICTIONS, SEVERITIES, type ConsentConfig, type Esp, type Jurisdiction, type Locale, type ResolvedConfig, type RuleSetting, type SenderConfig } from './types';

export const CONFIG_FILE_NAMES = ['.deliverlintrc.json', '.deliverlintrc'] as const;

// Templates, raw messages, campaign files, and JSON (kept only when its content is an SES or
// SendGrid payload: other JSON is skipped without a finding).
//
// The templates of web frameworks and generic template engines (Rails and Phoenix views, Blade,
// Twig, Jinja, Go templates, Smarty, Mustache) are mostly web pages, so they are taken only where
// the path says mail: a folder or file name containing "mail" (user_mailer/, emails/, mail/,
// layouts/mailer.html.erb, password_reset_email.html.twig). Within those, ERB, EEx and Jinja `.j2`
// only as `.html.*` (they template anything: `.text.erb`, `nginx.conf.j2`); for the others
// detectKind (input.ts) reads the name and the content and skips plain-text templates.
const MAIL_VIEWS = '{html.erb,html.eex,html.heex,blade.php,twig,html.j2,jinja,jinja2,mustache,tpl,tmpl,gohtml}';
export const DEFAULT_FILES = [
  '**/*.{html,htm,mjml,hbs,handlebars,njk,liquid}',
  `**/*[mM]ail*/**/*.${MAIL_VIEWS}`,
  `**/*[mM]ail*.${MAIL_VIEWS}`,
  '**/*.eml',
  '**/*.campaign.{yaml,yml,json}',
  '**/*.json',
  // CloudFormation and SAM templates are YAML or JSON too: kept only when the content is one.
  '**/*.{yaml,yml}',
  // Terraform: SES and SendGrid resources.
  '**/*.tf',
];
export const DEFAULT_IGNORE = ['**/node_modules/**', '**/.git/**', '**/dist/**'];

/** What one layer (rc file or editor settings) may set; absent keys leave the layer below alone. */
export interface ConfigLayer {
  rules?: Record<string, RuleSetting>;
  esp?: Esp;
  jurisdictions?: Jurisdiction[];
  transactional?: string[];
  emails?: string[];
  parts?: string[];
  templatePaths?: string[];
  includeRoots?: string[];
  marketing?: string[];
  sender?: SenderConfig;
  files?: string[];
  ignore?: string[];
  senderDomains?: string[];
  consent?: Partial<ConsentConfig>;
  payloads?: Partial<ResolvedConfig['payloads']>;
  targets?: string[];
  targetsPartial?: boolean;
}

export function defaultConfig(): ResolvedConfig {
  return {
    rules: {},
    esp: 'none',
    jurisdictions: ['us'],
    transactional: [],
    emails: [],
    parts: [],
    templatePaths: [],
    includeRoots: [],
    marketing: [],
    sender: {},
    files: [...DEFAULT_FILES],
    ignore: [...DEFAULT_IGNORE],
    senderDomains: [],
    payloads: { ses: [], sendgrid: [] },
    consent: { tagPrefix: 'consent_', requireInPayloads: false },
    targets: [...DEFAULT_TARGETS],
  };
}

export function mergeConfig(base: ResolvedConfig, layer: ConfigLayer | undefined): ResolvedConfig {
  if (!layer) return base;
  const sender: SenderConfig = { ...base.sender };
  for (const [k, v] of Object.entries(layer.sender ?? {}) as Array<[keyof SenderConfig, string | undefined]>) {
    if (typeof v === 'string' && v.trim() !== '') sender[k] = v;
  }
  return {
    ...base,
    rules: { ...base.rules, ...(layer.rules ?? {}) },
    esp: layer.esp ?? base.esp,
    jurisdictions: layer.jurisdictions ?? base.jurisdictions,
    jurisdictionsSet: base.jurisdictionsSet || layer.jurisdictions !== undefined,
    transactional: layer.transactional ?? base.transactional,
    emails: layer.emails ?? base.emails,
    parts: layer.parts ?? base.parts,
    templatePaths: layer.templatePaths ?? base.templatePaths,
    includeRoots: layer.includeRoots ?? base.includeRoots,
    marketing: layer.marketing ?? base.marketing,
    sender,
    files: layer.files ?? base.files,
    ignore: layer.ignore ?? base.ignore,
    senderDomains: layer.senderDomains ?? base.senderDomains,
    payloads: { ...base.payloads, ...(layer.payloads ?? {}) },
    consent: { ...base.consent, ...(layer.consent ?? {}) },
    targets: layer.targets ?? base.targets,
    targetsPartial: layer.targetsPartial ?? base.targetsPartial,
  };
}

export interface ConfigProblem {
  start: number;
  end: number;
  message: string;
  /** A JSON syntax error (an editor with a JSON language service reports those of open files itself). */
  syntax?: boolean;
}

export interface ParsedConfig {
  layer: ConfigLayer;
  problems: ConfigProblem[];
}

/** What validating a configuration needs to know besides the text. */
export interface ConfigCheckOptions {
  /** The rule ids of the registry; when given, a rule id outside them is a problem. */
  ruleIds?: readonly string[];
  /** Language of the problems' words (those localised so far). */
  locale?: Locale;
}

/** Unknown ids of one configuration that get a "Did you mean"; past them, the plain message (hostile files hold thousands). */
const MAX_SUGGESTIONS = 50;

/** "Unknown rule 'x'. Did you mean 'y'?", for the rc file, the settings and the CLI alike. */
export function unknownRuleMessage(id: string, ruleIds: readonly string[], locale: Locale = 'en', suggest = true): string {
  const unknown = interpolate(term('config.unknownRule', "Unknown rule '{id}'.", locale), { id: id.length > 100 ? `${id.slice(0, 100)}…` : id });
  return suggest ? withSuggestion(unknown, id, ruleIds, locale) : unknown;
}

/** `message`, followed by "Did you mean '...'?" when one of `known` is close to `word`. */
function withSuggestion(message: string, word: string, known: readonly string[], locale: Locale): string {
  const near = closestName(word, known);
  return near ? `${message} ${interpolate(term('config.didYouMean', "Did you mean '{suggestion}'?", locale), { suggestion: near })}` : message;
}

/** A wrong value in a configuration, by its path (`onKey`: the key itself is wrong). */
export interface LayerProblem {
  path: Array<string | number>;
  onKey?: boolean;
  message: string;
}

const KNOWN_OPTIONS = ['$schema', 'rules', 'esp', 'jurisdictions', 'transactional', 'marketing', 'emails', 'parts', 'templatePaths', 'includeRoots', 'sender', 'files', 'ignore', 'senderDomains', 'consent', 'payloads', 'targets', 'targetsPartial'] as const;
const SENDER_FIELDS = ['name', 'postalAddress', 'unsubscribeUrl', 'contact'] as const;

export const ESP_PROBLEM = `"esp" must be one of ${ESPS.join(', ')}.`;
export const JURISDICTIONS_PROBLEM = `"jurisdictions" must be a list of ${JURISDICTIONS.join(', ')}.`;

export function asEsp(v: unknown): Esp | undefined {
  return typeof v === 'string' && (ESPS as readonly string[]).includes(v) ? (v as Esp) : undefined;
}

export function asRuleSetting(v: unknown): RuleSetting | undefined {
  return typeof v === 'string' && (v === 'off' || (SEVERITIES as readonly string[]).includes(v)) ? (v as RuleSetting) : undefined;
}

/** The list when every entry is a jurisdiction; undefined otherwise. */
export function asJurisdictions(v: unknown): Jurisdiction[] | undefined {
  const list = asStringList(v);
  return list && list.every((j) => (JURISDICTIONS as readonly string[]).includes(j)) ? (list as Jurisdiction[]) : undefined;
}

function asStringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A problem on each key of `value` (the object under `section`) that `known` does not list. */
function unknownKeys(section: string, value: Record<string, unknown>, known: readonly string[], options: ConfigCheckOptions, problems: LayerProblem[]): void {
  const locale = options.locale ?? 'en';
  for (const k of Object.keys(value)) {
    if (known.includes(k)) continue;
    const name = k.length > 100 ? `${k.slice(0, 100)}…` : k;
    const unknown = interpolate(term('config.unknownKey', 'Unknown option "{key}" in "{section}" (known: {known}).', locale), { key: name, section, known: known.join(', ') });
    problems.push({ path: [section, k], onKey: true, message: withSuggestion(unknown, k, known, locale) });
  }
}

/**
 * The one validator of configuration values, for the rc file and the editor settings alike: the
 * layer of the values that are right, and a problem for each one that is not (that key is dropped).
 */
export function validateLayer(raw: Record<string, unknown>, options: ConfigCheckOptions = {}): { layer: ConfigLayer; problems: LayerProblem[] } {
  const layer: ConfigLayer = {};
  const problems: LayerProblem[] = [];
  const bad = (path: string[], message: string) => problems.push({ path, message });
  for (const [key, value] of Object.entries(raw)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      problems.push({ path: [key], onKey: true, message: `Unknown option "${key}". Known options: ${KNOWN_OPTIONS.filter((k) => k !== '$schema').join(', ')}.` });
      continue;
    }
    switch (key as (typeof KNOWN_OPTIONS)[number]) {
      case 'rules': {
        if (!isPlainObject(value)) {
          bad([key], '"rules" must be an object of rule id to severity.');
          break;
        }
        layer.rules = {};
        let unknown = 0;
        for (const [id, v] of Object.entries(value)) {
          // A misspelt id would otherwise be kept and do nothing: the rule it meant stays as it was.
          if (options.ruleIds && !options.ruleIds.includes(id)) {
            problems.push({ path: [key, id], onKey: true, message: unknownRuleMessage(id, options.ruleIds, options.locale, ++unknown <= MAX_SUGGESTIONS) });
            continue;
          }
          const setting = asRuleSetting(v);
          if (setting) layer.rules[id] = setting;
          else bad([key, id], `Severity of "${id}" must be one of off, hint, info, warning, error.`);
        }
        break;
      }
      case 'esp': {
        const esp = asEsp(value);
        if (esp) layer.esp = esp;
        else bad([key], ESP_PROBLEM);
        break;
      }
      case 'jurisdictions': {
        const list = asJurisdictions(value);
        if (list) layer.jurisdictions = list;
        else bad([key], JURISDICTIONS_PROBLEM);
        break;
      }
      case 'payloads': {
        if (!isPlainObject(value)) {
          bad([key], '"payloads" must be an object: { "ses": [globs], "sendgrid": [globs] }.');
          break;
        }
        layer.payloads = {};
        unknownKeys(key, value, ['ses', 'sendgrid'], options, problems);
        for (const esp of ['ses', 'sendgrid'] as const) {
          if (!(esp in value)) continue;
          const list = asStringList(value[esp]);
          if (list) layer.payloads[esp] = list;
          else bad([key, esp], `"payloads.${esp}" must be a list of glob patterns.`);
        }
        break;
      }
      case 'consent': {
        if (!isPlainObject(value)) {
          bad([key], '"consent" must be an object with tagPrefix and requireInPayloads.');
          break;
        }
        layer.consent = {};
        unknownKeys(key, value, ['tagPrefix', 'requireInPayloads'], options, problems);
        const prefix = value['tagPrefix'];
        if (typeof prefix === 'string' && prefix) layer.consent.tagPrefix = prefix;
        else if ('tagPrefix' in value) bad([key, 'tagPrefix'], '"consent.tagPrefix" must be a non-empty string.');
        const require = value['requireInPayloads'];
        if (typeof require === 'boolean') layer.consent.requireInPayloads = require;
        else if ('requireInPayloads' in value) bad([key, 'requireInPayloads'], '"consent.requireInPayloads" must be true or false.');
        break;
      }
      case 'transactional':
      case 'marketing':
      case 'emails':
      case 'parts':
      case 'templatePaths':
      case 'files':
      case 'ignore':
      case 'senderDomains': {
        const list = asStringList(value);
        if (!list) {
          bad([key], `"${key}" must be a list of glob patterns.`);
          break;
        }
        layer[key as 'files'] = list;
        list.forEach((g, i) => {
          const why = key === 'templatePaths' || key === 'senderDomains' ? undefined : unboundedGlob(g);
          if (why) problems.push({ path: [key, i], message: `The glob "${g}" is never matched: it has ${why}, which could take minutes to match.` });
        });
        break;
      }
      case 'includeRoots': {
        // Folders, not globs: each one a place outside the workspace that includes may be read from.
        const list = asStringList(value);
        if (!list || list.some((d) => !d.trim())) {
          bad([key], '"includeRoots" must be a list of folders (relative to this file, or absolute).');
          break;
        }
        const globbed = list.findIndex((d) => /[*?[\]{}]/.test(d));
        if (globbed >= 0) {
          problems.push({ path: [key, globbed], message: `"${list[globbed]}" is a glob; "includeRoots" takes folders.` });
          break;
        }
        layer.includeRoots = list;
        break;
      }
      case 'sender': {
        if (!isPlainObject(value)) {
          bad([key], '"sender" must be an object with name, postalAddress, unsubscribeUrl and contact.');
          break;
        }
        layer.sender = {};
        unknownKeys(key, value, SENDER_FIELDS, options, problems);
        for (const field of SENDER_FIELDS) {
          if (!(field in value)) continue;
          const v = value[field];
          if (typeof v === 'string') layer.sender[field] = v;
          else bad([key, field], `"sender.${field}" must be a string.`);
        }
        const url = layer.sender.unsubscribeUrl;
        if (url && !/^(https:\/\/|mailto:|\{|\*\||%|<%)/i.test(url)) {
          bad([key, 'unsubscribeUrl'], '"sender.unsubscribeUrl" should be an https: URL, a mailto: address or an ESP tag.');
        }
        break;
      }
      case 'targets': {
        const list = asStringList(value);
        if (!list) {
          bad([key], `"targets" must be a list of email clients (${TARGET_NAMES.join(', ')}).`);
          break;
        }
        const known = list.filter((t) => TARGET_NAMES.includes(t));
        list.forEach((t, i) => {
          if (TARGET_NAMES.includes(t)) return;
          const unknown = interpolate(term('config.unknownTarget', 'Unknown email client "{client}" in "targets".', options.locale ?? 'en'), { client: t.length > 100 ? `${t.slice(0, 100)}…` : t });
          problems.push({ path: [key, i], message: withSuggestion(unknown, t, TARGET_NAMES, options.locale ?? 'en') });
        });
        layer.targets = known;
        break;
      }
      case 'targetsPartial': {
        if (typeof value === 'boolean') layer.targetsPartial = value;
        else bad([key], '"targetsPartial" must be true or false.');
        break;
      }
      case '$schema':
        break;
    }
  }
  return { layer, problems };
}

/**
 * Parses rc-file text. JSON with comments is accepted (people annotate their rules). A syntax error
 * makes the whole file unusable (defaults apply); a wrong value drops just that key.
 */
export function parseConfigText(text: string, options: ConfigCheckOptions = {}): ParsedConfig {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  // One problem per place and kind: the parser may report the same one more than once.
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const message = jsonSyntaxMessage(e.error, options.locale ?? 'en');
    const key = `${e.offset}\0${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ start: e.offset, end: e.offset + Math.max(1, e.length), message, syntax: true });
  }
  if (problems.length || !root) {
    if (!root && !problems.length) problems.push({ start: 0, end: Math.min(1, text.length), message: 'The configuration file is empty.' });
    return { layer: {}, problems };
  }
  if (root.type !== 'object') {
    return { layer: {}, problems: [{ start: root.offset, end: root.offset + root.length, message: 'The configuration must be a JSON object.' }] };
  }
  const { layer, problems: wrong } = validateLayer(getNodeValue(root) as Record<string, unknown>, options);
  for (const p of wrong) {
    const valueNode = findNodeAtLocation(root, p.path);
    const node = p.onKey ? valueNode?.parent?.children?.[0] : valueNode;
    if (node) problems.push({ start: node.offset, end: node.offset + node.length, message: p.message });
  }
  return { layer, problems };
}

/** A JSON syntax error in words (jsonc-parser gives a code such as CommaExpected). */
export function jsonSyntaxMessage(code: ParseErrorCode, locale: Locale): string {
  switch (code) {
    case ParseErrorCode.CommaExpected:
      return term('json.commaExpected', 'Invalid JSON: expected a comma.', locale);
    case ParseErrorCode.ColonExpected:
      return term('json.colonExpected', 'Invalid JSON: expected a colon after the property name.', locale);
    case ParseErrorCode.PropertyNameExpected:
      return term('json.propertyNameExpected', 'Invalid JSON: expected a property name in double quotes.', locale);
    case ParseErrorCode.ValueExpected:
      return term('json.valueExpected', 'Invalid JSON: expected a value.', locale);
    case ParseErrorCode.CloseBraceExpected:
      return term('json.closeBraceExpected', 'Invalid JSON: expected a closing brace }.', locale);
    case ParseErrorCode.CloseBracketExpected:
      return term('json.closeBracketExpected', 'Invalid JSON: expected a closing bracket ].', locale);
    case ParseErrorCode.EndOfFileExpected:
      return term('json.endOfFileExpected', 'Invalid JSON: expected the end of the file after the value.', locale);
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber:
      return term('json.invalidNumber', 'Invalid JSON: this is not a valid number.', locale);
    case ParseErrorCode.UnexpectedEndOfString:
      return term('json.unclosedString', 'Invalid JSON: the string is not closed.', locale);
    case ParseErrorCode.UnexpectedEndOfComment:
    case ParseErrorCode.InvalidCommentToken:
      return term('json.unclosedComment', 'Invalid JSON: the comment is not closed.', locale);
    case ParseErrorCode.InvalidUnicode:
    case ParseErrorCode.InvalidEscapeCharacter:
      return term('json.invalidEscape', 'Invalid JSON: invalid escape sequence in the string.', locale);
    default:
      return term('json.invalidSymbol', 'Invalid JSON: unexpected character.', locale);
  }
}

/** Nearest rc file for a file in `dir`, walking up to the repository root (a folder with `.git`) or the file system root. */
export function findConfigFile(dir: string, exists: (p: string) => boolean): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      if (exists(candidate)) return candidate;
    }
    // The repository's root ends the search: an rc file above a checkout (in a parent folder
    // someone else controls) must not configure, or silence, the lint of the repository.
    if (exists(path.join(current, '.git'))) return undefined;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

const matcherCache = new Map<string, picomatch.Matcher>();

/** The first of `globs` that `filePath` (absolute) matches, taken relative to `root`; undefined when none does. */
export function matchingGlob(filePath: string, globs: readonly string[], root: string | undefined): string | undefined {
  if (!globs.length) return undefined;
  return matchingGlobRelative(relativeTo(root, filePath).split(path.sep).join('/'), globs);
}

/**
 * `filePath` relative to `root`, keeping a trailing separator (a folder asked about as `dir/`, so
 * that a folder-only glob such as `build/` matches it). A path plainly inside `root` is sliced;
 * others go through `path.relative`, which resolves and normalizes.
 */
function relativeTo(root: string | undefined, filePath: string): string {
  if (!root) return filePath;
  const sep = path.sep;
  // POSIX only: Windows paths may mix separators and differ in case, which path.relative settles.
  if (sep === '/' && filePath.length > root.length + 1 && filePath.startsWith(root) && filePath[root.length] === sep) {
    const rest = filePath.slice(root.length + 1);
    if (rest[0] !== '.' && rest[0] !== sep && !rest.includes(`${sep}.`) && !rest.includes(`${sep}${sep}`)) return rest;
  }
  const rel = path.relative(root, filePath);
  return rel && (filePath.endsWith(sep) || filePath.endsWith('/')) ? `${rel}/` : rel;
}

/** The first of `globs` that `rel` (a path relative to the globs' root, with `/` separators) matches. */
export function matchingGlobRelative(rel: string, globs: readonly string[]): string | undefined {
  for (const g of globs) {
    let m = matcherCache.get(g);
    if (!m) {
      // A glob the regex engine could take minutes over never matches (validateLayer says why).
      m = unboundedGlob(g) ? NEVER : picomatch(g, { dot: true, matchBase: !g.includes('/') });
      matcherCache.set(g, m);
    }
    if (m(rel)) return g;
  }
  return undefined;
}

const NEVER = (() => false) as unknown as picomatch.Matcher;

/** Wildcards one path segment of a glob may hold. */
const MAX_SEGMENT_STARS = 4;

/**
 * Why a glob could make matching backtrack for minutes, or undefined. picomatch compiles `*` to a
 * lazy run, so `*a*a*a*a*a*a*ab` against a long name is exponential; an extglob with a repeat
 * (`+(a|aa)`) too. Real globs hold one or two stars a segment.
 */
export function unboundedGlob(glob: string): string | undefined {
  if (/[*+@!?]\(/.test(glob)) return 'an extglob (*( ), +( ), @( ), !( ), ?( ))';
  for (const segment of glob.split('/')) {
    if (segment === '**') continue;
    const stars = segment.replace(/\*\*+/g, '*').split('*').length - 1;
    if (stars > MAX_SEGMENT_STARS) return `more than ${MAX_SEGMENT_STARS} wildcards in one path segment`;
  }
  return undefined;
}
