// deliverlint standing [--provider ses|sendgrid|gmail-postmaster]... [--region R] [--domain D] [--format text|json] [--locale L]
// The sender's live standing at its providers, read-only, with the credentials the user's own tools
// use: the AWS SDK's default chain and profile, SENDGRID_API_KEY, GMAIL_POSTMASTER_TOKEN.
// Exit 0: nothing wrong; 1: an error finding (SES pause line, Gmail's 0.3%); 2: bad usage;
// 3: a provider could not be reached (no credentials, access denied, network).

import { parseArgs } from 'node:util';
import { resolveLocale } from '../core/messages';
import { loadStanding } from '../standing/load';
import type { ProviderId } from '../standing/types';
import { escapeControl } from './escape';
import { parseArgsErrorMessage } from './unknownOption';
import { EXIT } from './checkDomain';

export const STANDING_USAGE = `Usage: deliverlint standing [--provider ses|sendgrid|gmail-postmaster]... [--region R] [--domain D] [--format text|json] [--locale L]

Reads the sender's standing at its providers, read-only:
  ses               account status (HEALTHY, PROBATION, SHUTDOWN), quota and use, production access,
                    suppression list by reason, bounce and complaint rates (CloudWatch) against
                    SES's review (5%, 0.1%) and pause (10%, 0.5%) lines, 14-day trend.
                    Credentials: the AWS SDK's default chain (AWS_PROFILE, SSO, environment, roles).
  sendgrid          bounces, blocks, spam reports, unsubscribes, 14-day stats. Key: SENDGRID_API_KEY.
  gmail-postmaster  user-reported spam rate against 0.1% and 0.3%, compliance status, for --domain.
                    Token: GMAIL_POSTMASTER_TOKEN (an OAuth access token, postmaster.readonly).

Options:
  -p, --provider P       Provider to ask (repeatable; default: all three)
  --region R             AWS region (default: the SDK's, from AWS_REGION or the profile)
  --domain D             The sending domain for Postmaster Tools
  -f, --format text|json Output format (default: text)
  --locale LOCALE        Report language: en or ja
  -h, --help             Show this help

Exit codes: 0 nothing wrong; 1 an error finding; 2 bad usage; 3 a provider could not be reached.`;

const PROVIDERS: readonly ProviderId[] = ['ses', 'sendgrid', 'gmail-postmaster'];

const OPTIONS = {
  provider: { type: 'string', short: 'p', multiple: true },
  region: { type: 'string' },
  domain: { type: 'string' },
  format: { type: 'string', short: 'f' },
  locale: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface StandingIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env?: NodeJS.ProcessEnv;
}

const defaultIo: StandingIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export async function runStanding(argv: string[], io: StandingIo = defaultIo): Promise<number> {
  const env = io.env ?? process.env;
  const usage = (m: string) => {
    io.stderr(`deliverlint standing: ${m}\nRun deliverlint standing --help for usage.\n`);
    return EXIT.usage;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: false, options: OPTIONS });
  } catch (err) {
    return usage(err instanceof Error ? parseArgsErrorMessage(err, OPTIONS) : String(err));
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout(STANDING_USAGE + '\n');
    return 0;
  }
  const providers = (v.provider ?? [...PROVIDERS]).flatMap((p) => p.split(',')).map((p) => p.trim());
  const unknown = providers.find((p) => !PROVIDERS.includes(p as ProviderId));
  if (unknown !== undefined) return usage(`unknown provider "${escapeControl(unknown)}"; use ses, sendgrid or gmail-postmaster`);
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(`unknown format "${escapeControl(format)}"; use text or json`);
  if (v.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.region)) return usage(`--region takes an AWS region such as us-east-1 (got "${escapeControl(v.region)}")`);
  if (v.locale !== undefined && !/^(en|ja)([-_].*)?$/i.test(v.locale)) return usage(`unsupported locale "${escapeControl(v.locale)}"; use en or ja`);
  const locale = resolveLocale(v.locale ?? (env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG']));
  const { standing, formatStandingText } = await loadStanding();
  const report = await standing({
    providers: [...new Set(providers)] as ProviderId[],
    region: v.region,
    domain: v.domain ?? env['DELIVERLINT_SENDER_DOMAIN'],
    sendGridApiKey: env['SENDGRID_API_KEY'] || undefined,
    postmasterToken: env['GMAIL_POSTMASTER_TOKEN'] || undefined,
    // For proxies and tests; the AWS endpoints follow the SDK's own AWS_ENDPOINT_URL_SESV2 / _CLOUDWATCH.
    endpoints: { sendGrid: env['DELIVERLINT_SENDGRID_API_URL'] || undefined, postmaster: env['DELIVERLINT_POSTMASTER_API_URL'] || undefined },
    locale,
  });
  io.stdout(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatStandingText(report, locale));
  if (report.providers.some((p) => !p.reached)) return EXIT.dnsFailure;
  return report.providers.some((p) => p.findings.some((f) => f.severity === 'error')) ? EXIT.findings : EXIT.ok;
}
