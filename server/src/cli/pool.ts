// Lints many files on all cores: a pool of worker threads (dist/cliWorker.js) that take small
// batches of files from a shared queue, so a few large files do not leave a core idle. Files are
// queued as the folder walk finds them, so linting starts before the walk ends. Results come back
// in the order the files were queued; the CLI sorts them, so the output never depends on which
// worker was faster.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from '../core/types';
import type { ConfigurationSetIndex } from '../core/infra/sets';
import type { CliLintOptions } from './lintFile';
import type { FileReport } from './formatters';

/** What a worker is sent: files to lint, and the configurations it has not seen yet (by id). */
export interface BatchMessage {
  /** `roots`: the folders the lint may read from (lintFile.ts, readerFor). */
  jobs: Array<{ index: number; file: string; configId: number; named: boolean; roots: readonly string[] }>;
  configs: Array<[number, ResolvedConfig]>;
  /** The run's configuration sets, once per worker (setConfigurationSets), before files that may name one. */
  configurationSets?: ConfigurationSetIndex;
}

export type BatchResult = Array<{ index: number; report?: FileReport; error?: string }>;

export interface PoolWorkerData {
  options: CliLintOptions;
}

/** Below this many files, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 16;

/** Files per message while plenty are queued; smaller batches at the end let the threads finish together. */
const BATCH = 16;

export const WORKER_FILE = path.join(__dirname, 'cliWorker.js');

/** DELIVERLINT_CLI_WORKERS when set to a number (0: lint on the main thread), else one per core. */
function wantedWorkers(): number {
  const env = process.env['DELIVERLINT_CLI_WORKERS'];
  return env !== undefined && /^\d+$/.test(env.trim()) ? Number(env) : os.availableParallelism();
}

/**
 * How many workers to lint `files` files with: none for a handful of files (unless
 * DELIVERLINT_CLI_WORKERS asks), and none when the worker bundle is missing (an old dist/).
 */
export function poolSize(files: number, workerFile = WORKER_FILE): number {
  const explicit = process.env['DELIVERLINT_CLI_WORKERS'] !== undefined;
  if (!explicit && files < MIN_FILES_FOR_WORKERS) return 0;
  const wanted = wantedWorkers();
  if (wanted <= 0 || !fs.existsSync(workerFile)) return 0;
  return Math.min(wanted, files);
}

interface Slot {
  worker: Worker;
  /** Configuration ids this worker has been sent. */
  known: Set<number>;
  /** Batches sent and not yet answered. */
  inFlight: number;
  /** It has been sent the run's configuration sets. */
  hasSets?: boolean;
}

/**
 * Batches each worker holds at once: the second waits in its queue while it lints the first, so it
 * never idles for the round trip to the main thread (which may be busy walking folders).
 */
const IN_FLIGHT = 2;

/**
 * Worker threads that lint the files `add` queues. Started as soon as many files are likely (a
 * folder to walk), so loading the bundle in each thread overlaps the walk; `finish` says no more
 * files come and waits for the reports; `close` stops the threads.
 */
export class LintPool {
  private readonly slots: Slot[] = [];
  private readonly jobs: BatchMessage['jobs'] = [];
  private readonly results: Array<FileReport | undefined> = [];
  // Configurations are sent once per worker, by id: thousands of files share a handful.
  private readonly configIds = new Map<ResolvedConfig, number>();
  private readonly configs: ResolvedConfig[] = [];
  private next = 0;
  private sets: ConfigurationSetIndex | undefined;
  private reported = 0;
  private finishing = false;
  private failure: Error | undefined;
  private settle: { resolve(reports: Array<FileReport | undefined>): void; reject(err: Error): void } | undefined;

  private constructor(size: number, options: CliLintOptions, workerFile: string) {
    for (let w = 0; w < size; w++) {
      const slot: Slot = { worker: new Worker(workerFile, { workerData: { options } satisfies PoolWorkerData }), known: new Set(), inFlight: 0 };
      slot.worker.on('message', (done: BatchResult) => this.receive(slot, done));
      slot.worker.on('error', (err) => this.fail(err));
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a lint worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  /** A pool of one worker per core, or undefined when workers are off or their bundle is missing. */
  static start(options: CliLintOptions, workerFile = WORKER_FILE): LintPool | undefined {
    const size = wantedWorkers();
    if (size <= 0 || !fs.existsSync(workerFile)) return undefined;
    return new LintPool(size, options, workerFile);
  }

  /** The configuration sets of the run: every worker gets them with its next batch (files queued after this call). */
  setConfigurationSets(sets: ConfigurationSetIndex): void {
    this.sets = sets;
  }

  /** Queues one file; its report is at the position `add` returns in what `finish` gives. */
  add(file: string, config: ResolvedConfig, named: boolean, roots: readonly string[]): number {
    let configId = this.configIds.get(config);
    if (configId === undefined) {
      configId = this.configs.length;
      this.configIds.set(config, configId);
      this.configs.push(config);
    }
    const index = this.jobs.length;
    this.jobs.push({ index, file, configId, named, roots });
    this.dispatch();
    return index;
  }

  /** No more files: resolves with every file's report, in the order they were added. */
  finish(): Promise<Array<FileReport | undefined>> {
    this.finishing = true;
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.failure) return reject(this.failure);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.next < this.jobs.length && !this.failure) {
      const slot = this.leastBusy();
      if (slot.inFlight >= IN_FLIGHT) break;
      const left = this.jobs.length - this.next;
      // While the walk goes on, only full batches: single files would cost a message each.
      if (!this.finishing && left < BATCH) return;
      const take = this.finishing ? Math.max(1, Math.min(BATCH, Math.floor(left / (this.slots.length * IN_FLIGHT * 2)))) : BATCH;
      slot.inFlight++;
      const batch: BatchMessage = { jobs: this.jobs.slice(this.next, this.next + take), configs: [] };
      if (this.sets && !slot.hasSets) {
        slot.hasSets = true;
        batch.configurationSets = this.sets;
      }
      for (const job of batch.jobs) {
        if (!slot.known.has(job.configId)) {
          slot.known.add(job.configId);
          batch.configs.push([job.configId, this.configs[job.configId]!]);
        }
      }
      this.next += take;
      slot.worker.postMessage(batch);
    }
    if (this.finishing && this.reported === this.jobs.length) this.settle?.resolve(this.results);
  }

  private receive(slot: Slot, done: BatchResult): void {
    for (const r of done) {
      if (r.error !== undefined) return this.fail(new Error(`${this.jobs[r.index]!.file}: ${r.error}`));
      this.results[r.index] = r.report;
    }
    this.reported += done.length;
    slot.inFlight--;
    this.dispatch();
  }

  private leastBusy(): Slot {
    let best = this.slots[0]!;
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    return best;
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.settle?.reject(err);
  }
}
