// npm run test:e2e: the packaged extension in a real VS Code (code-server from the npm registry),
// driven from inside (the mocha suites in the extension host, through a test-only harness
// extension) and from outside (Playwright in Chromium, as a person). See test/vscode/README.md.
//
// Sessions, each a fresh code-server on 127.0.0.1 with a fresh copy of the fixture workspace:
//   1. extension host, trusted window: the mocha suites (diagnostics, quick fixes, settings,
//      send configs, domain check);
//   2. person, trusted window: explorer, squiggle, Problems, Ctrl+. quick fix, command palette;
//   3. Restricted Mode (no --disable-workspace-trust): the restricted suite, then a person's look.
// Prints one line per test, the screenshots, and `N passed, N failed[, N skipped]`; exits 1 on any
// failure, 2 when a prerequisite is missing. code-server and Chromium are always stopped.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { buildHarness, buildSuites, makeWorkspace, packageExtension, ROOT } from './build';
import { installExtensions, startCodeServer, type CodeServer } from './codeServer';
import { startDnsServer, type DnsServer } from './dns-server';
import { ensureTools, SetupError, type Tools } from './install';
import { footerSteps, personSteps, restrictedSteps, Steps, type StepResult } from './person';

const CACHE = path.resolve(process.env.DELIVERLINT_E2E_CACHE ?? path.join(ROOT, '.cache', 'e2e'));
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
/** The whole run after the installs; every wait inside has a smaller bound of its own. */
const RUN_BOUND_MS = Number(process.env.DELIVERLINT_E2E_TIMEOUT_MS ?? 8 * 60_000);
/** How long the extension-host suites may take in one window. */
const SUITES_BOUND_MS = 180_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Result = StepResult;

const results: Result[] = [];
const timings: Array<[string, number]> = [];
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
/** Set on Ctrl+C, SIGTERM or the run's time bound: no new session starts. */
let stopping = false;
/** Synchronous last words, run however the process exits (temp folder, lock file). */
const atExit: Array<() => void> = [];
process.on('exit', () => {
  for (const hook of atExit.splice(0)) {
    try {
      hook();
    } catch {
      // exiting anyway
    }
  }
});

const rel = (p: string) => path.relative(process.cwd(), p) || '.';
const log = (line: string) => console.log(`e2e: ${line}`);

async function timed<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings.push([name, Date.now() - started]);
  }
}

/** Runs every registered cleanup once (newest first), each bounded. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const close of cleanups.splice(0).reverse()) {
      await Promise.race([close().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000))]);
    }
  })();
  return cleaning;
}

async function launchBrowser(tools: Tools): Promise<{ browser: Browser; server: BrowserServer }> {
  const server = await chromium.launchServer({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  cleanups.push(async () => {
    await server.close().catch(() => undefined);
    await server.kill().catch(() => undefined);
  });
  const browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 });
  return { browser, server };
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Copies code-server's and the extension host's logs of a session next to the screenshots. */
function keepLogs(server: CodeServer, name: string): void {
  const target = path.join(RESULTS, 'logs', name);
  fs.mkdirSync(target, { recursive: true });
  try {
    fs.copyFileSync(server.log, path.join(target, 'code-server.log'));
    const logs = path.join(server.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(target, 'vscode'), { recursive: true });
  } catch {
    // logs are a help, not a result
  }
}

function extensionHostLogTail(server: CodeServer): string {
  const logs = path.join(server.userDataDir, 'logs');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$|Deliverlint\.log$/.test(e.name)) found.push(p);
    }
  };
  try {
    walk(logs);
  } catch {
    return '';
  }
  return found.map((f) => `--- ${path.basename(f)}\n${fs.readFileSync(f, 'utf8').trimEnd().split('\n').slice(-15).join('\n')}`).join('\n');
}

interface SuiteFile {
  mode?: string;
  vscodeVersion?: string;
  tests?: Array<{ title: string; state: Result['state']; durationMs: number; error?: string; reason?: string }>;
  error?: string;
  done?: boolean;
  running?: string;
}

function readSuiteFile(file: string): SuiteFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteFile;
  } catch {
    return undefined;
  }
}

/** Waits for the harness's final results; returns the last progress written when it gives up. */
async function waitForSuites(file: string, timeoutMs: number, gaveUp: () => boolean): Promise<SuiteFile | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    const current = readSuiteFile(file);
    if (current?.done) return current;
    await new Promise((r) => setTimeout(r, 250));
  }
  return readSuiteFile(file);
}

