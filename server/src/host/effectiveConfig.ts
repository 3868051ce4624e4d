// The effective configuration of a file as values and where each came from (the rule default, the
// rc file, a setting or a command-line option). One merge for the editor's "Show Effective
// Configuration" (lsp/effectiveConfig.ts) and the CLI's --print-config.

import type { ConfigLayer } from '../core/config';
import type { ResolvedConfig } from '../core/types';
import { linter } from '../linter';
import type { ConfigSource } from '../protocol';

/** Keys of a configuration layer whose value is taken whole (a later layer replaces it). */
const WHOLE_KEYS = ['esp', 'jurisdictions', 'transactional', 'marketing', 'emails', 'parts', 'templatePaths', 'files', 'ignore', 'senderDomains'] as const;
/** Keys whose fields layer one by one. */
const FIELD_KEYS = ['sender', 'consent', 'payloads'] as const;

export interface ConfigOrigins {
  /** The rc file's path and layer, when the file has one. */
  rc?: { path: string; layer: ConfigLayer };
  /** The layer over the rc file (the editor's settings, the CLI's --rule). */
  over: ConfigLayer;
  /** The name a value from `over` is shown with, by its key (`deliverlint.sender.name`, `--rule`). */
  overKey: (key: string) => string;
}

/** `config`'s values (every rule's severity under `rules`) and the source of each, by its path. */
export function configValuesAndSources(config: ResolvedConfig, origins: ConfigOrigins): { values: Record<string, unknown>; sources: Record<string, ConfigSource> } {
  const rcLayer: ConfigLayer = origins.rc?.layer ?? {};
  const over = origins.over;
  const sources: Record<string, ConfigSource> = {};
  const sourceOf = (inOver: boolean, inRc: boolean, key: string): ConfigSource =>
    inOver ? { from: 'setting', key: origins.overKey(key) } : inRc && origins.rc ? { from: 'rcFile', path: origins.rc.path } : { from: 'default' };
  const values: Record<string, unknown> = {};
  for (const key of WHOLE_KEYS) {
    values[key] = config[key];
    sources[key] = sourceOf(over[key] !== undefined, rcLayer[key] !== undefined, key);
  }
  for (const key of FIELD_KEYS) {
    const merged = config[key] as unknown as Record<string, unknown>;
    values[key] = merged;
    const fromOver = (over[key] ?? {}) as Record<string, unknown>;
    const fromRc = (rcLayer[key] ?? {}) as Record<string, unknown>;
    for (const field of Object.keys(merged)) {
      const setting = key === 'consent' ? false : fromOver[field] !== undefined && fromOver[field] !== '';
      sources[`${key}.${field}`] = sourceOf(setting, fromRc[field] !== undefined, key === 'payloads' ? 'payloads' : `${key}.${field}`);
    }
  }
  const rules: Record<string, string> = {};
  for (const rule of linter.rules) {
    const id = rule.meta.id;
    rules[id] = config.rules[id] ?? rule.meta.defaultSeverity;
    sources[`rules.${id}`] = sourceOf(over.rules?.[id] !== undefined, rcLayer.rules?.[id] !== undefined, 'rules');
  }
  values['rules'] = rules;
  return { values, sources };
}
