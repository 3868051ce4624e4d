// `verify-message` against real parts: keys made here, messages signed here with mailauth's
// signer, keys and SPF/DMARC records served by the test DNS server on 127.0.0.1, asked through a
// node:dns Resolver pointed at it (as --dns does). The CLI cases run the bundled dist/cli.js.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { createNodeResolver } from '../../server/src/dns/resolver';
import { verifyMessage, type VerifyReport } from '../../server/src/verify/message';
import { formatVerifyText } from '../../server/src/verify/text';
import { defaultConfig } from '../../server/src/core/config';
import { linter } from '../../server/src/linter';
import { startDnsServer, type TestDnsServer } from './server';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function rsa(bits: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  // TXT strings hold 255 bytes; a 2048-bit key is published as several, as real zones do.
  const parts: string[] = [];
  const txt = `v=DKIM1; k=rsa; p=${p}`;
  for (let i = 0; i < txt.length; i += 200) parts.push(txt.slice(i, i + 200));
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, txt: parts };
}

const k2048 = rsa(2048);
const k1024 = rsa(1024);
const kUnpublished = rsa(2048);

let dns: TestDnsServer;
before(async () => {
  dns = await startDnsServer({
    'harbor.example': {
      records: {
        '@': { txt: ['v=spf1 ip4:192.0.2.0/24 include:_spf.mailer.example -all'] },
        _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:dmarc@harbor.example'] },
        's2048._domainkey': { txt: [k2048.txt] },
        's1024._domainkey': { txt: [k1024.txt] },
      },
    },
    'mailer.example': {
      records: {
        '_spf': { txt: ['v=spf1 ip4:198.51.100.7 ~all'] },
        's1._domainkey': { txt: [k2048.txt] },
      },
    },
    'broken.example': { servfail: true, records: { '@': { txt: ['v=spf1 -all'] } } },
  });
}, { timeout: 30_000 });
after(() => dns?.close());

const HEADERS = [
  'From: Harbor Outfitters <news@harbor.example>',
  'To: Jordan Lee <jordan.lee@example.net>',
  'Subject: Winter boots: 30% off until Sunday',
  'Date: Fri, 04 Dec 2026 09:00:00 -0500',
  'Message-ID: <winter-2026.8f3a9c@harbor.example>',
  'List-Unsubscribe: <https://harbor.example/unsubscribe/one-click?u=8f3a9c>',
  'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8',
];
const BODY = 'Winter boots are 30% off until Sunday.\r\nhttps://shop.harbor.example/sale\r\n\r\nUnsubscribe: https://harbor.example/unsubscribe?u=8f3a9c\r\n';
const SIGNED = 'From:To:Subject:Date:Message-ID:List-Unsubscribe:List-Unsubscribe-Post:MIME-Version:Content-Type';

async function signed(opts: { domain?: string; selector?: string; pem?: string; headerList?: string; expires?: Date; signTime?: Date; returnPath?: string; from?: string; maxBodyLength?: number } = {}): Promise<string> {
  const headers = [...HEADERS];
  if (opts.from) headers[0] = `From: ${opts.from}`;
  if (opts.returnPath) headers.unshift(`Return-Path: <${opts.returnPath}>`);
  const msg = headers.join('\r\n') + '\r\n\r\n' + BODY;
  const r = await dkimSign(msg, {
    canonicalization: 'relaxed/relaxed',
    signTime: opts.signTime ?? new Date(),
    expires: opts.expires,
    headerList: opts.headerList ?? SIGNED,
    signatureData: [{ signingDomain: opts.domain ?? 'harbor.example', selector: opts.selector ?? 's2048', privateKey: opts.pem ?? k2048.pem, maxBodyLength: opts.maxBodyLength }],
  } as never);
  assert.deepEqual(r.errors, []);
  return r.signatures + msg;
}

function verify(message: string, opts: { ip?: string; mailFrom?: string; helo?: string } = {}): Promise<VerifyReport> {
  return verifyMessage(message, { resolver: createNodeResolver([dns.address], 2000), ...opts });
}
const ids = (r: VerifyReport) => r.findings.map((f) => f.id);

