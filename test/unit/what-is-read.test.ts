// The README's "Untrusted workspaces / What Deliverlint reads" section, claim by claim, against the
// code: its numbers are the constants the readers use, and each rule it states holds (the claims
// tested elsewhere are named where they are).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_FILES } from '../../server/src/core/compose';
import { defaultConfig } from '../../server/src/core/config';
import { loadConfigFile, MAX_CONFIG_BYTES } from '../../server/src/host/config';
import { confinedReader, MAX_FILE_BYTES, MAX_LISTED, nodeReader, readTextFileSync } from '../../server/src/host/files';
import { ReadRoots } from '../../server/src/host/roots';
import { walkFiles } from '../../server/src/host/walk';
import { linter } from '../../server/src/linter';
import { Session } from '../../server/src/lsp/session';
import { lintFromDisk, MAX_SCAN_BYTES } from '../../server/src/lsp/workspaceScan';

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SECTION = (() => {
  const start = README.indexOf('## Untrusted workspaces / What Deliverlint reads');
  assert.ok(start >= 0, 'the README has the section');
  return README.slice(start, README.indexOf('\n## ', start + 1)).replace(/\s+/g, ' ');
})();

const MIB = 1024 * 1024;

let dir: string;
before(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'deliverlint-reads-')));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('README: what Deliverlint reads', () => {
  test('the size limits it states are the ones the code uses', () => {
    assert.ok(SECTION.includes(`over ${MAX_FILE_BYTES / MIB} MiB is not read`), 'file limit');
    assert.ok(SECTION.includes(`over ${MAX_SCAN_BYTES / MIB} MiB`), 'scan limit');
    assert.ok(SECTION.includes(`rc file over ${MAX_CONFIG_BYTES / MIB} MiB`), 'rc file limit');
    assert.ok(SECTION.includes(`at most ${MAX_FILES} of the layouts and partials`), 'parts per email');
    assert.ok(SECTION.includes(`more than ${MAX_LISTED.toLocaleString('en-US')} entries`), 'listing limit');
  });

  test('an rc file over the limit is refused as unreadable configuration', () => {
    const rc = path.join(dir, '.deliverlintrc.json');
    fs.writeFileSync(rc, `{"esp":"ses"}${' '.repeat(MAX_CONFIG_BYTES)}`);
    assert.throws(() => loadConfigFile(rc), /more than a configuration file may have/);
    fs.rmSync(rc);
  });

  test('a file over the limit is not read; the scan leaves out what is over its own and says so', async () => {
    const big = path.join(dir, 'big.html');
    fs.writeFileSync(big, Buffer.alloc(MAX_SCAN_BYTES + 1, 0x20));
    assert.deepEqual(readTextFileSync(big, { maxBytes: MAX_SCAN_BYTES }), { tooLarge: MAX_SCAN_BYTES + 1 });
    const logged: string[] = [];
    assert.equal(await lintFromDisk(big, { ...defaultConfig(), root: dir }, 'en', (m) => logged.push(m)), undefined);
    assert.match(logged.join('\n'), /Skipped .*big\.html in the workspace scan/);
    fs.rmSync(big);
  });

  test('one email follows at most MAX_FILES partials', () => {
    const partials = Array.from({ length: MAX_FILES + 10 }, (_, i) => `p${i}`);
    fs.mkdirSync(path.join(dir, 'many'));
    for (const p of partials) fs.writeFileSync(path.join(dir, 'many', `${p}.hbs`), `<p>${p}</p>\n`);
    const text = `<!DOCTYPE html><html><body>${partials.map((p) => `{{> ${p}}}`).join('\n')}</body></html>\n`;
    const r = linter.lint({ text, filePath: path.join(dir, 'many', 'email.hbs'), config: { ...defaultConfig(), root: dir }, reader: nodeReader });
    assert.equal(r.composition?.parts.length, MAX_FILES);
  });

  test('folder walks do not follow symbolic links', () => {
    const tree = path.join(dir, 'links');
    fs.mkdirSync(path.join(tree, 'real'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'real', 'a.html'), '<p>a</p>\n');
    fs.symlinkSync(path.join(tree, 'real'), path.join(tree, 'linked-folder'));
    fs.symlinkSync(path.join(tree, 'real', 'a.html'), path.join(tree, 'linked.html'));
    const config = { ...defaultConfig(), root: tree };
    const files = [...walkFiles(tree, { configFor: () => config })].flatMap((s) => ('file' in s ? [path.relative(tree, s.file)] : []));
    assert.deepEqual(files, [path.join('real', 'a.html')]);
  });

  test('templatePaths folders are confined like any include', () => {
    const ws = path.join(dir, 'ws');
    const out = path.join(dir, 'shared');
    fs.mkdirSync(ws);
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'footer.hbs'), '<a href="https://x.example.com/unsubscribe">Unsubscribe</a>\n');
    const text = '<!DOCTYPE html><html><body><table role="presentation"><tr><td>Sale</td></tr></table>{{> footer}}</body></html>\n';
    const config = { ...defaultConfig(), root: ws, templatePaths: ['../shared'] };
    const r = linter.lint({ text, filePath: path.join(ws, 'news.hbs'), config, reader: confinedReader(nodeReader, new ReadRoots([ws])) });
    assert.deepEqual(r.composition?.unresolved.map((u) => [u.name, u.reason]), [['footer', 'outside']]);
  });

  test("the server's root for a file outside every workspace folder: its repository, else its own folder", () => {
    const session = new Session({ console: { log() {}, error() {} } } as never, { get: () => undefined } as never);
    session.folders = [path.join(dir, 'ws')];
    fs.mkdirSync(path.join(dir, 'repo', '.git'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'repo', 'mail'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'loose'), { recursive: true });
    const config = defaultConfig();
    assert.deepEqual(session.rootsFor(path.join(dir, 'ws', 'a', 'x.html'), config).dirs, [path.join(dir, 'ws')]);
    assert.deepEqual(session.rootsFor(path.join(dir, 'repo', 'mail', 'x.html'), config).dirs, [path.join(dir, 'repo')]);
    assert.deepEqual(session.rootsFor(path.join(dir, 'loose', 'x.html'), config).dirs, [path.join(dir, 'loose')]);
  });

  test('Restricted Mode: the manifest supports untrusted workspaces and restricts only the DNS settings, as the README says', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: Record<string, unknown> } };
    const { description: _description, ...declared } = manifest.capabilities.untrustedWorkspaces;
    assert.deepEqual(declared, { supported: 'limited', restrictedConfigurations: ['deliverlint.dns.servers', 'deliverlint.dns.timeout'] });
    assert.ok(SECTION.includes('`capabilities.untrustedWorkspaces: {supported: "limited"}`'));
    assert.ok(SECTION.includes('Deliverlint restricts two settings') && SECTION.includes('`deliverlint.dns.servers` and `deliverlint.dns.timeout`'));
  });

  test('the VS Code client sends the workspace trust and restarts the server when trust is granted (read from its source)', () => {
    const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(client, /initializationOptions: \(\): DeliverlintInitializationOptions => \(\{ workspaceTrusted: vscode\.workspace\.isTrusted[,}]/);
    assert.match(client, /onDidGrantWorkspaceTrust\(\(\) => void restartServer\(\)\)/);
  });
});

