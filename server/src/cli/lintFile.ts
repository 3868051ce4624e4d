// One file's lint for the CLI: read, decode, lint (or fix and write back) and report. The same
// code runs on the CLI's main thread and in its worker threads (worker.ts, pool.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDataFile, resolveKind } from '../core/input';
import { interpolate, term } from '../core/messages';
import type { FileReader, Locale, ResolvedConfig } from '../core/types';
import { indexSets, setsOfFile, type ConfigurationSetIndex, type FileSets } from '../core/infra/sets';
import { cachingReader, MAX_FILE_BYTES, nodeReader, readTextFileSync, viewsOf } from '../host/files';
import { includeRootsOf, ReadRoots } from '../host/roots';
import { linter } from '../linter';
import { fileReport, type FileReport } from './formatters';

export interface CliLintOptions {
  locale: Locale;
  fix: boolean;
  /** Give each finding its fix as an offset range (--format eslint-json). */
  fixRanges?: boolean;
}

/**
 * The files lints read besides their own (layouts, partials, mj-include files, a campaign's
 * template), read once per CLI run (per thread). A run that does not fix writes nothing, so a file
 * read once is what the next lint would read; --fix writes files that others read, and reads them
 * fresh. Bounds: a folder's partials fit many times over.
 */
const runReader = cachingReader({ maxChars: 2_000_000, maxFiles: 512 });
/** --fix reads each time (it writes files others read), through the same confinement. */
const fixReader = viewsOf(nodeReader);

/** Root sets by their folders: thousands of files share a handful. */
const rootSets = new Map<string, ReadRoots>();

/**
 * The reader for one file's lint: only inside `roots` (the repository or folder linted, main.ts)
 * and the folders the file's configuration lists in `includeRoots`.
 */
export function readerFor(config: ResolvedConfig, roots: readonly string[], fix: boolean): FileReader {
  const dirs = [...roots, ...includeRootsOf(config, roots[0] ?? process.cwd())];
  const key = dirs.join('\0');
  let set = rootSets.get(key);
  if (!set) {
    if (rootSets.size >= 256) rootSets.clear();
    set = new ReadRoots(dirs);
    rootSets.set(key, set);
  }
  return fix ? fixReader(set) : runReader.within(set);
}

/**
 * The report for one file, or undefined for a file the walk found but that is not ours (JSON that
 * is no send payload). `named`: the file was given on the command line, so it is always reported.
 */
export function lintFileForCli(file: string, config: ResolvedConfig, named: boolean, opts: CliLintOptions, roots: readonly string[], configurationSets?: ConfigurationSetIndex): FileReport | undefined {
  const read = readTextFileSync(file);
  if (!('text' in read)) {
    const reason = 'unreadable' in read ? read.unreadable : 'io';
    const detail = 'tooLarge' in read ? `${read.tooLarge} bytes is more than the ${MAX_FILE_BYTES / 1024 / 1024} MiB a file may have` : (read.detail ?? '');
    return fileReport(file, '', linter.unreadableResult('html', reason, config, opts.locale, detail).findings);
  }
  const text = read.text;
  // Folders are walked for *.json too; JSON that is no send payload is left out of the report.
  const req = { text, filePath: file, config, locale: opts.locale, reader: readerFor(config, roots, opts.fix), configurationSets };
  if (!named && isDataFile(file) && !resolveKind(req)) return undefined;
  if (opts.fix) {
    const outcome = linter.fixText(req);
    if (outcome.text === text) return withText(fileReport(file, text, outcome.result.findings, opts.fixRanges), text, opts);
    // The byte order mark the file had stays: a fix changes its edits' spans, nothing else.
    const refused = writeFixed(file, read.bom ? `\uFEFF${outcome.text}` : outcome.text);
    if (refused === undefined) return withText({ ...fileReport(file, outcome.text, outcome.result.findings, opts.fixRanges), fixed: outcome.applied }, text, opts, outcome.text);
    // Not written: the file is as it was, so its findings are those of its own text.
    const notWritten = linter.unreadableResult('html', 'io', config, opts.locale, refused).findings.map((f) => ({ ...f, messageId: 'notWritten', message: interpolate(term('fix.notWritten', 'The fixes for this file were not written: {detail}', opts.locale), { detail: refused }) }));
    return withText(fileReport(file, text, [...notWritten, ...linter.lint(req).findings], opts.fixRanges), text, opts);
  }
  return withText(fileReport(file, text, linter.lint(req).findings, opts.fixRanges), text, opts);
}

/**
 * ESLint's reports carry the file's text: `output` when fixes changed it, else `source` when it has
 * findings. Only for eslint-json (`fixRanges`), which is the one format that shows them.
 */
function withText(report: FileReport, source: string, opts: CliLintOptions, output?: string): FileReport {
  if (!opts.fixRanges) return report;
  if (output !== undefined) return { ...report, output };
  return report.findings.length ? { ...report, source } : report;
}

/**
 * Writes the fixed text so that an interrupted run never leaves half a file: a temporary file beside
 * it, renamed over it. Refuses (and says why) a link, which would write outside the folder linted,
 * and a read-only file, whose owner said it is not to be changed. Undefined when written.
 */
function writeFixed(file: string, text: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (stat.isSymbolicLink()) return 'it is a symbolic link; fixes are not written through links';
  if ((stat.mode & 0o222) === 0) return 'it is read-only';
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.deliverlint-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text, { mode: stat.mode & 0o7777, flag: 'wx' });
    fs.renameSync(temp, file);
    return undefined;
  } catch (err) {
    fs.rmSync(temp, { force: true });
    return err instanceof Error ? err.message : String(err);
  }
}

/** Files whose content decides whether they are infrastructure, a payload or a campaign (and which may name a configuration set). */
export function mayNameOrDefineSets(file: string): boolean {
  return /\.(?:json|ya?ml|template|tf)$/i.test(file);
}

/**
 * The configuration sets the infrastructure files among `files` define: a first pass before the
 * payloads are linted, so that configuration-set-unknown sees every file of the run. Cheap: a file
 * is parsed only when its text names a configuration set resource type.
 */
export function configurationSetsOf(files: readonly string[]): ConfigurationSetIndex {
  const found: FileSets[] = [];
  for (const file of files) {
    if (!mayNameOrDefineSets(file)) continue;
    const read = readTextFileSync(file);
    if (!('text' in read)) continue;
    const sets = setsOfFile(file, read.text);
    if (sets) found.push(sets);
  }
  return indexSets(found);
}
