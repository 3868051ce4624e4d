// Open documents: each is linted shortly after it changes (never postponed by further typing), and
// published with its version; a lint superseded by a newer version publishes nothing.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CAMPAIGN_FILE } from '../core/parse/campaign';
import type { LintRequest, LintResult, ResolvedConfig } from '../core/types';
import { linter } from '../linter';
import type { ConfigDiagnostics } from './configDiagnostics';
import { lintFailedDiagnostic, toDiagnostics } from './diagnostics';
import type { DiskFiles } from './diskFiles';
import { TEMPLATE_LANGUAGES } from './languages';
import type { ServerSettings } from './settings';
import { isConfigFile, pathToUri, uriToPath, type Session } from './session';
import { isIgnored, isTemplatePath } from './workspaceScan';

/**
 * The last stretch of synchronous work on this thread (an open document's lint, a slice of the
 * background scan). Messages that arrive meanwhile wait in the pipe and are read just after it.
 */
export class BusyClock {
  private start = 0;
  private end = 0;

  mark(start: number): void {
    this.start = start;
    this.end = performance.now();
  }

  /** How long to wait before linting after a change read now. */
  delayFrom(now: number, lintDelay: number): number {
    // A change read right after a busy stretch most likely arrived during it: count the delay from
    // the stretch's start, so the time it waited is not added to the delay. (Measured: without this,
    // keystrokes that land during a lint see lintDelay plus up to twice the lint time; bench/lsp.ts.)
    const arrived = now - this.end < 5 ? Math.max(this.start, now - lintDelay) : now;
    return Math.max(0, arrived + lintDelay - now);
  }
}

export class OpenDocuments {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The version each document was opened with: onDidChangeContent fires for the open too. */
  private readonly openedVersion = new Map<string, number>();
  /** Each open document's latest lint, with the version it was of (for the hover). */
  private readonly results = new Map<string, { version: number; result: LintResult }>();
  /**
   * Told when an open document's text changed or went back to the disk's (closed): the emails
   * built with it are linted again (lsp/dependents.ts).
   */
  onTextChanged: (filePath: string) => void = () => {};

  constructor(
    private readonly session: Session,
    private readonly busy: BusyClock,
    private readonly configs: ConfigDiagnostics,
    private readonly disk: DiskFiles,
  ) {}

  /** True while an open document's lint is due: the background scan waits meanwhile. */
  get lintPending(): boolean {
    return this.timers.size > 0;
  }

  listen(): void {
    const { documents } = this.session;
    documents.onDidOpen(({ document }) => {
      this.openedVersion.set(document.uri, document.version);
      const filePath = uriToPath(document.uri);
      // The open document's diagnostics replace the ones the scan published for the file.
      if (filePath) this.disk.handOver(filePath, document.uri);
      void this.validate(document.uri);
    });
    documents.onDidChangeContent(({ document }) => {
      if (this.openedVersion.get(document.uri) === document.version) return;
      this.schedule(document.uri);
      this.relintCampaigns(document.uri);
      const filePath = uriToPath(document.uri);
      if (filePath) this.onTextChanged(filePath);
    });
    documents.onDidClose(({ document }) => {
      const { uri } = document;
      clearTimeout(this.timers.get(uri));
      this.timers.delete(uri);
      this.openedVersion.delete(uri);
      this.results.delete(uri);
      this.session.forgetSettings(uri);
      void this.afterClose(uri);
      // Unsaved edits are gone: the emails that use this file read it from the disk again.
      const filePath = uriToPath(uri);
      if (filePath) this.onTextChanged(filePath);
    });
  }

  /** Whether a document is one of ours: a template language or the `files` globs, and not ignored. */
  isLintable(doc: TextDocument, filePath: string | undefined, config: ResolvedConfig): boolean {
    if (!doc.uri.startsWith('file:') && !doc.uri.startsWith('untitled:')) return false;
    if (filePath && isIgnored(filePath, config)) return false;
    if (TEMPLATE_LANGUAGES.has(doc.languageId)) return true;
    return !!filePath && isTemplatePath(filePath, config);
  }

  requestFor(doc: TextDocument, filePath: string | undefined, config: ResolvedConfig): (text: string) => LintRequest {
    const { locale, openFirstReader } = this.session;
    return (text) => ({ text, filePath, languageId: doc.languageId, config, locale, reader: openFirstReader });
  }

