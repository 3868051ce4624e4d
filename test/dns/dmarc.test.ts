// DMARC against the real test DNS server: the record at the domain, the RFC 9989 tree walk, psd=,
// the note when the Public Suffix List would differ, tag validation, rua authorization, alignment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rebuildDmarc } from '../../server/src/dns/dmarcRecord';
import { treeWalkNames } from '../../server/src/dns/dmarcWalk';
import { parseTagList } from '../../server/src/dns/domain';
import { useDnsServer } from './setup';
import { check, findingsOf, ids } from './zones';

const { server } = useDnsServer();
const run = (domain: string, alignment?: { dkimDomains?: string[]; mailFromDomains?: string[] }) => check(domain, { server: server().address, alignment });

test('the tree walk asks at most 8 names: long names are cut to 7 labels first', () => {
  assert.deepEqual(treeWalkNames('a.b.example.com'), ['a.b.example.com', 'b.example.com', 'example.com', 'com']);
  const long = 'a.b.c.d.e.f.g.h.i.example.com';
  const names = treeWalkNames(long);
  assert.equal(names.length, 8);
  assert.equal(names[0], long);
  assert.equal(names[1], 'e.f.g.h.i.example.com');
  assert.equal(names[1]!.split('.').length, 7);
  assert.equal(names[7], 'com');
});

test('rebuildDmarc puts v first and p second, keeps the rest', () => {
  assert.equal(rebuildDmarc(parseTagList('v=DMARC1; rua=mailto:a@x.test; p=none; pct=20').tags, { p: 'quarantine' }, ['pct']), 'v=DMARC1; p=quarantine; rua=mailto:a@x.test');
});

test('a record at the domain: policy, tags and no finding when it is enforcing with reports', async () => {
  const r = await run('good.test');
  assert.equal(r.dmarc.record, 'v=DMARC1; p=reject; rua=mailto:dmarc@good.test');
  assert.equal(r.dmarc.policy, 'reject');
  assert.equal(r.dmarc.source, 'domain');
  assert.ok(!r.findings.some((f) => f.section === 'dmarc'), JSON.stringify(r.findings));
});

test('no record at a subdomain: the tree walk finds the parent record, and sp= applies', async () => {
  const r = await run('a.b.walk.test');
  assert.equal(r.dmarc.foundAt, '_dmarc.walk.test');
  assert.equal(r.dmarc.source, 'tree-walk');
  assert.equal(r.dmarc.policy, 'reject');
  assert.equal(r.dmarc.organizationalDomain, 'walk.test');
  assert.deepEqual(r.dmarc.walk.map((s) => [s.name, s.status]), [['_dmarc.a.b.walk.test', 'nxdomain'], ['_dmarc.b.walk.test', 'nxdomain'], ['_dmarc.walk.test', 'ok'], ['_dmarc.test', 'nxdomain']]);
  assert.ok(ids(r).includes('dmarc-inherited'));
  assert.ok(!ids(r).includes('dmarc-missing') && !ids(r).includes('dmarc-psl-differs'));
});

test('the walk stops at an intermediate record, where the PSL rule would take the organizational one: a note says so', async () => {
  const r = await run('a.b.walk2.test');
  assert.equal(r.dmarc.foundAt, '_dmarc.b.walk2.test');
  assert.equal(r.dmarc.policy, 'reject');
  const [note] = findingsOf(r, 'dmarc-psl-differs');
  assert.equal(note?.severity, 'info');
  assert.match(note!.message, /_dmarc\.walk2\.test instead of _dmarc\.b\.walk2\.test/);
});

test('psd=y marks a public suffix: the organizational domain is the name below it, unlike the PSL', async () => {
  const r = await run('shop.customer.psd.test');
  assert.equal(r.dmarc.organizationalDomain, 'customer.psd.test');
  assert.equal(r.dmarc.pslOrganizationalDomain, 'psd.test');
  assert.match(findingsOf(r, 'dmarc-psl-differs')[0]!.message, /psd\.test as the organizational domain where RFC 9989 takes customer\.psd\.test/);
});

