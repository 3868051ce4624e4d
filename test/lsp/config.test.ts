// Configuration over the wire: editor settings pulled per document, .deliverlintrc.json files in
// the workspace, broken rc files reported on themselves, and the layering between the two.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byCode, editsFor, messageOf, LspClient, makeWorkspace, removeWorkspace, uriOf, writeFile } from './client';
import { NEWSLETTER } from './templates';
import { explicitSettings } from '../../server/src/protocol';

/** What VS Code answers for an untouched `deliverlint` section: the manifest defaults. */
const VSCODE_ANSWER = {
  enable: true,
  esp: 'none',
  jurisdictions: ['us'],
  rules: {},
  transactional: [],
  marketing: [],
  sender: { name: '', postalAddress: '', unsubscribeUrl: '', contact: '' },
  files: ['**/*.{html,htm,mjml,hbs,handlebars,njk,liquid}'],
  ignore: ['**/node_modules/**', '**/dist/**'],
  lintWorkspace: false,
  lintDelay: 0,
  trace: { server: 'off' },
};
/** What the Deliverlint client passes on of it: nothing of what layers over the rc file, as the user set none. */
const VSCODE_DEFAULTS = explicitSettings(VSCODE_ANSWER, () => false);

describe('configuration', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({
      'quiet/.deliverlintrc.json': '{\n  // the team sends postal details from the ESP footer\n  "rules": { "postal-address-missing": "off" },\n}\n',
      'broken/.deliverlintrc.json': '{\n  "rules": {\n    "unsubscribe-link-missing": "off"\n  \n',
      'mailchimp/.deliverlintrc.json': '{ "esp": "mailchimp" }\n',
      'invalid/.deliverlintrc.json': '{ "esp": "gmail", "rules": { "unsubscribe-link-missing": "warning" } }\n',
    });
    client = await LspClient.start({ folders: [dir], settings: { ...VSCODE_DEFAULTS } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('pulls settings per document and follows didChangeConfiguration: warning, then off', async () => {
    const uri = uriOf(path.join(dir, 'settings.html'));
    const requestsBefore = client.configurationRequests;
    await client.open(uri, NEWSLETTER);
    const [error] = byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing');
    assert.equal(error?.severity, 1);
    assert.ok(client.configurationRequests > requestsBefore, 'the server asked for the settings of this document');

    let mark = client.mark(uri);
    client.settings = { ...VSCODE_DEFAULTS, rules: { 'unsubscribe-link-missing': 'warning' } };
    await client.changeConfiguration();
    const [warning] = byCode(await client.next(uri, mark), 'unsubscribe-link-missing');
    assert.equal(warning?.severity, 2, 'republished as a warning');

    mark = client.mark(uri);
    client.settings = { ...VSCODE_DEFAULTS, rules: { 'unsubscribe-link-missing': 'off' } };
    await client.changeConfiguration();
    const off = await client.next(uri, mark);
    assert.equal(byCode(off, 'unsubscribe-link-missing').length, 0);
    assert.equal(byCode(off, 'postal-address-missing').length, 1, 'other rules are untouched');

    mark = client.mark(uri);
    client.settings = { ...VSCODE_DEFAULTS, enable: false };
    await client.changeConfiguration();
    assert.deepEqual((await client.next(uri, mark)).diagnostics, [], 'enable: false clears the file');

    client.settings = { ...VSCODE_DEFAULTS };
    await client.changeConfiguration();
    await client.close(uri);
  });

  it('answers settings per scope URI (a folder-specific override)', async () => {
    const uri = uriOf(path.join(dir, 'scoped.html'));
    client.scopedSettings.set(uri, { ...VSCODE_DEFAULTS, rules: { 'unsubscribe-link-missing': 'info' } });
    await client.open(uri, NEWSLETTER);
    assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing')[0]?.severity, 3);
    client.scopedSettings.delete(uri);
    await client.close(uri);
  });

  it('honours a .deliverlintrc.json in the workspace (JSON with comments)', async () => {
    const uri = uriOf(path.join(dir, 'quiet', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    const published = await client.waitForVersion(uri, 1);
    assert.equal(byCode(published, 'postal-address-missing').length, 0, 'off in the rc file');
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 1);
    await client.close(uri);
  });

  it('keeps the rc file in charge where the editor settings are only defaults', async () => {
    // VS Code sends esp: "none" for an untouched setting; the rc file's "mailchimp" must win.
    const uri = uriOf(path.join(dir, 'mailchimp', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    const [d] = byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing');
    assert.ok(d);
    const actions = await client.codeActions(uri, d.range, [d]);
    assert.ok(actions.some((a) => editsFor(a.edit, uri).edits.some((e) => e.newText.includes('*|UNSUB|*'))), 'the fix uses the rc file\'s ESP');
    await client.close(uri);
  });

  it('reports a broken rc file on that file, lints with defaults meanwhile, and clears once fixed', async () => {
    const rcPath = path.join(dir, 'broken', '.deliverlintrc.json');
    const rcUri = uriOf(rcPath);
    const uri = uriOf(path.join(dir, 'broken', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    const published = await client.waitForVersion(uri, 1);
    assert.equal(byCode(published, 'unsubscribe-link-missing').length, 1, 'defaults apply while the rc file is broken');

    const rc = await client.waitForDiagnostics(rcUri, (p) => p.diagnostics.length > 0);
    const [problem] = rc.diagnostics;
    assert.equal(problem!.source, 'deliverlint');
    assert.equal(problem!.severity, 1);
    assert.match(messageOf(problem!), /Invalid JSON/);
    assert.ok(problem!.range.start.line >= 3, `the problem is at the end of the object, not at 0:0 (${JSON.stringify(problem!.range)})`);

    // Fixed on disk: the watcher event clears the rc diagnostics and the rule is off again.
    const rcMark = client.mark(rcUri);
    const mark = client.mark(uri);
    fs.writeFileSync(rcPath, '{\n  "rules": {\n    "unsubscribe-link-missing": "off"\n  }\n}\n');
    await client.watchedFilesChanged([{ uri: rcUri, type: 2 }]);
    assert.deepEqual((await client.next(rcUri, rcMark)).diagnostics, []);
    const relinted = await client.next(uri, mark);
    assert.equal(byCode(relinted, 'unsubscribe-link-missing').length, 0);
    await client.close(uri);
  });

  it('shows the problems of an rc file open in the editor as it is typed, and the saved ones after closing', async () => {
    const rcPath = writeFile(dir, 'editing/.deliverlintrc.json', '{ "rules": { "unsubscribe-link-missing": "of" } }\n');
    const rcUri = uriOf(rcPath);
    const uri = uriOf(path.join(dir, 'editing', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    await client.waitForVersion(uri, 1);
    assert.equal((await client.waitForDiagnostics(rcUri, (p) => p.diagnostics.length > 0)).diagnostics.length, 1, 'the saved file is reported');

    await client.open(rcUri, fs.readFileSync(rcPath, 'utf8'), 'jsonc');
    assert.equal((await client.waitForVersion(rcUri, 1)).diagnostics.length, 1);
    const v = await client.change(rcUri, '{ "rules": { "unsubscribe-link-missing": "off" } }\n');
    assert.deepEqual((await client.waitForVersion(rcUri, v)).diagnostics, [], 'fixed in the editor, not yet saved');
    const mark = client.mark(rcUri);
    await client.close(rcUri);
    assert.equal((await client.next(rcUri, mark)).diagnostics.length, 1, 'closed unsaved: the file on disk is still wrong');
    await client.close(uri);
  });

  it('reports invalid values in the rc file on their own range and keeps the valid keys', async () => {
    const rcUri = uriOf(path.join(dir, 'invalid', '.deliverlintrc.json'));
    const uri = uriOf(path.join(dir, 'invalid', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing')[0]?.severity, 2, 'the valid "rules" key applies');
    const rc = await client.waitForDiagnostics(rcUri, (p) => p.diagnostics.length > 0);
    assert.equal(rc.diagnostics.length, 1);
    const col = '{ "esp": '.length;
    assert.deepEqual(rc.diagnostics[0]!.range, { start: { line: 0, character: col }, end: { line: 0, character: col + '"gmail"'.length } });
    await client.close(uri);
  });

  it('picks up a new rc file when the watcher reports it', async () => {
    const uri = uriOf(path.join(dir, 'later', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing').length, 1);
    const mark = client.mark(uri);
    const rc = writeFile(dir, 'later/.deliverlintrc.json', '{ "rules": { "unsubscribe-link-missing": "hint" } }');
    await client.watchedFilesChanged([{ uri: uriOf(rc), type: 1 }]);
    assert.equal(byCode(await client.next(uri, mark), 'unsubscribe-link-missing')[0]?.severity, 4);
    await client.close(uri);
  });

  it('skips files matching the ignore globs', async () => {
    const uri = uriOf(path.join(dir, 'vendor', 'newsletter.html'));
    client.settings = { ...VSCODE_DEFAULTS, ignore: ['vendor/**'] };
    await client.changeConfiguration();
    await client.open(uri, NEWSLETTER);
    assert.deepEqual((await client.waitForVersion(uri, 1)).diagnostics, []);
    client.settings = { ...VSCODE_DEFAULTS };
    await client.changeConfiguration();
    await client.close(uri);
  });
});
