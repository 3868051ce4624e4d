// Open documents: each is linted shortly after it changes (never postponed by further typing), and
// published with its version; a lint superseded by a newer version publishes nothing. Very large
// documents (offThread.ts) are linted on a thread of their own once typing pauses, and a newer
// version or a close stops that lint. Closes are handled one at a time after the burst they came in,
// and a file opened again meanwhile is skipped, so a flood of opens and closes leaves no backlog.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { dropParsedParts } from '../core/compose';
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
import { fixOffThread, LARGE_DOCUMENT_CHARS, LintCancelled, lintOffThread, offThreadAvailable, type LintJob, type RunningLint } from './offThread';

/**
 * The pause in typing before a very large document is linted: each edit restarts it (and stops a
 * lint under way), as a lint of one takes longer than the gap between keystrokes.
 */
export const LARGE_DOCUMENT_DELAY_MS = 300;

/**
 * How long a closed document's findings wait for it to be opened again (an editor that reloads a
 * file, a tool that opens and closes files in a burst) before the disk's findings replace them.
 */
export const CLOSE_SETTLE_MS = 100;

/**
 * Lint threads at once. Each holds a copy of its document and the lint's model (hundreds of MB for
 * 20 MB of markup): with several very large documents open, a settings change would otherwise start
 * one thread each. The others wait their turn, each with its latest version.
 */
export const MAX_LINT_THREADS = 1;

/** Characters of other open documents a lint thread is given at most (its layouts and partials). */
const MAX_OPEN_TEXT_CHARS = 16 * 1024 * 1024;

