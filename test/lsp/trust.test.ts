// Issue 13 "Trust" over the wire: every rc-file problem is published once and in words, an unknown
// rule id in the settings is said (once) with the closest id, and the editor's own JSON checks are
// not repeated.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, makeWorkspace, messageOf, removeWorkspace, uriOf } from './client';
import { NEWSLETTER } from './templates';

describe('rc-file problems: one diagnostic per problem, in words', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({
      'syntax/.deliverlintrc.json': '{\n  "esp": "ses"\n  "rules": { "postal-address-missing": "off" }\n}\n',
      'values/.deliverlintrc.json': '{\n  "esp": "gmail",\n  "rules": { "unsubscribe-link-mising": "off" }\n}\n',
    });
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, rules: { 'postal-adress-missing': 'warning' } } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('a JSON syntax error in a closed rc file: exactly one diagnostic, worded, no error code', async () => {
    const rcUri = uriOf(path.join(dir, 'syntax', '.deliverlintrc.json'));
    await client.open(uriOf(path.join(dir, 'syntax', 'newsletter.html')), NEWSLETTER);
    const rc = await client.waitForDiagnostics(rcUri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(rc.diagnostics.map(messageOf), ['Invalid JSON: expected a comma.']);
    assert.equal(rc.diagnostics[0]!.code, undefined, 'no jsonc error code');
    assert.equal(rc.diagnostics[0]!.range.start.line, 2);
  });

  it('wrong values: one diagnostic each, the unknown rule id with the closest known one', async () => {
    const rcUri = uriOf(path.join(dir, 'values', '.deliverlintrc.json'));
    await client.open(uriOf(path.join(dir, 'values', 'newsletter.html')), NEWSLETTER);
    const rc = await client.waitForDiagnostics(rcUri, (p) => p.diagnostics.length > 0);
    const messages = rc.diagnostics.map(messageOf).sort();
    assert.equal(messages.length, 2, messages.join(' | '));
    assert.match(messages[0]!, /^"esp" must be one of/);
    assert.equal(messages[1], "Unknown rule 'unsubscribe-link-mising'. Did you mean 'unsubscribe-link-missing'?");
    assert.equal(rc.diagnostics.find((d) => /Unknown rule/.test(messageOf(d)))!.range.start.line, 2);
  });

  it('an unknown rule id in the settings is an error message naming the closest id, said once', async () => {
    const expected = "deliverlint.rules.postal-adress-missing: Unknown rule 'postal-adress-missing'. Did you mean 'postal-address-missing'?";
    await client.waitUntil(() => client.logs.some((l) => l === `[showMessage] ${expected}`), 10_000, 'the settings problem is shown');
    await client.open(uriOf(path.join(dir, 'another.html')), NEWSLETTER);
    await client.waitForVersion(uriOf(path.join(dir, 'another.html')), 1);
    assert.equal(client.logs.filter((l) => l === `[showMessage] ${expected}`).length, 1, 'once, not once a document');
  });
});

describe('rc-file problems with an editor that checks JSON syntax itself (VS Code)', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({});
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false }, initializationOptions: { jsonSyntaxInEditor: true } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('an open rc file: syntax errors are the editor\'s, the values ours', async () => {
    const rcUri = uriOf(path.join(dir, '.deliverlintrc.json'));
    await client.open(rcUri, '{\n  "esp": "ses"\n  "rules": {}\n}\n', 'jsonc');
    assert.deepEqual((await client.waitForVersion(rcUri, 1)).diagnostics, [], 'VS Code\'s JSON language service reports the missing comma');
    const v = await client.change(rcUri, '{\n  "esp": "ses",\n  "rules": { "merge-tag-unclosd": "off" }\n}\n');
    const published = await client.waitForVersion(rcUri, v);
    assert.deepEqual(published.diagnostics.map(messageOf), ["Unknown rule 'merge-tag-unclosd'. Did you mean 'merge-tag-unclosed'?"]);
  });
});
