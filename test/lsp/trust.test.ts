// Issue 13 "Trust" over the wire: every rc-file problem is published once and in words, an unknown
// rule id in the settings is said (once) with the closest id, and the editor's own JSON checks are
// not repeated.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as fs from 'node:fs';
import { applyWorkspaceEdit, editsFor, LspClient, makeWorkspace, messageOf, removeWorkspace, uriOf } from './client';
import { MJML_NEWSLETTER, NEWSLETTER } from './templates';
import type { EffectiveConfiguration } from '../../server/src/protocol';

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

describe('the Ctrl+. menu: documentation and fix all beside the fixes', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({});
    // With an ESP the footer fix is safe, so fix-all has something to do.
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0, esp: 'mailchimp' } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('offers "Show documentation for <rule>" and "Fix all", and the documentation command opens the rule page', async () => {
    const uri = uriOf(path.join(dir, 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    const published = await client.waitForVersion(uri, 1);
    const diagnostic = published.diagnostics.find((d) => d.code === 'unsubscribe-link-missing')!;
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const titles = actions.map((a) => a.title);
    const docs = actions.find((a) => a.title === 'Show documentation for unsubscribe-link-missing');
    assert.ok(docs, titles.join(' | '));
    assert.equal(docs.kind, 'quickfix');
    assert.equal(docs.command?.command, 'deliverlint.showRuleDocumentation');
    assert.deepEqual(docs.command?.arguments, ['unsubscribe-link-missing']);
    const fixAll = actions.find((a) => a.title === 'Fix all auto-fixable Deliverlint problems');
    assert.ok(fixAll?.edit, titles.join(' | '));
    assert.equal(fixAll.kind, 'quickfix');
    // Fixes first, then the suppressions, then documentation and fix all, as vscode-eslint orders them.
    assert.ok(titles.indexOf(docs.title) > titles.findIndex((t) => t.startsWith('Disable ')), titles.join(' | '));
    assert.equal(titles.at(-1), fixAll.title);
    // Applied and linted again: the footer is in and the finding gone; nothing else in the file moved.
    const { edits } = editsFor(fixAll.edit, uri);
    const fixed = applyWorkspaceEdit(NEWSLETTER, fixAll.edit, uri);
    assert.ok(fixed.includes('*|UNSUB|*'), 'the Mailchimp tag');
    // The unsubscribe and address footers (Mailchimp's *|...|* tags) are all it added.
    assert.equal(fixed.replace(/\n[^\n]*\*\|[A-Z_:]+\|\*[^\n]*/g, ''), NEWSLETTER, 'only footer lines were added');
    const v = await client.edit(uri, edits);
    assert.ok(!(await client.waitForVersion(uri, v)).diagnostics.some((d) => d.code === 'unsubscribe-link-missing'));

    assert.ok((client.initializeResult?.capabilities.executeCommandProvider?.commands ?? []).includes('deliverlint.showRuleDocumentation'));
    await client.request('workspace/executeCommand', { command: 'deliverlint.showRuleDocumentation', arguments: ['unsubscribe-link-missing'] });
    assert.deepEqual(client.shownDocuments.at(-1), { uri: diagnostic.codeDescription!.href, external: true });
    // The page of the installed version: the release tag, not main.
    const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(diagnostic.codeDescription!.href, `https://github.com/deliverlint/deliverlint/blob/v${version}/docs/rules/unsubscribe-link-missing.md`);
  });

  it('in Japanese', async () => {
    const ja = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0 }, locale: 'ja' });
    try {
      const uri = uriOf(path.join(dir, 'ja.html'));
      await ja.open(uri, NEWSLETTER);
      const diagnostic = (await ja.waitForVersion(uri, 1)).diagnostics.find((d) => d.code === 'unsubscribe-link-missing')!;
      const titles = (await ja.codeActions(uri, diagnostic.range, [diagnostic])).map((a) => a.title);
      assert.ok(titles.includes('unsubscribe-link-missing のドキュメントを表示'), titles.join(' | '));
    } finally {
      await ja.stop();
    }
  });
});

