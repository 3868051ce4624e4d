// The domain authentication check run as a command, against a real DNS server on 127.0.0.1 that
// serves a test zone (the runner starts it and sets deliverlint.dns.servers; on a desktop run
// this suite starts its own). Pending, with the reason, while the packaged extension has no
// deliverlint.checkDomain command (issue 4).

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startDnsServer, TEST_DOMAIN, TEST_SELECTOR, type DnsServer } from '../dns-server';
import { closeAllEditors, deliverlint, fixtureUri, open, pending, setSetting, waitFor } from './helpers';

const COMMAND = 'deliverlint.checkDomain';

/** The report fields this test reads (see issue 4's JSON contract). */
interface Report {
  domain: string;
  spf?: { record?: string | null; dnsLookups?: number };
  dmarc?: { record?: string | null; policy?: string | null };
  dkim?: Array<{ selector: string; keyBits: number | null }>;
  findings?: Array<{ id: string; severity: string }>;
}

function isReport(value: unknown): value is Report {
  return typeof value === 'object' && value !== null && typeof (value as Report).domain === 'string';
}

/** Runs `work` with a bound, so a command waiting for input fails the test instead of hanging it. */
async function bounded<T>(what: string, work: Thenable<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('Domain check command', function () {
  this.timeout(90_000);
  let ownServer: DnsServer | undefined;
  let dnsAddress: string | undefined;

  before(async () => {
    await deliverlint();
    dnsAddress = process.env.DELIVERLINT_E2E_DNS;
    if (!dnsAddress) {
      ownServer = await startDnsServer();
      dnsAddress = ownServer.address;
    }
  });

  after(async () => {
    await closeAllEditors();
    if (ownServer) {
      await setSetting('dns.servers', undefined);
      await ownServer.close();
    }
  });

  it(`checks ${TEST_DOMAIN} against the test DNS server and reports SPF, DMARC p=none and the DKIM key`, async function () {
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(COMMAND)) pending(this, `the packaged Deliverlint does not register ${COMMAND} yet (issue 4)`);
    if (ownServer) await setSetting('dns.servers', [dnsAddress]);

    const result = await bounded(`${COMMAND} ${TEST_DOMAIN}`, vscode.commands.executeCommand<unknown>(COMMAND, TEST_DOMAIN, { selectors: [TEST_SELECTOR] }), 60_000);
    assert.ok(isReport(result), `the command returns its report for a domain passed as argument; it returned: ${JSON.stringify(result)?.slice(0, 300)}`);
    assert.equal(result.domain, TEST_DOMAIN);
    assert.equal(result.spf?.record, 'v=spf1 include:_spf.esp.example.test -all');
    assert.equal(result.spf?.dnsLookups, 1);
    assert.equal(result.dmarc?.policy, 'none');
    assert.deepEqual(result.dkim?.map((k) => [k.selector, k.keyBits]), [[TEST_SELECTOR, 2048]]);
    const ids = (result.findings ?? []).map((f) => f.id);
    assert.ok(ids.includes('dmarc-policy-none'), `dmarc-policy-none among the findings: ${ids.join(', ')}`);
    // The report opens in a view beside the editor; the tab model follows the window asynchronously.
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    await waitFor(
      'a report view titled with the domain',
      () => (tabs().some((t) => t.input instanceof vscode.TabInputWebview && t.label.includes(TEST_DOMAIN)) ? true : undefined),
      10_000,
      () => `tabs: ${tabs().map((t) => t.label).join(', ') || '(none)'}`,
    );
    assert.ok(!ids.includes('spf-missing') && !ids.includes('dkim-key-missing') && !ids.includes('mx-missing'), `nothing reported missing that the zone has: ${ids.join(', ')}`);
  });
  // "Deliverlint: Verify This Message" on an open .eml (issue 17), through the packaged extension's
  // server and the same test DNS server: SPF through the zone's include, DMARC aligned by SPF, and
  // the same message from an IP outside the record failing both.
  it('verifies an open .eml: SPF passes through the include for an IP inside it and fails outside, DMARC follows', async function () {
    const VERIFY = 'deliverlint.verifyMessage';
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(VERIFY)) pending(this, `the packaged Deliverlint does not register ${VERIFY} yet (issue 17)`);
    if (ownServer) await setSetting('dns.servers', [dnsAddress]);
    const message = [
      `From: Example Shop <orders@${TEST_DOMAIN}>`,
      'To: customer@example.org',
      'Subject: Your order 1042 has shipped',
      'Date: Thu, 03 Dec 2026 09:30:00 +0000',
      `Message-ID: <1042.shipped@${TEST_DOMAIN}>`,
      `Return-Path: <bounces@${TEST_DOMAIN}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your order 1042 left our warehouse today.',
      '',
    ].join('\r\n');
    const uri = fixtureUri('send/e2e-verify.eml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(message, 'utf8'));
    await open(uri);
    interface Report {
      spf: { result: string; domain: string | null; mechanism: string | null };
      dmarc: { result: string; policy: string | null; alignedBy: string[] };
      dkim: unknown[];
    }
    const inside = await bounded(`${VERIFY} inside`, vscode.commands.executeCommand<Report | undefined>(VERIFY, { ip: '192.0.2.10' }), 60_000);
    assert.ok(inside, 'the command returns its report');
    assert.equal(inside.spf.result, 'pass');
    assert.equal(inside.spf.domain, TEST_DOMAIN);
    assert.match(inside.spf.mechanism ?? '', /include:_spf\.esp\.example\.test/);
    assert.equal(inside.dmarc.result, 'pass');
    assert.equal(inside.dmarc.policy, 'none');
    assert.deepEqual(inside.dmarc.alignedBy, ['spf']);
    assert.deepEqual(inside.dkim, [], 'the message has no signature');

    const outside = await bounded(`${VERIFY} outside`, vscode.commands.executeCommand<Report | undefined>(VERIFY, { ip: '203.0.113.9' }), 60_000);
    assert.ok(outside, 'the command returns its report');
    assert.equal(outside.spf.result, 'fail');
    assert.equal(outside.dmarc.result, 'fail');
    assert.deepEqual(outside.dmarc.alignedBy, []);
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri);
  });
});
