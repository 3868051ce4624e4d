// `deliverlint check-domain` as users run it: the bundled dist/cli.js in a child process, asking
// the test DNS server through --dns. Checks the JSON contract, the text format and the exit codes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { useDnsServer } from './setup';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const { server } = useDnsServer();

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

before(() => {
  let built = 0;
  try {
    built = statSync(cli).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest(path.join(root, 'server', 'src'))) {
    const r = spawnSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `node esbuild.mjs failed:\n${r.stdout}\n${r.stderr}`);
  }
}, { timeout: 130_000 });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI without blocking this process (the DNS server answers from this event loop). */
function run(args: string[], timeoutMs = 15_000, env: Record<string, string | undefined> = { LC_ALL: undefined, LC_MESSAGES: undefined, LANG: 'C' }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: withEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`deliverlint ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const dns = () => ['--dns', server().address];
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** The test process's environment with the locale variables replaced (undefined removes one). */
function withEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

test('--format json prints the contract, and exit 0 without error findings', async () => {
  const r = await run(['check-domain', 'good.test', '--selector', 's1', ...dns(), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.domain, 'good.test');
  assert.equal(report.spf.record, 'v=spf1 include:_spf.good.test -all');
  assert.equal(report.spf.dnsLookups, 1);
  assert.equal(report.spf.voidLookups, 0);
  assert.equal(report.dmarc.record, 'v=DMARC1; p=reject; rua=mailto:dmarc@good.test');
  assert.equal(report.dmarc.policy, 'reject');
  assert.deepEqual(report.dkim.map((d: { selector: string; keyBits: number }) => ({ selector: d.selector, keyBits: d.keyBits })), [{ selector: 's1', keyBits: 2048 }]);
  assert.deepEqual(report.findings, []);
  assert.deepEqual(report.verdicts.map((v: { status: string }) => v.status), ['met', 'met', 'met']);
});

test('an error finding exits 1; findings carry id, severity and message', async () => {
  const r = await run(['check-domain', 'eleven.test', '-s', 'k1,k2', ...dns(), '--format', 'json', '--timeout', '1000']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.spf.dnsLookups, 11);
  assert.deepEqual(report.dkim.map((d: { selector: string; keyBits: null }) => [d.selector, d.keyBits]), [['k1', null], ['k2', null]]);
  for (const f of report.findings) {
    assert.equal(typeof f.id, 'string');
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
    assert.equal(typeof f.message, 'string');
  }
  const found = new Set(report.findings.map((f: { id: string }) => f.id));
  for (const id of ['spf-lookup-limit', 'dmarc-missing', 'dkim-key-missing']) assert.ok(found.has(id), id);
});

test('warnings only exit 0; the text format is for people', async () => {
  const r = await run(['check-domain', 'GOOD.test.', ...dns()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Domain authentication for good\.test/);
  assert.match(r.stdout, /Bulk-sender requirements\n {2}Gmail +unknown/);
  assert.match(r.stdout, /SPF +\[ok\] v=spf1 include:_spf\.good\.test -all\n +1\/10 DNS lookups, 0\/2 void lookups/);
  assert.match(r.stdout, /^MTA-STS +\[ok\] v=STSv1; id=2026010101/m);
  assert.match(r.stdout, /└─ include:_spf\.good\.test {2}1 lookup/);
  assert.match(r.stdout, /info +dkim-no-selector/);
});

test('a server that never answers: the CLI ends within its bound, exit 3 (a DNS failure) with dns-failure', async () => {
  const r = await run(['check-domain', 'dead.test', ...dns(), '--timeout', '300', '--format', 'json']);
  assert.equal(r.code, 3);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  const report = JSON.parse(r.stdout);
  assert.ok(report.findings.some((f: { id: string }) => f.id === 'dns-failure'));
  assert.ok(!report.findings.some((f: { id: string }) => f.id === 'spf-missing' || f.id === 'dmarc-missing'));
});

test('the text report of a failed lookup: one finding naming the server, every item "unknown (lookup failed)", exit 3', async () => {
  const r = await run(['check-domain', 'dead.test', '-s', 's1', ...dns(), '--timeout', '300']);
  assert.equal(r.code, 3, r.stderr);
  for (const label of ['SPF', 'DMARC', 'DKIM', 'MX', 'MTA-STS', 'TLS-RPT', 'BIMI']) {
    assert.match(r.stdout, new RegExp(`^${label} .*unknown \\(lookup failed\\)`, 'm'), label);
  }
  assert.doesNotMatch(r.stdout, /^(MX|MTA-STS|TLS-RPT|BIMI) +none/m);
  const failures = r.stdout.split('\n').filter((l) => /^ +\S+ +dns-failure /.test(l));
  assert.equal(failures.length, 1, r.stdout);
  assert.ok(failures[0]!.includes(server().address), failures[0]);
});

test('--locale ja, LANG, LC_MESSAGES and LC_ALL choose the language of the whole report', async () => {
  const args = ['check-domain', 'keys.test', '-s', 'k1024', ...dns()];
  const flag = await run([...args, '--locale', 'ja']);
  assert.equal(flag.code, 1, flag.stderr);
  assert.match(flag.stdout, JAPANESE);
  // Every finding line and every label is Japanese, not only some.
  for (const line of flag.stdout.split('\n').filter((l) => /^ +(エラー|警告|情報) /.test(l))) assert.match(line.replace(/\S+-\S+/g, ''), JAPANESE, line);
  assert.match(flag.stdout, /^一括送信者の要件$/m);
  assert.doesNotMatch(flag.stdout, /Bulk-sender|publishes no|lookups|NOT MET/);
  const lang = await run(args, 15_000, { LC_ALL: undefined, LC_MESSAGES: undefined, LANG: 'ja_JP.UTF-8' });
  const untimed = (text: string) => text.replace(/\d+ (ms|ミリ秒)/g, '');
  assert.equal(untimed(lang.stdout), untimed(flag.stdout));
  const messages = await run(args, 15_000, { LC_ALL: undefined, LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'en_US.UTF-8' });
  assert.match(messages.stdout, JAPANESE);
  const all = await run(args, 15_000, { LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'ja_JP.UTF-8' });
  assert.doesNotMatch(all.stdout, JAPANESE);
  const en = await run([...args, '--locale', 'en'], 15_000, { LANG: 'ja_JP.UTF-8' });
  assert.doesNotMatch(en.stdout, JAPANESE);
  const bad = await run([...args, '--locale', 'fr']);
  assert.equal(bad.code, 2);
});

test('bad usage exits 2 with a message on stderr', async () => {
  const cases = [
    ['check-domain'],
    ['check-domain', 'a.test', 'b.test'],
    ['check-domain', 'not_a domain!'],
    ['check-domain', 'good.test', '--format', 'xml'],
    ['check-domain', 'good.test', '--dns', 'dns.example:53'],
    ['check-domain', 'good.test', '--timeout', 'soon'],
    ['check-domain', 'good.test', '--selector', 'bad selector'],
    ['check-domain', 'good.test', '--bogus'],
  ];
  const results = await Promise.all(cases.map((args) => run(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i]!.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, /deliverlint check-domain: /, cases[i]!.join(' '));
    assert.equal(r.stdout, '');
  });
  const help = await run(['check-domain', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--selector S/);
  assert.match(help.stdout, /--locale/);
  assert.match(help.stdout, /3 +a DNS lookup failed/);
  const main = await run(['--help']);
  assert.match(main.stdout, /deliverlint check-domain <domain>/);
});

test('in Japanese, the details inside findings (SPF syntax, DMARC tag values) are Japanese too', async () => {
  const english = ['is not', 'appears more than once', 'needs a', 'use none', 'unknown mechanism', 'prefix length'];
  for (const domain of ['syntax.test', 'baddmarc.test']) {
    const r = await run(['check-domain', domain, ...dns(), '--locale', 'ja', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ id: string; message: string }> };
    for (const f of report.findings) {
      for (const words of english) assert.ok(!f.message.includes(words), `${domain} ${f.id}: "${words}" in ${f.message}`);
    }
  }
  // The placeholders in records to publish are worded for the reader too.
  for (const [domain, id, placeholder] of [['nospf.test', 'spf-missing', '<ESP の SPF ドメイン>'], ['keys.test', 'dkim-key-weak', '<2048 ビットの公開鍵>']]) {
    const r = await run(['check-domain', domain!, '-s', 'k1024', ...dns(), '--locale', 'ja', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ id: string; fix?: { value?: string } }> };
    assert.ok(report.findings.find((f) => f.id === id)?.fix?.value?.includes(placeholder!), `${domain} ${id}`);
  }
});
