// The language server as other editors run it: the `deliverlint-language-server` binary's command
// line, and a client that is not VS Code's (no locale, no initializationOptions or settings in
// them, a workspace/configuration request it never answers, no window/showDocument, no file
// watcher registration, no work done progress). Driven over stdio with a plain JSON-RPC client.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, makeWorkspace, removeWorkspace, ROOT, uriOf, withTimeout } from '../lsp/client';
import { parseServerArgs } from '../../server/src/lsp/commandLine';

const FIXTURE = fs.readFileSync(path.join(ROOT, 'test', 'editors', 'fixtures', 'newsletter.html'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

function runServer(args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'dist', 'server.js'), ...args], { encoding: 'utf8', timeout: 15_000, input: '' });
}

describe('deliverlint-language-server command line', () => {
  it('is a bin of the package, with a shebang', async () => {
    const serverJs = await ensureServerBuilt();
    assert.equal(pkg.bin['deliverlint-language-server'], 'dist/server.js');
    assert.equal(fs.readFileSync(serverJs, 'utf8').split('\n')[0], '#!/usr/bin/env node');
  });

  it('answers --version and --help without starting a server', async () => {
    await ensureServerBuilt();
    for (const flag of ['--version', '-v']) {
      const r = runServer([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${pkg.version}\n`);
    }
    const help = runServer(['--help']);
    assert.equal(help.status, 0, help.stderr);
    for (const word of ['--stdio', '--node-ipc', '--socket=PORT', '--pipe=NAME', '--clientProcessId', 'docs/editors.md']) assert.ok(help.stdout.includes(word), `--help names ${word}`);
    // Help wins over a transport: an editor's misconfigured command line still gets an answer.
    assert.equal(runServer(['--stdio', '-h']).status, 0);
  });

  it('says what is wrong with a command line it cannot serve, escaping what it echoes', async () => {
    await ensureServerBuilt();
    const none = runServer([]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /No transport given: start the server with --stdio/);
    assert.doesNotMatch(none.stderr, /at .*\.js:\d+/, 'no stack trace');
    const unknown = runServer(['--stdio', '--colour\u001b[31m']);
    assert.equal(unknown.status, 2);
    assert.ok(unknown.stderr.includes('Unknown argument "--colour\\u001b[31m"'), unknown.stderr);
    assert.ok(!unknown.stderr.includes('\u001b'));
  });

  it('serves over --socket=PORT: connects to the client listening there', async () => {
    const serverJs = await ensureServerBuilt();
    let accepted!: (socket: net.Socket) => void;
    const connected = new Promise<net.Socket>((resolve) => (accepted = resolve));
    const listener = net.createServer((socket) => accepted(socket));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const child = spawn(process.execPath, [serverJs, `--socket=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const socket = await withTimeout(connected, 15_000, 'the server connecting to the socket');
      const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
      connection.listen();
      const result = await withTimeout(connection.sendRequest<{ serverInfo?: { name: string; version?: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} }), 15_000, 'initialize over the socket');
      assert.deepEqual(result.serverInfo, { name: 'deliverlint', version: pkg.version });
      connection.dispose();
      socket.destroy();
    } finally {
      child.kill('SIGKILL');
      listener.close();
    }
  });

  it('accepts the transports vscode-languageserver serves, one at a time', () => {
    for (const args of [['--stdio'], ['--node-ipc', '--clientProcessId=42'], ['--socket=6009'], ['--socket', '6009'], ['--pipe=/run/x.sock'], ['--clientProcessId', '7', '--stdio']]) {
      assert.deepEqual(parseServerArgs(args), { action: 'serve' }, args.join(' '));
    }
    assert.equal(parseServerArgs(['--socket=0']).action, 'error');
    assert.equal(parseServerArgs(['--socket=http']).action, 'error');
    assert.equal(parseServerArgs(['--socket']).action, 'error');
    assert.equal(parseServerArgs(['--stdio', '--node-ipc']).action, 'error');
    assert.equal(parseServerArgs(['--stdio=yes']).action, 'error');
  });
});

/** A client of the least an LSP client has: no answers it does not choose to give. */
class BareClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly messages: string[] = [];
  configurationRequests = 0;
  private readonly connection: MessageConnection;
  private constructor(
    readonly child: ChildProcess,
    answer: (items: Array<{ section?: string }>) => unknown | Promise<unknown>,
  ) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => {
      this.configurationRequests++;
      return answer(p.items);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.push(p);
    });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => {
      this.messages.push(p.message);
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.messages.push(p.message);
    });
    this.connection.listen();
  }

  static async start(folder: string, capabilities: Record<string, unknown>, answer: (items: Array<{ section?: string }>) => unknown, initializationOptions?: unknown, env: Record<string, string> = {}): Promise<BareClient> {
    const serverJs = await ensureServerBuilt();
    // The editor's environment, without a locale unless the test gives one.
    const base = { ...process.env };
    for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG']) delete base[k];
    const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...base, ...env } });
    const client = new BareClient(child, answer);
    await withTimeout(
      client.connection.sendRequest('initialize', { processId: process.pid, rootUri: uriOf(folder), workspaceFolders: [{ uri: uriOf(folder), name: 'ws' }], capabilities, initializationOptions }),
      15_000,
      'initialize',
    );
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'html', version: 1, text } });
  }

  async diagnosticsOf(uri: string, ms: number): Promise<PublishDiagnosticsParams> {
    const started = Date.now();
    for (;;) {
      const found = this.diagnostics.find((d) => d.uri === uri);
      if (found) return found;
      if (Date.now() - started > ms) throw new Error(`No diagnostics for ${uri} within ${ms} ms; messages: ${this.messages.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return withTimeout(this.connection.sendRequest<T>(method, params), 15_000, method);
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 5000, 'shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // Killed below.
    }
    this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

describe('a client that is not VS Code', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeWorkspace));
  const workspace = () => {
    const dir = makeWorkspace({ 'emails/newsletter.html': FIXTURE });
    dirs.push(dir);
    return { dir, uri: uriOf(path.join(dir, 'emails', 'newsletter.html')) };
  };
  const ids = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code).sort();

  it('lints when workspace/configuration is never answered, with the settings it sent at start', async () => {
    const { dir, uri } = workspace();
    // Says it answers workspace/configuration, and never does.
    const client = await BareClient.start(dir, { workspace: { configuration: true } }, () => new Promise(() => {}), { settings: { rules: { 'postal-address-missing': 'off' } } });
    try {
      await client.open(uri, FIXTURE);
      const published = await client.diagnosticsOf(uri, 20_000);
      assert.ok(client.configurationRequests > 0);
      assert.deepEqual(ids(published), ['merge-tag-unclosed', 'unsubscribe-link-missing']);
      assert.ok(client.messages.some((m) => m.includes('did not answer workspace/configuration')));
    } finally {
      await client.stop();
    }
  });

  it('takes initializationOptions.settings when the answer is null (Neovim with no settings), and the locale from the environment', async () => {
    const { dir, uri } = workspace();
    const client = await BareClient.start(dir, { workspace: { configuration: true } }, (items) => items.map(() => null), { settings: { rules: { 'merge-tag-unclosed': 'off' } } }, { LANG: 'ja_JP.UTF-8' });
    try {
      await client.open(uri, FIXTURE);
      const published = await client.diagnosticsOf(uri, 20_000);
      assert.deepEqual(ids(published), ['postal-address-missing', 'unsubscribe-link-missing']);
      const missing = published.diagnostics.find((d) => d.code === 'unsubscribe-link-missing')!;
      assert.match(String(missing.message), /[\u3040-\u30ff\u4e00-\u9fff]/, 'Japanese, from LANG');
    } finally {
      await client.stop();
    }
  });

  it('with no capabilities at all: lints, offers fixes, and shows the rule page as a message', async () => {
    const { dir, uri } = workspace();
    const client = await BareClient.start(dir, {}, () => {
      throw new Error('not asked: the client did not say it answers');
    });
    try {
      await client.open(uri, FIXTURE);
      const published = await client.diagnosticsOf(uri, 20_000);
      assert.equal(client.configurationRequests, 0);
      assert.deepEqual(ids(published), ['merge-tag-unclosed', 'postal-address-missing', 'unsubscribe-link-missing']);
      const finding = published.diagnostics.find((d) => d.code === 'unsubscribe-link-missing')!;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } });
      assert.ok(actions.some((a) => a.kind === 'quickfix' && a.edit), 'a quick fix with an edit');
      const docs = actions.find((a) => a.command?.command && a.command.arguments?.[0] === 'unsubscribe-link-missing' && !a.edit)!;
      assert.ok(docs, 'the rule documentation action');
      await client.request('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
      const started = Date.now();
      while (!client.messages.some((m) => m === finding.codeDescription?.href) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
      assert.ok(client.messages.includes(finding.codeDescription!.href), `the page's URL as a message: ${client.messages.join(' | ')}`);
    } finally {
      await client.stop();
    }
  });
});
