// Linting files that are not open: walking a workspace folder for the configured template globs,
// in time slices that hand the event loop back so the open document keeps its fast feedback.

import * as path from 'node:path';
import { matchingGlob } from '../core/config';
import { detectKind } from '../core/input';
import type { FileReader, LintResult, Locale, ResolvedConfig } from '../core/types';
import { nodeReader, readTextFile } from '../host/files';
import { walkFiles, type WalkOptions } from '../host/walk';
import { linter } from '../linter';
import type { ConfigurationSetIndex } from '../core/infra/sets';

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
  /** A folder that could not be listed (`detail`: the system's message); its files are not linted. */
  unreadableFolder?(dir: string, detail: string): void;
  /** Lists a folder (tests inject a refusal: root reads any folder). */
  readDir?: WalkOptions['readDir'];
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

export type SliceHooks = Pick<ScanHooks, 'isCancelled' | 'shouldPause' | 'onSlice'>;

/**
 * For a loop of background work: call the returned function before each step. It hands the event
 * loop back once a slice has run SLICE_MS, waits (bounded) while interactive work is due, and
 * resolves to false once the work is cancelled.
 */
export function timeSlicer(hooks: SliceHooks): () => Promise<boolean> {
  let sliceStart = performance.now();
  return async () => {
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
}

/** Walks `root` (host/walk.ts) in time slices; returns false when cancelled before the end. */
export async function scanFolder(root: string, hooks: ScanHooks): Promise<boolean> {
  const breathe = timeSlicer(hooks);
  if (hooks.isCancelled()) return false;
  // Settings and the rc file are per folder: the config a file directly inside would get.
  for (const step of walkFiles(root, { configFor: (dir) => hooks.configFor(path.join(dir, '_')), alwaysSkip: ALWAYS_SKIPPED, readDir: hooks.readDir })) {
    if (!(await breathe())) return false;
    if ('file' in step) await hooks.visit(step.file, step.config);
    else if ('unreadableFolder' in step) hooks.unreadableFolder?.(step.unreadableFolder, step.detail);
  }
  return !hooks.isCancelled();
}

export interface DiskLint {
  /** The decoded text ('' when unreadable), for mapping offsets to positions. */
  text: string;
  result: LintResult;
}

/**
 * Reads and lints one file from disk. Undefined when it is gone or too large; files that cannot be
 * read, binary or non-UTF-8 files give the single file-unreadable finding. `reader` gives the
 * layouts and partials (the server's reads open documents' unsaved text first).
 */
export async function lintFromDisk(filePath: string, config: ResolvedConfig, locale: Locale, log: (msg: string) => void, reader: FileReader = nodeReader, configurationSets?: ConfigurationSetIndex): Promise<DiskLint | undefined> {
  const kind = detectKind(filePath, '') ?? 'html';
  const read = await readTextFile(filePath, { maxBytes: MAX_SCAN_BYTES });
  // Gone since the walk or the watcher event: nothing to report.
  if ('missing' in read) return undefined;
  if ('tooLarge' in read) {
    log(`Skipped ${filePath} in the workspace scan: ${read.tooLarge} bytes is more than ${MAX_SCAN_BYTES}. Open it to lint it.`);
    return undefined;
  }
  if ('unreadable' in read) return { text: '', result: linter.unreadableResult(kind, read.unreadable, config, locale, read.detail ?? '') };
  const text = read.text;
  return { text, result: linter.lint({ text, filePath, config, locale, reader, configurationSets }) };
}
