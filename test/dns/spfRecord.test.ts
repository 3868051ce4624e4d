// SPF record text without DNS: recognising a record, the §6.1 redirect rule on lookup counts, term
// targets, and the rewritten and merged records the findings offer to publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSpfRecord, mergeRecords, parseSpf, rewrite, settleLookups, targetOf } from '../../server/src/dns/spfRecord';

test('isSpfRecord: v=spf1 alone or followed by a space, in any case', () => {
  for (const t of ['v=spf1', 'v=spf1 -all', 'V=SPF1 include:x.test ~all']) assert.ok(isSpfRecord(t), t);
  for (const t of ['v=spf10 -all', 'v=spf1-all', ' v=spf1 -all', 'spf1 -all', 'v=DMARC1; p=none', '']) assert.ok(!isSpfRecord(t), t);
});

test('parseSpf: modifiers, qualifiers and values', () => {
  const terms = parseSpf('v=spf1 -ip4:192.0.2.0/24 ?a:mail.x.test/24//64 ~mx exp=explain.x.test foo=%{d}.bar +all');
  assert.deepEqual(
    terms.map((t) => [t.kind, t.qualifier, t.value, t.error]),
    [
      ['ip4', '-', '192.0.2.0/24', undefined],
      ['a', '?', 'mail.x.test', undefined],
      ['mx', '~', undefined, undefined],
      ['exp', undefined, 'explain.x.test', undefined],
      ['foo', undefined, '%{d}.bar', undefined],
      ['all', '+', undefined, undefined],
    ],
  );
});

test('parseSpf: what makes a term a syntax error', () => {
  const errorOf = (term: string) => parseSpf(`v=spf1 ${term}`)[0]!.error;
  assert.equal(errorOf('ip4:192.0.2.0/33'), 'the prefix length of "192.0.2.0/33" is over 32');
  assert.equal(errorOf('ip6:2001:db8::/129'), 'the prefix length of "2001:db8::/129" is over 128');
  assert.equal(errorOf('ip4'), '"ip4" needs an address: ip4:192.0.2.0/24');
  assert.equal(errorOf('all:x.test'), '"all" takes no value');
  assert.equal(errorOf('include:%{q}.x.test'), 'bad macro in "%{q}.x.test"');
  assert.equal(errorOf('include:no_dot'), '"no_dot" is not a domain name');
  assert.equal(errorOf('ptr/24'), '"ptr/24" is not ptr or ptr:domain');
  assert.equal(errorOf('mx/33'), 'an IPv4 prefix length is at most 32');
  assert.equal(errorOf('unknown:x'), 'unknown mechanism "unknown"');
  assert.equal(errorOf('=x'), '"=x" is not an SPF mechanism or modifier');
  const twice = parseSpf('v=spf1 redirect=a.test redirect=b.test exp=c.test exp=d.test');
  assert.deepEqual(twice.map((t) => t.error), [undefined, 'redirect= may appear only once', undefined, 'exp= may appear only once']);
  assert.equal(parseSpf('v=spf1 include:x.test. ~all')[0]!.error, undefined);
});

test('settleLookups: a redirect next to "all" is ignored (§6.1) and costs nothing', () => {
  const withAll = parseSpf('v=spf1 include:a.test mx redirect=b.test -all');
  assert.equal(settleLookups(withAll), 2);
  assert.equal(withAll.find((t) => t.kind === 'redirect')!.lookups, 0);
  const withoutAll = parseSpf('v=spf1 include:a.test mx redirect=b.test');
  assert.equal(settleLookups(withoutAll), 3);
});

test('targetOf: the value, else the record\'s domain, lower case and without the trailing dot', () => {
  const [include, a] = parseSpf('v=spf1 include:_SPF.Example.TEST. a');
  assert.equal(targetOf(include!, 'x.test'), '_spf.example.test');
  assert.equal(targetOf(a!, 'x.test'), 'x.test');
});

test('rewrite changes or drops terms and normalises the spacing', () => {
  const record = 'v=spf1   include:a.test  ptr ?all';
  const terms = parseSpf(record);
  assert.equal(rewrite(record, terms, (t) => (t.kind === 'ptr' ? undefined : t.kind === 'all' ? '~all' : t.text)), 'v=spf1 include:a.test ~all');
});

test('mergeRecords: every term once (case-insensitively), then the strictest all, at least ~all', () => {
  assert.equal(mergeRecords(['v=spf1 include:a.test ?all', 'v=spf1 INCLUDE:a.test ip4:192.0.2.1 -all']), 'v=spf1 include:a.test ip4:192.0.2.1 -all');
  assert.equal(mergeRecords(['v=spf1 mx +all', 'v=spf1 a']), 'v=spf1 mx a ~all');
});
