// The workspace scan and a folder it cannot read: the server logs it and warns once, instead of
// leaving the Problems panel looking clean. Root reads every folder, so the server runs as `nobody`.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, makeWorkspace, removeWorkspace, sleep, uriOf } from './client';
import { NEWSLETTER } from './templates';
import { readableBundles } from '../tools/readableBundles';

const asNobody = process.getuid?.() === 0;

describe('a workspace folder the server cannot read', { timeout: 60_000, skip: asNobody ? false : 'needs root to run the server as another user' }, () => {
  let dir: string;
  let client: LspClient;
  let bundles: string;

  before(async () => {
    // `nobody` must be able to read the server bundle, wherever the checkout is.
    bundles = readableBundles(['server.js', 'serverWorker.js']);
    dir = makeWorkspace({ 'locked/news.html': NEWSLETTER, 'open/news.html': NEWSLETTER });
    fs.chmodSync(dir, 0o755);
    for (const d of ['open', 'open/news.html']) fs.chmodSync(path.join(dir, d), d.endsWith('.html') ? 0o644 : 0o755);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 }, uid: 65534, gid: 65534, serverJs: path.join(bundles, 'server.js') });
  });

  after(async () => {
    await client?.stop();
    fs.chmodSync(path.join(dir, 'locked'), 0o755);
    removeWorkspace(dir);
    fs.rmSync(bundles, { recursive: true, force: true });
  });

  it('logs the folder and shows one warning naming it; the rest is linted', async () => {
    await client.waitForDiagnostics(uriOf(path.join(dir, 'open', 'news.html')), (p) => p.diagnostics.length > 0);
    await client.waitUntil(() => client.logs.some((l) => l.startsWith('[showMessage]')), 10_000, 'the warning');
    const warnings = client.logs.filter((l) => l.startsWith('[showMessage]'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not read 1 folder\(s\) of the workspace.*: locked\./);
    assert.ok(client.logs.some((l) => l.includes(`could not read the folder ${path.join(dir, 'locked')}`) && l.includes('EACCES')));
    // A second scan (settings changed) does not warn again.
    const scans = () => client.logs.filter((l) => l.startsWith('Workspace scan:') && l.includes('linted in')).length;
    const before = scans();
    client.settings = { lintDelay: 0, esp: 'sendgrid' };
    await client.changeConfiguration();
    await client.waitUntil(() => scans() > before, 10_000, 'the second scan');
    await sleep(100);
    assert.equal(client.logs.filter((l) => l.startsWith('[showMessage]')).length, 1);
  });
});
