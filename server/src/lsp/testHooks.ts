// Requests for the protocol tests and the benchmark only: the server's memory after a forced
// garbage collection, so a test can tell a leak from garbage not yet collected, and counters of its
// scheduling. Registered only when
// the process is started with DELIVERLINT_TEST_HOOKS=1; an editor never sets it, so a normal server
// does not answer these.

import type { Connection } from 'vscode-languageserver/node';

export const TEST_HOOKS_ENV = 'DELIVERLINT_TEST_HOOKS';
export const TEST_MEMORY_REQUEST = 'deliverlint/test/memory';
/** Counters of the server's scheduling that a test cannot see from outside. */
export const TEST_STATUS_REQUEST = 'deliverlint/test/status';

export interface ServerStatus {
  /** The most lint threads (very large documents) that ran at once. */
  lintThreadsPeak: number;
}

export interface ServerMemory {
  /** Whether a collection ran (the process needs --expose-gc). */
  gc: boolean;
  heapUsedMb: number;
  externalMb: number;
  rssMb: number;
}

const MB = 1024 * 1024;

export function testHooksEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TEST_HOOKS_ENV] === '1';
}

/** Collects (twice: weak references freed by the first are reclaimed by the second) and measures. */
export function collectAndMeasure(): ServerMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { gc: !!gc, heapUsedMb: m.heapUsed / MB, externalMb: m.external / MB, rssMb: m.rss / MB };
}

export function registerTestHooks(connection: Connection, status: () => ServerStatus): void {
  if (!testHooksEnabled()) return;
  connection.onRequest(TEST_MEMORY_REQUEST, () => collectAndMeasure());
  connection.onRequest(TEST_STATUS_REQUEST, () => status());
}
