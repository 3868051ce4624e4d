// One file's lint for the CLI: read, decode, lint (or fix and write back) and report. The same
// code runs on the CLI's main thread and in its worker threads (worker.ts, pool.ts).

import * as fs from 'node:fs';
import { isDataFile, resolveKind } from '../core/input';
import type { Locale, ResolvedConfig } from '../core/types';
import { nodeReader, readTextFileSync } from '../host/files';
import { linter } from '../linter';
import { fileReport, type FileReport } from './formatters';

export interface CliLintOptions {
  locale: Locale;
  fix: boolean;
}

/**
 * The report for one file, or undefined for a file the walk found but that is not ours (JSON that
 * is no send payload). `named`: the file was given on the command line, so it is always reported.
 */
export function lintFileForCli(file: string, config: ResolvedConfig, named: boolean, opts: CliLintOptions): FileReport | undefined {
  const read = readTextFileSync(file);
  if (!('text' in read)) {
    const reason = 'unreadable' in read ? read.unreadable : 'io';
    const detail = 'detail' in read ? (read.detail ?? '') : '';
    return fileReport(file, '', linter.unreadableResult('html', reason, config, opts.locale, detail).findings);
  }
  const text = read.text;
  // Folders are walked for *.json too; JSON that is no send payload is left out of the report.
  const req = { text, filePath: file, config, locale: opts.locale, reader: nodeReader };
  if (!named && isDataFile(file) && !resolveKind(req)) return undefined;
  if (opts.fix) {
    const outcome = linter.fixText(req);
    if (outcome.text !== text) fs.writeFileSync(file, outcome.text);
    return fileReport(file, outcome.text, outcome.result.findings);
  }
  return fileReport(file, text, linter.lint(req).findings);
}

