// deliverlint [files|folders|globs...] [--format stylish|json|sarif] [--fix] [--config F] [--locale L]
// The command-line front end over the same core the language server uses.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import picomatch from 'picomatch';
import { asRuleSetting, DEFAULT_IGNORE, defaultConfig, mergeConfig, unknownRuleMessage } from '../core/config';
import { resolveLocale } from '../core/messages';
import { PositionMapper } from '../core/position';
import type { Locale, ResolvedConfig, RuleSetting } from '../core/types';
import { linter } from '../linter';
import { ConfigResolver, loadConfigFile } from '../host/config';
import { walkFiles } from '../host/walk';
import { cliRoot } from '../host/roots';
import { lintFileForCli } from './lintFile';
import { LintPool, MIN_FILES_FOR_WORKERS, poolSize } from './pool';
import { fileReport, formatJson, formatSarif, formatStylish, type FileReport } from './formatters';
import { runCheckDomain } from './checkDomain';
import { escapeControl } from './escape';
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

class UsageError extends Error {}

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

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * Expands the command line into files, each handed to `onFile` as it is found (a file may come more
 * than once): named files always, folders walked, globs expanded. `root` is the folder the file's
 * lint may read layouts and partials from (host/roots.ts, cliRoot).
 */
function collectFiles(targets: string[], configFor: (dir: string) => ResolvedConfig, onFile: (file: string, root: string) => void, onUnreadable: (dir: string, detail: string) => void): void {
  for (const target of targets) {
    const abs = path.resolve(target);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      onFile(abs, cliRoot(abs, false));
    } else if (stat?.isDirectory()) {
      // The walk takes the folder's configuration for the whole tree; each file is linted with its own.
      const config = configFor(abs);
      const root = cliRoot(abs, true);
      for (const step of walkFiles(abs, { configFor: () => config })) {
        if ('file' in step) onFile(step.file, root);
        else if ('unreadableFolder' in step) onUnreadable(step.unreadableFolder, step.detail);
      }
    } else if (GLOB_CHARS.test(target)) {
      const { root: base, found } = expandGlob(target, onUnreadable);
      if (!found.length) throw new UsageError(`No files matching the pattern "${target}" were found.`);
      const root = cliRoot(base, true);
      for (const f of found) onFile(path.resolve(f), root);
    } else {
      throw new UsageError(`No such file or folder: ${target}`);
    }
  }
}

/**
 * Whether files below the folder `rel` (relative to the glob's base) could match `glob`: always
 * with `**`; otherwise only above the glob's depth (`*.html` looks in no subfolder). A folder
 * that cannot be read is reported only where it could have hidden a match.
 */
function couldHoldMatches(glob: string, rel: string): boolean {
  if (glob.includes('**')) return true;
  const depth = rel ? rel.split(path.sep).length : 0;
  return depth < glob.split('/').length;
}

