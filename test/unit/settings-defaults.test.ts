// VS Code fills the manifest's defaults into every settings answer, so the client sends the server
// only what the user set (protocol.ts explicitSettings, from WorkspaceConfiguration.inspect()), and
// the server takes every value it is given: a setting chosen equal to its default overrides the rc
// file; one never touched leaves the rc file in charge.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig, mergeConfig, parseConfigText } from '../../server/src/core/config';
import { checkedSettingsLayer, settingsLayer } from '../../server/src/lsp/settings';
import { explicitSettings, LAYER_SETTINGS } from '../../server/src/protocol';
import { linter } from '../../server/src/linter';

/** What VS Code answers for an untouched `deliverlint` section: every manifest default. */
function freshInstall(): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = manifest.contributes.configuration.properties as Record<string, { default?: unknown }>;
  const raw: Record<string, unknown> = { sender: {} };
  for (const [key, schema] of Object.entries(props)) {
    const name = key.replace(/^deliverlint\./, '');
    if (name.startsWith('sender.')) (raw['sender'] as Record<string, unknown>)[name.slice(7)] = schema.default;
    else raw[name] = schema.default;
  }
  return raw;
}

test('every setting that layers over the rc file is a manifest setting the client can inspect', () => {
  const props = Object.keys(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).contributes.configuration.properties);
  for (const key of LAYER_SETTINGS) assert.ok(props.includes(`deliverlint.${key}`), key);
});

test('the settings of a fresh install (nothing set by the user) add nothing over the rc file', () => {
  assert.deepEqual(settingsLayer(explicitSettings(freshInstall(), () => false)), {});
});

test('a setting explicitly set to its default value overrides the rc file', () => {
  const rc = parseConfigText('{ "esp": "ses", "jurisdictions": ["us", "jp"], "files": ["emails/**"] }').layer;
  const userSet = new Set(['esp', 'jurisdictions']);
  const sent = explicitSettings(freshInstall(), (key) => userSet.has(key));
  const layer = settingsLayer(sent);
  assert.deepEqual(layer, { esp: 'none', jurisdictions: ['us'] });
  const merged = mergeConfig(mergeConfig(defaultConfig(), rc), layer);
  assert.equal(merged.esp, 'none');
  assert.deepEqual(merged.jurisdictions, ['us']);
  assert.deepEqual(merged.files, ['emails/**'], 'an untouched setting leaves the rc file in charge');
  // Settings the layer does not hold (the domain check's) keep their values.
  assert.deepEqual(sent['dns'], freshInstall()['dns']);
});

test('explicitSettings copies: the section VS Code handed over is not changed', () => {
  const section = { esp: 'ses', sender: { name: 'Harbor', contact: '' } };
  const sent = explicitSettings(section, (key) => key === 'sender.name');
  assert.deepEqual(sent, { sender: { name: 'Harbor' } });
  assert.deepEqual(section, { esp: 'ses', sender: { name: 'Harbor', contact: '' } });
});

test('an unknown rule id in deliverlint.rules is a problem naming the closest id (English and Japanese)', () => {
  const ruleIds = linter.rules.map((r) => r.meta.id);
  const en = checkedSettingsLayer({ rules: { 'unsubscribe-link-mising': 'off', 'postal-address-missing': 'warning' } }, { ruleIds });
  assert.deepEqual(en.layer, { rules: { 'postal-address-missing': 'warning' } });
  assert.deepEqual(en.problems, ["deliverlint.rules.unsubscribe-link-mising: Unknown rule 'unsubscribe-link-mising'. Did you mean 'unsubscribe-link-missing'?"]);
  const ja = checkedSettingsLayer({ rules: { 'unsubscribe-link-mising': 'off' } }, { ruleIds, locale: 'ja' });
  assert.match(ja.problems[0]!, /「unsubscribe-link-missing」のことですか/);
});
