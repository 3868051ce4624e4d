// deliverlint verify-message FILE.eml [--ip ADDRESS] [--helo NAME] [--mail-from ADDRESS] [--dns HOST:PORT]... [--timeout MS] [--format text|json] [--locale L]
// Verifies a message as sent (DKIM, SPF for a client IP, DMARC, ARC). Exit codes as check-domain's:
// 0 no error finding, 1 an error finding, 2 bad usage, 3 a DNS lookup failed (report incomplete).

import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { resolveLocale } from '../core/messages';
import type { Locale } from '../core/types';
import { createNodeResolver, DEFAULT_TIMEOUT_MS, parseServer } from '../dns/resolver';
import { loadVerify } from '../verify/load';
import { escapeControl } from './escape';
import { parseArgsErrorMessage } from './unknownOption';
import { EXIT } from './checkDomain';

export const VERIFY_MESSAGE_USAGE = `Usage: deliverlint verify-message FILE.eml [--ip ADDRESS] [--helo NAME] [--mail-from ADDRESS] [--dns HOST:PORT]... [--timeout MS] [--format text|json] [--locale L]

Verifies a message as it was sent: each DKIM signature (body hash, signature, key size, whether h=
signs From, Subject, List-Unsubscribe and List-Unsubscribe-Post, l= partial body signing, expiry),
SPF for the given client IP and MAIL FROM (with the mechanism that matched), DMARC and the
identifier that aligned, and ARC when the message has a chain. Keys and records come from DNS.

Options:
  --ip ADDRESS           The IP address the message was sent from; SPF is checked only with it
  --helo NAME            The HELO/EHLO name (default: the IP in brackets)
  --mail-from ADDRESS    The envelope sender (default: the message's Return-Path)
  --dns HOST:PORT        DNS server to ask, an IP address with an optional port (repeatable;
                         default: the system's resolvers)
  --timeout MS           Milliseconds one DNS lookup may take (default: ${DEFAULT_TIMEOUT_MS})
  -f, --format text|json Output format (default: text)
  --locale LOCALE        Report language: en or ja (default: from LC_ALL / LC_MESSAGES / LANG)
  -h, --help             Show this help

Exit codes:
  0  no error findings
  1  error findings
  2  bad usage (or the file cannot be read)
  3  a DNS lookup failed: the report is incomplete`;

/** Messages larger than this are refused: no real message is, and mailauth reads it whole. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface VerifyIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIo: VerifyIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

class Usage extends Error {}

const OPTIONS = {
  ip: { type: 'string' },
  helo: { type: 'string' },
  'mail-from': { type: 'string' },
  dns: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  format: { type: 'string', short: 'f' },
  locale: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Parsed {
  file: string;
  ip?: string;
  helo?: string;
  mailFrom?: string;
  servers: string[];
  timeoutMs: number;
  format: 'text' | 'json';
  locale: Locale;
}

function parse(argv: string[]): Parsed | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw new Usage(err instanceof Error ? parseArgsErrorMessage(err, OPTIONS) : String(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) throw new Usage('give one message file, e.g. deliverlint verify-message sent.eml');
  if (v.ip !== undefined && !isIP(v.ip)) throw new Usage(`--ip takes an IPv4 or IPv6 address (got "${escapeControl(v.ip)}")`);
  if (v['mail-from'] !== undefined && !/^[^\s@<>]*@[^\s@<>]+$/.test(v['mail-from'])) throw new Usage(`--mail-from takes an address like bounce@example.com (got "${escapeControl(v['mail-from'])}")`);
  if (v.helo !== undefined && !/^[A-Za-z0-9.\-[\]:]+$/.test(v.helo)) throw new Usage(`--helo takes a host name (got "${escapeControl(v.helo)}")`);
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new Usage(`unknown format "${escapeControl(format)}"; use text or json`);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (v.timeout !== undefined) {
    timeoutMs = Number(v.timeout);
    if (!/^\d+$/.test(v.timeout) || timeoutMs < 1 || timeoutMs > 60_000) throw new Usage(`--timeout takes milliseconds from 1 to 60000 (got "${escapeControl(v.timeout)}")`);
  }
  const servers: string[] = [];
  for (const spec of v.dns ?? []) {
    const server = parseServer(spec);
    if (!server) throw new Usage(`--dns takes an IP address with an optional port, e.g. 127.0.0.1:5353 or [::1]:53 (got "${escapeControl(spec)}")`);
    servers.push(server);
  }
  if (v.locale !== undefined && !/^(en|ja)([-_].*)?$/i.test(v.locale)) throw new Usage(`unsupported locale "${escapeControl(v.locale)}"; use en or ja`);
  const envLocale = process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG'];
  return { file: parsed.positionals[0]!, ip: v.ip, helo: v.helo, mailFrom: v['mail-from'], servers, timeoutMs, format, locale: resolveLocale(v.locale ?? envLocale) };
}

export async function runVerifyMessage(argv: string[], io: VerifyIo = defaultIo): Promise<number> {
  let opts;
  try {
    opts = parse(argv);
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    io.stderr(`deliverlint verify-message: ${err.message}\nRun deliverlint verify-message --help for usage.\n`);
    return EXIT.usage;
  }
  if (opts === 'help') {
    io.stdout(VERIFY_MESSAGE_USAGE + '\n');
    return 0;
  }
  let bytes: Buffer;
  try {
    const st = statSync(opts.file);
    if (!st.isFile()) throw new Error('not a file');
    if (st.size > MAX_MESSAGE_BYTES) throw new Error(`larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`);
    bytes = readFileSync(opts.file);
  } catch (err) {
    io.stderr(`deliverlint verify-message: cannot read ${escapeControl(opts.file)}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
  const resolver = createNodeResolver(opts.servers, opts.timeoutMs);
  const { verifyMessage, formatVerifyText } = await loadVerify();
  const report = await verifyMessage(bytes, { resolver, ip: opts.ip, helo: opts.helo, mailFrom: opts.mailFrom, locale: opts.locale });
  io.stdout(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatVerifyText(report, opts.locale, escapeControl(opts.file)));
  if (report.findings.some((f) => f.id === 'dns-failure')) return EXIT.dnsFailure;
  return report.findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
}
