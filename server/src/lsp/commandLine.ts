// The language server's command line, read before any connection exists: `--help` and `--version`
// answer without starting a server, and a command line without a transport (or with an option the
// server does not know) is a usage error in words instead of vscode-languageserver's stack trace.
// The transports themselves are vscode-languageserver's: createConnection() reads the same argv.

export const SERVER_USAGE = `Usage: deliverlint-language-server --stdio
       deliverlint-language-server --node-ipc | --socket=PORT | --pipe=NAME
       deliverlint-language-server --help | --version

The Deliverlint language server (Language Server Protocol 3.17): diagnostics, quick fixes, hover
and go to definition for email templates, ESP send payloads, campaign files and .eml messages.
Start it from your editor's LSP client; see docs/editors.md for Neovim, Zed, Helix, Sublime LSP
and JetBrains (LSP4IJ).

Transports (one is required):
  --stdio                   JSON-RPC over standard input and output (what most editors use)
  --node-ipc                Node's IPC channel (a client that forks the server, as VS Code's does)
  --socket=PORT             Connect to a client listening on this TCP port of this machine
  --pipe=NAME               Connect to a client listening on this named pipe or Unix socket

Options:
  --clientProcessId=PID     Exit when this process ends (the editor's process id)
  -h, --help                Show this help
  -v, --version             Show the version

Settings come from the client's "deliverlint" settings section (workspace/configuration, or
workspace/didChangeConfiguration) and from .deliverlintrc.json files; see docs/editors.md.`;

export type CommandLine = { action: 'help' } | { action: 'version' } | { action: 'serve' } | { action: 'error'; message: string };

const VALUED = new Set(['--socket', '--pipe', '--clientProcessId']);

/** What the arguments after the script ask for. */
export function parseServerArgs(args: readonly string[]): CommandLine {
  let transport: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return { action: 'help' };
    if (arg === '-v' || arg === '--version') return { action: 'version' };
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    let value: string | undefined;
    if (VALUED.has(name)) {
      value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') return { action: 'error', message: `${name} needs a value.` };
      if (name !== '--pipe' && !/^[0-9]{1,9}$/.test(value)) return { action: 'error', message: `${name} takes a number, not "${printable(value)}".` };
      if (name === '--socket' && (Number(value) < 1 || Number(value) > 65535)) return { action: 'error', message: `--socket takes a TCP port (1 to 65535), not ${printable(value)}.` };
    } else if ((arg === '--stdio' || arg === '--node-ipc') && eq === -1) {
      // A transport without a value.
    } else {
      return { action: 'error', message: `Unknown argument "${printable(arg)}".` };
    }
    if (name === '--clientProcessId') continue;
    if (transport && transport !== name) return { action: 'error', message: `Choose one transport: ${transport} or ${name}.` };
    transport = name;
  }
  if (!transport) return { action: 'error', message: 'No transport given: start the server with --stdio (or --node-ipc, --socket=PORT, --pipe=NAME).' };
  return { action: 'serve' };
}

/** Control characters of an argument echoed in a message, escaped. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
