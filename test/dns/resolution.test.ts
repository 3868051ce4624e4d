// How the check treats DNS itself: a server that never answers (the run ends within its bound and
// reports dns-failure, never a missing record), SERVFAIL, the bound on the whole run and on the
// number of queries, cancellation, and parallel questions (the 10-lookup tree with slow answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckCancelledError, checkDomain } from '../../server/src/dns/check';
import { createNodeResolver, parseServer } from '../../server/src/dns/resolver';
import { useDnsServer } from './setup';
import { check, findingsOf, ids } from './zones';

const { server } = useDnsServer();
const MISSING = ['spf-missing', 'dmarc-missing', 'dkim-key-missing', 'mx-missing'];

test('a server that never answers: every part ends as dns-failure within the per-query timeout', async () => {
  const started = Date.now();
  const r = await check('dead.test', { server: server().address, selectors: ['s1'], timeoutMs: 300, runTimeoutMs: 3000 });
  const took = Date.now() - started;
  assert.ok(took < 1500, `took ${took} ms`);
  assert.deepEqual(ids(r).filter((i) => MISSING.includes(i)), [], 'an unanswered query is never reported as a missing record');
  const failures = findingsOf(r, 'dns-failure');
  assert.ok(failures.some((f) => f.section === 'spf' && f.severity === 'error' && /no answer within the timeout/.test(f.message)));
  assert.ok(failures.some((f) => f.section === 'dmarc'));
  assert.ok(failures.some((f) => f.section === 'dkim'));
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
  assert.ok(findingsOf(r, 'dns-failure').some((f) => f.section === 'dns' && /time bound \(400 ms\)/.test(f.message)));
  assert.deepEqual(ids(r).filter((i) => MISSING.includes(i)), []);
});

test('SERVFAIL is a DNS failure, told apart from NXDOMAIN and no data', async () => {
  const r = await check('servfail.test', { server: server().address });
  assert.match(findingsOf(r, 'dns-failure')[0]!.message, /SERVFAIL/);
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
