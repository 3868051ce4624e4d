// Finding -> Diagnostic. Offsets become ranges here and nowhere else; the fixes travel in
// `data` (as offsets, with the document version they belong to) for the code actions to use.

import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, DiagnosticTag, type Position, type Range } from 'vscode-languageserver';
import type { ConfigProblem } from '../core/config';
import { interpolate, term } from '../core/messages';
import { docsUrl } from '../core/rule';
import type { Finding, Fix, Locale, Severity } from '../core/types';

export const SOURCE = 'deliverlint';

/** What a Deliverlint diagnostic carries in `data`. */
export interface DiagnosticData {
  ruleId: string;
  messageId: string;
  /** Version of the document the offsets refer to; null for files linted from disk. */
  version: number | null;
  start: number;
  end: number;
  fixes: Fix[];
}

export interface PositionSource {
  positionAt(offset: number): Position;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toSeverity(s: Severity): DiagnosticSeverity {
  return SEVERITY[s] ?? DiagnosticSeverity.Error;
}

export function toRange(doc: PositionSource, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(Math.max(start, end)) };
}

export function toDiagnostic(finding: Finding, doc: PositionSource, version: number | null): Diagnostic {
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    version,
    start: finding.start,
    end: finding.end,
    fixes: finding.fixes,
  };
  const diagnostic: Diagnostic = {
    range: toRange(doc, finding.start, finding.end),
    severity: toSeverity(finding.severity),
    source: SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
    data,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: pathToFileURL(r.filePath).href, range: { start: { line: r.line, character: r.character }, end: { line: r.endLine, character: r.endCharacter } } },
      message: r.message,
    }));
  }
  // Editors fade unnecessary code; an unused directive is exactly that.
  if (finding.ruleId === 'unused-directive' && finding.messageId === 'unused') diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

export function toDiagnostics(findings: readonly Finding[], doc: PositionSource, version: number | null): Diagnostic[] {
  return findings.map((f) => toDiagnostic(f, doc, version));
}

/** The single diagnostic published when linting itself failed, so the file does not look clean. */
export function lintFailedDiagnostic(error: unknown, locale: Locale): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: interpolate(term('server.lintFailed', 'Deliverlint could not lint this file: {error}. See the Deliverlint output for details.', locale), {
      error: detail,
    }),
  };
}

/** Problems of a .deliverlintrc.json, shown on that file. */
export function configProblemDiagnostics(text: string, problems: readonly ConfigProblem[], doc: PositionSource): Diagnostic[] {
  return problems.map((p) => ({
    range: toRange(doc, Math.min(p.start, text.length), Math.min(p.end, text.length)),
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: p.message,
  }));
}

/** An rc file that could not be read at all (permissions, a folder of that name). */
export function configUnreadableDiagnostic(error: string, locale: Locale): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: interpolate(term('server.configUnreadable', 'Cannot read this configuration file: {error}. Defaults apply.', locale), { error }),
  };
}

export function isDiagnosticData(v: unknown): v is DiagnosticData {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<DiagnosticData>;
  return typeof d.ruleId === 'string' && typeof d.messageId === 'string' && typeof d.start === 'number' && typeof d.end === 'number' && Array.isArray(d.fixes);
}
