// `deliverlint standing` against real local servers: the aws-ses-v2-local emulator (from the npm
// registry, started here as its own process) for the SES v2 account endpoint, reached through the
// real @aws-sdk/client-sesv2 with its endpoint on 127.0.0.1; loopback HTTP servers of this file that
// answer with the documented JSON for what the emulator lacks (the suppression list), CloudWatch
// GetMetricData (AWS JSON 1.0, through the real @aws-sdk/client-cloudwatch), SendGrid's v3
// suppression and stats endpoints and Postmaster Tools. The bundled CLI is run for exit codes and
// to check that no credential reaches its output.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { standing } from '../../server/src/standing';
import { formatStandingText } from '../../server/src/standing/text';

const root = path.resolve(__dirname, '..', '..');
const NOW = new Date('2026-12-04T00:00:00Z');
const DAY = 86400;

const ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: { AdditionalContactEmailAddresses: [], ContactLanguage: 'EN', MailType: 'MARKETING', ReviewDetails: { CaseId: 'c-1', Status: 'GRANTED' }, UseCaseDescription: 'newsletters', WebsiteURL: 'https://harbor.example' },
  EnforcementStatus: 'PROBATION',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 1234 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
};

/** Local servers: listen on 127.0.0.1, an ephemeral port. */
function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; url: string; hits: Array<{ path: string; auth?: string; target?: string }> }> {
  const hits: Array<{ path: string; auth?: string; target?: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', auth: req.headers.authorization, target: req.headers['x-amz-target'] as string | undefined });
      handler(req, body, res);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits })));
}

const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};

let emulator: ChildProcess;
let emulatorUrl: string;
let sesFront: Awaited<ReturnType<typeof serve>>;
let cloudWatch: Awaited<ReturnType<typeof serve>>;
let sendGrid: Awaited<ReturnType<typeof serve>>;
let postmaster: Awaited<ReturnType<typeof serve>>;

