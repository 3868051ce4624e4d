// `.deliverlintignore` (or the file `--ignore-path` names): paths the CLI leaves out, in gitignore
// syntax, relative to the ignore file's folder. Read once per run; matching is by picomatch.

import * as path from 'node:path';
import picomatch from 'picomatch';
import { readTextFileSync } from './files';

export const IGNORE_FILE_NAME = '.deliverlintignore';

/** An ignore file is a few lines; one past this is refused (a link to /dev/zero never ends). */
export const MAX_IGNORE_FILE_BYTES = 256 * 1024;
/**
 * Patterns one file may have: each walked path is tried against every pattern (and its folders
 * too), so the count bounds the work per file. More is no ignore file anyone wrote by hand.
 */
export const MAX_IGNORE_PATTERNS = 2_000;

interface IgnoreRule {
  negate: boolean;
  /** `build/`: matches folders only. */
  folderOnly: boolean;
  test: (rel: string) => boolean;
}

/** One line of gitignore syntax as a rule, or undefined for a blank line or a comment. */
function parseLine(raw: string): IgnoreRule | undefined {
  // Trailing spaces go unless escaped with a backslash.
  let line = raw.replace(/(?<!\\)[ \t]+$/, '').replace(/\\ $/, ' ');
  if (!line || line.startsWith('#')) return undefined;
  let negate = false;
  if (line.startsWith('!')) {
    negate = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let folderOnly = false;
  if (line.endsWith('/')) {
    folderOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (!line) return undefined;
  // A slash at the start or in the middle anchors the pattern to the ignore file's folder;
  // without one it matches a name at any depth.
  const anchored = line.includes('/');
  line = line.replace(/^\/+/, '');
  if (!line) return undefined;
  const glob = anchored ? line : `**/${line}`;
  // `foo/**` (everything inside foo) means the same to picomatch as to git.
  const isMatch = picomatch(glob, { dot: true });
  return { negate, folderOnly, test: (rel) => isMatch(rel) };
}

export interface IgnoreList {
  /** The ignore file read. */
  file: string;
  /** Whether `absPath` (a folder when `isFolder`) is ignored: itself, or a folder above it. */
  ignores(absPath: string, isFolder: boolean): boolean;
}

/** Parses gitignore-syntax `text`; patterns are relative to `baseDir`. Throws past MAX_IGNORE_PATTERNS. */
export function parseIgnoreText(text: string, baseDir: string, file = path.join(baseDir, IGNORE_FILE_NAME)): IgnoreList {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const rule = parseLine(raw);
    if (!rule) continue;
    if (rules.length >= MAX_IGNORE_PATTERNS) throw new Error(`it has more than ${MAX_IGNORE_PATTERNS} patterns`);
    rules.push(rule);
  }
  // Last matching rule wins, as in git.
  const own = (rel: string, isFolder: boolean): boolean => {
    let ignored = false;
    for (const r of rules) if ((!r.folderOnly || isFolder) && r.test(rel)) ignored = !r.negate;
    return ignored;
  };
  return {
    file,
    ignores(absPath, isFolder) {
      const rel = path.relative(baseDir, absPath);
      // Outside the ignore file's folder: none of its patterns speak of it.
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
      const parts = rel.split(path.sep);
      // A file inside an ignored folder stays ignored (git cannot re-include it either).
      for (let i = 1; i < parts.length; i++) if (own(parts.slice(0, i).join('/'), true)) return true;
      return own(parts.join('/'), isFolder);
    },
  };
}

/** Reads an ignore file; throws with the reason when it cannot be read as text. */
export function loadIgnoreFile(file: string): IgnoreList {
  const read = readTextFileSync(file, { maxBytes: MAX_IGNORE_FILE_BYTES });
  if (!('text' in read)) {
    throw new Error('tooLarge' in read ? `${read.tooLarge} bytes is more than an ignore file may have (${MAX_IGNORE_FILE_BYTES} bytes)` : 'unreadable' in read ? (read.detail ?? `not UTF-8 text (${read.unreadable})`) : read.detail);
  }
  return parseIgnoreText(read.text, path.dirname(file), file);
}
