// The end-to-end tests' DNS zone, served by the one test DNS server (test/dns/server.ts) that the
// domain check's unit tests and the benchmark use too: real UDP and TCP on 127.0.0.1, so the
// extension's domain check talks to a real server through node:dns. Long TXT answers come back
// truncated over UDP and the client retries over TCP, as it would with a real server.

import { generateKeyPairSync } from 'node:crypto';
import { startDnsServer as startShared, type TestDnsServer, type Zones } from '../dns/server';

export type { Zones } from '../dns/server';

/** A running test DNS server; `address` is `host:port`, the form `deliverlint.dns.servers` and `--dns` take. */
export type DnsServer = TestDnsServer;

/** The domain the test zone describes. */
export const TEST_DOMAIN = 'shop.example.test';
/** The DKIM selector published in the test zone. */
export const TEST_SELECTOR = 's1';

/**
 * The test zone: SPF with one include, DMARC at p=none (a finding the check must report), a
 * 2048-bit DKIM key (split into 255-byte TXT strings by the server), and MX.
 */
export function testZone(domain = TEST_DOMAIN): Zones {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    [domain]: {
      records: {
        '@': { txt: ['v=spf1 include:_spf.esp.example.test -all', 'example-site-verification=4f2c9a'], mx: [[10, `mx.${domain}.`]] },
        mx: { a: ['192.0.2.25'] },
        _dmarc: { txt: [`v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`] },
        [`${TEST_SELECTOR}._domainkey`]: { txt: [`v=DKIM1; k=rsa; p=${p}`] },
      },
    },
    'esp.example.test': { records: { _spf: { txt: ['v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ~all'] } } },
  };
}

/** Starts the test DNS server on 127.0.0.1 (one port for UDP and TCP) serving `zones`. */
export function startDnsServer(zones: Zones = testZone()): Promise<DnsServer> {
  return startShared(zones);
}
