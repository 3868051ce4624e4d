// Problems of .deliverlintrc files: published for the rc file that applies to a linted file, kept
// current when rc files change on disk, and replaced by the live problems while one is open.

import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfigText } from '../core/config';
import { loadConfigFile } from '../host/config';
import { configProblemDiagnostics, configUnreadableDiagnostic } from './diagnostics';
import { pathToUri, type Session } from './session';

export class ConfigDiagnostics {
  /** rc files we have published problems for: path -> signature of what was published. */
  private readonly published = new Map<string, string>();

  constructor(private readonly session: Session) {}

  /** Problems of an rc file as it is on disk; none when it is gone. */
  onDisk(rcPath: string): Diagnostic[] {
    let loaded;
    try {
      loaded = loadConfigFile(rcPath, this.session.resolver.options);
    } catch {
      // Deleted or unreadable: the files it configured fall back to another rc or the defaults.
      return [];
    }
    return configProblemDiagnostics(loaded.text, loaded.problems, TextDocument.create(pathToUri(rcPath), 'jsonc', 0, loaded.text));
  }

  /**
   * Problems of an rc file open in the editor, as typed. Each problem is published once: JSON
   * syntax errors are left to the editor when it says it reports them (VS Code's JSON language
   * service does, for open files), and the schema it validates with checks nothing of ours
   * (schemas/deliverlintrc.schema.json), so the values are judged here only.
   */
  forOpenDocument(doc: TextDocument): Diagnostic[] {
    const text = doc.getText();
    const { problems } = parseConfigText(text, this.session.resolver.options);
    const shown = this.session.jsonSyntaxInEditor ? problems.filter((p) => !p.syntax) : problems;
    return configProblemDiagnostics(text, shown, doc);
  }

  /** Publishes (or clears) the problems of the rc file that applies to `filePath`. */
  reportFor(filePath: string | undefined): void {
    if (!filePath) return;
    const rc = this.session.resolver.fileFor(path.dirname(filePath));
    if (!rc) return;
    let diagnostics: Diagnostic[];
    if ('error' in rc) {
      diagnostics = [configUnreadableDiagnostic(rc.error, this.session.locale)];
    } else {
      diagnostics = configProblemDiagnostics(rc.text, rc.problems, TextDocument.create(pathToUri(rc.path), 'jsonc', 0, rc.text));
    }
    this.publish(rc.path, diagnostics);
  }

  private publish(rcPath: string, diagnostics: Diagnostic[]): void {
    // An rc file open in the editor shows the problems of its current text instead.
    if (this.session.openUriForPath(rcPath)) return;
    const signature = JSON.stringify(diagnostics);
    const previous = this.published.get(rcPath);
    if (!diagnostics.length) {
      if (previous === undefined) return;
      this.published.delete(rcPath);
    } else {
      if (previous === signature) return;
      this.published.set(rcPath, signature);
    }
    void this.session.connection.sendDiagnostics({ uri: pathToUri(rcPath), diagnostics });
  }

  /** After rc files changed on disk: re-read the ones we reported, clearing those now fine or gone. */
  refresh(): void {
    for (const rcPath of [...this.published.keys()]) this.publish(rcPath, this.onDisk(rcPath));
  }

  /** An open rc file was closed: back to the saved file's problems (or none). */
  closed(rcPath: string, uri: string): void {
    const diagnostics = this.onDisk(rcPath);
    if (diagnostics.length) this.published.set(rcPath, JSON.stringify(diagnostics));
    else this.published.delete(rcPath);
    void this.session.connection.sendDiagnostics({ uri, diagnostics });
  }
}
