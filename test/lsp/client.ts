// The one LSP client of the language server tests and the benchmark (bench/lsp.ts): spawns the
// bundled dist/server.js, talks JSON-RPC to it over stdio (or node IPC), answers the requests a
// real editor answers, and records every publishDiagnostics and log message with a high-resolution
// timestamp so tests can wait for the ones they expect and the bench can time them. Every wait is
// bounded.

import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  Definition,
  Diagnostic,
  Hover,
  InitializeResult,
  LocationLink,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_JS = path.join(ROOT, 'dist', 'server.js');
export const SERVER_WORKER_JS = path.join(ROOT, 'dist', 'serverWorker.js');

export type Settings = Record<string, unknown>;

/** The test-only request of server/src/lsp/testHooks.ts. */
export const TEST_MEMORY_REQUEST = 'deliverlint/test/memory';
export const TEST_STATUS_REQUEST = 'deliverlint/test/status';

/** What it answers: MiB after a forced collection (gc: false when the server lacks --expose-gc). */
export interface ServerMemory {
  gc: boolean;
  heapUsedMb: number;
  externalMb: number;
  rssMb: number;
}

export interface Published extends PublishDiagnosticsParams {
  /** ms since the client started (fractional, from performance.now()), when the notification arrived. */
  at: number;
}

export interface Logged {
  /** ms since the client started, as in Published. */
  at: number;
  message: string;
}

export const uriOf = (p: string) => pathToFileURL(p).href;

/** Rejects with a message naming what was awaited when `ms` pass first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---- building the server ---------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/server.js is built from the current sources. `npm test` builds it first; run
 * alone, the lsp tests rebuild it when a source file is newer, with the options esbuild.mjs uses.
 * The bundle is written to a temporary name and renamed, so test files running in parallel never
 * start a half-written server.
 */
export async function ensureServerBuilt(): Promise<string> {
  const newest = newestMtime(path.join(ROOT, 'server', 'src'));
  const stale = (file: string) => !fs.existsSync(file) || fs.statSync(file).mtimeMs <= newest;
  // The server, the thread it lints very large documents on (dist/serverWorker.js) and what it
  // loads on demand: the message verification (dist/verify.js) and sender standing (dist/standing.js).
  const bundles = [
    { entry: path.join(ROOT, 'server', 'src', 'server.ts'), out: SERVER_JS },
    { entry: path.join(ROOT, 'server', 'src', 'lsp', 'lintWorker.ts'), out: SERVER_WORKER_JS },
    { entry: path.join(ROOT, 'server', 'src', 'verify', 'index.ts'), out: path.join(path.dirname(SERVER_JS), 'verify.js') },
    { entry: path.join(ROOT, 'server', 'src', 'standing', 'index.ts'), out: path.join(path.dirname(SERVER_JS), 'standing.js') },
  ].filter((b) => stale(b.out));
  if (!bundles.length) return SERVER_JS;
  const esbuild = await import('esbuild');
  for (const { entry, out } of bundles) {
    const tmp = `${out}.${process.pid}.tmp`;
    await esbuild.build({
      // As esbuild.mjs: the server bundle is also the deliverlint-language-server binary.
      ...(out === SERVER_JS && { banner: { js: '#!/usr/bin/env node' } }),
      entryPoints: [entry],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'inline',
      logLevel: 'warning',
      legalComments: 'none',
      mainFields: ['module', 'main'],
    });
    fs.renameSync(tmp, out);
  }
  return SERVER_JS;
}

// ---- workspaces -------------------------------------------------------------------------------

/** A temporary folder with the given files (relative path -> content). */
export function makeWorkspace(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deliverlint-lsp-')));
  for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
  return dir;
}

export function writeFile(dir: string, rel: string, content: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- applying edits ---------------------------------------------------------------------------

function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  return Math.min(offset + character, lineEnd === -1 ? text.length : lineEnd);
}

