// Diagnostics over the wire: what a marketing template without an unsubscribe link gets, how
// edits update it, and that debounced, superseded versions are never published out of order.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byCode, LspClient, makeWorkspace, removeWorkspace, sleep, uriOf } from './client';
import { FOOTER, NEWSLETTER, NEWSLETTER_BODY_LINE, NEWSLETTER_BODY_TAG, NEWSLETTER_WITH_FOOTER, PASSWORD_RESET } from './templates';

describe('diagnostics', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    // lintWorkspace off: these tests look only at open documents.
    dir = makeWorkspace();
    client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false } });
  });

  after(async () => {
    const code = await client.stop();
    removeWorkspace(dir);
    assert.equal(code, 0, 'the server exits with 0 after shutdown + exit');
  });

  it('advertises incremental sync, quick fixes, fix-all and workspace folders', () => {
    const caps = client.initializeResult!.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.deliverlint'] });
    assert.equal(caps.workspace?.workspaceFolders?.supported, true);
  });

  it('registers for settings changes and the rc and template file watchers', async () => {
    // Registration happens after `initialized`; give it a moment.
    for (let i = 0; i < 50 && client.registrations.length < 2; i++) await sleep(20);
    const methods = client.registrations.map((r) => r.method).sort();
    assert.deepEqual(methods, ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
    const watchers = (client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers;
    const globs = watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/.deliverlintrc.json') && globs.includes('**/.deliverlintrc'), globs.join(', '));
    assert.ok(globs.some((g) => g.includes('mjml')), globs.join(', '));
  });

  it('reports a missing unsubscribe link on the <body> start tag, with code, source and docs link', async () => {
    const uri = uriOf(path.join(dir, 'newsletter.html'));
    const sent = Date.now();
    await client.open(uri, NEWSLETTER);
    const published = await client.waitForVersion(uri, 1);
    const latency = Date.now() - sent;
    const [d, ...rest] = byCode(published, 'unsubscribe-link-missing');
    assert.ok(d, 'an unsubscribe-link-missing diagnostic');
    assert.equal(rest.length, 0);
    assert.equal(d.source, 'deliverlint');
    assert.equal(d.severity, 1, 'error by default');
    assert.match(d.codeDescription!.href, /\/docs\/rules\/unsubscribe-link-missing\.md$/);
    assert.deepEqual(d.range, {
      start: { line: NEWSLETTER_BODY_LINE, character: 0 },
      end: { line: NEWSLETTER_BODY_LINE, character: NEWSLETTER_BODY_TAG.length },
    });
    const data = d.data as { ruleId: string; messageId: string; version: number };
    assert.equal(data.ruleId, 'unsubscribe-link-missing');
    assert.equal(data.messageId, 'missing');
    assert.equal(data.version, 1);
    // The postal address is missing too; every diagnostic carries the document's version.
    assert.equal(byCode(published, 'postal-address-missing').length, 1);
    assert.equal(published.version, 1);
    console.log(`  diagnostics after didOpen: ${latency} ms`);
    await client.close(uri);
  });

  it('clears the diagnostic for the version that adds the link', async () => {
    const uri = uriOf(path.join(dir, 'edit.html'));
    await client.open(uri, NEWSLETTER);
    assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing').length, 1);
    const sent = Date.now();
    const version = await client.change(uri, NEWSLETTER_WITH_FOOTER);
    const published = await client.waitForVersion(uri, version);
    console.log(`  diagnostics after didChange (lintDelay 100 ms): ${Date.now() - sent} ms`);
    assert.deepEqual(published.diagnostics, []);
    await client.close(uri);
  });

  it('publishes only the last of rapid successive versions, never an older one after a newer', async () => {
    const uri = uriOf(path.join(dir, 'typing.html'));
    // A delay well above the time the burst takes, so a busy CI machine does not split it.
    client.settings = { lintWorkspace: false, lintDelay: 250 };
    await client.changeConfiguration();
    await client.open(uri, NEWSLETTER);
    await client.waitForVersion(uri, 1);
    const mark = client.mark(uri);
    const burstStart = Date.now();
    // Type the footer in character by character, as fast as the wire allows.
    const insertAt = NEWSLETTER.indexOf('</body>');
    const footer = FOOTER.slice(0, 120);
    let last = 1;
    for (let i = 1; i <= footer.length; i += 6) {
      last = await client.change(uri, NEWSLETTER.slice(0, insertAt) + footer.slice(0, i) + NEWSLETTER.slice(insertAt));
    }
    last = await client.change(uri, NEWSLETTER_WITH_FOOTER);
    const burstMs = Date.now() - burstStart;
    const final = await client.waitForVersion(uri, last);
    assert.deepEqual(final.diagnostics, []);
    await sleep(500); // anything still in flight would arrive now
    const versions = (client.published.get(uri) ?? []).slice(mark).map((p) => p.version as number);
    console.log(`  ${last - 1} changes sent in ${burstMs} ms; versions published: ${versions.join(', ')}`);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `version ${versions[i]} published after ${versions[i - 1]}`);
    assert.equal(versions[versions.length - 1], last, 'the last version is the one that stays');
    if (burstMs < 200) assert.deepEqual(versions, [last], 'a burst shorter than lintDelay is linted once');
    client.settings = { lintWorkspace: false };
    await client.changeConfiguration();
    await client.close(uri);
  });

  it('keeps publishing versions in order while lints and edits interleave', async () => {
    const uri = uriOf(path.join(dir, 'interleave.html'));
    client.settings = { lintWorkspace: false, lintDelay: 0 };
    await client.changeConfiguration();
    await client.open(uri, NEWSLETTER);
    await client.waitForVersion(uri, 1);
    let last = 1;
    for (let i = 0; i < 30; i++) {
      last = await client.change(uri, i % 2 ? NEWSLETTER : NEWSLETTER_WITH_FOOTER);
      if (i % 5 === 0) await sleep(5);
    }
    await client.waitForVersion(uri, last);
    await sleep(200);
    const versions = (client.published.get(uri) ?? []).map((p) => p.version as number);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! >= versions[i - 1]!, `version ${versions[i]} published after ${versions[i - 1]}`);
    assert.equal(versions[versions.length - 1], last);
    // The last text is NEWSLETTER (odd count of toggles ends on it): its diagnostic is there.
    assert.equal(byCode(client.latest(uri), 'unsubscribe-link-missing').length, client.text(uri) === NEWSLETTER ? 1 : 0);
    client.settings = { lintWorkspace: false };
    await client.changeConfiguration();
    await client.close(uri);
  });

  it('stays quiet on transactional mail and on files that are not templates', async () => {
    const reset = uriOf(path.join(dir, 'reset.html'));
    await client.open(reset, PASSWORD_RESET);
    assert.equal(byCode(await client.waitForVersion(reset, 1), 'unsubscribe-link-missing').length, 0);
    const notes = uriOf(path.join(dir, 'notes.txt'));
    await client.open(notes, NEWSLETTER, 'plaintext');
    assert.deepEqual((await client.waitForVersion(notes, 1)).diagnostics, []);
    await client.close(reset);
    await client.close(notes);
  });

  it('lints untitled documents by language', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, NEWSLETTER, 'html');
    assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing').length, 1);
    await client.close(uri);
  });

  it('clears the diagnostics of a closed file when the workspace is not linted', async () => {
    const uri = uriOf(path.join(dir, 'closing.html'));
    await client.open(uri, NEWSLETTER);
    await client.waitForVersion(uri, 1);
    const mark = client.mark(uri);
    await client.close(uri);
    const cleared = await client.next(uri, mark);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('transport', { timeout: 30_000 }, () => {
  it('serves over node IPC, as the VS Code client starts it', async () => {
    const dir = makeWorkspace();
    const client = await LspClient.start({ folders: [dir], transport: 'ipc', settings: { lintWorkspace: false } });
    try {
      const uri = uriOf(path.join(dir, 'ipc.html'));
      await client.open(uri, NEWSLETTER);
      assert.equal(byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing').length, 1);
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});