interface SessionSpec {
  name: string;
  label: string;
  trusted: boolean;
  /** Extension-host suites to run in this window (DELIVERLINT_E2E_MODE), if any. */
  suites?: 'trusted' | 'restricted';
  /** Person steps, after the suites (if any) have finished. */
  person?: (steps: Steps, page: Page, workspace: string) => Promise<void>;
}

async function runSession(spec: SessionSpec, ctx: { tools: Tools; browser: Browser; extensionsDir: string; temp: string; suiteEntry: string; dns: DnsServer }): Promise<void> {
  const dir = path.join(ctx.temp, spec.name);
  const workspace = makeWorkspace(path.join(dir, 'workspace'), { 'deliverlint.dns.servers': [ctx.dns.address] });
  const resultFile = path.join(dir, 'suite-results.json');
  const env: Record<string, string> = { DELIVERLINT_E2E_DNS: ctx.dns.address };
  if (spec.suites) Object.assign(env, { DELIVERLINT_E2E_SUITE: ctx.suiteEntry, DELIVERLINT_E2E_RESULT: resultFile, DELIVERLINT_E2E_MODE: spec.suites });
  if (spec.suites && process.env.DELIVERLINT_E2E_GREP) env.DELIVERLINT_E2E_GREP = process.env.DELIVERLINT_E2E_GREP;

  let server: CodeServer | undefined;
  const fail = (title: string, error: string) => results.push({ title: `[${spec.label}] ${title}`, state: 'failed', durationMs: 0, error });
  try {
    server = await startCodeServer({ name: spec.name, tools: ctx.tools, extensionsDir: ctx.extensionsDir, dir, workspace, trusted: spec.trusted, env });
    const current = server;
    cleanups.push(() => current.stop());
    const page = await newPage(ctx.browser);
    const steps = new Steps(`[${spec.label}]`, page, RESULTS, spec.name);
    // The extension host starts only once a window is connected.
    const opened = await steps.step('opens the workbench', 'workbench', 90_000, async () => {
      await page.goto(current.url, { timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.getByRole('treeitem', { name: 'emails', exact: true }).waitFor({ timeout: 60_000 });
    });
    results.push(...steps.results.splice(0));

    if (opened && spec.suites) {
      const parsed = await waitForSuites(resultFile, SUITES_BOUND_MS, () => !current.isRunning());
      for (const t of parsed?.tests ?? []) results.push({ ...t, title: `[${spec.label}] ${t.title}` });
      if (parsed?.done && parsed.vscodeVersion) log(`${spec.label}: VS Code ${parsed.vscodeVersion}, ${parsed.tests?.length ?? 0} extension-host tests`);
      if (!parsed?.done) {
        const why = current.isRunning() ? `the suites did not finish within ${SUITES_BOUND_MS} ms` : 'code-server exited before the suites finished';
        const where = parsed?.running ? `; still running: ${parsed.running}` : parsed ? '' : '; the harness wrote no results (did it activate?)';
        fail('extension-host suites', `${why}${where}\n${current.logTail(10)}\n${extensionHostLogTail(current)}`);
      } else if (parsed.error || !parsed.tests) {
        fail('extension-host suites', `${parsed.error ?? 'no tests in the result file'}\n${extensionHostLogTail(current)}`);
      }
    }
    if (opened && spec.person) {
      await spec.person(steps, page, workspace);
      results.push(...steps.results.splice(0));
    } else if (opened) {
      await steps.screenshot('end');
    }
    await page.context().close().catch(() => undefined);
  } catch (err) {
    fail('session', err instanceof Error ? err.message : String(err));
  } finally {
    if (server) {
      await server.stop();
      keepLogs(server, spec.name);
    }
  }
}

/** The results so far, then (after `before`, e.g. the timings) the summary line on its own. */
function report(before?: () => void): number {
  const { passed, failed, skipped } = printResults();
  before?.();
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed;
}

function printResults(): { passed: number; failed: number; skipped: number } {
  console.log('');
  for (const r of results) {
    const mark = r.state === 'passed' ? 'ok  ' : r.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`${mark} ${r.title}${r.state === 'passed' ? ` (${r.durationMs} ms)` : ''}`);
    if (r.reason) console.log(`       pending: ${r.reason}`);
    if (r.error) console.log(r.error.replace(/^/gm, '       '));
  }
  const shots = fs.existsSync(RESULTS) ? fs.readdirSync(RESULTS).filter((f) => f.endsWith('.png')).sort() : [];
  if (shots.length) {
    console.log('\nscreenshots:');
    for (const s of shots) console.log(`  ${rel(path.join(RESULTS, s))}`);
  }
  console.log(`logs: ${rel(path.join(RESULTS, 'logs'))}`);
  return {
    passed: results.filter((r) => r.state === 'passed').length,
    failed: results.filter((r) => r.state === 'failed').length,
    skipped: results.filter((r) => r.state === 'pending').length,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One e2e run at a time per checkout: runs share deliverlint.vsix, out/vscode/ and test-results/e2e/.
 * Waits (bounded) for a live run to finish; a lock left by a dead run is taken over.
 */
async function lockCheckout(): Promise<void> {
  fs.mkdirSync(CACHE, { recursive: true });
  const lock = path.join(CACHE, 'run.lock');
  const deadline = Date.now() + 10 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      atExit.push(() => fs.rmSync(lock, { force: true }));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(fs.readFileSync(lock, 'utf8').trim());
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new SetupError(`Another e2e run (pid ${holder}) has held ${rel(lock)} for 10 minutes; stop it or remove the file if it is stale.`);
    if (!told) log(`waiting for another e2e run in this checkout (pid ${holder}) to finish`);
    told = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function printTimings(started: number): void {
  console.log(`\ntimings: ${timings.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join('; ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<number> {
  const started = Date.now();
  process.chdir(ROOT);
  try {
    await lockCheckout();
  } catch (err) {
    if (err instanceof SetupError) {
      console.error(`\ne2e: ${err.message}`);
      return 2;
    }
    throw err;
  }
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });

  let tools: Tools;
  try {
    tools = await timed('install (cached after the first run)', () => ensureTools(CACHE, log));
  } catch (err) {
    if (err instanceof SetupError) {
      console.error(`\ne2e: cannot run the VS Code tests on this machine yet.\n${err.message}`);
      console.log('0 passed, 1 failed');
      return 2;
    }
    throw err;
  }

  const watchdog = setTimeout(() => {
    stopping = true;
    console.error(`\ne2e: the run took longer than ${RUN_BOUND_MS} ms; stopping code-server and Chromium.`);
    results.push({ title: '[e2e] the whole run', state: 'failed', durationMs: RUN_BOUND_MS, error: `did not finish within ${RUN_BOUND_MS} ms` });
    report();
    void cleanup().finally(() => process.exit(1));
  }, RUN_BOUND_MS);
  watchdog.unref();

  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'deliverlint-e2e-'));
  atExit.push(() => fs.rmSync(temp, { recursive: true, force: true }));

  const vsix = await timed('npm run package', () => packageExtension());
  const [suiteEntry, harness] = await timed('build suites and harness', async () => [await buildSuites(), await buildHarness()] as const);
  const extensionsDir = path.join(temp, 'extensions');
  const installed = await timed('install the .vsix files', () => installExtensions(tools, extensionsDir, path.join(temp, 'install'), [vsix, harness]));
  log(`installed with --install-extension: ${installed.join(', ')}`);
  if (!installed.some((l) => l.startsWith('deliverlint.deliverlint@'))) throw new Error(`deliverlint.vsix did not install: ${installed.join(', ') || '(nothing listed)'}`);

  const dns = await startDnsServer();
  cleanups.push(() => dns.close());
  log(`test DNS server on ${dns.address}`);
  const { browser } = await timed('start Chromium', () => launchBrowser(tools));
  const ctx = { tools, browser, extensionsDir, temp, suiteEntry, dns };

  const sessions: SessionSpec[] = [
    { name: 'host', label: 'extension host', trusted: true, suites: 'trusted' },
    {
      name: 'person',
      label: 'person',
      trusted: true,
      person: async (steps, page, workspace) => {
        await personSteps(steps, page, workspace);
        await footerSteps(steps, page, workspace);
      },
    },
    { name: 'restricted', label: 'restricted mode', trusted: false, suites: 'restricted', person: (steps, page) => restrictedSteps(steps, page) },
  ];
  const only = process.env.DELIVERLINT_E2E_ONLY?.split(',');
  for (const spec of sessions) {
    if (stopping) break;
    if (only && !only.includes(spec.name)) continue;
    log(`session: ${spec.label}`);
    await timed(`session: ${spec.label}`, () => runSession(spec, ctx));
  }

  await cleanup();
  clearTimeout(watchdog);
  if (stopping) return 130;
  return report(() => printTimings(started)) || !results.length ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    console.error(`\ne2e: ${signal}: stopping code-server and Chromium`);
    void cleanup().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await cleanup();
    process.exit(code);
  },
  async (err: unknown) => {
    // A build or install step failed (npm run package, the suites, --install-extension, Chromium).
    console.error(`\ne2e: ${err instanceof Error ? err.message : String(err)}`);
    await cleanup();
    results.push({ title: '[e2e] build and start', state: 'failed', durationMs: 0, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    report();
    process.exit(1);
  },
);
