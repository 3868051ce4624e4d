// DMARC record text without DNS: recognising a record, tags, value checks, report addresses, and the
// organizational domain RFC 9989 reads off the walk's answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTagList } from '../../server/src/dns/domain';
import { isDmarcRecord, isMisplacedDmarc, mailtoDomains, tagMap, validateDmarcTags } from '../../server/src/dns/dmarcRecord';
import { treeWalkNames, treeWalkOrganizationalDomain, type DmarcStep } from '../../server/src/dns/dmarcWalk';

test('isDmarcRecord: v=DMARC1 first, spacing and case free; isMisplacedDmarc: the tag later on', () => {
  for (const t of ['v=DMARC1', 'v=DMARC1; p=none', 'V = dmarc1 ;p=reject']) assert.ok(isDmarcRecord(t) && !isMisplacedDmarc(t), t);
  for (const t of ['p=none; v=DMARC1', 'p=none;v=DMARC1;']) assert.ok(!isDmarcRecord(t) && isMisplacedDmarc(t), t);
  for (const t of ['v=DMARC10; p=none', 'v=spf1 -all', 'x v=DMARC1', '']) assert.ok(!isDmarcRecord(t) && !isMisplacedDmarc(t), t);
});

test('tagMap lower-cases names and keeps the first of a repeated tag', () => {
  assert.deepEqual(tagMap(parseTagList('v=DMARC1; P=reject; p=none; RUA=mailto:a@x.test').tags), { v: 'DMARC1', p: 'reject', rua: 'mailto:a@x.test' });
});

test('mailtoDomains: the domains of mailto: URIs, size suffixes and other schemes dropped', () => {
  assert.deepEqual(mailtoDomains('mailto:a@Reports.Example.TEST., mailto:b@x.test!10m, https://x.test/r, mailto:nobody'), ['reports.example.test', 'x.test']);
  assert.deepEqual(mailtoDomains(undefined), []);
});

test('validateDmarcTags: one message per bad value, repeated tag or malformed part', () => {
  const { tags, malformed } = parseTagList('v=DMARC1; p=block; sp=reject; adkim=x; aspf=s; t=maybe; psd=u; fo=1:d; pct=101; ri=1h; rua=mailto:a@x.test,reports@x.test; p=none; junk');
  assert.deepEqual(validateDmarcTags(tags, malformed), [
    '"junk" is not a tag=value pair',
    'p=block is not valid: use none, quarantine or reject',
    'adkim=x is not valid: use r (relaxed) or s (strict)',
    't=maybe is not valid: use y or n',
    'pct=101 is not valid: a whole number from 0 to 100',
    'ri=1h is not valid: a number of seconds',
    'rua=mailto:a@x.test,reports@x.test is not valid: "reports@x.test" is not a mailto: address (mailto:reports@example.com)',
    'the tag p appears more than once',
  ]);
  const good = parseTagList('v=DMARC1; p=reject; sp=none; np=quarantine; adkim=s; aspf=r; t=n; psd=n; fo=0:1:d:s; pct=0; ri=86400; rua=mailto:a@x.test!10m');
  assert.deepEqual(validateDmarcTags(good.tags, good.malformed), []);
});

/** Walk answers for `domain` with records at some of its names (without `_dmarc.`). */
function walkOf(domain: string, records: Record<string, string>, failing: string[] = []) {
  const names = treeWalkNames(domain);
  const steps: DmarcStep[] = names.map((n) => {
    const record = records[n];
    return { name: `_dmarc.${n}`, status: failing.includes(n) ? 'servfail' : record ? 'ok' : 'nxdomain', valid: record ? [record] : [], misplaced: [], record };
  });
  return { names, steps };
}

test('treeWalkOrganizationalDomain: psd=n marks it, psd=y the name below, else the topmost record, else the domain', () => {
  const d = 'a.b.shop.example.test';
  assert.equal(treeWalkOrganizationalDomain(d, walkOf(d, {})), d);
  assert.equal(treeWalkOrganizationalDomain(d, walkOf(d, { 'b.shop.example.test': 'v=DMARC1; p=none', 'example.test': 'v=DMARC1; p=reject' })), 'example.test');
  assert.equal(treeWalkOrganizationalDomain(d, walkOf(d, { 'shop.example.test': 'v=DMARC1; p=none; psd=n', 'example.test': 'v=DMARC1; p=reject' })), 'shop.example.test');
  assert.equal(treeWalkOrganizationalDomain(d, walkOf(d, { 'example.test': 'v=DMARC1; p=reject; psd=y' })), 'shop.example.test');
  assert.equal(treeWalkOrganizationalDomain(d, walkOf(d, { 'shop.example.test': 'v=DMARC1; p=none; psd=n', test: 'v=DMARC1; p=reject; psd=y' })), 'example.test');
  // A name whose answer failed does not count, even with a record in hand.
  assert.equal(treeWalkOrganizationalDomain(d, walkOf(d, { 'shop.example.test': 'v=DMARC1; p=none', 'example.test': 'v=DMARC1; p=reject' }, ['example.test'])), 'shop.example.test');
});
