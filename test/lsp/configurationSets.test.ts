// configuration-set-unknown in the language server: a payload is checked against the configuration
// sets the workspace's infrastructure defines (read by the scan and from open documents), and is
// linted again when an infrastructure file adds, renames or drops a set, open or closed, saved or not.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byCode, LspClient, makeWorkspace, removeWorkspace, uriOf } from './client';

const FIX = path.join(__dirname, '..', 'fixtures', 'rules', 'configuration-set-unknown');
const IAC = fs.readFileSync(path.join(FIX, 'valid', 'sending.yaml'), 'utf8');
const PAYLOAD = fs.readFileSync(path.join(FIX, 'valid', 'ses-send-email.json'), 'utf8');
const MISNAMED = PAYLOAD.replace('"marketing-events"', '"newsletter-events"');
const RULE = 'configuration-set-unknown';

describe('configuration-set-unknown across the workspace', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  const file = (rel: string) => path.join(dir, rel);

  before(async () => {
    // The payload sorts before the infrastructure: the scan reads it first, and lints it again once the sets are known.
    dir = makeWorkspace({ 'a-sends/newsletter.json': MISNAMED, 'z-infra/ses.yaml': IAC });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('reports a closed payload naming a set the infrastructure does not define, once the scan has read the infrastructure', async () => {
    const p = await client.waitForDiagnostics(uriOf(file('a-sends/newsletter.json')), (x) => byCode(x, RULE).length > 0);
    assert.match(String(byCode(p, RULE)[0]!.message), /newsletter-events is not defined .*marketing-events/);
  });

  it('lints the payload again when an open infrastructure file defines the set (unsaved), and when the edit is undone', async () => {
    const iac = uriOf(file('z-infra/ses.yaml'));
    const payload = uriOf(file('a-sends/newsletter.json'));
    await client.open(iac, IAC, 'yaml');
    await client.waitForVersion(iac, 1);
    let mark = client.mark(payload);
    await client.change(iac, IAC.replace('Name: marketing-events', 'Name: newsletter-events'));
    assert.deepEqual(byCode(await client.next(payload, mark, (x) => byCode(x, RULE).length === 0), RULE), []);
    mark = client.mark(payload);
    await client.change(iac, IAC);
    assert.equal(byCode(await client.next(payload, mark, (x) => byCode(x, RULE).length > 0), RULE).length, 1);
    await client.close(iac);
  });

  it('an open payload is checked against the sets too, and goes silent when the infrastructure file is deleted', async () => {
    const payload = uriOf(file('a-sends/newsletter.json'));
    await client.open(payload, MISNAMED, 'json');
    const open = await client.waitForVersion(payload, 1);
    assert.equal(byCode(open, RULE).length, 1);
    const mark = client.mark(payload);
    fs.rmSync(file('z-infra/ses.yaml'));
    await client.watchedFilesChanged([{ uri: uriOf(file('z-infra/ses.yaml')), type: 3 }]);
    const after = await client.next(payload, mark, (x) => byCode(x, RULE).length === 0);
    assert.deepEqual(byCode(after, RULE), []);
  });
});
