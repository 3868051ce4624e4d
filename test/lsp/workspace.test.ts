// The background workspace scan: templates nobody opened get diagnostics in the Problems panel;
// opening one hands it to the editor's copy, closing hands it back to the disk; watcher events
// keep the results current.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byCode, LspClient, makeWorkspace, removeWorkspace, sleep, uriOf, writeFile } from './client';
import { HANDLEBARS_NEWSLETTER, MJML_NEWSLETTER, NEWSLETTER, NEWSLETTER_BODY_LINE, NEWSLETTER_WITH_FOOTER, PASSWORD_RESET } from './templates';

describe('workspace scan', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  const file = (rel: string) => path.join(dir, rel);

  before(async () => {
    dir = makeWorkspace({
      'campaigns/spring.html': NEWSLETTER,
      'campaigns/autumn.mjml': MJML_NEWSLETTER,
      'partials/../digest.hbs': HANDLEBARS_NEWSLETTER,
      'transactional/reset.html': PASSWORD_RESET,
      'assets/logo.html': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
      'node_modules/some-lib/email.html': NEWSLETTER,
      'dist/spring.html': NEWSLETTER,
      'notes.txt': NEWSLETTER,
    });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('publishes diagnostics for templates that were never opened', async () => {
    const started = Date.now();
    const [spring, autumn, digest] = await Promise.all(
      ['campaigns/spring.html', 'campaigns/autumn.mjml', 'digest.hbs'].map((rel) => client.waitForDiagnostics(uriOf(file(rel)), (p) => p.diagnostics.length > 0)),
    );
    console.log(`  workspace scan results within ${Date.now() - started} ms of the first wait`);
    for (const p of [spring!, autumn!, digest!]) {
      assert.equal(p.version, undefined, 'no version: these come from disk');
      assert.equal(byCode(p, 'unsubscribe-link-missing').length, 1, p.uri);
    }
    assert.equal(byCode(spring, 'unsubscribe-link-missing')[0]!.range.start.line, NEWSLETTER_BODY_LINE);
    // Transactional mail is linted and clean; the binary file gets the one unreadable finding.
    const reset = await client.waitForDiagnostics(uriOf(file('transactional/reset.html')));
    assert.deepEqual(reset.diagnostics, []);
    const logo = await client.waitForDiagnostics(uriOf(file('assets/logo.html')));
    assert.deepEqual(logo.diagnostics.map((d) => d.code), ['file-unreadable']);
  });

  it('leaves node_modules, ignored folders and non-template files alone', async () => {
    await sleep(200);
    for (const rel of ['node_modules/some-lib/email.html', 'dist/spring.html', 'notes.txt']) {
      assert.equal(client.published.get(uriOf(file(rel))), undefined, rel);
    }
  });

  it('lets the open document take over, and goes back to the disk when it is closed', async () => {
    const uri = uriOf(file('campaigns/spring.html'));
    await client.open(uri, NEWSLETTER_WITH_FOOTER); // unsaved edits
    const open = await client.waitForVersion(uri, 1);
    assert.deepEqual(open.diagnostics, []);
    const mark = client.mark(uri);
    await client.close(uri);
    // Closed without saving: the disk copy (no footer) is what the Problems panel shows again.
    const back = await client.next(uri, mark);
    assert.equal(back.version, undefined);
    assert.equal(byCode(back, 'unsubscribe-link-missing').length, 1);
  });

  it('relints a changed file, lints a created one and clears a deleted one', async () => {
    const spring = uriOf(file('campaigns/spring.html'));
    let mark = client.mark(spring);
    fs.writeFileSync(file('campaigns/spring.html'), NEWSLETTER_WITH_FOOTER);
    await client.watchedFilesChanged([{ uri: spring, type: 2 }]);
    assert.deepEqual((await client.next(spring, mark)).diagnostics, []);

    const created = uriOf(writeFile(dir, 'campaigns/winter.htm', NEWSLETTER));
    await client.watchedFilesChanged([{ uri: created, type: 1 }]);
    assert.equal(byCode(await client.waitForDiagnostics(created), 'unsubscribe-link-missing').length, 1);

    const autumn = uriOf(file('campaigns/autumn.mjml'));
    mark = client.mark(autumn);
    fs.rmSync(file('campaigns/autumn.mjml'));
    await client.watchedFilesChanged([{ uri: autumn, type: 3 }]);
    assert.deepEqual((await client.next(autumn, mark)).diagnostics, []);
  });

  it('clears everything it published when lintWorkspace is turned off', async () => {
    const uris = ['digest.hbs', 'campaigns/winter.htm', 'assets/logo.html'].map((rel) => uriOf(file(rel)));
    const marks = uris.map((u) => client.mark(u));
    client.settings = { lintDelay: 0, lintWorkspace: false };
    await client.changeConfiguration();
    for (const [i, uri] of uris.entries()) assert.deepEqual((await client.next(uri, marks[i]!)).diagnostics, [], uri);
  });

  it('scans again when it is turned back on', async () => {
    const digest = uriOf(file('digest.hbs'));
    const mark = client.mark(digest);
    client.settings = { lintDelay: 0 };
    await client.changeConfiguration();
    assert.equal(byCode(await client.next(digest, mark), 'unsubscribe-link-missing').length, 1);
  });

  it('scans a workspace folder when it is added and clears it when it is removed', async () => {
    const second = makeWorkspace({ 'promo.html': NEWSLETTER });
    try {
      const promo = uriOf(path.join(second, 'promo.html'));
      const folder = { uri: uriOf(second), name: 'second' };
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      assert.equal(byCode(await client.waitForDiagnostics(promo), 'unsubscribe-link-missing').length, 1);
      const mark = client.mark(promo);
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      assert.deepEqual((await client.next(promo, mark)).diagnostics, []);
    } finally {
      removeWorkspace(second);
    }
  });
});

describe('workspace scan of a larger folder', { timeout: 60_000 }, () => {
  it('keeps answering the open document while 300 files are scanned', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`campaign-${String(i).padStart(3, '0')}/index.html`] = NEWSLETTER.replace('Spring collection', `Campaign ${i}`);
    const dir = makeWorkspace(files);
    const client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    try {
      const uri = uriOf(path.join(dir, 'editing.html'));
      await client.open(uri, NEWSLETTER);
      const sent = Date.now();
      const v = await client.change(uri, NEWSLETTER_WITH_FOOTER);
      await client.waitForVersion(uri, v);
      const latency = Date.now() - sent;
      const last = uriOf(path.join(dir, 'campaign-299/index.html'));
      await client.waitForDiagnostics(last, () => true, { timeout: 30_000 });
      const scanned = [...client.published.keys()].filter((u) => u.includes('/campaign-')).length;
      console.log(`  didChange answered in ${latency} ms during the scan; ${scanned} files scanned in ${Date.now() - sent} ms`);
      assert.equal(scanned, 300);
      assert.ok(latency < 2_000, `the edit waited ${latency} ms behind the scan`);
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});
