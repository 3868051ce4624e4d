// Reading files from disk for the core, shared by the CLI and the language server.

import * as fs from 'node:fs';
import { decodeFile } from '../core/input';
import type { FileReader } from '../core/types';

/** Reads UTF-8 text files; undefined for anything missing, binary or not UTF-8. */
export const nodeReader: FileReader = {
  readFile(p: string) {
    try {
      return decodeFile(fs.readFileSync(p)).text;
    } catch {
      return undefined;
    }
  },
};
