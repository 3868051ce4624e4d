// What every handler of the language server shares: the connection, the open documents, the
// workspace folders, the settings per scope and the configuration they resolve to. No linting here.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageType, ShowMessageNotification, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES, defaultConfig, mergeConfig } from '../core/config';
import type { FileReader, Locale, ResolvedConfig } from '../core/types';
import { ConfigResolver } from '../host/config';
import { cachingReader, nodeReader, viewsOf } from '../host/files';
import { includeRootsOf, ReadRoots, repositoryRoot } from '../host/roots';
import { PositionMapper } from '../core/position';
import { linter } from '../linter';
import { CampaignIndex } from './campaignIndex';
import { IncludeGraph } from './includeGraph';
import { WorkspaceSets } from './infraSets';
import { defaultServerSettings, readSettings, type ServerSettings } from './settings';

export const SECTION = 'deliverlint';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const pathToUri = (p: string): string => pathToFileURL(p).href;

export function isConfigFile(filePath: string | undefined): boolean {
  return !!filePath && (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(filePath));
}

/** What the client said it can do, from `initialize`. */
export interface ClientAbilities {
  pullConfiguration: boolean;
  registerWatchers: boolean;
  registerConfigChange: boolean;
  watchFolders: boolean;
  documentChanges: boolean;
  /** window/showDocument: the client opens a URL the server asks it to (the rule's page). */
  showDocument: boolean;
}

