// Linting files that are not open: walking a workspace folder for the configured template globs,
// in time slices that hand the event loop back so the open document keeps its fast feedback.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchingGlob } from '../core/config';
import { decodeFile, detectKind } from '../core/input';
import type { LintResult, Locale, ResolvedConfig } from '../core/types';
import { nodeReader } from '../host/files';
import { linter } from '../linter';

/** Folders never walked, whatever the ignore globs say. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

/** Larger files are not linted in the background: one would stall the server for seconds. */
export const MAX_SCAN_BYTES = 8 * 1024 * 1024;

/** How long one slice of background work may hold the event loop. */
const SLICE_MS = 15;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface ScanHooks {
  /** Configuration for a file at `filePath` (the folder's settings over its rc file). */
  configFor(filePath: string): ResolvedConfig;
  /** Checked between slices; a newer scan or a shutdown stops this one. */
  isCancelled(): boolean;
  /** Handles one template file; the walker awaits it. */
  visit(filePath: string, config: ResolvedConfig): Promise<void>;
  /** Checked before each file: true while interactive work is due, and the scan should wait. */
  shouldPause?(): boolean;
  /** Told when a slice of work that started at `start` (performance.now()) ends. */
  onSlice?(start: number): void;
}

/** Longest wait for interactive work before the scan lints one more file anyway (it must progress). */
const MAX_PAUSE_MS = 1000;
const PAUSE_STEP_MS = 5;

/** True when a path is excluded by the configuration's ignore globs. */
export function isIgnored(filePath: string, config: ResolvedConfig, isDirectory = false): boolean {
  if (matchingGlob(filePath, config.ignore, config.root)) return true;
  return isDirectory && matchingGlob(`${filePath}/`, config.ignore, config.root) !== undefined;
}

export function isTemplatePath(filePath: string, config: ResolvedConfig): boolean {
  return matchingGlob(filePath, config.files, config.root) !== undefined && !isIgnored(filePath, config);
}

/** Walks `root` depth-first; returns false when cancelled before the end. */
export async function scanFolder(root: string, hooks: ScanHooks): Promise<boolean> {
  const stack = [root];
  let sliceStart = performance.now();
  const breathe = async () => {
    if (hooks.shouldPause?.()) {
      hooks.onSlice?.(sliceStart);
      // Bounded: after MAX_PAUSE_MS the scan lints one file, then waits again if still asked to.
      for (let waited = 0; waited < MAX_PAUSE_MS && hooks.shouldPause() && !hooks.isCancelled(); waited += PAUSE_STEP_MS) {
        await new Promise((resolve) => setTimeout(resolve, PAUSE_STEP_MS));
      }
      sliceStart = performance.now();
    } else if (performance.now() - sliceStart >= SLICE_MS) {
      hooks.onSlice?.(sliceStart);
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    return !hooks.isCancelled();
  };
  while (stack.length) {
    if (hooks.isCancelled()) return false;
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    if (hooks.isCancelled()) return false;
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    // Settings and the rc file are per folder: the config a file directly inside would get.
    const dirConfig = hooks.configFor(path.join(dir, '_'));
    const files: string[] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      // Symbolic links are not followed (cycles, and files outside the folder).
      if (e.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(e.name) && !isIgnored(p, dirConfig, true)) stack.push(p);
      } else if (e.isFile() && isTemplatePath(p, dirConfig)) {
        files.push(p);
      }
    }
    for (const file of files.reverse()) {
      if (!(await breathe())) return false;
      await hooks.visit(file, dirConfig);
    }
    if (!(await breathe())) return false;
  }
  return true;
}

export interface DiskLint {
  /** The decoded text ('' when unreadable), for mapping offsets to positions. */
  text: string;
  result: LintResult;
}

/**
 * Reads and lints one file from disk. Undefined when it is gone or too large; files that cannot be
 * read, binary or non-UTF-8 files give the single file-unreadable finding.
 */
export async function lintFromDisk(filePath: string, config: ResolvedConfig, locale: Locale, log: (msg: string) => void): Promise<DiskLint | undefined> {
  const kind = detectKind(filePath, '') ?? 'html';
  let bytes: Buffer;
  try {
    const stat = await fs.promises.stat(filePath);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_SCAN_BYTES) {
      log(`Skipped ${filePath} in the workspace scan: ${stat.size} bytes is more than ${MAX_SCAN_BYTES}. Open it to lint it.`);
      return undefined;
    }
    bytes = await fs.promises.readFile(filePath);
  } catch (err) {
    // Gone since the walk or the watcher event: nothing to report.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { text: '', result: linter.unreadableResult(kind, 'io', config, locale, err instanceof Error ? err.message : String(err)) };
  }
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) {
    return { text: '', result: linter.unreadableResult(kind, decoded.unreadable ?? 'binary', config, locale) };
  }
  const text = decoded.text;
  return { text, result: linter.lint({ text, filePath, config, locale, reader: nodeReader }) };
}