// ---- DNS only on request, no code execution: read from the import graph --------------------------

function tsFiles(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
  });
}
const SOURCES = tsFiles(path.join(ROOT, 'server', 'src')).map((f) => ({ rel: path.relative(ROOT, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'utf8') }));
// Imports that run code (type-only imports and `import type` left out).
const RUNTIME_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;
const runtimeImports = (text: string) => [...text.matchAll(RUNTIME_IMPORT)].map((m) => m[1] ?? m[2]!);

describe('README: DNS only on request, no code execution', () => {
  test('only the domain check and the message verification (their request handlers and CLI subcommands) bring in the DNS code', () => {
    const users = SOURCES.filter((f) => !f.rel.startsWith('server/src/dns/') && runtimeImports(f.text).some((s) => /(^|\/)dns(\/|$)|^node:dns/.test(s))).map((f) => f.rel);
    assert.deepEqual(users.sort(), [
      'server/src/api.ts',
      'server/src/cli/checkDomain.ts',
      'server/src/cli/domainText.ts',
      'server/src/cli/verifyMessage.ts',
      'server/src/lsp/checkDomain.ts',
      'server/src/lsp/verifyMessage.ts',
      'server/src/verify/message.ts',
    ]);
    // The verification asks DNS from its subcommand and its request only, and makes its resolver there.
    const verifyMain = SOURCES.find((f) => f.rel === 'server/src/cli/main.ts')!.text;
    assert.match(verifyMain, /if \(argv\[0\] === 'verify-message'\) return runVerifyMessage/);
    assert.match(SOURCES.find((f) => f.rel === 'server/src/lsp/verifyMessage.ts')!.text, /onRequest\(VERIFY_MESSAGE_METHOD/);
    assert.ok(!/createNodeResolver/.test(SOURCES.find((f) => f.rel === 'server/src/verify/message.ts')!.text), 'verify/message.ts is handed its resolver');
    // The library API asks the DNS in its checkDomain() only: lint() never makes a resolver.
    const api = SOURCES.find((f) => f.rel === 'server/src/api.ts')!.text;
    const apiCheck = api.slice(api.indexOf('export async function checkDomain('));
    assert.equal(api.split('createNodeResolver(').length, 2, 'one resolver is made in api.ts');
    assert.match(apiCheck.slice(0, apiCheck.indexOf('\n}\n')), /createNodeResolver\(/);
    // The CLI reaches it through the `check-domain` subcommand only; the server through its request only.
    const main = SOURCES.find((f) => f.rel === 'server/src/cli/main.ts')!.text;
    assert.match(main, /if \(argv\[0\] === 'check-domain'\) return runCheckDomain/);
    const handler = SOURCES.find((f) => f.rel === 'server/src/lsp/checkDomain.ts')!.text;
    assert.match(handler, /onRequest\(CHECK_DOMAIN_METHOD/);
  });

  test('no process is started, no code evaluated; worker threads only run our own bundle', () => {
    for (const f of SOURCES) {
      const specs = runtimeImports(f.text);
      assert.ok(!specs.some((s) => /^(node:)?(child_process|vm)$/.test(s)), `${f.rel} starts processes or evaluates code`);
      assert.ok(!/\beval\s*\(|new Function\s*\(/.test(f.text), `${f.rel} evaluates code`);
      if (specs.some((s) => /^(node:)?worker_threads$/.test(s))) assert.ok(['server/src/cli/pool.ts', 'server/src/cli/worker.ts', 'server/src/lsp/offThread.ts', 'server/src/lsp/lintWorker.ts'].includes(f.rel), `${f.rel} uses worker threads`);
      // require() only of package names written out, never of a path computed from a file.
      for (const m of f.text.matchAll(/\brequire\(\s*([^)'"][^)]*)\)/g)) assert.fail(`${f.rel}: require(${m[1]}) of a computed name`);
    }
    const pool = SOURCES.find((f) => f.rel === 'server/src/cli/pool.ts')!.text;
    assert.match(pool, /WORKER_FILE = path\.join\(__dirname, 'cliWorker\.js'\)/);
    const offThread = SOURCES.find((f) => f.rel === 'server/src/lsp/offThread.ts')!.text;
    assert.match(offThread, /SERVER_WORKER_FILE = path\.join\(__dirname, 'serverWorker\.js'\)/);
  });
});
