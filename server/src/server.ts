// The Deliverlint language server: LSP wiring only. Linting is the core's; the conversions live in
// lsp/. Runs over stdio (--stdio) or node IPC (what the VS Code client uses); createConnection()
// picks the transport from the command line.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES, DEFAULT_FILES, defaultConfig, mergeConfig, parseConfigText } from './core/config';
import { linter } from './linter';
import { resolveLocale } from './core/messages';
import type { FileReader, LintRequest, Locale, ResolvedConfig } from './core/types';
import { CAMPAIGN_FILE } from './core/parse/campaign';
import { ConfigResolver } from './host/config';
import { nodeReader } from './host/files';
import { registerCheckDomain } from './lsp/checkDomain';
import { codeActionsFor, FIX_ALL_KIND } from './lsp/codeActions';
import { configProblemDiagnostics, configUnreadableDiagnostic, lintFailedDiagnostic, toDiagnostics } from './lsp/diagnostics';
import { defaultServerSettings, readSettings, type ServerSettings } from './lsp/settings';
import { isIgnored, isTemplatePath, lintFromDisk, scanFolder } from './lsp/workspaceScan';
import { TEMPLATE_LANGUAGES as TEMPLATE_LANGUAGE_IDS } from './protocol';

const SERVER_VERSION = '0.1.0';
const SECTION = 'deliverlint';
/** Languages VS Code gives email templates; other files are linted when they match the `files` globs. */
const TEMPLATE_LANGUAGES = new Set(TEMPLATE_LANGUAGE_IDS);

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const resolver = new ConfigResolver();

let locale: Locale = 'en';
let folders: string[] = [];
let canPullConfiguration = false;
let canRegisterWatchers = false;
let canRegisterConfigChange = false;
let canWatchFolders = false;
let takesDocumentChanges = false;
/** Settings pushed with didChangeConfiguration, for clients that cannot be asked. */
let pushedSettings: unknown;
let shuttingDown = false;

/** Settings per document (or folder) URI, until the next didChangeConfiguration. */
const settingsCache = new Map<string, Promise<ServerSettings>>();
const lintTimers = new Map<string, NodeJS.Timeout>();
/** The version each document was opened with: onDidChangeContent fires for the open too. */
const openedVersion = new Map<string, number>();
/** Files with diagnostics from the background scan or a disk lint: path -> published URI. */
const diskDiagnostics = new Map<string, string>();
/** rc files we have published problems for: path -> signature of what was published. */
const configDiagnostics = new Map<string, string>();
let scanGeneration = 0;

