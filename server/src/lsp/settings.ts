// Editor settings (the `deliverlint` section, fetched per document) mapped onto a core ConfigLayer
// plus the few settings only the server reads.

import { validateLayer, type ConfigCheckOptions, type ConfigLayer } from '../core/config';

export interface ServerSettings {
  /** Lint at all. */
  enable: boolean;
  /** Lint the files of the workspace folders that are not open, for the Problems panel. */
  lintWorkspace: boolean;
  /** Milliseconds from an edit to the lint of the document; further edits do not postpone it. */
  lintDelay: number;
  /** What the settings contribute to the configuration, over the rc file. */
  layer: ConfigLayer;
  /** What is wrong in the settings (an unknown rule id ...), in words, for the user to see. */
  problems: string[];
  /** deliverlint.mjml.validate: who reports MJML errors beside the official MJML extension. */
  mjmlValidate: 'auto' | 'always' | 'never';
}

export const DEFAULT_LINT_DELAY = 100;
const MAX_LINT_DELAY = 5000;

export function defaultServerSettings(): ServerSettings {
  return { enable: true, lintWorkspace: true, lintDelay: DEFAULT_LINT_DELAY, layer: {}, problems: [], mjmlValidate: 'auto' };
}

/** Maps the raw `deliverlint` settings object; unknown or malformed values are left unset. */
export function readSettings(raw: unknown, options: ConfigCheckOptions = {}): ServerSettings {
  const settings = defaultServerSettings();
  if (!isObject(raw)) return settings;
  if (typeof raw['enable'] === 'boolean') settings.enable = raw['enable'];
  if (typeof raw['lintWorkspace'] === 'boolean') settings.lintWorkspace = raw['lintWorkspace'];
  const delay = raw['lintDelay'];
  if (typeof delay === 'number' && Number.isFinite(delay)) settings.lintDelay = Math.max(0, Math.min(MAX_LINT_DELAY, Math.round(delay)));
  const mjml = raw['mjml'];
  const validate = isObject(mjml) ? mjml['validate'] : undefined;
  if (validate === 'always' || validate === 'never' || validate === 'auto') settings.mjmlValidate = validate;
  const { layer, problems } = checkedSettingsLayer(raw, options);
  settings.layer = layer;
  settings.problems = problems;
  return settings;
}

/**
 * The settings as a configuration layer: every key given counts, a value equal to the default too
 * (it overrides the rc file). The VS Code client sends only the keys the user set (protocol.ts,
 * explicitSettings), since VS Code itself fills in the manifest defaults. Null, undefined and empty
 * strings are not values; a malformed value is left unset.
 */
export function settingsLayer(raw: Record<string, unknown>): ConfigLayer {
  return checkedSettingsLayer(raw).layer;
}

/** settingsLayer, with the problems found in words (`deliverlint.rules: Unknown rule 'x'. ...`). */
export function checkedSettingsLayer(raw: Record<string, unknown>, options: ConfigCheckOptions = {}): { layer: ConfigLayer; problems: string[] } {
  const set: Record<string, unknown> = {};
  if (raw['rules'] !== undefined) set['rules'] = raw['rules'];
  if (raw['esp'] !== undefined && raw['esp'] !== null) set['esp'] = raw['esp'];
  if (typeof raw['targetsPartial'] === 'boolean') set['targetsPartial'] = raw['targetsPartial'];
  for (const key of ['jurisdictions', 'transactional', 'marketing', 'emails', 'parts', 'templatePaths', 'files', 'ignore', 'targets'] as const) {
    const list = stringList(raw[key]);
    if (list) set[key] = list;
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
  const { layer, problems } = validateLayer(set, options);
  // An object of nothing but wrong severities says nothing.
  if (layer.rules && !Object.keys(layer.rules).length) delete layer.rules;
  return { layer, problems: problems.map((p) => `deliverlint.${p.path.join('.')}: ${p.message}`) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}
