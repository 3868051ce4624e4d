// deliverlint check-domain <domain> [--selector S]... [--dns HOST:PORT]... [--timeout MS] [--infra PATH]... [--no-infra] [--format text|json] [--locale L]
// The command-line front end of the domain check. Exit 0: no error finding; 1: an error finding;
// 2: bad usage; 3: a DNS lookup failed, so the report is incomplete (CI can retry rather than fail
// the domain).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { identityInputsOf, inputsForDomain, type InfraIdentityInput } from '../core/infra/domainInputs';
import { CheckInputError, checkDomain } from '../dns/check';
import { normalizeDomain } from '../dns/domain';
import { formatText } from './domainText';
import { parseArgsErrorMessage } from './unknownOption';
import { createNodeResolver, DEFAULT_TIMEOUT_MS, parseServer, type ResolverLike } from '../dns/resolver';
import { resolveLocale } from '../core/messages';
import type { Locale } from '../core/types';

/** Exit codes of check-domain. */
export const EXIT = { ok: 0, findings: 1, usage: 2, dnsFailure: 3 } as const;

export const CHECK_DOMAIN_USAGE = `Usage: deliverlint check-domain <domain> [--selector S]... [--dns HOST:PORT]... [--timeout MS] [--infra PATH]... [--no-infra] [--format text|json] [--locale L]

Checks what the domain publishes in DNS for mail authentication: SPF (with its DNS-lookup count
per include), DMARC (RFC 9989 tree walk), DKIM keys for the given selectors, MX, MTA-STS,
TLS-RPT and BIMI, and whether Gmail's, Yahoo's and Microsoft's bulk-sender rules are met.

Options:
  -s, --selector S       DKIM selector to check (repeatable; also comma-separated)
  --dns HOST:PORT        DNS server to ask, an IP address with an optional port (repeatable;
                         default: the system's resolvers)
  --timeout MS           Milliseconds one DNS lookup may take, retries included (default: ${DEFAULT_TIMEOUT_MS})
  --infra PATH           Read the DKIM selectors (BYODKIM) and MAIL FROM domains of the domain's
                         SES identities from the infrastructure files (CloudFormation, SAM, CDK
                         cdk.out/, Terraform) under PATH (repeatable; default: the current folder)
  --no-infra             Read no infrastructure files
  -f, --format text|json Output format (default: text)
  --locale LOCALE        Report language: en or ja (default: from LC_ALL / LC_MESSAGES / LANG)
  -h, --help             Show this help

Exit codes:
  0  no error findings
  1  error findings (every DNS lookup was answered)
  2  bad usage
  3  a DNS lookup failed (server unreachable, refused, timeout, SERVFAIL ...): the report is
     incomplete, and its dns-failure finding names the server and the error`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  createResolver?: (servers: string[], timeoutMs: number) => ResolverLike;
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

class Usage extends Error {}

