// deliverlint/effectiveConfiguration: the configuration a document gets and where each value came
// from (the default, the rc file, a setting), for the client's language status item and its
// "Show Effective Configuration" view. Reads what the lint reads; lints nothing.

import * as path from 'node:path';
import type { ConfigLayer } from '../core/config';
import { PositionMapper } from '../core/position';
import type { ResolvedConfig } from '../core/types';
import { linter } from '../linter';
import type { ConfigSource, EffectiveConfiguration } from '../protocol';
import { uriToPath, type Session } from './session';
import type { ServerSettings } from './settings';

/** Keys of a configuration layer whose value is taken whole (a later layer replaces it). */
const WHOLE_KEYS = ['esp', 'jurisdictions', 'transactional', 'marketing', 'emails', 'parts', 'templatePaths', 'files', 'ignore', 'senderDomains'] as const;
/** Keys whose fields layer one by one. */
const FIELD_KEYS = ['sender', 'consent', 'payloads'] as const;

export interface EffectiveConfigInput {
  uri: string;
  serverVersion: string;
  settings: ServerSettings;
  config: ResolvedConfig;
  linted: boolean;
}

export function effectiveConfiguration(session: Session, input: EffectiveConfigInput): EffectiveConfiguration {
  const filePath = uriToPath(input.uri);
  const rc = filePath ? session.resolver.fileFor(path.dirname(filePath)) : undefined;
  const rcLayer: ConfigLayer = rc && 'layer' in rc ? rc.layer : {};
  const settingsLayer = input.settings.layer;
  const sources: Record<string, ConfigSource> = {};
  const sourceOf = (inSettings: boolean, inRc: boolean, settingKey: string): ConfigSource =>
    inSettings ? { from: 'setting', key: `deliverlint.${settingKey}` } : inRc && rc ? { from: 'rcFile', path: rc.path } : { from: 'default' };

  const { config } = input;
  const values: Record<string, unknown> = {};
  for (const key of WHOLE_KEYS) {
    values[key] = config[key];
    sources[key] = sourceOf(settingsLayer[key] !== undefined, rcLayer[key] !== undefined, key);
  }
  for (const key of FIELD_KEYS) {
    const merged = config[key] as unknown as Record<string, unknown>;
    values[key] = merged;
    const fromSettings = (settingsLayer[key] ?? {}) as Record<string, unknown>;
    const fromRc = (rcLayer[key] ?? {}) as Record<string, unknown>;
    for (const field of Object.keys(merged)) {
      const setting = key === 'consent' ? false : fromSettings[field] !== undefined && fromSettings[field] !== '';
      sources[`${key}.${field}`] = sourceOf(setting, fromRc[field] !== undefined, key === 'payloads' ? 'payloads' : `${key}.${field}`);
    }
  }
  const rules: Record<string, string> = {};
  for (const rule of linter.rules) {
    const id = rule.meta.id;
    rules[id] = config.rules[id] ?? rule.meta.defaultSeverity;
    sources[`rules.${id}`] = sourceOf(settingsLayer.rules?.[id] !== undefined, rcLayer.rules?.[id] !== undefined, 'rules');
  }
  if (session.mjmlValidationLeftOut(input.settings, { ...config, rules: { ...rcLayer.rules, ...settingsLayer.rules } as ResolvedConfig['rules'] })) {
    sources['rules.mjml-invalid'] = { from: 'setting', key: 'deliverlint.mjml.validate' };
  }
  values['rules'] = rules;

  const result: EffectiveConfiguration = {
    uri: input.uri,
    serverVersion: input.serverVersion,
    enabled: input.settings.enable,
    linted: input.linted,
    configFileProblems: [],
    settingsProblems: input.settings.problems,
    values,
    sources,
  };
  if (rc) {
    result.configFile = rc.path;
    if ('error' in rc) {
      result.configFileUnreadable = true;
      result.configFileProblems = [rc.error];
    } else {
      const positions = new PositionMapper(rc.text);
      result.configFileProblems = rc.problems.map((p) => {
        const at = positions.positionAt(p.start);
        return `${at.line + 1}:${at.character + 1} ${p.message}`;
      });
    }
  }
  return result;
}