describe('deliverlint/effectiveConfiguration and the log', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({
      'team/.deliverlintrc.json': '{\n  "esp": "ses",\n  "sender": { "name": "Harbor" },\n  "rules": { "postal-address-missing": "warning", "merge-tag-unclosd": "off" }\n}\n',
    });
    client = await LspClient.start({
      folders: [dir],
      settings: { lintWorkspace: false, jurisdictions: ['us'], rules: { 'merge-tag-unclosed': 'info' }, sender: { contact: 'help@harbor.example.com' } },
    });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('says what each value is and where it came from: default, rc file, setting', async () => {
    const uri = uriOf(path.join(dir, 'team', 'newsletter.html'));
    await client.open(uri, NEWSLETTER);
    await client.waitForVersion(uri, 1);
    const rcPath = path.join(dir, 'team', '.deliverlintrc.json');
    const eff = await client.request<EffectiveConfiguration>('deliverlint/effectiveConfiguration', { uri });
    assert.equal(eff.configFile, rcPath);
    assert.equal(eff.linted, true);
    assert.equal(eff.enabled, true);
    assert.match(eff.serverVersion, /^\d+\.\d+\.\d+/);
    assert.equal(eff.values['esp'], 'ses');
    assert.deepEqual(eff.sources['esp'], { from: 'rcFile', path: rcPath });
    assert.deepEqual(eff.sources['jurisdictions'], { from: 'setting', key: 'deliverlint.jurisdictions' }, 'set to its default, still the setting');
    assert.deepEqual(eff.sources['files'], { from: 'default' });
    const rules = eff.values['rules'] as Record<string, string>;
    assert.equal(rules['postal-address-missing'], 'warning');
    assert.deepEqual(eff.sources['rules.postal-address-missing'], { from: 'rcFile', path: rcPath });
    assert.equal(rules['merge-tag-unclosed'], 'info');
    assert.deepEqual(eff.sources['rules.merge-tag-unclosed'], { from: 'setting', key: 'deliverlint.rules' });
    assert.equal(rules['unsubscribe-link-missing'], 'error');
    assert.deepEqual(eff.sources['rules.unsubscribe-link-missing'], { from: 'default' });
    assert.deepEqual(eff.sources['sender.name'], { from: 'rcFile', path: rcPath });
    assert.deepEqual(eff.sources['sender.contact'], { from: 'setting', key: 'deliverlint.sender.contact' });
    assert.deepEqual(eff.configFileProblems, ["4:51 Unknown rule 'merge-tag-unclosd'. Did you mean 'merge-tag-unclosed'?"]);
  });

  it('the log names the version, each rc file read and each of its problems', async () => {
    const rcPath = path.join(dir, 'team', '.deliverlintrc.json');
    assert.ok(client.logs.some((l) => /^Deliverlint language server \d+\.\d+\.\d+ /.test(l)), client.logs.join('\n'));
    assert.ok(client.logs.some((l) => l === `Read configuration file ${rcPath} (1 problem(s)).`), client.logs.join('\n'));
    assert.ok(client.logs.some((l) => l === `${rcPath}:4:51: Unknown rule 'merge-tag-unclosd'. Did you mean 'merge-tag-unclosed'?`), client.logs.join('\n'));
  });

  it('a file with no rc file: every value from the defaults or the settings', async () => {
    const uri = uriOf(path.join(dir, 'plain.html'));
    const eff = await client.request<EffectiveConfiguration>('deliverlint/effectiveConfiguration', { uri });
    assert.equal(eff.configFile, undefined);
    assert.equal(eff.linted, false, 'not open: not linted as an open document');
    assert.deepEqual(eff.sources['esp'], { from: 'default' });
  });
});

