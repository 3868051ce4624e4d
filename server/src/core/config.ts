// Layered configuration: rule defaults -> .deliverlintrc.json (nearest in the file's folder or a
// parent) -> editor settings -> inline directives (applied by the engine). This file parses and
// merges; reading files is the host's job.

import * as path from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import { ESPS, JURISDICTIONS, SEVERITIES, type ConsentConfig, type Esp, type Jurisdiction, type ResolvedConfig, type RuleSetting, type SenderConfig } from './types';

export const CONFIG_FILE_NAMES = ['.deliverlintrc.json', '.deliverlintrc'] as const;

// Templates, raw messages, campaign files, and JSON (kept only when its content is an SES or
// SendGrid payload: other JSON is skipped without a finding).
export const DEFAULT_FILES = ['**/*.{html,htm,mjml,hbs,handlebars,njk,liquid}', '**/*.eml', '**/*.campaign.{yaml,yml,json}', '**/*.json'];
export const DEFAULT_IGNORE = ['**/node_modules/**', '**/.git/**', '**/dist/**'];

/** What one layer (rc file or editor settings) may set; absent keys leave the layer below alone. */
export interface ConfigLayer {
  rules?: Record<string, RuleSetting>;
  esp?: Esp;
  jurisdictions?: Jurisdiction[];
  transactional?: string[];
  marketing?: string[];
  sender?: SenderConfig;
  files?: string[];
  ignore?: string[];
  senderDomains?: string[];
  consent?: Partial<ConsentConfig>;
  payloads?: Partial<ResolvedConfig['payloads']>;
}

export function defaultConfig(): ResolvedConfig {
  return {
    rules: {},
    esp: 'none',
    jurisdictions: ['us'],
    transactional: [],
    marketing: [],
    sender: {},
    files: [...DEFAULT_FILES],
    ignore: [...DEFAULT_IGNORE],
    senderDomains: [],
    payloads: { ses: [], sendgrid: [] },
    consent: { tagPrefix: 'consent_', requireInPayloads: false },
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
    transactional: layer.transactional ?? base.transactional,
    marketing: layer.marketing ?? base.marketing,
    sender,
    files: layer.files ?? base.files,
    ignore: layer.ignore ?? base.ignore,
    senderDomains: layer.senderDomains ?? base.senderDomains,
    payloads: { ...base.payloads, ...(layer.payloads ?? {}) },
    consent: { ...base.consent, ...(layer.consent ?? {}) },
  };
}

export interface ConfigProblem {
  start: number;
  end: number;
  message: string;
}

export interface ParsedConfig {
  layer: ConfigLayer;
  problems: ConfigProblem[];
}

/**
 * Parses rc-file text. JSON with comments is accepted (people annotate their rules). A syntax error
 * makes the whole file unusable (defaults apply); a wrong value drops just that key.
 */
