#!/usr/bin/env node
// The lint step of the GitHub Action (action.yml). It runs the bundled CLI (dist/cli.js beside this
// script) with SARIF output, writes the SARIF file, counts the findings by level, sets the step's
// outputs and job summary, and exits by the fail level. Everything it reads comes from the
// environment, as a runner provides it, so the same run works on a laptop:
//
//   node esbuild.mjs && INPUT_PATHS=examples INPUT_FAIL_LEVEL=warning node scripts/action.mjs
//
// Inputs (action.yml passes them as INPUT_* variables; unset means the default):
//   INPUT_PATHS       files, folders or globs, whitespace-separated, or one per line (default ".")
//   INPUT_CONFIG      a configuration file passed as --config (default: the usual lookup)
//   INPUT_FAIL_LEVEL  error | warning | never (default "error")
//   INPUT_SARIF_FILE  where to write the SARIF (default: deliverlint.sarif in RUNNER_TEMP)
//   INPUT_LOCALE      en or ja, passed as --locale (default: the CLI's, from LC_ALL / LC_MESSAGES / LANG)
// Runner variables: GITHUB_WORKSPACE (the folder linted from, default the current one),
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY (files appended to, when set), RUNNER_TEMP.
//
// Exit status: 0 below the fail level; 1 findings at or above it; 2 the linter could not run (bad
// input, an unreadable configuration, a crash), in which case no SARIF file is announced.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAIL_LEVELS = ['error', 'warning', 'never'];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

/** An input as the runner passes it: INPUT_ + the name upper-cased with `-` as `_`; blank is unset. */
function input(name, fallback = '') {
  const value = process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return value !== undefined && value.trim() !== '' ? value.trim() : fallback;
}

/** How many findings the log lists one by one; the SARIF file and the counts hold them all. */
const MAX_LISTED = 200;

/** Control characters (a file name or quoted template text may hold them) as \\uXXXX, so the log shows them. */
function printable(s) {
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One finding as a log line: `path:line:column  level  message  rule`. */
function resultLine(result, level) {
  const where = result.locations?.[0]?.physicalLocation;
  let file = where?.artifactLocation?.uri ?? '';
  try {
    file = decodeURIComponent(file);
  } catch {
    // Not percent-encoded as expected: shown as it is.
  }
  const region = where?.region;
  const pos = region ? `:${region.startLine ?? 1}:${region.startColumn ?? 1}` : '';
  return printable(`  ${file}${pos}  ${level}  ${result.message?.text ?? ''}  ${result.ruleId ?? ''}`);
}

/** A workflow command's message: the runner reads `%`, CR and LF as escapes. */
function commandText(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function fail(message, code) {
  process.stdout.write(`::error title=Deliverlint::${commandText(message)}\n`);
  process.exit(code);
}

/** Appends `name` = `value` to GITHUB_OUTPUT, in the multi-line form so no value can end the entry. */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const text = String(value);
  let delimiter;
  do delimiter = `deliverlint_${randomBytes(8).toString('hex')}`;
  while (text.includes(delimiter));
  appendFileSync(file, `${name}<<${delimiter}\n${text}\n${delimiter}\n`);
}

/** Splits the paths input: one per line when it has several lines (a path may hold spaces), else on whitespace. */
function splitPaths(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length > 1 ? lines : lines.flatMap((l) => l.split(/\s+/));
}

function main() {
  const failLevel = input('fail-level', 'error').toLowerCase();
  if (!FAIL_LEVELS.includes(failLevel)) fail(`fail-level must be one of ${FAIL_LEVELS.join(', ')} (got "${input('fail-level')}").`, 2);
  const paths = splitPaths(input('paths', '.'));
  const config = input('config');
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const sarifInput = input('sarif-file');
  const sarifFile = sarifInput
    ? resolve(workspace, sarifInput)
    : join(process.env.RUNNER_TEMP || tmpdir(), 'deliverlint.sarif');
  if (/[\r\n]/.test(sarifFile)) fail('sarif-file must be a single line.', 2);
  if (!existsSync(cli)) fail(`The CLI bundle ${cli} is missing: build it first (npm ci && node esbuild.mjs).`, 2);

  const args = [cli, '--format', 'sarif'];
  if (config) args.push('--config', isAbsolute(config) ? config : resolve(workspace, config));
  const locale = input('locale');
  if (locale) args.push('--locale', locale);
  // `--` so that a path starting with "-" is a path, not an option.
  args.push('--', ...paths);

  mkdirSync(dirname(sarifFile), { recursive: true });
  // The report goes straight to the file: a large repository's SARIF never sits in this process twice.
  const fd = openSync(sarifFile, 'w');
  let run;
  try {
    run = spawnSync(process.execPath, args, { cwd: workspace, stdio: ['ignore', fd, 'inherit'] });
  } finally {
    closeSync(fd);
  }
  if (run.error || (run.status !== 0 && run.status !== 1)) {
    rmSync(sarifFile, { force: true });
    const why = run.error ? run.error.message : run.signal ? `signal ${run.signal}` : `exit code ${run.status}`;
    fail(`deliverlint could not lint (${why}); see the message above.`, 2);
  }

  let sarif;
  try {
    sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
  } catch (err) {
    fail(`deliverlint wrote no readable SARIF (${err instanceof Error ? err.message : String(err)}).`, 2);
  }
  const counts = { error: 0, warning: 0, note: 0 };
  const byRule = new Map();
  const listed = [];
  for (const run of sarif.runs ?? []) {
    for (const result of run.results ?? []) {
      const level = result.level ?? 'warning';
      if (level in counts) counts[level]++;
      byRule.set(result.ruleId, (byRule.get(result.ruleId) ?? 0) + 1);
      if (listed.length < MAX_LISTED) listed.push(resultLine(result, level));
    }
  }
  const total = counts.error + counts.warning + counts.note;
  // The log names each finding, so a failed run can be read without opening the SARIF file. File
  // names and messages are the repository's text: the runner is told not to read them as commands.
  if (listed.length) {
    const resume = `deliverlint-${randomBytes(12).toString('hex')}`;
    process.stdout.write(`::stop-commands::${resume}\n`);
    for (const line of listed) process.stdout.write(`${line}\n`);
    if (total > listed.length) process.stdout.write(`  ... and ${total - listed.length} more in the SARIF file\n`);
    process.stdout.write(`::${resume}::\n`);
  }

  setOutput('sarif-file', sarifFile);
  setOutput('error-count', counts.error);
  setOutput('warning-count', counts.warning);
  setOutput('note-count', counts.note);

  const failed = failLevel === 'error' ? counts.error > 0 : failLevel === 'warning' ? counts.error + counts.warning > 0 : false;
  const summary = `Deliverlint: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.note} note${counts.note === 1 ? '' : 's'} (fail level: ${failLevel}).`;
  writeSummary(summary, byRule, failed);
  process.stdout.write(`${summary}\nSARIF: ${sarifFile}\n`);
  if (failed) fail(`Findings at or above the fail level "${failLevel}" (listed above).`, 1);
}

function writeSummary(summary, byRule, failed) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const rows = [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const lines = [`### Deliverlint ${failed ? '(failed)' : ''}`.trimEnd(), '', summary, ''];
  if (rows.length) {
    lines.push('| Rule | Findings |', '| --- | ---: |');
    // Rule ids come from the linter's registry, but a table cell is escaped all the same.
    for (const [id, n] of rows) lines.push(`| \`${String(id).replace(/[`|\r\n]/g, '')}\` | ${n} |`);
    lines.push('');
  }
  appendFileSync(file, lines.join('\n') + '\n');
}

main();
