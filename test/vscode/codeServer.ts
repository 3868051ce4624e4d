// Starting and stopping code-server for one test session: a free port on 127.0.0.1, a fresh user
// data folder, no auth, its own process group so that stopping it also ends the extension host
// and the language server it started.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { nodeEnv, type Tools } from './install';

export interface SessionOptions {
  name: string;
  tools: Tools;
  extensionsDir: string;
  /** Folder for this session's user data, config and log. */
  dir: string;
  workspace: string;
  /** false: start without --disable-workspace-trust, so the window opens in Restricted Mode. */
  trusted: boolean;
  env?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  userDataDir: string;
  log: string;
  /** Text of the log so far (for error messages). */
  logTail(lines?: number): string;
  isRunning(): boolean;
  stop(): Promise<void>;
}

/** User settings that keep the window quiet: no welcome page, tips, update checks or AI panels. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
};

/** Process groups of the code-servers still running: killed when this process exits, whatever the reason. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const group of liveGroups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Arguments and environment that keep code-server's config, data and state inside `dir`. */
function isolated(tools: Tools, extensionsDir: string, dir: string, extraEnv: Record<string, string> = {}): { args: string[]; env: NodeJS.ProcessEnv; userDataDir: string } {
  const userDataDir = path.join(dir, 'user-data');
  return {
    // Its own config file, so code-server never writes one into the user's home.
    args: [tools.codeServer, '--config', path.join(dir, 'config.yaml'), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    env: nodeEnv(tools.nodeDir, { ...extraEnv, XDG_DATA_HOME: path.join(dir, 'xdg-data'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config') }),
    userDataDir,
  };
}

/** Installs .vsix files into `extensionsDir` the way a user does (`--install-extension`); returns `id@version` lines. */
export function installExtensions(tools: Tools, extensionsDir: string, dir: string, vsixFiles: string[]): string[] {
  const { args, env } = isolated(tools, extensionsDir, dir);
  const install = spawnSync(tools.node, [...args, ...vsixFiles.flatMap((f) => ['--install-extension', f])], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`Installing ${vsixFiles.map((f) => path.basename(f)).join(', ')} failed:\n${install.stdout}${install.stderr}`);
  const list = spawnSync(tools.node, [...args, '--list-extensions', '--show-versions'], { env, encoding: 'utf8', timeout: 60_000 });
  return list.stdout.split('\n').filter((l) => l.includes('@'));
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it listened`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

export async function startCodeServer(options: SessionOptions): Promise<CodeServer> {
  const { tools, dir } = options;
  const { args: baseArgs, env, userDataDir } = isolated(tools, options.extensionsDir, dir, options.env);
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const log = path.join(dir, 'code-server.log');
  const port = await freePort();
  const args = [
    ...baseArgs,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(options.trusted ? ['--disable-workspace-trust'] : []),
    options.workspace,
  ];
  const out = fs.openSync(log, 'a');
  const child = spawn(tools.node, args, {
    env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  let exited = false;
  if (child.pid !== undefined) liveGroups.add(child.pid);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const logTail = (lines = 20) => {
    try {
      return fs.readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const group = -child.pid;
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(group, s);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 5000))]);
    // The extension host and language server are in the same group: make sure none outlives it.
    signal('SIGKILL');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 2000))]);
    liveGroups.delete(child.pid);
  };

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(`${url}healthz`, child, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${logTail()}`);
  }
  return { url, userDataDir, log, logTail, isRunning: () => !exited, stop };
}
