// The one test DNS server: the domain check's tests (test/dns), the VS Code end-to-end runs
// (test/vscode/dns-server.ts gives it their zone) and the domain-check benchmark (bench/dns.ts) all
// start this. Real UDP and TCP sockets on 127.0.0.1 (ephemeral ports), answers built with
// dns-packet from a zone description. It answers like a recursive
// resolver would for the names it knows: NXDOMAIN for names that do not exist, NOERROR with no
// answer for names that exist without the asked type, CNAME chains followed, TC set on UDP answers
// over 512 bytes (so the client asks again over TCP), CNAME loops and chains past 8 hops answered
// with the CNAMEs and no final record. Zones can be slow, fail (SERVFAIL), refuse, lose the first
// packet or never answer at all; a name can be answered with records of the wrong type.

import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';

export type TxtValue = string | string[];

/** The records at one name. TXT values given as arrays are published as several strings. */
export interface NameRecords {
  txt?: TxtValue[];
  mx?: Array<[number, string]>;
  a?: string[];
  aaaa?: string[];
  cname?: string;
  /** Answer every question for this name with its A records, whatever type was asked (a broken server). */
  wrongType?: boolean;
}

export interface Zone {
  /** Milliseconds to wait before each answer for a name in this zone. */
  delay?: number;
  /** Never answer queries for names in this zone (neither UDP nor TCP). */
  silent?: boolean;
  /** Answer every query for a name in this zone with SERVFAIL. */
  servfail?: boolean;
  /** Drop the first query for each (name, type), as a lost UDP packet would; answer the rest. */
  dropFirst?: boolean;
  /** Answer every query for a name in this zone with REFUSED. */
  refused?: boolean;
  /** Records by name: "@" is the apex, other names are relative to it unless they end with ".". */
  records: Record<string, NameRecords>;
}

export type Zones = Record<string, Zone>;