/** Applies LSP text edits (ranges against the original text), as an editor does. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetAt(text, e.range.start.line, e.range.start.character), end: offsetAt(text, e.range.end.line, e.range.end.character), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** The edits a WorkspaceEdit makes to one document, from `changes` or `documentChanges`. */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): { edits: TextEdit[]; version?: number | null } {
  if (!edit) return { edits: [] };
  if (edit.documentChanges) {
    const edits: TextEdit[] = [];
    let version: number | null | undefined;
    for (const change of edit.documentChanges) {
      if ('textDocument' in change && change.textDocument.uri === uri) {
        version = change.textDocument.version;
        edits.push(...(change.edits as TextEdit[]));
      }
    }
    return { edits, version };
  }
  return { edits: edit.changes?.[uri] ?? [] };
}

export function applyWorkspaceEdit(text: string, edit: WorkspaceEdit | undefined, uri: string): string {
  return applyTextEdits(text, editsFor(edit, uri).edits);
}

// ---- the client ---------------------------------------------------------------------------

export interface StartOptions {
  folders?: string[];
  settings?: Settings;
  locale?: string;
  transport?: 'stdio' | 'ipc';
  /** Capabilities to leave out, to test the fallbacks. */
  configuration?: boolean;
  /** The server bundle to run as it is (the bench); by default dist/server.js, rebuilt when stale. */
  serverJs?: string;
  /** Node options for the server process (the bench's --cpu-prof); stdio transport only. */
  nodeArgs?: string[];
  /** initializationOptions in initialize (VS Code's client sends { workspaceTrusted, ... }). */
  initializationOptions?: unknown;
  /** clientInfo.name in initialize. */
  clientName?: string;
  /** Run the server as this user and group (stdio only): root reads every folder, a user does not. */
  uid?: number;
  gid?: number;
  /** Extra environment variables for the server process (DELIVERLINT_TEST_HOOKS=1 for heap()). */
  env?: Record<string, string>;
}

interface Waiter {
  uri: string;
  from: number;
  predicate: (p: Published) => boolean;
  resolve: (p: Published) => void;
}

