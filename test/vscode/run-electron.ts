// npm run test:vscode: the extension-host suites in a desktop VS Code that @vscode/test-electron
// downloads (into .cache/vscode-test/), for contributors on an ordinary desktop. The extension runs
// from this checkout (dist/), the suites from out/vscode/suite/ (extensionTestsPath). CI and
// machines without that download use npm run test:e2e, which runs the same suites in code-server.
//
//   DELIVERLINT_VSCODE_VERSION=1.91.0 npm run test:vscode   # the oldest VS Code the manifest allows
//   DELIVERLINT_E2E_GREP="Quick fixes" npm run test:vscode  # only matching tests

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuites, makeWorkspace, ROOT } from './build';
import { startDnsServer } from './dns-server';

async function main(): Promise<number> {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (build.status !== 0) return 1;
  const extensionTestsPath = await buildSuites();

  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'deliverlint-vscode-'));
  const dns = await startDnsServer();
  try {
    const workspace = makeWorkspace(path.join(temp, 'workspace'), { 'deliverlint.dns.servers': [dns.address] });
    const env: Record<string, string> = { DELIVERLINT_E2E_MODE: 'trusted', DELIVERLINT_E2E_DNS: dns.address };
    if (process.env.DELIVERLINT_E2E_GREP) env.DELIVERLINT_E2E_GREP = process.env.DELIVERLINT_E2E_GREP;
    await runTests({
      version: process.env.DELIVERLINT_VSCODE_VERSION ?? 'stable',
      cachePath: path.join(ROOT, '.cache', 'vscode-test'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(temp, 'user-data')],
    });
    return 0;
  } catch (err) {
    console.error(`test:vscode: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await dns.close();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:vscode: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
