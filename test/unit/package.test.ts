// Packages the extension with the real vsce and checks what the .vsix holds: only the bundles,
// grammars, manifest, translations and the three documents; and a manifest whose settings and
// %placeholders% are complete in English and Japanese.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

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

function run(args: string[], what: string): void {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  assert.equal(r.status, 0, `${what} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

interface Packaged {
  files: string[];
  manifest: Record<string, unknown>;
}

let packaged: Packaged | undefined;

/** Builds dist/ when it is missing, then packages once for all the tests below. */
function packageExtension(): Packaged {
  if (packaged) return packaged;
  if (!['extension.js', 'server.js', 'serverWorker.js', 'cli.js', 'cliWorker.js'].every((f) => existsSync(path.join(root, 'dist', f)))) {
    run([path.join(root, 'esbuild.mjs')], 'node esbuild.mjs');
  }
  assert.ok(existsSync(path.join(root, 'README.md')), 'README.md exists (vsce requires it)');
  const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-vsix-'));
  try {
    const out = path.join(dir, 'x.vsix');
    run([path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], 'vsce package');
    const zip = readFileSync(out);
    const entries = readCentralDirectory(zip);
    const pkg = entries.find((e) => e.name === 'extension/package.json');
    assert.ok(pkg, 'extension/package.json is packaged');
    packaged = {
      files: entries.map((e) => e.name),
      manifest: JSON.parse(readEntry(zip, pkg).toString('utf8')) as Record<string, unknown>,
    };
    return packaged;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ALLOWED: RegExp[] = [
  /^dist\/(?:extension|server|serverWorker|cli|cliWorker)\.js$/,
  /^dist\/schemas\/[^/]+\.json$/,
  /^syntaxes\/[^/]+\.json$/,
  /^package\.json$/,
  /^package\.nls\.json$/,
  /^package\.nls\.ja\.json$/,
  /^l10n\/bundle\.l10n\.ja\.json$/,
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
    ['deliverlint.checkDomain', 'deliverlint.fixAll', 'deliverlint.restartServer', 'deliverlint.showEffectiveConfiguration', 'deliverlint.showOutputChannel'],
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
