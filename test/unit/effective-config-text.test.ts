// The text of "Deliverlint: Show Effective Configuration" (protocol.ts, shown read-only by the
// client): valid JSON with comments holding every value, each followed by where it came from.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, type ParseError } from 'jsonc-parser';
import { effectiveConfigurationText, type EffectiveConfiguration } from '../../server/src/protocol';

const LABELS = { header: 'What Deliverlint uses for this file', default: 'default', setting: 'setting', rcFile: 'from' };

const EFF: EffectiveConfiguration = {
  uri: 'file:///project/emails/spring.html',
  serverVersion: '0.1.0',
  enabled: true,
  linted: true,
  configFile: '/project/.deliverlintrc.json',
  configFileProblems: ["4:51 Unknown rule 'merge-tag-unclosd'. Did you mean 'merge-tag-unclosed'?"],
  settingsProblems: [],
  values: { esp: 'ses', files: ['**/*.html'], sender: { name: 'Harbor', contact: 'help@harbor.example.com' }, consent: {}, rules: { 'unsubscribe-link-missing': 'error', 'merge-tag-unclosed': 'info' } },
  sources: {
    esp: { from: 'rcFile', path: '/project/.deliverlintrc.json' },
    files: { from: 'default' },
    'sender.name': { from: 'rcFile', path: '/project/.deliverlintrc.json' },
    'sender.contact': { from: 'setting', key: 'deliverlint.sender.contact' },
    'rules.unsubscribe-link-missing': { from: 'default' },
    'rules.merge-tag-unclosed': { from: 'setting', key: 'deliverlint.rules' },
  },
};

test('parses back to the values, with the rc file, its problems and the version', () => {
  const text = effectiveConfigurationText(EFF, LABELS);
  const errors: ParseError[] = [];
  const parsed = parse(text, errors, { allowTrailingComma: false, disallowComments: false });
  assert.deepEqual(errors, [], text);
  assert.deepEqual(parsed, {
    file: EFF.uri,
    serverVersion: '0.1.0',
    enabled: true,
    linted: true,
    configFile: '/project/.deliverlintrc.json',
    configFileProblems: EFF.configFileProblems,
    ...EFF.values,
  });
});

test('each value line says where the value came from', () => {
  const lines = effectiveConfigurationText(EFF, LABELS).split('\n');
  const line = (start: string) => lines.find((l) => l.trimStart().startsWith(start)) ?? '';
  assert.match(line('"esp"'), /\/\/ from \/project\/\.deliverlintrc\.json$/);
  assert.match(line('"files"'), /\/\/ default$/);
  assert.match(line('"contact"'), /\/\/ setting deliverlint\.sender\.contact$/);
  assert.match(line('"merge-tag-unclosed"'), /\/\/ setting deliverlint\.rules$/);
  assert.match(line('"unsubscribe-link-missing"'), /\/\/ default$/);
  assert.equal(lines[0], '// What Deliverlint uses for this file');
});
