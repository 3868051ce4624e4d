// The language server's lint thread (bundled to dist/serverWorker.js): lints one very large open
// document (or applies its safe fixes, for fix-all) off the main thread, so the server keeps answering while it runs, and posts back what
// the server needs of the result. One thread per lint: a newer version or a close terminates it,
// which is the only way to stop a synchronous lint, and its memory goes with it.

import { parentPort } from 'node:worker_threads';
import type { LintResult } from '../core/types';
import { cachingReader } from '../host/files';
import { linter } from '../linter';
import { portableResult, type LintJob, type LintJobAnswer } from './offThread';

parentPort!.once('message', (job: LintJob) => {
  let answer: LintJobAnswer;
  try {
    const open = new Map(job.openTexts);
    // Layouts and partials open in the editor count with their unsaved text, as on the main thread.
    const reader = cachingReader({ maxChars: 16 * 1024 * 1024, maxFiles: 4096, first: (p) => open.get(p) });
    if (job.mode === 'fix') {
      answer = { fixedText: linter.fixText({ ...job.request, reader }).text };
    } else {
      const result: LintResult = linter.lint({ ...job.request, reader });
      answer = { result: portableResult(result) };
    }
  } catch (err) {
    answer = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(answer);
});
