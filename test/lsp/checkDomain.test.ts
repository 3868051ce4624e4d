// deliverlint/checkDomain over the wire: the bundled server, spoken to over stdio, checks a domain
// against a real DNS server on 127.0.0.1, taking the DKIM selector and the DMARC alignment inputs
// from the open document's send model; it reports work-done progress, answers bad input with a
// structured error, and stops when the request is cancelled.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { CHECK_DOMAIN_METHOD, DOMAIN_CHECK_INPUTS_METHOD, type CheckDomainParams, type CheckDomainResult, type DomainCheckInputs } from '../../server/src/protocol';
import type { DomainReport } from '../../server/src/dns/types';
import { useDnsServer } from '../dns/setup';
import { LspClient, makeWorkspace, removeWorkspace, uriOf, withTimeout } from './client';

const { server } = useDnsServer();

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

// Sent for good.test, but signed by and bounced through a domain outside it: DMARC cannot align.
const UNALIGNED_EML = [
  'Return-Path: <bounce-123@mailer.esp-mailer.test>',
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=esp-mailer.test;',
  '\th=from:to:subject; s=s1; bh=abc=; b=def=',
  'From: "Good" <news@good.test>',
  'To: sam@example.net',
  'Subject: Spring',
  'Date: Thu, 14 Mar 2024 17:32:05 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello',
].join('\r\n');

const CAMPAIGN = 'from: "Good <news@good.test>"\nmailFrom: bounce.good.test\ndkim:\n  domain: good.test\n  selector: s1\n';

function isReport(r: CheckDomainResult): r is Extract<CheckDomainResult, { report: DomainReport }> {
  return 'report' in r;
}

describe('deliverlint/checkDomain', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  let emlUri: string;
  let campaignUri: string;
  const progress = new Map<string | number, Progress[]>();
  const created: Array<string | number> = [];

  before(async () => {
    dir = makeWorkspace({});
    emlUri = uriOf(`${dir}/spring.eml`);
    campaignUri = uriOf(`${dir}/spring.campaign.yaml`);
    client = await LspClient.start({ folders: [dir], settings: { dns: { servers: ['not-an-address', server().address], timeout: 1000 } } });
    client.connection.onNotification('$/progress', (p: { token: string | number; value: Progress }) => {
      progress.set(p.token, [...(progress.get(p.token) ?? []), p.value]);
    });
    client.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      created.push(p.token);
      return null;
    });
    await client.open(emlUri, UNALIGNED_EML, 'plaintext');
    await client.open(campaignUri, CAMPAIGN, 'yaml');
  });

  after(async () => {
    await client?.stop();
    if (dir) removeWorkspace(dir);
  });

  const send = (params: CheckDomainParams, token?: CancellationTokenSource) =>
    withTimeout(
      // (An undefined token would be sent as a second, null parameter.)
      token ? client.connection.sendRequest<CheckDomainResult>(CHECK_DOMAIN_METHOD, params, token.token) : client.connection.sendRequest<CheckDomainResult>(CHECK_DOMAIN_METHOD, params),
      20_000,
      CHECK_DOMAIN_METHOD,
    );

  it('checks the domain with the selector and alignment inputs of the open document, reporting progress', async () => {
    const result = await send({ domain: 'News@Good.Test', uri: emlUri, workDoneToken: 'check-1' });
    assert.ok(isReport(result), JSON.stringify(result).slice(0, 300));
    const { report } = result;
    assert.equal(report.domain, 'good.test');
    // No selectors in the params: the s= of the document's DKIM-Signature, checked at good.test.
    assert.deepEqual(report.selectors, ['s1']);
    assert.deepEqual(report.dkim.map((k) => [k.selector, k.status, k.keyBits]), [['s1', 'ok', 2048]]);
    assert.equal(report.spf.record, 'v=spf1 include:_spf.good.test -all');
    assert.equal(report.dmarc.policy, 'reject');
    // d= and the Return-Path domain came from the parsed message: DMARC is predicted to fail.
    const fails = report.findings.filter((f) => f.id === 'dmarc-alignment-fails');
    assert.equal(fails.length, 1, report.findings.map((f) => f.id).join(', '));
    assert.match(fails[0]!.message, /DKIM signs as esp-mailer\.test.*MAIL FROM domain mailer\.esp-mailer\.test/);
    // ... and so no provider's bulk-sender rules are met, though the zone itself is complete.
    assert.deepEqual(report.verdicts.map((v) => v.status), ['not-met', 'not-met', 'not-met']);
    // The malformed DNS server setting is left out and named.
    assert.deepEqual(result.ignoredServers, ['not-an-address']);

    const events = progress.get('check-1') ?? [];
    assert.equal(events[0]?.kind, 'begin');
    assert.equal(events.at(-1)?.kind, 'end');
    const reports = events.filter((e): e is WorkDoneProgressReport => e.kind === 'report');
    assert.deepEqual(reports.map((r) => r.message).sort(), ['BIMI', 'DKIM s1', 'DMARC', 'MTA-STS', 'MX', 'SPF', 'TLS-RPT']);
    assert.equal(reports.at(-1)?.percentage, 100);
  });

  it('an aligned campaign file predicts no alignment failure; given selectors replace the document\'s', async () => {
    const result = await send({ domain: 'good.test', uri: campaignUri, selectors: [], workDoneToken: 'check-2' });
    assert.ok(isReport(result));
    assert.deepEqual(result.report.selectors, []);
    const ids = result.report.findings.map((f) => f.id);
    assert.ok(ids.includes('dkim-no-selector'), ids.join(', '));
    assert.ok(!ids.some((id) => id.includes('alignment')), ids.join(', '));
  });

  it('without a progress token, the server creates one', async () => {
    const before = created.length;
    const result = await send({ domain: 'good.test', selectors: ['s1'] });
    assert.ok(isReport(result));
    assert.equal(created.length, before + 1);
    const events = progress.get(created.at(-1)!) ?? [];
    assert.deepEqual([events[0]?.kind, events.at(-1)?.kind], ['begin', 'end']);
  });

  it('prefills the inputs from the document', async () => {
    const inputs = await client.connection.sendRequest<DomainCheckInputs>(DOMAIN_CHECK_INPUTS_METHOD, { uri: emlUri });
    assert.deepEqual(inputs, { domain: 'good.test', selectors: ['s1'], dkimDomains: ['esp-mailer.test'], mailFromDomains: ['mailer.esp-mailer.test'] });
  });

  it('answers bad input with the field and value, for the client to word', async () => {
    assert.deepEqual(await send({ domain: 'not a domain' }), { inputError: { field: 'domain', value: 'not a domain' }, ignoredServers: ['not-an-address'] });
    assert.deepEqual(await send({ domain: 'good.test', selectors: ['bad selector'] }), { inputError: { field: 'selector', value: 'bad selector' }, ignoredServers: ['not-an-address'] });
  });

  it('$/cancelRequest stops a check waiting on DNS with the RequestCancelled error', async () => {
    // dead.test never answers: without the cancel this waits for the 1 s query timeouts and retries.
    const source = new CancellationTokenSource();
    const started = Date.now();
    const pending = send({ domain: 'dead.test', selectors: ['s1'], workDoneToken: 'check-cancel' }, source);
    // Cancel once the check is under way (its progress has begun).
    await withTimeout(
      (async () => {
        while (!progress.get('check-cancel')?.length) await new Promise((r) => setTimeout(r, 10));
      })(),
      5_000,
      'the cancelled check to begin',
    );
    source.cancel();
    const error = await pending.then(
      (r) => assert.fail(`expected the cancelled error, got ${JSON.stringify(r).slice(0, 200)}`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal(error.code, -32800);
    assert.match(error.message, /cancelled/);
    assert.ok(Date.now() - started < 900, `ended ${Date.now() - started} ms after it started, before a DNS timeout`);
    assert.equal(progress.get('check-cancel')?.at(-1)?.kind, 'end');
    // The server is fine afterwards.
    assert.ok(isReport(await send({ domain: 'good.test', selectors: [] })));
  });
});

