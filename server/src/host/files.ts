// The one way front ends read a file to lint: the CLI, the workspace scan and the reader the core
// uses for includes and a campaign's template all come through here.

import * as fs from 'node:fs';
import { decodeFile } from '../core/input';
import type { FileReader } from '../core/types';

export type ReadOutcome =
  | { text: string }
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
  return decoded.text === undefined ? { unreadable: decoded.unreadable ?? 'binary' } : { text: decoded.text };
}

function fromError(err: unknown): ReadOutcome {
  const code = (err as NodeJS.ErrnoException).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true, detail };
  return { unreadable: 'io', detail };
}

/** Reads and decodes a file, blocking (the CLI and its workers). */
export function readTextFileSync(filePath: string, options: ReadOptions = {}): ReadOutcome {
  try {
    if (options.maxBytes !== undefined) {
      const stat = fs.statSync(filePath);
      if (!stat.isFile()) return { missing: true, detail: `${filePath} is not a regular file` };
      if (stat.size > options.maxBytes) return { tooLarge: stat.size };
    }
    return fromBytes(fs.readFileSync(filePath));
  } catch (err) {
    return fromError(err);
  }
}

/** Reads and decodes a file without blocking the event loop (the language server). */
export async function readTextFile(filePath: string, options: ReadOptions = {}): Promise<ReadOutcome> {
  try {
    const stat = await fs.promises.stat(filePath);
    if (!stat.isFile()) return { missing: true, detail: `${filePath} is not a regular file` };
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) return { tooLarge: stat.size };
    return fromBytes(await fs.promises.readFile(filePath));
  } catch (err) {
    return fromError(err);
  }
}

/** Past this many entries a folder is not listed (lookups then read the candidate files instead). */
const MAX_LISTED = 20_000;

/** Reads UTF-8 text files for the core; undefined for anything missing, binary or not UTF-8. */
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
      for (const e of entries) if (e.isFile()) names.add(e.name);
      return names;
    } catch {
      // No such folder: nothing in it.
      return new Set<string>();
    }
  },
};
