// SPF against the real test DNS server: lookup counts per include (9, 10, 11), void lookups, loops,
// split strings, TCP for a big record, all-qualifiers, ptr, several records, syntax errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpf } from '../../server/src/dns/spfRecord';
import { useDnsServer } from './setup';
import { check, findingsOf, ids } from './zones';

const { server } = useDnsServer();
const run = (domain: string) => check(domain, { server: server().address });

test('parseSpf keeps each term with its offset and lookup cost', () => {
  const terms = parseSpf('v=spf1 include:_spf.example.com a mx:mail.example.com/24 ip4:192.0.2.0/24 ip6:2001:db8::/32 ptr exists:%{i}._spf.example.com redirect=example.net -all');
  assert.deepEqual(terms.map((t) => [t.kind, t.lookups]), [['include', 1], ['a', 1], ['mx', 1], ['ip4', 0], ['ip6', 0], ['ptr', 1], ['exists', 1], ['redirect', 1], ['all', 0]]);
  assert.equal(terms[0]!.start, 7);
  assert.ok(terms.every((t) => !t.error), JSON.stringify(terms.filter((t) => t.error)));
  const bad = parseSpf('v=spf1 ip4:300.1.1.1 inclde:x.test ip6:zz::1 include a:/99 exists:%{z}.x.test -all/1');
  assert.deepEqual(bad.filter((t) => t.error).map((t) => t.text), ['ip4:300.1.1.1', 'inclde:x.test', 'ip6:zz::1', 'include', 'a:/99', 'exists:%{z}.x.test', '-all/1']);
});

test('9 and 10 lookups pass (10 with a near-limit note); 11 is spf-lookup-limit, blamed per include', async () => {
  const [nine, ten, eleven] = await Promise.all([run('nine.test'), run('ten.test'), run('eleven.test')]);
  assert.equal(nine.spf.dnsLookups, 9);
  assert.equal(ten.spf.dnsLookups, 10);
  assert.equal(eleven.spf.dnsLookups, 11);
  assert.ok(!ids(nine).includes('spf-lookup-limit') && !ids(ten).includes('spf-lookup-limit'));
  assert.equal(nine.spf.result, 'ok');
  assert.equal(ten.spf.result, 'ok');
  assert.ok(ids(ten).includes('spf-lookup-near-limit'));
  const [limit] = findingsOf(eleven, 'spf-lookup-limit');
  assert.equal(limit?.severity, 'error');
  assert.match(limit!.message, /include:_esp2\.eleven\.test 4/);
  assert.match(limit!.message, /include:_esp1\.eleven\.test 3/);
  assert.equal(eleven.spf.result, 'permerror');
  // The tree carries the cost of each include: _esp1 = 1 + its two includes.
  const esp1 = eleven.spf.tree!.children.find((c) => c.domain === '_esp1.eleven.test')!;
  assert.equal(esp1.totalLookups, 2);
  assert.deepEqual(esp1.children.map((c) => c.domain), ['_esp1b.eleven.test', '_esp1c.eleven.test']);
});

test('void lookups: 2 are tolerated, 3 are spf-void-lookup-limit with a record that drops them', async () => {
  const [two, three] = await Promise.all([run('voids2.test'), run('voids3.test')]);
  assert.equal(two.spf.voidLookups, 2);
  assert.ok(!ids(two).includes('spf-void-lookup-limit'));
  assert.equal(three.spf.voidLookups, 3);
  const [f] = findingsOf(three, 'spf-void-lookup-limit');
  assert.equal(f?.severity, 'error');
  assert.equal(f!.fix?.value, 'v=spf1 ip4:192.0.2.1 -all');
});

test('an include loop is spf-include-loop, and the run ends', async () => {
  const r = await run('loop.test');
  const [f] = findingsOf(r, 'spf-include-loop');
  assert.equal(f?.severity, 'error');
  assert.equal(f!.name, 'loop.test');
  assert.equal(r.spf.result, 'permerror');
});