/** Files matching a glob, walked from the glob's literal leading folders (node_modules etc. skipped). */
function expandGlob(pattern: string, onUnreadable: (dir: string, detail: string) => void): { root: string; found: string[] } {
  const { base, glob: rest } = picomatch.scan(pattern);
  const root = path.resolve(base || '.');
  const isMatch = picomatch(rest, { dot: false });
  const ignore: ResolvedConfig = { ...defaultConfig(), files: ['**/*'], ignore: DEFAULT_IGNORE, root };
  const found: string[] = [];
  for (const step of walkFiles(root, { configFor: () => ignore })) {
    if ('file' in step && isMatch(path.relative(root, step.file).split(path.sep).join('/'))) found.push(step.file);
    else if ('unreadableFolder' in step && couldHoldMatches(rest, path.relative(root, step.unreadableFolder))) onUnreadable(step.unreadableFolder, step.detail);
  }
  return { root, found };
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

  const checks = { ruleIds: linter.rules.map((r) => r.meta.id), locale: opts.locale };
  const resolver = new ConfigResolver(checks);
  // --rule goes over whichever configuration a file gets.
  const withRuleOptions = (config: ResolvedConfig): ResolvedConfig =>
    Object.keys(opts.rules).length ? { ...config, rules: { ...config.rules, ...opts.rules } } : config;
  let fixedConfig: ResolvedConfig | undefined;
  if (opts.config) {
    const file = path.resolve(opts.config);
    let loaded;
    try {
      loaded = loadConfigFile(file, checks);
    } catch (err) {
      throw new UsageError(`Cannot read the configuration file ${opts.config}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (loaded.problems.length) throw new UsageError(configProblemText(loaded.path, loaded.text, loaded.problems));
    fixedConfig = withRuleOptions({ ...mergeConfig(defaultConfig(), loaded.layer), root: path.dirname(file) });
  }
  const reportedBadConfigs = new Set<string>();
  // The configuration depends on the folder only; one object per folder (the lint pool sends each once).
  const byFolder = new Map<string, ResolvedConfig>();
  const configFor = (filePath: string): ResolvedConfig => {
    if (fixedConfig) return fixedConfig;
    const dir = path.dirname(filePath);
    const known = byFolder.get(dir);
    if (known) return known;
    const rc = resolver.fileFor(dir);
    if (rc && !reportedBadConfigs.has(rc.path)) {
      if ('error' in rc) throw new UsageError(`Cannot read the configuration file ${rc.path}: ${rc.error}`);
      if (rc.problems.length) throw new UsageError(configProblemText(rc.path, rc.text, rc.problems));
      reportedBadConfigs.add(rc.path);
    }
    const config = withRuleOptions(resolver.configFor(filePath));
    byFolder.set(dir, config);
    return config;
  };

  if (opts.explain) {
    const explained = opts.targets.map((t) => {
      const file = path.resolve(t);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--explain takes files: ${t} is not one.`);
      return explainFile(file, configFor(file), opts.locale, [cliRoot(file, false)]);
    });
    process.stdout.write(formatExplanations(explained, opts.format === 'json' ? 'json' : 'text') + '\n');
    return 0;
  }

  const lintOptions = { locale: opts.locale, fix: opts.fix };
  const named = new Set(opts.targets.map((t) => path.resolve(t)));
  // --fix stays on one thread: fixing writes files that other files' lints read (a campaign's
  // template, an mj-include partial), so in parallel a lint could read a half-written file.
  // Once the walk has found enough files for workers, they start, and each file found from then
  // on is queued at once: loading the bundle in each thread and linting overlap the rest of the
  // walk. (Started before any walk, they cost a small folder a fifth of a second.)
  const files: string[] = [];
  const configs: ResolvedConfig[] = [];
  const roots: string[][] = [];
  const seen = new Set<string>();
  // A broken rc file stops the run, as the first file under it in sorted order would on one thread.
  let broken: { file: string; error: unknown } | undefined;
  let pool: LintPool | undefined;
  let poolTried = false;
  const startPool = () => {
    poolTried = true;
    pool = LintPool.start(lintOptions);
    for (let i = 0; pool && i < files.length; i++) pool.add(files[i]!, configs[i]!, named.has(files[i]!), roots[i]!);
  };
  const onFile = (file: string, root: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let config: ResolvedConfig;
    try {
      config = configFor(file);
    } catch (error) {
      if (!broken || file < broken.file) broken = { file, error };
      return;
    }
    files.push(file);
    configs.push(config);
    roots.push([root]);
    if (pool) pool.add(file, config, named.has(file), [root]);
    else if (!poolTried && !opts.fix && files.length >= MIN_FILES_FOR_WORKERS) startPool();
  };
  // A folder the walk could not list: its files were not linted, which must not look like a clean
  // run. It is reported as a file-unreadable finding at the folder, as an unreadable file is.
  const unreadableFolders: FileReport[] = [];
  const onUnreadable = (dir: string, detail: string) => {
    let config: ResolvedConfig;
    try {
      config = configFor(path.join(dir, '_'));
    } catch {
      config = defaultConfig();
    }
    const findings = linter.unreadableResult('html', 'folder', config, opts.locale, detail).findings;
    if (findings.length) unreadableFolders.push(fileReport(dir, '', findings));
  };
  const order = (a: number, b: number) => (files[a]! < files[b]! ? -1 : files[a]! > files[b]! ? 1 : 0);
  let reports: FileReport[];
  try {
    // A folder's configuration is the one a file directly inside it would get.
    collectFiles(opts.targets, (dir) => configFor(path.join(dir, '_')), onFile, onUnreadable);
    if (broken) throw broken.error;
    const byName = files.map((_, i) => i).sort(order);
    if (!poolTried && !opts.fix && poolSize(files.length) > 0) startPool();
    let linted: Array<FileReport | undefined>;
    if (pool) {
      const done = await pool.finish();
      linted = byName.map((i) => done[i]);
    } else {
      linted = byName.map((i) => lintFileForCli(files[i]!, configs[i]!, named.has(files[i]!), lintOptions, roots[i]!));
    }
    reports = linted.filter((r): r is FileReport => r !== undefined);
    if (unreadableFolders.length) reports = [...reports, ...unreadableFolders].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  } finally {
    await pool?.close();
  }

  const output = opts.format === 'json' ? formatJson(reports) : opts.format === 'sarif' ? formatSarif(reports, VERSION) : formatStylish(reports, opts.locale);
  if (output) process.stdout.write(output.endsWith('\n') ? output : output + '\n');
  const errors = reports.some((r) => r.findings.some((f) => f.severity === 'error'));
  return errors && !opts.exitZero ? 1 : 0;
}

function configProblemText(file: string, text: string, problems: Array<{ start: number; message: string }>): string {
  const mapper = new PositionMapper(text);
  return problems
    .map((p) => {
      const pos = mapper.positionAt(p.start);
      return escapeControl(`${file}:${pos.line + 1}:${pos.character + 1}: ${p.message}`);
    })
    .join('\n');
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
