// Editor settings (the `deliverlint` section, fetched per document) mapped onto a core ConfigLayer
// plus the few settings only the server reads.

import { DEFAULT_FILES, validateLayer, type ConfigLayer } from '../core/config';

export interface ServerSettings {
  /** Lint at all. */
  enable: boolean;
  /** Lint the files of the workspace folders that are not open, for the Problems panel. */
  lintWorkspace: boolean;
  /** Milliseconds from an edit to the lint of the document; further edits do not postpone it. */
  lintDelay: number;
  /** What the settings contribute to the configuration, over the rc file. */
  layer: ConfigLayer;
}

export const DEFAULT_LINT_DELAY = 100;
const MAX_LINT_DELAY = 5000;

/*
 * VS Code answers workspace/configuration with the manifest's defaults filled in, so a setting the
 * user never touched is indistinguishable from one set to its default. Treating default values as
 * unset keeps a project's .deliverlintrc.json in charge unless the user chose something else.
 * These mirror the defaults in package.json `contributes.configuration`.
 */
const MANIFEST_DEFAULTS = {
  esp: 'none',
  jurisdictions: ['us'],
  files: DEFAULT_FILES,
  ignore: ['**/node_modules/**', '**/dist/**'],
  transactional: [] as string[],
  marketing: [] as string[],
  emails: [] as string[],
  parts: [] as string[],
  templatePaths: [] as string[],
};

export function defaultServerSettings(): ServerSettings {
  return { enable: true, lintWorkspace: true, lintDelay: DEFAULT_LINT_DELAY, layer: {} };
}

/** Maps the raw `deliverlint` settings object; unknown or malformed values are left unset. */
export function readSettings(raw: unknown): ServerSettings {
  const settings = defaultServerSettings();
  if (!isObject(raw)) return settings;
  if (typeof raw['enable'] === 'boolean') settings.enable = raw['enable'];
  if (typeof raw['lintWorkspace'] === 'boolean') settings.lintWorkspace = raw['lintWorkspace'];
  const delay = raw['lintDelay'];
  if (typeof delay === 'number' && Number.isFinite(delay)) settings.lintDelay = Math.max(0, Math.min(MAX_LINT_DELAY, Math.round(delay)));
  settings.layer = settingsLayer(raw);
  return settings;
}

/**
 * Only keys that are really set (null, undefined, empty strings and manifest defaults are not),
 * through the same validator as the rc file; a malformed value is left unset.
 */
export function settingsLayer(raw: Record<string, unknown>): ConfigLayer {
  const set: Record<string, unknown> = {};
  if (raw['rules'] !== undefined) set['rules'] = raw['rules'];
  if (raw['esp'] !== undefined && raw['esp'] !== MANIFEST_DEFAULTS.esp) set['esp'] = raw['esp'];
  for (const key of ['jurisdictions', 'transactional', 'marketing', 'emails', 'parts', 'templatePaths', 'files', 'ignore'] as const) {
    const list = stringList(raw[key]);
    if (list && !sameList(list, MANIFEST_DEFAULTS[key])) set[key] = list;
  }
  const payloads = raw['payloads'];
  if (isObject(payloads)) {
    const given: Record<string, unknown> = {};
    for (const esp of ['ses', 'sendgrid'] as const) if (stringList(payloads[esp])?.length) given[esp] = payloads[esp];
    if (Object.keys(given).length) set['payloads'] = given;
  }
  const sender = raw['sender'];
  if (isObject(sender)) {
    const given: Record<string, unknown> = {};
    for (const field of ['name', 'postalAddress', 'unsubscribeUrl', 'contact'] as const) {
      const v = sender[field];
      if (typeof v === 'string' && v.trim() !== '') given[field] = v;
    }
    if (Object.keys(given).length) set['sender'] = given;
  }
  const { layer } = validateLayer(set);
  // An object of nothing but wrong severities says nothing.
  if (layer.rules && !Object.keys(layer.rules).length) delete layer.rules;
  return layer;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
