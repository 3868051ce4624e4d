// Files that are not open: the background scan of the workspace folders, lints of single files
// when they change on disk or are closed, and the bookkeeping of what was published for them.

import * as path from 'node:path';
import { FileChangeType, MessageType, ShowMessageNotification, type FileEvent } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { interpolate, term } from '../core/messages';
import type { FileReader, ResolvedConfig } from '../core/types';
import type { ConfigDiagnostics } from './configDiagnostics';
import { lintFailedDiagnostic, toDiagnostics } from './diagnostics';
import type { BusyClock } from './openDocuments';
import type { ServerSettings } from './settings';
import { batchReader, isConfigFile, pathToUri, uriToPath, type Session } from './session';
import { isTemplatePath, lintFromDisk, scanFolder } from './workspaceScan';

/** Files the scan lints with one batch reader before it takes a new one. */
const SCAN_READER_FILES = 500;

export class DiskFiles {
  /** Files with diagnostics from the background scan or a disk lint: path -> published URI. */
  private readonly published = new Map<string, string>();
  private generation = 0;
  /** Folders the scan could not read that the user has been warned about (once each per session). */
  private readonly warnedFolders = new Set<string>();

  constructor(
    private readonly session: Session,
    private readonly busy: BusyClock,
    private readonly configs: ConfigDiagnostics,
    /** True while interactive work is due: the scan waits meanwhile. */
    private readonly interactiveDue: () => boolean,
  ) {}

  /** A file was opened: its open document's diagnostics replace the ones published from disk. */
  handOver(filePath: string, openUri: string): void {
    const scannedUri = this.published.get(filePath);
    this.published.delete(filePath);
    if (scannedUri && scannedUri !== openUri) void this.session.connection.sendDiagnostics({ uri: scannedUri, diagnostics: [] });
  }

  /**
   * Lints a file from disk and publishes; false when it is not a template, is gone or is open.
   * `reader` gives its layouts and partials (a run over many files may pass one that keeps listings).
   */
  async lintFile(filePath: string, settings: ServerSettings, uri = pathToUri(filePath), known?: ResolvedConfig, reader: FileReader = this.session.openFirstReader): Promise<boolean> {
    const { session } = this;
    try {
      const config = known ?? session.configFor(filePath, settings);
      if (!isTemplatePath(filePath, config)) return false;
      this.configs.reportFor(filePath);
      // Layouts and partials that are open count with their unsaved text, as for open documents.
      const outcome = await lintFromDisk(filePath, config, session.locale, (msg) => session.log(msg), reader, session.sets.index());
      if (!outcome || session.openUriForPath(filePath) || session.shuttingDown) return false;
      session.includes.record(filePath, outcome.result.composition);
      session.campaigns.record(filePath, outcome.text);
      session.sets.noteLint(filePath, outcome.text, outcome.result);
      const diagnostics = toDiagnostics(outcome.result.findings, TextDocument.create(uri, 'html', 0, outcome.text), null);
      this.published.set(filePath, uri);
      void session.connection.sendDiagnostics({ uri, diagnostics });
      return true;
    } catch (err) {
      session.logError(`Linting ${filePath} failed`, err);
      this.published.set(filePath, uri);
      void session.connection.sendDiagnostics({ uri, diagnostics: [lintFailedDiagnostic(err, session.locale)] });
      return true;
    }
  }

