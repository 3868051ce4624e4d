// Loads the standing module on demand: dist/standing.js beside the running bundle, or this folder's
// index.ts when run from source (the tests). See verify/load.ts.

import { existsSync } from 'node:fs';
import * as path from 'node:path';

type StandingModule = typeof import('./index');

let loaded: Promise<StandingModule> | undefined;

export function loadStanding(): Promise<StandingModule> {
  if (!loaded) {
    const bundled = path.join(__dirname, 'standing.js');
    // In a variable: esbuild bundles both branches of a conditional written inside import().
    const spec = existsSync(bundled) ? bundled : './index';
    loaded = import(spec) as Promise<StandingModule>;
  }
  return loaded;
}
