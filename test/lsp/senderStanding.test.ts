// deliverlint/senderStanding over the wire: the bundled server loads dist/standing.js on the first
// request and asks a loopback SendGrid with the key the client sends (VS Code's secret storage in
// the extension); no key, no figures, and "no credentials" said as such.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SENDER_STANDING_METHOD, type SenderStandingParams, type SenderStandingResult } from '../../server/src/protocol';
import { LspClient, makeWorkspace, removeWorkspace, withTimeout } from './client';

describe('deliverlint/senderStanding', { timeout: 60_000 }, () => {
  let sendGrid: Server;
  let url: string;
  let client: LspClient;
  let dir: string;
  const seen: string[] = [];

  before(async () => {
    sendGrid = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== 'Bearer SG.from-secret-storage') {
        res.statusCode = 401;
        return res.end('{"errors":[]}');
      }
      if (req.url?.startsWith('/v3/stats')) return res.end(JSON.stringify([{ date: '2026-12-01', stats: [{ metrics: { requests: 1000, delivered: 990, bounces: 10, spam_reports: 0 } }] }]));
      res.end(JSON.stringify(req.url?.startsWith('/v3/suppression/bounces') ? [{ email: 'gone@example.net', created: 1796342400 }] : []));
    });
    await new Promise<void>((r) => sendGrid.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(sendGrid.address() as AddressInfo).port}`;
    dir = makeWorkspace({});
    client = await LspClient.start({ folders: [dir], env: { DELIVERLINT_SENDGRID_API_URL: url, SENDGRID_API_KEY: '' } });
  });

  after(async () => {
    await client?.stop();
    await new Promise((r) => sendGrid?.close(r));
    if (dir) removeWorkspace(dir);
  });

  const send = (params: SenderStandingParams) => withTimeout(client.connection.sendRequest<SenderStandingResult>(SENDER_STANDING_METHOD, params), 20_000, SENDER_STANDING_METHOD);

  it('reads SendGrid with the key in the request', async () => {
    const result = await send({ providers: ['sendgrid'], sendGridApiKey: 'SG.from-secret-storage' });
    const sg = result.report.providers[0]!;
    assert.equal(sg.reached, true, JSON.stringify(sg));
    assert.equal(sg.figures.find((f) => f.id === 'sendgrid.bounces')?.value, 1);
    assert.match(result.text, /SendGrid GET \/v3\/suppression\/bounces/);
    assert.ok(!result.text.includes('SG.from-secret-storage'));
  });

  it('without a key: not reached, no credentials, nothing asked', async () => {
    const before = seen.length;
    const result = await send({ providers: ['sendgrid'] });
    assert.deepEqual([result.report.providers[0]!.reached, result.report.providers[0]!.unreachable], [false, 'no-credentials']);
    assert.equal(seen.length, before);
  });
});