export function parseConfigText(text: string): ParsedConfig {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: ConfigProblem[] = errors.map((e) => ({
    start: e.offset,
    end: e.offset + Math.max(1, e.length),
    message: `Invalid JSON: ${printParseErrorCode(e.error)}`,
  }));
  if (problems.length || !root) {
    if (!root && !problems.length) problems.push({ start: 0, end: Math.min(1, text.length), message: 'The configuration file is empty.' });
    return { layer: {}, problems };
  }
  if (root.type !== 'object') {
    return { layer: {}, problems: [{ start: root.offset, end: root.offset + root.length, message: 'The configuration must be a JSON object.' }] };
  }
  const layer: ConfigLayer = {};
  const bad = (node: Node, msg: string) => problems.push({ start: node.offset, end: node.offset + node.length, message: msg });
  const known = new Set(['$schema', 'rules', 'esp', 'jurisdictions', 'transactional', 'marketing', 'sender', 'files', 'ignore', 'senderDomains', 'consent', 'payloads']);
  for (const prop of root.children ?? []) {
    const keyNode = prop.children?.[0];
    const valueNode = prop.children?.[1];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    if (!known.has(key)) {
      bad(keyNode, `Unknown option "${key}". Known options: ${[...known].filter((k) => k !== '$schema').join(', ')}.`);
      continue;
    }
    switch (key) {
      case 'rules': {
        if (valueNode.type !== 'object') {
          bad(valueNode, '"rules" must be an object of rule id to severity.');
          break;
        }
        layer.rules = {};
        for (const r of valueNode.children ?? []) {
          const id = String(r.children?.[0]?.value);
          const v = r.children?.[1];
          if (v && typeof v.value === 'string' && (v.value === 'off' || (SEVERITIES as readonly string[]).includes(v.value))) {
            layer.rules[id] = v.value as RuleSetting;
          } else if (v) {
            bad(v, `Severity of "${id}" must be one of off, hint, info, warning, error.`);
          }
        }
        break;
      }
      case 'esp':
        if (typeof valueNode.value === 'string' && (ESPS as readonly string[]).includes(valueNode.value)) layer.esp = valueNode.value as Esp;
        else bad(valueNode, `"esp" must be one of ${ESPS.join(', ')}.`);
        break;
      case 'jurisdictions': {
        const list = stringArray(valueNode);
        const wrong = list?.filter((j) => !(JURISDICTIONS as readonly string[]).includes(j));
        if (!list || wrong!.length) bad(valueNode, `"jurisdictions" must be a list of ${JURISDICTIONS.join(', ')}.`);
        else layer.jurisdictions = list as Jurisdiction[];
        break;
      }
      case 'payloads': {
        if (valueNode.type !== 'object') {
          bad(valueNode, '"payloads" must be an object: { "ses": [globs], "sendgrid": [globs] }.');
          break;
        }
        layer.payloads = {};
        for (const esp of ['ses', 'sendgrid'] as const) {
          const n = findNodeAtLocation(valueNode, [esp]);
          if (!n) continue;
          const list = stringArray(n);
          if (list) layer.payloads[esp] = list;
          else bad(n, `"payloads.${esp}" must be a list of glob patterns.`);
        }
        break;
      }
      case 'consent': {
        if (valueNode.type !== 'object') {
          bad(valueNode, '"consent" must be an object with tagPrefix and requireInPayloads.');
          break;
        }
        layer.consent = {};
        const prefix = findNodeAtLocation(valueNode, ['tagPrefix']);
        if (prefix && typeof prefix.value === 'string' && prefix.value) layer.consent.tagPrefix = prefix.value;
        else if (prefix) bad(prefix, '"consent.tagPrefix" must be a non-empty string.');
        const require = findNodeAtLocation(valueNode, ['requireInPayloads']);
        if (require && typeof require.value === 'boolean') layer.consent.requireInPayloads = require.value;
        else if (require) bad(require, '"consent.requireInPayloads" must be true or false.');
        break;
      }
      case 'transactional':
      case 'marketing':
      case 'files':
      case 'ignore':
      case 'senderDomains': {
        const list = stringArray(valueNode);
        if (!list) bad(valueNode, `"${key}" must be a list of glob patterns.`);
        else layer[key] = list;
        break;
      }
      case 'sender': {
        if (valueNode.type !== 'object') {
          bad(valueNode, '"sender" must be an object with name, postalAddress, unsubscribeUrl and contact.');
          break;
        }
        layer.sender = {};
        for (const field of ['name', 'postalAddress', 'unsubscribeUrl', 'contact'] as const) {
          const n = findNodeAtLocation(valueNode, [field]);
          if (!n) continue;
          if (typeof n.value === 'string') layer.sender[field] = n.value;
          else bad(n, `"sender.${field}" must be a string.`);
        }
        const url = layer.sender.unsubscribeUrl;
        if (url && !/^(https:\/\/|mailto:|\{|\*\||%|<%)/i.test(url)) {
          bad(findNodeAtLocation(valueNode, ['unsubscribeUrl'])!, '"sender.unsubscribeUrl" should be an https: URL, a mailto: address or an ESP tag.');
        }
        break;
      }
    }
  }
  return { layer, problems };
}

function stringArray(node: Node): string[] | undefined {
  if (node.type !== 'array') return undefined;
  const out: string[] = [];
  for (const c of node.children ?? []) {
    if (typeof c.value !== 'string') return undefined;
    out.push(c.value);
  }
  return out;
}

/** Nearest rc file for a file in `dir`, walking up to the file system root. */
export function findConfigFile(dir: string, exists: (p: string) => boolean): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      if (exists(candidate)) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

const matcherCache = new Map<string, picomatch.Matcher>();

/** The first of `globs` that `filePath` (absolute) matches, taken relative to `root`; undefined when none does. */
export function matchingGlob(filePath: string, globs: readonly string[], root: string | undefined): string | undefined {
  if (!globs.length) return undefined;
  return matchesRelative(relativeTo(root, filePath).split(path.sep).join('/'), globs);
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
export function matchesRelative(rel: string, globs: readonly string[]): string | undefined {
  for (const g of globs) {
    let m = matcherCache.get(g);
    if (!m) {
      m = picomatch(g, { dot: true, matchBase: !g.includes('/') });
      matcherCache.set(g, m);
    }
    if (m(rel)) return g;
  }
  return undefined;
}