  private clear(filePath: string): void {
    const uri = this.published.get(filePath);
    if (uri === undefined) return;
    this.published.delete(filePath);
    void this.session.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Lints every template of every workspace folder that is not open; a newer scan cancels this one. */
  async scan(): Promise<void> {
    const { session } = this;
    const generation = ++this.generation;
    const cancelled = () => generation !== this.generation || session.shuttingDown;
    const before = new Set(this.published.keys());
    const published = new Set<string>();
    const started = Date.now();
    // Layouts and partials, folder listings and lookups kept for a stretch of the scan, as for a
    // batch of dependents (session.ts, batchReader); renewed every SCAN_READER_FILES files so a part
    // changed on disk meanwhile is read again soon (its change also relints the emails that use it).
    let reader = batchReader(session);
    let linted = 0;
    const unreadable: string[] = [];
    try {
      for (const folder of session.folders) {
        const settings = await session.getSettings(pathToUri(folder));
        if (cancelled()) return;
        if (!settings.enable || !settings.lintWorkspace) continue;
        const completed = await scanFolder(folder, {
          configFor: (p) => session.configFor(p, settings),
          isCancelled: cancelled,
          // Typing comes first: while an open document's lint is due, the scan waits.
          shouldPause: this.interactiveDue,
          onSlice: (start) => this.busy.mark(start),
          unreadableFolder: (dir, detail) => {
            session.log(`Workspace scan: could not read the folder ${dir}, so its files are not linted: ${detail}`);
            unreadable.push(dir);
          },
          visit: async (file, config) => {
            if (session.openUriForPath(file)) return;
            const started = performance.now();
            if (++linted % SCAN_READER_FILES === 0) reader = batchReader(session);
            if (await this.lintFile(file, settings, undefined, config, reader)) published.add(file);
            this.busy.mark(started);
          },
        });
        if (!completed) return;
      }
      // Files the previous scan reported that this one did not (now ignored, deleted, scanning off).
      for (const file of before) if (!published.has(file) && !session.openUriForPath(file)) this.clear(file);
      if (session.folders.length) session.log(`Workspace scan: ${published.size} file(s) linted in ${Date.now() - started} ms.`);
      this.warnUnreadable(unreadable);
    } catch (err) {
      session.logError('The workspace scan failed', err);
    }
  }

  private async changedOne(filePath: string, type: FileChangeType): Promise<void> {
    const { session } = this;
    if (type === FileChangeType.Deleted) {
      // A deleted folder comes as one event: clear everything under it too.
      for (const p of [...this.published.keys()]) if (p === filePath || p.startsWith(filePath + path.sep)) this.clear(p);
      session.includes.forget(filePath, true);
      session.campaigns.forget(filePath, true);
      session.sets.deleted(filePath);
      return;
    }
    const folder = session.folderFor(filePath);
    if (!folder) return;
    const settings = await session.getSettings(pathToUri(folder));
    if (!settings.enable || !settings.lintWorkspace) return;
    if (!(await this.lintFile(filePath, settings))) this.clear(filePath);
  }

  /**
   * One warning for the folders a scan could not read that the user has not been told of yet (as
   * ESLint's extension does for what it cannot lint: the details go to the output channel, a
   * notification says where to look). Rescans after a settings change do not repeat it.
   */
  private warnUnreadable(folders: readonly string[]): void {
    const fresh = folders.filter((f) => !this.warnedFolders.has(f));
    if (!fresh.length) return;
    for (const f of fresh) this.warnedFolders.add(f);
    const { session } = this;
    const shown = fresh.slice(0, 3).map((f) => path.relative(session.folderFor(f) ?? path.dirname(f), f) || f);
    const names = fresh.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
    const message = term('scan.unreadableFolders', 'Deliverlint could not read {count} folder(s) of the workspace, so the files in them were not linted: {folders}. See the Deliverlint output for details.', session.locale);
    // A notification (window/showMessage), not a request: there is nothing to choose.
    void session.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: interpolate(message, { count: fresh.length, folders: names }) });
  }

  /** Stops a running scan (shutdown). */
  cancel(): void {
    this.generation++;
  }

  /**
   * Files changed on disk: rc files reload everything (`onConfigChanged`), other files are linted
   * again or cleared, each before `onTemplateChanged` hears of it (the emails that use it are next).
   */
  async changed(changes: readonly FileEvent[], onConfigChanged: () => void, onTemplateChanged: (filePath: string, type: FileChangeType) => void = () => {}): Promise<void> {
    const { session } = this;
    try {
      let configChanged = false;
      const templates: Array<{ filePath: string; type: FileChangeType }> = [];
      for (const change of changes) {
        const filePath = uriToPath(change.uri);
        if (!filePath) continue;
        if (isConfigFile(filePath)) configChanged = true;
        else templates.push({ filePath, type: change.type });
      }
      if (configChanged) {
        onConfigChanged();
        return;
      }
      for (const { filePath, type } of templates) {
        // An open file's editor text wins over the disk: neither it nor its users change.
        if (session.openUriForPath(filePath)) continue;
        await this.changedOne(filePath, type);
        onTemplateChanged(filePath, type);
      }
    } catch (err) {
      session.logError('Handling file changes failed', err);
    }
  }
}