export class LspClient {
  readonly published = new Map<string, Published[]>();
  /** window/logMessage and window/showMessage texts, in order. */
  readonly logs: string[] = [];
  /** The same messages with the time each arrived. */
  readonly logged: Logged[] = [];
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  /** Settings answered to workspace/configuration; change them, then call changeConfiguration(). */
  settings: Settings;
  /** Per-scope overrides, keyed by scope URI. */
  readonly scopedSettings = new Map<string, Settings>();
  configurationRequests = 0;
  /** window/showDocument requests from the server, in order. */
  readonly shownDocuments: Array<{ uri: string; external?: boolean }> = [];
  initializeResult?: InitializeResult;
  /** ms from spawning the server to its initialize response. */
  readyMs = NaN;
  private readonly waiters = new Set<Waiter>();
  /** Called on every notification, for waitUntil. */
  private readonly wakeups = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private exited: Promise<number | null>;
  private stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
    readonly options: StartOptions,
    /** performance.now() when the server was spawned: the zero of every `at`. */
    readonly startedAt: number,
  ) {
    this.settings = options.settings ?? {};
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8000);
    });
    connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) => {
      this.configurationRequests++;
      return params.items.map((item) => {
        if (item.section !== 'deliverlint') return null;
        return structuredClone((item.scopeUri && this.scopedSettings.get(item.scopeUri)) || this.settings);
      });
    });
    connection.onRequest('client/registerCapability', (params: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('window/showDocument', (p: { uri: string; external?: boolean }) => {
      this.shownDocuments.push(p);
      return { success: true };
    });
    connection.onRequest('workspace/workspaceFolders', () => (options.folders ?? []).map((f) => ({ uri: uriOf(f), name: path.basename(f) })));
    connection.onNotification('window/logMessage', (p: { message: string }) => this.log(p.message));
    connection.onNotification('window/showMessage', (p: { message: string }) => this.log(`[showMessage] ${p.message}`));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const entry: Published = { ...p, at: this.now() };
      const list = this.published.get(p.uri) ?? [];
      list.push(entry);
      this.published.set(p.uri, list);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && list.length > w.from && w.predicate(entry)) {
          this.waiters.delete(w);
          w.resolve(entry);
        }
      }
      this.wake();
    });
    connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const serverJs = options.serverJs ?? (await ensureServerBuilt());
    const startedAt = performance.now();
    let child: ChildProcess;
    let connection: MessageConnection;
    if (options.transport === 'ipc') {
      // No inherited execArgv: the test runner's `--import tsx` has no business in the server.
      child = fork(serverJs, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], env: { ...process.env, ...options.env } });
      connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, ...(options.uid !== undefined && { uid: options.uid, gid: options.gid ?? options.uid }) });
      connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    const client = new LspClient(child, connection, options, startedAt);
    try {
      await client.initialize();
    } catch (err) {
      child.kill('SIGKILL');
      connection.dispose();
      throw err;
    }
    return client;
  }

  /** ms since the server was spawned; the clock of every `at`. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  private log(message: string): void {
    this.logs.push(message);
    this.logged.push({ at: this.now(), message });
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakeups]) w();
  }

  /** Resolves when `predicate` holds (checked on every notification and every 50 ms); rejects after `ms`. */
  async waitUntil(predicate: () => boolean, ms: number, what: string): Promise<void> {
    if (predicate()) return;
    let wake!: () => void;
    let poll: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      wake = () => {
        if (predicate()) resolve();
      };
      this.wakeups.add(wake);
      poll = setInterval(wake, 50);
    });
    try {
      await withTimeout(done, ms, `${what}${this.stderr ? ` (server stderr: ${this.stderr.slice(-300)})` : ''}`);
    } finally {
      this.wakeups.delete(wake);
      clearInterval(poll);
    }
  }

  private async initialize(): Promise<void> {
    const folders = this.options.folders ?? [];
    this.initializeResult = await withTimeout(
      this.connection.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        clientInfo: { name: this.options.clientName ?? 'deliverlint-test-client' },
        initializationOptions: this.options.initializationOptions,
        locale: this.options.locale ?? 'en',
        rootUri: folders[0] ? uriOf(folders[0]) : null,
        workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
        capabilities: {
          workspace: {
            configuration: this.options.configuration ?? true,
            workspaceFolders: true,
            didChangeConfiguration: { dynamicRegistration: true },
            didChangeWatchedFiles: { dynamicRegistration: true },
            workspaceEdit: { documentChanges: true },
          },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: true },
            publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            definition: { linkSupport: false },
            codeAction: {
              dataSupport: true,
              isPreferredSupport: true,
              codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            },
          },
          window: { workDoneProgress: true, showDocument: { support: true } },
        },
      }),
      15_000,
      'the initialize response',
    );
    this.readyMs = this.now();
    await this.connection.sendNotification('initialized', {});
  }

  // -- documents

  async open(uri: string, text: string, languageId = 'html', version = 1): Promise<void> {
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Replaces the whole text (as one incremental change over the full range); returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const old = this.texts.get(uri) ?? '';
    const lines = old.split('\n');
    const range: Range = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
    return this.changeRange(uri, range, text, applyTextEdits(old, [{ range, newText: text }]));
  }

  /** Sends LSP text edits as incremental changes (in order, each against the text after the previous). */
  async edit(uri: string, edits: readonly TextEdit[]): Promise<number> {
    // An editor sends the edits of one WorkspaceEdit bottom-up so earlier ranges stay valid.
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    const contentChanges = sorted.map((e) => ({ range: e.range, text: e.newText }));
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    // Sent before this copy of the text is updated, so the bench's timings leave that work out.
    const sent = this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    let text = this.texts.get(uri) ?? '';
    for (const e of sorted) text = applyTextEdits(text, [e]);
    this.texts.set(uri, text);
    await sent;
    return version;
  }

  private async changeRange(uri: string, range: Range, newText: string, result: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, result);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  // -- diagnostics

  /** How many publishes for `uri` have arrived; pass it as `after` to wait for a later one. */
  mark(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** The first publish for `uri` (at index >= `after`) satisfying `predicate`. */
  waitForDiagnostics(uri: string, predicate: (p: Published) => boolean = () => true, opts: { after?: number; timeout?: number } = {}): Promise<Published> {
    const from = opts.after ?? 0;
    const list = this.published.get(uri) ?? [];
    for (let i = from; i < list.length; i++) if (predicate(list[i]!)) return Promise.resolve(list[i]!);
    let waiter!: Waiter;
    const found = new Promise<Published>((resolve) => {
      waiter = { uri, from, predicate, resolve };
      this.waiters.add(waiter);
    });
    const ms = opts.timeout ?? 10_000;
    return withTimeout(found, ms, `diagnostics for ${path.basename(uri)} (${this.describe(uri)})`).catch((err: unknown) => {
      this.waiters.delete(waiter);
      throw err;
    });
  }

  waitForVersion(uri: string, version: number, timeout?: number): Promise<Published> {
    return this.waitForDiagnostics(uri, (p) => p.version === version, { timeout });
  }

  /** Waits for the next publish for `uri` after the mark. */
  next(uri: string, after: number, predicate: (p: Published) => boolean = () => true, timeout?: number): Promise<Published> {
    return this.waitForDiagnostics(uri, predicate, { after, timeout });
  }

  latest(uri: string): Published | undefined {
    const list = this.published.get(uri);
    return list?.[list.length - 1];
  }

  private describe(uri: string): string {
    const list = this.published.get(uri) ?? [];
    const got = list.map((p) => `v${p.version ?? '-'}:[${p.diagnostics.map((d) => d.code ?? '?').join(',')}]`).join(' ');
    return `received ${list.length}: ${got || 'none'}; server log tail: ${this.logs.slice(-3).join(' | ')}${this.stderr ? `; stderr: ${this.stderr.slice(-500)}` : ''}`;
  }

  // -- requests and notifications

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[], timeout = 10_000): Promise<CodeAction[]> {
    return withTimeout(
      this.connection.sendRequest<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } }).then((a) => a ?? []),
      timeout,
      'textDocument/codeAction',
    );
  }

  /** Any notification, by method name (the custom deliverlint/* notifications). */
  async notify(method: string, params: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** Any request, by method name (the custom deliverlint/* requests). */
  request<T>(method: string, params: unknown): Promise<T> {
    return withTimeout(this.connection.sendRequest<T>(method, params), 10_000, method);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return withTimeout(this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position }), 10_000, 'textDocument/hover');
  }

  definition(uri: string, position: Position): Promise<Definition | LocationLink[] | null> {
    return withTimeout(
      this.connection.sendRequest<Definition | LocationLink[] | null>('textDocument/definition', { textDocument: { uri }, position }),
      10_000,
      'textDocument/definition',
    );
  }

  async changeConfiguration(): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { deliverlint: this.settings } });
  }

  async watchedFilesChanged(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** Resident and peak resident memory of the server process in MiB (Linux /proc), else undefined. */
  memory(): { rssMb: number; peakRssMb: number } | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  /**
   * The server's memory after a full garbage collection, in MiB, through the test-only request
   * (the server must run with DELIVERLINT_TEST_HOOKS=1 in `env` and --expose-gc in `nodeArgs`).
   */
  heap(): Promise<ServerMemory> {
    return withTimeout(this.connection.sendRequest<ServerMemory>(TEST_MEMORY_REQUEST, {}), 30_000, TEST_MEMORY_REQUEST);
  }

  /** The server's scheduling counters, through the test-only request (DELIVERLINT_TEST_HOOKS=1). */
  status(): Promise<{ lintThreadsPeak: number }> {
    return withTimeout(this.connection.sendRequest<{ lintThreadsPeak: number }>(TEST_STATUS_REQUEST, {}), 10_000, TEST_STATUS_REQUEST);
  }

  // -- teardown

  /** shutdown + exit; kills the process if it has not exited within the bound. Returns the exit code. */
  async stop(): Promise<number | null> {
    try {
      if (this.child.exitCode === null) {
        await withTimeout(this.connection.sendRequest('shutdown'), 5_000, 'the shutdown response');
        await this.connection.sendNotification('exit');
      }
      return await withTimeout(this.exited, 5_000, 'the server to exit');
    } catch {
      this.child.kill('SIGKILL');
      return null;
    } finally {
      this.connection.dispose();
    }
  }
}

/** A diagnostic's message as text (LSP 3.18 also allows markup). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** Diagnostics of one rule. */
export function byCode(p: Published | undefined, code: string): Diagnostic[] {
  return (p?.diagnostics ?? []).filter((d) => d.code === code);
}