export function isLargeDocument(doc: TextDocument): boolean {
  return doc.getText().length > LARGE_DOCUMENT_CHARS;
}

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
  /** Very large documents waiting for a pause in typing before their lint. */
  private readonly largeTimers = new Map<string, NodeJS.Timeout>();
  /** Lints under way on a thread, by document, with the version each lints. */
  private readonly running = new Map<string, { version: number; lint: RunningLint }>();
  /** Very large documents waiting for a lint thread to be free. */
  private readonly waitingForThread = new Set<string>();
  /** The most lint threads that ran at once (for the tests). */
  lintThreadsPeak = 0;
  /** Closed documents whose close is still to be handled (disk findings back, or cleared). */
  private readonly closing = new Set<string>();
  /** Closes waiting CLOSE_SETTLE_MS for the document to be opened again. */
  private readonly closeTimers = new Map<string, NodeJS.Timeout>();
  private drainingCloses = false;
  /** Whether very large documents go to a thread (the worker bundle is there). */
  offThread = offThreadAvailable();
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
      // Opened again before its close was handled: this document's lint takes over.
      clearTimeout(this.closeTimers.get(document.uri));
      this.closeTimers.delete(document.uri);
      this.closing.delete(document.uri);
      const filePath = uriToPath(document.uri);
      // The open document's diagnostics replace the ones the scan published for the file.
      if (filePath) this.disk.handOver(filePath, document.uri);
      if (this.offThread && isLargeDocument(document)) this.scheduleLarge(document.uri, LARGE_DOCUMENT_DELAY_MS);
      else {
        // After the messages already read (the protocol library handles one per turn of the event
        // loop; a timer waits for a later turn): a document closed among them is not linted at all,
        // not even asked settings for.
        const { uri, version } = document;
        setTimeout(() => {
          if (this.session.documents.get(uri)?.version === version) void this.validate(uri);
        }, 0);
      }
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
      this.stopLarge(uri);
      this.openedVersion.delete(uri);
      this.results.delete(uri);
      this.session.forgetSettings(uri);
      this.queueClose(uri);
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
    const { sets } = this.session;
    return (text) => ({ text, filePath, languageId: doc.languageId, config, locale, reader: openFirstReader, configurationSets: sets.index() });
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
      if (this.offThread && isLargeDocument(current) && this.lintOffThread(current, settings)) return;
      const started = performance.now();
      const diagnostics = this.diagnosticsFor(current, settings);
      this.busy.mark(started);
      void session.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      session.logError(`Linting ${uri} failed`, err);
    }
  }

  /**
   * Starts the lint of a very large document on a thread; it publishes when done, unless a newer
   * version or a close stopped it. False when the document is not linted that way (disabled, an rc
   * file, not a template): the caller publishes as for any document.
   */
  private lintOffThread(doc: TextDocument, settings: ServerSettings): boolean {
    const { session } = this;
    const { uri, version } = doc;
    const filePath = uriToPath(uri);
    if (!settings.enable || isConfigFile(filePath)) return false;
    const config = session.configFor(filePath, settings);
    this.configs.reportFor(filePath);
    if (!this.isLintable(doc, filePath, config)) return false;
    this.stopLarge(uri);
    if (this.running.size >= MAX_LINT_THREADS) {
      this.waitingForThread.add(uri);
      return true;
    }
    const lint = lintOffThread(this.jobFor(doc, filePath, config));
    this.running.set(uri, { version, lint });
    this.lintThreadsPeak = Math.max(this.lintThreadsPeak, this.running.size);
    // Whatever the outcome, the thread is free for the next document waiting.
    lint.result.finally(() => this.nextWaiting()).catch(() => {});
    lint.result.then(
      (result) => {
        if (this.running.get(uri)?.lint !== lint) return;
        this.running.delete(uri);
        const current = session.documents.get(uri);
        if (!current || current.version !== version || session.shuttingDown) return;
        this.results.set(uri, { version, result });
        if (filePath) session.includes.record(filePath, result.composition);
        if (filePath) session.campaigns.record(filePath, current.getText());
        void session.connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(result.findings, current, version) });
      },
      (err: unknown) => {
        if (err instanceof LintCancelled || this.running.get(uri)?.lint !== lint) return;
        this.running.delete(uri);
        session.logError(`Linting ${uri} failed`, err);
        if (session.documents.get(uri)?.version === version && !session.shuttingDown) {
          void session.connection.sendDiagnostics({ uri, version, diagnostics: [lintFailedDiagnostic(err, session.locale)] });
        }
      },
    );
    return true;
  }

  /** What a thread needs to lint `doc`: the request without its reader, and the other open texts. */
  private jobFor(doc: TextDocument, filePath: string | undefined, config: ResolvedConfig): LintJob {
    const { reader: _reader, ...request } = this.requestFor(doc, filePath, config)(doc.getText());
    const openTexts: Array<[string, string]> = [];
    let chars = 0;
    for (const other of this.session.documents.all()) {
      const otherPath = uriToPath(other.uri);
      const text = other.getText();
      if (other.uri === doc.uri || !otherPath || text.length > LARGE_DOCUMENT_CHARS || chars + text.length > MAX_OPEN_TEXT_CHARS) continue;
      openTexts.push([otherPath, text]);
      chars += text.length;
    }
    return { request, openTexts };
  }

  /**
   * Fix-all for a very large document, on a thread of its own: the text with every safe fix
   * applied. A newer version or a close stops it (undefined then).
   */
  async fixAllOffThread(doc: TextDocument, config: ResolvedConfig): Promise<string | undefined> {
    const job = fixOffThread(this.jobFor(doc, uriToPath(doc.uri), config));
    const stop = () => job.cancel();
    const subscriptions = [this.session.documents.onDidChangeContent((e) => e.document.uri === doc.uri && stop()), this.session.documents.onDidClose((e) => e.document.uri === doc.uri && stop())];
    try {
      return await job.result;
    } catch (err) {
      if (err instanceof LintCancelled) return undefined;
      throw err;
    } finally {
      for (const s of subscriptions) s.dispose();
    }
  }

  /** Lints the next very large document waiting, when a thread is free. */
  private nextWaiting(): void {
    // After the outcome's own handler (which frees the slot) has run.
    setImmediate(() => {
      if (this.running.size >= MAX_LINT_THREADS || this.session.shuttingDown) return;
      const next: string | undefined = this.waitingForThread.values().next().value;
      if (next === undefined) return;
      this.waitingForThread.delete(next);
      void this.validate(next);
    });
  }

  /** Stops a very large document's lint under way and its pending one. */
  private stopLarge(uri: string): void {
    clearTimeout(this.largeTimers.get(uri));
    this.largeTimers.delete(uri);
    this.waitingForThread.delete(uri);
    this.running.get(uri)?.lint.cancel();
    this.running.delete(uri);
  }

  /** (Re)starts the pause before a very large document's lint; a lint under way is stopped. */
  private scheduleLarge(uri: string, delay: number): void {
    this.stopLarge(uri);
    this.largeTimers.set(
      uri,
      setTimeout(() => {
        this.largeTimers.delete(uri);
        void this.validate(uri);
      }, delay),
    );
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
      const text = doc.getText();
      const result = linter.lint(this.requestFor(doc, filePath, config)(text));
      this.results.set(doc.uri, { version: doc.version, result });
      if (filePath) this.session.includes.record(filePath, result.composition);
      if (filePath) this.session.campaigns.record(filePath, text);
      if (filePath) this.session.sets.noteLint(filePath, text, result);
      return toDiagnostics(result.findings, doc, doc.version);
    } catch (err) {
      this.session.logError(`Linting ${doc.uri} failed`, err);
      return [lintFailedDiagnostic(err, this.session.locale)];
    }
  }

  /** The last lint of the document when it is of the version open now. */
  currentResult(doc: TextDocument): LintResult | undefined {
    const known = this.results.get(doc.uri);
    return known && known.version === doc.version ? known.result : undefined;
  }

  /** Whether this document is linted on a thread, never on the main one. */
  lintsOffThread(doc: TextDocument): boolean {
    return this.offThread && isLargeDocument(doc);
  }

  /** The lint of the document as it is now: the last one when it is current, else a new one (no publish). */
  resultFor(doc: TextDocument, settings: ServerSettings): LintResult | undefined {
    const known = this.results.get(doc.uri);
    if (known && known.version === doc.version) return known.result;
    // A very large document is never linted on this thread: its last lint answers (what the file
    // is and what it is built from rarely change with one edit), or nothing until the first.
    if (this.offThread && isLargeDocument(doc)) return known?.result;
    const filePath = uriToPath(doc.uri);
    if (!settings.enable || isConfigFile(filePath)) return undefined;
    const config = this.session.configFor(filePath, settings);
    if (!this.isLintable(doc, filePath, config)) return undefined;
    return linter.lint(this.requestFor(doc, filePath, config)(doc.getText()));
  }

  schedule(uri: string): void {
    const { session } = this;
    const doc = session.documents.get(uri);
    if (doc && this.offThread && isLargeDocument(doc)) {
      // Stopped now, not once the settings are in: an older version's lint must not publish.
      this.stopLarge(uri);
      void session
        .getSettings(uri)
        .then((settings) => {
          if (!session.documents.get(uri) || session.shuttingDown || this.running.has(uri)) return;
          this.scheduleLarge(uri, Math.max(settings.lintDelay, LARGE_DOCUMENT_DELAY_MS));
        })
        .catch((err: unknown) => session.logError(`Scheduling a lint of ${uri} failed`, err));
      return;
    }
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

  /**
   * Handles closes one at a time, each CLOSE_SETTLE_MS after it came and after the messages already
   * read: a burst of opens and closes gives one disk lint per file closed at its end, and requests
   * are answered between them.
   */
  private queueClose(uri: string): void {
    clearTimeout(this.closeTimers.get(uri));
    this.closeTimers.set(
      uri,
      setTimeout(() => {
        this.closeTimers.delete(uri);
        this.drainClose(uri);
      }, CLOSE_SETTLE_MS),
    );
  }

  private drainClose(uri: string): void {
    this.closing.add(uri);
    if (this.drainingCloses) return;
    this.drainingCloses = true;
    void (async () => {
      try {
        while (this.closing.size && !this.session.shuttingDown) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          const next: string | undefined = this.closing.values().next().value;
          if (next === undefined) break;
          this.closing.delete(next);
          if (!this.session.documents.get(next)) await this.afterClose(next);
        }
        // The layouts and partials the closed documents were composed with go too (the next lint
        // parses what it needs again).
        dropParsedParts();
      } finally {
        this.drainingCloses = false;
      }
    })();
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
    for (const uri of [...this.largeTimers.keys(), ...this.running.keys()]) this.stopLarge(uri);
    this.waitingForThread.clear();
    this.closing.clear();
    for (const timer of this.closeTimers.values()) clearTimeout(timer);
    this.closeTimers.clear();
  }
}