export async function runCheckDomain(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let opts;
  try {
    opts = parseCheckDomainArgs(argv);
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    io.stderr(`deliverlint check-domain: ${err.message}\nRun deliverlint check-domain --help for usage.\n`);
    return EXIT.usage;
  }
  if (opts === 'help') {
    io.stdout(CHECK_DOMAIN_USAGE + '\n');
    return 0;
  }
  const resolver = (io.createResolver ?? createNodeResolver)(opts.servers, opts.timeoutMs);
  let report;
  try {
    const infrastructure = opts.infra.length ? inputsForDomain(opts.domain, readInfraIdentities(opts.infra)) : undefined;
    report = await checkDomain(opts.domain, { resolver, selectors: opts.selectors, timeoutMs: opts.timeoutMs, locale: opts.locale, infrastructure });
  } catch (err) {
    if (err instanceof CheckInputError) {
      io.stderr(`deliverlint check-domain: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  io.stdout(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatText(report, opts.locale));
  // A failed lookup first: the findings of an incomplete report are not the domain's last word.
  if (report.findings.some((f) => f.id === 'dns-failure')) return EXIT.dnsFailure;
  return report.findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
}

interface CheckDomainOptions {
  domain: string;
  selectors: string[];
  servers: string[];
  timeoutMs: number;
  format: 'text' | 'json';
  locale: Locale;
  /** Folders or files to read infrastructure from (empty: --no-infra). */
  infra: string[];
}

const CHECK_DOMAIN_OPTIONS = {
  selector: { type: 'string', short: 's', multiple: true },
  dns: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  format: { type: 'string', short: 'f' },
  locale: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  infra: { type: 'string', multiple: true },
  'no-infra': { type: 'boolean' },
} as const;

function parseCheckDomainArgs(argv: string[]): CheckDomainOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: CHECK_DOMAIN_OPTIONS });
  } catch (err) {
    throw new Usage(err instanceof Error ? parseArgsErrorMessage(err, CHECK_DOMAIN_OPTIONS) : String(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) throw new Usage(parsed.positionals.length ? `give one domain (got ${parsed.positionals.length}: ${parsed.positionals.join(' ')})` : 'give the domain to check, e.g. deliverlint check-domain example.com');
  const domain = normalizeDomain(parsed.positionals[0]!);
  if (!domain) throw new Usage(`"${parsed.positionals[0]}" is not a domain name`);
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new Usage(`unknown format "${format}"; use text or json`);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (v.timeout !== undefined) {
    timeoutMs = Number(v.timeout);
    if (!/^\d+$/.test(v.timeout) || timeoutMs < 1 || timeoutMs > 60_000) throw new Usage(`--timeout takes milliseconds from 1 to 60000 (got "${v.timeout}")`);
  }
  const servers: string[] = [];
  for (const spec of v.dns ?? []) {
    const server = parseServer(spec);
    if (!server) throw new Usage(`--dns takes an IP address with an optional port, e.g. 127.0.0.1:5353 or [::1]:53 (got "${spec}")`);
    servers.push(server);
  }
  const selectors = (v.selector ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (v.locale !== undefined && !/^(en|ja)([-_].*)?$/i.test(v.locale)) throw new Usage(`unsupported locale "${v.locale}"; use en or ja`);
  // As for linting (cli/main.ts): --locale, else LC_ALL, LC_MESSAGES, LANG in POSIX order.
  const envLocale = process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG'];
  const infra = v['no-infra'] ? [] : (v.infra ?? ['.']);
  return { domain, selectors, servers, timeoutMs, format, locale: resolveLocale(v.locale ?? envLocale), infra };
}

/** Folders a walk for infrastructure never enters (nor hidden ones: .git, .terraform ...). */
const SKIPPED = new Set(['node_modules']);
/** Files and folders one walk looks at, at most: a huge tree costs a bounded time. */
const MAX_ENTRIES = 50_000;
const MAX_INFRA_BYTES = 4 * 1024 * 1024;

/**
 * The SES identities of the infrastructure files under `targets`, each named relative to the
 * current folder. A cheap pass: only JSON, YAML and Terraform files are opened, and only those
 * mentioning an identity resource type are parsed.
 */
export function readInfraIdentities(targets: readonly string[]): InfraIdentityInput[] {
  const out: InfraIdentityInput[] = [];
  let seen = 0;
  const visit = (p: string) => {
    if (++seen > MAX_ENTRIES) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch {
        return;
      }
      for (const n of names) if (!SKIPPED.has(n) && !n.startsWith('.')) visit(path.join(p, n));
      return;
    }
    if (!st.isFile() || st.size > MAX_INFRA_BYTES || !/\.(?:json|ya?ml|template|tf)$/i.test(p)) return;
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch {
      return;
    }
    out.push(...identityInputsOf(p, text, path.relative(process.cwd(), p) || p));
  };
  for (const t of targets) visit(path.resolve(t));
  return out;
}
