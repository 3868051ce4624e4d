// The server treats settings equal to the manifest's defaults as unset (VS Code fills defaults in,
// and an untouched default must not override a project's .deliverlintrc.json). That only works
// while server/src/lsp/settings.ts and package.json agree on the defaults.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { settingsLayer } from '../../server/src/lsp/settings';

test('the settings of a fresh install (all manifest defaults) add nothing over the rc file', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = manifest.contributes.configuration.properties as Record<string, { default?: unknown }>;
  const raw: Record<string, unknown> = { sender: {} };
  for (const [key, schema] of Object.entries(props)) {
    const name = key.replace(/^deliverlint\./, '');
    if (name.startsWith('sender.')) (raw['sender'] as Record<string, unknown>)[name.slice(7)] = schema.default;
    else raw[name] = schema.default;
  }
  assert.deepEqual(settingsLayer(raw), {});
});