before(async () => {
  emulator = spawn(process.execPath, [path.join(root, 'node_modules', 'aws-ses-v2-local', 'dist', 'cli.js'), '--host', '127.0.0.1', '--port', '0'], { env: { ...process.env, AWS_SES_ACCOUNT: JSON.stringify(ACCOUNT) }, stdio: ['ignore', 'pipe', 'inherit'] });
  emulatorUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    emulator.stdout!.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!.replace(/\/$/, ''));
    });
    emulator.on('exit', (code) => reject(new Error(`aws-ses-v2-local exited (${code}): ${out}`)));
  });
  // The emulator has the account endpoint; the suppression list is answered here, the rest proxied.
  sesFront = await serve((req, body, res) => {
    if (req.url?.startsWith('/v2/email/suppression/addresses')) {
      const page2 = req.url.includes('NextToken=p2');
      return json(res, 200, {
        SuppressedDestinationSummaries: page2
          ? [{ EmailAddress: 'gone@example.net', Reason: 'BOUNCE', LastUpdateTime: (NOW.getTime() / 1000) - DAY }]
          : [
              { EmailAddress: 'old@example.net', Reason: 'BOUNCE', LastUpdateTime: (NOW.getTime() / 1000) - 9 * DAY },
              { EmailAddress: 'angry@example.org', Reason: 'COMPLAINT', LastUpdateTime: (NOW.getTime() / 1000) - 2 * DAY },
            ],
        ...(page2 ? {} : { NextToken: 'p2' }),
      });
    }
    const u = new URL(emulatorUrl);
    const fwd = request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.end(body);
  });
  cloudWatch = await serve((req, body, res) => {
    assert.equal(req.headers['x-amz-target'], 'GraniteServiceVersion20100801.GetMetricData');
    const q = JSON.parse(body) as { MetricDataQueries: Array<{ Id: string; MetricStat: { Metric: { MetricName: string } } }> };
    const days = [13, 7, 1].map((d) => NOW.getTime() / 1000 - d * DAY);
    const values: Record<string, number[]> = { 'Reputation.BounceRate': [0.021, 0.034, 0.062], 'Reputation.ComplaintRate': [0.0004, 0.0007, 0.0009] };
    json(res, 200, { MetricDataResults: q.MetricDataQueries.map((m) => ({ Id: m.Id, Label: m.MetricStat.Metric.MetricName, StatusCode: 'Complete', Timestamps: days, Values: values[m.MetricStat.Metric.MetricName] })) }, 'application/x-amz-json-1.0');
  });
  sendGrid = await serve((req, _body, res) => {
    if (req.headers.authorization !== 'Bearer SG.test-key-1234') return json(res, 401, { errors: [{ message: 'authorization required' }] });
    const u = new URL(req.url!, 'http://x');
    const lists: Record<string, unknown[]> = {
      '/v3/suppression/bounces': [{ email: 'gone@example.net', created: NOW.getTime() / 1000 - DAY, reason: '550 5.1.1 user unknown', status: '5.1.1' }],
      '/v3/suppression/blocks': [],
      '/v3/suppression/spam_reports': [{ email: 'angry@example.org', created: NOW.getTime() / 1000 - 2 * DAY, ip: '192.0.2.1' }],
      '/v3/suppression/unsubscribes': [{ email: 'bye@example.com', created: NOW.getTime() / 1000 - 3 * DAY }],
    };
    if (u.pathname in lists) return json(res, 200, lists[u.pathname]);
    if (u.pathname === '/v3/stats') {
      return json(res, 200, [
        { date: '2026-12-01', stats: [{ metrics: { requests: 10000, delivered: 9800, bounces: 150, spam_reports: 20, unsubscribes: 12 } }] },
        { date: '2026-12-02', stats: [{ metrics: { requests: 10000, delivered: 9900, bounces: 90, spam_reports: 25, unsubscribes: 9 } }] },
      ]);
    }
    json(res, 404, {});
  });
  postmaster = await serve((req, _body, res) => {
    if (req.headers.authorization !== 'Bearer ya29.test-token') return json(res, 403, { error: { code: 403, status: 'PERMISSION_DENIED' } });
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/v1/domains/harbor.example/trafficStats') {
      return json(res, 200, { trafficStats: [{ name: 'domains/harbor.example/trafficStats/20261201', userReportedSpamRatio: 0.0012 }, { name: 'domains/harbor.example/trafficStats/20261202', userReportedSpamRatio: 0.0031 }] });
    }
    if (u.pathname === '/v2/domains/harbor.example/complianceStatus') {
      return json(res, 200, { name: 'domains/harbor.example/complianceStatus', complianceData: { domainId: 'harbor.example', rowData: [{ requirement: 'SPF', status: { status: 'COMPLIANT' } }, { requirement: 'DMARC_POLICY', status: { status: 'NEEDS_WORK' } }], oneClickUnsubscribeVerdict: { status: { status: 'COMPLIANT' } } } });
    }
    json(res, 404, { error: { code: 404 } });
  });
}, { timeout: 30_000 });

after(async () => {
  emulator?.kill();
  for (const s of [sesFront, cloudWatch, sendGrid, postmaster]) await new Promise((r) => s?.server.close(r));
});

