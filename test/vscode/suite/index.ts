// Entry of the extension-host suites. @vscode/test-electron calls `run()` (its extensionTestsPath
// contract); the e2e harness extension calls `runSuites()` inside code-server and writes the result
// for the runner. Both run the same compiled suites with mocha against the real `vscode` API.
//
// DELIVERLINT_E2E_MODE chooses the suites: `trusted` (default) or `restricted` (the window opened
// in Restricted Mode).

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
  /** Why a test is pending (a feature not in the packaged extension yet). */
  reason?: string;
}

export interface SuiteResults {
  mode: string;
  vscodeVersion: string;
  tests: TestResult[];
  passed: number;
  failed: number;
  pending: number;
  /** False while the suites are still running (a progress write); the test running then. */
  done: boolean;
  running?: string;
}

const SUITES: Record<string, string[]> = {
  trusted: ['diagnostics', 'codeActions', 'settings', 'sendConfig', 'domainCheck', 'trust'],
  restricted: ['restricted'],
};

function errorText(err: unknown): string {
  if (err instanceof Error) return (err.stack ?? `${err.name}: ${err.message}`).split('\n').slice(0, 8).join('\n');
  return String(err);
}

export async function runSuites(
  mode = process.env.DELIVERLINT_E2E_MODE ?? 'trusted',
  grep = process.env.DELIVERLINT_E2E_GREP,
  onProgress?: (partial: SuiteResults) => void,
): Promise<SuiteResults> {
  const names = SUITES[mode];
  if (!names) throw new Error(`Unknown DELIVERLINT_E2E_MODE "${mode}": use ${Object.keys(SUITES).join(' or ')}`);
  // Imported here so that loading this module never needs vscode outside an extension host.
  const vscode = await import('vscode');
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'spec' });
  if (grep) mocha.grep(grep);
  for (const name of names) mocha.addFile(path.join(__dirname, `${name}.suite.js`));

  const tests: TestResult[] = [];
  const summary = (done: boolean, running?: string): SuiteResults => ({
    mode,
    vscodeVersion: vscode.version,
    tests: [...tests],
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    done,
    ...(running ? { running } : {}),
  });
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    // Progress, so that a runner that gives up on a hung test can say which one it was.
    runner.on('test', (test) => onProgress?.(summary(false, test.fullTitle())));
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('fail', (test, err) => {
      // A failing hook reports under the hook's title; say which tests it kept from running.
      tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: errorText(err) });
    });
    runner.on('pending', (test) => {
      const reason = (test as { pendingReason?: string }).pendingReason;
      tests.push({ title: test.fullTitle(), state: 'pending', durationMs: 0, ...(reason ? { reason } : {}) });
    });
  });
  return summary(true);
}

/** Writes the results where the runner waits for them: to a temporary name, then renamed. */
export function writeResults(file: string, results: SuiteResults | { error: string }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/** @vscode/test-electron's entry: rejects when any test failed. */
export async function run(): Promise<void> {
  const results = await runSuites();
  const file = process.env.DELIVERLINT_E2E_RESULT;
  if (file) writeResults(file, results);
  for (const t of results.tests.filter((t) => t.state === 'pending')) console.log(`pending: ${t.title}${t.reason ? ` (${t.reason})` : ''}`);
  if (results.failed) throw new Error(`${results.failed} test(s) failed`);
}
