// Copies of dist/ bundles that another user can run. Tests that run the CLI or the server as
// `nobody` (to meet a folder it cannot read) need the bundle readable by that user, but a checkout
// may sit below a folder only its owner can enter (a clone into `mktemp -d`, mode 700). The copies
// go into a new world-readable folder under the system temp folder.

import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** A folder (mode 755) holding copies of `names` from dist/ (mode 644); remove it when done. */
export function readableBundles(names: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'deliverlint-bundles-'));
  fs.chmodSync(dir, 0o755);
  for (const name of names) {
    const copy = path.join(dir, name);
    fs.copyFileSync(path.join(ROOT, 'dist', name), copy);
    fs.chmodSync(copy, 0o644);
  }
  return dir;
}
