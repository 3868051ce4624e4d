// One lint run over files, folders and globs: what `deliverlint [targets]` does before it formats
// the reports. The CLI (main.ts) and the library API (api.ts) both call it, so a program using the
// package gets exactly the findings the command line prints.

import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_IGNORE, defaultConfig, mergeConfig } from '../core/config';
import { PositionMapper } from '../core/position';
import type { Locale, ResolvedConfig, RuleSetting } from '../core/types';
import { linter } from '../linter';
import { ConfigResolver, loadConfigFile } from '../host/config';
import { walkFiles } from '../host/walk';
import { cliRoot } from '../host/roots';
import { lintFileForCli } from './lintFile';
import { LintPool, MIN_FILES_FOR_WORKERS, poolSize } from './pool';
import { fileReport, type FileReport } from './formatters';
import { escapeControl } from './escape';
import { UsageError } from './usageError';

export { UsageError };

export interface LintRunOptions {
  /** Relative targets and `config` are taken from here. */
  cwd: string;
  /** A configuration file used instead of the .deliverlintrc.json lookup. */
  config?: string;
  /** Rule severities over every configuration file (--rule). */
  rules: Record<string, RuleSetting>;
  locale: Locale;
  /** Apply safe fixes and write the files back. */
  fix: boolean;
  /** Lint on worker threads once there are enough files (default true; never with fix). */
  workers?: boolean;
}

/**
 * The configuration each file gets: the one file named by `config`, else the .deliverlintrc.json
 * lookup from the file's folder, with `rules` over it. Throws UsageError for a configuration that
 * cannot be read or has problems.
 */