export interface QueryLogEntry {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface TestDnsServer {
  /** "127.0.0.1:PORT" (the same port for UDP and TCP). */
  address: string;
  host: string;
  port: number;
  log: QueryLogEntry[];
  close(): Promise<void>;
}

const UDP_LIMIT = 512;
const MAX_CNAME_HOPS = 8;

interface Answer {
  rcode: number;
  answers: packet.Answer[];
  delay: number;
  silent: boolean;
  dropFirst?: boolean;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Flattens the zone description into absolute names, keeping each name's zone for its behaviour. */
function index(zones: Zones): { names: Map<string, { records: NameRecords; zone: Zone }>; zoneOf: (name: string) => Zone | undefined } {
  const names = new Map<string, { records: NameRecords; zone: Zone }>();
  const apexes = Object.keys(zones).map(normalize);
  for (const [apexRaw, zone] of Object.entries(zones)) {
    const apex = normalize(apexRaw);
    for (const [rel, records] of Object.entries(zone.records)) {
      const abs = rel === '@' ? apex : rel.endsWith('.') ? normalize(rel) : `${normalize(rel)}.${apex}`;
      names.set(abs, { records, zone });
    }
  }
  const zoneOf = (name: string): Zone | undefined => {
    let best: string | undefined;
    for (const apex of apexes) {
      if ((name === apex || name.endsWith(`.${apex}`)) && (!best || apex.length > best.length)) best = apex;
    }
    return best === undefined ? undefined : zones[Object.keys(zones).find((k) => normalize(k) === best)!];
  };
  return { names, zoneOf };
}

/** Splits a long TXT value into strings of at most 255 bytes, as a zone file would. */
function txtStrings(value: TxtValue): Buffer[] {
  if (Array.isArray(value)) return value.map((s) => Buffer.from(s));
  const bytes = Buffer.from(value);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out.length ? out : [Buffer.alloc(0)];
}

function resolveQuestion(zones: ReturnType<typeof index>, qname: string, qtype: string, ignoreDrop = false): Answer {
  let name = normalize(qname);
  const answers: packet.Answer[] = [];
  let delay = 0;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const zone = zones.zoneOf(name);
    if (zone?.silent) return { rcode: RCODE.NOERROR, answers: [], delay, silent: true };
    delay = Math.max(delay, zone?.delay ?? 0);
    if (zone?.servfail) return { rcode: RCODE.SERVFAIL, answers: [], delay, silent: false };
    if (zone?.refused) return { rcode: RCODE.REFUSED, answers: [], delay, silent: false };
    if (zone?.dropFirst && hop === 0 && !ignoreDrop) return { ...resolveQuestion(zones, qname, qtype, true), dropFirst: true };
    const entry = zones.names.get(name);
    if (!entry) {
      // A name with descendants exists (an empty non-terminal): NOERROR with no data.
      const suffix = `.${name}`;
      const hasChildren = [...zones.names.keys()].some((n) => n.endsWith(suffix));
      return { rcode: hasChildren ? RCODE.NOERROR : RCODE.NXDOMAIN, answers, delay, silent: false };
    }
    const r = entry.records;
    if (r.wrongType) {
      for (const a of r.a ?? []) answers.push({ type: 'A', name, ttl: 60, class: 'IN', data: a });
      return { rcode: RCODE.NOERROR, answers, delay, silent: false };
    }
    if (r.cname && qtype !== 'CNAME') {
      answers.push({ type: 'CNAME', name, ttl: 60, class: 'IN', data: normalize(r.cname) });
      name = normalize(r.cname);
      continue;
    }
    switch (qtype) {
      case 'CNAME':
        if (r.cname) answers.push({ type: 'CNAME', name, ttl: 60, class: 'IN', data: normalize(r.cname) });
        break;
      case 'TXT':
        for (const v of r.txt ?? []) answers.push({ type: 'TXT', name, ttl: 60, class: 'IN', data: txtStrings(v) });
        break;
      case 'MX':
        for (const [preference, exchange] of r.mx ?? []) answers.push({ type: 'MX', name, ttl: 60, class: 'IN', data: { preference, exchange: normalize(exchange) } });
        break;
      case 'A':
        for (const a of r.a ?? []) answers.push({ type: 'A', name, ttl: 60, class: 'IN', data: a });
        break;
      case 'AAAA':
        for (const a of r.aaaa ?? []) answers.push({ type: 'AAAA', name, ttl: 60, class: 'IN', data: a });
        break;
      default:
        break;
    }
    return { rcode: RCODE.NOERROR, answers, delay, silent: false };
  }
  // A loop or a chain past the hop limit: the CNAMEs followed so far and no final record, as
  // recursive resolvers such as BIND answer it.
  return { rcode: RCODE.NOERROR, answers, delay, silent: false };
}

function respond(query: packet.Packet, answer: Answer, transport: 'udp' | 'tcp'): Buffer {
  const build = (answers: packet.Answer[], truncated: boolean): Buffer =>
    packet.encode({
      id: query.id,
      type: 'response',
      flags:
        packet.RECURSION_DESIRED |
        packet.RECURSION_AVAILABLE |
        (truncated ? packet.TRUNCATED_RESPONSE : 0) |
        answer.rcode,
      questions: query.questions,
      answers,
    });
  const full = build(answer.answers, false);
  if (transport === 'udp' && full.length > UDP_LIMIT) return build([], true);
  return full;
}

/** Starts the server; `close()` stops it. Every timer it sets is cleared on close. */
export async function startDnsServer(zones: Zones): Promise<TestDnsServer> {
  const idx = index(zones);
  const log: QueryLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<net.Socket>();
  const dropped = new Set<string>();

  const handle = (msg: Buffer, transport: 'udp' | 'tcp', send: (b: Buffer) => void): void => {
    let query: packet.Packet;
    try {
      query = packet.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    log.push({ name: normalize(q.name), type: q.type, transport });
    const answer = resolveQuestion(idx, q.name, q.type);
    if (answer.silent) return;
    if (answer.dropFirst) {
      const key = `${q.type} ${normalize(q.name)}`;
      if (!dropped.has(key)) {
        dropped.add(key);
        return;
      }
    }
    const out = respond(query, answer, transport);
    if (answer.delay > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        send(out);
      }, answer.delay);
      timers.add(t);
    } else {
      send(out);
    }
  };

  // c-ares retries a truncated answer over TCP on the same port, so both must share one port:
  // take an ephemeral UDP port, then try to listen on it over TCP (another port on a clash).
  let udp: dgram.Socket | undefined;
  let tcp: net.Server | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 10 && !tcp; attempt++) {
    const u = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      u.once('error', reject);
      u.bind(0, '127.0.0.1', () => resolve());
    });
    const p = u.address().port;
    const t = net.createServer((socket) => serveTcp(socket));
    const ok = await new Promise<boolean>((resolve) => {
      t.once('error', () => resolve(false));
      t.listen(p, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      udp = u;
      tcp = t;
      port = p;
    } else {
      await new Promise<void>((resolve) => u.close(() => resolve()));
    }
  }
  if (!udp || !tcp) throw new Error('could not bind one port for both UDP and TCP');
  const udpSocket = udp;
  const tcpServer = tcp;
  udpSocket.on('message', (msg, rinfo) => {
    handle(msg, 'udp', (b) => udpSocket.send(b, rinfo.port, rinfo.address));
  });

  function serveTcp(socket: net.Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        handle(msg, 'tcp', (b) => {
          if (socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(b.length);
          socket.write(Buffer.concat([prefix, b]));
        });
      }
    });
  }

  return {
    address: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    log,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udpSocket.close(() => resolve())),
        new Promise<void>((resolve) => tcpServer.close(() => resolve())),
      ]);
    },
  };
}