// Static test credentials for the SDK's default chain (environment); the emulator checks none.
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIATESTONLY0000', AWS_SECRET_ACCESS_KEY: 'test-secret-do-not-print', AWS_REGION: 'us-east-1' };

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('standing: SES', () => {
  test('account, suppression list and reputation rates against the review and pause lines', async () => {
    const report = await withEnv(AWS_ENV, () => standing({ providers: ['ses'], now: NOW, endpoints: { ses: sesFront.url, cloudWatch: cloudWatch.url } }));
    const ses = report.providers[0]!;
    assert.equal(ses.reached, true, JSON.stringify(ses));
    const fig = (id: string) => ses.figures.find((f) => f.id === id);
    assert.equal(fig('ses.enforcementStatus')?.value, 'PROBATION');
    assert.equal(fig('ses.productionAccess')?.value, true);
    assert.equal(fig('ses.max24HourSend')?.value, 50000);
    assert.equal(fig('ses.sentLast24Hours')?.value, 1234);
    assert.equal(fig('ses.suppressedReasons')?.value, 'BOUNCE, COMPLAINT');
    assert.match(fig('ses.enforcementStatus')!.source, /GetAccount/);
    // Two pages of the suppression list, newest entry first.
    assert.equal(fig('ses.suppressed')?.value, 3);
    assert.equal(fig('ses.suppressedBounce')?.value, 2);
    assert.equal(fig('ses.suppressedComplaint')?.value, 1);
    assert.equal(fig('ses.suppressed')?.entries?.[0]?.address, 'gone@example.net');
    // The rates: latest point, 14-day trend, thresholds; 6.2% bounces is over the review line.
    const bounce = fig('ses.bounceRate')!;
    assert.equal(bounce.value, 0.062);
    assert.deepEqual(bounce.trend?.map((t) => t.value), [0.021, 0.034, 0.062]);
    assert.deepEqual(bounce.thresholds, [{ kind: 'review', value: 0.05 }, { kind: 'pause', value: 0.1 }]);
    assert.equal(bounce.at, new Date((NOW.getTime() / 1000 - DAY) * 1000).toISOString());
    assert.equal(fig('ses.complaintRate')?.value, 0.0009);
    const ids = ses.findings.map((f) => f.id);
    assert.ok(ids.includes('ses-probation'));
    assert.ok(ids.includes('ses-bounce-review'));
    assert.ok(!ids.includes('ses-complaint-review'));
    // The emulator and the loopback servers were reached through the SDK clients.
    assert.ok(sesFront.hits.some((h) => h.path === '/v2/email/account' && /AWS4-HMAC-SHA256/.test(h.auth ?? '')));
    assert.ok(cloudWatch.hits.length > 0);
    assert.match(formatStandingText(report, 'en'), /Bounce rate: 6\.2% \[review 5\.0%, pause 10\.0%\]/);
  });

  test('no credentials is said as such, not as zero', async () => {
    const report = await withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: 'deliverlint-no-such-profile', AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1' }, () =>
      standing({ providers: ['ses'], endpoints: { ses: sesFront.url, cloudWatch: cloudWatch.url } }),
    );
    const ses = report.providers[0]!;
    assert.equal(ses.reached, false);
    assert.equal(ses.unreachable, 'no-credentials');
    assert.deepEqual(ses.figures, []);
  });

  test('an endpoint nobody listens on is a network failure', async () => {
    const closed = await serve(() => undefined);
    await new Promise((r) => closed.server.close(r));
    const report = await withEnv(AWS_ENV, () => standing({ providers: ['ses'], endpoints: { ses: closed.url, cloudWatch: closed.url } }));
    assert.equal(report.providers[0]!.unreachable, 'network');
  });
});

