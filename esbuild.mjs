// Bundles the entry points (extension client, language server, CLI and its lint worker, library API) into dist/.
// Everything the extension runs at install time lives in these bundles, so the .vsix ships no node_modules.
// Imported (not run) by the benchmark, which bundles its probes with the same options.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @returns {import('esbuild').BuildOptions} */
export function commonOptions(/** @type {boolean} */ production) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    legalComments: 'none',
    // jsonc-parser's "main" is a UMD build esbuild cannot follow; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
  };
}

/**
 * Every bundle, written to `outdir` (dist/ here; the npm package script builds the same list into
 * its own folder, see scripts/pack-npm.mjs).
 * @returns {import('esbuild').BuildOptions[]}
 */
export function bundles(/** @type {boolean} */ production, outdir = 'dist') {
  const common = commonOptions(production);
  return [
    { ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode'] },
    // Also the `deliverlint-language-server` binary of the npm package (docs/editors.md): run directly, so a shebang.
    { ...common, entryPoints: ['server/src/server.ts'], outfile: `${outdir}/server.js`, banner: { js: '#!/usr/bin/env node' } },
    { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
    // The CLI lints on every core with worker threads, which load this bundle (see cli/pool.ts).
    { ...common, entryPoints: ['server/src/cli/worker.ts'], outfile: `${outdir}/cliWorker.js` },
    // The language server lints very large documents on a thread that loads this bundle (see lsp/offThread.ts).
    { ...common, entryPoints: ['server/src/lsp/lintWorker.ts'], outfile: `${outdir}/serverWorker.js` },
    // The npm package's library API (`require('deliverlint')`); its worker threads load cliWorker.js.
    { ...common, entryPoints: ['server/src/api.ts'], outfile: `${outdir}/api.js` },
    // Message verification (mailauth), loaded by the CLI and the server only when asked for (verify/load.ts).
    { ...common, entryPoints: ['server/src/verify/index.ts'], outfile: `${outdir}/verify.js` },
    // Sender standing (AWS SDK clients), loaded by `deliverlint standing` only (standing/load.ts).
    { ...common, entryPoints: ['server/src/standing/index.ts'], outfile: `${outdir}/standing.js` },
  ];
}

const builds = bundles(production);

const isMain = !!process.argv[1] && existsSync(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;

// JSON schemas are contributed by path in package.json; only dist/ ships, so they are copied there.
if (isMain && existsSync('schemas')) cpSync('schemas', 'dist/schemas', { recursive: true });

if (!isMain) {
  // Imported for `common`: build nothing.
} else if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
