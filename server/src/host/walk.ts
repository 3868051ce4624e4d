// The one folder walker, shared by the CLI and the language server's workspace scan. It yields
// the files the configuration's `files` globs take and its `ignore` globs leave, folder by folder,
// in name order; the caller decides how to lint them (at once, on workers, or in time slices).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchingGlobRelative } from '../core/config';
import type { ResolvedConfig } from '../core/types';

export interface WalkOptions {
  /** The configuration for the entries of `dir` (the CLI: one for the whole tree; the server: per folder). */
  configFor(dir: string): ResolvedConfig;
  /** Folder names never entered, whatever the ignore globs say. */
  alwaysSkip?: ReadonlySet<string>;
  /** Lists a folder (tests inject failures; root cannot be refused a listing by chmod). */
  readDir?: (dir: string) => fs.Dirent[];
  /** Paths left out besides the ignore globs (the CLI's .deliverlintignore); not entered when a folder. */
  ignored?: (absPath: string, isFolder: boolean) => boolean;
}

/**
 * A file to lint with its folder's configuration, the end of a folder's listing (a point to pause
 * at), or a folder that could not be listed (`detail`: the system's message): its files are not
 * linted, and the caller says so.
 */
export type WalkStep = { file: string; config: ResolvedConfig } | { folderRead: string } | { unreadableFolder: string; detail: string };

const listFolder = (dir: string): fs.Dirent[] => fs.readdirSync(dir, { withFileTypes: true });

/** A path relative to `root` with `/` separators ('' for the root itself). */
function relativePosix(root: string | undefined, dir: string): string {
  if (root === undefined) return dir.split(path.sep).join('/');
  return path.relative(root, dir).split(path.sep).join('/');
}

/**
 * Walks `root` depth-first. Symbolic links are never followed (cycles, and files outside the
 * folder); a folder that cannot be read is reported as a step, and the walk goes on. Globs match paths relative to each folder's
 * configuration root; relative paths are built as the walk goes down while that root stays the
 * same, rather than computed again for every entry.
 */
export function* walkFiles(root: string, options: WalkOptions): Generator<WalkStep, void, undefined> {
  const rootConfig = options.configFor(root);
  const stack: Array<{ dir: string; rel: string; configRoot: string | undefined }> = [{ dir: root, rel: relativePosix(rootConfig.root ?? root, root), configRoot: rootConfig.root ?? root }];
  while (stack.length) {
    const { dir, rel: inheritedRel, configRoot } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = (options.readDir ?? listFolder)(dir);
    } catch (err) {
      // Gone since its parent was listed: nothing was there to lint. Anything else (permission
      // denied, an I/O error) leaves files unlinted, which must not pass for a clean folder.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') yield { unreadableFolder: dir, detail: err instanceof Error ? err.message : String(err) };
      continue;
    }
    const config = options.configFor(dir);
    const ownRoot = config.root ?? root;
    // A nested rc file moves the globs' root: paths below it are taken relative to the new one.
    const relDir = ownRoot === configRoot ? inheritedRel : relativePosix(ownRoot, dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const folders: Array<{ dir: string; rel: string; configRoot: string }> = [];
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (options.alwaysSkip?.has(e.name)) continue;
        // `dir/` too, so that a folder-only ignore glob such as `build/` skips the folder itself.
        if (!matchingGlobRelative(rel, config.ignore) && !matchingGlobRelative(`${rel}/`, config.ignore) && !options.ignored?.(path.join(dir, e.name), true)) folders.push({ dir: path.join(dir, e.name), rel, configRoot: ownRoot });
      } else if (e.isFile() && !matchingGlobRelative(rel, config.ignore) && matchingGlobRelative(rel, config.files) && !options.ignored?.(path.join(dir, e.name), false)) {
        yield { file: path.join(dir, e.name), config };
      }
    }
    // Popped in name order.
    for (let i = folders.length - 1; i >= 0; i--) stack.push(folders[i]!);
    yield { folderRead: dir };
  }
}
