// Lints many files on all cores: a pool of worker threads (dist/cliWorker.js) that take small
// batches of files from a shared queue, so a few large files do not leave a core idle. Results are
// put back in the order of the input, so the output never depends on which worker was faster.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from './core/types';
import type { CliLintOptions } from './cliLint';
import type { FileReport } from './format';

export interface PoolJob {
  file: string;
  config: ResolvedConfig;
  named: boolean;
}

/** What a worker is sent: files to lint, and the configurations it has not seen yet (by id). */
export interface BatchMessage {
  jobs: Array<{ index: number; file: string; configId: number; named: boolean }>;
  configs: Array<[number, ResolvedConfig]>;
}

export type BatchResult = Array<{ index: number; report?: FileReport; error?: string }>;

export interface PoolWorkerData {
  options: CliLintOptions;
}

/** Below this many files, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 16;

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

/**
 * Worker threads, started as soon as many files are likely (a folder to walk), so that loading the
 * bundle in each thread overlaps the walk; `lint` uses them, `close` stops them.
 */
export class LintPool {
  private readonly workers: Worker[] = [];

  private constructor(size: number, options: CliLintOptions, workerFile: string) {
    for (let w = 0; w < size; w++) this.workers.push(new Worker(workerFile, { workerData: { options } satisfies PoolWorkerData }));
  }

  /** A pool of one worker per core, or undefined when workers are off or their bundle is missing. */
  static start(options: CliLintOptions, workerFile = WORKER_FILE): LintPool | undefined {
    const size = wantedWorkers();
    if (size <= 0 || !fs.existsSync(workerFile)) return undefined;
    return new LintPool(size, options, workerFile);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Lints `files`; `jobFor` gives each file's configuration (it may throw, for a broken rc file:
   * nothing is linted then). Reports come back in the order of `files`.
   */
  lint(files: string[], jobFor: (file: string) => Omit<PoolJob, 'file'>, size = this.workers.length): Promise<Array<FileReport | undefined>> {
    const jobs = files.map((file) => ({ file, ...jobFor(file) }));
    // Configurations are sent once per worker, by id: thousands of files share a handful.
    const configIds = new Map<ResolvedConfig, number>();
    const configs: ResolvedConfig[] = [];
    const jobConfig = jobs.map((j) => {
      let id = configIds.get(j.config);
      if (id === undefined) {
        id = configs.length;
        configIds.set(j.config, id);
        configs.push(j.config);
      }
      return id;
    });
    return run(this.workers.slice(0, Math.max(1, size)), jobs, jobConfig, configs);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function run(workers: Worker[], jobs: PoolJob[], jobConfig: number[], configs: ResolvedConfig[]): Promise<Array<FileReport | undefined>> {
  const results: Array<FileReport | undefined> = new Array(jobs.length);
  let next = 0;
  return new Promise((resolve, reject) => {
    let running = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    const feed = (worker: Worker, known: Set<number>) => {
      if (failed) return;
      if (next >= jobs.length) {
        if (--running === 0) resolve(results);
        return;
      }
      // Large batches while much is left, single files at the end so the threads finish together.
      const left = jobs.length - next;
      const take = Math.max(1, Math.min(16, Math.floor(left / (workers.length * 4))));
      const batch: BatchMessage = { jobs: [], configs: [] };
      for (let i = next; i < next + take; i++) {
        const id = jobConfig[i]!;
        if (!known.has(id)) {
          known.add(id);
          batch.configs.push([id, configs[id]!]);
        }
        batch.jobs.push({ index: i, file: jobs[i]!.file, configId: id, named: jobs[i]!.named });
      }
      next += take;
      worker.postMessage(batch);
    };
    for (const worker of workers) {
      running++;
      const known = new Set<number>();
      worker.on('message', (done: BatchResult) => {
        for (const r of done) {
          if (r.error !== undefined) return fail(new Error(`${jobs[r.index]!.file}: ${r.error}`));
          results[r.index] = r.report;
        }
        feed(worker, known);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0) fail(new Error(`a lint worker exited with code ${code}`));
      });
      feed(worker, known);
    }
  });
}
