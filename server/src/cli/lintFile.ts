// One file's lint for the CLI: read, decode, lint (or fix and write back) and report. The same
// code runs on the CLI's main thread and in its worker threads (worker.ts, pool.ts).

import * as fs from 'node:fs';
import { decodeFile, isDataFile, resolveKind } from '../core/input';
import type { Locale, ResolvedConfig } from '../core/types';
import { nodeReader } from '../host/files';
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
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return fileReport(file, '', linter.unreadableResult('html', 'io', config, opts.locale, detail).findings);
  }
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) {
    const result = linter.unreadableResult('html', decoded.unreadable!, config, opts.locale);
    return fileReport(file, '', result.findings);
  }
  // Folders are walked for *.json too; JSON that is no send payload is left out of the report.
  const req = { text: decoded.text, filePath: file, config, locale: opts.locale, reader: nodeReader };
  if (!named && isDataFile(file) && !resolveKind(req)) return undefined;
  if (opts.fix) {
    const outcome = linter.fixText(req);
    if (outcome.text !== decoded.text) fs.writeFileSync(file, outcome.text);
    return fileReport(file, outcome.text, outcome.result.findings);
  }
  return fileReport(file, decoded.text, linter.lint(req).findings);
}

