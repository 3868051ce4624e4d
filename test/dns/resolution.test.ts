// How the check treats DNS itself: a server that never answers (the run ends within its bound and
// reports dns-failure, never a missing record), SERVFAIL, the bound on the whole run and on the
// number of queries, cancellation, and parallel questions (the 10-lookup tree with slow answers).
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckCancelledError, checkDomain } from '../../server/src/dns/check';
import { createNodeResolver, parseServer } from '../../server/src/dns/resolver';
import { useDnsServer } from './setup';
import { check, findingsOf, ids } from './zones';

const { server } = useDnsServer();
const MISSING = ['spf-missing', 'dmarc-missing', 'dkim-key-missing', 'mx-missing', 'mta-sts-missing', 'tls-rpt-missing', 'bimi-missing'];

/** An address where nothing listens: a UDP port bound, noted and closed again. */
async function closedPort(): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** The one dns-failure finding of a run, checked to be the only one. */
function oneFailure(r: Awaited<ReturnType<typeof check>>) {
  const failures = findingsOf(r, 'dns-failure');
  assert.equal(failures.length, 1, `one dns-failure finding, got: ${failures.map((f) => f.message).join(' | ')}`);
  return failures[0]!;
}

test('an unreachable server: ONE finding that names the server and the error, nothing reported missing', async () => {
  const address = await closedPort();
  const r = await check('good.test', { server: address, selectors: ['s1'], timeoutMs: 300, runTimeoutMs: 3000 });
  const f = oneFailure(r);
  assert.equal(f.section, 'dns');
  assert.equal(f.severity, 'error');
  assert.ok(f.message.includes(address), f.message);
  assert.match(f.message, /could not be reached/);
  assert.deepEqual(f.dns?.servers, [address]);
  assert.deepEqual(r.servers, [address], 'the report names the servers it asked');
  assert.ok(f.dns!.failures.every((x) => x.status === 'unreachable'));
  assert.deepEqual(ids(r).filter((i) => MISSING.includes(i)), []);
});

test('REFUSED and timeouts are named in the one finding, with the server', async () => {
  const refused = oneFailure(await check('refused.test', { server: server().address }));
  assert.ok(refused.message.includes(server().address), refused.message);
  assert.match(refused.message, /refused/);
  assert.match(refused.message, /check the DNS server and run the check again\.$/);
  const dead = oneFailure(await check('dead.test', { server: server().address, timeoutMs: 300, runTimeoutMs: 3000 }));
  assert.ok(dead.message.includes(server().address), dead.message);
  assert.match(dead.message, /no answer from 127\.0\.0\.1:\d+ within 300 ms \(timeout\)/);
  for (const part of ['SPF', 'DMARC', 'MX', 'MTA-STS', 'TLS-RPT', 'BIMI']) assert.ok(dead.message.includes(part), `${part} in: ${dead.message}`);
});

test('answers of the wrong type, CNAME loops and chains over five hops are DNS failures, not missing records', async () => {
  const wrong = await check('wrongtype.test', { server: server().address });
  assert.equal(wrong.spf.result, 'temperror');
  assert.equal(wrong.dmarc.result, 'temperror');
  assert.match(oneFailure(wrong).message, /answered with records of another type than asked: TXT/);
  assert.deepEqual(ids(wrong).filter((i) => ['spf-missing', 'dmarc-missing', 'mx-missing'].includes(i)), []);

  const loop = await check('cnameloop.test', { server: server().address });
  assert.equal(loop.spf.result, 'temperror');
  assert.match(oneFailure(loop).message, /CNAME chains that loop: TXT cnameloop\.test/);
  assert.ok(!ids(loop).includes('spf-missing'));

  const long = await check('cnamelong.test', { server: server().address });
  assert.equal(long.spf.result, 'temperror');
  assert.match(oneFailure(long).message, /CNAME chains of more than 5 hops: TXT cnamelong\.test/);
  assert.ok(!ids(long).includes('spf-missing'));
});

test('DKIM: a CNAME loop or a six-hop chain is a DNS failure; a CNAME to a name without a key is missing', async () => {
  const r = await check('keys.test', { server: server().address, selectors: ['loop', 'long', 'dangling'] });
  assert.deepEqual(r.dkim.map((d) => [d.selector, d.status]), [['loop', 'dns-failure'], ['long', 'dns-failure'], ['dangling', 'missing']]);
  const f = oneFailure(r);
  assert.match(f.message, /^DKIM loop and DKIM long could not be checked/);
  assert.match(f.message, /loop/);
  assert.match(f.message, /more than 5 hops/);
  // A broken chain is the zone's to fix, not the server's.
  assert.match(f.message, /correct the CNAME records of these names\.$/);
  assert.doesNotMatch(f.message, /check the DNS server/);
  assert.deepEqual(findingsOf(r, 'dkim-key-missing').map((x) => x.name), ['dangling._domainkey.keys.test']);
});

