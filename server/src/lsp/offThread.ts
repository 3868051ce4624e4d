// Lints of very large open documents on a worker thread (lintWorker.ts, bundled to
// dist/serverWorker.js). A 20 MB template takes seconds to lint; on the main thread that held up
// every request and every other document for as long. Each lint gets its own thread, terminated
// when a newer version or a close supersedes it, so a lint that no longer matters stops at once
// and its memory is released with the thread.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Composition } from '../core/compose';
import type { LintRequest, LintResult } from '../core/types';

/**
 * Documents longer than this (characters; about 2 MB of markup) are linted off the main thread. A
 * lint of one this size takes a few hundred ms; below it, starting a thread and copying the text
 * cost more than they save.
 */
export const LARGE_DOCUMENT_CHARS = 2 * 1024 * 1024;

export const SERVER_WORKER_FILE = path.join(__dirname, 'serverWorker.js');

/**
 * What the worker is sent: the request without its reader, the open documents' texts for it, and
 * whether to lint it or to apply every safe fix (fix-all) and give the fixed text.
 */
export interface LintJob {
  request: Omit<LintRequest, 'reader'>;
  openTexts: Array<[string, string]>;
  mode?: 'lint' | 'fix';
}

/** A composition without its functions and its per-part texts: what hover and the include graph read. */
type PortableComposition = Omit<Composition, 'sourceOf' | 'place' | 'resolved' | 'links' | 'text'>;
type PortableResult = Omit<LintResult, 'composition'> & { composition?: PortableComposition };

export type LintJobAnswer = { result?: PortableResult; fixedText?: string; error?: string };

/** The result as it can cross to another thread (structured clone copies no functions). */
export function portableResult(result: LintResult): PortableResult {
  const { composition, ...rest } = result;
  if (!composition) return rest;
  const { engine, role, shell, parts, unresolved, references } = composition;
  return { ...rest, composition: { engine, role, shell, parts, unresolved, references } };
}

/** Back to a LintResult: the part texts stay in the worker, so their places are unknown here. */
export function restoredResult(portable: PortableResult): LintResult {
  const { composition, ...rest } = portable;
  if (!composition) return rest;
  return { ...rest, composition: { ...composition, text: '', links: [], resolved: new Map(), sourceOf: () => undefined, place: () => undefined } };
}

export class LintCancelled extends Error {
  constructor() {
    super('superseded');
  }
}

export interface Running<T> {
  result: Promise<T>;
  /** Stops the job (terminates its thread); `result` rejects with LintCancelled. */
  cancel(): void;
}

export type RunningLint = Running<LintResult>;

/** Whether lints can go to a thread: false when the worker bundle is missing (an old dist/). */
export function offThreadAvailable(workerFile = SERVER_WORKER_FILE): boolean {
  return fs.existsSync(workerFile);
}

/** Starts one lint on a new thread. */
export function lintOffThread(job: LintJob, workerFile = SERVER_WORKER_FILE): RunningLint {
  return runOnThread({ ...job, mode: 'lint' }, workerFile, (answer) => {
    if (!answer.result) throw new Error('the lint thread gave no result');
    return restoredResult(answer.result);
  });
}

/** Applies every safe fix on a new thread, as fix-all does: the fixed text. */
export function fixOffThread(job: LintJob, workerFile = SERVER_WORKER_FILE): Running<string> {
  return runOnThread({ ...job, mode: 'fix' }, workerFile, (answer) => {
    if (answer.fixedText === undefined) throw new Error('the lint thread gave no fixed text');
    return answer.fixedText;
  });
}

function runOnThread<T>(job: LintJob, workerFile: string, decode: (answer: LintJobAnswer) => T): Running<T> {
  const worker = new Worker(workerFile);
  let settled = false;
  let reject!: (err: Error) => void;
  const result = new Promise<T>((resolve, rej) => {
    reject = rej;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (answer: LintJobAnswer) =>
      finish(() => {
        if (answer.error !== undefined) return rej(new Error(answer.error));
        try {
          resolve(decode(answer));
        } catch (err) {
          rej(err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
    worker.once('error', (err) => finish(() => rej(err)));
    worker.once('exit', (code) => finish(() => rej(new Error(`the lint thread exited with code ${code}`))));
  });
  worker.postMessage(job);
  return {
    result,
    cancel: () => {
      if (settled) return;
      settled = true;
      reject(new LintCancelled());
      void worker.terminate();
    },
  };
}
