// The overview and the findings agree: each record's state comes from its findings, so no record
// with a finding shows "ok", and a failed lookup shows as failed (unknown), never as missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemOf, type OverviewState } from '../../server/src/dns/overview';
import { useDnsServer } from './setup';
import { check } from './zones';

const { server } = useDnsServer();
const RANK: Record<OverviewState, number> = { ok: 0, info: 1, warning: 2, error: 3, failed: 4 };

// Every scenario with findings, with the selectors its keys live under.
const CASES: Array<[string, string[]]> = [
  ['eleven.test', ['k1', 'k2']],
  ['ten.test', []],
  ['voids3.test', []],
  ['loop.test', []],
  ['plusall.test', []],
  ['neutral.test', []],
  ['noall.test', []],
  ['ptr.test', []],
  ['multi.test', []],
  ['nospf.test', []],
  ['syntax.test', []],
  ['incmissing.test', []],
  ['badinclude.test', []],
  ['wide.test', []],
  ['walk.test', []],
  ['psd.test', []],
  ['baddmarc.test', []],
  ['notfirst.test', []],
  ['none.test', []],
  ['pct.test', []],
  ['norua.test', []],
  ['testmode.test', []],
  ['rua-bad.test', []],
  ['dmarcmulti.test', []],
  ['keys.test', ['k768', 'k1024', 'k2048', 'revoked', 'testing', 'garbage', 'nosuch', 'loop']],
  ['nomx.test', []],
  ['nullmx.test', []],
  ['bimi-none.test', []],
  ['badpolicies.test', []],
  ['misc.test', ['sha1']],
  ['servfail.test', ['s1']],
];

test('for each finding, its overview item is not "ok" and is at least as severe', async () => {
  const seen = new Set<string>();
  for (const [domain, selectors] of CASES) {
    const r = await check(domain, { server: server().address, selectors });
    for (const f of r.findings) {
      const item = itemOf(r.overview, f);
      if (!item) continue;
      seen.add(f.id);
      assert.notEqual(item.state, 'ok', `${domain}: ${f.id} on ${item.part} ${item.name}`);
      assert.ok(RANK[item.state] >= RANK[f.severity], `${domain}: ${f.id} (${f.severity}) but ${item.part} is ${item.state}`);
    }
    for (const item of r.overview) {
      if (item.state === 'ok' || item.state === 'failed') continue;
      assert.ok(r.findings.some((f) => itemOf(r.overview, f) === item), `${domain}: ${item.part} is ${item.state} with no finding`);
    }
  }
  // The scenarios cover the finding kinds of every part.
  for (const id of ['spf-lookup-limit', 'spf-missing', 'dmarc-policy-none', 'dmarc-missing', 'dkim-key-weak', 'dkim-key-missing', 'dkim-testing', 'mx-missing', 'mx-null', 'mta-sts-invalid', 'tls-rpt-invalid', 'bimi-invalid', 'bimi-dmarc-prerequisite']) {
    assert.ok(seen.has(id), id);
  }
});

test('a 1024-bit key is a warning in the overview, a 2048-bit key ok; a failed lookup is "failed"', async () => {
  const r = await check('keys.test', { server: server().address, selectors: ['k1024', 'k2048'] });
  assert.deepEqual(r.overview.filter((i) => i.part === 'dkim').map((i) => [i.selector, i.state]), [['k1024', 'warning'], ['k2048', 'ok']]);
  const dead = await check('servfail.test', { server: server().address, selectors: ['s1'] });
  assert.deepEqual(dead.overview.map((i) => i.state), ['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed']);
});
