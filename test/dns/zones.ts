// Test zones for the domain check, one scenario per domain under .test (RFC 6761), and helpers
// that run the check against the test DNS server with bounded timeouts.

import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { checkDomain, type CheckOptions } from '../../server/src/dns/check';
import { createNodeResolver } from '../../server/src/dns/resolver';
import type { DomainReport } from '../../server/src/dns/types';
import type { Zones } from './server';

/** Base64 SubjectPublicKeyInfo of a fresh RSA key, as p= carries it. */
export function rsaKey(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

const leaf = { txt: ['v=spf1 ip4:192.0.2.10 -all'] };

/** A record with `n` includes of lookup-free leaves, under `domain`. */
function includes(n: number, domain: string): { root: string; leaves: Record<string, typeof leaf> } {
  const leaves: Record<string, typeof leaf> = {};
  const terms: string[] = [];
  for (let i = 1; i <= n; i++) {
    leaves[`_l${i}`] = leaf;
    terms.push(`include:_l${i}.${domain}`);
  }
  return { root: `v=spf1 ${terms.join(' ')} ~all`, leaves };
}

/**
 * SPF trees costing 9, 10 and 11 lookups, built like real ones: nested includes, a, mx and exists.
 * root: include:_esp1 include:_esp2 mx a (4) + _esp1: include:_esp1b include:_esp1c (2)
 * + _esp2: a mx exists (3) = 9; `extra` more lookup-free includes on top.
 */
function lookupTree(extra: number): Zones[string] {
  const extras = Array.from({ length: extra }, (_, i) => `include:_x${i + 1}`).join(' ');
  const records: Zones[string]['records'] = {
    '@': { txt: [`v=spf1 include:_esp1 include:_esp2 mx a ${extras} ~all`.replace(/\s+/g, ' ')], mx: [[10, 'mx']], a: ['192.0.2.1'] },
    _esp1: { txt: ['v=spf1 include:_esp1b include:_esp1c -all'] },
    _esp1b: leaf,
    _esp1c: leaf,
    _esp2: { txt: ['v=spf1 a mx exists:_probe -all'], a: ['192.0.2.2'], mx: [[10, 'mx']] },
    _probe: { a: ['127.0.0.2'] },
    mx: { a: ['192.0.2.3'] },
  };
  for (let i = 1; i <= extra; i++) records[`_x${i}`] = leaf;
  return { records };
}

// Records with relative include names are written out by the helper below (zone names are absolute).
function absolutize(zone: string, z: Zones[string]): Zones[string] {
  const fix = (t: string) => t.replace(/(include:|exists:|redirect=)(_[a-z0-9_]+)(?=\s|$)/g, `$1$2.${zone}`);
  const records: Zones[string]['records'] = {};
  for (const [name, r] of Object.entries(z.records)) {
    records[name] = { ...r, txt: r.txt?.map((t) => (typeof t === 'string' ? fix(t) : t)), mx: r.mx?.map(([p, h]) => [p, h.includes('.') ? h : `${h}.${zone}`]) };
  }
  return { ...z, records };
}

export interface Keys {
  k768: string;
  k1024: string;
  k2048: string;
  k4096: string;
}

/**
 * Keys for the zones. A 4096-bit key takes seconds to generate, so only the DKIM tests make one
 * (off the main thread); the other files publish the 2048-bit key in its place.
 */
export async function makeKeys(with4096 = false): Promise<Keys> {
  const big = with4096 ? rsaKeyAsync(4096) : undefined;
  const k2048 = rsaKey(2048);
  return { k768: rsaKey(768), k1024: rsaKey(1024), k2048, k4096: big ? await big : k2048 };
}

function rsaKeyAsync(bits: number): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits }, (err, publicKey) => {
      if (err) reject(err);
      else resolve(publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
    });
  });
}

const goodDmarc = (d: string) => `v=DMARC1; p=reject; rua=mailto:dmarc@${d}`;

