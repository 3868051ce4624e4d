// The Deliverlint language server: wiring only. Linting is the core's (through linter.ts); open
// documents, files on disk, rc-file problems and code actions have their handlers in lsp/. Runs
// over stdio (--stdio, other editors: the `deliverlint-language-server` binary), node IPC (what the
// VS Code client uses), a socket or a pipe; createConnection() picks the transport from the command
// line, which lsp/commandLine.ts checks first (--help and --version answer without a server).

import * as path from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES, DEFAULT_FILES } from './core/config';
import { resolveLocale } from './core/messages';
import { registerCheckDomain } from './lsp/checkDomain';
import { registerVerifyMessage } from './lsp/verifyMessage';
import { registerSenderStanding } from './lsp/senderStanding';
import { codeActionsFor, FIX_ALL_KIND, ruleDocumentation, wantsKind } from './lsp/codeActions';
import {
  EFFECTIVE_CONFIGURATION_METHOD,
  MJML_EXTENSION_METHOD,
  SHOW_RULE_DOCS_COMMAND,
  type DeliverlintInitializationOptions,
  type EffectiveConfiguration,
  type EffectiveConfigurationParams,
  type MjmlExtensionParams,
} from './protocol';
import { effectiveConfiguration } from './lsp/effectiveConfig';
import { ConfigDiagnostics } from './lsp/configDiagnostics';
import { definitionAt } from './lsp/definition';
import { Dependents } from './lsp/dependents';
import { DiskFiles } from './lsp/diskFiles';
import { hoverAt } from './lsp/hover';
import { BusyClock, OpenDocuments } from './lsp/openDocuments';
import { SECTION, Session, uriToPath } from './lsp/session';
import { registerTestHooks } from './lsp/testHooks';
import { parseServerArgs, SERVER_USAGE } from './lsp/commandLine';
import { VERSION as SERVER_VERSION } from './core/version';

const commandLine = parseServerArgs(process.argv.slice(2));
if (commandLine.action !== 'serve') {
  if (commandLine.action === 'help') process.stdout.write(`${SERVER_USAGE}\n`);
  else if (commandLine.action === 'version') process.stdout.write(`${SERVER_VERSION}\n`);
  else process.stderr.write(`deliverlint-language-server: ${commandLine.message}\nRun deliverlint-language-server --help for the options.\n`);
  process.exit(commandLine.action === 'error' ? 2 : 0);
}
/** Template files the `files` globs may leave out but emails include (the client watches the same). */
const PART_FILES = '**/*.{erb,eex,heex,blade.php,twig,j2,jinja,jinja2,mustache,tpl,tmpl,gohtml}';

const connection = createConnection(ProposedFeatures.all);
const session = new Session(connection, new TextDocuments(TextDocument));
const busy = new BusyClock();
const configs = new ConfigDiagnostics(session);
const disk: DiskFiles = new DiskFiles(session, busy, configs, (): boolean => open.lintPending);
const open = new OpenDocuments(session, busy, configs, disk);
// Editing, changing on disk or deleting a layout or partial lints the emails that use it again.
const dependents = new Dependents(session, busy, open, disk);
open.onTextChanged = (filePath) => dependents.changed(filePath);
// A configuration set added, renamed or dropped in the infrastructure lints the payloads and campaigns again.
session.sets.onChange = (users) => dependents.relint(users);
// The domain check names the file an input came from as the workspace shows it.
session.sets.shown = (p) => {
  const folder = session.folderFor(p);
  return folder ? path.relative(folder, p) : p;
};

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
  }, (filePath, type) => dependents.changed(filePath, type)),
);

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  // Without a locale from the client (VS Code sends one; other editors mostly do not), the
  // environment the editor started the server with says, as for the CLI.
  session.locale = resolveLocale(params.locale ?? (process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG']));
  session.resolver.options.locale = session.locale;
  const init = params.initializationOptions as DeliverlintInitializationOptions | null | undefined;
  if (init && typeof init.settings === 'object' && init.settings !== null) session.pushSettings(init.settings);
  session.trusted = init?.workspaceTrusted === true;
  session.jsonSyntaxInEditor = init?.jsonSyntaxInEditor === true;
  session.mjmlExtension = init?.mjmlExtension === true;
  session.abilities = {
    pullConfiguration: !!caps.workspace?.configuration,
    registerWatchers: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    registerConfigChange: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    watchFolders: !!caps.workspace?.workspaceFolders,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    showDocument: !!caps.window?.showDocument?.support,
  };
  const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.folders = folderUris.map(uriToPath).filter((p): p is string => !!p);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: [SHOW_RULE_DOCS_COMMAND] },
      hoverProvider: true,
      definitionProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'deliverlint', version: SERVER_VERSION },
  };
});

connection.onInitialized(() => {
  const { abilities } = session;
  session.log(`Deliverlint language server ${SERVER_VERSION} (Node ${process.version}), ${session.folders.length} workspace folder(s), messages in ${session.locale}.`);
  if (abilities.registerConfigChange) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch((err: unknown) => session.logError('Registering for settings changes failed', err));
  }
  if (abilities.registerWatchers) {
    // Partials and layouts of the template engines too: their changes re-lint the emails that use them.
    const globs = [...CONFIG_FILE_NAMES.map((n) => `**/${n}`), ...DEFAULT_FILES, PART_FILES];
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
    // Kept from any client: one that is asked too uses them when its answer is empty (session.ts).
    const settings = params.settings as Record<string, unknown> | null | undefined;
    if (!session.abilities.pullConfiguration || (typeof settings === 'object' && settings !== null && SECTION in settings)) session.pushSettings(settings?.[SECTION]);
    session.forgetSettings();
    open.relintAll();
    void disk.scan();
  } catch (err) {
    session.logError('Handling a settings change failed', err);
  }
});

