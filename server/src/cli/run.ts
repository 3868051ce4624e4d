// A lint over command-line arguments (files, folders, globs), returning each file's report: the
// code path of `deliverlint [files...]`, kept free of printing and exit codes so that other front
// ends (the library API) run the very same lint.

import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_IGNORE, defaultConfig, mergeConfig, type ConfigLayer } from '../core/config';
import { interpolate, term } from '../core/messages';
import { PositionMapper } from '../core/position';
import type { Locale, ResolvedConfig, RuleSetting } from '../core/types';
import { linter } from '../linter';
import { ConfigResolver, loadConfigFile, type LoadedConfigFile } from '../host/config';
import { IGNORE_FILE_NAME, loadIgnoreFile, type IgnoreList } from '../host/ignoreFile';
import { walkFiles } from '../host/walk';
import { cliRoot } from '../host/roots';
import { configurationSetsOf, lintFileForCli, mayNameOrDefineSets } from './lintFile';
import { LintPool, MIN_FILES_FOR_WORKERS, poolSize } from './pool';
import { fileReport, type FileReport } from './formatters';
import { escapeControl } from './escape';

import { UsageError } from './usageError';

export { UsageError };

export interface LintRunOptions {
  locale: Locale;
  fix: boolean;
  /** Relative targets, `config`, `ignorePath` and the ignore file are taken from here (default: the process's). */
  cwd?: string;
  /** Lint on worker threads once there are enough files (default true; never with fix). */
  workers?: boolean;
  /** A configuration file used for every file instead of the .deliverlintrc.json lookup. */
  config?: string;
  /** --rule ID=SEVERITY, over every configuration file. */
  rules?: Record<string, RuleSetting>;
  /** The ignore file to read instead of .deliverlintignore in the current folder. */
  ignorePath?: string;
  /** --no-ignore: read no ignore file. */
  noIgnore?: boolean;
  /** Give each finding its fix as an offset range, as ESLint's reports have them. */
  fixRanges?: boolean;
}

/** The configuration each file gets, with the rc file it came from (for --print-config). */
export interface ConfigLookup {
  configFor(filePath: string): ResolvedConfig;
  /** The rc file for `filePath` (the --config file when given), if any. */
  rcFor(filePath: string): LoadedConfigFile | undefined;
}

