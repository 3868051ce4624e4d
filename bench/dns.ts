// The domain-check benchmark: `deliverlint check-domain` (the bundled CLI) against a DNS server on
// 127.0.0.1 that answers every question 50 ms late. The domain sends through Google Workspace,
// SendGrid, Amazon SES, Mailgun and Microsoft 365, so its SPF needs exactly 10 DNS lookups (RFC
// 7208's limit); it publishes DMARC, three DKIM selectors (one a CNAME to the ESP's key, as
// SendGrid and SES set them up), MX, MTA-STS, TLS-RPT and BIMI. Sequential queries would take
// well over a second; the target (600 ms) needs the independent ones asked in parallel.

import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { startDnsServer, type Zones } from '../test/dns/server';
import { median, sleep } from './stats';

export const DOMAIN = 'trailhead-mail.example';
export const SELECTORS = ['s1', 's2', 'google'];
export const DELAY_MS = 50;

function dkimKey(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

const ip4s = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `ip4:${prefix}.${i * 4}.0/22`).join(' ');

export function benchZones(): Zones {
  const key = dkimKey();
  const d = DOMAIN;
  const zones: Zones = {
    [d]: {
      records: {
        // include(5) + netblocks under Google (3) + a + mx = 10 lookups.
        '@': {
          txt: [`v=spf1 include:_spf.google.com include:sendgrid.net include:amazonses.com include:mailgun.org include:spf.protection.outlook.com a mx ~all`, 'google-site-verification=3kd83jd93kd93kd93kd93kd'],
          mx: [
            [1, 'aspmx.l.google.com'],
            [5, 'alt1.aspmx.l.google.com'],
          ],
          a: ['192.0.2.80'],
        },
        _dmarc: { txt: [`v=DMARC1; p=quarantine; sp=reject; adkim=r; aspf=r; rua=mailto:dmarc-reports@${d}; ruf=mailto:dmarc-forensic@${d}; fo=1`] },
        's1._domainkey': { cname: 's1.domainkey.u2219.wl120.sendgrid.net' },
        's2._domainkey': { cname: 's2.domainkey.u2219.wl120.sendgrid.net' },
        'google._domainkey': { txt: [[`v=DKIM1; k=rsa; p=${key.slice(0, 200)}`, key.slice(200)]] },
        '_mta-sts': { txt: ['v=STSv1; id=20260501T000000'] },
        '_smtp._tls': { txt: [`v=TLSRPTv1; rua=mailto:tls-reports@${d}`] },
        'default._bimi': { txt: [`v=BIMI1; l=https://${d}/brand/logo.svg; a=https://${d}/brand/vmc.pem`] },
        'em': { cname: 'u2219.wl120.sendgrid.net' },
      },
    },
    'google.com': {
      records: {
        _spf: { txt: ['v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all'] },
        _netblocks: { txt: [`v=spf1 ${ip4s('35.190', 12)} ~all`] },
        _netblocks2: { txt: ['v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ip6:2607:f8b0:4000::/36 ip6:2800:3f0:4000::/36 ~all'] },
        _netblocks3: { txt: [`v=spf1 ${ip4s('172.217', 8)} ~all`] },
        'aspmx.l': { a: ['142.250.27.26'] },
        'alt1.aspmx.l': { a: ['142.250.153.26'] },
      },
    },
    'sendgrid.net': {
      records: {
        '@': { txt: ['v=spf1 ip4:167.89.0.0/17 ip4:208.117.48.0/20 ip4:50.31.32.0/19 ip4:198.37.144.0/20 ip4:198.21.0.0/21 ip4:192.254.112.0/20 ip4:168.245.0.0/17 ip4:149.72.0.0/16 ip4:159.183.0.0/16 ~all'] },
        's1.domainkey.u2219.wl120': { txt: [[`v=DKIM1; k=rsa; p=${key.slice(0, 200)}`, key.slice(200)]] },
        's2.domainkey.u2219.wl120': { txt: [[`v=DKIM1; k=rsa; p=${key.slice(0, 200)}`, key.slice(200)]] },
        'u2219.wl120': { a: ['167.89.115.4'] },
      },
    },
    'amazonses.com': { records: { '@': { txt: ['v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 ip4:69.169.224.0/20 ip4:23.249.208.0/20 ip4:23.251.224.0/19 ip4:76.223.176.0/20 ip4:54.240.64.0/19 ip4:54.240.96.0/19 -all'] } } },
    'mailgun.org': { records: { '@': { txt: ['v=spf1 ip4:209.61.151.0/24 ip4:166.78.68.0/22 ip4:198.61.254.0/23 ip4:192.237.158.0/23 ip4:23.253.182.0/23 ip4:104.130.96.0/28 ip4:146.20.113.0/24 ip4:146.20.191.0/24 ip4:159.135.224.0/20 ip4:69.72.32.0/20 ~all'] } } },
    'outlook.com': { records: { 'spf.protection': { txt: ['v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/15 ip4:52.102.0.0/16 ip4:52.103.0.0/17 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 -all'] } } },
  };
  for (const z of Object.values(zones)) z.delay = DELAY_MS;
  return zones;
}

export interface DomainCheckResult {
  /** Wall time of `deliverlint check-domain`, process start to exit (median). */
  ms: number;
  /** The check's own duration from its JSON report (median): without process start-up. */
  checkMs: number;
  queries: number;
  spfLookups: number | undefined;
  delayMs: number;
  runs: number;
}

function runCli(cliJs: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cliJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** Whether the bundled CLI has the check-domain command at all. */
export async function hasCheckDomain(cliJs: string): Promise<boolean> {
  const r = await runCli(cliJs, ['check-domain', '--help'], 15_000);
  return r.code === 0 && /check-domain/.test(r.stdout);
}

/** Runs the check against the test DNS server (test/dns/server.ts, the one the tests use). */
export async function benchDomainCheck(cliJs: string, warmup: number, runs: number): Promise<DomainCheckResult> {
  const server = await startDnsServer(benchZones());
  try {
    const args = ['check-domain', DOMAIN, ...SELECTORS.flatMap((s) => ['--selector', s]), '--dns', server.address, '--timeout', '2000', '--format', 'json'];
    const wall: number[] = [];
    const check: number[] = [];
    let queries = 0;
    let spfLookups: number | undefined;
    for (let i = 0; i < warmup + runs; i++) {
      const r = await runCli(cliJs, args, 30_000);
      // Exit 1 only means the report has error findings; anything else is a failed run.
      if (r.code !== 0 && r.code !== 1) throw new Error(`check-domain exited ${r.code}: ${r.stderr.slice(-500)}`);
      const report = JSON.parse(r.stdout) as { durationMs: number; queries: number; spf?: { dnsLookups?: number } };
      if (i < warmup) continue;
      wall.push(r.ms);
      check.push(report.durationMs);
      queries = report.queries;
      spfLookups = report.spf?.dnsLookups;
      await sleep(20);
    }
    return { ms: median(wall), checkMs: median(check), queries, spfLookups, delayMs: DELAY_MS, runs };
  } finally {
    await server.close();
  }
}
