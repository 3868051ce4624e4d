// The one way front ends read a file to lint: the CLI, the workspace scan and the reader the core
// uses for includes and a campaign's template all come through here.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeFile } from '../core/input';
import type { FileReader } from '../core/types';
import type { ReadRoots } from './roots';

export type ReadOutcome =
  /** The text, without a UTF-8 byte order mark; `bom` says whether the file began with one. */
  | { text: string; bom?: boolean }
  /** Not text: binary, not UTF-8, or an I/O error (`detail` says which). */
  | { unreadable: 'binary' | 'encoding' | 'io'; detail?: string }
  /** Not there (any more), or not a regular file; `detail` is the system's message. */
  | { missing: true; detail: string }
  /** Larger than the caller's limit. */
  | { tooLarge: number };

export interface ReadOptions {
  /** Files larger than this are not read. */
  maxBytes?: number;
}

function fromBytes(bytes: Uint8Array): ReadOutcome {
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) return { unreadable: decoded.unreadable ?? 'binary' };
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? { text: decoded.text, bom: true } : { text: decoded.text };
}

function fromError(err: unknown): ReadOutcome {
  const code = (err as NodeJS.ErrnoException).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true, detail };
  return { unreadable: 'io', detail };
}

/**
 * Files larger than this are never read: a lint of one takes seconds and hundreds of megabytes
 * (the workspace scan has its own, smaller limit).
 */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

// Opening a FIFO for reading blocks until a writer comes; non-blocking, it opens at once and the
// type check below refuses it. (No effect on regular files; not defined on Windows.)
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function refused(filePath: string, stat: fs.Stats, maxBytes: number): ReadOutcome | undefined {
  // Devices (/dev/zero), FIFOs and sockets never end or block: only regular files are read.
  if (!stat.isFile()) return { missing: true, detail: `${filePath} is not a regular file` };
  if (stat.size > maxBytes) return { tooLarge: stat.size };
  return undefined;
}

/** Reads and decodes a regular file of at most `maxBytes`, blocking (the CLI and its workers). */
export function readTextFileSync(filePath: string, options: ReadOptions = {}): ReadOutcome {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let fd: number | undefined;
  try {
    fd = fs.openSync(filePath, OPEN_FLAGS);
    const stat = fs.fstatSync(fd);
    const no = refused(filePath, stat, maxBytes);
    if (no) return no;
    // At most the size seen (plus one byte, to notice a file that grew past the limit).
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) return { tooLarge: length };
    return fromBytes(buffer.subarray(0, length));
  } catch (err) {
    return fromError(err);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Reads and decodes a regular file of at most `maxBytes` without blocking the event loop (the language server). */
export async function readTextFile(filePath: string, options: ReadOptions = {}): Promise<ReadOutcome> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(filePath, OPEN_FLAGS);
    const stat = await handle.stat();
    const no = refused(filePath, stat, maxBytes);
    if (no) return no;
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = (await handle.read(buffer, length, buffer.length - length, null)).bytesRead;
    if (length > maxBytes) return { tooLarge: length };
    return fromBytes(buffer.subarray(0, length));
  } catch (err) {
    return fromError(err);
  } finally {
    await handle?.close();
  }
}

/** Past this many entries a folder is not listed (lookups then read the candidate files instead). */
export const MAX_LISTED = 20_000;

/**
 * Reads UTF-8 text files for the core; undefined for anything missing, binary or not UTF-8. It reads
 * anywhere: front ends never hand it to a lint as it is, only through confinedReader (tests do).
 */
export const nodeReader: FileReader = {
  readFile(p: string) {
    const outcome = readTextFileSync(p);
    return 'text' in outcome ? outcome.text : undefined;
  },
  listDir(dir: string) {
    try {
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      if (entries.length > MAX_LISTED) return undefined;
      const names = new Set<string>();
      // Links too: reading one decides (a link inside the workspace is followed, one out of it refused).
      for (const e of entries) if (e.isFile() || e.isSymbolicLink()) names.add(e.name);
      return names;
    } catch {
      // No such folder: nothing in it.
      return new Set<string>();
    }
  },
};

/** Verdicts of `contains` remembered per confined view of a stable reader, at most. */
const MAX_VERDICTS = 50_000;

