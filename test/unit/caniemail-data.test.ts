// The client support data shipped in the bundle (server/src/core/caniemail/data.json, built by
// test/tools/caniemail-data.mjs): it must read, name the clients the defaults target, and say its
// version where users look (--version, the rule's page). Fails when the data cannot be read.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CANIEMAIL_SOURCE, CANIEMAIL_UPDATED, CLIENT_IDS, DEFAULT_TARGETS, gapIndex, resolveTargets } from '../../server/src/core/caniemail';
import { defaultConfig, validateLayer } from '../../server/src/core/config';
import { parseTemplate } from '../../server/src/core/parse/template';
import { linter } from '../../server/src/linter';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'server', 'src', 'core', 'caniemail', 'data.json');

test('the shipped data reads as JSON with a version, clients and features of every kind', () => {
  const data = JSON.parse(readFileSync(DATA, 'utf8')) as { source: string; updated: string; clients: string[]; features: Array<{ id: string; kind: string; names: string[]; support: string }> };
  assert.match(data.source, /^caniemail \d+\.\d+\.\d+$/);
  assert.match(data.updated, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(CANIEMAIL_SOURCE, data.source);
  assert.equal(CANIEMAIL_UPDATED, data.updated);
  assert.ok(data.features.length >= 50, `only ${data.features.length} features`);
  for (const f of data.features) {
    assert.equal(f.support.length, data.clients.length, `${f.id}: one support letter per client`);
    assert.match(f.support, /^[ynau]+$/, f.id);
    assert.ok(f.names.length, `${f.id} has names`);
  }
  for (const kind of ['property', 'value', 'function', 'element', 'attribute']) assert.ok(data.features.some((f) => f.kind === kind), `a feature of kind ${kind}`);
  // Small enough to ship in the .vsix without thinking about it.
  assert.ok(readFileSync(DATA).length < 40_000);
});

test('the default targets resolve to Gmail web and apps, Outlook for Windows and Mac, Apple Mail, Yahoo', () => {
  assert.deepEqual(defaultConfig().targets, [...DEFAULT_TARGETS]);
  const ids = resolveTargets(DEFAULT_TARGETS);
  for (const id of ['gmail-web', 'gmail-ios', 'gmail-android', 'outlook-windows', 'outlook-mac', 'apple-mail-mac', 'apple-mail-ios', 'yahoo-web', 'yahoo-ios', 'yahoo-android']) assert.ok(ids.includes(id), id);
  assert.ok(!ids.includes('outlook-com'));
  for (const id of ids) assert.ok(CLIENT_IDS.includes(id));
  const index = gapIndex(ids, false);
  assert.deepEqual(index.properties.get('position')?.missing.includes('gmail-web'), true);
  assert.equal(index.properties.get('mso-line-height-rule'), undefined);
  assert.equal(index.properties.get('border-radius'), undefined, 'graceful features are not shipped');
});

test('targets: unknown clients get a did-you-mean, the rest are kept; targetsPartial is a boolean', () => {
  const { layer, problems } = validateLayer({ targets: ['gmial', 'yahoo'], targetsPartial: 'yes' });
  assert.deepEqual(layer.targets, ['yahoo']);
  assert.ok(problems.some((p) => /gmial/.test(p.message) && /Did you mean 'gmail'/.test(p.message)), JSON.stringify(problems));
  assert.ok(problems.some((p) => p.path[0] === 'targetsPartial'));
  assert.ok(validateLayer({ targets: 'gmail' }).problems.length);
});

test('targets decide what is reported; partial support only when asked', () => {
  const html = '<!DOCTYPE html><html lang="en"><body><table role="presentation"><tr><td><div style="position: relative; display: flex">x</div></td></tr></table></body></html>';
  const run = (layer: Record<string, unknown>) => {
    const config = { ...defaultConfig(), ...layer };
    return linter.lint({ text: html, kind: 'html', filePath: 'email.html', config, locale: 'en' }).findings.filter((f) => f.ruleId === 'client-unsupported');
  };
  const all = run({});
  assert.deepEqual(all.map((f) => html.slice(f.start, f.end)), ['position', 'display']);
  // Apple Mail supports both: nothing.
  assert.deepEqual(run({ targets: ['apple-mail'] }), []);
  // Gmail's apps support flex partly: reported only with targetsPartial.
  assert.deepEqual(run({ targets: ['gmail-ios'] }).map((f) => html.slice(f.start, f.end)), ['position']);
  assert.deepEqual(run({ targets: ['gmail-ios'], targetsPartial: true }).map((f) => `${html.slice(f.start, f.end)}:${f.messageId}`), ['position:unsupported', 'display:partial']);
});

test('usage facts: style attributes, <style> blocks, VML in conditionals and !mso ranges are collected', () => {
  const html = '<html><head><style>.a{color:red}</style></head><body><!--[if gte mso 9]><v:rect></v:rect><![endif]--><!--[if !mso]><!--><svg></svg><!--<![endif]--><p style="color:red">x</p></body></html>';
  const { usage } = parseTemplate(html, 'html');
  assert.equal(usage.styleBlocks.length, 1);
  assert.equal(usage.styled.length, 1);
  assert.equal(usage.vml, true);
  assert.equal(usage.elements.map((e) => e.name).join(), 'svg');
  assert.equal(usage.notMso.length, 2);
  const svg = html.indexOf('<svg');
  assert.ok(usage.notMso[0]! <= svg && svg < usage.notMso[1]!);
});

test('VS Code custom data describes email-only markup, and the manifest points at it', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { html: { customData: string[] }; css: { customData: string[] } } };
  const html = JSON.parse(readFileSync(join(ROOT, pkg.contributes.html.customData[0]!), 'utf8')) as { tags: Array<{ name: string }>; globalAttributes: Array<{ name: string }> };
  const css = JSON.parse(readFileSync(join(ROOT, pkg.contributes.css.customData[0]!), 'utf8')) as { properties: Array<{ name: string; description: string }> };
  for (const a of ['bgcolor', 'cellpadding', 'cellspacing', 'valign']) assert.ok(html.globalAttributes.some((x) => x.name === a), a);
  for (const t of ['v:rect', 'v:fill', 'v:roundrect', 'v:textbox']) assert.ok(html.tags.some((x) => x.name === t), t);
  for (const p of ['mso-line-height-rule', 'mso-hide', 'mso-padding-alt', 'mso-table-lspace']) assert.ok(css.properties.some((x) => x.name === p), p);
  for (const p of css.properties) assert.match(p.name, /^(mso-|-ms-|-webkit-)/, 'only email-specific properties: the rest VS Code knows');
});

test('positions are exact: the property name inside a <style> block and inside a style attribute, entities or not', () => {
  const html = [
    '<!DOCTYPE html><html lang="en"><head><style>',
    '  .a { color: red; position : absolute }',
    '</style></head><body><table role="presentation"><tr><td>',
    '<p title="a &amp; b" style="font-family: &quot;Arial&quot;; float: left">x</p>',
    '</td></tr></table></body></html>',
  ].join('\n');
  const findings = linter.lint({ text: html, kind: 'html', filePath: 'email.html', config: defaultConfig(), locale: 'en' }).findings.filter((f) => f.ruleId === 'client-unsupported');
  assert.deepEqual(findings.map((f) => html.slice(f.start, f.end)), ['position', 'float']);
  assert.deepEqual(findings.map((f) => f.messageId), ['unsupported', 'unsupported']);
});
