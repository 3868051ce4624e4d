// MX, null MX, MTA-STS, TLS-RPT, BIMI with its DMARC prerequisite, and the per-provider verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDnsServer } from './setup';
import { check, findingsOf, ids } from './zones';

const { server } = useDnsServer();
const run = (domain: string, selectors: string[] = []) => check(domain, { server: server().address, selectors });

test('a domain with everything in place meets all three providers and has no finding', async () => {
  const r = await run('good.test', ['s1']);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.verdicts.map((v) => [v.provider, v.status]), [['gmail', 'met'], ['yahoo', 'met'], ['microsoft', 'met']]);
  assert.deepEqual(r.mx.records, [{ exchange: 'mx1.good.test', priority: 10 }, { exchange: 'mx2.good.test', priority: 20 }]);
  assert.equal(r.mtaSts.record, 'v=STSv1; id=2026010101');
  assert.equal(r.tlsRpt.record, 'v=TLSRPTv1; rua=mailto:tls@good.test');
  assert.match(r.bimi.record!, /^v=BIMI1; l=https:/);
});

test('no MX and no address is mx-missing (error); a null MX is mx-null', async () => {
  const [nomx, nullmx] = await Promise.all([run('nomx.test'), run('nullmx.test')]);
  const [f] = findingsOf(nomx, 'mx-missing');
  assert.equal(f?.severity, 'error');
  assert.deepEqual([f!.fix?.type, f!.fix?.value], ['MX', '10 mail.nomx.test']);
  assert.equal(nullmx.mx.nullMx, true);
  assert.ok(ids(nullmx).includes('mx-null'));
  assert.ok(!ids(nullmx).includes('mx-missing'));
  // A name with only an address falls back to it: a warning.
  const walk = await run('a.b.walk.test');
  assert.equal(findingsOf(walk, 'mx-missing')[0]?.severity, 'warning');
});

test('missing MTA-STS, TLS-RPT and BIMI are info with the record to publish', async () => {
  const r = await run('nomx.test');
  for (const id of ['mta-sts-missing', 'tls-rpt-missing', 'bimi-missing']) {
    const [f] = findingsOf(r, id);
    assert.equal(f?.severity, 'info', id);
    assert.ok(f!.fix?.value, `${id} says what to publish`);
  }
  assert.equal(findingsOf(r, 'tls-rpt-missing')[0]!.fix!.value, 'v=TLSRPTv1; rua=mailto:tls-reports@nomx.test');
});

test('malformed MTA-STS, TLS-RPT and BIMI records are reported', async () => {
  const r = await run('badpolicies.test');
  assert.ok(ids(r).includes('mta-sts-invalid'));
  assert.ok(ids(r).includes('tls-rpt-invalid'));
  assert.ok(ids(r).includes('bimi-invalid'));
});

test('BIMI under p=none misses its DMARC prerequisite', async () => {
  const r = await run('bimi-none.test');
  const [f] = findingsOf(r, 'bimi-dmarc-prerequisite');
  assert.equal(f?.severity, 'warning');
  assert.deepEqual([f!.fix?.name, f!.fix?.value], ['_dmarc.bimi-none.test', 'v=DMARC1; p=quarantine; rua=mailto:d@bimi-none.test']);
});

test('verdicts say why a provider\'s rules are not met', async () => {
  const r = await run('nospf.test', ['s1']);
  const gmail = r.verdicts.find((v) => v.provider === 'gmail')!;
  assert.equal(gmail.status, 'not-met');
  assert.ok(gmail.reasons.includes('no SPF record'));
  assert.ok(gmail.reasons.includes('no DMARC record'));
  assert.ok(gmail.reasons.some((x) => x.startsWith('no usable DKIM key')));
});

test('the less common findings: macros, ignored redirect, removed and unknown DMARC tags, no p=, SHA-1 only, null MX beside others', async () => {
  const r = await check('misc.test', { server: server().address, selectors: ['sha1'] });
  const found = ids(r);
  for (const id of ['spf-macro', 'spf-redirect-ignored', 'dmarc-policy-missing', 'dmarc-tag-removed', 'dmarc-unknown-tag', 'dkim-sha1', 'mx-null-invalid']) assert.ok(found.includes(id), `${id} in ${found.join(', ')}`);
  assert.equal(found.filter((i) => i === 'dmarc-tag-removed').length, 2);
  assert.equal(r.spf.dnsLookups, 1, 'exists counts; the redirect beside all costs nothing');
});
