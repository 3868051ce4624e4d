// A small authoritative DNS server for the end-to-end tests: it answers from an in-memory zone on
// 127.0.0.1 over UDP and TCP, so the domain check talks to a real server through node:dns.
// Names that exist without the asked type get NOERROR with no answers (no data); names that do not
// exist get NXDOMAIN. UDP answers larger than the client allows come back truncated (TC), and the
// client retries over TCP, as it would with a real server.

import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import * as dnsPacket from 'dns-packet';

type Answer = dnsPacket.Answer;

export interface ZoneRecord {
  type: 'A' | 'TXT' | 'MX' | 'CNAME';
  /** A: the address; TXT: the strings; MX: {preference, exchange}; CNAME: the target. */
  data: string | string[] | { preference: number; exchange: string };
}

export type Zone = Record<string, ZoneRecord[]>;

export interface DnsServer {
  host: string;
  port: number;
  /** `host:port`, the form `deliverlint.dns.servers` and `--dns` take. */
  address: string;
  /** Questions asked so far, as `NAME TYPE` (lower-case names). */
  queries: string[];
  close(): Promise<void>;
}

/** The domain the test zone describes. */
export const TEST_DOMAIN = 'shop.example.test';
/** The DKIM selector published in the test zone. */
export const TEST_SELECTOR = 's1';

/** Splits a TXT value into strings of at most 255 bytes, as a zone file would publish it. */
function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += 255) out.push(value.slice(i, i + 255));
  return out;
}

/**
 * The test zone: SPF with one include, DMARC at p=none (a finding the check must report), a
 * 2048-bit DKIM key split over several TXT strings, and MX.
 */
export function testZone(domain = TEST_DOMAIN): Zone {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    [domain]: [
      { type: 'TXT', data: [`v=spf1 include:_spf.esp.example.test -all`] },
      { type: 'TXT', data: ['example-site-verification=4f2c9a'] },
      { type: 'MX', data: { preference: 10, exchange: `mx.${domain}` } },
    ],
    [`mx.${domain}`]: [{ type: 'A', data: '192.0.2.25' }],
    '_spf.esp.example.test': [{ type: 'TXT', data: ['v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ~all'] }],
    [`_dmarc.${domain}`]: [{ type: 'TXT', data: [`v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`] }],
    [`${TEST_SELECTOR}._domainkey.${domain}`]: [{ type: 'TXT', data: txtStrings(`v=DKIM1; k=rsa; p=${p}`) }],
  };
}

function answersFor(zone: Zone, name: string, type: string): { answers: Answer[]; exists: boolean } {
  const records = zone[name];
  if (!records) return { answers: [], exists: false };
  const answers: Answer[] = [];
  for (const r of records) {
    // A CNAME answers every type; the client follows it.
    if (r.type !== type && r.type !== 'CNAME') continue;
    const base = { name, ttl: 60, class: 'IN' as const };
    if (r.type === 'TXT') answers.push({ ...base, type: 'TXT', data: r.data as string[] });
    else if (r.type === 'MX') answers.push({ ...base, type: 'MX', data: r.data as { preference: number; exchange: string } });
    else if (r.type === 'A') answers.push({ ...base, type: 'A', data: r.data as string });
    else answers.push({ ...base, type: 'CNAME', data: r.data as string });
  }
  return { answers, exists: true };
}

function soaFor(name: string): Answer {
  const apex = name.split('.').slice(-3).join('.');
  return {
    name: apex,
    type: 'SOA',
    ttl: 60,
    class: 'IN',
    data: { mname: `ns.${apex}`, rname: `hostmaster.${apex}`, serial: 2026112801, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
  };
}

function respond(zone: Zone, query: dnsPacket.DecodedPacket, log: string[]): dnsPacket.Packet {
  const [question] = query.questions ?? [];
  const response: dnsPacket.Packet = {
    id: query.id,
    type: 'response',
    flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED),
    questions: query.questions,
    answers: [],
    authorities: [],
  };
  // The low four bits of the flags are the RCODE: 1 FORMERR, 3 NXDOMAIN.
  if (!question) return { ...response, flags: (response.flags ?? 0) | 1 };
  const name = question.name.toLowerCase().replace(/\.$/, '');
  log.push(`${name} ${question.type}`);
  const { answers, exists } = answersFor(zone, name, question.type);
  if (!exists) return { ...response, flags: (response.flags ?? 0) | 3, authorities: [soaFor(name)] };
  return answers.length ? { ...response, answers } : { ...response, authorities: [soaFor(name)] };
}

/** The UDP payload size the client advertised (EDNS0), or 512. */
function udpLimit(query: dnsPacket.DecodedPacket): number {
  const opt = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(512, opt?.udpPayloadSize ?? 512);
}

/** Starts the server on one port for UDP and TCP; with port 0, tries a few free ports. */
export async function startDnsServer(zone: Zone = testZone(), host = '127.0.0.1', port = 0): Promise<DnsServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(zone, host, port);
    } catch (err) {
      // The UDP port was free but TCP's was not: pick another.
      if (port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

async function listen(zone: Zone, host: string, port: number): Promise<DnsServer> {
  const queries: string[] = [];
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return; // not DNS: drop it, as a server would
    }
    let out = dnsPacket.encode(respond(zone, query, queries));
    if (out.length > udpLimit(query)) {
      const truncated = respond(zone, query, []);
      out = dnsPacket.encode({ ...truncated, flags: (truncated.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
    }
    udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => resolve());
  });
  const boundPort = udp.address().port;

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const frame = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        try {
          socket.write(dnsPacket.streamEncode(respond(zone, dnsPacket.decode(frame), queries)));
        } catch {
          socket.destroy();
          return;
        }
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(boundPort, host, () => resolve());
    });
  } catch (err) {
    udp.close();
    throw err;
  }

  return {
    host,
    port: boundPort,
    address: `${host}:${boundPort}`,
    queries,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}