export function configLookup(opts: Pick<LintRunOptions, 'locale' | 'config' | 'rules' | 'cwd'>): ConfigLookup {
  const checks = { ruleIds: linter.rules.map((r) => r.meta.id), locale: opts.locale };
  const resolver = new ConfigResolver(checks);
  const ruleOptions = opts.rules ?? {};
  // --rule goes over whichever configuration a file gets.
  const withRuleOptions = (config: ResolvedConfig): ResolvedConfig =>
    Object.keys(ruleOptions).length ? { ...config, rules: { ...config.rules, ...ruleOptions } } : config;
  let fixed: { config: ResolvedConfig; rc: LoadedConfigFile } | undefined;
  if (opts.config) {
    const file = path.resolve(opts.cwd ?? process.cwd(), opts.config);
    let loaded;
    try {
      loaded = loadConfigFile(file, checks);
    } catch (err) {
      throw new UsageError(`Cannot read the configuration file ${opts.config}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (loaded.problems.length) throw new UsageError(configProblemText(loaded.path, loaded.text, loaded.problems));
    fixed = { config: withRuleOptions({ ...mergeConfig(defaultConfig(), loaded.layer), root: path.dirname(file) }), rc: loaded };
  }
  const reportedBadConfigs = new Set<string>();
  // The configuration depends on the folder only; one object per folder (the lint pool sends each once).
  const byFolder = new Map<string, ResolvedConfig>();
  const rcFor = (filePath: string): LoadedConfigFile | undefined => {
    if (fixed) return fixed.rc;
    const rc = resolver.fileFor(path.dirname(filePath));
    if (rc && !reportedBadConfigs.has(rc.path)) {
      if ('error' in rc) throw new UsageError(`Cannot read the configuration file ${rc.path}: ${rc.error}`);
      if (rc.problems.length) throw new UsageError(configProblemText(rc.path, rc.text, rc.problems));
      reportedBadConfigs.add(rc.path);
    }
    return rc && 'layer' in rc ? rc : undefined;
  };
  return {
    rcFor,
    configFor(filePath) {
      if (fixed) return fixed.config;
      const dir = path.dirname(filePath);
      const known = byFolder.get(dir);
      if (known) return known;
      rcFor(filePath);
      const config = withRuleOptions(resolver.configFor(filePath));
      byFolder.set(dir, config);
      return config;
    },
  };
}

/** The --rule options as a configuration layer (what --print-config names as their source). */
export function ruleLayer(rules: Record<string, RuleSetting> | undefined): ConfigLayer {
  return rules && Object.keys(rules).length ? { rules: { ...rules } } : {};
}

/**
 * The ignore list of the run: --ignore-path's file, else `.deliverlintignore` in the current folder
 * (the root of the run), else none; none at all with --no-ignore.
 */
export function ignoreListFor(opts: Pick<LintRunOptions, 'ignorePath' | 'noIgnore'>, cwd = process.cwd()): IgnoreList | undefined {
  if (opts.noIgnore) return undefined;
  const file = opts.ignorePath !== undefined ? path.resolve(cwd, opts.ignorePath) : path.join(cwd, IGNORE_FILE_NAME);
  if (opts.ignorePath === undefined && !fs.existsSync(file)) return undefined;
  try {
    return loadIgnoreFile(file);
  } catch (err) {
    throw new UsageError(`Cannot read the ignore file ${escapeControl(opts.ignorePath ?? IGNORE_FILE_NAME)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const GLOB_CHARS = /[*?[\]{}!]/;

type Ignored = (absPath: string, isFolder: boolean) => boolean;

/**
 * Expands the command line into files, each handed to `onFile` as it is found (a file may come more
 * than once): named files always, folders walked, globs expanded. `root` is the folder the file's
 * lint may read layouts and partials from (host/roots.ts, cliRoot).
 */
function collectFiles(cwd: string, targets: readonly string[], configFor: (dir: string) => ResolvedConfig, ignored: Ignored | undefined, onFile: (file: string, root: string) => void, onUnreadable: (dir: string, detail: string) => void): void {
  for (const target of targets) {
    const abs = path.resolve(cwd, target);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      onFile(abs, cliRoot(abs, false));
    } else if (stat?.isDirectory()) {
      // The walk takes the folder's configuration for the whole tree; each file is linted with its own.
      const config = configFor(abs);
      const root = cliRoot(abs, true);
      for (const step of walkFiles(abs, { configFor: () => config, ignored })) {
        if ('file' in step) onFile(step.file, root);
        else if ('unreadableFolder' in step) onUnreadable(step.unreadableFolder, step.detail);
      }
    } else if (GLOB_CHARS.test(target)) {
      const { root: base, found } = expandGlob(cwd, target, ignored, onUnreadable);
      if (!found.length) throw new UsageError(`No files matching the pattern "${target}" were found.`);
      const root = cliRoot(base, true);
      for (const f of found) onFile(path.resolve(cwd, f), root);
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
function expandGlob(cwd: string, pattern: string, ignored: Ignored | undefined, onUnreadable: (dir: string, detail: string) => void): { root: string; found: string[] } {
  const { base, glob: rest } = picomatch.scan(pattern);
  const root = path.resolve(cwd, base || '.');
  const isMatch = picomatch(rest, { dot: false });
  const ignore: ResolvedConfig = { ...defaultConfig(), files: ['**/*'], ignore: DEFAULT_IGNORE, root };
  const found: string[] = [];
  for (const step of walkFiles(root, { configFor: () => ignore, ignored })) {
    if ('file' in step && isMatch(path.relative(root, step.file).split(path.sep).join('/'))) found.push(step.file);
    else if ('unreadableFolder' in step && couldHoldMatches(rest, path.relative(root, step.unreadableFolder))) onUnreadable(step.unreadableFolder, step.detail);
  }
  return { root, found };
}

/**
 * Lints what `targets` name (files, folders, globs; none means the current folder) and returns each
 * file's report in path order. Throws UsageError for bad arguments or a broken configuration.
 * A file named on the command line that the ignore file covers is not linted; its report holds one
 * warning saying so (as ESLint does), so that it is never silently left out.
 */
export async function lintTargets(targets: readonly string[], opts: LintRunOptions): Promise<FileReport[]> {
  const lookup = configLookup(opts);
  const configFor = lookup.configFor;
  const cwd = opts.cwd ?? process.cwd();
  const ignoreList = ignoreListFor(opts, cwd);
  const workers = opts.workers !== false && !opts.fix;
  const ignored: Ignored | undefined = ignoreList ? (p, isFolder) => ignoreList.ignores(p, isFolder) : undefined;
  if (!targets.length) targets = ['.'];
  const lintOptions = { locale: opts.locale, fix: opts.fix, fixRanges: !!opts.fixRanges };
  const named = new Set(targets.map((t) => path.resolve(cwd, t)));
  // --fix stays on one thread: fixing writes files that other files' lints read (a campaign's
  // template, an mj-include partial), so in parallel a lint could read a half-written file.
  // Once the walk has found enough files for workers, they start, and each file found from then
  // on is queued at once: loading the bundle in each thread and linting overlap the rest of the
  // walk. (Started before any walk, they cost a small folder a fifth of a second.)
  const files: string[] = [];
  const configs: ResolvedConfig[] = [];
  const roots: string[][] = [];
  const seen = new Set<string>();
  const ignoredNamed: FileReport[] = [];
  // A broken rc file stops the run, as the first file under it in sorted order would on one thread.
  let broken: { file: string; error: unknown } | undefined;
  let pool: LintPool | undefined;
  let poolTried = false;
  // Files that may define or name a configuration set (JSON, YAML, Terraform) wait for the end of the
  // walk: the sets the run's infrastructure defines are collected first (configurationSetsOf), then
  // they are linted with them (configuration-set-unknown). Templates go to the workers at once.
  const jobOf: number[] = [];
  const held: number[] = [];
  const queue = (i: number) => {
    if (mayNameOrDefineSets(files[i]!)) held.push(i);
    else jobOf[i] = pool!.add(files[i]!, configs[i]!, named.has(files[i]!), roots[i]!);
  };
  const startPool = () => {
    poolTried = true;
    pool = LintPool.start(lintOptions);
    for (let i = 0; pool && i < files.length; i++) queue(i);
  };
  const onFile = (file: string, root: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (ignoreList && named.has(file) && ignoreList.ignores(file, false)) {
      const message = interpolate(term('cli.fileIgnored', 'File ignored because of a matching pattern in {ignoreFile}. Use --no-ignore to lint it.', opts.locale), { ignoreFile: path.relative(cwd, ignoreList.file) || ignoreList.file });
      ignoredNamed.push({ filePath: file, findings: [{ ruleId: '', severity: 'warning', message, line: 1, column: 1, endLine: 1, endColumn: 1, messageId: 'fileIgnored', fixable: false }] });
      return;
    }
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
    if (pool) queue(files.length - 1);
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
    const findings = linter.unreadableResult('html', 'folder', config, opts.locale, detail).findings;
    if (findings.length) unreadableFolders.push(fileReport(dir, '', findings));
  };
  const order = (a: number, b: number) => (files[a]! < files[b]! ? -1 : files[a]! > files[b]! ? 1 : 0);
  let reports: FileReport[];
  try {
    // A folder's configuration is the one a file directly inside it would get.
    collectFiles(cwd, targets, (dir) => configFor(path.join(dir, '_')), ignored, onFile, onUnreadable);
    if (broken) throw broken.error;
    const byName = files.map((_, i) => i).sort(order);
    if (!poolTried && workers && poolSize(files.length) > 0) startPool();
    const sets = configurationSetsOf(files);
    let linted: Array<FileReport | undefined>;
    if (pool) {
      const p: LintPool = pool;
      p.setConfigurationSets(sets);
      for (const i of held) jobOf[i] = p.add(files[i]!, configs[i]!, named.has(files[i]!), roots[i]!);
      const done = await p.finish();
      linted = byName.map((i) => done[jobOf[i]!]);
    } else {
      linted = byName.map((i) => lintFileForCli(files[i]!, configs[i]!, named.has(files[i]!), lintOptions, roots[i]!, sets));
    }
    reports = linted.filter((r): r is FileReport => r !== undefined);
    const extra = [...unreadableFolders, ...ignoredNamed];
    if (extra.length) reports = [...reports, ...extra].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  } finally {
    await pool?.close();
  }
  return reports;
}

export function configProblemText(file: string, text: string, problems: Array<{ start: number; message: string }>): string {
  const mapper = new PositionMapper(text);
  return problems
    .map((p) => {
      const pos = mapper.positionAt(p.start);
      return escapeControl(`${file}:${pos.line + 1}:${pos.character + 1}: ${p.message}`);
    })
    .join('\n');
}