const log = (msg: string) => connection.console.log(msg);
const logError = (msg: string, err?: unknown) =>
  connection.console.error(err === undefined ? msg : `${msg}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);

// A bug in one handler must never take the server down: log it and keep serving.
process.on('uncaughtException', (err) => logError('Uncaught exception', err));
process.on('unhandledRejection', (err) => logError('Unhandled rejection', err));

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

const pathToUri = (p: string) => pathToFileURL(p).href;

function folderFor(filePath: string): string | undefined {
  let best: string | undefined;
  for (const f of folders) {
    const rel = path.relative(f, filePath);
    const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
    if (!outside && (!best || f.length > best.length)) best = f;
  }
  return best;
}

function openUriForPath(filePath: string): string | undefined {
  for (const doc of documents.all()) if (uriToPath(doc.uri) === filePath) return doc.uri;
  return undefined;
}

// ---- settings and configuration ------------------------------------------------------------

function getSettings(scopeUri: string): Promise<ServerSettings> {
  let cached = settingsCache.get(scopeUri);
  if (!cached) {
    cached = canPullConfiguration
      ? connection.workspace.getConfiguration({ scopeUri, section: SECTION }).then(readSettings, (err: unknown) => {
          logError('Could not read the deliverlint settings; using defaults', err);
          return defaultServerSettings();
        })
      : Promise.resolve(readSettings(pushedSettings));
    settingsCache.set(scopeUri, cached);
  }
  return cached;
}

/** Defaults -> nearest .deliverlintrc.json -> editor settings. */
function configFor(filePath: string | undefined, settings: ServerSettings): ResolvedConfig {
  if (filePath) return resolver.configFor(filePath, settings.layer, folderFor(filePath));
  return { ...mergeConfig(defaultConfig(), settings.layer), root: folders[0] };
}

function isConfigFile(filePath: string | undefined): boolean {
  return !!filePath && (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(filePath));
}

/** Problems of an rc file as it is on disk; none when it is gone. */
function diskConfigDiagnostics(rcPath: string): Diagnostic[] {
  try {
    const text = fs.readFileSync(rcPath, 'utf8');
    return configProblemDiagnostics(text, parseConfigText(text).problems, TextDocument.create(pathToUri(rcPath), 'jsonc', 0, text));
  } catch {
    // Deleted or unreadable: the files it configured fall back to another rc or the defaults.
    return [];
  }
}

/** Publishes (or clears) the problems of the rc file that applies to `filePath`. */
function reportConfigFile(filePath: string | undefined): void {
  if (!filePath) return;
  const rc = resolver.fileFor(path.dirname(filePath));
  if (!rc) return;
  let diagnostics: Diagnostic[];
  if ('error' in rc) {
    diagnostics = [configUnreadableDiagnostic(rc.error, locale)];
  } else {
    diagnostics = configProblemDiagnostics(rc.text, rc.problems, TextDocument.create(pathToUri(rc.path), 'jsonc', 0, rc.text));
  }
  publishConfigDiagnostics(rc.path, diagnostics);
}

function publishConfigDiagnostics(rcPath: string, diagnostics: Diagnostic[]): void {
  // An rc file open in the editor shows the problems of its current text instead (diagnosticsFor).
  if (openUriForPath(rcPath)) return;
  const signature = JSON.stringify(diagnostics);
  const previous = configDiagnostics.get(rcPath);
  if (!diagnostics.length) {
    if (previous === undefined) return;
    configDiagnostics.delete(rcPath);
  } else {
    if (previous === signature) return;
    configDiagnostics.set(rcPath, signature);
  }
  void connection.sendDiagnostics({ uri: pathToUri(rcPath), diagnostics });
}

/** After rc files changed on disk: re-read the ones we reported, clearing those now fine or gone. */
function refreshConfigDiagnostics(): void {
  for (const rcPath of [...configDiagnostics.keys()]) publishConfigDiagnostics(rcPath, diskConfigDiagnostics(rcPath));
}

// ---- linting open documents ----------------------------------------------------------------

/** Whether a document is one of ours: a template language or the `files` globs, and not ignored. */
function isLintable(doc: TextDocument, filePath: string | undefined, config: ResolvedConfig): boolean {
  if (!doc.uri.startsWith('file:') && !doc.uri.startsWith('untitled:')) return false;
  if (filePath && isIgnored(filePath, config)) return false;
  if (TEMPLATE_LANGUAGES.has(doc.languageId)) return true;
  return !!filePath && isTemplatePath(filePath, config);
}

function requestFor(doc: TextDocument, filePath: string | undefined, config: ResolvedConfig): (text: string) => LintRequest {
  return (text) => ({ text, filePath, languageId: doc.languageId, config, locale, reader: openFirstReader });
}

/** Lints the document as it is now and publishes, unless a newer version arrived meanwhile. */
async function validateOpen(uri: string): Promise<void> {
  try {
    const doc = documents.get(uri);
    if (!doc || shuttingDown) return;
    const version = doc.version;
    const settings = await getSettings(uri);
    const current = documents.get(uri);
    // Superseded: the lint scheduled for the newer version publishes instead.
    if (!current || current.version !== version || shuttingDown) return;
    const started = performance.now();
    const diagnostics = diagnosticsFor(current, settings);
    markBusy(started);
    void connection.sendDiagnostics({ uri, version, diagnostics });
  } catch (err) {
    logError(`Linting ${uri} failed`, err);
  }
}

/**
 * The last stretch of synchronous work on this thread (an open document's lint, a slice of the
 * background scan). Messages that arrive meanwhile wait in the pipe and are read just after it.
 */
let busy = { start: 0, end: 0 };
function markBusy(start: number): void {
  busy = { start, end: performance.now() };
}

/** How long to wait before linting after a change read now. */
function lintDelayFrom(now: number, lintDelay: number): number {
  // A change read right after a busy stretch most likely arrived during it: count the delay from
  // the stretch's start, so the time it waited is not added to the delay. (Measured: without this,
  // keystrokes that land during a lint see lintDelay plus up to twice the lint time; bench/lsp.ts.)
  const arrived = now - busy.end < 5 ? Math.max(busy.start, now - lintDelay) : now;
  return Math.max(0, arrived + lintDelay - now);
}

function diagnosticsFor(doc: TextDocument, settings: ServerSettings): Diagnostic[] {
  const filePath = uriToPath(doc.uri);
  try {
    if (!settings.enable) return [];
    // An open rc file gets the problems of its unsaved text as you type; templates use the saved one.
    if (isConfigFile(filePath)) return configProblemDiagnostics(doc.getText(), parseConfigText(doc.getText()).problems, doc);
    const config = configFor(filePath, settings);
    reportConfigFile(filePath);
    if (!isLintable(doc, filePath, config)) return [];
    const result = linter.lint(requestFor(doc, filePath, config)(doc.getText()));
    return toDiagnostics(result.findings, doc, doc.version);
  } catch (err) {
    logError(`Linting ${doc.uri} failed`, err);
    return [lintFailedDiagnostic(err, locale)];
  }
}

function scheduleValidation(uri: string): void {
  void getSettings(uri)
    .then((settings) => {
      if (!documents.get(uri) || shuttingDown) return;
      // A lint is already due and will read the newest text: typing must not push it back. (It
      // used to restart the delay on every keystroke, so someone typing a key every 50 ms under the
      // 100 ms default saw no diagnostics until they paused; see docs/benchmarks.md.)
      if (lintTimers.has(uri)) return;
      lintTimers.set(
        uri,
        setTimeout(() => {
          lintTimers.delete(uri);
          void validateOpen(uri);
        }, lintDelayFrom(performance.now(), settings.lintDelay)),
      );
    })
    .catch((err: unknown) => logError(`Scheduling a lint of ${uri} failed`, err));
}

/**
 * Files a lint reads (mj-include partials, a campaign's template) come from the editor when open,
 * so unsaved edits count; otherwise from disk.
 */
const openFirstReader: FileReader = {
  readFile(p: string) {
    return documents.get(pathToUri(p))?.getText() ?? nodeReader.readFile(p);
  },
};

/** Campaign files show their template's errors: relint the open ones when another file changes. */
function relintOpenCampaigns(changedUri: string): void {
  for (const doc of documents.all()) {
    if (doc.uri !== changedUri && CAMPAIGN_FILE.test(doc.uri)) scheduleValidation(doc.uri);
  }
}

function relintOpenDocuments(): void {
  for (const doc of documents.all()) void validateOpen(doc.uri);
}

documents.onDidOpen(({ document }) => {
  openedVersion.set(document.uri, document.version);
  const filePath = uriToPath(document.uri);
  // The open document's diagnostics replace the ones the scan published for the file.
  const scannedUri = filePath && diskDiagnostics.get(filePath);
  if (filePath) diskDiagnostics.delete(filePath);
  if (scannedUri && scannedUri !== document.uri) void connection.sendDiagnostics({ uri: scannedUri, diagnostics: [] });
  void validateOpen(document.uri);
});

documents.onDidChangeContent(({ document }) => {
  if (openedVersion.get(document.uri) === document.version) return;
  scheduleValidation(document.uri);
  relintOpenCampaigns(document.uri);
});

documents.onDidClose(({ document }) => {
  const { uri } = document;
  clearTimeout(lintTimers.get(uri));
  lintTimers.delete(uri);
  openedVersion.delete(uri);
  settingsCache.delete(uri);
  void afterClose(uri);
});

/** A closed file goes back to its on-disk findings when the workspace is linted, else is cleared. */
async function afterClose(uri: string): Promise<void> {
  try {
    const filePath = uriToPath(uri);
    if (filePath && isConfigFile(filePath)) {
      // Back to the saved file's problems (or none).
      const diagnostics = diskConfigDiagnostics(filePath);
      if (diagnostics.length) configDiagnostics.set(filePath, JSON.stringify(diagnostics));
      else configDiagnostics.delete(filePath);
      void connection.sendDiagnostics({ uri, diagnostics });
      return;
    }
    const folder = filePath && folderFor(filePath);
    if (filePath && folder && !shuttingDown) {
      const settings = await getSettings(pathToUri(folder));
      if (settings.enable && settings.lintWorkspace && (await lintDiskFile(filePath, settings, uri))) return;
    }
    if (!documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  } catch (err) {
    logError(`Handling the close of ${uri} failed`, err);
  }
}

// ---- files that are not open -----------------------------------------------------------------

/** Lints a file from disk and publishes; false when it is not a template, is gone or is open. */
async function lintDiskFile(filePath: string, settings: ServerSettings, uri = pathToUri(filePath), known?: ResolvedConfig): Promise<boolean> {
  try {
    const config = known ?? configFor(filePath, settings);
    if (!isTemplatePath(filePath, config)) return false;
    reportConfigFile(filePath);
    const outcome = await lintFromDisk(filePath, config, locale, log);
    if (!outcome || openUriForPath(filePath) || shuttingDown) return false;
    const diagnostics = toDiagnostics(outcome.result.findings, TextDocument.create(uri, 'html', 0, outcome.text), null);
    diskDiagnostics.set(filePath, uri);
    void connection.sendDiagnostics({ uri, diagnostics });
    return true;
  } catch (err) {
    logError(`Linting ${filePath} failed`, err);
    diskDiagnostics.set(filePath, uri);
    void connection.sendDiagnostics({ uri, diagnostics: [lintFailedDiagnostic(err, locale)] });
    return true;
  }
}

function clearDiskDiagnostics(filePath: string): void {
  const uri = diskDiagnostics.get(filePath);
  if (uri === undefined) return;
  diskDiagnostics.delete(filePath);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
}

/** Lints every template of every workspace folder that is not open; a newer scan cancels this one. */
async function scanWorkspace(): Promise<void> {
  const generation = ++scanGeneration;
  const cancelled = () => generation !== scanGeneration || shuttingDown;
  const before = new Set(diskDiagnostics.keys());
  const published = new Set<string>();
  const started = Date.now();
  try {
    for (const folder of folders) {
      const settings = await getSettings(pathToUri(folder));
      if (cancelled()) return;
      if (!settings.enable || !settings.lintWorkspace) continue;
      const completed = await scanFolder(folder, {
        configFor: (p) => configFor(p, settings),
        isCancelled: cancelled,
        // Typing comes first: while an open document's lint is due, the scan waits.
        shouldPause: () => lintTimers.size > 0,
        onSlice: markBusy,
        visit: async (file, config) => {
          if (openUriForPath(file)) return;
          const started = performance.now();
          if (await lintDiskFile(file, settings, undefined, config)) published.add(file);
          markBusy(started);
        },
      });
      if (!completed) return;
    }
    // Files the previous scan reported that this one did not (now ignored, deleted, scanning off).
    for (const file of before) if (!published.has(file) && !openUriForPath(file)) clearDiskDiagnostics(file);
    if (folders.length) log(`Workspace scan: ${published.size} file(s) linted in ${Date.now() - started} ms.`);
  } catch (err) {
    logError('The workspace scan failed', err);
  }
}

connection.onDidChangeWatchedFiles(async ({ changes }) => {
  try {
    let configChanged = false;
    const templates: Array<{ filePath: string; type: FileChangeType }> = [];
    for (const change of changes) {
      const filePath = uriToPath(change.uri);
      if (!filePath) continue;
      if (isConfigFile(filePath)) configChanged = true;
      else templates.push({ filePath, type: change.type });
    }
    if (configChanged) {
      resolver.clear();
      refreshConfigDiagnostics();
      relintOpenDocuments();
      void scanWorkspace();
      return;
    }
    for (const { filePath, type } of templates) {
      if (openUriForPath(filePath)) continue;
      if (type === FileChangeType.Deleted) {
        // A deleted folder comes as one event: clear everything under it too.
        for (const p of [...diskDiagnostics.keys()]) if (p === filePath || p.startsWith(filePath + path.sep)) clearDiskDiagnostics(p);
        continue;
      }
      const folder = folderFor(filePath);
      if (!folder) continue;
      const settings = await getSettings(pathToUri(folder));
      if (!settings.enable || !settings.lintWorkspace) continue;
      if (!(await lintDiskFile(filePath, settings))) clearDiskDiagnostics(filePath);
    }
  } catch (err) {
    logError('Handling file changes failed', err);
  }
});

// ---- lifecycle -------------------------------------------------------------------------------

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  locale = resolveLocale(params.locale);
  canPullConfiguration = !!caps.workspace?.configuration;
  canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canRegisterConfigChange = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  canWatchFolders = !!caps.workspace?.workspaceFolders;
  takesDocumentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
  const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders = folderUris.map(uriToPath).filter((p): p is string => !!p);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'deliverlint', version: SERVER_VERSION },
  };
});

connection.onInitialized(() => {
  if (canRegisterConfigChange) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch((err: unknown) => logError('Registering for settings changes failed', err));
  }
  if (canRegisterWatchers) {
    const globs = [...CONFIG_FILE_NAMES.map((n) => `**/${n}`), ...DEFAULT_FILES];
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) })
      .catch((err: unknown) => logError('Registering file watchers failed', err));
  }
  if (canWatchFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      try {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        folders = folders.filter((f) => !removed.has(f));
        for (const f of event.added) {
          const p = uriToPath(f.uri);
          if (p && !folders.includes(p)) folders.push(p);
        }
        settingsCache.clear();
        void scanWorkspace();
      } catch (err) {
        logError('Handling a workspace folder change failed', err);
      }
    });
  }
  void scanWorkspace();
});

connection.onDidChangeConfiguration((params) => {
  try {
    if (!canPullConfiguration) {
      const settings = params.settings as Record<string, unknown> | null | undefined;
      pushedSettings = settings?.[SECTION];
    }
    settingsCache.clear();
    relintOpenDocuments();
    void scanWorkspace();
  } catch (err) {
    logError('Handling a settings change failed', err);
  }
});

connection.onCodeAction(async (params) => {
  try {
    const { uri } = params.textDocument;
    if (!documents.get(uri)) return [];
    const settings = await getSettings(uri);
    const doc = documents.get(uri);
    if (!doc || !settings.enable) return [];
    const filePath = uriToPath(uri);
    const config = configFor(filePath, settings);
    if (!isLintable(doc, filePath, config)) return [];
    return codeActionsFor({ document: doc, context: params.context, request: requestFor(doc, filePath, config), locale, documentChanges: takesDocumentChanges });
  } catch (err) {
    logError(`Computing code actions for ${params.textDocument.uri} failed`, err);
    return [];
  }
});

// The domain authentication check (deliverlint/checkDomain), over the open document's send model.
registerCheckDomain(connection, {
  documents,
  config: async (uri) => configFor(uriToPath(uri), await getSettings(uri)),
  settings: (uri) => (canPullConfiguration ? connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION }) : Promise.resolve(pushedSettings)),
  locale: () => locale,
});

connection.onShutdown(() => {
  shuttingDown = true;
  scanGeneration++;
  for (const timer of lintTimers.values()) clearTimeout(timer);
  lintTimers.clear();
});

documents.listen(connection);
connection.listen();
