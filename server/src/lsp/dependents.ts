// When a layout or partial changes (typed in the editor, or changed, created, deleted or renamed on
// disk), the emails built with it are linted again: open ones from their unsaved text, closed ones
// from the disk, both reading open parts' unsaved text. The changed file's own diagnostics come
// first; the emails follow in time slices, and a newer change restarts the run, so a part used by
// thousands of emails never holds up typing.

import * as path from 'node:path';
import { FileChangeType } from 'vscode-languageserver/node';
import type { FileReader } from '../core/types';
import type { DiskFiles } from './diskFiles';
import type { BusyClock, OpenDocuments } from './openDocuments';
import { batchReader, pathToUri, type Session } from './session';
import { timeSlicer } from './workspaceScan';

/** A pause in the changes before the emails are linted: typing in a partial restarts the wait. */
export const DEPENDENTS_DELAY_MS = 150;

/**
 * Emails linted together: their files are read from disk at once, so the reads overlap (in the
 * thread pool) instead of the loop waiting for each in turn. The lints themselves run one after
 * the other as their texts arrive; a group is a few ms of work, well within a time slice.
 */
const RELINTS_AT_ONCE = 8;

export class Dependents {
  /** Emails due to be linted again. */
  private readonly pending = new Set<string>();
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Emails linted again so far (for the log and the tests). */
  relinted = 0;

  constructor(
    private readonly session: Session,
    private readonly busy: BusyClock,
    private readonly open: OpenDocuments,
    private readonly disk: DiskFiles,
  ) {}

  /**
   * The file at `filePath` changed: queue the files built with it (for a deletion, with anything
   * under it; for a creation, those whose reference found no file of its name) and (re)start the run.
   */
  changed(filePath: string, type: FileChangeType = FileChangeType.Changed): void {
    const { includes } = this.session;
    const deleted = type === FileChangeType.Deleted;
    const users = includes.dependentsOf(filePath, deleted);
    if (type === FileChangeType.Created) {
      // Files whose reference found no such file, and (for a layout missing its partial) their users.
      for (const waiting of includes.waitingFor(filePath)) users.push(waiting, ...includes.dependentsOf(waiting));
    }
    this.relint(users, path.resolve(filePath));
  }

  /**
   * Lints `files` again (in the background, as the emails of a changed partial): the payloads and
   * campaigns when the configuration sets the workspace's infrastructure defines change.
   */
  relint(files: readonly string[], except?: string): void {
    let added = 0;
    for (const u of files) {
      if (u === except) continue;
      this.pending.add(u);
      added++;
    }
    // Nothing new: a run already under way or due covers what is pending.
    if (!added) return;
    // A newer change cancels the run under way: what it had not linted yet stays pending, and what
    // it had linted with the older text is queued again above.
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(this.generation);
    }, DEPENDENTS_DELAY_MS);
  }

  private async run(generation: number): Promise<void> {
    const { session } = this;
    const cancelled = () => generation !== this.generation || session.shuttingDown;
    const breathe = timeSlicer({
      isCancelled: cancelled,
      // The edited file's own lint, and any typing, come first.
      shouldPause: () => this.open.lintPending,
      onSlice: (start) => this.busy.mark(start),
    });
    const started = Date.now();
    let count = 0;
    try {
      while (this.pending.size && !cancelled()) {
        // Open files first: they are in front of the user.
        const batch = [...this.pending];
        this.pending.clear();
        const ordered = [...batch.filter((f) => session.openUriForPath(f)), ...batch.filter((f) => !session.openUriForPath(f))];
        const reader = batchReader(session);
        for (let i = 0; i < ordered.length; i += RELINTS_AT_ONCE) {
          if (!(await breathe())) {
            for (const rest of ordered.slice(i)) this.pending.add(rest);
            return;
          }
          const group = ordered.slice(i, i + RELINTS_AT_ONCE);
          await Promise.all(group.map((f) => this.relintOne(f, reader)));
          count += group.length;
        }
      }
      if (count) session.log(`Linted ${count} email(s) again after a change to their layouts or partials, in ${Date.now() - started} ms.`);
    } catch (err) {
      session.logError('Linting the emails that use a changed file failed', err);
    } finally {
      this.relinted += count;
    }
  }

  private async relintOne(file: string, reader: FileReader): Promise<void> {
    const { session } = this;
    const started = performance.now();
    const openUri = session.openUriForPath(file);
    if (openUri) {
      await this.open.validate(openUri);
    } else {
      // Closed files are published only while the workspace is linted (as the scan does).
      const folder = session.folderFor(file);
      if (!folder) return;
      const settings = await session.getSettings(pathToUri(folder));
      if (!settings.enable || !settings.lintWorkspace) return;
      await this.disk.lintFile(file, settings, undefined, undefined, reader);
    }
    this.busy.mark(started);
  }

  /** Stops the run (shutdown). */
  cancel(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.pending.clear();
  }
}
