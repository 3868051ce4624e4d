// Builds what the VS Code tests load: the mocha suites (compiled to out/vscode/suite/, the
// extensionTestsPath of @vscode/test-electron) and the test-only harness extension packaged as
// its own .vsix. Neither goes anywhere near deliverlint.vsix: out/ is ignored by git and by
// .vscodeignore, which ships dist/ and the manifest files only.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OUT = path.join(ROOT, 'out', 'vscode');
export const SUITE_ENTRY = path.join(OUT, 'suite', 'index.js');
export const HARNESS_VSIX = path.join(OUT, 'deliverlint-e2e-harness.vsix');
export const EXTENSION_VSIX = path.join(ROOT, 'deliverlint.vsix');
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'vscode', 'fixtures', 'workspace');

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // Given by the extension host, and by the checkout (mocha must be the copy the suites register with).
  external: ['vscode', 'mocha'],
};

/** Compiles test/vscode/suite/{index,*.suite}.ts to out/vscode/suite/. */
export async function buildSuites(): Promise<string> {
  const dir = path.join(ROOT, 'test', 'vscode', 'suite');
  const entryPoints = fs
    .readdirSync(dir)
    .filter((f) => f === 'index.ts' || f.endsWith('.suite.ts'))
    .map((f) => path.join(dir, f));
  fs.rmSync(path.join(OUT, 'suite'), { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints, outdir: path.join(OUT, 'suite') });
  return SUITE_ENTRY;
}

/** Builds and packages the harness extension into out/vscode/deliverlint-e2e-harness.vsix. */
export async function buildHarness(): Promise<string> {
  const source = path.join(ROOT, 'test', 'vscode', 'harness');
  const stage = path.join(OUT, 'harness');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  await esbuild.build({ ...common, sourcemap: false, entryPoints: [path.join(source, 'extension.ts')], outfile: path.join(stage, 'extension.js') });
  fs.copyFileSync(path.join(source, 'package.json'), path.join(stage, 'package.json'));
  fs.writeFileSync(path.join(stage, 'README.md'), '# Deliverlint e2e harness\n\nTest only: runs the extension-host suites inside code-server.\n');
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', HARNESS_VSIX], { cwd: stage, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`Packaging the harness extension failed:\n${result.stdout}${result.stderr}`);
  return HARNESS_VSIX;
}

/** `npm run package`: the .vsix a user installs, built from this checkout. */
export function packageExtension(): string {
  fs.rmSync(EXTENSION_VSIX, { force: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0 || !fs.existsSync(EXTENSION_VSIX)) {
    throw new Error(`npm run package failed:\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd().split('\n').slice(-30).join('\n')}`);
  }
  return EXTENSION_VSIX;
}

/** A fresh copy of the fixture workspace, with `settings` merged into its .vscode/settings.json. */
export function makeWorkspace(dir: string, settings: Record<string, unknown> = {}): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(FIXTURE_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, '.vscode', 'settings.json');
  const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  return dir;
}
