// The MJML tag table the server bundles must match the installed mjml-preset-core, so an mjml
// upgrade that adds tags or attributes cannot silently leave the validator behind.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('mjml-components.json matches mjml-preset-core (regenerate with node test/tools/mjml-components.cjs --write)', () => {
  const tool = require('../tools/mjml-components.cjs') as { extract(): unknown; target: string };
  assert.deepEqual(JSON.parse(readFileSync(tool.target, 'utf8')), JSON.parse(JSON.stringify(tool.extract())));
});