  /** Lints the document as it is now and publishes, unless a newer version arrived meanwhile. */
  async validate(uri: string): Promise<void> {
    const { session } = this;
    try {
      const doc = session.documents.get(uri);
      if (!doc || session.shuttingDown) return;
      const version = doc.version;
      const settings = await session.getSettings(uri);
      const current = session.documents.get(uri);
      // Superseded: the lint scheduled for the newer version publishes instead.
      if (!current || current.version !== version || session.shuttingDown) return;
      const started = performance.now();
      const diagnostics = this.diagnosticsFor(current, settings);
      this.busy.mark(started);
      void session.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      session.logError(`Linting ${uri} failed`, err);
    }
  }

  private diagnosticsFor(doc: TextDocument, settings: ServerSettings): Diagnostic[] {
    const filePath = uriToPath(doc.uri);
    try {
      if (!settings.enable) return [];
      // An open rc file gets the problems of its unsaved text as you type; templates use the saved one.
      if (isConfigFile(filePath)) return this.configs.forOpenDocument(doc);
      const config = this.session.configFor(filePath, settings);
      this.configs.reportFor(filePath);
      if (!this.isLintable(doc, filePath, config)) return [];
      const result = linter.lint(this.requestFor(doc, filePath, config)(doc.getText()));
      this.results.set(doc.uri, { version: doc.version, result });
      if (filePath) this.session.includes.record(filePath, result.composition);
      return toDiagnostics(result.findings, doc, doc.version);
    } catch (err) {
      this.session.logError(`Linting ${doc.uri} failed`, err);
      return [lintFailedDiagnostic(err, this.session.locale)];
    }
  }

  /** The lint of the document as it is now: the last one when it is current, else a new one (no publish). */
  resultFor(doc: TextDocument, settings: ServerSettings): LintResult | undefined {
    const known = this.results.get(doc.uri);
    if (known && known.version === doc.version) return known.result;
    const filePath = uriToPath(doc.uri);
    if (!settings.enable || isConfigFile(filePath)) return undefined;
    const config = this.session.configFor(filePath, settings);
    if (!this.isLintable(doc, filePath, config)) return undefined;
    return linter.lint(this.requestFor(doc, filePath, config)(doc.getText()));
  }

  schedule(uri: string): void {
    const { session } = this;
    void session
      .getSettings(uri)
      .then((settings) => {
        if (!session.documents.get(uri) || session.shuttingDown) return;
        // A lint is already due and will read the newest text: typing must not push it back. (It
        // used to restart the delay on every keystroke, so someone typing a key every 50 ms under the
        // 100 ms default saw no diagnostics until they paused; see docs/benchmarks.md.)
        if (this.timers.has(uri)) return;
        this.timers.set(
          uri,
          setTimeout(() => {
            this.timers.delete(uri);
            void this.validate(uri);
          }, this.busy.delayFrom(performance.now(), settings.lintDelay)),
        );
      })
      .catch((err: unknown) => session.logError(`Scheduling a lint of ${uri} failed`, err));
  }

  /** Campaign files show their template's errors: relint the open ones when another file changes. */
  private relintCampaigns(changedUri: string): void {
    for (const doc of this.session.documents.all()) {
      if (doc.uri !== changedUri && CAMPAIGN_FILE.test(doc.uri)) this.schedule(doc.uri);
    }
  }

  relintAll(): void {
    for (const doc of this.session.documents.all()) void this.validate(doc.uri);
  }

  /** A closed file goes back to its on-disk findings when the workspace is linted, else is cleared. */
  private async afterClose(uri: string): Promise<void> {
    const { session } = this;
    try {
      const filePath = uriToPath(uri);
      if (filePath && isConfigFile(filePath)) {
        this.configs.closed(filePath, uri);
        return;
      }
      const folder = filePath && session.folderFor(filePath);
      if (filePath && folder && !session.shuttingDown) {
        const settings = await session.getSettings(pathToUri(folder));
        if (settings.enable && settings.lintWorkspace && (await this.disk.lintFile(filePath, settings, uri))) return;
      }
      if (!session.documents.get(uri)) void session.connection.sendDiagnostics({ uri, diagnostics: [] });
    } catch (err) {
      session.logError(`Handling the close of ${uri} failed`, err);
    }
  }

  shutdown(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
