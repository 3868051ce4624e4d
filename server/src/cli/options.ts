// The lint command's options: parsing, checking and the --help text. Unknown options are named
// with the closest known one; every mistake is a UsageError (exit 2).

import { parseArgs } from 'node:util';
import { asRuleSetting, unknownRuleMessage } from '../core/config';
import { resolveLocale } from '../core/messages';
import type { Locale, RuleSetting } from '../core/types';
import { linter } from '../linter';
import { escapeControl } from './escape';
import { UsageError } from './run';
import { parseArgsErrorMessage } from './unknownOption';

export const FORMATS = ['stylish', 'json', 'eslint-json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: deliverlint [files|folders|globs...] [options]
       deliverlint --explain FILE... [--format json]
       deliverlint --print-config FILE
       deliverlint check-domain <domain> [options]     (deliverlint check-domain --help)
       deliverlint verify-message FILE.eml [options]   (deliverlint verify-message --help)
       deliverlint standing [options]                  (deliverlint standing --help)

Lints what decides whether marketing email is accepted, junked or illegal:
  templates   .html .htm .mjml .hbs .handlebars .njk .liquid; below a folder (or with a file name)
              containing "mail" also .html.erb (Rails), .html.eex/.html.heex (Phoenix),
              .blade.php (Laravel), .twig, .jinja, .jinja2, .html.j2, .mustache, .tpl, .tmpl, .gohtml
  MJML        .mjml, validated as mjml would, with mj-include files followed
  payloads    Amazon SES v2 SendEmail / SendBulkEmail / CreateEmailTemplate and SendGrid v3
              mail-send JSON (any .json, recognised by its content)
  campaigns   *.campaign.yaml, *.campaign.yml, *.campaign.json
  messages    raw RFC 5322 messages, .eml (MIME parts decoded)
Folders are walked for the configured "files" globs (.deliverlintrc.json); a file named on the
command line is always linted, its kind taken from its content when the name does not tell.

Options:
  -f, --format FORMAT          stylish (default), json, eslint-json (ESLint's json formatter:
                               numeric severities 2/1, error/warning/fixable counts) or sarif
  -o, --output-file FILE       Write the report to FILE (replaced whole; never through a link)
  --fix                        Apply safe fixes and write the files back; says on stderr what it
                               changed (files and number of fixes)
  -c, --config FILE            Use this configuration file instead of the .deliverlintrc.json lookup
  --rule ID=SEVERITY           Set a rule's severity over the configuration files (also ID:SEVERITY,
  --rule ID:SEVERITY           as ESLint writes it); off, hint, info, warning (or warn), error,
                               or 0, 1, 2 as in ESLint; repeatable
  --ignore-path FILE           Ignore files matching the patterns of FILE (gitignore syntax,
                               relative to FILE's folder) instead of ./.deliverlintignore
  --no-ignore                  Read no ignore file (the configuration's "ignore" globs still apply)
  --quiet                      Report errors only (warnings, info and hints are neither shown
                               nor counted)
  --max-warnings N             Exit 1 when there are more than N warnings
  --exit-zero                  Exit 0 even when errors are found (a crash still exits 2)
  --color, --no-color          Colour the stylish report or not (default: only on a terminal;
                               FORCE_COLOR=1 or 0 and NO_COLOR=1 are honoured)
  --locale LOCALE              Message language: en or ja (default: from LC_ALL / LC_MESSAGES / LANG)
  --explain                    For each file named: its kind, whether it is an email, a part or a
                               web page and why, its mail category, and the layouts and partials
                               it is built from
  --print-config FILE          Print the configuration FILE is linted with, as JSON, with where
                               each value comes from (default, rc file, --rule); lints nothing
  -h, --help                   Show this help
  -v, --version                Show the version

Commands:
  check-domain <domain>        Check the domain's SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT and BIMI
                               records against Gmail's, Yahoo's and Microsoft's bulk-sender rules
  verify-message FILE.eml      Verify a sent message: DKIM signatures, SPF for --ip, DMARC, ARC
  standing                     Read the sender's standing at SES, SendGrid, Gmail Postmaster Tools

Exit codes: 0 no errors (and no more warnings than --max-warnings), 1 errors found or too many
warnings, 2 bad usage or an unreadable configuration; check-domain and verify-message also 3 when
a DNS lookup failed (the report is incomplete).`;

export interface CliOptions {
  format: Format;
  fix: boolean;
  config?: string;
  locale: Locale;
  exitZero: boolean;
  explain: boolean;
  quiet: boolean;
  /** --max-warnings N; undefined when not given. */
  maxWarnings?: number;
  /** --color (true), --no-color (false), neither (undefined). */
  color?: boolean;
  outputFile?: string;
  ignorePath?: string;
  noIgnore: boolean;
  printConfig?: string;
  /** --rule ID=SEVERITY, over every configuration file. */
  rules: Record<string, RuleSetting>;
  targets: string[];
}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  fix: { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  rule: { type: 'string', multiple: true },
  'ignore-path': { type: 'string' },
  'no-ignore': { type: 'boolean' },
  quiet: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  'exit-zero': { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  locale: { type: 'string' },
  explain: { type: 'boolean' },
  'print-config': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions | 'help' | 'version' {
  let parsed;
  try {
    // ESLint's `--max-warnings -1` (no limit): parseArgs takes a value with a dash only after `=`.
    const args = argv.flatMap((a, i) => (a === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '') ? [] : i > 0 && argv[i - 1] === '--max-warnings' && /^-\d+$/.test(a) ? [`--max-warnings=${a}`] : [a]));
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError(err instanceof Error ? parseArgsErrorMessage(err, OPTIONS) : String(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';
  const format = (v.format ?? 'stylish') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`Unknown format "${escapeControl(String(v.format))}". Use ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS[FORMATS.length - 1]}.`);
  if (v.locale !== undefined && !/^(en|ja)([-_].*)?$/i.test(v.locale)) throw new UsageError(`Unsupported locale "${escapeControl(v.locale)}". Use en or ja.`);
  const envLocale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'];
  const locale = resolveLocale(v.locale ?? envLocale);
  let maxWarnings: number | undefined;
  if (v['max-warnings'] !== undefined) {
    const text = v['max-warnings'].trim();
    // ESLint takes -1 as "no limit".
    if (!/^(-1|\d{1,9})$/.test(text)) throw new UsageError(`--max-warnings takes a whole number of warnings, e.g. --max-warnings 0 (got "${escapeControl(v['max-warnings'])}").`);
    maxWarnings = Number(text) < 0 ? undefined : Number(text);
  }
  if (v.color && v['no-color']) throw new UsageError('--color and --no-color contradict each other; give one.');
  if (v['print-config'] !== undefined && (v.fix || v.explain)) throw new UsageError('--print-config lints nothing; it takes no --fix or --explain.');
  return {
    format,
    fix: !!v.fix,
    config: v.config,
    locale,
    rules: parseRuleOptions(v.rule ?? [], locale),
    exitZero: !!v['exit-zero'],
    explain: !!v.explain,
    quiet: !!v.quiet,
    maxWarnings,
    color: v.color ? true : v['no-color'] ? false : undefined,
    outputFile: v['output-file'],
    ignorePath: v['ignore-path'],
    noIgnore: !!v['no-ignore'],
    printConfig: v['print-config'],
    targets: parsed.positionals.length ? parsed.positionals : ['.'],
  };
}

/** ESLint's severities as the CLI takes them too: 0, 1, 2 and "warn". */
const ESLINT_SEVERITIES: Record<string, RuleSetting> = { '0': 'off', '1': 'warning', '2': 'error', warn: 'warning' };

/**
 * `--rule unsubscribe-link-missing=warning`, or ESLint's `--rule "unsubscribe-link-missing: warn"`,
 * each checked against the registry.
 */
export function parseRuleOptions(values: readonly string[], locale: Locale): Record<string, RuleSetting> {
  const ruleIds = linter.rules.map((r) => r.meta.id);
  const rules: Record<string, RuleSetting> = {};
  for (const value of values) {
    const m = /^([^=:]+)[=:](.*)$/.exec(value);
    if (!m) throw new UsageError(`--rule takes ID=SEVERITY or ID:SEVERITY, e.g. --rule postal-address-missing:warning (got "${escapeControl(value)}").`);
    const id = m[1]!.trim();
    if (!ruleIds.includes(id)) throw new UsageError(escapeControl(unknownRuleMessage(id, ruleIds, locale)));
    const given = m[2]!.trim().replace(/^["']|["']$/g, '');
    const setting = asRuleSetting(given) ?? ESLINT_SEVERITIES[given.toLowerCase()];
    if (!setting) throw new UsageError(`The severity of --rule ${id} must be one of off, hint, info, warning, error (or 0, 1, 2) (got "${escapeControl(m[2]!)}").`);
    rules[id] = setting;
  }
  return rules;
}