export class Session {
  locale: Locale = 'en';
  folders: string[] = [];
  abilities: ClientAbilities = { pullConfiguration: false, registerWatchers: false, registerConfigChange: false, watchFolders: false, documentChanges: false, showDocument: false };
  shuttingDown = false;
  /**
   * The client said the workspace is trusted (initializationOptions.workspaceTrusted). Until then
   * the rc file's includeRoots is ignored: a cloned repository must not widen what is read.
   */
  trusted = false;
  /** Root sets by their folders, and the rc files whose includeRoots were ignored (logged once). */
  private readonly rootSets = new Map<string, ReadRoots>();
  private readonly ignoredIncludeRoots = new Set<string>();
  /** Rc files are checked against the registry's rule ids; the locale is set at initialize. */
  readonly resolver = new ConfigResolver({ ruleIds: linter.rules.map((r) => r.meta.id) });
  /**
   * The client's editor reports JSON syntax errors of open rc files itself (VS Code's JSON language
   * service does, from the initialization option `jsonSyntaxInEditor`), so the server leaves those
   * to it: one problem, one diagnostic.
   */
  jsonSyntaxInEditor = false;
  /** The official MJML extension is installed in the client's editor (protocol.ts MJML_EXTENSION_METHOD). */
  mjmlExtension = false;
  /** Which emails use which layouts and partials, from every lint the server ran. */
  readonly includes = new IncludeGraph();
  /** Which campaign files name which template, and with what subject (title-missing's fixes on the template). */
  readonly campaigns = new CampaignIndex();
  /** The configuration sets the workspace's infrastructure defines, and the payloads that name one. */
  readonly sets = new WorkspaceSets();
  /** Settings pushed with didChangeConfiguration, for clients that cannot be asked. */
  private pushedSettings: unknown;
  /** Settings per document (or folder) URI, until the next didChangeConfiguration. */
  private readonly settingsCache = new Map<string, Promise<ServerSettings>>();

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
  ) {
    // The output channel says which rc files were read, and what is wrong in each.
    this.resolver.onLoad = (loaded) => {
      if ('error' in loaded) {
        this.connection.console.error(`Configuration file ${loaded.path} cannot be read: ${loaded.error}. Defaults apply.`);
        return;
      }
      this.log(`Read configuration file ${loaded.path}${loaded.problems.length ? ` (${loaded.problems.length} problem(s))` : ''}.`);
      const positions = new PositionMapper(loaded.text);
      for (const p of loaded.problems) {
        const at = positions.positionAt(p.start);
        this.connection.console.error(`${loaded.path}:${at.line + 1}:${at.character + 1}: ${p.message}`);
      }
    };
  }

  log(msg: string): void {
    this.connection.console.log(msg);
  }

  logError(msg: string, err?: unknown): void {
    this.connection.console.error(err === undefined ? msg : `${msg}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }

  folderFor(filePath: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      const rel = path.relative(f, filePath);
      const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
      if (!outside && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  openUriForPath(filePath: string): string | undefined {
    for (const doc of this.documents.all()) if (uriToPath(doc.uri) === filePath) return doc.uri;
    return undefined;
  }

  getSettings(scopeUri: string): Promise<ServerSettings> {
    let cached = this.settingsCache.get(scopeUri);
    if (!cached) {
      cached = this.abilities.pullConfiguration
        ? this.pulledSettings(scopeUri).then(
            (raw: unknown) => this.checked(readSettings(raw ?? this.pushedSettings, this.resolver.options)),
            (err: unknown) => {
              this.logError('Could not read the deliverlint settings; using defaults', err);
              return this.pushedSettings === undefined ? defaultServerSettings() : this.checked(readSettings(this.pushedSettings, this.resolver.options));
            },
          )
        : Promise.resolve(this.checked(readSettings(this.pushedSettings, this.resolver.options)));
      this.settingsCache.set(scopeUri, cached);
    }
    return cached;
  }

  /** Settings problems already shown: each once a session, not once a document. */
  private readonly shownSettingsProblems = new Set<string>();

  /** Says what is wrong in the settings (an unknown rule id ...): in the log and as an error message. */
  private checked(settings: ServerSettings): ServerSettings {
    for (const problem of settings.problems) {
      if (this.shownSettingsProblems.has(problem)) continue;
      this.shownSettingsProblems.add(problem);
      this.connection.console.error(`Settings: ${problem}`);
      void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: problem });
    }
    return settings;
  }

  /** The `deliverlint` settings as the client gives them, uncached (the domain check reads its own keys). */
  rawSettings(scopeUri: string | undefined): Promise<unknown> {
    if (!this.abilities.pullConfiguration) return Promise.resolve(this.pushedSettings);
    return this.pulledSettings(scopeUri).then((raw) => raw ?? this.pushedSettings);
  }

  /** How long a workspace/configuration request may go unanswered before the pushed settings (or the defaults) apply. */
  configurationTimeoutMs = 5000;
  private configurationTimeoutLogged = false;

  /**
   * The client's answer to workspace/configuration. A client that says it answers and never does
   * (a plugin that swallows the request) must not stop linting: after configurationTimeoutMs the
   * answer is undefined, and the settings pushed with didChangeConfiguration or
   * initializationOptions.settings apply, else the defaults. Null (the client has no such section,
   * as Neovim answers) also falls back to those.
   */
  private pulledSettings(scopeUri: string | undefined): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        if (!this.configurationTimeoutLogged) {
          this.configurationTimeoutLogged = true;
          this.log(`The client did not answer workspace/configuration within ${this.configurationTimeoutMs} ms: using the settings it pushed, else the defaults.`);
        }
        resolve(undefined);
      }, this.configurationTimeoutMs);
    });
    const asked = this.connection.workspace.getConfiguration({ scopeUri, section: SECTION }) as Promise<unknown>;
    return Promise.race([asked, timeout]).finally(() => clearTimeout(timer));
  }

  forgetSettings(scopeUri?: string): void {
    if (scopeUri === undefined) {
      this.settingsCache.clear();
      // Changed settings: a problem that comes back is worth saying again.
      this.shownSettingsProblems.clear();
    } else this.settingsCache.delete(scopeUri);
  }

  /**
   * Settings pushed by the client (didChangeConfiguration's `deliverlint` section, or
   * initializationOptions.settings): all a client that cannot be asked gives, and what applies
   * when one that can be asked has no answer.
   */
  pushSettings(settings: unknown): void {
    this.pushedSettings = settings;
  }

  /** Defaults -> nearest .deliverlintrc.json -> editor settings. */
  configFor(filePath: string | undefined, settings: ServerSettings): ResolvedConfig {
    const config = filePath ? this.resolver.configFor(filePath, settings.layer, this.folderFor(filePath)) : { ...mergeConfig(defaultConfig(), settings.layer), root: this.folders[0] };
    return this.mjmlValidationLeftOut(settings, config) ? { ...config, rules: { ...config.rules, 'mjml-invalid': 'off' } } : config;
  }

  /**
   * Whether mjml-invalid is off because of deliverlint.mjml.validate: "never", or "auto" beside the
   * official MJML extension (which reports the same errors) unless the rc file or the settings name
   * the rule's severity themselves.
   */
  mjmlValidationLeftOut(settings: ServerSettings, config: ResolvedConfig): boolean {
    if (settings.mjmlValidate === 'never') return true;
    return settings.mjmlValidate === 'auto' && this.mjmlExtension && config.rules['mjml-invalid'] === undefined;
  }

  private rootSet(dirs: string[]): ReadRoots {
    const key = dirs.join('\0');
    let set = this.rootSets.get(key);
    if (!set) {
      if (this.rootSets.size >= 256) this.rootSets.clear();
      set = new ReadRoots(dirs);
      this.rootSets.set(key, set);
    }
    return set;
  }

  /**
   * What the lint of `filePath` may read: the workspace folder that holds it (a file outside every
   * folder: its repository, else its own folder), and, in a trusted workspace, the folders the
   * configuration's includeRoots lists.
   */
  rootsFor(filePath: string, config: ResolvedConfig): ReadRoots {
    const folder = this.folderFor(filePath) ?? repositoryRoot(path.dirname(filePath)) ?? path.dirname(filePath);
    const extra = config.includeRoots?.length ? includeRootsOf(config, folder) : [];
    if (extra.length && !this.trusted) {
      const where = config.root ?? folder;
      if (!this.ignoredIncludeRoots.has(where)) {
        this.ignoredIncludeRoots.add(where);
        this.log(`includeRoots of the configuration in ${where} is ignored: the workspace is not trusted (Restricted Mode). Files outside the workspace folder are not read.`);
      }
      return this.rootSet([folder]);
    }
    return this.rootSet([folder, ...extra]);
  }

  /** Every workspace folder: what a read outside any one lint may reach (go to definition). */
  private allRoots(): ReadRoots {
    return this.rootSet(this.folders);
  }

  /**
   * A reader over `base` that stays in the workspace: by itself inside the workspace folders, and
   * for a lint (`forFile`, asked by the engine) inside that file's roots.
   */
  workspaceReader(base: FileReader): FileReader {
    const views = viewsOf(base);
    const all = () => views(this.allRoots());
    return {
      stable: base.stable,
      readFile: (p) => all().readFile(p),
      listDir: (p) => all().listDir?.(p),
      outside: (p) => all().outside?.(p) ?? false,
      forFile: (filePath, config) => views(this.rootsFor(filePath, config)),
    };
  }

  /**
   * Files a lint reads (mj-include partials, a campaign's template) come from the editor when open,
   * so unsaved edits count; otherwise from disk. Only inside the workspace (workspaceReader).
   */
  readonly openFirstReader: FileReader = this.workspaceReader({
    readFile: (p: string) => this.documents.get(pathToUri(p))?.getText() ?? nodeReader.readFile(p),
    // Go templates find their {{define}}s in the files beside them, as the CLI does.
    listDir: (p: string) => nodeReader.listDir?.(p),
  });
}

/**
 * The reader of one batch of lints in the server (the emails of an edited partial, a stretch of the
 * workspace scan), as the CLI's reader of one run (host/files.ts, cachingReader): open documents'
 * unsaved text first, as every lint in the server; each folder listed, and each closed part read,
 * once for the batch, and the lookups remembered. Without it 1,000 emails of one folder listed the
 * same folders 1,000 times: three quarters of the run (bench/, composition.dependentsP95Ms). A change
 * to a file read here queues the emails that use it: those of this batch restart the run, the others
 * are in the next batch, which gets a new reader.
 */
export function batchReader(session: Session): FileReader {
  return session.workspaceReader(cachingReader({ maxChars: 16 * 1024 * 1024, maxFiles: 4096, first: (p) => session.documents.get(pathToUri(p))?.getText() }));
}