describe('beside the official MJML extension (deliverlint.mjml.validate)', { timeout: 60_000 }, () => {
  // An unknown attribute mjml's own validation rejects: mjml-invalid, from us and from mjmlio.vscode-mjml.
  const BAD_MJML = MJML_NEWSLETTER.replace('<mj-text', '<mj-text colour="red"');
  let dir: string;
  let n = 0;

  before(() => {
    dir = makeWorkspace({});
  });

  after(() => removeWorkspace(dir));

  async function mjmlInvalid(client: LspClient): Promise<number> {
    const uri = uriOf(path.join(dir, `n${++n}.mjml`));
    await client.open(uri, BAD_MJML, 'mjml');
    const published = await client.waitForVersion(uri, 1);
    return published.diagnostics.filter((d) => d.code === 'mjml-invalid').length;
  }

  it('auto: validates without the extension, leaves it to the extension when installed, and follows its install', async () => {
    const alone = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false } });
    try {
      assert.ok((await mjmlInvalid(alone)) > 0, 'no MJML extension: Deliverlint validates MJML');
    } finally {
      await alone.stop();
    }
    const beside = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false }, initializationOptions: { mjmlExtension: true } });
    try {
      assert.equal(await mjmlInvalid(beside), 0, 'left to the MJML extension');
      const eff = await beside.request<EffectiveConfiguration>('deliverlint/effectiveConfiguration', { uri: uriOf(path.join(dir, `n${n}.mjml`)) });
      assert.equal((eff.values['rules'] as Record<string, string>)['mjml-invalid'], 'off');
      assert.deepEqual(eff.sources['rules.mjml-invalid'], { from: 'setting', key: 'deliverlint.mjml.validate' });
      // Uninstalled: the client says so, and the open file is linted again with mjml-invalid.
      const uri = uriOf(path.join(dir, `n${n}.mjml`));
      const mark = beside.mark(uri);
      await beside.notify('deliverlint/mjmlExtension', { installed: false });
      const again = await beside.next(uri, mark);
      assert.ok(again.diagnostics.some((d) => d.code === 'mjml-invalid'), 'validated again');
    } finally {
      await beside.stop();
    }
  });

  it('always validates when asked, and never when told; a severity the user set for mjml-invalid counts as asking', async () => {
    const always = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, mjml: { validate: 'always' } }, initializationOptions: { mjmlExtension: true } });
    try {
      assert.ok((await mjmlInvalid(always)) > 0);
    } finally {
      await always.stop();
    }
    const never = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, mjml: { validate: 'never' } } });
    try {
      assert.equal(await mjmlInvalid(never), 0);
    } finally {
      await never.stop();
    }
    const asked = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, rules: { 'mjml-invalid': 'warning' } }, initializationOptions: { mjmlExtension: true } });
    try {
      assert.ok((await mjmlInvalid(asked)) > 0);
    } finally {
      await asked.stop();
    }
  });
});

describe('fix-all (source.fixAll.deliverlint) in send configurations too', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  const fixtures = path.join(__dirname, '..', 'fixtures', 'rules');

  before(async () => {
    dir = makeWorkspace({});
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false, lintDelay: 0 } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  for (const [name, fixture, languageId, rule] of [
    ['a SendGrid payload (JSON)', 'list-unsubscribe-one-click-missing/invalid/sendgrid-no-post.json', 'json', 'list-unsubscribe-one-click-missing'],
    ['a campaign file (YAML)', 'list-unsubscribe-missing/invalid/no-headers.campaign.yaml', 'yaml', 'list-unsubscribe-missing'],
  ] as const) {
    it(`${name}: fix-all gives the safe fixes, and linted again the finding is gone`, async () => {
      // The fixture's configuration sidecar (an unsubscribe URL makes the header fix safe) as the rc file.
      const folder = path.join(dir, rule);
      fs.mkdirSync(folder, { recursive: true });
      const sidecar = path.join(fixtures, fixture.replace(/(\.campaign)?\.(json|yaml)$/, '.config.json'));
      if (fs.existsSync(sidecar)) fs.copyFileSync(sidecar, path.join(folder, '.deliverlintrc.json'));
      const uri = uriOf(path.join(folder, path.basename(fixture)));
      const text = fs.readFileSync(path.join(fixtures, fixture), 'utf8');
      await client.open(uri, text, languageId);
      const published = await client.waitForVersion(uri, 1);
      assert.ok(published.diagnostics.some((d) => d.code === rule), `${rule} on open`);
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const [fixAll] = await client.codeActions(uri, range, [], ['source.fixAll.deliverlint']);
      assert.ok(fixAll?.edit, 'a fix-all action with an edit');
      const { edits } = editsFor(fixAll.edit, uri);
      const v = await client.edit(uri, edits);
      const after = await client.waitForVersion(uri, v);
      assert.ok(!after.diagnostics.some((d) => d.code === rule), `${rule} fixed`);
    });
  }
});