test('no record anywhere is dmarc-missing, with the record to publish', async () => {
  const r = await run('nodmarc.test');
  const [f] = findingsOf(r, 'dmarc-missing');
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f!.fix, { name: '_dmarc.nodmarc.test', type: 'TXT', value: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@nodmarc.test', note: f!.fix!.note });
  assert.equal(r.dmarc.record, null);
  assert.equal(r.dmarc.policy, null);
});

test('invalid values and v=DMARC1 not first are dmarc-invalid', async () => {
  const [bad, notFirst] = await Promise.all([run('baddmarc.test'), run('notfirst.test')]);
  const [f] = findingsOf(bad, 'dmarc-invalid');
  assert.equal(f?.severity, 'error');
  assert.match(f!.message, /p=block/);
  assert.match(f!.message, /adkim=x/);
  assert.equal(f!.fix?.value, 'v=DMARC1; p=none; rua=mailto:d@baddmarc.test');
  assert.equal(bad.dmarc.result, 'invalid');
  assert.ok(ids(notFirst).includes('dmarc-invalid'));
  assert.ok(ids(notFirst).includes('dmarc-missing'), 'a record not starting with v=DMARC1 is ignored');
});

test('p=none, pct, t=y, missing rua, several records', async () => {
  const [none, pct, testing, norua, multi] = await Promise.all([run('none.test'), run('pct.test'), run('testmode.test'), run('norua.test'), run('dmarcmulti.test')]);
  assert.deepEqual(findingsOf(none, 'dmarc-policy-none').map((f) => [f.severity, f.fix?.value]), [['warning', 'v=DMARC1; p=quarantine; rua=mailto:d@none.test']]);
  assert.equal(none.dmarc.policy, 'none');
  assert.deepEqual(findingsOf(pct, 'dmarc-pct-removed').map((f) => [f.severity, f.fix?.value]), [['warning', 'v=DMARC1; p=quarantine; rua=mailto:d@pct.test; t=y']]);
  assert.equal(findingsOf(testing, 'dmarc-testing')[0]?.fix?.value, 'v=DMARC1; p=reject; rua=mailto:d@testmode.test');
  assert.equal(findingsOf(norua, 'dmarc-rua-missing')[0]?.fix?.value, 'v=DMARC1; p=reject; rua=mailto:dmarc-reports@norua.test');
  assert.deepEqual(findingsOf(multi, 'dmarc-multiple-records').map((f) => f.severity), ['error']);
  assert.ok(ids(multi).includes('dmarc-missing'));
});

test('rua in another domain must be authorised there', async () => {
  const [ok, bad] = await Promise.all([run('rua-ok.test'), run('rua-bad.test')]);
  assert.ok(!ids(ok).includes('dmarc-rua-unauthorized'));
  const [f] = findingsOf(bad, 'dmarc-rua-unauthorized');
  assert.equal(f?.severity, 'warning');
  assert.deepEqual([f!.fix?.name, f!.fix?.value], ['rua-bad.test._report._dmarc.reports.dmarc-esp.test', 'v=DMARC1']);
});

test('strict alignment with the signing and MAIL FROM domains in use predicts the failure', async () => {
  const fails = await run('strict.test', { dkimDomains: ['mail.strict.test'], mailFromDomains: ['bounce.strict.test'] });
  const [f] = findingsOf(fails, 'dmarc-alignment-fails');
  assert.equal(f?.severity, 'error');
  assert.equal(f!.fix?.value, 'v=DMARC1; p=reject; adkim=r; aspf=r; rua=mailto:d@strict.test');
  assert.ok(fails.verdicts.every((v) => v.status === 'not-met'));
  const oneSide = await run('strict.test', { dkimDomains: ['strict.test'], mailFromDomains: ['bounce.strict.test'] });
  assert.deepEqual(ids(oneSide).filter((i) => i.includes('alignment')), ['dmarc-strict-alignment']);
  const foreign = await run('none.test', { dkimDomains: ['esp.example'] });
  assert.match(findingsOf(foreign, 'dmarc-alignment-fails')[0]!.message, /outside none\.test/);
});
