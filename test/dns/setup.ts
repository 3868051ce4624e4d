// One test DNS server and one set of keys for every domain-check test in a file.

import { after, before } from 'node:test';
import { startDnsServer, type TestDnsServer } from './server';
import { buildZones, makeKeys } from './zones';

export function useDnsServer(options: { with4096BitKey?: boolean } = {}): { server: () => TestDnsServer } {
  let server: TestDnsServer | undefined;
  before(async () => {
    server = await startDnsServer(buildZones(await makeKeys(options.with4096BitKey)));
  }, { timeout: 60_000 });
  after(async () => {
    await server?.close();
  }, { timeout: 5_000 });
  return { server: () => server! };
}