describe('deliverlint/checkDomain in the client\'s language', { timeout: 60_000 }, () => {
  it('a client that initializes with locale "ja" gets the findings and verdicts in Japanese', async () => {
    const dir = makeWorkspace({});
    const ja = await LspClient.start({ folders: [dir], settings: { dns: { servers: [server().address], timeout: 1000 } }, locale: 'ja' });
    const en = await LspClient.start({ folders: [dir], settings: { dns: { servers: [server().address], timeout: 1000 } } });
    try {
      const params: CheckDomainParams = { domain: 'keys.test', selectors: ['k1024'] };
      const [jaResult, enResult] = await Promise.all([
        withTimeout(ja.connection.sendRequest<CheckDomainResult>(CHECK_DOMAIN_METHOD, params), 20_000, CHECK_DOMAIN_METHOD),
        withTimeout(en.connection.sendRequest<CheckDomainResult>(CHECK_DOMAIN_METHOD, params), 20_000, CHECK_DOMAIN_METHOD),
      ]);
      assert.ok(isReport(jaResult) && isReport(enResult));
      const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
      // The same findings, worded in each client's language.
      assert.deepEqual(jaResult.report.findings.map((f) => f.id), enResult.report.findings.map((f) => f.id));
      for (const f of jaResult.report.findings) {
        assert.match(f.message, JAPANESE, f.id);
        if (f.fix?.note) assert.match(f.fix.note, JAPANESE, `${f.id} note`);
      }
      for (const f of enResult.report.findings) assert.doesNotMatch(f.message, JAPANESE, f.id);
      for (const v of jaResult.report.verdicts) assert.match(v.reasons.join(' '), JAPANESE, v.provider);
    } finally {
      await ja.stop();
      await en.stop();
      removeWorkspace(dir);
    }
  });
});