connection.onNotification(MJML_EXTENSION_METHOD, (params: MjmlExtensionParams) => {
  try {
    const installed = params?.installed === true;
    if (installed === session.mjmlExtension) return;
    session.mjmlExtension = installed;
    session.log(installed ? 'The official MJML extension is installed: MJML validation is left to it (deliverlint.mjml.validate: auto).' : 'The official MJML extension is gone: Deliverlint validates MJML again.');
    open.relintAll();
    void disk.scan();
  } catch (err) {
    session.logError('Handling the MJML extension change failed', err);
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
    const current = open.currentResult(doc);
    const input = { document: doc, context: params.context, request: open.requestFor(doc, filePath, config), locale: session.locale, documentChanges: session.abilities.documentChanges, current, campaigns: filePath ? session.campaigns.subjectsFor(filePath) : [] };
    if (!open.lintsOffThread(doc)) return codeActionsFor(input);
    // A very large document is not linted on this thread. Its quick fixes need its lint of this
    // version (published with the diagnostics they are asked for); fix-all runs on a thread.
    const wantsFixAll = wantsKind(params.context.only, FIX_ALL_KIND);
    const only = [...(current && wantsKind(params.context.only, CodeActionKind.QuickFix) ? [CodeActionKind.QuickFix] : []), ...(wantsFixAll ? [FIX_ALL_KIND] : [])];
    if (!only.length) return [];
    const fixedText = wantsFixAll ? await open.fixAllOffThread(doc, config) : undefined;
    if (wantsFixAll && fixedText === undefined) return [];
    if (session.documents.get(uri)?.version !== doc.version) return [];
    return codeActionsFor({ ...input, context: { ...params.context, only }, fixedText, fixAllHere: false });
  } catch (err) {
    session.logError(`Computing code actions for ${params.textDocument.uri} failed`, err);
    return [];
  }
});

connection.onExecuteCommand(async (params) => {
  if (params.command !== SHOW_RULE_DOCS_COMMAND) return null;
  const url = ruleDocumentation(params.arguments?.[0]);
  if (!url) return null;
  if (!session.abilities.showDocument) {
    // A client that cannot open a URL (Neovim, Helix ...): say it, so the user can follow it.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: url });
    return null;
  }
  try {
    const shown = await connection.window.showDocument({ uri: url, external: true });
    if (!shown.success) session.log(`The client did not open ${url}`);
  } catch (err) {
    session.logError(`Opening ${url} failed`, err);
  }
  return null;
});

connection.onRequest(EFFECTIVE_CONFIGURATION_METHOD, async (params: EffectiveConfigurationParams): Promise<EffectiveConfiguration | null> => {
  try {
    if (typeof params?.uri !== 'string') return null;
    const settings = await session.getSettings(params.uri);
    const filePath = uriToPath(params.uri);
    const config = session.configFor(filePath, settings);
    const doc = session.documents.get(params.uri);
    const linted = settings.enable && !!doc && open.isLintable(doc, filePath, config);
    return effectiveConfiguration(session, { uri: params.uri, serverVersion: SERVER_VERSION, settings, config, linted });
  } catch (err) {
    session.logError(`Computing the effective configuration of ${params?.uri} failed`, err);
    return null;
  }
});

/** An open template the server lints, with its path and configuration; undefined for anything else. */
async function lintableDocument(uri: string) {
  const settings = await session.getSettings(uri);
  const doc = session.documents.get(uri);
  const filePath = uriToPath(uri);
  if (!doc || !filePath || !settings.enable) return undefined;
  const config = session.configFor(filePath, settings);
  if (!open.isLintable(doc, filePath, config)) return undefined;
  return { doc, filePath, settings, config };
}

connection.onHover(async (params) => {
  try {
    const target = await lintableDocument(params.textDocument.uri);
    if (!target) return null;
    const result = open.resultFor(target.doc, target.settings);
    if (!result) return null;
    return hoverAt(target.doc, target.filePath, target.doc.offsetAt(params.position), result, {
      locale: session.locale,
      folderFor: (p) => session.folderFor(p),
      dependentsOf: (p) => session.includes.emailsUsing(p),
    });
  } catch (err) {
    session.logError(`Computing the hover for ${params.textDocument.uri} failed`, err);
    return null;
  }
});

connection.onDefinition(async (params) => {
  try {
    const target = await lintableDocument(params.textDocument.uri);
    if (!target) return null;
    // The reader of a lint of this file: inside its workspace folder, as the lint that found the reference.
    const reader = session.openFirstReader.forFile?.(target.filePath, target.config) ?? session.openFirstReader;
    return definitionAt(target.doc, target.filePath, target.doc.offsetAt(params.position), target.config, reader);
  } catch (err) {
    session.logError(`Finding the definition for ${params.textDocument.uri} failed`, err);
    return null;
  }
});

registerCheckDomain(connection, {
  documents: session.documents,
  config: async (uri) => session.configFor(uriToPath(uri), await session.getSettings(uri)),
  settings: (uri) => session.rawSettings(uri),
  locale: () => session.locale,
  infraIdentities: () => session.sets.identities(),
});

registerVerifyMessage(connection, {
  documents: session.documents,
  settings: (uri) => session.rawSettings(uri),
  locale: () => session.locale,
});

registerSenderStanding(connection, { locale: () => session.locale });

registerTestHooks(connection, () => ({ lintThreadsPeak: open.lintThreadsPeak }));

connection.onShutdown(() => {
  session.shuttingDown = true;
  disk.cancel();
  dependents.cancel();
  open.shutdown();
});

session.documents.listen(connection);
connection.listen();
