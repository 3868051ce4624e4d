// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx).
// Node 20's `--test` takes no globs, so the files are listed here. Pass a substring to filter:
//   node test/run.mjs lsp
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => !f.startsWith('test/vscode/') && (!filter || f.includes(filter)))
  .sort();
if (!files.length) {
  console.error(`No test files match "${filter}".`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
