// deliverlint/verifyMessage over the wire: the bundled server (which loads dist/verify.js on the
// first request) verifies an open .eml, signed here with a key made here, against a real DNS server
// on 127.0.0.1 named in the settings; the report comes in the client's language.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { VERIFY_MESSAGE_METHOD, type VerifyMessageParams, type VerifyMessageResult } from '../../server/src/protocol';
import { startDnsServer, type TestDnsServer } from '../dns/server';
import { LspClient, makeWorkspace, removeWorkspace, uriOf, withTimeout } from './client';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const keyTxt = `v=DKIM1; k=rsa; p=${p}`;

const MESSAGE = [
  'From: Harbor Outfitters <news@harbor.example>',
  'To: jordan.lee@example.net',
  'Subject: Winter boots',
  'Date: Fri, 04 Dec 2026 09:00:00 -0500',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8',
  '',
  'Winter boots are 30% off until Sunday.',
  '',
].join('\r\n');

describe('deliverlint/verifyMessage', { timeout: 60_000 }, () => {
  let dns: TestDnsServer;
  let dir: string;
  let signed: string;
  const clients: LspClient[] = [];

  before(async () => {
    dns = await startDnsServer({
      'harbor.example': {
        records: {
          '@': { txt: ['v=spf1 ip4:192.0.2.0/24 -all'] },
          _dmarc: { txt: ['v=DMARC1; p=quarantine'] },
          's1._domainkey': { txt: [[keyTxt.slice(0, 200), keyTxt.slice(200)]] },
        },
      },
    });
    const r = await dkimSign(MESSAGE, { signatureData: [{ signingDomain: 'harbor.example', selector: 's1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) }] } as never);
    signed = r.signatures + MESSAGE;
    dir = makeWorkspace({});
  });

  after(async () => {
    for (const c of clients) await c.stop();
    await dns?.close();
    if (dir) removeWorkspace(dir);
  });

  const start = async (locale?: string) => {
    const client = await LspClient.start({ folders: [dir], locale, settings: { dns: { servers: [dns.address], timeout: 2000 } } });
    clients.push(client);
    return client;
  };
  const send = (client: LspClient, params: VerifyMessageParams) => withTimeout(client.connection.sendRequest<VerifyMessageResult>(VERIFY_MESSAGE_METHOD, params), 20_000, VERIFY_MESSAGE_METHOD);

  it('verifies the open text: DKIM, SPF for the IP, DMARC alignment', async () => {
    const client = await start();
    const uri = uriOf(`${dir}/sent.eml`);
    await client.open(uri, signed, 'eml');
    const result = await send(client, { uri, ip: '192.0.2.8', mailFrom: 'bounce@harbor.example' });
    assert.ok('report' in result, JSON.stringify(result));
    assert.deepEqual([result.report.dkim[0]?.result, result.report.dkim[0]?.keyBits], ['pass', 2048]);
    assert.equal(result.report.spf.result, 'pass');
    assert.deepEqual(result.report.dmarc.alignedBy, ['dkim', 'spf']);
    assert.match(result.text, /d=harbor\.example s=s1: pass/);

    // The unsaved edit is what gets verified.
    await client.change(uri, signed.replace('30% off', '50% off'));
    const edited = await send(client, { uri });
    assert.ok('report' in edited);
    assert.equal(edited.report.dkim[0]?.reason, 'body hash did not verify');
    assert.ok(edited.report.findings.some((f) => f.id === 'dkim-body-hash-mismatch'));
  });

  it('answers in Japanese, and refuses a bad IP and a missing file', async () => {
    const client = await start('ja');
    const uri = uriOf(`${dir}/ja.eml`);
    await client.open(uri, signed.replace('30% off', '50% off'), 'eml');
    const result = await send(client, { uri });
    assert.ok('report' in result);
    assert.match(result.text, /本文ハッシュが一致しません/);
    assert.deepEqual(await send(client, { uri, ip: 'nope' }), { error: 'bad-ip' });
    assert.deepEqual(await send(client, { uri: uriOf(`${dir}/missing.eml`) }), { error: 'not-found' });
  });
});
