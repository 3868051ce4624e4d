// Builds dist/ after `npm install` in a git checkout that has no build yet. This is what makes the
// pre-commit hook (.pre-commit-hooks.yaml, `language: node`) installable: pre-commit runs `npm install`
// in a clone of this repository, then `npm pack` (whose file list, .npmignore, keeps dist/ and drops
// the sources), then installs that tarball. A build in `prepare` or `prepack` would not do: npm pack
// prints their banner on stdout, where pre-commit reads the tarball's name.
//
// Does nothing in an installed tarball (no esbuild.mjs there), in a checkout already built, or when
// esbuild is not installed (npm install --omit=dev).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'esbuild.mjs')) || existsSync(join(root, 'dist', 'cli.js'))) process.exit(0);
try {
  await import('esbuild');
} catch {
  process.exit(0);
}
const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
