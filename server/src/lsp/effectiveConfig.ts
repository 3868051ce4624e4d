// deliverlint/effectiveConfiguration: the configuration a document gets and where each value came
// from (the default, the rc file, a setting), for the client's language status item and its
// "Show Effective Configuration" view. Reads what the lint reads; lints nothing.

import * as path from 'node:path';
import type { ConfigLayer } from '../core/config';
import { PositionMapper } from '../core/position';
import type { ResolvedConfig } from '../core/types';
import { configValuesAndSources } from '../host/effectiveConfig';
import type { EffectiveConfiguration } from '../protocol';
import { uriToPath, type Session } from './session';
import type { ServerSettings } from './settings';

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
  const { config } = input;
  const { values, sources } = configValuesAndSources(config, {
    rc: rc && 'layer' in rc ? { path: rc.path, layer: rc.layer } : undefined,
    over: settingsLayer,
    overKey: (key) => `deliverlint.${key}`,
  });
  if (session.mjmlValidationLeftOut(input.settings, { ...config, rules: { ...rcLayer.rules, ...settingsLayer.rules } as ResolvedConfig['rules'] })) {
    sources['rules.mjml-invalid'] = { from: 'setting', key: 'deliverlint.mjml.validate' };
  }

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
