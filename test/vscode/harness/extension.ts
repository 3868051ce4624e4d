// A test-only extension that the e2e runner installs beside the packaged Deliverlint. Once the
// window has started, it loads the compiled mocha suites (DELIVERLINT_E2E_SUITE, the same entry
// @vscode/test-electron uses), runs them in this extension host against the real `vscode` API,
// and writes the results to DELIVERLINT_E2E_RESULT for the runner. Without those variables (a
// window the runner drives as a person) it does nothing.

import * as fs from 'node:fs';
import type * as vscode from 'vscode';

interface SuiteModule {
  runSuites(mode?: string, grep?: string, onProgress?: (partial: unknown) => void): Promise<unknown>;
  writeResults(file: string, results: unknown): void;
}

export function activate(_context: vscode.ExtensionContext): void {
  const suite = process.env.DELIVERLINT_E2E_SUITE;
  const resultFile = process.env.DELIVERLINT_E2E_RESULT;
  if (!suite || !resultFile) return;
  // Not awaited: activation must return for the window to go on starting.
  void runAndReport(suite, resultFile);
}

async function runAndReport(suite: string, resultFile: string): Promise<void> {
  try {
    // A path known only at run time: the runner compiles the suites into the checkout's out/.
    const module = require(suite) as SuiteModule;
    const results = await module.runSuites(undefined, undefined, (partial) => module.writeResults(resultFile, partial));
    module.writeResults(resultFile, results);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    // Plain write: the runner reads the file once it exists, and this is the last word.
    fs.writeFileSync(resultFile, JSON.stringify({ done: true, error: `The suites could not run: ${error}` }));
  }
}

export function deactivate(): void {}
