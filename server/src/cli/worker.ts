// A CLI lint worker (bundled to dist/cliWorker.js): lints the batches of files cliPool.ts sends
// and posts each file's report back. Holds no state between batches but the configurations.

import { parentPort, workerData } from 'node:worker_threads';
import { lintFileForCli } from './lintFile';
import type { ResolvedConfig } from '../core/types';
import type { ConfigurationSetIndex } from '../core/infra/sets';
import type { BatchMessage, BatchResult, PoolWorkerData } from './pool';

const { options } = workerData as PoolWorkerData;
const configs = new Map<number, ResolvedConfig>();
/** The run's configuration sets, sent before the first file that may name one. */
let sets: ConfigurationSetIndex | undefined;

parentPort!.on('message', (batch: BatchMessage) => {
  for (const [id, config] of batch.configs) configs.set(id, config);
  if (batch.configurationSets) sets = batch.configurationSets;
  const out: BatchResult = batch.jobs.map((job) => {
    try {
      return { index: job.index, report: lintFileForCli(job.file, configs.get(job.configId)!, job.named, options, job.roots, sets) };
    } catch (err) {
      return { index: job.index, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
  });
  parentPort!.postMessage(out);
});
