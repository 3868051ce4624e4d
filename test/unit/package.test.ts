// Packages the extension with the real vsce and checks what the .vsix holds: only the bundles,
// grammars, manifest, translations, the three documents and the rule pages; a manifest whose
// settings and %placeholders% are complete in English and Japanese; what Open VSX checks of a
// package (with the ovsx CLI's own code, and its publish command against a local stand-in for the
// registry: the real one is not reachable from CI); and the remote-development extension kind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { bundledRulePage } from '../../client/src/ruleDocs';
import { RULES } from '../../server/src/rules';

const root = path.resolve(__dirname, '..', '..');

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Lists a zip's files from its central directory (no zip64: a .vsix is far below 4 GiB). */
function readCentralDirectory(zip: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'zip end-of-central-directory record found');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), CENTRAL, `central directory entry ${n} signature`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const LOCAL = 0x04034b50;
  const at = entry.localHeaderOffset;
  assert.equal(zip.readUInt32LE(at), LOCAL, `local header of ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  assert.equal(entry.method, 8, `${entry.name} is stored or deflated`);
  const out = inflateRawSync(data);
  assert.equal(out.length, entry.size, `${entry.name} inflates to its recorded size`);
  return out;
}

function run(args: string[], what: string): string {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  assert.equal(r.status, 0, `${what} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`;
}

interface Packaged {
  /** What vsce printed. */
  log: string;
  files: string[];
  manifest: Record<string, unknown>;
  zip: Buffer;
  entries: ZipEntry[];
}

let packaged: Packaged | undefined;

/** Builds dist/ when it is missing, then packages once for all the tests below. */
function packageExtension(): Packaged {
  if (packaged) return packaged;
  if (!['extension.js', 'server.js', 'serverWorker.js', 'cli.js', 'cliWorker.js', 'verify.js', 'standing.js'].every((f) => existsSync(path.join(root, 'dist', f)))) {
    run([path.join(root, 'esbuild.mjs')], 'node esbuild.mjs');
  }
  assert.ok(existsSync(path.join(root, 'README.md')), 'README.md exists (vsce requires it)');
  const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-vsix-'));
  try {
    const out = path.join(dir, 'x.vsix');
    const log = run([path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], 'vsce package');
    const zip = readFileSync(out);
    const entries = readCentralDirectory(zip);
    const pkg = entries.find((e) => e.name === 'extension/package.json');
    assert.ok(pkg, 'extension/package.json is packaged');
    packaged = {
      log,
      files: entries.map((e) => e.name),
      manifest: JSON.parse(readEntry(zip, pkg).toString('utf8')) as Record<string, unknown>,
      zip,
      entries,
    };
    return packaged;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ALLOWED: RegExp[] = [
  /^dist\/(?:extension|server|serverWorker|cli|cliWorker|verify|standing)\.js$/,
  /^dist\/schemas\/[^/]+\.json$/,
  /^syntaxes\/[^/]+\.json$/,
  /^package\.json$/,
  /^package\.nls\.json$/,
  /^package\.nls\.ja\.json$/,
  /^l10n\/bundle\.l10n\.ja\.json$/,
  /^docs\/rules\/[a-z0-9-]+\.md$/,
  /^docs\/rules\/README\.md$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE(?:\.txt)?$/,
];

const REQUIRED = [
  'dist/extension.js',
  'dist/server.js',
  'dist/cli.js',
  'dist/cliWorker.js',
  'dist/serverWorker.js',
  'dist/verify.js',
  'dist/standing.js',
  'dist/schemas/deliverlintrc.schema.json',
  'syntaxes/mjml.tmLanguage.json',
  'syntaxes/mjml.language-configuration.json',
  'syntaxes/merge-tags.injection.tmLanguage.json',
  'package.json',
  'package.nls.json',
  'package.nls.ja.json',
  'l10n/bundle.l10n.ja.json',
  'readme.md',
  'changelog.md',
];

test('the .vsix holds only the shipped files, and all of them', () => {
  const { files } = packageExtension();
  const inExtension = files.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  const outside = files.filter((f) => !f.startsWith('extension/'));
  assert.deepEqual(outside.sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
  for (const f of inExtension) {
    assert.ok(ALLOWED.some((re) => re.test(f)), `unexpected file in the .vsix: ${f}`);
    assert.ok(!/node_modules|\.ts$|\.map$|^test\//.test(f), `must not ship ${f}`);
  }
  for (const f of REQUIRED) assert.ok(inExtension.includes(f), `${f} is in the .vsix`);
  assert.ok(inExtension.some((f) => /^LICENSE(?:\.txt)?$/.test(f)), 'the license is in the .vsix');
  // Every grammar and schema in the repository ships (the manifest points at them by path).
  for (const f of readdirSync(path.join(root, 'syntaxes'))) assert.ok(inExtension.includes(`syntaxes/${f}`), `syntaxes/${f}`);
});

const SETTINGS = [
  'deliverlint.enable',
  'deliverlint.rules',
  'deliverlint.esp',
  'deliverlint.jurisdictions',
  'deliverlint.transactional',
  'deliverlint.marketing',
  'deliverlint.emails',
  'deliverlint.parts',
  'deliverlint.templatePaths',
  'deliverlint.sender.name',
  'deliverlint.sender.postalAddress',
  'deliverlint.sender.unsubscribeUrl',
  'deliverlint.sender.contact',
  'deliverlint.files',
  'deliverlint.ignore',
  'deliverlint.lintWorkspace',
  'deliverlint.lintDelay',
  'deliverlint.trace.server',
  'deliverlint.sender.domain',
  'deliverlint.dkim.selectors',
  'deliverlint.dns.servers',
  'deliverlint.dns.timeout',
  'deliverlint.payloads',
  'deliverlint.mjml.validate',
  'deliverlint.targets',
  'deliverlint.targetsPartial',
];

interface Contributes {
  configuration: { title: string; properties: Record<string, { scope?: string; default?: unknown; description?: string; markdownDescription?: string }> };
  commands: Array<{ command: string; title: string; category: string }>;
  languages: Array<{ id: string; extensions?: string[]; configuration?: string }>;
  grammars: Array<{ scopeName: string; path: string; language?: string; injectTo?: string[] }>;
  jsonValidation: Array<{ fileMatch: string | string[]; url: string }>;
}

test('the packaged manifest contributes the settings, commands, language, grammars and schema', () => {
  const { manifest, files } = packageExtension();
  assert.equal(manifest.main, './dist/extension.js');
  const c = manifest.contributes as Contributes;
  assert.equal(c.configuration.title, 'Deliverlint');
  assert.deepEqual(Object.keys(c.configuration.properties).sort(), [...SETTINGS].sort());
  for (const [key, p] of Object.entries(c.configuration.properties)) {
    assert.ok(p.scope, `${key} has a scope`);
    assert.ok('default' in p, `${key} has a default`);
    assert.ok(p.description ?? p.markdownDescription, `${key} is described`);
  }
  assert.deepEqual(c.configuration.properties['deliverlint.jurisdictions']?.default, ['us']);
  assert.equal(c.configuration.properties['deliverlint.esp']?.default, 'none');
  assert.deepEqual(
    c.commands.map((x) => x.command).sort(),
    ['deliverlint.checkDomain', 'deliverlint.fixAll', 'deliverlint.restartServer', 'deliverlint.senderStanding', 'deliverlint.setSendGridApiKey', 'deliverlint.showEffectiveConfiguration', 'deliverlint.showOutputChannel', 'deliverlint.verifyMessage'],
  );
  for (const cmd of c.commands) assert.equal(cmd.category, 'Deliverlint');
  const mjml = c.languages.find((l) => l.id === 'mjml');
  assert.deepEqual(mjml?.extensions, ['.mjml']);
  // Paths in the manifest point at files that are in the package.
  const shipped = new Set(files.map((f) => f.replace(/^extension\//, '')));
  const rel = (p: string) => p.replace(/^\.\//, '');
  assert.ok(mjml?.configuration && shipped.has(rel(mjml.configuration)), 'language configuration ships');
  for (const g of c.grammars) assert.ok(shipped.has(rel(g.path)), `${g.path} ships`);
  for (const v of c.jsonValidation) assert.ok(shipped.has(rel(v.url)), `${v.url} ships`);
  assert.ok(c.grammars.some((g) => g.language === 'mjml' && g.scopeName === 'text.mjml.deliverlint'));
  assert.ok(c.grammars.some((g) => g.injectTo?.includes('text.html.basic')));
  // Restricted Mode: linting works, but the workspace cannot choose the domain check's resolver.
  const untrusted = (manifest.capabilities as { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } }).untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  assert.deepEqual(untrusted.restrictedConfigurations, ['deliverlint.dns.servers', 'deliverlint.dns.timeout']);
  const settings = c.configuration.properties;
  for (const key of untrusted.restrictedConfigurations) assert.ok(key in settings, `${key} is a contributed setting`);
});

test('every %placeholder% in package.json has an English and a Japanese string', () => {
  const { manifest } = packageExtension();
  const used = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = /^%([^%\s]+)%$/.exec(v);
      if (m) used.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(manifest);
  assert.ok(used.has('displayName') && used.has('description') && used.size > 20, `placeholders found: ${used.size}`);
  for (const file of ['package.nls.json', 'package.nls.ja.json']) {
    const strings = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
    for (const key of used) {
      assert.equal(typeof strings[key], 'string', `${file} has "${key}"`);
      assert.notEqual((strings[key] as string).trim(), '', `${file} "${key}" is not empty`);
    }
    for (const key of Object.keys(strings)) assert.ok(used.has(key), `${file} "${key}" is used by package.json`);
  }
});

test('the Japanese l10n bundle translates every string the client shows', () => {
  const clientDir = path.join(root, 'client', 'src');
  const source = readdirSync(clientDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(clientDir, f), 'utf8'))
    .join('\n');
  const shown = [...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\'/g, "'"));
  assert.ok(shown.length > 0, 'the client uses vscode.l10n.t');
  const ja = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
  for (const s of shown) assert.ok(ja[s], `l10n/bundle.l10n.ja.json translates "${s}"`);
  for (const s of Object.keys(ja)) {
    assert.ok(shown.includes(s), `"${s}" in the bundle is used by the client`);
    const holes = (t: string) => [...t.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
    assert.equal(holes(ja[s]!), holes(s), `"${s}" keeps its {n} placeholders`);
  }
});

test('every rule page ships, unchanged, and the client finds it by rule id in the unpacked .vsix', () => {
  const { zip, entries } = packageExtension();
  // Unpack the pages as VS Code installs them: <extension root>/docs/rules/*.md.
  const extensionRoot = mkdtempSync(path.join(tmpdir(), 'deliverlint-ext-'));
  try {
    for (const e of entries) {
      const m = /^extension\/(docs\/rules\/[^/]+\.md)$/.exec(e.name);
      if (!m) continue;
      const to = path.join(extensionRoot, ...m[1]!.split('/'));
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, readEntry(zip, e));
    }
    assert.ok(RULES.length > 10, `rules found: ${RULES.length}`);
    for (const { meta } of RULES) {
      const segments = bundledRulePage(extensionRoot, meta.id);
      assert.deepEqual(segments, ['docs', 'rules', `${meta.id}.md`], `the client resolves ${meta.id} to its bundled page`);
      const shipped = readFileSync(path.join(extensionRoot, ...segments));
      assert.ok(shipped.equals(readFileSync(path.join(root, 'docs', 'rules', `${meta.id}.md`))), `docs/rules/${meta.id}.md ships unchanged`);
    }
    // The index the pages link to ships as well, so their relative links work in the preview.
    assert.ok(existsSync(path.join(extensionRoot, 'docs', 'rules', 'README.md')), 'docs/rules/README.md ships');
    // Anything that is not a rule id with a page is not opened: the server's URL is used instead.
    for (const bad of ['no-such-rule', '../../package', 'README', 'readme', 'docs/rules/x', '', 'Unsubscribe-Link-Missing', 42, undefined, 'a'.repeat(200)]) {
      assert.equal(bundledRulePage(extensionRoot, bad), undefined, `nothing for ${JSON.stringify(bad)}`);
    }
  } finally {
    rmSync(extensionRoot, { recursive: true, force: true });
  }
});

test('vsce packages without a warning (the Marketplace shows the same ones on publish)', () => {
  const { log } = packageExtension();
  // Colours off or on, vsce labels each warning WARNING.
  assert.doesNotMatch(log.replace(/\u001b\[[0-9;]*m/g, ''), /\bWARNING\b/, log);
  assert.match(log.replace(/\u001b\[[0-9;]*m/g, ''), /\bDONE\b/, 'vsce said it was done');
});

test('the extension runs on the workspace side in remote windows (Remote SSH, WSL, containers, Codespaces)', () => {
  const { manifest } = packageExtension();
  assert.deepEqual(manifest.extensionKind, ['workspace']);
});

// What Open VSX's server checks of an uploaded package's manifest (its ExtensionValidator and
// publishing guide): names from [\w-+$~], a semantic version, a license, absolute http(s) URLs,
// length limits, a gallery theme of dark or light, an engines.vscode range.
const OPEN_VSX_NAME = /^[\w\-+$~]+$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

test('the packaged manifest meets what Open VSX checks, by ovsx\'s own code and by its registry\'s rules', async () => {
  const { manifest, files } = packageExtension();
  // ovsx's own checks of a package, run on the .vsix we ship.
  const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-ovsx-'));
  try {
    const vsix = path.join(dir, 'deliverlint.vsix');
    writeFileSync(vsix, packageExtension().zip);
    const { readVSIXPackage } = require('ovsx/lib/zip') as { readVSIXPackage(file: string): Promise<Record<string, unknown>> };
    const { validateManifest, isLicenseOk } = require('ovsx') as {
      validateManifest(m: Record<string, unknown>): void;
      isLicenseOk(packagePath: string, m: Record<string, unknown>): Promise<boolean>;
    };
    const read = await readVSIXPackage(vsix);
    assert.deepEqual(read, manifest, 'ovsx reads the same manifest from the .vsix');
    validateManifest(read);
    assert.equal(await isLicenseOk(root, read), true, 'ovsx accepts the license');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const m = manifest as {
    name: string; publisher: string; version: string; license?: string; engines?: { vscode?: string };
    repository?: { url?: string } | string; categories?: string[]; keywords?: string[];
    galleryBanner?: { color?: string; theme?: string };
  };
  assert.match(m.publisher, OPEN_VSX_NAME, 'the publisher is a valid Open VSX namespace');
  assert.match(m.name, OPEN_VSX_NAME, 'the name is a valid Open VSX extension name');
  assert.match(m.version, SEMVER);
  assert.ok(m.license && m.license.length <= 255, 'a license: Open VSX takes no unlicensed extension');
  assert.ok(files.some((f) => /^extension\/LICENSE(?:\.txt)?$/.test(f)), 'the license text ships');
  assert.match(m.engines?.vscode ?? '', /^\^\d+\.\d+\.\d+$/, 'engines.vscode');
  const repository = typeof m.repository === 'string' ? m.repository : m.repository?.url;
  assert.ok(repository, 'a repository (vsce and Open VSX link to it)');
  const url = new URL(repository.replace(/^git\+/, ''));
  assert.match(url.protocol, /^https?:$/);
  assert.ok(url.host, 'the repository URL has a host');
  for (const value of [...(m.categories ?? []), ...(m.keywords ?? [])]) {
    assert.ok(value.length <= 255 && !/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u.test(value), `category or keyword ${JSON.stringify(value)}`);
  }
  assert.ok(['dark', 'light'].includes(m.galleryBanner?.theme ?? 'dark'), 'galleryBanner.theme');
  assert.ok((m.galleryBanner?.color ?? '').length <= 16, 'galleryBanner.color');
  // displayName and description are %placeholders%; Open VSX reads their English text from package.nls.json.
  const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  assert.ok(nls.displayName && nls.displayName.length <= 255, 'displayName');
  assert.ok(nls.description && nls.description.length <= 2048, 'description');
});

test('`ovsx publish` uploads the .vsix as it is (to a local stand-in for the registry)', async () => {
  const { zip, manifest } = packageExtension();
  const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-ovsx-'));
  const uploads: Array<{ url: string; body: Buffer }> = [];
  // Answers the publish endpoint as Open VSX does on success; checks nothing itself.
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      uploads.push({ url: req.url ?? '', body: Buffer.concat(chunks) });
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ namespace: manifest.publisher, name: manifest.name, version: manifest.version, targetPlatform: 'universal' }));
    });
  });
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const vsix = path.join(dir, 'deliverlint.vsix');
    writeFileSync(vsix, zip);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'ovsx', 'bin', 'ovsx'), 'publish', vsix, '-p', 'test-token', '-r', `http://127.0.0.1:${port}`], {
      cwd: dir,
      env: { ...process.env, CI: 'true', OVSX_PAT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`Published ${String(manifest.publisher)}\\.${String(manifest.name)} v${String(manifest.version)}`), out);
    assert.equal(uploads.length, 1, 'one upload');
    assert.match(uploads[0]!.url, /^\/api\/-\/publish\?token=test-token$/);
    assert.ok(uploads[0]!.body.equals(zip), 'the uploaded bytes are the .vsix');
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
