// Loads the verification on demand. Bundled, it is dist/verify.js beside the running bundle
// (esbuild.mjs builds it); run from source (the tests), it is this folder's index.ts. The path is
// computed so that esbuild leaves the require to run time instead of bundling mailauth in.

import { existsSync } from 'node:fs';
import * as path from 'node:path';

type VerifyModule = typeof import('./index');

let loaded: Promise<VerifyModule> | undefined;

export function loadVerify(): Promise<VerifyModule> {
  if (!loaded) {
    const bundled = path.join(__dirname, 'verify.js');
    const spec = existsSync(bundled) ? bundled : './index';
    loaded = import(spec) as Promise<VerifyModule>;
  }
  return loaded;
}