describe('verify-message: DKIM', () => {
  test('a message as signed passes, with the key size and h= coverage', async () => {
    const r = await verify(await signed(), { ip: '192.0.2.10', mailFrom: 'bounce@harbor.example' });
    assert.equal(r.dkim.length, 1);
    const d = r.dkim[0]!;
    assert.deepEqual([d.domain, d.selector, d.result, d.reason, d.keyBits, d.coversListUnsubscribe], ['harbor.example', 's2048', 'pass', null, 2048, true]);
    assert.deepEqual(d.covers, { from: true, subject: true, listUnsubscribe: true, listUnsubscribePost: true });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.dmarc, { result: 'pass', policy: 'reject', domain: 'harbor.example', alignedBy: ['dkim', 'spf'] });
  });

  test('a tampered body fails on the body hash, and the offline lint rule agrees', async () => {
    const text = (await signed()).replace('30% off until Sunday.', '40% off until Sunday.');
    const r = await verify(text);
    assert.equal(r.dkim[0]!.result, 'fail');
    assert.equal(r.dkim[0]!.reason, 'body hash did not verify');
    assert.ok(ids(r).includes('dkim-body-hash-mismatch'));
    const lint = (t: string) => linter.lint({ text: t, filePath: '/mail/sent.eml', config: defaultConfig() }).findings.filter((f) => f.ruleId === 'dkim-body-hash-mismatch');
    assert.equal(lint(text).length, 1);
    assert.equal(lint(await signed()).length, 0);
  });

  test('a tampered signed header fails the signature (the body hash still matches)', async () => {
    const text = (await signed()).replace('Subject: Winter boots: 30% off', 'Subject: Winter boots: 60% off');
    const r = await verify(text);
    assert.equal(r.dkim[0]!.result, 'fail');
    assert.equal(r.dkim[0]!.reason, 'bad signature');
    assert.ok(ids(r).includes('dkim-signature-invalid'));
    assert.equal(r.dmarc.result, 'fail');
  });

  test('an expired signature (x= in the past) fails', async () => {
    const r = await verify(await signed({ signTime: new Date(Date.now() - 10 * 86400_000), expires: new Date(Date.now() - 86400_000) }));
    assert.equal(r.dkim[0]!.result, 'fail');
    assert.equal(r.dkim[0]!.reason, 'expired');
    assert.ok(r.dkim[0]!.expiresAt);
    assert.ok(ids(r).includes('dkim-signature-expired'));
  });

  test('a 1024-bit key verifies, with a warning', async () => {
    const r = await verify(await signed({ selector: 's1024', pem: k1024.pem }));
    assert.equal(r.dkim[0]!.result, 'pass');
    assert.equal(r.dkim[0]!.keyBits, 1024);
    const weak = r.findings.find((f) => f.id === 'dkim-key-1024');
    assert.equal(weak?.severity, 'warning');
  });

  test('a selector with no key in DNS is a permanent error, not a DNS failure', async () => {
    const r = await verify(await signed({ selector: 'gone', pem: kUnpublished.pem }));
    assert.equal(r.dkim[0]!.result, 'permerror');
    assert.equal(r.dkim[0]!.reason, 'no key');
    assert.equal(r.dkim[0]!.keyBits, null);
    assert.ok(ids(r).includes('dkim-key-missing'));
    assert.ok(!ids(r).includes('dns-failure'));
  });

  test('h= without List-Unsubscribe-Post, and l= partial body signing, are reported', async () => {
    const text = (await signed({ headerList: 'From:To:Subject:Date:List-Unsubscribe', maxBodyLength: 20 })) + 'Appended later.\r\n';
    const r = await verify(text);
    const d = r.dkim[0]!;
    assert.equal(d.result, 'pass');
    assert.equal(d.coversListUnsubscribe, false);
    assert.equal(d.covers.listUnsubscribePost, false);
    assert.equal(d.bodyLength, 20);
    assert.ok(d.unsignedBodyBytes > 0);
    assert.ok(ids(r).includes('dkim-unsubscribe-unsigned'));
    assert.ok(ids(r).includes('dkim-partial-body'));
  });

  test('a message with no signature says so', async () => {
    const r = await verify(HEADERS.join('\r\n') + '\r\n\r\n' + BODY, { ip: '203.0.113.9' });
    assert.deepEqual(r.dkim, []);
    assert.ok(ids(r).includes('dkim-missing'));
  });
});