test('TXT strings are joined without spaces (RFC 7208 §3.3), even inside a term', async () => {
  const r = await run('split.test');
  assert.equal(r.spf.record, 'v=spf1 ip4:192.0.2.0/24 include:_spf.split.test -all');
  assert.equal(r.spf.dnsLookups, 1);
  assert.equal(r.spf.tree!.children[0]!.status, 'ok');
});

test('a record over 512 bytes arrives over TCP and is read whole', async () => {
  const before = server().log.length;
  const r = await run('big.test');
  const asked = server().log.slice(before).filter((q) => q.name === 'big.test' && q.type === 'TXT');
  assert.deepEqual(asked.map((q) => q.transport), ['udp', 'tcp']);
  assert.equal(r.spf.record?.split(' ').length, 72);
  assert.ok(ids(r).includes('spf-record-size'));
});

test('+all is an error, ?all a warning, no all a warning; each with the record to publish', async () => {
  const [plus, neutral, none] = await Promise.all([run('plusall.test'), run('neutral.test'), run('noall.test')]);
  assert.deepEqual(findingsOf(plus, 'spf-all-permissive').map((f) => [f.severity, f.fix?.value]), [['error', 'v=spf1 ~all']]);
  assert.deepEqual(findingsOf(neutral, 'spf-all-permissive').map((f) => [f.severity, f.fix?.value]), [['warning', 'v=spf1 ip4:192.0.2.1 ~all']]);
  assert.deepEqual(findingsOf(none, 'spf-all-missing').map((f) => [f.severity, f.fix?.value]), [['warning', 'v=spf1 ip4:192.0.2.1 ~all']]);
  assert.equal(plus.spf.all, '+');
  assert.equal(none.spf.all, null);
});

test('an include of a record ending in +all is spf-all-permissive', async () => {
  const r = await run('badinclude.test');
  assert.ok(findingsOf(r, 'spf-all-permissive').some((f) => f.severity === 'error' && f.name === '_open.badinclude.test'));
});

test('ptr, several records, no record, syntax errors, a missing include', async () => {
  const [ptr, multi, missing, syntax, inc] = await Promise.all([run('ptr.test'), run('multi.test'), run('nospf.test'), run('syntax.test'), run('incmissing.test')]);
  assert.deepEqual(findingsOf(ptr, 'spf-ptr').map((f) => [f.severity, f.fix?.value]), [['warning', 'v=spf1 ip4:192.0.2.1 -all']]);
  const [m] = findingsOf(multi, 'spf-multiple-records');
  assert.equal(m?.severity, 'error');
  assert.equal(m!.fix?.value, 'v=spf1 include:_a.multi.test ip4:192.0.2.1 -all');
  assert.equal(multi.spf.record, null);
  assert.equal(multi.spf.records.length, 2);
  assert.deepEqual(findingsOf(missing, 'spf-missing').map((f) => f.severity), ['error']);
  assert.equal(missing.spf.record, null);
  const syn = findingsOf(syntax, 'spf-syntax');
  assert.equal(syn.length, 2);
  assert.match(syn[0]!.message, /"ip4:300\.1\.1\.1" at column 8/);
  assert.match(syn[1]!.message, /unknown mechanism "inclde"/);
  assert.deepEqual(findingsOf(inc, 'spf-include-missing').map((f) => [f.severity, f.fix?.value]), [['error', 'v=spf1 ~all']]);
  assert.equal(inc.spf.voidLookups, 1);
});

test('200 includes: the walk stops at its bound, counts stay honest, and one finding says so', async () => {
  const started = Date.now();
  const r = await run('wide.test');
  assert.ok(Date.now() - started < 3000);
  assert.equal(r.spf.dnsLookups, 200);
  assert.ok(ids(r).includes('spf-lookup-limit'));
  assert.equal(findingsOf(r, 'spf-not-evaluated').length, 1);
  assert.ok(r.queries < 80, `queries: ${r.queries}`);
});

test('an include reached twice is asked once per run (the run caches answers)', async () => {
  const before = server().log.length;
  const r = await run('dup.test');
  assert.equal(r.spf.dnsLookups, 4);
  const common = server().log.slice(before).filter((q) => q.name === '_common.dup.test');
  assert.equal(common.length, 1);
});