export function configLookup(options: LintRunOptions): (filePath: string) => ResolvedConfig {
  const checks = { ruleIds: linter.rules.map((r) => r.meta.id), locale: options.locale };
  const resolver = new ConfigResolver(checks);
  // --rule goes over whichever configuration a file gets.
  const withRuleOptions = (config: ResolvedConfig): ResolvedConfig =>
    Object.keys(options.rules).length ? { ...config, rules: { ...config.rules, ...options.rules } } : config;
  let fixedConfig: ResolvedConfig | undefined;
  if (options.config) {
    const file = path.resolve(options.cwd, options.config);
    let loaded;
    try {
      loaded = loadConfigFile(file, checks);
    } catch (err) {
      throw new UsageError(`Cannot read the configuration file ${options.config}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (loaded.problems.length) throw new UsageError(configProblemText(loaded.path, loaded.text, loaded.problems));
    fixedConfig = withRuleOptions({ ...mergeConfig(defaultConfig(), loaded.layer), root: path.dirname(file) });
  }
  const reportedBadConfigs = new Set<string>();
  // The configuration depends on the folder only; one object per folder (the lint pool sends each once).
  const byFolder = new Map<string, ResolvedConfig>();
  const configFor = (filePath: string): ResolvedConfig => {
    if (fixedConfig) return fixedConfig;
    const dir = path.dirname(filePath);
    const known = byFolder.get(dir);
    if (known) return known;
    const rc = resolver.fileFor(dir);
    if (rc && !reportedBadConfigs.has(rc.path)) {
      if ('error' in rc) throw new UsageError(`Cannot read the configuration file ${rc.path}: ${rc.error}`);
      if (rc.problems.length) throw new UsageError(configProblemText(rc.path, rc.text, rc.problems));
      reportedBadConfigs.add(rc.path);
    }
    const config = withRuleOptions(resolver.configFor(filePath));
    byFolder.set(dir, config);
    return config;
  };
  return configFor;
}

/** Lints the targets (files, folders walked, globs expanded) and returns one report per file, sorted by path. */
export async function lintTargets(targets: readonly string[], options: LintRunOptions, configFor: (filePath: string) => ResolvedConfig = configLookup(options)): Promise<FileReport[]> {
  // --fix stays on one thread (see below); a caller may also keep the run on its own thread.
  const workers = options.workers !== false && !options.fix;
  const lintOptions = { locale: options.locale, fix: options.fix };
  const named = new Set(targets.map((t) => path.resolve(options.cwd, t)));
  // --fix stays on one thread: fixing writes files that other files' lints read (a campaign's
  // template, an mj-include partial), so in parallel a lint could read a half-written file.
  // Once the walk has found enough files for workers, they start, and each file found from then
  // on is queued at once: loading the bundle in each thread and linting overlap the rest of the
  // walk. (Started before any walk, they cost a small folder a fifth of a second.)
  const files: string[] = [];
  const configs: ResolvedConfig[] = [];
  const roots: string[][] = [];
  const seen = new Set<string>();
  // A broken rc file stops the run, as the first file under it in sorted order would on one thread.
  let broken: { file: string; error: unknown } | undefined;
  let pool: LintPool | undefined;
  let poolTried = false;
  const startPool = () => {
    poolTried = true;
    pool = LintPool.start(lintOptions);
    for (let i = 0; pool && i < files.length; i++) pool.add(files[i]!, configs[i]!, named.has(files[i]!), roots[i]!);
  };
  const onFile = (file: string, root: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let config: ResolvedConfig;
    try {
      config = configFor(file);
    } catch (error) {
      if (!broken || file < broken.file) broken = { file, error };
      return;
    }
    files.push(file);
    configs.push(config);
    roots.push([root]);
    if (pool) pool.add(file, config, named.has(file), [root]);
    else if (!poolTried && workers && files.length >= MIN_FILES_FOR_WORKERS) startPool();
  };
  // A folder the walk could not list: its files were not linted, which must not look like a clean
  // run. It is reported as a file-unreadable finding at the folder, as an unreadable file is.
  const unreadableFolders: FileReport[] = [];
  const onUnreadable = (dir: string, detail: string) => {
    let config: ResolvedConfig;
    try {
      config = configFor(path.join(dir, '_'));
    } catch {
      config = defaultConfig();
    }
    const findings = linter.unreadableResult('html', 'folder', config, options.locale, detail).findings;
    if (findings.length) unreadableFolders.push(fileReport(dir, '', findings));
  };
  const order = (a: number, b: number) => (files[a]! < files[b]! ? -1 : files[a]! > files[b]! ? 1 : 0);
  let reports: FileReport[];
  try {
    // A folder's configuration is the one a file directly inside it would get.
    collectFiles(targets, options.cwd, (dir) => configFor(path.join(dir, '_')), onFile, onUnreadable);
    if (broken) throw broken.error;
    const byName = files.map((_, i) => i).sort(order);
    if (!poolTried && workers && poolSize(files.length) > 0) startPool();
    let linted: Array<FileReport | undefined>;
    if (pool) {
      const done = await pool.finish();
      linted = byName.map((i) => done[i]);
    } else {
      linted = byName.map((i) => lintFileForCli(files[i]!, configs[i]!, named.has(files[i]!), lintOptions, roots[i]!));
    }
    reports = linted.filter((r): r is FileReport => r !== undefined);
    if (unreadableFolders.length) reports = [...reports, ...unreadableFolders].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  } finally {
    await pool?.close();
  }
  return reports;
}

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * Expands the command line into files, each handed to `onFile` as it is found (a file may come more
 * than once): named files always, folders walked, globs expanded. `root` is the folder the file's
 * lint may read layouts and partials from (host/roots.ts, cliRoot).
 */
function collectFiles(targets: readonly string[], cwd: string, configFor: (dir: string) => ResolvedConfig, onFile: (file: string, root: string) => void, onUnreadable: (dir: string, detail: string) => void): void {
  for (const target of targets) {
    const abs = path.resolve(cwd, target);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      onFile(abs, cliRoot(abs, false, cwd));
    } else if (stat?.isDirectory()) {
      // The walk takes the folder's configuration for the whole tree; each file is linted with its own.
      const config = configFor(abs);
      const root = cliRoot(abs, true, cwd);
      for (const step of walkFiles(abs, { configFor: () => config })) {
        if ('file' in step) onFile(step.file, root);
        else if ('unreadableFolder' in step) onUnreadable(step.unreadableFolder, step.detail);
      }
    } else if (GLOB_CHARS.test(target)) {
      const { root: base, found } = expandGlob(target, cwd, onUnreadable);
      if (!found.length) throw new UsageError(`No files matching the pattern "${target}" were found.`);
      const root = cliRoot(base, true, cwd);
      for (const f of found) onFile(path.resolve(f), root);
    } else {
      throw new UsageError(`No such file or folder: ${target}`);
    }
  }
}

/**
 * Whether files below the folder `rel` (relative to the glob's base) could match `glob`: always
 * with `**`; otherwise only above the glob's depth (`*.html` looks in no subfolder). A folder
 * that cannot be read is reported only where it could have hidden a match.
 */
function couldHoldMatches(glob: string, rel: string): boolean {
  if (glob.includes('**')) return true;
  const depth = rel ? rel.split(path.sep).length : 0;
  return depth < glob.split('/').length;
}

/** Files matching a glob, walked from the glob's literal leading folders (node_modules etc. skipped). */
function expandGlob(pattern: string, cwd: string, onUnreadable: (dir: string, detail: string) => void): { root: string; found: string[] } {
  const { base, glob: rest } = picomatch.scan(pattern);
  const root = path.resolve(cwd, base || '.');
  const isMatch = picomatch(rest, { dot: false });
  const ignore: ResolvedConfig = { ...defaultConfig(), files: ['**/*'], ignore: DEFAULT_IGNORE, root };
  const found: string[] = [];
  for (const step of walkFiles(root, { configFor: () => ignore })) {
    if ('file' in step && isMatch(path.relative(root, step.file).split(path.sep).join('/'))) found.push(step.file);
    else if ('unreadableFolder' in step && couldHoldMatches(rest, path.relative(root, step.unreadableFolder))) onUnreadable(step.unreadableFolder, step.detail);
  }
  return { root, found };
}

function configProblemText(file: string, text: string, problems: Array<{ start: number; message: string }>): string {
  const mapper = new PositionMapper(text);
  return problems
    .map((p) => {
      const pos = mapper.positionAt(p.start);
      return escapeControl(`${file}:${pos.line + 1}:${pos.character + 1}: ${p.message}`);
    })
    .join('\n');
}
