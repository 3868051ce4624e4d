// The library API of the npm package (`require('deliverlint')`, `import { lint } from 'deliverlint'`).
// A thin front end, like the CLI: lint() runs the CLI's own lint (cli/run.ts: walking, configuration
// lookup, worker threads) and returns what `deliverlint --format json` prints; checkDomain() runs
// the domain check as `deliverlint check-domain --format json` does. Its declarations
// (dist/types/api.d.ts) are emitted by tsc from this file when the package is made
// (scripts/pack-npm.mjs), so the published types are these signatures.
//
// Everything exported here is the package's public contract: change it only with a note in the
// CHANGELOG. Types users see are declared here or in dns/types.ts, not inferred.

import { asRuleSetting, unknownRuleMessage } from './core/config';
import { resolveLocale, translate } from './core/messages';
import { docsUrl } from './core/rule';
import { CheckInputError, checkDomain as runDomainCheck } from './dns/check';
import { createNodeResolver, DEFAULT_TIMEOUT_MS, parseServer } from './dns/resolver';
import type { DomainReport } from './dns/types';
import { jsonReport } from './cli/formatters';
import { lintTargets } from './cli/run';
import { UsageError } from './cli/usageError';
import { linter } from './linter';
import { VERSION } from './core/version';

export type { DomainReport, DomainFinding, Verdict } from './dns/types';
export { UsageError };

/** How much a finding matters. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** A rule's configured severity; 'off' turns it off. */
export type RuleSetting = Severity | 'off';

/** The package's version. */
export const version: string = VERSION;

/** The languages messages come in. */
export type Locale = 'en' | 'ja';

export interface LintOptions {
  /** The folder relative paths, globs and `config` are taken from (default: process.cwd()). */
  cwd?: string;
  /** A configuration file to use instead of looking up .deliverlintrc.json from each file's folder (`--config`). */
  config?: string;
  /** Rule severities over every configuration file (`--rule ID=SEVERITY`), e.g. `{ 'postal-address-missing': 'warning' }`. */
  rules?: Record<string, RuleSetting>;
  /** The language of the messages (default 'en'; `--locale`). */
  locale?: Locale;
  /** Apply safe fixes and write the files back (`--fix`). The report is that of the fixed files. */
  fix?: boolean;
  /** Lint on worker threads when there are many files, as the CLI does (default true). */
  workers?: boolean;
}

/** One finding, with 1-based lines and columns, as `--format json` writes it. */
export interface LintMessage {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId: string;
  /** A safe fix exists (`fix: true` applies it). */
  fixable: boolean;
}

/** One file's findings, as `--format json` writes it. */
export interface LintResult {
  /** Absolute path. */
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
}

/**
 * Lints files, folders (walked for the configured file globs) and globs, exactly as
 * `deliverlint [files...] --format json` does, and resolves to its report: one entry per file,
 * sorted by path. Rejects with UsageError where the CLI would exit 2 (no such file, a broken
 * configuration, an unknown rule id).
 */
export async function lint(files: string | readonly string[], options: LintOptions = {}): Promise<LintResult[]> {
  const targets = typeof files === 'string' ? [files] : [...files];
  if (!targets.length) throw new UsageError('lint() needs at least one file, folder or glob.');
  const locale = options.locale === undefined ? 'en' : checkedLocale(options.locale);
  const reports = await lintTargets(targets, {
    cwd: options.cwd ?? process.cwd(),
    config: options.config,
    rules: checkedRules(options.rules ?? {}, locale),
    locale,
    fix: !!options.fix,
    workers: options.workers,
  });
  return jsonReport(reports);
}

export interface CheckDomainOptions {
  /** DKIM selectors to check (`--selector`). Without one, DKIM is reported as not checked. */
  selectors?: readonly string[];
  /** DNS servers to ask, "IP" or "IP:PORT" (`--dns`); default: the system's resolvers. */
  dns?: readonly string[];
  /** Milliseconds one DNS lookup may take, 1 to 60000 (`--timeout`, default 3000). */
  timeout?: number;
  /** The language of the findings and verdicts (default 'en'). */
  locale?: Locale;
}

/**
 * Checks the domain's SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT and BIMI records as
 * `deliverlint check-domain DOMAIN --format json` does, and resolves to that report. A DNS lookup
 * that failed does not reject: the report then holds a finding with the id `dns-failure`.
 */
export async function checkDomain(domain: string, options: CheckDomainOptions = {}): Promise<DomainReport> {
  const locale = options.locale === undefined ? 'en' : checkedLocale(options.locale);
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) throw new UsageError(`timeout takes milliseconds from 1 to 60000 (got ${String(options.timeout)}).`);
  const servers = (options.dns ?? []).map((spec) => {
    const server = parseServer(String(spec));
    if (!server) throw new UsageError(`dns takes IP addresses with an optional port, e.g. 127.0.0.1:5353 or [::1]:53 (got "${String(spec)}").`);
    return server;
  });
  try {
    return await runDomainCheck(String(domain), { resolver: createNodeResolver(servers, timeoutMs), selectors: [...(options.selectors ?? [])], timeoutMs, locale });
  } catch (err) {
    if (err instanceof CheckInputError) throw new UsageError(err.message);
    throw err;
  }
}

/** A rule and what it is about. */
export interface RuleInfo {
  id: string;
  description: string;
  /** The severity it has unless configured. */
  defaultSeverity: RuleSetting;
  /** What kind of obligation it checks. */
  group: 'unsubscribe' | 'compliance' | 'correctness' | 'accessibility' | 'rendering' | 'infrastructure';
  /** It offers fixes. */
  fixable: boolean;
  /** The rule's documentation page. */
  docsUrl: string;
}

/** Every rule, in the registry's order, with its description in the given language (default 'en'). */
export function listRules(locale: Locale = 'en'): RuleInfo[] {
  const loc = checkedLocale(locale);
  return linter.rules.map(({ meta }) => ({
    id: meta.id,
    description: translate(`description/${meta.id}`, meta.description, loc),
    defaultSeverity: meta.defaultSeverity,
    group: meta.group,
    fixable: meta.fixable,
    docsUrl: docsUrl(meta.id),
  }));
}

/** Every rule, with English descriptions (listRules('ja') for Japanese). */
export const rules: readonly RuleInfo[] = Object.freeze(listRules('en').map((r) => Object.freeze(r)));

function checkedLocale(locale: unknown): Locale {
  if (typeof locale !== 'string' || !/^(en|ja)([-_].*)?$/i.test(locale)) throw new UsageError(`Unsupported locale "${String(locale)}". Use en or ja.`);
  return resolveLocale(locale);
}

/** The same checks as the CLI's --rule: known ids, known severities. */
function checkedRules(given: Record<string, unknown>, locale: Locale): Record<string, RuleSetting> {
  const ids = linter.rules.map((r) => r.meta.id);
  const out: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(given)) {
    if (!ids.includes(id)) throw new UsageError(unknownRuleMessage(id, ids, locale));
    const setting = typeof value === 'string' ? asRuleSetting(value) : undefined;
    if (!setting) throw new UsageError(`The severity of rule ${id} must be one of off, hint, info, warning, error (got "${String(value)}").`);
    out[id] = setting;
  }
  return out;
}
