// The language-server benchmarks: the bundled dist/server.js over stdio, driven by a JSON-RPC
// client like the one in test/lsp/client.ts, with high-resolution timestamps. Startup, typing
// latency (idle and during the background scan of a large workspace) and memory.
// Every wait is bounded; a server that stops answering fails the step, never hangs the bench.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { median, percentile, sleep } from './stats';

export const uriOf = (p: string) => pathToFileURL(p).href;

export interface Publish {
  uri: string;
  version: number | null | undefined;
  /** performance.now() in this process when the notification was read. */
  at: number;
  diagnostics: number;
}

type SettingsFor = (scopeUri: string | undefined) => Record<string, unknown>;

/** Rejects when `ms` pass first, naming what was awaited. */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export class BenchClient {
  readonly publishes: Publish[] = [];
  readonly logs: Array<{ at: number; message: string }> = [];
  private readonly wakeups = new Set<() => void>();
  private readonly exited: Promise<void>;
  private stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
    settingsFor: SettingsFor,
    folders: string[],
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) =>
      params.items.map((item) => (item.section === 'deliverlint' ? settingsFor(item.scopeUri) : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/workspaceFolders', () => folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })));
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push({ at: performance.now(), message: p.message });
      this.wake();
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number | null; diagnostics: unknown[] }) => {
      this.publishes.push({ uri: p.uri, version: p.version, at: performance.now(), diagnostics: p.diagnostics.length });
      this.wake();
    });
    connection.listen();
  }

  private wake(): void {
    for (const w of [...this.wakeups]) w();
  }

  /** Spawns the server and initializes it; readyMs is spawn -> initialize response. */
  static async start(serverJs: string, folders: string[], settingsFor: SettingsFor, nodeArgs: string[] = []): Promise<{ client: BenchClient; readyMs: number }> {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new BenchClient(child, connection, settingsFor, folders);
    try {
      await bounded(
        connection.sendRequest('initialize', {
          processId: process.pid,
          clientInfo: { name: 'deliverlint-bench' },
          locale: 'en',
          rootUri: folders[0] ? uriOf(folders[0]) : null,
          workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
          capabilities: {
            workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
            textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } },
          },
        }),
        15_000,
        'the initialize response',
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    const readyMs = performance.now() - t0;
    await connection.sendNotification('initialized', {});
    return { client, readyMs };
  }

  /** Resolves when `predicate` holds (checked on every notification and every 50 ms), else rejects after `ms`. */
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
      await bounded(done, ms, `${what}${this.stderr ? ` (server stderr: ${this.stderr.slice(-300)})` : ''}`);
    } finally {
      this.wakeups.delete(wake);
      clearInterval(poll);
    }
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'html', version, text } });
  }

  /** One incremental change replacing [start, end) (line/character) with `text`. */
  async change(uri: string, version: number, start: [number, number], end: [number, number], text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: start[0], character: start[1] }, end: { line: end[0], character: end[1] } }, text }],
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resident and peak resident memory of the server process, in MiB (Linux /proc). */
  memory(): { rssMb: number; peakRssMb: number } | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  /** shutdown + exit, bounded; SIGKILL when the server does not go. */
  async stop(): Promise<void> {
    try {
      if (this.child.exitCode === null) {
        await bounded(this.connection.sendRequest('shutdown'), 5_000, 'the shutdown response');
        await this.connection.sendNotification('exit');
      }
      await bounded(this.exited, 5_000, 'the server to exit');
    } catch {
      this.child.kill('SIGKILL');
    } finally {
      this.connection.dispose();
    }
  }
}

// ---- typing -------------------------------------------------------------------------------------

export interface TypingResult {
  /** Per edit: ms from sending it to the first diagnostics covering it (its version or a newer one). */
  latencies: number[];
  edits: number;
  /** Publishes for the document during the session. */
  publishes: number;
  /** Publishes for a version older than one already published (or with no version, after a versioned one). */
  stale: number;
}

/** Where typing happens: inside a paragraph near the middle of the document. */
export function cursorIn(text: string): [number, number] {
  const at = text.indexOf('</p>', text.length >> 1);
  const offset = at === -1 ? text.length : at;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return [line, offset - (before.lastIndexOf('\n') + 1)];
}

const TYPED = 'Fresh picks for the weekend trail, packed light and built to last. ';

/**
 * Types into an open document, one character every `intervalMs` for `durationMs`, as a fast
 * typist would; `include(sentAt)` says which edits count (the ones sent while a scan ran, say).
 * Returns after the last edit's diagnostics arrive (bounded) plus a short quiet period.
 */
export async function typeInto(
  client: BenchClient,
  uri: string,
  cursor: [number, number],
  firstVersion: number,
  opts: { intervalMs: number; durationMs: number; include?: (sentAt: number) => boolean },
): Promise<TypingResult & { lastVersion: number }> {
  const sent = new Map<number, number>();
  const fromIndex = client.publishes.length;
  const edits = Math.max(1, Math.floor(opts.durationMs / opts.intervalMs));
  const start = performance.now();
  let version = firstVersion;
  for (let k = 0; k < edits; k++) {
    const due = start + k * opts.intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    version++;
    const ch = TYPED[k % TYPED.length]!;
    const pos: [number, number] = [cursor[0], cursor[1] + k];
    sent.set(version, performance.now());
    await client.change(uri, version, pos, pos, ch);
  }
  const last = version;
  await client.waitUntil(() => client.publishes.some((p, i) => i >= fromIndex && p.uri === uri && (p.version ?? -1) >= last), 15_000, `diagnostics for version ${last}`);
  await sleep(300); // anything still in flight arrives now, so a late stale publish is counted
  const mine = client.publishes.slice(fromIndex).filter((p) => p.uri === uri);
  let stale = 0;
  let newest = -1;
  for (const p of mine) {
    if (typeof p.version !== 'number') {
      if (newest >= 0) stale++;
      continue;
    }
    if (p.version < newest) stale++;
    newest = Math.max(newest, p.version);
  }
  const latencies: number[] = [];
  for (const [v, at] of sent) {
    if (opts.include && !opts.include(at)) continue;
    const covering = mine.find((p) => typeof p.version === 'number' && p.version >= v && p.at >= at);
    if (covering) latencies.push(covering.at - at);
  }
  return { latencies, edits, publishes: mine.length, stale, lastVersion: last };
}

export function summarize(latencies: number[]): { p50Ms: number; p95Ms: number } {
  return { p50Ms: median(latencies), p95Ms: percentile(latencies, 95) };
}
