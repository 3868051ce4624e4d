// The language-server benchmarks: the bundled dist/server.js over stdio, driven by the tests' LSP
// client (test/lsp/client.ts), which timestamps with performance.now(). Startup, typing
// latency (idle and during the background scan of a large workspace) and memory.
// Every wait is bounded; a server that stops answering fails the step, never hangs the bench.

import { LspClient, uriOf } from '../test/lsp/client';
import { leastSquares, median, percentile, sleep } from './stats';

export { uriOf };

/**
 * Starts dist/server.js as it is (run.ts built it) with the tests' LSP client. `scoped` gives
 * settings for single documents by URI; everything else gets the defaults.
 */
export async function startServer(
  serverJs: string,
  folders: string[],
  scoped: Record<string, Record<string, unknown>> = {},
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<LspClient> {
  const client = await LspClient.start({ serverJs, folders, settings: {}, nodeArgs, env, clientName: 'deliverlint-bench' });
  for (const [uri, settings] of Object.entries(scoped)) client.scopedSettings.set(uri, settings);
  return client;
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
 * typist would; `include(sentAt)` says which edits count (the ones sent while a scan ran, say;
 * times are the client's clock, `client.now()`).
 * Returns after the last edit's diagnostics arrive (bounded) plus a short quiet period.
 */
export async function typeInto(
  client: LspClient,
  uri: string,
  cursor: [number, number],
  opts: { intervalMs: number; durationMs: number; include?: (sentAt: number) => boolean },
): Promise<TypingResult & { lastVersion: number }> {
  const sent = new Map<number, number>();
  const fromIndex = client.mark(uri);
  const edits = Math.max(1, Math.floor(opts.durationMs / opts.intervalMs));
  const start = client.now();
  let version = client.version(uri);
  for (let k = 0; k < edits; k++) {
    const due = start + k * opts.intervalMs;
    const wait = due - client.now();
    if (wait > 0) await sleep(wait);
    const ch = TYPED[k % TYPED.length]!;
    const pos = { line: cursor[0], character: cursor[1] + k };
    const at = client.now();
    version = await client.edit(uri, [{ range: { start: pos, end: pos }, newText: ch }]);
    sent.set(version, at);
  }
  const last = version;
  await client.waitForDiagnostics(uri, (p) => (p.version ?? -1) >= last, { after: fromIndex, timeout: 15_000 });
  await sleep(300); // anything still in flight arrives now, so a late stale publish is counted
  const mine = (client.published.get(uri) ?? []).slice(fromIndex);
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

// ---- memory growth --------------------------------------------------------------------------------

/**
 * How the memory step starts the server: with --expose-gc and the test-only memory request
 * (server/src/lsp/testHooks.ts), so the heap is read after a forced collection. `leakKb` preloads
 * test/tools/leak.cjs, which keeps that many KB for every edit the server reads: an artificial leak
 * of a known rate, to show the measurement catches one.
 */
export function memoryServerOptions(leakKb = 0): { nodeArgs: string[]; env: Record<string, string> } {
  const nodeArgs = ['--expose-gc'];
  const env: Record<string, string> = { DELIVERLINT_TEST_HOOKS: '1' };
  if (leakKb > 0) {
    nodeArgs.push('--require', new URL('../test/tools/leak.cjs', import.meta.url).pathname);
    env['DELIVERLINT_TEST_LEAK_KB'] = String(leakKb);
  }
  return { nodeArgs, env };
}

export interface MemoryGrowth {
  cycles: number;
  /** Heap used (MiB) after a forced collection, with the cycle it was read after. */
  samples: Array<[cycle: number, heapMb: number]>;
  /** The fitted line's slope, in MiB per 1,000 cycles. */
  slopeMbPer1000: number;
  /** Growth over the measured cycles from the fitted line (slope x cycles). */
  growthMb: number;
  /** RSS (MiB) at the same points, for reference: it moves with the allocator, not only with leaks. */
  rssSamplesMb: number[];
}

/**
 * Edit-and-diagnose cycles on an open document (type a character, or delete it again; wait for
 * that version's diagnostics), after `warmup` of them; the heap is read after a forced collection
 * in the server every `every` cycles, and a least-squares line is fitted to those readings. Growth
 * read as a difference of two RSS readings swung by ±20 MB between runs of the same commit (the
 * collector's timing and the allocator's pages); the slope of collected heap does not.
 */
export async function measureMemoryGrowth(client: LspClient, uri: string, text: string, opts: { cycles: number; every: number; warmup: number }): Promise<MemoryGrowth> {
  await client.open(uri, text);
  await client.waitForVersion(uri, 1, 30_000);
  const [line, character] = cursorIn(text);
  const at = { line, character };
  const cycle = async (k: number) => {
    const range = { start: at, end: k % 2 === 0 ? at : { line, character: character + 1 } };
    const v = await client.edit(uri, [{ range, newText: k % 2 === 0 ? 'x' : '' }]);
    await client.waitForVersion(uri, v, 15_000);
    // Trim the document's publish log so the client's own bookkeeping stays small.
    const log = client.published.get(uri)!;
    if (log.length > 1_000) log.splice(0, log.length - 100);
  };
  for (let k = 0; k < opts.warmup; k++) await cycle(k);
  const samples: Array<[number, number]> = [];
  const rssSamplesMb: number[] = [];
  const sample = async (k: number) => {
    const m = await client.heap();
    if (!m.gc) throw new Error('the server was started without --expose-gc: no forced collection');
    samples.push([k, m.heapUsedMb]);
    rssSamplesMb.push(m.rssMb);
  };
  await sample(0);
  for (let k = 0; k < opts.cycles; k++) {
    // With `every` even, each reading is taken on the same text (the character typed, then deleted).
    await cycle(opts.warmup + k);
    if ((k + 1) % opts.every === 0) await sample(k + 1);
  }
  const { slope } = leastSquares(samples);
  return { cycles: opts.cycles, samples, slopeMbPer1000: slope * 1000, growthMb: slope * opts.cycles, rssSamplesMb };
}
