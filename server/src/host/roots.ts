// The folders a lint may read from. A template's layouts, partials and mj-include files, and a
// campaign's template, are names written in files of the workspace: a cloned repository could
// name /etc/passwd, ../../other-project, or hold a link that leads out. Reads stay inside the
// roots: the workspace folder (the server) or the repository or folder linted (the CLI), and the
// folders the configuration's `includeRoots` adds where the configuration is trusted.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/types';

/** True when `p` is `root` or below it (both absolute and normalised). */
export function isWithin(root: string, p: string): boolean {
  if (p === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return p.startsWith(prefix);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** A set of folders, as written and as their real paths (a workspace opened through a link). */
export class ReadRoots {
  readonly dirs: readonly string[];
  private readonly real: readonly string[];
  /** Identifies the set: readers are kept per set. */
  readonly key: string;

  constructor(dirs: readonly string[]) {
    this.dirs = [...new Set(dirs.map((d) => path.resolve(d)))].sort();
    this.real = [...new Set(this.dirs.map(realOrSelf))];
    this.key = this.dirs.join('\0');
  }

  /**
   * Whether reading `p` stays inside the roots: its path is below one of them, and where it exists,
   * the path it really leads to (links resolved) too. A path that does not exist is inside when its
   * name is: there is nothing there to read either way.
   */
  contains(p: string): boolean {
    const abs = path.resolve(p);
    if (!this.dirs.some((r) => isWithin(r, abs)) && !this.real.some((r) => isWithin(r, abs))) return false;
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      return true;
    }
    return this.real.some((r) => isWithin(r, real));
  }
}

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a file in a worktree or submodule). */
export function repositoryRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * The root of a lint the CLI was asked for: the repository around the folder or file named, so a
 * folder of emails finds the layouts beside it; without a repository, the folder named itself, or
 * for a file, the current folder when the file is in it, else the file's folder.
 */
export function cliRoot(target: string, isFolder: boolean, cwd = process.cwd()): string {
  const abs = path.resolve(target);
  const dir = isFolder ? abs : path.dirname(abs);
  const repo = repositoryRoot(dir);
  if (repo) return repo;
  if (isFolder) return abs;
  const here = path.resolve(cwd);
  return isWithin(here, abs) ? here : dir;
}

/** The configuration's `includeRoots`, absolute (relative ones are taken from the rc file's folder). */
export function includeRootsOf(config: ResolvedConfig, fallbackBase: string): string[] {
  return (config.includeRoots ?? []).map((r) => path.resolve(config.root ?? fallbackBase, r));
}