describe('standing: SendGrid and Postmaster Tools', () => {
  test('SendGrid suppressions and the 14-day spam report rate', async () => {
    const report = await standing({ providers: ['sendgrid'], sendGridApiKey: 'SG.test-key-1234', endpoints: { sendGrid: sendGrid.url }, now: NOW });
    const sg = report.providers[0]!;
    assert.equal(sg.reached, true);
    const fig = (id: string) => sg.figures.find((f) => f.id === id);
    assert.equal(fig('sendgrid.bounces')?.value, 1);
    assert.equal(fig('sendgrid.blocks')?.value, 0);
    assert.equal(fig('sendgrid.spamReports')?.value, 1);
    assert.equal(fig('sendgrid.unsubscribes')?.value, 1);
    assert.equal(fig('sendgrid.spamReportRate14d')?.value, 45 / 19700);
    assert.equal(sg.findings.find((f) => f.id === 'sendgrid-spam-rate')?.severity, 'warning');
  });

  test('a rejected SendGrid key is access denied; no key is no credentials', async () => {
    const bad = await standing({ providers: ['sendgrid'], sendGridApiKey: 'SG.wrong', endpoints: { sendGrid: sendGrid.url } });
    assert.deepEqual([bad.providers[0]!.reached, bad.providers[0]!.unreachable], [false, 'access-denied']);
    const none = await standing({ providers: ['sendgrid'], endpoints: { sendGrid: sendGrid.url } });
    assert.equal(none.providers[0]!.unreachable, 'no-credentials');
  });

  test('Postmaster Tools: the spam rate against 0.1% and 0.3%, and compliance', async () => {
    const report = await standing({ providers: ['gmail-postmaster'], postmasterToken: 'ya29.test-token', domain: 'harbor.example', endpoints: { postmaster: postmaster.url }, now: NOW });
    const gm = report.providers[0]!;
    assert.equal(gm.reached, true, JSON.stringify(gm));
    const spam = gm.figures.find((f) => f.id === 'gmail.spamRate')!;
    assert.equal(spam.value, 0.0031);
    assert.equal(spam.at, '2026-12-02');
    assert.deepEqual(spam.thresholds, [{ kind: 'guideline', value: 0.001 }, { kind: 'reject', value: 0.003 }]);
    assert.equal(gm.findings.find((f) => f.id === 'gmail-spam-rate')?.severity, 'error');
    assert.equal(gm.figures.find((f) => f.id === 'gmail.compliance.DMARC_POLICY')?.value, 'NEEDS_WORK');
    assert.ok(gm.findings.some((f) => f.id === 'gmail-compliance'));
    const denied = await standing({ providers: ['gmail-postmaster'], postmasterToken: 'ya29.other', domain: 'harbor.example', endpoints: { postmaster: postmaster.url } });
    assert.equal(denied.providers[0]!.unreachable, 'access-denied');
  });
});

describe('deliverlint standing (bundled CLI)', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), 'standing', ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent', LANG: 'C', AWS_EC2_METADATA_DISABLED: 'true', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  test('SES through the SDK endpoint variables; exit 0; no credential in the output', async () => {
    const r = await run(['--provider', 'ses', '--format', 'json'], { ...AWS_ENV, AWS_ENDPOINT_URL_SESV2: sesFront.url, AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.url });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout);
    assert.equal(report.providers[0].figures.find((f: { id: string }) => f.id === 'ses.enforcementStatus').value, 'PROBATION');
    for (const secret of [AWS_ENV.AWS_SECRET_ACCESS_KEY, AWS_ENV.AWS_ACCESS_KEY_ID]) assert.ok(!(r.stdout + r.stderr).includes(secret));
  });

  test('an unreachable provider exits 3 and says why; the key is never printed', async () => {
    const r = await run(['--provider', 'sendgrid,gmail-postmaster', '--domain', 'harbor.example'], { SENDGRID_API_KEY: 'SG.wrong-secret-value', DELIVERLINT_SENDGRID_API_URL: sendGrid.url });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /sendgrid\n {2}not reached: access denied/);
    assert.match(r.stdout, /gmail-postmaster\n {2}not reached: no credentials \(GMAIL_POSTMASTER_TOKEN\)/);
    assert.ok(!(r.stdout + r.stderr).includes('wrong-secret-value'));
  });

  test('Gmail over 0.3% exits 1; bad usage exits 2', async () => {
    const r = await run(['-p', 'gmail-postmaster', '--domain', 'harbor.example', '--locale', 'ja'], { GMAIL_POSTMASTER_TOKEN: 'ya29.test-token', DELIVERLINT_POSTMASTER_API_URL: postmaster.url });
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /0\.3%/);
    assert.equal((await run(['--provider', 'mailchimp'], {})).status, 2);
  });
});
