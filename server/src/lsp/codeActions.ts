// Code actions for Deliverlint diagnostics: the fixes the core computed, "disable this rule"
// suppressions, and fix-all. Keyed on `diagnostic.code` and `diagnostic.data`, never on message text.

import { CodeAction, CodeActionKind, TextDocumentEdit, type CodeActionContext, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { interpolate, term } from '../core/messages';
import { suppressionEdit, type SuppressionScope } from '../core/suppress';
import type { Finding, Fix, LintRequest, LintResult, Locale, TextEdit as CoreEdit } from '../core/types';
import { minimalEdit } from '../core/text';
import { PositionMapper } from '../core/position';
import { linter } from '../linter';
import { FIX_ALL_KIND } from '../protocol';
import { isDiagnosticData, SOURCE, toRange } from './diagnostics';
import { pathToUri } from './session';

// Shared with the client (protocol.ts); exported here too for the server's existing importers.
export { FIX_ALL_KIND };

/** Rules whose findings cannot sensibly be suppressed with a directive. */
const NOT_SUPPRESSIBLE = new Set(['unused-directive', 'file-unreadable']);

export interface CodeActionInput {
  document: TextDocument;
  context: CodeActionContext;
  /** The lint request for a text of this document (config, path, reader already resolved). */
  request: (text: string) => LintRequest;
  locale: Locale;
  /** Whether the client takes versioned `documentChanges` in a WorkspaceEdit. */
  documentChanges: boolean;
}

/** True when an action of `kind` was asked for (`only` lists kinds or their parents). */
export function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || !only.length) return kind === CodeActionKind.QuickFix;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

export function codeActionsFor(input: CodeActionInput): CodeAction[] {
  const { context } = input;
  const actions: CodeAction[] = [];
  if (wantsKind(context.only, CodeActionKind.QuickFix)) actions.push(...quickFixes(input));
  if (wantsKind(context.only, FIX_ALL_KIND)) {
    const fixAll = fixAllAction(input);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

interface Located {
  ruleId: string;
  start: number;
  end: number;
  fixes: Fix[];
}

function quickFixes(input: CodeActionInput): CodeAction[] {
  const { document, context, locale } = input;
  const text = document.getText();
  let fresh: LintResult | undefined;
  const freshLint = () => (fresh ??= linter.lint(input.request(text)));
  const freshFindings = () => freshLint().findings;
  const fixActions: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const seen = new Set<string>();

  for (const diagnostic of context.diagnostics) {
    if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string' || !isDiagnosticData(diagnostic.data)) continue;
    const located = locate(diagnostic, input, freshFindings);
    if (!located) continue;

    for (const fix of located.fixes) {
      const key = `fix\0${fix.title}\0${JSON.stringify(fix.edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const edit = fix.filePath ? otherFileEdit(input, fix.filePath, fix.edits) : workspaceEdit(input, fix.edits);
      if (!edit) continue;
      const action = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      if (fix.preferred ?? (fix.safe && !located.fixes.some((f) => f.preferred))) action.isPreferred = true;
      fixActions.push(action);
    }

    if (NOT_SUPPRESSIBLE.has(located.ruleId) || !linter.ruleById(located.ruleId)) continue;
    for (const scope of ['line', 'file'] as SuppressionScope[]) {
      // The kind the linter resolved (payload globs included), so a JSON payload never gets an HTML comment.
      const edit = suppressionEdit(text, located.start, located.ruleId, scope, freshLint().kind);
      if (!edit) continue;
      const key = `suppress\0${scope}\0${located.ruleId}\0${edit.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const title =
        scope === 'line'
          ? interpolate(term('action.disableLine', 'Disable {ruleId} for this line', locale), { ruleId: located.ruleId })
          : interpolate(term('action.disableFile', 'Disable {ruleId} for the entire file', locale), { ruleId: located.ruleId });
      const action = CodeAction.create(title, workspaceEdit(input, [edit]), CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      suppressions.push(action);
    }
  }
  // Repairs first, then suppressions, as ESLint orders them.
  return [...fixActions, ...suppressions];
}

/**
 * The finding behind a diagnostic, with offsets valid for the document as it is now: the data
 * itself when its version is current, else the nearest finding of the same rule and message in a
 * fresh lint (or none, when the problem is gone).
 */
function locate(diagnostic: Diagnostic, input: CodeActionInput, freshFindings: () => Finding[]): Located | undefined {
  const data = diagnostic.data as { ruleId: string; messageId: string; version: number | null; start: number; end: number; fixes: Fix[] };
  if (data.version !== null && data.version === input.document.version && data.ruleId === diagnostic.code) return data;
  const target = input.document.offsetAt(diagnostic.range.start);
  let best: Finding | undefined;
  for (const f of freshFindings()) {
    if (f.ruleId !== diagnostic.code || f.messageId !== data.messageId) continue;
    if (!best || Math.abs(f.start - target) < Math.abs(best.start - target)) best = f;
  }
  return best;
}

/** One action computing every safe fix, re-linting between passes, as a single minimal edit. */
function fixAllAction(input: CodeActionInput): CodeAction | undefined {
  const original = input.document.getText();
  const { text } = linter.fixText(input.request(original));
  if (text === original) return undefined;
  const edit = minimalEdit(original, text);
  const title = term('action.fixAll', 'Fix all auto-fixable Deliverlint problems', input.locale);
  return CodeAction.create(title, workspaceEdit(input, [edit]), FIX_ALL_KIND);
}

function workspaceEdit(input: CodeActionInput, edits: readonly CoreEdit[]): WorkspaceEdit {
  const { document } = input;
  const textEdits: TextEdit[] = [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => ({ range: toRange(document, e.start, e.end), newText: e.text }));
  if (input.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, textEdits)] };
  }
  return { changes: { [document.uri]: textEdits } };
}

/**
 * A fix for another file (the layout or partial holding the footer): its offsets are in that file's
 * text as the server reads it (the open document, else the disk), and the edit targets its URI.
 * Undefined when the file cannot be read now. No version: the file may not be open.
 */
function otherFileEdit(input: CodeActionInput, filePath: string, edits: readonly CoreEdit[]): WorkspaceEdit | undefined {
  const text = input.request(input.document.getText()).reader?.readFile(filePath);
  if (text === undefined || edits.some((e) => e.end > text.length)) return undefined;
  const positions = new PositionMapper(text);
  const uri = pathToUri(filePath);
  const textEdits: TextEdit[] = [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => ({ range: toRange(positions, e.start, e.end), newText: e.text }));
  if (input.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri, version: null }, textEdits)] };
  return { changes: { [uri]: textEdits } };
}