test('a server that never answers: every part ends as dns-failure within the per-query timeout', async () => {
  const started = Date.now();
  const r = await check('dead.test', { server: server().address, selectors: ['s1'], timeoutMs: 300, runTimeoutMs: 3000 });
  const took = Date.now() - started;
  assert.ok(took < 1500, `took ${took} ms`);
  assert.deepEqual(ids(r).filter((i) => MISSING.includes(i)), [], 'an unanswered query is never reported as a missing record');
  const failure = oneFailure(r);
  assert.equal(failure.severity, 'error');
  assert.match(failure.message, /SPF, DMARC, DKIM s1, MX/);
  assert.equal(r.spf.result, 'temperror');
  assert.equal(r.dmarc.result, 'temperror');
  assert.equal(r.dkim[0]!.status, 'dns-failure');
  assert.ok(r.verdicts.every((v) => v.status === 'unknown'));
});

test('the timeout is for the whole lookup: answers 250 ms late under a 300 ms timeout all count', async () => {
  const started = Date.now();
  const r = await check('late.test', { server: server().address, timeoutMs: 300, runTimeoutMs: 3000 });
  const took = Date.now() - started;
  assert.deepEqual(findingsOf(r, 'dns-failure'), []);
  assert.equal(r.spf.result, 'ok');
  assert.equal(r.dmarc.result, 'ok');
  assert.equal(r.mx.status, 'ok');
  assert.equal(r.mtaSts.status, 'nxdomain');
  assert.ok(took < 1500, `took ${took} ms`);
});

test('a lost packet is asked again within the timeout', async () => {
  const r = await check('lossy.test', { server: server().address, timeoutMs: 300, runTimeoutMs: 3000 });
  assert.deepEqual(findingsOf(r, 'dns-failure'), []);
  assert.equal(r.spf.result, 'ok');
  assert.equal(r.dmarc.result, 'ok');
  assert.ok(server().log.filter((q) => q.name === 'lossy.test' && q.type === 'TXT').length >= 2, 'the TXT question went out twice');
});

test('the bound on the whole run stops a check whose queries time out one after another', async () => {
  const started = Date.now();
  // Each query may take 2 s but the whole run only 400 ms.
  const r = await check('dead.test', { server: server().address, timeoutMs: 2000, runTimeoutMs: 400 });
  const took = Date.now() - started;
  assert.ok(took < 1200, `took ${took} ms`);
  assert.match(oneFailure(r).message, /time bound \(400 ms\)/);
  assert.deepEqual(ids(r).filter((i) => MISSING.includes(i)), []);
});

test('SERVFAIL is a DNS failure, told apart from NXDOMAIN and no data', async () => {
  const r = await check('servfail.test', { server: server().address });
  assert.match(oneFailure(r).message, /SERVFAIL/);
  assert.deepEqual(ids(r).filter((i) => MISSING.includes(i)), []);
  const nx = await check('nodmarc.test', { server: server().address });
  assert.equal(nx.dmarc.walk[0]!.status, 'nxdomain');
  assert.equal(nx.mx.status, 'nodata');
});

test('the query budget: past it nothing more is asked, and a finding says so', async () => {
  const before = server().log.length;
  const r = await check('eleven.test', { server: server().address, maxQueries: 6 });
  assert.ok(server().log.length - before <= 6);
  assert.equal(r.queries, 6);
  assert.ok(ids(r).includes('dns-query-limit'));
});

test('cancelling stops the run at once', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const running = check('dead.test', { server: server().address, timeoutMs: 2000, runTimeoutMs: 5000, signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(running, CheckCancelledError);
  assert.ok(Date.now() - started < 1000);
});

test('independent questions go out together: 10 lookups with 50 ms answers take a few round trips, not 20', async () => {
  const started = Date.now();
  const r = await check('slow10.test', { server: server().address });
  const took = Date.now() - started;
  assert.equal(r.spf.dnsLookups, 10);
  // SPF tree depth 3 plus the DKIM/DMARC/MX parts in parallel: about 4 rounds of 50 ms.
  assert.ok(took < 1000, `took ${took} ms`);
  process.stdout.write(`# slow10.test: 10 SPF lookups, ${r.queries} queries at 50 ms each, done in ${took} ms\n`);
});

test('--dns values: IPv4 and IPv6 with and without a port; names are refused', () => {
  assert.equal(parseServer('127.0.0.1:5353'), '127.0.0.1:5353');
  assert.equal(parseServer('192.0.2.1'), '192.0.2.1');
  assert.equal(parseServer('[::1]:53'), '[::1]:53');
  assert.equal(parseServer('2001:db8::1'), '2001:db8::1');
  assert.equal(parseServer('dns.example'), undefined);
  assert.equal(parseServer('1.2.3.4:99999'), undefined);
});

test('bad input is refused before any query', async () => {
  const resolver = createNodeResolver([server().address], 500);
  await assert.rejects(checkDomain('not a domain', { resolver }), /not a domain name/);
  await assert.rejects(checkDomain('example.test', { resolver, selectors: ['bad selector'] }), /not a DKIM selector/);
});
