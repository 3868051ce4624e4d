// deliverlint [files|folders|globs...] [options]; deliverlint check-domain <domain> [options];
// deliverlint verify-message FILE.eml [options]
// The command-line front end over the same core the language server uses: options (options.ts),
// the lint (run.ts), output formats (formatters.ts), then what is printed and the exit code.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { cliRoot } from '../host/roots';
import { configValuesAndSources } from '../host/effectiveConfig';
import { colorWanted, formatEslintJson, formatJson, formatSarif, formatStylish, type FileReport } from './formatters';
import { runCheckDomain } from './checkDomain';
import { runVerifyMessage } from './verifyMessage';
import { runStanding } from './standing';
import { escapeControl } from './escape';
import { explainFile, formatExplanations } from './explain';
import { parseCliOptions, USAGE, type CliOptions } from './options';
import { configLookup, lintTargets, ruleLayer, UsageError } from './run';
import { writeReportFile } from './outputFile';

export { lintTargets, type LintRunOptions } from './run';

import { VERSION } from '../core/version';
import { CANIEMAIL_SOURCE, CANIEMAIL_UPDATED } from '../core/caniemail';

async function main(argv: string[]): Promise<number> {
  // The domain authentication check has its own options and front end (cli/checkDomain.ts).
  if (argv[0] === 'check-domain') return runCheckDomain(argv.slice(1));
  // Verifying a sent message (DKIM, SPF, DMARC, ARC against DNS) likewise (cli/verifyMessage.ts).
  if (argv[0] === 'verify-message') return runVerifyMessage(argv.slice(1));
  // The sender's standing at SES, SendGrid and Postmaster Tools (cli/standing.ts).
  if (argv[0] === 'standing') return runStanding(argv.slice(1));
  const opts = parseCliOptions(argv);
  if (opts === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (opts === 'version') {
    // The version alone on the first line (scripts read it); then the client-support data shipped.
    process.stdout.write(`${VERSION}\nclient support data: ${CANIEMAIL_SOURCE}, data of ${CANIEMAIL_UPDATED}\n`);
    return 0;
  }
  if (opts.printConfig !== undefined) return printConfig(opts, opts.printConfig);

  if (opts.explain) {
    const { configFor } = configLookup(opts);
    const explained = opts.targets.map((t) => {
      const file = path.resolve(t);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--explain takes files: ${escapeControl(t)} is not one.`);
      return explainFile(file, configFor(file), opts.locale, [cliRoot(file, false)]);
    });
    return emit(opts, formatExplanations(explained, opts.format === 'json' ? 'json' : 'text'));
  }

  const all = await lintTargets(opts.targets, { ...opts, fixRanges: opts.format === 'eslint-json' });
  if (opts.fix) writeFixSummary(all, opts.locale);
  // --quiet: errors only, as if the rest had not been found (ESLint 9 does not run them at all).
  const reports = opts.quiet ? all.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) : all;

  const color = colorWanted(opts.color, process.env, opts.outputFile === undefined && !!process.stdout.isTTY);
  const output =
    opts.format === 'json' ? formatJson(reports)
    : opts.format === 'eslint-json' ? formatEslintJson(reports)
    : opts.format === 'sarif' ? formatSarif(withoutNotices(reports), VERSION)
    : formatStylish(reports, opts.locale, color);
  const written = emit(opts, output);
  if (written) return written;

  const count = (s: string) => reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === s).length, 0);
  const errors = count('error');
  const warnings = count('warning');
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    process.stderr.write(interpolate(term('cli.tooManyWarnings', 'Deliverlint found too many warnings (maximum: {max}).', opts.locale), { max: opts.maxWarnings }) + '\n');
    if (!opts.exitZero) return 1;
  }
  return errors && !opts.exitZero ? 1 : 0;
}

/**
 * SARIF results are a rule's: a notice that is no rule's (an ignored file named on the command
 * line) goes to stderr instead, so it is still said and code scanning gets no result without a rule.
 */
function withoutNotices(reports: readonly FileReport[]): FileReport[] {
  const notices = reports.flatMap((r) => r.findings.filter((f) => !f.ruleId).map((f) => `${path.relative(process.cwd(), r.filePath) || r.filePath}: ${f.message}`));
  if (notices.length) process.stderr.write(notices.map((n) => `deliverlint: ${escapeControl(n)}`).join('\n') + '\n');
  return reports.map((r) => ({ ...r, findings: r.findings.filter((f) => f.ruleId) }));
}

/** Writes `output` to stdout, or to --output-file; returns 2 when the file could not be written. */
function emit(opts: CliOptions, output: string): number {
  if (opts.outputFile === undefined) {
    if (output) process.stdout.write(output.endsWith('\n') ? output : output + '\n');
    return 0;
  }
  const refused = writeReportFile(opts.outputFile, output && !output.endsWith('\n') ? output + '\n' : output);
  if (refused) throw new UsageError(`Cannot write the report to ${escapeControl(opts.outputFile)}: ${refused}`);
  return 0;
}

/** What --fix changed, on stderr (stdout carries the report): each file and its fixes, then totals. */
function writeFixSummary(reports: readonly FileReport[], locale: Locale): void {
  const fixedFiles = reports.filter((r) => r.fixed);
  if (!fixedFiles.length) return;
  const lines = fixedFiles.map((r) => interpolate(term('cli.fixedFile', '  {file}: {fixes} fixed', locale), { file: escapeControl(path.relative(process.cwd(), r.filePath) || r.filePath), fixes: r.fixed! }));
  const fixes = fixedFiles.reduce((n, r) => n + r.fixed!, 0);
  const files = fixedFiles.length;
  lines.push(
    files > 1 ? interpolate(term('cli.fixedTotal', 'Fixed {fixes} problems in {files} files.', locale), { fixes, files })
    : fixes > 1 ? interpolate(term('cli.fixedInOneFile', 'Fixed {fixes} problems in 1 file.', locale), { fixes })
    : term('cli.fixedOne', 'Fixed 1 problem in 1 file.', locale),
  );
  process.stderr.write(lines.join('\n') + '\n');
}

/**
 * --print-config FILE: the configuration FILE is linted with (the rc file found for it, or
 * --config, then --rule), with the source of each value: the merge the editor's "Show Effective
 * Configuration" shows, without the editor's settings.
 */
function printConfig(opts: CliOptions, target: string): number {
  const file = path.resolve(target);
  const lookup = configLookup(opts);
  const config = lookup.configFor(file);
  const rc = lookup.rcFor(file);
  const { values, sources } = configValuesAndSources(config, { rc: rc ? { path: rc.path, layer: rc.layer } : undefined, over: ruleLayer(opts.rules), overKey: () => '--rule' });
  const out = { file, configFile: rc?.path ?? null, values, sources };
  return emit(opts, JSON.stringify(out, null, 2));
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