export function buildZones(keys: Keys): Zones {
  const wide = includes(200, 'wide.test');
  return {
    // Everything right: all three providers' rules met, no error.
    'good.test': {
      records: {
        '@': { txt: ['v=spf1 include:_spf.good.test -all', 'google-site-verification=abc'], mx: [[10, 'mx1.good.test'], [20, 'mx2.good.test']], a: ['192.0.2.20'] },
        _spf: { txt: ['v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all'] },
        _dmarc: { txt: [goodDmarc('good.test')] },
        's1._domainkey': { txt: [`v=DKIM1; k=rsa; p=${keys.k2048}`] },
        '_mta-sts': { txt: ['v=STSv1; id=2026010101'] },
        '_smtp._tls': { txt: ['v=TLSRPTv1; rua=mailto:tls@good.test'] },
        'default._bimi': { txt: ['v=BIMI1; l=https://good.test/logo.svg; a=https://good.test/vmc.pem'] },
      },
    },
    'nine.test': absolutize('nine.test', lookupTree(0)),
    'ten.test': absolutize('ten.test', lookupTree(1)),
    'eleven.test': absolutize('eleven.test', lookupTree(2)),
    // 10 lookups with every answer 50 ms late: the timing case.
    'slow10.test': { ...absolutize('slow10.test', lookupTree(1)), delay: 50 },
    'voids2.test': { records: { '@': { txt: ['v=spf1 a:gone1.voids2.test mx:gone2.voids2.test ip4:192.0.2.1 -all'] } } },
    'voids3.test': { records: { '@': { txt: ['v=spf1 a:gone1.voids3.test mx:gone2.voids3.test exists:gone3.voids3.test ip4:192.0.2.1 -all'] } } },
    'loop.test': { records: { '@': { txt: ['v=spf1 include:_spf.loop.test ~all'] }, _spf: { txt: ['v=spf1 include:_more.loop.test -all'] }, _more: { txt: ['v=spf1 include:loop.test -all'] } } },
    // One record published as three strings, split inside a term: joined without spaces it is valid.
    'split.test': { records: { '@': { txt: [['v=spf1 ip4:192.0.2.0/24 incl', 'ude:_spf.spl', 'it.test -all']] }, _spf: leaf } },
    // Over 512 bytes: the UDP answer is truncated and the resolver asks again over TCP.
    'big.test': { records: { '@': { txt: [`v=spf1 ${Array.from({ length: 70 }, (_, i) => `ip4:198.51.${i}.0/24`).join(' ')} -all`] } } },
    'plusall.test': { records: { '@': { txt: ['v=spf1 +all'] } } },
    'neutral.test': { records: { '@': { txt: ['v=spf1 ip4:192.0.2.1 ?all'] } } },
    'noall.test': { records: { '@': { txt: ['v=spf1 ip4:192.0.2.1'] } } },
    'ptr.test': { records: { '@': { txt: ['v=spf1 ptr ip4:192.0.2.1 -all'] } } },
    'multi.test': { records: { '@': { txt: ['v=spf1 include:_a.multi.test ~all', 'v=spf1 ip4:192.0.2.1 -all'] }, _a: leaf } },
    'nospf.test': { records: { '@': { txt: ['google-site-verification=xyz'], mx: [[10, 'mx.nospf.test']] } } },
    'syntax.test': { records: { '@': { txt: ['v=spf1 ip4:300.1.1.1 inclde:foo.test ~all'] } } },
    'incmissing.test': { records: { '@': { txt: ['v=spf1 include:_gone.incmissing.test ~all'] } } },
    'badinclude.test': { records: { '@': { txt: ['v=spf1 include:_open.badinclude.test -all'] }, _open: { txt: ['v=spf1 +all'] } } },
    'wide.test': { records: { '@': { txt: [wide.root] }, ...wide.leaves } },
    'dup.test': { records: { '@': { txt: ['v=spf1 include:_s.dup.test include:_t.dup.test -all'] }, _s: { txt: ['v=spf1 include:_common.dup.test -all'] }, _t: { txt: ['v=spf1 include:_common.dup.test -all'] }, _common: leaf } },

    // DMARC
    'walk.test': { records: { _dmarc: { txt: ['v=DMARC1; p=quarantine; sp=reject; rua=mailto:r@walk.test'] }, 'a.b': { a: ['192.0.2.5'] } } },
    'walk2.test': { records: { _dmarc: { txt: ['v=DMARC1; p=none; rua=mailto:r@walk2.test'] }, '_dmarc.b': { txt: ['v=DMARC1; p=reject; rua=mailto:r@walk2.test'] }, 'a.b': { a: ['192.0.2.6'] } } },
    'psd.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject; psd=y'] }, 'shop.customer': { a: ['192.0.2.7'] } } },
    'nodmarc.test': { records: { '@': { txt: ['v=spf1 -all'] } } },
    'baddmarc.test': { records: { _dmarc: { txt: ['v=DMARC1; p=block; adkim=x; rua=mailto:d@baddmarc.test'] } } },
    'notfirst.test': { records: { _dmarc: { txt: ['p=reject; v=DMARC1'] } } },
    'none.test': { records: { _dmarc: { txt: ['v=DMARC1; p=none; rua=mailto:d@none.test'] } } },
    'pct.test': { records: { _dmarc: { txt: ['v=DMARC1; p=quarantine; pct=50; rua=mailto:d@pct.test'] } } },
    'norua.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject'] } } },
    'testmode.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject; t=y; rua=mailto:d@testmode.test'] } } },
    'rua-ok.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:agg@reports.dmarc-esp.test'] } } },
    'rua-bad.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:agg@reports.dmarc-esp.test'] } } },
    'dmarc-esp.test': { records: { 'rua-ok.test._report._dmarc.reports': { txt: ['v=DMARC1'] }, reports: { mx: [[10, 'mx.dmarc-esp.test']] } } },
    'dmarcmulti.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject', 'v=DMARC1; p=none'] } } },
    'strict.test': { records: { _dmarc: { txt: ['v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:d@strict.test'] } } },

    // DKIM: keys of several sizes, a CNAME to an ESP's key, a revoked and a testing key.
    'keys.test': {
      records: {
        'k768._domainkey': { txt: [`v=DKIM1; k=rsa; p=${keys.k768}`] },
        'k1024._domainkey': { txt: [`v=DKIM1; k=rsa; p=${keys.k1024}`] },
        'k2048._domainkey': { txt: [`v=DKIM1; k=rsa; p=${keys.k2048}`] },
        'k4096._domainkey': { txt: [`v=DKIM1; k=rsa; p=${keys.k4096}`] },
        'esp._domainkey': { cname: 'esp1._domainkey.u123.esp-dkim.test' },
        'revoked._domainkey': { txt: ['v=DKIM1; k=rsa; p='] },
        'testing._domainkey': { txt: [`v=DKIM1; t=y; k=rsa; p=${keys.k2048}`] },
        'garbage._domainkey': { txt: ['v=DKIM1; k=rsa; p=bm90IGEga2V5'] },
        // A CNAME to a name with no key: missing. A loop and a 6-hop chain: DNS failures.
        'dangling._domainkey': { cname: 'gone.esp-dkim.test' },
        'loop._domainkey': { cname: 'loop2._domainkey.keys.test' },
        'loop2._domainkey': { cname: 'loop._domainkey.keys.test' },
        'long._domainkey': { cname: 'c1.keys.test' },
        ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`c${i + 1}`, { cname: `c${i + 2}.keys.test` }])),
        c6: { txt: [`v=DKIM1; k=rsa; p=${keys.k2048}`] },
      },
    },
    'esp-dkim.test': { records: { 'esp1._domainkey.u123': { txt: [`v=DKIM1; k=rsa; p=${keys.k2048}`] }, gone: { a: ['192.0.2.40'] } } },

    // MX and the other policies
    'nomx.test': { records: { '@': { txt: ['v=spf1 -all'] } } },
    'nullmx.test': { records: { '@': { mx: [[0, '.']] } } },
    'bimi-none.test': { records: { _dmarc: { txt: ['v=DMARC1; p=none; rua=mailto:d@bimi-none.test'] }, 'default._bimi': { txt: ['v=BIMI1; l=https://bimi-none.test/logo.svg'] } } },
    'badpolicies.test': { records: { '_mta-sts': { txt: ['v=STSv1; id=not valid!'] }, '_smtp._tls': { txt: ['v=TLSRPTv1'] }, 'default._bimi': { txt: ['v=BIMI1; l=http://badpolicies.test/logo.png'] }, _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:d@badpolicies.test'] } } },

    // The less common findings, together.
    'misc.test': {
      records: {
        '@': { txt: ['v=spf1 exists:%{i}._ip.misc.test redirect=_r.misc.test -all'], mx: [[0, '.'], [10, 'mx.misc.test']] },
        _dmarc: { txt: ['v=DMARC1; rua=mailto:d@misc.test; rf=afrf; ri=3600; foo=bar'] },
        'sha1._domainkey': { txt: [`v=DKIM1; h=sha1; k=rsa; p=${keys.k2048}`] },
      },
    },

    // Failure modes
    'dead.test': { silent: true, records: { '@': { txt: ['v=spf1 -all'] } } },
    'servfail.test': { servfail: true, records: { '@': { txt: ['v=spf1 -all'] } } },
    // The first query for each name is lost, as a UDP packet can be.
    'lossy.test': { dropFirst: true, records: { '@': { txt: ['v=spf1 -all'] }, _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:d@lossy.test'] } } },
    // Broken answers: records of another type, a CNAME loop, a CNAME chain of 9 hops.
    'wrongtype.test': { records: { '@': { wrongType: true, a: ['192.0.2.99'] }, _dmarc: { wrongType: true, a: ['192.0.2.98'] } } },
    'cnameloop.test': { records: { '@': { cname: 'x.cnameloop.test' }, x: { cname: 'cnameloop.test' }, _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:d@cnameloop.test'] } } },
    'cnamelong.test': {
      records: {
        '@': { cname: 'h1.cnamelong.test' },
        ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`h${i + 1}`, { cname: `h${i + 2}.cnamelong.test` }])),
        h9: { txt: ['v=spf1 -all'] },
        _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:d@cnamelong.test'] },
      },
    },
    'refused.test': { refused: true, records: { '@': { txt: ['v=spf1 -all'] } } },
    // Every answer 250 ms late: inside a 300 ms timeout, so nothing may fail.
    'late.test': { delay: 250, records: { '@': { txt: ['v=spf1 -all'], mx: [[10, 'mx.late.test']] }, _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:d@late.test'] }, mx: { a: ['192.0.2.9'] } } },
    'hostile.test': {
      records: {
        '@': { txt: [`<script>alert(1)</script> "quoted" </style><img src=x onerror=alert(2)>`, 'v=spf1 include:_x.hostile.test -all'] },
        _x: { txt: ['v=spf1 ip4:192.0.2.1 <script>alert(3)</script> -all'] },
        _dmarc: { txt: ['v=DMARC1; p=reject; rua=mailto:"><script>alert(4)</script>@hostile.test'] },
      },
    },
  };
}

export interface RunOptions extends Partial<CheckOptions> {
  server: string;
}

/** Runs the check against the test server; per-question and whole-run bounds keep every wait short. */
export function check(domain: string, opts: RunOptions): Promise<DomainReport> {
  const timeoutMs = opts.timeoutMs ?? 1000;
  return checkDomain(domain, { runTimeoutMs: 5000, ...opts, timeoutMs, resolver: opts.resolver ?? createNodeResolver([opts.server], timeoutMs) });
}

export function ids(report: DomainReport): string[] {
  return report.findings.map((f) => f.id);
}

export function findingsOf(report: DomainReport, id: string) {
  return report.findings.filter((f) => f.id === id);
}