/**
 * `base` limited to `roots`: a path outside them, or one whose links lead out, reads as undefined
 * and lists as unlistable, and `outside` tells the composition why (a file is there, but outside).
 * Over a stable reader the verdicts are remembered, as the files do not change meanwhile.
 */
export function confinedReader(base: FileReader, roots: ReadRoots): FileReader {
  const verdicts = base.stable ? new Map<string, boolean>() : undefined;
  const allowed = (p: string): boolean => {
    const known = verdicts?.get(p);
    if (known !== undefined) return known;
    const verdict = roots.contains(p);
    if (verdicts) {
      if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
      verdicts.set(p, verdict);
    }
    return verdict;
  };
  const reader: FileReader = {
    stable: base.stable,
    readFile: (p) => (allowed(p) ? base.readFile(p) : undefined),
    // Outside the roots, a stable reader's listing still says which names are there (no content is
    // read): the lookups skip the absent candidates at once, and `outside` names the present one.
    listDir: (dir) => (allowed(dir) || base.stable ? base.listDir?.(dir) : undefined),
    outside(p) {
      if (allowed(p)) return false;
      // A stable reader keeps its listings: a name missing from one needs no look at the file (a
      // lookup tries up to 160 places for each name).
      if (base.stable) {
        const names = base.listDir?.(path.dirname(p));
        if (names && !names.has(path.basename(p))) return false;
      }
      try {
        return fs.statSync(p).isFile();
      } catch {
        return false;
      }
    },
    forFile: () => reader,
  };
  return reader;
}

/** Confined views per root set, at most (a workspace has a handful). */
const MAX_VIEWS = 64;

/** A reader that gives confined views of itself, one per root set (lookups are remembered per view). */
export interface RootedReader extends FileReader {
  within(roots: ReadRoots): FileReader;
}

/** `within` for `base`: the view of each root set made once and kept. */
export function viewsOf(base: FileReader): (roots: ReadRoots) => FileReader {
  const views = new Map<string, FileReader>();
  return (roots) => {
    let view = views.get(roots.key);
    if (!view) {
      if (views.size >= MAX_VIEWS) views.clear();
      view = confinedReader(base, roots);
      views.set(roots.key, view);
    }
    return view;
  };
}

export interface CachingReaderOptions {
  /** Characters of file text kept at most, and files (past either, the cache starts again). */
  maxChars: number;
  maxFiles: number;
  /** Text that wins over the disk's (the editor's open documents), asked each time. */
  first?: (p: string) => string | undefined;
}

/** Paths remembered as missing, and folder listings, at most. */
const MAX_MISSING = 50_000;
const MAX_LISTINGS = 4096;

/**
 * A reader for a run of lints while files do not change (one CLI run, one batch of the server's
 * re-lints): the layouts and partials every email of a folder pulls in are read once, and the
 * lookups of each partial, which try the same missing places and list the same folders, are
 * answered from memory. `stable` lets the composition remember where each partial is.
 */
export function cachingReader(options: CachingReaderOptions): RootedReader {
  const texts = new Map<string, string>();
  const missing = new Set<string>();
  const listed = new Map<string, ReadonlySet<string> | undefined>();
  let chars = 0;
  const reader: RootedReader = {
    within: (roots) => within(roots),
    stable: true,
    readFile(p: string) {
      const first = options.first?.(p);
      if (first !== undefined) return first;
      const known = texts.get(p);
      if (known !== undefined) return known;
      if (missing.has(p)) return undefined;
      const text = nodeReader.readFile(p);
      if (text === undefined) {
        if (missing.size >= MAX_MISSING) missing.clear();
        missing.add(p);
        return undefined;
      }
      if (texts.size >= options.maxFiles || chars + text.length > options.maxChars) {
        texts.clear();
        chars = 0;
      }
      texts.set(p, text);
      chars += text.length;
      return text;
    },
    listDir(dir: string) {
      if (!listed.has(dir)) {
        if (listed.size >= MAX_LISTINGS) listed.clear();
        listed.set(dir, nodeReader.listDir?.(dir));
      }
      return listed.get(dir);
    },
  };
  const within = viewsOf(reader);
  return reader;
}
