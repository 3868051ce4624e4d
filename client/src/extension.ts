// The VS Code side of Deliverlint: starts the bundled language server and offers a few commands.
// All linting happens in the server; this file only wires VS Code to it.

import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { explicitSettings, FIX_ALL_KIND, MJML_EXTENSION_ID, MJML_EXTENSION_METHOD, SHOW_RULE_DOCS_COMMAND, TEMPLATE_LANGUAGES, type DeliverlintInitializationOptions, type MjmlExtensionParams } from '../../server/src/protocol';
import { registerDomainCheck } from './domainCheck';
import { registerVerifyMessage } from './verifyMessage';
import { registerSenderStanding } from './senderStanding';
import { bundledRulePage } from './ruleDocs';
import { registerStatus } from './status';

const CLIENT_ID = 'deliverlint';
const CLIENT_NAME = 'Deliverlint';

// The template languages (TEMPLATE_LANGUAGES) and the "fix all" kind are shared with the server
// (server/src/protocol.ts). Files whose language is something else but whose extension is a
// template's are caught by the pattern entries below. Templates of the web frameworks and template
// engines (ERB, EEx, Blade, Twig, Jinja, Go, Smarty, Mustache) come as php, erb, twig ... documents
// or as plain text, and are mostly web pages: the server lints one only when the `files` globs take
// it (by default, below a mail folder; config.ts DEFAULT_FILES).
const TEMPLATE_FILES = '**/*.{html,htm,mjml,hbs,handlebars,njk,liquid,erb,eex,heex,blade.php,twig,j2,jinja,jinja2,mustache,tpl,tmpl,gohtml}';
// Send configurations: raw messages and campaign files by name, SES/SendGrid JSON and CloudFormation
// templates by content (the server skips JSON and YAML that is neither).
const SEND_FILES = '**/*.{eml,json,yaml,yml,tf}';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // Owned here rather than by the client so it survives restarts and can be shown before the server is up.
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(outputChannel);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6011'] },
    },
  };

  const documentSelector: LanguageClientOptions['documentSelector'] = [
    ...TEMPLATE_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    { scheme: 'file', pattern: TEMPLATE_FILES },
    { scheme: 'file', pattern: SEND_FILES },
  ];

  // Rc files change every template's findings; template files matter for workspace linting.
  const watchers = [
    vscode.workspace.createFileSystemWatcher('**/.deliverlintrc.json'),
    vscode.workspace.createFileSystemWatcher(TEMPLATE_FILES),
    vscode.workspace.createFileSystemWatcher(SEND_FILES),
  ];
  context.subscriptions.push(...watchers);

  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel,
    synchronize: { fileEvents: watchers },
    // VS Code's JSON language service reports the JSON syntax errors of an open rc file; the server
    // leaves those to it, so each problem shows once.
    // The official MJML extension validates MJML too: the server leaves mjml-invalid to it by
    // default (deliverlint.mjml.validate), so each MJML error shows once.
    // Asked at each start: in Restricted Mode the server ignores the rc file's includeRoots.
    initializationOptions: (): DeliverlintInitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted, jsonSyntaxInEditor: true, mjmlExtension: mjmlExtensionInstalled() }),
    middleware: {
      // "Show documentation for <rule>": the page shipped in the .vsix, in the Markdown preview, so
      // it is the installed version's and needs no network. Only when that fails does the server
      // get the command (it opens the versioned URL in the browser).
      executeCommand: async (command, args, next) => {
        if (command === SHOW_RULE_DOCS_COMMAND && (await showBundledRulePage(context, args[0]))) return undefined;
        return next(command, args);
      },
      workspace: {
        // VS Code fills in the manifest defaults; the server must see only what the user set, so a
        // setting chosen equal to its default still overrides .deliverlintrc.json.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value: unknown, i) => {
            const item = params.items[i];
            if (item?.section !== CLIENT_ID || typeof value !== 'object' || value === null) return value;
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            const config = vscode.workspace.getConfiguration(CLIENT_ID, scope);
            return explicitSettings(value as Record<string, unknown>, (key) => isSetByUser(config.inspect(key)));
          });
        },
      },
    },
  };

  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('deliverlint.restartServer', () => restartServer()),
    vscode.commands.registerCommand('deliverlint.showOutputChannel', () => outputChannel.show(true)),
    vscode.commands.registerCommand('deliverlint.fixAll', () => fixAll()),
  );
  // Trust granted: start again, so that the server hears of it.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void restartServer()));
  let mjmlExtension = mjmlExtensionInstalled();
  context.subscriptions.push(
    vscode.extensions.onDidChange(() => {
      const now = mjmlExtensionInstalled();
      if (now === mjmlExtension || !client?.isRunning()) return;
      mjmlExtension = now;
      void client.sendNotification(MJML_EXTENSION_METHOD, { installed: now } satisfies MjmlExtensionParams);
    }),
  );
  // The domain authentication check runs in the server, only when the user asks.
  registerDomainCheck(context, () => client);
  registerVerifyMessage(context, () => client);
  registerSenderStanding(context, () => client);
  // The language status item and "Show Effective Configuration": what the active file gets, and from where.
  registerStatus(context, documentSelector as vscode.DocumentSelector, () => client);
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  outputChannel.info(`Deliverlint ${version} (VS Code ${vscode.version})`);

  try {
    await client.start();
  } catch (error) {
    outputChannel.error(String(error));
    void showServerError(vscode.l10n.t('Deliverlint could not start its language server: {0}', errorText(error)));
  }
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) await current.dispose();
}

