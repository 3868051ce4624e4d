// deliverlint [files|folders|globs...] [--format stylish|json|sarif] [--fix] [--config F] [--locale L]
// The command-line front end over the same core the language server uses.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { asRuleSetting, unknownRuleMessage } from '../core/config';
import { resolveLocale } from '../core/messages';
import type { Locale, RuleSetting } from '../core/types';
import { linter } from '../linter';
import { cliRoot } from '../host/roots';
import { formatJson, formatSarif, formatStylish } from './formatters';
import { runCheckDomain } from './checkDomain';
import { configLookup, lintTargets, UsageError, type LintRunOptions } from './run';
import { explainFile, formatExplanations } from './explain';

const VERSION = '0.1.0';

const USAGE = `Usage: deliverlint [files|folders|globs...] [options]
       deliverlint check-domain <domain> [--selector S]... [--dns HOST:PORT]... [--timeout MS] [--format text|json] [--locale L]

Lints email templates (HTML, MJML, Handlebars, Nunjucks, Liquid; below a mail folder also ERB,
EEx/HEEx, Blade, Twig, Jinja, Mustache and Go templates) for unsubscribe links, postal address
and sender identity rules. Folders are walked for the configured file globs.

Options:
  --format stylish|json|sarif  Output format (default: stylish)
  --fix                        Apply safe fixes and write the files back
  --config FILE                Use this configuration file instead of .deliverlintrc.json lookup
  --rule ID=SEVERITY           Set a rule's severity (off, hint, info, warning, error) over the
                               configuration files; repeatable
  --locale LOCALE              Message language: en or ja (default: from LC_ALL / LC_MESSAGES / LANG)
  --exit-zero                  Exit 0 even when errors are found (a crash still exits 2)
  --explain                    For each file named: its kind, whether it is an email, a part or a web page
                               and why, its mail category, and the layouts and partials it is built from
  -h, --help                   Show this help
  -v, --version                Show the version

check-domain checks the domain's SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT and BIMI records in DNS
against Gmail's, Yahoo's and Microsoft's bulk-sender rules (deliverlint check-domain --help).

Exit codes: 0 no errors, 1 errors found, 2 bad usage or an unreadable configuration;
check-domain also 3 when a DNS lookup failed (the report is incomplete).`;

interface Options {
  format: 'stylish' | 'json' | 'sarif';
  fix: boolean;
  config?: string;
  locale: Locale;
  exitZero: boolean;
  explain: boolean;
  /** --rule ID=SEVERITY, over every configuration file. */
  rules: Record<string, RuleSetting>;
  targets: string[];
}

function parseOptions(argv: string[]): Options | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        fix: { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        rule: { type: 'string', multiple: true },
        locale: { type: 'string' },
        'exit-zero': { type: 'boolean' },
        explain: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';
  const format = (v.format ?? 'stylish') as Options['format'];
  if (!['stylish', 'json', 'sarif'].includes(format)) throw new UsageError(`Unknown format "${v.format}". Use stylish, json or sarif.`);
  if (v.locale !== undefined && !/^(en|ja)([-_].*)?$/i.test(v.locale)) throw new UsageError(`Unsupported locale "${v.locale}". Use en or ja.`);
  const envLocale = process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG'];
  const locale = resolveLocale(v.locale ?? envLocale);
  return {
    format,
    fix: !!v.fix,
    config: v.config,
    locale,
    rules: parseRuleOptions(v.rule ?? [], locale),
    exitZero: !!v['exit-zero'],
    explain: !!v.explain,
    targets: parsed.positionals.length ? parsed.positionals : ['.'],
  };
}

/** `--rule unsubscribe-link-missing=warning` (or `id:warning`), each checked against the registry. */
function parseRuleOptions(values: readonly string[], locale: Locale): Record<string, RuleSetting> {
  const ruleIds = linter.rules.map((r) => r.meta.id);
  const rules: Record<string, RuleSetting> = {};
  for (const value of values) {
    const m = /^([^=:]+)[=:](.*)$/.exec(value);
    if (!m) throw new UsageError(`--rule takes ID=SEVERITY, e.g. --rule postal-address-missing=warning (got "${value}").`);
    const id = m[1]!.trim();
    if (!ruleIds.includes(id)) throw new UsageError(unknownRuleMessage(id, ruleIds, locale));
    const setting = asRuleSetting(m[2]!.trim());
    if (!setting) throw new UsageError(`The severity of --rule ${id} must be one of off, hint, info, warning, error (got "${m[2]}").`);
    rules[id] = setting;
  }
  return rules;
}


async function main(argv: string[]): Promise<number> {
  // The domain authentication check has its own options and front end (cli/checkDomain.ts).
  if (argv[0] === 'check-domain') return runCheckDomain(argv.slice(1));
  const opts = parseOptions(argv);
  if (opts === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (opts === 'version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }

  const runOptions: LintRunOptions = { cwd: process.cwd(), config: opts.config, rules: opts.rules, locale: opts.locale, fix: opts.fix };
  const configFor = configLookup(runOptions);

  if (opts.explain) {
    const explained = opts.targets.map((t) => {
      const file = path.resolve(t);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--explain takes files: ${t} is not one.`);
      return explainFile(file, configFor(file), opts.locale, [cliRoot(file, false)]);
    });
    process.stdout.write(formatExplanations(explained, opts.format === 'json' ? 'json' : 'text') + '\n');
    return 0;
  }

  const reports = await lintTargets(opts.targets, runOptions, configFor);

  const output = opts.format === 'json' ? formatJson(reports) : opts.format === 'sarif' ? formatSarif(reports, VERSION) : formatStylish(reports, opts.locale);
  if (output) process.stdout.write(output.endsWith('\n') ? output : output + '\n');
  const errors = reports.some((r) => r.findings.some((f) => f.severity === 'error'));
  return errors && !opts.exitZero ? 1 : 0;
}

// `deliverlint . | head -1`: the reader went away; nothing more can be said, and that is no crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`deliverlint: ${err.message}\nRun deliverlint --help for usage.\n`);
    } else {
      process.stderr.write(`deliverlint: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    }
    process.exitCode = 2;
  },
);
