// The Deliverlint language server: wiring only. Linting is the core's (through linter.ts); open
// documents, files on disk, rc-file problems and code actions have their handlers in lsp/. Runs
// over stdio (--stdio) or node IPC (what the VS Code client uses); createConnection() picks the
// transport from the command line.

import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES, DEFAULT_FILES } from './core/config';
import { resolveLocale } from './core/messages';
import { registerCheckDomain } from './lsp/checkDomain';
import { codeActionsFor, FIX_ALL_KIND } from './lsp/codeActions';
import { ConfigDiagnostics } from './lsp/configDiagnostics';
import { DiskFiles } from './lsp/diskFiles';
import { BusyClock, OpenDocuments } from './lsp/openDocuments';
import { SECTION, Session, uriToPath } from './lsp/session';

const SERVER_VERSION = '0.1.0';

const connection = createConnection(ProposedFeatures.all);
const session = new Session(connection, new TextDocuments(TextDocument));
const busy = new BusyClock();
const configs = new ConfigDiagnostics(session);
const disk: DiskFiles = new DiskFiles(session, busy, configs, (): boolean => open.lintPending);
const open = new OpenDocuments(session, busy, configs, disk);

// A bug in one handler must never take the server down: log it and keep serving.
process.on('uncaughtException', (err) => session.logError('Uncaught exception', err));
process.on('unhandledRejection', (err) => session.logError('Unhandled rejection', err));

open.listen();

connection.onDidChangeWatchedFiles(({ changes }) =>
  disk.changed(changes, () => {
    session.resolver.clear();
    configs.refresh();
    open.relintAll();
    void disk.scan();
  }),
);

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  session.locale = resolveLocale(params.locale);
  session.abilities = {
    pullConfiguration: !!caps.workspace?.configuration,
    registerWatchers: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    registerConfigChange: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    watchFolders: !!caps.workspace?.workspaceFolders,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
  };
  const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.folders = folderUris.map(uriToPath).filter((p): p is string => !!p);
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
  const { abilities } = session;
  if (abilities.registerConfigChange) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch((err: unknown) => session.logError('Registering for settings changes failed', err));
  }
  if (abilities.registerWatchers) {
    const globs = [...CONFIG_FILE_NAMES.map((n) => `**/${n}`), ...DEFAULT_FILES];
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) })
      .catch((err: unknown) => session.logError('Registering file watchers failed', err));
  }
  if (abilities.watchFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      try {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        session.folders = session.folders.filter((f) => !removed.has(f));
        for (const f of event.added) {
          const p = uriToPath(f.uri);
          if (p && !session.folders.includes(p)) session.folders.push(p);
        }
        session.forgetSettings();
        void disk.scan();
      } catch (err) {
        session.logError('Handling a workspace folder change failed', err);
      }
    });
  }
  void disk.scan();
});

connection.onDidChangeConfiguration((params) => {
  try {
    if (!session.abilities.pullConfiguration) {
      const settings = params.settings as Record<string, unknown> | null | undefined;
      session.pushSettings(settings?.[SECTION]);
    }
    session.forgetSettings();
    open.relintAll();
    void disk.scan();
  } catch (err) {
    session.logError('Handling a settings change failed', err);
  }
});

connection.onCodeAction(async (params) => {
  try {
    const { uri } = params.textDocument;
    if (!session.documents.get(uri)) return [];
    const settings = await session.getSettings(uri);
    const doc = session.documents.get(uri);
    if (!doc || !settings.enable) return [];
    const filePath = uriToPath(uri);
    const config = session.configFor(filePath, settings);
    if (!open.isLintable(doc, filePath, config)) return [];
    return codeActionsFor({ document: doc, context: params.context, request: open.requestFor(doc, filePath, config), locale: session.locale, documentChanges: session.abilities.documentChanges });
  } catch (err) {
    session.logError(`Computing code actions for ${params.textDocument.uri} failed`, err);
    return [];
  }
});

registerCheckDomain(connection, {
  documents: session.documents,
  config: async (uri) => session.configFor(uriToPath(uri), await session.getSettings(uri)),
  settings: (uri) => session.rawSettings(uri),
  locale: () => session.locale,
});

connection.onShutdown(() => {
  session.shuttingDown = true;
  disk.cancel();
  open.shutdown();
});

session.documents.listen(connection);
connection.listen();
