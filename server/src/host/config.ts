// Finding, reading and caching the rc file that applies to a path, for the CLI and the server.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextFileSync } from './files';
import { defaultConfig, findConfigFile, mergeConfig, parseConfigText, type ConfigCheckOptions, type ConfigLayer, type ConfigProblem } from '../core/config';
import type { ResolvedConfig } from '../core/types';

export interface LoadedConfigFile {
  path: string;
  text: string;
  layer: ConfigLayer;
  problems: ConfigProblem[];
}

/** An rc file is a few hundred bytes; one past this is refused, not read (a link to /dev/zero never ends). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads and parses an rc file; throws with the reason when it cannot be read as text. */
export function loadConfigFile(file: string, options: ConfigCheckOptions = {}): LoadedConfigFile {
  const read = readTextFileSync(file, { maxBytes: MAX_CONFIG_BYTES });
  if (!('text' in read)) {
    throw new Error('tooLarge' in read ? `${read.tooLarge} bytes is more than a configuration file may have (${MAX_CONFIG_BYTES} bytes)` : 'unreadable' in read ? (read.detail ?? `not UTF-8 text (${read.unreadable})`) : read.detail);
  }
  const text = read.text;
  const { layer, problems } = parseConfigText(text, options);
  return { path: file, text, layer, problems };
}

/** Finds and caches rc files per folder; `clear()` when one changes on disk. */
export class ConfigResolver {
  private readonly byDir = new Map<string, string | undefined>();
  private readonly byFile = new Map<string, LoadedConfigFile | { path: string; error: string }>();

  /** The known rule ids and the language of the problems; set before the first lookup. */
  constructor(public options: ConfigCheckOptions = {}) {}

  /** Told of each rc file as it is read (the server logs them). */
  onLoad?: (loaded: LoadedConfigFile | { path: string; error: string }) => void;

  /** The rc file for a file in `dir`, parsed, or undefined when none exists. */
  fileFor(dir: string): LoadedConfigFile | { path: string; error: string } | undefined {
    let found = this.byDir.get(dir);
    if (!this.byDir.has(dir)) {
      found = findConfigFile(dir, (p) => fs.existsSync(p));
      this.byDir.set(dir, found);
    }
    if (!found) return undefined;
    let loaded = this.byFile.get(found);
    if (!loaded) {
      try {
        loaded = loadConfigFile(found, this.options);
      } catch (err) {
        loaded = { path: found, error: err instanceof Error ? err.message : String(err) };
      }
      this.byFile.set(found, loaded);
      this.onLoad?.(loaded);
    }
    return loaded;
  }

  /** Defaults layered with the rc file for `filePath` (and `settings` over it, for the editor). */
  configFor(filePath: string, settings?: ConfigLayer, fallbackRoot?: string): ResolvedConfig {
    const rc = this.fileFor(path.dirname(filePath));
    let config = defaultConfig();
    if (rc && 'layer' in rc) config = mergeConfig(config, rc.layer);
    config = mergeConfig(config, settings);
    config.root = rc ? path.dirname(rc.path) : fallbackRoot;
    return config;
  }

  clear(): void {
    this.byDir.clear();
    this.byFile.clear();
  }
}
