// Makes the npm package (the `deliverlint` CLI, the library API and the language server) and packs it.
//
//   node scripts/pack-npm.mjs [--out DIR]      (npm run pack:npm)
//
// The root package.json is the VS Code extension's manifest (`main` is the extension, `engines.vscode`,
// `contributes`, the runtime packages the bundles are built from); npm publishes a package of its own,
// written here into DIR/package/ (default build/npm/) and packed with `npm pack` into DIR. It holds
// the production bundles, the type declarations of the API (emitted by tsc from server/src/api.ts),
// the JSON schemas, README, LICENSE and CHANGELOG, and no dependencies: the bundles hold them.
// Prints the tarball's path on the last line of stdout.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundles } from '../esbuild.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The bundles the package runs: the CLI and its worker, the API, the language server and its worker, and the message verification and sender standing they load on demand. */
export const PACKAGE_BUNDLES = ['api.js', 'cli.js', 'cliWorker.js', 'server.js', 'serverWorker.js', 'verify.js', 'standing.js'];

/** The package's manifest, from the root one: the same name, version, license and repository. */
export function packageManifest(root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))) {
  return {
    name: root.name,
    version: root.version,
    description:
      'Lints marketing email templates and send configurations (HTML, MJML, ESP templates, SES and SendGrid payloads, .eml, campaign files) for what gets mail rejected or junked: unsubscribe links, List-Unsubscribe, postal address, sender identity, DMARC alignment. CLI, library API and language server.',
    keywords: root.keywords,
    license: root.license,
    repository: root.repository,
    homepage: 'https://github.com/deliverlint/deliverlint#readme',
    bugs: { url: 'https://github.com/deliverlint/deliverlint/issues' },
    type: 'commonjs',
    main: './dist/api.js',
    types: './dist/types/api.d.ts',
    exports: {
      '.': { types: './dist/types/api.d.ts', default: './dist/api.js' },
      './schemas/*': './dist/schemas/*',
      './package.json': './package.json',
    },
    bin: { deliverlint: 'dist/cli.js', 'deliverlint-language-server': 'dist/server.js' },
    files: ['dist/', 'CHANGELOG.md'],
    // Only node: npm checks `node` and `npm` here, and warns (EBADENGINE) about nothing else.
    engines: { node: root.engines.node },
  };
}

/** Bundles, types, schemas and docs into `stage`, with the package's own package.json. */
export async function stagePackage(stage) {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(path.join(stage, 'dist'), { recursive: true });
  const wanted = bundles(true, path.join(stage, 'dist')).filter((b) => PACKAGE_BUNDLES.includes(path.basename(b.outfile)));
  if (wanted.length !== PACKAGE_BUNDLES.length) throw new Error(`esbuild.mjs lists ${wanted.length} of the package's ${PACKAGE_BUNDLES.length} bundles`);
  await Promise.all(wanted.map((b) => esbuild.build({ ...b, absWorkingDir: ROOT })));
  cpSync(path.join(ROOT, 'schemas'), path.join(stage, 'dist', 'schemas'), { recursive: true });
  emitTypes(path.join(stage, 'dist', 'types'));
  for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) cpSync(path.join(ROOT, f), path.join(stage, f));
  writeFileSync(path.join(stage, 'package.json'), JSON.stringify(packageManifest(), null, 2) + '\n');
}

/**
 * tsc emits declarations for server/src/api.ts and everything it imports; the package takes
 * api.d.ts and the declarations it refers to, transitively (types/api.d.ts, types/dns/types.d.ts
 * ...). A declaration that needs another package's types fails the build: the package has no
 * dependencies to bring them.
 */
function emitTypes(outDir) {
  const temp = mkdtempSync(path.join(tmpdir(), 'deliverlint-types-'));
  try {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    // server/src/types/ declares the untyped packages the sources import (mjml's).
    const ambient = readdirSync(path.join(ROOT, 'server', 'src', 'types')).filter((f) => f.endsWith('.d.ts')).map((f) => path.join(ROOT, 'server', 'src', 'types', f));
    const args = [tsc, path.join(ROOT, 'server', 'src', 'api.ts'), ...ambient, '--declaration', '--emitDeclarationOnly', '--outDir', temp, '--rootDir', ROOT,
      '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--lib', 'ES2022', '--types', 'node', '--strict',
      '--resolveJsonModule', '--esModuleInterop', '--skipLibCheck'];
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tsc could not emit the API's declarations:\n${r.stdout}${r.stderr}`);
    const srcRoot = path.join(temp, 'server', 'src');
    const todo = ['api.d.ts'];
    const done = new Set();
    while (todo.length) {
      const rel = todo.pop();
      if (done.has(rel)) continue;
      done.add(rel);
      const text = readFileSync(path.join(srcRoot, rel), 'utf8');
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      writeFileSync(path.join(outDir, rel), text);
      const specs = [...text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of specs) {
        if (spec.startsWith('node:')) continue;
        if (!spec.startsWith('.')) throw new Error(`${rel} refers to the package "${spec}", which the npm package does not bring`);
        const base = path.relative(srcRoot, path.resolve(path.dirname(path.join(srcRoot, rel)), spec));
        const target = [`${base}.d.ts`, path.join(base, 'index.d.ts')].find((t) => existsSync(path.join(srcRoot, t)));
        if (!target || target.startsWith('..')) throw new Error(`${rel} refers to ${spec}, which has no declaration below server/src`);
        todo.push(target);
      }
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Stages the package in `out`/package and packs it into `out`; returns the tarball's path. */
export async function packNpm(out) {
  const stage = path.join(out, 'package');
  await stagePackage(stage);
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: stage, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stdout}${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  return path.join(out, info.filename);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const i = process.argv.indexOf('--out');
  const out = path.resolve(i > 0 && process.argv[i + 1] ? process.argv[i + 1] : path.join(ROOT, 'build', 'npm'));
  mkdirSync(out, { recursive: true });
  const tarball = await packNpm(out);
  process.stdout.write(`${tarball}\n`);
}
