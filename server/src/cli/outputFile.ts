// --output-file: the report written whole or not at all (a temporary file beside it, renamed over
// it), never through a symbolic link (which could point out of the folder) and never onto a folder.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `text` to `file`; the reason it was not written, or undefined when it was. */
export function writeReportFile(file: string, text: string): string | undefined {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink()) return 'it is a symbolic link; the report is not written through links';
  if (existing && !existing.isFile()) return 'it is not a regular file';
  // 'wx': a name taken since (a link planted in the race) makes the write fail rather than follow it.
  const temp = path.join(dir, `.${path.basename(target)}.deliverlint-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, text, { flag: 'wx', mode: existing ? existing.mode & 0o7777 : 0o666 });
    fs.renameSync(temp, target);
    return undefined;
  } catch (err) {
    fs.rmSync(temp, { force: true });
    return err instanceof Error ? err.message : String(err);
  }
}