describe('verify-message: SPF and DMARC alignment', () => {
  test('an IP inside the record passes, naming the mechanism', async () => {
    const r = await verify(await signed(), { ip: '192.0.2.77', mailFrom: 'bounce@harbor.example' });
    assert.deepEqual({ result: r.spf.result, domain: r.spf.domain, mechanism: r.spf.mechanism }, { result: 'pass', domain: 'harbor.example', mechanism: 'ip4:192.0.2.0/24' });
  });

  test('an IP allowed through an include names the include and the mechanism inside it', async () => {
    const r = await verify(await signed(), { ip: '198.51.100.7', mailFrom: 'bounce@harbor.example' });
    assert.equal(r.spf.result, 'pass');
    assert.equal(r.spf.mechanism, 'include:_spf.mailer.example > ip4:198.51.100.7');
  });

  test('an IP outside the record fails on -all', async () => {
    const r = await verify(await signed(), { ip: '203.0.113.9', mailFrom: 'bounce@harbor.example' });
    assert.deepEqual({ result: r.spf.result, mechanism: r.spf.mechanism }, { result: 'fail', mechanism: '-all' });
    assert.ok(ids(r).includes('spf-fail'));
  });

  test('alignment by DKIM only: SPF fails, the aligned signature carries DMARC', async () => {
    const r = await verify(await signed(), { ip: '203.0.113.9', mailFrom: 'bounce@harbor.example' });
    assert.deepEqual(r.dmarc, { result: 'pass', policy: 'reject', domain: 'harbor.example', alignedBy: ['dkim'] });
  });

  test('alignment by SPF only: the signature is the ESP\'s domain, SPF passes for the From domain', async () => {
    const text = await signed({ domain: 'mailer.example', selector: 's1', returnPath: 'bounce@harbor.example' });
    const r = await verify(text, { ip: '192.0.2.5' });
    assert.equal(r.spf.mailFrom, 'bounce@harbor.example');
    assert.equal(r.dkim[0]!.result, 'pass');
    assert.deepEqual(r.dmarc, { result: 'pass', policy: 'reject', domain: 'harbor.example', alignedBy: ['spf'] });
  });

  test('neither aligns: DMARC fails with the policy of the From domain', async () => {
    const text = await signed({ domain: 'mailer.example', selector: 's1' });
    const r = await verify(text, { ip: '203.0.113.9', mailFrom: 'bounce@mailer.example' });
    assert.equal(r.dmarc.result, 'fail');
    assert.deepEqual(r.dmarc.alignedBy, []);
    assert.ok(ids(r).includes('dmarc-fail'));
  });

  test('without --ip SPF is not checked and says how to check it', async () => {
    const r = await verify(await signed());
    assert.equal(r.spf.result, 'not-checked');
    assert.equal(r.findings.find((f) => f.id === 'spf-not-checked')?.severity, 'info');
  });

  test('a failing DNS server is a dns-failure, not "no key"', async () => {
    const text = await signed({ domain: 'broken.example', selector: 's1', from: 'news@broken.example' });
    const r = await verify(text);
    assert.equal(r.dkim[0]!.result, 'temperror');
    assert.ok(ids(r).includes('dns-failure'));
    assert.ok(r.dnsFailures.some((f) => f.name === 's1._domainkey.broken.example'));
  });

  test('the text report in Japanese', async () => {
    const r = await verifyMessage((await signed()).replace('30% off until Sunday.', '40% off until Sunday.'), { resolver: createNodeResolver([dns.address], 2000), locale: 'ja' });
    const text = formatVerifyText(r, 'ja');
    assert.match(text, /本文ハッシュが一致しません/);
    assert.match(text, /鍵のビット数/);
  });
});

describe('deliverlint verify-message (bundled CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-verify-'));
    const newest = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(path.join(d, e.name)) : statSync(path.join(d, e.name)).mtimeMs), 0);
    let built = 0;
    try {
      built = statSync(cli).mtimeMs;
    } catch {
      built = 0;
    }
    if (built < newest(path.join(root, 'server', 'src'))) {
      const b = spawnSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      assert.equal(b.status, 0, b.stderr);
    }
  }, { timeout: 130_000 });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Asynchronous: the DNS server answers from this process's event loop.
  const run = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'verify-message', ...args], { env: { ...process.env, LANG: 'C' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  test('--format json has the documented keys; exit 0 when nothing is wrong', async () => {
    const file = path.join(dir, 'ok.eml');
    writeFileSync(file, await signed());
    const r = await run([file, '--ip', '192.0.2.10', '--mail-from', 'bounce@harbor.example', '--dns', dns.address, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(report.dkim[0]).slice(0, 6), ['domain', 'selector', 'result', 'reason', 'keyBits', 'coversListUnsubscribe']);
    assert.deepEqual(Object.keys(report.spf).slice(0, 3), ['result', 'domain', 'mechanism']);
    assert.deepEqual(Object.keys(report.dmarc).slice(0, 2), ['result', 'policy']);
    assert.ok('alignedBy' in report.dmarc);
    assert.deepEqual(report.findings, []);
  });

  test('a tampered body exits 1 with the finding; text output names it', async () => {
    const file = path.join(dir, 'tampered.eml');
    writeFileSync(file, (await signed()).replace('30% off until Sunday.', '40% off until Sunday.'));
    const r = await run([file, '--dns', dns.address]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /body hash did not verify/);
    assert.match(r.stdout, /dkim-body-hash-mismatch/);
  });

  test('a DNS failure exits 3; bad usage exits 2', async () => {
    const file = path.join(dir, 'broken.eml');
    writeFileSync(file, await signed({ domain: 'broken.example', selector: 's1', from: 'news@broken.example' }));
    assert.equal((await run([file, '--dns', dns.address])).status, 3);
    assert.equal((await run([file, '--ip', 'not-an-ip'])).status, 2);
    assert.equal((await run([path.join(dir, 'missing.eml')])).status, 2);
  });
});