async function restartServer(): Promise<void> {
  if (!client) return;
  try {
    if (client.isRunning()) await client.restart();
    else await client.start();
    vscode.window.setStatusBarMessage(vscode.l10n.t('Deliverlint language server restarted.'), 3000);
  } catch (error) {
    client.outputChannel.error(String(error));
    void showServerError(vscode.l10n.t('Deliverlint could not restart its language server: {0}', errorText(error)));
  }
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open an email template to fix its Deliverlint problems.'));
    return;
  }
  // The server computes the edits; VS Code applies the first (only) action of that kind.
  await vscode.commands.executeCommand('editor.action.sourceAction', { kind: FIX_ALL_KIND, apply: 'first' });
}

/** Opens the rule's page from the extension in the Markdown preview; false when there is none or it cannot be shown. */
async function showBundledRulePage(context: vscode.ExtensionContext, ruleId: unknown): Promise<boolean> {
  const segments = bundledRulePage(context.extensionPath, ruleId);
  if (!segments) return false;
  const page = vscode.Uri.joinPath(context.extensionUri, ...segments);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return true;
  } catch (error) {
    // The built-in Markdown extension may be disabled: the page as text still reads well.
    client?.outputChannel.warn(`Markdown preview of ${page.toString()} failed: ${errorText(error)}`);
    try {
      await vscode.window.showTextDocument(page, { preview: true });
      return true;
    } catch {
      return false;
    }
  }
}

async function showServerError(message: string): Promise<void> {
  const showOutput = vscode.l10n.t('Show Output');
  const choice = await vscode.window.showErrorMessage(message, showOutput);
  if (choice === showOutput) await vscode.commands.executeCommand('deliverlint.showOutputChannel');
}

function mjmlExtensionInstalled(): boolean {
  return vscode.extensions.getExtension(MJML_EXTENSION_ID) !== undefined;
}

/** Whether any scope (user, workspace, folder, or a language's section of them) sets the value. */
function isSetByUser(inspected: ReturnType<vscode.WorkspaceConfiguration['inspect']>): boolean {
  if (!inspected) return false;
  return [
    inspected.globalValue,
    inspected.workspaceValue,
    inspected.workspaceFolderValue,
    inspected.globalLanguageValue,
    inspected.workspaceLanguageValue,
    inspected.workspaceFolderLanguageValue,
  ].some((v) => v !== undefined);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
